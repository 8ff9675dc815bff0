/* report_html — the compare report as one self-contained HTML page: inline
 * CSS, plots as base64 data: URIs (so each SVG's XML declaration and element
 * ids stay inside its own image), no script, no external asset, so it reads
 * the same offline. Every string from the tree goes through h_esc. */
#include "config.h"
#include "report/report.h"
#include "report/report_fmt.h"
#include "util/base64.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DASH "\xe2\x80\x94"

static const char CSS[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:#1d2430;max-width:1160px;margin:0 auto;padding:24px 28px 60px;}\n"
    "h1{font-size:26px;margin:0 0 14px}h2{font-size:19px;margin:34px 0 10px;"
    "border-bottom:1px solid #d5dae1;padding-bottom:4px}\n"
    ".conclusion{background:#f3f6fa;border-left:5px solid #2f6fb5;padding:14px 18px;"
    "border-radius:4px}\n"
    ".conclusion p.text{font-size:18px;margin:0 0 10px}\n"
    "table{border-collapse:collapse;margin:6px 0;font-size:14px}\n"
    "th,td{border:1px solid #d5dae1;padding:5px 9px;text-align:left;vertical-align:top}\n"
    "th{background:#eef1f5;font-weight:600}\n"
    "td.num{text-align:right;white-space:nowrap}\n"
    ".conclusion table td,.conclusion table th{background:#fff}\n"
    ".good{color:#17703a;font-weight:600}.bad{color:#b3261e;font-weight:600}\n"
    ".warn{color:#8a5a00;font-weight:600}.muted{color:#6b7380}\n"
    "figure{margin:18px 0}figure img{width:100%;max-width:1100px;height:auto;"
    "border:1px solid #d5dae1}\n"
    "table.runs{width:100%}td.name{min-width:9em}\n"
    "td.nowrap{white-space:nowrap}td .ci{color:#4a5361;font-size:13px}\n"
    ".wide{overflow-x:auto}\n"
    "figcaption{font-size:13px;color:#4a5361;margin-top:4px}\n"
    "code{font:13px ui-monospace,Consolas,monospace;word-break:break-all}\n"
    ".note{background:#fff8e5;border:1px solid #ecd9a0;padding:8px 12px;"
    "border-radius:4px}\n";

/* Text for HTML element content and attribute values. */
static void h_esc(FILE *f, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default:
      if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
        fputc(' ', f);
      else
        fputc(*s, f);
    }
  }
}

/* Escape what b holds, then empty it. */
static void h_buf(FILE *f, struct strbuf *b) {
  h_esc(f, b->data);
  strbuf_reset(b);
}

static void cell(FILE *f, const char *cls, struct strbuf *b) {
  fprintf(f, "<td class=\"%s\">", cls);
  h_buf(f, b);
  fputs("</td>", f);
}

static void text_cell(FILE *f, const char *cls, const char *text) {
  fprintf(f, "<td class=\"%s\">", cls);
  h_esc(f, text);
  fputs("</td>", f);
}

/* A cell of two texts with markup SEP between them; no class when cls is
 * NULL. */
static void joined_cell(FILE *f, const char *cls, const char *a, const char *sep,
                        const char *b) {
  if (cls)
    fprintf(f, "<td class=\"%s\">", cls);
  else
    fputs("<td>", f);
  h_esc(f, a);
  fputs(sep, f);
  h_esc(f, b);
  fputs("</td>", f);
}

static void write_conclusion(FILE *f, const struct tree *res) {
  struct rf_conclusion c;
  rf_conclusion_init(&c, res);
  fputs("<section class=\"conclusion\">\n<p class=\"text\">", f);
  h_esc(f, c.text);
  fputs("</p>\n<table>\n", f);
  for (int i = 0; i < 2; i++) {
    fprintf(f, "<tr><th>%s</th>", c.rows[i].label);
    text_cell(f, c.rows[i].known ? (c.rows[i].yes ? "good" : "bad") : "muted",
              c.rows[i].value);
    fputs("</tr>\n", f);
  }
  fputs("</table>\n</section>\n", f);
}

static void evidence_cell(FILE *f, const struct rf_run_text *t) {
  fputs("<td class=\"evidence\">", f);
  for (size_t i = 0; i < t->nevidence; i++) {
    fputs(i ? "<br/>" : "", f);
    h_esc(f, t->evidence[i]);
  }
  fputs("</td>", f);
}

