/* analyze — one run from files to result (see analyze.h).
 *
 * The steps, each a function below: read the counter series of the chosen
 * process from every log (only the needed columns are converted), read the
 * cycles of the chosen module from every trace, limit both to --from/--to,
 * join them into the fit's points, fit, and turn the fit into a verdict with
 * a projection and warnings. */
#include "config.h"
#include "analyze/analyze.h"
#include "analyze/kinds.h"
#include "analyze/option_table.h"
#include "analyze/series.h"
#include "analyze/trace_cycles.h"
#include "fit/cycles.h"
#include "fit/fit.h"
#include "util/pidset.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define GIB 1073741824.0

/* ---- the cycles ---------------------------------------------------------- */

/* The process that loads the module, when -p was not given: exactly one. */
static bool has_pid(const struct cycles_process *p, const struct analyze_options *o) {
  return !o->has_pid || pidset_has(p->pids, p->npids, o->pid);
}

/* The process that loads the module, when -p was not given: exactly one
 * (with --pid, the one that had that pid). */
static int infer_process(const struct cycles *c, const struct analyze_options *o,
                         char *name, size_t cap, struct diag *d) {
  const char *module = o->module;
  const char *found = NULL;
  struct strbuf list;
  strbuf_init(&list);
  size_t count = 0;
  for (size_t i = 0; i < c->nprocs; i++)
    for (size_t m = 0; m < c->procs[i].nmods && has_pid(&c->procs[i], o); m++)
      if (cycles_module_match(module, c->procs[i].mods[m].name, NULL)) {
        found = c->procs[i].name;
        strbuf_addf(&list, "%s%s", count++ ? ", " : "", found);
        break;
      }
  if (found) { /* the name without .exe, as perfmon names it */
    snprintf(name, cap, "%s", found);
    size_t len = strlen(name);
    if (len > 4 && strcasecmp(name + len - 4, ".exe") == 0)
      name[len - 4] = '\0';
  }
  int rc = 0;
  if (count == 0)
    rc = diag_set(d, DIAG_USAGE, NULL, 0, 0,
                  "no process in the trace loads %s: check -m (or give -p)", module);
  else if (count > 1)
    rc = diag_set(d, DIAG_USAGE, NULL, 0, 0,
                  "%s is loaded by %zu processes (%s): pick one with -p NAME", module,
                  count, list.data);
  strbuf_fini(&list);
  return rc;
}

/* The trace names a process NAME.exe; perfmon names its second live
 * instance NAME#1: the trace's name is the perfmon one without "#N". */
static const char *trace_process(const char *process, char *buf, size_t cap) {
  if (!process)
    return NULL;
  snprintf(buf, cap, "%s", process);
  char *hash = strrchr(buf, '#');
  if (hash && hash[1] && strspn(hash + 1, "0123456789") == strlen(hash + 1))
    *hash = '\0';
  return buf;
}

/* Every trace into c, through the one path `events` uses too. */
static int read_cycles(const struct analyze_options *o, const int64_t *pids, size_t npids,
                       struct cycles *c, struct analysis *a, struct diag *d) {
  char pbuf[256];
  struct trace_read info;
  if (trace_read_cycles((const char *const *)o->traces, o->ntraces, &o->trace,
                        trace_process(o->process, pbuf, sizeof pbuf), o->module, pids,
                        npids, c, &info, &a->warnings, d) < 0)
    return -1;
  for (size_t i = 0; i < info.nfiles; i++)
    analysis_add_input(a, o->traces[i], "events", info.formats[i]);
  free(a->trace_version);
  a->trace_version = info.version;
  info.version = NULL;
  trace_read_fini(&info);
  return 0;
}

/* ---- whose cycles ----------------------------------------------------------- */

/* "a, b, c" of the first few pids. */
static void list_pids(struct strbuf *b, const int64_t *pids, size_t n) {
  for (size_t i = 0; i < n && i < 8; i++)
    strbuf_addf(b, "%s%lld", i ? ", " : "", (long long)pids[i]);
  if (n > 8)
    strbuf_adds(b, ", ...");
}

/* Pids of one name whose cycles overlap in time are two processes at once
 * (a restart gives a new pid after the old one's last cycle): without a pid
 * from the log or --pid, nothing says whose cycles are the chosen one's. */
