#!/bin/sh
# report.sh — the HTML reports of the hand-built sample parse: strictly as
# XML (well-formed), and with xmllint's HTML parser, which must recover each
# hostile name as exactly the text it was, with no <script> element.
# Skips without xmllint.
. "$abs_top_srcdir/tests/lib.sh"
command -v xmllint >/dev/null 2>&1 || skip_all "xmllint not installed"

gen="$abs_top_builddir/tests/unit/test_report"
if $LEAKSLOPE_RUN "$gen" --write "$TMPD" >"$TMPD/tap" 2>&1; then
  ok "test_report --write renders the sample reports"
else
  not_ok "test_report --write renders the sample reports"; diagnose "$TMPD/tap"
fi

for f in report.html hostile.html; do
  [ -f "$TMPD/$f" ] || { ok "# SKIP $f not written (no gnuplot)"; continue; }
  check "$f is well-formed XML" xmllint --noout "$TMPD/$f"
  # HTML5 sectioning tags are unknown to libxml2's HTML 4 parser; nothing else may be.
  xmllint --html --noout "$TMPD/$f" 2>&1 | grep 'error' |
    grep -v 'Tag \(section\|figure\|figcaption\|details\|summary\) invalid' >"$TMPD/errs" || true
  if [ -s "$TMPD/errs" ]; then not_ok "$f parses as HTML"; diagnose "$TMPD/errs"
  else ok "$f parses as HTML (HTML5 tags aside)"; fi
done

h="$TMPD/hostile.html"
n=$(xmllint --html --xpath 'count(//script)' "$h" 2>/dev/null)
check "hostile.html has no <script> element (count $n)" test "$n" = 0
got=$(xmllint --html --xpath 'string(//table[@class="runs"]//tr[2]/td[1])' "$h" 2>/dev/null)
want=$(printf '_Total <script>alert(1)</script> | it'"'"'s `x` system("touch PWNED")\n# heading [link](javascript:x) *b* &amp; 1. \320\237\321\200\320\276')
check "the hostile run name reads back as the same text" test "$got" = "$want"
got=$(xmllint --html --xpath 'string(//details[@class="conclusion"]/p)' "$h" 2>/dev/null)
check "the hostile conclusion text reads back as the same text" test "$got" = "$want"
got=$(xmllint --html --xpath 'string(//p[@class="answer-line"])' "$TMPD/report.html" 2>/dev/null)
check "report.html: the answer line is the first paragraph a reader sees ($got)" \
  test "$got" = "Fixed: with mapi32.dll 6.5.7233.46 and CleanUpMAPIHeap=1 the leak of 40.0 KiB per load/unload is gone."
n=$(xmllint --html --xpath 'count(//table[@class="runs"]//td[@class="evidence"]/details)' "$TMPD/report.html" 2>/dev/null)
check "report.html: each run's evidence details are folded in <details> ($n)" test "$n" = 3
done_testing
