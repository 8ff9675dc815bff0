#!/bin/sh
# update-man.sh — refresh the OPTIONS block of each command in doc/leakslope.1
# from that command's --help, so the man page and --help never disagree.
# Usage: doc/update-man.sh [path/to/leakslope]     (then review `git diff`)
# tests/manpage.sh checks both ways: every option of --help is in its
# command's block, and no block lists an option the command does not take.
set -eu
bin=${1:-./src/leakslope}
man=$(dirname "$0")/leakslope.1
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# "  -p, --process NAME   text" rows of --help as man .TP entries.
options_of() {
  "$bin" "$1" --help | awk '
    /^Options:/ { on = 1; next }
    on && /^$/ { exit }
    on {
      line = $0; sub(/^ +/, "", line)
      n = match(line, /   +/)
      left = substr(line, 1, n - 1); right = substr(line, n + RLENGTH)
      gsub(/\\/, "\\e", left); gsub(/-/, "\\-", left); gsub(/\\/, "\\e", right)
      print ".TP"; print "\\fB" left "\\fR"; print right
    }'
}

skip=0
while IFS= read -r line; do
  case $line in
    '.\" BEGIN OPTIONS '*)
      printf '%s\n' "$line"; options_of "${line#.\\\" BEGIN OPTIONS }"; skip=1; continue ;;
    '.\" END OPTIONS '*) skip=0 ;;
  esac
  [ "$skip" = 1 ] || printf '%s\n' "$line"
done <"$man" >"$tmp"
cp "$tmp" "$man"
