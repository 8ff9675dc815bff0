/* fit_change — the knee scan; the method is in fit_change.h. */
#include "config.h"

#include "fit/fit_change.h"

#include <math.h>
#include <stdlib.h>

#include "fit/fit_stats.h"
#include "util/xalloc.h"

#define THIN_MAX 2000  /* block medians the scan runs on, at most */
#define NKNEES 200     /* candidate knees, at most */
#define NTAU 40        /* warm-up time constants set against them */
#define EDGE 0.15      /* knees no nearer the ends than this share */
#define WINSOR 3.0     /* residuals clipped at this many robust sigmas */
#define CHI2_95 3.841458820694124

/* The thinned run and the straight line's residuals on it. */
struct scan {
  size_t m, ng;
  double *x, *e;   /* block-median cycles; residuals (winsorized or not) */
  double *clipped, *raw;
  double *xc;      /* cycles centred per lifetime */
  size_t *gs;      /* lifetime starts, ng + 1 */
  double sxx;
};

static void thin(const double *x, const double *y, const unsigned *g, size_t n,
                 struct scan *s, double **yt) {
  size_t ng, *gs = group_starts(g, n, &ng);
  size_t L = n / THIN_MAX + 1, cap = n / L + ng + 1;
  s->x = xmalloc(cap * sizeof *s->x);
  *yt = xmalloc(cap * sizeof **yt);
  s->gs = xmalloc((ng + 1) * sizeof *s->gs);
  s->m = 0;
  s->ng = ng;
  for (size_t k = 0; k < ng; k++) {
    s->gs[k] = s->m;
    for (size_t a = gs[k]; a < gs[k + 1]; a += L) {
      size_t b = a + L < gs[k + 1] ? a + L : gs[k + 1];
      s->x[s->m] = median_of(x + a, b - a);
      (*yt)[s->m++] = median_of(y + a, b - a);
    }
  }
  s->gs[ng] = s->m;
  free(gs);
}

/* Residuals of bytes ~ lifetime offsets + b * cycles, clipped. */
static void residuals(struct scan *s, const double *y) {
  s->xc = centred(s->x, s->gs, s->ng, s->m, NULL);
  double *yc = centred(y, s->gs, s->ng, s->m, NULL), sxy = 0;
  s->sxx = 0;
  for (size_t i = 0; i < s->m; i++)
    s->sxx += s->xc[i] * s->xc[i], sxy += s->xc[i] * yc[i];
  double b = s->sxx > 0 ? sxy / s->sxx : 0;
  s->e = yc;
  for (size_t i = 0; i < s->m; i++)
    s->e[i] -= b * s->xc[i];
  s->raw = s->e;
  s->clipped = xmemdup(s->raw, s->m * sizeof *s->raw);
  double c = WINSOR * mad_scale(s->raw, s->m);
  if (c > 0)
    for (size_t i = 0; i < s->m; i++)
      s->clipped[i] = fmax(-c, fmin(c, s->clipped[i]));
}

/* Regress the residuals on z with the offsets and cycles partialled out:
 * *gamma its coefficient, returns the sum of squares it explains.  z is
 * overwritten with the partialled regressor. */
static double explained(const struct scan *s, double *z, double *gamma) {
  for (size_t k = 0; k < s->ng; k++) {
    double mean = 0;
    for (size_t i = s->gs[k]; i < s->gs[k + 1]; i++)
      mean += z[i];
    mean /= (double)(s->gs[k + 1] - s->gs[k]);
    for (size_t i = s->gs[k]; i < s->gs[k + 1]; i++)
      z[i] -= mean;
  }
  double zx = 0;
  for (size_t i = 0; i < s->m; i++)
    zx += z[i] * s->xc[i];
  double p = zx / s->sxx, num = 0, den = 0;
  for (size_t i = 0; i < s->m; i++) {
    z[i] -= p * s->xc[i];
    num += z[i] * s->e[i], den += z[i] * z[i];
  }
  /* A regressor (nearly) in the span of offsets and cycles explains
   * nothing new; rounding would make it look as if it did. */
  if (!(den > 1e-9 * s->sxx)) {
    *gamma = 0;
    return 0;
  }
  *gamma = num / den;
  return num * num / den;
}

