/* scan — every process of a log, ranked by growth (see scan.h).
 *
 * The steps: read the trace's inventory (which processes load which
 * modules), read the log once keeping the needed columns of every process
 * instance, fit each instance's growth per hour, fit each (instance, module)
 * pair the trace has cycles for, then judge and rank. */
#include "config.h"
#include "analyze/scan.h"
#include "analyze/trace_cycles.h"
#include "fit/cycles.h"
#include "fit/fit.h"
#include "util/bytefmt.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { S_PID, S_ELAPSED, S_PRIV, S_VIRT, S_WS, S_HANDLES, NSLOTS };
static const char *const slot_names[NSLOTS] = {"ID Process", "Elapsed Time", "Private Bytes",
                                               "Virtual Bytes",
                                               "Working Set", "Handle Count"};

/* One perfmon instance, over every log: its samples, and the columns it
 * has in the log being read (col[], -1 when absent there). */
struct inst {
  char *key;                       /* machine, instance, #index, dup: the same in every log */
  char *name, *base;               /* "svchost#3", and "svchost" */
  char *path[NSLOTS];              /* the columns' paths (first log that has them), or NULL */
  bool has[NSLOTS];                /* logged in some log */
  long col[NSLOTS];                /* counter index in the open log, -1 when not there */
  bool full;                       /* the trace names it: keep every row */
  bool pid_inferred;               /* v[S_PID] holds lifetimes told from the series */
  size_t n, cap;
  usec_t *t;
  size_t *row;
  double *v[NSLOTS];
};

static void inst_fini(struct inst *in) {
  free(in->key);
  free(in->name);
  free(in->base);
  for (int k = 0; k < NSLOTS; k++)
    free(in->path[k]);
  free(in->t);
  free(in->row);
  for (int k = 0; k < NSLOTS; k++)
    free(in->v[k]);
}

static void inst_add(struct inst *in, usec_t t, size_t row, const double *vals) {
  if (in->n == in->cap) {
    in->cap = in->cap ? 2 * in->cap : 64;
    in->t = xreallocarray(in->t, in->cap, sizeof *in->t);
    in->row = xreallocarray(in->row, in->cap, sizeof *in->row);
    for (int k = 0; k < NSLOTS; k++)
      in->v[k] = xreallocarray(in->v[k], in->cap, sizeof *in->v[k]);
  }
  in->t[in->n] = t;
  in->row[in->n] = row;
  for (int k = 0; k < NSLOTS; k++)
    in->v[k][in->n] = in->col[k] >= 0 ? vals[in->col[k]] : NAN;
  in->n++;
}

/* Keep the points on rows that are multiples of stride. */
static void inst_thin(struct inst *in, size_t stride) {
  size_t k = 0;
  for (size_t i = 0; i < in->n; i++) {
    if (in->row[i] % stride)
      continue;
    in->t[k] = in->t[i];
    in->row[k] = in->row[i];
    for (int s = 0; s < NSLOTS; s++)
      in->v[s][k] = in->v[s][i];
    k++;
  }
  in->n = k;
}

/* Logs given out of order: the samples in time order (insertion sort: the
 * input is a few runs already in order, one per log). */
static void inst_sort(struct inst *in) {
  for (size_t i = 1; i < in->n; i++) {
    if (in->t[i - 1] <= in->t[i])
      continue;
    usec_t t = in->t[i];
    size_t row = in->row[i];
    double v[NSLOTS];
    for (int s = 0; s < NSLOTS; s++)
      v[s] = in->v[s][i];
    size_t j = i;
    for (; j > 0 && in->t[j - 1] > t; j--) {
      in->t[j] = in->t[j - 1];
      in->row[j] = in->row[j - 1];
      for (int s = 0; s < NSLOTS; s++)
        in->v[s][j] = in->v[s][j - 1];
    }
    in->t[j] = t;
    in->row[j] = row;
    for (int s = 0; s < NSLOTS; s++)
      in->v[s][j] = v[s];
  }
}

void scan_options_init(struct scan_options *o) {
  analyze_options_init(&o->a);
  o->hour_tolerance = 1048576;
  o->handle_tolerance = 10;
}

/* ---- the columns ------------------------------------------------------------ */

static const char *en_object(const struct pdh_counter *c) {
  return c->object_en ? c->object_en : c->object;
}
static const char *en_counter(const struct pdh_counter *c) {
  return c->counter_en ? c->counter_en : c->counter;
}

