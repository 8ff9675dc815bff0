#!/bin/sh
# blg.sh — reading a .blg against reading the CSV export of the same log
# (`make bench`; never part of `make check`). Generates a seeded PDH-CSV of
# PROCS (20) processes x 14 raw counters (280 columns, each sample one event
# of 13 KB, 38 KB as wildcards: csv2blg writes no chunked samples) and ROWS
# (20000) rows, writes it
# as a .blg with tests/gen/csv2blg (one record per counter) and with -w (one
# wildcard record per counter), and times, best of RUNS (3): inspect -f json
# (every cell, and the provenance SHA-256 of every byte: a .blg has 5 times
# the CSV's bytes), inspect (every cell, no digest) and inspect -c (one
# counter) of each. The series must agree. BENCH_DIR: the folder to write
# the logs in (in a folder of their own there, removed at the end).
set -eu
: "${LEAKSLOPE:?set LEAKSLOPE to the leakslope binary}"
: "${CSV2BLG:?set CSV2BLG to tests/gen/csv2blg}"
procs=${PROCS:-20} rows=${ROWS:-20000} runs=${RUNS:-3}
# The logs go to a folder of their own, made here and removed at the end:
# inside BENCH_DIR when one is given (a folder of the user's, left as it
# was: nothing there is overwritten or deleted; made if missing, and then
# removed if left empty), else in /tmp.
made=
if [ -n "${BENCH_DIR:-}" ] && [ ! -d "$BENCH_DIR" ]; then
  mkdir "$BENCH_DIR"
  made=$BENCH_DIR
fi
dir=$(mktemp -d "${BENCH_DIR:-/tmp}/leakslope-bench-blg.XXXXXX")
trap 'rm -rf "$dir"; [ -z "$made" ] || rmdir "$made" 2>/dev/null || :' EXIT
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "blg bench: needs GNU time (/usr/bin/time)"; exit 1; }

awk -v procs="$procs" -v rows="$rows" 'BEGIN {
  split("Virtual Bytes,Private Bytes,Working Set,Working Set - Private,Handle Count," \
        "Thread Count,Pool Nonpaged Bytes,Pool Paged Bytes,Page File Bytes," \
        "Virtual Bytes Peak,Working Set Peak,Page File Bytes Peak,Priority Base,ID Process", c, ",")
  printf "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\""
  for (k = 1; k <= 14; k++)
    for (p = 0; p < procs; p++)
      printf ",\"\\\\BENCH\\Process(proc%03d)\\%s\"", p, c[k]
  printf "\r\n"
  for (r = 0; r < rows; r++) {
    d = int(r / 86400); s = r % 86400
    printf "\"03/%02d/2026 %02d:%02d:%02d.%03d\"", 6 + d, int(s / 3600), int(s % 3600 / 60),
           s % 60, (r * 7) % 1000
    for (k = 1; k <= 14; k++)
      for (p = 0; p < procs; p++)
        printf ",\"%d\"", k == 14 ? 1000 + p : 40960000 + p * 4096 + r * 64 + k
    printf "\r\n"
  }
}' >"$dir/log.csv"
"$CSV2BLG" "$dir/log.csv" "$dir/log.blg"
"$CSV2BLG" -w "$dir/log.csv" "$dir/wild.blg"

best() {
  : >"$dir/times"
  i=0
  while [ "$i" -lt "$runs" ]; do
    "$TIME" -f "%e %U %S %M" -o "$dir/time" "$@" >/dev/null 2>&1 || {
      echo "blg bench: failed: $*" >&2; exit 1; }
    cat "$dir/time" >>"$dir/times"
    i=$((i + 1))
  done
  awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 }
       $4 > r { r = $4 } END { printf "%6.3f | %6.3f | %6.1f", w, c, r / 1024 }' "$dir/times"
}

counter='proc007)\Private Bytes'
a=$("$LEAKSLOPE" inspect -q -c "$counter" "$dir/log.csv" | cksum)
for f in log.blg wild.blg; do
  b=$("$LEAKSLOPE" inspect -q -c "$counter" "$dir/$f" | cksum)
  [ "$a" = "$b" ] || { echo "blg bench: $f and the CSV disagree on $counter" >&2; exit 1; }
done
mb() { awk -v b="$(wc -c <"$1")" 'BEGIN { printf "%.1f", b / 1e6 }'; }
echo "blg bench: $((procs * 14)) columns x $rows rows; best of $runs runs"
echo
echo "| input | MB | job | wall s | cpu s | RSS MB |"
echo "|---|---:|---|---:|---:|---:|"
for f in log.csv log.blg wild.blg; do
  echo "| $f | $(mb "$dir/$f") | inspect -f json (every cell, SHA-256 of the file) | $(best "$LEAKSLOPE" inspect -q -f json "$dir/$f") |"
  echo "| $f | $(mb "$dir/$f") | inspect (every cell, no digest) | $(best "$LEAKSLOPE" inspect -q "$dir/$f") |"
  echo "| $f | $(mb "$dir/$f") | inspect -c (one counter) | $(best "$LEAKSLOPE" inspect -q -c "$counter" "$dir/$f") |"
done
