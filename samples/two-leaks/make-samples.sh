#!/bin/sh
# make-samples.sh — remake the two-leak sample set of samples/two-leaks (see
# samples/README.md: every figure in it is generated, with known truth).
#
# One MAPI program, two leaks: 12 KiB per logon/logoff (KB 891509) and
# 40 KiB per LoadLibrary/FreeLibrary of Mapi32.dll (KB 901014), across the
# four runs of the story: no fix, KB 891509's hotfix, KB 901014's hotfix
# without CleanUpMAPIHeap, and both with CleanUpMAPIHeap=1.
#
# Run from the top of a configured build tree after `make check` (or
# `make tests/gen/gen-capture`):
#   sh samples/two-leaks/make-samples.sh [OUTDIR]
# OUTDIR defaults to samples/two-leaks next to this script. The generator is
# deterministic: the same options and seed always write the same bytes.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
gen="$(pwd)/tests/gen/gen-capture"
[ -x "$gen" ] || { echo "make-samples.sh: $gen not built (make check builds it)" >&2; exit 66; }

# gen_run DIR LOAD_LEAK LOGON_LEAK SEED START: 1200 load/unload cycles at a
# varying rate (so growth per hour can be told from growth per cycle),
# with a logon/logoff after about 4 in 10 of them (in bursts: the logons
# must not move in step with the loads, or no fit could tell the two leaks
# apart), 1 s perfmon samples (PDH-CSV in local time, bias -60) and the
# program's own event log (leakslope CSV: load/unload and
# begin:logon/end:logon). Keeps counters.csv.gz, events.csv.gz, truth.txt.
gen_run() {
  tmp="$out/$1.tmp"
  rm -rf "$tmp"
  mkdir -p "$tmp" "$out/$1"
  "$gen" -s clean -r -n 1200 -l "$2" --logon-rate 0.4 --logon-leak "$3" -S "$4" -T "$5" \
    "$tmp" >/dev/null
  # -n: no name or time in the gzip header, so the bytes stay the same
  for f in counters.csv events.csv; do
    gzip -n -9 <"$tmp/$f" >"$out/$1/$f.gz"
  done
  mv "$tmp/truth.txt" "$out/$1/truth.txt"
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

gen_run no-fix 40960 12288 21 2026-03-09T20:00:00Z
reg_export "$out/no-fix/mapi.reg"
gen_run kb891509 40960 0 22 2026-03-10T20:00:00Z
reg_export "$out/kb891509/mapi.reg"
gen_run kb901014 40960 0 23 2026-03-11T20:00:00Z
reg_export "$out/kb901014/mapi.reg" 0
gen_run kb901014-cleanup 0 0 24 2026-03-12T20:00:00Z
reg_export "$out/kb901014-cleanup/mapi.reg" 1
