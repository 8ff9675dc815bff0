/* cmd_inspect — `leakslope inspect LOG`: what a perfmon counter log holds
 * (format, encoding, machines, time zone, first/last sample, interval, gaps,
 * counters and their blanks), as text, JSON or YAML; or, with --counter,
 * one counter's series as `time_utc,value` CSV.
 *
 * One pass over the log in bounded memory: the median interval comes from a
 * histogram of the steps (distinct steps are few: the interval plus its
 * jitter), and only steps that may be gaps are kept. Output is built whole
 * (the CSV in a temporary file) and written at the end, so an error half-way
 * through leaves no partial output. */
#include "config.h"
#include "analyze/analyze.h"
#include "cmd/commands.h"
#include "util/datadir.h"
#include "report/provenance.h"
#include "util/outfile.h"
#include "perfmon/pdh.h"
#include "util/tree.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define GAP_CANDIDATES_MAX 10000

enum { OPT_FORMAT = 1, OPT_OUTPUT, OPT_COUNTER };

/* The command's own options, and the rows of analyze_opt_table it takes.
 * --counter is inspect's own: it picks a series to print, with no default. */
static const struct cli_option inspect_options[] = {
    {OPT_FORMAT, "format", 'f', "FMT", "text, json or yaml (default: from -o's extension, else text)"},
    {OPT_OUTPUT, "output", 'o', "FILE", "write to FILE atomically: .txt, .json, .yaml or .yml (.csv with --counter)"},
    {OPT_COUNTER, "counter", 'c', "PATTERN",
     "print this counter's series as time_utc,value CSV"},
    CLI_SHARED(AOPT_ENCODING),
    CLI_SHARED(AOPT_BIAS),
    CLI_SHARED(AOPT_UTC),
    CLI_SHARED(AOPT_TZ),
    CLI_SHARED(AOPT_DATE_ORDER),
    CLI_SHARED(AOPT_FORMATS),
    CLI_SHARED(AOPT_MAX_BYTES),
    {0, NULL, 0, NULL, NULL}};

struct inspect_args {
  const char *format, *output, *counter, *log;
  enum out_format out; /* chosen from format and output */
  struct pdh_options pdh;
  bool quiet;
  struct analyze_options opt; /* what the shared rows set; copied out */
};

/* ---- statistics gathered in one pass ---------------------------------------- */

struct step_count {
  usec_t step;
  size_t n;
};

struct gap {
  usec_t from, to;
};

struct stats {
  size_t samples;
  usec_t first_local, first_utc, last_local, last_utc;
  size_t *blank;
  struct step_count *steps; /* sorted by step */
  size_t nsteps, steps_cap, nstep_total;
  struct gap *gaps; /* candidates: steps > 1.5 x the smallest or the median */
  size_t ngaps, gaps_cap;
  usec_t min_step, gap_floor;
};

static void stats_fini(struct stats *s) {
  free(s->blank);
  free(s->steps);
  free(s->gaps);
}

static void add_step(struct stats *s, usec_t step) {
  size_t lo = 0, hi = s->nsteps;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (s->steps[mid].step < step)
      lo = mid + 1;
    else
      hi = mid;
  }
  s->nstep_total++;
  if (lo < s->nsteps && s->steps[lo].step == step) {
    s->steps[lo].n++;
    return;
  }
  if (s->nsteps == s->steps_cap) {
    s->steps_cap = s->steps_cap ? 2 * s->steps_cap : 16;
    s->steps = xreallocarray(s->steps, s->steps_cap, sizeof *s->steps);
  }
  memmove(s->steps + lo + 1, s->steps + lo,
          (s->nsteps - lo) * sizeof *s->steps);
  s->steps[lo] = (struct step_count){step, 1};
  s->nsteps++;
}

/* Median step: the lower middle of the sorted steps for an even count,
 * averaged with the upper one. */
static double median_step(const struct stats *s) {
  size_t want_lo = (s->nstep_total - 1) / 2, want_hi = s->nstep_total / 2;
  size_t seen = 0;
  double lo = NAN, hi = NAN;
  for (size_t i = 0; i < s->nsteps && isnan(hi); i++) {
    size_t next = seen + s->steps[i].n;
    if (isnan(lo) && want_lo < next)
      lo = (double)s->steps[i].step;
    if (want_hi < next)
      hi = (double)s->steps[i].step;
    seen = next;
  }
  return (lo + hi) / 2;
}

