/* cmd_events — `leakslope events TRACE`: what a load/unload trace holds
 * (format, span, processes and modules with their load/unload counts) and,
 * for -p/-m, the cycles found: complete, unmatched, rundown, restarts and
 * the cycle rate over time. Text, JSON or YAML from one result tree (text is
 * written from the same figures), or the cycles as CSV. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "cmd/commands.h"
#include "fit/cycles.h"
#include "util/datadir.h"
#include "input/input.h"
#include "report/provenance.h"
#include "util/outfile.h"
#include "perfmon/pdh.h"
#include "trace/trace.h"
#include "analyze/trace_cycles.h"
#include "util/tree.h"
#include "util/pidset.h"
#include "util/xalloc.h"

struct events_args {
  const char **traces; /* the TRACE operands: one trace, or a rolled-over one */
  size_t ntraces;
  const char *process, *module, *output, *log, *format_arg;
  struct pdh_options popt;
  enum out_format format;
  bool cycles_csv, quiet;
  struct trace_options topt;
  struct analyze_options opt; /* what the shared rows set; copied out */
};

/* The counter log's span, when --log is given. */
struct log_check {
  bool done;
  usec_t from, to;
  int64_t *pids;     /* the process's pids by the log's ID Process (-p) */
  size_t npids;
  size_t inside;     /* selected cycles (or events) inside the log's span */
  bool hint;         /* no overlap: a shift is suggested */
  long hint_minutes; /* to add to the trace's times */
};

struct events_result {
  struct log_check log;
  struct trace_read read; /* formats (one per file), skipped lines */
  bool have_cycles;       /* c was read (cycles_fini it) */
  struct cycles c;
  struct warnings w;
};

enum { OPT_FORMAT = 1, OPT_OUTPUT, OPT_CYCLES_CSV, OPT_LOG };

/* The text lists at most this many pids or versions a line; -f json and
 * -f yaml list them all. */
#define TEXT_LIST_MAX 8

/* The command's own options, and the rows of analyze_opt_table it takes. */
static const struct cli_option events_options[] = {
    CLI_SHARED(AOPT_PROCESS),
    CLI_SHARED(AOPT_MODULE),
    CLI_SHARED(AOPT_PID),
    {OPT_FORMAT, "format", 'f', "FMT", "text, json or yaml (default: from -o's extension, else text)"},
    {OPT_OUTPUT, "output", 'o', "FILE", "write to FILE atomically: .txt, .json, .yaml or .yml (.csv with --cycles-csv)"},
    {OPT_CYCLES_CSV, "cycles-csv", 0, NULL, "print the cycles as cycle,load_utc,unload_utc,pid"},
    CLI_TRACE_READER_OPTIONS,
    {OPT_LOG, "log", 0, "PERFMON",
     "check the cycles fall inside this counter log's time span; with -p, its "
     "ID Process says which pids are the process's (a trace without process names)"},
    CLI_SHARED(AOPT_BIAS),
    CLI_SHARED(AOPT_UTC),
    CLI_SHARED(AOPT_TZ),
    {0, NULL, 0, NULL, NULL}};

static int take_option(int id, const char *arg, struct events_args *a) {
  switch (id) {
  case OPT_OUTPUT: a->output = arg; break;
  case OPT_CYCLES_CSV: a->cycles_csv = true; break;
  case OPT_LOG: a->log = arg; break;
  case OPT_FORMAT: a->format_arg = arg; break;
  default: break;
  }
  return EXIT_OK;
}

/* The output's format: CSV with --cycles-csv, else text, JSON or YAML. */
static int output_format(const struct command *cmd, struct events_args *a) {
  int f = a->cycles_csv
              ? cli_output_format(cmd, "--cycles-csv", NULL, a->output, OUT_SET(OUT_CSV))
              : cli_output_format(cmd, NULL, a->format_arg, a->output,
                                  OUT_SET(OUT_TEXT) | OUT_SET(OUT_JSON) | OUT_SET(OUT_YAML));
  a->format = (enum out_format)f;
  return f < 0 ? EXIT_USAGE : -1;
}

