#!/bin/sh
# analyze: on captures of known truth from tests/gen/gen-capture, one per
# messy situation of a real run (fast and sparse sampling, warm-up, growth by
# the hour, restarts, heap trims and spikes, page-sized steps, blanks, a decoy
# process), `leakslope analyze` gives the right verdict, the leak per cycle
# near the truth with a 95% interval that holds it, and the right errors.
. "$abs_top_srcdir/tests/lib.sh"
GEN="$abs_top_builddir/tests/gen/gen-capture"

# The generator runs natively: gen-capture.sh checks it under valgrind.
gen() { "$GEN" "$@" >"$TMPD/gen.out" 2>"$TMPD/gen.err"; }
truth() { sed -n "s/^$2=//p" "$1/truth.txt"; }
# flat FILE: JSON on one line without blanks
flat() { tr -d ' \n\r' <"$1"; }
# field NAME: the scalar "NAME":value of $TMPD/out (first occurrence)
field() { flat "$TMPD/out" | sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"; }
# leak3: "estimate lo hi" of leak (or of time_growth with $1 = time_growth)
triple() {
  k=${1:-leak}; v=${2:-bytes_per_cycle}
  flat "$TMPD/out" | sed -n "s/.*\"$k\":{\"$v\":\([^,]*\),\"ci95\":\[\([^,]*\),\([^]]*\)\].*/\1 \2 \3/p"
}
# near A B PCT: |A - B| <= PCT% of |B|
near() { awk -v a="$1" -v b="$2" -v p="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; exit !(a != "" && d <= m * p / 100) }'; }
# holds "EST LO HI" X: LO <= X <= HI
holds() { echo "$1" | awk -v x="$2" 'NF == 3 { exit !($2 <= x && x <= $3) } NF != 3 { exit 1 }'; }
analyze() { ls_run analyze -e "$1/${3:-events.csv}" -p mapitest -f json ${2:-} "$1/counters.csv"; }

for s in ${SCEN:-clean fast sparse warmup warmup-noleak time time-leak steady-time restarts} \
         outliers pages noleak; do
  rd="$TMPD/$s"
  if ! gen -s "$s" --tracerpt --xperf "$rd"; then not_ok "$s: generated"; diagnose "$TMPD/gen.err"; continue; fi
  analyze "$rd"
  cp "$TMPD/out" "$rd/out.json"
  leak=$(truth "$rd" leak_bytes_per_cycle)
  verdict=$(field verdict | tr -d '"')
  want=$(truth "$rd" expected_verdict)
  t=$(triple)
  if [ "$s" = time ]; then
    check "$s: per-cycle leak near 0: no-leak or an interval holding 0 ($verdict; $t)" \
      sh -c "[ '$verdict' = no-leak ] || echo '$t' | awk '{ exit !(\$2 <= 0 && 0 <= \$3) }'"
  else
    check "$s: exit 0 and verdict $want (got $verdict)" test "$rc" = 0 -a "$verdict" = "$want"
  fi
  [ "$rc" = 0 ] || diagnose "$TMPD/err"
  case $s in
    clean|fast|sparse|restarts|outliers|pages|warmup|time-leak)
      check "$s: leak per cycle within 2% of $leak (got $t)" near "${t%% *}" "$leak" 2
      check "$s: its 95% interval holds the truth" holds "$t" "$leak" ;;
  esac
  check "$s: the decoy store is never chosen" \
    sh -c "flat() { tr -d ' \n\r' <\"\$1\"; }; flat '$TMPD/out' | grep -q '\"counter\":\"[^\"]*Process(mapitest)[^\"]*PrivateBytes\"'"
  nsamp=$(field samples)
  total=$(truth "$rd" samples)
  check "$s: blank cells skipped, not zeros ($nsamp of $total samples)" \
    test -n "$nsamp" -a "$nsamp" -lt "$total" -a "$nsamp" -gt $((total * 9 / 10))
  case $s in
    warmup|warmup-noleak)
      wc=$(field warmup_cycles)
      check "$s: warm-up detected ($wc cycles)" test -n "$wc" -a "${wc:-0}" -gt 0 ;;
    time)
      g=$(triple time_growth bytes_per_hour)
      check "$s: growth per hour within 10% of $(truth "$rd" time_growth_bytes_per_hour) (got $g)" \
        near "${g%% *}" "$(truth "$rd" time_growth_bytes_per_hour)" 10
      check "$s: separable" test "$(field separable)" = true ;;
    time-leak)
      check "$s: separable" test "$(field separable)" = true ;;
    steady-time)
      check "$s: not separable" test "$(field separable)" = false
      check "$s: with a warning" grep -q 'not-separable' "$TMPD/out" ;;
    restarts)
      check "$s: 3 lifetimes (got $(field lifetimes))" test "$(field lifetimes)" = 3 ;;
  esac
  # the same run written by tracerpt and by xperf gives the same leak
  for tf in tracerpt.csv xperf.txt; do
    analyze "$rd" "" "$tf"
    t2=$(triple)
    check "$s: $tf gives the same leak as events.csv ($t2 vs $t)" test "$rc" = 0 -a "$t2" = "$t"
  done
