/* Unit tests of the PERF_DATA_BLOCK views: a block built here by hand, as
 * winperf.h lays one out (one object, five definitions, two instances),
 * read back field by field; the raw pairs PDH takes from each counter type
 * (a DWORD count, a fraction over the base after it, a 100 ns timer, the
 * object's own clock for an elapsed time); a base has no value of its own;
 * and damaged lengths are errors at the offset of the field that lies. */
#include "config.h"
#include "perfmon/perfdata.h"
#include "tap.h"

#include <string.h>

static unsigned char blk[1024];

static void put32(size_t at, uint32_t v) {
  for (int i = 0; i < 4; i++)
    blk[at + (size_t)i] = (unsigned char)(v >> (8 * i));
}
static void put64(size_t at, uint64_t v) {
  put32(at, (uint32_t)v);
  put32(at + 4, (uint32_t)(v >> 32));
}

#define OBJ 0x68
#define DEFS (OBJ + 0x40)
#define NDEF 5
#define INST (DEFS + NDEF * 0x28)
#define IDEF 0x20 /* an instance: 0x18 bytes and a name of 8 */
#define CB 0x28   /* a counter block */

static const uint32_t types[NDEF] = {0x00010000, 0x20020400, 0x40030403, 0x20510500, 0x30240500};
static const uint32_t offs[NDEF] = {4, 8, 12, 16, 24};

/* Build the block; returns its length. */
static size_t build(void) {
  memset(blk, 0, sizeof blk);
  memcpy(blk, "P\0E\0R\0F\0", 8);
  size_t total = INST + 2 * (IDEF + CB);
  put32(0x14, (uint32_t)total);
  put32(0x18, OBJ);
  put32(0x1c, 1);
  put64(0x38, 1000);     /* PerfTime */
  put64(0x40, 100);      /* PerfFreq */
  put64(0x48, 5000000);  /* PerfTime100nSec */
  put32(OBJ, (uint32_t)(total - OBJ));
  put32(OBJ + 4, INST - OBJ);
  put32(OBJ + 8, 0x40);
  put32(OBJ + 0x0c, 230);
  put32(OBJ + 0x20, NDEF);
  put32(OBJ + 0x28, 2);
  put64(OBJ + 0x30, 90000000); /* the object's clock: 9 s in 100 ns */
  put64(OBJ + 0x38, 10000000);
  for (size_t m = 0; m < NDEF; m++) {
    size_t d = DEFS + m * 0x28;
    put32(d, 0x28);
    put32(d + 4, 100 + (uint32_t)m);
    put32(d + 0x1c, types[m]);
    put32(d + 0x20, (types[m] & 0x300) ? 8 : 4);
    put32(d + 0x24, offs[m]);
  }
  for (size_t j = 0; j < 2; j++) {
    size_t i = INST + j * (IDEF + CB), c = i + IDEF;
    put32(i, IDEF);
    put32(i + 0x0c, 0xFFFFFFFF);
    put32(i + 0x10, 0x18);
    put32(i + 0x14, 8);
    memcpy(blk + i + 0x18, j ? "b\0b\0b\0\0\0" : "a\0a\0a\0\0\0", 8);
    put32(c, CB);
    put32(c + 4, 0xFFFFFFF0u + (uint32_t)j); /* a DWORD above 2^31 */
    put32(c + 8, 30);
    put32(c + 12, 120);
    put64(c + 16, 2500000);
    put64(c + 24, 20000000); /* started at 2 s */
  }
  return total;
}

