/* fit — leak per cycle: Theil-Sen with honest intervals, a robust
 * two-regressor fit, warm-up detection, verdicts and projections.
 * Pure numerics (no I/O); the methods are described in fit.h. */
#include "config.h"

#include "fit/fit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit/fit_change.h"
#include "fit/fit_curve.h"
#include "fit/fit_select.h"
#include "fit/fit_stats.h"
#include "util/xalloc.h"

#define HUBER_K 1.345
#define SELECT_SEED UINT64_C(0x6c65616b736c6f70) /* "leakslop" */

const char *fit_status_message(enum fit_status s) {
  switch (s) {
  case FIT_OK: return "ok";
  case FIT_EMPTY: return "no observations";
  case FIT_TOO_FEW: return "fewer than 3 usable observations";
  case FIT_NO_SPREAD: return "no two observations differ in cycles";
  }
  return "unknown";
}

const char *fit_method_name(enum fit_method m) {
  switch (m) {
  case FIT_THEIL_SEN: return "theil-sen";
  case FIT_THEIL_SEN_BLOCKED: return "theil-sen-blocked";
  case FIT_ROBUST_2: return "robust-2";
  case FIT_OLS: return "ols";
  case FIT_WARMUP_CURVE: return "warmup-curve";
  }
  return "unknown";
}

const char *fit_verdict_name(enum fit_verdict v) {
  switch (v) {
  case FIT_LEAK: return "leak";
  case FIT_NO_LEAK: return "no-leak";
  case FIT_INCONCLUSIVE: return "inconclusive";
  }
  return "unknown";
}

const char *fit_reason_name(enum fit_reason r) {
  switch (r) {
  case FIT_REASON_NONE: return NULL;
  case FIT_REASON_WARMING_UP: return "warming-up";
  case FIT_REASON_TOO_FEW: return "too-few-cycles";
  case FIT_REASON_NOT_SEPARABLE: return "not-separable";
  case FIT_REASON_SLOPE_CHANGED: return "slope-changed";
  }
  return NULL;
}

void fit_options_init(struct fit_options *o) {
  o->tolerance = 64;
  o->have_time = false;
  o->detect_warmup = true;
  o->seed = SELECT_SEED;
}

static void slope_clear(struct fit_slope *s, enum fit_method m) {
  s->status = FIT_EMPTY;
  s->method = m;
  s->slope = s->ci_lo = s->ci_hi = NAN;
  s->n = 0;
  s->block_len = 1;
  s->sampled = false;
}

/* ---- small statistics ------------------------------------------------ */

/* ---- Theil-Sen ----------------------------------------------------------- */

/* A prepared Theil-Sen problem: groups, centred x, the pair selector. */
struct tsp {
  size_t n, ng;
  size_t *gs;
  double *xc, *xmean;
  const double *y;
  struct ts_data d;
  struct ts_selector *sel;
};

static void tsp_init(struct tsp *p, const double *x, const double *y,
                     const unsigned *group, size_t n) {
  p->n = n;
  p->gs = group_starts(group, n, &p->ng);
  p->xmean = xmalloc((p->ng ? p->ng : 1) * sizeof *p->xmean);
  p->xc = centred(x, p->gs, p->ng, n, p->xmean);
  p->y = y;
  p->d = (struct ts_data){p->xc, y, n, p->gs, p->ng};
  p->sel = ts_selector_new(&p->d, SELECT_SEED);
}

static void tsp_fini(struct tsp *p) {
  ts_selector_free(p->sel);
  free(p->gs);
  free(p->xmean);
  free(p->xc);
}

/* Residuals y - b*xc - a_g with a_g the group's median residual; offsets
 * (if wanted) are the intercepts at the original x = 0. */
static double *tsp_residuals(const struct tsp *p, double b, double *offsets) {
  double *r = xmalloc((p->n ? p->n : 1) * sizeof *r);
  for (size_t i = 0; i < p->n; i++)
    r[i] = p->y[i] - b * p->xc[i];
  for (size_t g = 0; g < p->ng; g++) {
    size_t a = p->gs[g], e = p->gs[g + 1];
    double med = median_of(r + a, e - a);
    for (size_t i = a; i < e; i++)
      r[i] -= med;
    if (offsets)
      offsets[g] = med - b * p->xmean[g];
  }
  return r;
}

/* Sen's interval: slopes of ranks (N - C)/2 and (N + C)/2 + 1, with C from
 * the null variance of Kendall's S summed over groups. */
static void sen_interval(struct tsp *p, struct fit_slope *out) {
  uint64_t np = ts_pairs(p->sel);
  double var = 0;
  for (size_t g = 0; g < p->ng; g++) {
    double m = (double)(p->gs[g + 1] - p->gs[g]);
    var += m * (m - 1) * (2 * m + 5) / 18;
  }
  double c = Z95 * sqrt(var);
  double r1 = floor(((double)np - c) / 2), r2 = ceil(((double)np + c) / 2) + 1;
  if (r1 < 1 || r2 > (double)np)
    return; /* too few pairs for a 95% interval: stays NaN */
  out->ci_lo = ts_rank(p->sel, (uint64_t)r1 - 1);
  out->ci_hi = ts_rank(p->sel, (uint64_t)r2 - 1);
}

