/* Tests of the HTML and Markdown reports, from a compare tree built by hand
 * (DESIGN.md's shape): section order, escaping of hostile names, embedded
 * plots, table structure, and the Markdown against a golden file.
 *
 *   test_report              run the tests (TAP)
 *   test_report --write DIR  also write DIR/report.html, DIR/report.md and
 *                            DIR/hostile.html (real plots when gnuplot is
 *                            found): the screenshot script and the golden
 *                            refresh use them (cp DIR/sample.md
 *                            tests/unit/report_sample.md, review the diff) */
#include "config.h"
#include "tap.h"
#include "util/base64.h"
#include "report/plot.h"
#include "report/provenance.h"
#include "report/report.h"
#include "sample_runs.h"
#include "util/tree.h"

#include <stdlib.h>
#include <unistd.h>

static void leak(struct tree *run, double v, double lo, double hi, const char *method) {
  struct tree *l = tree_set(run, "leak", tree_obj());
  tree_set_num(l, "bytes_per_cycle", v);
  struct tree *ci = tree_set(l, "ci95", tree_arr());
  tree_push(ci, tree_num(lo));
  tree_push(ci, tree_num(hi));
  tree_set_str(l, "method", method);
}

static struct tree *add_run(struct tree *runs, const char *name, const char *dir,
                            double v, double lo, double hi, const char *verdict,
                            const char *expected, int consistent) {
  struct tree *r = tree_push(runs, tree_obj());
  tree_set_str(r, "schema", "leakslope/analyze/1");
  char path[256];
  snprintf(path, sizeof path, "%s/perf.csv.gz", dir);
  tree_set_str(r, "counters_file", path);
  snprintf(path, sizeof path, "%s/trace.csv", dir);
  tree_set_str(r, "events_file", path);
  tree_set_str(r, "counter", "\\\\EXCH01\\Process(mapitest)\\Private Bytes");
  tree_set_str(r, "process", "mapitest");
  tree_set_str(r, "module", "mapi32.dll");
  tree_set_int(r, "samples", 3600);
  tree_set_int(r, "cycles", 1200);
  tree_set_int(r, "warmup_cycles", 40);
  tree_set_int(r, "lifetimes", 1);
  leak(r, v, lo, hi, "theil-sen");
  struct tree *g = tree_set(r, "time_growth", tree_obj());
  tree_set_num(g, "bytes_per_hour", 1200.0);
  struct tree *ci = tree_set(g, "ci95", tree_arr());
  tree_push(ci, tree_num(-300));
  tree_push(ci, tree_num(2700));
  tree_set_bool(g, "separable", true);
  tree_set_str(r, "verdict", verdict);
  tree_set_int(r, "tolerance_bytes_per_cycle", 64);
  tree_set_null(r, "cycles_needed");
  tree_set_null(r, "projection");
  tree_set(r, "warnings", tree_arr());
  tree_set_str(r, "name", name);
  tree_set(r, "evidence", tree_obj());
  tree_set_str(r, "expected", expected);
  if (consistent < 0)
    tree_set_null(r, "consistent");
  else
    tree_set_bool(r, "consistent", consistent);
  return r;
}

/* Evidence in compare's shape: the module version judged against the
 * fixed one, and CleanUpMAPIHeap as found (value < 0: not found). */
static void evidence(struct tree *run, const char *version, bool hotfix, int value) {
  struct tree *ev = tree_set(run, "evidence", tree_obj());
  tree_set_str(ev, "rules", "KB901014");
  tree_set_str(ev, "module", "mapi32.dll");
  tree_set_str(ev, "module_version", version);
  tree_set_null(ev, "trace_module_version");
  tree_set_str(ev, "version_judged", version);
  tree_set_str(ev, "fixed_version", "6.5.7233.46");
  tree_set_bool(ev, "hotfix", hotfix);
  tree_set_str(ev, "registry_source", "mapi.reg");
  struct tree *s = tree_push(tree_set(ev, "settings", tree_arr()), tree_obj());
  tree_set_str(s, "name", "CleanUpMAPIHeap");
  tree_set_str(s, "expected_key",
               "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Messaging Subsystem");
  tree_set_str(s, "required_type", "dword");
  tree_set_int(s, "required_value", 1);
  if (value < 0) {
    tree_set_null(s, "found_key");
    tree_set_null(s, "type");
    tree_set_null(s, "value");
  } else {
    tree_set_str(s, "found_key", tree_get_str(tree_get(s, "expected_key")));
    tree_set_str(s, "type", "dword");
    tree_set_str(s, "value", value ? "1" : "0");
  }
  tree_set_bool(s, "ok", value == 1);
  tree_set_bool(ev, "settings_ok", value == 1);
  tree_set_str(ev, "because", "the rules' reason");
}

