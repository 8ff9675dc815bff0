/* Unit tests of the fit numerics on data with known truth.
 *
 * Coverage checks draw 200 seeded series per situation and count how often
 * the 95% interval holds the true slope.  A correct 95% interval covers
 * 190 of 200 on average with a standard deviation of 3.1, so the bar of
 * >= 180 (90%) sits 3.2 SD below: a sound method fails it with probability
 * under 0.1%, while an interval that ignores autocorrelation (covering
 * 50-70% on these series) fails it surely.  The seeds are fixed, so the
 * outcome never changes between runs.  Widths are checked against the
 * standard error the situation implies, so "always covers" cannot pass by
 * being useless.  Under valgrind (make check-valgrind) the coverage checks
 * draw the first 20 of the same series and skip the statistical checks:
 * memcheck needs the code paths, the plain run checks the statistics. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit/fit.h"
#include "fit/fit_change.h"
#include "fit/fit_select.h"
#include "util/rng.h"
#include "tap.h"

#define NSER_FULL 200
static int NSER = NSER_FULL;

/* A statistical check (coverage, width): judged on the full 200 series;
 * under valgrind, 20 are drawn and the check is a TAP skip. */
static __attribute__((format(printf, 2, 3))) void stat_ok(int cond, const char *fmt, ...) {
  if (NSER != NSER_FULL) {
    printf("ok %d # SKIP statistics need %d series; valgrind draws %d\n", ++tap_count,
           NSER_FULL, NSER);
    return;
  }
  char what[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  ok(cond, "%s", what);
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double *vec(size_t n) { return calloc(n ? n : 1, sizeof(double)); }

/* ---- exact answers ------------------------------------------------------- */

static void test_exact_lines(void) {
  double x[101], y[101], off[1];
  for (int i = 0; i < 101; i++)
    x[i] = 1.7e9 + 15.0 * i, y[i] = 3e8 + 2.5 * x[i]; /* epoch-scale x */
  struct fit_slope s;
  fit_theil_sen(x, y, NULL, 101, &s, off);
  is_near(s.slope, 2.5, 1e-9, "exact line y = 3e8 + 2.5x at epoch-scale x: slope 2.5");
  is_near(off[0], 3e8, 1e-2, "exact line: intercept 3e8 (x centred, no digits lost)");
  ok(s.ci_lo == s.slope && s.ci_hi == s.slope, "exact line: interval [2.5, 2.5]");
  is_str(fit_method_name(s.method), "theil-sen", "method name theil-sen");

  double x2[8] = {0, 1, 2, 3, 4, 5, 6, 7}, y2[8];
  for (int i = 0; i < 8; i++)
    y2[i] = -4096.0 * i;
  fit_theil_sen(x2, y2, NULL, 8, &s, NULL);
  is_near(s.slope, -4096, 0, "falling exact line: slope -4096");
}

static void test_edge_cases(void) {
  struct fit_slope s;
  double x[3] = {1, 2, 3}, y[3] = {10, 20, 30};
  ok(fit_theil_sen(x, y, NULL, 0, &s, NULL) == -1 && s.status == FIT_EMPTY &&
         isnan(s.slope), "n = 0: status empty, slope NaN, no crash");
  ok(fit_theil_sen(x, y, NULL, 1, &s, NULL) == -1 && s.status == FIT_TOO_FEW &&
         isnan(s.slope), "n = 1: status too-few, slope NaN");
  ok(fit_theil_sen(x, y, NULL, 2, &s, NULL) == -1 && s.status == FIT_TOO_FEW &&
         s.slope == 10 && isnan(s.ci_lo), "n = 2: status too-few, slope 10 from the one pair, no interval");
  double xs[5] = {4, 4, 4, 4, 4}, ys[5] = {1, 2, 3, 4, 5};
  ok(fit_theil_sen(xs, ys, NULL, 5, &s, NULL) == -1 && s.status == FIT_NO_SPREAD,
     "5 points at one x: status no-spread");
  is_str(fit_status_message(FIT_NO_SPREAD), "no two observations differ in cycles",
         "status message for no-spread");
  struct fit_options o;
  fit_options_init(&o);
  o.have_time = true;
  struct fit_result r;
  ok(fit_leak(NULL, 0, &o, &r) == -1 && r.status == FIT_EMPTY &&
         r.verdict == FIT_INCONCLUSIVE && isnan(r.cycles_needed) && r.lifetimes == 0,
     "fit_leak on nothing: empty, inconclusive, cycles_needed NaN");
  fit_result_fini(&r);
  struct fit_obs two[2] = {{0, 0, 100, 0}, {1, 0.1, 200, 0}};
  ok(fit_leak(two, 2, &o, &r) == -1 && r.status == FIT_TOO_FEW && r.n_used == 2,
     "fit_leak on 2 observations: too-few, no crash");
  fit_result_fini(&r);
  struct fit_obs bad[4] = {{0, 0, NAN, 0}, {1, 1, 1, 0}, {INFINITY, 2, 2, 0}, {3, 3, 3, 0}};
  fit_leak(bad, 4, &o, &r);
  ok(r.skipped == 2 && (r.warnings & FIT_WARN_SKIPPED) && r.status == FIT_TOO_FEW,
     "non-finite observations skipped (2) and flagged");
  fit_result_fini(&r);
}

/* Ranks of the exact selection against sorting every pair slope. */
static void test_selection_vs_brute_force(void) {
  const size_t n = 1500;
  double *x = vec(n), *y = vec(n);
  struct rng r;
  rng_seed(&r, 11);
  for (size_t i = 0; i < n; i++) {
    x[i] = floor(rng_uniform(&r) * 400);       /* many ties in x */
    y[i] = floor(50 * x[i] + rng_normal(&r) * 300); /* integer y: tied slopes */
  }
  size_t np = 0;
  double *all = vec(n * (n - 1) / 2);
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      if (x[i] != x[j])
        all[np++] = (y[j] - y[i]) / (x[j] - x[i]);
  qsort(all, np, sizeof *all, cmp_d);
  size_t gs[2] = {0, n};
  struct ts_data d = {x, y, n, gs, 1};
  struct ts_selector *s = ts_selector_new(&d, 1);
  is_int(ts_pairs(s), np, "pairs with distinct x counted exactly (%zu)", np);
  uint64_t ranks[5] = {0, np / 4, np / 2, np - np / 10, np - 1};
  int same = 1;
  for (int k = 0; k < 5; k++) {
    double got = ts_rank(s, ranks[k]);
    if (got != all[ranks[k]]) {
      same = 0;
      printf("# rank %llu: got %.17g want %.17g\n", (unsigned long long)ranks[k], got, all[ranks[k]]);
    }
  }
  ok(same, "exact selection = brute force at 5 ranks of %zu slopes (ties in x and in slopes)", np);
  double med = np % 2 ? all[np / 2] : 0.5 * (all[np / 2 - 1] + all[np / 2]);
  is_near(ts_median(s), med, 0, "median slope = brute-force median");
  ts_selector_free(s);
  free(all);
  free(x);
  free(y);
}

static void test_ties_in_x(void) {
  /* Two samples at every cycle count, 1 KiB above and below the line. */
  double x[40], y[40];
  for (int i = 0; i < 40; i++)
    x[i] = i / 2, y[i] = 8192.0 * (i / 2) + (i % 2 ? 1024 : -1024);
  struct fit_slope s;
  fit_theil_sen(x, y, NULL, 40, &s, NULL);
  is_near(s.slope, 8192, 1e-9, "pairs at equal x skipped: slope 8192 exactly");
}

static void test_outliers(void) {
  const size_t n = 400;
  double *x = vec(n), *y = vec(n), sx = 0, sy = 0, sxx = 0, sxy = 0;
  struct rng r;
  rng_seed(&r, 5);
  for (size_t i = 0; i < n; i++) {
    x[i] = (double)i;
    y[i] = 1e8 + 40960.0 * (double)i + 2000 * rng_normal(&r);
    if (i % 37 == 5)
      y[i] -= 30e6; /* heap trims */
    if (i == 200)
      y[i] += 500e6; /* one spike */
  }
  for (size_t i = 0; i < n; i++)
    sx += x[i], sy += y[i];
  double mx = sx / (double)n, my = sy / (double)n;
  for (size_t i = 0; i < n; i++)
    sxx += (x[i] - mx) * (x[i] - mx), sxy += (x[i] - mx) * (y[i] - my);
  struct fit_slope s;
  fit_theil_sen(x, y, NULL, n, &s, NULL);
  is_near(s.slope, 40960, 40960 * 0.002, "11 trims of 30 MB and a 500 MB spike: Theil-Sen %.1f within 0.2%% of 40960 (least squares says %.1f)", s.slope, sxy / sxx);
  ok(s.ci_lo <= 40960 && 40960 <= s.ci_hi, "outliers: interval [%.1f, %.1f] holds 40960", s.ci_lo, s.ci_hi);
  free(x);
  free(y);
}

/* ---- coverage -------------------------------------------------------------- */

enum noise { IID, AR1, PAGES, TOPPAD, SLOWPAD };

/* Series i of a situation: y after each of n cycles, true slope *b. */
static void series(enum noise kind, struct rng *r, size_t n, double *x,
                   double *y, double *b) {
  double e = 0, u0 = 5e7 + rng_uniform(r) * 1e6;
  *b = kind == TOPPAD ? 30000 + 4000 * rng_uniform(r) : 1000 + 2000 * rng_uniform(r);
  for (size_t i = 0; i < n; i++) {
    x[i] = (double)i;
    double u = u0 + *b * (double)i;
    switch (kind) {
    case IID: y[i] = u + 3000 * rng_normal(r); break;
    case AR1: e = 0.9 * e + 3000 * rng_normal(r); y[i] = u + e; break;
    case PAGES: /* the heap's use wanders a little; memory is whole pages */
      e = 0.5 * e + 1500 * rng_normal(r);
      y[i] = 4096 * ceil((u + e) / 4096);
      break;
    case TOPPAD:  /* glibc extends the heap by 128 KiB beyond the need */
    case SLOWPAD: /* the same with a small leak: a step every ~40-130 cycles */
      e = 0.5 * e + 1500 * rng_normal(r);
      y[i] = 131072 * ceil((u + e) / 131072);
      break;
    }
  }
}

static void coverage(enum noise kind, const char *what, size_t n, double se,
                     double max_width_se) {
  double *x = vec(n), *y = vec(n), *half = vec(NSER), b;
  struct rng r;
  rng_seed(&r, 1000 + (uint64_t)kind);
  int covered = 0, blocked = 0;
  for (int k = 0; k < NSER; k++) {
    series(kind, &r, n, x, y, &b);
    struct fit_obs *obs = calloc(n, sizeof *obs);
    for (size_t i = 0; i < n; i++)
      obs[i] = (struct fit_obs){x[i], x[i] / 3600, y[i], 0};
    struct fit_options o;
    fit_options_init(&o);
    struct fit_result res;
    fit_leak(obs, n, &o, &res);
    covered += res.leak.ci_lo <= b && b <= res.leak.ci_hi;
    blocked += res.leak.method == FIT_THEIL_SEN_BLOCKED;
    half[k] = (res.leak.ci_hi - res.leak.ci_lo) / 2;
    fit_result_fini(&res);
    free(obs);
  }
  qsort(half, NSER, sizeof *half, cmp_d);
  stat_ok(covered >= 180, "%s: the 95%% interval holds the true slope in %d of %d series (>= 180)",
          what, covered, NSER);
  stat_ok(half[NSER / 2] < max_width_se * se,
     "%s: median half-width %.2f B/cycle < %.1f x the %.2f B/cycle standard error",
     what, half[NSER / 2], max_width_se, se);
  if (kind == AR1 || kind == PAGES || kind == SLOWPAD)
    stat_ok(blocked >= NSER * 9 / 10, "%s: autocorrelation seen, blocked interval in %d of %d", what, blocked, NSER);
  free(x);
  free(y);
  free(half);
}

static void test_coverage(void) {
  /* Standard errors of a least-squares slope: sigma sqrt(12 / n^3), times
   * sqrt((1 + phi) / (1 - phi)) for AR(1) errors (their long-run sd). */
  double n = 400, base = sqrt(12 / (n * n * n));
  coverage(IID, "independent noise (sd 3000)", 400, 3000 * base, 3.0);
  double ar = 3000 / sqrt(1 - 0.81) * sqrt(1.9 / 0.1);
  coverage(AR1, "AR(1) noise, phi 0.9", 400, ar * base, 4.0);
  double pg = sqrt(1500 * 1500 / 0.75 + 4096.0 * 4096 / 12) * sqrt(3);
  coverage(PAGES, "4 KiB page steps over AR(1) use", 400, pg * base, 4.0);
  double tp = 131072 / sqrt(12.0) * 3;
  coverage(TOPPAD, "128 KiB top-pad steps, 30-34 KiB/cycle", 400, tp * base, 4.0);
  /* A staircase of period P has the long-run error of a sawtooth: about
   * amplitude/sqrt(12) times sqrt(P) (P ~ 65 cycles here). */
  double n2 = 2000, base2 = sqrt(12 / (n2 * n2 * n2));
  coverage(SLOWPAD, "128 KiB top-pad steps, 1-3 KiB/cycle", 2000,
           131072 / sqrt(12.0) * sqrt(65.0) * base2, 4.0);
}

/* ---- warm-up ------------------------------------------------------------- */

static struct fit_obs *warm_series(size_t n, double leak, double amp, double tau,
                                   uint64_t seed) {
  struct fit_obs *o = calloc(n, sizeof *o);
  struct rng r;
  rng_seed(&r, seed);
  for (size_t i = 0; i < n; i++) {
    double k = (double)i;
    o[i] = (struct fit_obs){k, k / 1800,
                            8e7 + amp * (1 - exp(-k / tau)) + leak * k + 3000 * rng_normal(&r), 0};
  }
  return o;
}

static void test_warmup(void) {
  struct fit_options o;
  fit_options_init(&o);
  struct fit_result r;
  struct fit_obs *w = warm_series(1000, 4096, 20e6, 30, 21);
  fit_leak(w, 1000, &o, &r);
  is_near(r.leak.slope, 4096, 4096 * 0.02, "warm-up (20 MB, tau 30) then 4096 B/cycle: leak %.1f within 2%%", r.leak.slope);
  ok(r.warmup_cycles >= 60 && r.warmup_cycles <= 400, "warm-up then leak: %.0f warm-up cycles dropped (60..400 for tau 30)", r.warmup_cycles);
  is_str(fit_verdict_name(r.verdict), "leak", "warm-up then leak: verdict leak");
  fit_result_fini(&r);

  fit_options_init(&o);
  o.detect_warmup = false;
  fit_leak(w, 1000, &o, &r);
  fit_result_fini(&r);
  free(w);

  fit_options_init(&o);
  w = warm_series(1000, 0, 20e6, 30, 22);
  o.detect_warmup = false;
  fit_leak(w, 1000, &o, &r);
  double biased_lo = r.leak.ci_lo, biased = r.leak.slope;
  fit_result_fini(&r);
  o.detect_warmup = true;
  fit_leak(w, 1000, &o, &r);
  ok(r.warmup_points > 0, "warm-up then plateau: %zu warm-up points dropped", r.warmup_points);
  is_str(fit_verdict_name(r.verdict), "no-leak", "warm-up then plateau: verdict no-leak (leak %.2f, 95%% [%.2f, %.2f])", r.leak.slope, r.leak.ci_lo, r.leak.ci_hi);
  ok(biased > 4 * r.leak.slope,
     "without warm-up detection the plateau would read %.1f B/cycle (interval from %.1f), over 4x more", biased, biased_lo);
  fit_result_fini(&r);
  free(w);

  /* Clean lines, independent and autocorrelated noise: nothing dropped. */
  int dropped = 0;
  for (int k = 0; k < 50; k++) {
    struct rng g;
    rng_seed(&g, 300 + (uint64_t)k);
    double *x = vec(800), *y = vec(800), b;
    series(k % 2 ? AR1 : IID, &g, 800, x, y, &b);
    size_t wu = fit_warmup(x, y, 800);
    if (wu > 0)
      printf("# series %d (%s) dropped %zu\n", k, k % 2 ? "AR(1)" : "iid", wu);
    dropped += wu > 0;
    free(x);
    free(y);
  }
  is_int(dropped, 0, "50 clean linear leaks (iid and AR(1) noise): no warm-up dropped");
  double x[30], y[30];
  for (int i = 0; i < 30; i++)
    x[i] = i, y[i] = 1e6 + 100.0 * i;
  is_int(fit_warmup(x, y, 30), 0, "exact line: no warm-up");
  is_int(fit_warmup(x, y, 5), 0, "5 points: too short for warm-up detection");
}

/* ---- time vs cycles ------------------------------------------------------- */

/* n samples 30 s apart; cycles per hour alternate between 200 and 2000
 * every 2 hours (or stay at 1000 when steady). */
static struct fit_obs *timed_series(size_t n, bool steady, double leak,
                                    double per_hour, uint64_t seed) {
  struct fit_obs *o = calloc(n, sizeof *o);
  struct rng r;
  rng_seed(&r, seed);
  double cycles = 0;
  for (size_t i = 0; i < n; i++) {
    double h = (double)i * 30 / 3600;
    double rate = steady ? 1000 : ((int)(h / 2) % 2 ? 2000 : 200);
    cycles += floor(rate * 30 / 3600 + rng_uniform(&r));
    o[i] = (struct fit_obs){cycles, h,
                            6e7 + leak * cycles + per_hour * h + 20000 * rng_normal(&r), 0};
    if (i % 97 == 50)
      o[i].bytes -= 25e6; /* a trim */
  }
  return o;
}

static void test_time_growth(void) {
  struct fit_options o;
  fit_options_init(&o);
  o.have_time = true;
  struct fit_result r;
  struct fit_obs *t = timed_series(2880, false, 0, 1e6, 31);
  fit_leak(t, 2880, &o, &r);
  ok(r.separable, "varying cycle rate: cycles and time separable (|corr| %.3f)", r.collinearity);
  is_str(fit_method_name(r.leak.method), "robust-2", "varying rate: method robust-2");
  ok(fabs(r.leak.slope) < 64 && r.verdict == FIT_NO_LEAK,
     "growth by the hour only: per-cycle leak %.2f near 0, verdict %s", r.leak.slope, fit_verdict_name(r.verdict));
  is_near(r.time_growth.slope, 1e6, 1e6 * 0.05, "time growth 1 MB/h recovered (%.0f)", r.time_growth.slope);
  ok(r.time_growth.ci_lo <= 1e6 && 1e6 <= r.time_growth.ci_hi, "time growth interval [%.0f, %.0f] holds 1e6",
     r.time_growth.ci_lo, r.time_growth.ci_hi);
  fit_result_fini(&r);
  free(t);

  t = timed_series(2880, false, 2048, 1e6, 32);
  fit_leak(t, 2880, &o, &r);
  is_near(r.leak.slope, 2048, 2048 * 0.02, "leak and time growth together: 2048 B/cycle recovered (%.1f)", r.leak.slope);
  ok(r.leak.ci_lo <= 2048 && 2048 <= r.leak.ci_hi, "per-cycle interval [%.1f, %.1f] holds 2048", r.leak.ci_lo, r.leak.ci_hi);
  is_near(r.time_growth.slope, 1e6, 1e6 * 0.1, "and 1 MB/h recovered (%.0f)", r.time_growth.slope);
  fit_result_fini(&r);
  free(t);

  t = timed_series(2880, true, 2048, 0, 33);
  fit_leak(t, 2880, &o, &r);
  ok(!r.separable && (r.warnings & FIT_WARN_NOT_SEPARABLE), "steady rate: separable false (|corr| %.4f), warned", r.collinearity);
  ok(r.leak.method != FIT_ROBUST_2, "steady rate: leak from Theil-Sen on cycles (%s)", fit_method_name(r.leak.method));
  is_near(r.leak.slope, 2048, 2048 * 0.02, "steady rate: leak 2048 still measured (%.1f)", r.leak.slope);
  is_near(r.cycles_per_hour, 1000, 20, "steady rate: %.1f cycles per hour observed", r.cycles_per_hour);
  fit_result_fini(&r);
  free(t);

  /* robust-2 directly: trims do not move it. */
  double x[600], tt[600], y[600];
  struct rng g;
  rng_seed(&g, 34);
  for (int i = 0; i < 600; i++) {
    x[i] = i * 3 + (i % 40 < 20 ? i % 20 : 0);
    tt[i] = i * 0.01;
    y[i] = 500.0 * x[i] + 1e5 * tt[i] + 100 * rng_normal(&g) - (i % 50 == 7 ? 1e7 : 0);
  }
  struct fit_slope b, c;
  double col;
  fit_robust2(x, tt, y, NULL, 600, 0, &b, &c, &col);
  is_near(b.slope, 500, 2, "robust-2 with 12 trims of 10 MB: b %.2f (500)", b.slope);
  is_near(c.slope, 1e5, 1e3, "robust-2 with trims: c %.0f (1e5)", c.slope);
}

/* Coverage of robust-2's intervals: 200 series, varying rate, AR(1)
 * noise (phi 0.8) in 4 KiB pages, a trim now and then. */
static void test_robust2_coverage(void) {
  int cov_b = 0, cov_c = 0;
  struct rng g;
  rng_seed(&g, 71);
  const int n = 600;
  double *x = vec(n), *t = vec(n), *y = vec(n);
  for (int k = 0; k < NSER; k++) {
    double b = 1000 + 1000 * rng_uniform(&g), c = 5e5 * rng_uniform(&g);
    double e = 0, cyc = 0;
    for (int i = 0; i < n; i++) {
      double h = i * 60 / 3600.0;
      cyc += floor(((int)(h / 1.5) % 2 ? 60 : 6) * rng_uniform(&g) * 2);
      e = 0.8 * e + 8000 * rng_normal(&g);
      x[i] = cyc, t[i] = h;
      y[i] = 4096 * ceil((3e7 + b * cyc + c * h + e) / 4096) - (i % 83 == 40 ? 2e7 : 0);
    }
    struct fit_slope sb, sc;
    double col;
    fit_robust2(x, t, y, NULL, (size_t)n, 0, &sb, &sc, &col);
    cov_b += sb.ci_lo <= b && b <= sb.ci_hi;
    cov_c += sc.ci_lo <= c && c <= sc.ci_hi;
  }
  stat_ok(cov_b >= 180, "robust-2, AR(1) pages and trims: the per-cycle interval holds the truth in %d of %d (>= 180)", cov_b, NSER);
  stat_ok(cov_c >= 180, "robust-2: the per-hour interval holds the truth in %d of %d (>= 180)", cov_c, NSER);
  free(x), free(t), free(y);
}

/* ---- restarts ------------------------------------------------------------- */

static void test_restarts(void) {
  /* 10 lifetimes of 30 cycles; every restart falls back near 30 MB. */
  struct fit_obs o[300];
  struct rng g;
  rng_seed(&g, 41);
  double base[10];
  for (int l = 0; l < 10; l++)
    base[l] = 3e7 + 1e5 * rng_normal(&g);
  for (int i = 0; i < 300; i++) {
    int l = i / 30;
    double k = i % 30;
    o[i] = (struct fit_obs){(double)i, i / 60.0, base[l] + 65536 * k + 1000 * rng_normal(&g), (unsigned)l};
  }
  struct fit_options opt;
  fit_options_init(&opt);
  struct fit_result r;
  fit_leak(o, 300, &opt, &r);
  is_int(r.lifetimes, 10, "restarts: 10 lifetimes");
  is_near(r.leak.slope, 65536, 65536 * 0.01, "restarts: common slope %.1f within 1%% of 65536", r.leak.slope);
  ok(r.leak.ci_lo <= 65536 && 65536 <= r.leak.ci_hi, "restarts: interval [%.1f, %.1f] holds 65536", r.leak.ci_lo, r.leak.ci_hi);
  is_near(r.offsets[3], base[3] - 65536 * 90, 3e3, "lifetime 4 has its own offset (%.0f)", r.offsets[3]);
  double x[300], y[300];
  for (int i = 0; i < 300; i++)
    x[i] = o[i].cycles, y[i] = o[i].bytes;
  struct fit_slope s;
  fit_theil_sen(x, y, NULL, 300, &s, NULL);
  ok(fabs(s.slope - 65536) > 65536 * 0.2, "one line through the drops would say %.0f", s.slope);
  fit_result_fini(&r);
}

static void test_warmup_restarts(void) {
  /* 3 lifetimes of 500 cycles, each warming up again (15 MB, tau 25). */
  struct fit_obs *o = calloc(1500, sizeof *o);
  struct rng g;
  rng_seed(&g, 81);
  for (int i = 0; i < 1500; i++) {
    double k = i % 500;
    o[i] = (struct fit_obs){(double)i, i / 1800.0,
                            4e7 + 15e6 * (1 - exp(-k / 25)) + 2048 * k + 3000 * rng_normal(&g),
                            (unsigned)(i / 500)};
  }
  struct fit_options opt;
  fit_options_init(&opt);
  struct fit_result r;
  fit_leak(o, 1500, &opt, &r);
  ok(r.lifetimes == 3 && r.warmup_cycles >= 3 * 100 && r.warmup_cycles <= 3 * 250,
     "warm-up in each of 3 lifetimes: %.0f warm-up cycles summed (300..750)", r.warmup_cycles);
  is_near(r.leak.slope, 2048, 2048 * 0.02, "and the common leak %.1f within 2%% of 2048", r.leak.slope);
  fit_result_fini(&r);
  free(o);
}

/* ---- verdict, cycles needed, projection ----------------------------------- */

static void test_verdict(void) {
  is_str(fit_verdict_name(fit_verdict(100, 200, 64)), "leak", "interval [100, 200] above 64: leak");
  is_str(fit_verdict_name(fit_verdict(-10, 30, 64)), "no-leak", "interval [-10, 30] below 64: no-leak");
  is_str(fit_verdict_name(fit_verdict(40, 160, 64)), "inconclusive", "interval [40, 160] straddles 64: inconclusive");
  is_str(fit_verdict_name(fit_verdict(NAN, NAN, 64)), "inconclusive", "no interval: inconclusive");
  /* cycles_needed: a run that long decides in >= 80% of reruns, with the
   * true slope drawn from what this run knows of it (simulated here) */
  double need = fit_cycles_needed(100, 40, 160, 64, 1000);
  ok(need > 1000 * pow(60.0 / 36, 2.0 / 3),
     "cycles needed (%.0f) exceed the point forecast that ignores the estimate's spread", need);
  struct rng draws;
  rng_seed(&draws, 42);
  double sd = 60 / 1.959963984540054, sd2 = sd * pow(need / 1000, -1.5);
  int decided = 0;
  for (int k = 0; k < 20000; k++) {
    double beta = 100 + sd * rng_normal(&draws), est = beta + sd2 * rng_normal(&draws);
    decided += fabs(est - 64) > 1.959963984540054 * sd2;
  }
  ok(decided >= 16000, "cycles needed: a rerun of %.0f cycles decides in %d of 20000 (>= 80%%)",
     need, decided);
  ok(fit_cycles_needed(300, 240, 360, 64, 1000) < need,
     "farther from the tolerance, fewer cycles needed");
  ok(isnan(fit_cycles_needed(64, 0, 128, 64, 1000)), "estimate on the tolerance: cycles needed unknown");
  double c, h;
  int rc = fit_projection(1e9, 2147483648.0, 40960, 3600, 0, &c, &h);
  ok(rc == 0 && c == 28015 && fabs(h - 1147483648.0 / (40960.0 * 3600)) < 1e-9,
     "projection 1e9 -> 2 GiB at 40960 B/cycle, 3600 cycles/h: %.0f cycles, %.3f h", c, h);
  rc = fit_projection(1e9, 2147483648.0, -5, 3600, 0, &c, &h);
  ok(rc == -1 && isnan(c) && isnan(h), "projection when memory shrinks: none");
  rc = fit_projection(1e9, 2147483648.0, 0, 3600, 1e6, &c, &h);
  ok(rc == 0 && isnan(c) && fabs(h - 1147.483648) < 1e-6,
     "projection from 1 MB/h time growth alone: %.1f h, no cycle count", h);

  struct fit_obs o[60];
  struct rng g;
  rng_seed(&g, 51);
  for (int i = 0; i < 60; i++)
    o[i] = (struct fit_obs){i, i / 100.0, 1e7 + 70.0 * i + 2000 * rng_normal(&g), 0};
  struct fit_options opt;
  fit_options_init(&opt);
  struct fit_result r;
  fit_leak(o, 60, &opt, &r);
  ok(r.verdict == FIT_INCONCLUSIVE && r.cycles_needed > 59,
     "a small leak near the tolerance: inconclusive, %.0f cycles needed", r.cycles_needed);
  fit_result_fini(&r);
}

static void test_large_sampled(void) {
  const size_t n = 250000;
  struct fit_obs *o = calloc(n, sizeof *o);
  struct rng g;
  rng_seed(&g, 61);
  for (size_t i = 0; i < n; i++)
    o[i] = (struct fit_obs){(double)i, (double)i / 7200,
                            5e7 + 1024.0 * (double)i + 30000 * rng_normal(&g), 0};
  struct fit_options opt;
  fit_options_init(&opt);
  struct fit_result r;
  fit_leak(o, n, &opt, &r);
  ok(r.leak.sampled && fabs(r.leak.slope - 1024) < 0.05,
     "250000 points: sampled-pairs Theil-Sen %.4f (1024), blocked interval [%.4f, %.4f]",
     r.leak.slope, r.leak.ci_lo, r.leak.ci_hi);
  ok(r.leak.ci_lo <= 1024 && 1024 <= r.leak.ci_hi, "250000 points: interval holds the truth");
  fit_result_fini(&r);
  free(o);
}

/* ---- a slope that changes --------------------------------------------------- */

/* n cycles leaking b1 up to cycle k, then b2; white noise of sd `noise`;
 * a restart (new lifetime, offset 3 MB lower) after cycle `restart` (0:
 * none). */
static struct fit_obs *knee_series(size_t n, size_t k, double b1, double b2,
                                   double noise, size_t restart, uint64_t seed) {
  struct fit_obs *o = calloc(n, sizeof *o);
  struct rng r;
  rng_seed(&r, seed);
  double mem = 6e7;
  for (size_t i = 0; i < n; i++) {
    mem += i < k ? b1 : b2;
    unsigned life = restart && i > restart;
    double y = mem - 3e6 * life + noise * rng_normal(&r);
    o[i] = (struct fit_obs){(double)i, (double)i / 1800, y, life};
  }
  return o;
}

static void split(const struct fit_obs *o, size_t n, double *x, double *y,
                  unsigned *g) {
  for (size_t i = 0; i < n; i++)
    x[i] = o[i].cycles, y[i] = o[i].bytes, g[i] = o[i].lifetime;
}

static void test_slope_change(void) {
  struct fit_options opt;
  fit_options_init(&opt);
  opt.have_time = true;
  struct fit_result r;
  double *x = vec(1200), *y = vec(1200);
  unsigned *g = calloc(1200, sizeof *g);
  struct fit_knee k;

  /* Exact: flat for 300 cycles, then 5000 B per cycle. */
  struct fit_obs *o = knee_series(600, 300, 0, 5000, 0, 0, 1);
  split(o, 600, x, y, g);
  int rc = fit_change_scan(x, y, g, 600, &k);
  ok(rc == 0 && k.found && k.at >= 298 && k.at <= 301, "exact knee: found at %.0f (299 or so)",
     k.at);
  fit_leak(o, 600, &opt, &r);
  ok(r.change.found && r.reason == FIT_REASON_SLOPE_CHANGED,
     "exact knee: fit_leak says the slope changed");
  is_near(r.leak.slope, 5000, 1e-6, "exact knee: the leak is the part after it (%.3f)", r.leak.slope);
  is_near(r.change.before.slope, 0, 1e-6, "exact knee: before it 0 (%.3f)", r.change.before.slope);
  is_str(fit_verdict_name(r.verdict), "leak", "exact knee: verdict leak");
  fit_result_fini(&r);
  free(o);

  /* Noisy: 1000 then 3000 B per cycle after 400 of 1000 cycles. */
  o = knee_series(1000, 400, 1000, 3000, 8000, 0, 2);
  fit_leak(o, 1000, &opt, &r);
  ok(r.change.found && r.change.from <= 400 && 400 <= r.change.to + 5,
     "noisy knee at 400: found, plausible between %.0f and %.0f", r.change.from, r.change.to);
  ok(r.leak.ci_lo <= 3000 && 3000 <= r.leak.ci_hi, "noisy knee: the leak's interval [%.1f, %.1f] holds 3000",
     r.leak.ci_lo, r.leak.ci_hi);
  ok(r.change.before.ci_lo <= 1000 && 1000 <= r.change.before.ci_hi,
     "noisy knee: the interval before it [%.1f, %.1f] holds 1000", r.change.before.ci_lo,
     r.change.before.ci_hi);
  ok(isnan(r.cycles_needed), "noisy knee: decided, no cycles_needed");
  fit_result_fini(&r);
  free(o);

  /* A leak that stops: 8192 then nothing; no warm-up curve takes it. */
  o = knee_series(1000, 500, 8192, 0, 16384, 0, 3);
  fit_leak(o, 1000, &opt, &r);
  ok(r.change.found && !r.warmup_modelled && r.verdict == FIT_NO_LEAK && r.warmup_cycles == 0,
     "leak stops at 500: slope changed, no-leak after it, no warm-up (leak %.1f [%.1f, %.1f])",
     r.leak.slope, r.leak.ci_lo, r.leak.ci_hi);
  fit_result_fini(&r);
  free(o);

  /* The change in the second lifetime of a restarted process. */
  o = knee_series(1000, 700, 0, 2000, 8000, 400, 4);
  fit_leak(o, 1000, &opt, &r);
  ok(r.change.found && r.change.at >= 650 && r.change.at <= 750 &&
         r.leak.ci_lo <= 2000 && 2000 <= r.leak.ci_hi,
     "knee at 700 after a restart at 400: at %.0f, leak [%.1f, %.1f] holds 2000", r.change.at,
     r.leak.ci_lo, r.leak.ci_hi);
  fit_result_fini(&r);
  free(o);

  /* Too small a change to name: 4096 then 3800 (under a tenth); the
   * leak is still the latest one, not a warm-up curve's bend of it. */
  o = knee_series(1000, 500, 4096, 3800, 3000, 0, 5);
  fit_leak(o, 1000, &opt, &r);
  ok(!r.change.found && !r.warmup_modelled && r.leak.ci_lo <= 3800 && 3800 <= r.leak.ci_hi,
     "4096 -> 3800 B per cycle: not named a change, no warm-up curve, [%.1f, %.1f] holds 3800",
     r.leak.ci_lo, r.leak.ci_hi);
  fit_result_fini(&r);
  free(o);

  /* A warm-up is a warm-up, not a change. */
  o = warm_series(1200, 2048, 3e6, 150, 6);
  split(o, 1200, x, y, g);
  ok(fit_change_scan(x, y, g, 1200, &k) == 0 && !k.found,
     "warm-up (3 MB, tau 150): a saturating curve fits better than a knee");
  fit_leak(o, 1200, &opt, &r);
  ok(!r.change.found && r.reason != FIT_REASON_SLOPE_CHANGED, "warm-up: no slope change");
  fit_result_fini(&r);
  free(o);

  /* Straight lines with AR(1) noise: no change in 50 series. */
  int changed = 0;
  for (int s = 0; s < 50; s++) {
    struct rng gr;
    rng_seed(&gr, 500 + (uint64_t)s);
    double b;
    series(AR1, &gr, 800, x, y, &b);
    struct fit_obs *l = calloc(800, sizeof *l);
    for (size_t i = 0; i < 800; i++)
      l[i] = (struct fit_obs){x[i], x[i] / 1800, y[i], 0};
    fit_leak(l, 800, &opt, &r);
    changed += r.change.found;
    fit_result_fini(&r);
    free(l);
  }
  is_int(changed, 0, "50 straight leaks with AR(1) noise: no slope change");

  /* What the scan refuses. */
  for (size_t i = 0; i < 200; i++)
    x[i] = (double)i, y[i] = (double)i, g[i] = 0;
  ok(fit_change_scan(x, y, g, FIT_CHANGE_MIN_N - 1, &k) == -1 && !k.found,
     "fewer than %d points: no scan", FIT_CHANGE_MIN_N);
  x[150] = 10;
  ok(fit_change_scan(x, y, g, 200, &k) == -1, "cycles going backwards: no scan");
  free(x), free(y), free(g);
}

int main(void) {
  const char *run = getenv("LEAKSLOPE_RUN");
  if (run && strstr(run, "valgrind"))
    NSER = 20;
  test_exact_lines();
  test_edge_cases();
  test_selection_vs_brute_force();
  test_ties_in_x();
  test_outliers();
  test_coverage();
  test_warmup();
  test_time_growth();
  test_robust2_coverage();
  test_restarts();
  test_warmup_restarts();
  test_slope_change();
  test_verdict();
  test_large_sampled();
  return tap_done();
}