/* Fill the slope (and offsets); returns the status. */
static enum fit_status tsp_slope(struct tsp *p, struct fit_slope *out,
                                 double *offsets) {
  out->n = p->n;
  if (p->n == 0)
    return out->status = FIT_EMPTY;
  if (ts_pairs(p->sel) == 0)
    return out->status = p->n < 3 ? FIT_TOO_FEW : FIT_NO_SPREAD;
  if (p->n > FIT_EXACT_MAX_N) {
    out->slope = ts_sampled_median(p->sel, 2 * p->n);
    out->sampled = true;
  } else {
    out->slope = ts_median(p->sel);
  }
  if (offsets)
    free(tsp_residuals(p, out->slope, offsets));
  return out->status = p->n < 3 ? FIT_TOO_FEW : FIT_OK;
}

int fit_theil_sen(const double *x, const double *y, const unsigned *group,
                  size_t n, struct fit_slope *out, double *offsets) {
  slope_clear(out, FIT_THEIL_SEN);
  struct tsp p;
  tsp_init(&p, x, y, group, n);
  if (tsp_slope(&p, out, offsets) == FIT_OK)
    sen_interval(&p, out);
  tsp_fini(&p);
  return out->status == FIT_OK ? 0 : -1;
}

/* Median points of blocks of L observations inside each group (the last
 * block of a group takes the remainder). */
static size_t block_points(const struct tsp *p, size_t L, double *bx,
                           double *by, unsigned *bg) {
  size_t m = 0;
  for (size_t g = 0; g < p->ng; g++) {
    size_t a = p->gs[g], e = p->gs[g + 1], nb = (e - a) / L;
    if (nb == 0)
      nb = 1;
    for (size_t k = 0; k < nb; k++) {
      size_t s = a + k * L, t = k + 1 == nb ? e : s + L;
      bx[m] = median_of(p->xc + s, t - s);
      by[m] = median_of(p->y + s, t - s);
      bg[m++] = (unsigned)g;
    }
  }
  return m;
}

/* Block medians are close to independent, not quite: neighbours still
 * share the tail of the autocorrelation, and there are few of them.  The
 * interval is widened by the variance inflation of the block residuals'
 * lag-1 autocorrelation (when positive) and by Student's t on the number
 * of blocks. */
static void widen_blocks(struct fit_slope *bs, const double *bx, const double *by,
                         const unsigned *bg, size_t m, const double *off) {
  if (isnan(bs->ci_lo) || m < 4)
    return;
  double ss = 0, lag = 0, prev = 0;
  for (size_t i = 0; i < m; i++) {
    double r = by[i] - off[bg[i]] - bs->slope * bx[i];
    ss += r * r;
    if (i > 0 && bg[i] == bg[i - 1])
      lag += r * prev;
    prev = r;
  }
  double rho = ss > 0 ? fmin(fmax(lag / ss, 0), 0.9) : 0;
  double f = sqrt((1 + rho) / (1 - rho)) * t95((double)m - 2) / Z95;
  bs->ci_lo = bs->slope - f * (bs->slope - bs->ci_lo);
  bs->ci_hi = bs->slope + f * (bs->ci_hi - bs->slope);
}

/* Sen's interval over block medians, laid around the full estimate. */
static size_t blocked_interval(const struct tsp *p, size_t L,
                               struct fit_slope *out) {
  size_t cap = p->n / L + p->ng + 1;
  double *bx = xmalloc(cap * sizeof *bx), *by = xmalloc(cap * sizeof *by);
  unsigned *bg = xmalloc(cap * sizeof *bg);
  size_t m = block_points(p, L, bx, by, bg);
  struct fit_slope bs;
  double *off = xmalloc((p->ng ? p->ng : 1) * sizeof *off);
  fit_theil_sen(bx, by, bg, m, &bs, off);
  widen_blocks(&bs, bx, by, bg, m, off);
  free(off);
  /* the blocks' interval says how far the slope can be off: it is laid
   * around the estimate from all the points */
  out->ci_lo = out->slope - (bs.slope - bs.ci_lo);
  out->ci_hi = out->slope + (bs.ci_hi - bs.slope);
  if (isnan(bs.ci_lo))
    out->ci_lo = out->ci_hi = NAN;
  out->method = FIT_THEIL_SEN_BLOCKED;
  out->block_len = L;
  free(bx);
  free(by);
  free(bg);
  return m;
}

/* The variance of a trend's slope under AR(1) errors is (1 + rho) / (1 - rho)
 * times the independent one.  The lag-1 estimate from a short series'
 * trend residuals is biased low by about (3 + 4 rho) / n (the mean and the
 * slope taken out), so that is added back, and 1.3 of its standard error
 * (1 / sqrt(n)) too: a short run cannot tell rho well, and too narrow an
 * interval is the mistake that matters (tests/bench/coverage, short-25:
 * 0.915-0.96 over eight seeds). */
static void widen_ar1(struct fit_slope *out, double rho1, size_t n) {
  if (isnan(out->ci_lo))
    return;
  double rho = rho1 + (3 + 4 * fmax(rho1, 0)) / (double)n + 1.3 / sqrt((double)n);
  rho = fmin(fmax(rho, 0), 0.95);
  /* and the quantile of Student's t on the effective sample size */
  double neff = fmax(4, (double)n * (1 - rho) / (1 + rho));
  double f = sqrt((1 + rho) / (1 - rho)) * t95(neff - 2) / Z95;
  out->ci_lo = out->slope - f * (out->slope - out->ci_lo);
  out->ci_hi = out->slope + f * (out->ci_hi - out->slope);
}

