#!/bin/sh
# hostile.sh — issue 16's list of hostile inputs, each built here: a clear
# error with its exit code and FILE:LINE:COL, in time proportional to the
# input (under `make check-valgrind` each also runs under valgrind). Earlier
# finds have their checks beside their readers: the own format's missing
# module cell and ltrace's dlopen(0) in trace.sh, the 16 MiB line and the
# open perfmon quote in perfmon_cli.sh, gnuplot injection in test_plot.c.
. "$abs_top_srcdir/tests/lib.sh"
D="$abs_top_srcdir/tests/data"
T=$TMPD
hdr='"(PDH-CSV 4.0) (GMT Standard Time)(0)","\\vm\Process(a)\Private Bytes"'
row='"11/25/2026 21:51:04.244","1"'
# expect RC PATTERN DESC: the last run's exit status and a line of stderr
# Under make check-valgrind (LEAKSLOPE_RUN names valgrind) the inputs of
# 100,000 to 2,000,000 rows shrink tenfold: memcheck runs them some 30
# times slower, and the plain and sanitizer runs keep the full sizes.
case "${LEAKSLOPE_RUN:-}" in *valgrind*) scale=10 ;; *) scale=1 ;; esac
npids=$((100000 / scale)) nrows=$((2000000 / scale))
expect() {
  [ "$rc" = "$1" ] && grep -q -- "$2" "$T/err"
  r=$?
  [ $r = 0 ] || diagnose "$T/err"
  check_status $r "$3 (exit $rc)"
}

# --- YAML: nesting, size, aliases -------------------------------------------
awk 'BEGIN { printf "runs: "; for (i = 0; i < 300000; i++) printf "["; print "" }' >"$T/nest.yaml"
ls_run compare "$T/nest.yaml"
expect 65 'nest.yaml:1:70: nested deeper than 64 levels' \
  "manifest of 300,000 nested '[': refused at the 65th level"
mkdir -p "$T/fmt/trace" "$T/fmt/rules"
awk 'BEGIN { printf "aliases: "; for (i = 0; i < 100000; i++) printf "{a: "; print "" }' \
  >"$T/fmt/counters.yaml"
ls_run inspect --formats "$T/fmt" "$D/perfmon/quirk-tsv.tsv"
expect 65 'counters.yaml:1:262: nested deeper than 64 levels' \
  "counters.yaml of 100,000 nested '{': refused at the 65th level"
awk 'BEGIN { printf "name: x\ncolumns: "; for (i = 0; i < 100000; i++) printf "["; print "" }' \
  >"$T/fmt/trace/deep.yaml"
printf 'time,event,pid,process,module\n' >"$T/own.csv"
ls_run events --formats "$T/fmt" "$T/own.csv"
expect 65 'deep.yaml:2:73: nested deeper than 64 levels' \
  "a trace layout nested 100,000 deep: refused at the 65th level"
awk 'BEGIN { print "rules: r.yaml"; print "runs:"; print "  - {name: a, counters: x.csv}"; for (i = 0; i < 300000; i++) print "# padding padding padding padding" }' >"$T/big.yaml"
ls_run compare "$T/big.yaml"
expect 65 'big.yaml: larger than 4 MiB' "a 10 MB manifest: refused before it is parsed"
{ echo 'schema: leakslope/rules/1'; echo 'id: X'; echo 'title: t'
  echo 'module: {name: mapi32.dll, fixed_version: 1.0}'; echo 'prerequisites:'
  echo '  - &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
  for i in 1 2 3 4 5 6 7 8 9; do
    printf '  - &a%d [*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d]\n' $i \
      $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1)) $((i-1))
  done; echo 'predictions: []'; } >"$T/laughs.yaml"
printf 'rules: laughs.yaml\nruns:\n  - {name: a, counters: x.csv}\n' >"$T/laughs-m.yaml"
ls_run compare "$T/laughs-m.yaml"
expect 65 'laughs.yaml:6:5: a prerequisite is not a text value' \
  "billion laughs in a rules file: aliases are not expanded, the first list is an error"

# --- CSV: quoted fields, cells, rows, columns --------------------------------
awk 'BEGIN { print "time,event,pid,process,module"
             print "2026-03-05T21:58:08Z,load,7228,\"mapitest.exe"
             s = "x,"; while (length(s) < 10000) s = s s
             for (i = 0; i < 1100; i++) print s }' >"$T/openq.csv"
