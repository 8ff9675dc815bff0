#!/bin/sh
# cli.sh — golden tests of the command line.
#
# Each case is tests/cli/NAME.args (the arguments, one shell-quoted line; @DATA@
# is tests/data, @CORPUS@ the real-world corpus, @SRCDIR@ the source tree) with NAME.exit (the exit
# status), and optionally NAME.stdin, NAME.stdout, NAME.stderr and NAME.needs
# (a build feature, "libevtx" or "no-libevtx": the case skips in the other
# build). Standard
# output is compared with numdiff (numbers at a relative tolerance of NAME.tol,
# default 1e-9); standard error exactly; in both the data folders are replaced
# by @DATA@/@CORPUS@ again. Cases that use @CORPUS@ are skipped without a corpus.
# A file the command writes is checked as NAME.file.FILENAME (FILENAME in the
# command's working folder, compared like stdout); NAME.absent lists files a
# failing command must not leave behind (one name a line).
#
# Refresh the goldens after a deliberate change, then review `git diff`:
#   make check TESTS=tests/cli.sh REFRESH_GOLDEN=1
. "$abs_top_srcdir/tests/lib.sh"
cases="$abs_top_srcdir/tests/cli"
data="$abs_top_srcdir/tests/data"
corpus=${LEAKSLOPE_CORPUS:-/nonexistent}

# (The binary and the source tree are named in provenance: the command line,
# the rules file found in formats/.)
unsubst() {
  sed -e "s#$data#@DATA@#g" -e "s#$corpus#@CORPUS@#g" -e "s#$LEAKSLOPE#@LEAKSLOPE@#g" \
      -e "s#$abs_top_srcdir#@SRCDIR@#g"
}

for argsfile in "$cases"/*.args; do
  name=$(basename "$argsfile" .args)
  base="$cases/$name"
  args=$(cat "$argsfile")
  case $args in *@CORPUS@*)
    if [ ! -d "$corpus" ]; then
      tap_n=$((tap_n + 1)); echo "ok $tap_n - $name # SKIP no corpus"; continue
    fi ;;
  esac
  # NAME.needs: the build the case needs ("libevtx", or "no-libevtx" for the
  # refusal a build without it gives), else it skips
  if [ -f "$base.needs" ] && grep -qx libevtx "$base.needs" &&
     [ "${LEAKSLOPE_HAVE_LIBEVTX:-yes}" != yes ]; then
    tap_n=$((tap_n + 1)); echo "ok $tap_n - $name # SKIP built without libevtx"; continue
  fi
  # "no-valgrind": libevtx 20181227 reads 2 bytes past its own chunk buffer
  # on the generated .evtx (inside libevtx_chunk_read; the plain and
  # sanitizer runs check the case)
  if [ -f "$base.needs" ] && grep -qx no-valgrind "$base.needs" &&
     case "${LEAKSLOPE_RUN:-}" in *valgrind*) true ;; *) false ;; esac; then
    tap_n=$((tap_n + 1)); echo "ok $tap_n - $name # SKIP libevtx's own read past its buffer under valgrind"; continue
  fi
  if [ -f "$base.needs" ] && grep -qx no-libevtx "$base.needs" &&
     [ "${LEAKSLOPE_HAVE_LIBEVTX:-yes}" = yes ]; then
    tap_n=$((tap_n + 1)); echo "ok $tap_n - $name # SKIP built with libevtx"; continue
  fi
  args=$(printf '%s' "$args" | sed -e "s#@DATA@#$data#g" -e "s#@CORPUS@#$corpus#g" -e "s#@SRCDIR@#$abs_top_srcdir#g")
  stdin=/dev/null
  [ -f "$base.stdin" ] && stdin="$base.stdin"
  written=""
  for golden in "$base".file.*; do
    [ -f "$golden" ] || continue
    written="$written ${golden#"$base".file.}"
  done
  absent=$(cat "$base.absent" 2>/dev/null || true)
  for f in $written $absent; do rm -f "$TMPD/$f"; done
  rc=0
  eval "set -- $args"
  (cd "$TMPD" && $LEAKSLOPE_RUN "$LEAKSLOPE" "$@" <"$stdin" >"$TMPD/out.raw" 2>"$TMPD/err.raw") || rc=$?
  unsubst <"$TMPD/out.raw" >"$TMPD/out"
  unsubst <"$TMPD/err.raw" >"$TMPD/err"
  if [ -n "${REFRESH_GOLDEN:-}" ]; then
    echo "$rc" >"$base.exit"
    if [ -s "$TMPD/out" ] || [ -f "$base.stdout" ]; then cp "$TMPD/out" "$base.stdout"; fi
    if [ -s "$TMPD/err" ] || [ -f "$base.stderr" ]; then cp "$TMPD/err" "$base.stderr"; fi
  fi
  if [ -n "${REFRESH_GOLDEN:-}" ]; then
    for f in $written; do [ -f "$TMPD/$f" ] && unsubst <"$TMPD/$f" >"$base.file.$f"; done
  fi
  want_rc=$(cat "$base.exit" 2>/dev/null || echo 0)
  tol=$(cat "$base.tol" 2>/dev/null || echo 1e-9)
  why=""
  [ "$rc" = "$want_rc" ] || why="exit $rc, want $want_rc"
  if [ -z "$why" ] && [ -f "$base.stdout" ] &&
     ! "$NUMDIFF" -r "$tol" "$base.stdout" "$TMPD/out" 2>"$TMPD/nd"; then
    why="stdout differs: $(cat "$TMPD/nd")"
  fi
  if [ -z "$why" ] && [ -f "$base.stderr" ] && ! cmp -s "$base.stderr" "$TMPD/err"; then
    why="stderr differs"
    diff "$base.stderr" "$TMPD/err" | diagnose
  fi
  if [ -z "$why" ] && [ ! -f "$base.stderr" ] && [ -s "$TMPD/err" ]; then
    why="unexpected stderr"; diagnose "$TMPD/err"
  fi
  for f in $written; do
    [ -z "$why" ] || break
    if [ ! -f "$TMPD/$f" ]; then why="did not write $f"; break; fi
    unsubst <"$TMPD/$f" >"$TMPD/written"
    "$NUMDIFF" -r "$tol" "$base.file.$f" "$TMPD/written" 2>"$TMPD/nd" ||
      why="$f differs: $(cat "$TMPD/nd")"
  done
  for f in $absent; do
    [ -z "$why" ] || break
    [ ! -e "$TMPD/$f" ] || why="left $f behind"
  done
  if [ -z "$why" ]; then ok "$name: exit $rc and output as in the golden files"
  else not_ok "$name: $why"; fi
done
done_testing
