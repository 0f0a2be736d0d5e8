#!/usr/bin/env bash
# The benchmark of docs/BENCHMARKS.md, in one run: the SQLite floor (1 checkout per commit and 32
# per commit), checkouts over HTTP at 1, 16 and 64 clients, and the 5,000-client prize launch,
# printed as one Markdown table with the machine and the date. Nothing here asserts a timing.
#
#   bench/run.sh                 # build, prepare a fresh data dir in /tmp, run everything
#
# Knobs (environment): BUILD (build dir, default build), BENCH_SECONDS (per HTTP run, 10),
# BENCH_WARMUP (1), FLOOR_SECONDS (per floor run, 5), BENCH_CLIENTS ("1 16 64"), BENCH_RACERS (5000),
# BENCH_STAFF (64), BENCH_ITEMS (240000), NO_BUILD=1, KEEP=1 (keep the temp dir and the logs),
# BENCH_PROBE=path/to/bookstamp_probe_server (serve the HTTP runs with the instrumented server and
# print its queue/job/commit timings after each run; BENCH_PROBE_FLAGS, e.g. --sql-profile),
# BENCH_TMP (where the data dir goes, default /tmp; /dev/shm takes the disk out, as an experiment),
# BENCH_REVISION (what the header names as the revision when BUILD points elsewhere).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
RUN_SECONDS=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-1}
FLOOR_SECONDS=${FLOOR_SECONDS:-5}
CLIENT_COUNTS=${BENCH_CLIENTS:-"1 16 64"}
RACERS=${BENCH_RACERS:-5000}
STAFF=${BENCH_STAFF:-64}
ITEMS=${BENCH_ITEMS:-240000}
PATRONS=$((RACERS > 5000 ? RACERS : 5000))

if [[ -z "${NO_BUILD:-}" ]]; then
  [[ -f "$BUILD/build.ninja" ]] || cmake -S "$ROOT" -B "$BUILD" -G Ninja >/dev/null
  ninja -C "$BUILD" -j2 bookstamp bookstamp_load bookstamp_sqlite_floor >/dev/null