static int slot_of(const struct pdh_counter *c) {
  if (!c->instance || strcasecmp(en_object(c), "Process") != 0 ||
      !strcasecmp(c->instance, "_Total") || !strcasecmp(c->instance, "Idle"))
    return -1;
  for (int k = 0; k < NSLOTS; k++)
    if (!strcasecmp(en_counter(c), slot_names[k]))
      return k;
  return -1;
}

static int nullcmp(const char *a, const char *b) {
  return !a || !b ? (a != NULL) - (b != NULL) : strcmp(a, b);
}

static const struct pdh_counter *sort_base;
static int cmp_instance(const void *x, const void *y) {
  const struct pdh_counter *a = &sort_base[*(const size_t *)x], *b = &sort_base[*(const size_t *)y];
  int c = nullcmp(a->machine, b->machine);
  if (!c)
    c = strcmp(a->instance, b->instance);
  if (!c)
    c = (a->index > b->index) - (a->index < b->index);
  if (!c)
    c = (a->dup > b->dup) - (a->dup < b->dup);
  if (!c)
    c = (*(const size_t *)x > *(const size_t *)y) - (*(const size_t *)x < *(const size_t *)y);
  return c;
}

/* One log's instances of the Process object: the first column of each and
 * the columns scan reads (the columns sorted by instance: thousands of
 * columns, no quadratic search). */
struct log_inst {
  const struct pdh_counter *first;
  long col[NSLOTS];
};

static size_t find_instances(const struct pdh_counter *cs, size_t nc, struct log_inst **out) {
  size_t *idx = xcalloc(nc ? nc : 1, sizeof *idx), m = 0;
  for (size_t i = 0; i < nc; i++)
    if (slot_of(&cs[i]) >= 0)
      idx[m++] = i;
  sort_base = cs;
  qsort(idx, m, sizeof *idx, cmp_instance);
  struct log_inst *in = xcalloc(m ? m : 1, sizeof *in);
  size_t n = 0;
  for (size_t i = 0; i < m; i++) {
    const struct pdh_counter *c = &cs[idx[i]];
    bool same = n > 0 && !nullcmp(in[n - 1].first->machine, c->machine) &&
                !strcmp(in[n - 1].first->instance, c->instance) &&
                in[n - 1].first->index == c->index && in[n - 1].first->dup == c->dup;
    if (!same) {
      in[n].first = c;
      for (int k = 0; k < NSLOTS; k++)
        in[n].col[k] = -1;
      n++;
    }
    int s = slot_of(c);
    if (in[n - 1].col[s] < 0)
      in[n - 1].col[s] = (long)idx[i];
  }
  free(idx);
  /* An instance without a memory or handle counter has nothing to rank. */
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (in[i].col[S_PRIV] >= 0 || in[i].col[S_VIRT] >= 0 || in[i].col[S_WS] >= 0 ||
        in[i].col[S_HANDLES] >= 0)
      in[k++] = in[i];
  *out = in;
  return k;
}

/* ---- the trace's inventory ------------------------------------------------- */

static bool proc_has_cycles(const struct cycles_process *p) {
  for (size_t m = 0; m < p->nmods; m++)
    if (p->mods[m].loads >= SCAN_MIN_LOADS)
      return true;
  return false;
}

static bool traced(const struct cycles *inv, const char *instance) {
  for (size_t i = 0; inv && i < inv->nprocs; i++)
    if (cycles_process_match(instance, inv->procs[i].name) && proc_has_cycles(&inv->procs[i]))
      return true;
  return false;
}

/* ---- the logs --------------------------------------------------------------- */

static void note_log(struct analysis *a, const char *path, const struct pdh_reader *r) {
  static const char *const sources[] = {"header", "option", "utc", "assumed", "tz"};
  struct analysis_input *in = analysis_add_input(a, path, "counters", pdh_format(r));
  const char *enc = input_encoding(pdh_input(r));
  in->encoding = enc ? xstrdup(enc) : NULL;
  in->has_bias = true;
  in->bias_minutes = pdh_bias(r);
  in->bias_source = sources[pdh_bias_source(r)];
}

static bool has_value(const struct inst *in, const double *vals) {
  for (int k = S_PRIV; k < NSLOTS; k++)
    if (in->col[k] >= 0 && !isnan(vals[in->col[k]]))
      return true;
  return false;
}

/* Every log's instances, matched by key across the logs; the rows kept in
 * one bounded set (thinned together, whichever log they came from). */
struct reading {
  struct inst *in;
  size_t n, sorted; /* in[0..sorted) is in key order */
  size_t stride, kept, rowno;
  usec_t from, to;  /* the window, UTC */
  bool window_known, any_row;
  size_t log_rows;          /* rows of the log being read, in the window */
  usec_t log_first, log_last; /* its first and last row */
};