static int refuse_concurrent_pids(const struct cycles_selection *sel,
                                  const struct analyze_options *o, struct diag *d) {
  if (sel->npids < 2)
    return 0;
  usec_t *first = xcalloc(sel->npids, sizeof *first), *last = xcalloc(sel->npids, sizeof *last);
  for (size_t p = 0; p < sel->npids; p++)
    first[p] = INT64_MAX, last[p] = INT64_MIN;
  for (size_t i = 0; i < sel->ncycles; i++)
    for (size_t p = 0; p < sel->npids; p++)
      if (sel->pids[p] == sel->cycles[i].pid) {
        first[p] = first[p] < sel->cycles[i].load ? first[p] : sel->cycles[i].load;
        last[p] = last[p] > sel->cycles[i].unload ? last[p] : sel->cycles[i].unload;
      }
  bool overlap = false;
  for (size_t p = 0; p < sel->npids && !overlap; p++)
    for (size_t q = p + 1; q < sel->npids && !overlap; q++)
      overlap = first[p] <= last[q] && first[q] <= last[p] && first[p] != INT64_MAX &&
                first[q] != INT64_MAX;
  int rc = 0;
  if (overlap) {
    struct strbuf b;
    strbuf_init(&b);
    list_pids(&b, sel->pids, sel->npids);
    rc = diag_set(d, DIAG_USAGE, o->traces[0], 0, 0,
                  "the trace has %zu processes named %s alive at once (pids %s) and the "
                  "log has no 'ID Process' counter to say which one %s is: give --pid N "
                  "(or log ID Process)",
                  sel->npids, sel->process ? sel->process : "alike", b.data,
                  o->process ? o->process : "the chosen instance");
    strbuf_fini(&b);
  }
  free(first);
  free(last);
  return rc;
}

/* The pids the chosen process had: --pid, else the log's ID Process. */
static size_t own_pids(const struct series *s, const struct analyze_options *o,
                       int64_t **out) {
  int64_t *own = NULL;
  size_t nown = 0;
  if (o->has_pid) {
    own = xmalloc(sizeof *own);
    own[nown++] = o->pid;
  } else if (s->have_pid) {
    for (size_t i = 0; i < s->n; i++)
      if (!isnan(s->pid[i]) && s->pid[i] > 0)
        pidset_add(&own, &nown, (int64_t)s->pid[i]);
  }
  *out = own;
  return nown;
}

/* Two processes of one name can run at once; the trace names both the same
 * way. When the log says which pid the chosen instance had (ID Process, or
 * --pid), only that pid's cycles are the chosen process's. Without either,
 * cycles of pids alive at once cannot be told apart: a usage error. */
static int keep_own_cycles(struct cycles_selection *sel, const struct series *s,
                           const struct analyze_options *o, struct analysis *a,
                           struct diag *d) {
  int64_t *own = NULL;
  size_t nown = own_pids(s, o, &own);
  if (nown == 0)
    return refuse_concurrent_pids(sel, o, d);
  int64_t *other = NULL;
  size_t nother = 0;
  for (size_t i = 0; i < sel->ncycles; i++)
    if (!pidset_has(own, nown, sel->cycles[i].pid))
      pidset_add(&other, &nother, sel->cycles[i].pid);
  size_t dropped = cycles_keep_pids(sel, own, nown);
  if (dropped > 0) {
    struct strbuf mine, theirs;
    strbuf_init(&mine);
    strbuf_init(&theirs);
    list_pids(&mine, own, nown);
    list_pids(&theirs, other, nother);
    warnings_add(&a->warnings, "other-pids", o->traces[0], 0,
                 "%zu cycle(s) of pid %s were not counted: the trace names %s too, but "
                 "the chosen process is pid %s (%s)",
                 dropped, theirs.data, sel->process ? sel->process : "that process",
                 mine.data, o->has_pid ? "--pid" : "the log's ID Process");
    strbuf_fini(&mine);
    strbuf_fini(&theirs);
  }
  free(other);
  free(own);
  return 0;
}

/* ---- the window ----------------------------------------------------------- */

usec_t analyze_bound_utc(const struct analyze_bound *b, long bias) {
  return b->utc ? b->t : b->t + (usec_t)bias * USEC_PER_MIN;
}

size_t analyze_window_cycles(struct join_cycle *c, size_t n, usec_t from, usec_t to) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (c[i].load >= from && c[i].unload <= to)
      c[k++] = c[i];
  return k;
}

/* ---- fit and verdict ---------------------------------------------------- */

