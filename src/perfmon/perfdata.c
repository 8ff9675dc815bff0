/* perfdata — views into a PERF_DATA_BLOCK (see perfdata.h; the layout is
 * winperf.h's, as formats/README-perfmon.md lists it). The definitions'
 * pointer-sized name fields are 32-bit in every build of winperf.h (a DWORD
 * under _WIN64), so the offsets below hold for 32- and 64-bit writers. */
#include "config.h"
#include "perfmon/perfdata.h"

#include <string.h>

#define BLOCK_HEAD 0x58   /* PERF_DATA_BLOCK up to SystemNameOffset */
#define OBJECT_HEAD 0x40  /* PERF_OBJECT_TYPE */
#define COUNTER_DEF 0x28  /* PERF_COUNTER_DEFINITION */
#define INSTANCE_DEF 0x18 /* PERF_INSTANCE_DEFINITION before its name */

/* counter-type bits (winperf.h) */
#define SIZE_MASK 0x00000300u
#define SIZE_DWORD 0x00000000u
#define SIZE_LARGE 0x00000100u
#define TYPE_MASK 0x00000C00u
#define TYPE_COUNTER 0x00000400u
#define SUBTYPE_MASK 0x00070000u
#define COUNTER_FRACTION 0x00020000u
#define COUNTER_BASE 0x00030000u
#define COUNTER_PRECISION 0x00070000u
#define TIMER_MASK 0x00300000u
#define TIMER_100NS 0x00100000u
#define OBJECT_TIMER 0x00200000u
#define MULTI_COUNTER 0x02000000u

static uint32_t u32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static int64_t i64(const unsigned char *p) {
  return (int64_t)((uint64_t)u32(p) | (uint64_t)u32(p + 4) << 32);
}

static int fail(struct perfdata_error *err, size_t at, const char *what) {
  err->at = at;
  err->what = what;
  return -1;
}

int perfdata_block(const unsigned char *p, size_t n, struct perfdata_block *b,
                   struct perfdata_error *err) {
  static const unsigned char sig[8] = {'P', 0, 'E', 0, 'R', 0, 'F', 0};
  if (n < BLOCK_HEAD || memcmp(p, sig, sizeof sig) != 0)
    return fail(err, 0, "object snapshot without its PERF_DATA_BLOCK (expected \"PERF\")");
  size_t total = u32(p + 0x14), head = u32(p + 0x18);
  if (total > n || total < BLOCK_HEAD)
    return fail(err, 0x14, "PERF_DATA_BLOCK longer than its record");
  if (head < BLOCK_HEAD || head > total)
    return fail(err, 0x18, "PERF_DATA_BLOCK header longer than the block");
  *b = (struct perfdata_block){p, total, u32(p + 0x1c), head, i64(p + 0x38), i64(p + 0x40),
                               i64(p + 0x48)};
  return 0;
}

int perfdata_object(const struct perfdata_block *b, size_t at, struct perfdata_object *o,
                    struct perfdata_error *err) {
  if (at > b->n || b->n - at < OBJECT_HEAD)
    return fail(err, at, "PERF_OBJECT_TYPE cut short by the end of its block");
  const unsigned char *p = b->p + at;
  size_t total = u32(p), defs_end = u32(p + 4), head = u32(p + 8);
  if (total > b->n - at || total < OBJECT_HEAD)
    return fail(err, at, "PERF_OBJECT_TYPE longer than its block");
  if (head < OBJECT_HEAD || defs_end < head || defs_end > total)
    return fail(err, at + 4, "PERF_OBJECT_TYPE: its definitions do not fit in it");
  *o = (struct perfdata_object){p, total, at, u32(p + 0x0c), u32(p + 0x20),
                                (int32_t)u32(p + 0x28), u32(p + 0x2c), i64(p + 0x30),
                                i64(p + 0x38), head, defs_end};
  if ((size_t)o->ncounters > (defs_end - head) / COUNTER_DEF)
    return fail(err, at + 0x20, "PERF_OBJECT_TYPE: more counters than its definitions hold");
  if (o->ninstances < -1)
    return fail(err, at + 0x28, "PERF_OBJECT_TYPE: a negative instance count");
  return 0;
}

