/* plot_script — the four plots as gnuplot scripts plus data files.
 *
 * Each script is self-contained and refers to its data and outputs by fixed
 * relative names, so a user who kept them (--plots DIR) can restyle and
 * re-run it: `cd DIR && gnuplot run1-memory.gp`. Data files hold raw numbers
 * (seconds, bytes) and the scripts scale them with S (bytes per unit) and T
 * (seconds per unit). Text from input appears only through plot_quote. */
#include "config.h"
#include "report/plot_script.h"
#include "report/wallclock.h"
#include "util/bytefmt.h"
#include "util/timeutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_TEXT = 160, MAX_TIC = 48, MAX_ROWS = 20000 };

/* text cut to at most max bytes at a UTF-8 character boundary, "..." added
 * when cut; malloc'ed. */
static char *shorten(const char *text, size_t max) {
  size_t n = strlen(text ? text : "");
  if (n <= max)
    return xstrdup(text ? text : "");
  n = max;
  while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
    n--; /* do not split a UTF-8 sequence */
  return xasprintf("%.*s...", (int)n, text);
}

void plot_quote(struct strbuf *b, const char *text) {
  char *s = shorten(text, MAX_TEXT);
  strbuf_addc(b, '\'');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '\'')
      strbuf_adds(b, "''");
    else if (*p < 0x20 || *p == 0x7f)
      strbuf_addc(b, ' ');
    else
      strbuf_addc(b, (char)*p);
  }
  strbuf_addc(b, '\'');
  free(s);
}


/* "set WHAT 'text' noenhanced" */
static void set_text(struct strbuf *s, const char *what, const char *text) {
  strbuf_addf(s, "set %s ", what);
  plot_quote(s, text);
  strbuf_adds(s, " noenhanced\n");
}

static void add_num(struct strbuf *b, double v) {
  if (isfinite(v))
    strbuf_addf(b, " %.10g", v);
  else
    strbuf_adds(b, " ?");
}

