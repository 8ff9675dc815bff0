/* plot_script — the four plots as gnuplot scripts plus data files.
 *
 * Each script is self-contained and refers to its data and outputs by fixed
 * relative names, so a user who kept them (--plots DIR) can restyle and
 * re-run it: `cd DIR && gnuplot run1-memory.gp`. Data files hold raw numbers
 * (seconds, bytes) and the scripts scale them with S (bytes per unit) and T
 * (seconds per unit). Text from input appears only through plot_quote. */
#include "config.h"
#include "report/plot_script.h"

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
  strbuf_adds(s, "set key noenhanced tmargin center horizontal Left reverse\n"
                 "set title font ',12'\n"
                 "set xtics noenhanced\n"
                 "set ytics noenhanced\n"
                 "set grid lc rgb '#dddddd'\n"
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
  char *xl = r->t0_utc ? xasprintf("%s since %s", tu, r->t0_utc) : xstrdup(tu);
  set_text(&j->script, "xlabel", xl);
  free(xl);
  axis_label(&j->script, "ylabel", counter_name(r), bu);
  clause(&j->script, 1, stem, 0, "($1/T):($2/S)",
         "lines lw 1.2 lc rgb '#1f77b4'", counter_name(r));
  if (markers) {
    clause(&j->script, 0, stem, 1, "($1/T):($3/S)",
           "points pt 7 ps 0.45 lc rgb '#d62728'", "memory after each cycle");
    if (r->fit)
      clause(&j->script, 0, stem, 1, "($1/T):($4/S)",
             "lines lw 2 lc rgb '#2ca02c'", "fitted line");
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
  int first = 1;
  if (r->fit_lo && r->fit_hi) {
    clause(&j->script, first, stem, -1, "1:($4/S):($5/S)",
           "filledcurves fc rgb '#2ca02c' fs transparent solid 0.25 noborder",
           "95% band of the fitted line");
    first = 0;
  }
  if (r->fit) {
    clause(&j->script, first, stem, -1, "1:($3/S)", "lines lw 1.5 lc rgb '#2ca02c'",
           "fitted line");
    first = 0;
  }
  clause(&j->script, first, stem, -1, "1:($2/S)",
         "points pt 7 ps 0.45 lc rgb '#1f77b4'", "memory after the cycle");
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
    const char *u;
    double us = byte_unit(fabs(r->leak) * 2, &u); /* switch units at 1024 */
    double x = isfinite(r->leak_hi) ? r->leak_hi : r->leak;
    strbuf_addf(s, "set label %zu '%.*f %s' at %.10g, %zu left offset 1,0 noenhanced\n",
                i + 1,
                us == 1 && fabs(r->leak) >= 100 ? 0 : 1, r->leak / us,
                us == 1 ? "B" : u, x / S, i + 1);
  }
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
    strbuf_addf(&j->script, "set object 1 rect from %.10g, graph 0 to %.10g, graph 1 "
                "fc rgb '#d8efd8' fs solid 1.0 noborder behind\n",
                -in->tolerance / S, in->tolerance / S);
    xl = xasprintf("%s per cycle (shaded: the no-leak tolerance, %g bytes)", bu,
                   in->tolerance);
  } else {
    xl = xasprintf("%s per cycle", bu);
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
    clause(&j->script, block == 0, stem, block, "1:($3/S)",
           r->ncycles <= 200 ? "linespoints pt 7 ps 0.5 lw 1.5" : "lines lw 1.5",
           r->name ? r->name : "run");
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