static void prune_gaps(struct stats *s, double limit) {
  size_t k = 0;
  for (size_t i = 0; i < s->ngaps; i++)
    if ((double)(s->gaps[i].to - s->gaps[i].from) > limit)
      s->gaps[k++] = s->gaps[i];
  s->ngaps = k;
}

static void add_gap_candidate(struct stats *s, usec_t from, usec_t to) {
  usec_t step = to - from;
  if (step > 0 && (s->min_step == 0 || step < s->min_step))
    s->min_step = step;
  if ((double)step <= 1.5 * (double)s->min_step || step <= s->gap_floor)
    return;
  if (s->ngaps == s->gaps_cap) {
    if (s->ngaps >= GAP_CANDIDATES_MAX) {
      /* Too many: keep only what exceeds 1.5 x the median so far. */
      double limit = 1.5 * median_step(s);
      prune_gaps(s, limit);
      s->gap_floor = (usec_t)limit;
    }
    if (s->ngaps == s->gaps_cap) {
      s->gaps_cap = s->gaps_cap ? 2 * s->gaps_cap : 16;
      s->gaps = xreallocarray(s->gaps, s->gaps_cap, sizeof *s->gaps);
    }
  }
  if (step > s->gap_floor)
    s->gaps[s->ngaps++] = (struct gap){from, to};
}

/* Blanks are counted in columns [from, to): the selected ones. */
static void stats_row(struct stats *s, const struct pdh_row *row, size_t from,
                      size_t to) {
  if (s->samples == 0) {
    s->first_local = row->local;
    s->first_utc = row->utc;
  } else {
    add_step(s, row->utc - s->last_utc);
    add_gap_candidate(s, s->last_utc, row->utc);
  }
  s->last_local = row->local;
  s->last_utc = row->utc;
  s->samples++;
  for (size_t i = from; i < to; i++)
    if (isnan(row->values[i]))
      s->blank[i]++;
}

/* ---- progress on a terminal ------------------------------------------------ */

struct progress {
  bool on;
  double start, last;
};

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress_init(struct progress *p, bool quiet) {
  p->on = !quiet && isatty(STDERR_FILENO);
  p->start = p->last = p->on ? now_seconds() : 0;
}

/* After a second, redraw at most 4 times a second. */
static void progress_tick(struct progress *p, const struct input *in,
                          size_t rows) {
  if (!p->on || (rows & 255) != 0)
    return;
  double t = now_seconds();
  if (t - p->start < 1 || t - p->last < 0.25)
    return;
  p->last = t;
  uint64_t size = input_file_size(in), at = input_disk_offset(in);
  if (size > 0)
    fprintf(stderr, "\rleakslope: reading %s: %3.0f%% (%zu rows)",
            input_name(in), 100.0 * (double)at / (double)size, rows);
  else
    fprintf(stderr, "\rleakslope: reading %s: %zu rows", input_name(in), rows);
}

static void progress_done(struct progress *p) {
  if (p->on && p->last > p->start)
    fprintf(stderr, "\r\033[K");
}

/* ---- reading ------------------------------------------------------------------ */

static int read_all(struct pdh_reader *r, struct stats *s, long column,
                    FILE *csv, bool quiet, struct diag *d) {
  size_t n = pdh_counter_count(r);
  s->blank = xcalloc(n + 1, sizeof *s->blank);
  if (column >= 0)
    pdh_select(r, (size_t)column);
  else
    pdh_select_all(r);
  struct progress p;
  progress_init(&p, quiet);
  struct pdh_row row;
  int got;
  char tb[TIME_UTC_BUFSZ], nb[40];
  size_t from = column >= 0 ? (size_t)column : 0, to = column >= 0 ? from + 1 : n;
  while ((got = pdh_next_row(r, &row, d)) == 1) {
    stats_row(s, &row, from, to);
    if (csv && !isnan(row.values[column])) {
      tree_format_num(row.values[column], nb, sizeof nb);
      fputs(time_format_utc(row.utc, tb), csv); /* no printf a row */
      fputc(',', csv);
      fputs(nb, csv);
      fputc('\n', csv);
    }
    progress_tick(&p, pdh_input(r), s->samples);
  }
  progress_done(&p);
  return got;
}

