/* join — counter samples against load/unload cycles (see join.h). */
#include "config.h"
#include "fit/join.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

void join_points_fini(struct join_points *p) {
  free(p->cycles);
  free(p->hours);
  free(p->mem);
  free(p->lifetime);
  free(p->t);
  p->cycles = p->hours = p->mem = NULL;
  p->lifetime = NULL;
  p->t = NULL;
  p->n = 0;
}

int join_lifetimes(const struct join_series *s, int *out) {
  int life = 0;
  double current = NAN;
  for (size_t i = 0; i < s->n; i++) {
    double pid = s->pid ? s->pid[i] : NAN;
    if (!isnan(pid)) {
      if (!isnan(current) && pid != current)
        life++;
      current = pid;
    }
    out[i] = life;
  }
  return s->n ? life + 1 : 0;
}

static bool elapsed_logged(const double *e, size_t n) {
  for (size_t i = 0; e && i < n; i++)
    if (!isnan(e[i]))
      return true;
  return false;
}

/* Handle Count agrees with a restart when it falls by a quarter, or is not
 * there on both sides to say. */
static bool handles_agree(const double *h, size_t prev, size_t i) {
  if (!h || isnan(h[prev]) || isnan(h[i]))
    return true;
  return h[i] <= (1 - JOIN_RESTART_HANDLE_DROP) * h[prev];
}

/* Does sample i (after prev) begin a new lifetime, by memory? */
static bool memory_restart(const double *mem, const double *h, const bool *resumed,
                           size_t prev, size_t i, double start, enum join_restart_sign *sign) {
  double before = mem[prev], v = mem[i], drop = before - v;
  if (!(drop >= JOIN_RESTART_MIN_DROP) || !(before > start))
    return false;
  if (drop >= 0.5 * before && v <= start + 0.25 * (before - start) &&
      handles_agree(h, prev, i)) {
    *sign = JOIN_RESTART_DROP;
    return true;
  }
  if (resumed && resumed[i] && v <= start + (before - start) / 3) {
    *sign = JOIN_RESTART_RETURN;
    return true;
  }
  return false;
}

size_t join_infer_restarts(const double *mem, const double *handles, const double *elapsed,
                           const bool *resumed, size_t n, double *life,
                           struct join_restart **out) {
  const double *by = elapsed_logged(elapsed, n) ? elapsed : mem;
  struct join_restart *found = NULL;
  size_t nf = 0, prev = SIZE_MAX;
  double start = NAN;
  for (size_t i = 0; i < n; i++) {
    life[i] = (double)(nf + 1);
    if (!by || isnan(by[i]))
      continue;
    enum join_restart_sign sign = JOIN_RESTART_ELAPSED;
    bool restart = prev != SIZE_MAX &&
                   (by == elapsed ? by[i] + 1 < by[prev]
                                  : memory_restart(mem, handles, resumed, prev, i, start, &sign));
    if (restart) {
      found = xreallocarray(found, nf + 1, sizeof *found);
      found[nf++] = (struct join_restart){i, sign, by[prev], by[i]};
      life[i] = (double)(nf + 1);
    }
    if (restart || isnan(start))
      start = by[i];
    prev = i;
  }
  *out = found;
  return nf;
}

static void points_alloc(struct join_points *p, size_t cap) {
  p->cycles = xcalloc(cap, sizeof *p->cycles);
  p->hours = xcalloc(cap, sizeof *p->hours);
  p->mem = xcalloc(cap, sizeof *p->mem);
  p->lifetime = xcalloc(cap, sizeof *p->lifetime);
  p->t = xcalloc(cap, sizeof *p->t);
  p->n = 0;
}

static void points_add(struct join_points *p, const struct join_series *s,
                       size_t i, double x, int life) {
  p->cycles[p->n] = x;
  p->hours[p->n] = (double)(s->t[i] - s->t[0]) / (double)USEC_PER_HOUR;
  p->mem[p->n] = s->mem[i];
  p->lifetime[p->n] = life;
  p->t[p->n] = s->t[i];
  p->n++;
}

