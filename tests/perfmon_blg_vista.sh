#!/bin/sh
# perfmon_blg_vista.sh — Vista's whole-object snapshots (record kind 5, a
# PERF_DATA_BLOCK per object and sample) decoded, in the corpus's PAL log
# (pal_samplelog_vista_est.blg: 8 objects logged as Object(*)\*, 11 samples).
# There is no CSV export of it, so the values are checked against what is
# true of them independently of leakslope's decoding:
#  - bytes read by hand from the file (smss's Private Bytes is the u64 at
#    @183048: 00 f0 03 00 00 00 00 00 = 258048);
#  - perflib's own sums: Process(_Total) is the sum of the instances;
#  - two objects that measure the same thing with different counter types:
#    Processor(_Total)\% Processor Time (PERF_100NSEC_TIMER_INV) and
#    Process(Idle)\% Processor Time (PERF_100NSEC_TIMER) add up to 100 on
#    this one-processor machine;
#  - magnitudes: Working Set <= Virtual Bytes, an Elapsed Time that grows as
#    fast as the clock, % Committed Bytes In Use = Committed / Limit.
. "$abs_top_srcdir/tests/lib.sh"
{ [ -n "${LEAKSLOPE_CORPUS:-}" ] && [ -d "$LEAKSLOPE_CORPUS" ]; } || corpus_dir
L=$LEAKSLOPE_CORPUS/perfmon/pal_samplelog_vista_est.blg
[ -f "$L" ] || skip_all "no $L"

# series PATTERN: the counter's series (time_utc,value lines) into $TMPD/s
series() { ls_run inspect -q -c "$1" "$L"; sed 1d "$TMPD/out" >"$TMPD/s"; }

ls_run inspect "$L"
[ "$rc" = 0 ] && grep -q '^counters:   1832$' "$TMPD/out" && grep -q '^machines:   ZACH-PC$' "$TMPD/out" &&
  grep -q '^  \\\\ZACH-PC\\Process(svchost#11)$' "$TMPD/out" &&
  grep -q '^  \\\\ZACH-PC\\Memory$' "$TMPD/out" && ! grep -q 'blg-object\|cannot decode' "$TMPD/err"
check_status $? "inspect: 1832 counters of 8 whole objects, numbered instances, no warning (exit $rc)"

series 'Process(smss)\Private Bytes'
[ "$rc" = 0 ] && [ "$(sed -n 1p "$TMPD/s")" = "2007-08-14T19:40:38.659000Z,258048" ] &&
  [ "$(wc -l <"$TMPD/s")" = 11 ]
check_status $? "Process(smss)\\Private Bytes: 258048 in the first sample, as the bytes at @183048 say"

# _Total's Private Bytes against the sum of every instance's, sample 1
ls_run inspect -q -f json "$L"
sed -n 's/^      "path": "\(.*Process(.*)\\\\Private Bytes\)",$/\1/p' "$TMPD/out" |
  sed 's/\\\\/\\/g' >"$TMPD/paths"
sum=0 n=0 total=
while IFS= read -r p; do
  series "$p"
  v=$(sed -n 's/^2007-08-14T19:40:38.659000Z,//p' "$TMPD/s")
  case $p in *'(_Total)'*) total=$v ;; *) [ -n "$v" ] && { sum=$((sum + v)); n=$((n + 1)); } ;; esac
done <"$TMPD/paths"
[ "$sum" = "$total" ] && [ "$total" = 373542912 ] && [ "$n" = 50 ]
check_status $? "Process(_Total)\\Private Bytes is the sum of the 50 instances' ($sum, $total)"

series 'Processor(_Total)\% Processor Time'; cp "$TMPD/s" "$TMPD/cpu"
series 'Process(Idle)\% Processor Time'
join -t, "$TMPD/cpu" "$TMPD/s" >"$TMPD/j"
[ "$(wc -l <"$TMPD/j")" = 10 ] &&
  awk -F, '{ d = $2 + $3 - 100; if (d < -1e-9 || d > 1e-9) exit 1 }' "$TMPD/j"
check_status $? "Processor(_Total) busy + Process(Idle) = 100 % in each of 10 intervals (1e-9)"