/* ---- the result tree ---------------------------------------------------------- */

static const char *bias_source_name(enum pdh_bias_source s) {
  switch (s) {
  case PDH_BIAS_HEADER:
    return "header";
  case PDH_BIAS_OPTION:
    return "option";
  case PDH_BIAS_UTC:
    return "utc";
  case PDH_BIAS_TZ:
    return "tz";
  case PDH_BIAS_ASSUMED:
  default:
    return "assumed-utc";
  }
}

/* A local time as ISO 8601 without a zone (2026-11-25T21:51:04.244000):
 * what the log's clock said, in a form every reader parses. */
static void set_local(struct tree *o, const char *key, usec_t t, bool have) {
  char b[TIME_UTC_BUFSZ];
  if (!have) {
    tree_set_null(o, key);
    return;
  }
  time_format_utc(t, b);
  size_t n = strlen(b);
  if (n > 0 && b[n - 1] == 'Z')
    b[n - 1] = '\0';
  tree_set_str(o, key, b);
}

static struct tree *machines_tree(const struct pdh_reader *r) {
  struct tree *a = tree_arr();
  const struct pdh_counter *c = pdh_counters(r);
  for (size_t i = 0; i < pdh_counter_count(r); i++) {
    if (!c[i].machine)
      continue;
    bool seen = false;
    for (size_t j = 0; j < tree_len(a) && !seen; j++)
      seen = strcmp(tree_get_str(tree_at(a, j)), c[i].machine) == 0;
    if (!seen)
      tree_push(a, tree_str(c[i].machine));
  }
  return a;
}

static struct tree *counters_tree(const struct pdh_reader *r,
                                  const struct stats *s) {
  struct tree *a = tree_arr();
  const struct pdh_counter *c = pdh_counters(r);
  for (size_t i = 0; i < pdh_counter_count(r); i++) {
    struct tree *o = tree_push(a, tree_obj());
    tree_set_str(o, "path", c[i].path);
    tree_set_str(o, "machine", c[i].machine);
    tree_set_str(o, "object", c[i].object);
    tree_set_str(o, "parent", c[i].parent);
    tree_set_str(o, "instance", c[i].instance);
    tree_set_int(o, "index", c[i].index);
    tree_set_str(o, "counter", c[i].counter);
    tree_set_int(o, "blank", (long long)s->blank[i]);
    if (c[i].dups > 1)
      tree_set_int(o, "duplicate", c[i].dup);
  }
  return a;
}

static struct tree *gaps_tree(const struct stats *s, double median) {
  struct tree *a = tree_arr();
  char b[TIME_UTC_BUFSZ];
  for (size_t i = 0; i < s->ngaps && !isnan(median); i++) {
    const struct gap *g = &s->gaps[i];
    if ((double)(g->to - g->from) <= 1.5 * median)
      continue;
    struct tree *o = tree_push(a, tree_obj());
    tree_set_str(o, "from_utc", time_format_utc(g->from, b));
    tree_set_str(o, "to_utc", time_format_utc(g->to, b));
    tree_set_num(o, "seconds", (double)(g->to - g->from) / 1e6);
  }
  return a;
}

/* The provenance block every command's JSON and YAML carry. */
static struct tree *inspect_provenance(const char *path, const struct pdh_reader *r) {
  struct tree *p = provenance_new(cli_command_line());
  struct tree *in = provenance_add_file(p, path, NULL, "counters");
  tree_set_str(in, "format", pdh_format(r));
  tree_set_str(in, "encoding", pdh_encoding(r));
  tree_set_int(in, "bias_minutes", pdh_bias(r));
  tree_set_str(in, "bias_source", bias_source_name(pdh_bias_source(r)));
  return p;
}

