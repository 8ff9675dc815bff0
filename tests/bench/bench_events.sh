#!/bin/sh
# bench_events.sh N — time `leakslope events` on a generated trace of N
# events (leakslope-csv: 20 processes x 50 modules, one of them cycling) and
# print the peak memory, which must not grow with N (only the selected
# cycles are kept). Run by `make bench`, never by `make check`.
set -eu
n=${1:-2000000}
leakslope=${LEAKSLOPE:-src/leakslope}
dir=$(mktemp -d "${TMPDIR:-/tmp}/leakslope-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
awk -v n="$n" 'BEGIN {
  print "time,event,pid,process,module"
  for (i = 0; i < n; i++) {
    p = i % 20; m = int(i / 20) % 50; k = int(i / 1000) % 2; s = int(i / 1000)
    printf "2026-03-05T%02d:%02d:%02d.%06dZ,%s,%d,proc%d.exe,C:\\lib\\mod%d.dll\n",
      (s / 3600) % 24, (s / 60) % 60, s % 60, i % 1000, k ? "unload" : "load",
      1000 + p, p, m
  }
}' >"$dir/trace.csv"
echo "events: $n ($(wc -c <"$dir/trace.csv") bytes)"
if command -v /usr/bin/time >/dev/null 2>&1; then
  /usr/bin/time -f "elapsed %e s, peak RSS %M KiB" \
    "$leakslope" events "$dir/trace.csv" -p proc3 -m mod7.dll -q >/dev/null
else
  time "$leakslope" events "$dir/trace.csv" -p proc3 -m mod7.dll -q >/dev/null
fi
