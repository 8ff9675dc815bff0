#!/bin/sh
# capture.sh — `leakslope capture` on a real leaking process: the sample
# driver loads and unloads samples/leaky's library a fixed number of times.
# Checked from the files written: counters.csv is PDH-CSV 4.0 as perfmon
# writes it (zone and bias of a POSIX TZ, no tzdata needed), events.csv has
# one load and one unload per cycle, and Private Bytes grows by the leak the
# library was built with per cycle (within 10%), or by under 1% of that
# with the cleanup variable set. Everything is driven by cycle counts: the
# sampling interval only decides how many samples there are, so a loaded
# machine gives fewer samples, not a different answer.
#
# leakslope runs through $LEAKSLOPE_RUN (valgrind under check-valgrind);
# the driver it starts does not (valgrind follows children only with
# --trace-children), and the driver and library are built without
# sanitizers: they leak on purpose.
. "$abs_top_srcdir/tests/lib.sh"

[ "$(uname -s)" = Linux ] && [ -r /proc/self/maps ] ||
  skip_all "capture reads /proc (Linux only)"

driver="$abs_top_builddir/samples/leaky/leaky-driver"
library="$abs_top_builddir/samples/leaky/.libs/libleaky.so"
: "${LEAKSLOPE_PRELOAD:=$abs_top_builddir/src/audit/.libs/leakslope-audit.so}"
export LEAKSLOPE_PRELOAD
for f in "$driver" "$library" "$LEAKSLOPE_PRELOAD"; do
  [ -r "$f" ] || skip_all "$f not built (make check builds it)"
done

# The leak per cycle, from the library's own source: the known truth.
leak=$(sed -n 's/^#define LEAKY_BYTES_PER_CYCLE (\([0-9]*\)L \* 1024)$/\1/p' \
  "$abs_top_srcdir/samples/leaky/leaky.h")
leak=$((leak * 1024))
cycles=300
# Bursts of 50 cycles 5 ms apart, 0.25 s between bursts: the cycle rate
# varies, so analyze can tell growth per cycle from growth per hour.
bursts="-p 0.005 -b 50 -w 0.25"

TZ='CET-1CEST,M3.5.0,M10.5.0/3'
export TZ
unset LEAKY_CLEANUP_HEAP

