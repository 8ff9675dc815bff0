#!/bin/sh
# make-samples.sh — remake the Windows-shaped sample set of samples/windows
# (see samples/README.md: every figure in it is generated, with known truth).
#
# Run from the top of a configured build tree after `make check` (or
# `make tests/gen/gen-capture`):
#   sh samples/windows/make-samples.sh [OUTDIR]
# OUTDIR defaults to samples/windows next to this script. The generator is
# deterministic: the same options and seed always write the same bytes.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
gen="$(pwd)/tests/gen/gen-capture"
csv2blg="$(pwd)/tests/gen/csv2blg"
for g in "$gen" "$csv2blg"; do
  [ -x "$g" ] || { echo "make-samples.sh: $g not built (make check builds it)" >&2; exit 66; }
done

# gen_run DIR LEAK SEED START TRACE: 600 cycles of 2 s, 1 s perfmon samples
# (PDH-CSV in local time, bias -60), a load/unload trace as TRACE
# (tracerpt.csv or xperf.txt); keeps counters.csv, the trace and truth.txt.
gen_run() {
  tmp="$out/$1.tmp"
  rm -rf "$tmp"
  case $5 in tracerpt.csv) opt=--tracerpt ;; *) opt=--xperf ;; esac
  "$gen" -s clean -n 600 -l "$2" -S "$3" -T "$4" $opt "$tmp" >/dev/null
  mkdir -p "$out/$1"
  for f in counters.csv "$5" truth.txt; do
    # gzip (the readers take it) what is over 200 KB; -n: no name or time,
    # so the bytes stay the same
    if [ "$(wc -c <"$tmp/$f")" -gt 200000 ]; then
      gzip -n -9 <"$tmp/$f" >"$out/$1/$f.gz"; rm -f "$out/$1/$f"
    else
      mv "$tmp/$f" "$out/$1/$f"; rm -f "$out/$1/$f.gz"
    fi
  done
  rm -rf "$tmp"
}

# reg_export FILE [VALUE]: a `reg export` of the key as Windows writes one
# (UTF-16LE with a BOM, CRLF, a blank line at the end); with VALUE, a
# CleanUpMAPIHeap DWORD. The other values are the usual ones of this key.
reg_export() {
  {
    printf 'Windows Registry Editor Version 5.00\r\n\r\n'
    printf '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Messaging Subsystem]\r\n'
    printf '"CMC"="1"\r\n"CMCDLLNAME32"="mapi32.dll"\r\n"MAPI"="1"\r\n'
    printf '"MAPIX"="1"\r\n"MAPIXVER"="1.0.0.1"\r\n"OLEMessaging"="1"\r\n'
    if [ $# -gt 1 ]; then
      printf '"CleanUpMAPIHeap"=dword:%08x\r\n' "$2"
    fi
    printf '\r\n'
  } >"$1.utf8"
  { printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$1.utf8"; } >"$1"
  rm -f "$1.utf8"
}

gen_run baseline 40960 11 2026-03-05T20:00:00Z xperf.txt
reg_export "$out/baseline/mapi.reg"
gen_run hotfix 40960 12 2026-03-06T20:00:00Z xperf.txt
reg_export "$out/hotfix/mapi.reg" 0
# the same samples as a binary perfmon log, which the manifest reads
"$csv2blg" "$out/hotfix/counters.csv" "$out/hotfix/counters.blg"
gzip -n -9 <"$out/hotfix/counters.blg" >"$out/hotfix/counters.blg.gz"
rm -f "$out/hotfix/counters.blg"
gen_run hotfix-cleanup 0 13 2026-03-07T20:00:00Z xperf.txt
reg_export "$out/hotfix-cleanup/mapi.reg" 1
