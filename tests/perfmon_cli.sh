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
done_testing