static void consistent_cell(FILE *f, const struct tree *v) {
  if (v && tree_kind(v) == TREE_BOOL && tree_get_bool(v))
    text_cell(f, "good", "yes");
  else if (v && tree_kind(v) == TREE_BOOL)
    text_cell(f, "bad", "no: the measurement contradicts the rules");
  else
    text_cell(f, "muted", "cannot tell");
}

static void run_row(FILE *f, const struct rf_run_text *t, const struct tree *run) {
  (void)run;
  fputs("<tr>", f);
  text_cell(f, "name", t->name);
  fputs("<td class=\"num\">", f);
  h_esc(f, t->leak);
  fputs("<br/><span class=\"ci\">95%: ", f);
  h_esc(f, t->interval);
  fputs("</span></td>", f);
  text_cell(f, rf_class(t->verdict_word), t->verdict);
  text_cell(f, strcmp(t->expected, "unknown") ? rf_class(t->expected) : "muted", t->expected);
  consistent_cell(f, t->consistent);
  text_cell(f, "num", t->cycles);
  text_cell(f, "num", t->growth);
  evidence_cell(f, t);
  fputs("</tr>\n", f);
}

/* A table with a row per run: HEAD (the heading and the header row), then
 * ROW for each run of res. */
static void write_run_table(FILE *f, const struct tree *res, const char *head,
                            void (*row)(FILE *, const struct rf_run_text *, const struct tree *)) {
  const struct tree *runs = rf_get(res, "runs", NULL);
  fputs(head, f);
  for (size_t i = 0; runs && tree_kind(runs) == TREE_ARR && i < tree_len(runs); i++) {
    struct rf_run_text t;
    rf_run_text_init(&t, tree_at(runs, i));
    row(f, &t, tree_at(runs, i));
    rf_run_text_fini(&t);
  }
  fputs("</table></div>\n", f);
}

static void write_runs(FILE *f, const struct tree *res) {
  write_run_table(f, res,
      "<h2>Runs</h2>\n<div class=\"wide\"><table class=\"runs\">\n<tr><th>Run</th>"
          "<th>Leak per cycle<br/>(95% interval)</th><th>Verdict (measured)</th><th>Expected (rules)"
          "</th><th>Consistent</th><th>Cycles</th><th>Growth per hour</th>"
          "<th>Evidence</th></tr>\n",
      run_row);
}

static void detail_row(FILE *f, const struct rf_run_text *t, const struct tree *run) {
  fputs("<tr>", f);
  text_cell(f, "name", t->name);
  joined_cell(f, NULL, t->counters_file, "<br/>", t->events_file);
  text_cell(f, "plain", t->counter);
  joined_cell(f, "plain", t->process, " / ", t->module);
  for (int i = 0; i < 3; i++)
    text_cell(f, "num", t->counts[i]);
  text_cell(f, "nowrap", t->method);
  struct strbuf b;
  strbuf_init(&b);
  double hours = rf_num(rf_get(run, "projection", "hours_to_limit", NULL));
  if (isfinite(hours)) {
    rf_bytes(&b, rf_num(rf_get(run, "projection", "limit_bytes", NULL)), NULL);
    strbuf_addf(&b, " in %.1f h", hours);
  } else {
    strbuf_adds(&b, DASH);
  }
  cell(f, "num", &b);
  strbuf_fini(&b);
  fputs("</tr>\n", f);
}

static void write_details(FILE *f, const struct tree *res) {
  write_run_table(f, res,
      "<h2>How each run was measured</h2>\n<div class=\"wide\"><table class=\"details\">\n<tr><th>Run"
          "</th><th>Counter log / trace</th><th>Counter</th><th>Process / module</th>"
          "<th>Samples</th><th>Lifetimes</th><th>Warm-up cycles</th><th>Method</th>"
          "<th>Reaches the limit</th></tr>\n",
      detail_row);
}

