/* kinds — `analyze --per` (see kinds.h). */
#include "config.h"

#include "analyze/kinds.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/trace_cycles.h"
#include "fit/fit.h"
#include "fit/fit_multi.h"
#include "fit/fit_stats.h"
#include "fit/join.h"
#include "util/xalloc.h"

const char *kinds_module(const char *kind, char *buf, size_t cap, struct diag *d) {
  const char *name = !strncmp(kind, "load:", 5) ? kind + 5 : kind;
  if (!*name) {
    diag_set(d, DIAG_USAGE, NULL, 0, 0,
             "--per '%s' names no kind (expected load:MODULE or a named cycle such "
             "as logon)", kind);
    return NULL;
  }
  if (name != kind)
    snprintf(buf, cap, "%s", name);
  else {
    snprintf(buf, cap, ":%s", name);
    for (char *p = buf; *p; p++)
      *p = (char)tolower((unsigned char)*p);
  }
  return buf;
}

/* The points: samples with a value, their lifetime, hours, and per kind
 * the cycles completed by the sample's time. */
struct points {
  size_t n, k;
  double *y, *hours, *x[ANALYZE_MAX_KINDS];
  unsigned *life;
};

static void points_fini(struct points *p) {
  free(p->y), free(p->hours), free(p->life);
  for (size_t j = 0; j < p->k; j++)
    free(p->x[j]);
}

/* Point `from` of src into slot `to` of dst (dst may be src, to <= from). */
static void point_copy(struct points *dst, size_t to, const struct points *src, size_t from) {
  dst->y[to] = src->y[from], dst->hours[to] = src->hours[from], dst->life[to] = src->life[from];
  for (size_t j = 0; j < src->k; j++)
    dst->x[j][to] = src->x[j][from];
}

static void points_copy(struct points *dst, const struct points *src) {
  size_t cap = src->n ? src->n : 1;
  *dst = (struct points){src->n, src->k, NULL, NULL, {NULL}, NULL};
  dst->y = xmemdup(src->y, cap * sizeof *src->y);
  dst->hours = xmemdup(src->hours, cap * sizeof *src->hours);
  dst->life = xmemdup(src->life, cap * sizeof *src->life);
  for (size_t j = 0; j < src->k; j++)
    dst->x[j] = xmemdup(src->x[j], cap * sizeof *src->x[j]);
}

/* x[i] = cycles of c (sorted by load; an unload follows its load) whose
 * unload is at or before sample i; *inside: those within the samples' span.
 * busy[i] is set when sample i falls inside a cycle (the module loaded, the
 * user logged on): memory there holds what the cycle frees again, so the
 * fit leaves such samples out (as join's after-cycle points do). */
static double *completed(const struct join_cycle *c, size_t nc, const usec_t *t,
                         size_t n, size_t *inside, bool *busy) {
  /* Implied pairing (loads only): the unload is somewhere before the next
   * load, so only the last sample before a load shows the cycle done (as
   * join's after-cycle points): it counts that cycle, the others are
   * left out. When samples are sparser than cycles that would keep too
   * few: every sample then counts the cycles whose next load it follows. */
  bool implied = nc > 0 && !c[0].has_unload, last_before = false;
  bool *keep = NULL;
  if (implied) {
    keep = xcalloc(n ? n : 1, sizeof *keep);
    size_t kept = 0;
    for (size_t i = 0, j = 0; i + 1 < n; i++) {
      while (j < nc && c[j].unload <= t[i])
        j++;
      size_t ahead = 0;
      for (size_t l = j; l < nc && c[l].unload <= t[i + 1]; l++)
        ahead++;
      keep[i] = ahead == 1;
      kept += keep[i];
    }
    last_before = 2 * kept >= nc;
  }
  for (size_t i = 0, j = 0; i < n; i++) {
    while (j < nc && c[j].unload <= t[i])
      j++;
    if (j < nc && c[j].has_unload && c[j].load <= t[i])
      busy[i] = true;
    if (last_before && !keep[i])
      busy[i] = true;
  }
  usec_t *u = xcalloc(nc ? nc : 1, sizeof *u);
  for (size_t i = 0; i < nc; i++)
    u[i] = c[i].unload;
  qsort(u, nc, sizeof *u, usec_cmp);
  double *x = xcalloc(n ? n : 1, sizeof *x);
  size_t done = 0, before = 0;
  while (n && before < nc && u[before] < t[0])
    before++;
  for (size_t i = 0; i < n; i++) {
    while (done < nc && u[done] <= t[i])
      done++;
    x[i] = (double)done + (last_before && keep[i]); /* its unload was before */
  }
  *inside = n ? done - before : 0;
  free(u);
  free(keep);
  return x;
}

