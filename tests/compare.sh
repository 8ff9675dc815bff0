#!/bin/sh
# compare.sh — `leakslope compare` end to end on generated runs with known
# truth (tests/gen/gen-capture): the KB 901014 story (no hotfix / hotfix only /
# hotfix + CleanUpMAPIHeap=1) gives the conclusions the rules predict; a run
# that contradicts the rules is said to; evidence quirks (a string "1", a
# `reg export` in UTF-16LE), manifest errors and exit codes; every output
# format; plots with and without gnuplot; hostile names stay text.
# JSON is checked with grep/sed (python is not a build dependency).
. "$abs_top_srcdir/tests/lib.sh"
gen="$abs_top_builddir/tests/gen/gen-capture"
cd "$TMPD" || exit 1

# run DIR LEAK SEED: a small generated run (120 cycles, 1 s samples, 2 KiB noise).
# (the generator runs natively: gen-capture.sh checks it under valgrind)
run() { "$gen" -s clean -n 120 -e 2048 -l "$2" -S "$3" --xperf "$1" >/dev/null; }
run base 40960 1 && run hot 40960 2 && run fix 0 3 && run bad 40960 4 ||
  { echo "Bail out! gen-capture failed"; exit 1; }

# reg FILE [VALUE-LINE]: a `reg export` file: UTF-16LE with a BOM, CRLF.
reg() {
  { printf 'Windows Registry Editor Version 5.00\r\n\r\n'
    printf '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Messaging Subsystem]\r\n'
    printf '"MAPI"="1"\r\n'
    [ $# -gt 1 ] && printf '%s\r\n' "$2"
    printf '\r\n'; } >"$1.utf8"
  { printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$1.utf8"; } >"$1"
}
reg hot/mapi.reg '"CleanUpMAPIHeap"=dword:00000000'
reg fix/mapi.reg '"CleanUpMAPIHeap"=dword:00000001'
reg fix/string.reg '"CleanUpMAPIHeap"="1"'
check "the .reg file is UTF-16LE with a BOM" \
  test "$(head -c 4 hot/mapi.reg | od -An -tx1 | tr -d ' \n')" = fffe5700

head3='rules: kb901014
process: mapitest
module: mapi32.dll'
# manifest FILE FIX-DIR [EXTRA-LINES]: three runs; the third from FIX-DIR.
manifest() {
  { echo "$head3"; [ -n "${3:-}" ] && printf '%s\n' "$3"
    cat <<M
runs:
  - name: no hotfix
    counters: base/counters.csv
    events: base/xperf.txt
    module_version: 6.5.7226.0
    registry_values: {CleanUpMAPIHeap: 0}
  - name: hotfix only
    counters: hot/counters.csv
    events: hot/events.csv
    module_version: 6.5.7233.46
    registry: hot/mapi.reg
  - name: hotfix + CleanUpMAPIHeap=1
    counters: $2/counters.csv
    events: $2/events.csv
    module_version: 6.5.7233.46
    registry: fix/mapi.reg
M
  } >"$1"
}
# field NAME FILE: the values of a JSON field, one a line, in order.
field() { sed -n 's/^ *"'"$1"'": "\{0,1\}\([^",]*\)"\{0,1\},\{0,1\}$/\1/p' "$2"; }
lines() { tr '\n' ' ' | sed 's/ $//'; }

# --- the three runs the KB predicts ---------------------------------------
manifest m.yaml fix
ls_run compare --fail-on-leak -o r.json m.yaml
check "compare exits 0 with --fail-on-leak when the fixed run does not leak (rc $rc)" test "$rc" = 0
[ "$rc" = 0 ] || diagnose "$TMPD/err"
check "the summary goes to stdout and names the report" grep -q 'r.json' out
check "hotfix_effective is true" grep -q '"hotfix_effective": true' r.json
check "registry_setting_effective is true" grep -q '"registry_setting_effective": true' r.json
got=$(field expected r.json | lines)
check "expected per run: leak leak no-leak (got $got)" test "$got" = "leak leak no-leak"
got=$(field consistent r.json | lines)
check "every run is consistent with the rules (got $got)" test "$got" = "true true true"
got=$(field verdict r.json | lines)
check "measured verdicts: leak leak no-leak (got $got)" test "$got" = "leak leak no-leak"
got=$(field assessment r.json | lines)
check "assessments: hotfix only ineffective, full fix effective (got $got)" \
  test "$got" = "ineffective effective"
got=$(field baseline r.json | lines)
check "the baseline is the first run (got $got)" test "$got" = "no hotfix no hotfix no hotfix"
got=$(field hotfix r.json | lines)
check "the evidence judges the hotfix from the versions (got $got)" test "$got" = "false true true"
check "the UTF-16LE export's CleanUpMAPIHeap=1 was read" grep -q '"settings_ok": true' r.json
got=$(sed -n '/"comparisons"/,/"conclusion"/p' r.json | field reduction /dev/stdin | lines)
check "reductions: ~0 and 40960 B per cycle (got $got)" \
  awk -v s="$got" 'BEGIN { split(s, a, " "); exit !(a[1] > -100 && a[1] < 100 && a[2] > 40400 && a[2] < 41500) }'

# --- every output format ----------------------------------------------------
have_gnuplot=false
"${GNUPLOT:-gnuplot}" -e 'exit' >/dev/null 2>&1 && have_gnuplot=true
for f in md yaml html; do
  ls_run compare -q -o "r.$f" m.yaml
  check "-o r.$f exits 0 and writes it (rc $rc)" test "$rc" = 0 -a -s "r.$f"
done
check "the YAML report has the conclusion" grep -q 'hotfix_effective: true' r.yaml
check "the Markdown report has the runs" grep -q 'hotfix + CleanUpMAPIHeap=1' r.md
check "the HTML report answers first: fixed, with the module version and the setting" \
  grep -q '<p class="answer-line">Fixed: with mapi32.dll 6.5.7233.46 and CleanUpMAPIHeap=1 the leak of 40.0 KiB per load/unload is gone.</p>' r.html
check "... names the KB with its link and title" \
  grep -q '<dt>KB</dt><dd><a href="https://support.microsoft.com/kb/901014">KB901014</a>: You experience memory leaks' r.html
check "... and the host, the run dates and when it was made" \
  sh -c 'grep -q "<dt>Hosts</dt><dd>" r.html && grep -q "<dt>Runs</dt><dd>[0-9-]* [0-9:]*–" r.html && grep -q "<dt>Report made</dt>" r.html'
check "the JSON runs say when they were measured" grep -q '"first_utc": "[0-9-]*T' r.json
check "the JSON rules carry the KB link" grep -q '"url": "https://support.microsoft.com/kb/901014"' r.json
check "the HTML report loads nothing from the network" sh -c '! grep -q "src=\"http" r.html'
check "the HTML report has no external stylesheet or script" \
  sh -c '! grep -qi "<link\|<script" r.html'
if $have_gnuplot; then
  check "the HTML report embeds its plots as base64 SVG" grep -q 'src="data:image/svg+xml;base64,' r.html
  ls_run compare -q --plots plots -o p.json m.yaml
  check "--plots exits 0 (rc $rc)" test "$rc" = 0
  mkdir -p sub
  ls_run compare -q --plots plots -o sub/p.md m.yaml
  check "Markdown in another folder links the plots relative to itself (../plots/)" \
    sh -c 'grep -q "](../plots/compare-leak.svg)" sub/p.md && ! grep -q "](plots/" sub/p.md'
  check "... and every linked plot exists from there" \
    sh -c 'cd sub && sed -n "s/^!\[.*\](\(.*\))$/\1/p" p.md | while read -r f; do test -s "$f" || exit 1; done'
  for x in png svg gp dat; do
    n=$(find plots -name "*.$x" -size +0 | wc -l)
    check "--plots keeps .$x files ($n)" test "$n" -ge 3
  done
else
  ok "# SKIP gnuplot not installed: no embedded plots"
fi

# --- no gnuplot -------------------------------------------------------------
GNUPLOT="$TMPD/no-such-gnuplot"; export GNUPLOT
ls_run compare -q --plots plots2 -o ng.html m.yaml
check "--plots without gnuplot exits 69 (rc $rc)" test "$rc" = 69
check "... after writing the report" test -s ng.html
check "... and says gnuplot is missing" grep -qi gnuplot err
ls_run compare -q -o ng.md m.yaml
check "without --plots and gnuplot the report is written, exit 0 (rc $rc)" test "$rc" = 0 -a -s ng.md
check "... and the Markdown has no placeholder Plots section" sh -c '! grep -q "^## Plots" ng.md'
check "... the HTML written with --plots says why it has none" grep -q 'No plots in this report: .*gnuplot' ng.html
unset GNUPLOT

# --- baseline: --------------------------------------------------------------
manifest mb.yaml fix 'baseline: hotfix only'
ls_run compare -q -o b.json mb.yaml
got=$(field baseline b.json | lines)
check "baseline: picks the baseline run (got $got)" test "$got" = "hotfix only hotfix only hotfix only"
got=$(sed -n '/"comparisons"/,/"conclusion"/p' b.json | field run /dev/stdin | lines)
check "... and compares the other two with it (got $got)" test "$got" = "no hotfix hotfix + CleanUpMAPIHeap=1"

# --- byte counts with a suffix, as on the command line ----------------------
manifest ms2.yaml fix 'tolerance: 1k
limit: 2G'
ls_run compare -q -o s2.json ms2.yaml
got=$(field tolerance_bytes_per_cycle s2.json | sort -u | lines)
lim=$(field limit_bytes s2.json | sort -u | lines)
[ "$rc" = 0 ] && [ "$got" = 1024 ] && [ "$lim" = 2147483648 ]
check_status $? "manifest tolerance: 1k and limit: 2G read as --tolerance 1k --limit 2G (rc $rc, $got, $lim)"
[ "$rc" = 0 ] || diagnose "$TMPD/err"
manifest ms3.yaml fix 'limit: 2X'
ls_run compare -q -o s3.json ms3.yaml
[ "$rc" = 65 ] && grep -q "ms3.yaml:4:8: limit wants a number of bytes not below 0" err
check_status $? "manifest limit: 2X: an error naming the key at its value (rc $rc)"
[ "$rc" = 65 ] || diagnose "$TMPD/err"

# --- the fix in place, but the run leaks -----------------------------------
manifest mc.yaml bad
ls_run compare -o c.json mc.yaml
check "a contradiction alone exits 0 without --fail-on-leak (rc $rc)" test "$rc" = 0
got=$(field consistent c.json | lines)
check "the leaking fixed run is not consistent (got $got)" test "$got" = "true true false"
check "hotfix_effective is false" grep -q '"hotfix_effective": false' c.json
check "the text says the fix did not stop the leak" \
  grep -qi '"text": ".*\(still leaks\|contradict\|does not stop\)' c.json
check "the text summary says so too" grep -qi 'still leaks\|contradict\|does not stop' out
ls_run compare -q -o c.html mc.yaml
check "the HTML answer line says the fixed run still leaks" \
  grep -q "<p class=\"answer-line\">Not fixed: run &#39;hotfix + CleanUpMAPIHeap=1&#39; has mapi32.dll 6.5.7233.46 and CleanUpMAPIHeap=1, yet it still leaks" c.html
check "... in the contradiction style, with an alert saying what to check" \
  sh -c 'grep -q "<section class=\"answer contradiction\">" c.html && grep -q "<section class=\"alert\" role=\"alert\">" c.html && grep -q "Check that the process really loaded" c.html'
ls_run compare -q --fail-on-leak -o c.json mc.yaml
check "--fail-on-leak exits 1 when the fixed run leaks (rc $rc)" test "$rc" = 1

# --- evidence quirks --------------------------------------------------------
manifest ms.yaml fix
sed -i 's#registry: fix/mapi.reg#registry: fix/string.reg#' ms.yaml
ls_run compare -o s.json ms.yaml
check "a string \"1\" is not the DWORD: compare still exits 0 (rc $rc)" test "$rc" = 0
check "... with a type-mismatch warning" grep -qi 'CleanUpMAPIHeap.*\(type\|dword\|string\)' err
check "... that names the run" grep -q "run 'hotfix + CleanUpMAPIHeap=1': CleanUpMAPIHeap" err
got=$(field expected s.json | lines)
check "... and expected unknown for that run (got $got)" test "$got" = "leak leak unknown"

manifest mi.yaml fix
sed -i 's#registry: fix/mapi.reg#registry_values: {CleanUpMAPIHeap: "1"}#' mi.yaml
ls_run compare -q -o i.json mi.yaml
got=$(field expected i.json | lines)
check "an inline string \"1\" gives expected unknown too (got $got)" test "$got" = "leak leak unknown"

# --- errors -----------------------------------------------------------------
manifest mu.yaml fix
sed -i 's#^    module_version: 6.5.7226.0#    modul_version: 6.5.7226.0#' mu.yaml
ls_run compare -o u.json mu.yaml
check "an unknown manifest key exits 65 (rc $rc)" test "$rc" = 65
check "... with FILE:LINE:COL (mu.yaml:8:5)" grep -q '^leakslope: mu.yaml:8:5: .*modul_version' err
[ "$rc" = 65 ] || diagnose err
check "... and writes no report" test ! -e u.json

manifest mm.yaml fix; sed -i "s#fix/counters.csv#fix/missing.csv#" mm.yaml
ls_run compare -o m2.json mm.yaml
check "a missing counter file exits 66 (rc $rc)" test "$rc" = 66
check "... naming the file" grep -q 'fix/missing.csv' err

ls_run compare -o report.txt m.yaml
check "-o report.txt exits 0: .txt is the text summary (rc $rc)" test "$rc" = 0
check "... and writes it" grep -q '^Conclusion: ' report.txt
ls_run compare -o report.pdf m.yaml
check "-o report.pdf exits 2: the format cannot be told (rc $rc)" test "$rc" = 2
check "... and says which extensions work" grep -q '\.html' err
check "... and writes nothing" test ! -e report.pdf

# --- hostile names stay text ------------------------------------------------
# A process named like this in both the counter log and the trace, and a run
# name holding the same characters and a line break.
evil="x'y\`z system(\"touch PWNED\") <script>alert(1) _a|b"
mkdir -p evil
# the name as a sed replacement, with the CSV quotes doubled
sevil=$(printf '%s' "$evil" | sed 's/[&/\\]/\\&/g; s/"/""/g')
sed "s/(mapitest)/($sevil)/g" base/counters.csv >evil/counters.csv
sed "s/,mapitest.exe,/,\"$sevil.exe\",/g" base/events.csv >evil/events.csv
yevil=$(printf '%s' "$evil" | sed 's/["\\]/\\&/g')
cat >me.yaml <<M
rules: kb901014
module: mapi32.dll
process: "$yevil"
runs:
  - name: "run $yevil </script>\\nsecond line"
    counters: evil/counters.csv
    events: evil/events.csv
    module_version: 6.5.7226.0
  - name: fixed
    counters: fix/counters.csv
    events: fix/events.csv
    process: mapitest
    module_version: 6.5.7233.46
    registry_values: {CleanUpMAPIHeap: 1}
M
ls_run compare -q --plots eplots -o e.html me.yaml
check "compare takes the hostile names (rc $rc)" test "$rc" = 0
[ "$rc" = 0 ] || diagnose err
ls_run compare -q -o e.md me.yaml
check "... and writes Markdown too (rc $rc)" test "$rc" = 0
check "no PWNED file was created" \
  test -z "$(find "$TMPD" . -name PWNED 2>/dev/null)"
check "the HTML has no <script> element" sh -c '! grep -qi "<script" e.html'
check "the HTML escapes the names" grep -q '&lt;script&gt;alert(1) _a|b &lt;/script&gt;' e.html
check "the run name reaches the HTML" grep -q 'system(&quot;touch PWNED&quot;)\|system(&#34;touch PWNED&#34;)\|system("touch PWNED")' e.html
check "the Markdown has no raw <script>" sh -c '! grep -q "<script>" e.md'
check "the Markdown escapes the pipe and underscore" grep -q '\\|b' e.md
check "the line break in the run name does not break the Markdown table" \
  sh -c '! grep -q "^second line" e.md'
if $have_gnuplot; then
  check "the hostile names reach the plots as text (noenhanced)" grep -q noenhanced eplots/*.gp
fi
# a fixed run whose leak stopped halfway: the report says the slope changed
# and judges the part after it
"$gen" -s clean -n 600 -l 40960 --leak-until 300 -S 5 stopped >/dev/null
manifest mstop.yaml stopped
ls_run compare -o stop.md mstop.yaml
check "a run whose leak stopped: compare exits 0 (rc $rc)" test "$rc" = 0
check "... the summary says that run's leak per cycle changed" \
  grep -q 'CleanUpMAPIHeap=1: .*(after the leak per cycle changed during the run)' out
check "... the Markdown names the cycle and what it leaked before" \
  grep -q '(the leak per cycle changed at cycle [0-9,]* from 40.0 KiB (95%: [0-9.]*–[0-9.]* KiB); this is the part after it)' stop.md
ls_run compare -f json -o stop.json mstop.yaml
check "... the JSON run has slope_change with at_cycle" grep -q '"at_cycle": ' stop.json
# A warning's times as the rest of the report says time: on the run's log
# clock, to the second, the zone once; the JSON keeps UTC with microseconds.
wz="$abs_top_srcdir/tests/data/cmpgold/wrong-zone.yaml"
ls_run compare -q -f md -o wz.md "$wz"
check "a warning in the Markdown: log clock, no microseconds (rc $rc)" \
  grep -q '^- off: no cycle falls inside the counter log.s time span (log 2026-03-05 22:58:05 to 2026-03-05 22:58:30, trace 2026-03-05 20:58:08 to 2026-03-05 20:58:21): .* (times in UTC−01:00)$' wz.md
check "... the clock of the report's run dates" grep -q '^- Runs: 2026-03-05 22:58:05–22:58:30 (UTC−01:00)$' wz.md
ls_run compare -q -f html -o wz.html "$wz"
check "... and in the HTML" grep -q '<li>off: no cycle falls .*(log 2026-03-05 22:58:05 to 2026-03-05 22:58:30, .* (times in UTC−01:00)</li>' wz.html
check "... no time with microseconds in either" sh -c '! grep -q "[0-9]T[0-9:]*\.[0-9]*Z" wz.md wz.html'
ls_run compare -q -f json "$wz"
check "... while the JSON warning keeps UTC with microseconds" \
  grep -q '"no cycle falls inside the counter log.s time span (log 2026-03-05T23:58:05.000000Z to ' out
done_testing
