#!/bin/sh
# scan_corpus.sh — `leakslope scan` on the real-world corpus: the wide logs
# (2,600 columns of GPU and disk counters, two days at 15 s) and the others
# scan without error, say when they hold no Process counters, and a Russian
# log (cp1251, localized object and counter names) ranks its 274 processes.
. "$abs_top_srcdir/tests/lib.sh"
{ [ -n "${LEAKSLOPE_CORPUS:-}" ] && [ -d "$LEAKSLOPE_CORPUS" ]; } || corpus_dir
C=$LEAKSLOPE_CORPUS/perfmon
[ -d "$C" ] || skip_all "no perfmon folder in $LEAKSLOPE_CORPUS"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found (apt-get install python3)"

# json EXPR: a Python expression on the JSON document d in $TMPD/out
json() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$TMPD/out" "$1" 2>&1; }

for f in perfmonloganalyzer_cn_cst_wide_gpu.csv.gz timeseries_lk_slst_2days_15s.csv.gz \
         vispart2_au_aedt_pbuttons_perfmon.txt.gz perfmonchart_us_pst_loadtest.csv \
         memedata_process_private_virtual_bytes_edt.csv; do
  if [ ! -f "$C/$f" ]; then ok "# SKIP $f not in the corpus"; continue; fi
  ls_run scan -q -f json "$C/$f"
  got=$(json 'd["rows"] > 0, d["process_count"] == len(d["processes"])')
  check "$f: scans (rc $rc), rows read, every process listed ($got)" test "$rc" = 0 -a "$got" = "(True, True)"
  diagnose "$TMPD/err"
done
f=perfmonloganalyzer_cn_cst_wide_gpu.csv.gz
if [ -f "$C/$f" ]; then
  ls_run scan "$C/$f"
  check "$f: no Process counters: said so, exit 0" \
    sh -c "test $rc = 0 && grep -q 'No process counters to rank' '$TMPD/out' && grep -q 'has no Process counters' '$TMPD/err'"
fi
f=pdhconverter_ru_cp1251_process_tz_truncated.csv
if [ -f "$C/$f" ]; then
  ls_run scan -q --encoding cp1251 -f json "$C/$f"
  got=$(json 'd["process_count"], d["processes"][0]["counter"].endswith("\\Рабочий набор"), "--encoding cp1251" in d["processes"][0]["analyze_command"]')
  check "$f: 274 processes ranked on their localized Working Set, the next command keeps --encoding ($got)" \
    test "$rc" = 0 -a "$got" = "(274, True, True)"
fi
done_testing
