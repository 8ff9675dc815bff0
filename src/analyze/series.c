/* series — the counter series of one process, assembled from every log of
 * a run (see series.h). */
#include "config.h"
#include "analyze/series.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void series_fini(struct series *s) {
  free(s->t);
  free(s->mem);
  free(s->pid);
  free(s->virt);
  free(s->counter);
  free(s->counter_name);
  memset(s, 0, sizeof *s);
}

static void series_add(struct series *s, usec_t t, double mem, double pid, double virt) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 1024;
    s->t = xreallocarray(s->t, s->cap, sizeof *s->t);
    s->mem = xreallocarray(s->mem, s->cap, sizeof *s->mem);
    s->pid = xreallocarray(s->pid, s->cap, sizeof *s->pid);
    s->virt = xreallocarray(s->virt, s->cap, sizeof *s->virt);
  }
  s->t[s->n] = t;
  s->mem[s->n] = mem;
  s->pid[s->n] = pid;
  s->virt[s->n] = virt;
  s->n++;
}

/* The columns of one process instance: its counter, ID Process, Virtual Bytes. */
struct instance_cols {
  long mem, pid, virt; /* indices into the counters, -1 when absent */
};

static bool same_instance(const struct pdh_counter *a, const struct pdh_counter *b) {
  return a->instance && b->instance && strcmp(a->instance, b->instance) == 0 &&
         a->index == b->index && a->dup == b->dup &&
         ((!a->machine && !b->machine) ||
          (a->machine && b->machine && strcmp(a->machine, b->machine) == 0));
}

/* Columns of `counter` for every instance of `process` in the log, with the
 * same instance's ID Process and Virtual Bytes beside them when logged. */
static long find_instances(const struct pdh_counter *cs, size_t nc,
                           const struct analyze_options *o,
                           struct instance_cols **out, struct diag *d) {
  size_t *mem = NULL;
  long n;
  if (strchr(o->counter, '\\')) { /* a full path or part of one */
    long i = pdh_find_counter(cs, nc, o->counter, d);
    if (i < 0)
      return -1;
    mem = xmalloc(sizeof *mem);
    mem[0] = (size_t)i;
    n = 1;
  } else if (!o->process) {
    return diag_set(d, DIAG_USAGE, NULL, 0, 0,
                    "which process? give -p NAME (the perfmon instance name)");
  } else if ((n = pdh_find_process(cs, nc, o->process, o->counter, &mem, d)) < 0) {
    return -1;
  }
  struct instance_cols *ic = xcalloc((size_t)n, sizeof *ic);
  for (long k = 0; k < n; k++) {
    ic[k].mem = (long)mem[k];
    ic[k].pid = ic[k].virt = -1;
    for (size_t j = 0; j < nc; j++) {
      if (!same_instance(&cs[j], &cs[mem[k]]))
        continue;
      const char *name = cs[j].counter_en ? cs[j].counter_en : cs[j].counter;
      if (strcasecmp(name, "ID Process") == 0)
        ic[k].pid = (long)j;
      else if (strcasecmp(name, "Virtual Bytes") == 0)
        ic[k].virt = (long)j;
    }
  }
  free(mem);
  *out = ic;
  return n;
}

static double value_or_nan(const struct pdh_row *row, long col) {
  return col >= 0 ? row->values[col] : NAN;
}

/* Which instance this row belongs to: by --pid when given, else the one
 * instance with a value; two alive at once is an ambiguity. -1: none. */
static long pick_instance(const struct pdh_row *row, const struct instance_cols *ic,
                          long n, const struct analyze_options *o,
                          const struct pdh_counter *cs, const char *file,
                          struct diag *d, bool *ambiguous) {
  long chosen = -1;
  for (long k = 0; k < n; k++) {
    if (isnan(row->values[ic[k].mem]))
      continue;
    if (o->has_pid && ic[k].pid >= 0 && value_or_nan(row, ic[k].pid) != (double)o->pid)
      continue;
    if (chosen >= 0 && !o->has_pid) {
      *ambiguous = true;
      diag_set(d, DIAG_USAGE, file, row->line, 0,
               "two processes named '%s' are alive at once (%s and %s): pick one "
               "with -p NAME#N or --pid N",
               o->process, cs[ic[chosen].mem].path, cs[ic[k].mem].path);
      return -1;
    }
    chosen = k;
  }
  return chosen;
}

