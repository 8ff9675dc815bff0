#!/bin/sh
# update-man.sh — refresh the OPTIONS and EXIT blocks of each command in
# doc/leakslope.1 from that command's --help, so the man page and --help
# never disagree.
# Usage: doc/update-man.sh [path/to/leakslope]     (then review `git diff`)
# tests/manpage.sh checks both ways: every option of --help is in its
# command's block, no block lists an option the command does not take, and
# each EXIT block lists the codes its command's --help lists.
set -eu
bin=${1:-./src/leakslope}
man=$(dirname "$0")/leakslope.1
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# The rows of one --help section ("Options:" or "Exit status:") as man .TP
# entries: "  LEFT   text" starts a row; a line indented by at least the
# section's continuation indent (31 for options, 6 for exit codes) goes on
# with the text of the row above (--help wraps at 79 columns).
section_of() { # COMMAND SECTION-TITLE CONTINUATION-INDENT
  "$bin" "$1" --help | awk -v title="$2" -v cont="$3" '
    function flush() {
      if (left == "") return
      gsub(/\\/, "\\e", left); gsub(/-/, "\\-", left); gsub(/\\/, "\\e", right)
      print ".TP"; print "\\fB" left "\\fR"; print right
      left = ""
    }
    $0 == title { on = 1; next }
    on && /^$/ { exit }
    on && match($0, /^ +/) && RLENGTH >= cont + 0 && left != "" { line = $0; sub(/^ +/, "", line); right = right " " line; next }
    on {
      flush()
      line = $0; sub(/^ +/, "", line)
      n = match(line, /  +/)
      left = substr(line, 1, n - 1); right = substr(line, n + RLENGTH)
    }
    END { flush() }'
}

skip=0
while IFS= read -r line; do
  case $line in
    '.\" BEGIN OPTIONS '*)
      printf '%s\n' "$line"; section_of "${line#.\\\" BEGIN OPTIONS }" "Options:" 31; skip=1; continue ;;
    '.\" BEGIN EXIT '*)
      printf '%s\n' "$line"; section_of "${line#.\\\" BEGIN EXIT }" "Exit status:" 6; skip=1; continue ;;
    '.\" END OPTIONS '* | '.\" END EXIT '*) skip=0 ;;
  esac
  [ "$skip" = 1 ] || printf '%s\n' "$line"
done <"$man" >"$tmp"
cp "$tmp" "$man"
