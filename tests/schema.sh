#!/bin/sh
# schema.sh — the output contract is machine-checked: every command's
# `-f json` and `-f yaml` document, on logs, traces and manifests of many
# shapes (a leak, no leak, no trace, a slope change, warm-up, too few cycles,
# several trace formats, broken data files), validates against its JSON
# Schema in schema/ (draft 2020-12, python3-jsonschema), and the YAML holds
# the same data as the JSON. The CLI goldens that are JSON or YAML validate
# too. Then the schemas are shown to reject: an extra field, a wrong type, a
# value outside an enum, a missing field, each at the top, nested and through
# a $ref to another file. The warning codes of the schema are the ones the
# code raises, and doc/output.md names every one of them.
. "$abs_top_srcdir/tests/lib.sh"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not found (apt-get install python3)"
python3 -c 'import jsonschema, yaml' 2>/dev/null ||
  skip_all "python3 jsonschema or yaml missing (apt-get install python3-jsonschema python3-yaml)"
schemas="$abs_top_srcdir/schema"
data="$abs_top_srcdir/tests/data"
samples="$abs_top_srcdir/samples"
gen="$abs_top_builddir/tests/gen/gen-capture"
cd "$TMPD" || exit 1

# schema.py COMMAND ...: the checks that need a JSON Schema validator.
#   check NAME FILE: FILE (JSON, or YAML when it ends in .yaml) is a
#     leakslope/NAME/1 document valid against schema/NAME-1.json;
#     exit 0 valid, 1 invalid (the errors on stdout), 2 not loadable.
#   same JSON YAML: the two hold the same data (but the command line).
#   mutate FILE PATH set|del [VALUE]: FILE with the value at PATH
#     (a/b/0/c; VALUE is JSON) set or deleted, to stdout; exit 2 when PATH
#     does not name a value (so a mutation can never silently do nothing).
#   schemas: every schema file is a valid draft 2020-12 schema, its $id
#     names it, and every $ref resolves.
#   codes SRCDIR DOC: the warning codes of common.json are exactly those of
#     warnings_add() calls in SRCDIR, and DOC names each.
cat >schema.py <<'PY'
import glob, json, os, re, sys
import jsonschema
import yaml
from jsonschema import Draft202012Validator

SDIR = os.environ["SCHEMAS"]

def load_store():
    store = {}
    for f in sorted(glob.glob(os.path.join(SDIR, "*.json"))):
        with open(f, encoding="utf-8") as fh:
            s = json.load(fh)
        store[s["$id"]] = (os.path.basename(f), s)
    return store

def validator(store, fname):
    ids = [k for k, (n, _) in store.items() if n == fname]
    if not ids:
        sys.exit("no schema %s in %s" % (fname, SDIR))
    schema = store[ids[0]][1]
    try:  # jsonschema >= 4.18: a referencing registry
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
        reg = Registry().with_resources(
            (k, Resource(contents=s, specification=DRAFT202012)) for k, (_, s) in store.items())
        return Draft202012Validator(schema, registry=reg)
    except ImportError:  # 4.10 (Debian bookworm): RefResolver with a store
        return Draft202012Validator(schema, resolver=jsonschema.RefResolver(
            schema["$id"], schema, store={k: s for k, (_, s) in store.items()}))

def load_doc(path):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) if path.endswith((".yaml", ".yml")) else json.load(fh)

