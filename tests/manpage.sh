#!/bin/sh
# manpage.sh — the man page documents every command and every option that
# --help lists (doc/update-man.sh regenerates the option blocks).
. "$abs_top_srcdir/tests/lib.sh"
man="$abs_top_srcdir/doc/leakslope.1"
commands=$("$LEAKSLOPE" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
for cmd in $commands; do
  [ "$cmd" = help ] && continue
  check "man page has a section for '$cmd'" grep -q "^\.SS $cmd\$" "$man"
  missing=""
  for opt in $("$LEAKSLOPE" "$cmd" --help | sed -n 's/^ *\(-., \)\{0,1\}--\([a-z0-9-]*\).*/\2/p'); do
    esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
    grep -q "\\\\-\\\\-$esc" "$man" || missing="$missing --$opt"
  done
  if [ -z "$missing" ]; then ok "man page lists every option of '$cmd --help'"
  else not_ok "man page misses$missing of '$cmd' (run doc/update-man.sh)"; fi
done
done_testing
