/* cmd_scan — `leakslope scan LOG... [-e TRACE]`: which process leaks? Every
 * process of the log (or of its rolled-over files, merged) ranked by growth
 * (analyze/scan), as a text table of the top ones, JSON/YAML
 * (leakslope/scan/1) or a page, with the `analyze` command to run next on
 * the first one that grows. */
#include "config.h"
#include "analyze/scan.h"
#include "cmd/commands.h"
#include "report/provenance.h"
#include "report/scan_html.h"
#include "util/bytefmt.h"
#include "util/datadir.h"
#include "util/outfile.h"
#include "util/tree.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OPT_EVENTS = 1, OPT_FORMAT, OPT_OUTPUT, OPT_TOP, OPT_HOUR_TOL, OPT_HANDLE_TOL };

static const struct cli_option scan_options[] = {
    {OPT_EVENTS, "events", 'e', "TRACE",
     "load/unload trace of the same time (repeat for several files): every module "
     "a process loads is fitted per cycle"},
    {OPT_TOP, "top", 'n', "N", "rows of the text table (default 10); in JSON/YAML, "
                               "every process unless given"},
    {OPT_FORMAT, "format", 'f', "FMT", "text, json, yaml or html (default: from -o's extension, else text)"},
    {OPT_OUTPUT, "output", 'o', "FILE", "write to FILE atomically: .txt, .json, .yaml, .yml or .html (the top growers as small multiples); - is stdout"},
    CLI_SHARED(AOPT_TOLERANCE),
    {OPT_HOUR_TOL, "hour-tolerance", 0, "BYTES",
     "growth per hour that still counts as none (default 1M = 1 MiB)"},
    {OPT_HANDLE_TOL, "handle-tolerance", 0, "N",
     "handles per hour that still count as none (default 10)"},
    CLI_SHARED(AOPT_FROM),
    CLI_SHARED(AOPT_TO),
    CLI_SHARED(AOPT_ENCODING),
    CLI_SHARED(AOPT_BIAS),
    CLI_SHARED(AOPT_UTC),
    CLI_SHARED(AOPT_TZ),
    CLI_TRACE_READER_OPTIONS,
    {0, NULL, 0, NULL, NULL}};

#define SCAN_FORMATS \
  (OUT_SET(OUT_TEXT) | OUT_SET(OUT_JSON) | OUT_SET(OUT_YAML) | OUT_SET(OUT_HTML))

struct scan_cli {
  struct scan_options o;
  const char *format, *output;
  long top;
  bool top_given, quiet;
  const char **logs, **traces;
  size_t nlogs, ntraces;
  int argc;
  char **argv;
};

static void push(const char ***list, size_t *n, const char *s) {
  *list = xreallocarray(*list, *n + 1, sizeof **list);
  (*list)[(*n)++] = s;
}

/* BYTES: a number with an optional K, M, G or T (1024-based). */
static bool parse_size(const struct command *cmd, const char *opt, const char *s, double *out) {
  size_t n = strlen(s);
  double scale = 1;
  const char *units = "KMGT", *u = n ? strchr(units, s[n - 1] == 'k' ? 'K' : s[n - 1]) : NULL;
  char *num = xstrdup(s);
  if (u && *u) {
    num[n - 1] = '\0';
    for (const char *p = units; p <= u; p++)
      scale *= 1024;
  }
  bool ok = cli_parse_double(cmd, opt, num, out);
  free(num);
  if (ok && *out < 0) {
    cli_usage_error(cmd, "--%s wants a number not below 0, not '%s'", opt, s);
    ok = false;
  }
  *out *= scale;
  return ok;
}

static bool take_option(const struct command *cmd, int id, const char *arg, struct scan_cli *c) {
  switch (id) {
  case OPT_EVENTS: push(&c->traces, &c->ntraces, arg); return true;
  case OPT_FORMAT: c->format = arg; return true;
  case OPT_OUTPUT: c->output = arg; return true;
  case OPT_TOP:
    if (!cli_parse_long(cmd, "top", arg, &c->top))
      return false;
    if (c->top < 1) {
      cli_usage_error(cmd, "--top wants a number of rows of at least 1, not '%s'", arg);
      return false;
    }
    c->top_given = true;
    return true;
  case OPT_HOUR_TOL: return parse_size(cmd, "hour-tolerance", arg, &c->o.hour_tolerance);
  case OPT_HANDLE_TOL:
    if (!cli_parse_double(cmd, "handle-tolerance", arg, &c->o.handle_tolerance))
      return false;
    if (c->o.handle_tolerance < 0) {
      cli_usage_error(cmd, "--handle-tolerance wants a number not below 0, not '%s'", arg);
      return false;
    }
    return true;
  default: return true;
  }
}