/* The shared rows' values, where the rest of the command reads them. */
static void take_shared(struct events_args *a) {
  a->process = a->opt.process;
  a->module = a->opt.module;
  a->popt = a->opt.pdh;
  a->topt = a->opt.trace;
  if (a->topt.formats_dir)
    datadir_set_formats(a->topt.formats_dir);
}

/* Options may follow the TRACE operand (`events TRACE -p X -m Y`): the
 * shared parser permutes them, so the operands are what is left. Returns -1
 * to go on, else the exit status. */
static int parse_args(const struct command *cmd, int argc, char **argv,
                      struct events_args *a) {
  struct cli_parser p;
  int id, status = -1, operands = 0;
  cli_parser_init(&p, cmd, argc, argv);
  p.analysis = &a->opt;
  while ((id = cli_next_option(&p)) > 0)
    if ((status = take_option(id, p.arg, a)) != EXIT_OK)
      break;
  take_shared(a);
  if (id == CLI_END) {
    int first = cli_operand_index(&p);
    operands = argc - first;
    a->traces = (const char **)argv + first;
    a->ntraces = (size_t)operands;
  }
  if (id == CLI_DONE_EXIT)
    status = p.status;
  else if (status == EXIT_OK)
    status = -1;
  a->quiet = p.quiet;
  cli_parser_fini(&p);
  if (status >= 0)
    return status;
  if (!cli_operands(cmd, "TRACE", operands, argv, 0, 1, -1))
    return EXIT_USAGE;
  if (!cli_stdin_once(cmd, "TRACE", a->traces, a->ntraces, NULL, NULL, 0) ||
      !cli_traces_once(cmd, a->traces, a->ntraces))
    return EXIT_USAGE;
  if (a->cycles_csv && !a->module)
    return cli_usage_error(cmd, "--cycles-csv needs -m MODULE");
  if (a->cycles_csv && a->format_arg)
    return cli_usage_error(cmd, "--cycles-csv and --format cannot be used together "
                                "(--cycles-csv writes CSV)");
  return output_format(cmd, a);
}

/* --- reading -------------------------------------------------------------- */

/* The traces, through the one path `analyze` reads them by. The chosen
 * process's pids (--pid, else the log's ID Process) claim the events of a
 * trace that names no process. */
static int read_events(const struct events_args *a, struct events_result *r,
                       struct diag *d) {
  int64_t pid = a->opt.pid;
  const int64_t *pids = a->opt.has_pid ? &pid : r->log.pids;
  size_t npids = a->opt.has_pid ? 1 : r->log.npids;
  if (trace_read_cycles(a->traces, a->ntraces, &a->topt, a->process, a->module,
                        pids, npids, &r->c, &r->read, &r->w, d) < 0)
    return -1;
  r->have_cycles = true;
  return 0;
}

/* Columns of -p's ID Process in the log (none when the log has no such
 * process or counter: the span is still checked). */
static size_t select_id_process(struct pdh_reader *pr, const char *process,
                                size_t **cols) {
  *cols = NULL;
  if (!process)
    return 0;
  struct diag quiet;
  diag_init(&quiet);
  long n = pdh_find_process(pdh_counters(pr), pdh_counter_count(pr), process,
                            "ID Process", cols, &quiet);
  diag_fini(&quiet);
  for (long k = 0; k < n; k++)
    pdh_select(pr, (*cols)[k]);
  return n > 0 ? (size_t)n : 0;
}

static void add_pid(struct log_check *l, double v) {
  if (v > 0 && v < 4294967296.0)
    pidset_add(&l->pids, &l->npids, (int64_t)v);
}

/* The counter log's time span (first and last row, UTC), and with -p the
 * pids its ID Process gives that process. */
static int log_span(const struct events_args *a, struct events_result *r,
                    struct diag *d) {
  struct pdh_reader *pr = pdh_open(a->log, &a->popt, &r->w, d);
  if (!pr)
    return -1;
  size_t *cols, ncols = select_id_process(pr, a->process, &cols);
  struct pdh_row row;
  int rc;
  bool any = false;
  while ((rc = pdh_next_row(pr, &row, d)) == 1) {
    for (size_t k = 0; k < ncols; k++)
      add_pid(&r->log, row.values[cols[k]]);
    if (!any || row.utc < r->log.from)
      r->log.from = row.utc;
    if (!any || row.utc > r->log.to)
      r->log.to = row.utc;
    any = true;
  }
  pdh_close(pr);
  free(cols);
  if (rc < 0)
    return -1;
  if (!any)
    return diag_set(d, DIAG_DATA, a->log, 0, 0,
                    "the counter log has no samples (expected rows after "
                    "the header)");
  r->log.done = true;
  return 0;
}

