#!/bin/sh
# manpage.sh — the man page and the binary agree, both ways: every command
# has a section, every option of each command's --help is in that command's
# OPTIONS block of doc/leakslope.1, and every option a block lists is one the
# command takes (none stale). The blocks are generated: doc/update-man.sh.
# The reader and analysis options come from one table (src/analyze/
# option_table.h), so checking each command's --help checks the table too.
. "$abs_top_srcdir/tests/lib.sh"
man=${LEAKSLOPE_MANPAGE:-"$abs_top_srcdir/doc/leakslope.1"}

# Long options of "CMD --help", one a line, sorted.
help_options() {
  "$LEAKSLOPE" "$1" --help | sed -n 's/^ *\(-., \)\{0,1\}--\([a-z0-9-]*\).*/\2/p' | sort -u
}
# Long options in the man page's OPTIONS block of CMD, one a line, sorted.
man_options() {
  awk -v cmd="$1" '
    $0 == ".\\\" BEGIN OPTIONS " cmd { on = 1; next }
    $0 == ".\\\" END OPTIONS " cmd { on = 0 }
    on && /^\\fB/ { print }' "$man" |
    sed -n 's/.*\\-\\-\([a-z0-9\\-]*\).*/\1/p' | sed -e 's/\\f$//' -e 's/\\-/-/g' | sort -u
}

commands=$("$LEAKSLOPE" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
for cmd in $commands; do
  [ "$cmd" = help ] && continue
  check "man page has a section for '$cmd'" grep -q "^\.SS $cmd\$" "$man"
  help_options "$cmd" >"$TMPD/help"
  man_options "$cmd" >"$TMPD/man"
  missing=$(comm -23 "$TMPD/help" "$TMPD/man" | sed 's/^/--/' | tr '\n' ' ')
  stale=$(comm -13 "$TMPD/help" "$TMPD/man" | sed 's/^/--/' | tr '\n' ' ')
  if [ -z "$missing" ]; then ok "man page lists every option of '$cmd --help'"
  else not_ok "man page misses ${missing}of '$cmd' (run doc/update-man.sh)"; fi
  if [ -z "$stale" ]; then ok "man page lists no option '$cmd' does not take"
  else not_ok "man page lists ${stale}which '$cmd' does not take (run doc/update-man.sh)"; fi
done
done_testing
