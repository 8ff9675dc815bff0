#!/bin/sh
# trace_reader.sh — the CSV trace reader's errors at their exact
# FILE:LINE:COL, pinned to what the byte-by-byte reader said before the
# splitter took runs with memchr (and the inventory its memo): a quote
# followed by text, an open quote at the end of CRLF input, a BOM before
# the header, a NUL byte, a cell past 1 MiB, and a quoted cell of 300 KB
# across lines and across the reader's 256 KiB chunks, each read mapped and
# by read() (LEAKSLOPE_NO_MMAP), plain and gzip.
. "$abs_top_srcdir/tests/lib.sh"

H='time,event,pid,process,module'
R='2026-03-05T20:00:00.500000Z,load,7228,a.exe,C:\x\m.dll'
cd "$TMPD"
printf '%s\n%s\n"2026-03-05T20:00:01Z","load","7228","a.exe","C:\\x\\"m".dll"\n' \
  "$H" "$R" >quote.csv
printf '%s\r\n%s\r\n%s\r\n2026-03-05T20:00:02Z,load,7228,"a.exe\r\n' "$H" "$R" "$R" >crlf.csv
printf '\357\273\277%s\n%s\nnot-a-time,load,7228,a.exe,C:\\x\\m.dll\n' "$H" "$R" >bom.csv
printf '%s\n%s\n2026-03-05T20:00:0\0001Z,load,7228,a.exe,m.dll\n' "$H" "$R" >nul.csv
{ printf '%s\n%s\n2026-03-05T20:00:01Z,load,7228,a.exe,' "$H" "$R"
  awk 'BEGIN { for (i = 0; i < 21000; i++) printf "%0100d", 0; print "" }'; } >long.csv
# 2,900 rows (about 180 KB), then a quoted process cell of 300,000 bytes
# and a line break, then a row whose pid is bad: its line is 2904.
awk -v h="$H" 'BEGIN { print h
  for (i = 0; i < 2900; i++)
    printf "2026-03-05T20:00:00.%06dZ,load,7228,a.exe,C:\\x\\m%d.dll\n", i, i % 7
  printf "2026-03-05T20:00:01Z,load,7228,\"a"
  for (i = 0; i < 3000; i++) printf "%0100d", 0
  printf "\nc\",C:\\x\\m.dll\n" }' >cross-ok.csv
{ cat cross-ok.csv; echo '2026-03-05T20:00:02Z,load,72x8,a.exe,C:\x\m.dll'; } >cross.csv
for f in quote bom cross cross-ok; do gzip -c "$f.csv" >"$f.csv.gz"; done

# expect FILE MESSAGE: events on FILE exits 65 with exactly MESSAGE, mapped
# and read.
expect() {
  for how in mapped read; do
    if [ "$how" = read ]; then LEAKSLOPE_NO_MMAP=1; export LEAKSLOPE_NO_MMAP; fi
    ls_run events "$1" -q
    unset LEAKSLOPE_NO_MMAP
    [ "$rc" = 65 ] && [ "$(cat "$TMPD/err")" = "leakslope: $1:$2" ]
    check_status $? "$1 ($how): exit 65, 'leakslope: $1:$(echo "$2" | cut -c1-50)...'" ||
      diagnose "$TMPD/err"
  done
}

after_quote='text after a closing quote (expected the separator; quotes inside a quoted field are doubled)'
expect quote.csv "3:53: $after_quote"
expect quote.csv.gz "3:53: $after_quote"
expect crlf.csv "4:32: quoted field not closed before the end of input (expected a closing '\"')"
iso='not an ISO 8601 time (expected YYYY-MM-DDTHH:MM:SS.ffffffZ or with an offset)'
expect bom.csv "3:1: $iso"
expect bom.csv.gz "3:1: $iso"
expect nul.csv "3:19: NUL byte in the text (expected text; a binary file, or UTF-16 without a BOM: see --encoding)"
expect long.csv "3:38: field longer than 1 MiB (expected a short cell)"
expect cross.csv "2904:27: not a process id (expected decimal or 0x hex)"
expect cross.csv.gz "2904:27: not a process id (expected decimal or 0x hex)"

for f in cross-ok.csv cross-ok.csv.gz; do
  ls_run events "$f" -q -p a -m m3.dll
  [ "$rc" = 0 ] && grep -q '^events:  2901 image events' "$TMPD/out" &&
    grep -q 'loads 2900' "$TMPD/out"
  check_status $? "$f: the 300 KB cell across lines and chunks is one event (2901 events)" ||
    diagnose "$TMPD/out" "$TMPD/err"
done
done_testing
