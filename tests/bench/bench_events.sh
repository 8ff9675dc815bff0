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
sh "$(dirname "$0")/gen_events.sh" "$n" >"$dir/trace.csv"
echo "events: $n ($(wc -c <"$dir/trace.csv") bytes)"
if command -v /usr/bin/time >/dev/null 2>&1; then
  /usr/bin/time -f "elapsed %e s, peak RSS %M KiB" \
    "$leakslope" events "$dir/trace.csv" -p proc3 -m mod7.dll -q >/dev/null
else
  time "$leakslope" events "$dir/trace.csv" -p proc3 -m mod7.dll -q >/dev/null
fi