static char *inst_key(const struct pdh_counter *c) {
  return xasprintf("%s\x01%s\x01%ld\x01%d", c->machine ? c->machine : "", c->instance,
                   c->index, c->dup);
}

static int cmp_key(const void *x, const void *y) {
  return strcmp(((const struct inst *)x)->key, ((const struct inst *)y)->key);
}

/* The reading's instance for one of this log's, added when new. */
static struct inst *inst_for(struct reading *g, const struct log_inst *li,
                             const struct pdh_counter *cs, const struct cycles *inv) {
  struct inst probe = {0};
  probe.key = inst_key(li->first);
  /* bsearch and qsort must not be handed a NULL array, even empty */
  struct inst *in = g->sorted ? bsearch(&probe, g->in, g->sorted, sizeof *g->in, cmp_key) : NULL;
  for (size_t i = g->sorted; !in && i < g->n; i++) /* new in this log */
    if (!strcmp(g->in[i].key, probe.key))
      in = &g->in[i];
  if (in) {
    free(probe.key);
  } else {
    g->in = xreallocarray(g->in, g->n + 1, sizeof *g->in);
    in = &g->in[g->n++];
    *in = probe;
    const struct pdh_counter *c = li->first;
    in->full = traced(inv, c->instance);
    in->base = xstrdup(c->instance);
    in->name = c->index ? xasprintf("%s#%ld", c->instance, c->index) : xstrdup(c->instance);
  }
  for (int k = 0; k < NSLOTS; k++) {
    in->col[k] = li->col[k];
    if (li->col[k] >= 0 && !in->path[k])
      in->path[k] = xstrdup(cs[li->col[k]].path);
    in->has[k] |= li->col[k] >= 0;
  }
  return in;
}

/* The --from/--to window in UTC: a bound without a zone is local time of
 * the first log (its bias). */
static void set_window(struct reading *g, const struct scan_options *o, long bias) {
  g->from = o->a.from.set ? analyze_bound_utc(&o->a.from, bias) : INT64_MIN;
  g->to = o->a.to.set ? analyze_bound_utc(&o->a.to, bias) : INT64_MAX;
  g->window_known = true;
}

static void take_row(struct reading *g, const struct pdh_row *row, struct scan_result *r) {
  if (row->utc < g->from || row->utc > g->to)
    return;
  bool keep = g->rowno % g->stride == 0;
  for (size_t i = 0; i < g->n; i++)
    if ((keep || g->in[i].full) && has_value(&g->in[i], row->values))
      inst_add(&g->in[i], row->utc, g->rowno, row->values);
  g->kept += keep;
  if (!g->any_row || row->utc < r->first)
    r->first = row->utc, r->local_offset = row->local - row->utc;
  if (!g->any_row || row->utc > r->last)
    r->last = row->utc;
  g->any_row = true;
  if (g->log_rows++ == 0)
    g->log_first = row->utc;
  g->log_last = row->utc;
  g->rowno++;
  if (g->kept >= SCAN_MAX_ROWS) { /* thin: every other kept row */
    g->stride *= 2;
    g->kept = (g->rowno + g->stride - 1) / g->stride;
    for (size_t i = 0; i < g->n; i++)
      if (!g->in[i].full)
        inst_thin(&g->in[i], g->stride);
  }
}

/* One log: its instances matched to the reading's, its rows in the window. */
static int read_log(const char *path, const struct scan_options *o, const struct cycles *inv,
                    struct reading *g, struct scan_result *r, struct diag *d) {
  struct pdh_reader *pr = pdh_open(path, &o->a.pdh, &r->run.warnings, d);
  if (!pr)
    return -1;
  note_log(&r->run, path, pr);
  if (!g->window_known) {
    set_window(g, o, pdh_bias(pr));
    r->from = g->from;
    r->to = g->to;
    r->tz_name = pdh_timezone(pr) ? xstrdup(pdh_timezone(pr)) : NULL;
  }
  const struct pdh_counter *cs = pdh_counters(pr);
  size_t nc = pdh_counter_count(pr);
  r->columns = nc > r->columns ? nc : r->columns;
  for (size_t i = 0; i < g->n; i++) /* instances this log lacks take no rows */
    for (int k = 0; k < NSLOTS; k++)
      g->in[i].col[k] = -1;
  struct log_inst *li;
  size_t n = find_instances(cs, nc, &li);
  for (size_t i = 0; i < n; i++) {
    struct inst *in = inst_for(g, &li[i], cs, inv);
    for (int k = 0; k < NSLOTS; k++)
      if (in->col[k] >= 0)
        pdh_select(pr, (size_t)in->col[k]);
  }
  free(li);
  struct pdh_row row;
  int rc;
  while ((rc = pdh_next_row(pr, &row, d)) == 1)
    take_row(g, &row, r);
  pdh_close(pr);
  if (g->n > 1)
    qsort(g->in, g->n, sizeof *g->in, cmp_key);
  g->sorted = g->n;
  return rc < 0 ? -1 : 0;
}

