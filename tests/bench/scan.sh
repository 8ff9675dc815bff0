#!/bin/sh
# scan.sh — seeded study of `leakslope scan` (issue 15): N whole-machine
# logs from tests/gen-scan.awk (seeds 1..N), each scanned with its trace;
# how often the leaker ranks first blamed on leaky.dll, and how often the
# decoy (which grows by the hour and cycles helper.dll harmlessly) is
# blamed on its module. Usage: scan.sh SRCDIR BUILDDIR [N]
# (make bench-scan; never part of make check).
set -u
S=${1:?srcdir}; B=${2:?builddir}; N=${3:-50}
LS=$B/src/leakslope
command -v python3 >/dev/null 2>&1 || { echo "scan.sh: python3 not found" >&2; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/scan.XXXXXX"); trap 'rm -rf "$T"' EXIT
runs=0 first=0 blamed_right=0 decoy_blamed=0 decoy_time=0 failed=0
start=$(date +%s)
s=1
while [ "$s" -le "$N" ]; do
  awk -v dir="$T" -v seed="$s" -f "$S/tests/gen-scan.awk"
  if ! "$LS" scan -q -e "$T/events.csv" -f json "$T/counters.csv" >"$T/out" 2>"$T/err"; then
    failed=$((failed + 1)) s=$((s + 1))
    continue
  fi
  set -- $(python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); procs = d["processes"]
p = {x["process"]: x for x in procs}
lk, dc = p["leaker"], p["decoy"]
print(int(procs[0]["process"] == "leaker"),
      int(bool(lk["leak"]) and lk["leak"]["module"] == "leaky.dll" and lk["grows_by"] == "cycles"),
      int(bool(dc["leak"]) and dc["leak"]["verdict"] == "leak" or dc["grows_by"] == "cycles"),
      int(dc["grows_by"] == "time"))' "$T/out")
  runs=$((runs + 1)) first=$((first + $1)) blamed_right=$((blamed_right + $2))
  decoy_blamed=$((decoy_blamed + $3)) decoy_time=$((decoy_time + $4))
  [ "$1$2$3$4" = 1101 ] || echo "seed $s: leaker first $1, blamed on leaky.dll $2, decoy blamed $3, decoy by time $4"
  s=$((s + 1))
done
took=$(( $(date +%s) - start ))
printf '%-34s %s\n' "logs scanned" "$runs (failed: $failed, $took s)" \
  "leaker ranked first" "$first / $runs" \
  "leaker blamed on leaky.dll" "$blamed_right / $runs" \
  "decoy ranked by time" "$decoy_time / $runs" \
  "decoy blamed on helper.dll" "$decoy_blamed / $runs"