/* First sample index with t > when (binary search; series is time-ordered). */
static size_t first_after(const struct join_series *s, usec_t when) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->t[mid] <= when)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The sample that shows memory after cycle k, or (size_t)-1: the first
 * sample after the unload and before the next load (in the same lifetime),
 * or with implied pairing the last sample after the load and before the
 * next load. */
static size_t sample_after_cycle(const struct join_series *s,
                                 const struct join_cycle *c, size_t k,
                                 size_t ncycles, const int *life) {
  if (!c[k].has_unload) {
    size_t i = first_after(s, c[k].unload - 1); /* first sample at/after next load */
    while (i-- > 0 && s->t[i] > c[k].load)
      if (!isnan(s->mem[i]))
        return i;
    return (size_t)-1;
  }
  usec_t next_load = k + 1 < ncycles ? c[k + 1].load : INT64_MAX;
  size_t i = first_after(s, c[k].unload);
  int life_at_unload = i > 0 ? life[i - 1] : 0;
  for (; i < s->n && s->t[i] < next_load && life[i] == life_at_unload; i++)
    if (!isnan(s->mem[i]))
      return i;
  return (size_t)-1;
}

void join_build(const struct join_series *s, const struct join_cycle *c,
                size_t ncycles, int force_mode, struct join_points *out) {
  int *life = xcalloc(s->n ? s->n : 1, sizeof *life);
  out->lifetimes = join_lifetimes(s, life);
  out->cycles_total = ncycles;
  out->cycles_in_span = 0;
  size_t *after = xcalloc(ncycles ? ncycles : 1, sizeof *after);
  size_t seen = 0;
  for (size_t k = 0; k < ncycles; k++) {
    if (s->n && c[k].load >= s->t[0] && c[k].load <= s->t[s->n - 1])
      out->cycles_in_span++;
    after[k] = s->n ? sample_after_cycle(s, c, k, ncycles, life) : (size_t)-1;
    seen += after[k] != (size_t)-1;
  }
  enum join_mode mode = force_mode >= 0 ? (enum join_mode)force_mode
                        : (ncycles && 2 * seen >= ncycles) ? JOIN_AFTER_CYCLE
                                                           : JOIN_EVERY_SAMPLE;
  out->mode = mode;
  if (mode == JOIN_AFTER_CYCLE) {
    points_alloc(out, ncycles ? ncycles : 1);
    for (size_t k = 0; k < ncycles; k++)
      if (after[k] != (size_t)-1)
        points_add(out, s, after[k], (double)(k + 1), life[after[k]]);
  } else {
    /* x = cycles completed by the sample's time: count of (implied) unloads
     * at or before it. */
    usec_t *ends = xcalloc(ncycles ? ncycles : 1, sizeof *ends);
    for (size_t k = 0; k < ncycles; k++)
      ends[k] = c[k].unload;
    qsort(ends, ncycles, sizeof *ends, usec_cmp);
    points_alloc(out, s->n ? s->n : 1);
    size_t done = 0;
    for (size_t i = 0; i < s->n; i++) {
      while (done < ncycles && ends[done] <= s->t[i])
        done++;
      if (!isnan(s->mem[i]))
        points_add(out, s, i, (double)done, life[i]);
    }
    free(ends);
  }
  free(after);
  free(life);
}

void join_build_uniform(const struct join_series *s, double total_cycles,
                        double period_seconds, struct join_points *out) {
  int *life = xcalloc(s->n ? s->n : 1, sizeof *life);
  out->lifetimes = join_lifetimes(s, life);
  out->mode = JOIN_EVERY_SAMPLE;
  points_alloc(out, s->n ? s->n : 1);
  double span = s->n > 1 ? (double)(s->t[s->n - 1] - s->t[0]) / (double)USEC_PER_SEC : 0;
  double rate = period_seconds > 0 ? 1.0 / period_seconds
                : span > 0         ? total_cycles / span
                                   : 0;
  for (size_t i = 0; i < s->n; i++)
    if (!isnan(s->mem[i]))
      points_add(out, s, i, rate * (double)(s->t[i] - s->t[0]) / (double)USEC_PER_SEC, life[i]);
  out->cycles_total = (size_t)llround(rate * span);
  out->cycles_in_span = out->cycles_total;
  free(life);
}