static void add_cmp(struct tree *cmps, const char *base, const char *run, double red,
                    double lo, double hi, const char *assessment) {
  struct tree *c = tree_push(cmps, tree_obj());
  tree_set_str(c, "baseline", base);
  tree_set_str(c, "run", run);
  tree_set_num(c, "reduction", red);
  struct tree *ci = tree_set(c, "ci95", tree_arr());
  tree_push(ci, tree_num(lo));
  tree_push(ci, tree_num(hi));
  tree_set_str(c, "assessment", assessment);
}

static void add_input(struct tree *inputs, const char *name, const char *run,
                      long long size, const char *sha, const char *format,
                      const char *encoding, int bias) {
  struct tree *i = tree_push(inputs, tree_obj());
  tree_set_str(i, "name", name);
  tree_set_str(i, "run", run);
  tree_set_str(i, "role", strstr(name, "trace") ? "events" : "counters");
  tree_set_int(i, "size", size);
  tree_set_str(i, "sha256", sha);
  tree_set_str(i, "format", format);
  tree_set_str(i, "encoding", encoding);
  if (bias == 9999)
    tree_set_null(i, "bias_minutes");
  else
    tree_set_int(i, "bias_minutes", bias);
}

#define SHA_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define SHA_B "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"

/* The three runs of the KB 901014 story; with `evil`, every string that
 * comes from input holds it instead. */
static struct tree *sample_tree(const char *evil) {
  struct tree *t = tree_obj();
  tree_set_str(t, "schema", "leakslope/compare/1");
  struct tree *rules = tree_set(t, "rules", tree_obj());
  tree_set_str(rules, "id", "KB901014");
  tree_set_str(rules, "title", evil ? evil : "Memory leaks when a program loads and unloads "
                                             "Mapi32.dll");
  tree_set_str(rules, "file", "kb901014.yaml");
  tree_set_str(rules, "url", evil ? "javascript:alert(1)" : "https://support.microsoft.com/kb/901014");
  tree_set_str(t, "baseline", evil ? evil : "no hotfix");
  struct tree *runs = tree_set(t, "runs", tree_arr());
  const char *n1 = evil ? evil : "no hotfix";
  const char *n2 = "hotfix only";
  const char *n3 = "hotfix + CleanUpMAPIHeap=1";
  struct tree *r = add_run(runs, n1, "baseline", 40960.5, 40800.1, 41100.9, "leak", "leak", 1);
  evidence(r, "6.5.7226.0", false, -1);
  tree_set_str(r, "first_utc", "2026-03-28T22:00:00.000000Z");
  tree_set_str(r, "last_utc", "2026-03-28T23:00:00.000000Z");
  tree_push(tree_get(r, "warnings"),
            tree_str(evil ? evil : "the log's time steps back 60 minutes at "
                                   "2026-03-29T01:00:00.000000Z (a DST change?)"));
  if (evil)
    tree_set_str(r, "counter", evil);
  r = add_run(runs, n2, "hotfix", 39800, 38900, 40700, "leak", "leak", 1);
  evidence(r, "6.5.7233.46", true, 0);
  tree_set_str(r, "first_utc", "2026-03-29T08:00:00.000000Z");
  tree_set_str(r, "last_utc", "2026-03-29T09:00:00.000000Z");
  r = add_run(runs, n3, "fixed", 2.5, -30.2, 35.1, "no-leak", "no-leak", 1);
  evidence(r, "6.5.7233.46", true, 1);
  tree_set_str(r, "first_utc", "2026-03-29T10:00:00.000000Z");
  tree_set_str(r, "last_utc", "2026-03-29T11:30:00.000000Z");
  struct tree *cmps = tree_set(t, "comparisons", tree_arr());
  add_cmp(cmps, n1, n2, 1160.5, -400.8, 2700, "ineffective");
  add_cmp(cmps, n1, n3, 40958, 40700, 41200, "effective");
  struct tree *c = tree_set(t, "conclusion", tree_obj());
  tree_set_bool(c, "hotfix_effective", true);
  tree_set_bool(c, "registry_setting_effective", true);
  tree_set(c, "contradictions", tree_arr());
  tree_set_str(c, "text", evil ? evil
      : "The hotfix stops the leak only with CleanUpMAPIHeap=1: the hotfix alone "
        "does not stop the leak; set CleanUpMAPIHeap=1.");
  struct tree *p = tree_set(t, "provenance", tree_obj());
  tree_set_str(p, "tool", "leakslope");
  tree_set_str(p, "version", "0.1.0");
  struct tree *argv = tree_set(p, "command_line", tree_arr());
  const char *args[] = {"leakslope", "compare", "manifest.yaml", "-o", "report.html"};
  for (int i = 0; i < 5; i++)
    tree_push(argv, tree_str(args[i]));
  struct tree *in = tree_set(p, "inputs", tree_arr());
  add_input(in, evil ? evil : "baseline/perf.csv.gz", n1, 1048576, SHA_A, "pdh-csv",
            "utf-16le", -60);
  add_input(in, "baseline/trace.csv", n1, 52311, SHA_B, "leakslope-csv", "utf-8", 9999);
  return t;
}

