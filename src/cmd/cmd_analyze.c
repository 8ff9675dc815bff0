/* cmd_analyze — `leakslope analyze`: one run's leak per load/unload cycle.
 * Parses the command line into struct analyze_options, runs analyze_run and
 * writes the result as text, JSON or YAML. */
#include "config.h"
#include "analyze/analyze.h"
#include "cmd/commands.h"
#include "report/analysis_render.h"
#include "report/compare_plots.h"
#include "report/provenance.h"
#include "util/datadir.h"
#include "util/outfile.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { OPT_EVENTS = 1, OPT_FORMAT, OPT_OUTPUT, OPT_PLOT, OPT_FAIL_ON_LEAK, OPT_PER };

/* The command's own options, and the rows of analyze_opt_table it takes. */
static const struct cli_option analyze_options[] = {
    {OPT_EVENTS, "events", 'e', "TRACE", "load/unload trace of the run (repeat for several files)"},
    CLI_SHARED(AOPT_PROCESS),
    CLI_SHARED(AOPT_MODULE),
    {OPT_PER, "per", 0, "KIND", "fit the leak per cycle of several kinds at once (repeat): "
     "load:MODULE, or NAME for the trace's begin:NAME/end:NAME cycles; the first is -m's"},
    CLI_SHARED(AOPT_COUNTER),
    CLI_SHARED(AOPT_TOLERANCE),
    {OPT_FORMAT, "format", 'f', "FMT", "text, json or yaml (default: from -o's extension, else text)"},
    {OPT_OUTPUT, "output", 'o', "FILE", "write to FILE atomically: .txt, .json, .yaml or .yml; - is stdout"},
    {OPT_PLOT, "plot", 0, "FILE", "draw memory after each cycle with the fit to FILE.png or FILE.svg (gnuplot)"},
    CLI_SHARED(AOPT_PID),
    CLI_SHARED(AOPT_FROM),
    CLI_SHARED(AOPT_TO),
    CLI_SHARED(AOPT_LIMIT),
    CLI_SHARED(AOPT_BITS),
    {OPT_FAIL_ON_LEAK, "fail-on-leak", 0, NULL, "exit 1 when the verdict is leak"},
    CLI_SHARED(AOPT_CYCLES),
    CLI_SHARED(AOPT_CYCLE_PERIOD),
    CLI_SHARED(AOPT_ENCODING),
    CLI_SHARED(AOPT_BIAS),
    CLI_SHARED(AOPT_UTC),
    CLI_SHARED(AOPT_TZ),
    CLI_TRACE_READER_OPTIONS,
    {0, NULL, 0, NULL, NULL}};

#define ANALYZE_FORMATS (OUT_SET(OUT_TEXT) | OUT_SET(OUT_JSON) | OUT_SET(OUT_YAML))

struct analyze_cli {
  struct analyze_options o;
  const char *format;
  const char *output;
  const char *plot;
  bool fail_on_leak;
  bool quiet;
  const char **logs, **traces;
  size_t nlogs, ntraces;
};

static void push(const char ***list, size_t *n, const char *s) {
  *list = xreallocarray(*list, *n + 1, sizeof **list);
  (*list)[(*n)++] = s;
}

/* The command's own options; the reader and analysis ones the parser has
 * set in c->o already (CLI_SHARED rows). */
static bool take_option(const struct command *cmd, int id, const char *arg,
                        struct analyze_cli *c) {
  switch (id) {
  case OPT_EVENTS: push(&c->traces, &c->ntraces, arg); return true;
  case OPT_FORMAT: c->format = arg; return true;
  case OPT_OUTPUT: c->output = arg; return true;
  case OPT_PLOT:
    if (out_format_of_path(arg) != OUT_PNG && out_format_of_path(arg) != OUT_SVG) {
      cli_usage_error(cmd, "--plot wants a file name ending in .png or .svg, not '%s'", arg);
      return false;
    }
    c->plot = arg;
    return true;
  case OPT_FAIL_ON_LEAK: c->fail_on_leak = true; return true;
  case OPT_PER:
    if (c->o.nper == ANALYZE_MAX_KINDS) {
      cli_usage_error(cmd, "--per: at most %d kinds", ANALYZE_MAX_KINDS);
      return false;
    }
    for (size_t i = 0; i < c->o.nper; i++)
      if (!strcasecmp(c->o.per[i], arg)) {
        cli_usage_error(cmd, "--per %s is given twice", arg);
        return false;
      }
    c->o.per[c->o.nper++] = arg;
    return true;
  default: return true;
  }
}

struct result_output {
  const struct analysis *a;
  enum out_format format;
};

static int write_result(struct outfile *o, void *ctx) {
  const struct result_output *r = ctx;
  FILE *f = outfile_stream(o);
  if (r->format == OUT_TEXT) {
    analysis_write_text(r->a, f);
    return 0;
  }
  struct tree *t = analysis_to_tree(r->a);
  const struct analysis *runs[1] = {r->a};
  provenance_add_runs(t, cli_command_line(), NULL, 0, NULL, runs, 1);
  int rc = r->format == OUT_JSON ? tree_write_json(t, f) : tree_write_yaml(t, f);
  tree_free(t);
  return rc;
}