/* Every log in turn (rolled-over files: DataCollector01.csv, 02.csv), then
 * each instance's samples in time order. A gap between one log's last row
 * and the next one's first is warned about, as analyze does. */
static int read_logs(const struct scan_options *o, const struct cycles *inv, struct inst **out,
                     size_t *nout, struct scan_result *r, struct diag *d) {
  struct reading g = {0};
  g.stride = 1;
  int rc = 0;
  bool had_rows = false;
  usec_t prev_last = 0;
  for (size_t i = 0; rc == 0 && i < o->a.nlogs; i++) {
    g.log_rows = 0;
    rc = read_log(o->a.logs[i], o, inv, &g, r, d);
    if (rc == 0 && had_rows && g.log_rows && g.log_first > prev_last)
      warnings_add(&r->run.warnings, "log-gap", o->a.logs[i], 0,
                   "a gap of %.0f s separates this log from the one before",
                   (double)(g.log_first - prev_last) / (double)USEC_PER_SEC);
    if (g.log_rows)
      had_rows = true, prev_last = g.log_last;
  }
  for (size_t i = 0; i < g.n; i++)
    inst_sort(&g.in[i]);
  r->rows = g.rowno;
  r->stride = g.stride;
  *out = g.in;
  *nout = g.n;
  if (rc < 0) {
    for (size_t i = 0; i < g.n; i++)
      inst_fini(&g.in[i]);
    free(g.in);
    *out = NULL;
    *nout = 0;
  }
  return rc;
}

/* ---- growth per hour ---------------------------------------------------------- */

/* The growth of one counter on time: fit_leak with hours as the regressor,
 * so warm-up, slope changes and lifetimes are handled as analyze handles
 * cycles. */
static void fit_growth(const struct inst *in, int slot, const int *life, double tolerance,
                       struct scan_growth *g) {
  g->have = true;
  g->name = slot_names[slot];
  struct fit_obs *obs = xcalloc(in->n ? in->n : 1, sizeof *obs);
  for (size_t i = 0; i < in->n; i++) {
    double h = (double)(in->t[i] - in->t[0]) / (3600.0 * USEC_PER_SEC);
    obs[i] = (struct fit_obs){h, h, in->v[slot][i], (unsigned)life[i]};
  }
  struct fit_options fo;
  fit_options_init(&fo);
  fo.tolerance = tolerance;
  struct fit_result f;
  fit_leak(obs, in->n, &fo, &f);
  g->slope = f.leak.slope;
  g->lo = f.leak.ci_lo;
  g->hi = f.leak.ci_hi;
  g->verdict = f.status == FIT_OK ? verdict_from_fit(f.verdict) : VERDICT_INCONCLUSIVE;
  g->reason = f.status == FIT_OK ? fit_reason_name(f.reason) : "too-few-cycles";
  if (g->reason && !strcmp(g->reason, "too-few-cycles"))
    g->reason = "too-few-samples";
  g->warmup_hours = f.warmup_cycles;
  fit_result_fini(&f);
  free(obs);
}

/* The other memory counters are shown, not ranked: their slope and interval
 * only (blocked Theil-Sen, one offset per lifetime, as analyze's growth
 * without cycles), without the warm-up curve that costs most of a fit. */
static void slope_growth(const struct inst *in, int slot, const int *life,
                         struct scan_growth *g) {
  g->have = true;
  g->name = slot_names[slot];
  g->slope = g->lo = g->hi = NAN;
  g->verdict = VERDICT_NONE;
  size_t n = in->n ? in->n : 1;
  double *x = xcalloc(n, sizeof *x), *y = xcalloc(n, sizeof *y);
  unsigned *group = xcalloc(n, sizeof *group);
  size_t k = 0; /* blank cells left out: the building blocks take no NaN */
  for (size_t i = 0; i < in->n; i++) {
    if (isnan(in->v[slot][i]))
      continue;
    x[k] = (double)(in->t[i] - in->t[0]) / (3600.0 * USEC_PER_SEC);
    y[k] = in->v[slot][i];
    group[k++] = (unsigned)life[i];
  }
  struct fit_slope f;
  if (fit_theil_sen_blocked(x, y, group, k, 0, &f, NULL) == 0) {
    g->slope = f.slope;
    g->lo = f.ci_lo;
    g->hi = f.ci_hi;
  }
  free(x);
  free(y);
  free(group);
}