# --- awk helpers --------------------------------------------------------------
# Seconds since the epoch of a civil date and time (Hinnant's days_from_civil).
AWK_TIME='
function days(y, m, d,   era, yoe, doy, doe) {
  y += 0; m += 0; d += 0; y -= (m <= 2); era = int((y >= 0 ? y : y - 399) / 400); yoe = y - era * 400
  doy = int((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
  doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
  return era * 146097 + doe - 719468
}
function secs(y, mo, d, h, mi, s) { return days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s }
# "2026-03-05T21:58:08.724656Z"
function iso(t) {
  return secs(substr(t, 1, 4), substr(t, 6, 2), substr(t, 9, 2), substr(t, 12, 2),
              substr(t, 15, 2), substr(t, 18, 9))
}
# "03/05/2026 21:58:08.724" local, bias minutes: UTC = local + bias
function pdh(t, bias) {
  return secs(substr(t, 7, 4), substr(t, 1, 2), substr(t, 4, 2), substr(t, 12, 2),
              substr(t, 15, 2), substr(t, 18, 6)) + bias * 60
}'

# pdh_structure FILE ZONE BIAS: prints "ROWS PID" when FILE is PDH-CSV 4.0 with
# the five Process counters of leaky-driver, every cell quoted, CRLF, local
# time stamps and integer values; else a reason on stderr and status 1.
pdh_structure() {
  awk -v zone="$2" -v bias="$3" '
    function bad(why) { print FILENAME ":" NR ": " why > "/dev/stderr"; err = 1; exit 1 }
    {
      if (substr($0, length($0)) != "\r") bad("no CRLF")
      line = substr($0, 1, length($0) - 1)
      if (line !~ /^"[^"]*"(,"[^"]*")*$/) bad("not every cell quoted")
      n = split(substr(line, 2, length(line) - 2), c, "\",\"")
      if (n != 6) bad(n " cells, want 6")
    }
    NR == 1 {
      if (c[1] != "(PDH-CSV 4.0) (" zone ")(" bias ")") bad("cell 0 is " c[1])
      split("Private Bytes|Virtual Bytes|Working Set|ID Process|Handle Count", want, "|")
      for (i = 2; i <= 6; i++)
        if (c[i] !~ "^\\\\\\\\[^\\\\]+\\\\Process\\(leaky-driver\\)\\\\" want[i - 1] "$")
          bad("counter " i " is " c[i])
      next
    }
    {
      if (c[1] !~ /^[01][0-9]\/[0-3][0-9]\/20[0-9][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9][0-9][0-9]$/)
        bad("time stamp " c[1])
      for (i = 2; i <= 6; i++) if (c[i] !~ /^[0-9]+$/) bad("value " c[i])
      if (pid == "") pid = c[5]
      if (c[5] != pid) bad("ID Process changed")
      rows++
    }
    END { if (!err) print rows, pid }' "$1"
}

# slope COUNTERS EVENTS BIAS: least-squares slope of Private Bytes against the
# number of loads logged before each sample (samples after the first load).
slope() {
  awk -v bias="$3" "$AWK_TIME"'
    FNR == 1 { file++; next }
    file == 1 { gsub(/\r/, ""); n = split($0, c, "\",\""); sub(/^"/, "", c[1])
                t[++ns] = pdh(c[1], bias); p[ns] = c[2] + 0; next }
    file == 2 { split($0, e, ","); if (e[2] == "load") load[++nl] = iso(e[1]) }
    END {
      j = 0
      for (i = 1; i <= ns; i++) {
        while (j < nl && load[j + 1] <= t[i]) j++
        if (j == 0) continue
        m++; sx += j; sy += p[i]; sxx += j * j; sxy += j * p[i]
      }
      if (m < 5 || m * sxx == sx * sx) { print "none"; exit }
      printf "%.1f %d\n", (m * sxy - sx * sy) / (m * sxx - sx * sx), m
    }' "$1" "$2"
}

# loads_of EVENTS: how many loads of the library the file has (0 if none).
loads_of() {
  awk -F, -v lib="$library" '$2 == "load" && $5 == lib { n++ } END { print n + 0 }' "$1" 2>/dev/null || echo 0
}

zone=$(date +%Z)
bias=$(date +%z | awk '{ s = substr($0, 1, 1); v = substr($0, 2, 2) * 60 + substr($0, 4, 2);
                          print (s == "-" ? v : -v) }')

# --- a leaking run ------------------------------------------------------------
out="$TMPD/leak"
ls_run capture -o "$out" -i 0.02 -m libleaky.so -- "$driver" -n "$cycles" $bursts -l "$library"
if [ "$rc" -eq 0 ]; then ok "leaking run: capture exits 0"; else not_ok "leaking run: exit $rc"; diagnose "$TMPD/err"; fi
check "leaking run: both files renamed into place, no .partial left" \
  test -f "$out/counters.csv" -a -f "$out/events.csv" -a ! -e "$out/counters.csv.partial" -a ! -e "$out/events.csv.partial"

if structure=$(pdh_structure "$out/counters.csv" "$zone" "$bias" 2>"$TMPD/why"); then
  ok "counters.csv is PDH-CSV 4.0: header ($zone)($bias), quoted cells, CRLF, $structure (rows, pid)"
else
  not_ok "counters.csv is not PDH-CSV 4.0 as perfmon writes it"; diagnose "$TMPD/why"
fi
rows=${structure% *}
pid=${structure#* }

ls_run inspect --format json "$out/counters.csv"
if [ "$rc" -ne 0 ]; then
  not_ok "leakslope inspect reads counters.csv (exit $rc)"; diagnose "$TMPD/err"
elif grep -q "\"samples\": *${rows:-x}[,}]" "$TMPD/out"; then
  ok "leakslope inspect reads counters.csv: $rows samples"
else
  not_ok "leakslope inspect does not count $rows samples"; diagnose "$TMPD/out"
fi

check "events.csv header is the project's own format" \
  test "$(head -n 1 "$out/events.csv")" = "time,event,pid,process,module,resolved"
counts=$(awk -F, -v pid="$pid" -v lib="$library" '
  NR > 1 && $3 == pid && $4 == "leaky-driver" && $5 == lib && $6 ~ /^\/.*\/libleaky\.so$/ { n[$2]++ }
  NR > 1 { all++ }
  END { printf "%d %d %d", n["load"], n["unload"], all }' "$out/events.csv")
check "events.csv: $cycles loads and $cycles unloads of the library by pid $pid, nothing else (got $counts)" \
  test "$counts" = "$cycles $cycles $((2 * cycles))"
ls_run events -p leaky-driver -m libleaky.so --format json "$out/events.csv"
if [ "$rc" -ne 0 ]; then
  not_ok "leakslope events reads events.csv (exit $rc)"; diagnose "$TMPD/err"
elif grep -q "\"cycles\": *$cycles[,}]" "$TMPD/out"; then
  ok "leakslope events reads events.csv: $cycles cycles of libleaky.so"
else
  not_ok "leakslope events does not find $cycles cycles"; diagnose "$TMPD/out" "$TMPD/err"
fi
check "events.csv: times are ISO 8601 UTC with 6 digits" \
  awk -F, 'NR > 1 && $1 !~ /^20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\.[0-9][0-9][0-9][0-9][0-9][0-9]Z$/ { exit 1 }' "$out/events.csv"

# The bias turns the local time stamps back into UTC: the first sample and
# the first load are within a minute of each other (a wrong sign is an hour).
first_gap=$(awk -v bias="$bias" "$AWK_TIME"'
  FILENAME ~ /counters/ && FNR == 2 { gsub(/\r|"/, ""); split($0, c, ","); a = pdh(c[1], bias) }
  FILENAME ~ /events/ && FNR == 2 { split($0, e, ","); b = iso(e[1]) }
  END { d = a - b; printf "%d", d < 0 ? -d : d }' "$out/counters.csv" "$out/events.csv")
check "local time stamps + bias = UTC: first sample and first load $first_gap s apart" \
  test "$first_gap" -lt 60

set -- $(slope "$out/counters.csv" "$out/events.csv" "$bias")
leak_slope=${1:-none}
if [ "$leak_slope" != none ] &&
   awk -v s="$leak_slope" -v l="$leak" 'BEGIN { exit !(s > 0.9 * l && s < 1.1 * l) }'; then
  ok "Private Bytes grows $leak_slope bytes per cycle over $2 samples (built to leak $leak, within 10%)"
else
  not_ok "Private Bytes slope $leak_slope (${2:-0} samples), want $leak within 10%"
fi

# analyze_json OUT: run analyze on OUT's files; 0 when it ran.
analyze_json() {
  ls_run analyze -e "$1/events.csv" -p leaky-driver -m libleaky.so --format json "$1/counters.csv"
  tr -d ' \n' <"$TMPD/out" >"$TMPD/flat"
  [ "$rc" -eq 0 ]
}
# leak_field NAME: bytes_per_cycle, ci_low or ci_high of the "leak" object.
leak_field() {
  sed -n 's/.*"leak":{"bytes_per_cycle":\([^,]*\),"ci95":\[\([^,]*\),\([^]]*\)\].*/\1 \2 \3/p' "$TMPD/flat" |
    awk -v f="$1" '{ print (f == "bytes_per_cycle" ? $1 : f == "ci_low" ? $2 : $3) }'
}
if ! analyze_json "$out"; then
  not_ok "analyze finds the leak (exit $rc)"; diagnose "$TMPD/err"
else
  got=$(leak_field bytes_per_cycle)
  check "analyze finds ${got:-no} bytes per cycle (built to leak $leak, within 10%)" \
    awk -v s="${got:-0}" -v l="$leak" 'BEGIN { exit !(s > 0.9 * l && s < 1.1 * l) }'
fi

# --- the same with the cleanup setting (and -m in another case) --------------
out="$TMPD/clean"
LEAKY_CLEANUP_HEAP=1
export LEAKY_CLEANUP_HEAP
ls_run capture -o "$out" -i 0.02 -m LIBLEAKY.SO -- "$driver" -n "$cycles" $bursts -l "$library"
unset LEAKY_CLEANUP_HEAP
check "cleanup run: capture exits 0" test "$rc" -eq 0
loads=$(grep -c ',load,' "$out/events.csv")
check "cleanup run: -m matches case-insensitively ($loads loads)" test "$loads" -eq "$cycles"
set -- $(slope "$out/counters.csv" "$out/events.csv" "$bias")
clean_slope=${1:-none}
if [ "$clean_slope" != none ] && [ "$leak_slope" != none ] &&
   awk -v c="$clean_slope" -v s="$leak_slope" 'BEGIN { exit !(c < 0.01 * s && c > -0.01 * s) }'; then
  ok "cleanup run: Private Bytes slope $clean_slope bytes per cycle, under 1% of $leak_slope"
else
  not_ok "cleanup run: slope $clean_slope, want under 1% of $leak_slope"
fi

if ! analyze_json "$out"; then
  not_ok "cleanup run: analyze's interval (exit $rc)"; diagnose "$TMPD/err"
else
  got=$(leak_field ci_high)
  check "cleanup run: analyze's 95% interval ends at ${got:-nothing}, under 1% of $leak" \
    awk -v s="${got:-x}" -v l="$leak" 'BEGIN { exit !(s != "x" && s + 0 < 0.01 * l) }'
fi

# --- without -m: every object, the main program and libc included -------------
out="$TMPD/all"
ls_run capture -o "$out" -i 0.05 -- "$driver" -n 2 -p 0 -l "$library"
check "without -m: exit 0" test "$rc" -eq 0
check "without -m: the main program's load is logged" \
  awk -F, '$2 == "load" && $6 ~ /^\/.*\/leaky-driver$/ { f = 1 } END { exit !f }' "$out/events.csv"
check "without -m: libc's load and its unload at exit are logged" \
  awk -F, '$5 ~ /libc\.so\.6$/ { n[$2]++ } END { exit !(n["load"] == 1 && n["unload"] == 1) }' "$out/events.csv"
check "without -m: the library's 2 cycles" \
  test "$(loads_of "$out/events.csv")" -eq 2

# --- a program that execs another is followed by pid, under its first name ------
out="$TMPD/exec"
ls_run capture -o "$out" -i 0.05 -m libleaky.so -- /bin/sh -c 'exec "$0" -n 5 -p 0.01 -l "$1"' \
  "$driver" "$library"
check "exec: exit 0" test "$rc" -eq 0
structure=$(awk -F'","' 'NR == 2 { print $5 }' "$out/counters.csv")
n=$(awk -F, -v pid="$structure" '$2 == "load" && $3 == pid && $4 == "sh" { n++ } END { print n + 0 }' "$out/events.csv")
check "exec: the 5 loads of the exec'd driver are logged for the same pid ($structure) and name (sh)" \
  test "$n" -eq 5
check "exec: the counters are those of Process(sh)" \
  grep -q '\\Process(sh)\\Private Bytes' "$out/counters.csv"

# --- failures -------------------------------------------------------------------
ls_run capture -o "$TMPD/fail" -i 0.05 -- "$driver" -n 1 -l "$TMPD/no-such-library.so"
check "a failing program: exit 1" test "$rc" -eq 1
check "a failing program: its status is reported" grep -q 'leaky-driver exited with status 1' "$TMPD/err"
check "a failing program: both files are still written" \
  test -f "$TMPD/fail/counters.csv" -a -f "$TMPD/fail/events.csv"

ls_run capture -o "$TMPD/noexec" -- "$TMPD/no-such-program"
check "a missing program: exit 66" test "$rc" -eq 66
check "a missing program: clear message" \
  grep -q "^leakslope: $TMPD/no-such-program: cannot run: No such file or directory$" "$TMPD/err"
check "a missing program: no files left behind" \
  test -z "$(ls "$TMPD/noexec" 2>/dev/null)"

ls_run capture -o "$TMPD/usage"
check "no PROGRAM: usage error, exit 2" test "$rc" -eq 2
ls_run capture -o "$TMPD/usage" "$driver" -n 1
check "PROGRAM without --: usage error, exit 2" test "$rc" -eq 2 -a ! -e "$TMPD/usage"
ls_run capture -o "$TMPD/usage" "$driver" -- -n 1
check "PROGRAM before --: usage error, exit 2" test "$rc" -eq 2 -a ! -e "$TMPD/usage"
ls_run capture -i 0 -- "$driver"
check "-i 0: usage error, exit 2" test "$rc" -eq 2
ls_run capture -i nan -- "$driver"
check "-i nan: usage error, exit 2" test "$rc" -eq 2

LEAKSLOPE_PRELOAD="$TMPD/missing-audit.so" ls_run capture -o "$TMPD/noaudit" -- "$driver" -n 1
check "a missing audit library: exit 69" test "$rc" -eq 69

# --- stopping: --duration and a forwarded SIGTERM ---------------------------------
ls_run capture -o "$TMPD/dur" -i 0.05 --duration 0.5 -- "$driver" -n 1000000 -p 0.01 -l "$library"
check "--duration: the program is stopped, exit 0" test "$rc" -eq 0
check "--duration: both files in place" test -f "$TMPD/dur/counters.csv" -a -f "$TMPD/dur/events.csv"

out="$TMPD/term"
$LEAKSLOPE_RUN "$LEAKSLOPE" capture -o "$out" -i 0.05 -- "$driver" -n 1000000 -p 0.01 -l "$library" \
  >"$TMPD/term.out" 2>"$TMPD/term.err" &
capture_pid=$!
# Wait (by events, not by a fixed time) until the program runs its cycles.
tries=0
while [ "$(loads_of "$out/events.csv.partial")" -lt 3 ] &&
      [ $tries -lt 600 ]; do
  sleep 0.1; tries=$((tries + 1))
done
check "SIGTERM test: the partial files are readable while the capture runs" \
  test -f "$out/counters.csv.partial" -a -f "$out/events.csv.partial"
kill -TERM "$capture_pid"
rc=0; wait "$capture_pid" || rc=$?
check "SIGTERM is forwarded: the program is killed by it, capture exits 1" test "$rc" -eq 1
check "SIGTERM: reported as such" grep -q 'was killed by signal 15' "$TMPD/term.err"
check "SIGTERM: both files renamed into place" \
  test -f "$out/counters.csv" -a -f "$out/events.csv" -a ! -e "$out/counters.csv.partial"

# --- the committed Linux samples (samples/linux) ----------------------------------
samples="$abs_top_srcdir/samples/linux"
for run in baseline hotfix hotfix-cleanup; do
  dir="$samples/$run"
  if structure=$(pdh_structure "$dir/counters.csv" CET -60 2>"$TMPD/why"); then
    ok "samples/linux/$run: counters.csv is PDH-CSV 4.0 with bias -60 (${structure% *} rows)"
  else
    not_ok "samples/linux/$run: counters.csv"; diagnose "$TMPD/why"
  fi
  n=$(awk -F, '$5 == "libleaky.so" { n[$2]++ } END { printf "%d %d", n["load"], n["unload"] }' "$dir/events.csv")
  check "samples/linux/$run: 200 loads and 200 unloads of libleaky.so (got $n)" test "$n" = "200 200"
  set -- $(slope "$dir/counters.csv" "$dir/events.csv" -60)
  eval "slope_$(echo "$run" | tr - _)=\${1:-none}"
done
check "samples/linux/baseline: $slope_baseline bytes per cycle (64 KiB within 10%)" \
  awk -v s="$slope_baseline" -v l="$leak" 'BEGIN { exit !(s > 0.9 * l && s < 1.1 * l) }'
check "samples/linux/hotfix: $slope_hotfix bytes per cycle (64 KiB within 10%)" \
  awk -v s="$slope_hotfix" -v l="$leak" 'BEGIN { exit !(s > 0.9 * l && s < 1.1 * l) }'
check "samples/linux/hotfix-cleanup: $slope_hotfix_cleanup bytes per cycle (under 1% of 64 KiB)" \
  awk -v s="$slope_hotfix_cleanup" -v l="$leak" 'BEGIN { exit !(s < 0.01 * l && s > -0.01 * l) }'
# reg_export_ok FILE WANT: a BOM, UTF-16LE text with CRLF on every line, the
# regedit 5 signature, and WANT as the only CleanUpMAPIHeap line ("" none).
reg_export_ok() {
  [ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' ')" = fffe ] || return 1
  iconv -f UTF-16LE -t UTF-8 "$1" >"$TMPD/reg.txt" || return 1
  [ "$(head -n 1 "$TMPD/reg.txt" | tr -d '\r')" = "$(printf '\357\273\277')Windows Registry Editor Version 5.00" ] || return 1
  awk '!/\r$/ { exit 1 }' "$TMPD/reg.txt" || return 1
  [ "$(tr -d '\r' <"$TMPD/reg.txt" | grep CleanUpMAPIHeap || true)" = "$2" ]
}
check "samples/linux/baseline/mapi.reg: a reg export without CleanUpMAPIHeap" \
  reg_export_ok "$samples/baseline/mapi.reg" ""
check "samples/linux/hotfix/mapi.reg: a reg export with CleanUpMAPIHeap=0" \
  reg_export_ok "$samples/hotfix/mapi.reg" '"CleanUpMAPIHeap"=dword:00000000'
check "samples/linux/hotfix-cleanup/mapi.reg: a reg export with CleanUpMAPIHeap=1" \
  reg_export_ok "$samples/hotfix-cleanup/mapi.reg" '"CleanUpMAPIHeap"=dword:00000001'

# Named cycles: lines on $LEAKSLOPE_MARK_FD become begin:/end: rows (issue 17)
out="$TMPD/marks"
ls_run capture -o "$out" -i 0.05 -- sh -c 'for i in 1 2 3; do
  echo begin:logon >&$LEAKSLOPE_MARK_FD; sleep 0.1; echo end:logon >&$LEAKSLOPE_MARK_FD
done; printf "end:logon\r\nnot a mark\n" >&$LEAKSLOPE_MARK_FD'
b=$(grep -c ',begin:logon,[0-9]*,sh,,$' "$out/events.csv")
e=$(grep -c ',end:logon,[0-9]*,sh,,$' "$out/events.csv")
check "marks: 3 begin:logon and 4 end:logon rows, CRLF taken (got $b, $e)" \
  test "$rc.$b.$e" = "0.3.4"
check "marks: a line that is no mark is warned about, not logged" \
  sh -c "grep -q \"wrote 'not a mark' on LEAKSLOPE_MARK_FD\" '$TMPD/err' && ! grep -q 'not a mark' '$out/events.csv'"
ls_run events -f json -p sh -m :logon "$out/events.csv"
check "marks: events pairs them into 3 logon cycles" \
  sh -c "[ $rc = 0 ] && tr -d ' \n' <'$TMPD/out' | grep -q '\"cycles\":3,'"

done_testing
