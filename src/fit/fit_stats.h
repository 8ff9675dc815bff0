/* fit_stats — the small robust statistics the fit modules share (medians,
 * MAD scale, lifetime groups, centring, Student's t, the decorrelation lag
 * that sets block lengths). Internal to src/fit: pure functions, no I/O. */
#ifndef LEAKSLOPE_FIT_STATS_H
#define LEAKSLOPE_FIT_STATS_H

#include <stddef.h>

#define MAD_SCALE 1.482602218505602
#define Z95 1.959963984540054

/* Median of v[0..n) (reorders v / copies it); NaN for n = 0. */
double median_inplace(double *v, size_t n);
double median_of(const double *v, size_t n);
/* MAD about the median, scaled to a normal sigma. */
double mad_scale(const double *v, size_t n);
/* Group boundaries from non-decreasing labels (NULL: one group): ngroups + 1
 * entries, malloc'ed. */
size_t *group_starts(const unsigned *group, size_t n, size_t *ngroups);
/* x minus its group mean (malloc'ed); means[g] gets the means if not NULL. */
double *centred(const double *x, const size_t *gs, size_t ng, size_t n,
                double *means);
/* Two-sided 95% quantile of Student's t with df degrees of freedom. */
double t95(double df);
/* First lag of 1, 2, 4, ... where the (winsorized, per-group centred)
 * autocorrelation of r drops below 0.1; *rho1 gets the lag-1 value. r is
 * changed. */
size_t decorrelation_lag(double *r, const size_t *gs, size_t ng, size_t n,
                         double *rho1);
/* Block length for n observations: at least n^(1/3) and lag, at most n/10. */
size_t block_len_for(size_t lag, size_t n);
/* |correlation| of two centred vectors; NaN when one is constant. */
double corr_centred(const double *a, const double *b, size_t n);

#endif