static void collect_pids(struct scan_process *p, const struct inst *in) {
  for (size_t i = 0; i < in->n; i++) {
    double v = in->v[S_PID][i];
    if (isnan(v) || v <= 0)
      continue;
    bool known = false;
    for (size_t k = 0; k < p->npids && !known; k++)
      known = p->pids[k] == (int64_t)v;
    if (!known) {
      p->pids = xreallocarray(p->pids, p->npids + 1, sizeof *p->pids);
      p->pids[p->npids++] = (int64_t)v;
    }
  }
}

static int memory_slot(const struct inst *in) {
  return in->has[S_PRIV] ? S_PRIV : in->has[S_VIRT] ? S_VIRT : in->has[S_WS] ? S_WS : -1;
}

static struct join_series series_of(const struct inst *in, int slot) {
  return (struct join_series){in->n, in->t, slot >= 0 ? in->v[slot] : NULL,
                              in->has[S_PID] || in->pid_inferred ? in->v[S_PID] : NULL};
}

static void keep_plot(const struct inst *in, int slot, const int *life, usec_t t0,
                      struct scan_process *p) {
  size_t step = (in->n + SCAN_PLOT_POINTS - 1) / SCAN_PLOT_POINTS;
  step = step ? step : 1;
  size_t cap = in->n / step + 1;
  p->plot_h = xcalloc(cap, sizeof *p->plot_h);
  p->plot_v = xcalloc(cap, sizeof *p->plot_v);
  p->plot_life = xcalloc(cap, sizeof *p->plot_life);
  for (size_t i = 0; i < in->n; i += step) {
    if (isnan(in->v[slot][i]))
      continue;
    p->plot_h[p->nplot] = (double)(in->t[i] - t0) / (3600.0 * USEC_PER_SEC);
    p->plot_v[p->nplot] = in->v[slot][i];
    p->plot_life[p->nplot++] = life[i];
  }
}

/* Without ID Process, the lifetimes from the series itself (join's
 * join_infer_restarts: Elapsed Time going back, else Private or Virtual
 * Bytes falling as only a new process's do, Handle Count agreeing), put in
 * v[S_PID] as stand-in pids, with a warning naming each restart. */
static void infer_lifetimes(struct inst *in, size_t stride, struct scan_process *p,
                            struct warnings *w) {
  if (in->has[S_PID] || in->n < 2)
    return;
  int ms = memory_slot(in);
  bool *resumed = xcalloc(in->n, sizeof *resumed);
  size_t step = in->full ? 1 : stride; /* rows between two kept samples */
  for (size_t i = 1; i < in->n; i++)
    resumed[i] = in->row[i] != in->row[i - 1] + step;
  const double *mem = ms == S_PRIV || ms == S_VIRT ? in->v[ms] : NULL;
  const double *h = in->has[S_HANDLES] ? in->v[S_HANDLES] : NULL;
  const double *e = in->has[S_ELAPSED] ? in->v[S_ELAPSED] : NULL;
  struct join_restart *r;
  size_t nr = join_infer_restarts(mem, h, e, resumed, in->n, in->v[S_PID], &r);
  free(resumed);
  in->pid_inferred = true;
  p->lifetimes_from = e ? "elapsed-time" : mem ? "memory" : NULL;
  if (nr == 0)
    return;
  struct strbuf b;
  strbuf_init(&b);
  for (size_t k = 0; k < nr && k < 3; k++) {
    char t[TIME_UTC_BUFSZ], x[48], y[48];
    time_format_utc(in->t[r[k].at], t);
    if (r[k].sign == JOIN_RESTART_ELAPSED) {
      strbuf_addf(&b, "%s%s (Elapsed Time went back from %.0f s to %.0f s)", k ? "; " : "", t,
                  r[k].before, r[k].after);
      continue;
    }
    format_bytes(r[k].before, x, sizeof x);
    format_bytes(r[k].after, y, sizeof y);
    strbuf_addf(&b, "%s%s (%s fell from %s to %s%s)", k ? "; " : "", t, slot_names[ms], x, y,
                r[k].sign == JOIN_RESTART_RETURN ? " after rows without it" : ", near where it began");
  }
  warnings_add(w, "scan-restart-inferred", NULL, 0,
               "%s: the log has no 'ID Process' counter; %zu restart%s inferred from the "
               "series, each fitted apart: %s%s", in->name, nr, nr == 1 ? "" : "s", b.data,
               nr > 3 ? "; ..." : "");
  strbuf_fini(&b);
  free(r);
}

