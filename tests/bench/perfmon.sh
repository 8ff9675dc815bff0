#!/bin/sh
# perfmon.sh — benchmark of reading wide counter logs (`make bench`; never
# part of `make check`, and no test looks at its timings).
#
# Generates two seeded wide PDH-CSV logs in a temporary folder: 100
# processes x 14 counters (1,401 columns) and 1,429 processes x 14 counters
# (20,007 columns), about 100 MB each (sizes this 2-core machine reads in
# well under a minute in all). On each it times, best of RUNS (3):
#   one counter   leakslope inspect -c (CSV out), analyze (text; and JSON,
#                 which adds the inputs' SHA-256 taken in the same pass),
#                 zsv select --parser fast of the time and that column;
#   every counter leakslope inspect -f json (every cell converted),
#                 zsv count (its default parser splits every cell and writes
#                 nothing; `count --parser fast` miscounts these rows, and
#                 select of every column is mostly the writing);
#   wc -l         the floor: finding the line breaks.
# It checks that leakslope and zsv read the same series (the sum of the
# column), and prints a table of wall time, CPU time, MB/s, peak RSS and the
# ratio to zsv. zsv (MIT, https://github.com/liquidaty/zsv) is looked up as
# $ZSV, else on PATH; without it those rows are left out. pandas (Debian's
# python3-pandas) is run when $PYTHON, python3 on PATH or /usr/bin/python3
# imports it, else its rows are left out: one counter is read_csv(usecols)
# of the time and that column and numpy's least-squares slope against the
# time, which must agree with leakslope analyze --cycle-period 1 (bytes
# per second) within 2%; every counter is read_csv of the whole log. zsv gets -c past
# the column count (its default, 1,024, drops the cells after it) and -r
# past the longest row (default 64 KiB, which truncates the header).
#   ROWS (6000) and WIDE_ROWS (400) set the lengths, RUNS the repeats,
#   BENCH_DIR the folder (default: a new one in /tmp, removed at the end).
set -eu
: "${LEAKSLOPE:?set LEAKSLOPE to the leakslope binary}"
rows=${ROWS:-6000}
wide_rows=${WIDE_ROWS:-400}
runs=${RUNS:-3}
zsv=${ZSV:-$(command -v zsv || true)}
dir=${BENCH_DIR:-$(mktemp -d /tmp/leakslope-bench.XXXXXX)}
trap 'rm -rf "$dir"' EXIT
py=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import pandas, numpy' 2>/dev/null; then
    py=$p
    break
  fi
done
# by_pandas.py FILE COLUMN: the slope (per second) of 0-based column COLUMN
# against the time column; with COLUMN "all", every column read (floats).
cat >"$dir/by_pandas.py" <<'PY'
import sys
import numpy as np
import pandas as pd
f, col = sys.argv[1], sys.argv[2]
if col == "all":
    df = pd.read_csv(f, na_values=[" "])
    print(df.shape[0])
else:
    df = pd.read_csv(f, usecols=[0, int(col)], na_values=[" "])
    t = pd.to_datetime(df.iloc[:, 0], format="%m/%d/%Y %H:%M:%S.%f")
    s = (t - t.iloc[0]).dt.total_seconds().to_numpy()
    v = df.iloc[:, 1].to_numpy(dtype=float)
    ok = ~np.isnan(v)
    print("%.6f" % np.polyfit(s[ok], v[ok], 1)[0])
PY
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "perfmon bench: needs GNU time (/usr/bin/time)"; exit 1; }

# generate PROCESSES ROWS FILE: counter k (1-14) of process p in row r; Private
# Bytes (k = 5) grows 64 bytes a row, so every process leaks.
generate() {
  awk -v procs="$1" -v rows="$2" 'BEGIN {
    split("% Processor Time,% User Time,% Privileged Time,Virtual Bytes," \
          "Private Bytes,Working Set,Working Set - Private,Page Faults/sec," \
          "Handle Count,Thread Count,IO Read Bytes/sec,IO Write Bytes/sec," \
          "Pool Nonpaged Bytes,ID Process", c, ",")
    printf "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\""
    for (p = 0; p < procs; p++)
      for (k = 1; k <= 14; k++)
        printf ",\"\\\\BENCH\\Process(proc%03d)\\%s\"", p, c[k]
    printf "\r\n"
    for (r = 0; r < rows; r++) {
      d = int(r / 86400); s = r % 86400  # from 03/06/2026 00:00:00 local
      printf "\"03/%02d/2026 %02d:%02d:%02d.%03d\"", 6 + d, int(s / 3600),
             int(s % 3600 / 60), s % 60, (r * 7) % 1000
      for (p = 0; p < procs; p++)
        for (k = 1; k <= 14; k++) {
          if (r == 0 && (k <= 3 || k == 8 || k >= 11 && k <= 12)) printf ",\" \""
          else if (k <= 3) printf ",\"%.14f\"", (r * 31 + p * 7 + k) % 1000 / 10.0
          else if (k == 14) printf ",\"%d\"", 1000 + p
          else printf ",\"%d\"", 40960000 + p * 4096 + r * 64 + k
        }
      printf "\r\n"
    }
  }' >"$3"
}