/* ---- the next command ------------------------------------------------------ */

/* s as one shell word for a person to paste: bare when plainly safe, else
 * single-quoted with ' written '\''. Control characters become '?': the
 * line is printed, never run. */
static void shell_word(struct strbuf *b, const char *s) {
  bool bare = *s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                              "._-/#:+=,@%") == strlen(s) &&
              s[0] != '#'; /* a word that starts a comment */
  if (bare) {
    strbuf_adds(b, s);
    return;
  }
  strbuf_addc(b, '\'');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '\'')
      strbuf_adds(b, "'\\''");
    else
      strbuf_addc(b, *p < 0x20 || *p == 0x7f ? '?' : (char)*p);
  }
  strbuf_addc(b, '\'');
}

/* The reader options given to scan, which analyze needs the same. */
static bool passes_on(const char *arg, bool *takes_value) {
  static const char *const flags[] = {"encoding", "bias", "tz", "trace-format", "date",
                                      "date-order", "tz-offset", "clock-offset", "formats",
                                      "from", "to"};
  *takes_value = true;
  if (!strcmp(arg, "--utc")) {
    *takes_value = false;
    return true;
  }
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
    size_t n = strlen(flags[i]);
    if (!strncmp(arg, "--", 2) && !strncmp(arg + 2, flags[i], n) &&
        (arg[2 + n] == '\0' || arg[2 + n] == '=')) {
      *takes_value = arg[2 + n] == '\0';
      return true;
    }
  }
  return false;
}

static char *next_command(const struct scan_cli *c, const struct scan_process *p) {
  struct strbuf b;
  strbuf_init(&b);
  strbuf_adds(&b, "leakslope analyze -p ");
  shell_word(&b, p->process);
  if (p->has_leak && p->leak.verdict == VERDICT_LEAK) {
    for (size_t i = 0; i < c->ntraces; i++) {
      strbuf_adds(&b, " -e ");
      shell_word(&b, c->traces[i]);
    }
    strbuf_adds(&b, " -m ");
    shell_word(&b, p->leak.module);
  }
  if (p->mem.have && p->mem.name && strcmp(p->mem.name, "Private Bytes") != 0) {
    strbuf_adds(&b, " -c ");
    shell_word(&b, p->mem.name);
  }
  for (int i = 1; i < c->argc; i++) {
    bool value;
    if (!passes_on(c->argv[i], &value))
      continue;
    strbuf_addc(&b, ' ');
    shell_word(&b, c->argv[i]);
    if (value && i + 1 < c->argc) {
      strbuf_addc(&b, ' ');
      shell_word(&b, c->argv[++i]);
    }
  }
  for (size_t i = 0; i < c->nlogs; i++) {
    strbuf_addc(&b, ' ');
    shell_word(&b, c->logs[i]);
  }
  return strbuf_detach(&b);
}

/* The first process that grows: what to look at next. */
static const struct scan_process *first_grower(const struct scan_result *r) {
  for (size_t i = 0; i < r->nprocs; i++)
    if (r->procs[i].verdict == VERDICT_LEAK)
      return &r->procs[i];
  return NULL;
}

/* ---- JSON and YAML ---------------------------------------------------------- */

static struct tree *growth_tree(const struct scan_growth *g, const char *per) {
  if (!g->have)
    return tree_null();
  struct tree *t = tree_obj();
  tree_set_num(t, per, g->slope + 0.0);
  tree_set(t, "ci95", tree_interval(g->lo, g->hi));
  tree_set_str(t, "verdict", verdict_name(g->verdict));
  tree_set_str(t, "reason", g->reason);
  tree_set_num(t, "warmup_hours", g->warmup_hours);
  return t;
}