/* Do the cycles (or, without -m, the trace) fall inside the log's span? When
 * none does, warn with both spans and the quarter-hour shift that lines
 * them up (a time-zone mismatch shows as whole hours). */
static void check_log(const struct events_args *a, struct events_result *r) {
  const struct cycles *c = &r->c;
  const struct cycles_selection *s = &c->sel;
  struct log_check *l = &r->log;
  usec_t from = c->first, to = c->last;
  if (s->ncycles) {
    from = s->cycles[0].load;
    to = s->cycles[s->ncycles - 1].unload;
    l->inside = cycles_in_span(s, l->from, l->to);
  } else {
    l->inside = c->events && from <= l->to && to >= l->from;
  }
  if (l->inside || !c->events)
    return;
  l->hint = cycles_align_hint(l->from, l->to, from, to, &l->hint_minutes);
  char b[4][TIME_UTC_BUFSZ];
  long m = l->hint_minutes < 0 ? -l->hint_minutes : l->hint_minutes;
  warnings_add(&r->w, "time-zone-mismatch", a->traces[0], 0,
               "no %s falls inside the counter log's time span (log %s .. "
               "%s, trace %s .. %s); this looks like a time-zone mismatch: "
               "--clock-offset %ld (%c%02ld:%02ld) would align them",
               s->ncycles ? "cycle" : "event", time_format_utc(l->from, b[0]),
               time_format_utc(l->to, b[1]), time_format_utc(from, b[2]),
               time_format_utc(to, b[3]), l->hint_minutes * 60,
               l->hint_minutes < 0 ? '-' : '+', m / 60, m % 60);
}

/* --- the result tree ------------------------------------------------------ */

static struct tree *process_tree(const struct cycles_process *p) {
  struct tree *o = tree_obj();
  tree_set_str(o, "name", p->name);
  struct tree *pids = tree_set(o, "pids", tree_arr());
  for (size_t i = 0; i < p->npids; i++)
    tree_push(pids, tree_int(p->pids[i]));
  struct tree *mods = tree_set(o, "modules", tree_arr());
  for (size_t k = 0; k < p->nmods; k++) {
    const struct cycles_module *m = &p->mods[k];
    struct tree *mo = tree_push(mods, tree_obj());
    tree_set_str(mo, "name", m->name);
    tree_set_int(mo, "loads", m->loads);
    tree_set_int(mo, "unloads", m->unloads);
    tree_set_int(mo, "rundown", m->rundown);
    struct tree *paths = tree_set(mo, "paths", tree_arr());
    for (size_t j = 0; j < m->npaths; j++)
      tree_push(paths, tree_str(m->paths[j]));
    struct tree *vers = tree_set(mo, "versions", tree_arr());
    for (size_t j = 0; j < m->nversions; j++)
      tree_push(vers, tree_str(m->versions[j]));
  }
  return o;
}

static struct tree *rate_tree(const struct cycles_selection *s) {
  struct tree *arr = tree_arr();
  for (size_t i = 0; i < s->nbuckets; i++) {
    struct tree *b = tree_push(arr, tree_obj());
    tree_set_utc(b, "from_utc", s->buckets[i].from, true);
    tree_set_utc(b, "to_utc", s->buckets[i].to, true);
    tree_set_int(b, "cycles", s->buckets[i].cycles);
  }
  return arr;
}

