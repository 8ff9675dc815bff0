/* trace_cycles — read traces into struct cycles (see trace_cycles.h). */
#include "config.h"

#include "analyze/trace_cycles.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"
#include "util/xalloc.h"

void trace_read_fini(struct trace_read *info) {
  for (size_t i = 0; i < info->nfiles; i++)
    free(info->formats[i]);
  free(info->formats);
  free(info->version);
  memset(info, 0, sizeof *info);
}

/* The events limit opt sets (0: none). */
static long max_events(const struct trace_options *opt) {
  return opt->have_max_events ? opt->max_events : TRACE_MAX_EVENTS;
}

/* -1 with d filled: the event at line of file is one past the limit. */
static int too_many(const char *file, long line, long max, struct diag *d) {
  return diag_set(d, DIAG_DATA, file, line, 0,
                  "more than %ld image events in the traces of one run "
                  "(expected fewer; cut the trace to the test's time span, or "
                  "raise --max-events)", max);
}

/* Stream one file into c (initialised on the first file). Returns 0, or -1
 * with d filled. */
static int read_file(const char *path, const struct trace_options *opt,
                     const char *process, const char *module, const int64_t *pids,
                     size_t npids, struct cycles *c,
                     struct trace_read *info, struct warnings *w,
                     struct diag *d) {
  struct trace_reader *tr = trace_open(path, opt, w, d);
  if (!tr)
    return -1;
  if (info->nfiles == 0) {
    info->loads_only = trace_reader_loads_only(tr);
    cycles_init(c, process, module, info->loads_only);
    cycles_claim_pids(c, pids, npids);
  }
  info->formats = xrealloc(info->formats, (info->nfiles + 1) * sizeof *info->formats);
  info->formats[info->nfiles++] = xstrdup(trace_reader_format(tr));
  struct trace_event ev;
  int rc;
  long max = max_events(opt);
  while ((rc = trace_next(tr, &ev, d)) == 1) {
    if (max && c->events >= max) {
      rc = too_many(input_name(trace_reader_input(tr)), ev.line, max, d);
      break;
    }
    cycles_add(c, &ev);
    if (!info->version && module && ev.version &&
        cycles_module_match(module, ev.name, ev.resolved))
      info->version = xstrdup(ev.version);
  }
  info->skipped += trace_reader_skipped(tr);
  trace_close(tr);
  return rc < 0 ? -1 : 0;
}

int trace_read_cycles(const char *const *paths, size_t npaths,
                      const struct trace_options *opt, const char *process,
                      const char *module, const int64_t *pids, size_t npids,
                      struct cycles *c, struct trace_read *info, struct warnings *w,
                      struct diag *d) {
  assert(npaths > 0);
  memset(info, 0, sizeof *info);
  int rc = 0;
  for (size_t i = 0; i < npaths && rc == 0; i++)
    rc = read_file(paths[i], opt, process, module, pids, npids, c, info, w, d);
  if (rc == 0) {
    cycles_finish(c, w, paths[0]);
    rc = cycles_check_selection(c, paths[0], d);
  }
  if (rc < 0) {
    if (info->nfiles > 0)
      cycles_fini(c);
    trace_read_fini(info);
  }
  return rc;
}

int trace_read_cycles_each(const char *const *paths, size_t npaths,
                           const struct trace_options *opt, const struct trace_want *want,
                           size_t nwant, struct cycles *c, struct warnings *reader_w,
                           struct diag *d) {
  int rc = 0;
  long max = max_events(opt), seen = 0;
  for (size_t i = 0; i < npaths && rc == 0; i++) {
    struct trace_reader *tr = trace_open(paths[i], opt, reader_w, d);
    if (!tr && i == 0)
      return -1; /* nothing initialised */
    if (!tr) {
      rc = -1;
      break;
    }
    if (i == 0)
      for (size_t k = 0; k < nwant; k++) {
        cycles_init(&c[k], want[k].process, want[k].module, trace_reader_loads_only(tr));
        cycles_claim_pids(&c[k], want[k].pids, want[k].npids);
      }
    struct trace_event ev;
    while ((rc = trace_next(tr, &ev, d)) == 1) {
      if (max && seen++ >= max) {
        rc = too_many(input_name(trace_reader_input(tr)), ev.line, max, d);
        break;
      }
      for (size_t k = 0; k < nwant; k++)
        cycles_add(&c[k], &ev);
    }
    rc = rc < 0 ? -1 : 0;
    trace_close(tr);
    if (rc < 0 && i == 0)
      return -1; /* nothing initialised */
  }
  for (size_t k = 0; k < nwant; k++) {
    if (rc == 0)
      cycles_finish(&c[k], want[k].w, paths[0]);
    else
      cycles_fini(&c[k]);
  }
  return rc;
}
