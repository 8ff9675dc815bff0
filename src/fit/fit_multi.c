/* fit_multi — robust fit on several cycle counts at once (fit_multi.h). */
#include "config.h"

#include "fit/fit_multi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit/fit_stats.h"
#include "util/xalloc.h"

#define HUBER_K 1.345
#define K FIT_MULTI_MAX

struct mfit {
  size_t n, k, ng;
  const size_t *gs;
  double *x[K], *z[K]; /* centred per group; weighted-centred per step */
  double *y, *w, *r;
  double b[K], s;
};

/* Invert the k x k matrix a (row-major, K stride) into inv by Gauss-Jordan
 * with partial pivoting; false when singular relative to its diagonal. */
static bool invert(double a[K][K], size_t k, double inv[K][K]) {
  double m[K][2 * K];
  double scale = 0;
  for (size_t i = 0; i < k; i++) {
    for (size_t j = 0; j < k; j++)
      m[i][j] = a[i][j], m[i][k + j] = i == j;
    scale = fmax(scale, fabs(a[i][i]));
  }
  for (size_t c = 0; c < k; c++) {
    size_t p = c;
    for (size_t i = c + 1; i < k; i++)
      if (fabs(m[i][c]) > fabs(m[p][c]))
        p = i;
    if (!(fabs(m[p][c]) > 1e-13 * scale))
      return false;
    if (p != c)
      for (size_t j = 0; j < 2 * k; j++) {
        double t = m[c][j];
        m[c][j] = m[p][j], m[p][j] = t;
      }
    double d = m[c][c];
    for (size_t j = 0; j < 2 * k; j++)
      m[c][j] /= d;
    for (size_t i = 0; i < k; i++) {
      if (i == c || m[i][c] == 0)
        continue;
      double f = m[i][c];
      for (size_t j = 0; j < 2 * k; j++)
        m[i][j] -= f * m[c][j];
    }
  }
  for (size_t i = 0; i < k; i++)
    for (size_t j = 0; j < k; j++)
      inv[i][j] = m[i][k + j];
  return true;
}

/* One weighted within-group least-squares step; false when singular. */
static bool mstep(struct mfit *m) {
  double a[K][K] = {{0}}, rhs[K] = {0}, inv[K][K];
  for (size_t g = 0; g < m->ng; g++) {
    double sw = 0, mx[K] = {0}, my = 0;
    for (size_t i = m->gs[g]; i < m->gs[g + 1]; i++) {
      sw += m->w[i];
      for (size_t j = 0; j < m->k; j++)
        mx[j] += m->w[i] * m->x[j][i];
      my += m->w[i] * m->y[i];
    }
    if (sw <= 0)
      continue;
    for (size_t j = 0; j < m->k; j++)
      mx[j] /= sw;
    my /= sw;
    for (size_t i = m->gs[g]; i < m->gs[g + 1]; i++) {
      double dy = m->y[i] - my;
      m->r[i] = dy;
      for (size_t j = 0; j < m->k; j++) {
        m->z[j][i] = m->x[j][i] - mx[j];
        rhs[j] += m->w[i] * m->z[j][i] * dy;
        for (size_t l = 0; l <= j; l++)
          a[j][l] += m->w[i] * m->z[j][i] * m->z[l][i];
      }
    }
  }
  for (size_t j = 0; j < m->k; j++)
    for (size_t l = j + 1; l < m->k; l++)
      a[j][l] = a[l][j];
  if (!invert(a, m->k, inv))
    return false;
  for (size_t j = 0; j < m->k; j++) {
    m->b[j] = 0;
    for (size_t l = 0; l < m->k; l++)
      m->b[j] += inv[j][l] * rhs[l];
  }
  for (size_t i = 0; i < m->n; i++)
    for (size_t j = 0; j < m->k; j++)
      m->r[i] -= m->b[j] * m->z[j][i];
  return true;
}

/* Huber IRLS, the scale re-estimated over the first passes (as robust-2). */
static bool msolve(struct mfit *m) {
  for (size_t i = 0; i < m->n; i++)
    m->w[i] = 1;
  for (int it = 0; it < 100; it++) {
    double b0[K];
    memcpy(b0, m->b, sizeof b0);
    if (!mstep(m))
      return false;
    if (it < 4)
      m->s = mad_scale(m->r, m->n);
    if (!(m->s > 0))
      return true; /* an exact fit */
    for (size_t i = 0; i < m->n; i++) {
      double a = fabs(m->r[i]);
      m->w[i] = a <= HUBER_K * m->s ? 1 : HUBER_K * m->s / a;
    }
    /* Stop when no slope moves by 0.1% of a rough standard error. */
    bool still = false;
    for (size_t j = 0; j < m->k; j++) {
      double ss = 0;
      for (size_t i = 0; i < m->n; i++)
        ss += m->z[j][i] * m->z[j][i];
      double se = m->s / sqrt(fmax(ss, 1e-300));
      still |= fabs(m->b[j] - b0[j]) > 1e-3 * se;
    }
    if (it > 4 && !still)
      return true;
  }
  return true;
}

/* Sandwich covariance with block score sums; intervals into out->coef.
 *
 * Degrees of freedom: a slope's variance is a weighted sum over blocks,
 * and with a trending regressor the blocks at the ends of a lifetime weigh
 * most, so it is estimated from fewer effective blocks than there are
 * (Satterthwaite: (sum w)^2 / sum w^2, w a block's share by its regressor
 * sums). t on blocks - p instead covered 87% in the --per study. */
