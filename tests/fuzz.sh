#!/bin/sh
# fuzz.sh — every input kept under tests/fuzz/NAME/ (crashes and hangs a
# fuzzer found, and hand-written hostile inputs) replays through the plain
# driver of target NAME (fuzz/replay_NAME, the same fuzz/fuzz_NAME.c the
# libFuzzer build runs): a fixed crash cannot come back.
. "$abs_top_srcdir/tests/lib.sh"
for dir in "$abs_top_srcdir"/tests/fuzz/*/; do
  t=$(basename "$dir")
  for f in "$dir"*; do
    [ -f "$f" ] || continue
    rc=0
    $LEAKSLOPE_RUN "$abs_top_builddir/fuzz/replay_$t" "$f" >"$TMPD/out" 2>"$TMPD/err" || rc=$?
    check "fuzz $t: $(basename "$f") replays cleanly (exit $rc)" test "$rc" = 0
  done
done
done_testing