/* Leave out each lifetime's warm-up, as the one-kind fit does (fit_warmup):
 * memory that climbs fast and levels off at the start is not what any kind
 * leaks, and a straight-line joint fit through it gives a wide interval
 * centred on the warm-up's average slope.  The start is judged against all
 * kinds' cycles together, the activity that drives the warm-up. */
static void drop_warmup(struct points *p) {
  double *sum = xcalloc(p->n ? p->n : 1, sizeof *sum);
  for (size_t i = 0; i < p->n; i++)
    for (size_t j = 0; j < p->k; j++)
      sum[i] += p->x[j][i];
  size_t out = 0;
  for (size_t a = 0, e; a < p->n; a = e) {
    for (e = a; e < p->n && p->life[e] == p->life[a];)
      e++;
    for (size_t i = a + fit_warmup(sum + a, p->y + a, e - a); i < e; i++)
      point_copy(p, out++, p, i);
  }
  p->n = out;
  free(sum);
}

static bool has_spread(const double *x, const unsigned *life, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (life[i] == life[i - 1] && x[i] != x[i - 1])
      return true;
  return false;
}

/* The one-kind fit found the first kind's leak changed (it starts, stops
 * or steps) by its cycle `to`: as it does, fit the part after the change,
 * where one straight line per kind holds (through the knee, the misfit
 * leaves every kind an interval too wide to decide anything).  The points
 * before it go to *before, for the first kind's figure there. */
static void keep_after_change(struct points *p, double to, struct points *before) {
  before->n = 0, before->k = p->k;
  before->y = xcalloc(p->n ? p->n : 1, sizeof *before->y);
  before->hours = xcalloc(p->n ? p->n : 1, sizeof *before->hours);
  before->life = xcalloc(p->n ? p->n : 1, sizeof *before->life);
  for (size_t j = 0; j < p->k; j++)
    before->x[j] = xcalloc(p->n ? p->n : 1, sizeof *before->x[j]);
  size_t out = 0;
  for (size_t i = 0; i < p->n; i++) {
    if (p->x[0][i] < to)
      point_copy(before, before->n++, p, i);
    else
      point_copy(p, out++, p, i);
  }
  p->n = out;
}


/* Fit the kinds in use[] (indexes into p->x; hours last when with_time). */
static void fit_subset(const struct points *p, const size_t *use, size_t nuse,
                       bool with_time, struct fit_multi *m) {
  const double *x[FIT_MULTI_MAX];
  for (size_t j = 0; j < nuse; j++)
    x[j] = p->x[use[j]];
  if (with_time)
    x[nuse] = p->hours;
  fit_multi(x, nuse + with_time, p->y, p->life, p->n, m);
}

/* Fit the kinds of p that have cycles inside it (use[0..*nuse)), with time
 * unless a kind's cycles run in step with it (then *with_time turns
 * false); set[] is fit_multi_collinear's. */
static void fit_kinds(const struct points *p, bool *with_time, size_t *use, size_t *nuse,
                      size_t *set, struct fit_multi *m) {
  *nuse = 0;
  for (size_t j = 0; j < p->k; j++)
    if (has_spread(p->x[j], p->life, p->n))
      use[(*nuse)++] = j;
  fit_subset(p, use, *nuse, *with_time, m);
  fit_multi_collinear(m, set);
  if (*with_time) { /* time in lock-step with a kind: leave time out */
    bool tied = false;
    for (size_t j = 0; j < *nuse; j++)
      tied |= set[j] == set[*nuse];
    if (tied) {
      *with_time = false;
      fit_subset(p, use, *nuse, false, m);
      fit_multi_collinear(m, set);
    }
  }
}

/* The first kind's slope fitted jointly as kinds_fit fits it.  False when
 * the first kind has no cycles in p, moves in step with another kind, or
 * the fit fails. */
