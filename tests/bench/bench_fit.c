/* bench_fit — time fit_leak on a long run (default 1,000,000 cycles: one
 * observation per cycle, 40 KiB leaked per cycle, page-quantised AR(1)
 * noise, a few trims, two lifetimes, times from a varying cycle rate).
 * Usage: bench_fit [CYCLES]. Prints the figures; `make bench` runs it.
 * Wall-clock timing belongs here, never in `make check`. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fit/fit.h"
#include "util/rng.h"

/* CPU time of this process: on a loaded machine wall time measures the
 * neighbours, so both are printed. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
  struct fit_obs *obs = malloc((n ? n : 1) * sizeof *obs);
  struct rng r;
  rng_seed(&r, 2026);
  double e = 0, hours = 0;
  for (size_t i = 0; i < n; i++) {
    e = 0.9 * e + 20000 * rng_normal(&r);
    double base = 50e6 + 40960.0 * (double)i + e;
    if (rng_uniform(&r) < 1e-4)
      base -= 30e6; /* a heap trim */
    hours += (1.0 + 0.5 * sin((double)i / 5000.0)) / 7200.0;
    obs[i] = (struct fit_obs){(double)i, 1.0e6 + hours,
                              4096 * floor(base / 4096), i < n / 3 ? 0u : 1u};
  }
  struct fit_options o;
  fit_options_init(&o);
  o.have_time = true;
  struct fit_result res;
  double t0 = now(), w0 = wall();
  fit_leak(obs, n, &o, &res);
  double t1 = now(), w1 = wall();
  printf("bench-fit: %zu cycles, cycles+time: %.3f s CPU, %.3f s wall (method %s, %.1f B/cycle, "
         "95%% [%.1f, %.1f], separable %s)\n",
         n, t1 - t0, w1 - w0, fit_method_name(res.leak.method), res.leak.slope,
         res.leak.ci_lo, res.leak.ci_hi, res.separable ? "yes" : "no");
  o.have_time = false;
  fit_result_fini(&res);
  t0 = now(), w0 = wall();
  fit_leak(obs, n, &o, &res);
  t1 = now(), w1 = wall();
  printf("bench-fit: %zu cycles, cycles only: %.3f s CPU, %.3f s wall (method %s, %.1f B/cycle, "
         "95%% [%.1f, %.1f], block %zu)\n",
         n, t1 - t0, w1 - w0, fit_method_name(res.leak.method), res.leak.slope,
         res.leak.ci_lo, res.leak.ci_hi, res.leak.block_len);
  fit_result_fini(&res);
  for (size_t i = 0; i < n; i++) /* no page steps: no tied slopes */
    obs[i].bytes = 50e6 + 40960.0 * (double)i + 50000 * rng_normal(&r);
  t0 = now(), w0 = wall();
  fit_leak(obs, n, &o, &res);
  t1 = now(), w1 = wall();
  printf("bench-fit: %zu cycles, continuous noise: %.3f s CPU, %.3f s wall "
         "(method %s, %.2f B/cycle, 95%% [%.2f, %.2f])\n",
         n, t1 - t0, w1 - w0, fit_method_name(res.leak.method), res.leak.slope,
         res.leak.ci_lo, res.leak.ci_hi);
  fit_result_fini(&res);
  free(obs);
  return 0;
}
