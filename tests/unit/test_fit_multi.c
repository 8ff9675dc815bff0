/* Unit tests of fit_multi on data with known truth: two kinds of cycle
 * (loads of a module, logons) and time growth in one process.
 *
 * The coverage bar is the one test_fit.c explains: >= 180 of 200 seeded
 * series (a sound 95% interval fails it with probability under 0.1%), with
 * the widths checked against the truth so a useless interval cannot pass. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "fit/fit_multi.h"
#include "util/rng.h"
#include "tap.h"

#define NSER 200

/* A run of n samples, 10 s apart: each sample interval holds a load/unload
 * with probability p_load and a logon with p_logon (independent, or the
 * logon tied to the load when tied), memory grows by leak_load per load,
 * leak_logon per logon and per_hour, plus AR(1) noise (rho, sd) and 4 KiB
 * page rounding. */
struct run {
  size_t n;
  double *load, *logon, *hours, *bytes;
  unsigned *life;
};

static void make_run(struct rng *g, struct run *r, size_t n, double p_load,
                     double p_logon, bool tied, double leak_load,
                     double leak_logon, double per_hour, double rho, double sd) {
  r->n = n;
  r->load = calloc(n, sizeof(double)), r->logon = calloc(n, sizeof(double));
  r->hours = calloc(n, sizeof(double)), r->bytes = calloc(n, sizeof(double));
  r->life = calloc(n, sizeof(unsigned));
  double loads = 0, logons = 0, e = 0, heap = 50e6;
  for (size_t i = 0; i < n; i++) {
    bool l = rng_uniform(g) < p_load;
    bool o = tied ? l : rng_uniform(g) < p_logon;
    loads += l, logons += o;
    r->hours[i] = (double)i * 10 / 3600;
    e = rho * e + sd * sqrt(1 - rho * rho) * rng_normal(g);
    double truth = heap + leak_load * loads + leak_logon * logons + per_hour * r->hours[i];
    r->load[i] = loads, r->logon[i] = logons;
    r->bytes[i] = 4096 * floor((truth + e) / 4096);
  }
}

static void free_run(struct run *r) {
  free(r->load), free(r->logon), free(r->hours), free(r->bytes), free(r->life);
}

static bool holds(const struct fit_slope *s, double truth) {
  return s->ci_lo <= truth && truth <= s->ci_hi;
}

static void test_exact(void) {
  double a[50], b[50], y[50];
  for (int i = 0; i < 50; i++) {
    a[i] = 1e6 + i;                /* million-cycle counts: centring matters */
    b[i] = (double)((i * 7) % 11); /* not collinear with a */
    y[i] = 3e9 + 40960 * a[i] + 12288 * b[i];
  }
  const double *x[] = {a, b};
  struct fit_multi m;
  is_int(fit_multi(x, 2, y, NULL, 50, &m), 0, "exact data: fitted");
  is_near(m.coef[0].slope, 40960, 1e-3, "exact: 40960 B per load");
  is_near(m.coef[1].slope, 12288, 1e-3, "exact: 12288 B per logon");
  size_t set[2];
  is_int(fit_multi_collinear(&m, set), 0, "exact: the two kinds can be told apart");
}

/* Both leaks and time growth, independent schedules: coverage of each. */
static void test_coverage(double rho, const char *what) {
  struct rng g;
  rng_seed(&g, 17);
  int cov[3] = {0, 0, 0}, narrow = 0;
  for (int s = 0; s < NSER; s++) {
    struct run r;
    make_run(&g, &r, 1500, 0.5, 0.2, false, 40960, 12288, 2e6, rho, 30000);
    const double *x[] = {r.load, r.logon, r.hours};
    struct fit_multi m;
    fit_multi(x, 3, r.bytes, NULL, r.n, &m);
    cov[0] += holds(&m.coef[0], 40960);
    cov[1] += holds(&m.coef[1], 12288);
    cov[2] += holds(&m.coef[2], 2e6);
    narrow += m.coef[1].ci_hi - m.coef[1].ci_lo < 12288;
    free_run(&r);
  }
  ok(cov[0] >= 180, "%s: per-load interval covers %d/200", what, cov[0]);
  ok(cov[1] >= 180, "%s: per-logon interval covers %d/200", what, cov[1]);
  ok(cov[2] >= 180, "%s: per-hour interval covers %d/200", what, cov[2]);
  ok(narrow >= 180, "%s: and tells 12 KiB per logon from none (%d/200 narrower than it)",
     what, narrow);
}