enum verdict verdict_from_fit(enum fit_verdict v) {
  switch (v) {
  case FIT_LEAK: return VERDICT_LEAK;
  case FIT_NO_LEAK: return VERDICT_NO_LEAK;
  case FIT_INCONCLUSIVE: break;
  }
  return VERDICT_INCONCLUSIVE;
}

static void add_fit_warnings(const struct fit_result *r, bool per_cycle, struct analysis *a) {
  if (r->warnings & FIT_WARN_FEW_BLOCKS)
    warnings_add(&a->warnings, "few-blocks", NULL, 0,
                 "the memory figures are strongly autocorrelated: fewer than 10 "
                 "independent blocks, so the interval is rough");
  if (per_cycle && (r->warnings & FIT_WARN_NOT_SEPARABLE))
    warnings_add(&a->warnings, "not-separable", NULL, 0,
                 "the cycle rate was too steady to tell growth per cycle from growth "
                 "per hour; the per-cycle figure includes any time-driven growth");
  if (r->warnings & FIT_WARN_ROBUST2_FAILED)
    warnings_add(&a->warnings, "robust2-failed", NULL, 0,
                 "the fit on cycles and time together did not converge; cycles alone were used");
  if (r->status != FIT_OK)
    warnings_add(&a->warnings, "too-few-points", NULL, 0,
                 "nothing to fit: %s", fit_status_message(r->status));
}

/* Address-space projection (DESIGN.md): Virtual Bytes when logged, against
 * --limit, or 2 GiB with 32-bit evidence. */
/* Does the module's path look like Windows (a backslash or a drive)? */
static bool windows_paths(const struct cycles_selection *sel) {
  for (size_t i = 0; i < sel->npaths; i++)
    if (strchr(sel->paths[i], '\\') || (sel->paths[i][0] && sel->paths[i][1] == ':'))
      return true;
  return false;
}

static void project(const struct analyze_options *o, const struct series *s,
                    const struct fit_result *r, bool not_windows, struct analysis *a) {
  double vmax = NAN, vlast = NAN, mlast = NAN;
  for (size_t i = 0; i < s->n; i++) {
    if (!isnan(s->virt[i])) {
      vlast = s->virt[i];
      vmax = isnan(vmax) ? vlast : fmax(vmax, vlast);
    }
    if (!isnan(s->mem[i]))
      mlast = s->mem[i];
  }
  double limit = o->limit;
  /* A trace without Windows paths comes from Linux (capture): 64-bit,
   * where a small Virtual Bytes says nothing about the address space. */
  int bits = o->bits ? o->bits : not_windows ? 64 : 0;
  if (isnan(limit) && (bits == 32 || (bits == 0 && !isnan(vmax) && vmax < 4 * GIB)))
    limit = 2 * GIB;
  if (a->verdict != VERDICT_LEAK || isnan(limit))
    return;
  bool virt = !isnan(vlast);
  double per_hour = r->separable && r->have_time_growth ? r->time_growth.slope : 0;
  double cyc, hrs, rate = r->cycles_per_hour;
  /* Cycles spread over time by --cycles/--cycle-period have no fitted rate:
   * it is the one they were given, over the log's span. */
  if (isnan(rate) && s->n > 1 && s->t[s->n - 1] > s->t[0])
    rate = (double)a->cycles / ((double)(s->t[s->n - 1] - s->t[0]) / (3600.0 * USEC_PER_SEC));
  if (fit_projection(virt ? vlast : mlast, limit, r->leak.slope, rate,
                     per_hour, &cyc, &hrs) != 0)
    return;
  a->has_projection = true;
  a->projection_counter = virt ? "Virtual Bytes" : s->counter_name;
  a->limit_bytes = limit;
  a->cycles_to_limit = cyc;
  a->hours_to_limit = hrs;
}

