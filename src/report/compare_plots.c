/* compare_plots — analyses to plots to report items (see compare_plots.h). */
#include "config.h"
#include "report/compare_plots.h"
#include "report/wallclock.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Arrays one plot_run points at; freed after rendering. */
struct run_arrays {
  double *t;
  unsigned *life;
  double *cycle_t, *cycle_k, *cycle_mem, *fit, *fit_lo, *fit_hi;
  unsigned *cycle_life;
  char t0[TIME_UTC_BUFSZ];
  char zone[WALLCLOCK_ZONE_BUFSZ];
};

static void run_arrays_fini(struct run_arrays *ra) {
  free(ra->t);
  free(ra->life);
  free(ra->cycle_t);
  free(ra->cycle_k);
  free(ra->cycle_mem);
  free(ra->fit);
  free(ra->fit_lo);
  free(ra->fit_hi);
  free(ra->cycle_life);
}

/* The fitted line and a band from the slope's interval, pivoting at each
 * lifetime's mean cycle (where a line's uncertainty is smallest). */
static void fit_line(const struct analysis *a, const struct analyze_detail *dt,
                     struct run_arrays *ra, size_t n) {
  if (isnan(a->leak) || !dt->offsets)
    return;
  int nl = dt->points.lifetimes > 0 ? dt->points.lifetimes : 1;
  double *sum = xcalloc((size_t)nl, sizeof *sum);
  double *cnt = xcalloc((size_t)nl, sizeof *cnt);
  for (size_t i = 0; i < n; i++) {
    int l = dt->points.lifetime[i] < nl ? dt->points.lifetime[i] : 0;
    sum[l] += ra->cycle_k[i];
    cnt[l] += 1;
  }
  ra->fit = xcalloc(n, sizeof *ra->fit);
  ra->fit_lo = xcalloc(n, sizeof *ra->fit_lo);
  ra->fit_hi = xcalloc(n, sizeof *ra->fit_hi);
  for (size_t i = 0; i < n; i++) {
    int l = dt->points.lifetime[i] < nl ? dt->points.lifetime[i] : 0;
    double k = ra->cycle_k[i], centre = cnt[l] > 0 ? sum[l] / cnt[l] : 0;
    ra->fit[i] = dt->offsets[l] + a->leak * k;
    double lo = ra->fit[i] + (a->leak_lo - a->leak) * (k - centre);
    double hi = ra->fit[i] + (a->leak_hi - a->leak) * (k - centre);
    ra->fit_lo[i] = isnan(lo) ? ra->fit[i] : fmin(lo, hi);
    ra->fit_hi[i] = isnan(hi) ? ra->fit[i] : fmax(lo, hi);
  }
  free(sum);
  free(cnt);
}

/* The first counter log with a known bias: its clock is the run's. */
static const struct analysis_input *counter_log(const struct analysis *a) {
  for (size_t i = 0; i < a->ninputs; i++)
    if (a->inputs[i].kind && !strcmp(a->inputs[i].kind, "counters") && a->inputs[i].has_bias)
      return &a->inputs[i];
  return NULL;
}

static void fill_run(struct plot_run *pr, struct run_arrays *ra, const char *name,
                     const struct analysis *a, const struct analyze_detail *dt) {
  memset(pr, 0, sizeof *pr);
  memset(ra, 0, sizeof *ra);
  pr->name = name;
  pr->counter = a->counter;
  usec_t t0 = dt->n ? dt->t[0] : 0;
  if (dt->n)
    pr->t0_utc = time_format_utc(t0, ra->t0);
  const struct analysis_input *log = counter_log(a);
  if (dt->n && log) { /* local = UTC - bias */
    pr->has_clock = true;
    pr->t0_clock = (double)(t0 - log->bias_minutes * USEC_PER_MIN) / (double)USEC_PER_SEC;
    wallclock_zone(-log->bias_minutes, ra->zone);
    pr->zone = ra->zone;
  }
  ra->t = xcalloc(dt->n ? dt->n : 1, sizeof *ra->t);
  ra->life = xcalloc(dt->n ? dt->n : 1, sizeof *ra->life);
  for (size_t i = 0; i < dt->n; i++) {
    ra->t[i] = (double)(dt->t[i] - t0) / (double)USEC_PER_SEC;
    ra->life[i] = (unsigned)dt->lifetime[i];
  }
  pr->nsamples = dt->n;
  pr->t = ra->t;
  pr->mem = dt->mem;
  pr->lifetime = ra->life;
  size_t n = a->per_cycle ? dt->points.n : 0;
  ra->cycle_t = xcalloc(n ? n : 1, sizeof *ra->cycle_t);
  ra->cycle_k = xcalloc(n ? n : 1, sizeof *ra->cycle_k);
  ra->cycle_mem = xcalloc(n ? n : 1, sizeof *ra->cycle_mem);
  ra->cycle_life = xcalloc(n ? n : 1, sizeof *ra->cycle_life);
  for (size_t i = 0; i < n; i++) {
    ra->cycle_t[i] = (double)(dt->points.t[i] - t0) / (double)USEC_PER_SEC;
    ra->cycle_k[i] = dt->points.cycles[i];
    ra->cycle_mem[i] = dt->points.mem[i];
    ra->cycle_life[i] = (unsigned)dt->points.lifetime[i];
  }
  fit_line(a, dt, ra, n);
  pr->ncycles = n;
  pr->cycle_t = dt->points.mode == JOIN_AFTER_CYCLE ? ra->cycle_t : NULL;
  pr->cycle_k = ra->cycle_k;
  pr->cycle_mem = ra->cycle_mem;
  pr->fit = ra->fit;
  pr->fit_lo = ra->fit_lo;
  pr->fit_hi = ra->fit_hi;
  pr->cycle_lifetime = ra->cycle_life;
  pr->leak = a->leak;
  pr->leak_lo = a->leak_lo;
  pr->leak_hi = a->leak_hi;
  pr->verdict = verdict_name(a->verdict);
}

void compare_plots_make(struct compare_plots *p, const char *const *names,
                        const struct analysis *const *runs,
                        const struct analyze_detail *const *details, size_t nruns,
                        bool want, const char *keep_dir, const char *href_dir) {
  memset(p, 0, sizeof *p);
  plot_set_init(&p->set);
  if (!want) {
    p->why_none = xstrdup("plots were not asked for");
    return;
  }
  struct plot_run *pr = xcalloc(nruns ? nruns : 1, sizeof *pr);
  struct run_arrays *ra = xcalloc(nruns ? nruns : 1, sizeof *ra);
  double tolerance = NAN;
  for (size_t i = 0; i < nruns; i++) {
    fill_run(&pr[i], &ra[i], names[i], runs[i], details[i]);
    tolerance = runs[i]->tolerance;
  }
  struct plot_input in = {pr, nruns, tolerance};
  struct plot_options opt = {NULL, keep_dir, 0, 0};
  struct diag d;
  diag_init(&d);
  if (plot_render(&in, &opt, &p->set, &d) == 0) {
    p->items = report_plots_from_set(&p->set, href_dir);
    p->count = p->set.count;
  } else {
    p->failed = true;
    p->cantcreat = d.kind == DIAG_CANTCREAT;
    p->why_none = diag_format(&d);
  }
  diag_fini(&d);
  for (size_t i = 0; i < nruns; i++)
    run_arrays_fini(&ra[i]);
  free(ra);
  free(pr);
}

void compare_plots_fini(struct compare_plots *p) {
  report_plots_free(p->items, p->count);
  free(p->why_none);
  plot_set_fini(&p->set);
  memset(p, 0, sizeof *p);
}
