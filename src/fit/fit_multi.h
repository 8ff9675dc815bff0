/* fit_multi — memory on several cycle counts (and time) at once: pure
 * numerics, no I/O.
 *
 * Model.  bytes_i = a_lifetime + sum_j b_j * x_ij + error_i, where x_j is
 * the count of cycles of kind j (load/unload of a module, a named cycle
 * such as a logon) completed by sample i, or its elapsed hours.  The fit is
 * the one robust-2 does for two regressors (fit.h), for up to
 * FIT_MULTI_MAX: a Huber M-estimate (k = 1.345, MAD scale, IRLS) of the
 * within-lifetime centred data, and a sandwich covariance whose middle term
 * sums the scores over blocks of L observations (L four times the
 * residuals' decorrelation lag), with Student's t on blocks - parameters
 * degrees of freedom.
 *
 * Two kinds that move in lock-step (every load paired with a logon) cannot
 * be told apart: fit_multi_collinear says which, from the correlation of
 * their centred counts (FIT_COLLINEAR_R, as for cycles and time), and the
 * caller fits them as one regressor instead of printing two numbers. */
#ifndef LEAKSLOPE_FIT_MULTI_H
#define LEAKSLOPE_FIT_MULTI_H

#include <stddef.h>

#include "fit/fit.h"

#define FIT_MULTI_MAX 9

struct fit_multi {
  enum fit_status status;
  size_t k, n;
  struct fit_slope coef[FIT_MULTI_MAX]; /* method FIT_ROBUST_2 */
  double corr[FIT_MULTI_MAX][FIT_MULTI_MAX]; /* |corr| of centred x_j, x_l */
  size_t block_len;
};

/* Fit y on the k (1..FIT_MULTI_MAX) regressors x[0..k-1], each n long,
 * with one offset per group (group non-decreasing; NULL for one).  Returns
 * 0 when out->status is FIT_OK; the intervals are NaN when too few blocks
 * remain. */
int fit_multi(const double *const *x, size_t k, const double *y,
              const unsigned *group, size_t n, struct fit_multi *out);

/* Group the k regressors of m into sets that cannot be told apart:
 * set[j] is the smallest index collinear with j through a chain of
 * correlations above FIT_COLLINEAR_R (j itself when none).  Returns the
 * number of regressors in a set of two or more. */
size_t fit_multi_collinear(const struct fit_multi *m, size_t *set);

/* Cycles of one kind without the other (logons without a reload) a capture
 * should add so that two kinds fitted together, their joint coefficient b
 * with interval [lo, hi] over `cycles` paired cycles, separate into
 * coefficients known to max(tolerance, |b| / 4): the half-width of a
 * coefficient taken as shrinking with cycles^(-3/2) (fit_cycles_needed's
 * assumption), at least a tenth of the paired cycles and 10. */
double fit_multi_unpaired_needed(double b, double lo, double hi,
                                 double tolerance, double cycles);

#endif