static void test_read(void) {
  size_t n = build();
  struct perfdata_block b;
  struct perfdata_object o;
  struct perfdata_error err = {0, NULL};
  ok(perfdata_block(blk, sizeof blk, &b, &err) == 0 && b.n == n && b.nobjects == 1 &&
         b.time == 1000 && b.freq == 100 && b.time100ns == 5000000,
     "the block's length, object count and three clocks");
  ok(perfdata_object(&b, b.first_object, &o, &err) == 0 && o.title == 230 &&
         o.ncounters == NDEF && o.ninstances == 2 && o.freq == 10000000,
     "its object: title 230, 5 counters, 2 instances, its own clock");
  struct perfdata_counter defs[NDEF];
  size_t at = o.defs;
  int rc = 0;
  for (size_t m = 0; m < NDEF; m++)
    rc |= perfdata_counter(&o, &at, &defs[m], &err);
  ok(rc == 0 && defs[3].title == 103 && defs[3].type == 0x20510500 && defs[4].offset == 24,
     "its five counter definitions");
  at = o.data;
  struct perfdata_instance in[2];
  rc = perfdata_instance(&o, &at, &in[0], &err) | perfdata_instance(&o, &at, &in[1], &err);
  ok(rc == 0 && in[1].name_len == 8 && memcmp(in[1].name, "b\0b\0b\0", 6) == 0 &&
         in[1].data_len == CB && at == o.n,
     "its two instances, named, each with its counter block, to the object's end");
  struct perf_raw raw;
  int64_t f = 0;
  ok(perfdata_raw(&b, &o, defs, NDEF, 0, &in[1], &raw, &f) && raw.first == 0xFFFFFFF1,
     "a DWORD count is widened unsigned, as PDH does");
  ok(perfdata_raw(&b, &o, defs, NDEF, 1, &in[0], &raw, &f) && raw.first == 30 &&
         raw.second == 120,
     "a raw fraction: the base is the definition after it");
  ok(!perfdata_raw(&b, &o, defs, NDEF, 2, &in[0], &raw, &f), "a base has no value of its own");
  ok(perfdata_raw(&b, &o, defs, NDEF, 3, &in[0], &raw, &f) && raw.first == 2500000 &&
         raw.second == 5000000 && f == 10000000,
     "a 100 ns timer: over the block's 100 ns time");
  ok(perfdata_raw(&b, &o, defs, NDEF, 4, &in[0], &raw, &f) && raw.second == 90000000 &&
         f == 10000000 && perfcalc_value(defs[4].type, f, &raw, NULL) == 7,
     "an elapsed time: the object's clock, 9 s - 2 s = 7 s");
  ok(!perfdata_raw(&b, &o, defs, 2, 1, &in[0], &raw, &f),
     "a fraction whose base is missing has no value");
}

static void test_damage(void) {
  struct perfdata_block b;
  struct perfdata_object o;
  struct perfdata_error err = {0, NULL};
  build();
  blk[0] = 'Q';
  ok(perfdata_block(blk, sizeof blk, &b, &err) < 0 && err.at == 0, "no \"PERF\": an error at 0");
  build();
  ok(perfdata_block(blk, 0x100, &b, &err) < 0 && err.at == 0x14,
     "a block longer than its record: an error at its length (0x14)");
  build();
  put32(OBJ + 0x20, 500);
  perfdata_block(blk, sizeof blk, &b, &err);
  ok(perfdata_object(&b, b.first_object, &o, &err) < 0 && err.at == OBJ + 0x20,
     "more counters than the definitions hold: an error at NumCounters");
  build();
  put32(INST + IDEF, 0x1000);
  perfdata_block(blk, sizeof blk, &b, &err);
  perfdata_object(&b, b.first_object, &o, &err);
  size_t at = o.data;
  struct perfdata_instance in;
  ok(perfdata_instance(&o, &at, &in, &err) < 0 && err.at == INST + IDEF,
     "a counter block longer than its object: an error at its length");
  build();
  put32(INST + 0x14, 0x40);
  perfdata_block(blk, sizeof blk, &b, &err);
  perfdata_object(&b, b.first_object, &o, &err);
  at = o.data;
  ok(perfdata_instance(&o, &at, &in, &err) < 0 && err.at == INST + 0x10,
     "an instance name outside its definition: an error at NameOffset");
  build();
  put32(DEFS + 0x24, CB - 2); /* the DWORD would straddle the block's end */
  perfdata_block(blk, sizeof blk, &b, &err);
  perfdata_object(&b, b.first_object, &o, &err);
  struct perfdata_counter c;
  at = o.defs;
  perfdata_counter(&o, &at, &c, &err);
  at = o.data;
  perfdata_instance(&o, &at, &in, &err);
  struct perf_raw raw;
  int64_t f;
  ok(!perfdata_raw(&b, &o, &c, 1, 0, &in, &raw, &f), "a counter past its block has no value");
}

int main(void) {
  test_read();
  test_damage();
  return tap_done();
}