static void fill_from_fit(const struct fit_result *r, struct analysis *a) {
  a->leak = r->leak.slope;
  a->leak_lo = r->leak.ci_lo;
  a->leak_hi = r->leak.ci_hi;
  a->method = r->status == FIT_OK ? fit_method_name(r->leak.method) : NULL;
  if (r->have_time_growth) {
    a->growth = r->time_growth.slope;
    a->growth_lo = r->time_growth.ci_lo;
    a->growth_hi = r->time_growth.ci_hi;
  }
  a->separable = r->separable;
  a->warmup_cycles = (size_t)llround(r->warmup_cycles);
  a->cycles_per_hour = r->cycles_per_hour;
  a->verdict = r->status == FIT_OK ? verdict_from_fit(r->verdict) : VERDICT_INCONCLUSIVE;
  a->cycles_needed = a->verdict == VERDICT_INCONCLUSIVE ? r->cycles_needed : NAN;
  a->reason = r->status == FIT_OK ? fit_reason_name(r->reason) : NULL;
  a->warmup_end_slope = r->warmup_end_slope;
  a->slope_changed = r->status == FIT_OK && r->change.found;
  if (a->slope_changed) {
    a->change_at = r->change.at;
    a->change_from = r->change.from;
    a->change_to = r->change.to;
    a->before = r->change.before.slope;
    a->before_lo = r->change.before.ci_lo;
    a->before_hi = r->change.before.ci_hi;
  }
}

static void fit_points(const struct join_points *p, const struct analyze_options *o,
                       bool have_time, struct fit_result *r) {
  struct fit_obs *obs = xcalloc(p->n ? p->n : 1, sizeof *obs);
  for (size_t i = 0; i < p->n; i++)
    obs[i] = (struct fit_obs){p->cycles[i], p->hours[i], p->mem[i], (unsigned)p->lifetime[i]};
  struct fit_options fo;
  fit_options_init(&fo);
  fo.tolerance = o->tolerance;
  fo.have_time = have_time;
  fit_leak(obs, p->n, &fo, r);
  free(obs);
}

void analyze_fit_cycles(const struct join_series *js, const struct join_cycle *c,
                        size_t nc, double tolerance, struct analysis *a) {
  struct analyze_options o;
  analyze_options_init(&o);
  o.tolerance = tolerance;
  a->tolerance = tolerance;
  struct join_points p = {0};
  join_build(js, c, nc, -1, &p);
  a->cycles = p.cycles_in_span;
  a->per_cycle = true;
  a->lifetimes = p.lifetimes;
  struct fit_result r;
  fit_points(&p, &o, true, &r);
  fill_from_fit(&r, a);
  add_fit_warnings(&r, true, a);
  fit_result_fini(&r);
  join_points_fini(&p);
}

/* Without any cycle information: growth per hour only. */
static void growth_only(const struct join_series *js, struct analysis *a,
                        struct analyze_detail *dt) {
  struct join_points p;
  join_build_uniform(js, 0, 0, &p);
  unsigned *group = xcalloc(p.n ? p.n : 1, sizeof *group);
  for (size_t i = 0; i < p.n; i++)
    group[i] = (unsigned)p.lifetime[i];
  struct fit_slope g;
  if (fit_theil_sen_blocked(p.hours, p.mem, group, p.n, 0, &g, NULL) == 0) {
    a->growth = g.slope;
    a->growth_lo = g.ci_lo;
    a->growth_hi = g.ci_hi;
  }
  a->lifetimes = p.lifetimes;
  warnings_add(&a->warnings, "no-cycles", NULL, 0,
               "no trace and no --cycles/--cycle-period: growth per hour only, no "
               "per-cycle figure");
  free(group);
  if (dt)
    dt->points = p;
  else
    join_points_fini(&p);
}

/* Warn when the trace and the log do not overlap in time: most often a
 * time-zone mismatch, and the quarter-hour offset that would fix it. */
