/* datadir — where leakslope's data files (formats/: trace layouts, counter
 * aliases, rules) are found.
 *
 * The search order is fixed by DESIGN.md "Where data lives": the folder given
 * with --formats DIR, then $LEAKSLOPE_DATADIR, then
 * ~/.config/leakslope/formats, then the installed LEAKSLOPE_DATADIR_DEFAULT
 * ($(pkgdatadir), defined by the Makefile). Every module that reads a data
 * file asks here, so the order lives in one place. */
#ifndef LEAKSLOPE_DATADIR_H
#define LEAKSLOPE_DATADIR_H

#include <stddef.h>

#include "util/diag.h"

#define DATADIR_MAX 5

/* Remember the --formats DIR option (NULL clears it). The string is not
 * copied: pass argv or another string that outlives the lookups. */
void datadir_set_formats(const char *dir);

/* The folders searched, in order, into dirs[] (malloc'ed strings the caller
 * frees); returns how many (at most DATADIR_MAX). Unset or empty sources are
 * left out. */
/* A last folder to search, after the installed one: the binary sets its
 * source tree's formats/, so ./src/leakslope works before `make install`. */
void datadir_set_fallback(const char *dir);

size_t datadir_dirs(char *dirs[DATADIR_MAX]);

/* The first existing regular file RELPATH ("rules/kb901014.yaml") in the
 * search order, malloc'ed. NULL when none has it: d is then filled
 * (DIAG_NOINPUT) with every folder looked in. */
char *datadir_find(const char *relpath, struct diag *d);

#endif
