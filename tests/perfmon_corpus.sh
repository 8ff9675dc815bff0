#!/bin/sh
# perfmon_corpus.sh — every text export in the real-world corpus is read, and
# for each the counter count, sample count, first and last UTC time match
# what the file holds (SOURCES.md of the corpus, checked by hand against the
# rows); a few values are checked through `inspect --counter`. The binary
# .blg files are read (counts and spans as SOURCES.md says), and the CSV
# named .blg is refused for its missing signature.
. "$abs_top_srcdir/tests/lib.sh"
# corpus_dir prints the skip plan and exits when the corpus is absent.
{ [ -n "${LEAKSLOPE_CORPUS:-}" ] && [ -d "$LEAKSLOPE_CORPUS" ]; } || corpus_dir
C=$LEAKSLOPE_CORPUS/perfmon
[ -d "$C" ] || skip_all "no perfmon folder in $LEAKSLOPE_CORPUS"

# top-level JSON field KEY of $TMPD/out, without quotes and comma
field() { sed -n "s/^  \"$1\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$TMPD/out"; }

# expect FILE COUNTERS SAMPLES FIRST_UTC LAST_UTC [OPTIONS...]
expect() {
  f=$1 nc=$2 ns=$3 first=$4 last=$5; shift 5
  ls_run inspect -q -f json "$@" "$C/$f"
  got="rc=$rc counters=$(grep -c '"path":' "$TMPD/out") samples=$(field samples) first=$(field first_utc) last=$(field last_utc)"
  want="rc=0 counters=$nc samples=$ns first=$first last=$last"
  if [ "$got" = "$want" ]; then ok "$f: $nc counters, $ns samples, $first .. $last"
  else not_ok "$f: got $got, want $want"; diagnose "$TMPD/err"; fi
}

expect powershell_countersamples_pst.csv 10 25 2016-11-26T21:46:30.874000Z 2016-11-26T21:47:42.983000Z
expect powershell_countersamples_pst.tsv 10 25 2016-11-26T21:46:30.874000Z 2016-11-26T21:47:42.983000Z
expect memedata_process_private_virtual_bytes_edt.csv 8 208 2021-09-16T11:51:58.569000Z 2021-09-16T11:58:52.563000Z
expect memedata_process_private_virtual_bytes_edt_02.csv 8 30 2021-09-16T12:01:28.780000Z 2021-09-16T12:02:26.764000Z
expect pdhconverter_ru_cp1251_process_tz_truncated.csv 1104 26 2021-09-20T13:48:17.954000Z 2021-09-20T13:48:42.942000Z --encoding cp1251 --bias -180
expect cespl_es_cp1252_hora_de_verano.tsv 14 323 2022-09-26T08:48:36.777000Z 2022-09-26T08:53:58.759000Z
expect cespl_es_cp1252_hora_de_verano.csv 14 42 2022-09-19T20:44:32.813000Z 2022-09-19T20:45:13.822000Z
expect perfmonchart_us_pst_loadtest.csv 4 351 2014-02-01T08:19:44.718000Z 2014-02-01T09:47:14.718000Z
expect sample_in_ist_logicaldisk.csv 12 21 2017-09-19T04:21:39.073000Z 2017-09-19T04:26:39.072000Z
expect autoperfmon_edt_memory.csv 171 1 2023-08-20T00:07:40.536000Z 2023-08-20T00:07:40.536000Z
expect perfmonloganalyzer_cn_cst_wide_gpu.csv.gz 2631 61 2025-11-14T05:46:00.750000Z 2025-11-14T05:47:00.743000Z
expect timeseries_lk_slst_2days_15s.csv.gz 4 11520 2023-04-28T00:25:48.490000Z 2023-04-30T00:27:13.537000Z
expect vispart2_au_aedt_pbuttons_perfmon.txt.gz 105 2104 2017-01-02T13:01:19.781000Z 2017-01-03T06:32:51.957000Z

# The truncated zone: no bias, so UTC with a warning, once.
ls_run inspect -f json "$C/pdhconverter_ru_cp1251_process_tz_truncated.csv"
check "RTZ 2 (: no bias in the header, a warning once, times taken as UTC" \
  test "$rc:$(grep -c 'no time-zone bias' "$TMPD/err"):$(field first_utc)" = "0:1:2021-09-20T16:48:17.954000Z"
