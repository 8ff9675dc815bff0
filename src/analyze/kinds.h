/* kinds — `analyze --per`: memory on the cycles of several kinds (a
 * module's load/unload, a named cycle such as a logon) and on time, fitted
 * together (fit/fit_multi.h), one figure a kind, and which kinds move in
 * lock-step so that no capture like this one can tell them apart. */
#ifndef LEAKSLOPE_KINDS_H
#define LEAKSLOPE_KINDS_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/analysis.h"
#include "analyze/analyze.h"
#include "analyze/series.h"
#include "util/diag.h"

/* The module key of a --per kind: "load:MODULE" -> MODULE, NAME -> ":name"
 * (the own trace's begin:NAME/end:NAME, see read_csv_layout). NULL with d
 * filled when the kind is empty. */
const char *kinds_module(const char *kind, char *buf, size_t cap, struct diag *d);

/* Fit the kinds of o->per on the series s (windowed, with the pids the
 * process owns, npids of them, NULL for none) into a->kinds, a->collinear;
 * process is the trace's name of the process. have_time: fit time growth
 * too. Returns 0, or -1 with d filled (a kind the trace never shows). */
int kinds_fit(const struct analyze_options *o, const struct series *s,
              const char *process, const int64_t *pids, size_t npids,
              bool have_time, struct analysis *a, struct diag *d);

#endif
