#!/bin/sh
# perfmon_blg.sh — the binary log reader against its oracle: the Windows 10
# .blg holds the same 25 samples as the CSV relog exported, so inspect and
# every counter's series must come out the same, to the last digit; gzipped
# and on standard input too.
. "$abs_top_srcdir/tests/lib.sh"
D=$abs_top_srcdir/tests/data/perfmon
BLG=$D/powershell_countersamples_pst_win10.blg
CSV=$D/powershell_countersamples_pst.csv

# inspect's text without the lines that name the file and its format (the
# zone's name is compared too: the .blg's "@tzres.dll,-212" is read as the
# "Pacific Standard Time" relog prints)
summary() {
  ls_run inspect "$@"
  sed -e '/^file:/d' -e '/^format:/d' "$TMPD/out"
}
summary "$BLG" >"$TMPD/blg.txt"
summary "$CSV" >"$TMPD/csv.txt"
if [ "$rc" = 0 ] && cmp -s "$TMPD/blg.txt" "$TMPD/csv.txt"; then
  ok "inspect: the .blg and its CSV export agree (samples, times, counters, blanks)"
else
  not_ok "inspect: the .blg and its CSV export differ"; diff "$TMPD/csv.txt" "$TMPD/blg.txt" | diagnose
fi

for pat in 'i218-lm' 'wireless-ac 7260' 'isatap.{' 'isatap.jetsoft' 'teredo' \
  'processor time' '% committed' 'cache faults' '% disk time' 'queue length'; do
  ls_run inspect -q -c "$pat" "$BLG"; cp "$TMPD/out" "$TMPD/a"; a=$rc
  ls_run inspect -q -c "$pat" "$CSV"
  [ "$a:$rc" = 0:0 ] && [ -s "$TMPD/a" ] && cmp -s "$TMPD/a" "$TMPD/out"
  check_status $? "inspect -c '$pat': the same series from the .blg as from the CSV"
done

ls_run inspect -f json "$BLG"
grep -q '"format": "blg"' "$TMPD/out" && grep -q '"encoding": "utf-16le"' "$TMPD/out" &&
  grep -q '"bias_minutes": 480' "$TMPD/out"
check_status $? "inspect -f json: format blg, names in UTF-16LE, the zone's bias 480"

# A zone reference leakslope does not know (-999), or a known one on a zone
# whose biases are not that zone's (Eastern's -112 on Pacific's 480): the
# name as stored, the bias still the log's, and a warning that says so. The
# standard name's digits "212" are UTF-16LE at @204, @206, @208.
patch_zone() {
  cp "$BLG" "$TMPD/zone.blg"
  o=204
  for c in $(echo "$1" | sed 's/./& /g'); do
    printf '%s' "$c" | dd of="$TMPD/zone.blg" bs=1 seek=$o conv=notrunc 2>/dev/null
    o=$((o + 2))
  done
  ls_run inspect "$TMPD/zone.blg"
}
patch_zone 999
[ "$rc" = 0 ] && grep -q '^time zone:  @tzres.dll,-999, bias 480 minutes' "$TMPD/out" &&
  grep -q "warning: .*zone.blg: the log names its time zone '@tzres.dll,-999', a reference into Windows's own tzres.dll that leakslope cannot resolve" "$TMPD/err" &&
  grep -q 'the bias, 480 minutes, comes from the zone' "$TMPD/err"
check_status $? "an unknown zone reference: shown as stored, bias 480, with a warning (exit $rc)"
patch_zone 112
[ "$rc" = 0 ] && grep -q '^time zone:  @tzres.dll,-112, bias 480 minutes' "$TMPD/out" &&
  grep -q "time zone '@tzres.dll,-112'" "$TMPD/err"
check_status $? "Eastern's reference on a zone of bias 480 is not named Eastern (exit $rc)"
ls_run inspect -f json "$TMPD/zone.blg"
grep -q '"code": "blg-zone-name"' "$TMPD/out"
check_status $? "... and its diagnostic code is blg-zone-name"

gzip -c <"$BLG" >"$TMPD/log.blg.gz"
summary "$TMPD/log.blg.gz" >"$TMPD/gz.txt"
[ "$rc" = 0 ] && cmp -s "$TMPD/gz.txt" "$TMPD/blg.txt"
check_status $? "a gzipped .blg is read the same (exit $rc)"
ls_run inspect -q -c '% committed' - <"$TMPD/log.blg.gz"
[ "$rc" = 0 ] && [ "$(sed -n 2p "$TMPD/out")" = "2016-11-26T21:46:30.874000Z,86.93735103284412" ]
check_status $? "... and from standard input (exit $rc)"

# Content, not name: the .blg under a .csv name is still read as one.
cp "$BLG" "$TMPD/named.csv"
ls_run inspect -f json "$TMPD/named.csv"
check "a .blg named .csv is read as a .blg (exit $rc)" grep -q '"format": "blg"' "$TMPD/out"

