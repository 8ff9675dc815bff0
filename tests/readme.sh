#!/bin/sh
# readme.sh — the README's tour is real output: each "$ ./src/leakslope ..."
# line of its code block is run (from a folder that looks like the top of
# the tree: samples/ and src/leakslope linked in) and the lines shown under
# it must appear in its output, in order; "..." stands for lines left out.
. "$abs_top_srcdir/tests/lib.sh"
readme="$abs_top_srcdir/README.md"
cd "$TMPD" || exit 1
mkdir -p src
ln -s "$abs_top_srcdir/samples" samples
ln -s "$abs_top_builddir/src/leakslope" src/leakslope

# The tour's code block, split into cmd.N (the command) and want.N (its lines).
awk -v dir="$TMPD" '
  /^## A tour/ { tour = 1; next }
  tour && /^```/ { if (inblock) exit; inblock = 1; next }
  inblock && /^\$ / { n++; print substr($0, 3) > (dir "/cmd." n); printf "" > (dir "/want." n); next }
  inblock && n { print > (dir "/want." n) }' "$readme"
check "the README has a tour to run" test -f cmd.1

# contains WANT GOT: WANT's lines appear in GOT in order; between two "..."
# markers they are consecutive.
contains() {
  awk 'NR == FNR { got[++g] = $0; next }
       { want[++w] = $0 }
       END {
         at = 1; chunk_start = 1; i = 1
         while (i <= w) {
           if (want[i] == "...") { i++; continue }
           j = i; while (j <= w && want[j] != "...") j++
           found = 0
           for (k = at; k + (j - i) - 1 <= g && !found; k++) {
             ok = 1
             for (m = 0; m < j - i && ok; m++) ok = got[k + m] == want[i + m]
             if (ok) { found = 1; at = k + (j - i) }
           }
           if (!found) { print "not found: " want[i]; exit 1 }
           i = j
         }
       }' "$2" "$1"
}

n=1
while [ -f "cmd.$n" ]; do
  cmd=$(cat "cmd.$n")
  rc=0
  eval "set -- $cmd"
  shift # ./src/leakslope
  $LEAKSLOPE_RUN ./src/leakslope "$@" >"got.$n" 2>"err.$n" || rc=$?
  check "tour: '$cmd' exits 0 (rc $rc)" test "$rc" = 0
  if contains "want.$n" "got.$n" >"why.$n"; then
    ok "tour: '$cmd' prints what the README shows"
  else
    not_ok "tour: '$cmd' prints what the README shows ($(cat "why.$n"))"
  fi
  n=$((n + 1))
done
done_testing
