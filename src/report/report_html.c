/* report_html — the compare report as one self-contained HTML page: inline
 * CSS, plots as base64 data: URIs (so each SVG's XML declaration and element
 * ids stay inside its own image), no script, no external asset, so it reads
 * the same offline. Every string from the tree goes through h_esc. */
#include "config.h"
#include "report/report.h"
#include "util/htmlesc.h"
#include "report/report_fmt.h"
#include "util/base64.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DASH "\xe2\x80\x94"

static const char CSS[] =
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:#1d2430;max-width:1180px;margin:0 auto;padding:20px 24px 60px}\n"
    "h1{font-size:24px;margin:0 0 12px}h2{font-size:19px;margin:30px 0 10px;"
    "border-bottom:1px solid #d5dae1;padding-bottom:4px}\n"
    ".answer{border-left:6px solid #2f6fb5;background:#f3f6fa;padding:14px 18px;"
    "border-radius:4px}\n"
    ".answer.fixed{border-color:#17703a;background:#eef8f1}\n"
    ".answer.not-fixed,.answer.contradiction{border-color:#b3261e;background:#fdf0ef}\n"
    ".answer.unknown{border-color:#8a5a00;background:#fff8e5}\n"
    "p.answer-line{font-size:20px;font-weight:600;margin:0 0 10px}\n"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;"
    "margin:10px 0 0;font-size:14px}\n"
    "dl.facts dt{font-weight:600;color:#4a5361}dl.facts dd{margin:0}\n"
    ".alert{border:2px solid #b3261e;background:#fdf0ef;border-radius:4px;"
    "padding:10px 16px;margin:14px 0}\n"
    ".alert p{margin:4px 0}.alert strong{color:#b3261e}\n"
    "table{border-collapse:collapse;margin:6px 0;font-size:14px;max-width:100%}\n"
    "th,td{border:1px solid #d5dae1;padding:5px 8px;text-align:left;vertical-align:top;"
    "overflow-wrap:break-word;hyphens:auto}\n"
    /* long unbroken text (paths, digests, names) may break anywhere, so
     * it never widens a table; short words keep whole */
    "td.evidence,td.path,table.inputs td:first-child,table.provenance td{overflow-wrap:anywhere}\n"
    /* a size, a role and a run's name keep whole words ("1,048,576", not
     * "1,048,57 6"), except a name in the ten columns of the details */
    "table.inputs td.num{white-space:nowrap}td.name{overflow-wrap:break-word}"
    "table.details td.name{overflow-wrap:anywhere}table.inputs td:first-child{min-width:11em}\n"
    "th{background:#eef1f5;font-weight:600}\n"
    "td.num{text-align:right}.ci{white-space:nowrap}td .ci{color:#4a5361;font-size:13px}\n"
    ".answer table td,.answer table th{background:#fff}\n"
    ".good{color:#17703a;font-weight:600}.bad{color:#b3261e;font-weight:600}\n"
    ".warn{color:#8a5a00;font-weight:600}.muted{color:#6b7380}\n"
    "table.runs,table.details,table.comparisons,table.inputs{width:100%}\n"
    "td.name{min-width:6em;font-weight:600}td.path{min-width:13em}\n"
    "tr.contradiction td{background:#fdf0ef}\n"
    /* a run's per-kind rows sit under it, indented and smaller */
    "tr.kind td{font-size:13px;border-top-style:dotted}"
    "td.kind{padding-left:22px;color:#4a5361;overflow-wrap:anywhere}\n"
    "details{margin:4px 0}summary{cursor:pointer;color:#2f6fb5}\n"
    "td details ul{margin:4px 0;padding-left:18px;font-size:13px}\n"
    "figure{margin:18px 0}figure img{width:100%;max-width:1100px;height:auto;"
    "border:1px solid #d5dae1}\n"
    "figcaption{font-size:13px;color:#4a5361;margin-top:4px}\n"
    "code{font:12px ui-monospace,Consolas,monospace;overflow-wrap:anywhere}\n"
    ".note{background:#fff8e5;border:1px solid #ecd9a0;padding:8px 12px;"
    "border-radius:4px}\n"
    "@page{margin:12mm}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt}"
    "table{font-size:8.5pt;width:100%}thead,tr:first-child{break-after:avoid}"
    "th,td{padding:3px 4px}td .ci{white-space:normal}td.path,table.inputs td:first-child{min-width:0}"
    "code{font-size:7.5pt}h2{break-after:avoid}"
    "figure{break-inside:avoid}figure img{max-width:100%}"
    "summary{color:inherit}"
    "td details::details-content,details.conclusion::details-content"
    "{content-visibility:visible;display:block}details.per-run{display:none}}\n";

