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
# (A row starts "  -x, --name" or "      --name"; wrapped text is indented
# further, so a continuation that begins with "--" is not taken for a row.)
help_options() {
  "$LEAKSLOPE" "$1" --help | sed -n 's/^  \(-., \|    \)--\([a-z0-9-]*\).*/\2/p' | sort -u
}
# The exit codes of "CMD --help", and those of its EXIT block in the man page.
help_exits() {
  "$LEAKSLOPE" "$1" --help | awk '/^Exit status:/ { on = 1; next } on && /^  [0-9]/ { print $1 }'
}
man_exits() {
  awk -v cmd="$1" '
    $0 == ".\\\" BEGIN EXIT " cmd { on = 1; next }
    $0 == ".\\\" END EXIT " cmd { on = 0 }
    on && /^\\fB[0-9]/ { gsub(/[^0-9]/, ""); print }' "$man"
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
  want=$(help_exits "$cmd" | tr '\n' ' ')
  got=$(man_exits "$cmd" | tr '\n' ' ')
  check "'$cmd --help' lists its exit codes ($want)" test -n "$want"
  check "man page lists the exit codes of '$cmd --help' ($got)" test "$want" = "$got"
  # (a single word longer than that, such as an installed path, cannot wrap)
  check "'$cmd --help' wraps at 79 columns" sh -c '! "$0" "$1" --help | grep "^.\{80\}" | grep -q "[^ ]  *[^ ]"' "$LEAKSLOPE" "$cmd"
done
check "'help --help' offers no --quiet" sh -c '! "$0" help --help | grep -q -- --quiet' "$LEAKSLOPE"
check "bare leakslope: usage on stderr, nothing on stdout, exit 2" \
  sh -c '"$0" >"$1/o" 2>"$1/e"; [ $? = 2 ] && [ ! -s "$1/o" ] && grep -q "^Usage:" "$1/e"' "$LEAKSLOPE" "$TMPD"
done_testing
