#!/usr/bin/env bash
# Audit a built site folder with third-party validators: the W3C Nu HTML checker, the internal links
# and fragments, LinkChecker, axe-core and console errors in Chromium, the gzip weight of each page,
# Lighthouse. The tools are the repository's own, installed by tools/install.sh into tools/.
# Usage: tools/audit/audit.sh SITE_DIR [OUT_DIR]       (OUT_DIR defaults to target/audit)
# Env:   MAX_PAGES=20  BUDGET_BYTES=14336  LIGHTHOUSE=1|0  BASE_URL=https://example.org/sub/
#        LINKCHECKER=1|0  CHROMIUM=/usr/bin/chromium
# Exit:  0 clean; 1 faults found (html/css errors, broken links/fragments, axe critical+serious,
#        console errors, pages over the gzip budget); 2 a required check could not run (its figure is "n/a").
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
TOOLS="$(dirname "$HERE")"
[ $# -ge 1 ] && [ -d "$1" ] || { echo "usage: $0 SITE_DIR [OUT_DIR]" >&2; exit 2; }
SITE="$(realpath "$1")"
OUT="$(realpath -m "${2:-$TOOLS/../target/audit}")"
MAX_PAGES="${MAX_PAGES:-20}"
BUDGET_BYTES="${BUDGET_BYTES:-14336}"
LIGHTHOUSE="${LIGHTHOUSE:-1}"
LINKCHECKER="${LINKCHECKER:-1}"
BASE_URL="${BASE_URL:-}"
PY="$TOOLS/.venv/bin/python"
VNU_JAR="$TOOLS/node_modules/vnu-jar/build/dist/vnu.jar"
NODE_DIR="$TOOLS/node_modules"
[ -x "$PY" ] && [ -f "$VNU_JAR" ] || { echo "the audit's tools are not installed: run bash tools/install.sh" >&2; exit 2; }
export CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}"
mkdir -p "$OUT"
PROFILES="$OUT/.profiles"   # unique marker: every browser we start has its --user-data-dir under here
rm -rf "$PROFILES"; mkdir -p "$PROFILES"
SERVER_PID=""
T_START=$(date +%s.%N)

log() { printf '\n=== %s\n' "$*"; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }
fig() { # fig KEY FILE -> value or n/a
  local v; v=$(grep -m1 "^$1: " "$2" 2>/dev/null | sed "s/^$1: //"); echo "${v:-n/a}"; }

kill_ours() { # kill any process whose command line names our profile folder, by PID
  local pid
  for pid in $(grep -l -a -F -- "$PROFILES" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
    [ "$pid" != "$$" ] && kill -KILL "$pid" 2>/dev/null
  done
}
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null
  fi
  SERVER_PID=""
  if [ -f "$OUT/chromium.pid" ]; then
    local cp; cp=$(cat "$OUT/chromium.pid")
    kill -KILL -- "-$cp" 2>/dev/null; kill -KILL "$cp" 2>/dev/null
  fi
  kill_ours
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM HUP
stop_if_interrupted() { # a child that caught Ctrl-C/TERM itself exits 130/143; bash then skips its trap
  case "$1" in 130|143) echo "interrupted (child exit $1)"; exit 130;; esac; }

echo "site: $SITE"
echo "out:  $OUT"
: > "$OUT/timings.txt"

# ---------------------------------------------------------------- 1. HTML/CSS validity (vnu)
log "1. W3C Nu HTML Checker ($VNU_JAR)"
t=$(date +%s.%N)
echo "vnu $(java -jar "$VNU_JAR" --version 2>/dev/null)"
java -Xss16m -jar "$VNU_JAR" --format json --stdout --also-check-css --also-check-svg \
     --skip-non-html "$SITE" > "$OUT/vnu.json" 2> "$OUT/vnu.stderr"
stop_if_interrupted $?
"$PY" - "$OUT/vnu.json" "$SITE" > "$OUT/vnu.txt" <<'EOF'
import json, sys, collections
try:
    msgs = json.load(open(sys.argv[1]))["messages"]
except Exception as e:
    sys.stderr.write(f"could not parse vnu output: {e}\n"); sys.exit(0)
site = sys.argv[2]
c = collections.Counter(); top = collections.Counter(); warn = collections.Counter()
for m in msgs:
    url = m.get("url", "")
    kind = "css" if url.endswith(".css") else "svg" if url.endswith(".svg") else "html"
    if m["type"] in ("error", "non-document-error"):
        c[kind] += 1; top[(kind, m.get("message", "")[:140])] += 1
    elif m["type"] == "info" and m.get("subType") == "warning":
        warn[kind] += 1
files = collections.Counter(m.get("url","").split(site,1)[-1] for m in msgs if m["type"] in ("error","non-document-error"))
for (k, msg), n in top.most_common(12):
    sys.stderr.write(f"  VNU {k} x{n}: {msg}\n")
for f, n in files.most_common(5):
    sys.stderr.write(f"  VNU file {f}: {n} error(s)\n")
