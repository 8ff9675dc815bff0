#!/bin/sh
# output.sh — what the commands leave on disk with -o: the file the format
# chosen from -f or the extension says, nothing (not even a temporary file)
# after a failed run, and a write error reported, never a half file.
. "$abs_top_srcdir/tests/lib.sh"
data="$abs_top_srcdir/tests/data"
cd "$TMPD" || exit 1
log="$data/analyze/leak/counters.csv"
trace="$data/analyze/leak/events.csv"
manifest="$data/cmpgold/three-runs.yaml"
no_temp() { ! ls ./*.tmp* >/dev/null 2>&1; }

ls_run analyze -q -e "$trace" -p mapitest "$log" -o out.txt
check "analyze -o out.txt exits 0 (rc $rc)" test "$rc" = 0
check "... and writes text" grep -q 'leak' out.txt
check "... and nothing on stdout" test ! -s out
ls_run analyze -q -e "$trace" -p mapitest "$log" -o out.json
check "analyze -o out.json writes JSON" grep -q '"schema": *"leakslope/analyze/1"' out.json
ls_run analyze -q -e "$trace" -p mapitest "$log" -o out.yml
check "analyze -o out.yml writes YAML" grep -q '^schema: *"\{0,1\}leakslope/analyze/1' out.yml
ls_run analyze -q -e "$trace" -p mapitest "$log" -f json -o out.data
check "-f json writes JSON to a file whose extension is no format (rc $rc)" grep -q '"schema"' out.data
ls_run analyze -q -e "$trace" -p mapitest "$log" -f json -o out.yaml
check "-f json -o out.yaml: exit 2 (rc $rc)" test "$rc" = 2
check "... saying they cannot be used together" grep -q "^leakslope analyze: -f json and -o out.yaml cannot be used together (the file name says yaml" err
check "... and writes no file" test ! -e out.yaml
rm -f out.csv
ls_run analyze -q -e "$trace" -p mapitest "$log" -o out.csv
check "analyze -o out.csv exits 2 (rc $rc)" test "$rc" = 2
check "... and leaves no file" test ! -e out.csv
check "... and no temporary file" no_temp
ls_run analyze -q -e "$trace" -p mapitest "$log" -o -
check "analyze -o - writes to stdout" grep -q 'leak' out

ls_run analyze -q -f json --tolerance 1.5k --limit 2G -e "$trace" -p mapitest "$log"
check "--tolerance 1.5k is 1536 bytes (rc $rc)" grep -q '"tolerance_bytes_per_cycle": 1536,' out
check "--limit 2G is 2 GiB" grep -q '"limit_bytes": 2147483648' out
ls_run analyze -q -f json --tolerance 2KB -e "$trace" -p mapitest "$log"
check "--tolerance 2KB is 2000 bytes (1000-based, as dd reads it)" grep -q '"tolerance_bytes_per_cycle": 2000,' out

# A manifest run that sets two options saying one thing: exit 65 at the run.
mdir="$data/cmpgold"
sed -e "s#: base/#: $mdir/base/#; s#: hot/#: $mdir/hot/#; s#: fix/#: $mdir/fix/#" \
    -e '/^  - name: hotfix only/a\    utc: true\n    bias: -60' "$manifest" >clash.yaml
ls_run compare -q -o clash.json clash.yaml
check "manifest utc + bias: exit 65 (rc $rc)" test "$rc" = 65
check "... naming the keys, at the run" grep -q '^leakslope: clash.yaml:1[0-9]:[0-9]*: utc and bias cannot be used together' err
check "... and no report" test ! -e clash.json

# A manifest on standard input: its files are found from the current folder.
(cd "$data/cmpgold" && $LEAKSLOPE_RUN "$LEAKSLOPE" compare -q -f json - <three-runs.yaml >"$TMPD/stdin.json" 2>"$TMPD/err") && rc=0 || rc=$?
check "compare - reads the manifest from stdin (rc $rc)" grep -q '"schema": *"leakslope/compare/1"' stdin.json
check "... and finds its runs from the current folder" grep -q '"name": *"hotfix only"' stdin.json

ls_run compare -q -f text -o r.txt "$manifest"
check "compare -f text -o r.txt exits 0 (rc $rc)" test "$rc" = 0
check "... writes r.txt, the summary" grep -q '^Conclusion: ' r.txt
check "... without the Report line" sh -c '! grep -q "^Report:" r.txt'
check "... and names it on stdout" grep -q '^Report: r.txt' out
ls_run compare -q -o x.txt "$manifest"
check "compare -o x.txt writes text as analyze does (rc $rc)" grep -q '^Conclusion: ' x.txt
ls_run compare -q -o r.md "$manifest"
check "compare -o r.md writes Markdown" grep -q '^#' r.md

ls_run events "$data/trace/own-basic.csv" -p mapitest -m mapi32.dll -o ev.yaml
check "events -o ev.yaml writes YAML (rc $rc)" grep -q 'leakslope/events/1' ev.yaml
ls_run events "$data/trace/own-basic.csv" -p mapitest -m mapi32.dll --cycles-csv -o cy.csv
check "events --cycles-csv -o cy.csv writes the CSV" sh -c 'head -1 cy.csv | grep -q "^cycle,load_utc,unload_utc,pid"'
ls_run inspect -c 'Private Bytes' -o series.csv "$data/perfmon/quirk-blanks.csv"
check "inspect --counter -o series.csv writes the series" sh -c 'head -1 series.csv | grep -q "^time_utc,value"'
ls_run inspect -o i.json "$data/perfmon/quirk-blanks.csv"
check "inspect -o i.json writes JSON" grep -q 'leakslope/inspect/1' i.json

# A run that fails on its input keeps the previous file and leaves no temp.
echo previous >keep.json
ls_run inspect -o keep.json "$data/perfmon/bad-truncated.csv.gz"
check "a failed inspect exits non-zero (rc $rc)" test "$rc" != 0
check "... keeps the previous file" grep -q '^previous$' keep.json
check "... and leaves no temporary file" no_temp

# Write errors: a full device, and a folder we cannot write.
if [ -w /dev/full ]; then
  ls_run analyze -q -e "$trace" -p mapitest "$log" -o /dev/full
  check "analyze -o /dev/full exits 73 (rc $rc)" test "$rc" = 73
  check "... saying why" grep -q 'leakslope: /dev/full: cannot write: No space left on device' err
  ls_run compare -q -f html -o /dev/full "$manifest"
  check "compare -o /dev/full exits 73 (rc $rc)" test "$rc" = 73
  rc=0
  $LEAKSLOPE_RUN "$LEAKSLOPE" events "$data/trace/own-basic.csv" >/dev/full 2>"$TMPD/err" || rc=$?
  check "a full standard output is exit 73 (rc $rc), said once" \
    test "$rc" = 73 -a "$(wc -l <"$TMPD/err")" = 1
else
  ok "full standard output # SKIP no /dev/full"
  ok "analyze -o /dev/full # SKIP no /dev/full"
  ok "... saying why # SKIP"
  ok "compare -o /dev/full # SKIP"
fi
mkdir ro && chmod a-w ro
if touch ro/probe 2>/dev/null; then
  ok "read-only folder # SKIP writable anyway (root?)"
  ok "... # SKIP"
  ok "... # SKIP"
else
  ls_run events "$data/trace/own-basic.csv" -o ro/ev.json
  check "-o into a read-only folder exits 73 (rc $rc)" test "$rc" = 73
  check "... saying which file, and that the folder is not writable" \
    grep -qx "leakslope: ro/ev.json: cannot write: folder 'ro' is not writable (Permission denied)" err
  check "... and leaves nothing there" test -z "$(ls -A ro)"
fi
chmod u+w ro
# A folder that is missing, or a file where a folder should be: said so,
# nothing left behind (the temporary file goes where the target would).
ls_run inspect "$log" -o gone/out.json
check "-o into a missing folder exits 73 (rc $rc)" test "$rc" = 73
check "... saying the folder does not exist" \
  grep -qx "leakslope: gone/out.json: cannot write: folder 'gone' does not exist" err
: >plain
ls_run inspect "$log" -o plain/out.json
check "-o under a file exits 73 (rc $rc), saying it is not a folder" \
  grep -qx "leakslope: plain/out.json: cannot write: 'plain' is not a folder" err
ls_run inspect "$log" -o .
check "-o . exits 73 (rc $rc), saying it is a folder" \
  grep -qx "leakslope: .: is a folder (expected a file)" err
check "... and no temporary file" no_temp
done_testing