static struct tree *selection_tree(const struct cycles_selection *s) {
  struct tree *o = tree_obj();
  tree_set_str(o, "process", s->process);
  tree_set_str(o, "module", s->module);
  tree_set_str(o, "pairing", s->implied ? "implied" : "explicit");
  tree_set_int(o, "cycles", (long long)s->ncycles);
  tree_set_int(o, "loads", s->loads);
  tree_set_int(o, "unloads", s->unloads);
  tree_set_int(o, "implied_unloads", s->implied_unloads);
  tree_set_int(o, "merged_loads", s->merged_loads);
  tree_set_int(o, "unmatched_loads", s->unmatched_loads);
  tree_set_int(o, "unmatched_unloads", s->unmatched_unloads);
  tree_set_int(o, "rundown", s->rundown);
  tree_set_int(o, "restarts", s->restarts);
  struct tree *pids = tree_set(o, "pids", tree_arr());
  for (size_t i = 0; i < s->npids; i++)
    tree_push(pids, tree_int(s->pids[i]));
  struct tree *paths = tree_set(o, "paths", tree_arr());
  for (size_t i = 0; i < s->npaths; i++)
    tree_push(paths, tree_str(s->paths[i]));
  if (s->ncycles)
    tree_set_utc(o, "first_load_utc", s->cycles[0].load, true);
  else
    tree_set_null(o, "first_load_utc");
  if (s->cycles_per_hour > 0)
    tree_set_num(o, "cycles_per_hour", s->cycles_per_hour);
  else
    tree_set_null(o, "cycles_per_hour");
  tree_set(o, "rate", rate_tree(s));
  return o;
}

static struct tree *log_tree(const struct events_args *a,
                             const struct log_check *l) {
  struct tree *o = tree_obj();
  tree_set_str(o, "file", a->log);
  tree_set_utc(o, "first_utc", l->from, true);
  tree_set_utc(o, "last_utc", l->to, true);
  tree_set_int(o, "inside", (long long)l->inside);
  if (l->hint)
    tree_set_int(o, "suggested_clock_offset_seconds", l->hint_minutes * 60);
  else
    tree_set_null(o, "suggested_clock_offset_seconds");
  return o;
}

static struct tree *events_tree(const struct events_args *a,
                                const struct events_result *r) {
  const struct cycles *c = &r->c;
  struct tree *o = tree_obj();
  tree_set_str(o, "schema", "leakslope/events/1");
  tree_set_str(o, "events_file", a->traces[0]);
  tree_set_str(o, "format", r->read.formats[0]);
  if (a->ntraces > 1) { /* a rolled-over trace: every file, in the given order */
    struct tree *files = tree_set(o, "events_files", tree_arr());
    for (size_t i = 0; i < a->ntraces; i++) {
      struct tree *f = tree_push(files, tree_obj());
      tree_set_str(f, "file", a->traces[i]);
      tree_set_str(f, "format", r->read.formats[i]);
    }
  }
  tree_set_utc(o, "first_utc", c->first, c->events > 0);
  tree_set_utc(o, "last_utc", c->last, c->events > 0);
  tree_set_int(o, "events", c->events);
  tree_set_int(o, "skipped_lines", r->read.skipped);
  struct tree *procs = tree_set(o, "processes", tree_arr());
  for (size_t i = 0; i < c->nprocs; i++)
    tree_push(procs, process_tree(&c->procs[i]));
  if (c->sel.active)
    tree_set(o, "selection", selection_tree(&c->sel));
  if (r->log.done)
    tree_set(o, "log", log_tree(a, &r->log));
  tree_set(o, "warnings", tree_of_warnings(&r->w, false));
  tree_set(o, "diagnostics", tree_of_warnings(&r->w, true));
  struct tree *p = tree_set(o, "provenance", provenance_new(cli_command_line()));
  for (size_t i = 0; i < a->ntraces; i++)
    tree_set_str(provenance_add_file(p, a->traces[i], NULL, "events"), "format",
                 r->read.formats[i]);
  if (r->log.done)
    provenance_add_file(p, a->log, NULL, "counters");
  return o;
}

/* --- text ----------------------------------------------------------------- */