static void fit_instance(const struct inst *in, const struct scan_options *o, usec_t t0,
                         struct scan_process *p) {
  p->process = xstrdup(in->name);
  if (in->has[S_PID])
    collect_pids(p, in);
  int ms = memory_slot(in);
  struct join_series js = series_of(in, ms >= 0 ? ms : S_HANDLES);
  int *life = xcalloc(in->n ? in->n : 1, sizeof *life);
  p->lifetimes = in->n ? join_lifetimes(&js, life) : 0;
  for (size_t i = 0; i < in->n; i++)
    p->samples += ms >= 0 && !isnan(in->v[ms][i]);
  if (ms >= 0) {
    fit_growth(in, ms, life, o->hour_tolerance, &p->mem);
    p->mem.counter = xstrdup(in->path[ms]);
    keep_plot(in, ms, life, t0, p);
  }
  for (int s = S_VIRT; s <= S_WS; s++)
    if (s != ms && in->has[s]) {
      struct scan_growth *g = &p->others[p->nothers++];
      slope_growth(in, s, life, g);
      g->counter = xstrdup(in->path[s]);
    }
  if (in->has[S_HANDLES]) {
    fit_growth(in, S_HANDLES, life, o->handle_tolerance, &p->handles);
    p->handles.counter = xstrdup(in->path[S_HANDLES]);
  }
  free(life);
}

/* ---- per cycle, with a trace ---------------------------------------------------- */

struct pair {
  size_t inst;
  const char *process, *module; /* the trace's names */
  struct analysis a;
};

static bool pids_meet(const int64_t *a, size_t na, const int64_t *b, size_t nb) {
  for (size_t i = 0; i < na; i++)
    for (size_t k = 0; k < nb; k++)
      if (a[i] == b[k])
        return true;
  return false;
}

/* Instances named like the trace's process: more than one without ID
 * Process cannot be told apart. */
static size_t same_named(const struct inst *in, size_t n, const char *trace_name) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += in[i].full && cycles_process_match(in[i].base, trace_name);
  return k;
}

static size_t choose_pairs(const struct inst *in, size_t n, const struct scan_process *ps,
                           const struct cycles *inv, struct pair **out, struct warnings *w) {
  struct pair *pr = NULL;
  size_t np = 0, dropped = 0;
  for (size_t i = 0; i < n; i++) {
    if (!in[i].full || memory_slot(&in[i]) < 0)
      continue;
    for (size_t t = 0; t < inv->nprocs; t++) {
      const struct cycles_process *cp = &inv->procs[t];
      if (!cycles_process_match(in[i].base, cp->name))
        continue;
      if (ps[i].npids ? !pids_meet(ps[i].pids, ps[i].npids, cp->pids, cp->npids)
                      : same_named(in, n, cp->name) > 1) {
        if (!ps[i].npids)
          warnings_add(w, "scan-ambiguous", NULL, 0,
                       "%s: the log has no 'ID Process' counter to tell its cycles from "
                       "those of the other instances named alike: no per-cycle figure",
                       ps[i].process);
        continue;
      }
      for (size_t m = 0; m < cp->nmods; m++) {
        if (cp->mods[m].loads < SCAN_MIN_LOADS)
          continue;
        if (np == SCAN_MAX_PAIRS) {
          dropped++;
          continue;
        }
        pr = xreallocarray(pr, np + 1, sizeof *pr);
        pr[np] = (struct pair){i, cp->name, cp->mods[m].name, {0}};
        analysis_init(&pr[np].a);
        np++;
      }
    }
  }
  if (dropped)
    warnings_add(w, "scan-pairs-dropped", NULL, 0,
                 "only the first %d (process, module) pairs were fitted per cycle; "
                 "%zu more were left out", SCAN_MAX_PAIRS, dropped);
  *out = pr;
  return np;
}

/* The cycles of pair k that are the instance's own (its pids). */
static size_t own_cycles(struct cycles_selection *sel, const struct scan_process *p) {
  if (!p->npids)
    return sel->ncycles;
  size_t k = 0;
  for (size_t i = 0; i < sel->ncycles; i++)
    for (size_t j = 0; j < p->npids; j++)
      if (sel->cycles[i].pid == p->pids[j]) {
        sel->cycles[k++] = sel->cycles[i];
        break;
      }
  return sel->ncycles = k;
}