/* The residuals' noise for the resolution floor: the MAD scale, or, when
 * more than half of them are exactly zero (memory that moves in whole pages
 * now and then), the mean absolute deviation scaled to a sigma. */
static double noise_scale(const double *r, size_t n) {
  double s = mad_scale(r, n), mean_abs = 0;
  if (s > 0 || n == 0)
    return s;
  for (size_t i = 0; i < n; i++)
    mean_abs += fabs(r[i]);
  return 1.2533141373155 * mean_abs / (double)n;
}

/* Tied pair slopes (a leak of whole pages) can shrink the interval to a
 * point while the samples still carry noise: no side of it may be narrower
 * than least squares' 95% half-width for independent noise of the
 * residuals' robust scale, which is what the data can resolve. */
static void resolution_floor(const struct tsp *p, double noise,
                             struct fit_slope *out) {
  if (isnan(out->ci_lo) || !(noise > 0))
    return;
  double sxx = 0;
  for (size_t i = 0; i < p->n; i++)
    sxx += p->xc[i] * p->xc[i];
  if (!(sxx > 0))
    return;
  double h = Z95 * noise / sqrt(sxx);
  out->ci_lo = fmin(out->ci_lo, out->slope - h);
  out->ci_hi = fmax(out->ci_hi, out->slope + h);
}

/* Theil-Sen with the interval chosen from the residuals (see fit.h).
 * force_L > 0 forces blocks of that length.  Returns the number of blocks
 * used (0 for Sen's full interval). */
static size_t theil_sen_auto(const double *x, const double *y,
                             const unsigned *group, size_t n, size_t force_L,
                             bool allow_plain, struct fit_slope *out,
                             double *offsets) {
  slope_clear(out, FIT_THEIL_SEN);
  struct tsp p;
  tsp_init(&p, x, y, group, n);
  size_t blocks = 0;
  if (tsp_slope(&p, out, offsets) == FIT_OK) {
    double *r = tsp_residuals(&p, out->slope, NULL), rho1;
    double noise = noise_scale(r, n);
    size_t lag = decorrelation_lag(r, p.gs, p.ng, n, &rho1);
    free(r);
    bool independent = rho1 < fmax(0.1, 3 / sqrt((double)n));
    if (force_L == 0 && allow_plain && n <= FIT_SHORT_N) {
      /* Too short for blocks: Sen's interval widened for AR(1) errors. */
      sen_interval(&p, out);
      widen_ar1(out, rho1, n);
    } else if (force_L == 0 && allow_plain && independent && n <= FIT_SEN_MAX_N) {
      sen_interval(&p, out);
    } else {
      blocks = blocked_interval(
          &p, force_L ? force_L : block_len_for(independent ? 1 : 2 * lag, n), out);
    }
    resolution_floor(&p, noise, out);
  }
  tsp_fini(&p);
  return blocks;
}

int fit_theil_sen_blocked(const double *x, const double *y,
                          const unsigned *group, size_t n, size_t block_len,
                          struct fit_slope *out, double *offsets) {
  theil_sen_auto(x, y, group, n, block_len, false, out, offsets);
  return out->status == FIT_OK ? 0 : -1;
}

/* ---- robust two-regressor fit -------------------------------------------- */

struct r2 {
  size_t n, ng;
  const size_t *gs;
  const double *x, *t, *y; /* centred per group */
  double *w, *r, *zx, *zt;
  double b, c, s;
  double vif; /* variance inflation of the two regressors, 1 / (1 - r^2) */
};

/* One weighted within-group least-squares step; false when singular. */
static bool r2_step(struct r2 *m) {
  double sxx = 0, sxt = 0, stt = 0, sxy = 0, sty = 0;
  for (size_t g = 0; g < m->ng; g++) {
    double sw = 0, mx = 0, mt = 0, my = 0;
    for (size_t i = m->gs[g]; i < m->gs[g + 1]; i++) {
      sw += m->w[i];
      mx += m->w[i] * m->x[i];
      mt += m->w[i] * m->t[i];
      my += m->w[i] * m->y[i];
    }
    if (sw <= 0)
      continue;
    mx /= sw, mt /= sw, my /= sw;
    for (size_t i = m->gs[g]; i < m->gs[g + 1]; i++) {
      double dx = m->x[i] - mx, dt = m->t[i] - mt, dy = m->y[i] - my;
      m->zx[i] = dx, m->zt[i] = dt, m->r[i] = dy;
      sxx += m->w[i] * dx * dx, sxt += m->w[i] * dx * dt;
      stt += m->w[i] * dt * dt, sxy += m->w[i] * dx * dy;
      sty += m->w[i] * dt * dy;
    }
  }
  double det = sxx * stt - sxt * sxt;
  if (!(det > 1e-12 * sxx * stt))
    return false;
  m->b = (stt * sxy - sxt * sty) / det;
  m->c = (sxx * sty - sxt * sxy) / det;
  for (size_t i = 0; i < m->n; i++)
    m->r[i] -= m->b * m->zx[i] + m->c * m->zt[i];
  return true;
}