static struct tree *inspect_tree(const char *path, const struct pdh_reader *r,
                                 const struct stats *s,
                                 const struct warnings *w, bool report) {
  struct input *in = pdh_input(r);
  struct tree *t = tree_obj();
  tree_set_str(t, "schema", "leakslope/inspect/1");
  tree_set_str(t, "file", path);
  tree_set_str(t, "format", pdh_format(r));
  tree_set_str(t, "encoding", pdh_encoding(r));
  tree_set_bool(t, "bom", input_has_bom(in));
  tree_set_bool(t, "compressed", input_compressed(in));
  tree_set(t, "machines", machines_tree(r));
  struct tree *tz = tree_set(t, "timezone", tree_obj());
  tree_set_str(tz, "name", pdh_timezone(r));
  tree_set_int(tz, "bias_minutes", pdh_bias(r));
  tree_set_str(tz, "bias_source", bias_source_name(pdh_bias_source(r)));
  tree_set_int(t, "samples", (long long)s->samples);
  bool any = s->samples > 0;
  tree_set_utc(t, "first_utc", s->first_utc, any);
  tree_set_utc(t, "last_utc", s->last_utc, any);
  set_local(t, "first_local", s->first_local, any);
  set_local(t, "last_local", s->last_local, any);
  double median = s->nstep_total ? median_step(s) : NAN;
  tree_set_num(t, "interval_seconds", median / 1e6);
  tree_set(t, "gaps", gaps_tree(s, median));
  if (report) /* the text view lists the counters from the reader */
    tree_set(t, "counters", counters_tree(r, s));
  tree_set(t, "warnings", tree_of_warnings(w, false));
  tree_set(t, "diagnostics", tree_of_warnings(w, true));
  if (report) /* hashing the file is for reports, not for the text view */
    tree_set(t, "provenance", inspect_provenance(path, r));
  return t;
}

/* ---- text --------------------------------------------------------------------- */

static const char *str_or(const struct tree *t, const char *key,
                          const char *dflt) {
  const char *s = tree_get_str(tree_get(t, key));
  return s ? s : dflt;
}

static void text_header(const struct tree *t, const struct pdh_reader *r,
                        FILE *f) {
  const struct tree *tz = tree_get(t, "timezone");
  fprintf(f, "file:       %s\n", input_name(pdh_input(r)));
  fprintf(f, "format:     %s, %s%s%s\n", str_or(t, "format", ""),
          str_or(t, "encoding", ""),
          tree_get_bool(tree_get(t, "bom")) ? " with BOM" : "",
          tree_get_bool(tree_get(t, "compressed")) ? ", gzip" : "");
  const struct tree *m = tree_get(t, "machines");
  fprintf(f, "machines:  ");
  for (size_t i = 0; i < tree_len(m); i++)
    fprintf(f, " %s", tree_get_str(tree_at(m, i)));
  fprintf(f, "%s\n", tree_len(m) ? "" : " (none named)");
  fprintf(f, "time zone:  %s, bias %g minutes (%s)\n",
          str_or(tz, "name", "(none)"),
          tree_get_num(tree_get(tz, "bias_minutes")),
          str_or(tz, "bias_source", ""));
  fprintf(f, "samples:    %.0f\n", tree_get_num(tree_get(t, "samples")));
  if (tree_get_num(tree_get(t, "samples")) > 0) {
    fprintf(f, "first:      %s local, %s\n", str_or(t, "first_local", ""),
            str_or(t, "first_utc", ""));
    fprintf(f, "last:       %s local, %s\n", str_or(t, "last_local", ""),
            str_or(t, "last_utc", ""));
  }
  double iv = tree_get_num(tree_get(t, "interval_seconds"));
  char nb[40];
  tree_format_num(iv, nb, sizeof nb);
  fprintf(f, "interval:   %s\n",
          isnan(iv) ? "unknown (fewer than 2 samples)" : strcat(nb, " s (median)"));
}

static void text_gaps(const struct tree *t, FILE *f) {
  const struct tree *g = tree_get(t, "gaps");
  fprintf(f, "gaps:       %zu\n", tree_len(g));
  for (size_t i = 0; i < tree_len(g); i++) {
    const struct tree *x = tree_at(g, i);
    char nb[40];
    tree_format_num(tree_get_num(tree_get(x, "seconds")), nb, sizeof nb);
    fprintf(f, "  %s .. %s (%s s)\n", str_or(x, "from_utc", ""),
            str_or(x, "to_utc", ""), nb);
  }
}

/* Heading of a counter's group: its path without the counter name (the
 * first len bytes of the path). */
static size_t group_len(const struct pdh_counter *c) {
  size_t n = strlen(c->path) - strlen(c->counter);
  return n > 0 ? n - 1 : 0;
}

struct group_key {
  const char *s;
  size_t len, index; /* the counter's */
};