static struct tree *leak_tree(const struct scan_process *p) {
  if (!p->has_leak)
    return tree_null();
  const struct analysis *a = &p->leak;
  struct tree *t = tree_obj();
  tree_set_str(t, "module", a->module);
  tree_set_num(t, "bytes_per_cycle", a->leak + 0.0);
  tree_set(t, "ci95", tree_interval(a->leak_lo, a->leak_hi));
  tree_set_str(t, "verdict", verdict_name(a->verdict));
  tree_set_str(t, "reason", a->reason);
  tree_set_str(t, "method", a->method);
  tree_set_int(t, "cycles", (long long)a->cycles);
  tree_set_bool(t, "separable", a->separable);
  struct tree *g = tree_set(t, "time_growth", tree_obj());
  tree_set_num(g, "bytes_per_hour", a->growth + 0.0);
  tree_set(g, "ci95", tree_interval(a->growth_lo, a->growth_hi));
  tree_set(t, "warnings", tree_of_warnings(&a->warnings, false));
  return t;
}

static struct tree *process_tree(const struct scan_cli *c, const struct scan_process *p,
                                 size_t rank) {
  struct tree *t = tree_obj();
  tree_set_int(t, "rank", (long long)rank);
  tree_set_str(t, "process", p->process);
  struct tree *pids = tree_set(t, "pids", tree_arr());
  for (size_t k = 0; k < p->npids; k++)
    tree_push(pids, tree_int(p->pids[k]));
  tree_set_str(t, "counter", p->mem.have ? p->mem.counter : NULL);
  tree_set_int(t, "samples", (long long)p->samples);
  tree_set(t, "time_growth", growth_tree(&p->mem, "bytes_per_hour"));
  tree_set(t, "leak", leak_tree(p));
  if (p->has_leak && p->leak.verdict != VERDICT_NONE)
    tree_set_int(t, "warmup_cycles", (long long)p->leak.warmup_cycles);
  else
    tree_set_null(t, "warmup_cycles");
  tree_set_int(t, "lifetimes", p->lifetimes);
  tree_set_int(t, "restarts", p->lifetimes > 1 ? p->lifetimes - 1 : 0);
  tree_set_str(t, "lifetimes_from", p->lifetimes_from);
  tree_set(t, "handles", growth_tree(&p->handles, "handles_per_hour"));
  struct tree *o = tree_set(t, "other_counters", tree_arr());
  for (size_t k = 0; k < p->nothers; k++) {
    struct tree *g = tree_push(o, tree_obj());
    tree_set_str(g, "counter", p->others[k].counter);
    tree_set_num(g, "bytes_per_hour", p->others[k].slope + 0.0);
    tree_set(g, "ci95", tree_interval(p->others[k].lo, p->others[k].hi));
  }
  tree_set_str(t, "grows_by", p->grows_by);
  tree_set_str(t, "verdict", verdict_name(p->verdict));
  tree_set_str(t, "reason", p->reason);
  char *next = next_command(c, p);
  tree_set_str(t, "analyze_command", next);
  free(next);
  return t;
}

static size_t shown(const struct scan_cli *c, const struct scan_result *r, bool text) {
  if (!text && !c->top_given)
    return r->nprocs;
  size_t top = (size_t)(c->top_given ? c->top : 10);
  return r->nprocs < top ? r->nprocs : top;
}

/* --from/--to as UTC, null when not given; the whole window null without either. */
static struct tree *window_tree(const struct scan_result *r) {
  if (r->from == INT64_MIN && r->to == INT64_MAX)
    return tree_null();
  struct tree *t = tree_obj();
  char b[TIME_UTC_BUFSZ];
  if (r->from == INT64_MIN)
    tree_set_null(t, "from_utc");
  else
    tree_set_str(t, "from_utc", time_format_utc(r->from, b));
  if (r->to == INT64_MAX)
    tree_set_null(t, "to_utc");
  else
    tree_set_str(t, "to_utc", time_format_utc(r->to, b));
  return t;
}

