/* report_md — the compare report as Markdown (CommonMark with GitHub
 * tables): the same sections as the HTML page. Strings from the tree go
 * through md_esc, which backslash-escapes Markdown's active characters
 * (table pipes included), turns < > & into entities so no raw HTML passes,
 * and folds line breaks into spaces so a name cannot end a table row. */
#include "config.h"
#include "report/report.h"
#include "report/report_fmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DASH "\xe2\x80\x94"

/* line_start: the text begins a line's content (a list item), where a
 * leading "-", "+" or "1." would start a list. */
static void md_esc_at(FILE *f, const char *s, int line_start) {
  size_t digits = 0; /* leading digits: "1." or "1)" would start a list */
  for (const char *start = s; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    int lead = line_start && (size_t)(s - start) == digits;
    if (c >= '0' && c <= '9' && lead)
      digits++;
    if (c == '&')
      fputs("&amp;", f);
    else if (c == '<')
      fputs("&lt;", f);
    else if (c == '>')
      fputs("&gt;", f);
    else if (c < 0x20 || c == 0x7f)
      fputc(' ', f);
    else if (strchr("\\`*_{}[]#!|~$", c) || (lead && strchr("-+=", c) && !digits) ||
             (lead && digits && strchr(".)", c)))
      fprintf(f, "\\%c", c);
    else
      fputc(c, f);
  }
}

static void md_esc(FILE *f, const char *s) { md_esc_at(f, s, 0); }

static void md_buf(FILE *f, struct strbuf *b) {
  md_esc(f, b->data);
  strbuf_reset(b);
}

/* "| a | b |" from text already in cells, each escaped. */
static void md_cell(FILE *f, struct strbuf *b) {
  fputs(" ", f);
  md_buf(f, b);
  fputs(" |", f);
}

static void md_text_cell(FILE *f, const char *s) {
  fputs(" ", f);
  md_esc(f, s);
  fputs(" |", f);
}

static void md_header(FILE *f, const char *const *cols, size_t n) {
  fputs("\n|", f);
  for (size_t i = 0; i < n; i++)
    fprintf(f, " %s |", cols[i]);
  fputs("\n|", f);
  for (size_t i = 0; i < n; i++)
    fputs(" --- |", f);
  fputs("\n", f);
}

static void write_conclusion(FILE *f, const struct tree *res) {
  struct rf_conclusion c;
  rf_conclusion_init(&c, res);
  fputs("# Is the fix effective?\n\n**", f);
  md_esc(f, c.text);
  fputs("**\n\n", f);
  for (int i = 0; i < 2; i++) {
    fprintf(f, "- %s: ", c.rows[i].label);
    md_esc(f, c.rows[i].value);
    fputs("\n", f);
  }
}

static void evidence_cell(FILE *f, const struct rf_run_text *t) {
  struct strbuf b;
  strbuf_init(&b);
  for (size_t i = 0; i < t->nevidence; i++)
    strbuf_addf(&b, "%s%s", i ? "; " : "", t->evidence[i]);
  md_cell(f, &b);
  strbuf_fini(&b);
}

static const char *consistent_text(const struct tree *v) {
  if (v && tree_kind(v) == TREE_BOOL)
    return tree_get_bool(v) ? "yes" : "NO: the measurement contradicts the rules";
  return "cannot tell";
}

static void run_row(FILE *f, const struct rf_run_text *t) {
  fputs("|", f);
  md_text_cell(f, t->name);
  md_text_cell(f, t->leak);
  md_text_cell(f, t->interval);
  md_text_cell(f, t->verdict);
  md_text_cell(f, t->expected);
  md_text_cell(f, consistent_text(t->consistent));
  md_text_cell(f, t->cycles);
  md_text_cell(f, t->growth);
  evidence_cell(f, t);
  fputs("\n", f);
}

static void detail_row(FILE *f, const struct rf_run_text *t) {
  fputs("|", f);
  md_text_cell(f, t->name);
  md_text_cell(f, t->counters_file);
  md_text_cell(f, t->events_file);
  md_text_cell(f, t->counter);
  for (int k = 0; k < 3; k++)
    md_text_cell(f, t->counts[k]);
  md_text_cell(f, t->method);
  fputs("\n", f);
}

/* HEADING, a header row of COLS, then ROW for each run of res. */
static void write_run_table(FILE *f, const struct tree *res, const char *heading,
                            const char *const *cols, size_t ncols,
                            void (*row)(FILE *, const struct rf_run_text *)) {
  const struct tree *runs = rf_get(res, "runs", NULL);
  fputs(heading, f);
  md_header(f, cols, ncols);
  for (size_t i = 0; runs && tree_kind(runs) == TREE_ARR && i < tree_len(runs); i++) {
    struct rf_run_text t;
    rf_run_text_init(&t, tree_at(runs, i));
    row(f, &t);
    rf_run_text_fini(&t);
  }
}