static bool first_kind_joint(const struct points *p, bool with_time, struct fit_slope *out) {
  size_t use[FIT_MULTI_MAX], nuse, set[FIT_MULTI_MAX];
  struct fit_multi m;
  fit_kinds(p, &with_time, use, &nuse, set, &m);
  if (nuse == 0 || use[0] != 0)
    return false;
  for (size_t j = 1; j < nuse; j++)
    if (set[j] == set[0]) /* only a sum of kinds: no figure of the first */
      return false;
  *out = m.coef[0];
  return m.status == FIT_OK;
}

/* Whether the one-kind fit's change holds once the other kinds are fitted
 * too, by fit.c's rule for naming a change (the two sides differ by more
 * than 4 standard errors and by more than the tolerance or a tenth of the
 * larger).  A change the other kinds explain (logons that came in busier
 * and quieter phases, counted in the one-kind figure) is not the first
 * kind's: then the whole run is fitted.  When the sides cannot both be
 * fitted, the change stands, as the one-kind fit found it. */
static bool change_holds(const struct points *before, const struct points *after,
                         bool with_time, double tolerance) {
  struct fit_slope b, f;
  if (!first_kind_joint(before, with_time, &b) || !first_kind_joint(after, with_time, &f))
    return true;
  double se = hypot(b.ci_hi - b.ci_lo, f.ci_hi - f.ci_lo) / (2 * Z95);
  double diff = fabs(f.slope - b.slope);
  return diff > 4 * se && diff > fmax(tolerance, 0.1 * fmax(fabs(b.slope), fabs(f.slope)));
}

/* `leak` stays the first kind's figure: the joint fit's, when it has one
 * (the single-kind fit counts the other kinds' growth in it). */
static void adopt_first_kind(const struct analyze_options *o, struct analysis *a,
                             bool with_time) {
  const struct analysis_kind *k = &a->kinds[0];
  if (isnan(k->leak))
    return;
  a->leak = k->leak, a->leak_lo = k->leak_lo, a->leak_hi = k->leak_hi;
  a->method = "robust-kinds";
  a->verdict = k->verdict;
  if (!a->slope_changed) /* else the figures are of the part after it */
    a->reason = NULL;
  a->cycles_needed = k->verdict == VERDICT_INCONCLUSIVE
                         ? fit_cycles_needed(k->leak, k->leak_lo, k->leak_hi, o->tolerance,
                                             (double)k->cycles)
                         : NAN;
  if (with_time) {
    a->growth = a->kinds_growth, a->growth_lo = a->kinds_growth_lo;
    a->growth_hi = a->kinds_growth_hi;
    a->separable = true;
  }
}

/* The first kind's leak before the change, fitted with the same kinds (the
 * one-kind fit's `before` holds the other kinds' growth too). */
static void before_change(const struct points *before, const size_t *rep, size_t nrep,
                          bool with_time, struct analysis *a) {
  struct fit_multi m;
  fit_subset(before, rep, nrep, with_time, &m);
  if (m.status != FIT_OK)
    return;
  a->before = m.coef[0].slope;
  a->before_lo = m.coef[0].ci_lo, a->before_hi = m.coef[0].ci_hi;
}

/* Every kind's cycles from one read of the traces (they were read once per
 * kind), with the errors the per-kind reads gave, in the same order: the
 * read's (as the first kind's), then per kind a --per that names no kind
 * or a selection the trace never saw. */
struct kinds_read {
  char (*buf)[300];     /* per kind: its module, -m style */
  size_t nk;            /* kinds before the first --per that names no kind */
  struct cycles *c;     /* nk of them once read */
  bool read;
  struct warnings quiet; /* the first kind's warnings were given already */
  struct trace_want *want;
};

static void kinds_read_init(struct kinds_read *r, const struct analyze_options *o,
                            const char *process, const int64_t *pids, size_t npids) {
  memset(r, 0, sizeof *r);
  r->buf = xcalloc(o->nper + 1, sizeof *r->buf);
  r->c = xcalloc(o->nper + 1, sizeof *r->c);
  r->want = xcalloc(o->nper + 1, sizeof *r->want);
  warnings_init(&r->quiet);
  struct diag probe;
  diag_init(&probe);
  while (r->nk < o->nper && kinds_module(o->per[r->nk], r->buf[r->nk], sizeof *r->buf, &probe)) {
    r->want[r->nk] = (struct trace_want){process, r->buf[r->nk], pids, npids, &r->quiet};
    r->nk++;
  }
  diag_fini(&probe);
}

