/* fit_curve — the warm-up curve model; the method is in fit_curve.h. */
#include "config.h"

#include "fit/fit_curve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit/fit_stats.h"
#include "util/xalloc.h"

#define HUBER_K 1.345
#define THIN_MAX 3000   /* block medians the model runs on, at most */
#define MIN_POINTS 20   /* a lifetime needs this many to get a warm-up term */
#define MAX_TERMS 8     /* lifetimes with a warm-up term of their own */
#define NTAU 28         /* time constants on the grid */
#define NFINE 16        /* and between the best one's neighbours */
#define Z_FIRE 4.0      /* Wald z of the warm-up term that makes it real */
#define AMP_FIRE 10.0   /* and its amplitude, in robust sigmas of the noise */
#define CHI2_95 3.841458820694124
#define PMAX (1 + MAX_TERMS)

/* The thinned run: block medians per lifetime. */
struct pts {
  size_t m, ng;
  double *x, *y;
  size_t *gs;            /* group starts, ng + 1 */
  int term[MAX_TERMS * 4]; /* group -> warm-up column (1..), or 0 */
  size_t nterms;
};

static void thin(const double *x, const double *y, const unsigned *g, size_t n,
                 struct pts *p) {
  size_t ng, *gs = group_starts(g, n, &ng);
  size_t L = n / THIN_MAX + 1;
  p->x = xmalloc((n / L + ng + 1) * sizeof *p->x);
  p->y = xmalloc((n / L + ng + 1) * sizeof *p->y);
  p->gs = xmalloc((ng + 1) * sizeof *p->gs);
  p->m = 0;
  p->ng = ng;
  p->nterms = 0;
  for (size_t k = 0; k < ng; k++) {
    p->gs[k] = p->m;
    for (size_t s = gs[k]; s < gs[k + 1]; s += L) {
      size_t e = s + L < gs[k + 1] ? s + L : gs[k + 1];
      p->x[p->m] = median_of(x + s, e - s);
      p->y[p->m++] = median_of(y + s, e - s);
    }
    size_t cnt = p->m - p->gs[k];
    if (k < sizeof p->term / sizeof *p->term)
      p->term[k] = cnt >= MIN_POINTS && p->nterms < MAX_TERMS ? (int)++p->nterms : 0;
  }
  p->gs[ng] = p->m;
  free(gs);
}

static void pts_free(struct pts *p) {
  free(p->x), free(p->y), free(p->gs);
}

/* One model at one tau: columns, weights, the fit. */
struct model {
  size_t m, p;
  double *z;   /* m x p, centred per group with the weights */
  double *raw; /* m x p, the columns as built */
  double *w, *r;
  double *mom; /* per group, of the weights w: sum w, sum w y, sum w raw[j] */
  double beta[PMAX];
};

/* One allocation holds the arrays (z, raw, w, r, mom). */
static void model_init(struct model *md, size_t m, size_t p, size_t ng) {
  md->m = m, md->p = p;
  md->z = xmalloc((2 * m * p + 2 * m + ng * (p + 2) + 1) * sizeof *md->z);
  md->raw = md->z + m * p;
  md->w = md->raw + m * p;
  md->r = md->w + m;
  md->mom = md->r + m;
}

static void model_free(struct model *md) {
  free(md->z);
}

/* md->mom from the weights md->w (wls_step keeps them after that). */
static void moments(struct model *md, const struct pts *p) {
  size_t P = md->p;
  for (size_t k = 0; k < p->ng; k++) {
    double *g = md->mom + k * (P + 2);
    for (size_t j = 0; j < P + 2; j++)
      g[j] = 0;
    for (size_t i = p->gs[k]; i < p->gs[k + 1]; i++) {
      g[0] += md->w[i];
      g[1] += md->w[i] * p->y[i];
      for (size_t j = 0; j < P; j++)
        g[2 + j] += md->w[i] * md->raw[i * P + j];
    }
  }
}

/* Columns: cycles, then exp(-(x - x0)/tau) of each lifetime with a term
 * (zero elsewhere).  tau <= 0: cycles only. */
static void build(struct model *md, const struct pts *p, double tau) {
  for (size_t k = 0; k < p->ng; k++) {
    double x0 = p->x[p->gs[k]];
    for (size_t i = p->gs[k]; i < p->gs[k + 1]; i++) {
      double *row = md->raw + i * md->p;
      row[0] = p->x[i] - x0;
      for (size_t j = 1; j < md->p; j++)
        row[j] = 0;
      if (tau > 0 && p->term[k] > 0)
        row[p->term[k]] = exp(-(p->x[i] - x0) / tau);
    }
  }
}

