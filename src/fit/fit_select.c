/* fit_select — exact pair-slope ranks by randomized slope selection.
 * The method is described in fit_select.h. */
#include "config.h"

#include "fit/fit_select.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* A threshold t on slopes: -inf, +inf, t itself ("<= t") or t- ("< t"). */
struct theta {
  int inf; /* -1, 0, +1 */
  int strict;
  double v;
};

/* Slopes are listed explicitly once a bracket holds at most this many. */
#define ENUM_MIN ((uint64_t)1 << 16)

/* Inversions found by a merge pass: a running count, and either none,
 * all, or those whose running index is in a sorted list, reported as
 * slopes. */
struct report {
  uint64_t count;
  const uint64_t *want;
  size_t nwant, next;
  bool all;
  double *out;
  size_t nout, cap;
};

/* A point under sort: its key at the current threshold and its index
 * (16 bytes: merging moves less memory).  Equal keys fall back to the
 * secondary key, looked up from the point (rare). */
struct rec {
  double k1;
  uint32_t i;
};

struct ts_selector {
  const struct ts_data *d;
  struct rng rng;
  uint64_t pairs;
  size_t *base;        /* per group: indices by (x, y) ascending: order at -inf */
  size_t *perm_a, *perm_b;
  struct rec *ra, *rb; /* records being merged, and scratch */
};

/* Keys at t: -inf orders by (x, y), +inf by (-x, y); t itself by y - t x,
 * equal values with larger x first for "<= t" (the pair counts as slope
 * <= t) and smaller x first for "< t". */
static struct rec make_rec(const struct ts_data *d, size_t i, struct theta t) {
  struct rec r = {0, (uint32_t)i};
  if (t.inf < 0)
    r.k1 = d->x[i];
  else if (t.inf > 0)
    r.k1 = -d->x[i];
  else
    r.k1 = d->y[i] - t.v * d->x[i];
  return r;
}

static double key2(const struct ts_data *d, struct theta t, uint32_t i) {
  if (t.inf != 0)
    return d->y[i];
  return t.strict ? d->x[i] : -d->x[i];
}

/* The selector being sorted (merge helpers take it through this). */
struct keyctx {
  const struct ts_data *d;
  struct theta t;
};

static inline bool less(const struct keyctx *c, const struct rec *a,
                        const struct rec *b) {
  return a->k1 < b->k1 ||
         (a->k1 == b->k1 && key2(c->d, c->t, a->i) < key2(c->d, c->t, b->i));
}

static void push(struct report *r, double v) {
  if (r->nout == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 1024;
    r->out = xreallocarray(r->out, r->cap, sizeof *r->out);
  }
  r->out[r->nout++] = v;
}

static double pair_slope(const struct ts_data *d, size_t a, size_t b) {
  return (d->y[b] - d->y[a]) / (d->x[b] - d->x[a]);
}

/* Element r overtakes left[i..mid) (all earlier, all greater): report
 * those inversions. */
static void overtake(const struct ts_data *d, const struct rec *left, size_t i,
                     size_t mid, size_t r, struct report *rep) {
  uint64_t cnt = mid - i;
  if (rep->all) {
    for (size_t q = i; q < mid; q++)
      push(rep, pair_slope(d, left[q].i, r));
  } else {
    while (rep->next < rep->nwant && rep->want[rep->next] < rep->count + cnt) {
      size_t q = i + (size_t)(rep->want[rep->next] - rep->count);
      push(rep, pair_slope(d, left[q].i, r));
      rep->next++;
    }
  }
  rep->count += cnt;
}

static void merge(const struct keyctx *c, const struct rec *src,
                  struct rec *dst, size_t lo, size_t mid, size_t hi,
                  struct report *rep) {
  size_t i = lo, j = mid, o = lo;
  if (mid < hi && !less(c, &src[mid], &src[mid - 1])) { /* already in order */
    memcpy(dst + lo, src + lo, (hi - lo) * sizeof *dst);
    return;
  }
  while (i < mid && j < hi) {
    if (less(c, &src[j], &src[i])) {
      if (rep)
        overtake(c->d, src, i, mid, src[j].i, rep);
      dst[o++] = src[j++];
    } else {
      dst[o++] = src[i++];
    }
  }
  while (i < mid)
    dst[o++] = src[i++];
  while (j < hi)
    dst[o++] = src[j++];
}