static int fit_pairs(const struct scan_options *o, const struct inst *in,
                     struct scan_process *ps, struct pair *pr, size_t np,
                     struct scan_result *r, struct diag *d) {
  struct trace_want *want = xcalloc(np ? np : 1, sizeof *want);
  struct cycles *c = xcalloc(np ? np : 1, sizeof *c);
  for (size_t k = 0; k < np; k++)
    want[k] = (struct trace_want){pr[k].process, pr[k].module, ps[pr[k].inst].pids,
                                  ps[pr[k].inst].npids, &pr[k].a.warnings};
  struct warnings again; /* the readers said it all on the first pass */
  warnings_init(&again);
  int rc = trace_read_cycles_each((const char *const *)o->a.traces, o->a.ntraces, &o->a.trace,
                                  want, np, c, &again, d);
  warnings_fini(&again);
  for (size_t k = 0; rc == 0 && k < np; k++) {
    const struct inst *ii = &in[pr[k].inst];
    struct scan_process *p = &ps[pr[k].inst];
    size_t nc = analyze_window_cycles(c[k].sel.cycles, own_cycles(&c[k].sel, p), r->from,
                                      r->to);
    struct join_series js = series_of(ii, memory_slot(ii));
    pr[k].a.module = xstrdup(pr[k].module);
    pr[k].a.process = xstrdup(p->process);
    pr[k].a.counter = xstrdup(p->mem.counter);
    analyze_fit_cycles(&js, c[k].sel.cycles, nc, o->a.tolerance, &pr[k].a);
    cycles_fini(&c[k]);
  }
  r->pairs = np;
  free(c);
  free(want);
  return rc;
}

/* Is a better than b as the module that explains a process's growth? */
static int leak_class(const struct analysis *a) {
  bool steady = a->reason && !strcmp(a->reason, "not-separable");
  if (a->verdict == VERDICT_LEAK)
    return steady ? 1 : 0; /* a module cycled at a steady rate absorbs any growth */
  return a->verdict == VERDICT_INCONCLUSIVE ? 2 : 3;
}

static bool better_leak(const struct analysis *a, const struct analysis *b) {
  int ra = leak_class(a), rb = leak_class(b);
  if (ra != rb)
    return ra < rb;
  if (ra <= 1)
    return a->leak_lo > b->leak_lo;
  if (ra == 2)
    return a->leak > b->leak;
  return a->cycles > b->cycles;
}

static void keep_best(struct scan_process *ps, struct pair *pr, size_t np) {
  for (size_t k = 0; k < np; k++) {
    struct scan_process *p = &ps[pr[k].inst];
    if (!p->has_leak || better_leak(&pr[k].a, &p->leak)) {
      if (p->has_leak)
        analysis_fini(&p->leak);
      p->leak = pr[k].a;
      p->has_leak = true;
    } else {
      analysis_fini(&pr[k].a);
    }
  }
}

/* ---- judge and rank ------------------------------------------------------------- */

/* A leak that a module's cycles explain first (what analyze can confirm),
 * then growth by time, handles, the undecided, the steady. */
static void judge(struct scan_process *p) {
  const struct analysis *l = p->has_leak ? &p->leak : NULL;
  enum verdict tv = p->mem.have ? p->mem.verdict : VERDICT_INCONCLUSIVE;
  bool steady_rate = l && l->reason && !strcmp(l->reason, "not-separable");
  if (l && l->verdict == VERDICT_LEAK) {
    p->verdict = VERDICT_LEAK;
    p->reason = l->reason;
    p->grows_by = steady_rate ? "cycles-or-time" : "cycles";
    p->tier = steady_rate ? 1 : 0;
  } else if (tv == VERDICT_LEAK) {
    p->verdict = VERDICT_LEAK;
    p->reason = p->mem.reason;
    p->grows_by = "time";
    p->tier = 1;
  } else if (tv == VERDICT_NO_LEAK && (!l || l->verdict == VERDICT_NO_LEAK)) {
    p->verdict = VERDICT_NO_LEAK;
    p->reason = NULL;
    p->tier = 4;
  } else {
    p->verdict = VERDICT_INCONCLUSIVE;
    p->reason = l && l->verdict == VERDICT_INCONCLUSIVE ? l->reason : p->mem.reason;
    p->tier = 3;
  }
  if (p->tier > 1 && p->handles.have && p->handles.verdict == VERDICT_LEAK)
    p->tier = 2;
}

static double rank_growth(const struct scan_process *p) {
  double g = p->tier == 2 ? p->handles.slope : p->mem.slope;
  return isnan(g) ? -INFINITY : g;
}