/* One leak only: the other kind's interval holds 0 and the false-leak rate
 * (interval above a 64 B tolerance) stays near 2.5%. */
static void test_one_leak(void) {
  struct rng g;
  rng_seed(&g, 23);
  int cov = 0, false_leak = 0;
  for (int s = 0; s < NSER; s++) {
    struct run r;
    make_run(&g, &r, 1200, 0.5, 0.3, false, 40960, 0, 0, 0.6, 20000);
    const double *x[] = {r.load, r.logon};
    struct fit_multi m;
    fit_multi(x, 2, r.bytes, NULL, r.n, &m);
    cov += holds(&m.coef[1], 0);
    false_leak += m.coef[1].ci_lo > 64;
    free_run(&r);
  }
  ok(cov >= 180, "per-load leak only: the logon interval holds 0 in %d/200", cov);
  ok(false_leak <= 10, "and calls logons leaking in %d/200 (at most 10)", false_leak);
}

/* Every load paired with a logon: one number, reported as collinear. */
static void test_collinear(void) {
  struct rng g;
  rng_seed(&g, 5);
  struct run r;
  make_run(&g, &r, 800, 0.5, 0, true, 40960, 12288, 0, 0.3, 10000);
  const double *x[] = {r.load, r.logon};
  struct fit_multi m;
  fit_multi(x, 2, r.bytes, NULL, r.n, &m);
  size_t set[2];
  is_int(fit_multi_collinear(&m, set), 2, "tied schedules: both kinds in one collinear set");
  is_int(set[1], 0, "the set is named by its first kind");
  const double *one[] = {r.load};
  fit_multi(one, 1, r.bytes, NULL, r.n, &m);
  ok(holds(&m.coef[0], 40960 + 12288), "fitted together: %.0f B (%.0f..%.0f) per paired cycle",
     m.coef[0].slope, m.coef[0].ci_lo, m.coef[0].ci_hi);
  double need = fit_multi_unpaired_needed(m.coef[0].slope, m.coef[0].ci_lo, m.coef[0].ci_hi,
                                          64, r.load[r.n - 1]);
  ok(need >= r.load[r.n - 1] / 10 && need <= r.load[r.n - 1] * 3,
     "unpaired cycles to separate them: %.0f (of %.0f paired)", need, r.load[r.n - 1]);
  free_run(&r);
}

/* Lifetimes: every restart has its own offset. */
static void test_lifetimes(void) {
  struct rng g;
  rng_seed(&g, 9);
  struct run r;
  make_run(&g, &r, 900, 0.5, 0.25, false, 40960, 12288, 0, 0, 8000);
  for (size_t i = 300; i < r.n; i++) { /* restart: memory drops by 200 MB */
    r.life[i] = i < 600 ? 1 : 2;
    r.bytes[i] -= 2e8 * r.life[i];
  }
  const double *x[] = {r.load, r.logon};
  struct fit_multi m;
  fit_multi(x, 2, r.bytes, r.life, r.n, &m);
  ok(holds(&m.coef[0], 40960) && holds(&m.coef[1], 12288),
     "three lifetimes: both leaks inside their intervals (%.0f, %.0f)", m.coef[0].slope,
     m.coef[1].slope);
  free_run(&r);
}

int main(void) {
  test_exact();
  test_coverage(0, "independent noise");
  test_coverage(0.8, "AR(1) 0.8 noise");
  test_one_leak();
  test_collinear();
  test_lifetimes();
  return tap_done();
}
