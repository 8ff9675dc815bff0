# lib.sh — shared helpers for the shell tests (sourced, POSIX sh).
# Every test prints TAP: "ok N - what was checked". leakslope runs through
# $LEAKSLOPE_RUN (empty, or valgrind under `make check-valgrind`).
: "${LEAKSLOPE:?run through make check}"
tap_n=0
tap_failed=0
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/leakslope-test.XXXXXX")
trap 'rm -rf "$TMPD"' EXIT

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }
# check DESCRIPTION COMMAND...: ok when COMMAND succeeds
check() { d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# COND1 && COND2; check_status $? DESC: for a check of several conditions
# (`check DESC [ a ] && [ b ]` would test only the first).
check_status() { if [ "$1" = 0 ]; then ok "$2"; else not_ok "$2"; fi; }
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - # SKIP $*"; }
diagnose() { sed 's/^/# /' "$@"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
done_testing() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }

# ls_run ARGS...: run leakslope, stdout to $TMPD/out, stderr to $TMPD/err,
# exit status in $rc.
ls_run() {
  rc=0
  $LEAKSLOPE_RUN "$LEAKSLOPE" "$@" >"$TMPD/out" 2>"$TMPD/err" || rc=$?
}

# corpus FILE: path of a real-world file, or skip the whole test (exit 77 is
# not TAP; a "1..0 # SKIP" plan is how TAP tests skip) when the corpus is absent.
corpus_dir() {
  if [ -n "${LEAKSLOPE_CORPUS:-}" ] && [ -d "$LEAKSLOPE_CORPUS" ]; then
    echo "$LEAKSLOPE_CORPUS"
  else
    skip_all "corpus folder not found (${LEAKSLOPE_CORPUS:-unset}); configure --with-corpus=DIR"
  fi
}
