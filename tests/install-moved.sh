#!/bin/sh
# install-moved.sh — a tree installed with DESTDIR and then moved (so its
# configured $(pkgdatadir) and $(pkglibdir) are not where it is) still finds
# its data and its audit library: the folder beside the binary,
# BINDIR/../share/leakslope/formats, is searched last, and capture falls back
# to BINDIR/../lib/leakslope/leakslope-audit.so. The install is real
# (`make install DESTDIR=...` in the build tree; the source tree is only
# read, so this works under distcheck); the test skips when it cannot install.
. "$abs_top_srcdir/tests/lib.sh"
unset LEAKSLOPE_DATADIR LEAKSLOPE_PRELOAD
HOME=$TMPD/home; export HOME

command -v "${MAKE:-make}" >/dev/null 2>&1 || skip_all "no make to install with"
"${MAKE:-make}" -s -C "$abs_top_builddir" install DESTDIR="$TMPD/d" \
  >"$TMPD/install.log" 2>&1 || { diagnose "$TMPD/install.log"; skip_all "make install DESTDIR failed"; }
bin=$(find "$TMPD/d" -path '*/bin/leakslope' -type f | head -n 1)
[ -n "$bin" ] || skip_all "make install put no bin/leakslope under DESTDIR"
root=$(dirname "$(dirname "$bin")")
[ -d "$root/share/leakslope/formats" ] ||
  skip_all "the data is not installed beside bin/ (--datadir elsewhere)"
mv "$root" "$TMPD/moved" || skip_all "cannot move the installed tree"
bin=$TMPD/moved/bin/leakslope
mkdir "$TMPD/elsewhere" && cd "$TMPD/elsewhere" || exit 99

run() { rc=0; $LEAKSLOPE_RUN "$bin" "$@" >"$TMPD/out" 2>"$TMPD/err" || rc=$?; }

run formats
check "the moved binary's formats exits 0 (rc $rc)" test "$rc" = 0
check "... lists the folder beside it last, labelled so" \
  sh -c 'tail_dir=$(sed -n "/^data folders/,/^$/p" "$1" | grep "^  [0-9]" | tail -n 1)
         test "$tail_dir" = "  $(grep -c "^  [0-9]" "$1"). $2 (beside the binary)" ||
         { grep -n "^  [0-9]" "$1"; exit 1; }' sh "$TMPD/out" "$TMPD/moved/share/leakslope/formats"
check "... and finds its rules there" grep -q "^  kb891509  *beside the binary: $TMPD/moved/share/leakslope/formats/rules/kb891509.yaml" "$TMPD/out"
run formats -f json
check "... the same in JSON (source \"beside the binary\")" \
  python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["folders"][-1]; sys.exit(0 if f["source"]=="beside the binary" and f["exists"] else 1)' "$TMPD/out"

run compare "$abs_top_srcdir/samples/two-leaks/manifest.yaml"
check "the moved binary's compare on samples/two-leaks exits 0 (rc $rc)" test "$rc" = 0
grep -q "not found" "$TMPD/err" && diagnose "$TMPD/err"
"$LEAKSLOPE" compare "$abs_top_srcdir/samples/two-leaks/manifest.yaml" >"$TMPD/build.out" 2>/dev/null
check "... and gives what the build tree's binary gives" cmp -s "$TMPD/out" "$TMPD/build.out"
run compare "$abs_top_srcdir/samples/windows/manifest.yaml" -f json -o "$TMPD/w.json"
check "... and on samples/windows (rc $rc)" test "$rc" = 0

# The folder beside the binary is listed once: given again as
# $LEAKSLOPE_DATADIR (through a symlink: compared resolved), it is not
# repeated at the end.
ln -s "$TMPD/moved" "$TMPD/link"
(LEAKSLOPE_DATADIR=$TMPD/link/share/leakslope/formats; export LEAKSLOPE_DATADIR; run formats)
check "a folder already listed is not listed again beside the binary" \
  sh -c '! grep -q "(beside the binary)" "$1" && grep -q "(LEAKSLOPE_DATADIR)$" "$1"' sh "$TMPD/out"

if [ "$(uname -s)" = Linux ] && [ -r /proc/self/maps ] &&
  [ -r "$TMPD/moved/lib/leakslope/leakslope-audit.so" ]; then
  run capture -q -o "$TMPD/cap" -i 0.05 -- sleep 0.2
  check "capture finds the audit library beside the moved binary (rc $rc)" test "$rc" = 0
  check "... and writes both files" test -s "$TMPD/cap/counters.csv" -a -s "$TMPD/cap/events.csv"
  rm "$TMPD/moved/lib/leakslope/leakslope-audit.so"
  run capture -q -o "$TMPD/cap2" -- true
  check "without it: exit 69 (rc $rc)" test "$rc" = 69
  check "... naming both places looked in" grep -q "cannot find the audit library leakslope-audit.so (looked for .*, and ../lib/leakslope/leakslope-audit.so beside the binary; set LEAKSLOPE_PRELOAD" "$TMPD/err"
else
  skip "capture needs Linux /proc and the installed audit library"
fi
done_testing
