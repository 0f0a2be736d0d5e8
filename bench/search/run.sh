#!/usr/bin/env bash
# The catalog search benchmark of docs/BENCHMARKS.md ("Catalog search"), in one run: generate N
# MARC records, `bookstamp import marc` them (rate, wall time, peak memory, then the sizes of the
# SQLite file and of the Xapian index), serve them and run the query mix through
# `GET /api/v1/search` at 1 and 16 clients (with the server's memory), then load the same records
# into SQLite FTS5 (trigram) and run the same mix at 1 and 16 threads. Prints Markdown tables with
# the machine, date, revision and load average. Nothing here asserts a timing.
#
#   bench/search/run.sh                  # 1,000,000 records (about 20 minutes on 2 cores)
#   BENCH_RECORDS=100000 bench/search/run.sh
#
# Knobs (environment): BUILD (build dir, default build), BENCH_RECORDS (1000000), BENCH_SECONDS
# (per run, 20), BENCH_WARMUP (2), BENCH_CLIENTS ("1 16"), BENCH_TMP (where the data goes, /tmp),
# NO_BUILD=1, KEEP=1 (keep the data dir and the logs), BENCH_REVISION (what the header names as
# the revision when BUILD points elsewhere).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
RECORDS=${BENCH_RECORDS:-1000000}
SECONDS_PER_RUN=${BENCH_SECONDS:-20}
WARMUP=${BENCH_WARMUP:-2}
CLIENTS=${BENCH_CLIENTS:-"1 16"}

if [[ -z "${NO_BUILD:-}" ]]; then
  [[ -f "$BUILD/build.ninja" ]] || cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  ninja -C "$BUILD" -j2 bookstamp bookstamp_gen_marc bookstamp_search_load bookstamp_fts5_search >/dev/null
