#!/bin/sh
# installcheck — the installed leakslope, run as a user would: from a fresh
# temporary folder, with no source tree on its search path and no LEAKSLOPE_*
# variable set. Run by `make installcheck` (and so by `make distcheck`):
#   tests/installcheck.sh BINDIR MANDIR SRCDIR DOCDIR SCHEMADIR
# Prints TAP; exits non-zero when any check fails.
set -u
bindir=$1 mandir=$2 srcdir=$3 docdir=$4 schemadir=$5
bin=$bindir/leakslope
for v in $(env | sed -n 's/^\(LEAKSLOPE[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
work=$(mktemp -d "${TMPDIR:-/tmp}/leakslope-installcheck.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM
cp -R "$srcdir/samples/linux" "$work/samples" || exit 99
chmod -R u+w "$work/samples"
cd "$work" || exit 99
HOME=$work/home; export HOME   # no ~/.config/leakslope from the builder

n=0 failed=0
check() { # DESCRIPTION COMMAND...: ok when COMMAND exits 0
  what=$1; shift
  n=$((n + 1))
  if "$@" >"$work/out" 2>"$work/err"; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what (exit $?)"
    sed 's/^/# /' "$work/err" | head -5
    failed=$((failed + 1))
  fi
}
has() { grep -q -- "$1" "$work/out"; }

check "--version runs" "$bin" --version
check "the man page is installed" test -f "$mandir/man1/leakslope.1"
check "the format and manifest references are installed" \
  test -f "$docdir/formats/README.md" -a -f "$docdir/formats/README-manifest.md"
check "the output reference and its JSON Schemas are installed" \
  test -f "$docdir/output.md" -a -f "$schemadir/common.json" -a -f "$schemadir/analyze-1.json" \
  -a -f "$schemadir/compare-1.json"
check "inspect reads a log" "$bin" inspect samples/baseline/counters.csv
check "events reads capture's own trace format (installed layouts)" \
  "$bin" events -p leaky-driver -m libleaky.so samples/baseline/events.csv
check "analyze finds the 64 KiB leak" \
  sh -c '"$0" analyze -f json -e samples/baseline/events.csv -p leaky-driver \
           -m libleaky.so samples/baseline/counters.csv >out.json &&
         grep -q "\"verdict\": \"leak\"" out.json' "$bin"
check "compare finds the installed rules and writes a report" \
  "$bin" compare samples/manifest.yaml -o report.html
check "the report exists" test -s report.html
if command -v gnuplot >/dev/null 2>&1; then
  check "compare draws plots" "$bin" compare samples/manifest.yaml -o r.md --plots plots
fi
if [ -r /proc/self/maps ]; then
  check "capture finds the installed audit library" \
    "$bin" capture --interval 0.1 -o cap -- /bin/sh -c 'sleep 0.3'
  check "capture wrote both files" test -s cap/counters.csv -a -s cap/events.csv
fi
sed 's/^rules: .*/rules: nosuch/' samples/manifest.yaml >samples/nosuch.yaml
"$bin" compare samples/nosuch.yaml -o x.html 2>err2
check "unknown rules: exit 66, naming the installed folder, not the build tree" \
  sh -c '[ $0 -eq 66 ] && grep -q "share/leakslope/formats" err2 &&
         ! grep -q "$1" err2' $? "$srcdir"
echo "1..$n"
[ "$failed" -eq 0 ]