#define RUN 16

/* Insertion sort of a[0..n) (n small), reporting what each element
 * overtakes. */
static void insertion(const struct keyctx *c, struct rec *a, size_t n,
                      struct report *rep) {
  for (size_t k = 1; k < n; k++) {
    struct rec e = a[k];
    size_t p = k;
    while (p > 0 && less(c, &e, &a[p - 1]))
      p--;
    if (p == k)
      continue;
    if (rep)
      overtake(c->d, a, p, k, e.i, rep);
    memmove(a + p + 1, a + p, (k - p) * sizeof *a);
    a[p] = e;
  }
}

/* Merge sort of a[0..n) by keys (insertion-sorted runs of RUN, then
 * bottom-up merges), using scratch t; the result is left in a. */
static void msort(const struct keyctx *c, struct rec *a, struct rec *t,
                  size_t n, struct report *rep) {
  size_t k = 1;
  while (k < n && !less(c, &a[k], &a[k - 1]))
    k++;
  if (k >= n)
    return; /* already in order: no inversions */
  for (size_t lo = 0; lo < n; lo += RUN)
    insertion(c, a + lo, n - lo < RUN ? n - lo : RUN, rep);
  struct rec *src = a, *dst = t;
  for (size_t w = RUN; w < n; w *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * w) {
      size_t mid = lo + w < n ? lo + w : n;
      size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
      merge(c, src, dst, lo, mid, hi, rep);
    }
    struct rec *sw = src;
    src = dst;
    dst = sw;
  }
  if (src != a)
    memcpy(a, src, n * sizeof *a);
}

/* Sort `from` (each group) into `to` by threshold t, reporting inversions. */
static void reorder(struct ts_selector *s, const size_t *from, size_t *to,
                    struct theta t, struct report *rep) {
  const struct ts_data *d = s->d;
  struct keyctx c = {d, t};
  for (size_t k = 0; k < d->n; k++)
    s->ra[k] = make_rec(d, from[k], t);
  for (size_t g = 0; g < d->ngroups; g++) {
    size_t a = d->gstart[g], b = d->gstart[g + 1];
    msort(&c, s->ra + a, s->rb + a, b - a, rep);
  }
  for (size_t k = 0; k < d->n; k++)
    to[k] = s->ra[k].i;
}

/* Number of slopes <= t (or < t), leaving the order at t in `perm`. */
static uint64_t count_at(struct ts_selector *s, struct theta t, size_t *perm) {
  struct report rep = {0};
  reorder(s, s->base, perm, t, &rep);
  return rep.count;
}

/* Pairs inside groups minus those with equal x (runs in the x order). */
static uint64_t distinct_x_pairs(const struct ts_data *d, const size_t *ord) {
  uint64_t total = 0;
  for (size_t g = 0; g < d->ngroups; g++) {
    uint64_t m = d->gstart[g + 1] - d->gstart[g];
    total += m * (m - 1) / 2;
    for (size_t a = d->gstart[g]; a < d->gstart[g + 1];) {
      size_t e = a + 1;
      while (e < d->gstart[g + 1] && d->x[ord[e]] == d->x[ord[a]])
        e++;
      uint64_t t = e - a;
      total -= t * (t - 1) / 2;
      a = e;
    }
  }
  return total;
}

/* The sort buffers, allocated on first use: the sampled-pairs median of
 * already ordered data never needs them (and fresh pages cost time). */
static void ensure_work(struct ts_selector *s) {
  if (s->ra)
    return;
  size_t n = s->d->n ? s->d->n : 1;
  s->perm_a = xmalloc(n * sizeof *s->perm_a);
  s->perm_b = xmalloc(n * sizeof *s->perm_b);
  s->ra = xmalloc(n * sizeof *s->ra);
  s->rb = xmalloc(n * sizeof *s->rb);
}

