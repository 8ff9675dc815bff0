#!/bin/sh
# perfmon.sh — benchmark of the perfmon reader (`make bench`; not a test).
#
# Generates a wide PDH-CSV log (100 processes x 14 counters, 1 row a second)
# at two lengths in a temporary folder and reads each with `leakslope
# inspect` twice: every column converted (-f json) and one column (-c).
# Reports MB/s and peak resident memory (from /usr/bin/time -v). Reading
# streams, so peak memory must be the same for both lengths.
#   ROWS_SHORT / ROWS_LONG override the two lengths (default 4000 / 16000:
#   about 80 and 330 MB); BENCH_DIR the folder (default: a new one in /tmp).
set -eu
: "${LEAKSLOPE:?set LEAKSLOPE to the leakslope binary}"
short=${ROWS_SHORT:-4000}
long=${ROWS_LONG:-16000}
dir=${BENCH_DIR:-$(mktemp -d /tmp/leakslope-bench.XXXXXX)}
trap 'rm -rf "$dir"' EXIT
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "perfmon bench: needs GNU time (/usr/bin/time)"; exit 1; }

# generate ROWS FILE
generate() {
  awk -v rows="$1" 'BEGIN {
    split("% Processor Time,% User Time,% Privileged Time,Virtual Bytes," \
          "Private Bytes,Working Set,Working Set - Private,Page Faults/sec," \
          "Handle Count,Thread Count,IO Read Bytes/sec,IO Write Bytes/sec," \
          "Pool Nonpaged Bytes,ID Process", c, ",")
    printf "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\""
    for (p = 0; p < 100; p++)
      for (k = 1; k <= 14; k++)
        printf ",\"\\\\BENCH\\Process(proc%03d)\\%s\"", p, c[k]
    printf "\r\n"
    for (r = 0; r < rows; r++) {
      d = int(r / 86400); s = r % 86400  # from 03/06/2026 00:00:00 local
      printf "\"03/%02d/2026 %02d:%02d:%02d.%03d\"", 6 + d, int(s / 3600),
             int(s % 3600 / 60), s % 60, (r * 7) % 1000
      for (p = 0; p < 100; p++)
        for (k = 1; k <= 14; k++) {
          if (r == 0 && (k <= 3 || k == 8 || k >= 11 && k <= 12)) printf ",\" \""
          else if (k <= 3) printf ",\"%.14f\"", (r * 31 + p * 7 + k) % 1000 / 10.0
          else if (k == 14) printf ",\"%d\"", 1000 + p
          else printf ",\"%d\"", 40960000 + p * 4096 + r * 64 + k
        }
      printf "\r\n"
    }
  }' >"$2"
}

# measure LABEL FILE ARGS...: prints "LABEL  MB  seconds  MB/s  peak-RSS-MB"
measure() {
  label=$1 file=$2; shift 2
  mb=$(awk -v b="$(wc -c <"$file")" 'BEGIN { printf "%.1f", b / 1048576 }')
  "$TIME" -v -o "$dir/time" "$LEAKSLOPE" inspect -q "$@" "$file" >/dev/null
  secs=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$dir/time" |
         awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
  awk -v l="$label" -v mb="$mb" -v s="$secs" -v r="$rss" 'BEGIN {
    printf "%-34s %8.1f MB %7.2f s %8.1f MB/s %7.1f MB peak RSS\n",
           l, mb, s, (s > 0 ? mb / s : 0), r / 1024 }'
}

echo "perfmon reader benchmark: 100 processes x 14 counters, 1 row/s"
for rows in "$short" "$long"; do
  f="$dir/wide-$rows.csv"
  generate "$rows" "$f"
  measure "$rows rows, all 1400 columns" "$f" -f json
  measure "$rows rows, one column (-c)" "$f" -c 'proc042)\Private Bytes'
  rm -f "$f"
done