static void check_alignment(const struct series *s, const struct cycles *c,
                            const struct analyze_options *o, size_t in_span,
                            struct analysis *a) {
  if (c->sel.ncycles == 0 || s->n == 0)
    return;
  char l0[TIME_UTC_BUFSZ], l1[TIME_UTC_BUFSZ], t0[TIME_UTC_BUFSZ], t1[TIME_UTC_BUFSZ];
  usec_t tr_from = c->sel.cycles[0].load, tr_to = c->sel.cycles[c->sel.ncycles - 1].unload;
  long minutes = 0;
  if (in_span > 0) { /* partly: a whole-hour offset is as wrong, only less visibly */
    if (cycles_partial_hint(s->t[0], s->t[s->n - 1], tr_from, tr_to, &minutes))
      warnings_add(&a->warnings, "partial-overlap", o->traces[0], 0,
                   "only %zu of %zu cycles fall inside the counter log's time span (log %s "
                   "to %s, trace %s to %s, UTC), and the trace moved by %+ld min would "
                   "lie inside it: if both were captured together, their clocks or time "
                   "zones disagree; try --clock-offset %ld",
                   in_span, c->sel.ncycles, time_format_utc(s->t[0], l0),
                   time_format_utc(s->t[s->n - 1], l1), time_format_utc(tr_from, t0),
                   time_format_utc(tr_to, t1), minutes, minutes * 60);
    return;
  }
  bool hint = cycles_align_hint(s->t[0], s->t[s->n - 1], tr_from, tr_to, &minutes);
  warnings_add(&a->warnings, "no-overlap", o->traces[0], 0,
               "no cycle falls inside the counter log's time span (log %s to %s, trace "
               "%s to %s): this looks like a time-zone mismatch%s",
               time_format_utc(s->t[0], l0), time_format_utc(s->t[s->n - 1], l1),
               time_format_utc(tr_from, t0), time_format_utc(tr_to, t1), hint ? "; try --clock-offset" : "");
  if (hint)
    warnings_add(&a->warnings, "clock-offset-hint", NULL, 0,
                 "--clock-offset %ld would align them (%+ld min)", minutes * 60, minutes);
}

static void keep_detail(struct analyze_detail *dt, const struct series *s,
                        const struct join_series *js, const struct cycles *c,
                        const struct fit_result *r) {
  if (!dt)
    return;
  dt->n = s->n;
  dt->t = xmemdup(s->t, s->n * sizeof *s->t);
  dt->mem = xmemdup(s->mem, s->n * sizeof *s->mem);
  dt->lifetime = xcalloc(s->n ? s->n : 1, sizeof *dt->lifetime);
  dt->lifetimes = join_lifetimes(js, dt->lifetime);
  if (c) {
    dt->ncycles = c->sel.ncycles;
    dt->cycles = xcalloc(dt->ncycles ? dt->ncycles : 1, sizeof *dt->cycles);
    memcpy(dt->cycles, c->sel.cycles, dt->ncycles * sizeof *dt->cycles);
  }
  if (r && r->offsets && r->lifetimes) {
    dt->offsets = xcalloc(r->lifetimes, sizeof *dt->offsets);
    memcpy(dt->offsets, r->offsets, r->lifetimes * sizeof *dt->offsets);
  }
}

void analyze_detail_fini(struct analyze_detail *dt) {
  free(dt->t);
  free(dt->mem);
  free(dt->lifetime);
  free(dt->cycles);
  free(dt->offsets);
  join_points_fini(&dt->points);
  memset(dt, 0, sizeof *dt);
}

static void describe_run(const struct analyze_options *o, const struct series *s,
                         struct analysis *a) {
  a->counters_file = o->nlogs ? xstrdup(o->logs[0]) : NULL;
  a->events_file = o->ntraces ? xstrdup(o->traces[0]) : NULL;
  a->counter = s->counter ? xstrdup(s->counter) : NULL;
  a->module = xstrdup(o->module);
  a->tolerance = o->tolerance;
  a->samples = 0;
  for (size_t i = 0; i < s->n; i++)
    a->samples += !isnan(s->mem[i]);
}

