/* cmd_compare — `leakslope compare MANIFEST`: analyze every run of a
 * manifest with the analyze engine, judge each run's evidence against the
 * KB's rules, compare the runs with the baseline, draw the plots, and write
 * the report (JSON, YAML, Markdown or self-contained HTML). */
#include "config.h"
#include "analyze/analyze.h"
#include "cmd/commands.h"
#include "report/analysis_render.h"
#include "report/compare_plots.h"
#include "report/provenance.h"
#include "util/datadir.h"
#include "evidence/evidence.h"
#include "evidence/judge.h"
#include "evidence/manifest.h"
#include "util/outfile.h"
#include "report/report.h"
#include "evidence/rules.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OPT_OUTPUT = 1, OPT_FORMAT, OPT_PLOTS, OPT_FAIL_ON_LEAK, OPT_FORMATS };

static const struct cli_option compare_options[] = {
    {OPT_OUTPUT, "output", 'o', "FILE", "write to FILE atomically: .txt, .json, .yaml/.yml, .md, .html/.htm; - is stdout"},
    {OPT_FORMAT, "format", 'f', "FMT", "text, json, yaml, md or html (default: from -o, else text)"},
    {OPT_PLOTS, "plots", 0, "DIR", "keep every plot (PNG, SVG, gnuplot script and data) in DIR"},
    {OPT_FAIL_ON_LEAK, "fail-on-leak", 0, NULL, "exit 1 when a run the rules expect fixed measures leak"},
    {OPT_FORMATS, "formats", 0, "DIR", "folder of rules, trace layouts and counter aliases"},
    {0, NULL, 0, NULL, NULL}};

struct compare_cli {
  const char *manifest;
  const char *output;
  const char *format;
  const char *plots_dir;
  const char *formats_dir;
  bool fail_on_leak;
  bool quiet;
};

/* One run as compare keeps it. */
struct run_state {
  struct analysis a;
  struct analyze_detail detail;
};

/* The analyze options of run i, from the manifest (its run value, else the
 * top-level default), exactly as if given on analyze's command line. */
static int run_options(const struct manifest *m, size_t i, const struct evidence_set *e,
                       const struct compare_cli *c, struct analyze_options *o,
                       struct diag *d) {
  const struct manifest_run *run = &m->runs[i];
  analyze_options_init(o);
  o->module = e->rules->module ? e->rules->module : o->module;
  o->trace.formats_dir = c->formats_dir;
  o->logs = (const char **)run->counters;
  o->nlogs = run->ncounters;
  o->traces = (const char **)run->events;
  o->ntraces = run->nevents;
  if (manifest_apply_options(m, i, o, d) != 0)
    return -1;
  if (e->per_kinds) { /* every kind the rules name, fitted together */
    for (size_t k = 0; k < e->nkinds; k++)
      o->per[k] = e->kinds[k];
    o->nper = e->nkinds;
    o->given &= ~(1u << AOPT_MODULE); /* the first kind says whose `leak` */
  }
  if (o->nlogs == 0)
    return diag_set(d, DIAG_DATA, m->file, run->line, run->col,
                    "run '%s' has no counter log (expected a 'counters:' key)", run->name);
  return 0;
}

static int analyze_runs(const struct manifest *m, const struct evidence_set *e,
                        const struct compare_cli *c, struct run_state *rs,
                        struct diag *d) {
  for (size_t i = 0; i < m->nruns; i++) {
    struct analyze_options o;
    if (run_options(m, i, e, c, &o, d) != 0)
      return -1;
    if (analyze_run(&o, &rs[i].a, &rs[i].detail, d) != 0) {
      if (e->per_kinds && d->message && strstr(d->message, "--per ")) { /* from the rules */
        char *why = d->message, *file = d->file;
        d->message = d->file = NULL;
        diag_set(d, d->kind, file, d->line, d->col,
                 "run '%s', fitted on every kind of cycle the rules name: %s",
                 m->runs[i].name, why);
        free(why), free(file);
      }
      return -1;
    }
  }
  return 0;
}

/* Each run's measurement of each rule's kind and the module version its
 * trace showed, judged against the rules with the evidence. */
static void judge_runs(struct evidence_set *e, const struct run_state *rs, size_t n,
                       struct warnings *w) {
  const struct analysis **as = xcalloc(n ? n : 1, sizeof *as);
  for (size_t i = 0; i < n; i++)
    as[i] = &rs[i].a;
  evidence_judge_analyses(e, as, w);
  free(as);
}