/* Are the points of every group in (x, y) order already? */
static bool in_xy_order(const struct ts_data *d) {
  for (size_t g = 0; g < d->ngroups; g++)
    for (size_t i = d->gstart[g] + 1; i < d->gstart[g + 1]; i++)
      if (d->x[i] < d->x[i - 1] || (d->x[i] == d->x[i - 1] && d->y[i] < d->y[i - 1]))
        return false;
  return true;
}

struct ts_selector *ts_selector_new(const struct ts_data *d, uint64_t seed) {
  struct ts_selector *s = xcalloc(1, sizeof *s);
  size_t n = d->n ? d->n : 1;
  s->d = d;
  rng_seed(&s->rng, seed);
  s->base = xmalloc(n * sizeof *s->base);
  for (size_t i = 0; i < d->n; i++)
    s->base[i] = i;
  if (!in_xy_order(d)) {
    ensure_work(s);
    struct theta minus_inf = {-1, 0, 0};
    reorder(s, s->base, s->base, minus_inf, NULL);
  }
  s->pairs = distinct_x_pairs(d, s->base);
  return s;
}

void ts_selector_free(struct ts_selector *s) {
  if (!s)
    return;
  free(s->base);
  free(s->perm_a);
  free(s->perm_b);
  free(s->ra);
  free(s->rb);
  free(s);
}

uint64_t ts_pairs(const struct ts_selector *s) { return s->pairs; }

uint64_t ts_count(struct ts_selector *s, double t, int strict) {
  ensure_work(s);
  struct theta th = {0, strict != 0, t};
  return count_at(s, th, s->perm_b);
}

static void swap_d(double *a, double *b) {
  double t = *a;
  *a = *b;
  *b = t;
}

double select_kth(double *v, size_t n, size_t k) {
  size_t lo = 0, hi = n - 1;
  uint64_t state = 0x2545f4914f6cdd1dULL ^ n; /* deterministic pivots */
  while (lo < hi) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    size_t p = lo + (size_t)(state % (hi - lo + 1));
    double pv = v[p];
    /* Three-way partition: < pv | == pv | > pv. */
    size_t lt = lo, i = lo, gt = hi;
    while (i <= gt) {
      if (v[i] < pv)
        swap_d(&v[lt++], &v[i++]);
      else if (v[i] > pv) {
        swap_d(&v[i], &v[gt]);
        if (gt == 0)
          break;
        gt--;
      } else
        i++;
    }
    if (k < lt)
      hi = lt - 1;
    else if (k > gt)
      lo = gt + 1;
    else
      return pv;
  }
  return v[k];
}

/* LSD radix sort of v[0..n), values below `bound`, 11-bit digits. */
static void radix_sort_u64(uint64_t *v, size_t n, uint64_t bound) {
  uint64_t *t = xmalloc((n ? n : 1) * sizeof *t), *src = v, *dst = t;
  size_t cnt[2048];
  for (int shift = 0; shift < 64 && (bound - 1) >> shift; shift += 11) {
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < n; i++)
      cnt[(src[i] >> shift) & 2047]++;
    size_t sum = 0;
    for (size_t b = 0; b < 2048; b++) {
      size_t c = cnt[b];
      cnt[b] = sum;
      sum += c;
    }
    for (size_t i = 0; i < n; i++)
      dst[cnt[(src[i] >> shift) & 2047]++] = src[i];
    uint64_t *sw = src;
    src = dst;
    dst = sw;
  }
  if (src != v)
    memcpy(v, src, n * sizeof *v);
  free(t);
}

/* The current search state: slopes in (lo, hi], counts below each bound. */
struct bracket {
  struct theta lo, hi;
  uint64_t clo, chi;
  size_t *perm_lo; /* order at lo */
};

/* A uniform sample of about m pairs with distinct x.  Points are walked
 * in order and each point of group g draws partners uniformly from its
 * group, n_g * m / sum(n_h^2) of them on average (fractions carried), so
 * every pair of every group is equally likely; only the partner is a
 * random memory access. */