static void hinge(const struct scan *s, double knee, double *z) {
  for (size_t i = 0; i < s->m; i++)
    z[i] = s->x[i] > knee ? s->x[i] - knee : 0;
}

/* The most any warm-up term (growth slowing down) explains. */
static double best_warmup(const struct scan *s, double *z) {
  double span = s->x[s->m - 1] - s->x[0], best = 0, gamma;
  for (int j = 0; j < NTAU; j++) {
    double tau = span * pow(10, -2.3 + 2.6 * j / (NTAU - 1));
    for (size_t k = 0; k < s->ng; k++)
      for (size_t i = s->gs[k]; i < s->gs[k + 1]; i++)
        z[i] = exp(-(s->x[i] - s->x[s->gs[k]]) / tau);
    double ss = explained(s, z, &gamma);
    if (gamma < 0 && ss > best) /* negative: memory rises fast, then less */
      best = ss;
  }
  return best;
}

/* Noise variance per point left after the best knee, times the lag-1
 * autocorrelation's variance inflation (1 + rho) / (1 - rho). */
static double noise_variance(const struct scan *s, double knee, double *z) {
  double gamma;
  hinge(s, knee, z);
  explained(s, z, &gamma);
  double ss = 0, lag = 0;
  for (size_t k = 0; k < s->ng; k++)
    for (size_t i = s->gs[k]; i < s->gs[k + 1]; i++) {
      double r = s->e[i] - gamma * z[i];
      ss += r * r;
      if (i > s->gs[k])
        lag += r * (s->e[i - 1] - gamma * z[i - 1]);
    }
  double df = (double)s->m - (double)s->ng - 2;
  double rho = ss > 0 ? fmax(0, fmin(0.96, lag / ss)) : 0;
  return df > 0 ? ss / df * (1 + rho) / (1 - rho) : NAN;
}

int fit_change_scan(const double *x, const double *y, const unsigned *g,
                    size_t n, struct fit_knee *out) {
  out->found = false;
  out->at = out->from = out->to = out->d = NAN;
  if (n < FIT_CHANGE_MIN_N)
    return -1;
  for (size_t i = 1; i < n; i++)
    if (!(x[i] >= x[i - 1]))
      return -1;
  struct scan s;
  double *yt;
  thin(x, y, g, n, &s, &yt);
  residuals(&s, yt);
  free(yt);
  s.e = s.clipped; /* the knee is placed robustly */
  double *z = xmalloc(s.m * sizeof *z);
  size_t lo = (size_t)ceil(EDGE * (double)s.m);
  size_t hi = (size_t)floor((1 - EDGE) * (double)s.m);
  size_t step = (hi - lo) / NKNEES + 1, nk = 0;
  double *knee = xmalloc((NKNEES + 2) * sizeof *knee);
  double *ss = xmalloc((NKNEES + 2) * sizeof *ss);
  size_t best = 0;
  for (size_t i = lo; s.sxx > 0 && i <= hi && i < s.m; i += step) {
    double gamma;
    hinge(&s, s.x[i], z);
    knee[nk] = s.x[i];
    ss[nk] = explained(&s, z, &gamma);
    if (nk == 0 || ss[nk] > ss[best])
      best = nk, out->d = gamma;
    nk++;
  }
  /* Knee against warm-up on the residuals as they are: clipping would cut
   * a warm-up's large early residuals and hand the bend to a knee. */
  double knee_raw = 0, gamma;
  if (nk > 0) {
    s.e = s.raw;
    hinge(&s, knee[best], z);
    knee_raw = explained(&s, z, &gamma);
  }
  bool beats = nk > 0 && ss[best] > 0 && knee_raw > best_warmup(&s, z);
  s.e = s.clipped;
  if (beats) {
    double crit = CHI2_95 * noise_variance(&s, knee[best], z);
    out->found = true;
    out->at = out->from = out->to = knee[best];
    for (size_t k = 0; k < nk; k++)
      if (ss[k] >= ss[best] - crit) {
        out->from = fmin(out->from, knee[k]);
        out->to = fmax(out->to, knee[k]);
      }
  }
  free(knee), free(ss), free(z);
  free(s.x), free(s.raw), free(s.clipped), free(s.xc), free(s.gs);
  return 0;
}
