/* report_fmt — what the HTML and Markdown writers share: reading the compare
 * tree leniently and turning its values into display text (still unescaped;
 * each writer escapes). Internal to the report writers. */
#ifndef LEAKSLOPE_REPORT_FMT_H
#define LEAKSLOPE_REPORT_FMT_H

#include <stdbool.h>

#include "util/tree.h"
#include "util/xalloc.h"

/* The value at a path of object keys ("leak", "bytes_per_cycle", NULL);
 * NULL when any step is absent or not an object. */
const struct tree *rf_get(const struct tree *t, ...) __attribute__((sentinel));
/* A string field, or dflt. */
const char *rf_str(const struct tree *t, const char *key, const char *dflt);
/* A number (INT or NUM), or NaN. */
double rf_num(const struct tree *t);

/* Display text, appended to b. */
void rf_bytes(struct strbuf *b, double v, const char *per);    /* "40,961 B (40.0 KiB)" */
/* A figure and its interval, the one way the report prints them:
 * "64.0 KiB (95%: 63.98–64.02 KiB)" then per ("per hour"; NULL: none). */
void rf_amount(struct strbuf *b, const struct tree *v, const struct tree *ci95,
               const char *per);
void rf_count(struct strbuf *b, double v);                     /* "4,000" */
void rf_tristate(struct strbuf *b, const struct tree *t,
                 const char *null_text);                       /* yes / no / null_text */
void rf_value(struct strbuf *b, const struct tree *t);         /* any value, compact */
/* A provenance value as text; an array (a command line) joined by spaces. */
void rf_prov_value(struct strbuf *b, const struct tree *v);

/* A verdict or assessment as one of a fixed set of CSS class names, so no
 * input text ever becomes markup. */
const char *rf_class(const char *word);

/* Leak per cycle of a run with its interval, as rf_amount. */
void rf_leak(struct strbuf *b, const struct tree *run);
/* "leak", "no-leak (needs ~4,000 cycles)" ... */
void rf_verdict(struct strbuf *b, const struct tree *run);
/* A comparison's reduction (a number or {bytes_per_cycle, ci95}) and interval. */
const struct tree *rf_reduction(const struct tree *cmp, const struct tree **ci95);

/* Every warning in the tree: top-level "warnings" strings, then each run's,
 * prefixed "RUN: ", a UTC time in one said on its run's log clock as the
 * rest of the report says it (wallclock_text). *n set; free with
 * rf_free_list. */
char **rf_warnings(const struct tree *result, size_t *n);
void rf_free_list(char **list, size_t n);

/* A run's evidence as lines "key: value"; an object's members become lines
 * of their own ("CleanUpMAPIHeap: 1"), an empty object "key: none". Free
 * with rf_free_list. */
char **rf_evidence_lines(const struct tree *ev, size_t *n);

/* The conclusion: its sentence, and the two questions the report answers
 * (label, "yes" / "no" / "cannot tell from these runs"). */
struct rf_conclusion {
  const char *text;
  struct {
    const char *label, *value;
    bool known, yes;
  } rows[2];
};
void rf_conclusion_init(struct rf_conclusion *c, const struct tree *result);

/* One run of the compare tree as display text, for the runs table and the
 * table of how each run was measured: what each cell says; the writers
 * choose layout, emphasis and escaping. */
struct rf_run_text {
  const char *name, *counters_file, *events_file, *counter, *process, *module;
  const char *verdict_word;    /* "leak", ... (for a CSS class) */
  const char *expected;        /* what the rules expect, or "unknown" */
  const struct tree *consistent; /* a bool, or absent: each writer words it */
  const char *method;
  char *leak;                  /* "40.0 KiB (95%: 39.84–40.14 KiB)" */
  char *verdict;               /* "inconclusive (about 4,000 cycles ...)" */
  char *cycles, *growth;       /* "4,000", "1.00 KiB (95%: ...) per hour" */
  char *counts[3];             /* samples, lifetimes, warm-up cycles */
  char **evidence;             /* "key: value" lines */
  char *evidence_line;         /* rf_evidence_line */
  size_t nevidence;
};
void rf_run_text_init(struct rf_run_text *t, const struct tree *run);
void rf_run_text_fini(struct rf_run_text *t);

/* A run fitted on several kinds of cycle: one row a kind under the run's
 * row. From the run's "judgements" (several rules: each rule on its kind,
 * with what it expects) when present, else from "leaks" when it has two or
 * more kinds; none otherwise. */
