#!/bin/sh
# gen_events.sh N — write to stdout the benchmarks' trace of N events
# (leakslope-csv: 20 processes x 50 modules, loads and unloads in turns of
# 1,000 events), for bench_events.sh and trace.sh.
set -eu
awk -v n="${1:?usage: gen_events.sh N}" 'BEGIN {
  print "time,event,pid,process,module"
  for (i = 0; i < n; i++) {
    p = i % 20; m = int(i / 20) % 50; k = int(i / 1000) % 2; s = int(i / 1000)
    printf "2026-03-05T%02d:%02d:%02d.%06dZ,%s,%d,proc%d.exe,C:\\lib\\mod%d.dll\n",
      (s / 3600) % 24, (s / 60) % 60, s % 60, i % 1000, k ? "unload" : "load",
      1000 + p, p, m
  }
}'