static int cmp_group(const void *a, const void *b) {
  const struct group_key *x = a, *y = b;
  int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
  if (c == 0 && x->len != y->len)
    c = x->len < y->len ? -1 : 1;
  if (c == 0)
    c = x->index < y->index ? -1 : x->index > y->index;
  return c;
}

/* A run of one group in the sorted keys, and its first counter's index. */
struct group_run {
  size_t from, to, first;
};

static int cmp_run(const void *a, const void *b) {
  size_t x = ((const struct group_run *)a)->first;
  size_t y = ((const struct group_run *)b)->first;
  return x < y ? -1 : x > y;
}

static void text_counter(const struct pdh_counter *c, size_t blank,
                         const struct stats *s, FILE *f) {
  fprintf(f, "    %s", c->counter);
  if (c->dups > 1)
    fprintf(f, " (duplicate column #%d)", c->dup);
  if (blank == s->samples && s->samples > 0)
    fprintf(f, ": blank in every sample\n");
  else
    fprintf(f, ": %zu blank\n", blank);
}

/* Groups in the order of their first counter, each with its counters in
 * column order: sorted by (group, column) rather than each counter
 * compared with every later one (20,007 columns were 200 million
 * comparisons and as many allocations). */
static void text_counters(const struct pdh_reader *r, const struct stats *s,
                          FILE *f) {
  size_t n = pdh_counter_count(r);
  const struct pdh_counter *c = pdh_counters(r);
  fprintf(f, "counters:   %zu\n", n);
  struct group_key *k = xreallocarray(NULL, n + 1, sizeof *k);
  for (size_t i = 0; i < n; i++)
    k[i] = (struct group_key){c[i].path, group_len(&c[i]), i};
  if (n > 1)
    qsort(k, n, sizeof *k, cmp_group);
  struct group_run *run = xreallocarray(NULL, n + 1, sizeof *run);
  size_t nrun = 0;
  for (size_t i = 0; i < n; i++)
    if (i == 0 || k[i].len != k[i - 1].len || memcmp(k[i].s, k[i - 1].s, k[i].len) != 0)
      run[nrun++] = (struct group_run){i, i + 1, k[i].index};
    else
      run[nrun - 1].to = i + 1;
  if (nrun > 1)
    qsort(run, nrun, sizeof *run, cmp_run);
  for (size_t g = 0; g < nrun; g++) {
    const struct group_key *first = &k[run[g].from];
    fprintf(f, "  %.*s\n", (int)first->len, first->s);
    for (size_t i = run[g].from; i < run[g].to; i++)
      text_counter(&c[k[i].index], s->blank[k[i].index], s, f);
  }
  free(run);
  free(k);
}

static void write_text(const struct tree *t, const struct pdh_reader *r,
                       const struct stats *s, FILE *f) {
  text_header(t, r, f);
  text_gaps(t, f);
  text_counters(r, s, f);
}

/* ---- the command ---------------------------------------------------------------- */

/* The output's format: CSV with --counter, else text, JSON or YAML. */
static int output_format(const struct command *cmd, struct inspect_args *a) {
  int f = a->counter
              ? cli_output_format(cmd, "--counter", a->format, a->output, OUT_SET(OUT_CSV))
              : cli_output_format(cmd, NULL, a->format, a->output,
                                  OUT_SET(OUT_TEXT) | OUT_SET(OUT_JSON) | OUT_SET(OUT_YAML));
  a->out = (enum out_format)f;
  return f < 0 ? EXIT_USAGE : EXIT_OK;
}

static int parse_args(const struct command *cmd, int argc, char **argv,
                      struct inspect_args *a, int *status) {
  struct cli_parser p;
  cli_parser_init(&p, cmd, argc, argv);
  p.analysis = &a->opt;
  int id = 0;
  *status = EXIT_OK;
  while (*status == EXIT_OK && (id = cli_next_option(&p)) > 0) {
    switch (id) {
    case OPT_FORMAT:
      a->format = p.arg;
      if (strcmp(a->format, "text") && strcmp(a->format, "json") &&
          strcmp(a->format, "yaml"))
        *status = cli_usage_error(cmd, "--format wants text, json or yaml, "
                                       "not '%s'", a->format);
      break;
    case OPT_OUTPUT: a->output = p.arg; break;
    case OPT_COUNTER: a->counter = p.arg; break;
    default: break;
    }
  }
  a->pdh = a->opt.pdh;
  if (a->opt.trace.formats_dir)
    datadir_set_formats(a->opt.trace.formats_dir);
  if (*status == EXIT_OK && id == CLI_DONE_EXIT)
    *status = p.status ? p.status : -1; /* -1: --help/--version done */
  a->quiet = p.quiet;
  int first = cli_operand_index(&p);
  if (*status == EXIT_OK && !cli_operands(cmd, "LOG", argc, argv, first, 1, 1))
    *status = EXIT_USAGE;
  if (*status == EXIT_OK)
    a->log = argv[first];
  cli_parser_fini(&p);
  if (*status == EXIT_OK)
    *status = output_format(cmd, a);
  return *status == EXIT_OK ? 0 : -1;
}