print(f"html_errors: {c['html']}")
print(f"html_warnings: {warn['html']}")
print(f"css_errors: {c['css']}")
print(f"svg_errors: {c['svg']}")
EOF
cat "$OUT/vnu.txt"
echo "vnu: $(elapsed "$t")s" | tee -a "$OUT/timings.txt"

# ---------------------------------------------------------------- 2. links + weight (stdlib)
log "2. Internal links, fragments, page weight, head basics (Python stdlib)"
t=$(date +%s.%N)
"$PY" "$HERE/lib/sitecheck.py" "$SITE" "$OUT" --max-pages "$MAX_PAGES" --budget "$BUDGET_BYTES" \
      ${BASE_URL:+--base-url "$BASE_URL"} > "$OUT/sitecheck.txt"
cat "$OUT/sitecheck.txt"
echo "sitecheck: $(elapsed "$t")s" | tee -a "$OUT/timings.txt"

# ---------------------------------------------------------------- local http server
# serve at the deployed base path so root-relative URLs work (/sub/... when BASE_URL has a path)
BASE_PATH="$("$PY" -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]).path if sys.argv[1] else "/"; print(p if p.endswith("/") else p+"/")' "$(fig base_url_used "$OUT/sitecheck.txt" | grep -E '^https?://' || true)")"
SERVE_ROOT="$SITE"
if [ "$BASE_PATH" != "/" ]; then
  SERVE_ROOT="$OUT/.serve"; rm -rf "$SERVE_ROOT"; mkdir -p "$SERVE_ROOT$(dirname "$BASE_PATH")"
  ln -s "$SITE" "$SERVE_ROOT${BASE_PATH%/}"
fi
start_server() {
  local i port
  for i in 1 2 3; do
    port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    "$PY" "$HERE/lib/serve.py" "$port" "$SERVE_ROOT" > "$OUT/http.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 50); do
      if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
      if "$PY" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/', timeout=1)" 2>/dev/null \
         || "$PY" -c "import urllib.request,urllib.error,sys
try: urllib.request.urlopen('http://127.0.0.1:$port/', timeout=1)
except urllib.error.HTTPError: sys.exit(0)
sys.exit(1)" 2>/dev/null; then
        PORT=$port; return 0
      fi
      sleep 0.1
    done
    kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=""
  done
  return 1
}
PORT=""
if start_server; then
  ORIGIN="http://127.0.0.1:$PORT"
  echo "http server pid $SERVER_PID on $ORIGIN$BASE_PATH"
else
  echo "could not start http.server"
fi

# ---------------------------------------------------------------- 2b. linkchecker cross-check
if [ "$LINKCHECKER" = 1 ] && [ -n "$PORT" ]; then
  log "2b. LinkChecker crawl over http (cross-check; follows links from the home page only)"
  t=$(date +%s.%N)
  # local server sends "LinkChecker: allow", so this rate applies instead of LinkChecker's 0.1-0.6 s/request
  printf '[checking]\nmaxrequestspersecond=500\n' > "$OUT/linkcheckerrc"
  timeout --foreground 600 "$TOOLS/.venv/bin/linkchecker" -f "$OUT/linkcheckerrc" --no-status --no-warnings --no-robots -o csv \
      "$ORIGIN$BASE_PATH" > "$OUT/linkchecker.csv" 2> "$OUT/linkchecker.stderr"
  lc_rc=$?; stop_if_interrupted $lc_rc
  "$PY" - "$OUT/linkchecker.csv" "$lc_rc" > "$OUT/linkchecker.txt" <<'EOF'
import csv, sys
rows = [l for l in open(sys.argv[1], encoding="utf-8", errors="replace") if not l.startswith("#")]
if int(sys.argv[2]) not in (0, 1) or not rows:
    print("linkchecker_broken: n/a"); sys.exit(0)
bad = [r for r in csv.DictReader(rows, delimiter=";") if r.get("valid") == "False"]
for r in bad[:20]:
    sys.stderr.write(f"  LINKCHECKER {r['parentname']}:{r['line']} {r['urlname']} -> {r['result']}\n")
print(f"linkchecker_broken: {len(bad)}")
EOF
  cat "$OUT/linkchecker.txt"
  echo "linkchecker: $(elapsed "$t")s" | tee -a "$OUT/timings.txt"
fi

# ---------------------------------------------------------------- 3. axe-core + console + screenshots
log "3. axe-core in Debian chromium via playwright-core (max $MAX_PAGES pages) + screenshots"
t=$(date +%s.%N)
if [ -n "$PORT" ]; then
  # pages.txt holds URL paths that already include BASE_PATH
  timeout --foreground 900 node "$HERE/lib/browser.mjs" "$ORIGIN/" "$OUT/pages.txt" "$OUT" "$PROFILES/axe" \
      > "$OUT/browser.txt" 2> "$OUT/browser.stderr"
  br_rc=$?; echo "(exit $br_rc)"; stop_if_interrupted $br_rc
  grep -E "^  (AXE|CONSOLE)" "$OUT/browser.stderr" | head -40
  grep -vE "^  (AXE|CONSOLE)" "$OUT/browser.stderr" | tail -5
  cat "$OUT/browser.txt"
  rm -f "$OUT/chromium.pid"
  kill_ours