/* When the run's samples were taken: the report's "run dates". */
static void add_span(struct tree *run, const struct analyze_detail *dt) {
  char buf[TIME_UTC_BUFSZ];
  tree_set(run, "first_utc", dt->n ? tree_str(time_format_utc(dt->t[0], buf)) : tree_null());
  tree_set(run, "last_utc", dt->n ? tree_str(time_format_utc(dt->t[dt->n - 1], buf)) : tree_null());
}

static struct tree *build_tree(const struct manifest *m, const struct evidence_set *e,
                               const struct run_state *rs, const struct warnings *w) {
  struct tree *t = tree_obj();
  tree_set_str(t, "schema", "leakslope/compare/1");
  struct tree *rt = tree_set(t, "rules", tree_obj());
  tree_set_str(rt, "id", e->rules->id);
  tree_set_str(rt, "title", e->rules->title);
  tree_set_str(rt, "file", e->rules->file);
  tree_set(rt, "url", e->rules->url ? tree_str(e->rules->url) : tree_null());
  if (e->nrules > 1)
    tree_set_str(rt, "kind", e->rules->kind);
  tree_set_str(t, "baseline", m->runs[m->baseline].name);
  struct tree *runs = tree_set(t, "runs", tree_arr());
  for (size_t i = 0; i < m->nruns; i++) {
    struct tree *run = tree_push(runs, analysis_to_tree(&rs[i].a));
    evidence_attach(e, i, run);
    add_span(run, &rs[i].detail);
  }
  evidence_finish(e, t);
  struct tree *warn = tree_set(t, "warnings", tree_arr());
  for (size_t i = 0; i < w->count; i++)
    tree_push(warn, tree_str(w->items[i].message));
  return t;
}

/* Everything a report is written from. */
struct report_output {
  enum out_format format;
  const struct tree *t;
  const struct compare_plots *plots;
  const struct manifest *m;
  const struct run_state *rs;
  const char *conclusion;
  const char *report; /* -o FILE, for the summary's last line; NULL */
  const char *generated_utc; /* when the report was made */
  bool plots_asked;          /* --plots */
};

/* When the report is made: $SOURCE_DATE_EPOCH when set (reproducible
 * builds and tests), else now. */
static char *report_time(char *buf) {
  const char *e = getenv("SOURCE_DATE_EPOCH");
  char *end = NULL;
  long long secs = e && *e ? strtoll(e, &end, 10) : 0;
  if (!e || !*e || *end || secs < 0)
    secs = (long long)time(NULL);
  return time_format_utc((usec_t)secs * USEC_PER_SEC, buf);
}

/* Text: each run's verdict sentence, then the conclusion. */
static int write_summary(struct outfile *o, void *ctx) {
  const struct report_output *r = ctx;
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < r->m->nruns; i++) {
    const struct analysis *a = &r->rs[i].a;
    char *s = analysis_sentence(a);
    rc = outfile_printf(o, "%s: %s%s.\n", r->m->runs[i].name, s,
                        a->slope_changed ? " (after the leak per cycle changed "
                                           "during the run)" : "");
    free(s);
    for (size_t k = 0; rc == 0 && a->per_kinds && k < a->nkinds; k++) {
      char *line = analysis_kind_sentence(a, k);
      rc = outfile_printf(o, "  %s\n", line);
      free(line);
    }
  }
  if (rc == 0)
    rc = outfile_printf(o, "\nConclusion: %s\n", r->conclusion ? r->conclusion : "-");
  if (rc == 0 && r->report)
    rc = outfile_printf(o, "Report: %s\n", r->report);
  return rc;
}

static int write_report(struct outfile *o, void *ctx) {
  const struct report_output *r = ctx;
  FILE *f = outfile_stream(o);
  struct report_input ri = {r->t, r->plots->items, r->plots->count, r->plots->why_none,
                            r->generated_utc, r->plots_asked};
  switch (r->format) {
  case OUT_JSON: return tree_write_json(r->t, f);
  case OUT_YAML: return tree_write_yaml(r->t, f);
  case OUT_MD: return report_write_md(&ri, f);
  case OUT_HTML: return report_write_html(&ri, f);
  default: {
    struct report_output text = *r;
    text.report = NULL; /* the file is the summary */
    return write_summary(o, &text);
  }
  }
}

