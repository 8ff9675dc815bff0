/* fit — the numerics of leak per cycle: pure functions, no I/O.
 *
 * Model.  Memory observed after some load/unload cycles,
 *     bytes_i = a_lifetime + b * cycles_i (+ c * hours_i) + error_i,
 * where every process lifetime (a restart is a new one) has its own offset
 * a, b is the leak per cycle and c growth per hour that no cycle explains.
 * Errors are autocorrelated (heaps grow in 4 KiB pages and 128 KiB pads) and
 * hold outliers (heap trims, spikes), so everything here is robust and the
 * intervals hold for dependent errors.
 *
 * What a command calls:
 *   fit_options_init(&opt); opt.tolerance = 64; opt.have_time = true;
 *   struct fit_result r;
 *   fit_leak(obs, n, &opt, &r);          // never fails; r.status says why not
 *   ... r.leak.slope, r.leak.ci_lo/ci_hi, fit_method_name(r.leak.method),
 *       r.time_growth (bytes per hour), r.separable, r.verdict,
 *       r.cycles_needed, r.warmup_cycles, r.lifetimes, r.warnings ...
 *   fit_result_fini(&r);
 * and, for the projection, fit_projection().
 *
 * Where the DESIGN.md fields come from:
 *   leak.bytes_per_cycle, ci95   r.leak.slope, r.leak.ci_lo, r.leak.ci_hi
 *   leak.method                  fit_method_name(r.leak.method)
 *   time_growth.bytes_per_hour   r.time_growth.slope (+ ci_lo/ci_hi) when
 *                                r.have_time_growth, else null
 *   time_growth.separable        r.separable (warn on FIT_WARN_NOT_SEPARABLE)
 *   warmup_cycles, lifetimes     r.warmup_cycles, r.lifetimes
 *   verdict                      fit_verdict_name(r.verdict)
 *   cycles_needed                r.cycles_needed (null when NaN)
 *   slope_change                 r.change when r.change.found (at, from/to,
 *                                before, after = r.leak), else null
 *   projection                   fit_projection(current, limit,
 *                                  r.leak.slope, r.cycles_per_hour,
 *                                  r.separable ? r.time_growth.slope : 0,
 *                                  ...) with current the last value of the
 *                                  projection counter; null when it
 *                                  returns -1 or the verdict is not leak.
 * Give fit_leak the memory after each cycle when samples are faster than
 * cycles, else every sample with the cycles completed by its time; either
 * way hours are the sample's time, so time growth can be separated.  NaN
 * interval ends (n too small) make the verdict inconclusive.  The building
 * blocks
 * (fit_theil_sen, fit_theil_sen_blocked, fit_robust2, fit_warmup,
 * fit_verdict, fit_cycles_needed) are public too, for tests and plots.
 *
 * Methods (the strings are the `leak.method` values of DESIGN.md):
 *  - "theil-sen": median of pairwise slopes, found exactly in O(n log n)
 *    expected time by randomized slope selection (fit_select.h), intercept
 *    as the median residual; interval: Sen's distribution-free interval
 *    (Kendall's tau ranks), valid for independent errors.  Used when the
 *    residuals show no autocorrelation and n <= FIT_SEN_MAX_N.
 *  - "theil-sen-blocked": the same slope; interval: Sen's interval over
 *    block medians (each block: median x and median y of L consecutive
 *    observations of one lifetime), L chosen from the data as the larger of
 *    n^(1/3) and twice the first lag (1, 2, 4, ...) where the (winsorized)
 *    residual autocorrelation falls below 0.1, so block medians are close
 *    to independent; the interval is widened to contain the point estimate.
 *    Used for autocorrelated residuals or large n.
 *  - "robust-2": Huber M-estimate (k = 1.345, MAD scale re-estimated every
 *    iteration, IRLS) of bytes ~ lifetime offsets + cycles + hours; a
 *    convex fit, so trims and spikes are down-weighted, not fitted.
 *    Intervals from a sandwich covariance whose middle term sums the
 *    scores over blocks of L observations (batch means: consistent for
 *    autocorrelated errors).  Used for the leak when cycles and time are
 *    separable (fit_result.separable).
 *  - "ols": never chosen by fit_leak; the name exists for callers that fall
 *    back to least squares and say so.
 * x is centred (per lifetime) before every regression: epoch-scale times
 * and million-cycle counts otherwise lose digits in y - b*x. */
