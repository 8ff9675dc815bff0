#!/bin/sh
# check-layout.sh — the HTML report as Chromium lays it out: screenshots at
# 1280 px, a print to PDF on A4 and on Letter, and a check that no table is
# wider than the page, on screen (every <details> opened, the worst case) and
# with the print styles on the printable width of A4 and Letter. Offline: the
# report loads nothing, and Chromium's background fetches are off.
# Not part of `make check` (Chromium is heavy); exits 77 (skip) without it.
#
#   tests/browser/check-layout.sh [REPORT.html ...]
#
# Without reports, checks the hand-built sample, its hostile-names twin and
# its contradiction (a fixed run that still leaks), from
# tests/unit/test_report --write; when gnuplot is found, the README's compare
# of samples/linux with its plots; and the scan page of tests/gen-scan.awk's
# log. Pictures and PDFs go to
# $LAYOUT_OUT (default: ./layout-out); look at them. TAP on stdout.
set -u

browser=
for b in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
  if [ -n "$b" ] && command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
  echo "1..0 # SKIP chromium not found (apt-get install chromium)"
  exit 77
fi
src=${abs_top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${abs_top_builddir:-$(pwd)}
out=${LAYOUT_OUT:-$(pwd)/layout-out}
mkdir -p "$out"
case $out in /*) ;; *) out="$(pwd)/$out" ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/leakslope-layout.XXXXXX")
trap 'rm -rf "$work"' EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

chrome() {
  timeout 180 "$browser" --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update --disable-sync \
    --no-first-run --no-default-browser-check --disable-extensions \
    --hide-scrollbars --user-data-dir="$work/profile" "$@" 2>>"$work/chromium.log"
}

# The measuring script, added to a copy of the report only: it opens every
# <details>, then records each table wider than the page's text column (the
# body's content box; or than itself: a scrolled table) and the page's own
# overflow in body[data-layout].
probe='<script>(function(){
document.querySelectorAll("details").forEach(function(d){d.open=true;});
var w=document.documentElement.clientWidth,bad=[];
var cs=getComputedStyle(document.body),br=document.body.getBoundingClientRect();
var cw=Math.min(w,br.right-parseFloat(cs.paddingRight));
document.querySelectorAll("table").forEach(function(t,i){
var r=t.getBoundingClientRect();
if(r.right>cw+0.5||t.scrollWidth>t.clientWidth+1)
bad.push((t.className||("table"+i))+":"+Math.round(r.right)+">"+Math.round(cw));});
var sw=document.documentElement.scrollWidth;if(sw>w+0.5)bad.push("page:"+sw+">"+w);
document.body.setAttribute("data-layout",bad.length?"FAIL "+bad.join(" "):"OK "+w);
})();</script>'

# layout NAME REPORT WIDTH PRINT: the probe's verdict at WIDTH css px; with
# PRINT, the print styles apply on screen (as "@media all").
layout() {
  copy="$work/$1-$3.html"
  if [ "$4" = print ]; then
    sed 's/@media print{/@media all{/' "$2" >"$copy.tmp"
  else
    cp "$2" "$copy.tmp"
  fi
  sed "s#</body>#$(printf '%s' "$probe" | tr -d '\n' | sed 's/[&#]/\\&/g')</body>#" \
    "$copy.tmp" >"$copy"
  chrome --dump-dom --window-size="$3,2000" "file://$copy" >"$copy.dom"
  sed -n 's/.*data-layout="\([^"]*\)".*/\1/p' "$copy.dom" | sed 's/&gt;/>/g' | head -n 1
}

