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

struct evidence_set {
  const struct manifest *m;
  struct rules *rules;
  struct regfile **files;    /* per run: the loaded .reg, or NULL */
  struct run_evidence *ev;   /* per run */
  struct rules_eval *evals;  /* per run, after evidence_judge */
  struct judge_run *jruns;
  struct judge_input in;
  struct judge_result result;
  char *settings_text;       /* "CleanUpMAPIHeap=1" */
  bool judged;
};

/* Load m's rules file and every run's registry export. Warnings from the
 * .reg reader go to w. Returns -1 with d filled on error. */
int evidence_load(struct evidence_set *e, const struct manifest *m,
                  struct warnings *w, struct diag *d);
/* Judge: measures[i] is run i's measurement; trace_versions[i] the module's
 * FileVersion its trace showed, or NULL (the array may be NULL). Warnings
 * about the evidence go to w. */
void evidence_judge(struct evidence_set *e, const struct judge_measure *measures,
                    const char *const *trace_versions, struct warnings *w);
void evidence_fini(struct evidence_set *e);

/* Set "name", "evidence", "expected" and "consistent" on run i's analyze
 * object; then "comparisons" and "conclusion" on the compare object. */
void evidence_attach(const struct evidence_set *e, size_t i,
                     struct tree *run_obj);
void evidence_finish(const struct evidence_set *e, struct tree *compare_obj);

#endif