static struct tree *scan_tree(const struct scan_cli *c, const struct scan_result *r) {
  struct tree *t = tree_obj();
  tree_set_str(t, "schema", "leakslope/scan/1");
  tree_set_str(t, "counters_file", c->logs[0]);
  struct tree *cf = tree_set(t, "counters_files", tree_arr());
  for (size_t i = 0; i < c->nlogs; i++)
    tree_push(cf, tree_str(c->logs[i]));
  struct tree *ef = tree_set(t, "events_files", tree_arr());
  for (size_t i = 0; i < c->ntraces; i++)
    tree_push(ef, tree_str(c->traces[i]));
  tree_set(t, "window", window_tree(r));
  tree_set_int(t, "rows", (long long)r->rows);
  tree_set_int(t, "columns", (long long)r->columns);
  tree_set_int(t, "sampled_every", (long long)r->stride);
  tree_set_int(t, "pairs_fitted", (long long)r->pairs);
  tree_set_num(t, "tolerance_bytes_per_cycle", c->o.a.tolerance);
  tree_set_num(t, "tolerance_bytes_per_hour", c->o.hour_tolerance);
  tree_set_num(t, "tolerance_handles_per_hour", c->o.handle_tolerance);
  tree_set_int(t, "process_count", (long long)r->nprocs);
  struct tree *ps = tree_set(t, "processes", tree_arr());
  size_t n = shown(c, r, false);
  for (size_t i = 0; i < n; i++)
    tree_push(ps, process_tree(c, &r->procs[i], i + 1));
  const struct scan_process *next = first_grower(r);
  char *cmd = next ? next_command(c, next) : NULL;
  tree_set_str(t, "next_command", cmd);
  free(cmd);
  tree_set(t, "warnings", tree_of_warnings(&r->run.warnings, false));
  tree_set(t, "diagnostics", tree_of_warnings(&r->run.warnings, true));
  const struct analysis *runs[1] = {&r->run};
  provenance_add_runs(t, cli_command_line(), NULL, 0, NULL, runs, 1);
  return t;
}

/* ---- text ------------------------------------------------------------------- */

static void signed_bytes(double v, const char *per, char *buf, size_t cap) {
  char b[48];
  format_bytes(fabs(v), b, sizeof b);
  snprintf(buf, cap, "%s%s%s", v < 0 ? "-" : "+", b, per);
}

static void cell_growth(const struct scan_growth *g, char *buf, size_t cap) {
  if (!g->have || isnan(g->slope)) {
    snprintf(buf, cap, "-");
    return;
  }
  char v[64], ci[96];
  signed_bytes(g->slope, "/h", v, sizeof v);
  if (isnan(g->lo) || isnan(g->hi))
    snprintf(buf, cap, "%s", v);
  else {
    format_bytes_range(g->lo, g->hi, ci, sizeof ci);
    snprintf(buf, cap, "%s (%s)", v, ci);
  }
}

static void cell_leak(const struct scan_process *p, char *buf, size_t cap) {
  const struct analysis *a = &p->leak;
  if (!p->has_leak || isnan(a->leak)) {
    snprintf(buf, cap, "-");
    return;
  }
  char v[64], ci[96] = "";
  signed_bytes(a->leak, "", v, sizeof v);
  if (!isnan(a->leak_lo) && !isnan(a->leak_hi))
    format_bytes_range(a->leak_lo, a->leak_hi, ci, sizeof ci);
  snprintf(buf, cap, "%s %s%s%s%s", a->module, v, *ci ? " (" : "", ci, *ci ? ")" : "");
}

static void cell_verdict(const struct scan_process *p, char *buf, size_t cap) {
  const char *v = verdict_name(p->verdict);
  char extra[64] = "";
  if (p->grows_by && !strcmp(p->grows_by, "cycles"))
    snprintf(extra, sizeof extra, " per cycle");
  else if (p->grows_by && !strcmp(p->grows_by, "time"))
    snprintf(extra, sizeof extra, " by time");
  else if (p->grows_by)
    snprintf(extra, sizeof extra, " (cycles or time?)");
  if (p->handles.have && p->handles.verdict == VERDICT_LEAK)
    snprintf(extra + strlen(extra), sizeof extra - strlen(extra), ", handles");
  snprintf(buf, cap, "%s%s%s%s", v, extra, p->reason ? ": " : "", p->reason ? p->reason : "");
}

static void cell_handles(const struct scan_growth *g, char *buf, size_t cap) {
  if (!g->have || isnan(g->slope))
    snprintf(buf, cap, "-");
  else
    snprintf(buf, cap, "%+.1f/h", g->slope + 0.0);
}

