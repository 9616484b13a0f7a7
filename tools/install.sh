#!/usr/bin/env bash
# Installs what .ci/run, the audit and the tests need, as any user, and nothing twice:
#   1. system packages (Chromium, a Java runtime, Node and npm, python3-venv, fonts): checked first,
#      installed with apt-get only when one is missing, and only by root or through sudo;
#   2. the pinned Node tools of package-lock.json into tools/node_modules (`npm ci`);
#   3. the pinned Python packages of requirements.txt into tools/.venv.
# Steps 2 and 3 write a stamp (a hash of their lockfile and of the runtime) and are skipped while
# it matches, so a second run installs nothing. Exit status 2 when something cannot be installed.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

say() { echo "[tools] $*"; }
fail() { echo "[tools] error: $*" >&2; exit 2; }

# ---------------------------------------------------------------- 1. system packages
deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
# Chromium draws the screenshots' text with these; without dpkg (not Debian) the check is skipped.
if command -v dpkg-query >/dev/null 2>&1 && ! deb_installed fonts-dejavu-core; then
  missing+=(fonts-dejavu-core)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    fail "missing system packages: ${missing[*]}. Ask an administrator to run:
    apt-get update && apt-get install --no-install-recommends ${missing[*]}
  (Debian/Ubuntu names; elsewhere install Chromium at $CHROMIUM or set CHROMIUM, a Java runtime,
  Node 18.14 or later with npm, and Python 3 with venv), then run this again."
  fi
  say "installing system packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Every Node tool in package.json runs on Node 18.14 or later.
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a === 18 && b >= 14) ? 0 : 1)' \
  || fail "Node $(node --version) is too old: the tools need Node 18.14 or later"

# A stamp: the hash of a lockfile and of the runtime that installs it.
stamp() { { cat "$1"; "$2" --version 2>&1; } | sha256sum | cut -d' ' -f1; }

# ---------------------------------------------------------------- 2. Node tools
want=$(stamp package-lock.json node)
if [ "$(cat node_modules/.groupdir-stamp 2>/dev/null)" != "$want" ]; then
  say "installing the Node tools of tools/package-lock.json"
  # Chromium is Debian's; no package may download a browser or a Java runtime of its own.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 \
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$want" > node_modules/.groupdir-stamp
else
  say "Node tools up to date"
fi

# ---------------------------------------------------------------- 3. Python packages
want=$(stamp requirements.txt python3)
if [ "$(cat .venv/.groupdir-stamp 2>/dev/null)" != "$want" ]; then
  say "installing the Python packages of tools/requirements.txt"
  rm -rf .venv
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check --no-deps --requirement requirements.txt
  .venv/bin/pip check --disable-pip-version-check >/dev/null \
    || fail "tools/requirements.txt misses a dependency: $(.venv/bin/pip check)"
  echo "$want" > .venv/.groupdir-stamp
else
  say "Python packages up to date"
fi