# analyze and compare take a .blg: a generated run written as a .blg
# (tests/gen/csv2blg) gives the very result its CSV gives, and the shipped
# sample's .blg run is the same as its CSV.
S=$abs_top_srcdir/samples/windows
"$abs_top_builddir/tests/gen/csv2blg" "$S/baseline/counters.csv" "$TMPD/base.blg"
check "csv2blg writes the baseline run as a .blg" test -s "$TMPD/base.blg"
# analyze -f json without what names the input (file, size, hash, format)
result() {
  ls_run analyze -f json -p mapitest -e "$1" "$2"
  grep -v -e '"counters_file"' -e '"name"' -e '"size"' -e '"sha256"' -e '"format"' \
    -e '"encoding"' -e '"command_line"' -e '\.blg\|\.csv' "$TMPD/out"
}
result "$S/baseline/xperf.txt.gz" "$TMPD/base.blg" >"$TMPD/a.json"; a=$rc
result "$S/baseline/xperf.txt.gz" "$S/baseline/counters.csv" >"$TMPD/b.json"
[ "$a:$rc" = 0:0 ] && cmp -s "$TMPD/a.json" "$TMPD/b.json"
check_status $? "analyze: the same leak, interval and verdict from the .blg as from the CSV"
result "$S/hotfix/xperf.txt.gz" "$S/hotfix/counters.blg.gz" >"$TMPD/a.json"; a=$rc
result "$S/hotfix/xperf.txt.gz" "$S/hotfix/counters.csv" >"$TMPD/b.json"
[ "$a:$rc" = 0:0 ] && cmp -s "$TMPD/a.json" "$TMPD/b.json"
check_status $? "samples/windows: the hotfix run's counters.blg.gz is its counters.csv"
# Process(*) logged as a wildcard: mapitest starts after the first sample,
# and is found (the file is scanned for instances before it is read).
result "$S/baseline/xperf.txt.gz" "$S/baseline/counters.csv" >"$TMPD/b.json"
"$abs_top_builddir/tests/gen/csv2blg" -w "$S/baseline/counters.csv" "$TMPD/wild.blg"
result "$S/baseline/xperf.txt.gz" "$TMPD/wild.blg" >"$TMPD/a.json"; a=$rc
[ "$a:$rc" = 0:0 ] && cmp -s "$TMPD/a.json" "$TMPD/b.json"
check_status $? "a wildcard Process(*) whose instance appears later: the same analysis as the CSV's"
ls_run inspect - <"$TMPD/wild.blg"
[ "$rc" = 0 ] && grep -q "instance 'mapitest' of Process first appears in sample 4" "$TMPD/err" &&
  ! grep -q 'Process(mapitest)' "$TMPD/out"
check_status $? "... read from standard input: the later instance is left out, with a warning (exit $rc)"
# A log appended to (a second counter list, csv2blg -a/-A): the same
# counters read on, as if the list were not there; other counters leave the
# samples after it out, with a warning that says where and from which sample.
summary "$S/baseline/counters.csv" >"$TMPD/csv.txt"
"$abs_top_builddir/tests/gen/csv2blg" -a 5 "$S/baseline/counters.csv" "$TMPD/again.blg"
summary "$TMPD/again.blg" >"$TMPD/again.txt"
[ "$rc" = 0 ] && cmp -s "$TMPD/again.txt" "$TMPD/csv.txt" && [ ! -s "$TMPD/err" ]
check_status $? "appended with the same counters: read as the CSV, all 1208 samples, no warning"
"$abs_top_builddir/tests/gen/csv2blg" -A 5 "$S/baseline/counters.csv" "$TMPD/other.blg"
ls_run inspect "$TMPD/other.blg"
[ "$rc" = 0 ] && grep -q '^samples:    4$' "$TMPD/out" &&
  grep -q 'a second counter list at @[0-9]* (the log was appended to) has other counters (11, the first 12): the samples after it, from sample 5 on, are left out' "$TMPD/err"
check_status $? "appended with other counters: 4 samples, then a warning naming the list's offset (exit $rc)"
sed "s|counters: \(.*\)/counters.*|counters: $TMPD/\1.blg|" "$S/manifest.yaml" |
  sed "s|: \([a-z][a-z-]*\)/|: $S/\1/|" >"$TMPD/manifest.yaml"
for r in baseline hotfix hotfix-cleanup; do
  "$abs_top_builddir/tests/gen/csv2blg" "$S/$r/counters.csv" "$TMPD/$r.blg"
done
ls_run compare -q -f json "$TMPD/manifest.yaml"
[ "$rc" = 0 ] && [ "$(grep -c '"format": "blg"' "$TMPD/out")" = 3 ] &&
  grep -q '"hotfix_effective": true' "$TMPD/out"
check_status $? "compare: a manifest of three .blg runs is judged as the CSV runs are (exit $rc)"
[ "$rc" = 0 ] || diagnose "$TMPD/err"

done_testing