int analyze_run(const struct analyze_options *o, struct analysis *a,
                struct analyze_detail *dt, struct diag *d) {
  struct analyze_options opt = *o;
  char inferred[256];
  struct series s;
  struct cycles c;
  memset(&s, 0, sizeof s);
  bool have_trace = o->ntraces > 0;
  int rc = -1;
  if (dt)
    memset(dt, 0, sizeof *dt);
  char first_kind[300];
  if (opt.nper > 0) { /* the first kind is -m's: `leak` stays its figure */
    if (!have_trace)
      return diag_set(d, DIAG_USAGE, NULL, 0, 0,
                      "--per needs the run's trace (-e TRACE): it counts each kind's "
                      "cycles there");
    if (!kinds_module(opt.per[0], first_kind, sizeof first_kind, d))
      return -1;
    if ((opt.given & (1u << AOPT_MODULE)) && strcasecmp(opt.module, first_kind) != 0)
      return diag_set(d, DIAG_USAGE, NULL, 0, 0,
                      "-m %s and --per %s disagree (with --per, leave -m out: the "
                      "first kind says which module `leak` is of)",
                      opt.module, opt.per[0]);
    opt.module = first_kind;
  }
  /* Without -p the trace says whose cycles (infer_process) before the log
   * is read; with -p the log is read first, so that the pids it gives the
   * process (ID Process, or --pid) can claim a trace's unnamed events. */
  if (have_trace && !opt.process) {
    if (read_cycles(&opt, NULL, 0, &c, a, d) != 0)
      return -1; /* nothing to free */
    if (infer_process(&c, &opt, inferred, sizeof inferred, d) != 0)
      goto out_cycles;
    opt.process = inferred;
  } else if (have_trace) {
    if (series_read(&opt, &s, a, d) != 0) {
      series_fini(&s);
      return -1;
    }
    if (s.n > 0) { /* a trace of local times of day without a date or zone */
      opt.trace.has_log = true;
      opt.trace.log_bias = s.bias;
      opt.trace.log_from_local = s.t[0] - (usec_t)s.bias * USEC_PER_MIN;
      opt.trace.log_to_local = s.t[s.n - 1] - (usec_t)s.bias * USEC_PER_MIN;
      opt.trace.log_file = opt.logs[0];
    }
    int64_t *pids = NULL;
    size_t npids = own_pids(&s, &opt, &pids);
    int got = read_cycles(&opt, pids, npids, &c, a, d);
    free(pids);
    if (got != 0) {
      series_fini(&s);
      return -1;
    }
  }
  if (!(have_trace && o->process) && series_read(&opt, &s, a, d) != 0)
    goto out;
  usec_t from = opt.from.set ? analyze_bound_utc(&opt.from, s.bias) : INT64_MIN;
  usec_t to = opt.to.set ? analyze_bound_utc(&opt.to, s.bias) : INT64_MAX;
  series_window(&s, from, to);
  if (have_trace) {
    if (keep_own_cycles(&c.sel, &s, &opt, a, d) != 0)
      goto out;
    series_pids_from_cycles(&s, c.sel.cycles, c.sel.ncycles);
  }
  describe_run(&opt, &s, a);
  a->process = xstrdup(opt.process ? opt.process : (s.counter ? s.counter : "?"));
  struct join_series js = {s.n, s.t, s.mem, s.have_pid ? s.pid : NULL};
  struct join_points p = {0};
  struct fit_result r;
  memset(&r, 0, sizeof r);
  if (have_trace) {
    c.sel.ncycles = analyze_window_cycles(c.sel.cycles, c.sel.ncycles, from, to);
    join_build(&js, c.sel.cycles, c.sel.ncycles, -1, &p);
    a->cycles = p.cycles_in_span;
    if (c.sel.unmatched_loads > 0)
      warnings_add(&a->warnings, "loads-without-unload", opt.traces[0], 0,
                   "%ld load(s) of %s had no unload and were not counted",
                   c.sel.unmatched_loads, opt.module);
    check_alignment(&s, &c, &opt, p.cycles_in_span, a);
  } else if (!isnan(opt.total_cycles) || !isnan(opt.cycle_period)) {
    join_build_uniform(&js, opt.total_cycles, opt.cycle_period, &p);
    a->cycles = p.cycles_total;
    warnings_add(&a->warnings, "cycles-from-time", NULL, 0,
                 "without a trace, cycles are a function of time: growth per cycle "
                 "cannot be told from growth per hour");
  } else {
    growth_only(&js, a, dt);
    keep_detail(dt, &s, &js, NULL, NULL);
    rc = 0;
    goto out;
  }
  a->per_cycle = true;
  a->lifetimes = p.lifetimes;
  fit_points(&p, &opt, have_trace, &r);
  fill_from_fit(&r, a);
  add_fit_warnings(&r, have_trace, a);
  project(&opt, &s, &r, have_trace && !windows_paths(&c.sel), a);
  if (opt.nper > 0) {
    char pbuf[256];
    int64_t *pids = NULL;
    size_t npids = own_pids(&s, &opt, &pids);
    int k = kinds_fit(&opt, &s, trace_process(opt.process, pbuf, sizeof pbuf), pids, npids,
                      true, a, d);
    free(pids);
    if (k != 0) {
      join_points_fini(&p);
      fit_result_fini(&r);
      goto out;
    }
  }
  keep_detail(dt, &s, &js, have_trace ? &c : NULL, &r);
  if (dt)
    dt->points = p;
  else
    join_points_fini(&p);
  fit_result_fini(&r);
  rc = 0;
out:
  series_fini(&s);
out_cycles:
  if (have_trace)
    cycles_fini(&c);
  return rc;
}