static void note_log(struct analysis *a, const char *path, const struct pdh_reader *r) {
  static const char *const sources[] = {"header", "option", "utc", "assumed", "tz"};
  struct analysis_input *in = analysis_add_input(a, path, "counters", pdh_format(r));
  const char *enc = pdh_encoding(r);
  in->encoding = enc ? xstrdup(enc) : NULL;
  in->has_bias = true;
  in->bias_minutes = pdh_bias(r);
  in->bias_source = sources[pdh_bias_source(r)];
}

static void name_series(struct series *s, const struct pdh_counter *c) {
  s->counter = xstrdup(c->path);
  s->counter_name = xstrdup(c->counter_en ? c->counter_en : c->counter);
}

/* The pids the log gave the named process, to say what --pid could be. */
struct pids_seen {
  long pid[8];
  size_t n;
  bool checked; /* an ID Process counter was there to check --pid against */
};

static void note_pids(struct pids_seen *ps, const struct pdh_row *row,
                      const struct instance_cols *ic, long n) {
  for (long k = 0; k < n; k++) {
    double v = value_or_nan(row, ic[k].pid);
    if (isnan(v) || v <= 0)
      continue;
    ps->checked = true;
    bool known = false;
    for (size_t i = 0; i < ps->n && !known; i++)
      known = ps->pid[i] == (long)v;
    if (!known && ps->n < sizeof ps->pid / sizeof ps->pid[0])
      ps->pid[ps->n++] = (long)v;
  }
}

static int read_log(const char *path, const struct analyze_options *o,
                    struct series *s, struct analysis *a, struct pids_seen *ps,
                    struct diag *d) {
  struct warnings *w = &a->warnings;
  struct pdh_reader *r = pdh_open(path, &o->pdh, w, d);
  if (!r)
    return -1;
  note_log(a, path, r);
  const struct pdh_counter *cs = pdh_counters(r);
  struct instance_cols *ic = NULL;
  long n = find_instances(cs, pdh_counter_count(r), o, &ic, d);
  if (n < 0) {
    pdh_close(r);
    return -1;
  }
  if (o->has_pid && (n == 0 || ic[0].pid < 0)) {
    /* Nothing in the log to check --pid against: take it on trust for the
     * one instance -p names, and use it to pick the trace's cycles. */
    if (n != 1) {
      free(ic);
      pdh_close(r);
      return diag_set(d, DIAG_USAGE, path, 0, 0,
                      "this log has no 'ID Process' counter to find pid %ld among %ld "
                      "instances: pick one with -p NAME#N",
                      o->pid, n);
    }
    warnings_add(w, "pid-unchecked", path, 0,
                 "the log has no 'ID Process' counter: --pid %ld is taken to be %s "
                 "without a check",
                 o->pid, cs[ic[0].mem].path);
  }
  if (!s->counter)
    s->bias = pdh_bias(r);
  for (long k = 0; k < n; k++) {
    pdh_select(r, (size_t)ic[k].mem);
    if (ic[k].pid >= 0)
      pdh_select(r, (size_t)ic[k].pid), s->have_pid = true;
    if (ic[k].virt >= 0)
      pdh_select(r, (size_t)ic[k].virt), s->have_virt = true;
  }
  struct pdh_row row;
  int rc;
  bool ambiguous = false;
  while ((rc = pdh_next_row(r, &row, d)) == 1) {
    if (o->has_pid)
      note_pids(ps, &row, ic, n);
    long k = pick_instance(&row, ic, n, o, cs, path, d, &ambiguous);
    if (ambiguous) {
      rc = -1;
      break;
    }
    if (k >= 0 && !s->counter) /* named after the instance the samples are of */
      name_series(s, &cs[ic[k].mem]);
    if (k >= 0)
      series_add(s, row.utc, row.values[ic[k].mem], value_or_nan(&row, ic[k].pid),
                 value_or_nan(&row, ic[k].virt));
  }
  if (rc >= 0 && !s->counter && n > 0) /* no sample of it: still say which */
    name_series(s, &cs[ic[0].mem]);
  free(ic);
  pdh_close(r);
  return rc < 0 ? -1 : 0;
}

