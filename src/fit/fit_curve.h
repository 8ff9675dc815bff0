/* fit_curve — a warm-up that the leak's interval accounts for.
 *
 * Heaps often grow fast at first and then settle (caches fill, pools reach
 * their size): bytes = a + b * cycles + A * exp(-cycles / tau) per lifetime.
 * Cutting the start (fit_warmup) leaves the rest of the curve in the slope;
 * this fits the curve with the leak instead.  For each tau on a grid the
 * model is linear in (b, A_lifetime), fitted by Huber IRLS at one common
 * scale; the best tau gives the point estimate and a Wald test of the warm-up
 * term (fired when it is significant at about 4 sigma, with a sandwich
 * covariance over blocks, so autocorrelated noise does not fire it).  The
 * interval is the union of the per-tau intervals over every tau the data
 * cannot reject (profile criterion at 95%, scaled for autocorrelation): when
 * the run has not shown the end of its warm-up, long time constants stay
 * plausible, b and A cannot be told apart, and the interval says so.
 * Runs on at most ~3000 block medians, so it costs the same on 10^6 cycles.
 * Pure numerics, no I/O. */
#ifndef LEAKSLOPE_FIT_CURVE_H
#define LEAKSLOPE_FIT_CURVE_H

#include <stdbool.h>
#include <stddef.h>

struct fit_curve {
  bool fired;         /* a saturating term is significant */
  double slope;       /* leak per cycle with the warm-up modelled */
  double ci_lo, ci_hi;/* 95%, over every plausible tau */
  double tau;         /* the best time constant, cycles */
  double z;           /* Wald statistic of the warm-up term at that tau */
  double end_slope;   /* bytes per cycle the warm-up still adds at the end
                         of the run (the most over plausible tau) */
  bool open_ended;    /* plausible tau reach the longest on the grid: the
                         run has not shown where the warm-up ends */
  double settled_at;  /* cycles (from the lifetime's start) after which
                         the warm-up adds under `tolerance` per cycle */
};

/* x cycles (increasing within a lifetime), y bytes, g lifetimes (non-
 * decreasing, NULL for one).  tolerance in bytes per cycle.  Returns 0 with
 * out filled (out->fired false when no warm-up term is needed or the run is
 * too short to fit one), -1 when nothing could be fitted. */
int fit_curve_warmup(const double *x, const double *y, const unsigned *g,
                     size_t n, double tolerance, struct fit_curve *out);

#endif