/* Bytes per display unit for values up to maxabs. */
static double byte_unit(double maxabs, const char **name) {
  static const char *names[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  double s = 1;
  int i = 0;
  while (i < 4 && maxabs >= 2048 * s) {
    s *= 1024;
    i++;
  }
  *name = names[i];
  return s;
}

/* Seconds per display unit for a span. */
static double time_unit(double span, const char **name) {
  if (span >= 7200) {
    *name = "hours";
    return 3600;
  }
  if (span >= 120) {
    *name = "minutes";
    return 60;
  }
  *name = "seconds";
  return 1;
}

static double max_abs(const double *v, size_t n, double m) {
  for (size_t i = 0; v && i < n; i++)
    if (isfinite(v[i]) && fabs(v[i]) > m)
      m = fabs(v[i]);
  return m;
}

static void header(struct strbuf *s, const char *stem, const char *title,
                   unsigned w, unsigned h) {
  strbuf_addf(s,
              "# %s.gp: written by leakslope. Re-run it in this folder with\n"
              "#   gnuplot %s.gp\n"
              "# It reads %s.dat and writes %s.png and %s.svg.\n"
              "set encoding utf8\n"
              "set terminal pngcairo noenhanced size %u,%u font 'Sans,10'\n"
              "set output '%s.png'\n",
              stem, stem, stem, stem, stem, w, h, stem);
  set_text(s, "title", title);
  /* the key under the x axis: in the top margin gnuplot puts it above the title */
  strbuf_adds(s, "set key noenhanced bmargin center horizontal Left reverse height 1\n"
                 "set title font ',12'\n"
                 "set xtics noenhanced\n"
                 "set ytics noenhanced\n"
                 "set grid lc rgb '#dddddd'\n"
                 "set autoscale xfix  # the x axis ends where the data ends\n"
                 "set datafile missing '?'\n");
}

static void footer(struct strbuf *s, const char *stem, unsigned w, unsigned h) {
  strbuf_addf(s,
              "set terminal svg noenhanced size %u,%u font 'Sans,10' "
              "background '#ffffff'\n"
              "set output '%s.svg'\n"
              "replot\n"
              "unset output\n",
              w, h, stem);
}

/* One plot clause: FILE index I using U with STYLE title 'T' noenhanced */
static void clause(struct strbuf *s, int first, const char *stem, int index,
                   const char *use, const char *style, const char *title) {
  strbuf_adds(s, first ? "plot " : ", \\\n     ");
  strbuf_addf(s, "'%s.dat'", stem);
  if (index >= 0)
    strbuf_addf(s, " index %d", index);
  strbuf_addf(s, " using %s with %s title ", use, style);
  plot_quote(s, title);
  strbuf_adds(s, " noenhanced");
}

static struct plot_job *new_job(struct plot_job **jobs, size_t *n,
                                const char *stem, char *title, int run) {
  *jobs = xreallocarray(*jobs, *n + 1, sizeof **jobs);
  struct plot_job *j = &(*jobs)[(*n)++];
  j->stem = xstrdup(stem);
  j->title = title;
  j->run = run;
  strbuf_init(&j->script);
  strbuf_init(&j->data);
  return j;
}

/* Samples in time order; a blank line (a break in the line) at a gap or a
 * restart. Long series keep each bucket's lowest and highest sample. */
struct bucket {
  size_t lo, hi, count;
};

static void flush_bucket(struct strbuf *d, const struct plot_run *r,
                         struct bucket *b) {
  if (b->count == 0)
    return;
  size_t first = b->lo < b->hi ? b->lo : b->hi;
  size_t second = b->lo < b->hi ? b->hi : b->lo;
  add_num(d, r->t[first]);
  add_num(d, r->mem[first]);
  strbuf_addc(d, '\n');
  if (second != first) {
    add_num(d, r->t[second]);
    add_num(d, r->mem[second]);
    strbuf_addc(d, '\n');
  }
  b->count = 0;
}

static void write_samples(struct strbuf *d, const struct plot_run *r) {
  size_t per = r->nsamples / (MAX_ROWS / 2) + 1;
  struct bucket b = {0, 0, 0};
  int broken = 1; /* a blank line was just written (or nothing yet) */
  strbuf_adds(d, "# block 0: t_seconds memory_bytes (a blank line: gap or restart)\n");
  for (size_t i = 0; i < r->nsamples; i++) {
    int restart = r->lifetime && i > 0 && r->lifetime[i] != r->lifetime[i - 1];
    if (!isfinite(r->mem[i]) || restart) {
      flush_bucket(d, r, &b);
      if (!broken)
        strbuf_addc(d, '\n');
      broken = 1;
      if (!isfinite(r->mem[i]))
        continue;
    }
    if (b.count == 0)
      b.lo = b.hi = i;
    if (r->mem[i] < r->mem[b.lo])
      b.lo = i;
    if (r->mem[i] > r->mem[b.hi])
      b.hi = i;
    broken = 0;
    if (++b.count == per)
      flush_bucket(d, r, &b);
  }
  flush_bucket(d, r, &b);
}

/* Did a new process lifetime start between cycle rows a and b? */
static int new_lifetime(const struct plot_run *r, size_t a, size_t b) {
  return r->cycle_lifetime && r->cycle_lifetime[a] != r->cycle_lifetime[b];
}

static void write_cycles(struct strbuf *d, const struct plot_run *r, int with_t) {
  size_t step = r->ncycles / MAX_ROWS + 1;
  for (size_t i = 0; i < r->ncycles; i += step) {
    if (i > 0 && new_lifetime(r, i - step, i))
      strbuf_addc(d, '\n'); /* a restart: break the lines */
    if (with_t)
      add_num(d, r->cycle_t[i]);
    add_num(d, r->cycle_k[i]);
    add_num(d, r->cycle_mem[i]);
    add_num(d, r->fit ? r->fit[i] : NAN);
    add_num(d, r->fit_lo ? r->fit_lo[i] : NAN);
    add_num(d, r->fit_hi ? r->fit_hi[i] : NAN);
    strbuf_addc(d, '\n');
  }
}

static void unit_lines(struct strbuf *s, double S, double T) {
  strbuf_addf(s, "S = %.17g  # bytes per unit on the memory axis\n", S);
  if (T > 0)
    strbuf_addf(s, "T = %.17g  # seconds per unit on the time axis\n", T);
}

static void axis_label(struct strbuf *s, const char *axis, const char *what,
                       const char *unit) {
  char *text = xasprintf("%s (%s)", what, unit);
  set_text(s, axis, text);
  free(text);
}

/* A plot of one run: stem "runN-KIND", title "RUN: WHAT". */
static struct plot_job *new_run_job(struct plot_job **jobs, size_t *n,
                                    const struct plot_run *r, int run,
                                    const char *kind, const char *what) {
  char stem[48];
  snprintf(stem, sizeof stem, "run%d-%s", run + 1, kind);
  return new_job(jobs, n, stem, xasprintf("%s: %s", r->name ? r->name : "run", what), run);
}

static const char *counter_name(const struct plot_run *r) {
  return r->counter && *r->counter ? r->counter : "memory";
}

/* The x axis of plot (a): the log's wall clock when its zone is known
 * (gnuplot's time axis, in seconds since 1970 read as UTC), else the time
 * since t0_utc. Returns the x column expression, a static string. */
static const char *time_axis(struct strbuf *s, const struct plot_run *r, double span,
                             const char *tu) {
  if (!r->has_clock || !isfinite(r->t0_clock)) {
    char *xl = r->t0_utc ? xasprintf("%s since %s", tu, r->t0_utc) : xstrdup(tu);
    set_text(s, "xlabel", xl);
    free(xl);
    return "($1/T)";
  }
  long long secs = (long long)floor(r->t0_clock);
  strbuf_addf(s, "T0 = %.17g  # t = 0 on the clock of the log, seconds since 1970\n"
                 "set xdata time\nset timefmt '%%s'\nset format x '%s'\n",
              r->t0_clock, wallclock_tic_format(span));
  char *xl = wallclock_axis_label(r->zone, (usec_t)secs * USEC_PER_SEC);
  set_text(s, "xlabel", xl);
  free(xl);
  return "(T0+$1)";
}

/* (a) memory over time, cycle markers, lifetimes, the fit. */
static void plot_memory(struct plot_job **jobs, size_t *n,
                        const struct plot_run *r, int run, unsigned w, unsigned h) {
  struct plot_job *j = new_run_job(jobs, n, r, run, "memory", "memory over time");
  const char *stem = j->stem;
  const char *bu, *tu;
  double span = r->nsamples ? max_abs(r->t, r->nsamples, 0) : 0;
  double S = byte_unit(max_abs(r->mem, r->nsamples, 0), &bu);
  double T = time_unit(span, &tu);
  int markers = r->cycle_t && r->ncycles > 0;
  write_samples(&j->data, r);
  if (markers) {
    strbuf_adds(&j->data, "\n\n# block 1: t_seconds cycle memory_after_cycle_bytes"
                          " fit_bytes fit_low fit_high\n");
    write_cycles(&j->data, r, 1);
  }
  header(&j->script, stem, j->title, w, h);
  unit_lines(&j->script, S, T);
  const char *x = time_axis(&j->script, r, span, tu);
  axis_label(&j->script, "ylabel", counter_name(r), bu);
  char *use = xasprintf("%s:($2/S)", x);
  clause(&j->script, 1, stem, 0, use, "lines lw 1.2 lc rgb '#1f77b4'", counter_name(r));
  free(use);
  if (markers) {
    use = xasprintf("%s:($3/S)", x);
    clause(&j->script, 0, stem, 1, use, "points pt 6 ps 0.6 lw 1 lc rgb '#d62728'",
           "memory after each cycle");
    free(use);
    if (r->fit) {
      use = xasprintf("%s:($4/S)", x);
      clause(&j->script, 0, stem, 1, use, "lines lw 2 dt 2 lc rgb '#000000'",
             "fitted line");
      free(use);
    }
  }
  strbuf_addc(&j->script, '\n');
  footer(&j->script, stem, w, h);
}

/* (b) memory after each cycle against cycle number, the fit and its band. */
static void plot_cycles(struct plot_job **jobs, size_t *n,
                        const struct plot_run *r, int run, unsigned w, unsigned h) {
  struct plot_job *j = new_run_job(jobs, n, r, run, "cycles", "memory after each cycle");
  const char *stem = j->stem;
  const char *bu;
  double S = byte_unit(max_abs(r->cycle_mem, r->ncycles, 0), &bu);
  strbuf_adds(&j->data, "# cycle memory_after_cycle_bytes fit_bytes fit_low fit_high\n");
  write_cycles(&j->data, r, 0);
  header(&j->script, stem, j->title, w, h);
  unit_lines(&j->script, S, 0);
  set_text(&j->script, "xlabel", "cycle");
  axis_label(&j->script, "ylabel", counter_name(r), bu);
  /* band, then the points, then the fit on top as a dashed dark line, so
   * a fit through dense points still reads as a line of its own */
  int first = 1;
  if (r->fit_lo && r->fit_hi) {
    clause(&j->script, first, stem, -1, "1:($4/S):($5/S)",
           "filledcurves fc rgb '#2ca02c' fs transparent solid 0.25 noborder",
           "95% band of the fitted line");
    first = 0;
  }
  clause(&j->script, first, stem, -1, "1:($2/S)",
         "points pt 6 ps 0.6 lw 1 lc rgb '#1f77b4'", "memory after the cycle");
  if (r->fit)
    clause(&j->script, 0, stem, -1, "1:($3/S)", "lines lw 2 dt 2 lc rgb '#000000'",
           "fitted line");
  strbuf_addc(&j->script, '\n');
  footer(&j->script, stem, w, h);
}

/* The x range of plot (c): every interval, zero and the tolerance band. */
static void leak_range(const struct plot_input *in, double *lo, double *hi) {
  double tol = isfinite(in->tolerance) ? in->tolerance : 0;
  *lo = -tol;
  *hi = tol;
  for (size_t i = 0; i < in->nruns; i++) {
    const struct plot_run *r = &in->runs[i];
    double v[3] = {r->leak, r->leak_lo, r->leak_hi};
    for (int k = 0; k < 3; k++)
      if (isfinite(v[k])) {
        *lo = v[k] < *lo ? v[k] : *lo;
        *hi = v[k] > *hi ? v[k] : *hi;
      }
  }
  double pad = (*hi - *lo) * 0.06 + 1;
  *lo -= pad;
  *hi += 2.5 * pad; /* room for the value labels */
}

/* Fixed colours by verdict: red leak, green no-leak, amber inconclusive. */
static unsigned verdict_colour(const char *verdict) {
  if (verdict && strcmp(verdict, "leak") == 0)
    return 0xd62728;
  if (verdict && strcmp(verdict, "no-leak") == 0)
    return 0x2ca02c;
  if (verdict && strcmp(verdict, "inconclusive") == 0)
    return 0xe69f00;
  return 0x555555;
}

static void leak_tics(struct strbuf *s, const struct plot_input *in) {
  strbuf_adds(s, "set ytics (");
  for (size_t i = 0; i < in->nruns; i++) {
    const struct plot_run *r = &in->runs[i];
    char *name = shorten(r->name ? r->name : "run", MAX_TIC);
    char *verdict = shorten(isfinite(r->leak) ? (r->verdict ? r->verdict : "measured")
                                              : "not measured", MAX_TIC / 2);
    char *label = xasprintf("%s (%s)", name, verdict);
    strbuf_adds(s, i ? ", " : "");
    plot_quote(s, label);
    free(name);
    free(verdict);
    free(label);
    strbuf_addf(s, " %zu", i + 1);
  }
  strbuf_adds(s, ")\n");
}

/* "40.0 KiB", "2.5 B": our own numbers, so plain text in the script. */
static void value_labels(struct strbuf *s, const struct plot_input *in, double S) {
  for (size_t i = 0; i < in->nruns; i++) {
    const struct plot_run *r = &in->runs[i];
    if (!isfinite(r->leak))
      continue;
    char v[64];
    format_bytes(r->leak, v, sizeof v); /* as the report prints it */
    double x = isfinite(r->leak_hi) ? r->leak_hi : r->leak;
    strbuf_addf(s, "set label %zu '%s' at %.10g, %zu left offset 1,0 noenhanced\n", i + 1, v,
                x / S, i + 1);
  }
}

/* The no-leak tolerance on plot (c): a shaded band, its edges as green
 * dashed lines and a label naming it, so it stays visible when the band is
 * far narrower than the axis (64 B on a KiB axis). */
static void tolerance_marker(struct strbuf *s, double tol, double S, double range) {
  char t[64];
  format_bytes(tol, t, sizeof t);
  strbuf_addf(s, "set object 1 rect from %.10g, graph 0 to %.10g, graph 1 "
                 "fc rgb '#d8efd8' fs solid 1.0 noborder behind\n",
              -tol / S, tol / S);
  for (int k = 0; k < 2; k++)
    strbuf_addf(s, "set arrow %d from %.10g, graph 0 to %.10g, graph 1 nohead dt 2 lw 1.5 "
                   "lc rgb '#2ca02c' front\n",
                2 + k, (k ? tol : -tol) / S, (k ? tol : -tol) / S);
  strbuf_addf(s, "set label 90 at %.10g, graph 0.97 left offset 0.8,0 tc rgb '#17703a' front "
                 "'no-leak tolerance: \xc2\xb1%s per cycle%s' noenhanced\n",
              tol / S, t, tol < 0.01 * range ? " (too narrow to see at this scale)" : "");
}

/* (c) leak per cycle of every run with its interval: a dot plot. */
static void plot_leaks(struct plot_job **jobs, size_t *n,
                       const struct plot_input *in, unsigned w) {
  const char *stem = "compare-leak";
  struct plot_job *j = new_job(jobs, n, stem,
      xstrdup("Leak per load/unload cycle, with 95% intervals"), -1);
  double lo, hi;
  leak_range(in, &lo, &hi);
  const char *bu;
  double S = byte_unit(fmax(fabs(lo), fabs(hi)), &bu);
  unsigned h = (unsigned)(140 + 60 * (in->nruns < 24 ? in->nruns : 24));
  strbuf_adds(&j->data, "# run leak_bytes_per_cycle ci95_low ci95_high colour\n");
  for (size_t i = 0; i < in->nruns; i++) {
    strbuf_addf(&j->data, "%zu", i + 1);
    add_num(&j->data, in->runs[i].leak);
    add_num(&j->data, in->runs[i].leak_lo);
    add_num(&j->data, in->runs[i].leak_hi);
    strbuf_addf(&j->data, " 0x%06x\n", verdict_colour(in->runs[i].verdict));
  }
  header(&j->script, stem, j->title, w, h);
  unit_lines(&j->script, S, 0);
  strbuf_addf(&j->script, "set xrange [%.10g:%.10g]\nset yrange [%zu.5:0.5]\n",
              lo / S, hi / S, in->nruns);
  leak_tics(&j->script, in);
  strbuf_adds(&j->script, "set grid noytics\nunset key\n"
                          "set arrow 1 from 0, graph 0 to 0, graph 1 nohead "
                          "lc rgb '#888888'\n");
  value_labels(&j->script, in, S);
  char *xl;
  if (isfinite(in->tolerance) && in->tolerance > 0) {
    tolerance_marker(&j->script, in->tolerance, S, hi - lo);
    xl = xasprintf("%s per load/unload cycle (green: the no-leak tolerance)", bu);
  } else {
    xl = xasprintf("%s per load/unload cycle", bu);
  }
  set_text(&j->script, "xlabel", xl);
  free(xl);
  clause(&j->script, 1, stem, -1, "($2/S):1:($3/S):($4/S):5",
         "xerrorbars pt 7 ps 1.3 lw 2 lc rgb variable", "leak per cycle");
  strbuf_addc(&j->script, '\n');
  footer(&j->script, stem, w, h);
}

static double first_finite(const double *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (isfinite(v[i]))
      return v[i];
  return 0;
}

/* How run i is drawn where runs share a plot: colour, dash and marker all
 * differ, so lines that lie on each other still show each run's marker (the
 * open shapes are larger and ring the filled ones). */
struct run_style {
  const char *colour;
  int dash, point;
  double size;
};
static const struct run_style RUN_STYLES[] = {
    {"#1f77b4", 1, 7, 0.9},  {"#d62728", 2, 4, 1.6}, {"#2ca02c", 3, 8, 1.6},
    {"#9467bd", 4, 12, 1.6}, {"#ff7f0e", 5, 1, 1.4}, {"#8c564b", 1, 2, 1.4}};
enum { NSTYLES = sizeof RUN_STYLES / sizeof RUN_STYLES[0] };

struct line_end {
  size_t run;
  double k, growth;
};

static int by_growth(const void *a, const void *b) {
  double x = ((const struct line_end *)a)->growth, y = ((const struct line_end *)b)->growth;
  return (x > y) - (x < y);
}

/* Each run's name at the end of its line. Runs that end within 4% of the
 * axis of each other (identical runs hide each other's lines) get their
 * names stacked, each a line further from the end point, so every one
 * stays readable; the label sits below the end point in the upper half of
 * the plot and above it in the lower half, inside the frame. */
static void end_labels(struct strbuf *s, const struct plot_input *in) {
  struct line_end *e = xcalloc(in->nruns ? in->nruns : 1, sizeof *e);
  size_t n = 0;
  for (size_t i = 0; i < in->nruns; i++) {
    const struct plot_run *r = &in->runs[i];
    if (r->ncycles == 0 || !r->cycle_k || !r->cycle_mem)
      continue;
    double base = first_finite(r->cycle_mem, r->ncycles);
    double last = NAN;
    for (size_t k = r->ncycles; k-- > 0 && !isfinite(last);)
      last = r->cycle_mem[k];
    e[n++] = (struct line_end){i, r->cycle_k[r->ncycles - 1], last - base};
  }
  qsort(e, n, sizeof *e, by_growth);
  /* an opaque box under each name, so a line crossing it does not hide it */
  strbuf_adds(s, "set style textbox opaque noborder fillcolor rgb '#ffffff'\n");
  double span = 0;
  for (size_t i = 0; i < n; i++)
    span = fmax(span, fabs(e[i].growth));
  int stack = 0;
  for (size_t i = 0; i < n; i++) {
    bool near = i > 0 && fabs(e[i].growth - e[i - 1].growth) < 0.04 * (span > 0 ? span : 1);
    stack = near ? stack + 1 : 0;
    bool upper = span > 0 && e[i].growth > span / 2;
    double dy = (upper ? -1.0 : 1.0) * (1.2 + 1.2 * stack);
    /* the text last, so noenhanced follows it (and ends the line) */
    strbuf_addf(s, "set label %zu at %.10g, %.10g/S right offset -1,%.1f tc rgb '%s' boxed front ",
                100 + i, e[i].k, e[i].growth, dy, RUN_STYLES[e[i].run % NSTYLES].colour);
    plot_quote(s, in->runs[e[i].run].name ? in->runs[e[i].run].name : "run");
    strbuf_adds(s, " noenhanced\n");
  }
  free(e);
}

/* (d) the runs' memory after each cycle, overlaid, as growth since the
 * first cycle so that runs with different baselines compare. */
static void plot_overlay(struct plot_job **jobs, size_t *n,
                         const struct plot_input *in, unsigned w, unsigned h) {
  const char *stem = "compare-cycles";
  struct plot_job *j = new_job(jobs, n, stem,
      xstrdup("Memory after each cycle, all runs"), -1);
  double m = 0;
  for (size_t i = 0; i < in->nruns; i++) {
    const struct plot_run *r = &in->runs[i];
    if (!r->cycle_k || !r->cycle_mem)
      continue;
    double base = first_finite(r->cycle_mem, r->ncycles);
    for (size_t k = 0; k < r->ncycles; k++)
      if (isfinite(r->cycle_mem[k]) && fabs(r->cycle_mem[k] - base) > m)
        m = fabs(r->cycle_mem[k] - base);
  }
  const char *bu;
  double S = byte_unit(m, &bu);
  header(&j->script, stem, j->title, w, h);
  unit_lines(&j->script, S, 0);
  set_text(&j->script, "xlabel", "cycle");
  axis_label(&j->script, "ylabel", "growth since the run's first cycle", bu);
  end_labels(&j->script, in);
  int block = 0;
  for (size_t i = 0; i < in->nruns; i++) {
    const struct plot_run *r = &in->runs[i];
    if (r->ncycles == 0 || !r->cycle_k || !r->cycle_mem)
      continue;
    double base = first_finite(r->cycle_mem, r->ncycles);
    size_t step = r->ncycles / MAX_ROWS + 1;
    strbuf_addf(&j->data, "%s# block %d: run %zu: cycle memory_after_cycle_bytes"
                " growth_bytes\n", block ? "\n\n" : "", block, i + 1);
    for (size_t k = 0; k < r->ncycles; k += step) {
      if (k > 0 && new_lifetime(r, k - step, k))
        strbuf_addc(&j->data, '\n');
      add_num(&j->data, r->cycle_k[k]);
      add_num(&j->data, r->cycle_mem[k]);
      add_num(&j->data, r->cycle_mem[k] - base);
      strbuf_addc(&j->data, '\n');
    }
    const struct run_style *st = &RUN_STYLES[i % NSTYLES];
    size_t every = r->ncycles / 12 + 1; /* a dozen markers a line */
    char *style = xasprintf("linespoints lw 1.5 dt %d pt %d ps %.1f pi %zu lc rgb '%s'",
                            st->dash, st->point, st->size, every, st->colour);
    clause(&j->script, block == 0, stem, block, "1:($3/S)", style,
           r->name ? r->name : "run");
    free(style);
    block++;
  }
  strbuf_addc(&j->script, '\n');
  footer(&j->script, stem, w, h);
}

static int has_leak(const struct plot_input *in) {
  for (size_t i = 0; i < in->nruns; i++)
    if (isfinite(in->runs[i].leak))
      return 1;
  return 0;
}

static int has_cycles(const struct plot_input *in) {
  for (size_t i = 0; i < in->nruns; i++)
    if (in->runs[i].ncycles > 0 && in->runs[i].cycle_k && in->runs[i].cycle_mem)
      return 1;
  return 0;
}

size_t plot_jobs_build(const struct plot_input *in, unsigned width,
                       unsigned height, struct plot_job **jobs) {
  size_t n = 0;
  *jobs = NULL;
  for (size_t i = 0; i < in->nruns; i++) {
    const struct plot_run *r = &in->runs[i];
    if (r->nsamples > 0 && r->t && r->mem)
      plot_memory(jobs, &n, r, (int)i, width, height);
    if (r->ncycles > 0 && r->cycle_k && r->cycle_mem)
      plot_cycles(jobs, &n, r, (int)i, width, height);
  }
  if (in->nruns >= 2 && has_leak(in))
    plot_leaks(jobs, &n, in, width);
  if (in->nruns >= 2 && has_cycles(in))
    plot_overlay(jobs, &n, in, width, height);
  return n;
}

void plot_jobs_free(struct plot_job *jobs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(jobs[i].stem);
    free(jobs[i].title);
    strbuf_fini(&jobs[i].script);
    strbuf_fini(&jobs[i].data);
  }
  free(jobs);
}
