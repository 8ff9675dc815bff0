/* trace_cycles — a whole trace read into struct cycles: open it (detecting
 * the format), stream every event through cycles_add, finish the pairing.
 * What `events` and `analyze` both need, so neither repeats the loop. */
#ifndef LEAKSLOPE_TRACE_CYCLES_H
#define LEAKSLOPE_TRACE_CYCLES_H

#include <stdbool.h>

#include "fit/cycles.h"
#include "util/diag.h"
#include "trace/trace.h"

/* What was read besides the cycles. */
struct trace_read {
  char *format;    /* detected or chosen format name; caller frees */
  bool loads_only; /* the format has no unloads (pairing implied) */
  long skipped;    /* lines the reader skipped (already warned about) */
};

/* Read PATH with opt; process/module as for cycles_init (NULL: none).
 * On success returns 0 with *c finished (the caller calls cycles_fini) and
 * info filled; on failure returns -1 with d filled and nothing to free.
 * Warnings (reader's, pairing's) go to w. */
int trace_read_cycles(const char *path, const struct trace_options *opt,
                      const char *process, const char *module,
                      struct cycles *c, struct trace_read *info,
                      struct warnings *w, struct diag *d);

#endif