# time_best CMD...: "wall cpu rss_kb", the least wall and the least CPU
# (user + system) over $runs runs, and the largest peak RSS.
time_best() {
  : >"$dir/times"
  i=0
  while [ "$i" -lt "$runs" ]; do
    "$TIME" -f "%e %U %S %M" -o "$dir/time" "$@" >/dev/null 2>&1 || {
      echo "perfmon bench: failed: $*" >&2; exit 1; }
    cat "$dir/time" >>"$dir/times"
    i=$((i + 1))
  done
  awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 }
       $4 > r { r = $4 } END { printf "%.3f %.3f %d\n", w, c, r }' "$dir/times"
}

# row JOB TOOL FILE CMD...: one line of the table; the zsv wall time of the
# job, when known, gives the ratio (wall, as the issue's targets are; on a
# loaded machine compare the CPU column too).
row() {
  job=$1 tool=$2 file=$3; shift 3
  set -- $(time_best "$@")
  mb=$(awk -v b="$(wc -c <"$file")" 'BEGIN { printf "%.1f", b / 1e6 }')
  case $tool in zsv*) ref=$1 ;; pandas*) pref=$1 ;; esac
  awk -v j="$job" -v t="$tool" -v w="$1" -v c="$2" -v r="$3" -v mb="$mb" -v z="$ref" -v pd="$pref" 'BEGIN {
    printf "| %-14s | %-36s | %6.3f | %6.3f | %6.0f | %6.1f | %5s | %8s |\n", j, t, w, c,
           (w > 0 ? mb / w : 0), r / 1024, (z > 0 ? sprintf("%.2f", w / z) : "-"),
           (pd > 0 ? sprintf("%.3f", w / pd) : "-") }'
}

# the sum of the numbers in column 2 of CSV on standard input
column_sum() {
  awk -F, 'NR > 1 { v = $2; gsub(/"/, "", v); if (v != " " && v != "") s += v }
           END { printf "%.0f\n", s }'
}

bench_log() {
  procs=$1 n=$2
  f="$dir/wide-$procs.csv"
  generate "$procs" "$n" "$f"
  cols=$((procs * 14 + 1))
  zopt="-c $((cols + 1)) -r $((cols * 64))" # columns, and bytes a row may have
  p=$((procs * 3 / 7))
  name=$(printf 'proc%03d' "$p")
  col=$((1 + p * 14 + 5))
  counter="$name)\\Private Bytes"
  echo
  echo "$cols columns x $n rows, $(awk -v b="$(wc -c <"$f")" 'BEGIN { printf "%.0f", b / 1e6 }') MB; one counter: $counter (column $col)"
  if [ -n "$py" ]; then
    a=$("$LEAKSLOPE" analyze -q -f json -p "$name" --cycle-period 1 "$f" |
        awk '/"bytes_per_cycle"/ { gsub(/[",]/, ""); print $2; exit }')
    b=$("$py" "$dir/by_pandas.py" "$f" $((col - 1)))
    awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d / b < 0.02) }' ||
      { echo "perfmon bench: leakslope and pandas disagree on the slope of $counter: $a, $b B/s" >&2; exit 1; }
    echo "slope: leakslope $a B/s, pandas $b B/s (agree within 2%)"
  fi
  echo
  echo "| job            | tool                                 | wall s | cpu s  |   MB/s | RSS MB | / zsv | / pandas |"
  echo "|----------------|--------------------------------------|-------:|-------:|-------:|-------:|------:|---------:|"
  ref=0 pref=0
  if [ -n "$zsv" ]; then
    a=$("$LEAKSLOPE" inspect -q -c "$counter" "$f" | column_sum)
    b=$("$zsv" select --parser fast $zopt -n "$f" -- 1 "$col" 2>/dev/null | column_sum)
    [ "$a" = "$b" ] || { echo "perfmon bench: leakslope and zsv disagree on $counter: $a, $b" >&2; exit 1; }
    row "one counter" zsv "$f" "$zsv" select --parser fast $zopt -n "$f" -- 1 "$col"
  fi
  [ -z "$py" ] || row "one counter" "pandas read_csv(usecols) + polyfit" "$f" "$py" "$dir/by_pandas.py" "$f" $((col - 1))
  row "one counter" "leakslope inspect -c" "$f" "$LEAKSLOPE" inspect -q -c "$counter" "$f"
  row "one counter" "leakslope analyze (text)" "$f" "$LEAKSLOPE" analyze -q -p "$name" --cycles 100 "$f"
  row "one counter" "leakslope analyze -f json (+SHA-256)" "$f" "$LEAKSLOPE" analyze -q -f json -p "$name" --cycles 100 "$f"
  ref=0 pref=0
  if [ -n "$zsv" ]; then
    got=$("$zsv" count $zopt "$f")
    [ "$got" = "$n" ] || { echo "perfmon bench: zsv count says $got rows, not $n" >&2; exit 1; }
    row "every counter" "zsv count" "$f" "$zsv" count $zopt "$f"
  fi
  [ -z "$py" ] || row "every counter" "pandas read_csv" "$f" "$py" "$dir/by_pandas.py" "$f" all
  row "every counter" "leakslope inspect -f json" "$f" "$LEAKSLOPE" inspect -q -f json "$f"
  ref=0 pref=0
  row "line breaks" "wc -l" "$f" wc -l "$f"
  rm -f "$f"
}

echo "perfmon bench: best of $runs runs; zsv: ${zsv:-not found (set ZSV)}; pandas: ${py:-not found (Debian: apt-get install python3-pandas; or set PYTHON)}"
bench_log 100 "$rows"
bench_log 1429 "$wide_rows"