# check_report NAME REPORT
check_report() {
  name=$1 report=$2
  for spec in "1280 screen screen at 1280 px" "703 print A4 (186 mm printable, 96 dpi)" \
              "725 print Letter (192 mm printable)"; do
    set -- $spec
    w=$1 mode=$2; shift 2
    got=$(layout "$name" "$report" "$w" "$mode")
    case $got in
      OK*) ok "$name: no table wider than the page, $* (details open)" ;;
      "") not_ok "$name: $*: Chromium gave no layout"; sed 's/^/# /' "$work/chromium.log" | tail -5 ;;
      *) not_ok "$name: $*: $got" ;;
    esac
  done
  rm -f "$out/$name-1280.png"
  chrome --screenshot="$out/$name-1280.png" --window-size=1280,3000 "file://$report" >/dev/null
  if [ -s "$out/$name-1280.png" ]; then ok "$name: screenshot $out/$name-1280.png"
  else not_ok "$name: no screenshot"; fi
  for paper in A4 Letter; do
    sed "s#</style>#@page{size:$paper}</style>#" "$report" >"$work/$name-$paper.html"
    rm -f "$out/$name-$paper.pdf"
    chrome --no-pdf-header-footer --print-to-pdf="$out/$name-$paper.pdf" \
      "file://$work/$name-$paper.html" >/dev/null
    if [ "$(head -c 5 "$out/$name-$paper.pdf" 2>/dev/null)" != "%PDF-" ]; then
      not_ok "$name: no PDF on $paper"; continue
    fi
    ok "$name: printed to $out/$name-$paper.pdf"
    if command -v pdftotext >/dev/null 2>&1 && command -v xmllint >/dev/null 2>&1; then
      # every table's last column header is in the printed text: no column cut off
      pdftotext -layout "$out/$name-$paper.pdf" - | tr -s ' \n' '  ' >"$work/pdf.txt"
      missing=
      k=1
      while :; do
        head=$(xmllint --html --xpath "string((//table)[$k]//tr[1]/th[last()])" "$report" 2>/dev/null)
        [ -n "$head" ] || break
        word=$(printf '%s' "$head" | awk '{print $NF}')
        grep -qF -- "$word" "$work/pdf.txt" || missing="$missing '$head'"
        k=$((k + 1))
      done
      if [ -z "$missing" ]; then ok "$name: $paper keeps every table's last column ($((k - 1)) tables)"
      else not_ok "$name: $paper cut off the last column of:$missing"; fi
    fi
  done
}

if [ $# -gt 0 ]; then
  for r in "$@"; do
    case $r in /*) ;; *) r="$(pwd)/$r" ;; esac
    check_report "$(basename "$r" .html)" "$r"
  done
else
  gen="$build/tests/unit/test_report"
  [ -x "$gen" ] || { echo "Bail out! $gen not built (make check first)"; exit 1; }
  mkdir "$work/sample"
  abs_top_srcdir=$src "$gen" --write "$work/sample" >/dev/null
  check_report sample "$work/sample/report.html"
  check_report hostile "$work/sample/hostile.html"
  check_report contradiction "$work/sample/contradiction.html"
  if [ -x "$build/src/leakslope" ] && "${GNUPLOT:-gnuplot}" -e exit 2>/dev/null; then
    mkdir -p "$work/readme"
    (cd "$src" && SOURCE_DATE_EPOCH=1790000000 LEAKSLOPE_DATADIR="$src/formats" \
      "$build/src/leakslope" compare -q samples/linux/manifest.yaml \
      -o "$work/readme/report.html" --plots "$work/readme/plots") >/dev/null 2>&1
    if [ -s "$work/readme/report.html" ]; then check_report readme "$work/readme/report.html"
    else not_ok "the README's compare wrote no report"; fi
  fi
  # the scan page of tests/scan.sh's whole-machine log (leaker, decoy, restart, ...)
  if [ -x "$build/src/leakslope" ]; then
    mkdir -p "$work/scan"
    awk -v dir="$work/scan" -f "$src/tests/gen-scan.awk" &&
      "$build/src/leakslope" scan -q -e "$work/scan/events.csv" \
        -o "$work/scan/scan.html" "$work/scan/counters.csv" >/dev/null 2>&1
    if [ -s "$work/scan/scan.html" ]; then check_report scan "$work/scan/scan.html"
    else not_ok "scan wrote no page"; fi
  fi
fi
echo "1..$n"
[ "$failed" -eq 0 ]
