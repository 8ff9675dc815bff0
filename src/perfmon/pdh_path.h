/* pdh_path — perfmon counter paths: parsing them into their parts, the
 * localized-name aliases of formats/counters.yaml, and choosing a counter
 * (-c, inspect --counter) or a process (-p) among a log's columns the way
 * DESIGN.md "Choosing a counter / a process" says.
 *
 * A path is \\MACHINE\Object(parent/instance#index)\Counter. After the
 * optional \\MACHINE\, the object ends at the first '(' or '\'; only a '('
 * opens an instance, which runs to the last ")\"; the parent is before the
 * first '/' in it and the index is a trailing "#digits". So
 * \Memory\Long-Term Average Standby Cache Lifetime (s) has no instance and
 * \Paging File(\??\C:\pagefile.sys)\% Usage keeps its backslashes. */
#ifndef LEAKSLOPE_PDH_PATH_H
#define LEAKSLOPE_PDH_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

/* One counter column. Strings are UTF-8 as written; parent and instance are
 * NULL when absent; the *_en names are the English aliases (NULL when the
 * name has none, i.e. is already English or unknown). */
struct pdh_counter {
  char *path;
  char *machine; /* NULL without \\MACHINE */
  char *object;
  char *parent;
  char *instance; /* without its #index */
  long index;     /* from "#N"; 0 without */
  char *counter;
  char *object_en, *counter_en;
  int dup;   /* 1-based occurrence among columns with the same path */
  int dups;  /* how many columns have this path */
  size_t column; /* 0-based cell in the row (cell 0 is the time) */
};

/* Parse `path` into c (which owns copies, all in one allocation that
 * c->path starts: pdh_counter_fini frees it). Returns 0, or -1 when it is not a
 * counter path (no leading '\', empty object or counter, no ")\" after an
 * instance). */
int pdh_path_parse(const char *path, struct pdh_counter *c);
void pdh_counter_fini(struct pdh_counter *c);

/* Localized object/counter names -> English (formats/counters.yaml). */
struct pdh_aliases {
  char **objects;  /* pairs: folded localized name, English name */
  size_t nobjects;
  char **counters;
  size_t ncounters;
};
void pdh_aliases_init(struct pdh_aliases *a);
void pdh_aliases_fini(struct pdh_aliases *a);
/* Load FILE (YAML maps `objects` and `counters`). -1 with d filled. */
int pdh_aliases_load(struct pdh_aliases *a, const char *file, struct diag *d);
/* Find counters.yaml in the data folders and load it; a missing file is
 * only a warning (localized names then match only as written). */
int pdh_aliases_load_default(struct pdh_aliases *a, struct warnings *w,
                             struct diag *d);
/* Fill object_en / counter_en of each counter. */
void pdh_aliases_apply(const struct pdh_aliases *a, struct pdh_counter *c,
                       size_t n);

/* Lower-case copy for case-insensitive matching: ASCII, Latin-1 letters and
 * Cyrillic are folded. */
char *pdh_fold(const char *s);
/* A hash of pdh_fold(s), without the copy: equal folds, equal hashes. */
uint64_t pdh_fold_hash(const char *s);

/* Choose one counter: the full path case-insensitively (as written or with
 * its English names), else a substring of it; "PATH#K" picks the K-th of
 * duplicate columns. No match or more than one is DIAG_USAGE listing the
 * candidates. Returns the index into c[], or -1. */
long pdh_find_counter(const struct pdh_counter *c, size_t n,
                      const char *pattern, struct diag *d);

/* Columns of process NAME's counter COUNTER (a counter name, English or as
 * written, compared whole and case-insensitively): a trailing ".exe" in NAME
 * is ignored, the instance matches case-insensitively, and "name#N" picks
 * exactly that index (N = 0 is the instance without "#"). All instances of
 * the name are returned (several when the process has #N siblings), in
 * column order, in a malloc'ed array of indices into c[]. Returns their
 * number, or -1 with d filled (DIAG_USAGE listing what the log has). */
long pdh_find_process(const struct pdh_counter *c, size_t n, const char *name,
                      const char *counter, size_t **out, struct diag *d);

#endif
