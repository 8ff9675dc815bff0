#!/bin/sh
# samples.sh — the committed sample sets give the conclusions their story
# predicts when `compare` judges them with the KB 901014 rules: the
# Windows-shaped set (generated, samples/windows) and the Linux captures
# (samples/linux): the hotfix and the registry setting both effective, every
# run as the rules expect. JSON checked with grep/sed (no python on CI).
. "$abs_top_srcdir/tests/lib.sh"

field() { sed -n 's/^ *"'"$1"'": "\{0,1\}\([^",]*\)"\{0,1\},\{0,1\}$/\1/p' "$2"; }
lines() { tr '\n' ' ' | sed 's/ $//'; }

for set in windows linux; do
  m="$abs_top_srcdir/samples/$set/manifest.yaml"
  ls_run compare -q -o "$TMPD/$set.json" "$m"
  check "$set: compare exits 0 (rc $rc)" test "$rc" = 0
  [ "$rc" = 0 ] || diagnose "$TMPD/err"
  j="$TMPD/$set.json"
  check "$set: hotfix_effective is true" grep -q '"hotfix_effective": true' "$j"
  check "$set: registry_setting_effective is true" \
    grep -q '"registry_setting_effective": true' "$j"
  got=$(field expected "$j" | lines)
  check "$set: expected leak, leak, no-leak (got $got)" test "$got" = "leak leak no-leak"
  got=$(field verdict "$j" | lines)
  check "$set: measured leak, leak, no-leak (got $got)" test "$got" = "leak leak no-leak"
  got=$(field consistent "$j" | lines)
  check "$set: every run consistent (got $got)" test "$got" = "true true true"
  got=$(field assessment "$j" | lines)
  check "$set: assessments ineffective, effective (got $got)" test "$got" = "ineffective effective"
done

# The Windows set's leaks are known: 40960 B per cycle, then none.
got=$(sed -n 's/^ *"bytes_per_cycle": \([-0-9.e+]*\),\{0,1\}$/\1/p' "$TMPD/windows.json" | lines)
check "windows: leaks per cycle near the generated 40960 40960 0 (got $got)" \
  awk -v s="$got" 'BEGIN { n = split(s, a, " ")
    exit !(n == 3 && a[1] > 40700 && a[1] < 41200 && a[2] > 40700 && a[2] < 41200 &&
           a[3] > -64 && a[3] < 64) }'
for r in baseline hotfix hotfix-cleanup; do
  check "windows: $r's export is UTF-16LE with a BOM and CRLF" sh -c \
    "head -c 2 '$abs_top_srcdir/samples/windows/$r/mapi.reg' | od -An -tx1 | grep -q 'ff fe' &&
     od -An -tx1 '$abs_top_srcdir/samples/windows/$r/mapi.reg' | tr -d '\n' | grep -q '0d 00 0a 00'"
done
# The two-leak set: each rule judged on its own kind; the conclusion names
# which fix removed which leak (12 KiB per logon, 40 KiB per load).
j="$TMPD/two-leaks.json"
ls_run compare -q -o "$j" "$abs_top_srcdir/samples/two-leaks/manifest.yaml"
check "two-leaks: compare exits 0 (rc $rc)" test "$rc" = 0
got=$(grep -c '"consistent": true' "$j")
check "two-leaks: 4 runs x (run-level + 2 rules) consistent (got $got)" test "$got" = 12
check "two-leaks: KB 891509's hotfix removed the per-logon leak of ~12 KiB" \
  grep -q "\"text\": \"KB891509's hotfix removed the per-logon leak of 1[12]\.[0-9] KiB (run 'KB 891509 hotfix'); " "$j"
check "two-leaks: the per-load leak of ~40 KiB remains until CleanUpMAPIHeap=1" \
  grep -q "; the per-load leak of \(39\|40\)\.[0-9] KiB remains with KB901014's hotfix alone (run 'KB 901014 hotfix, no CleanUpMAPIHeap') until CleanUpMAPIHeap=1 (run 'KB 901014 hotfix + CleanUpMAPIHeap=1')\.\"" "$j"
# The reports show each run's kinds under it, each rule with its own.
ls_run compare -q -o "$TMPD/two-leaks.md" "$abs_top_srcdir/samples/two-leaks/manifest.yaml"
got=$(grep -c '^| ↳ per logon (KB891509) |' "$TMPD/two-leaks.md")
check "two-leaks: Markdown has a per-logon row under each of the 4 runs (got $got)" test "$got" = 4
check "two-leaks: Markdown's run 2 logon row says no-leak, as KB891509 expects" \
  grep -q '^| ↳ per logon (KB891509) | 3 B (95%: −116 to +121 B) | no-leak | no-leak | yes |  |$' "$TMPD/two-leaks.md"
check "two-leaks: Markdown lists both KBs with their kinds" \
  grep -q '^- KB: \[KB891509\](https://support.microsoft.com/kb/891509) (per logon): ' "$TMPD/two-leaks.md"
ls_run compare -q -o "$TMPD/two-leaks.html" "$abs_top_srcdir/samples/two-leaks/manifest.yaml"
got=$(grep -o '<tr class="kind"><td class="kind">per load:mapi32.dll (KB901014)</td>' "$TMPD/two-leaks.html" | wc -l)
check "two-leaks: HTML has a per-load row under each of the 4 runs (got $got)" test "$got" = 4
# The generated sets are what their scripts write today, to the byte
# (truth.txt included: it is the generator's own record of the run).
for set in windows two-leaks; do
  rm -rf "$TMPD/re-$set" && mkdir "$TMPD/re-$set"
  (cd "$abs_top_builddir" && sh "$abs_top_srcdir/samples/$set/make-samples.sh" "$TMPD/re-$set") \
    >"$TMPD/re.err" 2>&1
  rc=$?
  (cd "$abs_top_srcdir/samples/$set" && find . -type f ! -name make-samples.sh ! -name manifest.yaml |
    sort) >"$TMPD/want" && (cd "$TMPD/re-$set" && find . -type f | sort) >"$TMPD/got"
  same=0
  cmp -s "$TMPD/want" "$TMPD/got" || same=1
  while [ "$same" = 0 ] && read -r f; do
    cmp "$abs_top_srcdir/samples/$set/$f" "$TMPD/re-$set/$f" >>"$TMPD/re.err" 2>&1 || same=1
  done <"$TMPD/want"
  [ "$rc" = 0 ] && [ "$same" = 0 ]
  r=$?
  [ "$r" = 0 ] || { diagnose "$TMPD/re.err"; diff "$TMPD/want" "$TMPD/got" | diagnose; }
  check_status $r "samples/$set/make-samples.sh rewrites the committed files byte for byte"
done
done_testing