#ifndef LEAKSLOPE_FIT_H
#define LEAKSLOPE_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Up to this many points the Theil-Sen slope is exact (randomized
 * selection, O(n log n) expected); beyond, it is the median of 2n pair
 * slopes drawn uniformly with the seeded generator (fit_slope.sampled):
 * statistically as good (its extra error is about sqrt(n/m)/7 = 1/10 of
 * the estimator's own standard error) and O(n), where exact selection of
 * 10^6 points takes ~0.5-1 s. */
#define FIT_EXACT_MAX_N 200000
/* Above this many points the full-data Sen interval is replaced by the
 * block-median one (the slope itself stays exact). */
#define FIT_SEN_MAX_N 20000
/* Up to this many points blocks are too few to trust: Sen's interval is
 * widened for the lag-1 autocorrelation of the residuals instead. */
#define FIT_SHORT_N 120
/* |correlation| of within-lifetime centred cycles and hours above which the
 * two cannot be told apart: sqrt(1 - r^2) < 1.4%, i.e. under 1.4% of the
 * cycles' spread is not explained by elapsed time (variance inflation
 * 1/(1-r^2) > 5000).  Both grow with time, so r is near 1 even when the
 * rate varies a lot (a rate switching between 200 and 2000 per hour every
 * two hours gives r = 0.998); a steady rate with jitter gives 0.99999+. */
#define FIT_COLLINEAR_R 0.9999

enum fit_status {
  FIT_OK = 0,
  FIT_EMPTY,     /* no observation with finite numbers */
  FIT_TOO_FEW,   /* fewer than 3 usable observations in all lifetimes */
  FIT_NO_SPREAD  /* no two observations of one lifetime differ in x */
};
/* "ok", "no observations", ... (for messages). */
const char *fit_status_message(enum fit_status s);

enum fit_method { FIT_THEIL_SEN, FIT_THEIL_SEN_BLOCKED, FIT_ROBUST_2, FIT_OLS,
                  FIT_WARMUP_CURVE };
/* "theil-sen", "theil-sen-blocked", "robust-2", "ols", "warmup-curve" (the
 * leak fitted with a saturating warm-up term, fit_curve.h). */
const char *fit_method_name(enum fit_method m);

enum fit_verdict { FIT_INCONCLUSIVE = 0, FIT_LEAK, FIT_NO_LEAK };
/* "inconclusive", "leak", "no-leak". */
const char *fit_verdict_name(enum fit_verdict v);

/* Why a verdict is what it is, beyond the interval (DESIGN: `reason`). */
enum fit_reason {
  FIT_REASON_NONE = 0,
  FIT_REASON_WARMING_UP,   /* growth is still slowing down at the end */
  FIT_REASON_TOO_FEW,      /* too few cycles to decide */
  FIT_REASON_NOT_SEPARABLE,/* cycles and time cannot be told apart */
  FIT_REASON_SLOPE_CHANGED /* the leak per cycle changed during the run */
};
/* NULL for none, else "warming-up", "too-few-cycles", "not-separable",
 * "slope-changed". */
const char *fit_reason_name(enum fit_reason r);

/* A slope with its 95% interval. */
struct fit_slope {
  enum fit_status status;
  enum fit_method method;
  double slope;        /* y per x; NaN unless status is FIT_OK */
  double ci_lo, ci_hi; /* 95% interval; NaN when it cannot be had (n < 3) */
  size_t n;            /* observations used */
  size_t block_len;    /* L for blocked methods, 1 otherwise */
  bool sampled;        /* slope from sampled pairs (n > FIT_EXACT_MAX_N) */
};

/* One observation.  Observations come in time order; `lifetime` numbers
 * process lifetimes 0, 1, 2, ... and never decreases.  Non-finite values
 * are skipped (counted in fit_result.skipped). */
struct fit_obs {
  double cycles; /* load/unload cycles completed by this sample */
  double hours;  /* elapsed time of the sample, hours (any origin) */
  double bytes;  /* the counter's value */
  unsigned lifetime;
};

struct fit_options {
  double tolerance;   /* bytes per cycle still "no leak" (DESIGN: 64) */
  bool have_time;     /* hours are real times: try to separate time growth */
  bool detect_warmup; /* drop a decelerating start of each lifetime */
  uint64_t seed;      /* for randomized selection (results do not depend
                         on it beyond rounding) */
};
void fit_options_init(struct fit_options *o);

/* Warnings as bits (a command turns them into text and codes). */
enum {
  FIT_WARN_FEW_BLOCKS = 1 << 0,  /* autocorrelation left < 10 blocks: the
                                    interval is wide and rough */
  FIT_WARN_NOT_SEPARABLE = 1 << 1, /* cycles and time too collinear */
  FIT_WARN_SKIPPED = 1 << 2,       /* non-finite observations skipped */
  FIT_WARN_ROBUST2_FAILED = 1 << 3 /* the two-regressor fit did not converge */
};

/* A leak per cycle that changed during the run (fit_change.h finds the
 * knee; the two sides are fitted as the leak is). */
struct fit_change {
  bool found;
  double at;               /* cycles at the knee */
  double from, to;         /* knees the data cannot tell apart, cycles */
  struct fit_slope before; /* fitted on the cycles before `from` */
  struct fit_slope after;  /* after `to`: this is then fit_result.leak */
  double z;                /* |after - before| in standard errors */
  double lead_cycles;      /* cycles before the part `after` is fitted on */
};

struct fit_result {
  enum fit_status status;
  size_t n_used;         /* observations after warm-up */
  size_t skipped;        /* non-finite observations */
  size_t lifetimes;      /* lifetimes with at least one observation */
  size_t warmup_points;  /* observations dropped as warm-up, all lifetimes */
  double warmup_cycles;  /* cycles those cover, summed over lifetimes */
  double total_cycles;   /* cycles spanned by the kept data, summed */
  struct fit_slope leak; /* bytes per cycle */
  struct fit_slope cycles_only; /* Theil-Sen on cycles (the leak unless
                                   robust-2 was chosen) */
  bool have_time_growth;
  struct fit_slope time_growth; /* bytes per hour: robust-2's c when
                                   separable, else Theil-Sen on hours */
  bool separable;        /* cycles and hours could be told apart */
  double collinearity;   /* |corr| of centred cycles and hours; NaN if none */
  double cycles_per_hour;/* Theil-Sen slope of cycles on hours; NaN if none */
  enum fit_verdict verdict;
  double cycles_needed;  /* total cycles to decide; NaN unless inconclusive
                            (or when no finite number would decide) */
  unsigned warnings;     /* FIT_WARN_* bits */
  enum fit_reason reason;
  bool warmup_modelled;  /* the leak comes from the warm-up curve model */
  double warmup_tau;     /* its time constant, cycles (NaN when none) */
  double warmup_end_slope; /* bytes per cycle the warm-up still adds at the
                              end of the run (NaN when none) */
  double warmup_settled;   /* cycles into a lifetime after which it adds
                              under the tolerance (NaN when none) */
  struct fit_change change; /* found: the leak, verdict and cycles_needed
                               are of the part after the change, reason
                               FIT_REASON_SLOPE_CHANGED, no warm-up cut */
  double *offsets;       /* per lifetime: fitted bytes at cycles = 0 */
  double *last_fitted;   /* per lifetime: fitted bytes at its last cycle */
};

/* Fit one run.  Returns 0 when r->status is FIT_OK, -1 otherwise (r is
 * still filled and must be finalised). */
int fit_leak(const struct fit_obs *obs, size_t n, const struct fit_options *o,
             struct fit_result *r);
void fit_result_fini(struct fit_result *r);

/* Theil-Sen slope of y on x with a common slope across groups (group[i]
 * non-decreasing, NULL for one group): pairs only inside a group, pairs
 * with equal x skipped.  Sen's interval (independent errors).  offsets, if
 * not NULL, receives one intercept per group (size: last group + 1). */
int fit_theil_sen(const double *x, const double *y, const unsigned *group,
                  size_t n, struct fit_slope *out, double *offsets);
/* The same slope, interval from block medians of block_len observations
 * (0: chosen from the data as described above). */
int fit_theil_sen_blocked(const double *x, const double *y,
                          const unsigned *group, size_t n, size_t block_len,
                          struct fit_slope *out, double *offsets);
/* Huber fit of y ~ offset[group] + b*x + c*t; *b_out and *c_out get the
 * slopes and intervals (method robust-2), *collinearity the |corr| of
 * centred x and t.  block_len 0: chosen from the residuals. */
int fit_robust2(const double *x, const double *t, const double *y,
                const unsigned *group, size_t n, size_t block_len,
                struct fit_slope *b_out, struct fit_slope *c_out,
                double *collinearity);

/* Warm-up of one lifetime: how many leading observations to drop because
 * memory there lies well below the straight line the rest follows
 * (growth that decelerates into a plateau or a steady slope).  0 for a
 * clean line.  x in increasing order. */
size_t fit_warmup(const double *x, const double *y, size_t n);

/* leak: the interval lies above tolerance; no-leak: below it. */
enum fit_verdict fit_verdict(double ci_lo, double ci_hi, double tolerance);

/* Total cycles after which a run like this one decides (its interval
 * excludes the tolerance) with at least 80% probability, allowing for the
 * estimate's own uncertainty (the true slope taken as normal about the
 * estimate with the interval's spread) and a half-width shrinking as
 * cycles^(-3/2) (a slope's standard error with evenly spread x and
 * stationary errors).  NaN when no run up to 10^5 times longer would. */
double fit_cycles_needed(double slope, double ci_lo, double ci_hi,
                         double tolerance, double cycles_so_far);

/* Cycles and hours until `limit` bytes, from `current` bytes, growing by
 * bytes_per_cycle at cycles_per_hour plus bytes_per_hour.  Returns -1 (and
 * NaN outputs) when memory does not grow or a rate is unknown (NaN);
 * cycles is NaN when there is no per-cycle growth. */
int fit_projection(double current, double limit, double bytes_per_cycle,
                   double cycles_per_hour, double bytes_per_hour,
                   double *cycles, double *hours);

#endif
