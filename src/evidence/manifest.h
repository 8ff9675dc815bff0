/* manifest — the YAML file `leakslope compare` reads: the rules, the runs
 * (counter logs, traces, evidence) and the analyze options for each.
 *
 * Shape (DESIGN.md "Manifest for compare"):
 *   rules: kb901014            # a name under formats/rules/, or a path;
 *                              # or a list: [kb891509, kb901014]
 *   baseline: no hotfix        # optional; else the first run
 *   process: mapitest          # any analyze option: the default for runs
 *   runs:
 *     - name: no hotfix
 *       counters: base/perf.csv.gz     # or a list (rolled-over logs)
 *       events: base/trace.csv         # optional; or a list
 *       module_version: 6.5.7226.0     # optional
 *       registry: base/mapi.reg        # or registry_values: {Name: 1}
 *       bias: -60                      # per-run override of an option
 * Paths are relative to the manifest's folder. Unknown keys, repeated keys
 * and values of the wrong kind are errors at FILE:LINE:COL. Options are
 * checked here and kept as text, so that compare can hand them to the
 * analyze engine exactly as if they were given on its command line. */
#ifndef LEAKSLOPE_MANIFEST_H
#define LEAKSLOPE_MANIFEST_H

#include <stddef.h>

#include "analyze/option_table.h"
#include "util/diag.h"
#include "evidence/regfile.h"

struct manifest_value {
  char *text; /* NULL when not set */
  long line, col;
};

struct manifest_run {
  char *name;
  long line, col;        /* where the run's entry starts */
  char **counters;       /* paths, resolved against the manifest's folder */
  size_t ncounters;
  char **events;
  size_t nevents;
  char *module_version;  /* as written; NULL when not given */
  char *registry;        /* resolved path of a .reg file, or NULL */
  struct regfile *registry_values; /* inline values, or NULL */
  /* By enum analyze_opt (rows with a manifest key): the run's value, else
   * the top-level default; utc's text is "true" or "false". */
  struct manifest_value opt[AOPT_COUNT];
};

#define MANIFEST_MAX_RULES 8 /* one a kind of cycle: ANALYZE_MAX_KINDS */

struct manifest {
  char *file;       /* the manifest's path as given */
  char **rules;     /* resolved paths of the rules files, in order */
  size_t nrules;    /* at least 1 */
  size_t baseline;  /* index into runs */
  struct manifest_run *runs;
  size_t nruns;
};

/* Load PATH. NULL with d filled on error: DIAG_DATA with a position for bad
 * content, DIAG_NOINPUT when the manifest or its rules file is missing. */
struct manifest *manifest_load(const char *path, struct diag *d);
void manifest_free(struct manifest *m);

/* Set run's options in o through the table's setters, as if given on
 * analyze's command line. -1 with d filled (DIAG_DATA at the value's
 * FILE:LINE:COL, "KEY: --FLAG wants ..."). */
int manifest_apply_options(const struct manifest *m, size_t run,
                           struct analyze_options *o, struct diag *d);

#endif
