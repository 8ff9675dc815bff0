/* analysis — the result of analyzing one run: what was read, the fit,
 * the verdict and the warnings, as plain values. How it is reported (tree,
 * sentence, text) is report/analysis_render's job. */
#ifndef LEAKSLOPE_ANALYSIS_H
#define LEAKSLOPE_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

/* One input file of a run, as detected, for the report's provenance. */
struct analysis_input {
  char *name;
  const char *kind;     /* "counters" or "events" */
  char *format;         /* "pdh-csv", "tracerpt-xml", ... */
  char *encoding;       /* counter logs: "utf-8", "cp1252", ...; else NULL */
  bool has_bias;
  long bias_minutes;    /* the bias applied to a counter log */
  const char *bias_source; /* "header", "option", "utc", "assumed", "tz" */
};

enum verdict { VERDICT_LEAK, VERDICT_NO_LEAK, VERDICT_INCONCLUSIVE, VERDICT_NONE };

/* One kind of cycle of a --per fit: "load:mapi32.dll" or "logon". */
struct analysis_kind {
  char *kind;
  size_t cycles;               /* cycles inside the counter log */
  double leak, leak_lo, leak_hi; /* bytes per cycle; NaN when not told apart */
  enum verdict verdict;
  const char *reason;          /* "not-separable" in a collinear set, else NULL */
  size_t together_with;        /* the set's first kind (itself when alone) */
  double together, together_lo, together_hi; /* the set's joint figure */
  double unpaired_needed;      /* cycles of one without the other to separate */
};

struct analysis {
  char *counters_file;
  char *events_file; /* NULL without a trace */
  char *counter;     /* full counter path as written */
  char *process;
  char *module;
  char *trace_version;  /* module file version the trace showed, or NULL */
  size_t samples;       /* rows with a value for the counter */
  size_t cycles;        /* complete cycles used */
  size_t warmup_cycles; /* summed over lifetimes */
  int lifetimes;
  bool per_cycle;       /* false: no trace and no --cycles/--cycle-period */
  double leak, leak_lo, leak_hi; /* bytes per cycle and its 95% interval */
  const char *method;            /* theil-sen, theil-sen-blocked, robust-2, ols */
  double growth, growth_lo, growth_hi; /* bytes per hour; NaN when unknown */
  bool separable;
  enum verdict verdict;
  double tolerance;     /* bytes per cycle */
  double cycles_needed; /* NaN unless inconclusive */
  const char *reason;   /* warming-up, too-few-cycles, not-separable,
                           slope-changed, or NULL (DESIGN: reason) */
  double warmup_end_slope; /* bytes per cycle a warm-up still adds at the
                              end (NaN when none was modelled) */
  double cycles_per_hour; /* observed rate; NaN when unknown */
  /* The leak per cycle changed during the run (reason slope-changed): at
   * about cycle change_at (between change_from and change_to), from
   * `before` to the leak above, which is of the part after change_to. */
  bool slope_changed;
  double change_at, change_from, change_to;
  double before, before_lo, before_hi;
  /* projection to the address-space limit; has_projection false => null */
  bool has_projection;
  const char *projection_counter;
  double limit_bytes, cycles_to_limit, hours_to_limit;
  /* --per: one entry a kind, fitted together with time (fit_multi.h). */
  bool per_kinds;
  struct analysis_kind *kinds;
  size_t nkinds;
  size_t (*collinear)[2]; /* pairs of indexes into kinds that move together */
  size_t ncollinear;
  double kinds_growth, kinds_growth_lo, kinds_growth_hi; /* bytes per hour
                                    beside the kinds; NaN when not fitted */
  struct warnings warnings;
  struct analysis_input *inputs;
  size_t ninputs;
};

/* Record an input (copies the strings). */
struct analysis_input *analysis_add_input(struct analysis *a, const char *name,
                                          const char *kind, const char *format);

void analysis_init(struct analysis *a);
void analysis_fini(struct analysis *a);

const char *verdict_name(enum verdict v);

#endif
