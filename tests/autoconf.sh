#!/bin/sh
# autoconf.sh — configure.ac passes `autoconf -Wall` without a warning (one
# was AC_USE_SYSTEM_EXTENSIONS expanded after compile checks had run, so
# those checks saw another set of feature macros than the build). Run on a
# copy, as the source tree may be read-only (distcheck); skipped where
# autoconf is not installed.
. "$abs_top_srcdir/tests/lib.sh"
command -v autoconf >/dev/null 2>&1 || skip_all "autoconf not installed"
cp "$abs_top_srcdir/configure.ac" "$abs_top_srcdir/aclocal.m4" "$TMPD/" &&
  cp -R "$abs_top_srcdir/m4" "$TMPD/m4" || skip_all "no aclocal.m4 or m4/ to copy"
(cd "$TMPD" && autoconf -Wall -o /dev/null configure.ac) >"$TMPD/out" 2>&1
rc=$?
diagnose "$TMPD/out"
[ "$rc" -eq 0 ] && [ ! -s "$TMPD/out" ]
check_status $? "autoconf -Wall: configure.ac gives no warning"
done_testing