/* Huber IRLS with the MAD scale re-estimated each iteration. */
static bool r2_solve(struct r2 *m) {
  for (size_t i = 0; i < m->n; i++)
    m->w[i] = 1;
  for (int it = 0; it < 100; it++) {
    double b0 = m->b, c0 = m->c;
    if (!r2_step(m))
      return false;
    if (it < 4) /* the scale settles fast; later passes keep it fixed */
      m->s = mad_scale(m->r, m->n);
    if (!(m->s > 0))
      return true; /* an exact fit */
    for (size_t i = 0; i < m->n; i++) {
      double a = fabs(m->r[i]);
      m->w[i] = a <= HUBER_K * m->s ? 1 : HUBER_K * m->s / a;
    }
    double sx = 0, st = 0;
    for (size_t i = 0; i < m->n; i++)
      sx += m->zx[i] * m->zx[i], st += m->zt[i] * m->zt[i];
    sx = sqrt(sx / (double)m->n), st = sqrt(st / (double)m->n);
    /* Stop when a step moves the slopes by under 0.1% of their standard
     * error (~ s sqrt(VIF / n) / sd(regressor)); finer steps are rounding. */
    double tol = 1e-3 * m->s * sqrt(m->vif / (double)m->n);
    if (it > 4 && fabs(m->b - b0) * sx < tol && fabs(m->c - c0) * st < tol)
      return true;
  }
  return true; /* close enough: IRLS for Huber converges monotonically */
}

/* Sandwich covariance A^-1 B A^-1, B summing scores over blocks of L. */
static void r2_interval(const struct r2 *m, size_t L, struct fit_slope *b,
                        struct fit_slope *c) {
  double ks = HUBER_K * m->s, a11 = 0, a12 = 0, a22 = 0;
  double b11 = 0, b12 = 0, b22 = 0, blocks = 0;
  for (size_t g = 0; g < m->ng; g++) {
    for (size_t s = m->gs[g]; s < m->gs[g + 1]; s += L) {
      size_t e = s + L < m->gs[g + 1] ? s + L : m->gs[g + 1];
      double ux = 0, ut = 0;
      for (size_t i = s; i < e; i++) {
        double psi = fmax(-ks, fmin(ks, m->r[i]));
        if (fabs(m->r[i]) <= ks)
          a11 += m->zx[i] * m->zx[i], a12 += m->zx[i] * m->zt[i],
              a22 += m->zt[i] * m->zt[i];
        ux += psi * m->zx[i], ut += psi * m->zt[i];
      }
      b11 += ux * ux, b12 += ux * ut, b22 += ut * ut, blocks++;
    }
  }
  double det = a11 * a22 - a12 * a12;
  if (!(det > 0) || blocks < 3)
    return;
  double i11 = a22 / det, i12 = -a12 / det, i22 = a11 / det;
  /* V = Ainv B Ainv.  The block score sums are tied by the p = 2 + ng
   * fitted parameters (they sum to zero), so B is scaled by M / (M - p)
   * and the quantile is Student's t with M - p degrees of freedom. */
  double p = (double)m->ng + 2;
  if (blocks - p < 2)
    return;
  double f = blocks / (blocks - p);
  double v11 = i11 * (b11 * i11 + b12 * i12) + i12 * (b12 * i11 + b22 * i12);
  double v22 = i12 * (b11 * i12 + b12 * i22) + i22 * (b12 * i12 + b22 * i22);
  double q = t95(blocks - p);
  double hb = q * sqrt(f * v11), hc = q * sqrt(f * v22);
  b->ci_lo = m->b - hb, b->ci_hi = m->b + hb;
  c->ci_lo = m->c - hc, c->ci_hi = m->c + hc;
}

int fit_robust2(const double *x, const double *t, const double *y,
                const unsigned *group, size_t n, size_t block_len,
                struct fit_slope *b_out, struct fit_slope *c_out,
                double *collinearity) {
  slope_clear(b_out, FIT_ROBUST_2);
  slope_clear(c_out, FIT_ROBUST_2);
  *collinearity = NAN;
  size_t ng, *gs = group_starts(group, n, &ng);
  double *xc = centred(x, gs, ng, n, NULL), *tc = centred(t, gs, ng, n, NULL);
  double *yc = centred(y, gs, ng, n, NULL);
  size_t sz = (n ? n : 1) * sizeof(double);
  struct r2 m = {n, ng, gs, xc, tc, yc, xmalloc(sz), xmalloc(sz), xmalloc(sz),
                 xmalloc(sz), 0, 0, 0, 1};
  enum fit_status st = n == 0 ? FIT_EMPTY : n < 4 ? FIT_TOO_FEW : FIT_OK;
  if (st == FIT_OK) {
    *collinearity = corr_centred(xc, tc, n);
    m.vif = 1 / fmax(1e-12, 1 - *collinearity * *collinearity);
    if (isnan(*collinearity) || !r2_solve(&m))
      st = FIT_NO_SPREAD;
  }
  if (st == FIT_OK) {
    b_out->slope = m.b, c_out->slope = m.c;
    size_t L = block_len;
    if (L == 0) {
      double rho1, *r = xmalloc(sz);
      memcpy(r, m.r, sz);
      /* Batch means underestimate the long-run variance by about 2 tau / L:
       * blocks four times the decorrelation lag keep that small (twice
       * covered 90% in the seeded study, tests/bench/coverage). */
      L = block_len_for(4 * decorrelation_lag(r, gs, ng, n, &rho1), n);
      free(r);
    }
    b_out->block_len = c_out->block_len = L;
    if (m.s > 0)
      r2_interval(&m, L, b_out, c_out);
    else
      b_out->ci_lo = b_out->ci_hi = m.b, c_out->ci_lo = c_out->ci_hi = m.c;
  }
  b_out->status = c_out->status = st;
  b_out->n = c_out->n = n;
  free(m.w), free(m.r), free(m.zx), free(m.zt);
  free(xc), free(tc), free(yc), free(gs);
  return st == FIT_OK ? 0 : -1;
}