static void kinds_read_fini(struct kinds_read *r) {
  for (size_t k = 0; r->read && k < r->nk; k++)
    cycles_fini(&r->c[k]);
  free(r->c);
  free(r->want);
  free(r->buf);
  warnings_fini(&r->quiet);
}

/* A usage error about kind per (module as -m): say which --per. */
static void per_usage(const char *per, const char *module, struct diag *d) {
  if (d->kind != DIAG_USAGE || !d->message)
    return;
  char *why = d->message, *file = d->file;
  d->message = d->file = NULL;
  diag_set(d, DIAG_USAGE, file, d->line, d->col, "--per %s: %s%s", per, why,
           module[0] == ':' ? " (a named cycle is begin:NAME/end:NAME events; "
                              "in the list, :NAME)" : "");
  free(why), free(file);
}

/* Kind j's cycles in r->c[j] (the traces read at the first kind), or -1
 * with d filled. */
static int kinds_cycles(struct kinds_read *r, const struct analyze_options *o, size_t j,
                        struct diag *d) {
  if (j == 0 && r->nk > 0) {
    if (trace_read_cycles_each((const char *const *)o->traces, o->ntraces, &o->trace, r->want,
                               r->nk, r->c, &r->quiet, d) < 0) {
      per_usage(o->per[0], r->buf[0], d);
      return -1;
    }
    r->read = true;
  }
  if (j >= r->nk) {
    kinds_module(o->per[j], r->buf[j], sizeof *r->buf, d);
    return -1;
  }
  if (cycles_check_selection(&r->c[j], o->traces[0], d) < 0) {
    per_usage(o->per[j], r->buf[j], d);
    return -1;
  }
  return 0;
}

