#!/bin/sh
# perfmon_blg_damage.sh — a damaged .blg is an error with its byte offset
# ("leakslope: FILE:@OFFSET: ...", exit 65) or, where the damage hits a byte
# nothing depends on, read; never a crash, a hang or another exit code. (A
# copy whose first four bytes, the buffer size, are gone or changed is no
# longer recognised as a .blg: "binary data", also exit 65.)
# Copies of the Windows 10 log cut short at many offsets (each must fail: a
# trace buffer is fixed-size) and with one byte changed at many offsets,
# spread over its header, counter list and samples.
. "$abs_top_srcdir/tests/lib.sh"
BLG=$abs_top_srcdir/tests/data/perfmon/powershell_countersamples_pst_win10.blg
size=$(wc -c <"$BLG")
F=$TMPD/damaged.blg
# Under valgrind (check-valgrind) every tenth offset: memcheck makes each run
# ~50x slower, and the plain and sanitizer runs still try every offset.
case "${LEAKSLOPE_RUN:-}" in *valgrind*) k=10 ;; *) k=1 ;; esac

# run_one WHAT: inspect the damaged copy; exit 0 or 65 with an offset error
bad_runs=0 runs=0 fails=0
run_one() {
  runs=$((runs + 1))
  ls_run inspect -f json "$F"
  case $rc in
  0) ;;
  65) fails=$((fails + 1))
    # with its first 4 bytes gone or changed it is no longer a .blg at all
    grep -q -e "^leakslope: $F:@[0-9][0-9]*: " -e "binary data (expected a PDH-CSV" \
      -e "empty file" "$TMPD/err" || {
      bad_runs=$((bad_runs + 1)); echo "# $1: exit 65 without FILE:@OFFSET:"; diagnose "$TMPD/err"; } ;;
  *) bad_runs=$((bad_runs + 1)); echo "# $1: exit $rc"; diagnose "$TMPD/err" ;;
  esac
}

# Cut short: every 1024 bytes through the used part, and around the fields.
cuts="0 1 3 4 8 47 48 72 100 500 528 4096 65535 65536 65537 65608 65612 65680 66616 66617 67432"
o=0; while [ $o -lt $size ]; do cuts="$cuts $o"; o=$((o + 1999 * k)); done
fail_cut=0
for n in $cuts; do
  [ "$n" -lt "$size" ] || continue
  head -c "$n" "$BLG" >"$F"
  f0=$fails; run_one "cut at $n"
  [ $fails -gt $f0 ] || { fail_cut=$((fail_cut + 1)); echo "# cut at $n: read without error"; }
done
check "cut short at $(echo $cuts | wc -w) offsets: each an error (exit 65)" test $fail_cut = 0

# One byte changed (its bits inverted), at offsets in the used parts.
flip() {
  cp "$BLG" "$F"; chmod u+w "$F"
  b=$(od -An -tu1 -j "$1" -N1 "$BLG" | tr -d ' ')
  printf "$(printf '\\%03o' $((b ^ 255)))" | dd of="$F" bs=1 seek="$1" conv=notrunc 2>/dev/null
}
offs=""
o=0; while [ $o -lt 560 ]; do offs="$offs $o"; o=$((o + 7 * k)); done
o=65536; while [ $o -lt 87016 ]; do offs="$offs $o"; o=$((o + 61 * k)); done
for o in $offs; do flip "$o"; run_one "byte $o inverted"; done
check "$runs damaged copies: exit 0 or 65 with FILE:@OFFSET, never anything else ($fails errors)" \
  test $bad_runs = 0
done_testing
