#!/bin/sh
# perfmon_cli.sh — inspect behaviours that golden files cannot show: no
# partial output on an error (standard output and -o), -o writes the file,
# standard input as plain text and as gzip, UTF-16LE without a BOM.
. "$abs_top_srcdir/tests/lib.sh"
D=$abs_top_srcdir/tests/data/perfmon

ls_run inspect -c 'Private Bytes' "$D/bad-truncated.csv.gz"
check "--counter on a truncated log: exit 65 and nothing on stdout (exit $rc)" \
  test "$rc" = 65 -a ! -s "$TMPD/out"
ls_run inspect -f json -o "$TMPD/report.json" "$D/bad-time.csv"
check "-o on a malformed log: exit 65 and no file left (exit $rc)" \
  test "$rc" = 65 -a ! -e "$TMPD/report.json"
ls_run inspect -f json -o "$TMPD/report.json" "$D/quirk-tsv.tsv"
check "-o writes the JSON report" grep -q '"format": "pdh-tsv"' "$TMPD/report.json"
ls_run inspect -c 'Virtual Bytes' - <"$D/quirk-tsv.tsv"
check "standard input, plain: the series is read" \
  test "$(sed -n 3p "$TMPD/out")" = "2026-03-05T21:58:09.724000Z,2000000"
gzip -c <"$D/quirk-tsv.tsv" >"$TMPD/log.gz"
ls_run inspect -f json - <"$TMPD/log.gz"
check "standard input, gzip: compressed is true" grep -q '"compressed": true' "$TMPD/out"
# UTF-16LE without a BOM: refused as binary, read with --encoding utf-16le.
tail -c +3 "$D/quirk-utf16le.csv" >"$TMPD/nobom.csv"
ls_run inspect "$TMPD/nobom.csv"
check "UTF-16LE without a BOM is refused with a hint (exit $rc)" \
  sh -c '[ "$1" = 65 ] && grep -q "utf-16le" "$2"' - "$rc" "$TMPD/err"
ls_run inspect -f json --encoding utf-16le "$TMPD/nobom.csv"
check "... and read with --encoding utf-16le" \
  sh -c '[ "$1" = 0 ] && grep -q "\"samples\": 2" "$2"' - "$rc" "$TMPD/out"
# Bounded work on hostile logs: an endless header line stops where it passes
# INPUT_LINE_MAX (16 MiB), not when memory runs out; a quoted cell left open
# fails on its own line, not at the end of the file.
{ printf '"(PDH-CSV 4.0) (GMT Standard Time)(0)"'
  yes ',"\\vm\Process(a)\Private Bytes"' | tr -d '\n' | head -c 17000000; } >"$TMPD/long.csv"
ls_run inspect "$TMPD/long.csv"
check "a 17 MB header line: exit 65 at 1:16777217, 'line longer than 16 MiB' (exit $rc)" \
  sh -c '[ "$1" = 65 ] && grep -q "long.csv:1:16777217: line longer than 16 MiB (a line break expected)" "$2"' - "$rc" "$TMPD/err"
{ printf '%s\n' '"(PDH-CSV 4.0) (GMT Standard Time)(0)","\\vm\Process(a)\Private Bytes"' \
    '"11/25/2026 21:51:04.244","1'
  yes 'x,y' | head -n 200000; } >"$TMPD/openq.csv"
ls_run inspect "$TMPD/openq.csv"
check "a quoted cell open for 200,000 lines: exit 65 at 2:27 (exit $rc)" \
  sh -c '[ "$1" = 65 ] && grep -q "openq.csv:2:27: unbalanced quote" "$2"' - "$rc" "$TMPD/err"
# A regular file mapped (LEAKSLOPE_MMAP=1, no copy), read with read()
# (the default; LEAKSLOPE_NO_MMAP forces it) and on standard input: the
# same series, report and errors, with the same FILE:LINE:COL, for every
# log here (the malformed ones too). Standard input cannot be read ahead,
# which a re-saved log may need: those are compared by read() only. Names are F in all three.
same_by_read() { # JOB...: output and exit of the mapped, NO_MMAP and stdin runs
  diffs=0 stdin_diffs=0 n=0
  export LEAKSLOPE_MMAP=1
  for f in "$D"/*; do
    n=$((n + 1))
    ls_run "$@" "$f"
    sed "s|$f|F|g" "$TMPD/out" >"$TMPD/map.out"; sed "s|$f|F|g" "$TMPD/err" >"$TMPD/map.err"; map_rc=$rc
    rc=0; LEAKSLOPE_NO_MMAP=1 $LEAKSLOPE_RUN "$LEAKSLOPE" "$@" "$f" >"$TMPD/out" 2>"$TMPD/err" || rc=$?
    sed -i "s|$f|F|g" "$TMPD/out" "$TMPD/err"
    cmp -s "$TMPD/out" "$TMPD/map.out" && cmp -s "$TMPD/err" "$TMPD/map.err" && [ "$rc" = "$map_rc" ] ||
      { diffs=$((diffs + 1)); echo "# differs with LEAKSLOPE_NO_MMAP: $* $f"; }
    case $f in */resaved-*) continue ;; esac
    rc=0; $LEAKSLOPE_RUN "$LEAKSLOPE" "$@" - <"$f" >"$TMPD/out" 2>"$TMPD/err" || rc=$?
    sed -i "s|<stdin>|F|g" "$TMPD/out" "$TMPD/err"
    cmp -s "$TMPD/out" "$TMPD/map.out" && cmp -s "$TMPD/err" "$TMPD/map.err" && [ "$rc" = "$map_rc" ] ||
      { stdin_diffs=$((stdin_diffs + 1)); echo "# differs on standard input: $* $f"; }
  done
  unset LEAKSLOPE_MMAP
}
same_by_read inspect
check "inspect: a mapped log reads as by read() ($diffs of $n differ) and as on standard input ($stdin_diffs differ)" \
  test "$diffs" = 0 -a "$stdin_diffs" = 0
same_by_read inspect -c 'Private Bytes#1'
check "inspect -c (the series): mapped, by read() and on standard input the same ($diffs, $stdin_diffs of $n differ)" \
  test "$diffs" = 0 -a "$stdin_diffs" = 0
diffs=0
for f in "$D"/*.csv; do
  LEAKSLOPE_MMAP=1; export LEAKSLOPE_MMAP
  ls_run inspect -f json "$f"; cp "$TMPD/out" "$TMPD/map.out"; map_rc=$rc
  unset LEAKSLOPE_MMAP
  rc=0; LEAKSLOPE_NO_MMAP=1 $LEAKSLOPE_RUN "$LEAKSLOPE" inspect -f json "$f" >"$TMPD/out" 2>/dev/null || rc=$?
  cmp -s "$TMPD/out" "$TMPD/map.out" && [ "$rc" = "$map_rc" ] || diffs=$((diffs + 1))
done
check "inspect -f json: the same report, size and SHA-256 mapped and by read() ($diffs differ)" test "$diffs" = 0
done_testing