check "RTZ 2 (: the cp1251 hint is given" grep -q 'try --encoding cp1251' "$TMPD/err"
# Every text file is read, whatever its name.
for f in "$C"/*.csv "$C"/*.tsv "$C"/*.gz; do
  ls_run inspect -q "$f"
  check "$(basename "$f") is read (exit $rc)" test "$rc" = 0
done
# Blank counts of the wide file: 1464 blanks in counter columns (the
# description column, also blank, is skipped).
ls_run inspect -q -f json "$C/perfmonloganalyzer_cn_cst_wide_gpu.csv.gz"
blanks=$(sed -n 's/^      "blank": \([0-9]*\),*$/\1/p' "$TMPD/out" | awk '{s+=$1} END {print s}')
check "GPU log: 1464 blank cells in counter columns (got $blanks)" test "$blanks" = 1464

# value CSV_LINE_NUMBER EXPECTED_LINE FILE PATTERN [OPTIONS]
value() {
  n=$1 want=$2 f=$3 pat=$4; shift 4
  ls_run inspect -q "$@" -c "$pat" "$C/$f"
  got=$(sed -n "${n}p" "$TMPD/out")
  if [ "$rc" = 0 ] && [ "$got" = "$want" ]; then ok "$f: $pat line $n is $want"
  else not_ok "$f: $pat line $n: got '$got' (exit $rc), want '$want'"; diagnose "$TMPD/err"; fi
}
value 2 2021-09-16T11:51:58.569000Z,238132991823872 memedata_process_private_virtual_bytes_edt.csv '_Total)\Virtual Bytes'
value 2 2021-09-16T11:51:58.569000Z,19419136 memedata_process_private_virtual_bytes_edt.csv 'AnyDesk#1)\Private Bytes'
value 2 2016-11-26T21:46:30.874000Z,86.93735103284412 powershell_countersamples_pst.csv '% committed bytes in use'
value 2 2022-09-26T08:48:36.777000Z,16087552000 cespl_es_cp1252_hora_de_verano.tsv 'Memory\Available Bytes'
value 2 2021-09-20T13:48:17.954000Z,8192 pdhconverter_ru_cp1251_process_tz_truncated.csv 'Process(Idle)\Working Set' --encoding cp1251 --bias -180
value 11521 2023-04-30T00:27:13.537000Z,8122 timeseries_lk_slst_2days_15s.csv.gz 'Available MBytes'
value 2 2017-01-02T13:01:19.781000Z,36652 vispart2_au_aedt_pbuttons_perfmon.txt.gz 'Memory\Available MBytes'
value 2 2025-11-14T05:46:01.736000Z,6.949482758620689e-05 perfmonloganalyzer_cn_cst_wide_gpu.csv.gz '(0 C:)\Avg. Disk sec/Transfer'
# The first row is blank for rate counters: those lines are left out.
ls_run inspect -q -c 'cache faults/sec' "$C/powershell_countersamples_pst.csv"
check "blank first row left out of the series (24 of 25 samples)" \
  test "$(($(wc -l <"$TMPD/out") - 1))" = 24

# The binary logs, read natively: Windows 10 and 8 (one record per counter),
# Server 2003 (remote machines, bad samples), Vista (whole-object snapshots,
# their values: tests/perfmon_blg_vista.sh); the CSV named .blg is refused.
expect powershell_countersamples_pst_win10.blg 10 25 2016-11-26T21:46:30.874000Z 2016-11-26T21:47:42.983000Z
expect tx_basicperfcounters_win8_pst.blg 10 601 2013-02-20T02:50:17.844000Z 2013-02-20T03:00:17.840000Z
expect powershell_badcountersamples_ws2003.blg 26 275 2007-07-02T17:20:12.734000Z 2007-07-04T15:00:13.578000Z
expect pal_samplelog_vista_est.blg 1832 11 2007-08-14T19:40:38.659000Z 2007-08-14T19:50:38.599000Z
ls_run inspect -q -f json "$C/tx_basicperfcounters_win8_pst.blg"
check "Win8 .blg: 1 s interval, Processor(*) expanded into 0-3 and _Total" \
  sh -c '[ "$(sed -n "s/^  \"interval_seconds\": \(.*\),$/\1/p" "$1")" = 1 ] &&
    [ "$(grep -c "\"path\": .*Processor(" "$1")" = 5 ]' - "$TMPD/out"
ls_run inspect "$C/powershell_badcountersamples_ws2003.blg"
check "Server 2003 .blg: the 5 bad samples are blank, with a warning" \
  grep -q '52 cells in 5 samples have a bad status' "$TMPD/err"
# The zone each .blg stores (the trace header's TIME_ZONE_INFORMATION), named
# as relog names it and with the bias of its first sample: Vista and later
# store "@tzres.dll,-N" references (Pacific -212/-211, Eastern -112/-111),
# Server 2003 the name itself, and the Vista log's samples are in DST.
zone() {
  ls_run inspect -q -f json "$C/$1"
  tr -d '\n ' <"$TMPD/out" >"$TMPD/flat"
  want=$(printf '%s' "$2" | tr -d ' ')
  if [ "$rc" = 0 ] && grep -q "\"timezone\":{\"name\":\"$want\",\"bias_minutes\":$3," "$TMPD/flat" &&
    ! grep -q 'blg-zone-name' "$TMPD/err"; then ok "$1: zone '$2', bias $3"
  else not_ok "$1: zone '$2', bias $3 (exit $rc)"; grep -A3 '"timezone"' "$TMPD/out" | diagnose; fi
}
zone powershell_countersamples_pst_win10.blg 'Pacific Standard Time' 480
zone tx_basicperfcounters_win8_pst.blg 'Pacific Standard Time' 480
zone pal_samplelog_vista_est.blg 'Eastern Daylight Time' 240
zone powershell_badcountersamples_ws2003.blg 'SA Eastern Standard Time' 180
ls_run inspect "$C/powershell_corruptblg_csv_without_signature.blg"
check "corruptblg (a CSV named .blg): refused for its missing PDH signature (exit $rc)" \
  sh -c '[ "$1" = 65 ] && grep -q "no PDH signature" "$2"' - "$rc" "$TMPD/err"
done_testing