static void write_runs(FILE *f, const struct tree *res) {
  static const char *const cols[] = {"Run", "Leak per cycle", "95% interval",
                                     "Verdict (measured)", "Expected (rules)",
                                     "Consistent", "Cycles", "Growth per hour",
                                     "Evidence"};
  write_run_table(f, res, "\n## Runs\n", cols, 9, run_row);
}

static void write_comparisons(FILE *f, const struct tree *res) {
  static const char *const cols[] = {"Baseline", "Run", "Reduction per cycle",
                                     "95% interval", "Assessment"};
  const struct tree *cmps = rf_get(res, "comparisons", NULL);
  fputs("\n## Against the baseline\n", f);
  if (!cmps || tree_kind(cmps) != TREE_ARR || tree_len(cmps) == 0) {
    fputs("\nNo comparisons (a single run).\n", f);
    return;
  }
  md_header(f, cols, 5);
  for (size_t i = 0; i < tree_len(cmps); i++) {
    struct rf_cmp_text t;
    rf_cmp_text_init(&t, tree_at(cmps, i));
    fputs("|", f);
    md_text_cell(f, t.baseline);
    md_text_cell(f, t.run);
    md_text_cell(f, t.reduction);
    md_text_cell(f, t.interval);
    md_text_cell(f, t.assessment);
    fputs("\n", f);
    rf_cmp_text_fini(&t);
  }
}

/* A link target: every byte outside a safe set percent-encoded, so spaces,
 * parentheses and angle brackets cannot end or break the link. */
static void md_href(FILE *f, const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        strchr("/._-~", c))
      fputc(c, f);
    else
      fprintf(f, "%%%02X", c);
  }
}

static void write_plots(FILE *f, const struct report_input *in) {
  fputs("\n## Plots\n\n", f);
  if (in->nplots == 0) {
    fputs("No plots in this report: ", f);
    md_esc(f, in->no_plots_reason ? in->no_plots_reason : "none were made");
    fputs(".\n", f);
    return;
  }
  for (size_t i = 0; i < in->nplots; i++) {
    const struct report_plot *p = &in->plots[i];
    if (p->href) {
      fputs("![", f);
      md_esc(f, p->title);
      fputs("](", f);
      md_href(f, p->href);
      fputs(")\n\n", f);
    } else {
      fputs("- ", f);
      md_esc_at(f, p->title, 1);
      fputs(" (shown in the HTML report; `--plots DIR` keeps the images)\n", f);
    }
  }
}

static void write_details(FILE *f, const struct tree *res) {
  static const char *const cols[] = {"Run", "Counter log", "Trace", "Counter",
                                     "Samples", "Lifetimes", "Warm-up cycles", "Method"};
  write_run_table(f, res, "\n## How each run was measured\n", cols, 8, detail_row);
}

static void write_warnings(FILE *f, const struct tree *res) {
  size_t n;
  char **list = rf_warnings(res, &n);
  fputs("\n## Warnings\n\n", f);
  if (n == 0)
    fputs("None.\n", f);
  for (size_t i = 0; i < n; i++) {
    fputs("- ", f);
    md_esc_at(f, list[i], 1);
    fputs("\n", f);
  }
  rf_free_list(list, n);
}

static void write_inputs(FILE *f, const struct rf_provenance *p) {
  fputs("\n|", f);
  for (size_t k = 0; k < p->ncols; k++)
    md_text_cell(f, p->cols[k]);
  fputs("\n|", f);
  for (size_t k = 0; k < p->ncols; k++)
    fputs(" --- |", f);
  fputs("\n", f);
  for (size_t i = 0; i < p->nrows; i++) {
    fputs("|", f);
    for (size_t k = 0; k < p->ncols; k++)
      md_text_cell(f, p->cells[i * p->ncols + k]);
    fputs("\n", f);
  }
}

static void write_provenance(FILE *f, const struct tree *res) {
  struct rf_provenance p;
  rf_provenance_init(&p, res);
  fputs("\n## Provenance\n\n", f);
  for (size_t i = 0; i < p.nfields; i++) {
    fputs("- ", f);
    md_esc_at(f, p.keys[i], 1);
    fputs(": ", f);
    md_esc(f, p.values[i]);
    fputs("\n", f);
  }
  if (p.nrows)
    write_inputs(f, &p);
  rf_provenance_fini(&p);
}

int report_write_md(const struct report_input *in, FILE *f) {
  const struct tree *res = in->result;
  write_conclusion(f, res);
  write_runs(f, res);
  write_comparisons(f, res);
  write_plots(f, in);
  write_details(f, res);
  write_warnings(f, res);
  write_provenance(f, res);
  return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
