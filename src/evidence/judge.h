/* judge — what the runs of a comparison say about the fix: each run's
 * measurement beside what the rules predict, each run against the
 * baseline, and the conclusion with a plain next step.
 *
 * Pure logic: no I/O, no rules file, no analysis engine. The caller hands
 * in each run's measurement and the conditions rules_evaluate found; the
 * result comes back as values and as the tree fragments of DESIGN.md's
 * compare JSON, so `compare` only attaches them.
 *
 * Differences between two runs (the reduction against the baseline, and
 * hotfix-only against full fix) get a 95% interval by MOVER (Zou & Donner,
 * 2008: "method of variance estimates recovery"): each run's own interval
 * is taken as an independent, roughly normal 95% interval, and for
 * d = a - b the limits are
 *   d - sqrt((a - a_lo)^2 + (b_hi - b)^2),  d + sqrt((a_hi - a)^2 + (b - b_lo)^2).
 * With symmetric intervals this is d +/- 1.96 sqrt(se_a^2 + se_b^2); with
 * the asymmetric intervals Theil-Sen gives, each side uses the matching
 * half-widths. A difference is significant when its interval excludes 0. */
#ifndef LEAKSLOPE_JUDGE_H
#define LEAKSLOPE_JUDGE_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/analysis.h"
#include "evidence/rules.h"

struct tree;

/* One run's measurement (from its analysis). */
struct judge_measure {
  enum verdict verdict;
  double bytes_per_cycle, ci_lo, ci_hi;
  double growth_per_hour, growth_lo, growth_hi; /* NaN when unknown */
  double cycles;        /* cycles measured */
  double cycles_needed; /* total cycles to decide; NaN unless inconclusive */
};

void judge_measure_from_analysis(struct judge_measure *m,
                                 const struct analysis *a);

struct judge_run {
  const char *name;
  struct judge_measure m;
  enum tri hotfix;       /* from rules_evaluate */
  enum tri settings;     /* every setting right (TRI_TRUE with none) */
  enum expect expected;
};

struct judge_input {
  const struct judge_run *runs;
  size_t nruns;
  size_t baseline;
  /* From the rules, for the text: */
  const char *rules_id;      /* "KB901014" */
  const char *module;        /* "mapi32.dll" */
  const char *fixed_version; /* "6.5.7233.46" */
  const char *settings_text; /* "CleanUpMAPIHeap=1"; NULL or "" when none */
};

enum assessment {
  ASSESS_EFFECTIVE,           /* run does not leak, the baseline did */
  ASSESS_PARTIAL,             /* significantly less, still leaking */
  ASSESS_INEFFECTIVE,         /* no significant difference */
  ASSESS_WORSE,               /* significantly more */
  ASSESS_NO_BASELINE_LEAK,    /* the baseline is not shown to leak */
  ASSESS_UNKNOWN              /* a run has no per-cycle figure */
};

struct judge_comparison {
  size_t baseline, run;
  double reduction, lo, hi; /* bytes per cycle, baseline minus run */
  enum assessment assessment;
};

struct judge_result {
  enum tri *consistent; /* per run; TRI_UNKNOWN is null */
  size_t nruns;
  struct judge_comparison *comparisons; /* every run but the baseline */
  size_t ncomparisons;
  enum tri hotfix_effective;
  enum tri registry_setting_effective;
  bool fixed_run_leaks; /* a run expected no-leak measures leak */
  char *text;           /* the plain-language conclusion and next step */
};

void judge_compute(const struct judge_input *in, struct judge_result *out);
void judge_result_fini(struct judge_result *r);

/* d = a - b with its MOVER 95% interval (see above). */
void judge_difference(const struct judge_measure *a,
                      const struct judge_measure *b, double *d, double *lo,
                      double *hi);

const char *assessment_name(enum assessment a);

/* Tree fragments of the compare JSON: "expected" and "consistent" set on
 * run i's object; the "comparisons" array; the "conclusion" object. */
void judge_set_run_fields(struct tree *run_obj, const struct judge_input *in,
                          const struct judge_result *r, size_t i);
struct tree *judge_comparisons_tree(const struct judge_input *in,
                                    const struct judge_result *r);
struct tree *judge_conclusion_tree(const struct judge_input *in,
                                   const struct judge_result *r);

#endif
