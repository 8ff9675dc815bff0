#!/bin/sh
# kinds-compare.sh — seeded study of `compare` with two rules (issue 17):
# for N seeds, the four runs of the two-leak story (no fix; KB 891509's
# hotfix; KB 901014's without CleanUpMAPIHeap; both with it; 40 KiB per
# load, 12 KiB per logon, generated as samples/two-leaks is), judged with
# kb891509 and kb901014: how often the conclusion names each fix and each
# leak correctly and every run is as each rule expects. Shape `tied`: the
# KB 891509 run's logons come with every load (--logon-tied), so it must be
# reported not separable under both rules, never judged as two numbers, and
# the conclusion must still come from the other runs.
# Usage: kinds-compare.sh BUILDDIR [N] (make bench-kinds; not in make check).
set -u
B=${1:?builddir}; N=${2:-50}
GEN=$B/tests/gen/gen-capture LS=$B/src/leakslope
T=$(mktemp -d "${TMPDIR:-/tmp}/kinds-compare.XXXXXX"); trap 'rm -rf "$T"' EXIT
printf '%-8s %5s %9s %9s %11s %9s\n' shape runs logon-fix load-fix consistent tied-ok
for shape in plain tied; do
  runs=0 a=0 b=0 c=0 d=0
  s=1
  while [ "$s" -le "$N" ]; do
    k=0 ok=1
    for r in "no-fix 40960 12288" "kb891509 40960 0" "kb901014 40960 0" "both 0 0"; do
      set -- $r
      k=$((k + 1)) tied=
      [ "$shape" = tied ] && [ "$1" = kb891509 ] && tied=--logon-tied
      rm -rf "$T/$1"; mkdir -p "$T/$1"
      # shellcheck disable=SC2086
      "$GEN" -s clean -r -n 1200 -l "$2" --logon-rate 0.4 --logon-leak "$3" $tied \
        -S $((s * 10 + k)) "$T/$1" >/dev/null 2>&1 || ok=0
    done
    [ "$ok" = 1 ] || { s=$((s + 1)); continue; }
    cat >"$T/m.yaml" <<M
rules: [kb891509, kb901014]
process: mapitest
tolerance: 1024
runs:
  - {name: no fix, counters: no-fix/counters.csv, events: no-fix/events.csv, module_version: 6.5.7226.0, registry_values: {}}
  - {name: first, counters: kb891509/counters.csv, events: kb891509/events.csv, module_version: 6.5.7232.0, registry_values: {}}
  - {name: second, counters: kb901014/counters.csv, events: kb901014/events.csv, module_version: 6.5.7233.46, registry_values: {CleanUpMAPIHeap: 0}}
  - {name: both, counters: both/counters.csv, events: both/events.csv, module_version: 6.5.7233.46, registry_values: {CleanUpMAPIHeap: 1}}
M
    "$LS" compare -q -f json "$T/m.yaml" >"$T/out" 2>/dev/null
    set -- $(python3 -c 'import json, re, sys
d = json.load(open(sys.argv[1])); tied = sys.argv[2] == "tied"
t = d["conclusion"]["text"]
fix = "first" if not tied else "second"
logon = re.search(r"KB891509.s hotfix removed the per-logon leak of 1[12]\.[0-9] KiB \(run .%s.\)" % fix, t) is not None
load = re.search(r"the per-load leak of (39|40|41)\.[0-9] KiB remains with KB901014.s hotfix alone \(run .second.\) until CleanUpMAPIHeap=1 \(run .both.\)", t) is not None
js = [(r["name"], j) for r in d["runs"] for j in r["judgements"]]
cons = all(j["consistent"] is True for n, j in js if not (tied and n == "first"))
t_ok = 1
if tied:
    f = [j for n, j in js if n == "first"]
    t_ok = int(all(j["reason"] == "not-separable" and j["bytes_per_cycle"] is None and j["consistent"] is None for j in f)
               and "cannot be judged per logon cycle" in t)
print(int(logon), int(load), int(cons), t_ok)' "$T/out" "$shape" 2>/dev/null || echo 0 0 0 0)
    runs=$((runs + 1)) a=$((a + $1)) b=$((b + $2)) c=$((c + $3)) d=$((d + $4))
    s=$((s + 1))
  done
  printf '%-8s %5d %9.3f %9.3f %11.3f %9.3f\n' "$shape" "$runs" \
    "$(awk -v x="$a" -v n="$runs" 'BEGIN { print x / n }')" \
    "$(awk -v x="$b" -v n="$runs" 'BEGIN { print x / n }')" \
    "$(awk -v x="$c" -v n="$runs" 'BEGIN { print x / n }')" \
    "$(awk -v x="$d" -v n="$runs" 'BEGIN { print x / n }')"
done
