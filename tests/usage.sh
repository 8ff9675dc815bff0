#!/bin/sh
# usage.sh — the command line as a stranger meets it, for every command that
# `leakslope --help` lists: an unknown option (long, short, or before the
# command), a value given to a flag that takes none, a value missing or
# empty, an ambiguous abbreviation — each a usage error (exit 2) that names
# the option as typed and points at --help; --help and --version succeed
# on stdout with nothing on stderr.
. "$abs_top_srcdir/tests/lib.sh"
cd "$TMPD" || exit 1

commands=$($LEAKSLOPE --help | sed -n '/^Commands:/,/^$/{s/^  \([a-z][a-z]*\) .*/\1/p}')
check "--help lists the commands ($(echo $commands))" test -n "$commands"

# usage_error DESC WANT ARGS...: exit 2, stderr WANT then the --help pointer
usage_error() {
  d=$1 want=$2
  shift 2
  ls_run "$@"
  cmd=$1
  case $cmd in -*) try="leakslope --help" prefix="leakslope" ;;
                *) try="leakslope $cmd --help" prefix="leakslope $cmd" ;; esac
  printf '%s: %s\nTry %s.\n' "$prefix" "$want" "'$try'" >"$TMPD/want"
  if [ "$rc" = 2 ] && cmp -s "$TMPD/want" "$TMPD/err" && [ ! -s "$TMPD/out" ]; then
    ok "$d"
  else
    not_ok "$d (rc $rc)"
    diagnose "$TMPD/err"
  fi
}

for c in $commands; do
  usage_error "$c --bogus" "unknown option '--bogus'" "$c" --bogus
  usage_error "$c --bogus=1 names the option without its value" \
    "unknown option '--bogus'" "$c" --bogus=1
  usage_error "$c -Z" "unknown option '-Z'" "$c" -Z
  usage_error "$c --help=1" "option '--help' takes no value" "$c" --help=1
  usage_error "$c --version=1" "option '--version' takes no value" "$c" --version=1
  ls_run "$c" --help
  check_status "$([ "$rc" = 0 ] && grep -q "^Usage: leakslope $c " out && [ ! -s err ]; echo $?)" \
    "$c --help: exit 0, usage on stdout, nothing on stderr"
  ls_run "$c" --version
  check_status "$([ "$rc" = 0 ] && grep -q "^leakslope [0-9]" out && [ ! -s err ]; echo $?)" \
    "$c --version: exit 0, the version on stdout"
done

# before any command
usage_error "leakslope --bogus" "unknown option '--bogus'" --bogus
usage_error "leakslope -x" "unknown option '-x'" -x
usage_error "leakslope --help=1" "option '--help' takes no value" --help=1
usage_error "an option before the command says where it goes" \
  "unknown option '--format' (options go after the command: leakslope inspect --format)" \
  --format json inspect x.csv
ls_run nosuch
check_status "$([ "$rc" = 2 ] && grep -qx "leakslope: no command 'nosuch'" err; echo $?)" \
  "a word that is no command: no command 'nosuch'"

# values
usage_error "a missing value names what was expected" \
  "option '--events' needs a value (expected TRACE)" analyze x.csv --events
usage_error "a missing value of a short option" \
  "option '-e' needs a value (expected TRACE)" analyze x.csv -e
usage_error "a missing value after a cluster of short options" \
  "option '-e' needs a value (expected TRACE)" analyze x.csv -qe
usage_error "an empty value (an unset variable) is refused" \
  "option '--events' has an empty value (expected TRACE)" analyze --events= x.csv
usage_error "an empty value of a short option" \
  "option '-o' has an empty value (expected FILE)" inspect -o '' x.csv
usage_error "a flag given a value" \
  "option '--fail-on-leak' takes no value" analyze --fail-on-leak=yes x.csv
usage_error "a shared flag given a value" \
  "option '--utc' takes no value" inspect --utc=1 x.csv
usage_error "an ambiguous abbreviation lists what it could be" \
  "option '--e' is ambiguous (it could be --events, --encoding)" analyze --e x x.csv
usage_error "a byte that is no ASCII letter: the word as typed" \
  "unknown option '-é'" inspect -é x.csv
ls_run inspect --outp=out.json "$abs_top_srcdir/tests/data/perfmon/quirk-tsv.tsv"
check "an unambiguous abbreviation still works (rc $rc)" grep -q '"schema"' out.json

done_testing