done

# Procmon's copy of the same run: loads only, every date reads either way
# (3/5/2026), so the order comes from the counter log's span
rd="$TMPD/procmon"
gen -s clean --procmon "$rd"
analyze "$rd" "" procmon.csv
t=$(triple)
holds "$t" 40960; check_status $? "procmon copy: the interval ($t) holds the 40960 B leak"
check "procmon copy: day/month order from the log, said in a warning" \
  sh -c "[ $rc = 0 ] && grep -q 'trace-date-order-from-log' '$TMPD/out'"
# --per on loads only: the last sample before each load shows the cycle done
ls_run analyze -e "$rd/procmon.csv" -p mapitest -f json --per load:mapi32.dll "$rd/counters.csv"
pl=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["leaks"][0]; print(e["bytes_per_cycle"], *e["ci95"])' "$TMPD/out")
holds "$pl" 40960; check_status $? "procmon copy, --per: the interval ($pl) holds the 40960 B leak"

rd="$TMPD/clean"
# without a trace
ls_run analyze -p mapitest -f json --cycles 600 "$rd/counters.csv"
t=$(triple)
check "--cycles N: leak within 2% ($t), not separable, warned" \
  sh -c "[ $rc = 0 ] && awk -v a='${t%% *}' 'BEGIN { exit !(a > 40140 && a < 41780) }' && grep -q '\"separable\": false' '$TMPD/out' && grep -q 'without a trace' '$TMPD/out'"
ls_run analyze -p mapitest -f json --cycle-period 2 "$rd/counters.csv"
t=$(triple)
check "--cycle-period S: leak within 2% ($t), not separable, warned" \
  sh -c "[ $rc = 0 ] && awk -v a='${t%% *}' 'BEGIN { exit !(a > 40140 && a < 41780) }' && grep -q '\"separable\": false' '$TMPD/out' && grep -q 'without a trace' '$TMPD/out'"
ls_run analyze -p mapitest -f json "$rd/counters.csv"
g=$(triple time_growth bytes_per_hour)
check "neither: bytes_per_cycle null, growth per hour only ($g)" \
  sh -c "[ $rc = 0 ] && tr -d ' \n' <'$TMPD/out' | grep -q '\"leak\":{\"bytes_per_cycle\":null' && [ -n '$g' ]"

# --from/--to: the first and the second half of the run each measure the leak
for w in "--to 2026-03-05T20:10:00Z" "--from 2026-03-05T20:10:00Z"; do
  analyze "$rd" "$w"
  t=$(triple); c=$(field cycles)
  check "$w: fewer cycles ($c) and the leak still within 2% ($t)" \
    sh -c "[ $rc = 0 ] && [ ${c:-0} -gt 250 ] && [ ${c:-0} -lt 350 ]" && :
  check "$w: its interval holds the truth" holds "$t" 40960
done

# two rolled-over logs merged give the result of one
analyze "$rd"; whole=$(triple)
head -1 "$rd/counters.csv" >"$TMPD/part1.csv"; cp "$TMPD/part1.csv" "$TMPD/part2.csv"
sed -n '2,600p' "$rd/counters.csv" >>"$TMPD/part1.csv"
sed -n '601,$p' "$rd/counters.csv" >>"$TMPD/part2.csv"
ls_run analyze -e "$rd/events.csv" -p mapitest -f json "$TMPD/part2.csv" "$TMPD/part1.csv"
check "two rolled-over logs, given out of order, give the same leak ($(triple))" \
  test "$rc" = 0 -a "$(triple)" = "$whole"

# an unfinished warm-up (still rising, slowing) and nothing leaks: not a leak,
# reason warming-up, with the cycles that would tell
rd2="$TMPD/unfinished"
gen -s warmup-noleak -n 300 -w 6000000 --warmup-tau 150 "$rd2"
analyze "$rd2"
check "unfinished warm-up: no leak verdict ($(field verdict), $(triple))" \
  sh -c "[ $rc = 0 ] && [ '$(field verdict)' != '\"leak\"' ]"
check "unfinished warm-up: reason warming-up" test "$(field reason)" = '"warming-up"'
ls_run analyze -e "$rd2/events.csv" -p mapitest "$rd2/counters.csv"
check "unfinished warm-up: the text says it is still warming up" grep -q 'still warming up after' "$TMPD/out"
# a run of 25 cycles: too few to decide
rd3="$TMPD/short"
gen -s clean -n 25 -l 3000 -e 60000 "$rd3"
analyze "$rd3"
check "25 noisy cycles: inconclusive, reason too-few-cycles ($(field verdict) $(field reason) $(triple))" \
  sh -c "[ $rc = 0 ] && [ '$(field verdict)' = '\"inconclusive\"' ] && [ '$(field reason)' = '\"too-few-cycles\"' ]"
