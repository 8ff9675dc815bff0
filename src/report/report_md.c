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
  const struct tree *c = rf_get(res, "conclusion", NULL);
  struct strbuf b;
  strbuf_init(&b);
  fputs("# Is the fix effective?\n\n**", f);
  md_esc(f, rf_str(c, "text", "No conclusion was drawn."));
  fputs("**\n\n", f);
  rf_tristate(&b, rf_get(c, "hotfix_effective", NULL), "cannot tell from these runs");
  fputs("- Hotfix effective (applied as the rules demand): ", f);
  md_buf(f, &b);
  rf_tristate(&b, rf_get(c, "registry_setting_effective", NULL),
              "cannot tell from these runs");
  fputs("\n- Registry setting makes the difference: ", f);
  md_buf(f, &b);
  fputs("\n", f);
  strbuf_fini(&b);
}

static void evidence_text(struct strbuf *b, const struct tree *ev) {
  size_t n;
  char **lines = rf_evidence_lines(ev, &n);
  for (size_t i = 0; i < n; i++)
    strbuf_addf(b, "%s%s", i ? "; " : "", lines[i]);
  rf_free_list(lines, n);
}

static void consistent_text(struct strbuf *b, const struct tree *v) {
  if (v && tree_kind(v) == TREE_BOOL)
    strbuf_adds(b, tree_get_bool(v) ? "yes" : "NO: the measurement contradicts the rules");
  else
    strbuf_adds(b, "cannot tell");
}

static void run_row(FILE *f, const struct tree *run, struct strbuf *b) {
  fputs("|", f);
  md_text_cell(f, rf_str(run, "name", DASH));
  rf_leak(b, run);
  md_cell(f, b);
  rf_interval(b, rf_get(run, "leak", "ci95", NULL));
  md_cell(f, b);
  rf_verdict(b, run);
  md_cell(f, b);
  md_text_cell(f, rf_str(run, "expected", "unknown"));
  consistent_text(b, rf_get(run, "consistent", NULL));
  md_cell(f, b);
  rf_count(b, rf_num(rf_get(run, "cycles", NULL)));
  md_cell(f, b);
  rf_bytes(b, rf_num(rf_get(run, "time_growth", "bytes_per_hour", NULL)), "/h");
  const struct tree *sep = rf_get(run, "time_growth", "separable", NULL);
  if (sep && tree_kind(sep) == TREE_BOOL && !tree_get_bool(sep))
    strbuf_adds(b, " (not separable from the cycles)");
  md_cell(f, b);
  evidence_text(b, rf_get(run, "evidence", NULL));
  md_cell(f, b);
  fputs("\n", f);
}

static void write_runs(FILE *f, const struct tree *res) {
  static const char *const cols[] = {"Run", "Leak per cycle", "95% interval",
                                     "Verdict (measured)", "Expected (rules)",
                                     "Consistent", "Cycles", "Growth per hour",
                                     "Evidence"};
  const struct tree *runs = rf_get(res, "runs", NULL);
  struct strbuf b;
  strbuf_init(&b);
  fputs("\n## Runs\n", f);
  md_header(f, cols, 9);
  for (size_t i = 0; runs && tree_kind(runs) == TREE_ARR && i < tree_len(runs); i++)
    run_row(f, tree_at(runs, i), &b);
  strbuf_fini(&b);
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
  struct strbuf b;
  strbuf_init(&b);
  md_header(f, cols, 5);
  for (size_t i = 0; i < tree_len(cmps); i++) {
    const struct tree *c = tree_at(cmps, i), *ci95;
    const struct tree *red = rf_reduction(c, &ci95);
    fputs("|", f);
    md_text_cell(f, rf_str(c, "baseline", DASH));
    md_text_cell(f, rf_str(c, "run", DASH));
    rf_bytes(&b, rf_num(red), NULL);
    md_cell(f, &b);
    rf_interval(&b, ci95);
    md_cell(f, &b);
    md_text_cell(f, rf_str(c, "assessment", DASH));
    fputs("\n", f);
  }
  strbuf_fini(&b);
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
  const struct tree *runs = rf_get(res, "runs", NULL);
  struct strbuf b;
  strbuf_init(&b);
  fputs("\n## How each run was measured\n", f);
  md_header(f, cols, 8);
  for (size_t i = 0; runs && tree_kind(runs) == TREE_ARR && i < tree_len(runs); i++) {
    const struct tree *run = tree_at(runs, i);
    fputs("|", f);
    md_text_cell(f, rf_str(run, "name", DASH));
    md_text_cell(f, rf_str(run, "counters_file", DASH));
    md_text_cell(f, rf_str(run, "events_file", "(no trace)"));
    md_text_cell(f, rf_str(run, "counter", DASH));
    static const char *const counts[] = {"samples", "lifetimes", "warmup_cycles"};
    for (int k = 0; k < 3; k++) {
      rf_count(&b, rf_num(rf_get(run, counts[k], NULL)));
      md_cell(f, &b);
    }
    md_text_cell(f, rf_str(rf_get(run, "leak", NULL), "method", DASH));
    fputs("\n", f);
  }
  strbuf_fini(&b);
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
