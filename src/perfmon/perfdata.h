/* perfdata — perflib's own snapshot of performance objects, the
 * PERF_DATA_BLOCK of winperf.h, as Vista's .blg logs store a whole object
 * (`Process(*)\*`) per sample: the block's header and clocks, then per
 * object its PERF_OBJECT_TYPE, its PERF_COUNTER_DEFINITIONs, and per
 * instance a PERF_INSTANCE_DEFINITION with its name and PERF_COUNTER_BLOCK
 * (or one counter block when the object has no instances).
 *
 * A view into bytes the caller owns: every length and offset is checked
 * against the part that holds it, so a damaged block is an error with the
 * offset (from the block's start) where it stops making sense. It also says
 * which raw pair PDH takes from a counter (its value, and the base or clock
 * its type asks for) for perfcalc to turn into a displayed value. No I/O. */
#ifndef LEAKSLOPE_PERFDATA_H
#define LEAKSLOPE_PERFDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perfmon/perfcalc.h"

struct perfdata_block {
  const unsigned char *p;
  size_t n;                   /* TotalByteLength, within the bytes given */
  uint32_t nobjects;
  size_t first_object;        /* HeaderLength */
  int64_t time, freq, time100ns; /* PerfTime, PerfFreq, PerfTime100nSec */
};

struct perfdata_object {
  const unsigned char *p;
  size_t n;                   /* TotalByteLength */
  size_t at;                  /* its offset in the block */
  uint32_t title;             /* ObjectNameTitleIndex */
  uint32_t ncounters;
  int32_t ninstances;         /* -1 (PERF_NO_INSTANCES): one counter block */
  uint32_t codepage;          /* 0: instance names in UTF-16LE */
  int64_t time, freq;         /* the object's own clock (PERF_OBJECT_TIMER) */
  size_t defs, data;          /* offsets of the definitions, the instances */
};

struct perfdata_counter {
  uint32_t title, type, size, offset;
};

struct perfdata_instance {
  const unsigned char *name;  /* NameLength bytes, NUL included (NULL: none) */
  size_t name_len;
  uint32_t parent_title, parent_instance;
  const unsigned char *data;  /* the PERF_COUNTER_BLOCK, ByteLength first */
  size_t data_len;
};

/* Where a view failed: the offset from the block's start, and why. */
struct perfdata_error {
  size_t at;
  const char *what;
};

int perfdata_block(const unsigned char *p, size_t n, struct perfdata_block *b,
                   struct perfdata_error *err);

/* The object at offset `at` of the block (the first is at b->first_object;
 * the next at at + o->n). */
int perfdata_object(const struct perfdata_block *b, size_t at, struct perfdata_object *o,
                    struct perfdata_error *err);

/* Counter definition m of the object (m < o->ncounters). Call in order:
 * *at starts at o->defs and moves past each definition. */
int perfdata_counter(const struct perfdata_object *o, size_t *at, struct perfdata_counter *c,
                     struct perfdata_error *err);

/* The next instance: *at starts at o->data and moves past each; for an
 * object without instances the one counter block, with no name. */
int perfdata_instance(const struct perfdata_object *o, size_t *at,
                      struct perfdata_instance *in, struct perfdata_error *err);

/* PDH's raw pair for counter m of the definitions defs[0..n) in one
 * counter block: FirstValue from the counter, SecondValue the base (the
 * definition after it, for fractions, averages and precision timers) or
 * the clock its timer bits name (the block's ticks, its 100 ns time, or the
 * object's own), MultiCount the base of a multi-timer; *freq the ticks per
 * second of that clock. false when the type has no value of its own (a
 * base, text) or the counter lies outside its block. */
bool perfdata_raw(const struct perfdata_block *b, const struct perfdata_object *o,
                  const struct perfdata_counter *defs, size_t n, size_t m,
                  const struct perfdata_instance *in, struct perf_raw *raw, int64_t *freq);

#endif
