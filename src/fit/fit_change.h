/* fit_change — where a run's leak per cycle changed, if it did.
 *
 * A leak that starts after hundreds of flat cycles, or stops halfway, is
 * not one number.  This scans a run for a knee: a change of slope at one
 * cycle,
 *     bytes = a_lifetime + b * cycles + d * max(0, cycles - knee),
 * by least squares on winsorized residuals of the straight line, over
 * candidate knees between 15% and 85% of the run's observations.  A bend
 * that slows down may just as well be a warm-up (fit_curve.h): the best
 * knee is set against the best saturating term a * exp(-cycles/tau) (the
 * warm-up's shape, growth slowing only) and only a knee that explains more
 * than it counts.  Whether the slopes on either side really differ is for
 * the caller to test (fit.c fits both sides with their own intervals).
 *
 * The knee's position is uncertain: `from` and `to` bound the knees whose
 * fit the data cannot tell from the best one's (profile criterion at 95%,
 * the noise variance scaled for lag-1 autocorrelation), so a fit of the
 * part after `to` holds no cycle from before the change.
 * Runs on at most ~2000 block medians.  Pure numerics, no I/O. */
#ifndef LEAKSLOPE_FIT_CHANGE_H
#define LEAKSLOPE_FIT_CHANGE_H

#include <stdbool.h>
#include <stddef.h>

struct fit_knee {
  bool found;      /* a knee explains the bend better than a warm-up */
  double at;       /* cycles at the best knee */
  double from, to; /* plausible knees, cycles (from <= at <= to) */
  double d;        /* change of slope there, bytes per cycle (rough: the
                      caller's side fits are what to report) */
};

/* x cycles, non-decreasing over the whole run (not only within a
 * lifetime), y bytes, g lifetimes (non-decreasing, NULL for one).
 * Returns 0 with out filled (found false when nothing bends, or when a
 * warm-up curve fits better), -1 when the run is too short (fewer than
 * FIT_CHANGE_MIN_N points) or x goes backwards. */
#define FIT_CHANGE_MIN_N 100
int fit_change_scan(const double *x, const double *y, const unsigned *g,
                    size_t n, struct fit_knee *out);

#endif