struct bytes {
  const void *data;
  size_t len;
};

static int write_bytes(struct outfile *o, void *ctx) {
  const struct bytes *b = ctx;
  return outfile_write(o, b->data, b->len);
}

/* --plot: plot (b) (memory after each cycle, with the fit) of this run, or
 * plot (a) (memory over time) when there is no per-cycle figure. */
static int write_plot(const struct analysis *a, const struct analyze_detail *dt,
                      const char *path) {
  const char *name = a->process ? a->process : "run";
  const struct analysis *as[1] = {a};
  const struct analyze_detail *ds[1] = {dt};
  struct compare_plots p;
  compare_plots_make(&p, &name, as, ds, 1, true, NULL, NULL);
  const char *want = a->per_cycle ? "-cycles" : "-memory";
  const struct plot_image *im = NULL;
  for (size_t i = 0; i < p.set.count && !im; i++)
    if (strstr(p.set.images[i].stem, want))
      im = &p.set.images[i];
  int rc = EXIT_OK;
  struct diag d;
  diag_init(&d);
  if (!im) {
    fprintf(stderr, "leakslope: no plot: %s\n", p.why_none ? p.why_none : "nothing to draw");
    rc = p.cantcreat ? EXIT_CANTCREAT : p.failed ? EXIT_UNAVAILABLE : EXIT_SOFTWARE;
  } else {
    bool svg = out_format_of_path(path) == OUT_SVG;
    struct bytes b = {svg ? im->svg : im->png, svg ? im->svg_len : im->png_len};
    if (outfile_save(path, write_bytes, &b, &d) != 0)
      rc = cli_fail(&d);
  }
  diag_fini(&d);
  compare_plots_fini(&p);
  return rc;
}

static int parse_args(const struct command *cmd, int argc, char **argv,
                      struct analyze_cli *c) {
  struct cli_parser p;
  cli_parser_init(&p, cmd, argc, argv);
  p.analysis = &c->o;
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
  if (status < 0 && c->ntraces > 0 && (!isnan(c->o.total_cycles) || !isnan(c->o.cycle_period)))
    status = cli_usage_error(cmd, "--cycles and --cycle-period are for runs without a trace");
  return status;
}

static int run_analyze(const struct command *cmd, int argc, char **argv) {
  struct analyze_cli c;
  memset(&c, 0, sizeof c);
  analyze_options_init(&c.o);
  int status = parse_args(cmd, argc, argv, &c);
  int format = status < 0 ? cli_output_format(cmd, NULL, c.format, c.output, ANALYZE_FORMATS)
                          : -1;
  if (status < 0 && format < 0)
    status = EXIT_USAGE;
  if (status < 0) {
    if (c.o.trace.formats_dir)
      datadir_set_formats(c.o.trace.formats_dir);
    c.o.logs = c.logs;
    c.o.nlogs = c.nlogs;
    c.o.traces = c.traces;
    c.o.ntraces = c.ntraces;
    struct analysis a;
    struct analyze_detail dt;
    struct diag d;
    analysis_init(&a);
    diag_init(&d);
    if (analyze_run(&c.o, &a, c.plot ? &dt : NULL, &d) != 0) {
      cli_print_warnings(&a.warnings, c.quiet);
      status = cli_fail(&d);
      if (c.plot)
        analyze_detail_fini(&dt);
    } else {
      if (format != OUT_TEXT)
        cli_print_warnings(&a.warnings, c.quiet);
      struct result_output r = {&a, (enum out_format)format};
      status = outfile_save(c.output, write_result, &r, &d) == 0 ? EXIT_OK : cli_fail(&d);
      if (c.plot) {
        int prc = write_plot(&a, &dt, c.plot);
        status = status == EXIT_OK ? prc : status;
        analyze_detail_fini(&dt);
      }
      if (status == EXIT_OK && c.fail_on_leak && a.verdict == VERDICT_LEAK)
        status = EXIT_LEAK;
    }
    diag_fini(&d);
    analysis_fini(&a);
  }
  free(c.logs);
  free(c.traces);
  return status;
}

const struct command cmd_analyze = {
    .name = "analyze",
    .run = run_analyze,
    .summary = "Measure one run's leak per load/unload cycle",
    .usage = "[OPTIONS] LOG [LOG...]",
    .description =
        "Reads the counter log(s) of one run (perfmon PDH-CSV/TSV or .blg, gzip or not, '-' for\n"
        "standard input; several are merged in time order, and a log given twice, the\n"
        "same file or a copy, is refused) and, with -e, its load/unload trace(s) (merged\n"
        "too, and refused alike when one is given twice); counts the cycles of\n"
        "the module in the process and fits the memory after each cycle: the leak per\n"
        "cycle with a 95% interval robust to outliers and autocorrelated heaps, warm-up\n"
        "left out, growth per hour told apart when the cycle rate varied, restarts\n"
        "fitted with one offset per lifetime. The verdict is leak when the interval\n"
        "lies above the tolerance, no-leak when below it, inconclusive otherwise.",
    .options = analyze_options,
    .analysis_defaults = true,
};
