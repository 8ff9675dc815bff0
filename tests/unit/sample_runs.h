/* sample_runs.h — synthetic runs for the plot and report tests (header
 * only): a process loading and unloading a library every 30 s, sampled every
 * 10 s, leaking a given number of bytes per cycle, with deterministic noise. */
#ifndef LEAKSLOPE_SAMPLE_RUNS_H
#define LEAKSLOPE_SAMPLE_RUNS_H

#include <math.h>
#include <stdlib.h>

#include "report/plot.h"

struct sample_run {
  double *t, *mem, *ct, *ck, *cm, *fit, *lo, *hi;
  unsigned *life, *clife;
};

static double sample_noise(unsigned long *state) {
  *state = *state * 6364136223846793005UL + 1442695040888963407UL;
  return (double)((*state >> 33) % 10000) / 10000.0 - 0.5;
}

/* Fill r (and the arrays in s) with ncycles cycles leaking `leak` bytes per
 * cycle and its interval ±half; restart_at > 0 starts a new process lifetime
 * at that cycle. */
static __attribute__((unused)) void
sample_run_make(struct sample_run *s, struct plot_run *r, const char *name,
                size_t ncycles, double leak, double half, size_t restart_at,
                unsigned long seed) {
  size_t ns = ncycles * 3;
  s->t = calloc(ns, sizeof(double));
  s->mem = calloc(ns, sizeof(double));
  s->life = calloc(ns, sizeof(unsigned));
  s->ct = calloc(ncycles, sizeof(double));
  s->clife = calloc(ncycles, sizeof(unsigned));
  s->ck = calloc(ncycles, sizeof(double));
  s->cm = calloc(ncycles, sizeof(double));
  s->fit = calloc(ncycles, sizeof(double));
  s->lo = calloc(ncycles, sizeof(double));
  s->hi = calloc(ncycles, sizeof(double));
  double base = 48.0 * 1048576;
  for (size_t i = 0; i < ns; i++) {
    size_t k = i / 3;
    unsigned life = restart_at && k >= restart_at;
    size_t kk = life ? k - restart_at : k;
    s->t[i] = 10.0 * (double)i;
    s->life[i] = life;
    s->mem[i] = base + leak * (double)kk + (i % 3 == 1 ? 3.0 * 1048576 : 0) +
                600000 * sample_noise(&seed);
    if (i == 100)
      s->mem[i] = NAN; /* a blank cell */
  }
  for (size_t k = 0; k < ncycles; k++) {
    size_t kk = restart_at && k >= restart_at ? k - restart_at : k;
    s->clife[k] = restart_at && k >= restart_at;
    s->ct[k] = 30.0 * (double)k + 20;
    s->ck[k] = (double)(k + 1);
    s->cm[k] = base + leak * (double)kk + 600000 * sample_noise(&seed);
    s->fit[k] = base + leak * (double)kk;
    double c = (double)kk - (double)ncycles / 2;
    s->lo[k] = s->fit[k] - fabs(c) * half - 30000;
    s->hi[k] = s->fit[k] + fabs(c) * half + 30000;
  }
  *r = (struct plot_run){
      .name = name, .counter = "\\\\EXCH01\\Process(mapitest)\\Private Bytes",
      .t0_utc = "2026-03-05T21:58:08.000000Z", .has_clock = true,
      .t0_clock = 1772747888.0 + 3600, /* 22:58:08 on a UTC+01:00 clock */
      .zone = "UTC+01:00", .nsamples = ns, .t = s->t,
      .mem = s->mem, .lifetime = s->life, .ncycles = ncycles, .cycle_t = s->ct,
      .cycle_k = s->ck, .cycle_mem = s->cm, .fit = s->fit, .fit_lo = s->lo,
      .fit_hi = s->hi, .cycle_lifetime = s->clife, .leak = leak, .leak_lo = leak - half,
      .leak_hi = leak + half, .verdict = leak > 64 ? "leak" : "no-leak"};
}

static __attribute__((unused)) void sample_run_free(struct sample_run *s) {
  free(s->t); free(s->mem); free(s->life); free(s->clife); free(s->ct); free(s->ck);
  free(s->cm); free(s->fit); free(s->lo); free(s->hi);
}

#endif