int perfdata_counter(const struct perfdata_object *o, size_t *at, struct perfdata_counter *c,
                     struct perfdata_error *err) {
  if (*at > o->data || o->data - *at < COUNTER_DEF)
    return fail(err, o->at + *at, "PERF_COUNTER_DEFINITION past the object's definitions");
  const unsigned char *p = o->p + *at;
  size_t len = u32(p);
  if (len < COUNTER_DEF || len > o->data - *at)
    return fail(err, o->at + *at, "PERF_COUNTER_DEFINITION of a wrong length");
  *c = (struct perfdata_counter){u32(p + 4), u32(p + 0x1c), u32(p + 0x20), u32(p + 0x24)};
  *at += len;
  return 0;
}

/* The PERF_COUNTER_BLOCK at *at: its length, within the object. */
static int counter_block(const struct perfdata_object *o, size_t *at,
                         struct perfdata_instance *in, struct perfdata_error *err) {
  if (*at > o->n || o->n - *at < 4)
    return fail(err, o->at + *at, "PERF_COUNTER_BLOCK cut short by the end of its object");
  size_t len = u32(o->p + *at);
  if (len < 4 || len > o->n - *at)
    return fail(err, o->at + *at, "PERF_COUNTER_BLOCK longer than its object");
  in->data = o->p + *at;
  in->data_len = len;
  *at += len;
  return 0;
}

int perfdata_instance(const struct perfdata_object *o, size_t *at,
                      struct perfdata_instance *in, struct perfdata_error *err) {
  *in = (struct perfdata_instance){0};
  if (o->ninstances < 0)
    return counter_block(o, at, in, err);
  if (*at > o->n || o->n - *at < INSTANCE_DEF)
    return fail(err, o->at + *at, "PERF_INSTANCE_DEFINITION cut short by the end of its object");
  const unsigned char *p = o->p + *at;
  size_t len = u32(p), name_at = u32(p + 0x10), name_len = u32(p + 0x14);
  if (len < INSTANCE_DEF || len > o->n - *at)
    return fail(err, o->at + *at, "PERF_INSTANCE_DEFINITION longer than its object");
  if (name_len && (name_at < INSTANCE_DEF || name_at > len || name_len > len - name_at))
    return fail(err, o->at + *at + 0x10, "PERF_INSTANCE_DEFINITION: its name lies outside it");
  in->parent_title = u32(p + 4);
  in->parent_instance = u32(p + 8);
  in->name = name_len ? p + name_at : NULL;
  in->name_len = name_len;
  *at += len;
  return counter_block(o, at, in, err);
}

/* A counter's value in the block: 32 bits (unsigned, as PDH widens a
 * DWORD) or 64. false when it has none or lies outside the block. */
static bool counter_value(const struct perfdata_counter *c, const struct perfdata_instance *in,
                          int64_t *v) {
  size_t width = (c->type & SIZE_MASK) == SIZE_DWORD   ? 4
                 : (c->type & SIZE_MASK) == SIZE_LARGE ? 8
                                                       : 0;
  if (!width || c->offset > in->data_len || in->data_len - c->offset < width)
    return false;
  const unsigned char *p = in->data + c->offset;
  *v = width == 4 ? (int64_t)u32(p) : i64(p);
  return true;
}

bool perfdata_raw(const struct perfdata_block *b, const struct perfdata_object *o,
                  const struct perfdata_counter *defs, size_t n, size_t m,
                  const struct perfdata_instance *in, struct perf_raw *raw, int64_t *freq) {
  const struct perfdata_counter *c = &defs[m];
  uint32_t sub = c->type & SUBTYPE_MASK;
  bool counter = (c->type & TYPE_MASK) == TYPE_COUNTER;
  if (counter && sub == COUNTER_BASE)
    return false;
  *raw = (struct perf_raw){0, 0, 1};
  if (!counter_value(c, in, &raw->first))
    return false;
  switch (c->type & TIMER_MASK) {
  case TIMER_100NS:
    raw->second = b->time100ns;
    *freq = 10000000;
    break;
  case OBJECT_TIMER:
    raw->second = o->time;
    *freq = o->freq;
    break;
  default:
    raw->second = b->time;
    *freq = b->freq;
  }
  /* a base is the definition that follows its counter (winperf.h) */
  bool needs_base = counter && (sub == COUNTER_FRACTION || sub == COUNTER_PRECISION);
  if (needs_base || (counter && (c->type & MULTI_COUNTER))) {
    int64_t base;
    if (m + 1 >= n || !counter_value(&defs[m + 1], in, &base))
      return false;
    if (needs_base)
      raw->second = base;
    else
      raw->multi = (uint32_t)base;
  }
  return true;
}