static int parse_args(const struct command *cmd, int argc, char **argv, struct compare_cli *c) {
  struct cli_parser p;
  cli_parser_init(&p, cmd, argc, argv);
  int id, status = -1;
  while (status < 0 && (id = cli_next_option(&p)) > 0) {
    switch (id) {
    case OPT_OUTPUT: c->output = p.arg; break;
    case OPT_FORMAT: c->format = p.arg; break;
    case OPT_PLOTS: c->plots_dir = p.arg; break;
    case OPT_FAIL_ON_LEAK: c->fail_on_leak = true; break;
    case OPT_FORMATS: c->formats_dir = p.arg; break;
    default: break;
    }
  }
  if (status < 0 && id == CLI_DONE_EXIT)
    status = p.status;
  c->quiet = p.quiet;
  int first = cli_operand_index(&p);
  cli_parser_fini(&p);
  if (status >= 0)
    return status;
  if (!cli_operands(cmd, "MANIFEST.yaml", argc, argv, first, 1, 1))
    return EXIT_USAGE;
  c->manifest = argv[first];
  return -1;
}

static void add_provenance(struct tree *t, const struct compare_cli *c,
                           const struct manifest *m, const struct evidence_set *e,
                           const struct run_state *rs) {
  const char **names = xcalloc(m->nruns, sizeof *names);
  const struct analysis **as = xcalloc(m->nruns, sizeof *as);
  const char **extra = xcalloc(m->nruns, sizeof *extra);
  for (size_t i = 0; i < m->nruns; i++) {
    names[i] = m->runs[i].name;
    as[i] = &rs[i].a;
    extra[i] = m->runs[i].registry; /* the .reg files: "evidence" */
  }
  provenance_add_runs(t, cli_command_line(), extra, m->nruns, names, as, m->nruns);
  struct tree *p = tree_get(t, "provenance");
  provenance_add_file(p, c->manifest, NULL, "manifest");
  for (size_t k = 0; k < e->nrules; k++)
    provenance_add_file(p, e->rule[k].rules->file, NULL, "rules");
  free(names);
  free(as);
  free(extra);
}

static void make_plots(struct compare_plots *plots, const struct compare_cli *c,
                       enum out_format format, const struct manifest *m,
                       const struct run_state *rs) {
  const char **names = xcalloc(m->nruns, sizeof *names);
  const struct analysis **as = xcalloc(m->nruns, sizeof *as);
  const struct analyze_detail **ds = xcalloc(m->nruns, sizeof *ds);
  for (size_t i = 0; i < m->nruns; i++) {
    names[i] = m->runs[i].name;
    as[i] = &rs[i].a;
    ds[i] = &rs[i].detail;
  }
  /* HTML embeds its plots; Markdown can only link kept ones */
  bool want = format == OUT_HTML || c->plots_dir;
  char *href = c->plots_dir ? report_link_dir(c->output, c->plots_dir) : NULL;
  compare_plots_make(plots, names, as, ds, m->nruns, want, c->plots_dir, href);
  free(href);
  free(names);
  free(as);
  free(ds);
}

/* A run's own warnings, each naming the run: without it the same warning
 * from two runs reads as one repeated. */
static void print_run_warnings(const struct manifest *m, const struct run_state *rs,
                               bool quiet) {
  for (size_t i = 0; !quiet && m && i < m->nruns; i++) {
    const struct warnings *w = &rs[i].a.warnings;
    for (size_t k = 0; k < w->count; k++) {
      const struct warning *it = &w->items[k];
      fprintf(stderr, "leakslope: warning: ");
      if (it->file && it->line > 0)
        fprintf(stderr, "%s:%ld: ", it->file, it->line);
      else if (it->file)
        fprintf(stderr, "%s: ", it->file);
      fprintf(stderr, "run '%s': %s\n", m->runs[i].name, it->message);
    }
  }
}