/* Logs given out of order, or rolled-over files, are merged by time. */
static void series_sort(struct series *s) {
  bool sorted = true;
  for (size_t i = 1; i < s->n && sorted; i++)
    sorted = s->t[i - 1] <= s->t[i];
  if (sorted)
    return;
  /* insertion sort: the input is a few runs already in order */
  for (size_t i = 1; i < s->n; i++) {
    usec_t t = s->t[i];
    double m = s->mem[i], p = s->pid[i], v = s->virt[i];
    size_t j = i;
    for (; j > 0 && s->t[j - 1] > t; j--) {
      s->t[j] = s->t[j - 1];
      s->mem[j] = s->mem[j - 1];
      s->pid[j] = s->pid[j - 1];
      s->virt[j] = s->virt[j - 1];
    }
    s->t[j] = t;
    s->mem[j] = m;
    s->pid[j] = p;
    s->virt[j] = v;
  }
}

int series_read(const struct analyze_options *o, struct series *s,
                       struct analysis *a, struct diag *d) {
  struct warnings *w = &a->warnings;
  struct pids_seen ps = {{0}, 0, false};
  for (size_t i = 0; i < o->nlogs; i++) {
    size_t before = s->n;
    usec_t prev_last = before ? s->t[before - 1] : 0;
    if (read_log(o->logs[i], o, s, a, &ps, d) != 0)
      return -1;
    if (i > 0 && s->n > before && s->t[before] > prev_last)
      warnings_add(w, "log-gap", o->logs[i], 0,
                   "a gap of %.0f s separates this log from the one before",
                   (double)(s->t[before] - prev_last) / (double)USEC_PER_SEC);
  }
  if (o->has_pid && ps.checked && s->n == 0) {
    struct strbuf list;
    strbuf_init(&list);
    for (size_t i = 0; i < ps.n; i++)
      strbuf_addf(&list, "%s%ld", i ? ", " : "", ps.pid[i]);
    diag_set(d, DIAG_USAGE, o->logs[0], 0, 0,
             "--pid %ld is not a pid of '%s' in this log (its ID Process: %s): "
             "-p and --pid name different processes",
             o->pid, o->process ? o->process : s->counter ? s->counter : "the process",
             list.data);
    strbuf_fini(&list);
    return -1;
  }
  series_sort(s);
  return 0;
}

/* Without an ID Process counter, a restart shows only in the trace (a new
 * pid) and in the memory (a drop). Give every sample the pid of the
 * lifetime it belongs to: the boundary between two pids is the largest drop
 * of memory between the old pid's last cycle and the new one's first. */
void series_pids_from_cycles(struct series *s, const struct join_cycle *c, size_t n) {
  if (s->have_pid || n == 0 || s->n == 0)
    return;
  bool several = false;
  for (size_t k = 1; k < n; k++)
    several |= c[k].pid != c[0].pid;
  if (!several)
    return;
  size_t i = 0;
  for (size_t k = 0; k < n; k++) {
    bool last_of_pid = k + 1 == n || c[k + 1].pid != c[k].pid;
    if (!last_of_pid)
      continue;
    usec_t next_start = k + 1 < n ? c[k + 1].load : INT64_MAX;
    size_t cut = i; /* first sample of the next lifetime */
    double drop = 0, prev = NAN;
    for (; i < s->n && s->t[i] < next_start; i++) {
      s->pid[i] = (double)c[k].pid;
      if (s->t[i] > c[k].unload && !isnan(prev) && prev - s->mem[i] > drop) {
        drop = prev - s->mem[i];
        cut = i;
      }
      if (!isnan(s->mem[i]))
        prev = s->mem[i];
    }
    if (k + 1 < n && drop > 0)
      for (size_t j = cut; j < i; j++)
        s->pid[j] = (double)c[k + 1].pid;
  }
  s->have_pid = true;
}

/* ---- the window ----------------------------------------------------------- */

void series_window(struct series *s, usec_t from, usec_t to) {
  size_t k = 0;
  for (size_t i = 0; i < s->n; i++) {
    if (s->t[i] < from || s->t[i] > to)
      continue;
    s->t[k] = s->t[i];
    s->mem[k] = s->mem[i];
    s->pid[k] = s->pid[i];
    s->virt[k] = s->virt[i];
    k++;
  }
  s->n = k;
}
