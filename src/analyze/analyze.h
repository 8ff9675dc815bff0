/* analyze — one run from files to result: read the counter series of one
 * process, the cycles of one module in it, join them, fit, judge.
 *
 * `leakslope analyze` fills struct analyze_options from its command line and
 * `compare` from each run of its manifest; both then call analyze_run. The
 * points and fitted line are kept for plots. */
#ifndef LEAKSLOPE_ANALYZE_H
#define LEAKSLOPE_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/analysis.h"
#include "util/diag.h"
#include "fit/fit.h"
#include "fit/join.h"
#include "perfmon/pdh.h"
#include "util/timeutil.h"
#include "trace/trace.h"

/* A --from/--to bound: UTC when the text had a zone, else local time of the
 * counter log (its bias applies). */
struct analyze_bound {
  bool set;
  bool utc;
  usec_t t;
};

#define ANALYZE_MAX_KINDS 8

struct analyze_options {
  const char **logs; /* counter logs of the run, merged in time order */
  size_t nlogs;
  const char **traces; /* event traces of the run, merged */
  size_t ntraces;
  const char *process; /* -p; NULL: the one process of the trace */
  const char *module;  /* -m; default mapi32.dll */
  const char *counter; /* -c; default Private Bytes */
  double tolerance;    /* bytes per cycle */
  bool has_pid;
  long pid;
  struct analyze_bound from, to;
  double limit;        /* --limit; NaN: 2 GiB with 32-bit evidence, else none */
  int bits;            /* 32 or 64 when known (manifest/--bits); 0 unknown */
  double total_cycles; /* --cycles; NaN when not given */
  double cycle_period; /* --cycle-period in seconds; NaN when not given */
  struct pdh_options pdh;
  struct trace_options trace;
  /* --per KIND (repeatable): fit memory on every kind's cycles and time at
   * once. "load:MODULE" is a module's load/unload cycles, NAME the own
   * trace's begin:NAME/end:NAME cycles; the first kind is also -m's. */
  const char *per[ANALYZE_MAX_KINDS];
  size_t nper;
  unsigned given; /* bit 1 << AOPT_X: set by the user (not a default) */
};

void analyze_options_init(struct analyze_options *o);

/* A --from/--to bound in UTC: local time with a log's bias when it had no zone. */
usec_t analyze_bound_utc(const struct analyze_bound *b, long bias);

/* Keep the cycles with from <= load and unload <= to; returns how many. */
size_t analyze_window_cycles(struct join_cycle *c, size_t n, usec_t from, usec_t to);

/* The verdict a fit's interval gives, as analysis.h spells it. */
enum verdict verdict_from_fit(enum fit_verdict v);


/* What plots need beyond the result: the series, the cycles and the fit. */
struct analyze_detail {
  size_t n;        /* samples of the counter (blank ones dropped) */
  usec_t *t;
  double *mem;
  int *lifetime;
  struct join_points points; /* what the fit saw (warm-up included) */
  struct join_cycle *cycles;
  size_t ncycles;
  double *offsets;  /* fitted bytes at cycle 0, per lifetime */
  int lifetimes;
};
void analyze_detail_fini(struct analyze_detail *dt);

/* Analyze one run. Returns 0 with *a filled (whatever the verdict), or -1
 * with d filled (bad input, a missed or ambiguous selection). `detail` may
 * be NULL. */
int analyze_run(const struct analyze_options *o, struct analysis *a,
                struct analyze_detail *detail, struct diag *d);

/* The per-cycle fit analyze_run makes, for a caller that has the series and
 * the cycles already (scan: every process of a log against each module it
 * loads): join, fit with the cycles and time, and fill a's cycles,
 * lifetimes, leak, time_growth, separable, warmup_cycles, verdict, reason,
 * cycles_needed and the fit's warnings, exactly as analyze does. */
void analyze_fit_cycles(const struct join_series *js, const struct join_cycle *c,
                        size_t nc, double tolerance, struct analysis *a);

/* Set one option by its long name ("tz-offset") from its text, as the
 * command line and compare's manifest give it; flags take "true"/"false".
 * Strings are kept by pointer: value must outlive o. -1 with d filled
 * (DIAG_USAGE, "--NAME wants ..., not '...'"). */
int analyze_option_set(struct analyze_options *o, const char *flag, const char *value,
                       struct diag *d);

/* Parse a --from/--to value: ISO 8601 with a zone (UTC) or without one
 * (local time of the log). -1 when malformed. */
int analyze_parse_bound(const char *s, struct analyze_bound *b);

#endif
