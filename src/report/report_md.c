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

/* An http(s) address: its scheme kept, the rest as md_href. */
static void md_url(FILE *f, const char *url) {
  size_t n = strcspn(url, ":") + 3; /* "https://" */
  fprintf(f, "%.*s", (int)n, url);
  md_href(f, url + n);
}

static void bullet(FILE *f, const char *label, const char *text) {
  fprintf(f, "- %s: ", label);
  md_esc(f, text);
  fputs("\n", f);
}

/* The answer line, the yes/no rows, then the facts: KB, hosts, dates. */
/* "- KB: [KB901014](url): title"; with_kind (several rules) adds the kind
 * of cycle each is about. */
static void kb_line(FILE *f, const struct tree *rules, bool with_kind) {
  const char *url = rf_str(rules, "url", NULL), *title = rf_str(rules, "title", NULL);
  fputs("- KB: ", f);
  if (url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7))) {
    fputs("[", f);
    md_esc(f, rf_str(rules, "id", "article"));
    fputs("](", f);
    md_url(f, url);
    fputs(")", f);
  } else {
    md_esc(f, rf_str(rules, "id", DASH));
  }
  if (with_kind) {
    fputs(" (per ", f);
    md_esc(f, rf_str(rules, "kind", DASH));
    fputs(")", f);
  }
  if (title) {
    fputs(": ", f);
    md_esc(f, title);
  }
  fputs("\n", f);
}

static void write_answer(FILE *f, const struct report_input *in) {
  const struct tree *res = in->result;
  struct rf_answer a;
  rf_answer_init(&a, res);
  struct rf_conclusion c;
  rf_conclusion_init(&c, res);
  fputs("# Is the fix effective?\n\n**", f);
  md_esc(f, a.text);
  fputs("**\n\n", f);
  for (int i = 0; i < 2; i++)
    bullet(f, c.rows[i].label, c.rows[i].value);
  const struct tree *set = rf_get(res, "rule_set", NULL);
  if (set && tree_kind(set) == TREE_ARR && tree_len(set) > 0)
    for (size_t i = 0; i < tree_len(set); i++)
      kb_line(f, tree_at(set, i), true);
  else
    kb_line(f, rf_get(res, "rules", NULL), false);
  char *hosts = rf_hosts(res), *dates = rf_run_dates(res);
  bullet(f, "Hosts", hosts);
  bullet(f, "Runs", dates);
  free(hosts);
  free(dates);
  if (in->generated_utc && strlen(in->generated_utc) >= 19)
    fprintf(f, "- Report made: %.10s %.8s UTC\n", in->generated_utc, in->generated_utc + 11);
  fputs("\nThe reasoning in full: ", f);
  md_esc(f, c.text);
  fputs("\n", f);
  rf_answer_fini(&a);
}

/* Each run that contradicts the rules, as a GitHub alert (a quote
 * elsewhere) with what to check. */
static void write_contradictions(FILE *f, const struct tree *res) {
  const struct tree *runs = rf_get(res, "runs", NULL);
  for (size_t i = 0; runs && tree_kind(runs) == TREE_ARR && i < tree_len(runs); i++) {
    const struct tree *run = tree_at(runs, i), *v = rf_get(run, "consistent", NULL);
    if (!v || tree_kind(v) != TREE_BOOL || tree_get_bool(v))
      continue;
    struct strbuf b;
    strbuf_init(&b);
    rf_leak(&b, run);
    fputs("\n> [!CAUTION]\n> **Contradiction: run '", f);
    md_esc(f, rf_str(run, "name", DASH));
    fputs("'** should measure ", f);
    md_esc(f, rf_str(run, "expected", DASH));
    fputs(" by the rules, but measures ", f);
    md_esc(f, rf_str(run, "verdict", DASH));
    fputs(": ", f);
    md_buf(f, &b);
    fputs(" per load/unload.\n>\n> ", f);
    char *check = rf_what_to_check(res, run);
    md_esc(f, check);
    free(check);
    fputs("\n", f);
    strbuf_fini(&b);
  }
}

/* A row of the evidence table; a kind's row is marked as under its run. */
static void evidence_row(FILE *f, const struct rf_evidence_row *r) {
  char *label = r->run ? NULL : xasprintf("\xe2\x86\xb3 %s", r->label); /* an arrow */
  fputs("|", f);
  md_text_cell(f, label ? label : r->label);
  md_text_cell(f, r->leak);
  md_text_cell(f, r->verdict);
  md_text_cell(f, r->expected ? r->expected : DASH);
  md_text_cell(f, rf_agreement_text(r->agreement));
  md_text_cell(f, r->run ? r->run->evidence_line : "");
  fputs("\n", f);
  free(label);
}

