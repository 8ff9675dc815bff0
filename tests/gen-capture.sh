#!/bin/sh
# gen-capture: the capture generator writes the same bytes for the same
# options, in the shapes the readers expect (PDH-CSV in local time with a
# W. Europe bias, the own event CSV in UTC, xperf dumper text), with the
# cycles, restarts and leak it says it simulated.
. "$abs_top_srcdir/tests/lib.sh"
GEN="$abs_top_builddir/tests/gen/gen-capture"

gen() { $LEAKSLOPE_RUN "$GEN" "$@" >"$TMPD/gen.out" 2>"$TMPD/gen.err"; }
truth() { sed -n "s/^$2=//p" "$1/truth.txt"; }
# cell COL FILE: the COL-th quoted cell (1-based) of every data row
cell() { awk -F'","' -v c="$1" 'NR > 1 { gsub(/"|\r/, "", $c); print $c }' "$2"; }

for s in clean sparse warmup time restarts outliers pages noleak; do
  check "$s: generated" gen -s "$s" --xperf --tracerpt --procmon --sysmon "$TMPD/$s"
  gen -s "$s" --xperf --tracerpt --procmon --sysmon "$TMPD/$s.again"
  same=yes
  for f in counters.csv events.csv truth.txt xperf.txt tracerpt.csv procmon.csv sysmon.xml; do
    cmp -s "$TMPD/$s/$f" "$TMPD/$s.again/$f" || same=no
  done
  check "$s: a second run writes the same bytes" test "$same" = yes

  ls_run events -f json -p mapitest -m mapi32.dll "$TMPD/$s/events.csv"
  cycles=$(tr ',' '\n' <"$TMPD/out" | sed -n 's/^ *"cycles": *//p' | head -1)
  restarts=$(tr ',' '\n' <"$TMPD/out" | sed -n 's/^ *"restarts": *//p' | head -1)
  want=$(truth "$TMPD/$s" cycles)
  lives=$(truth "$TMPD/$s" lifetimes)
  check "$s: leakslope events finds the $want cycles of events.csv (got $cycles)" \
    test "$rc" = 0 -a "$cycles" = "$want"
  check "$s: and $((lives - 1)) restarts (got $restarts)" test "$restarts" = $((lives - 1))
  ls_run events -f json -p mapitest -m mapi32.dll "$TMPD/$s/xperf.txt"
  xc=$(tr ',' '\n' <"$TMPD/out" | sed -n 's/^ *"cycles": *//p' | head -1)
  check "$s: the xperf dumper copy has the same $want cycles (got $xc)" test "$xc" = "$want"
  ls_run events -f json -p mapitest -m mapi32.dll "$TMPD/$s/tracerpt.csv"
  tc=$(tr ',' '\n' <"$TMPD/out" | sed -n 's/^ *"cycles": *//p' | head -1)
  check "$s: the tracerpt copy has the same $want cycles (got $tc)" test "$tc" = "$want"
  # Procmon and Sysmon log loads only: a load pairs with the next one, and
  # the last of each lifetime stays unmatched.
  for f in procmon.csv sysmon.xml; do
    ls_run events -f json -p mapitest -m mapi32.dll --date-order mdy "$TMPD/$s/$f"
    got=$(tr ',' '\n' <"$TMPD/out" | sed -n 's/^ *"\(cycles\|unmatched_loads\)": *//p' | head -2 | tr '\n' ' ')
    check "$s: the $f copy has $((want - lives)) cycles and $lives unmatched loads (got $got)" \
      test "$rc.$got" = "0.$((want - lives)) $lives "
  done
  loads=$(grep -c 'Image, *Load,.*MAPI32.DLL' "$TMPD/$s/tracerpt.csv")
  check "$s: the tracerpt copy has $want MAPI32.DLL loads of mapitest and 1 of store (got $loads)" \
    test "$loads" = $((want + 1))
done

C=$TMPD/clean
check "header: PDH-CSV 4.0, W. Europe Standard Time, bias -60" \
  grep -q '^"(PDH-CSV 4.0) (W. Europe Standard Time)(-60)","\\\\EXCH01\\Process(_Total)\\ID Process"' "$C/counters.csv"
check "first sample at 21:00 local = 20:00Z (UTC = local + bias)" \
  grep -q '^"03/05/2026 21:00:00.000"' "$C/counters.csv"
check "events in UTC with Z; the first MAPI32.DLL load of mapitest 3 s into the log" \
  grep -q '^2026-03-05T20:00:03.000000Z,load,7228,mapitest.exe,C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL$' "$C/events.csv"
check "blank cells are written as \" \", not zeros" grep -q '"," ","' "$C/counters.csv"
check "columns for _Total, mapitest and store of 4 counters (13 cells a row)" \
  test "$(head -1 "$C/counters.csv" | awk -F'","' '{ print NF }')" = 13
check "CRLF line ends, as perfmon writes" grep -q "$(printf '\r')\$" "$C/counters.csv"

# Private Bytes of mapitest (cell 6) grows by the leak per cycle: over the
# log, (last - first) / cycles is within 3% of 40960 (noise 16 KiB, 4 KiB
# pages, one cycle's module footprint at either end at most).
cell 6 "$C/counters.csv" | awk -v c="$(truth "$C" cycles)" '
  $1 != " " && $1 != "" { if (!n++) first = $1; last = $1 }
  END { g = (last - first) / c; print g; exit !(g > 40960 * 0.97 && g < 40960 * 1.03) }' \
  >"$TMPD/growth"
st=$?
check "clean: mapitest Private Bytes grow $(cat "$TMPD/growth") B/cycle (40960 within 3%)" \
  test "$st" = 0
# The decoy grows too, faster, by the hour (cell 7): never the target.
cell 7 "$C/counters.csv" | awk '$1 + 0 > 0 { if (!n++) f = $1; l = $1 } END { exit !(l - f > 20e6) }'
st=$?
check "the decoy store grows by over 20 MB in the same log" test "$st" = 0

R=$TMPD/restarts
check "restarts: pids 7228,8540,9852 in the truth" test "$(truth "$R" pids)" = 7228,8540,9852
cell 3 "$R/counters.csv" | awk '$1 + 0 > 0' | uniq >"$TMPD/pids"
check "restarts: the ID Process column shows the three pids in turn" \
  test "$(tr '\n' ' ' <"$TMPD/pids")" = "7228 8540 9852 "
check "restarts: mapitest cells are blank while it is down" \
  grep -q '^"[^"]*","0"," ","4120"' "$R/counters.csv"

check "sparse: 15 s samples, 14400 cycles (about 30 cycles a sample)" \
  test "$(truth "$TMPD/sparse" interval_seconds)" = 15 -a "$(truth "$TMPD/sparse" cycles)" = 14400

st=0; gen --bogus "$TMPD/x" || st=$?
check "an unknown option is a usage error (exit 2)" test "$st" = 2
st=0; gen -s nosuch "$TMPD/x" || st=$?
check "an unknown scenario is a usage error (exit 2)" test "$st" = 2
done_testing