static void minterval(const struct mfit *m, size_t L, struct fit_multi *out) {
  double ks = HUBER_K * m->s, a[K][K] = {{0}}, bm[K][K] = {{0}}, inv[K][K];
  size_t cap = m->n / L + m->ng + 1, blocks = 0;
  double (*zsum)[K] = xcalloc(cap, sizeof *zsum);
  for (size_t g = 0; g < m->ng; g++) {
    for (size_t s = m->gs[g]; s < m->gs[g + 1]; s += L) {
      size_t e = s + L < m->gs[g + 1] ? s + L : m->gs[g + 1];
      double u[K] = {0};
      for (size_t i = s; i < e; i++) {
        double psi = fmax(-ks, fmin(ks, m->r[i]));
        bool inside = fabs(m->r[i]) <= ks;
        for (size_t j = 0; j < m->k; j++) {
          u[j] += psi * m->z[j][i];
          zsum[blocks][j] += m->z[j][i];
          if (inside)
            for (size_t l = 0; l < m->k; l++)
              a[j][l] += m->z[j][i] * m->z[l][i];
        }
      }
      for (size_t j = 0; j < m->k; j++)
        for (size_t l = 0; l < m->k; l++)
          bm[j][l] += u[j] * u[l];
      blocks++;
    }
  }
  /* The block sums are tied by the ng + k fitted parameters. */
  double M = (double)blocks, p = (double)(m->ng + m->k);
  if (M - p < 2 || !invert(a, m->k, inv)) {
    free(zsum);
    return;
  }
  double f = M / (M - p);
  for (size_t j = 0; j < m->k; j++) {
    double v = 0, sw = 0, sw2 = 0;
    for (size_t l = 0; l < m->k; l++)
      for (size_t h = 0; h < m->k; h++)
        v += inv[j][l] * bm[l][h] * inv[h][j];
    for (size_t b = 0; b < blocks; b++) {
      double c = 0;
      for (size_t l = 0; l < m->k; l++)
        c += inv[j][l] * zsum[b][l];
      sw += c * c, sw2 += c * c * c * c;
    }
    double df = sw2 > 0 ? sw * sw / sw2 * (M - p) / M : M - p;
    double half = t95(fmax(df, 1)) * sqrt(f * fmax(v, 0));
    out->coef[j].ci_lo = m->b[j] - half;
    out->coef[j].ci_hi = m->b[j] + half;
  }
  free(zsum);
}

int fit_multi(const double *const *x, size_t k, const double *y,
              const unsigned *group, size_t n, struct fit_multi *out) {
  memset(out, 0, sizeof *out);
  out->k = k, out->n = n;
  for (size_t j = 0; j < K; j++)
    out->coef[j] = (struct fit_slope){FIT_EMPTY, FIT_ROBUST_2, NAN, NAN, NAN, n, 1, false};
  if (k == 0 || k > K) {
    out->status = FIT_EMPTY;
    return -1;
  }
  size_t ng, *gs = group_starts(group, n, &ng);
  struct mfit m = {.n = n, .k = k, .ng = ng, .gs = gs};
  size_t sz = (n ? n : 1) * sizeof(double);
  for (size_t j = 0; j < k; j++) {
    m.x[j] = centred(x[j], gs, ng, n, NULL);
    m.z[j] = xmalloc(sz);
  }
  m.y = centred(y, gs, ng, n, NULL);
  m.w = xmalloc(sz), m.r = xmalloc(sz);
  enum fit_status st = n == 0 ? FIT_EMPTY : n < k + 3 ? FIT_TOO_FEW : FIT_OK;
  for (size_t j = 0; j < k && st == FIT_OK; j++)
    for (size_t l = 0; l < k; l++)
      out->corr[j][l] = j == l ? 1 : fabs(corr_centred(m.x[j], m.x[l], n));
  if (st == FIT_OK && !msolve(&m))
    st = FIT_NO_SPREAD;
  if (st == FIT_OK) {
    double rho1, *r = xmalloc(sz);
    memcpy(r, m.r, sz);
    size_t L = block_len_for(8 * decorrelation_lag(r, gs, ng, n, &rho1), n);
    free(r);
    out->block_len = L;
    for (size_t j = 0; j < k; j++)
      out->coef[j].slope = m.b[j], out->coef[j].block_len = L;
    if (m.s > 0)
      minterval(&m, L, out);
    else
      for (size_t j = 0; j < k; j++)
        out->coef[j].ci_lo = out->coef[j].ci_hi = m.b[j];
  }
  out->status = st;
  for (size_t j = 0; j < k; j++)
    out->coef[j].status = st;
  for (size_t j = 0; j < k; j++)
    free(m.x[j]), free(m.z[j]);
  free(m.y), free(m.w), free(m.r), free(gs);
  return st == FIT_OK ? 0 : -1;
}

size_t fit_multi_collinear(const struct fit_multi *m, size_t *set) {
  for (size_t j = 0; j < m->k; j++)
    set[j] = j;
  /* union by the smaller index until nothing changes (k is tiny) */
  for (bool moved = true; moved;) {
    moved = false;
    for (size_t j = 0; j < m->k; j++)
      for (size_t l = 0; l < m->k; l++)
        if (l != j && m->corr[j][l] > FIT_COLLINEAR_R && set[l] < set[j])
          set[j] = set[l], moved = true;
  }
  size_t in_sets = 0;
  for (size_t j = 0; j < m->k; j++)
    for (size_t l = 0; l < m->k; l++)
      if (l != j && set[l] == set[j]) {
        in_sets++;
        break;
      }
  return in_sets;
}

double fit_multi_unpaired_needed(double b, double lo, double hi,
                                 double tolerance, double cycles) {
  double h = (hi - lo) / 2, target = fmax(tolerance, fabs(b) / 4);
  double n = isfinite(h) && target > 0 ? cycles * pow(h / target, 2.0 / 3) : cycles;
  return ceil(fmax(n, fmax(cycles / 10, 10)));
}