struct rf_kind_text {
  char *label;               /* "per logon (KB891509)" */
  char *leak;                /* as rf_amount, or "moves in step with ..." */
  const char *verdict_word;  /* "leak", ... (for a CSS class); may be NULL */
  char *verdict;             /* "no-leak", "not separable from load:..." */
  const char *expected;      /* what the rule expects, or NULL (no rule) */
  const struct tree *consistent;
};
size_t rf_kind_texts(const struct tree *run, struct rf_kind_text **out);
void rf_kind_texts_free(struct rf_kind_text *k, size_t n);

/* Whether a row agrees with what the rules expect. */
enum rf_agreement { RF_AGREES, RF_CONTRADICTS, RF_CANNOT_TELL, RF_NO_RULE };
/* "yes", "NO: contradicts the rules", "cannot tell", an em dash (no rule). */
const char *rf_agreement_text(enum rf_agreement a);

/* The rows of the evidence table for one run: the run's own row, then a
 * row a kind under it (rf_kind_texts), cell by cell. Both writers build
 * the table from these and choose only markup. */
struct rf_evidence_row {
  const struct rf_run_text *run; /* the run's own row (its evidence); NULL: a kind's */
  const char *label, *leak, *verdict_word, *verdict;
  const char *expected;          /* what the rules expect; NULL: no rule */
  enum rf_agreement agreement;
};
struct rf_evidence_rows {
  struct rf_run_text run;
  struct rf_kind_text *kinds;
  struct rf_evidence_row *rows; /* n = 1 + the kinds */
  size_t n;
};
void rf_evidence_rows_init(struct rf_evidence_rows *r, const struct tree *run);
void rf_evidence_rows_fini(struct rf_evidence_rows *r);

/* One comparison against the baseline as display text. */
struct rf_cmp_text {
  const char *baseline, *run, *assessment;
  char *reduction;             /* with its interval, as rf_amount */
};
void rf_cmp_text_init(struct rf_cmp_text *t, const struct tree *cmp);
void rf_cmp_text_fini(struct rf_cmp_text *t);

/* The provenance block as display text, ready for either writer to
 * escape: its fields as "key: value" pairs (a command line joined by
 * spaces), then the inputs as a table whose columns are the keys of every
 * input, in first-seen order (sizes with thousands separators). */
struct rf_provenance {
  char **keys, **values; /* nfields each */
  size_t nfields;
  char **cols;           /* ncols input columns */
  size_t ncols, nrows;
  char **cells;          /* nrows * ncols, row by row */
};
void rf_provenance_init(struct rf_provenance *p, const struct tree *result);
void rf_provenance_fini(struct rf_provenance *p);

/* ---- report_summary: what a reader takes in first ---- */

/* The one-line answer: "Fixed: with mapi32.dll 6.5.7233.46 and
 * CleanUpMAPIHeap=1 the leak of 64.0 KiB per load/unload is gone." */
enum rf_answer_kind {
  RF_ANSWER_FIXED, RF_ANSWER_NOT_FIXED, RF_ANSWER_CONTRADICTION, RF_ANSWER_UNKNOWN
};
struct rf_answer {
  enum rf_answer_kind kind;
  char *text;
};
void rf_answer_init(struct rf_answer *a, const struct tree *result);
void rf_answer_fini(struct rf_answer *a);
/* "fixed", "not-fixed", "contradiction", "unknown": a CSS class. */
const char *rf_answer_class(enum rf_answer_kind k);

/* The hosts of the runs' counter paths, "EXCH01, EXCH02". Malloc'ed. */
char *rf_hosts(const struct tree *result);
/* When a run's samples were taken, in its log's local time:
 * "2026-11-25 21:40–21:51 (UTC+01:00)" (UTC when the zone is not known). */
void rf_run_span(struct strbuf *b, const struct tree *result, const struct tree *run);
/* The time-zone bias (UTC = local + bias minutes) of run's counter log,
 * from the provenance inputs; false when not known. */
bool rf_run_bias(const struct tree *result, const char *run, long *bias);
/* Every run's span, the date said once per day. Malloc'ed. */
char *rf_run_dates(const struct tree *result);
/* A run's evidence as one short line: "mapi32.dll 6.5.7226.0 — older than
 * 6.5.7233.46: hotfix absent; CleanUpMAPIHeap missing — needs DWORD 1".
 * Malloc'ed. */
char *rf_evidence_line(const struct tree *run);
/* For a run that contradicts the rules: what to check, in sentences.
 * Malloc'ed. */
char *rf_what_to_check(const struct tree *result, const struct tree *run);

#endif
