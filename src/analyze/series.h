/* series — the counter series of one process over a run: every log of the
 * run read (only the chosen instance's columns converted: the counter, its
 * ID Process and Virtual Bytes), merged in time order, then limited to the
 * --from/--to window. Private to analyze/: analyze.c is its one user. */
#ifndef LEAKSLOPE_SERIES_H
#define LEAKSLOPE_SERIES_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/analyze.h"
#include "fit/join.h"

struct series {
  size_t n, cap;
  usec_t *t;
  double *mem, *pid, *virt; /* NaN where the log had no value */
  bool have_pid, have_virt;
  long bias;          /* of the first log, for local --from/--to */
  char *counter;      /* path of the first log's chosen column */
  char *counter_name; /* its counter part, e.g. "Private Bytes" */
};

/* Read every log of o into s (zeroed by the caller), recording each as an
 * input of a and warning about gaps between logs. -1 with d filled. */
int series_read(const struct analyze_options *o, struct series *s,
                struct analysis *a, struct diag *d);

/* Without an ID Process counter, give every sample the pid of the lifetime
 * it belongs to, from the trace's cycles (sorted by time). */
void series_pids_from_cycles(struct series *s, const struct join_cycle *c, size_t n);

/* Keep the samples with from <= t <= to. */
void series_window(struct series *s, usec_t from, usec_t to);

void series_fini(struct series *s);

#endif