int kinds_fit(const struct analyze_options *o, const struct series *s,
              const char *process, const int64_t *pids, size_t npids,
              bool have_time, struct analysis *a, struct diag *d) {
  struct points p = {0}, before = {0};
  p.k = o->nper;
  usec_t *t = xcalloc(s->n ? s->n : 1, sizeof *t);
  p.y = xcalloc(s->n ? s->n : 1, sizeof *p.y);
  p.hours = xcalloc(s->n ? s->n : 1, sizeof *p.hours);
  p.life = xcalloc(s->n ? s->n : 1, sizeof *p.life);
  int *life = xcalloc(s->n ? s->n : 1, sizeof *life);
  struct join_series js = {s->n, s->t, s->mem, s->have_pid ? s->pid : NULL};
  join_lifetimes(&js, life);
  for (size_t i = 0; i < s->n; i++) {
    if (isnan(s->mem[i]))
      continue;
    t[p.n] = s->t[i];
    p.y[p.n] = s->mem[i];
    p.hours[p.n] = (double)(s->t[i] - s->t[0]) / (double)USEC_PER_HOUR;
    p.life[p.n++] = (unsigned)life[i];
  }
  free(life);
  a->per_kinds = true;
  a->kinds = xcalloc(o->nper, sizeof *a->kinds);
  a->nkinds = o->nper;
  int rc = 0;
  bool *busy = xcalloc(p.n ? p.n : 1, sizeof *busy);
  struct kinds_read kr;
  kinds_read_init(&kr, o, process, pids, npids);
  for (size_t j = 0; j < o->nper && rc == 0; j++) {
    struct analysis_kind *k = &a->kinds[j];
    *k = (struct analysis_kind){xstrdup(o->per[j]), 0, NAN, NAN, NAN, VERDICT_INCONCLUSIVE,
                                NULL, j, NAN, NAN, NAN, NAN};
    if (kinds_cycles(&kr, o, j, d) < 0) {
      rc = -1;
      break;
    }
    struct cycles *c = &kr.c[j];
    if (npids > 0) /* a same-named process's cycles are not ours (as for -m) */
      cycles_keep_pids(&c->sel, pids, npids);
    p.x[j] = completed(c->sel.cycles, c->sel.ncycles, t, p.n, &k->cycles, busy);
  }
  kinds_read_fini(&kr);
  free(t);
  if (rc == 0) { /* keep the samples between cycles */
    size_t m = 0;
    for (size_t i = 0; i < p.n; i++)
      if (!busy[i])
        point_copy(&p, m++, &p, i);
    p.n = m;
    if (a->slope_changed) {
      struct points whole;
      points_copy(&whole, &p);
      keep_after_change(&p, a->change_to, &before);
      if (change_holds(&before, &p, have_time, o->tolerance))
        points_fini(&whole);
      else {
        warnings_add(&a->warnings, "kinds-explain-change", NULL, 0,
                     "--per: the leak per %s cycle seemed to change at about cycle %.0f, "
                     "but fitted with the other kinds it does not: the change was "
                     "theirs, and the figures are of the whole run",
                     o->per[0], a->change_at);
        points_fini(&p), points_fini(&before);
        before = (struct points){0};
        p = whole;
        a->slope_changed = false;
        a->reason = NULL;
        a->before = a->before_lo = a->before_hi = NAN;
        drop_warmup(&p);
      }
    } else
      drop_warmup(&p);
  }
  free(busy);
  if (rc == 0) {
    /* kinds with cycles inside the log take part; the others say why not */
    size_t use[FIT_MULTI_MAX] = {0}, nuse, set[FIT_MULTI_MAX];
    struct fit_multi m;
    bool with_time = have_time;
    fit_kinds(&p, &with_time, use, &nuse, set, &m);
    for (size_t j = 0, u = 0; j < p.k; j++) {
      if (u < nuse && use[u] == j)
        u++;
      else
        a->kinds[j].reason = "too-few-cycles";
    }
    if (have_time && !with_time)
      warnings_add(&a->warnings, "not-separable", NULL, 0,
                   "--per: a kind's cycles run in step with time, so growth per hour "
                   "is left out of the fit and counted in the kinds' figures");
    /* one regressor per collinear set: its first kind stands for it */
    size_t rep[FIT_MULTI_MAX], nrep = 0, rep_of[FIT_MULTI_MAX];
    for (size_t j = 0; j < nuse; j++) {
      if (set[j] == j)
        rep[nrep++] = use[j];
      rep_of[j] = use[set[j]];
    }
    for (size_t j = 0; j < nuse; j++)
      for (size_t l = j + 1; l < nuse; l++)
        if (set[l] == set[j]) {
          a->collinear = xreallocarray(a->collinear, a->ncollinear + 1, sizeof *a->collinear);
          a->collinear[a->ncollinear][0] = use[j];
          a->collinear[a->ncollinear++][1] = use[l];
        }
    if (nrep != nuse)
      fit_subset(&p, rep, nrep, with_time, &m);
    for (size_t j = 0; j < nuse; j++) {
      struct analysis_kind *k = &a->kinds[use[j]];
      size_t r = 0;
      while (rep[r] != rep_of[j])
        r++;
      const struct fit_slope *c = &m.coef[r];
      k->together_with = rep_of[j];
      if (m.status != FIT_OK)
        continue;
      bool alone = true;
      for (size_t l = 0; l < nuse; l++)
        alone &= l == j || set[l] != set[j];
      if (alone) {
        k->leak = c->slope, k->leak_lo = c->ci_lo, k->leak_hi = c->ci_hi;
        k->verdict = verdict_from_fit(fit_verdict(c->ci_lo, c->ci_hi, o->tolerance));
      } else {
        k->reason = "not-separable";
        k->together = c->slope, k->together_lo = c->ci_lo, k->together_hi = c->ci_hi;
        k->unpaired_needed = fit_multi_unpaired_needed(c->slope, c->ci_lo, c->ci_hi,
                                                       o->tolerance, (double)k->cycles);
      }
    }
    if (with_time && m.status == FIT_OK) {
      const struct fit_slope *c = &m.coef[nrep];
      a->kinds_growth = c->slope, a->kinds_growth_lo = c->ci_lo, a->kinds_growth_hi = c->ci_hi;
    }
    for (size_t i = 0; i < a->ncollinear; i++) {
      const struct analysis_kind *x = &a->kinds[a->collinear[i][0]];
      const struct analysis_kind *y = &a->kinds[a->collinear[i][1]];
      warnings_add(&a->warnings, "kinds-collinear", NULL, 0,
                   "%s and %s move in step (every %s cycle comes with a %s cycle): "
                   "only their sum can be measured; a capture with ~%.0f %s cycles "
                   "without a %s one (or the reverse) tells them apart",
                   x->kind, y->kind, x->kind, y->kind, y->unpaired_needed, y->kind, x->kind);
    }
    adopt_first_kind(o, a, with_time);
    if (a->slope_changed && nuse > 0 && use[0] == 0 && set[0] == 0)
      before_change(&before, rep, nrep, with_time, a);
  }
  points_fini(&p);
  points_fini(&before);
  return rc;
}
