#!/bin/sh
# kinds.sh — seeded simulation study of `analyze --per` (issue 17): for each
# shape, N generated captures with a per-load and a per-logon leak (or none),
# how often each 95% interval holds the truth and how often a kind that
# does not leak is called leaking, and how often a kind's verdict is the
# right decision (leak above the 64 B tolerance, no-leak at 0). Usage: kinds.sh BUILDDIR [N]
# SHAPES="warmup restarts" picks shapes. (make bench-kinds; never part of make check: it takes minutes).
set -u
B=${1:?builddir}; N=${2:-100}
GEN=$B/tests/gen/gen-capture LS=$B/src/leakslope
T=$(mktemp -d "${TMPDIR:-/tmp}/kinds.XXXXXX"); trap 'rm -rf "$T"' EXIT
printf '%-12s %5s %9s %9s %9s %11s %8s\n' shape runs load-cov logon-cov hour-cov false-leaks decided
SHAPES=${SHAPES:-all}
for shape in "both:-s clean -n 1200 --logon-rate 0.4 --logon-leak 12288:40960:12288" \
             "logon-only:-s clean -n 1200 -l 0 --logon-rate 0.4 --logon-leak 12288:0:12288" \
             "load-only:-s clean -n 1200 --logon-rate 0.4:40960:0" \
             "time:-s time-leak --logon-rate 0.4 --logon-leak 8192:4096:8192" \
             "noisy:-s clean -n 1200 -e 65536 --logon-rate 0.2 --logon-leak 4096:40960:4096" \
             "short:-s clean -n 150 --logon-rate 0.4 --logon-leak 12288:40960:12288" \
             "warmup:-s warmup --logon-rate 0.4 --logon-leak 12288:8192:12288" \
             "warmup-0:-s warmup-noleak --logon-rate 0.4:0:0" \
             "restarts:-s restarts --logon-rate 0.4 --logon-leak 12288:40960:12288" \
             "change:-s clean -n 1200 --leak-from 600 --logon-rate 0.4 --logon-leak 12288:40960:12288" \
             "stops:-s clean -n 1200 --leak-until 600 --logon-rate 0.4 --logon-leak 12288:0:12288" \
             "phases:-s clean -l 4096 --logon-rate 0.3 --logon-leak 20000:4096:20000"; do
  name=${shape%%:*}; rest=${shape#*:}; opts=${rest%%:*}; rest=${rest#*:}; wl=${rest%%:*}; wo=${rest#*:}
  case " $SHAPES " in " all "|*" $name "*) ;; *) continue ;; esac
  runs=0 cl=0 co=0 ch=0 nh=0 fl=0 dc=0
  s=1
  while [ "$s" -le "$N" ]; do
    # shellcheck disable=SC2086
    "$GEN" $opts --seed "$s" "$T/r" >/dev/null 2>&1 || { s=$((s + 1)); continue; }
    "$LS" analyze -q -e "$T/r/events.csv" -p mapitest -f json --per load:mapi32.dll \
      --per logon "$T/r/counters.csv" >"$T/out" 2>/dev/null
    g=$(sed -n 's/^time_growth_bytes_per_hour=//p' "$T/r/truth.txt")
    set -- $(python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); g = float(sys.argv[4])
def cov(e, x):
    c = e["ci95"]
    return int(c is not None and c[0] <= x <= c[1])
def false_leak(e, x):
    return int(x == 0 and e["verdict"] == "leak")
def decided(e, x):
    return int(e["verdict"] == ("leak" if x > 64 else "no-leak"))
l, o = d["leaks"]
h = d["per_hour"]["ci95"]
print(cov(l, float(sys.argv[2])), cov(o, float(sys.argv[3])),
      int(h is not None and h[0] <= g <= h[1]), int(h is not None),
      false_leak(l, float(sys.argv[2])) + false_leak(o, float(sys.argv[3])),
      decided(l, float(sys.argv[2])) + decided(o, float(sys.argv[3])))' \
      "$T/out" "$wl" "$wo" "$g")
    runs=$((runs + 1)) cl=$((cl + $1)) co=$((co + $2)) ch=$((ch + $3)) nh=$((nh + $4)) fl=$((fl + $5)) dc=$((dc + $6))
    s=$((s + 1))
  done
  hc=-; [ "$nh" -gt 0 ] && hc=$(awk -v a="$ch" -v b="$nh" 'BEGIN { printf "%.3f", a / b }')
  printf '%-12s %5d %9.3f %9.3f %9s %11d %8.3f\n' "$name" "$runs" \
    "$(awk -v a="$cl" -v b="$runs" 'BEGIN { print a / b }')" \
    "$(awk -v a="$co" -v b="$runs" 'BEGIN { print a / b }')" "$hc" "$fl" \
    "$(awk -v a="$dc" -v b="$runs" 'BEGIN { print a / (2 * b) }')"
done
