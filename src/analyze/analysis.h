/* analysis — the result of analyzing one run, and how it is reported:
 * as the tree behind `analyze --format json|yaml` (the stable fields of
 * DESIGN.md) and as the short text summary that states the verdict first.
 * `compare` reuses both for each of its runs. */
#ifndef LEAKSLOPE_ANALYSIS_H
#define LEAKSLOPE_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/diag.h"
#include "util/tree.h"

/* One input file of a run, as detected, for the report's provenance. */
struct analysis_input {
  char *name;
  const char *kind;     /* "counters" or "events" */
  char *format;         /* "pdh-csv", "tracerpt-xml", ... */
  char *encoding;       /* counter logs: "utf-8", "cp1252", ...; else NULL */
  bool has_bias;
  long bias_minutes;    /* the bias applied to a counter log */
  const char *bias_source; /* "header", "option", "utc", "assumed" */
};

enum verdict { VERDICT_LEAK, VERDICT_NO_LEAK, VERDICT_INCONCLUSIVE, VERDICT_NONE };

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
  double cycles_per_hour; /* observed rate; NaN when unknown */
  /* projection to the address-space limit; has_projection false => null */
  bool has_projection;
  const char *projection_counter;
  double limit_bytes, cycles_to_limit, hours_to_limit;
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

/* The analyze object of DESIGN.md ("schema": "leakslope/analyze/1", ...). */
struct tree *analysis_to_tree(const struct analysis *a);

/* The verdict as one plain sentence (malloc'ed), e.g. "mapitest leaks
 * 40.0 KiB per load/unload of mapi32.dll (95%: 39.8–40.2 KiB), ...". */
char *analysis_sentence(const struct analysis *a);

/* The human summary: the sentence, then the figures behind it. */
void analysis_write_text(const struct analysis *a, FILE *f);

/* "40.0 KiB", "1.2 MiB", "512 B": binary units, 3 significant digits. */
void format_bytes(double bytes, char *buf, size_t cap);

#endif
