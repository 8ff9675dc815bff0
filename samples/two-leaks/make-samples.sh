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
. "$here/../lib.sh"
gen="$(pwd)/tests/gen/gen-capture"
sample_need "$gen"

# gen_run DIR LOAD_LEAK LOGON_LEAK SEED START: 1200 load/unload cycles at a
# varying rate (so growth per hour can be told from growth per cycle),
# with a logon/logoff after about 4 in 10 of them (in bursts: the logons
# must not move in step with the loads, or no fit could tell the two leaks
# apart), 1 s perfmon samples (PDH-CSV in local time, bias -60) and the
# program's own event log (leakslope CSV: load/unload and
# begin:logon/end:logon). Keeps counters.csv.gz, events.csv.gz, truth.txt.
gen_run() {
  sample_gen "$1" "$gen" -s clean -r -n 1200 -l "$2" --logon-rate 0.4 --logon-leak "$3" \
    -S "$4" -T "$5"
  sample_keep "$1" 0 counters.csv events.csv
  sample_keep "$1" never truth.txt
  sample_done "$1"
}

gen_run no-fix 40960 12288 21 2026-03-09T20:00:00Z
reg_export "$out/no-fix/mapi.reg"
gen_run kb891509 40960 0 22 2026-03-10T20:00:00Z
reg_export "$out/kb891509/mapi.reg"
gen_run kb901014 40960 0 23 2026-03-11T20:00:00Z
reg_export "$out/kb901014/mapi.reg" 0
gen_run kb901014-cleanup 0 0 24 2026-03-12T20:00:00Z
reg_export "$out/kb901014-cleanup/mapi.reg" 1