/* Solve the p x p system a b = v (a symmetric, overwritten); false when
 * singular.  Gaussian elimination with partial pivoting (p is tiny). */
static bool solve(double *a, double *v, size_t p) {
  for (size_t c = 0; c < p; c++) {
    size_t piv = c;
    for (size_t r = c + 1; r < p; r++)
      if (fabs(a[r * p + c]) > fabs(a[piv * p + c]))
        piv = r;
    if (!(fabs(a[piv * p + c]) > 1e-300))
      return false;
    if (piv != c) {
      for (size_t k = 0; k < p; k++) {
        double t = a[c * p + k];
        a[c * p + k] = a[piv * p + k], a[piv * p + k] = t;
      }
      double t = v[c];
      v[c] = v[piv], v[piv] = t;
    }
    for (size_t r = 0; r < p; r++) {
      if (r == c)
        continue;
      double f = a[r * p + c] / a[c * p + c];
      for (size_t k = c; k < p; k++)
        a[r * p + k] -= f * a[c * p + k];
      v[r] -= f * v[c];
    }
  }
  for (size_t c = 0; c < p; c++)
    v[c] /= a[c * p + c];
  return true;
}

/* Invert the p x p matrix a into inv; false when singular. */
static bool invert(const double *a, double *inv, size_t p) {
  for (size_t j = 0; j < p; j++) {
    double tmp[PMAX * PMAX], col[PMAX];
    memcpy(tmp, a, p * p * sizeof *tmp);
    for (size_t k = 0; k < p; k++)
      col[k] = k == j;
    if (!solve(tmp, col, p))
      return false;
    for (size_t k = 0; k < p; k++)
      inv[k * p + j] = col[k];
  }
  return true;
}

#if defined __GNUC__
#define KERNEL static inline __attribute__((always_inline))
#else
#define KERNEL static inline
#endif

/* One weighted least-squares step with group offsets removed by weighted
 * centring (the weighted means from md->mom); residuals into md->r.  With
 * ks > 0 the Huber weights for the next step follow from the residuals,
 * with their sums into md->mom on the same pass.  False when singular.
 * Written once for any P and called with P a constant for the usual two and
 * three columns, so the compiler unrolls the column loops and keeps the sums
 * in registers: the operations and their order are those of the plain
 * three-pass loop (means, normal equations, residuals), so are the bits;
 * this step is most of what fit_curve_warmup costs. */
KERNEL bool wls_kernel(struct model *md, const struct pts *p, size_t P, double ks) {
  const double *restrict y = p->y, *restrict raw = md->raw;
  double *restrict w = md->w, *restrict zs = md->z, *restrict r = md->r;
  double a[PMAX * PMAX] = {0}, v[PMAX] = {0};
  for (size_t k = 0; k < p->ng; k++) {
    const double *g = md->mom + k * (P + 2);
    double sw = g[0], mz[PMAX];
    if (!(sw > 0))
      continue;
    double my = g[1] / sw;
    for (size_t j = 0; j < P; j++)
      mz[j] = g[2 + j] / sw;
    for (size_t i = p->gs[k]; i < p->gs[k + 1]; i++) {
      double *z = zs + i * P, dy = y[i] - my;
      for (size_t j = 0; j < P; j++)
        z[j] = raw[i * P + j] - mz[j];
      r[i] = dy;
      for (size_t j = 0; j < P; j++) {
        double wz = w[i] * z[j];
        v[j] += wz * dy;
        for (size_t l = 0; l < P; l++)
          a[j * P + l] += wz * z[l];
      }
    }
  }
  if (!solve(a, v, P))
    return false;
  memcpy(md->beta, v, P * sizeof *v);
  for (size_t k = 0; k < p->ng; k++) {
    double sw = 0, swy = 0, swz[PMAX] = {0};
    for (size_t i = p->gs[k]; i < p->gs[k + 1]; i++) {
      double ri = r[i];
      for (size_t j = 0; j < P; j++)
        ri -= v[j] * zs[i * P + j];
      r[i] = ri;
      if (!(ks > 0))
        continue;
      double ai = fabs(ri), wi = ai <= ks ? 1 : ks / ai;
      w[i] = wi;
      sw += wi;
      swy += wi * y[i];
      for (size_t j = 0; j < P; j++)
        swz[j] += wi * raw[i * P + j];
    }
    if (ks > 0) {
      double *g = md->mom + k * (P + 2);
      g[0] = sw, g[1] = swy;
      memcpy(g + 2, swz, P * sizeof *swz);
    }
  }
  return true;
}