/* ---- warm-up --------------------------------------------------------------- */

/* Theil-Sen line through at most ~4000 block medians of (x, y): the
 * warm-up test needs the steady line, not its last digit. */
static double thinned_slope(const double *x, const double *y, size_t n,
                            double *a) {
  size_t L = n / 4000 + 1, m = 0;
  double *bx = xmalloc((n / L + 1) * sizeof *bx), *by = xmalloc((n / L + 1) * sizeof *by);
  for (size_t s = 0; s < n; s += L, m++) {
    size_t e = s + L < n ? s + L : n;
    bx[m] = median_of(x + s, e - s);
    by[m] = median_of(y + s, e - s);
  }
  struct fit_slope sl;
  slope_clear(&sl, FIT_THEIL_SEN);
  struct tsp p;
  tsp_init(&p, bx, by, NULL, m);
  tsp_slope(&p, &sl, a);
  tsp_fini(&p);
  free(bx), free(by);
  return sl.slope;
}

/* Leading observations lying below the line fitted to the second half of
 * [from, n): blocks of h observations whose median residual is under
 * -5 robust sigmas (the tail line's extrapolation error included),
 * counted from the start while they last. */
static size_t warmup_pass(const double *x, const double *y, size_t n,
                          size_t from) {
  size_t tail = from + (n - from) / 2, nt = n - tail;
  double a, b = thinned_slope(x + tail, y + tail, nt, &a);
  if (isnan(b))
    return from;
  double *r = xmalloc(n * sizeof *r), ymax = 0;
  for (size_t i = 0; i < n; i++) {
    r[i] = y[i] - (a + b * x[i]);
    ymax = fmax(ymax, fabs(y[i]));
  }
  double sig = fmax(mad_scale(r + tail, nt), 1e-9 * ymax + 1e-300);
  size_t h = n / 50 < 5 ? 5 : n / 50, w = 0;
  for (size_t k = 0; k + h <= tail; k += h) {
    if (median_of(r + k, h) >= -5 * sig)
      break;
    w = k + h;
  }
  free(r);
  return w;
}

size_t fit_warmup(const double *x, const double *y, size_t n) {
  if (n < 20)
    return 0;
  size_t w = warmup_pass(x, y, n, 0);
  if (w > 0 && n - w >= 20) { /* refit the steady state past the warm-up */
    size_t w2 = warmup_pass(x, y, n, w);
    if (w2 > w)
      w = w2;
  }
  return w > n - 10 ? n - 10 : w;
}

/* ---- verdict, cycles needed, projection ------------------------------------ */

enum fit_verdict fit_verdict(double ci_lo, double ci_hi, double tolerance) {
  if (ci_lo > tolerance)
    return FIT_LEAK;
  if (ci_hi < tolerance)
    return FIT_NO_LEAK;
  return FIT_INCONCLUSIVE; /* straddles, or NaN */
}

/* Probability that a run m times as long decides, when the true slope is
 * N(slope, sd) (what this run knows of it) and the standard error shrinks
 * as m^(-3/2): averaged over that uncertainty on a 65-point grid. */
static double decide_probability(double slope, double sd, double tolerance,
                                 double m) {
  double sd2 = sd * pow(m, -1.5), num = 0, den = 0;
  for (int k = -32; k <= 32; k++) {
    double z = k / 8.0, w = exp(-0.5 * z * z), beta = slope + z * sd;
    double gap = fabs(beta - tolerance) / sd2;
    /* decided when the new interval excludes the tolerance on either side */
    double p = 0.5 * erfc((Z95 - gap) / M_SQRT2) + 0.5 * erfc((Z95 + gap) / M_SQRT2);
    num += w * p;
    den += w;
  }
  return num / den;
}

/* Aimed above the promised 80%: the half-width of short runs shrinks more
 * slowly than m^(-3/2) (their AR(1) widening), and the study
 * (tests/bench/coverage, needed-ok) decided 69-85% of reruns at 0.8. */
#define NEEDED_TARGET 0.9

double fit_cycles_needed(double slope, double ci_lo, double ci_hi,
                         double tolerance, double cycles_so_far) {
  double half = slope > tolerance ? slope - ci_lo : ci_hi - slope;
  if (!(fabs(slope - tolerance) > 0) || !(half > 0) || !(cycles_so_far > 0) ||
      isinf(half))
    return NAN;
  /* The shortest run (a 2% step grid up to 10^5 times this one) that
   * decides with at least 80% probability, allowing for the estimate's own
   * uncertainty: a slope near the tolerance may well be on its other side. */
  double sd = half / Z95;
  for (double m = 1.02; m < 1e5; m *= 1.02)
    if (decide_probability(slope, sd, tolerance, m) >= NEEDED_TARGET)
      return ceil(cycles_so_far * m);
  return NAN;
}