check "25 noisy cycles: the interval holds 3000" holds "$(triple)" 3000
analyze "$TMPD/clean"
check "clean run: reason null" test "$(field reason)" = '"not-separable"' -o "$(field reason)" = null

# --pid picks the process by its ID Process
ls_run analyze -e "$rd/events.csv" --pid 7228 -f json "$rd/counters.csv"
t=$(triple)
check "--pid 7228 without -p picks mapitest (leak $t)" \
  sh -c "[ $rc = 0 ] && grep -q 'Process(mapitest)' '$TMPD/out'"
check "--pid 7228: its interval holds the truth" holds "$t" 40960

# two live instances of one name: exit 2 listing both
sed '1s/Process(store)/Process(mapitest#1)/g' "$rd/counters.csv" >"$TMPD/two.csv"
ls_run analyze -e "$rd/events.csv" -p mapitest "$TMPD/two.csv"
check "two live 'mapitest' instances: exit 2 naming both" \
  sh -c "[ $rc = 2 ] && grep -q 'mapitest#1' '$TMPD/err' && grep -q 'Process(mapitest)' '$TMPD/err'"
ls_run analyze -e "$rd/events.csv" -p 'mapitest#1' -f json "$TMPD/two.csv"
check "-p mapitest#1 picks the second one" sh -c "[ $rc = 0 ] && grep -q 'Process(mapitest#1)' '$TMPD/out'"

# two same-named processes alive at once, each with its own cycles: the
# chosen one's pid (ID Process, or --pid) picks its cycles from the trace
tw="$TMPD/twin"
gen -s clean -n 900 -l 16384 --twin 700 --twin-leak 2048 "$tw"
ls_run analyze -e "$tw/events.csv" -p mapitest --pid 7228 -f json "$tw/counters.csv"
check "twin, --pid 7228: its 900 cycles only ($(field cycles))" test "$(field cycles)" -ge 895 -a "$(field cycles)" -le 900
check "twin, --pid 7228: the interval holds 16384 ($(triple))" holds "$(triple)" 16384
check "twin, --pid 7228: a warning names the other pid's cycles" grep -q '"other-pids"' "$TMPD/out"
ls_run analyze -e "$tw/events.csv" -p 'mapitest#1' -f json "$tw/counters.csv"
check "twin, -p mapitest#1: its 700 cycles only ($(field cycles))" test "$(field cycles)" -ge 695 -a "$(field cycles)" -le 700
check "twin, -p mapitest#1: the interval holds 2048 ($(triple))" holds "$(triple)" 2048
check "twin, -p mapitest#1: the counter is mapitest#1's" grep -q 'Process(mapitest#1)' "$TMPD/out"
ls_run analyze -e "$tw/events.csv" --pid 9100 -f json "$tw/counters.csv"
check "twin, --pid 9100 alone: mapitest#1's counter and 2048 ($(triple))" \
  sh -c "[ $rc = 0 ] && grep -q 'Process(mapitest#1)' '$TMPD/out'" && holds "$(triple)" 2048
# without ID Process in the log nothing says whose cycles are whose
cut -d, -f1,6- "$tw/counters.csv" >"$TMPD/twin-nopid.csv"
ls_run analyze -e "$tw/events.csv" -p 'mapitest#1' -f json "$TMPD/twin-nopid.csv"
check "twin without ID Process: exit 2 asking for --pid" \
  sh -c "[ $rc = 2 ] && grep -q 'alive at once (pids 7228, 9100)' '$TMPD/err' && grep -q -- '--pid' '$TMPD/err'"
ls_run analyze -e "$tw/events.csv" -p 'mapitest#1' --pid 9100 -f json "$TMPD/twin-nopid.csv"
check "twin without ID Process, --pid 9100: taken on trust, 2048 ($(triple))" \
  sh -c "[ $rc = 0 ] && grep -q '\"pid-unchecked\"' '$TMPD/out'" && holds "$(triple)" 2048
ls_run analyze -e "$tw/events.csv" -p mapitest --pid 9100 "$TMPD/twin-nopid.csv"
check "twin without ID Process, --pid and an ambiguous -p: exit 2" \
  sh -c "[ $rc = 2 ] && grep -q 'NAME#N' '$TMPD/err'"