static double *sample_all(struct ts_selector *s, size_t m, size_t *got) {
  const struct ts_data *d = s->d;
  double sq = 0;
  for (size_t g = 0; g < d->ngroups; g++) {
    double k = (double)(d->gstart[g + 1] - d->gstart[g]);
    sq += k * k;
  }
  size_t cap = m + d->ngroups + 16, n = 0;
  double *out = xmalloc(cap * sizeof *out), carry = 0;
  for (size_t g = 0; g < d->ngroups && sq > 0; g++) {
    size_t a = d->gstart[g], k = d->gstart[g + 1] - a;
    double q = (double)m * (double)k / sq;
    for (size_t i = a; i < a + k; i++) {
      carry += q;
      for (; carry >= 1 && n < cap; carry -= 1) {
        size_t j = a + (size_t)(rng_uniform(&s->rng) * (double)k);
        if (j >= a + k)
          j = a + k - 1;
        if (d->x[i] != d->x[j])
          out[n++] = pair_slope(d, i, j);
      }
    }
  }
  *got = n;
  return out;
}

/* A uniform sample (with replacement) of m slopes inside the bracket. */
static double *sample_bracket(struct ts_selector *s, const struct bracket *b,
                              size_t m, size_t *got) {
  if (b->lo.inf < 0 && b->hi.inf > 0)
    return sample_all(s, m, got);
  uint64_t k = b->chi - b->clo;
  uint64_t *want = xmalloc(m * sizeof *want);
  for (size_t i = 0; i < m; i++)
    want[i] = rng_below(&s->rng, k);
  radix_sort_u64(want, m, k);
  struct report rep = {.want = want, .nwant = m};
  rep.out = xmalloc(m * sizeof *rep.out);
  rep.cap = m;
  reorder(s, b->perm_lo, s->perm_b, b->hi, &rep);
  free(want);
  *got = rep.nout; /* fewer than m only if rounding broke a count */
  return rep.out;
}

/* Try t as a new bound for ranks k1 <= k2; keeps perm_lo valid.  Returns
 * true when the bracket narrowed. */
static bool try_bound(struct ts_selector *s, struct bracket *b, struct theta t,
                      uint64_t k1, uint64_t k2) {
  uint64_t c = count_at(s, t, s->perm_b);
  if (c <= k1 && c > b->clo) {
    b->lo = t;
    b->clo = c;
    size_t *sw = b->perm_lo;
    b->perm_lo = s->perm_b;
    s->perm_b = sw;
    return true;
  }
  if (c > k2 && c < b->chi) {
    b->hi = t;
    b->chi = c;
    return true;
  }
  return false;
}

/* Ranks k1..k2 all have value v: "< v" counts <= k1 and "<= v" counts > k2. */
static bool tie_at(struct ts_selector *s, double v, uint64_t k1, uint64_t k2) {
  struct theta below = {0, 1, v}, at = {0, 0, v};
  return count_at(s, below, s->perm_b) <= k1 && count_at(s, at, s->perm_b) > k2;
}

/* List the bracket's slopes and pick ranks k1 and k2 = k1 or k1 + 1. */
static void list_and_pick(struct ts_selector *s, const struct bracket *b,
                          uint64_t k1, uint64_t k2, double *v1, double *v2) {
  struct report rep = {.all = true};
  reorder(s, b->perm_lo, s->perm_b, b->hi, &rep);
  *v1 = *v2 = NAN;
  if (rep.nout > 0) { /* else rounding broke a count: NaN */
    size_t r1 = (size_t)(k1 - b->clo);
    if (r1 >= rep.nout)
      r1 = rep.nout - 1;
    *v1 = *v2 = select_kth(rep.out, rep.nout, r1);
    if (k2 > k1 && r1 + 1 < rep.nout) { /* the next one: least of the rest */
      *v2 = rep.out[r1 + 1];
      for (size_t i = r1 + 2; i < rep.nout; i++)
        *v2 = fmin(*v2, rep.out[i]);
    }
  }
  free(rep.out);
}

/* One narrowing round; returns 1 when v1/v2 are found (a tie), 0 when the
 * bracket narrowed, -1 when it could not (ranks straddle a tie). */