static bool wls_step2(struct model *md, const struct pts *p, double ks) {
  return wls_kernel(md, p, 2, ks);
}
static bool wls_step3(struct model *md, const struct pts *p, double ks) {
  return wls_kernel(md, p, 3, ks);
}

static bool wls_step(struct model *md, const struct pts *p, double ks) {
  switch (md->p) {
  case 2: return wls_step2(md, p, ks);
  case 3: return wls_step3(md, p, ks);
  default: return wls_kernel(md, p, md->p, ks);
  }
}

static double huber_rho(double u) {
  double a = fabs(u);
  return a <= HUBER_K ? 0.5 * u * u : HUBER_K * a - 0.5 * HUBER_K * HUBER_K;
}

/* Huber IRLS at the fixed scale s; returns the objective, NaN if singular. */
static double huber_fit(struct model *md, const struct pts *p, double s) {
  for (size_t i = 0; i < md->m; i++)
    md->w[i] = 1;
  moments(md, p);
  for (int it = 0; it < 40; it++) {
    double prev[PMAX];
    memcpy(prev, md->beta, md->p * sizeof *prev);
    if (!wls_step(md, p, s > 0 ? HUBER_K * s : 0))
      return NAN;
    if (!(s > 0))
      break;
    bool still = it > 2;
    for (size_t j = 0; j < md->p && still; j++)
      still = fabs(md->beta[j] - prev[j]) <= 1e-7 * (fabs(md->beta[j]) + 1e-300);
    if (still)
      break;
  }
  double q = 0;
  for (size_t i = 0; i < md->m; i++)
    q += s > 0 ? huber_rho(md->r[i] / s) : 0;
  return q;
}

/* Sandwich covariance over blocks of L (batch means) into v (p x p); the
 * long-run factor of the scores (their block variance over their plain
 * variance, >= 1) into *lrf.  False when it cannot be had. */
static bool sandwich(const struct model *md, const struct pts *p, double s,
                     size_t L, double *v, double *lrf) {
  size_t P = md->p;
  double ks = HUBER_K * s, a[PMAX * PMAX] = {0}, b[PMAX * PMAX] = {0};
  double blocks = 0, plain = 0, lr = 0;
  for (size_t k = 0; k < p->ng; k++) {
    for (size_t st = p->gs[k]; st < p->gs[k + 1]; st += L) {
      size_t e = st + L < p->gs[k + 1] ? st + L : p->gs[k + 1];
      double u[PMAX] = {0}, psum = 0;
      for (size_t i = st; i < e; i++) {
        const double *z = md->z + i * P;
        double psi = fmax(-ks, fmin(ks, md->r[i]));
        if (fabs(md->r[i]) <= ks)
          for (size_t j = 0; j < P; j++)
            for (size_t l = 0; l < P; l++)
              a[j * P + l] += z[j] * z[l];
        for (size_t j = 0; j < P; j++)
          u[j] += psi * z[j];
        psum += psi;
        plain += psi * psi;
      }
      lr += psum * psum;
      for (size_t j = 0; j < P; j++)
        for (size_t l = 0; l < P; l++)
          b[j * P + l] += u[j] * u[l];
      blocks++;
    }
  }
  double dof = blocks - (double)P - (double)p->ng;
  double ai[PMAX * PMAX];
  if (dof < 2 || !invert(a, ai, P))
    return false;
  double f = blocks / dof, t[PMAX * PMAX];
  for (size_t j = 0; j < P; j++)
    for (size_t l = 0; l < P; l++) {
      double acc = 0;
      for (size_t q = 0; q < P; q++)
        acc += b[j * P + q] * ai[q * P + l];
      t[j * P + l] = acc;
    }
  for (size_t j = 0; j < P; j++)
    for (size_t l = 0; l < P; l++) {
      double acc = 0;
      for (size_t q = 0; q < P; q++)
        acc += ai[j * P + q] * t[q * P + l];
      v[j * P + l] = f * acc;
    }
  *lrf = plain > 0 ? fmax(1, lr / plain) : 1;
  return true;
}

/* Block length from the residuals' decorrelation lag (twice it: batch means
 * underestimate the long-run variance by about 2 tau / L). */
static size_t blocks_for(const struct model *md, const struct pts *p) {
  double rho1, *r = xmalloc((md->m ? md->m : 1) * sizeof *r);
  memcpy(r, md->r, md->m * sizeof *r);
  size_t L = block_len_for(2 * decorrelation_lag(r, p->gs, p->ng, md->m, &rho1), md->m);
  free(r);
  return L;
}