/* Copy the finished CSV (or render the tree / text) to the output. */
static int emit(const struct inspect_args *a, const struct tree *t,
                const struct pdh_reader *r, const struct stats *s, FILE *csv,
                struct diag *d) {
  struct outfile *o = outfile_open(a->output, d);
  if (!o)
    return -1;
  FILE *f = outfile_stream(o);
  if (a->out == OUT_CSV) {
    /* the series went to a temporary file first: a failed write there
     * (a full /tmp) fails the output too */
    int rc = ferror(csv) || fflush(csv) != 0 ? -1 : outfile_puts(o, "time_utc,value\n");
    rewind(csv);
    char buf[65536];
    size_t n;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, csv)) > 0)
      rc = outfile_write(o, buf, n);
    outfile_check(o, rc == 0 && ferror(csv) ? -1 : rc);
  } else if (a->out == OUT_JSON)
    outfile_check(o, tree_write_json(t, f));
  else if (a->out == OUT_YAML)
    outfile_check(o, tree_write_yaml(t, f));
  else
    write_text(t, r, s, f);
  return outfile_commit(o, d);
}

static int inspect(const struct inspect_args *a, struct warnings *w,
                   struct diag *d) {
  struct pdh_reader *r = pdh_open(a->log, &a->pdh, w, d);
  if (!r)
    return -1;
  long column = -1;
  FILE *csv = NULL;
  if (a->counter) {
    column = pdh_find_counter(pdh_counters(r), pdh_counter_count(r), a->counter, d);
    if (column < 0) {
      pdh_close(r);
      return -1;
    }
    csv = tmpfile();
    if (!csv) {
      pdh_close(r);
      return diag_set(d, DIAG_CANTCREAT, NULL, 0, 0,
                      "cannot create a temporary file");
    }
  }
  struct stats s;
  memset(&s, 0, sizeof s);
  int rc = read_all(r, &s, column, csv, a->quiet, d);
  if (rc == 0) {
    /* --counter's CSV is the series alone: no tree (20,000 counters' worth) */
    struct tree *t = a->out == OUT_CSV ? NULL
                                       : inspect_tree(a->log, r, &s, w,
                                                      a->out == OUT_JSON || a->out == OUT_YAML);
    rc = emit(a, t, r, &s, csv, d);
    tree_free(t);
  }
  if (csv)
    fclose(csv);
  stats_fini(&s);
  pdh_close(r);
  return rc;
}

static int run_inspect(const struct command *cmd, int argc, char **argv) {
  struct inspect_args a;
  memset(&a, 0, sizeof a);
  int status;
  if (parse_args(cmd, argc, argv, &a, &status) < 0)
    return status < 0 ? EXIT_OK : status;
  struct warnings w;
  warnings_init(&w);
  struct diag d;
  diag_init(&d);
  int rc = inspect(&a, &w, &d);
  cli_print_warnings(&w, a.quiet);
  status = rc < 0 ? cli_fail(&d) : EXIT_OK;
  diag_fini(&d);
  warnings_fini(&w);
  return status;
}

const struct command cmd_inspect = {
    .name = "inspect",
    .run = run_inspect,
    .summary = "Show what a perfmon counter log holds",
    .usage = "[OPTIONS] LOG",
    .description =
        "Reads a PDH-CSV or PDH-TSV export or a binary .blg log (plain or "
        "gzip; - for standard input) and prints its format, encoding, machines, time zone, first "
        "and last sample, sample count, median interval, gaps, and the "
        "counters grouped by object and instance with how many samples of "
        "each are blank. With --counter, prints that counter's series as "
        "time_utc,value CSV instead (blank samples left out).",
    .options = inspect_options,
};
