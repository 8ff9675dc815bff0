/* perfcalc — counter-type formulas (see perfcalc.h).
 *
 * One table row per PERF_COUNTER_* type: its name and its formula. The
 * order of operations is PDH's where the corpus shows it (a ratio first,
 * then times 100 or divided by the time in seconds): relog's CSV of the same
 * samples then matches to the last digit, not only to 15 digits. */
#include "config.h"
#include "perfmon/perfcalc.h"

#include <math.h>
#include <stddef.h>

enum formula {
  F_RAW,       /* N */
  F_RAW_1000,  /* N / 1000 (PERF_NUMBER_DEC_1000) */
  F_FRACTION,  /* N / D * 100 */
  F_RATE,      /* dN / (dD / F) */
  F_TIMER,     /* dN / dD * 100 */
  F_TIMER_INV, /* (1 - dN / dD) * 100 */
  F_MULTI,     /* dN / dD * 100 / B */
  F_MULTI_INV, /* (B - dN / dD) * 100 */
  F_QUEUE,     /* dN / dD */
  F_AVG,       /* dN / dB (0 when the base did not move) */
  F_AVG_TIMER, /* (dN / F) / dB (0 when the base did not move) */
  F_DELTA,     /* dN */
  F_ELAPSED,   /* (D - N) / F */
  F_NONE       /* no value of its own */
};

static const struct {
  uint32_t type;
  const char *name;
  enum formula f;
} types[] = {
    {0x00000000, "PERF_COUNTER_RAWCOUNT_HEX", F_RAW},
    {0x00000100, "PERF_COUNTER_LARGE_RAWCOUNT_HEX", F_RAW},
    {0x00010000, "PERF_COUNTER_RAWCOUNT", F_RAW},
    {0x00010100, "PERF_COUNTER_LARGE_RAWCOUNT", F_RAW},
    {0x00020000, "PERF_COUNTER_RAWCOUNT (DEC_1000)", F_RAW_1000},
    {0x00020100, "PERF_COUNTER_LARGE_RAWCOUNT (DEC_1000)", F_RAW_1000},
    {0x20020400, "PERF_RAW_FRACTION", F_FRACTION},
    {0x20020500, "PERF_LARGE_RAW_FRACTION", F_FRACTION},
    {0x10410400, "PERF_COUNTER_COUNTER", F_RATE},
    {0x10410500, "PERF_COUNTER_BULK_COUNT", F_RATE},
    {0x00410400, "PERF_SAMPLE_COUNTER", F_RATE},
    {0x20410500, "PERF_COUNTER_TIMER", F_TIMER},
    {0x20510500, "PERF_100NSEC_TIMER", F_TIMER},
    {0x20610500, "PERF_OBJ_TIME_TIMER", F_TIMER},
    {0x20470500, "PERF_PRECISION_SYSTEM_TIMER", F_TIMER},
    {0x20570500, "PERF_PRECISION_100NS_TIMER", F_TIMER},
    {0x20670500, "PERF_PRECISION_OBJECT_TIMER", F_TIMER},
    {0x20C20400, "PERF_SAMPLE_FRACTION", F_TIMER},
    {0x21410500, "PERF_COUNTER_TIMER_INV", F_TIMER_INV},
    {0x21510500, "PERF_100NSEC_TIMER_INV", F_TIMER_INV},
    {0x22410500, "PERF_COUNTER_MULTI_TIMER", F_MULTI},
    {0x22510500, "PERF_100NSEC_MULTI_TIMER", F_MULTI},
    {0x23410500, "PERF_COUNTER_MULTI_TIMER_INV", F_MULTI_INV},
    {0x23510500, "PERF_100NSEC_MULTI_TIMER_INV", F_MULTI_INV},
    {0x00450400, "PERF_COUNTER_QUEUELEN_TYPE", F_QUEUE},
    {0x00450500, "PERF_COUNTER_LARGE_QUEUELEN_TYPE", F_QUEUE},
    {0x00550500, "PERF_COUNTER_100NS_QUEUELEN_TYPE", F_QUEUE},
    {0x00650500, "PERF_COUNTER_OBJ_TIME_QUEUELEN_TYPE", F_QUEUE},
    {0x40020500, "PERF_AVERAGE_BULK", F_AVG},
    {0x30020400, "PERF_AVERAGE_TIMER", F_AVG_TIMER},
    {0x00400400, "PERF_COUNTER_DELTA", F_DELTA},
    {0x00400500, "PERF_COUNTER_LARGE_DELTA", F_DELTA},
    {0x30240500, "PERF_ELAPSED_TIME", F_ELAPSED},
    {0x40030401, "PERF_SAMPLE_BASE", F_NONE},
    {0x40030402, "PERF_AVERAGE_BASE", F_NONE},
    {0x40030403, "PERF_RAW_BASE", F_NONE},
    {0x40030500, "PERF_LARGE_RAW_BASE", F_NONE},
    {0x42030500, "PERF_COUNTER_MULTI_BASE", F_NONE},
    {0x40000200, "PERF_COUNTER_NODATA", F_NONE},
    {0x00000B00, "PERF_COUNTER_TEXT", F_NONE},
    {0x80000000, "PERF_COUNTER_HISTOGRAM_TYPE", F_NONE},
};