/* Student's t quantile on the blocks of L points left after the model's
 * coefficients and the lifetimes' offsets. */
static double t_blocks(const struct model *md, const struct pts *p, size_t L) {
  size_t blocks = 0;
  for (size_t k = 0; k < p->ng; k++)
    blocks += (p->gs[k + 1] - p->gs[k] + L - 1) / L;
  return t95((double)blocks - (double)md->p - (double)p->ng);
}

struct at_tau {
  double tau, q, b, lo, hi, end_slope, settled;
  double zmax;   /* the warm-up term's largest Wald z (growth slowing) */
  double amp;    /* its largest amplitude, bytes */
  bool ok;
};

/* The interval and the warm-up's Wald z from the sandwich, for md fitted
 * at o->tau with the objective o->q. */
static void summarize(const struct model *md, const struct pts *p, double s,
                      size_t L, double tol, struct at_tau *o) {
  double tau = o->tau;
  o->ok = false;
  if (isnan(o->q))
    return;
  double v[PMAX * PMAX], lrf;
  if (!sandwich(md, p, s, L, v, &lrf))
    return;
  size_t P = md->p;
  double q = t_blocks(md, p, L);
  o->b = md->beta[0];
  o->lo = o->b - q * sqrt(v[0]);
  o->hi = o->b + q * sqrt(v[0]);
  o->zmax = 0;
  o->amp = 0;
  o->end_slope = 0;
  o->settled = 0;
  for (size_t k = 0; k < p->ng; k++) {
    int j = p->term[k];
    if (j <= 0)
      continue;
    double A = md->beta[j], se = sqrt(v[j * P + j]);
    /* Only growth that slows down is a warm-up (the term's coefficient is
     * negative); a slope that grows later is a change, not a warm-up. */
    o->zmax = fmax(o->zmax, se > 0 ? -A / se : 0);
    o->amp = fmax(o->amp, -A);
    double span = p->x[p->gs[k + 1] - 1] - p->x[p->gs[k]];
    o->end_slope = fmax(o->end_slope, fabs(A) / tau * exp(-span / tau));
    /* |A|/tau exp(-c/tau) < tol  <=>  c > tau ln(|A| / (tau tol)) */
    if (fabs(A) / tau > tol)
      o->settled = fmax(o->settled, tau * log(fabs(A) / (tau * tol)));
  }
  o->ok = isfinite(o->lo) && isfinite(o->hi);
}

/* Fit at one tau and summarize it. */
static void fit_at(struct model *md, const struct pts *p, double s, double tau,
                   size_t L, double tol, struct at_tau *o) {
  o->tau = tau;
  build(md, p, tau);
  o->q = huber_fit(md, p, s);
  summarize(md, p, s, L, tol, o);
}

