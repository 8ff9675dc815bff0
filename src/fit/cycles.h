/* cycles — from a stream of trace events to load/unload cycles of one module
 * in one process, plus the inventory `leakslope events` prints. Pure logic:
 * no I/O, no printing (warnings are values).
 *
 * Streaming in bounded memory: every event updates a hashed
 * (process, module) count; only events of the selection (-p/-m) are kept,
 * compactly, because they are the cycles. At cycles_finish the selection is
 * sorted by time (rows of some exports are not in time order) and paired per
 * (pid, full path):
 *  - explicit: a load opens, the next unload closes a cycle; a second load
 *    without an unload leaves the first unmatched; an unload with nothing
 *    open is unmatched; rundown (DCStart/DCEnd) is counted, never a cycle,
 *    and an unload after a DCStart closes no cycle (its load predates the
 *    trace);
 *  - implied (loads-only formats, or an unloads-capable trace whose selection
 *    has loads but no unloads, with a warning): each further load by the same
 *    pid implies an unload before it; cycle k ends at load k+1 with
 *    has_unload false. A load within CYCLES_MERGE_USEC of the open one is
 *    merged into it (counted, with a warning). The load still open at the
 *    end of the trace, in either pairing, is an unmatched load.
 * Matching (DESIGN.md "Choosing a process/module"): a trailing .exe is
 * ignored and case does not matter; a module matches on the base name of the
 * path or of its resolved file, or on a prefix ending at a ".so." version
 * boundary. */
#ifndef LEAKSLOPE_CYCLES_H
#define LEAKSLOPE_CYCLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "fit/join.h"
#include "util/timeutil.h"
#include "trace/trace.h"

/* Implied pairing: a load of the same (pid, path) closer than this to the
 * open load is the same mapping logged twice (Procmon writes two Load Image
 * rows 0.35 ms apart; the real win10 export in tests/data has pairs 1.2 ms
 * and 62 ms apart, the second mapping at another image base), merged into
 * it rather than ending a cycle. The window shrinks to a tenth of the
 * upper-quartile gap between loads when that is smaller (a fast real loop). */
#define CYCLES_MERGE_USEC (100 * 1000)

struct cycles_module {
  char *name;    /* lower-cased base name */
  char **paths;  /* distinct paths as written */
  size_t npaths;
  char **versions; /* distinct file versions the trace names (Sysmon) */
  size_t nversions;
  long loads, unloads, rundown;
};

struct cycles_process {
  char *name;    /* as first written ("" when the trace does not say) */
  int64_t *pids;
  size_t npids;
  struct cycles_module *mods;
  size_t nmods;
};

/* Cycles per time bucket, for "the cycle rate over time". */
struct cycles_bucket {
  usec_t from, to;
  long cycles;
};

struct cycles_selection {
  bool active;          /* -p or -m given */
  const char *process;  /* -p, or NULL */
  const char *module;   /* -m, or NULL */
  bool process_seen, module_seen;
  bool implied;         /* pairing implied (loads only) */
  bool fell_back;       /* implied because the trace had no unloads */
  struct join_cycle *cycles; /* sorted by load time */
  size_t ncycles;
  long loads, unloads;
  long unmatched_loads, unmatched_unloads, rundown, implied_unloads;
  long restarts;
  long merged_loads;    /* implied: loads merged into the one just before */
  long claimed;         /* events of an unnamed process taken by their pid */
  const int64_t *claim_pids; /* cycles_claim_pids's (owned by the cycles) */
  size_t nclaim_pids;
  usec_t merge_usec;    /* implied: the window used (see merge_window) */
  int64_t *pids;        /* pids with selected events, in order of appearance */
  size_t npids;
  char **paths;         /* module paths matched (several: a warning) */
  size_t npaths;
  double cycles_per_hour; /* over the first load .. last cycle end; 0 if < 2 */
  struct cycles_bucket *buckets;
  size_t nbuckets;
};

struct cycles {
  long events;
  usec_t first, last; /* time span of all events (valid when events > 0) */
  struct cycles_process *procs; /* sorted by name at finish */
  size_t nprocs;
  struct cycles_selection sel;
  void *impl;
};

/* process/module may be NULL (no -p / no -m). loads_only: the format has no
 * unload events. */
void cycles_init(struct cycles *c, const char *process, const char *module,
                 bool loads_only);
/* The pids the chosen process had (--pid, or a counter log's ID Process),
 * before the first cycles_add. A trace without process names (no rundown:
 * started after the process, or cut) still has pids: an unnamed event of
 * one of these pids is the chosen process's. Without -p, the events of
 * these pids are the selection. */
void cycles_claim_pids(struct cycles *c, const int64_t *pids, size_t n);
void cycles_add(struct cycles *c, const struct trace_event *ev);
/* Pair the selection, sort the inventory, add warnings (several paths for
 * one -m, implied fallback). Call once, after the last cycles_add. */
void cycles_finish(struct cycles *c, struct warnings *w, const char *file);
void cycles_fini(struct cycles *c);

/* After cycles_finish: a missed -p or -m is DIAG_USAGE (exit 2) naming
 * what the trace has (processes, or the modules of the chosen process); file
 * is the trace's name for the message. Returns 0 or -1. */
int cycles_check_selection(const struct cycles *c, const char *file,
                           struct diag *d);

/* Keep only the cycles of the n pids listed (n > 0); returns how many were
 * dropped. */
size_t cycles_keep_pids(struct cycles_selection *s, const int64_t *pids, size_t n);
/* Cycles whose load falls inside [from, to]. */
size_t cycles_in_span(const struct cycles_selection *s, usec_t from, usec_t to);
/* A counter log spans [log_from, log_to], the trace [tr_from, tr_to] (UTC).
 * When they do not overlap, the whole quarter hour (in minutes) to add to
 * the trace's times so that their middles line up best; returns false when
 * they overlap already. A time-zone mismatch shows as whole hours. */
bool cycles_align_hint(usec_t log_from, usec_t log_to, usec_t tr_from,
                       usec_t tr_to, long *minutes);
/* When they overlap, but by less than 90% of the shorter span, and the
 * trace moved by a whole quarter hour within ±14 h would overlap at least
 * 98% of it: that shift, in minutes (the largest overlap; among equals a
 * whole hour, then the smallest shift). Returns false otherwise: a trace
 * that merely starts earlier or ends later than the log gets no hint. */
bool cycles_partial_hint(usec_t log_from, usec_t log_to, usec_t tr_from,
                         usec_t tr_to, long *minutes);

bool cycles_process_match(const char *want, const char *name);
/* want: -m as given (a path part is ignored); name: lower-cased base name;
 * resolved: resolved path or NULL. */
bool cycles_module_match(const char *want, const char *name,
                         const char *resolved);

#endif