/* Report, summary, exit status: everything after the runs were judged. */
static int finish(const struct compare_cli *c, enum out_format format, const struct manifest *m,
                  const struct evidence_set *e, const struct run_state *rs,
                  struct warnings *w) {
  struct tree *t = build_tree(m, e, rs, w);
  add_provenance(t, c, m, e, rs);
  struct compare_plots plots;
  make_plots(&plots, c, format, m, rs);
  print_run_warnings(m, rs, c->quiet);
  cli_print_warnings(w, c->quiet);
  /* the report, then, when it went to a file, the summary on stdout */
  char made[TIME_UTC_BUFSZ];
  struct report_output r = {format, t, &plots, m, rs, e->text, c->output,
                            report_time(made), c->plots_dir != NULL};
  struct diag d;
  diag_init(&d);
  int status = outfile_save(c->output, write_report, &r, &d) == 0 ? EXIT_OK : cli_fail(&d);
  if (status == EXIT_OK && c->output && outfile_save(NULL, write_summary, &r, &d) != 0)
    status = cli_fail(&d);
  diag_fini(&d);
  if (status == EXIT_OK && c->plots_dir && plots.failed) {
    fprintf(stderr, "leakslope: no plots: %s\n", plots.why_none);
    status = plots.cantcreat ? EXIT_CANTCREAT : EXIT_UNAVAILABLE;
  }
  if (status == EXIT_OK && c->fail_on_leak && e->fixed_run_leaks)
    status = EXIT_LEAK;
  compare_plots_fini(&plots);
  tree_free(t);
  return status;
}

static int compare(const struct compare_cli *c, enum out_format format) {
  struct diag d;
  struct warnings w;
  struct evidence_set e;
  diag_init(&d);
  warnings_init(&w);
  memset(&e, 0, sizeof e);
  int status;
  struct manifest *m = manifest_load(c->manifest, &d);
  struct run_state *rs = m ? xcalloc(m->nruns ? m->nruns : 1, sizeof *rs) : NULL;
  for (size_t i = 0; m && i < m->nruns; i++)
    analysis_init(&rs[i].a);
  if (!m || evidence_load(&e, m, &w, &d) != 0 || analyze_runs(m, &e, c, rs, &d) != 0) {
    print_run_warnings(m, rs, c->quiet);
    status = cli_fail(&d);
  } else {
    judge_runs(&e, rs, m->nruns, &w);
    status = finish(c, format, m, &e, rs, &w);
  }
  for (size_t i = 0; m && i < m->nruns; i++) {
    analysis_fini(&rs[i].a);
    analyze_detail_fini(&rs[i].detail);
  }
  free(rs);
  if (m)
    evidence_fini(&e);
  manifest_free(m);
  warnings_fini(&w);
  diag_fini(&d);
  return status;
}

static int run_compare(const struct command *cmd, int argc, char **argv) {
  struct compare_cli c;
  memset(&c, 0, sizeof c);
  int status = parse_args(cmd, argc, argv, &c);
  if (status >= 0)
    return status;
  if (c.output && strcmp(c.output, "-") == 0)
    c.output = NULL; /* -o -: standard output, as without -o */
  int format = cli_output_format(cmd, NULL, c.format, c.output,
                                 OUT_SET(OUT_TEXT) | OUT_SET(OUT_JSON) | OUT_SET(OUT_YAML) |
                                     OUT_SET(OUT_MD) | OUT_SET(OUT_HTML));
  if (format < 0)
    return EXIT_USAGE;
  if (c.formats_dir)
    datadir_set_formats(c.formats_dir);
  return compare(&c, (enum out_format)format);
}

const struct command cmd_compare = {
    .name = "compare",
    .run = run_compare,
    .summary = "Judge several runs against a KB's rules: does the fix work?",
    .usage = "[OPTIONS] MANIFEST.yaml",
    .description =
        "Analyzes every run the manifest lists (counter logs, traces, process, module,\n"
        "and any analyze option), reads each run's evidence (module file version,\n"
        "registry values inline or from a `reg export` file) and judges it against the\n"
        "rules file the manifest names (formats/rules/NAME.yaml): what each run should\n"
        "show, whether it does, how much each run leaks less than the baseline, and\n"
        "whether the hotfix and the registry setting are effective. A manifest may name\n"
        "several rules (rules: [kb891509, kb901014]), each about its own kind of cycle\n"
        "(per logon, per load/unload): every run is then fitted on all the kinds and\n"
        "each rule judged on its own, and the conclusion says which fix removed which\n"
        "leak; kinds that move in step in a run are reported so. Plots need gnuplot;\n"
        "without it the report is still written, and --plots then exits 69 (73 when\n"
        "DIR cannot be written). MANIFEST '-' is read from standard input; its\n"
        "files are then found from the current folder.",
    .options = compare_options,
};