/* Text for HTML element content and attribute values. */
static void h_esc(FILE *f, const char *s) { html_escape(f, s); }

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

/* A figure cell: "64.0 KiB (95%: 63.98–64.02 KiB)" breaks before its
 * interval, never inside it. */
static void h_amount(FILE *f, const char *text) {
  const char *ci = strstr(text, " (95%");
  if (!ci) {
    h_esc(f, text);
  } else {
    char *head = xasprintf("%.*s", (int)(ci - text), text);
    h_esc(f, head);
    free(head);
    fputs(" <span class=\"ci\">", f);
    h_esc(f, ci + 1);
    fputs("</span>", f);
  }
}

static void amount_cell(FILE *f, const char *text) {
  fputs("<td class=\"num\">", f);
  h_amount(f, text);
  fputs("</td>", f);
}

static void text_cell(FILE *f, const char *cls, const char *text) {
  fprintf(f, "<td class=\"%s\">", cls);
  h_esc(f, text);
  fputs("</td>", f);
}

/* An ISO UTC time as "2026-12-07 11:05:12 UTC". */
static void h_utc(FILE *f, const char *iso) {
  if (iso && strlen(iso) >= 19)
    fprintf(f, "%.10s %.8s UTC", iso, iso + 11);
  else
    h_esc(f, iso ? iso : DASH);
}

static void fact(FILE *f, const char *term, const char *text) {
  fprintf(f, "<dt>%s</dt><dd>", term);
  h_esc(f, text);
  fputs("</dd>\n", f);
}

/* The KB: its id as a link to the article (a link, never a fetched
 * asset), then its title. */
static void kb_one(FILE *f, const struct tree *rules, bool with_kind) {
  const char *url = rf_str(rules, "url", NULL), *title = rf_str(rules, "title", NULL);
  if (url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7))) {
    fputs("<a href=\"", f);
    h_esc(f, url);
    fputs("\">", f);
    h_esc(f, rf_str(rules, "id", url));
    fputs("</a>", f);
  } else {
    h_esc(f, rf_str(rules, "id", DASH));
  }
  if (with_kind) { /* several rules: which kind of cycle each is about */
    fputs(" (per ", f);
    h_esc(f, rf_str(rules, "kind", DASH));
    fputs(")", f);
  }
  if (title) {
    fputs(": ", f);
    h_esc(f, title);
  }
}

/* Several rules (rule_set): one line each. */
static void kb_fact(FILE *f, const struct tree *res) {
  const struct tree *set = rf_get(res, "rule_set", NULL);
  fputs("<dt>KB</dt><dd>", f);
  if (set && tree_kind(set) == TREE_ARR && tree_len(set) > 0) {
    for (size_t i = 0; i < tree_len(set); i++) {
      if (i)
        fputs("<br/>", f);
      kb_one(f, tree_at(set, i), true);
    }
  } else {
    kb_one(f, rf_get(res, "rules", NULL), false);
  }
  fputs("</dd>\n", f);
}

static void write_answer(FILE *f, const struct report_input *in) {
  const struct tree *res = in->result;
  struct rf_answer a;
  rf_answer_init(&a, res);
  struct rf_conclusion c;
  rf_conclusion_init(&c, res);
  fprintf(f, "<section class=\"answer %s\">\n<p class=\"answer-line\">",
          rf_answer_class(a.kind));
  h_esc(f, a.text);
  fputs("</p>\n<table class=\"yesno\">\n", f);
  for (int i = 0; i < 2; i++) {
    fprintf(f, "<tr><th>%s</th>", c.rows[i].label);
    text_cell(f, c.rows[i].known ? (c.rows[i].yes ? "good" : "bad") : "muted",
              c.rows[i].value);
    fputs("</tr>\n", f);
  }
  fputs("</table>\n<dl class=\"facts\">\n", f);
  kb_fact(f, res);
  char *hosts = rf_hosts(res), *dates = rf_run_dates(res);
  fact(f, "Hosts", hosts);
  fact(f, "Runs", dates);
  free(hosts);
  free(dates);
  if (in->generated_utc) {
    fputs("<dt>Report made</dt><dd>", f);
    h_utc(f, in->generated_utc);
    fputs(" by ", f);
    h_esc(f, rf_str(rf_get(res, "provenance", NULL), "tool", "leakslope"));
    fputs(" ", f);
    h_esc(f, rf_str(rf_get(res, "provenance", NULL), "version", ""));
    fputs("</dd>\n", f);
  }
  fputs("</dl>\n<details class=\"conclusion\"><summary>The reasoning in full</summary>\n"
        "<p class=\"text\">", f);
  h_esc(f, c.text);
  fputs("</p></details>\n</section>\n", f);
  rf_answer_fini(&a);
}