# a trace in tracerpt form: the same cycles
gen -s clean -n 900 -l 16384 --twin 700 --twin-leak 2048 --tracerpt "$tw"
ls_run analyze -e "$tw/tracerpt.csv" -p 'mapitest#1' -f json "$tw/counters.csv"
check "twin, tracerpt: mapitest#1's 700 cycles ($(field cycles))" test "$(field cycles)" -ge 695 -a "$(field cycles)" -le 700

# an absent process: exit 2 listing what the log has
ls_run analyze -p nosuch --cycles 5 "$rd/counters.csv"
check "absent process: exit 2 listing the log's processes" \
  sh -c "[ $rc = 2 ] && grep -q 'no process .nosuch. in the log' '$TMPD/err' && grep -q 'mapitest' '$TMPD/err' && grep -q store '$TMPD/err'"

# a trace an hour off: a warning naming the offset that aligns it
sed 's/T20:/T21:/' "$rd/events.csv" >"$TMPD/shifted.csv"
ls_run analyze -e "$TMPD/shifted.csv" -p mapitest -f json "$rd/counters.csv"
check "trace an hour late: warning naming --clock-offset -3600" grep -q 'clock-offset -3600' "$TMPD/out"
ls_run analyze -e "$TMPD/shifted.csv" --clock-offset -3600 -p mapitest -f json "$rd/counters.csv"
check "and --clock-offset -3600 gives the leak back" test "$rc" = 0 -a "$(triple)" = "$whole"
# a trace a quarter hour late on a 20-minute run: it overlaps the log in
# part (a whole-hour DST or zone slip does the same on longer runs), the
# cycles inside still give a number, and a warning names the offset
python3 -c 'import sys, datetime as d
for i, l in enumerate(sys.stdin):
    if i:
        t, r = l.split(",", 1)
        t = (d.datetime.strptime(t, "%Y-%m-%dT%H:%M:%S.%fZ") + d.timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        l = t + "," + r
    sys.stdout.write(l)' <"$rd/events.csv" >"$TMPD/late15.csv"
ls_run analyze -e "$TMPD/late15.csv" -p mapitest -f json "$rd/counters.csv"
check "trace 15 min late: a partial-overlap warning naming --clock-offset -900" sh -c \
  "[ $rc = 0 ] && grep -q '\"code\": \"partial-overlap\"' '$TMPD/out' && grep -q 'try --clock-offset -900' '$TMPD/out'"
ls_run analyze -e "$TMPD/late15.csv" --clock-offset -900 -p mapitest -f json "$rd/counters.csv"
check "and --clock-offset -900 gives the leak back, with no warning" sh -c \
  "[ $rc = 0 ] && [ '$(triple)' = '$whole' ] && ! grep -q partial-overlap '$TMPD/out'"

# 40 cycles, still warming up, nothing leaks: the interval (about 9-23 KiB)
# is above the tolerance but not above what the warm-up still adds, so the
# verdict is inconclusive, and the sentence must not say it straddles 64 B
gen -n 40 -l 0 -w 3000000 --warmup-tau 20 -S 4 "$TMPD/short-warm"
ls_run analyze -e "$TMPD/short-warm/events.csv" -p mapitest "$TMPD/short-warm/counters.csv"
check "short run still warming up: inconclusive, 'not above ... the warm-up may still add', not 'straddles'" \
  sh -c "[ $rc = 0 ] && grep -q '^inconclusive: .*above the tolerance of 64 B but not above the .* per cycle the warm-up may still add' '$TMPD/out' && ! grep -q straddles '$TMPD/out'"

# --fail-on-leak
ls_run analyze -e "$rd/events.csv" -p mapitest --fail-on-leak "$rd/counters.csv"
check "--fail-on-leak: exit 1 on a leak (got $rc)" test "$rc" = 1
ls_run analyze -e "$TMPD/noleak/events.csv" -p mapitest --fail-on-leak "$TMPD/noleak/counters.csv"
check "--fail-on-leak: exit 0 without one (got $rc)" test "$rc" = 0

# -o: written whole, or not at all
ls_run analyze -e "$rd/events.csv" -p mapitest -o "$TMPD/out.json" "$rd/counters.csv"
check "-o out.json: JSON written (format from the extension)" \
  sh -c "[ $rc = 0 ] && [ ! -s '$TMPD/out' ] && grep -q '\"verdict\": \"leak\"' '$TMPD/out.json'"
rm -f "$TMPD/out.json"
printf '"(PDH-CSV 4.0) (UTC)(0)","\\\\\\\\H\\\\Process(mapitest)\\\\Private Bytes"\r\n"03/05/2026 20:00:00.000","12x"\r\n' >"$TMPD/bad.csv"
ls_run analyze -e "$rd/events.csv" -p mapitest -o "$TMPD/out.json" "$TMPD/bad.csv"
check "-o with bad input: exit $rc, no out.json nor a temporary of it left" \
  sh -c "[ $rc -ne 0 ] && [ -z \"\$(ls '$TMPD' | grep 'out\\.json')\" ]"

# YAML carries the same tree
ls_run analyze -e "$rd/events.csv" -p mapitest -f yaml "$rd/counters.csv"
check "YAML: schema, verdict, cycles, lifetimes, separable" \
  sh -c "grep -q '^schema: leakslope/analyze/1' '$TMPD/out' && grep -q '^verdict: leak' '$TMPD/out' && grep -q '^cycles: 600' '$TMPD/out' && grep -q '^lifetimes: 1' '$TMPD/out' && grep -q '^  separable: false' '$TMPD/out' && grep -q '^  bytes_per_cycle: 40960' '$TMPD/out'"

# A shrinking process is not "below the tolerance": the sentence says it shrinks;
# without a trace (--cycle-period) no module was involved: "per cycle".
if gen -s clean -l -20000 "$TMPD/shrink"; then
  ls_run analyze -e "$TMPD/shrink/events.csv" -p mapitest "$TMPD/shrink/counters.csv"
  [ "$rc" = 0 ] && grep -q "does not leak per load/unload of mapi32.dll: it shrinks by 19.5 KiB per cycle" "$TMPD/out"
  check_status $? "shrinking by 20000 B/cycle: no-leak, 'it shrinks by 19.5 KiB per cycle'"
  ls_run analyze --cycle-period 2 -p mapitest "$TMPD/shrink/counters.csv"
  grep -q "mapitest.* per cycle" "$TMPD/out" && ! grep -q "mapi32" "$TMPD/out"
  check_status $? "no trace: the sentence says 'per cycle', names no module"
else
  not_ok "shrink: generated"; diagnose "$TMPD/gen.err"
fi

# a leak that starts late, or stops halfway: the slope change is named
# (where, before, after) and the verdict is on the part after it
for c in "starts:-l 8192 --leak-from 400:8192:0:leak" "stops:-l 8192 --leak-until 500:0:8192:no-leak" \
         "restarts:-l 6000 --leak-from 300 -R 550:6000:0:leak"; do
  name=${c%%:*}; rest=${c#*:}; opts=${rest%%:*}; rest=${rest#*:}
  after=${rest%%:*}; rest=${rest#*:}; before=${rest%%:*}; want=${rest#*:}
  sc="$TMPD/change-$name"
  # shellcheck disable=SC2086 # opts are words
  gen -s clean -n 1000 $opts "$sc"
  analyze "$sc"
  check "slope $name: exit 0, verdict $want ($(field verdict)), reason slope-changed" \
    sh -c "[ $rc = 0 ] && grep -q '\"verdict\": \"$want\"' '$TMPD/out' && grep -q '\"reason\": \"slope-changed\"' '$TMPD/out'"
  check "slope $name: leak.ci95 holds the leak after the change, $after ($(triple))" holds "$(triple)" "$after"
  check "slope $name: slope_change.after is the leak" sh -c \
    "tr -d ' \n' <'$TMPD/out' | grep -q '\"after\":{\"bytes_per_cycle\":$(triple | cut -d' ' -f1),'"
  sb=$(flat "$TMPD/out" | sed -n 's/.*"before":{"bytes_per_cycle":\([^,]*\),"ci95":\[\([^,]*\),\([^]]*\)\].*/\1 \2 \3/p')
  check "slope $name: slope_change.before holds $before ($sb)" sh -c \
    "echo '$sb' | awk -v x=$before 'NF == 3 { d = x - \$1; if (d < 0) d = -d; exit !((\$2 <= x && x <= \$3) || d < 64) } { exit 1 }'"
  at=$(flat "$TMPD/out" | sed -n 's/.*"at_cycle":\([0-9]*\).*/\1/p')
  edge=$(truth "$sc" leak_from_cycle); [ "$name" = stops ] && edge=$(truth "$sc" leak_until_cycle)
  check "slope $name: at_cycle $at within 10 of cycle $edge" sh -c "[ -n '$at' ] && [ $((at - edge)) -le 10 ] && [ $((edge - at)) -le 10 ]"
  ls_run analyze -e "$sc/events.csv" -p mapitest "$sc/counters.csv"
  check "slope $name: the text says where it changed and which part is judged" \
    sh -c "grep -q 'The leak per cycle changed .*cycle [0-9]*.*before.*after; the verdict is on the part after cycle' '$TMPD/out'"
done
# a steady leak and a warm-up are not slope changes
for s in clean warmup; do
  analyze "$TMPD/$s"
  check "$s: slope_change is null" grep -q '"slope_change": null' "$TMPD/out"
done

# --per: two leaks in one process, per load/unload and per logon (issue 17)
kind() { # N FIELD: the N-th leaks entry's field (bytes_per_cycle, lo, hi, verdict, ...)
  python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))["leaks"][int(sys.argv[2])]
v = {"lo": (d["ci95"] or [None, None])[0], "hi": (d["ci95"] or [None, None])[1]}.get(sys.argv[3], d.get(sys.argv[3]))
print(v if v is not None else "null")' "$TMPD/out" "$1" "$2"
}
inside() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(lo != "null" && lo <= x && x <= hi) }'; }
per() { ls_run analyze -e "$1/events.csv" -p mapitest -f json --per load:mapi32.dll --per logon "$1/counters.csv"; }
for c in "both:-s clean -n 1200 --logon-rate 0.4 --logon-leak 12288:40960:12288" \
         "load-only:-s clean -n 1200 --logon-rate 0.4:40960:0" \
         "logon-only:-s clean -n 1200 -l 0 --logon-rate 0.4 --logon-leak 12288:0:12288" \
         "time:-s time-leak --logon-rate 0.4 --logon-leak 8192:4096:8192" \
         "restarts:-s restarts --logon-rate 0.4 --logon-leak 12288:40960:12288" \
         "warmup:-s warmup --logon-rate 0.4 --logon-leak 12288:8192:12288" \
         "change:-s clean -n 1200 --leak-from 600 --logon-rate 0.4 --logon-leak 12288:40960:12288" \
         "phases:-s clean -l 4096 --logon-rate 0.3 --logon-leak 20000:4096:20000"; do
  # (warmup: 20 MB of warm-up first; the joint fit leaves it out, as the
  # one-kind fit does, or both kinds come out inconclusive)
  name=${c%%:*}; rest=${c#*:}; opts=${rest%%:*}; rest=${rest#*:}; wl=${rest%%:*}; wo=${rest#*:}
  kd="$TMPD/kinds-$name"
  # shellcheck disable=SC2086 # opts are words
  gen $opts "$kd"
  per "$kd"
  l="$(kind 0 bytes_per_cycle) $(kind 0 lo) $(kind 0 hi)"; o="$(kind 1 bytes_per_cycle) $(kind 1 lo) $(kind 1 hi)"
  # shellcheck disable=SC2086 # the three numbers
  inside "$wl" $(kind 0 lo) $(kind 0 hi) && inside "$wo" $(kind 1 lo) $(kind 1 hi)
  check_status $? "--per $name: per load ($l) holds $wl, per logon ($o) holds $wo"
  for k in 0 1; do
    # a kind that does not leak is never called leaking (no-leak, or
    # inconclusive when its interval still holds the tolerance)
    want=leak; [ "$(echo "$c" | cut -d: -f$((k + 3)))" = 0 ] && want="no-leak inconclusive"
    check "--per $name: kind $k's verdict is $want ($(kind $k verdict))" \
      sh -c "echo ' $want ' | grep -q ' $(kind $k verdict) '"
  done
  check "--per $name: nothing collinear, leak is the first kind's figure" sh -c \
    "[ $rc = 0 ] && grep -q '\"collinear\": \[\]' '$TMPD/out' && grep -q '\"method\": \"robust-kinds\"' '$TMPD/out'"
done
# change: mapi32.dll leaks only from cycle 600; the figures are of the part
# after the change, and "before" is the per-load figure there (0), not the
# one-kind fit's (which holds the logons' 0.4 x 12 KiB a cycle)
per "$TMPD/kinds-change"
bc=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["slope_change"]; print(c["at_cycle"], c["before"]["bytes_per_cycle"], *c["before"]["ci95"])' "$TMPD/out")
# shellcheck disable=SC2086 # the four numbers
set -- $bc
[ "${1%.*}" -ge 590 ] && [ "${1%.*}" -le 615 ] && inside 0 "$3" "$4"
check_status $? "--per change: the change near cycle 600, the per-load leak before it holds 0 ($bc)"
# phases: logons come in busier and quieter phases, so the one-kind fit
# (which counts their leak in the per-load figure) sees the slope change at
# a phase's edge; fitted with the logons, it does not change: the whole run
# is fitted and a warning says why the one-kind view differs
per "$TMPD/kinds-phases"
check "--per phases: no slope_change, the kinds-explain-change warning" sh -c \
  "[ $rc = 0 ] && grep -q '\"slope_change\": null' '$TMPD/out' && grep -q '\"code\": \"kinds-explain-change\"' '$TMPD/out'"
ls_run analyze -e "$TMPD/kinds-phases/events.csv" -p mapitest "$TMPD/kinds-phases/counters.csv" -f json
check "phases without --per: the one-kind fit does see a change (the case above is real)" \
  grep -q '"reason": "slope-changed"' "$TMPD/out"
kd="$TMPD/kinds-time"
per "$kd"
ph=$(python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["per_hour"]; print(h["bytes_per_hour"], *h["ci95"])' "$TMPD/out")
# shellcheck disable=SC2086
check "--per time: per_hour ($ph) holds the 20 MB per hour" inside 20000000 ${ph#* }
# every load paired with a logon: one number, reported as such
kd="$TMPD/kinds-tied"
gen -s clean --logon-tied --logon-leak 12288 "$kd"
per "$kd"
check "--per tied: collinear [load:mapi32.dll, logon], no per-kind figures" sh -c \
  "[ $rc = 0 ] && tr -d ' \n' <'$TMPD/out' | grep -q '\"collinear\":\[\[\"load:mapi32.dll\",\"logon\"\]\]' &&
   [ '$(kind 0 bytes_per_cycle)' = null ] && [ '$(kind 1 bytes_per_cycle)' = null ] &&
   grep -q kinds-collinear '$TMPD/out'"
tog=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["leaks"][1]["together"]; print(*t["ci95"], t["unpaired_cycles_needed"])' "$TMPD/out")
# shellcheck disable=SC2086
check "--per tied: together ($tog) holds 40960 + 12288 and asks for unpaired cycles" \
  sh -c "echo '$tog' | awk '{ exit !(\$1 <= 53248 && 53248 <= \$2 && \$3 >= 10) }'"
ls_run analyze -e "$kd/events.csv" -p mapitest --per load:mapi32.dll --per logon "$kd/counters.csv"
check "--per tied: the text says they move in step" grep -q 'move in step, so this capture cannot tell which' "$TMPD/out"
# The same capture as tracerpt XML, the logons as a provider's own events
# mapped by formats/events (tests/data/trace/maps): the same figures.
kd="$abs_top_srcdir/tests/data/analyze/kinds"
ls_run analyze -e "$kd/events.csv.gz" -p mapitest -f json --per load:mapi32.dll --per logon "$kd/counters.csv.gz"
cp "$TMPD/out" "$TMPD/own.json"
ls_run analyze --formats "$abs_top_srcdir/tests/data/trace/maps" -e "$kd/events-etw.xml.gz" -p mapitest -f json \
  --per load:mapi32.dll --per logon "$kd/counters.csv.gz"
[ "$rc" = 0 ] && grep -q '"kind": "logon"' "$TMPD/out" && python3 -c 'import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
keys = ("leak", "leaks", "collinear", "per_hour", "cycles", "verdict")
sys.exit(any(a.get(k) != b.get(k) for k in keys))' "$TMPD/own.json" "$TMPD/out"
check_status $? "--per from ETW (tracerpt XML + an event map) gives the own CSV's leaks, cycles and verdicts"
# a same-named process's cycles are not the chosen one's, for every kind
kd="$TMPD/kinds-twin"
gen -s clean -n 900 --twin 700 --twin-leak 2048 --logon-rate 0.4 --logon-leak 12288 "$kd"
ls_run analyze -e "$kd/events.csv" -p 'mapitest#0' -f json --per logon --per load:mapi32.dll "$kd/counters.csv"
# shellcheck disable=SC2046
inside 40960 $(kind 1 lo) $(kind 1 hi) && [ "$(kind 1 cycles)" = 900 ]
check_status $? "--per twin: load:mapi32.dll (second kind) counts mapitest's 900 cycles, not the twin's ($(kind 1 cycles), $(kind 1 bytes_per_cycle))"
ls_run analyze -e "$kd/events.csv" -p 'mapitest#0' --per logon --per load:mapi32.dll "$kd/counters.csv"
check "--per logon first: the sentence says per logon cycle" grep -q 'leaks .* per logon cycle' "$TMPD/out"
# errors
kd="$TMPD/kinds-tied"
ls_run analyze -e "$kd/events.csv" -p mapitest --per load:mapi32.dll --per lgon "$kd/counters.csv"
check "--per a named cycle the trace lacks: exit 2, named" sh -c "[ $rc = 2 ] && grep -q -- '--per lgon: no module' '$TMPD/err'"
ls_run analyze -p mapitest --per logon "$kd/counters.csv"
check "--per without a trace: exit 2" sh -c "[ $rc = 2 ] && grep -q -- '--per needs the run.s trace' '$TMPD/err'"
ls_run analyze -e "$kd/events.csv" -p mapitest -m foo.dll --per load:mapi32.dll "$kd/counters.csv"
check "-m and --per naming other modules: exit 2" sh -c "[ $rc = 2 ] && grep -q 'disagree' '$TMPD/err'"
ls_run analyze -e "$kd/events.csv" -p mapitest --per logon --per LOGON "$kd/counters.csv"
check "--per twice the same kind: exit 2" sh -c "[ $rc = 2 ] && grep -q 'given twice' '$TMPD/err'"
# one counter log given twice: refused, never merged with itself
lg="$abs_top_srcdir/tests/data/analyze/leak/counters.csv"
ls_run analyze -p store "$lg" "$lg"
[ "$rc" = 2 ] && grep -q "counter log '.*leak/counters.csv' is given twice" "$TMPD/err"
check_status $? "analyze LOG LOG: exit 2, the log named (rc $rc)"
ln -s "$lg" "$TMPD/link.csv" && cp "$lg" "$TMPD/copy.csv"
ls_run analyze -p store "$TMPD/link.csv" "$lg"
[ "$rc" = 2 ] && grep -q "link.csv' and '.*leak/counters.csv' are one file" "$TMPD/err"
check_status $? "analyze through a symlink and the file: exit 2, one file (rc $rc)"
ls_run scan "$lg" "$TMPD/copy.csv"
[ "$rc" = 2 ] && grep -q "copy.csv' hold the same bytes" "$TMPD/err"
check_status $? "scan LOG COPY-OF-LOG: exit 2, the same bytes (rc $rc)"
head -n 100 "$lg" >"$TMPD/part1.csv" && { head -n 1 "$lg"; tail -n +101 "$lg"; } >"$TMPD/part2.csv"
ls_run analyze -p store -f json "$TMPD/part1.csv" "$TMPD/part2.csv"
[ "$rc" = 0 ] && grep -q '"samples": 245' "$TMPD/out"
check_status $? "... while two parts of one log still merge (rc $rc)"
mkdir "$TMPD/m" && cp "$lg" "$TMPD/m/a.csv" && cp "$lg" "$TMPD/m/b.csv"
printf 'rules: kb901014\nprocess: store\nruns:\n  - {name: a, counters: [a.csv, b.csv]}\n' >"$TMPD/m/m.yaml"
ls_run compare "$TMPD/m/m.yaml"
[ "$rc" = 65 ] && grep -q "m.yaml:4:33: counters '.*b.csv' holds the same bytes as '.*a.csv'" "$TMPD/err"
check_status $? "compare: a run's counters with one log twice: exit 65 at the second (rc $rc)"
printf 'rules: kb901014\nprocess: store\nruns:\n  - {name: a, counters: [a.csv, ./a.csv]}\n' >"$TMPD/m/m.yaml"
ls_run compare "$TMPD/m/m.yaml"
[ "$rc" = 65 ] && grep -q "m.yaml:4:33: counters '.*a.csv' is the file '.*a.csv' already is" "$TMPD/err"
check_status $? "... and the same file by two paths (rc $rc)"
# one trace given twice: refused alike (merged, each event would count twice)
tr="$abs_top_srcdir/tests/data/analyze/leak/events.csv"
ls_run analyze -e "$tr" -e "$tr" -p mapitest "$lg"
[ "$rc" = 2 ] && grep -qx "leakslope analyze: trace '.*leak/events.csv' is given twice: its events would count twice" "$TMPD/err"
check_status $? "analyze -e TRACE -e TRACE: exit 2, the trace named (rc $rc)"
ln -s "$tr" "$TMPD/tlink.csv" && cp "$tr" "$TMPD/tcopy.csv"
ls_run events "$tr" "$TMPD/tlink.csv"
[ "$rc" = 2 ] && grep -q "^leakslope events: traces '.*leak/events.csv' and '.*tlink.csv' are one file: its events would count twice" "$TMPD/err"
check_status $? "events TRACE SYMLINK-TO-IT: exit 2, one file (rc $rc)"
ls_run scan -e "$tr" -e "$TMPD/tcopy.csv" "$lg"
[ "$rc" = 2 ] && grep -q "tcopy.csv' hold the same bytes (one trace given twice?): its events would count twice" "$TMPD/err"
check_status $? "scan -e TRACE -e COPY-OF-IT: exit 2, the same bytes (rc $rc)"
cp "$tr" "$TMPD/m/e.csv" && cp "$tr" "$TMPD/m/f.csv"
printf 'rules: kb901014\nprocess: mapitest\nruns:\n  - {name: a, counters: a.csv, events: [e.csv, f.csv]}\n' >"$TMPD/m/m.yaml"
ls_run compare "$TMPD/m/m.yaml"
[ "$rc" = 65 ] && grep -q "m.yaml:4:48: events '.*f.csv' holds the same bytes as '.*e.csv' (one trace given twice?): its events would count twice" "$TMPD/err"
check_status $? "compare: a run's events with one trace twice: exit 65 at the second (rc $rc)"
head -n 200 "$tr" >"$TMPD/tpart1.csv" && { head -n 1 "$tr"; tail -n +201 "$tr"; } >"$TMPD/tpart2.csv"
ls_run events "$TMPD/tpart1.csv" "$TMPD/tpart2.csv"
check "... while two parts of one trace still merge (rc $rc)" test "$rc" = 0
done_testing
