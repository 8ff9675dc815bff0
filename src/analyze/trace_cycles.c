/* trace_cycles — read a trace into struct cycles (see trace_cycles.h). */
#include "config.h"

#include "analyze/trace_cycles.h"

#include <string.h>

#include "util/xalloc.h"

int trace_read_cycles(const char *path, const struct trace_options *opt,
                      const char *process, const char *module,
                      struct cycles *c, struct trace_read *info,
                      struct warnings *w, struct diag *d) {
  memset(info, 0, sizeof *info);
  struct trace_reader *tr = trace_open(path, opt, w, d);
  if (!tr)
    return -1;
  info->loads_only = trace_reader_loads_only(tr);
  cycles_init(c, process, module, info->loads_only);
  struct trace_event ev;
  int rc;
  while ((rc = trace_next(tr, &ev, d)) == 1)
    cycles_add(c, &ev);
  info->skipped = trace_reader_skipped(tr);
  if (rc == 0) {
    cycles_finish(c, w, path);
    info->format = xstrdup(trace_reader_format(tr));
  } else {
    cycles_fini(c);
  }
  trace_close(tr);
  return rc < 0 ? -1 : 0;
}
