/* join — lines a counter series up with load/unload cycles: which cycle each
 * sample follows, which process lifetime it belongs to, and which points the
 * fit should see. Pure logic: no I/O, no printing.
 *
 * Two ways to measure, chosen from the data:
 *  - after-cycle: when samples are fast enough to fall between cycles, the
 *    memory after cycle k is the first sample after unload k and before load
 *    k+1 (for loads-only traces, the last sample before load k+1);
 *  - every-sample: when samples are sparser than cycles, every sample is a
 *    point, with x = the number of cycles completed by its time.
 * Lifetimes (restarts) come from the ID Process counter when it is logged,
 * else from the cycles' pids, else from the series itself
 * (join_infer_restarts); each lifetime gets its own offset in the fit. */
#ifndef LEAKSLOPE_JOIN_H
#define LEAKSLOPE_JOIN_H

#include <stdbool.h>
#include <stddef.h>

#include "util/timeutil.h"

/* One counter series; mem[i] or pid[i] is NaN where the cell was blank. */
struct join_series {
  size_t n;
  const usec_t *t;
  const double *mem;
  const double *pid; /* ID Process, or NULL when not logged */
};

/* One load/unload cycle. With implied pairing (loads-only traces) the unload
 * has no time of its own: has_unload is false and `unload` holds the time of
 * the next load, the latest moment the implied unload can have happened. */
struct join_cycle {
  usec_t load, unload;
  bool has_unload;
  long pid;
};

enum join_mode { JOIN_AFTER_CYCLE, JOIN_EVERY_SAMPLE };

/* The points handed to the fit. */
struct join_points {
  enum join_mode mode;
  size_t n;
  double *cycles;   /* x: cycle number (after-cycle) or cycles completed */
  double *hours;    /* hours since the first point (centred later by fit) */
  double *mem;      /* y */
  int *lifetime;    /* 0-based lifetime of each point */
  usec_t *t;        /* time of the sample behind each point */
  int lifetimes;    /* number of lifetimes seen in the series */
  size_t cycles_total;   /* cycles whose unload (or implied unload) is inside the series */
  size_t cycles_in_span; /* cycles that fall inside the series' time span */
};

void join_points_fini(struct join_points *p);

/* Lifetime index of every sample (out[i]), from ID Process changes; samples
 * with a blank pid take the lifetime of the previous sample. Returns the
 * number of lifetimes. */
int join_lifetimes(const struct join_series *s, int *out);

/* What told a restart when the log has no ID Process. */
enum join_restart_sign {
  JOIN_RESTART_ELAPSED, /* the Elapsed Time counter went back */
  JOIN_RESTART_DROP,    /* memory fell by half or more, back near where the lifetime began */
  JOIN_RESTART_RETURN   /* the instance was gone for some rows and came back lower */
};

struct join_restart {
  size_t at;            /* first sample of the new lifetime */
  enum join_restart_sign sign;
  double before, after; /* the counter that told it: last value before, first after */
};

/* Sharp drops a live process does not make: at least half of its value and
 * JOIN_RESTART_MIN_DROP bytes, back within a quarter of the climb from where
 * the lifetime began, Handle Count falling by JOIN_RESTART_HANDLE_DROP too
 * when logged on both sides; or, after rows where the instance was gone
 * (itself a sign), any such drop back within a third of the climb. */
#define JOIN_RESTART_MIN_DROP 1048576.0
#define JOIN_RESTART_HANDLE_DROP 0.25

/* Restarts told from the series when the log has no ID Process, from the
 * strongest sign there is: Elapsed Time going back (elapsed, seconds; NULL
 * when not logged; when it is, nothing else is used), else memory falling
 * as only a new process does (mem, NULL not to use it: a Working Set drops
 * whenever the system trims it), corroborated by handles (NULL when not
 * logged). resumed[i] (NULL: none) says sample i follows rows where the
 * instance had no value. Writes life[i] = 1 + its lifetime's index, a
 * stand-in pid for join_lifetimes; returns the number of restarts, *out
 * malloc'ed (NULL when none). NaN values are skipped. */
size_t join_infer_restarts(const double *mem, const double *handles, const double *elapsed,
                           const bool *resumed, size_t n, double *life,
                           struct join_restart **out);

/* Build the fit's points from a series and its cycles (sorted by load time).
 * `force_mode` < 0 chooses automatically: after-cycle when at least half of
 * the cycles have a sample between their unload and the next load. */
void join_build(const struct join_series *s, const struct join_cycle *c,
                size_t ncycles, int force_mode, struct join_points *out);

/* Without a trace: cycles as a function of time, either a total count over
 * the series' span or one cycle every `period_seconds`. Always every-sample. */
void join_build_uniform(const struct join_series *s, double total_cycles,
                        double period_seconds, struct join_points *out);

#endif
