#!/bin/sh
# trace.sh BUILDDIR — the trace reader's benchmark (`make bench-trace`, part
# of `make bench`, never of `make check`): generates, seeded and outside the
# source tree, a million-cycle capture (gen-capture's sparse scenario: a
# counter log and a 2,000,002-line leakslope-csv trace) and bench_events.sh's
# trace of 2,000,000 lines, then prints wall and CPU time, MB/s of trace and
# peak RSS of `analyze` (text and JSON, which hashes its inputs) and
# `events`, the least of RUNS runs (default 3).
#   BENCH_CYCLES overrides the capture's length, BENCH_EVENTS the trace's.
set -eu
top=${1:?usage: trace.sh BUILDDIR}
leakslope=${LEAKSLOPE:-$top/src/leakslope}
cycles=${BENCH_CYCLES:-1000000}
events=${BENCH_EVENTS:-2000000}
runs=${RUNS:-3}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "trace bench: needs GNU time (/usr/bin/time)"; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/leakslope-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT

"$top/tests/gen/gen-capture" -s sparse -n "$cycles" "$dir/run" >/dev/null
sh "$(dirname "$0")/gen_events.sh" "$events" >"$dir/trace.csv"

# row JOB TRACE CMD...: the least wall and CPU (user + system) over $runs
# runs, the largest peak RSS, and MB/s of TRACE by CPU time.
row() {
  job=$1 trace=$2; shift 2
  : >"$dir/times"
  i=0
  while [ "$i" -lt "$runs" ]; do
    "$TIME" -f "%e %U %S %M" -o "$dir/time" "$@" >/dev/null 2>&1 || {
      echo "trace bench: failed: $*" >&2; exit 1; }
    cat "$dir/time" >>"$dir/times"
    i=$((i + 1))
  done
  awk -v j="$job" -v b="$(wc -c <"$trace")" '
    NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 } $4 > r { r = $4 }
    END { printf "| %-44s | %6.2f | %6.2f | %6.0f | %6.1f |\n", j, w, c,
            (c > 0 ? b / 1e6 / c : 0), r / 1024 }' "$dir/times"
}

echo "trace bench: $cycles cycles ($(wc -l <"$dir/run/events.csv") trace lines," \
     "$(wc -c <"$dir/run/events.csv") bytes; $(wc -l <"$dir/run/counters.csv") log rows);" \
     "events trace $events lines ($(wc -c <"$dir/trace.csv") bytes)"
echo "| job | wall s | CPU s | MB/s (CPU) | RSS MB |"
echo "|---|---:|---:|---:|---:|"
row "analyze (text), 1M cycles" "$dir/run/events.csv" \
  "$leakslope" analyze -q -e "$dir/run/events.csv" -p mapitest "$dir/run/counters.csv"
row "analyze -f json (+ SHA-256), 1M cycles" "$dir/run/events.csv" \
  "$leakslope" analyze -q -f json -e "$dir/run/events.csv" -p mapitest "$dir/run/counters.csv"
row "events -p proc3 -m mod7.dll, 2M lines" "$dir/trace.csv" \
  "$leakslope" events "$dir/trace.csv" -p proc3 -m mod7.dll -q
row "events (inventory only), 2M lines" "$dir/trace.csv" \
  "$leakslope" events "$dir/trace.csv" -q
