/* evidence — from a compare manifest to the judgement: loads the rules
 * and each run's registry export, judges each run's evidence against the
 * rules, hands the measurements to judge, and fills the compare JSON.
 *
 * This is the part of `compare` that does not measure: the command runs
 * the analyze engine for each run, then calls evidence_judge with the
 * measurements and evidence_attach / evidence_finish to build its tree.
 * Loading does I/O (rules and .reg files) and reports errors with their
 * FILE:LINE:COL; judging does none. */
#ifndef LEAKSLOPE_EVIDENCE_H
#define LEAKSLOPE_EVIDENCE_H

#include <stddef.h>

#include "util/diag.h"
#include "evidence/judge.h"
#include "evidence/manifest.h"
#include "evidence/rules.h"

struct tree;

/* One rules file of the manifest and its judgement on every run. */
struct evidence_rule {
  struct rules *rules;
  struct rules_eval *evals;  /* per run, after judging */
  struct judge_run *jruns;   /* per run */
  struct judge_input in;
  struct judge_result result;
  char *settings_text;       /* "CleanUpMAPIHeap=1" */
};

struct evidence_set {
  const struct manifest *m;
  struct evidence_rule *rule; /* one a rules file, in the manifest's order */
  size_t nrules;
  /* The rule the run-level fields (evidence, expected, consistent,
   * comparisons, the conclusion's booleans) are about: the first whose kind
   * is a module's load/unload, else the first. rules is its rules. */
  size_t primary;
  struct rules *rules;
  /* The kinds of cycle the rules name, distinct, the primary's first; with
   * per_kinds every run is fitted on all of them (analyze --per), else
   * (one rule on its module's loads, as before kinds) the classic way. */
  const char *kinds[MANIFEST_MAX_RULES];
  size_t nkinds;
  bool per_kinds;
  struct regfile **files;    /* per run: the loaded .reg, or NULL */
  struct run_evidence *ev;   /* per run */
  char *text;                /* the conclusion; after judging */
  bool fixed_run_leaks;      /* under any rule; after judging */
  bool judged;
};

/* Load m's rules files and every run's registry export. Warnings from the
 * .reg reader go to w. Returns -1 with d filled on error. */
int evidence_load(struct evidence_set *e, const struct manifest *m,
                  struct warnings *w, struct diag *d);
/* Judge: measures[i] is run i's measurement, for every rule; trace_versions[i]
 * the module's FileVersion its trace showed, or NULL (the array may be
 * NULL). Warnings about the evidence go to w. */
void evidence_judge(struct evidence_set *e, const struct judge_measure *measures,
                    const char *const *trace_versions, struct warnings *w);
/* Judge each rule on its own kind of each run's analysis (fitted with
 * e->kinds when e->per_kinds). */
void evidence_judge_analyses(struct evidence_set *e, const struct analysis *const *as,
                             struct warnings *w);
void evidence_fini(struct evidence_set *e);

/* Set "name", "evidence", "expected" and "consistent" on run i's analyze
 * object (and, with several rules, "judgements": one a rule); then
 * "comparisons" and "conclusion" on the compare object (with several rules,
 * "rule_set" and the conclusion's "rules"). */
void evidence_attach(const struct evidence_set *e, size_t i,
                     struct tree *run_obj);
void evidence_finish(const struct evidence_set *e, struct tree *compare_obj);

#endif
