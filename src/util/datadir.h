/* datadir — where leakslope's data files (formats/: trace layouts, counter
 * aliases, rules) are found.
 *
 * The search order is fixed by DESIGN.md "Where data lives": the folder given
 * with --formats DIR, then $LEAKSLOPE_DATADIR, then
 * ~/.config/leakslope/formats, then the installed LEAKSLOPE_DATADIR_DEFAULT
 * ($(pkgdatadir)/formats, in the generated util/paths.h) — or, for a binary
 * running from its build tree, the source tree's formats/ in its place (an
 * installed binary never looks in the build tree). Every module that reads a
 * data file asks here, so the order lives in one place. */
#ifndef LEAKSLOPE_DATADIR_H
#define LEAKSLOPE_DATADIR_H

#include <stddef.h>

#include "util/diag.h"

#define DATADIR_MAX 4

/* Remember the --formats DIR option (NULL clears it). The string is not
 * copied: pass argv or another string that outlives the lookups. */
void datadir_set_formats(const char *dir);

/* The folders searched, in order, into dirs[] (malloc'ed strings the caller
 * frees); returns how many (at most DATADIR_MAX). Unset or empty sources are
 * left out. */
/* 1 when the running binary is the one in the build tree (its folder is
 * the configured build folder's src/), else 0. */
int datadir_in_build_tree(void);

/* Called once by main: a build-tree binary reads the source tree's formats/
 * instead of the installed folder, so ./src/leakslope works before (and
 * regardless of) `make install`. */
void datadir_use_build_tree(void);

size_t datadir_dirs(char *dirs[DATADIR_MAX]);
/* The same, with where each folder comes from in from[]: "--formats",
 * "LEAKSLOPE_DATADIR", "~/.config", "installed" or "source tree". */
size_t datadir_dirs_from(char *dirs[DATADIR_MAX], const char *from[DATADIR_MAX]);

/* The first existing regular file RELPATH ("rules/kb901014.yaml") in the
 * search order, malloc'ed. NULL when none has it: d is then filled
 * (DIAG_NOINPUT) with every folder looked in. */
char *datadir_find(const char *relpath, struct diag *d);

/* DIR's NAME.yaml files (a data folder's trace/, events/ or rules/),
 * sorted, as malloc'ed full paths; *n of them (NULL and 0 when DIR is
 * absent or has none). The caller frees each and the array. */
char **datadir_yaml_files(const char *dir, size_t *n);

#endif
