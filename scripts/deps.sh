#!/usr/bin/env bash
# Installs what Bookstamp needs to build, test and run (Debian 12), then the
# web app's npm packages. Idempotent: apt runs only when a package is missing.
# Usage: scripts/deps.sh        (called by `make deps`)
set -euo pipefail

cd "$(dirname "$0")/.."

# Debian's nodejs/npm (18) conflict with the image's Node 20; never add them here.
# Never libboost-dev / libboost-all-dev either (1.74, clashes with 1.81).
required=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql
  libxapian-dev libopencc-dev opencc libyaz-dev yaz
  libsodium-dev libssl-dev libcurl4-openssl-dev
  libhowardhinnant-date-dev libtomlplusplus-dev libspdlog-dev libfmt-dev
  libcli11-dev libxlsxwriter-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium fonts-wqy-microhei python3-aiosmtpd zbar-tools curl tzdata unzip
)
# Nice to have; skipped when the archive does not carry them.
optional=(fonts-noto-cjk)

export DEBIAN_FRONTEND=noninteractive

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo --preserve-env=DEBIAN_FRONTEND)
else
  echo "deps: not root and no sudo: install these as root:" >&2
  printf '  %s\n' "${required[@]}" >&2
  exit 1
fi

installed() {
  [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) == ii* ]]
}

has_candidate() {
  local c
  c=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
  [[ -n $c && $c != "(none)" ]]
}

missing=()
for p in "${required[@]}"; do
  installed "$p" || missing+=("$p")
done
missing_optional=()
for p in "${optional[@]}"; do
  installed "$p" || missing_optional+=("$p")
done

if ((${#missing[@]} + ${#missing_optional[@]} > 0)); then
  echo "deps: installing: ${missing[*]} ${missing_optional[*]}"
  "${as_root[@]}" apt-get update -q
  for p in "${missing_optional[@]}"; do
    if has_candidate "$p"; then
      missing+=("$p")
    else
      echo "deps: $p is not in this archive; skipping it"
    fi
  done
  "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "deps: Debian packages already installed"
fi

# Node.js comes from the machine image, not from Debian.
need_node=20.19.0
if ! command -v node >/dev/null 2>&1; then
  echo "deps: Node.js >= $need_node is required for the web app and was not found on PATH." >&2
  echo "      Install Node.js 20.19+ (or 22.12+) from nodejs.org; do not use Debian's nodejs/npm." >&2
  exit 1
fi
have_node=$(node --version | sed 's/^v//')
if [[ $(printf '%s\n%s\n' "$need_node" "$have_node" | sort -V | head -n1) != "$need_node" ]]; then
  echo "deps: Node.js $have_node is too old: the web app (Vite 7) needs >= $need_node." >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "deps: npm not found next to Node.js $have_node." >&2
  exit 1
fi
echo "deps: node $have_node, npm $(npm --version)"

cd web
if [[ ! -f package-lock.json ]]; then
  npm install --no-audit --no-fund
elif [[ -f node_modules/.package-lock.json && node_modules/.package-lock.json -nt package-lock.json
        && node_modules/.package-lock.json -nt package.json ]]; then
  # npm writes node_modules/.package-lock.json on every install: newer than the lock file
  # means node_modules already matches it.
  echo "deps: web/node_modules is up to date (rm -rf web/node_modules to reinstall)"
else
  npm ci --no-audit --no-fund
fi