fi
echo "browser: $(elapsed "$t")s" | tee -a "$OUT/timings.txt"

# ---------------------------------------------------------------- 5. Lighthouse (optional)
if [ "$LIGHTHOUSE" = 1 ] && [ -n "$PORT" ]; then
  log "5. Lighthouse (default mobile emulation + simulated throttling) on the home page"
  t=$(date +%s.%N)
  timeout --foreground 240 node "$NODE_DIR/lighthouse/cli/index.js" "$ORIGIN$BASE_PATH" \
      --quiet --output=json --output-path="$OUT/lighthouse.json" \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage --user-data-dir=$PROFILES/lighthouse" \
      > "$OUT/lighthouse.stdout" 2> "$OUT/lighthouse.stderr"
  lh_rc=$?
  kill_ours; stop_if_interrupted $lh_rc
  "$PY" - "$OUT/lighthouse.json" "$lh_rc" > "$OUT/lighthouse.txt" <<'EOF'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
    if r.get("runtimeError"): raise RuntimeError(r["runtimeError"])
    for k in ("performance", "accessibility", "best-practices", "seo"):
        s = r["categories"][k]["score"]
        print(f"lighthouse_{k.replace('-', '_')}: {'n/a' if s is None else round(s * 100)}")
    a = r["audits"]
    for k in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"):
        print(f"lighthouse_{k.replace('-', '_')}: {a[k]['displayValue']}")
    for k, v in a.items():
        if v.get("score") == 0 and v.get("scoreDisplayMode") == "binary":
            sys.stderr.write(f"  LIGHTHOUSE failed audit: {k}: {v['title']}\n")
except Exception as e:
    print(f"lighthouse_performance: n/a (exit {sys.argv[2]}: {str(e)[:200]})")
EOF
  cat "$OUT/lighthouse.txt"
  echo "lighthouse: $(elapsed "$t")s" | tee -a "$OUT/timings.txt"
fi

cleanup
trap - EXIT

# ---------------------------------------------------------------- summary
V="$OUT/vnu.txt"; S="$OUT/sitecheck.txt"; B="$OUT/browser.txt"; L="$OUT/lighthouse.txt"; K="$OUT/linkchecker.txt"
{
  echo "site: $SITE"
  echo "html_pages: $(fig html_pages "$S")"
  echo "html_errors: $(fig html_errors "$V")"
  echo "html_warnings: $(fig html_warnings "$V")"
  echo "css_errors: $(fig css_errors "$V")"
  echo "broken_links: $(fig broken_links "$S")"
  echo "broken_fragments: $(fig broken_fragments "$S")"
  [ "$LINKCHECKER" = 1 ] && echo "linkchecker_broken: $(fig linkchecker_broken "$K")"
  echo "external_urls_not_checked: $(fig external_urls_not_checked "$S")"
  echo "pages_audited_in_browser: $(fig pages_audited_in_browser "$B")"
  echo "page_load_failures: $(fig page_load_failures "$B")"
  for k in critical serious moderate minor; do echo "axe_$k: $(fig axe_$k "$B")"; done
  echo "axe_serious_or_critical: $(fig axe_serious_or_critical "$B")"
  echo "console_errors: $(fig console_errors "$B")"
  echo "failed_requests: $(fig failed_requests "$B")"
  echo "favicon_404: $(fig favicon_404 "$B")"
  echo "mobile_horizontal_overflow_px: $(fig mobile_horizontal_overflow_px "$B")"
  echo "max_page_gzip_bytes: $(fig max_page_gzip_bytes "$S")"
  echo "median_page_gzip_bytes: $(fig median_page_gzip_bytes "$S")"
  echo "pages_over_${BUDGET_BYTES}_gzip_bytes: $(fig "pages_over_${BUDGET_BYTES}_gzip_bytes" "$S")"
  for k in pages_without_title pages_without_lang pages_without_viewport pages_without_meta_description duplicate_titles; do
    echo "$k: $(fig $k "$S")"; done
  if [ "$LIGHTHOUSE" = 1 ]; then
    for k in performance accessibility best_practices seo largest_contentful_paint; do
      echo "lighthouse_$k: $(fig lighthouse_$k "$L")"; done
  fi
  echo "screenshots: $OUT/index-1280x800.png $OUT/index-390x844.png"
  echo "total_seconds: $(elapsed "$T_START")"
} > "$OUT/summary.txt"
log "SUMMARY"
cat "$OUT/summary.txt"

status=0
for k in html_errors css_errors broken_links broken_fragments axe_serious_or_critical console_errors page_load_failures "pages_over_${BUDGET_BYTES}_gzip_bytes"; do
  v=$(fig "$k" "$OUT/summary.txt")
  if ! [[ "$v" =~ ^[0-9]+$ ]]; then echo "RESULT: $k could not be measured"; status=2
  elif [ "$v" -gt 0 ] && [ $status -ne 2 ]; then status=1; fi
done
case $status in
  0) echo "RESULT: PASS";;
  1) echo "RESULT: FAIL (see above; details in $OUT)";;
  2) echo "RESULT: INCOMPLETE (a required check did not run)";;
esac
exit $status