int fit_curve_warmup(const double *x, const double *y, const unsigned *g,
                     size_t n, double tolerance, struct fit_curve *out) {
  memset(out, 0, sizeof *out);
  out->slope = out->ci_lo = out->ci_hi = out->tau = NAN;
  struct pts p;
  thin(x, y, g, n, &p);
  int rc = -1;
  double span = 0, step;
  for (size_t k = 0; k < p.ng; k++)
    if (p.term[k] > 0)
      span = fmax(span, p.x[p.gs[k + 1] - 1] - p.x[p.gs[k]]);
  step = p.m > 1 ? span / (double)(p.m - 1) : 0;
  if (p.nterms == 0 || !(span > 0)) {
    pts_free(&p);
    return p.m >= 3 ? 0 : -1;
  }
  /* The common scale: a straight line's residuals. */
  struct model lin;
  model_init(&lin, p.m, 1, p.ng);
  build(&lin, &p, 0);
  for (size_t i = 0; i < p.m; i++)
    lin.w[i] = 1;
  moments(&lin, &p);
  double s = 0;
  if (wls_step(&lin, &p, 0)) {
    s = mad_scale(lin.r, p.m);
    huber_fit(&lin, &p, s);
    s = mad_scale(lin.r, p.m);
  }
  /* md is the sweep's; at is the fit at the best tau with a new scale,
   * which the sweep then takes as its fit there; best_r keeps the residuals
   * of grid[best]'s fit.  A fit depends on its tau and scale only, so each
   * is made once and the results are those of refitting. */
  struct model md, at;
  model_init(&md, p.m, 1 + p.nterms, p.ng);
  model_init(&at, p.m, 1 + p.nterms, p.ng);
  double *best_r = xmalloc(p.m * sizeof *best_r);
  struct at_tau grid[NTAU];
  double tmin = fmax(span / 300, 3 * step), tmax = 2 * span;
  size_t best = NTAU;
  size_t L = 0;
  for (size_t k = 0; k < NTAU; k++) {
    double tau = tmin * pow(tmax / tmin, (double)k / (NTAU - 1));
    grid[k].tau = tau;
    build(&md, &p, tau);
    grid[k].q = huber_fit(&md, &p, s);
    if (L == 0) { /* blocks from the first fit's residuals */
      if (!isnan(grid[k].q))
        L = blocks_for(&md, &p);
      if (L == 0)
        L = 1;
    }
    summarize(&md, &p, s, L, tolerance, &grid[k]);
    if (grid[k].ok && (best == NTAU || grid[k].q < grid[best].q))
      best = k;
    if (best == k)
      memcpy(best_r, md.r, p.m * sizeof *best_r);
  }
  if (best < NTAU && s > 0) {
    rc = 0;
    /* The line's scale holds the whole curve: take the scale and the blocks
     * from the best tau's residuals and search again (twice settles it). */
    double lrf = 1;
    for (int pass = 0; pass < 2; pass++) {
      double ns = mad_scale(best_r, p.m);
      if (ns > 0)
        s = ns;
      size_t at_k = best;
      build(&at, &p, grid[at_k].tau);
      double at_q = huber_fit(&at, &p, s);
      L = blocks_for(&at, &p);
      double v[PMAX * PMAX];
      if (!sandwich(&at, &p, s, L, v, &lrf))
        lrf = 1;
      for (size_t k = 0; k < NTAU; k++) {
        const struct model *f = &md;
        if (k == at_k) {
          f = &at;
          grid[k].q = at_q;
          summarize(&at, &p, s, L, tolerance, &grid[k]);
        } else {
          fit_at(&md, &p, s, grid[k].tau, L, tolerance, &grid[k]);
        }
        if (grid[k].ok && (!grid[best].ok || grid[k].q < grid[best].q))
          best = k;
        if (best == k)
          memcpy(best_r, f->r, p.m * sizeof *best_r);
      }
    }
    /* The grid is coarse (27% a step) where the data may pin tau down to a
     * few percent: look again finely between the best's neighbours. */
    double flo = grid[best > 0 ? best - 1 : 0].tau;
    double fhi = grid[best + 1 < NTAU ? best + 1 : NTAU - 1].tau;
    struct at_tau fine[NFINE], *bp = &grid[best];
    for (size_t k = 0; k < NFINE; k++) {
      fit_at(&md, &p, s, flo * pow(fhi / flo, (double)(k + 1) / (NFINE + 1)), L,
             tolerance, &fine[k]);
      if (fine[k].ok && fine[k].q < bp->q)
        bp = &fine[k];
    }
    out->tau = bp->tau;
    out->z = bp->zmax;
    /* Steps of a heap that grows in large pads look like curvature to a
     * test that only sees the fit: a warm-up must also be large next to the
     * noise. */
    out->fired = bp->ok && bp->zmax > Z_FIRE && bp->amp > AMP_FIRE * s;
    /* The deviance threshold of the profile over tau: F(1, blocks - p) =
     * t^2, the same t as the Wald interval's, not the chi-square it tends
     * to only with many blocks (the scale and the long-run factor are
     * estimated from few). */
    double tq = t_blocks(&md, &p, L);
    double dev_max = (isfinite(tq) ? tq * tq : CHI2_95) * lrf;
    if (out->fired) {
      out->slope = bp->b;
      out->ci_lo = bp->lo, out->ci_hi = bp->hi;
      for (size_t k = 0; k < NTAU + NFINE; k++) {
        const struct at_tau *e = k < NTAU ? &grid[k] : &fine[k - NTAU];
        if (!e->ok || 2 * (e->q - bp->q) > dev_max)
          continue;
        out->ci_lo = fmin(out->ci_lo, e->lo);
        out->ci_hi = fmax(out->ci_hi, e->hi);
        out->end_slope = fmax(out->end_slope, e->end_slope);
        out->settled_at = fmax(out->settled_at, e->settled);
        if (k == NTAU - 1)
          out->open_ended = true;
      }
    }
  }
  free(best_r);
  model_free(&at);
  model_free(&md);
  model_free(&lin);
  pts_free(&p);
  return rc;
}
