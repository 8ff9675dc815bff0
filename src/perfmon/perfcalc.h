/* perfcalc — a perfmon counter's displayed value from its raw samples, by
 * its PERF_COUNTER_* type (winperf.h; the formulas of the Windows SDK's
 * "Counter Types" pages), as PDH computes it for relog's CSV export.
 *
 * A raw sample is PDH's pair: `first` is the counter's value, `second` the
 * time stamp (in ticks of `freq` per second, or 100 ns units) for a rate or
 * timer, the base for a fraction or an average; `multi` is the instance
 * count of a multi-timer. Types that need two samples give NaN for the first
 * one (relog's blank cell), and so does a step where the time does not move
 * forward or a count goes backwards (a restart). No I/O. */
#ifndef LEAKSLOPE_PERFCALC_H
#define LEAKSLOPE_PERFCALC_H

#include <stdbool.h>
#include <stdint.h>

struct perf_raw {
  int64_t first, second;
  uint32_t multi;
};

enum perfcalc_kind {
  PERFCALC_RAW,      /* one sample: N */
  PERFCALC_TWO,      /* needs the previous sample */
  PERFCALC_NONE,     /* a base, text or histogram: no value of its own */
  PERFCALC_UNKNOWN   /* a type not described here */
};

enum perfcalc_kind perfcalc_kind(uint32_t type);

/* A type's formula, looked up once per column rather than once per value
 * (a reader converts millions): -1 for a type not described here. */
int perfcalc_find(uint32_t type);

/* The displayed value of cur (prev is NULL for the first sample); NaN when
 * there is none. Percent timers are capped to 0..100 as PDH does by default
 * (PDH_FMT_NOCAP100 not set). */
double perfcalc_value(uint32_t type, int64_t freq, const struct perf_raw *cur,
                      const struct perf_raw *prev);
/* The same by formula (perfcalc_find's; -1 gives NaN). */
double perfcalc_eval(int formula, int64_t freq, const struct perf_raw *cur,
                     const struct perf_raw *prev);

/* Name of a type for messages ("PERF_COUNTER_BULK_COUNT"), or NULL. */
const char *perfcalc_type_name(uint32_t type);

#endif