/* Each run that contradicts the rules, in an alert box with what to check. */
static void write_contradictions(FILE *f, const struct tree *res) {
  const struct tree *runs = rf_get(res, "runs", NULL);
  for (size_t i = 0; runs && tree_kind(runs) == TREE_ARR && i < tree_len(runs); i++) {
    const struct tree *run = tree_at(runs, i), *v = rf_get(run, "consistent", NULL);
    if (!v || tree_kind(v) != TREE_BOOL || tree_get_bool(v))
      continue;
    struct strbuf b;
    strbuf_init(&b);
    rf_leak(&b, run);
    fputs("<section class=\"alert\" role=\"alert\">\n<p><strong>Contradiction: run '", f);
    h_esc(f, rf_str(run, "name", DASH));
    fputs("'</strong> ", f);
    fputs("should measure <b>", f);
    h_esc(f, rf_str(run, "expected", DASH));
    fputs("</b> by the rules, but measures <b>", f);
    h_esc(f, rf_str(run, "verdict", DASH));
    fputs("</b>: ", f);
    h_amount(f, b.data);
    fputs(" per load/unload.</p>\n<p>", f);
    char *check = rf_what_to_check(res, run);
    h_esc(f, check);
    free(check);
    fputs("</p>\n</section>\n", f);
    strbuf_fini(&b);
  }
}

/* The short line, the full evidence folded under it. */
static void evidence_cell(FILE *f, const struct rf_run_text *t) {
  fputs("<td class=\"evidence\">", f);
  h_esc(f, t->evidence_line);
  fputs("<details><summary>details</summary><ul>", f);
  for (size_t i = 0; i < t->nevidence; i++) {
    fputs("<li>", f);
    h_esc(f, t->evidence[i]);
    fputs("</li>", f);
  }
  fputs("</ul></details></td>", f);
}

static void agreement_cell(FILE *f, enum rf_agreement a) {
  text_cell(f, a == RF_AGREES ? "good" : a == RF_CONTRADICTS ? "bad" : "muted",
            rf_agreement_text(a));
}

/* A row of the evidence table: a run's, or a kind's under it (indented,
 * smaller, no evidence of its own). */
static void evidence_row(FILE *f, const struct rf_evidence_row *r) {
  bool bad = r->agreement == RF_CONTRADICTS;
  if (r->run)
    fputs(bad ? "<tr class=\"contradiction\">" : "<tr>", f);
  else
    fputs(bad ? "<tr class=\"kind contradiction\">" : "<tr class=\"kind\">", f);
  text_cell(f, r->run ? "name" : "kind", r->label);
  amount_cell(f, r->leak);
  text_cell(f, rf_class(r->verdict_word), r->verdict);
  if (r->expected)
    text_cell(f, strcmp(r->expected, "unknown") ? rf_class(r->expected) : "muted", r->expected);
  else
    text_cell(f, "muted", DASH);
  agreement_cell(f, r->agreement);
  if (r->run)
    evidence_cell(f, r->run);
  else
    fputs("<td></td>", f);
  fputs("</tr>\n", f);
}

/* A table with a row per run: HEAD (the heading and the header row), then
 * ROW for each run of res. */
static void write_run_table(FILE *f, const struct tree *res, const char *head,
                            void (*row)(FILE *, const struct rf_run_text *,
                                        const struct tree *, const struct tree *)) {
  const struct tree *runs = rf_get(res, "runs", NULL);
  fputs(head, f);
  for (size_t i = 0; runs && tree_kind(runs) == TREE_ARR && i < tree_len(runs); i++) {
    struct rf_run_text t;
    rf_run_text_init(&t, tree_at(runs, i));
    row(f, &t, res, tree_at(runs, i));
    rf_run_text_fini(&t);
  }
  fputs("</table>\n", f);
}