series '\\ZACH-PC\Process(explorer)\Working Set'; cp "$TMPD/s" "$TMPD/ws"
series '\\ZACH-PC\Process(explorer)\Virtual Bytes'
join -t, "$TMPD/ws" "$TMPD/s" >"$TMPD/j"
[ "$(wc -l <"$TMPD/j")" = 11 ] && awk -F, '$2 <= 0 || $2 > $3 { exit 1 }' "$TMPD/j"
check_status $? "Process(explorer): 0 < Working Set <= Virtual Bytes in every sample"

# Elapsed Time (PERF_ELAPSED_TIME, the object's own 100 ns clock) grows as
# the samples' times do, to 10 ms.
series 'Process(explorer)\Elapsed Time'
awk -F, '{ split(substr($1, 12, 12), t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]
           if (NR > 1 && ((s - s0) - ($2 - v0) > 0.01 || (s - s0) - ($2 - v0) < -0.01)) bad = 1
           s0 = s; v0 = $2 } END { exit bad || NR != 11 || v0 < 1900 }' "$TMPD/s"
check_status $? "Process(explorer)\\Elapsed Time: about 2000 s, growing as fast as the clock"

series 'Memory\Committed Bytes'; cp "$TMPD/s" "$TMPD/c"
series 'Memory\Commit Limit'; join -t, "$TMPD/c" "$TMPD/s" >"$TMPD/j"
series 'Memory\% Committed Bytes In Use'; join -t, "$TMPD/j" "$TMPD/s" >"$TMPD/k"
[ "$(wc -l <"$TMPD/k")" = 11 ] &&
  awk -F, '{ d = $2 / $3 * 100 - $4; if (d < -1e-9 || d > 1e-9) exit 1 }' "$TMPD/k"
check_status $? "Memory: % Committed Bytes In Use = Committed Bytes / Commit Limit x 100"

series 'C:)\% Free Space'
[ "$(sed -n 1p "$TMPD/s")" = "2007-08-14T19:40:38.659000Z,75.18801142557507" ]
check_status $? "LogicalDisk(C:)\\% Free Space: a raw fraction over its base, 75.19 %"

ls_run analyze -f json -p explorer --cycles 5 "$L"
[ "$rc" = 0 ] && grep -q '"counter": "\\\\\\\\ZACH-PC\\\\Process(explorer)\\\\Private Bytes"' "$TMPD/out"
check_status $? "analyze -p explorer takes Private Bytes from the whole-object records (exit $rc)"

# From standard input the instances are the first sample's: a later one is
# left out, with the warning that names it.
ls_run inspect - <"$L"
[ "$rc" = 0 ] && grep -q "instance 'PowerStarter' of Process first appears in sample 2" "$TMPD/err" &&
  ! grep -q 'Process(PowerStarter)' "$TMPD/out"
check_status $? "from standard input: a process that starts later is left out, with a warning"

# Damaged copies: one byte inverted at every 97th byte of the first sample's
# records (the Process record is at @181080), and cuts: exit 0 or 65 with
# the offset, never anything else.
F=$TMPD/damaged.blg
# every tenth of those under valgrind (each run ~50x slower; the plain and
# sanitizer runs try them all)
case "${LEAKSLOPE_RUN:-}" in *valgrind*) k=10 ;; *) k=1 ;; esac
bad=0 runs=0 errs=0
o=172000
while [ $o -lt 196608 ]; do
  cp "$L" "$F"; chmod u+w "$F"
  b=$(od -An -tu1 -j "$o" -N1 "$L" | tr -d ' ')
  printf "$(printf '\\%03o' $((b ^ 255)))" | dd of="$F" bs=1 seek="$o" conv=notrunc 2>/dev/null
  ls_run inspect -f json "$F"; runs=$((runs + 1))
  case $rc in
  0) ;;
  65) errs=$((errs + 1)); grep -q "^leakslope: $F:@[0-9][0-9]*: " "$TMPD/err" || bad=$((bad + 1)) ;;
  *) bad=$((bad + 1)); echo "# byte $o: exit $rc"; diagnose "$TMPD/err" ;;
  esac
  o=$((o + 97 * k))
done
check "$runs copies with a byte inverted in the snapshots: exit 0 or 65 at an offset ($errs errors)" \
  test $bad = 0
done_testing
