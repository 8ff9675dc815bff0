/* fit_select — exact order statistics of pairwise slopes (internal to fit).
 *
 * Theil-Sen needs the median (and, for Sen's interval, two other ranks) of
 * the n(n-1)/2 slopes (y_j - y_i)/(x_j - x_i).  Listing them all is O(n^2);
 * this module finds any rank exactly in O(n log n) expected time by
 * randomized slope selection (in the spirit of Matousek 1991 and
 * Dillencourt, Mount and Netanyahu 1992):
 *
 *  - the number of slopes <= t equals the number of inversions between the
 *    points ordered by x and ordered by y - t*x, counted by a merge sort;
 *  - the slopes inside a bracket (lo, hi] are exactly the inversions between
 *    the order at lo and the order at hi, so a merge sort can also hand out
 *    the inversions whose running index falls on a sorted list of uniform
 *    random ranks: a uniform sample of the slopes inside the bracket, in
 *    one O(n log n + m) pass, with no rejection;
 *  - each round samples the bracket, narrows it around the wanted rank by
 *    sample quantiles (a few standard errors wide), checks the new bounds
 *    by counting, and once few enough slopes remain they are listed and the
 *    rank is picked by quickselect.
 * Points come in groups (process lifetimes): only pairs inside a group
 * count, so a common slope across restarts never bridges a drop.  Pairs
 * with equal x are never counted.  Ties among slopes are handled by
 * counting both "< t" and "<= t". */
#ifndef LEAKSLOPE_FIT_SELECT_H
#define LEAKSLOPE_FIT_SELECT_H

#include <stddef.h>
#include <stdint.h>

#include "util/rng.h"

struct ts_data {
  const double *x, *y; /* n < 2^32 points, x finite and y finite */
  size_t n;
  const size_t *gstart; /* ngroups+1 offsets: group g is [gstart[g], gstart[g+1]) */
  size_t ngroups;
};

struct ts_selector;

/* Prepare a selector for these points (sorts them once by x). */
struct ts_selector *ts_selector_new(const struct ts_data *d, uint64_t seed);
void ts_selector_free(struct ts_selector *s);
/* Number of pairs with distinct x inside the same group. */
uint64_t ts_pairs(const struct ts_selector *s);
/* The slope of 0-based rank k (ascending) among those pairs; k < ts_pairs. */
double ts_rank(struct ts_selector *s, uint64_t k);
/* Median slope: the middle rank, or the mean of the two middle ones. */
double ts_median(struct ts_selector *s);
/* Median of m slopes of pairs drawn uniformly (with replacement) from
 * those above: the sampled-pairs estimator used past FIT_EXACT_MAX_N
 * points.  Its extra error is about sqrt(n / m) / 7 of the estimator's
 * own standard error, i.e. negligible for m >= 2n. */
double ts_sampled_median(struct ts_selector *s, size_t m);
/* Number of pair slopes <= t (strict: < t). */
uint64_t ts_count(struct ts_selector *s, double t, int strict);

/* k-th smallest (0-based) of v[0..n), reordering v; expected O(n). */
double select_kth(double *v, size_t n, size_t k);

#endif
