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
done_testing
