/* trace_cycles — the one path from trace files to struct cycles: open each
 * file (detecting its format), stream every event through cycles_add, finish
 * the pairing and check the selection. `events` and `analyze` both read
 * traces through it, so a rolled-over trace (several files) merges the same
 * way for both (pairing sorts the selected events by time, so files may come
 * in any order) and a missed -p or -m gets the same message from both. */
#ifndef LEAKSLOPE_TRACE_CYCLES_H
#define LEAKSLOPE_TRACE_CYCLES_H

#include <stdbool.h>
#include <stddef.h>

#include "fit/cycles.h"
#include "util/diag.h"
#include "trace/trace.h"

/* Image events (loads, unloads, rundowns) a run's traces may hold unless
 * --max-events says otherwise: past it, an error at the event's line. Each costs about 40 bytes when
 * selected; a real test run has thousands to a few million. */
#define TRACE_MAX_EVENTS 20000000L

/* What was read besides the cycles. */
struct trace_read {
  char **formats;  /* detected or chosen format name, one per file */
  size_t nfiles;
  bool loads_only; /* the first file's format has no unloads (pairing implied) */
  long skipped;    /* lines the readers skipped (already warned about) */
  char *version;   /* first file version shown for -m's module, or NULL */
};

/* Read the npaths (at least one) files in paths with opt into *c; process/module as for
 * cycles_init (NULL: none), pids as for cycles_claim_pids (none: NULL, 0). On success returns 0 with *c finished and info
 * filled (the caller calls cycles_fini and trace_read_fini). On failure
 * returns -1 with d filled and nothing to free: a file that cannot be read,
 * or a -p/-m the trace never saw (DIAG_USAGE naming what it has, as
 * cycles_check_selection). Warnings (readers', pairing's) go to w. */
int trace_read_cycles(const char *const *paths, size_t npaths,
                      const struct trace_options *opt, const char *process,
                      const char *module, const int64_t *pids, size_t npids,
                      struct cycles *c,
                      struct trace_read *info, struct warnings *w,
                      struct diag *d);
void trace_read_fini(struct trace_read *info);

/* One selection among several read in the same pass (scan). */
struct trace_want {
  const char *process, *module; /* as for cycles_init */
  const int64_t *pids;          /* as for cycles_claim_pids */
  size_t npids;
  struct warnings *w;           /* the pairing's warnings */
};

/* Read the files once, feeding every event to c[k] for each of the nwant
 * selections (each initialised here and finished; the caller calls
 * cycles_fini on each after a 0 return). The readers' own warnings go to
 * reader_w. -1 with d filled and nothing to free. */
int trace_read_cycles_each(const char *const *paths, size_t npaths,
                           const struct trace_options *opt, const struct trace_want *want,
                           size_t nwant, struct cycles *c, struct warnings *reader_w,
                           struct diag *d);

#endif
