/* Unit tests of the counter-type formulas: the raw pairs of the Windows 10
 * .blg's second sample against relog's CSV of it, bit for bit (the order of
 * operations matters), and the edges: a first sample, a restarted counter,
 * a time that does not move, an average whose base did not move, the 0..100
 * cap of percent timers, an unknown type. */
#include "config.h"
#include "perfmon/perfcalc.h"
#include "tap.h"

#include <math.h>
#include <string.h>

#define PERF_FREQ 2630633 /* the Win10 machine's performance counter */
#define NS100 10000000

static double two(uint32_t type, int64_t f, int64_t n0, int64_t d0, int64_t n1, int64_t d1) {
  struct perf_raw a = {n0, d0, 1}, b = {n1, d1, 1};
  return perfcalc_value(type, f, &b, &a);
}

static void test_oracle(void) {
  struct perf_raw frac = {3733930794, 4294967295, 1};
  ok(perfcalc_value(0x20020400, PERF_FREQ, &frac, NULL) == 86.93735103284412,
     "PERF_RAW_FRACTION: %% committed bytes in use, first sample, as relog");
  ok(two(0x10410500, PERF_FREQ, 3983296633, 2006530743703, 3983303676, 2006538643468) ==
         2345.3290343446924,
     "PERF_COUNTER_BULK_COUNT: bytes total/sec, as relog");
  ok(two(0x10410400, PERF_FREQ, 574088259, 2006530743703, 574088260, 2006538643468) ==
         0.33300142472592542,
     "PERF_COUNTER_COUNTER: cache faults/sec, as relog");
  ok(two(0x21510500, NS100, 4903144765625, 131246703908743382, 4903168515625,
         131246703938773618) == 20.913042441624498,
     "PERF_100NSEC_TIMER_INV: %% processor time, as relog");
  ok(two(0x20570500, NS100, 554043229430, 131246703908743382, 554043324478,
         131246703938773618) == 0.31650766913719891,
     "PERF_PRECISION_100NS_TIMER: %% disk time, as relog");
  struct perf_raw q = {0, 0, 1};
  ok(perfcalc_value(0x00010000, PERF_FREQ, &q, NULL) == 0,
     "PERF_COUNTER_RAWCOUNT: current disk queue length 0");
}

static void test_edges(void) {
  struct perf_raw c = {100, 1000, 1};
  ok(isnan(perfcalc_value(0x10410400, PERF_FREQ, &c, NULL)), "a rate's first sample is blank");
  ok(isnan(two(0x10410400, PERF_FREQ, 500, 10, 100, 20)), "a count that went back is blank");
  ok(isnan(two(0x10410400, PERF_FREQ, 100, 20, 200, 20)), "a time that did not move is blank");
  ok(two(0x40020500, 0, 1000, 7, 1000, 7) == 0, "PERF_AVERAGE_BULK with no new operation is 0");
  ok(two(0x40020500, 0, 1000, 7, 5000, 9) == 2000, "PERF_AVERAGE_BULK: 4000 bytes in 2 reads");
  ok(two(0x30020400, 1000, 0, 0, 3000, 2) == 1.5, "PERF_AVERAGE_TIMER: 3 s in 2 operations");
  ok(two(0x20510500, NS100, 0, 0, 150, 100) == 100, "a percent timer is capped at 100");
  ok(two(0x21510500, NS100, 0, 0, 150, 100) == 0, "an inverse timer is floored at 0");
  ok(two(0x00400500, 0, 10, 0, 4, 0) == -6, "a delta may be negative");
  ok(two(0x00550500, NS100, 0, 0, 5000000, 10000000) == 0.5, "a 100 ns queue length");
  struct perf_raw el = {NS100 * 5, NS100 * 65, 1};
  ok(perfcalc_value(0x30240500, NS100, &el, NULL) == 60, "PERF_ELAPSED_TIME: 60 s");
  ok(isnan(two(0x12345678, 0, 0, 0, 1, 1)) && perfcalc_kind(0x12345678) == PERFCALC_UNKNOWN &&
         !perfcalc_type_name(0x12345678),
     "an unknown type: no value, no name");
  is_str(perfcalc_type_name(0x10410500), "PERF_COUNTER_BULK_COUNT", "a type's name");
  ok(perfcalc_kind(0x40030403) == PERFCALC_NONE, "a base has no value of its own");
}

int main(void) {
  test_oracle();
  test_edges();
  return tap_done();
}
