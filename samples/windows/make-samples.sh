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
. "$here/../lib.sh"
gen="$(pwd)/tests/gen/gen-capture"
csv2blg="$(pwd)/tests/gen/csv2blg"
sample_need "$gen" "$csv2blg"

# gen_run DIR LEAK SEED START TRACE: 600 cycles of 2 s, 1 s perfmon samples
# (PDH-CSV in local time, bias -60), a load/unload trace as TRACE
# (tracerpt.csv or xperf.txt); keeps counters.csv, the trace and truth.txt.
gen_run() {
  case $5 in tracerpt.csv) opt=--tracerpt ;; *) opt=--xperf ;; esac
  sample_gen "$1" "$gen" -s clean -n 600 -l "$2" -S "$3" -T "$4" $opt
  # gzip (the readers take it) what is over 200 KB
  sample_keep "$1" 200000 counters.csv "$5" truth.txt
  sample_done "$1"
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
