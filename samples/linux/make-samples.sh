#!/bin/sh
# make-samples.sh — remake the Linux sample captures of samples/linux (see
# samples/README.md for what is real in them and what is staged).
#
# Run from the top of a configured build tree after `make samples`:
#   sh samples/linux/make-samples.sh [OUTDIR]
# OUTDIR defaults to samples/linux next to this script. Each run takes about
# 14 seconds (200 cycles in bursts of 20, 0.02 s apart, with 1 s between
# bursts).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
. "$here/../lib.sh"
build=$(pwd)
leakslope="$build/src/leakslope"
driver="$build/samples/leaky/leaky-driver"
LEAKSLOPE_PRELOAD="$build/src/audit/.libs/leakslope-audit.so"
LD_LIBRARY_PATH="$build/samples/leaky/.libs"
# A Central European zone, so that the logs carry a non-zero bias as most
# Windows logs do (a POSIX TZ string: no tzdata needed).
TZ='CET-1CEST,M3.5.0,M10.5.0/3'
export LEAKSLOPE_PRELOAD LD_LIBRARY_PATH TZ

# capture_run DIR CLEANUP: one capture of 200 load/unload cycles.
capture_run() {
  mkdir -p "$out/$1"
  LEAKY_CLEANUP_HEAP=$2 "$leakslope" capture -o "$out/$1" -i 0.1 -m libleaky.so -- \
    "$driver" -n 200 -p 0.02 -b 20 -w 1 -l libleaky.so
}

capture_run baseline 0
reg_export "$out/baseline/mapi.reg"
capture_run hotfix 0
reg_export "$out/hotfix/mapi.reg" 0
capture_run hotfix-cleanup 1
reg_export "$out/hotfix-cleanup/mapi.reg" 1