ls_run events "$T/openq.csv"
expect 65 'openq.csv:2:32: field longer than 1 MiB' \
  "own CSV: a quote open over 1,100 lines of 16 KB fails at its quote, once past 1 MiB"
awk 'BEGIN { print "time,event,pid,process,module"; s = "x"
             while (length(s) < 1100000) s = s s
             print "2026-03-05T21:58:08Z,load,7228,mapitest.exe," s }' >"$T/cell.csv"
ls_run events "$T/cell.csv"
expect 65 'cell.csv:2:45: field longer than 1 MiB' "own CSV: a 2 MB cell is refused at its start"
awk 'BEGIN { print "time,event,pid,process,module"; printf "2026-03-05T21:58:08Z,load,7228,mapitest.exe,a"
             for (i = 0; i < 5000; i++) printf ",x"; print "" }' >"$T/wide.csv"
ls_run events "$T/wide.csv"
expect 65 'wide.csv:2:8229: more than 4096 fields in a record' \
  "own CSV: a row of 5,005 fields is refused at the 4097th"
awk -v h="$hdr" 'BEGIN { printf "%s", h; for (i = 0; i < 12000; i++) printf ",\"\\\\vm\\Process(a%d)\\Private Bytes\"", i
                         print "x"; print "\"11/25/2026 21:51:04.244\"" }' >"$T/hdr.csv"
ls_run inspect "$T/hdr.csv"
expect 65 'hdr.csv:1:432960: text after a closing quote' \
  "a 433 KB header line that goes wrong at its end: the error at its column"
awk -v h='"(PDH-CSV 4.0) (GMT Standard Time)(0)"' \
  'BEGIN { printf "%s", h; for (i = 0; i < 200001; i++) printf ",\"\\\\m\\o\\c\""; print "" }' >"$T/cols.csv"
ls_run inspect "$T/cols.csv"
expect 65 'cols.csv:1:2000040: more than 200000 counters' \
  "a header of 200,001 counters is refused at the one past the limit"

# --- traces: many distinct pids and paths --------------------------------------
awk -v n=$npids 'BEGIN { print "time,event,pid,process,module"
             for (i = 0; i < n; i++)
               printf "2026-03-05T21:58:08Z,load,%d,mapitest.exe,C:\\d%d\\mapi32.dll\n", i, i }' >"$T/pids.csv"
ls_run events -p mapitest -m mapi32.dll -f json "$T/pids.csv"
[ "$rc" = 0 ] && grep -q "\"loads\": $npids" "$T/out" && grep -q "matches $npids paths.* and $((npids - 8)) more" "$T/err"
check_status $? "$npids distinct pids and paths: read in one pass (was quadratic), the warning names 8"

awk -v n=$npids 'BEGIN { for (i = 0; i < n; i++)
               printf "[pid %d] 1772827200.%06d mapitest->dlopen(\"/x/lib%d.so\", 1) = 0x%x\n", i + 1, i, i, 4096 + i }' >"$T/lt.txt"
ls_run events -f json "$T/lt.txt"
[ "$rc" = 0 ] && grep -q "\"events\": $npids" "$T/out"
check_status $? "ltrace: $npids pids and handles in one pass (was 19 s of look-ups at 100,000)"

# --- numbers out of range: pids, times ------------------------------------------
sed '2s/134170426880000000/9223372036854775807/' "$abs_top_srcdir/tests/fuzz/tracerpt_csv/seed.csv" >"$T/tr-big.csv"
ls_run events --clock-offset 100000000000 "$T/tr-big.csv"
expect 65 'tr-big.csv:2: event time out of range (expected a year from 1601 to 9999)' \
  "tracerpt CSV: a FILETIME of 2^63-1 is refused before --clock-offset is added"
