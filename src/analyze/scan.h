/* scan — every process of one counter log, ranked by how it grows: the
 * first question a user has ("which process leaks?") before `analyze`.
 *
 * One streaming pass of the log converts only the Process counters scan
 * needs (ID Process, Private Bytes, Virtual Bytes, Working Set, Handle
 * Count) of every instance (`_Total` and `Idle` left out). Memory stays
 * bounded on logs of thousands of columns and days of rows: at most
 * SCAN_MAX_ROWS rows are kept per instance, thinned evenly (every 2nd,
 * 4th, ... row) when the log is longer, except for instances the trace
 * names, which are kept whole because their per-cycle fit needs every sample.
 *
 * Each instance gets the growth per hour of its memory counter (Private
 * Bytes, else Virtual Bytes, else Working Set) from fit_leak on time, with
 * its interval, warm-up, restarts (lifetimes from ID Process) and a verdict
 * against an hourly tolerance; Handle Count the same in handles per hour.
 * With a trace, every module the instance loads and unloads at least
 * SCAN_MIN_LOADS times is fitted per cycle exactly as analyze does it
 * (analyze_fit_cycles: cycles and time together, so growth by the hour is
 * not blamed on a module); the most leaking module is the one reported.
 * The trace is read twice (an inventory, then the cycles of every chosen
 * pair at once), so it must be a file, not standard input. */
#ifndef LEAKSLOPE_SCAN_H
#define LEAKSLOPE_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/analysis.h"
#include "analyze/analyze.h"

#define SCAN_MAX_ROWS 2048
#define SCAN_MIN_LOADS 10
#define SCAN_MAX_PAIRS 64
#define SCAN_PLOT_POINTS 240
/* A log shorter than this gets the scan-short-log warning. */
#define SCAN_SHORT_MINUTES 15

/* A growth per hour of one counter, fitted on time. */
struct scan_growth {
  bool have;           /* the counter was logged for this instance */
  char *counter;       /* its full path */
  const char *name;    /* "Private Bytes", ... (English) */
  double slope, lo, hi; /* per hour; NaN when unknown */
  enum verdict verdict;
  const char *reason;  /* as analyze's reasons, or NULL */
  double warmup_hours; /* summed over lifetimes */
};

/* What grows: "cycles" (a module's cycles explain it), "time", "cycles-or-
 * time" (the cycle rate was too steady to tell), or NULL (nothing grows). */
struct scan_process {
  char *process; /* the perfmon instance: "svchost#3" */
  int64_t *pids; /* distinct ID Process values, in order of appearance */
  size_t npids;
  int lifetimes;
  const char *lifetimes_from; /* "id-process", "elapsed-time", "memory" or NULL */
  size_t samples;
  struct scan_growth mem;      /* the ranked memory counter */
  struct scan_growth others[2]; /* the other memory counters logged */
  size_t nothers;
  struct scan_growth handles;  /* Handle Count, per hour */
  bool has_leak;
  struct analysis leak; /* analyze's result against leak.module */
  enum verdict verdict;
  const char *reason;
  const char *grows_by;
  int tier; /* rank class, lower first */
  /* The ranked counter for a plot, at most SCAN_PLOT_POINTS evenly
   * picked samples: hours since the log's first row, bytes, lifetime. */
  size_t nplot;
  double *plot_h, *plot_v;
  int *plot_life;
};

struct scan_options {
  struct analyze_options a; /* logs (merged), traces, readers, tolerance, from/to */
  double hour_tolerance;    /* bytes per hour that still count as no growth */
  double handle_tolerance;  /* handles per hour */
};
void scan_options_init(struct scan_options *o);

struct scan_result {
  struct scan_process *procs; /* in rank order */
  size_t nprocs;
  size_t rows;       /* data rows of the log */
  size_t stride;     /* 1: every row kept; k: every k-th row (thinned) */
  size_t columns;    /* counter columns of the log */
  size_t pairs;      /* (process, module) pairs fitted per cycle */
  usec_t first, last; /* UTC of the first and last row (in the window) */
  usec_t local_offset; /* local time minus UTC at the first row */
  char *tz_name;       /* the first log's time zone name, or NULL */
  usec_t from, to;     /* --from/--to in UTC; INT64_MIN/MAX when not given */
  struct analysis run; /* inputs and warnings of the scan */
};

/* Scan. Several logs (a Data Collector Set's rolled-over files) are read in
 * turn, each process matched by its instance across them, and merged in
 * time order; --from/--to keep the rows and cycles inside the window (a
 * bound without a zone is the first log's local time). Returns 0 with r
 * filled (in rank order; possibly no process), or -1 with d filled (bad
 * input, unreadable file, a trace on stdin). */
int scan_run(const struct scan_options *o, struct scan_result *r, struct diag *d);
void scan_result_fini(struct scan_result *r);

#endif