int fit_projection(double current, double limit, double bytes_per_cycle,
                   double cycles_per_hour, double bytes_per_hour,
                   double *cycles, double *hours) {
  *cycles = *hours = NAN;
  double left = limit - current;
  if (!(left > 0) || isnan(bytes_per_cycle))
    return -1;
  if (bytes_per_cycle > 0)
    *cycles = ceil(left / bytes_per_cycle);
  double per_hour = (bytes_per_cycle > 0 ? bytes_per_cycle : 0) *
                        (isnan(cycles_per_hour) ? 0 : cycles_per_hour) +
                    (isnan(bytes_per_hour) || bytes_per_hour < 0 ? 0 : bytes_per_hour);
  if (per_hour > 0)
    *hours = left / per_hour;
  return isnan(*cycles) && isnan(*hours) ? -1 : 0;
}

/* ---- one run ---------------------------------------------------------------- */

/* The run's observations, finite only, lifetimes renumbered 0, 1, ... */
struct run {
  size_t n;
  double *x, *t, *y;
  unsigned *g;
};

static void run_collect(struct run *u, const struct fit_obs *obs, size_t n,
                        struct fit_result *r) {
  size_t sz = n ? n : 1;
  u->x = xmalloc(sz * sizeof *u->x), u->t = xmalloc(sz * sizeof *u->t);
  u->y = xmalloc(sz * sizeof *u->y), u->g = xmalloc(sz * sizeof *u->g);
  u->n = 0;
  unsigned last = 0, k = 0;
  for (size_t i = 0; i < n; i++) {
    const struct fit_obs *o = &obs[i];
    if (!isfinite(o->cycles) || !isfinite(o->bytes) || !isfinite(o->hours)) {
      r->skipped++;
      continue;
    }
    if (u->n > 0 && o->lifetime != last)
      k++;
    last = o->lifetime;
    u->x[u->n] = o->cycles, u->t[u->n] = o->hours, u->y[u->n] = o->bytes;
    u->g[u->n++] = k;
  }
  r->lifetimes = u->n ? k + 1 : 0;
}

/* Drop each lifetime's warm-up in place. */
static void run_drop_warmup(struct run *u, struct fit_result *r) {
  size_t out = 0, a = 0;
  while (a < u->n) {
    size_t e = a;
    while (e < u->n && u->g[e] == u->g[a])
      e++;
    size_t w = fit_warmup(u->x + a, u->y + a, e - a);
    if (w > 0) {
      r->warmup_points += w;
      r->warmup_cycles += u->x[a + w] - u->x[a];
    }
    for (size_t i = a + w; i < e; i++, out++)
      u->x[out] = u->x[i], u->t[out] = u->t[i], u->y[out] = u->y[i],
      u->g[out] = u->g[i];
    a = e;
  }
  u->n = out;
}

static void run_copy(struct run *dst, const struct run *src) {
  size_t sz = src->n ? src->n : 1;
  dst->n = src->n;
  dst->x = xmemdup(src->x, sz * sizeof *dst->x);
  dst->t = xmemdup(src->t, sz * sizeof *dst->t);
  dst->y = xmemdup(src->y, sz * sizeof *dst->y);
  dst->g = xmemdup(src->g, sz * sizeof *dst->g);
}

static void run_free(struct run *u) {
  free(u->x), free(u->t), free(u->y), free(u->g);
}

/* Cycles spanned, and the fitted value at each lifetime's last cycle. */
static void run_spans(const struct run *u, struct fit_result *r) {
  for (size_t a = 0; a < u->n;) {
    size_t e = a;
    while (e < u->n && u->g[e] == u->g[a])
      e++;
    r->total_cycles += u->x[e - 1] - u->x[a];
    r->last_fitted[u->g[a]] = r->offsets[u->g[a]] + r->leak.slope * u->x[e - 1];
    a = e;
  }
}

/* |corr| of cycles and hours, each centred per lifetime. */
static double run_collinearity(const struct run *u) {
  size_t ng, *gs = group_starts(u->g, u->n, &ng);
  double *xc = centred(u->x, gs, ng, u->n, NULL);
  double *tc = centred(u->t, gs, ng, u->n, NULL);
  double r = corr_centred(xc, tc, u->n);
  free(xc), free(tc), free(gs);
  return r;
}

/* Observed cycles per hour: cycles over hours, summed over lifetimes. */
static double run_rate(const struct run *u) {
  double dc = 0, dh = 0;
  for (size_t a = 0; a < u->n;) {
    size_t e = a;
    while (e < u->n && u->g[e] == u->g[a])
      e++;
    dc += u->x[e - 1] - u->x[a], dh += u->t[e - 1] - u->t[a];
    a = e;
  }
  return dh > 0 ? dc / dh : NAN;
}

