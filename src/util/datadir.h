/* datadir — where leakslope's data files (formats/: trace layouts, counter
 * aliases, rules) are found.
 *
 * The search order is fixed by DESIGN.md "Where data lives": the folder given
 * with --formats DIR, then $LEAKSLOPE_DATADIR, then
 * ~/.config/leakslope/formats, then the installed LEAKSLOPE_DATADIR_DEFAULT
 * ($(pkgdatadir)/formats, in the generated util/paths.h) — or, for a binary
 * running from its build tree, the source tree's formats/ in its place (an
 * installed binary never looks in the build tree) — and last the folder
 * beside the binary, BINDIR/../share/leakslope/formats, so a tree installed
 * with another prefix (`make install prefix=Q`, DESTDIR) or moved still
 * finds its data. Every module that reads a data file asks here, so the
 * order lives in one place. */
#ifndef LEAKSLOPE_DATADIR_H
#define LEAKSLOPE_DATADIR_H

#include <stddef.h>

#include "util/diag.h"

#define DATADIR_MAX 5

/* Remember the --formats DIR option (NULL clears it). The string is not
 * copied: pass argv or another string that outlives the lookups. */
void datadir_set_formats(const char *dir);

/* 1 when the running binary is the one in the build tree (its folder is
 * the configured build folder's src/), else 0. */
int datadir_in_build_tree(void);

/* Called once by main: a build-tree binary reads the source tree's formats/
 * instead of the installed folder, so ./src/leakslope works before (and
 * regardless of) `make install`. */
void datadir_use_build_tree(void);

/* REL ("lib/leakslope/leakslope-audit.so") beside the running binary:
 * realpath(BINDIR/../REL), malloc'ed, or NULL when it is not there (or
 * /proc/self/exe cannot be read). */
char *datadir_beside_binary(const char *rel);

/* For tests: take DIR for the running binary's folder in
 * datadir_beside_binary (NULL: /proc/self/exe again). Not copied. */
void datadir_set_exe_dir(const char *dir);

/* The folders searched, in order, into dirs[] (malloc'ed strings the caller
 * frees); returns how many (at most DATADIR_MAX). Unset or empty sources are
 * left out, and so is the folder beside the binary when it is not there or
 * is (resolved) one already listed. */
size_t datadir_dirs(char *dirs[DATADIR_MAX]);
/* The same, with where each folder comes from in from[]: "--formats",
 * "LEAKSLOPE_DATADIR", "~/.config", "installed" or "source tree", and
 * "beside the binary". */
size_t datadir_dirs_from(char *dirs[DATADIR_MAX], const char *from[DATADIR_MAX]);

/* The first existing regular file RELPATH ("rules/kb901014.yaml") in the
 * search order, malloc'ed. NULL when none has it: d is then filled
 * (DIAG_NOINPUT) with every folder looked in. */
char *datadir_find(const char *relpath, struct diag *d);

/* DIR's NAME.yaml files (a data folder's trace/, events/ or rules/),
 * sorted, as malloc'ed full paths; *n of them (NULL and 0 when DIR is
 * absent or has none). The caller frees each and the array. */
char **datadir_yaml_files(const char *dir, size_t *n);

/* One kind of data file that datadir_load reads: the NAME.yaml files of a
 * data folder's SUB/, each parsed into one item with a name. */
struct datadir_kind {
  const char *sub; /* "trace", "events" */
  /* Parse PATH into *item, with *name its name (owned by the item): 0, or
   * -1 with d filled. */
  int (*parse)(const char *path, void **item, const char **name, struct diag *d);
  void (*free_item)(void *item);
};

/* Every item of kind k in SUB/ of formats_dir (when not NULL) and then of
 * each data folder in the search order, each folder's files sorted; an
 * item whose name (any case) an earlier one has is dropped: the earlier
 * folder wins. *items (malloc'ed, NULL when none) holds *n of them, in that
 * order. The first file that does not parse stops the walk: -1 with d
 * filled, nothing returned. */
int datadir_load(const char *formats_dir, const struct datadir_kind *k, void ***items,
                 size_t *n, struct diag *d);

#endif
