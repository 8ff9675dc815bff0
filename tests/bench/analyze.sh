#!/bin/sh
# analyze.sh — benchmark of `leakslope analyze` end to end on a long run
# (`make bench`; not a test): gen-capture's sparse scenario with a million
# cycles (2 a second, 15 s samples: ~139 h of log, ~33,000 samples) and its
# event trace (2 million load/unload lines), timed from reading to verdict.
#   BENCH_CYCLES overrides the length (default 1000000).
set -eu
top=${1:?usage: analyze.sh BUILDDIR}
n=${BENCH_CYCLES:-1000000}
dir=$(mktemp -d /tmp/leakslope-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$top/tests/gen/gen-capture" -s sparse -n "$n" "$dir/run" >/dev/null
echo "analyze bench: $n cycles, $(wc -l <"$dir/run/events.csv") trace lines, $(wc -l <"$dir/run/counters.csv") log rows"
start=$(date +%s.%N)
"$top/src/leakslope" analyze -q -f json -e "$dir/run/events.csv" -p mapitest \
  "$dir/run/counters.csv" >"$dir/out.json"
end=$(date +%s.%N)
tr -d ' \n' <"$dir/out.json" | sed -n 's/.*"cycles":\([0-9]*\).*"leak":{"bytes_per_cycle":\([^,]*\),.*"verdict":"\([^"]*\)".*/  cycles \1, leak \2 B per cycle, verdict \3\n/p'
awk -v s="$start" -v e="$end" 'BEGIN { printf "analyze bench: %.2f s end to end\n", e - s }'