static void text_process(FILE *f, const struct cycles_process *p, bool modules) {
  long loads = 0, unloads = 0;
  for (size_t k = 0; k < p->nmods; k++) {
    loads += p->mods[k].loads;
    unloads += p->mods[k].unloads;
  }
  fprintf(f, "  %s  pid%s", *p->name ? p->name : "(unnamed)",
          p->npids > 1 ? "s" : "");
  for (size_t i = 0; i < p->npids && i < TEXT_LIST_MAX; i++)
    fprintf(f, "%s%lld", i ? "," : " ", (long long)p->pids[i]);
  if (p->npids > TEXT_LIST_MAX)
    fprintf(f, " and %zu more", p->npids - TEXT_LIST_MAX);
  fprintf(f, "  modules %zu  loads %ld  unloads %ld\n", p->nmods, loads,
          unloads);
  for (size_t k = 0; modules && k < p->nmods; k++) {
    const struct cycles_module *m = &p->mods[k];
    fprintf(f, "    %-32s loads %ld  unloads %ld", m->name, m->loads,
            m->unloads);
    if (m->rundown)
      fprintf(f, "  rundown %ld", m->rundown);
    for (size_t j = 0; j < m->nversions && j < TEXT_LIST_MAX; j++)
      fprintf(f, "%s%s", j ? ", " : "  version ", m->versions[j]);
    if (m->nversions > TEXT_LIST_MAX)
      fprintf(f, " and %zu more", m->nversions - TEXT_LIST_MAX);
    fprintf(f, "%s\n", m->npaths > 1 ? "  (several paths)" : "");
  }
}

static void text_selection(FILE *f, const struct cycles_selection *s) {
  char b1[TIME_UTC_BUFSZ], b2[TIME_UTC_BUFSZ];
  fprintf(f, "\nselection: process %s", s->process ? s->process : "(any)");
  for (size_t i = 0; i < s->nclaim_pids; i++)
    fprintf(f, "%s%lld%s", i ? ", " : " (pid ", (long long)s->claim_pids[i],
            i + 1 == s->nclaim_pids ? ")" : "");
  fprintf(f, ", module %s\n", s->module ? s->module : "(none)");
  if (!s->module)
    return;
  for (size_t i = 0; i < s->npaths; i++)
    fprintf(f, "  path:              %s\n", s->paths[i]);
  fprintf(f, "  pairing:           %s\n", s->implied ? "implied (loads only)"
                                                     : "explicit");
  fprintf(f, "  cycles:            %zu\n", s->ncycles);
  if (s->implied)
    fprintf(f, "  implied unloads:   %ld\n", s->implied_unloads);
  if (s->merged_loads > 0)
    fprintf(f, "  merged loads:      %ld\n", s->merged_loads);
  fprintf(f, "  unmatched loads:   %ld\n", s->unmatched_loads);
  fprintf(f, "  unmatched unloads: %ld\n", s->unmatched_unloads);
  fprintf(f, "  rundown events:    %ld\n", s->rundown);
  fprintf(f, "  restarts:          %ld\n", s->restarts);
  if (s->cycles_per_hour > 0)
    fprintf(f, "  cycle rate:        %.1f per hour\n", s->cycles_per_hour);
  for (size_t i = 0; i < s->nbuckets; i++)
    fprintf(f, "    %s .. %s  %ld\n", time_format_utc(s->buckets[i].from, b1),
            time_format_utc(s->buckets[i].to, b2), s->buckets[i].cycles);
}