fi
WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/bookstamp-bench.XXXXXX")
SERVER_PID=
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || true
  fi
  if [[ -n "${KEEP:-}" ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
# Private copies, so a rebuild of the shared build dir during the run cannot swap them.
mkdir -p "$WORK/bin"
cp "${BOOKSTAMP:-$BUILD/bookstamp}" "$BUILD/bench/bookstamp_load" "$BUILD/bench/bookstamp_sqlite_floor" "$WORK/bin/"
BOOKSTAMP=$WORK/bin/$(basename "${BOOKSTAMP:-$BUILD/bookstamp}")
LOAD=$WORK/bin/bookstamp_load
FLOOR=$WORK/bin/bookstamp_sqlite_floor
if [[ -n "${BENCH_REVISION:-}" ]]; then
  REVISION=$BENCH_REVISION  # binaries built elsewhere (BUILD=...): say what they were built from
else
  REVISION=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
  if [[ -n "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null)" ]]; then REVISION+=" + uncommitted changes in src/"; fi
fi
DATA=$WORK/data
ROWS=$WORK/rows.tsv
: >"$ROWS"

log() { echo "# $*" >&2; }

start_server() {  # $1: log name; sets SERVER_PID and URL. The probe, when asked for, serves the runs.
  local out=$WORK/server.$1.log
  SERVER_LOG=$out
  : >"$out"
  if [[ "$1" == run && -n "${BENCH_PROBE:-}" ]]; then
    # shellcheck disable=SC2086
    "$BENCH_PROBE" --data "$DATA" --listen 127.0.0.1:0 ${BENCH_PROBE_FLAGS:-} >"$out" 2>&1 &
  else
    "$BOOKSTAMP" serve --data "$DATA" --listen 127.0.0.1:0 >"$out" 2>&1 &
  fi
  SERVER_PID=$!
  local port=
  for _ in $(seq 1 300); do
    port=$(sed -n 's|^bookstamp listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$out" | head -1)
    [[ -n "$port" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$out" >&2; echo "server died" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n "$port" ]] || { echo "server did not report its port" >&2; exit 1; }
  URL=http://127.0.0.1:$port
}

stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || true
  SERVER_PID=
}

# With the probe: USR1 prints its statistics since the previous USR1 (and resets them).
probe_mark() { [[ -n "${BENCH_PROBE:-}" ]] && kill -USR1 "$SERVER_PID" && sleep 0.3; return 0; }
probe_report() {  # $1: title
  [[ -n "${BENCH_PROBE:-}" ]] || return 0
  local seen
  seen=$(grep -c '^PROBE' "$SERVER_LOG" || true)
  kill -USR1 "$SERVER_PID"
  sleep 0.5
  { echo "$1"; grep '^PROBE' "$SERVER_LOG" | tail -n +$((seen + 1)); echo; } >>"$WORK/probe.txt"
}

# CPU seconds (user + system) the server process has used so far.
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$SERVER_PID/stat"; }

LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')

# ---- data: migrations, a sysadmin, then the API setup, then the direct seed with the server stopped
log "work dir $WORK"
"$BOOKSTAMP" staff add --data "$DATA" --username bench-admin --password bench-admin-pass --role sysadmin >/dev/null
start_server setup
"$LOAD" setup --url "$URL" --admin-user bench-admin --admin-pass bench-admin-pass --out "$WORK" \
  --items "$ITEMS" --staff "$STAFF" >&2
stop_server
"$LOAD" seed --db "$DATA/bookstamp.db" --out "$WORK" --patrons "$PATRONS" --balance 100 >&2
PRIZE=$(cat "$WORK/prize_id")

# ---- the floor, on a copy of the same database (server stopped, nothing else running)
cp "$DATA/bookstamp.db" "$WORK/floor.db"
for ext in -wal -shm; do [[ -f "$DATA/bookstamp.db$ext" ]] && cp "$DATA/bookstamp.db$ext" "$WORK/floor.db$ext"; done
out=$("$FLOOR" --db "$WORK/floor.db" --group 1 --seconds "$FLOOR_SECONDS" --item-start 0 --item-count 20000 \
  --cards "$PATRONS")
echo "$out" >&2
grep '^ROW' <<<"$out" >>"$ROWS" || true
grep -v '^ROW' <<<"$out" >>"$WORK/notes.txt" || true
out=$("$FLOOR" --db "$WORK/floor.db" --group 32 --seconds "$FLOOR_SECONDS" --item-start 20000 \
  --item-count $((ITEMS - 20000)) --cards "$PATRONS")
echo "$out" >&2
grep '^ROW' <<<"$out" >>"$ROWS" || true
grep -v '^ROW' <<<"$out" >>"$WORK/notes.txt" || true

# ---- HTTP: the real server, fresh start on the seeded data dir
start_server run
log "server at $URL (pid $SERVER_PID)"
CPU_NOTES=$WORK/cpu.tsv
: >"$CPU_NOTES"
next_item=0
n_multi=0
single=0
for clients in $CLIENT_COUNTS; do if [[ "$clients" == 1 ]]; then single=30000; else n_multi=$((n_multi + 1)); fi; done
for clients in $CLIENT_COUNTS; do
  # Items for this run: an equal share of what is left after the single-client run's 30,000.
  if [[ "$clients" == 1 ]]; then count=30000; else count=$(( (ITEMS - single) / n_multi )); fi
  probe_mark
  before=$(server_cpu)
  out=$("$LOAD" checkout --url "$URL" --clients "$clients" --seconds "$RUN_SECONDS" --warmup "$WARMUP" \
    --tokens "$WORK/staff_tokens.txt" --item-start "$next_item" --item-count "$count" --cards "$PATRONS" || true)
  after=$(server_cpu)
  probe_report "HTTP checkout, $clients clients (warm-up included):"
  echo "$out" >&2
  grep '^ROW' <<<"$out" >>"$ROWS" || true
  printf 'HTTP checkout\t%s\t%s\t%s\n' "$clients" "$(awk -v a="$after" -v b="$before" 'BEGIN{printf "%.2f", a-b}')" \
    "$(grep '^CPU' <<<"$out" | cut -f2,3)" >>"$CPU_NOTES"
  next_item=$((next_item + count))
done

probe_mark
before=$(server_cpu)
out=$("$LOAD" prize-launch --url "$URL" --clients "$RACERS" --tokens "$WORK/patron_tokens.txt" --prize "$PRIZE" || true)
after=$(server_cpu)
probe_report "Prize launch, $RACERS clients (their warm-up GETs included):"
echo "$out" >&2
grep '^ROW' <<<"$out" >>"$ROWS" || true
grep '^prize launch' <<<"$out" >>"$WORK/notes.txt" || true
printf 'prize launch\t%s\t%s\t%s\n' "$RACERS" "$(awk -v a="$after" -v b="$before" 'BEGIN{printf "%.2f", a-b}')" \
  "$(grep '^CPU' <<<"$out" | cut -f2,3)" >>"$CPU_NOTES"
stop_server

# The books still balance after the run.
CHECKS="$("$BOOKSTAMP" audit verify --data "$DATA" 2>&1 | tail -1); $("$BOOKSTAMP" ledger verify --data "$DATA" 2>&1 | tail -1)"

# ---- the table
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo
echo "Bookstamp benchmark (revision $REVISION) — $STARTED — $(nproc) cores ($cpu_model), $(uname -sr)," \
  "SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?'), WAL, data in ${BENCH_TMP:-/tmp};" \
  "every answer after the fdatasync of its commit (floor: synchronous=FULL; server: the WAL synced beside the writer)." \
  "Client and server share the same cores; load average $LOADAVG_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
echo
echo "| run | clients | checkouts | s | per second | p50 ms | p90 ms | p99 ms | max ms | statuses | vs floor 1/commit | vs floor 32/commit | note |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---|"
awk -F'\t' '
  $2 ~ /1 checkout per commit/ { one = $6 }
  $2 ~ /32 per commit/ { grp = $6 }
  { rows[NR] = $0 }
  END {
    for (i = 1; i <= NR; i++) {
      split(rows[i], f, "\t")
      r1 = (one > 0) ? sprintf("%.2f×", f[6] / one) : "-"
      r2 = (grp > 0) ? sprintf("%.2f×", f[6] / grp) : "-"
      if (f[2] ~ /prize launch/) { r1 = "-"; r2 = "-" }
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], r1, r2, f[12]
    }
  }' "$ROWS"
echo
echo "CPU used during each HTTP run (warm-up included) by the server and by the load generator:"
echo
echo "| run | clients | requests | server CPU s | server CPU µs per request | load generator CPU s |"
echo "|---|---:|---:|---:|---:|---:|"
awk -F'\t' '{ printf "| %s | %s | %s | %s | %.0f | %s |\n", $1, $2, $5, $3, ($5 > 0 ? $3 / $5 * 1e6 : 0), $4 }' "$CPU_NOTES"
echo
# Targets (reported, never asserted): at 64 clients p99 < 20 ms and >= 5,000 checkouts/s.
awk -F'\t' '$2 == "HTTP checkout" && $3 == 64 {
  printf "Target at 64 clients: %.0f checkouts/s (target ≥ 5,000: %s), p99 %.2f ms (target < 20: %s).\n",
    $6, ($6 >= 5000 ? "met" : "NOT met"), $9, ($9 < 20 ? "met" : "NOT met") }' "$ROWS"
echo "After the run: $CHECKS"
echo
sed 's/^/- /' "$WORK/notes.txt"
if [[ -f "$WORK/probe.txt" ]]; then
  echo
  echo "Instrumented server ($BENCH_PROBE ${BENCH_PROBE_FLAGS:-}):"
  echo
  echo '```'
  cat "$WORK/probe.txt"
  echo '```'
fi
