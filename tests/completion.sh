#!/bin/sh
# completion.sh — the bash completion generated from the binary's tables:
# valid bash, commands at the first word, each command's own options (every
# long option of its --help, none else), values where the set is fixed.
. "$abs_top_srcdir/tests/lib.sh"
comp="$abs_top_builddir/completion/leakslope"
check "the completion was generated" test -s "$comp"
check "it is valid bash" bash -n "$comp"

# complete WORD...: what the completion offers for the last word
complete_words() {
  bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _leakslope; echo "${COMPREPLY[*]}"' "$comp" "$@"
}
offers() { # WANT WORD...: WANT is exactly what is offered
  want=$1; shift
  got=$(complete_words "$@")
  check "'$*' completes to '$want' (got '$got')" test "$got" = "$want"
}
offers "analyze" leakslope an
offers "--tolerance" leakslope analyze --tol
offers "text json yaml" leakslope analyze -f ""
offers "text json yaml md html" leakslope compare --format ""
offers "mdy dmy" leakslope events --date-order ""
offers "32 64" leakslope analyze --bits ""
offers "" leakslope analyze --pid ""
offers "formats" leakslope help form

for cmd in $("$LEAKSLOPE" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }'); do
  [ "$cmd" = help ] && continue
  want=$("$LEAKSLOPE" "$cmd" --help | sed -n 's/^  \(-., \|    \)--\([a-z0-9-]*\).*/--\2/p' | sort | tr '\n' ' ')
  got=$(complete_words leakslope "$cmd" -- | tr ' ' '\n' | grep '^--' | sort | tr '\n' ' ')
  check "'$cmd': the completion offers exactly the long options of its --help" test "$want" = "$got"
done
done_testing