/* Time growth and the choice between robust-2 and Theil-Sen on cycles. */
static void run_time(const struct run *u, struct fit_result *r) {
  struct fit_slope b2, c2;
  slope_clear(&b2, FIT_ROBUST_2);
  r->collinearity = run_collinearity(u);
  if (r->collinearity < FIT_COLLINEAR_R) /* else robust-2 is meaningless */
    fit_robust2(u->x, u->t, u->y, u->g, u->n, 0, &b2, &c2, &r->collinearity);
  r->cycles_per_hour = run_rate(u);
  r->have_time_growth = true;
  r->separable = b2.status == FIT_OK && r->collinearity < FIT_COLLINEAR_R &&
                 u->n > FIT_SHORT_N;
  if (r->separable) {
    /* The second regressor must earn its place: growth per hour whose
     * interval excludes zero.  Else the leak stays the cycles-only slope
     * (the simpler model), and the time growth is still reported. */
    r->time_growth = c2;
    if (c2.ci_lo > 0 || c2.ci_hi < 0)
      r->leak = b2;
    return;
  }
  /* A short run is not proven inseparable, only too short to try. */
  if (u->n > FIT_SHORT_N || !(r->collinearity < FIT_COLLINEAR_R)) {
    r->warnings |= FIT_WARN_NOT_SEPARABLE;
    r->reason = FIT_REASON_NOT_SEPARABLE;
    if (b2.status != FIT_OK && !(r->collinearity >= FIT_COLLINEAR_R))
      r->warnings |= FIT_WARN_ROBUST2_FAILED;
  }
  /* Cycles follow time: growth per hour is the leak at the observed rate
   * (and cannot be told apart from it). */
  double rate = r->cycles_per_hour;
  r->time_growth = r->leak;
  r->time_growth.slope = r->leak.slope * rate;
  r->time_growth.ci_lo = r->leak.ci_lo * rate;
  r->time_growth.ci_hi = r->leak.ci_hi * rate;
  if (isnan(rate))
    r->time_growth.status = FIT_NO_SPREAD;
}

/* A warm-up curve left in the steady part: when its term is significant the
 * leak is taken from the curve model, whose interval carries the time
 * constant's uncertainty.  Growth still slowing at the end is "warming-up". */
static void run_warmup_curve(const struct run *u, const struct fit_options *o,
                             struct fit_result *r) {
  struct fit_curve c;
  if (!o->detect_warmup || r->separable || /* robust-2 models time, not this */
      fit_curve_warmup(u->x, u->y, u->g, u->n, o->tolerance, &c) < 0 || !c.fired)
    return;
  r->warmup_modelled = true;
  r->warmup_tau = c.tau;
  r->warmup_end_slope = c.end_slope;
  r->warmup_settled = c.settled_at;
  r->leak.slope = c.slope;
  r->leak.ci_lo = c.ci_lo;
  r->leak.ci_hi = c.ci_hi;
  r->leak.method = FIT_WARMUP_CURVE;
  if (c.open_ended || c.end_slope > o->tolerance)
    r->reason = FIT_REASON_WARMING_UP;
}

/* The points of u with from <= x < to, lifetimes renumbered 0, 1, ...;
 * label[k] gets the original number of the subset's lifetime k. */
static void run_range(const struct run *u, double from, double to,
                      struct run *out, unsigned *label) {
  size_t sz = u->n ? u->n : 1;
  out->x = xmalloc(sz * sizeof *out->x), out->t = xmalloc(sz * sizeof *out->t);
  out->y = xmalloc(sz * sizeof *out->y), out->g = xmalloc(sz * sizeof *out->g);
  out->n = 0;
  unsigned k = 0;
  for (size_t i = 0; i < u->n; i++) {
    if (!(u->x[i] >= from && u->x[i] < to))
      continue;
    if (out->n > 0 && u->g[i] != label[k])
      k++;
    label[k] = u->g[i];
    out->x[out->n] = u->x[i], out->t[out->n] = u->t[i], out->y[out->n] = u->y[i];
    out->g[out->n++] = k;
  }
}

/* Cycles spanned by a run, summed over its lifetimes. */
static double run_cycles(const struct run *u) {
  double c = 0;
  for (size_t a = 0; a < u->n;) {
    size_t e = a;
    while (e < u->n && u->g[e] == u->g[a])
      e++;
    c += u->x[e - 1] - u->x[a];
    a = e;
  }
  return c;
}

/* A leak per cycle that changed (fit_change.h): a knee that explains the
 * bend better than a warm-up, and sides whose slopes differ by more than
 * 4 standard errors (the scan picked the knee that makes them differ most)
 * and by more than the tolerance or a tenth of the larger.  Then the leak
 * is the part after the change, the whole run before it is neither warm-up
 * nor leak, and CHANGE_NAMED is returned.  CHANGE_KNEE: a knee fits better
 * than any warm-up but the sides differ too little to name it; the bend is
 * then not a warm-up either, and the warm-up curve must not be fitted to it
 * (a long time constant would bend it into a wrong slope). */