fi
WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/bookstamp-search-bench.XXXXXX")
SERVER_PID=
SAMPLER_PID=
cleanup() {
  [[ -n "$SAMPLER_PID" ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || true
  fi
  if [[ -n "${KEEP:-}" ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
# Private copies, so a rebuild of the build dir during the run cannot swap them.
mkdir -p "$WORK/bin"
for b in bookstamp bench/search/bookstamp_gen_marc bench/search/bookstamp_search_load bench/search/bookstamp_fts5_search; do
  cp "$BUILD/$b" "$WORK/bin/"
done
BIN=$WORK/bin
if [[ -n "${BENCH_REVISION:-}" ]]; then
  REVISION=$BENCH_REVISION
else
  REVISION=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
  if [[ -n "$(git -C "$ROOT" status --porcelain -- src bench/search 2>/dev/null)" ]]; then
    REVISION+=" + uncommitted changes"
  fi
fi
DATA=$WORK/data
MARC=$WORK/catalog.mrc
QUERIES=$WORK/queries.tsv
log() { echo "# $(date -u +%H:%M:%S) $*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_START=$(loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')

log "generating $RECORDS records"
t0=$(date +%s.%N)
"$BIN/bookstamp_gen_marc" --records "$RECORDS" --out "$MARC" --queries "$QUERIES"
GEN_S=$(echo "$(date +%s.%N) - $t0" | bc)
MARC_BYTES=$(stat -c %s "$MARC")

log "importing (load average $(loadavg))"
LOAD_IMPORT=$(loadavg)
/usr/bin/time -v "$BIN/bookstamp" import marc --data "$DATA" --create-branches "$MARC" >"$WORK/import.log" 2>"$WORK/import.time" || {
  cat "$WORK/import.log" "$WORK/import.time" >&2
  exit 1
}
IMPORT_WALL=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$WORK/import.time")
IMPORT_RSS_KB=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/import.time")
# CPU seconds (user + system): on a shared machine, records per CPU-second says more than wall time.
IMPORT_CPU_S=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$WORK/import.time")
# "Imported 1 file in 93.2 s (10,729 records/s)" and "Search index: 1,000,000 records indexed, 0 removed in 301.0 s"
SQL_S=$(sed -n 's/^Imported .* in \([0-9.]*\) s .*/\1/p' "$WORK/import.log")
INDEX_S=$(sed -n 's/^Search index: .* in \([0-9.]*\) s$/\1/p' "$WORK/import.log")
CREATED=$(sed -n 's/^  created *\([0-9,]*\)$/\1/p' "$WORK/import.log" | tr -d ,)
COPIES=$(sed -n 's/^  copies: \([0-9,]*\) created.*/\1/p' "$WORK/import.log" | tr -d ,)
[[ "$CREATED" == "$RECORDS" ]] || { cat "$WORK/import.log" >&2; echo "expected $RECORDS records created" >&2; exit 1; }
DB_BYTES=$(du -cb "$DATA"/bookstamp.db* | tail -1 | cut -f1)
XAPIAN_BYTES=$(du -sb "$DATA/search" | cut -f1)

log "serving (load average $(loadavg))"
: >"$WORK/server.log"
"$BIN/bookstamp" serve --data "$DATA" --listen 127.0.0.1:0 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
port=
for _ in $(seq 1 600); do
  port=$(sed -n 's|^bookstamp listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$WORK/server.log" | head -1)
  [[ -n "$port" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "server died" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { echo "server did not report its port" >&2; exit 1; }
RSS_IDLE_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
( while sleep 0.5; do awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || exit 0; done ) >"$WORK/rss.samples" &
SAMPLER_PID=$!
LOAD_HTTP=$(loadavg)
"$BIN/bookstamp_search_load" --url "http://127.0.0.1:$port" --queries "$QUERIES" --clients "$CLIENTS" \
  --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" >"$WORK/xapian.tsv"
kill "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=
RSS_MAX_KB=$(sort -n "$WORK/rss.samples" | tail -1)
RSS_HWM_KB=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || true
SERVER_PID=

log "FTS5 (load average $(loadavg))"
LOAD_FTS=$(loadavg)
/usr/bin/time -v "$BIN/bookstamp_fts5_search" --marc "$MARC" --queries "$QUERIES" --db "$WORK/fts5.db" \
  --threads "$CLIENTS" --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" --expect-records "$RECORDS" \
  >"$WORK/fts5.tsv" 2>"$WORK/fts5.time" || { cat "$WORK/fts5.time" >&2; exit 1; }
FTS_RSS_KB=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/fts5.time")
LOAD_END=$(loadavg)

mib() { awk -v b="$1" 'BEGIN { printf "%.0f MiB", b / 1048576 }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%\047d", n / s; else print "?" }'; }
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
FTS_LOAD_S=$(awk -F'\t' '$1 == "load" {print $4}' "$WORK/fts5.tsv")
FTS_BYTES=$(awk -F'\t' '$1 == "load" {print $5}' "$WORK/fts5.tsv")
TOTAL_S=$(awk -v a="$SQL_S" -v b="$INDEX_S" 'BEGIN { print a + b }')

cat <<EOF

Catalog search benchmark — $STARTED, revision $REVISION
$(nproc) × ${cpu_model:-?}, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr).
$(printf "%'d" "$RECORDS") generated records ($(mib "$MARC_BYTES") of MARC, $(printf "%'d" "$COPIES") copies, generated in ${GEN_S%.*} s).
Load average: $LOAD_START at the start, $LOAD_IMPORT at the import, $LOAD_HTTP before the HTTP runs,
$LOAD_FTS before FTS5, $LOAD_END at the end. Client and server share the same cores.

| import (\`bookstamp import marc\`) | |
|---|---|
| into SQLite | $SQL_S s ($(rate "$RECORDS" "$SQL_S") records/s) |
| search index catch-up (Xapian) | $INDEX_S s ($(rate "$RECORDS" "$INDEX_S") records/s) |
| whole command | $IMPORT_WALL wall ($(rate "$RECORDS" "$TOTAL_S") records/s end to end) |
| CPU time of the command (user + system) | $IMPORT_CPU_S s ($(rate "$RECORDS" "$IMPORT_CPU_S") records per CPU-second) |
| peak memory (max RSS) | $(mib $((IMPORT_RSS_KB * 1024))) |
| SQLite file (bookstamp.db, with WAL) | $(mib "$DB_BYTES") |
| Xapian index (search/) | $(mib "$XAPIAN_BYTES") |
| server RSS: idle after start / peak during the runs | $(mib $((RSS_IDLE_KB * 1024))) / $(mib $((RSS_MAX_KB * 1024))) (VmHWM $(mib $((RSS_HWM_KB * 1024)))) |
| FTS5 trigram: load (read MARC + insert + optimize) / file / max RSS | $FTS_LOAD_S s / $(mib "$FTS_BYTES") / $(mib $((FTS_RSS_KB * 1024))) |

| engine | clients | queries | p50 ms | p95 ms | p99 ms | max ms | queries/s |
|---|---:|---:|---:|---:|---:|---:|---:|
EOF
awk -F'\t' '$1 == "latency" {
  name = $2 == "fts5" ? "SQLite FTS5 trigram (in process)" : "Xapian through GET /api/v1/search"
  printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", name, $3, $4, $5, $6, $7, $8, $9 }' "$WORK/xapian.tsv" "$WORK/fts5.tsv"

echo
echo "p95 per query class (ms), and what each finds: Xapian's \`total\`; FTS5 MATCH; FTS5 LIKE scan (1–2 characters)."
echo
first=$(echo "$CLIENTS" | awk '{print $1}')
last=$(echo "$CLIENTS" | awk '{print $NF}')
echo "| class | query | Xapian hits | FTS5 MATCH hits | FTS5 LIKE hits (ms) | Xapian p95 @$first / @$last | FTS5 p95 @$first / @$last |"
echo "|---|---|---:|---:|---:|---:|---:|"
awk -F'\t' -v first="$first" -v last="$last" '
  FILENAME ~ /xapian/ && $1 == "hits" { order[++n] = $3 "\t" $4; xh[$3 "\t" $4] = $5 }
  FILENAME ~ /fts5/ && $1 == "hits" && $2 == "fts5-match" { fh[$3 "\t" $4] = $5 }
  FILENAME ~ /fts5/ && $1 == "hits" && $2 == "fts5-like" { fl[$3 "\t" $4] = sprintf("%s (%.0f)", $5, $6) }
  $1 == "class" { p95[$2 "\t" $3 "\t" $4] = $7 }
  END {
    for (i = 1; i <= n; i++) {
      split(order[i], k, "\t")
      c = k[1]; shown = (c == prev) ? "" : c; prev = c
      q = k[2]; gsub(/\|/, "\\|", q)
      like = (order[i] in fl) ? fl[order[i]] : "—"
      xp = (c != prevx) ? sprintf("%s / %s", p95["xapian-http\t" first "\t" c], p95["xapian-http\t" last "\t" c]) : ""
      fp = (c != prevx) ? sprintf("%s / %s", p95["fts5\t" first "\t" c], p95["fts5\t" last "\t" c]) : ""
      prevx = c
      printf "| %s | `%s` | %s | %s | %s | %s | %s |\n", shown, q, xh[order[i]], fh[order[i]], like, xp, fp
    }
  }' "$WORK/xapian.tsv" "$WORK/fts5.tsv"
echo
if [[ -n "${KEEP:-}" ]]; then log "logs and data in $WORK"; fi
