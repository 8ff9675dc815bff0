/* fit_stats — see fit_stats.h. */
#include "config.h"

#include "fit/fit_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fit/fit_select.h"
#include "util/xalloc.h"

/* Median of v[0..n) (reorders v); NaN for n = 0. */
double median_inplace(double *v, size_t n) {
  if (n == 0)
    return NAN;
  double hi = select_kth(v, n, n / 2);
  if (n % 2)
    return hi;
  double lo = v[0];
  for (size_t i = 1; i < n / 2; i++)
    if (v[i] > lo)
      lo = v[i];
  return 0.5 * (lo + hi);
}

double median_of(const double *v, size_t n) {
  double *c = xmalloc((n ? n : 1) * sizeof *c);
  memcpy(c, v, n * sizeof *c);
  double m = median_inplace(c, n);
  free(c);
  return m;
}

/* MAD about the median, scaled to a normal sigma. */
double mad_scale(const double *v, size_t n) {
  if (n == 0)
    return NAN;
  double *c = xmalloc(n * sizeof *c);
  double med = median_of(v, n);
  for (size_t i = 0; i < n; i++)
    c[i] = fabs(v[i] - med);
  double m = median_inplace(c, n);
  free(c);
  return MAD_SCALE * m;
}

/* Group boundaries from non-decreasing labels (NULL: one group). */
size_t *group_starts(const unsigned *group, size_t n, size_t *ngroups) {
  size_t cap = 8, k = 0;
  size_t *gs = xmalloc(cap * sizeof *gs);
  gs[k++] = 0;
  for (size_t i = 1; group && i < n; i++) {
    if (group[i] != group[i - 1]) {
      if (k + 1 >= cap)
        gs = xreallocarray(gs, cap *= 2, sizeof *gs);
      gs[k++] = i;
    }
  }
  if (k + 1 >= cap)
    gs = xreallocarray(gs, cap + 1, sizeof *gs);
  gs[k] = n;
  *ngroups = n ? k : 0;
  return gs;
}

/* x minus its group mean (pairwise slopes do not change; digits stay). */
double *centred(const double *x, const size_t *gs, size_t ng, size_t n,
                       double *means) {
  double *c = xmalloc((n ? n : 1) * sizeof *c);
  for (size_t g = 0; g < ng; g++) {
    double s = 0;
    for (size_t i = gs[g]; i < gs[g + 1]; i++)
      s += x[i];
    double m = s / (double)(gs[g + 1] - gs[g]);
    if (means)
      means[g] = m;
    for (size_t i = gs[g]; i < gs[g + 1]; i++)
      c[i] = x[i] - m;
  }
  return c;
}

/* Two-sided 95% quantile of Student's t (Cornish-Fisher expansion). */
double t95(double df) {
  if (!(df > 0))
    return NAN;
  double z = Z95, z3 = z * z * z, z5 = z3 * z * z;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
}

/* Residuals winsorized at 2.5 robust sigmas and centred per group, so a
 * spike or a trim does not pass for correlation. */
static void tame(double *r, const size_t *gs, size_t ng, size_t n) {
  double s = mad_scale(r, n);
  for (size_t i = 0; s > 0 && i < n; i++)
    r[i] = fmax(-2.5 * s, fmin(2.5 * s, r[i]));
  for (size_t g = 0; g < ng; g++) {
    double m = 0;
    for (size_t i = gs[g]; i < gs[g + 1]; i++)
      m += r[i];
    m /= (double)(gs[g + 1] - gs[g]);
    for (size_t i = gs[g]; i < gs[g + 1]; i++)
      r[i] -= m;
  }
}

static double acf(const double *r, const size_t *gs, size_t ng, size_t lag) {
  double num = 0, den = 0;
  for (size_t g = 0; g < ng; g++) {
    for (size_t i = gs[g]; i < gs[g + 1]; i++) {
      den += r[i] * r[i];
      if (i + lag < gs[g + 1])
        num += r[i] * r[i + lag];
    }
  }
  return den > 0 ? num / den : 0;
}

/* First lag of 1, 2, 4, ... where the autocorrelation drops below 0.1
 * (1 when the residuals look independent). */
size_t decorrelation_lag(double *r, const size_t *gs, size_t ng,
                                size_t n, double *rho1) {
  tame(r, gs, ng, n);
  *rho1 = acf(r, gs, ng, 1);
  size_t lag = 1;
  while (lag < n / 8 && acf(r, gs, ng, lag) >= 0.1)
    lag *= 2;
  return lag;
}

size_t block_len_for(size_t lag, size_t n) {
  size_t l = (size_t)ceil(cbrt((double)n));
  if (lag > l)
    l = lag;
  if (l > n / 10)
    l = n / 10 ? n / 10 : 1;
  return l;
}

double corr_centred(const double *a, const double *b, size_t n) {
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < n; i++)
    sab += a[i] * b[i], saa += a[i] * a[i], sbb += b[i] * b[i];
  return saa > 0 && sbb > 0 ? fabs(sab) / sqrt(saa * sbb) : NAN;
}