static int narrow(struct ts_selector *s, struct bracket *b, uint64_t k1,
                  uint64_t k2, double *v1, double *v2) {
  uint64_t span = b->chi - b->clo;
  size_t n = s->d->n, m = 2 * n;
  if (m < 20000)
    m = 20000;
  if (span < m)
    m = (size_t)span;
  double *smp = sample_bracket(s, b, m, &m);
  if (m == 0) {
    free(smp);
    return -1;
  }
  double f1 = ((double)(k1 - b->clo) + 0.5) / (double)span;
  double f2 = ((double)(k2 - b->clo) + 0.5) / (double)span;
  double margin = 2.5 * sqrt((double)m) + 2.0; /* misses ~1% of rounds */
  double ia = floor(f1 * (double)m - margin), ib = ceil(f2 * (double)m + margin);
  double va = ia >= 0 ? select_kth(smp, m, (size_t)ia) : NAN;
  double vb = ib < (double)m ? select_kth(smp, m, (size_t)ib) : NAN;
  free(smp);
  if (!isnan(va) && va == vb && tie_at(s, va, k1, k2)) {
    *v1 = *v2 = va;
    return 1;
  }
  bool moved = false;
  if (!isnan(va))
    moved = try_bound(s, b, (struct theta){0, 0, va}, k1, k2) ||
            try_bound(s, b, (struct theta){0, 1, va}, k1, k2);
  if (!isnan(vb))
    moved = try_bound(s, b, (struct theta){0, 0, vb}, k1, k2) ||
            try_bound(s, b, (struct theta){0, 1, vb}, k1, k2) || moved;
  if (moved)
    return 0;
  if (!isnan(va) && tie_at(s, va, k1, k2)) {
    *v1 = *v2 = va;
    return 1;
  }
  return -1;
}

/* Values of ranks k1 and k2 (k2 = k1 or k1 + 1); false when the two
 * straddle the end of a run of tied slopes (then ask for each alone). */
static bool select_ranks(struct ts_selector *s, uint64_t k1, uint64_t k2,
                         double *v1, double *v2) {
  ensure_work(s);
  struct bracket b = {{-1, 0, 0}, {+1, 0, 0}, 0, s->pairs, s->perm_a};
  memcpy(b.perm_lo, s->base, s->d->n * sizeof *s->base);
  uint64_t limit = 4 * (uint64_t)s->d->n;
  if (limit < ENUM_MIN)
    limit = ENUM_MIN;
  int state = 0;
  for (int round = 0; round < 64 && state == 0 && b.chi - b.clo > limit; round++) {
    state = narrow(s, &b, k1, k2, v1, v2);
  }
  if (state == 0 || (state < 0 && k1 == k2 && b.chi - b.clo <= 64 * limit)) {
    list_and_pick(s, &b, k1, k2, v1, v2);
    state = 1;
  }
  s->perm_a = b.perm_lo; /* the two order buffers may have swapped roles */
  return state > 0;
}

double ts_rank(struct ts_selector *s, uint64_t k) {
  if (k >= s->pairs)
    return NAN;
  double v1, v2;
  if (!select_ranks(s, k, k, &v1, &v2))
    return NAN;
  return v1;
}

double ts_sampled_median(struct ts_selector *s, size_t m) {
  if (s->pairs == 0)
    return NAN;
  size_t got;
  double *v = sample_all(s, m, &got), med = NAN;
  if (got > 0) {
    med = select_kth(v, got, got / 2);
    if (got % 2 == 0) { /* the mean of the two middle values */
      double lo = v[0];
      for (size_t i = 1; i < got / 2; i++)
        lo = fmax(lo, v[i]);
      med = 0.5 * (lo + med);
    }
  }
  free(v);
  return med;
}

double ts_median(struct ts_selector *s) {
  uint64_t n = s->pairs;
  if (n == 0)
    return NAN;
  if (n % 2)
    return ts_rank(s, n / 2);
  double lo, hi;
  if (!select_ranks(s, n / 2 - 1, n / 2, &lo, &hi)) {
    lo = ts_rank(s, n / 2 - 1);
    hi = ts_rank(s, n / 2);
  }
  return 0.5 * (lo + hi);
}