static void detail_row(FILE *f, const struct rf_run_text *t) {
  fputs("|", f);
  md_text_cell(f, t->name);
  md_text_cell(f, t->counters_file);
  md_text_cell(f, t->events_file);
  md_text_cell(f, t->counter);
  md_text_cell(f, t->counts[0]);
  md_text_cell(f, t->cycles);
  md_text_cell(f, t->counts[2]);
  md_text_cell(f, t->counts[1]);
  md_text_cell(f, t->method);
  md_text_cell(f, t->growth);
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
  static const char *const cols[] = {"Run", "Leak per load/unload", "Measured",
                                     "Rules expect", "Consistent", "What was installed"};
  const struct tree *runs = rf_get(res, "runs", NULL);
  fputs("\n## Evidence: each run\n", f);
  md_header(f, cols, 6);
  for (size_t i = 0; runs && tree_kind(runs) == TREE_ARR && i < tree_len(runs); i++) {
    struct rf_evidence_rows rows;
    rf_evidence_rows_init(&rows, tree_at(runs, i));
    for (size_t k = 0; k < rows.n; k++)
      evidence_row(f, &rows.rows[k]);
    rf_evidence_rows_fini(&rows);
  }
}

static void write_comparisons(FILE *f, const struct tree *res) {
  static const char *const cols[] = {"Baseline", "Run", "Reduction per load/unload",
                                     "Assessment"};
  const struct tree *cmps = rf_get(res, "comparisons", NULL);
  fputs("\n## Against the baseline\n", f);
  if (!cmps || tree_kind(cmps) != TREE_ARR || tree_len(cmps) == 0) {
    fputs("\nNo comparisons (a single run).\n", f);
    return;
  }
  md_header(f, cols, 4);
  for (size_t i = 0; i < tree_len(cmps); i++) {
    struct rf_cmp_text t;
    rf_cmp_text_init(&t, tree_at(cmps, i));
    fputs("|", f);
    md_text_cell(f, t.baseline);
    md_text_cell(f, t.run);
    md_text_cell(f, t.reduction);
    md_text_cell(f, t.assessment);
    fputs("\n", f);
    rf_cmp_text_fini(&t);
  }
}

static void plot_link(FILE *f, const struct report_plot *p) {
  fputs("![", f);
  md_esc(f, p->title);
  fputs("](", f);
  md_href(f, p->href);
  fputs(")\n\n", f);
}

/* The kept plots, linked relative to the report: the summary plots first,
 * then each run's, folded in <details> as the HTML report folds them (the
 * blank lines let GitHub and CommonMark read the links inside as Markdown).
 * Plots that were not kept are not linked (the HTML report embeds them);
 * with none to link the section says why only when plots were asked for. */
static void write_plots(FILE *f, const struct report_input *in) {
  size_t linked = 0, per_run = 0;
  for (size_t i = 0; i < in->nplots; i++) {
    linked += in->plots[i].href != NULL;
    per_run += in->plots[i].href && in->plots[i].run >= 0;
  }
  if (linked == 0) {
    if (in->plots_asked) {
      fputs("\n## Plots\n\nNo plots in this report: ", f);
      md_esc(f, in->no_plots_reason ? in->no_plots_reason : "none were made");
      fputs(".\n", f);
    }
    return;
  }
  fputs("\n## Plots\n\n", f);
  for (size_t i = 0; i < in->nplots; i++)
    if (in->plots[i].href && in->plots[i].run < 0)
      plot_link(f, &in->plots[i]);
  if (per_run == 0)
    return;
  fprintf(f, "<details>\n<summary>Each run's own plots (%zu)</summary>\n\n", per_run);
  for (size_t i = 0; i < in->nplots; i++)
    if (in->plots[i].href && in->plots[i].run >= 0)
      plot_link(f, &in->plots[i]);
  fputs("</details>\n", f);
}

static void write_details(FILE *f, const struct tree *res) {
  static const char *const cols[] = {"Run", "Counter log", "Trace", "Counter",
                                     "Samples", "Cycles", "Warm-up cycles", "Lifetimes",
                                     "Method", "Growth beyond the cycles, per hour"};
  write_run_table(f, res, "\n## How each run was measured\n", cols, 10, detail_row);
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
  write_answer(f, in);
  write_contradictions(f, res);
  write_runs(f, res);
  write_comparisons(f, res);
  write_plots(f, in);
  write_details(f, res);
  write_warnings(f, res);
  write_provenance(f, res);
  return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