def check(name, path):
    try:
        doc = load_doc(path)
    except Exception as e:
        print("cannot load %s: %s" % (path, e)); return 2
    errs = sorted(validator(load_store(), name + "-1.json").iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errs[:5]:
        print("/" + "/".join(map(str, e.absolute_path)) + ": " + e.message[:300])
    return 1 if errs else 0

def same(j, y):
    a, b = load_doc(j), load_doc(y)
    for d in (a, b):
        d.get("provenance", {}).pop("command_line", None)
    if a == b:
        return 0
    print("the YAML and the JSON differ"); return 1

def mutate(path, where, op, value=None):
    doc = load_doc(path)
    keys = [int(k) if k.isdigit() else k for k in where.split("/")]
    node = doc
    try:
        for k in keys[:-1]:
            node = node[k]
        last = keys[-1]
        if op == "del":
            del node[last]
        elif isinstance(node, dict) or (isinstance(node, list) and last < len(node)):
            node[last] = json.loads(value)
        else:
            raise KeyError(last)
    except (KeyError, IndexError, TypeError) as e:
        print("mutate: no %s in %s (%s)" % (where, path, e), file=sys.stderr); return 2
    json.dump(doc, sys.stdout, indent=2); print(); return 0

def resolve(store, base, ref):
    """The node a $ref names, followed by hand (no validator involved)."""
    from urllib.parse import urljoin
    uri, _, pointer = urljoin(base, ref).partition("#")
    node = store[uri][1]
    for part in [p for p in pointer.split("/") if p]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node

def schemas():
    store, bad = load_store(), 0
    for sid, (name, s) in store.items():
        Draft202012Validator.check_schema(s)
        if not sid.endswith("/" + name):
            print("%s: $id %s does not name the file" % (name, sid)); bad = 1
        def walk(node):
            if isinstance(node, dict):
                for k, x in node.items():
                    if k == "$ref":
                        resolve(store, sid, x)
                    walk(x)
            elif isinstance(node, list):
                for x in node:
                    walk(x)
        try:
            walk(s)
        except (KeyError, IndexError, TypeError) as e:
            print("%s: a $ref does not resolve: %s" % (name, e)); bad = 1
    print("%d schema files" % len(store))
    return bad

def codes(srcdir, docfile):
    found = set()
    for root, _, files in os.walk(srcdir):
        for f in files:
            if f.endswith(".c"):
                with open(os.path.join(root, f), encoding="utf-8") as fh:
                    found |= set(re.findall(r'warnings_add\(\s*[^,()]+,\s*"([^"]+)"', fh.read()))
    with open(os.path.join(SDIR, "common.json"), encoding="utf-8") as fh:
        listed = set(json.load(fh)["$defs"]["warning_code"]["enum"])
    with open(docfile, encoding="utf-8") as fh:
        text = fh.read()
    bad = 0
    for c in sorted(found - listed):
        print("code %s is raised but not in schema/common.json" % c); bad = 1
    for c in sorted(listed - found):
        print("code %s is in schema/common.json but never raised" % c); bad = 1
    for c in sorted(listed):
        if "`%s`" % c not in text:
            print("code %s is not in %s" % (c, docfile)); bad = 1
    if len(found) < 10:
        print("only %d codes found in %s: the pattern is wrong" % (len(found), srcdir)); bad = 1
    return bad

def batch(queue):
    """Every queued check in one process (one interpreter start and one
    schema store instead of hundreds): lines DESC, PRE, WANT, OP, ARGS...
    (tab-separated; PRE is the shell's own condition, 0 when it held);
    prints "ok|not ok", DESC and the first line of what OP said."""
    import contextlib, io
    global load_store
    store = load_store()
    load_store = lambda: store
    vals = {}
    def cached(st, fname):
        if fname not in vals:
            vals[fname] = plain_validator(st, fname)
        return vals[fname]
    globals()["validator"] = cached
    with open(queue, encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            desc, pre, want, op, args = f[0], f[1], int(f[2]), f[3], f[4:]
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                if op == "reject":  # reject NAME FILE PATH set|del [VALUE]
                    name, path = args[0], args[1]
                    buf = io.StringIO()
                    with contextlib.redirect_stdout(buf):
                        mrc = mutate(path, *args[2:])
                    if mrc != 0:
                        rc = -1; print("the mutation does not apply")
                    else:
                        tmp = os.path.join(os.path.dirname(queue), "bad.json")
                        with open(tmp, "w", encoding="utf-8") as t:
                            t.write(buf.getvalue())
                        rc = check(name, tmp)
                else:
                    rc = {"check": check, "same": same}[op](*args)
            said = out.getvalue().strip().splitlines()
            first = said[0] if said else ""
            desc = desc.replace("{out}", first[:110])
            good = pre == "0" and rc == want
            print("%s\t%s\t%s" % ("ok" if good else "not ok", desc, "" if good else first))
    return 0

plain_validator = validator

cmd, args = sys.argv[1], sys.argv[2:]
sys.exit({"batch": batch, "check": check, "same": same, "mutate": mutate, "schemas": schemas,
          "codes": codes}[cmd](*args))
PY
SCHEMAS=$schemas; export SCHEMAS
py() { python3 "$TMPD/schema.py" "$@"; }
# q DESC PRE WANT OP ARGS...: queue a check for `flush` (one python for all):
# OP (check NAME FILE, same JSON YAML, reject NAME FILE PATH set|del [VALUE])
# must exit WANT, and PRE (the shell's part, 0 or 1) must be 0. "{out}" in
# DESC becomes the first line OP printed.
: >"$TMPD/queue"
q() { (IFS=$(printf '\t'); echo "$*") >>"$TMPD/queue"; }
flush() {
  python3 "$TMPD/schema.py" batch "$TMPD/queue" >"$TMPD/results" 2>&1 ||
    { not_ok "the queued schema checks ran"; diagnose "$TMPD/results"; }
  tab=$(printf '\t')
  while IFS=$tab read -r st desc why; do
    if [ "$st" = ok ]; then ok "$desc"; else not_ok "$desc"; [ -n "$why" ] && echo "# $why"; fi
  done <"$TMPD/results"
  : >"$TMPD/queue"
}

v=$(python3 -c 'import jsonschema, sys
try:
    from importlib.metadata import version; print(version("jsonschema"))
except Exception: print(jsonschema.__version__)' 2>/dev/null)
echo "# jsonschema $v"
py schemas >schemas.out 2>&1
src=$?
check "schema/*.json are valid draft 2020-12 schemas, each \$id names its file, every \$ref resolves ($(tail -1 schemas.out))" test "$src" = 0
[ -s schemas.out ] && diagnose schemas.out
py codes "$abs_top_srcdir/src" "$abs_top_srcdir/doc/output.md" >codes.out 2>&1
check "the warning codes of schema/common.json are those the code raises, and doc/output.md names each" test $? = 0
diagnose codes.out

# valid NAME TAG WANT-RC ARGS...: `leakslope ARGS -f json` and `-f yaml` exit
# WANT-RC, validate against schema/NAME-1.json and hold the same data; the
# JSON is kept as TAG.json for the rejection tests below.
valid() {
  name=$1; tag=$2; want=$3; shift 3
  ls_run "$@" -f json
  cp "$TMPD/out" "$tag.json"; cp "$TMPD/err" "$tag.err"
  jrc=$rc
  [ "$rc" = "$want" ] || diagnose "$tag.err"
  ls_run "$@" -f yaml
  cp "$TMPD/out" "$tag.yaml"
  yrc=$rc
  q "$tag: -f json exits $want (rc $jrc) and is valid against $name-1.json" \
    "$([ "$jrc" = "$want" ]; echo $?)" 0 check "$name" "$TMPD/$tag.json"
  q "$tag: -f yaml exits $want (rc $yrc) and is valid against $name-1.json" \
    "$([ "$yrc" = "$want" ]; echo $?)" 0 check "$name" "$TMPD/$tag.yaml"
  q "$tag: the YAML holds the same fields and values as the JSON" 0 0 same "$TMPD/$tag.json" "$TMPD/$tag.yaml"
}

# --- inspect: encodings, zones, gaps, duplicates, one row, gzip, stdin
p="$data/perfmon"
valid inspect inspect-gaps 0 inspect "$p/quirk-gaps.csv"
valid inspect inspect-utf16le 0 inspect "$p/quirk-utf16le.csv"
valid inspect inspect-tsv 0 inspect "$p/quirk-tsv.tsv"
valid inspect inspect-cp1251-zone 0 inspect --encoding cp1251 "$p/quirk-cp1251-truncated-zone.csv"
valid inspect inspect-no-zone 0 inspect "$p/quirk-typeperf-nozone.csv"
valid inspect inspect-dst 0 inspect "$p/quirk-dst.csv"
valid inspect inspect-duplicates 0 inspect "$p/quirk-duplicate-columns.csv"
valid inspect inspect-one-row 0 inspect "$p/quirk-single-row.csv"
valid inspect inspect-instances 0 inspect "$p/quirk-instances.csv"
valid inspect inspect-gzip 0 inspect "$p/quirk-gzip-multimember.csv.gz"
valid inspect inspect-resaved 0 inspect "$p/resaved-de-semicolon.csv"
valid inspect inspect-bias 0 inspect --bias -60 "$p/quirk-gaps.csv"
valid inspect inspect-utc 0 inspect --utc "$p/quirk-gaps.csv"
valid inspect inspect-sample 0 inspect "$samples/linux/baseline/counters.csv"
ls_run inspect -f json - <"$p/quirk-blanks.csv"
cp "$TMPD/out" inspect-stdin.json
py check inspect inspect-stdin.json >v.out 2>&1
check "inspect - (standard input, no size or hash): valid (rc $rc)" test $? = 0 -a "$rc" = 0
diagnose v.out
check "... and its input has size null" grep -q '"size": null' inspect-stdin.json
check "inspect-one-row: interval_seconds is null" grep -q '"interval_seconds": null' inspect-one-row.json
check "inspect-duplicates: a duplicate column is numbered" grep -q '"duplicate": ' inspect-duplicates.json

# --- events: every built-in format and layouts, selections, --log, rolled over
t="$data/trace"
valid events events-own 0 events "$t/own-basic.csv" -p mapitest -m mapi32.dll
valid events events-own-all 0 events "$t/own-basic.csv"
valid events events-own-module-only 0 events "$t/own-basic.csv" -m mapi32.dll
valid events events-own-process-only 0 events "$t/own-basic.csv" -p mapitest
valid events events-implied 0 events "$t/own-no-unloads.csv" -p mapitest -m mapi32.dll
valid events events-skipped 0 events "$t/own-skipped.csv" -p mapitest -m mapi32.dll
valid events events-tracerpt-csv 0 events "$t/tracerpt-kernel.csv" -p mapitest -m mapi32.dll
valid events events-tracerpt-xml 0 events "$t/tracerpt-kernel.xml" -p mapitest -m mapi32.dll
valid events events-xperf 0 events "$t/xperf-lost.txt" -p mapitest -m mapi32.dll
valid events events-sysmon-xml 0 events "$t/sysmon-wevtutil.xml" -p mapitest -m mapi32.dll
valid events events-sysmon-json 0 events "$t/sysmon-records.json"
valid events events-procmon 0 events "$t/procmon_win7x86_all_classes.csv.gz" --date-order mdy \
  --tz-offset -07:00 -p explorer -m iexplore.exe
valid events events-procmon-merged 0 events "$t/procmon-double-load.csv" --date 2020-07-31 \
  --tz-offset +02:00 -p python -m vcruntime140.dll
valid events events-ltrace 0 events "$t/ltrace-ttt.txt" -p mapitest -m libmapi.so.0
valid events events-rolled-over 0 events -p mapitest -m mapi32.dll "$t/rolled-2.csv" "$t/rolled-1.csv"
valid events events-log-wrong-zone 0 events "$t/own-basic.csv" -p mapitest -m mapi32.dll --log "$t/log-wrong-zone.csv"
valid events events-sample-log 0 events "$samples/linux/baseline/events.csv" -p leaky-driver \
  -m libleaky.so --log "$samples/linux/baseline/counters.csv"
check "events-rolled-over: events_files lists both" grep -q '"events_files"' events-rolled-over.json
check "events-log-wrong-zone: a clock offset is suggested" \
  grep -q '"suggested_clock_offset_seconds": -*[0-9]' events-log-wrong-zone.json

# --- analyze: leak, no leak, restarts, no trace, cycles from time, projection,
# and generated runs for a slope change, a warm-up, too few cycles
a="$data/analyze"
valid analyze analyze-leak 0 analyze -e "$a/leak/events.csv" -p mapitest "$a/leak/counters.csv"
valid analyze analyze-noleak 0 analyze -e "$a/noleak/events.csv" -p mapitest "$a/noleak/counters.csv"
valid analyze analyze-restarts 0 analyze -e "$a/restarts/events.csv" -p mapitest "$a/restarts/counters.csv"
valid analyze analyze-no-trace 0 analyze -p mapitest "$a/leak/counters.csv"
valid analyze analyze-cycles 0 analyze -p mapitest --cycles 600 "$a/leak/counters.csv"
valid analyze analyze-limit 0 analyze -e "$a/leak/events.csv" -p mapitest --limit 2G "$a/leak/counters.csv"
valid analyze analyze-sample-leak 0 analyze -e "$samples/linux/baseline/events.csv" -p leaky-driver \
  -m libleaky.so "$samples/linux/baseline/counters.csv"
valid analyze analyze-sample-fixed 0 analyze -e "$samples/linux/hotfix-cleanup/events.csv" \
  -p leaky-driver -m libleaky.so "$samples/linux/hotfix-cleanup/counters.csv"
check "analyze-no-trace: verdict, cycles and events_file are null" \
  sh -c 'grep -q "\"verdict\": null" analyze-no-trace.json && grep -q "\"cycles\": null" analyze-no-trace.json && grep -q "\"events_file\": null" analyze-no-trace.json'
check "analyze-limit: a projection object" grep -q '"projection": {' analyze-limit.json
# (the generator runs natively: gen-capture.sh checks it under valgrind)
if "$gen" -s clean -n 1000 -l 8192 --leak-from 400 change >gen.out 2>&1 &&
   "$gen" -s warmup-noleak -n 300 -w 6000000 --warmup-tau 150 warmup >gen.out 2>&1 &&
   "$gen" -s clean -n 25 -l 3000 -e 60000 short >gen.out 2>&1 &&
   "$gen" -s restarts --xperf restarts >gen.out 2>&1; then
  valid analyze analyze-slope-change 0 analyze -e change/events.csv -p mapitest change/counters.csv
  check "analyze-slope-change: slope_change is an object" grep -q '"slope_change": {' analyze-slope-change.json
  valid analyze analyze-warming-up 0 analyze -e warmup/events.csv -p mapitest warmup/counters.csv
  check "analyze-warming-up: reason warming-up" grep -q '"reason": "warming-up"' analyze-warming-up.json
  valid analyze analyze-too-few 0 analyze -e short/events.csv -p mapitest short/counters.csv
  check "analyze-too-few: inconclusive, with cycles_needed" \
    sh -c 'grep -q "\"verdict\": \"inconclusive\"" analyze-too-few.json && grep -q "\"cycles_needed\": [0-9]" analyze-too-few.json'
  valid analyze analyze-xperf-restarts 0 analyze -e restarts/xperf.txt -p mapitest restarts/counters.csv
else
  not_ok "gen-capture made the runs"; diagnose gen.out
fi

# --- scan: a generated run with and without its trace, a log without
# Process counters
if "$gen" -s restarts -r scanrun >gen.out 2>&1; then
  valid scan scan-trace 0 scan -e scanrun/events.csv scanrun/counters.csv
  valid scan scan-no-trace 0 scan --top 1 scanrun/counters.csv
  check "scan-trace: a leak object with a module" grep -q '"module": "mapi32.dll"' scan-trace.json
  check "scan-no-trace: leak is null" grep -q '"leak": null' scan-no-trace.json
else
  not_ok "gen-capture made the scan run"; diagnose gen.out
fi
valid scan scan-no-processes 0 scan "$data/perfmon/powershell_countersamples_pst.csv"

# --- compare: the samples, the goldens' manifest, and one with a run that
# has no per-cycle figure (assessment unknown, reduction null)
valid compare compare-linux 0 compare "$samples/linux/manifest.yaml"
valid compare compare-windows 0 compare "$samples/windows/manifest.yaml"
valid compare compare-two-leaks 0 compare "$samples/two-leaks/manifest.yaml"
valid compare compare-three-runs 0 compare "$data/cmpgold/three-runs.yaml"
if [ -d short ]; then
  cat >odd.yaml <<M
rules: kb901014
process: mapitest
module: mapi32.dll
runs:
  - name: "no"
    counters: change/counters.csv
    events: change/events.csv
    module_version: 6.5.7226.0
  - name: "6.5"
    counters: short/counters.csv
    events: short/events.csv
    module_version: 6.5.7233.46
    registry_values: {CleanUpMAPIHeap: "1"}
  - name: no trace
    counters: warmup/counters.csv
  - name: cycles from time
    counters: warmup/counters.csv
    cycles: 300
    registry: $data/registry/mapi-wow64.reg
M
  valid compare compare-odd-runs 0 compare odd.yaml
  check "compare-odd-runs: an unknown assessment with a null reduction" \
    sh -c 'grep -q "\"assessment\": \"unknown\"" compare-odd-runs.json && grep -q "\"reduction\": null" compare-odd-runs.json'
fi

# --- formats: as found, and with a folder holding files that do not load
valid formats formats 0 formats
mkdir -p fmt/trace fmt/rules
echo 'name: [' >fmt/trace/broken.yaml
echo 'x: 1' >fmt/rules/broken.yaml
cp "$abs_top_srcdir/formats/trace/leakslope-csv.yaml" fmt/trace/
cp "$abs_top_srcdir/formats/counters.yaml" fmt/
valid formats formats-broken 65 formats --formats fmt
check "formats-broken: an error is named, and a layout shadowed" \
  sh -c 'grep -q "\"error\": \"fmt/trace/broken.yaml" formats-broken.json && grep -q "\"shadowed\": true" formats-broken.json'

# --- the CLI goldens that are JSON or YAML
for f in "$abs_top_srcdir"/tests/cli/*.stdout; do
  case $(head -c 9 "$f") in
    '{'*) ext=json ;;
    schema:*) ext=yaml ;;
    *) continue ;;
  esac
  g=$(basename "$f" .stdout)
  cp "$f" "golden-$g.$ext"
  name=$(sed -n 's|^ *"*schema"*: *"*leakslope/\([a-z]*\)/1.*|\1|p' "$f" | head -1)
  q "golden tests/cli/$g.stdout is valid against $name-1.json" 0 0 check "$name" "$TMPD/golden-$g.$ext"
done

# --- the schemas reject: each mutation of a valid document must fail (exit
# 1), and the unmutated document passed above.
# reject NAME FILE WHAT PATH set|del [VALUE]
reject() {
  name=$1; f=$2; what=$3; shift 3
  q "$name-1.json rejects $what ({out})" 0 1 reject "$name" "$TMPD/$f" "$@"
}
reject analyze analyze-leak.json "an extra top-level field" extra set 1
reject analyze analyze-leak.json "an extra field in leak" leak/extra set 1
reject analyze analyze-leak.json "samples as a string" samples set '"137"'
reject analyze analyze-leak.json "cycles as a fraction" cycles set 1.5
reject analyze analyze-leak.json "a verdict outside the enum" verdict set '"maybe"'
reject analyze analyze-leak.json "a method outside the enum" leak/method set '"median"'
reject analyze analyze-leak.json "a missing verdict" verdict del
reject analyze analyze-leak.json "a ci95 of three numbers" leak/ci95 set '[1, 2, 3]'
reject analyze analyze-leak.json "separable as a string" time_growth/separable set '"false"'
reject analyze analyze-limit.json "an extra field in projection" projection/extra set 1
reject analyze analyze-leak.json "a wrong schema name" schema set '"leakslope/analyze/2"'
reject analyze analyze-leak.json "an extra field in a provenance input (common.json)" provenance/inputs/0/extra set 1
reject analyze analyze-leak.json "a sha256 that is not hex" provenance/inputs/0/sha256 set '"XYZ"'
reject analyze analyze-leak.json "a diagnostic code outside the enum" diagnostics set \
  '[{"code": "no-such-code", "message": "m", "file": null, "line": null}]'
reject analyze inspect-gaps.json "an inspect document" schema set '"leakslope/inspect/1"'
reject inspect inspect-gaps.json "a UTC time without Z" first_utc set '"2026-03-05T21:58:00.000000"'
reject inspect inspect-gaps.json "an extra field in counters[]" counters/0/extra set 1
reject inspect inspect-gaps.json "a bias_source outside the enum" timezone/bias_source set '"guess"'
reject inspect inspect-gaps.json "a missing counters list" counters del
reject events events-own.json "an extra field in selection" selection/extra set 1
reject events events-own.json "a pairing outside the enum" selection/pairing set '"paired"'
reject events events-own.json "pids as strings" processes/0/pids set '["7228"]'
reject compare compare-linux.json "an extra field in a run (through analyze-1.json)" runs/0/extra set 1
reject compare compare-linux.json "an extra field in a run's leak (a \$ref to analyze-1.json)" runs/0/leak/extra set 1
reject compare compare-linux.json "a run's verdict outside the enum (a \$ref to analyze-1.json)" runs/0/verdict set '"maybe"'
reject compare compare-linux.json "a provenance inside a run" runs/0/provenance set '{}'
reject compare compare-linux.json "an assessment outside the enum" comparisons/0/assessment set '"fixed"'
reject compare compare-linux.json "consistent as a string" runs/0/consistent set '"yes"'
reject compare compare-linux.json "an extra field in evidence" runs/0/evidence/extra set 1
if [ -f scan-trace.json ]; then
  reject scan scan-trace.json "an extra field in processes[]" processes/0/extra set 1
  reject scan scan-trace.json "a grows_by outside the enum" processes/0/grows_by set '"memory"'
  reject scan scan-trace.json "an extra field in processes[].leak" processes/0/leak/extra set 1
  reject scan scan-trace.json "a missing next_command" next_command del
fi
reject formats formats.json "a loading layout without its summary" trace_formats/0/summary del
reject formats formats.json "a folder source outside the enum" folders/0/source set '"elsewhere"'
flush

done_testing
