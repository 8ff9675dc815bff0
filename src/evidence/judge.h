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
  /* --per: this kind's cycles move in step with together_with's, so only
   * their joint figure (together, per paired cycle) is known; the verdict is
   * then inconclusive and bytes_per_cycle NaN: never judged as a number. */
  bool not_separable;
  const char *together_with;
  double together, together_lo, together_hi;
  double unpaired_needed; /* cycles of one without the other to separate */
};

void judge_measure_from_analysis(struct judge_measure *m,
                                 const struct analysis *a);
/* The measurement of one kind of cycle ("logon", "load:mapi32.dll") of an
 * analysis fitted with --per; kind NULL, or an analysis without kinds: the
 * run's `leak` (judge_measure_from_analysis). A kind the analysis did not
 * fit gives VERDICT_NONE. */
void judge_measure_from_kind(struct judge_measure *m, const struct analysis *a,
                             const char *kind);

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
  const char *kind;          /* the rules' kind of cycle; NULL: load/unload */
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
  char *notes;          /* text without the sentences judge_summary says
                           again (what is wrong, unsure or missing); "" */
  /* The runs the conclusion is drawn from, -1 when none: a full-fix run
   * (clean, or leaking when hotfix_effective is false), a leaking run
   * without the hotfix, and the hotfix-only / full-fix pair compared. */
  long fixed_run, unfixed_run, hotfix_only_run, full_fix_run;
};

void judge_compute(const struct judge_input *in, struct judge_result *out);
void judge_result_fini(struct judge_result *r);

/* d = a - b with its MOVER 95% interval (see above). */
void judge_difference(const struct judge_measure *a,
                      const struct judge_measure *b, double *d, double *lo,
                      double *hi);

const char *assessment_name(enum assessment a);

/* Several rules, each judged on its own kind (in[k], r[k]): which fix
 * removed which leak, one clause a rule ("KB891509's hotfix removed the
 * per-logon leak of 12.0 KiB (run 'first hotfix'); the per-load leak of
 * 40.0 KiB remains with KB901014's hotfix alone (run 'second hotfix') until
 * CleanUpMAPIHeap=1 (run 'both fixes')"), then each rule's notes. */
char *judge_summary(const struct judge_input *in, const struct judge_result *r,
                    size_t n);

/* Tree fragments of the compare JSON: "expected" and "consistent" set on
 * run i's object; the "comparisons" array; the "conclusion" object. */
void judge_set_run_fields(struct tree *run_obj, const struct judge_input *in,
                          const struct judge_result *r, size_t i);
struct tree *judge_comparisons_tree(const struct judge_input *in,
                                    const struct judge_result *r);
struct tree *judge_conclusion_tree(const struct judge_input *in,
                                   const struct judge_result *r);

#endif