static void write_text(const struct scan_cli *c, const struct scan_result *r, FILE *f) {
  fprintf(f, "Scanned %s", c->logs[0]);
  for (size_t i = 1; i < c->nlogs; i++)
    fprintf(f, "%s%s", i + 1 == c->nlogs ? " and " : ", ", c->logs[i]);
  fprintf(f, ": %zu process%s, %zu row%s", r->nprocs, r->nprocs == 1 ? "" : "es", r->rows,
          r->rows == 1 ? "" : "s");
  if (r->from != INT64_MIN || r->to != INT64_MAX) {
    char a[TIME_UTC_BUFSZ], b[TIME_UTC_BUFSZ];
    fprintf(f, " from %s to %s", r->from == INT64_MIN ? "the start" : time_format_utc(r->from, a),
            r->to == INT64_MAX ? "the end" : time_format_utc(r->to, b));
  }
  if (r->stride > 1 && r->nprocs > 0)
    fprintf(f, " (every %zu%s row kept for growth per hour)", r->stride,
            r->stride == 2 ? "nd" : "th");
  if (c->ntraces)
    fprintf(f, "; %zu (process, module) pair%s fitted per cycle from %s", r->pairs,
            r->pairs == 1 ? "" : "s", c->traces[0]);
  fprintf(f, ".\n");
  size_t n = shown(c, r, true);
  if (n == 0) {
    fprintf(f, "No process counters to rank.\n");
    return;
  }
  fprintf(f, "\n%3s  %-20s %-8s %-3s %-14s %-34s %-38s %-9s %s\n", "#", "process", "pid",
          "rs", "counter", "total per hour (95%)", "leak per cycle (95%)", "handles",
          "verdict");
  for (size_t i = 0; i < n; i++) {
    const struct scan_process *p = &r->procs[i];
    char pid[24] = "-", g[192], l[256], h[32], v[160];
    if (p->npids)
      snprintf(pid, sizeof pid, "%lld%s", (long long)p->pids[p->npids - 1],
               p->npids > 1 ? "+" : "");
    cell_growth(&p->mem, g, sizeof g);
    cell_leak(p, l, sizeof l);
    cell_handles(&p->handles, h, sizeof h);
    cell_verdict(p, v, sizeof v);
    fprintf(f, "%3zu  %-20s %-8s %-3d %-14s %-34s %-38s %-9s %s\n", i + 1, p->process, pid,
            p->lifetimes > 1 ? p->lifetimes - 1 : 0, p->mem.have ? p->mem.name : "-", g, l,
            h, v);
  }
  if (n < r->nprocs)
    fprintf(f, "(%zu more; --top N shows more)\n", r->nprocs - n);
  const struct scan_process *next = first_grower(r);
  if (!next) {
    char b[48];
    format_bytes(c->o.hour_tolerance, b, sizeof b);
    fprintf(f, "\nNo process grows beyond the tolerance (%s per hour): nothing to analyze "
               "next.\n", b);
    return;
  }
  char *cmd = next_command(c, next);
  fprintf(f, "\nNext: %s grows %s; measure it with\n  %s\n", next->process,
          next->grows_by && !strcmp(next->grows_by, "cycles") ? "with each cycle of its module"
          : next->grows_by && !strcmp(next->grows_by, "time") ? "by the hour"
                                                               : "with its cycles or by the hour",
          cmd);
  if (!c->ntraces)
    fprintf(f, "(give it a load/unload trace with -e TRACE -m MODULE to measure the leak per "
               "cycle)\n");
  free(cmd);
}

static int write_html(const struct scan_cli *c, const struct scan_result *r, FILE *f) {
  const struct scan_process *g = first_grower(r);
  char *next = g ? next_command(c, g) : NULL;
  char made[TIME_UTC_BUFSZ];
  time_format_utc((usec_t)time(NULL) * USEC_PER_SEC, made);
  struct scan_page pg = {r, (const char *const *)c->logs, c->nlogs, c->traces, c->ntraces, shown(c, r, true), next,
                         cli_command_line(), made};
  int rc = scan_write_html(&pg, f);
  free(next);
  return rc;
}

struct scan_output {
  const struct scan_cli *c;
  const struct scan_result *r;
  enum out_format format;
};