ls_run events --clock-offset 1e300 "$D/trace/own-basic.csv"
expect 2 "clock-offset wants seconds" "--clock-offset 1e300 is a usage error, not an overflow"
sed 's/"ProcessId": *7228/"ProcessId": 99999999999/' "$D/trace/sysmon-records.json" >"$T/sj.json"
ls_run events "$T/sj.json"
expect 65 "sj.json:45:20: bad ProcessId '99999999999'" "Sysmon JSON: a pid past 32 bits is an error at its cell"
sed "s/ProcessId'>7228</ProcessId'>99999999999999999999</" "$abs_top_srcdir/tests/fuzz/sysmon_xml/seed.xml" >"$T/sx.xml"
ls_run events "$T/sx.xml"
expect 65 "sx.xml:1:725: bad ProcessId '99999999999999999999'" "Sysmon XML: a 20-digit pid is an error, not LLONG_MAX"
printf 'time,event,pid,process,module\n2026-03-05T21:58:08Z,load,99999999999999999999,mapitest.exe,C:\\x\\mapi32.dll\n' >"$T/bigpid.csv"
ls_run events "$T/bigpid.csv"
expect 65 'bigpid.csv:2:27: not a process id' "own CSV: a 20-digit pid is an error at its cell"

# --- bytes: NUL, UTF-16 surrogates, gzip ---------------------------------------
printf 'time,event,pid,process,module\n2026-03-05T21:58:08Z,load,7228,map\000itest.exe,C:\\x\\mapi32.dll\n' >"$T/nul.csv"
ls_run events "$T/nul.csv"
expect 65 'nul.csv:2:35: NUL byte in the text' "a NUL inside a trace's process name is an error, not a cut name"
printf '%s\n%s\n' "$hdr" '"11/25/2026 21:51:04.244","1\0002"' >"$T/nul-log.csv"
ls_run inspect "$T/nul-log.csv"
expect 65 "nul-log.csv:2:29: bad number '1\\\\0002'" "a NUL in a counter log's cell: a bad number at its column, shown escaped"
# UTF-16LE with a BOM, a lone high surrogate (D800) before 'P' of Process.
{ printf '\377\376'; printf '%s\r\n%s\r\n' "$hdr" "$row" | iconv -f utf-8 -t utf-16le | \
    sed 's/P\x00r\x00o\x00/\x00\xd8P\x00r\x00o\x00/'; } >"$T/surr.csv"
ls_run inspect "$T/surr.csv"
expect 65 'surr.csv:1:46: lone UTF-16 surrogate 0xD800' "UTF-16LE: a lone high surrogate is an error at its column"
{ printf '\377\376'; printf '%s\r\n%s\r\n' "$hdr" "$row" | iconv -f utf-8 -t utf-16le; printf '\000\334'; } >"$T/surr2.csv"
ls_run inspect "$T/surr2.csv"
expect 65 'surr2.csv:3:1: lone UTF-16 surrogate 0xDC00' "UTF-16LE: a lone low surrogate is an error"
{ echo "$hdr"; yes "$row" | head -n $nrows; } | gzip -9 >"$T/bomb.csv.gz"
ls_run inspect --max-bytes 1M "$T/bomb.csv.gz"
expect 65 'bomb.csv.gz:.*gzip data inflates past 1048576 bytes' \
  "gzip bomb ($(gzip -dc "$T/bomb.csv.gz" | wc -c) bytes in $(wc -c <"$T/bomb.csv.gz")) with --max-bytes 1M: stops at 1 MiB"
ls_run inspect -f json --max-bytes 0 "$T/bomb.csv.gz"
[ "$rc" = 0 ] && grep -q "\"samples\": $nrows" "$T/out"
check_status $? "... and --max-bytes 0 reads all $nrows rows"
ls_run inspect --max-bytes 1X "$T/bomb.csv.gz"
expect 2 '\-\-max-bytes wants a number of bytes' "--max-bytes 1X is a usage error"
head -c 2000 "$T/bomb.csv.gz" >"$T/cut.csv.gz"
ls_run inspect "$T/cut.csv.gz"
expect 65 'cut.csv.gz:[0-9]*:[0-9]*: truncated gzip stream' "a truncated gzip stream is an error where the text stops"
{ echo "$hdr"; echo "$row"; } | gzip >"$T/cat.csv.gz"
echo '"11/25/2026 21:51:05.244","2"' | gzip >>"$T/cat.csv.gz"
ls_run inspect -f json "$T/cat.csv.gz"
[ "$rc" = 0 ] && grep -q '"samples": 2' "$T/out"
check_status $? "two concatenated gzip members read as one file"

