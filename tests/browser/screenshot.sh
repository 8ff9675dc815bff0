#!/bin/sh
# screenshot.sh — open an HTML report in headless Chromium and save a PNG of
# it, to look at the page as a browser renders it (offline: no network).
# Not part of `make check` (Chromium is heavy); exits 77 (skip) without it.
#
#   tests/browser/screenshot.sh [REPORT.html [OUT.png]]
#
# Without REPORT.html, renders the hand-built sample (with real plots when
# gnuplot is found) through tests/unit/test_report --write, from the build
# folder ($abs_top_builddir, else the current folder). OUT.png defaults to
# report-screenshot.png in the current folder. SCREENSHOT_SIZE=W,H changes the
# window (default 1280,2000; the page below it is cut off).
set -eu

browser=
for b in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
  if [ -n "$b" ] && command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
  echo "screenshot.sh: SKIP: chromium not found (apt-get install chromium)" >&2
  exit 77
fi

report=${1:-}
out=${2:-report-screenshot.png}
work=$(mktemp -d "${TMPDIR:-/tmp}/leakslope-shot.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -z "$report" ]; then
  build=${abs_top_builddir:-$(pwd)}
  gen="$build/tests/unit/test_report"
  [ -x "$gen" ] || { echo "screenshot.sh: $gen not built (make check first)" >&2; exit 1; }
  mkdir "$work/sample"
  "$gen" --write "$work/sample" >/dev/null
  report="$work/sample/report.html"
fi
[ -f "$report" ] || { echo "screenshot.sh: $report: no such file" >&2; exit 66; }
case $report in /*) ;; *) report="$(pwd)/$report" ;; esac
case $out in /*) ;; *) out="$(pwd)/$out" ;; esac

# Chromium refuses to run as root without --no-sandbox; the profile is a
# throw-away folder, and every background fetch is off.
rm -f "$out"
timeout 180 "$browser" --headless --no-sandbox --disable-gpu \
  --disable-background-networking --disable-component-update --disable-sync \
  --no-first-run --no-default-browser-check --disable-extensions \
  --hide-scrollbars --user-data-dir="$work/profile" \
  --screenshot="$out" --window-size="${SCREENSHOT_SIZE:-1280,2000}" "file://$report" \
  >"$work/chromium.log" 2>&1 || true

if [ -s "$out" ] && [ "$(head -c 8 "$out" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ]; then
  echo "screenshot.sh: wrote $out"
else
  echo "screenshot.sh: chromium wrote no PNG; its log:" >&2
  sed 's/^/  /' "$work/chromium.log" >&2
  exit 1
fi