enum change { CHANGE_NONE, CHANGE_KNEE, CHANGE_NAMED };
static enum change run_change(const struct run *all, const struct fit_options *o,
                              struct fit_result *r) {
  struct fit_knee k;
  if (r->leak.method == FIT_ROBUST_2 || /* time growth explains the bends */
      fit_change_scan(all->x, all->y, all->g, all->n, &k) < 0 || !k.found)
    return CHANGE_NONE;
  size_t nl = r->lifetimes ? r->lifetimes : 1, need = all->n / 10;
  unsigned *lb = xmalloc(nl * sizeof *lb), *la = xmalloc(nl * sizeof *la);
  double *off = xmalloc(nl * sizeof *off);
  struct run before, after;
  run_range(all, -INFINITY, k.from, &before, lb);
  run_range(all, k.to, INFINITY, &after, la);
  struct fit_change c = {.at = k.at, .from = k.from, .to = k.to};
  slope_clear(&c.before, FIT_THEIL_SEN);
  slope_clear(&c.after, FIT_THEIL_SEN);
  if (before.n >= need && after.n >= need) {
    theil_sen_auto(before.x, before.y, before.g, before.n, 0, true, &c.before, NULL);
    theil_sen_auto(after.x, after.y, after.g, after.n, 0, true, &c.after, off);
  }
  double se = hypot(c.before.ci_hi - c.before.ci_lo, c.after.ci_hi - c.after.ci_lo) /
              (2 * Z95);
  double diff = fabs(c.after.slope - c.before.slope);
  c.z = diff / se;
  c.found = c.before.status == FIT_OK && c.after.status == FIT_OK && c.z > 4 &&
            diff > fmax(o->tolerance,
                        0.1 * fmax(fabs(c.before.slope), fabs(c.after.slope)));
  if (c.found) {
    r->change = c;
    r->leak = c.after;
    r->reason = FIT_REASON_SLOPE_CHANGED;
    r->n_used = after.n;
    r->warmup_points = 0;
    r->warmup_cycles = 0;
    r->total_cycles = run_cycles(&after);
    r->change.lead_cycles = run_cycles(all) - r->total_cycles;
    for (size_t i = 0; i < nl; i++)
      r->offsets[i] = r->last_fitted[i] = NAN;
    for (size_t i = 0; i < after.n; i++) {
      unsigned g = la[after.g[i]];
      r->offsets[g] = off[after.g[i]];
      r->last_fitted[g] = off[after.g[i]] + r->leak.slope * after.x[i];
    }
    if (!r->separable && r->have_time_growth) { /* the leak at the rate */
      double rate = r->cycles_per_hour;
      r->time_growth = r->leak;
      r->time_growth.slope = r->leak.slope * rate;
      r->time_growth.ci_lo = r->leak.ci_lo * rate;
      r->time_growth.ci_hi = r->leak.ci_hi * rate;
    }
  }
  run_free(&before), run_free(&after);
  free(lb), free(la), free(off);
  return c.found ? CHANGE_NAMED : CHANGE_KNEE;
}

int fit_leak(const struct fit_obs *obs, size_t n, const struct fit_options *o,
             struct fit_result *r) {
  memset(r, 0, sizeof *r);
  slope_clear(&r->leak, FIT_THEIL_SEN);
  slope_clear(&r->time_growth, FIT_THEIL_SEN);
  r->collinearity = r->cycles_per_hour = r->cycles_needed = NAN;
  r->warmup_tau = r->warmup_end_slope = r->warmup_settled = NAN;
  struct run u, all; /* all: before the warm-up is cut, for the curve */
  run_collect(&u, obs, n, r);
  if (r->skipped)
    r->warnings |= FIT_WARN_SKIPPED;
  run_copy(&all, &u);
  if (o->detect_warmup)
    run_drop_warmup(&u, r);
  r->n_used = u.n;
  size_t nl = r->lifetimes ? r->lifetimes : 1;
  r->offsets = xmalloc(nl * sizeof *r->offsets);
  r->last_fitted = xmalloc(nl * sizeof *r->last_fitted);
  for (size_t i = 0; i < nl; i++)
    r->offsets[i] = r->last_fitted[i] = NAN;
  size_t blocks = theil_sen_auto(u.x, u.y, u.g, u.n, 0, true, &r->leak, r->offsets);
  if (blocks > 0 && blocks < 10)
    r->warnings |= FIT_WARN_FEW_BLOCKS;
  r->cycles_only = r->leak;
  r->status = r->leak.status;
  if (r->status == FIT_OK) {
    run_spans(&u, r);
    if (o->have_time)
      run_time(&u, r);
    if (run_change(&all, o, r) == CHANGE_NONE)
      run_warmup_curve(&all, o, r);
    r->verdict = fit_verdict(r->leak.ci_lo, r->leak.ci_hi, o->tolerance);
    /* Still warming up: a leak must stand out above what the warm-up still
     * adds, else the curve's tail could be all of it. */
    if (r->reason == FIT_REASON_WARMING_UP && r->verdict == FIT_LEAK &&
        !(r->leak.ci_lo > r->warmup_end_slope))
      r->verdict = FIT_INCONCLUSIVE;
    if (r->verdict == FIT_INCONCLUSIVE && r->reason == FIT_REASON_NONE &&
        r->n_used <= FIT_SHORT_N)
      r->reason = FIT_REASON_TOO_FEW;
    /* The interval scales with the cycles it was fitted on: the steady
     * part (the cycles before it come on top), or the whole run when the
     * warm-up curve was fitted with it. */
    bool curve = r->leak.method == FIT_WARMUP_CURVE;
    double fitted_on = curve ? r->total_cycles + r->warmup_cycles : r->total_cycles;
    double before = curve ? 0 : r->warmup_cycles + r->change.lead_cycles;
    if (r->verdict == FIT_INCONCLUSIVE)
      r->cycles_needed = fit_cycles_needed(r->leak.slope, r->leak.ci_lo, r->leak.ci_hi,
                                           o->tolerance, fitted_on) +
                         before;
    /* Still warming up: at least until the warm-up has settled, and then
     * the steady cycles the interval asks for. */
    if (r->verdict == FIT_INCONCLUSIVE && r->reason == FIT_REASON_WARMING_UP &&
        isfinite(r->warmup_settled))
      r->cycles_needed = fmax(isnan(r->cycles_needed) ? 0 : r->cycles_needed,
                              ceil(r->warmup_settled) + r->total_cycles);
  }
  run_free(&u);
  run_free(&all);
  return r->status == FIT_OK ? 0 : -1;
}

void fit_result_fini(struct fit_result *r) {
  free(r->offsets);
  free(r->last_fitted);
  r->offsets = r->last_fitted = NULL;
}