static char *render(int html, const struct report_input *in) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  int rc = html ? report_write_html(in, f) : report_write_md(in, f);
  fclose(f);
  ok(rc == 0, "%s written (%zu bytes)", html ? "HTML" : "Markdown", len);
  return buf;
}

static size_t count(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

/* The needles appear in this order. */
static int in_order(const char *hay, const char *const *needles, size_t n) {
  const char *at = hay;
  for (size_t i = 0; i < n; i++)
    if (!(at = strstr(at, needles[i])))
      return 0;
  return 1;
}

/* Every run of lines starting with '|' (a table) has the same number of
 * unescaped pipes on each line. */
static int tables_aligned(const char *md) {
  long want = -1;
  for (const char *line = md; *line;) {
    size_t len = strcspn(line, "\n");
    if (line[0] == '|') {
      long pipes = 0;
      for (size_t i = 0; i < len; i++) {
        if (line[i] == '\\')
          i++;
        else if (line[i] == '|')
          pipes++;
      }
      if (want >= 0 && pipes != want)
        return 0;
      want = pipes;
    } else {
      want = -1;
    }
    line += len + (line[len] == '\n');
  }
  return 1;
}

static void check_html(const char *h, size_t nplots, const char *svg0) {
  static const char *const order[] = {"class=\"answer ", "<h2>Evidence: each run</h2>",
                                      "<h2>Against the baseline</h2>", "<h2>Plots</h2>",
                                      "<h2>How each run was measured</h2>",
                                      "<h2>Warnings</h2>", "<h2>Provenance</h2>"};
  ok(strncmp(h, "<!DOCTYPE html>", 15) == 0 && strcmp(h + strlen(h) - 8, "</html>\n") == 0,
     "HTML: a doctype first, </html> last");
  ok(in_order(h, order, 7),
     "HTML: answer, evidence, comparisons, plots, measurement, warnings, provenance");
  ok(count(h, "<tr>") + count(h, "<tr class=") == count(h, "</tr>") &&
     count(h, "<td") == count(h, "</td>") && count(h, "<table") == count(h, "</table>") &&
     count(h, "<th>") == count(h, "</th>") && count(h, "<details") == count(h, "</details>"),
     "HTML: every tr, td, th, table and details is closed (%zu rows)", count(h, "</tr>"));
  /* a link to the KB article is the only address, and nothing is fetched */
  ok(!strstr(h, "<script") && !strstr(h, "<link") && !strstr(h, "src=\"http") &&
     !strstr(h, "url(") && count(h, "http:") + count(h, "https:") ==
     count(h, "<a href=\"https:") + count(h, "<a href=\"http:"),
     "HTML: no script, no linked asset, no URL but the KB link (self-contained)");
  is_int(count(h, "<img src=\"data:image/svg+xml;base64,"), nplots,
         "HTML: each plot embedded as an SVG data: URI");
  if (svg0) {
    struct strbuf b;
    strbuf_init(&b);
    base64_encode(&b, svg0, 30);
    ok(strstr(h, b.data) != NULL, "HTML: the first plot's SVG is in it, base64-encoded");
    strbuf_fini(&b);
  }
  ok(strstr(h, "<td class=\"bad\">leak</td>") && strstr(h, "<td class=\"good\">no-leak</td>") &&
     strstr(h, "<td class=\"good\">effective</td>") &&
     strstr(h, "<td class=\"bad\">ineffective</td>"),
     "HTML: verdicts and assessments carry their class");
  ok(strstr(h, SHA_A) && strstr(h, "leakslope compare manifest.yaml -o report.html") &&
     strstr(h, "utf-16le"), "HTML: provenance has the digest, command line and encoding");
  ok(count(h, "<td class=\"evidence\">") == 3 &&
     count(h, "<details><summary>details</summary>") == 3,
     "HTML: each run's evidence is one line with its details folded (3 <details>)");
}

/* The sample as a reader sees it: the answer first, the facts, one
 * interval format, growth labelled as beyond the cycles. */
static void check_html_content(const char *h) {
  ok(strstr(h, "<section class=\"answer fixed\">\n<p class=\"answer-line\">Fixed: with "
                "mapi32.dll 6.5.7233.46 and CleanUpMAPIHeap=1 the leak of 40.0 KiB per "
                "load/unload is gone.</p>") != NULL,
     "HTML: the answer line comes first, in the 'fixed' style");
  ok(strstr(h, "<title>Fixed: with mapi32.dll 6.5.7233.46 and CleanUpMAPIHeap=1 the leak of "
                "40.0 KiB per load/unload is gone. (leakslope)</title>") != NULL,
     "HTML: the page title is the answer");
  ok(strstr(h, "<a href=\"https://support.microsoft.com/kb/901014\">KB901014</a>: Memory "
                "leaks when a program loads and unloads Mapi32.dll") != NULL,
     "HTML: the KB number links its article, then its title");
  ok(strstr(h, "<dt>Hosts</dt><dd>EXCH01</dd>") != NULL, "HTML: the host, from the counter path");
  ok(strstr(h, "<dt>Runs</dt><dd>2026-03-28 23:00:00\xe2\x80\x93" "2026-03-29 00:00:00 "
                "(UTC+01:00); 2026-03-29 08:00:00\xe2\x80\x93" "09:00:00, "
                "10:00:00\xe2\x80\x93" "11:30:00 UTC</dd>") != NULL,
     "HTML: run dates in the log's local time (bias -60; UTC where the zone is not known), "
     "each date and zone once");
  ok(strstr(h, "<dt>Report made</dt><dd>2026-03-30 12:00:00 UTC by leakslope 0.1.0</dd>") != NULL,
     "HTML: when the report was made");
  ok(!strstr(h, "class=\"alert\""), "HTML: no alert when every run agrees with the rules");
  ok(strstr(h, "mapi32.dll 6.5.7226.0 \xe2\x80\x94 older than 6.5.7233.46: hotfix absent; "
                "CleanUpMAPIHeap missing \xe2\x80\x94 needs DWORD 1<details>") &&
     strstr(h, "CleanUpMAPIHeap = 0 \xe2\x80\x94 needs DWORD 1") &&
     strstr(h, "CleanUpMAPIHeap = 1: as needed"),
     "HTML: evidence as one short line per run");
  ok(strstr(h, "40.0 KiB <span class=\"ci\">(95%: 39.8\xe2\x80\x93" "40.1 KiB)</span>") &&
     strstr(h, "(95%: \xe2\x88\x92" "30 to +35 B)") && !strstr(h, " to 41,101") &&
     !strstr(h, "(95%: -"),
     "HTML: intervals as 40.0 KiB (95%%: 39.8\xe2\x80\x93" "40.1 KiB), negatives with U+2212, "
     "across zero as \xe2\x88\x92" "30 to +35 B");
  ok(strstr(h, "<th>Growth beyond the cycles, per hour</th>") &&
     strstr(h, "1.17 KiB <span class=\"ci\">(95%: \xe2\x88\x92" "0.29 to +2.64 KiB) "
               "per hour</span>") && !strstr(h, "Growth per hour"),
     "HTML: growth per hour is labelled as growth beyond the cycles");
}

static void write_file(const char *dir, const char *name, const char *text);

/* A run with the whole fix that still leaks: the answer says so and an
 * alert says what to check. With out, the page is kept (the browser check
 * looks at it). */
static void check_contradiction(const char *out) {
  struct tree *t = sample_tree(NULL);
  struct tree *run = tree_at(tree_get(t, "runs"), 2);
  leak(run, 40000, 39800, 40200, "theil-sen");
  tree_set_str(run, "verdict", "leak");
  tree_set_bool(run, "consistent", false);
  struct tree *con = tree_get(t, "conclusion");
  tree_set_bool(con, "hotfix_effective", false);
  tree_push(tree_get(con, "contradictions"), tree_str("hotfix + CleanUpMAPIHeap=1"));
  struct report_input in = {t, NULL, 0, "none", NULL, false};
  char *h = render(1, &in), *m = render(0, &in);
  ok(strstr(h, "<section class=\"answer contradiction\">\n<p class=\"answer-line\">Not fixed: "
                "run &#39;hotfix + CleanUpMAPIHeap=1&#39; has mapi32.dll 6.5.7233.46 and "
                "CleanUpMAPIHeap=1, yet it still leaks 39.1 KiB per load/unload.</p>") != NULL,
     "contradiction: the answer line says the fixed run still leaks");
  ok(count(h, "<section class=\"alert\" role=\"alert\">") == 1 &&
     strstr(h, "Check that the process really loaded mapi32.dll 6.5.7233.46 or later") &&
     strstr(h, "that CleanUpMAPIHeap is DWORD 1 under HKEY_LOCAL_MACHINE"),
     "contradiction: one alert box with what to check");
  ok(in_order(h, (const char *const[]){"class=\"answer ", "class=\"alert\"",
                                       "<h2>Evidence: each run</h2>"}, 3) &&
     strstr(h, "<tr class=\"contradiction\">"),
     "contradiction: the alert sits under the answer, the run's row is marked");
  ok(strstr(m, "\n> [!CAUTION]\n> **Contradiction: run 'hotfix + CleanUpMAPIHeap=1'**") &&
     strstr(m, "**Not fixed: run 'hotfix + CleanUpMAPIHeap=1' has"),
     "contradiction: Markdown has the answer and a caution alert");
  if (out)
    write_file(out, "contradiction.html", h);
  free(h);
  free(m);
  tree_free(t);
}

static void check_md(const char *m, bool plots) {
  static const char *const order[] = {"# Is the fix effective?\n", "\n## Evidence: each run\n",
                                      "\n## Against the baseline\n", "\n## Plots\n",
                                      "\n## How each run was measured\n", "\n## Warnings\n",
                                      "\n## Provenance\n"};
  const char *const no_plots[] = {order[0], order[1], order[2], order[4], order[5], order[6]};
  ok(strncmp(m, order[0], strlen(order[0])) == 0 &&
     (plots ? in_order(m, order, 7) : in_order(m, no_plots, 6) && !strstr(m, "## Plots")),
     "Markdown: answer, evidence, comparisons, %smeasurement, warnings, provenance",
     plots ? "plots, " : "no plots section, ");
  ok(tables_aligned(m), "Markdown: every table row has its header's column count");
  ok(strstr(m, "| hotfix \\+ CleanUpMAPIHeap=1 |") == NULL &&
     strstr(m, "| hotfix + CleanUpMAPIHeap=1 | 2 B (95%: ") != NULL,
     "Markdown: a '+' inside a cell is left alone");
}

#define EVIL "_Total <script>alert(1)</script> | it's `x` system(\"touch PWNED\")\n" \
             "# heading [link](javascript:x) *b* &amp; 1. \xd0\x9f\xd1\x80\xd0\xbe"

static void check_hostile(void) {
  struct tree *t = sample_tree(EVIL);
  struct report_plot plots[1] = {{EVIL, "<svg/>", 6, "plots dir/run (1).svg", -1}};
  struct report_input in = {t, plots, 1, NULL, EVIL, true};
  char *h = render(1, &in), *m = render(0, &in);
  ok(!strstr(h, "<script") && count(h, "&lt;script&gt;alert(1)&lt;/script&gt;") >= 8,
     "HTML: <script> in a run name, counter, warning, conclusion, input and caption "
     "is text (%zu times)", count(h, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  ok(strstr(h, "it&#39;s `x` system(&quot;touch PWNED&quot;)") && strstr(h, "&amp;amp;") &&
     !strstr(h, "it's"), "HTML: ' \" & are escaped as &#39; &quot; &amp;");
  ok(strstr(h, "\xd0\x9f\xd1\x80\xd0\xbe") != NULL, "HTML: UTF-8 text passes unchanged");
  check_html(h, 1, NULL);
  ok(!strstr(h, "href=\"javascript") && strstr(h, "<dt>KB</dt><dd>KB901014: _Total &lt;script&gt;"),
     "HTML: a rules url that is not http(s) is not made a link");
  ok(!strstr(m, "<script") && strstr(m, "&lt;script&gt;alert(1)&lt;/script&gt;") &&
     strstr(m, "\\_Total") && strstr(m, "&lt;/script&gt; \\| it") &&
     strstr(m, "\\[link\\](javascript:x) \\*b\\* &amp;amp;"),
     "Markdown: < > & become entities; _ | [ ] * are backslash-escaped");
  ok(!strstr(m, "\n# heading") && !strstr(m, "\n1. "),
     "Markdown: a line break in a name cannot start a heading or a list");
  ok(strstr(m, "](plots%20dir/run%20%281%29.svg)") != NULL,
     "Markdown: a plot link's spaces and parentheses are percent-encoded");
  check_md(m, true);
  free(h);
  free(m);
  tree_free(t);
}

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  struct strbuf b;
  char buf[4096];
  size_t n;
  strbuf_init(&b);
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    strbuf_add(&b, buf, n);
  fclose(f);
  return strbuf_detach(&b);
}

static void write_file(const char *dir, const char *name, const char *text) {
  char *p = xasprintf("%s/%s", dir, name);
  FILE *f = fopen(p, "wb");
  if (f) {
    fputs(text, f);
    fclose(f);
  }
  free(p);
}

/* The Markdown of the sample without plots, against the golden file. */
static void check_golden(const char *md) {
  const char *src = getenv("abs_top_srcdir");
  char *path = src ? xasprintf("%s/tests/unit/report_sample.md", src) : NULL;
  char *want = path ? read_all(path) : NULL;
  if (!want) {
    ok(1, "# SKIP golden Markdown: %s not found", path ? path : "abs_top_srcdir unset");
  } else if (!ok(strcmp(md, want) == 0, "Markdown of the sample equals %s", path)) {
    printf("# refresh: tests/unit/test_report --write DIR && "
           "cp DIR/sample.md tests/unit/report_sample.md (review the diff)\n");
  }
  free(want);
  free(path);
}

#define GENERATED "2026-03-30T12:00:00.000000Z"

static void check_without_plots(const struct tree *t, const char *out) {
  const char *why = "gnuplot not found on PATH (install gnuplot, or set GNUPLOT to its path)";
  struct report_input in = {t, NULL, 0, why, GENERATED, false};
  char *h = render(1, &in), *m = render(0, &in);
  check_html(h, 0, NULL);
  check_html_content(h);
  check_md(m, false);
  ok(strstr(h, "No plots in this report: gnuplot not found on PATH") &&
     !strstr(m, "No plots") && !strstr(m, "shown in the HTML report"),
     "without plots the HTML says why; the Markdown has no placeholder section");
  ok(strstr(m, "**Fixed: with mapi32.dll 6.5.7233.46 and CleanUpMAPIHeap=1 the leak of "
                "40.0 KiB per load/unload is gone.**") &&
     strstr(m, "- KB: [KB901014](https://support.microsoft.com/kb/901014): Memory leaks") &&
     strstr(m, "- Hosts: EXCH01\n") && strstr(m, "- Report made: 2026-03-30 12:00:00 UTC\n"),
     "Markdown: the answer line first, the KB link, hosts and report time");
  check_golden(m);
  if (out)
    write_file(out, "sample.md", m);
  free(h);
  free(m);
  in.plots_asked = true;
  m = render(0, &in);
  ok(strstr(m, "\n## Plots\n\nNo plots in this report: gnuplot not found on PATH") != NULL,
     "Markdown: with --plots but no plots, it says why");
  free(m);
}

/* Real plots of three synthetic runs, kept in OUT/plots when writing. */
static void check_with_plots(const struct tree *t, const char *out) {
  char *why = NULL, *gnuplot = plot_find_gnuplot(&why);
  if (!gnuplot) {
    ok(1, "# SKIP report with plots: %s", why);
    free(why);
    return;
  }
  struct sample_run s[3];
  struct plot_run runs[3];
  sample_run_make(&s[0], &runs[0], "no hotfix", 300, 40960.5, 150, 0, 11);
  sample_run_make(&s[1], &runs[1], "hotfix only", 300, 39800, 900, 180, 12);
  sample_run_make(&s[2], &runs[2], "hotfix + CleanUpMAPIHeap=1", 300, 2.5, 33, 0, 13);
  struct plot_input pin = {runs, 3, 64};
  char *keep = out ? xasprintf("%s/plots", out) : NULL;
  struct plot_options opt = {gnuplot, keep, 0, 0};
  struct plot_set set;
  struct diag d;
  diag_init(&d);
  ok(plot_render(&pin, &opt, &set, &d) == 0 && set.count == 8,
     "8 plots for three runs%s%s", d.message ? ": " : "", d.message ? d.message : "");
  struct report_plot *plots = report_plots_from_set(&set, "plots");
  ok(set.count > 0 && strcmp(plots[0].href, "plots/run1-memory.svg") == 0 &&
     plots[0].svg == set.images[0].svg, "report_plots_from_set links plots/STEM.svg");
  struct report_input in = {t, plots, set.count, NULL, GENERATED, true};
  char *h = render(1, &in), *m = render(0, &in);
  check_html(h, set.count, set.count ? set.images[0].svg : NULL);
  ok(count(m, "](plots/") == set.count, "Markdown links every kept plot");
  /* the summary plots (run -1) come first; each run's are folded below */
  const char *summary = NULL, *own = NULL;
  struct strbuf b64;
  strbuf_init(&b64);
  for (size_t i = 0; i < set.count; i++) {
    const char **at = set.images[i].run < 0 ? &summary : &own;
    if (*at)
      continue;
    base64_encode(&b64, set.images[i].svg, set.images[i].svg_len);
    *at = strstr(h, b64.data);
    strbuf_reset(&b64);
  }
  strbuf_fini(&b64);
  const char *fold = strstr(h, "<details class=\"per-run\"><summary>Each run's own plots (6)");
  ok(summary && fold && own && summary < fold && fold < own,
     "HTML: the summary plots first, the six per-run plots folded in <details>");
  ok(in_order(m, (const char *const[]){"](plots/compare-", "\n<details>\n<summary>Each run's own plots (6)</summary>\n\n![",
                                       "](plots/run1-", "](plots/run3-", ")\n\n</details>\n"}, 5) &&
     count(m, "<details>") == 1 && !strstr(strstr(m, "<details>"), "](plots/compare-"),
     "Markdown: summary plots first, the six per-run plots folded in <details>");
  if (out) {
    write_file(out, "report.html", h);
    write_file(out, "report.md", m);
  }
  report_plots_free(plots, set.count);
  free(h);
  free(m);
  plot_set_fini(&set);
  diag_fini(&d);
  for (int i = 0; i < 3; i++)
    sample_run_free(&s[i]);
  free(keep);
  free(gnuplot);
}

/* Where a report links its plots folder from: relative to the report. */
static void check_link_dir(void) {
  static const char *const cases[][3] = {
      {"report.md", "plots", "plots"},          {"out/report.md", "plots", "../plots"},
      {"/a/b/r.md", "/a/c/plots", "../c/plots"}, {"r.md", "./x/../plots", "plots"},
      {"/a/b/r.md", "/a/b", "."},               {"-", "p d", "p d"},
      {"a/b/r.md", "a/plots", "../plots"}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *got = report_link_dir(cases[i][0], cases[i][1]);
    is_str(got, cases[i][2], "report %s links %s as %s", cases[i][0], cases[i][1], cases[i][2]);
    free(got);
  }
  char *got = report_link_dir(NULL, "plots");
  is_str(got, "plots", "a report on standard output links the folder as given");
  free(got);
}

static void check_provenance(void) {
  char path[] = "/tmp/lsprovXXXXXX";
  int fd = mkstemp(path);
  if (fd < 0 || write(fd, "abc", 3) != 3)
    ok(0, "temporary file for provenance");
  close(fd);
  struct tree *p = provenance_new("leakslope compare m.yaml");
  struct tree *in = provenance_add_file(p, path, "no hotfix", "counters");
  tree_set_str(in, "encoding", "utf-16le");
  provenance_add_file(p, "-", NULL, "events");
  provenance_add_file(p, "/nonexistent/x.csv", NULL, NULL);
  const struct tree *inputs = tree_get(p, "inputs");
  ok(strcmp(tree_get_str(tree_get(p, "tool")), "leakslope") == 0 &&
     strcmp(tree_get_str(tree_get(p, "version")), PACKAGE_VERSION) == 0 &&
     strcmp(tree_get_str(tree_get(p, "command_line")), "leakslope compare m.yaml") == 0,
     "provenance has tool, version and command line");
  const struct tree *a = tree_at(inputs, 0);
  ok(tree_len(inputs) == 3 && tree_get_num(tree_get(a, "size")) == 3 &&
     strcmp(tree_get_str(tree_get(a, "sha256")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0 &&
     strcmp(tree_get_str(tree_get(a, "encoding")), "utf-16le") == 0,
     "an input's size (3) and SHA-256 are of its bytes; the caller adds its encoding");
  const struct tree *b = tree_at(inputs, 1), *c = tree_at(inputs, 2);
  ok(strcmp(tree_get_str(tree_get(b, "name")), "<stdin>") == 0 &&
     tree_kind(tree_get(b, "sha256")) == TREE_NULL &&
     tree_kind(tree_get(c, "size")) == TREE_NULL && tree_get(c, "run") == NULL,
     "standard input and an unreadable file get null size and digest");
  unlink(path);
  tree_free(p);
}

int main(int argc, char **argv) {
  const char *out = argc == 3 && strcmp(argv[1], "--write") == 0 ? argv[2] : NULL;
  struct tree *t = sample_tree(NULL);
  check_without_plots(t, out);
  check_with_plots(t, out);
  check_hostile();
  check_contradiction(out);
  check_link_dir();
  check_provenance();
  if (out) {
    struct tree *e = sample_tree(EVIL);
    struct report_input in = {e, NULL, 0, "this is the hostile-names sample", NULL, false};
    char *h = render(1, &in);
    write_file(out, "hostile.html", h);
    free(h);
    tree_free(e);
  }
  tree_free(t);
  return tap_done();
}