# --- manifest paths: '..', symlinks, devices -----------------------------------
mkdir -p "$T/m/runs" "$T/other"
cp "$D/analyze/leak/counters.csv" "$T/other/perf.csv"
cp "$D/analyze/leak/events.csv" "$T/other/ev.csv"
ln -s ../../other/perf.csv "$T/m/runs/link.csv"
ln -s /dev/zero "$T/m/runs/zero.csv"
printf 'rules: kb901014\nprocess: mapitest\nruns:\n  - {name: up, counters: ../other/perf.csv, events: ../other/ev.csv}\n  - {name: link, counters: runs/link.csv, events: ../other/ev.csv}\n' >"$T/m/m.yaml"
ls_run compare -q "$T/m/m.yaml"
[ "$rc" = 0 ] && [ "$(grep -c 'leaks 40.0 KiB' "$T/out")" = 2 ]
check_status $? "manifest paths with '..' and through a symlink read the files they name"
printf 'rules: kb901014\nprocess: mapitest\nruns:\n  - {name: zero, counters: runs/zero.csv}\n' >"$T/m/z.yaml"
ls_run compare "$T/m/z.yaml"
expect 65 'zero.csv: binary data' "a run's counters linked to /dev/zero: binary data, at once"
# --- events: --max-events and the manifest's max_bytes, max_events ---------
# (the default is 20,000,000; a lowered limit checks the same path)
ls_run events --max-events 3 "$D/analyze/leak/events.csv"
expect 65 'leak/events.csv:5: more than 3 image events in the traces of one run' \
  "events --max-events 3: refused at the line of the 4th event"
ls_run events -f json --max-events 0 "$D/analyze/leak/events.csv"
[ "$rc" = 0 ] && grep -q '"events": 244' "$T/out"
check_status $? "... and --max-events 0 reads all 244"
ls_run scan --max-events 3 -e "$D/analyze/leak/events.csv" "$D/analyze/leak/counters.csv"
expect 65 'leak/events.csv:5: more than 3 image events' "scan --max-events 3: the same limit in scan's one pass"
ls_run events --max-events -1 "$D/analyze/leak/events.csv"
expect 2 '\-\-max-events wants a count of events' "--max-events -1 is a usage error"
cp "$D/analyze/leak/counters.csv" "$D/analyze/leak/events.csv" "$T/m/"
printf 'rules: kb901014\nprocess: mapitest\nruns:\n  - {name: a, counters: counters.csv, events: events.csv, max_events: 3}\n' >"$T/m/ev.yaml"
ls_run compare "$T/m/ev.yaml"
expect 65 'm/events.csv:5: more than 3 image events' "manifest max_events: 3 in a run: its trace refused at the 4th event"
cp "$T/bomb.csv.gz" "$T/m/bomb.csv.gz"
printf 'rules: kb901014\nprocess: a\nmax_bytes: 1M\nruns:\n  - {name: a, counters: bomb.csv.gz}\n' >"$T/m/mb.yaml"
ls_run compare "$T/m/mb.yaml"
expect 65 'bomb.csv.gz:[0-9]*:[0-9]*: gzip data inflates past 1048576 bytes' \
  "manifest max_bytes: 1M at the top: a run's gzip bomb stops at 1 MiB"
printf 'rules: kb901014\nprocess: a\nmax_bytes: 1X\nruns:\n  - {name: a, counters: bomb.csv.gz}\n' >"$T/m/mb.yaml"
ls_run compare "$T/m/mb.yaml"
expect 65 "mb.yaml:3:12: max_bytes wants a number of bytes" "manifest max_bytes: 1X: an error naming the key at its value"
! grep -q -- "--max-bytes" "$T/err"
check_status $? "... and not the command-line option"
printf 'rules: kb901014\nprocess: a\nruns:\n  - {name: a, counters: bomb.csv.gz, max_bytes: [1]}\n' >"$T/m/mb.yaml"
ls_run compare "$T/m/mb.yaml"
expect 65 "mb.yaml:4:49: max_bytes is not a byte count" "manifest max_bytes: [1]: not a byte count, at its column"

# --- JSON: a string past 1 MiB ------------------------------------------------
awk 'BEGIN { s = "x"; while (length(s) < 1100000) s = s s }
     /"ImageLoaded"/ && !done { sub(/"C:[^"]*"/, "\"" s "\""); done = 1 } { print }' \
  "$D/trace/sysmon-records.json" >"$T/long.json"
ls_run events "$T/long.json"
expect 65 'long.json:47:22: string longer than 1 MiB' "Sysmon JSON: a 2 MB string is refused at its start"
done_testing