static int cmp_rank(const void *x, const void *y) {
  const struct scan_process *a = x, *b = y;
  if (a->tier != b->tier)
    return a->tier - b->tier;
  double ga = rank_growth(a), gb = rank_growth(b);
  if (ga != gb)
    return ga > gb ? -1 : 1;
  return strcmp(a->process, b->process);
}

/* ---- the run ------------------------------------------------------------------- */

static int read_inventory(const struct scan_options *o, struct cycles *inv,
                          struct scan_result *r, struct diag *d) {
  for (size_t i = 0; i < o->a.ntraces; i++)
    if (!strcmp(o->a.traces[i], "-"))
      return diag_set(d, DIAG_USAGE, NULL, 0, 0,
                      "scan reads the trace twice (which modules, then their cycles): "
                      "give it as a file, not standard input");
  struct trace_read info;
  if (trace_read_cycles((const char *const *)o->a.traces, o->a.ntraces, &o->a.trace, NULL,
                        NULL, NULL, 0, inv, &info, &r->run.warnings, d) != 0)
    return -1;
  for (size_t i = 0; i < info.nfiles; i++)
    analysis_add_input(&r->run, o->a.traces[i], "events", info.formats[i]);
  trace_read_fini(&info);
  return 0;
}

int scan_run(const struct scan_options *o, struct scan_result *r, struct diag *d) {
  memset(r, 0, sizeof *r);
  analysis_init(&r->run);
  r->stride = 1;
  r->from = INT64_MIN;
  r->to = INT64_MAX;
  bool have_trace = o->a.ntraces > 0;
  struct cycles inv;
  if (have_trace && read_inventory(o, &inv, r, d) != 0)
    return -1;
  struct inst *in = NULL;
  size_t n = 0;
  int rc = read_logs(o, have_trace ? &inv : NULL, &in, &n, r, d);
  if (rc == 0) {
    r->procs = xcalloc(n ? n : 1, sizeof *r->procs);
    r->nprocs = n;
    for (size_t i = 0; i < n; i++) {
      analysis_init(&r->procs[i].leak);
      r->procs[i].lifetimes_from = in[i].has[S_PID] ? "id-process" : NULL;
      infer_lifetimes(&in[i], r->stride, &r->procs[i], &r->run.warnings);
      fit_instance(&in[i], o, r->first, &r->procs[i]);
    }
  }
  if (rc == 0 && have_trace) {
    struct pair *pr = NULL;
    size_t np = choose_pairs(in, n, r->procs, &inv, &pr, &r->run.warnings);
    rc = fit_pairs(o, in, r->procs, pr, np, r, d);
    if (rc == 0)
      keep_best(r->procs, pr, np);
    else
      for (size_t k = 0; k < np; k++)
        analysis_fini(&pr[k].a);
    free(pr);
  }
  if (have_trace)
    cycles_fini(&inv);
  for (size_t i = 0; i < n; i++)
    inst_fini(&in[i]);
  free(in);
  if (rc != 0)
    return -1;
  if (n == 0)
    warnings_add(&r->run.warnings, "scan-no-processes", o->a.logs[0], 0,
                 "the log has no Process counters (Private Bytes, Virtual Bytes, Working "
                 "Set, Handle Count): nothing to rank");
  double minutes = (double)(r->last - r->first) / (60.0 * USEC_PER_SEC);
  if (n > 0 && r->rows > 1 && minutes < SCAN_SHORT_MINUTES)
    warnings_add(&r->run.warnings, "scan-short-log", o->a.logs[0], 0,
                 "the log spans %.1f minutes: growth per hour is an extrapolation of "
                 "so short a time (a warm-up or a burst can look like a leak)", minutes);
  for (size_t i = 0; i < n; i++)
    judge(&r->procs[i]);
  if (n > 1)
    qsort(r->procs, n, sizeof *r->procs, cmp_rank);
  return 0;
}

static void growth_fini(struct scan_growth *g) { free(g->counter); }

void scan_result_fini(struct scan_result *r) {
  for (size_t i = 0; i < r->nprocs; i++) {
    struct scan_process *p = &r->procs[i];
    free(p->process);
    free(p->pids);
    growth_fini(&p->mem);
    growth_fini(&p->handles);
    for (size_t k = 0; k < p->nothers; k++)
      growth_fini(&p->others[k]);
    analysis_fini(&p->leak);
    free(p->plot_h);
    free(p->plot_v);
    free(p->plot_life);
  }
  free(r->procs);
  analysis_fini(&r->run);
  free(r->tz_name);
  memset(r, 0, sizeof *r);
}