static void write_comparisons(FILE *f, const struct tree *res) {
  const struct tree *cmps = rf_get(res, "comparisons", NULL);
  fputs("<h2>Against the baseline</h2>\n", f);
  if (!cmps || tree_kind(cmps) != TREE_ARR || tree_len(cmps) == 0) {
    fputs("<p class=\"muted\">No comparisons (a single run).</p>\n", f);
    return;
  }
  fputs("<table class=\"comparisons\">\n<tr><th>Baseline</th><th>Run</th><th>Reduction"
        " per cycle</th><th>95% interval</th><th>Assessment</th></tr>\n", f);
  for (size_t i = 0; i < tree_len(cmps); i++) {
    struct rf_cmp_text t;
    rf_cmp_text_init(&t, tree_at(cmps, i));
    fputs("<tr>", f);
    text_cell(f, "name", t.baseline);
    text_cell(f, "name", t.run);
    text_cell(f, "num", t.reduction);
    text_cell(f, "num", t.interval);
    text_cell(f, rf_class(t.assessment), t.assessment);
    fputs("</tr>\n", f);
    rf_cmp_text_fini(&t);
  }
  fputs("</table>\n", f);
}

static void write_plots(FILE *f, const struct report_input *in) {
  fputs("<h2>Plots</h2>\n", f);
  if (in->nplots == 0) {
    fputs("<p class=\"note\">No plots in this report: ", f);
    h_esc(f, in->no_plots_reason ? in->no_plots_reason : "none were made");
    fputs(".</p>\n", f);
    return;
  }
  struct strbuf b;
  strbuf_init(&b);
  for (size_t i = 0; i < in->nplots; i++) {
    const struct report_plot *p = &in->plots[i];
    base64_encode(&b, p->svg, p->svg_len);
    fputs("<figure><img src=\"data:image/svg+xml;base64,", f);
    fputs(b.data ? b.data : "", f);
    fputs("\" alt=\"", f);
    h_esc(f, p->title);
    fputs("\"/><figcaption>", f);
    h_esc(f, p->title);
    fputs("</figcaption></figure>\n", f);
    strbuf_reset(&b);
  }
  strbuf_fini(&b);
}

static void write_warnings(FILE *f, const struct tree *res) {
  size_t n;
  char **list = rf_warnings(res, &n);
  fputs("<h2>Warnings</h2>\n", f);
  if (n == 0)
    fputs("<p class=\"muted\">None.</p>\n", f);
  else
    fputs("<ul class=\"warnings\">\n", f);
  for (size_t i = 0; i < n; i++) {
    fputs("<li>", f);
    h_esc(f, list[i]);
    fputs("</li>\n", f);
  }
  if (n)
    fputs("</ul>\n", f);
  rf_free_list(list, n);
}

static void write_inputs(FILE *f, const struct rf_provenance *p) {
  fputs("<div class=\"wide\"><table class=\"inputs\">\n<tr>", f);
  for (size_t k = 0; k < p->ncols; k++) {
    fputs("<th>", f);
    h_esc(f, p->cols[k]);
    fputs("</th>", f);
  }
  fputs("</tr>\n", f);
  for (size_t i = 0; i < p->nrows; i++) {
    fputs("<tr>", f);
    for (size_t k = 0; k < p->ncols; k++) {
      bool digest = strcmp(p->cols[k], "sha256") == 0;
      bool size = strcmp(p->cols[k], "size") == 0;
      fputs(digest ? "<td><code>" : size ? "<td class=\"num\">" : "<td>", f);
      h_esc(f, p->cells[i * p->ncols + k]);
      fputs(digest ? "</code></td>" : "</td>", f);
    }
    fputs("</tr>\n", f);
  }
  fputs("</table></div>\n", f);
}

static void write_provenance(FILE *f, const struct tree *res) {
  struct rf_provenance p;
  rf_provenance_init(&p, res);
  fputs("<h2>Provenance</h2>\n<table class=\"provenance\">\n", f);
  for (size_t i = 0; i < p.nfields; i++) {
    fputs("<tr><th>", f);
    h_esc(f, p.keys[i]);
    fputs("</th><td><code>", f);
    h_esc(f, p.values[i]);
    fputs("</code></td></tr>\n", f);
  }
  fputs("</table>\n", f);
  if (p.nrows)
    write_inputs(f, &p);
  rf_provenance_fini(&p);
}

int report_write_html(const struct report_input *in, FILE *f) {
  const struct tree *res = in->result;
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        "<title>leakslope: is the fix effective?</title>\n<style>\n", f);
  fputs(CSS, f);
  fputs("</style>\n</head>\n<body>\n<h1>Is the fix effective?</h1>\n", f);
  write_conclusion(f, res);
  write_runs(f, res);
  write_comparisons(f, res);
  write_plots(f, in);
  write_details(f, res);
  write_warnings(f, res);
  write_provenance(f, res);
  fputs("</body>\n</html>\n", f);
  return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