static int write_result(struct outfile *o, void *ctx) {
  const struct scan_output *s = ctx;
  FILE *f = outfile_stream(o);
  if (s->format == OUT_TEXT) {
    write_text(s->c, s->r, f);
    return 0;
  }
  if (s->format == OUT_HTML)
    return write_html(s->c, s->r, f);
  struct tree *t = scan_tree(s->c, s->r);
  int rc = s->format == OUT_JSON ? tree_write_json(t, f) : tree_write_yaml(t, f);
  tree_free(t);
  return rc;
}

/* ---- the command -------------------------------------------------------------- */

static int parse_args(const struct command *cmd, int argc, char **argv, struct scan_cli *c) {
  struct cli_parser p;
  cli_parser_init(&p, cmd, argc, argv);
  p.analysis = &c->o.a;
  int id, status = -1;
  while ((id = cli_next_option(&p)) > 0)
    if (!take_option(cmd, id, p.arg, c)) {
      status = EXIT_USAGE;
      break;
    }
  if (id == CLI_DONE_EXIT)
    status = p.status;
  c->quiet = p.quiet;
  for (int i = cli_operand_index(&p); status < 0 && i < argc; i++)
    push(&c->logs, &c->nlogs, argv[i]);
  cli_parser_fini(&p);
  if (status < 0 && c->nlogs == 0 && !cli_operands(cmd, "LOG", 0, NULL, 0, 1, -1))
    status = EXIT_USAGE;
  if (status < 0 && (!cli_stdin_once(cmd, "LOG", c->logs, c->nlogs, "-e", c->traces,
                                      c->ntraces) ||
                      !cli_logs_once(cmd, c->logs, c->nlogs) ||
                      !cli_traces_once(cmd, c->traces, c->ntraces)))
    status = EXIT_USAGE;
  return status;
}

static int run_scan(const struct command *cmd, int argc, char **argv) {
  struct scan_cli c;
  memset(&c, 0, sizeof c);
  scan_options_init(&c.o);
  c.argc = argc;
  c.argv = argv;
  int status = parse_args(cmd, argc, argv, &c);
  int format = status < 0 ? cli_output_format(cmd, NULL, c.format, c.output, SCAN_FORMATS) : -1;
  if (status < 0 && format < 0)
    status = EXIT_USAGE;
  if (status < 0) {
    if (c.o.a.trace.formats_dir)
      datadir_set_formats(c.o.a.trace.formats_dir);
    c.o.a.logs = c.logs;
    c.o.a.nlogs = c.nlogs;
    c.o.a.traces = c.traces;
    c.o.a.ntraces = c.ntraces;
    struct scan_result r;
    struct diag d;
    diag_init(&d);
    if (scan_run(&c.o, &r, &d) != 0) {
      cli_print_warnings(&r.run.warnings, c.quiet);
      status = cli_fail(&d);
    } else {
      cli_print_warnings(&r.run.warnings, c.quiet);
      struct scan_output s = {&c, &r, (enum out_format)format};
      status = outfile_save(c.output, write_result, &s, &d) == 0 ? EXIT_OK : cli_fail(&d);
    }
    scan_result_fini(&r);
    diag_fini(&d);
  }
  free(c.logs);
  free(c.traces);
  return status;
}

const struct command cmd_scan = {
    .name = "scan",
    .run = run_scan,
    .summary = "Rank every process of a log by how it grows: which one leaks?",
    .usage = "[OPTIONS] LOG...",
    .description =
        "Reads the counter log once (perfmon PDH-CSV/TSV or .blg, gzip or not, '-' for standard input; several LOGs, such as a Data Collector Set's rolled-over files, are merged in time order, each process matched by its instance name, and a log given twice, the same file or a copy, is refused; --from/--to keep a window), converting only the Process counters it needs, and fits every process's growth per hour (Private Bytes, else Virtual Bytes, else Working Set; Handle Count as a handle leak) with a 95% interval, warm-up left out and restarts (a new ID Process; without one, Elapsed Time going back or memory falling as a new process's does) fitted apart. With -e, every module a process loads and unloads is fitted per cycle as analyze does it, growth by the hour told apart, so a process that grows by time is ranked by time and not blamed on a module. Processes whose growth a module's cycles explain come first, then those that grow by time, then handle leaks, the undecided and the steady. The last line is the analyze command to run next.",
    .options = scan_options,
    .analysis_defaults = true,
};