int perfcalc_find(uint32_t type) {
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    if (types[i].type == type)
      return (int)i;
  return -1;
}

const char *perfcalc_type_name(uint32_t type) {
  int i = perfcalc_find(type);
  return i < 0 ? NULL : types[i].name;
}

static enum perfcalc_kind kind_of(enum formula f) {
  switch (f) {
  case F_RAW:
  case F_RAW_1000:
  case F_FRACTION:
  case F_ELAPSED:
    return PERFCALC_RAW;
  case F_NONE:
    return PERFCALC_NONE;
  default:
    return PERFCALC_TWO;
  }
}

enum perfcalc_kind perfcalc_kind(uint32_t type) {
  int i = perfcalc_find(type);
  return i < 0 ? PERFCALC_UNKNOWN : kind_of(types[i].f);
}

static double cap100(double v) { return v < 0 ? 0 : v > 100 ? 100 : v; }

static double one_sample(enum formula f, int64_t freq, const struct perf_raw *c) {
  switch (f) {
  case F_RAW:
    return (double)c->first;
  case F_RAW_1000:
    return (double)c->first / 1000.0;
  case F_FRACTION:
    return c->second == 0 ? NAN : (double)c->first / (double)c->second * 100.0;
  case F_ELAPSED:
    return freq <= 0 || c->second < c->first ? NAN
                                              : (double)(c->second - c->first) / (double)freq;
  default:
    return NAN;
  }
}

double perfcalc_value(uint32_t type, int64_t freq, const struct perf_raw *cur,
                      const struct perf_raw *prev) {
  return perfcalc_eval(perfcalc_find(type), freq, cur, prev);
}

double perfcalc_eval(int formula, int64_t freq, const struct perf_raw *cur,
                     const struct perf_raw *prev) {
  if (formula < 0 || (size_t)formula >= sizeof types / sizeof types[0])
    return NAN;
  enum formula f = types[formula].f;
  if (kind_of(f) == PERFCALC_RAW)
    return one_sample(f, freq, cur);
  if (!prev || f == F_NONE)
    return NAN;
  /* Differences in 64-bit integers, exact, before any rounding to double;
   * unsigned so that a wild pair cannot overflow. */
  double dn = (double)(int64_t)((uint64_t)cur->first - (uint64_t)prev->first);
  double dd = (double)(int64_t)((uint64_t)cur->second - (uint64_t)prev->second);
  if (f == F_DELTA)
    return dn;
  if (dn < 0)
    return NAN; /* a count went backwards: a restarted counter */
  if (f == F_AVG || f == F_AVG_TIMER) {
    if (dd < 0 || (f == F_AVG_TIMER && freq <= 0))
      return NAN;
    if (dd == 0)
      return 0;
    return f == F_AVG ? dn / dd : dn / (double)freq / dd;
  }
  if (dd <= 0)
    return NAN;
  switch (f) {
  case F_RATE:
    return freq <= 0 ? NAN : dn / (dd / (double)freq);
  case F_TIMER:
    return cap100(dn / dd * 100.0);
  case F_TIMER_INV:
    return cap100((1.0 - dn / dd) * 100.0);
  case F_MULTI:
    return cur->multi == 0 ? NAN : dn / dd * 100.0 / (double)cur->multi;
  case F_MULTI_INV: {
    double v = ((double)cur->multi - dn / dd) * 100.0;
    return v < 0 ? 0 : v;
  }
  case F_QUEUE:
    return dn / dd;
  default:
    return NAN;
  }
}