static void write_runs(FILE *f, const struct tree *res) {
  const struct tree *runs = rf_get(res, "runs", NULL);
  fputs("<h2>Evidence: each run</h2>\n<table class=\"runs\">\n<tr><th>Run</th>"
        "<th>Leak per load/unload</th><th>Measured</th><th>Rules expect</th>"
        "<th>Consistent</th><th>What was installed</th></tr>\n", f);
  for (size_t i = 0; runs && tree_kind(runs) == TREE_ARR && i < tree_len(runs); i++) {
    struct rf_evidence_rows rows;
    rf_evidence_rows_init(&rows, tree_at(runs, i));
    for (size_t k = 0; k < rows.n; k++)
      evidence_row(f, &rows.rows[k]);
    rf_evidence_rows_fini(&rows);
  }
  fputs("</table>\n", f);
}

static void detail_row(FILE *f, const struct rf_run_text *t, const struct tree *res,
                       const struct tree *run) {
  struct strbuf b;
  strbuf_init(&b);
  fputs("<tr>", f);
  text_cell(f, "name", t->name);
  rf_run_span(&b, res, run);
  cell(f, "plain", &b);
  fputs("<td class=\"path\">", f);
  h_esc(f, t->counters_file);
  fputs("<br/>", f);
  h_esc(f, t->events_file);
  fputs("<br/><code>", f);
  h_esc(f, t->counter);
  fputs("</code></td>", f);
  text_cell(f, "num", t->counts[0]);
  text_cell(f, "num", t->cycles);
  text_cell(f, "num", t->counts[2]);
  text_cell(f, "num", t->counts[1]);
  text_cell(f, "plain", t->method);
  amount_cell(f, t->growth);
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
      "<h2>How each run was measured</h2>\n<table class=\"details\">\n<tr><th>Run"
          "</th><th>When (the log's clock)</th><th>Counter log, trace, counter</th>"
          "<th>Samples</th><th>Cycles</th><th>Warm-up cycles</th><th>Lifetimes</th>"
          "<th>Method</th><th>Growth beyond the cycles, per hour</th>"
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
        " per load/unload</th><th>Assessment</th></tr>\n", f);
  for (size_t i = 0; i < tree_len(cmps); i++) {
    struct rf_cmp_text t;
    rf_cmp_text_init(&t, tree_at(cmps, i));
    fputs("<tr>", f);
    text_cell(f, "name", t.baseline);
    text_cell(f, "name", t.run);
    amount_cell(f, t.reduction);
    text_cell(f, rf_class(t.assessment), t.assessment);
    fputs("</tr>\n", f);
    rf_cmp_text_fini(&t);
  }
  fputs("</table>\n", f);
}

static void figure(FILE *f, const struct report_plot *p, struct strbuf *b) {
  base64_encode(b, p->svg, p->svg_len);
  fputs("<figure><img src=\"data:image/svg+xml;base64,", f);
  fputs(b->data ? b->data : "", f);
  fputs("\" alt=\"", f);
  h_esc(f, p->title);
  fputs("\"/><figcaption>", f);
  h_esc(f, p->title);
  fputs("</figcaption></figure>\n", f);
  strbuf_reset(b);
}

/* The summary plots first; each run's own folded below them. */
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
  size_t per_run = 0;
  for (size_t i = 0; i < in->nplots; i++)
    if (in->plots[i].run < 0)
      figure(f, &in->plots[i], &b);
    else
      per_run++;
  if (per_run)
    fprintf(f, "<details class=\"per-run\"><summary>Each run's own plots (%zu)</summary>\n",
            per_run);
  for (size_t i = 0; i < in->nplots; i++)
    if (in->plots[i].run >= 0)
      figure(f, &in->plots[i], &b);
  if (per_run)
    fputs("</details>\n", f);
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
  fputs("<table class=\"inputs\">\n<tr>", f);
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
  fputs("</table>\n", f);
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
        "<title>", f);
  struct rf_answer a; /* the tab and the printed page's header say it too */
  rf_answer_init(&a, res);
  h_esc(f, a.text);
  rf_answer_fini(&a);
  fputs(" (leakslope)</title>\n<style>\n", f);
  fputs(CSS, f);
  fputs("</style>\n</head>\n<body>\n<h1>Is the fix effective?</h1>\n", f);
  write_answer(f, in);
  write_contradictions(f, res);
  write_runs(f, res);
  write_comparisons(f, res);
  write_plots(f, in);
  write_details(f, res);
  write_warnings(f, res);
  write_provenance(f, res);
  fputs("</body>\n</html>\n", f);
  return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