static void write_text(FILE *f, const struct events_args *a,
                       const struct events_result *r) {
  const struct cycles *c = &r->c;
  char b1[TIME_UTC_BUFSZ], b2[TIME_UTC_BUFSZ];
  for (size_t i = 0; i < a->ntraces; i++)
    fprintf(f, "%s%s", i ? ", " : "trace:   ",
            strcmp(a->traces[i], "-") ? a->traces[i] : "<stdin>"); /* as inspect says it */
  fprintf(f, "\nformat:  ");
  for (size_t i = 0; i < a->ntraces; i++) /* a format once while files repeat it */
    if (i == 0 || strcmp(r->read.formats[i], r->read.formats[i - 1]) != 0)
      fprintf(f, "%s%s", i ? ", " : "", r->read.formats[i]);
  fprintf(f, "%s\n", r->read.loads_only ? " (loads only)" : "");
  fprintf(f, "events:  %ld image events", c->events);
  if (c->events)
    fprintf(f, ", %s .. %s", time_format_utc(c->first, b1),
            time_format_utc(c->last, b2));
  fprintf(f, "\n");
  if (r->read.skipped)
    fprintf(f, "skipped: %ld unusable lines\n", r->read.skipped);
  fprintf(f, "processes: %zu\n", c->nprocs);
  for (size_t i = 0; i < c->nprocs; i++) {
    const struct cycles_process *p = &c->procs[i];
    bool chosen = a->process ? cycles_process_match(a->process, p->name)
                             : c->nprocs <= 3;
    text_process(f, p, chosen);
  }
  if (c->sel.active)
    text_selection(f, &c->sel);
  if (r->log.done) {
    fprintf(f, "\nlog:     %s\n  span:    %s .. %s\n", a->log,
            time_format_utc(r->log.from, b1), time_format_utc(r->log.to, b2));
    if (c->sel.ncycles)
      fprintf(f, "  cycles inside: %zu of %zu\n", r->log.inside,
              c->sel.ncycles);
    else
      fprintf(f, "  trace overlaps it: %s\n", r->log.inside ? "yes" : "no");
    if (r->log.hint)
      fprintf(f, "  suggested: --clock-offset %ld\n", r->log.hint_minutes * 60);
  }
}

static void write_cycles_csv(FILE *f, const struct cycles_selection *s) {
  char b1[TIME_UTC_BUFSZ], b2[TIME_UTC_BUFSZ];
  fprintf(f, "cycle,load_utc,unload_utc,pid\n");
  for (size_t i = 0; i < s->ncycles; i++) {
    const struct join_cycle *cy = &s->cycles[i];
    fprintf(f, "%zu,%s,%s,%ld\n", i + 1, time_format_utc(cy->load, b1),
            cy->has_unload ? time_format_utc(cy->unload, b2) : "", cy->pid);
  }
}

static int write_result(const struct events_args *a,
                        const struct events_result *r, struct diag *d) {
  struct outfile *o = outfile_open(a->output, d);
  if (!o)
    return -1;
  FILE *f = outfile_stream(o);
  if (a->format == OUT_CSV) {
    write_cycles_csv(f, &r->c.sel);
  } else if (a->format == OUT_TEXT) {
    write_text(f, a, r);
  } else {
    struct tree *t = events_tree(a, r);
    outfile_check(o, a->format == OUT_JSON ? tree_write_json(t, f) : tree_write_yaml(t, f));
    tree_free(t);
  }
  return outfile_commit(o, d);
}

static int run_events(const struct command *cmd, int argc, char **argv) {
  struct events_args a;
  memset(&a, 0, sizeof a);
  int status = parse_args(cmd, argc, argv, &a);
  if (status >= 0)
    return status;
  struct events_result r;
  struct diag d;
  memset(&r, 0, sizeof r);
  diag_init(&d);
  warnings_init(&r.w);
  status = EXIT_OK;
  if ((a.log && log_span(&a, &r, &d) < 0) || read_events(&a, &r, &d) < 0)
    status = cli_fail(&d);
  else if (a.log)
    check_log(&a, &r);
  if (status == EXIT_OK && write_result(&a, &r, &d) < 0)
    status = cli_fail(&d);
  cli_print_warnings(&r.w, a.quiet);
  if (r.have_cycles)
    cycles_fini(&r.c);
  trace_read_fini(&r.read);
  free(r.log.pids);
  warnings_fini(&r.w);
  diag_fini(&d);
  return status;
}

const struct command cmd_events = {
    .name = "events",
    .run = run_events,
    .summary = "Show what a load/unload trace holds and the cycles it finds",
    .usage = "[OPTIONS] TRACE...",
    .description =
        "Reads a trace (leakslope-csv, tracerpt-csv, procmon-csv and the other\n"
        "formats of formats/README.md; detected from its first lines) and lists\n"
        "its processes and modules with load/unload counts. With -p and -m, pairs\n"
        "the module's loads and unloads per (pid, path) into cycles and reports\n"
        "complete cycles, unmatched loads and unloads, rundown events, restarts\n"
        "and the cycle rate over time. Several TRACE files are one rolled-over\n"
        "trace: their events are merged in time order, as analyze -e does; a\n"
        "trace given twice, the same file or a copy, is refused.",
    .options = events_options,
};
