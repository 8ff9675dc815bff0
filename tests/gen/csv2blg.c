/* csv2blg — write a PDH-CSV log of raw counts as a binary perfmon log
 * (.blg), in the layout leakslope's reader decodes (formats/README-perfmon.md,
 * "Binary logs"): a trace header with the zone, PDH's counter list, one
 * sample event per row, one PERF_COUNTER_LARGE_RAWCOUNT record per column.
 *
 *   csv2blg [-b BUFFER_BYTES] [-w] [-a ROW | -A ROW] IN.csv OUT.blg
 *
 * -w writes the columns of one object and counter as one wildcard entry
 * (`Process(*)\Private Bytes`, one record of instances per sample, as a Data
 * Collector Set logs them); an instance whose cell is blank is left out of
 * that sample's record, as when the process is not running. *
 * -a ROW writes the counter list again before data row ROW (1-based), as a
 * log appended to with the same counters; -A ROW writes there a list of
 * other counters (the first entry left out), and the rows after it as
 * before. *
 * BUFFER_BYTES (a power of two, 4096 to 65536; default 65536, as perfmon
 * writes) makes small logs for the fuzz target's seeds.
 * For test data and samples we can ship: the CSV's blank cells become the
 * status PDH_CSTATUS_NO_INSTANCE, every other cell must be an integer (a
 * memory counter, a pid). The bytes depend only on the CSV. Not a converter
 * for real logs: rates and fractions are not written. */
#include "config.h"
#include "perfmon/pdh.h"
#include "util/diag.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUFMAX 0x10000
#define HEAD 0x48
#define FILETIME_UNIX_EPOCH INT64_C(116444736000000000)
#define RAW_LARGE 0x00010100u
#define NO_INSTANCE 0x800007D1u

static const unsigned char PDH_GUID[16] = {0xb3, 0x3b, 0x3f, 0x93, 0x3e, 0x94,
                                           0x0d, 0x49, 0x9c, 0xed, 0x3c, 0xbb,
                                           0x14, 0xc1, 0x44, 0x79};

static unsigned char buf[BUFMAX];
static size_t BUFSZ = BUFMAX;
static size_t used;
static FILE *out;
static unsigned nbuf;

static void put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}
static void put64(unsigned char *p, uint64_t v) {
  put32(p, (uint32_t)v);
  put32(p + 4, (uint32_t)(v >> 32));
}

static void flush_buffer(void) {
  put32(buf, (uint32_t)BUFSZ);
  put32(buf + 4, (uint32_t)used);
  put32(buf + 0x30, (uint32_t)used);
  put32(buf + 0x18, nbuf++); /* sequence */
  memset(buf + used, 0xFF, BUFSZ - used);
  fwrite(buf, 1, BUFSZ, out);
  memset(buf, 0, sizeof buf);
  used = HEAD;
}

/* Room for an event of n bytes in the current buffer. */
static unsigned char *event_space(size_t n) {
  size_t a = (n + 7) & ~(size_t)7;
  if (a > BUFSZ - HEAD) {
    fprintf(stderr, "csv2blg: a sample of %zu bytes does not fit in a buffer\n", n);
    exit(70);
  }
  if (used + a > BUFSZ)
    flush_buffer();
  unsigned char *p = buf + used;
  memset(p, 0, a);
  used += a;
  return p;
}

/* UTF-8 (ASCII expected) as UTF-16LE with its NUL; returns bytes written. */
static size_t put_wstr(unsigned char *p, const char *s) {
  size_t n = 0;
  for (; *s; s++, n += 2)
    put16(p + n, (unsigned char)*s);
  put16(p + n, 0);
  return n + 2;
}

static size_t wlen(const char *s) { return s ? 2 * strlen(s) + 2 : 0; }

static void trace_header(const char *zone, long bias, int64_t ft) {
  unsigned char *e = event_space(0x20 + 0x118);
  put16(e, 2);
  e[2] = 2;    /* SYSTEM64 */
  e[3] = 0xC0;
  put16(e + 4, 0x20 + 0x118);
  put64(e + 0x10, (uint64_t)ft);
  unsigned char *lf = e + 0x20;
  put32(lf, (uint32_t)BUFSZ);
  lf[4] = 10; /* version 10.0 */
  put32(lf + 0x0c, 1);
  put32(lf + 0x2c, 8); /* pointer size */
  unsigned char *tz = lf + 0x48;
  put32(tz, (uint32_t)bias);
  char name[32];
  snprintf(name, sizeof name, "%s", zone ? zone : "");
  put_wstr(tz + 4, name);
  put_wstr(tz + 88, name);
  put64(lf + 0x100, 10000000); /* perf frequency */
  flush_buffer();
}

static unsigned char *pdh_event(size_t payload, int cls, int64_t ft) {
  unsigned char *e = event_space(HEAD + payload);
  put16(e, (unsigned)(HEAD + payload));
  e[2] = 0x14; /* FULL_HEADER64 */
  e[3] = 0xC0;
  e[4] = (unsigned char)cls;
  put16(e + 6, 0x3c);
  put64(e + 0x10, (uint64_t)ft);
  memcpy(e + 0x18, PDH_GUID, 16);
  put32(e + 0x40, 1); /* chunk 1 of 1 */
  put32(e + 0x44, 1);
  return e + HEAD;
}

/* One entry of the list: a column, or (-w) the columns of one object and
 * counter across its instances, written as a wildcard. */
struct gent {
  size_t col;      /* the first column */
  bool wild;
  size_t *members; /* the columns of a wildcard */
  size_t nmem;
};
static struct gent *ents;
static size_t nents;

static bool same_group(const struct pdh_counter *a, const struct pdh_counter *b) {
  return a->instance && b->instance && strcmp(a->object, b->object) == 0 &&
         strcmp(a->counter, b->counter) == 0 &&
         strcmp(a->machine ? a->machine : "", b->machine ? b->machine : "") == 0;
}

static void make_entries(const struct pdh_counter *c, size_t n, bool wild) {
  for (size_t i = 0; i < n; i++) {
    size_t e = 0;
    while (wild && e < nents && !(ents[e].wild && same_group(&c[ents[e].col], &c[i])))
      e++;
    if (!wild || e == nents) {
      ents = realloc(ents, (nents + 1) * sizeof *ents);
      ents[nents] = (struct gent){i, wild && c[i].instance, NULL, 0};
      e = nents++;
    }
    if (ents[e].wild) {
      ents[e].members = realloc(ents[e].members, (ents[e].nmem + 1) * sizeof(size_t));
      ents[e].members[ents[e].nmem++] = i;
    }
  }
}

/* The instance as written in the list: with its #index; "*" for a wildcard. */
static void instance_of(const struct gent *g, const struct pdh_counter *c, char *dst, size_t n) {
  if (g->wild)
    snprintf(dst, n, "*");
  else if (c->index)
    snprintf(dst, n, "%s#%ld", c->instance, c->index);
  else
    snprintf(dst, n, "%s", c->instance);
}

static size_t entry_size(const struct gent *g, const struct pdh_counter *c) {
  char inst[600] = "";
  if (c->instance)
    instance_of(g, c, inst, sizeof inst);
  size_t n = 0x34 + (c->machine ? 2 * (strlen(c->machine) + 2) + 2 : 0) + wlen(c->object) +
             (c->instance ? wlen(inst) : 0) + wlen(c->counter);
  return (n + 7) & ~(size_t)7;
}

static void counter_list(const struct pdh_counter *cs, int64_t ft) {
  size_t total = 8;
  for (size_t i = 0; i < nents; i++)
    total += entry_size(&ents[i], &cs[ents[i].col]);
  unsigned char *p = pdh_event(total, 0x20, ft);
  put32(p, 0x6ff);
  put16(p + 4, 8);
  put16(p + 6, 2);
  size_t q = 8;
  for (size_t i = 0; i < nents; i++) {
    const struct pdh_counter *c = &cs[ents[i].col];
    unsigned char *en = p + q, *s = en + 0x34;
    size_t o = 0;
    put32(en, (uint32_t)entry_size(&ents[i], c));
    put32(en + 4, ents[i].wild ? 1 : 0);
    put32(en + 8, (uint32_t)i);
    put32(en + 0x0c, RAW_LARGE);
    put64(en + 0x10, 10000000);
    put32(en + 0x1c, c->machine ? 0 : 0xFFFFFFFFu);
    if (c->machine) {
      char machine[300];
      snprintf(machine, sizeof machine, "\\\\%s", c->machine);
      o += put_wstr(s + o, machine);
    }
    put32(en + 0x20, (uint32_t)o);
    o += put_wstr(s + o, c->object);
    put32(en + 0x24, c->instance ? (uint32_t)o : 0xFFFFFFFFu);
    if (c->instance) {
      char inst[600];
      instance_of(&ents[i], c, inst, sizeof inst);
      o += put_wstr(s + o, inst);
    }
    put32(en + 0x28, 0xFFFFFFFFu);
    put32(en + 0x30, (uint32_t)o);
    put_wstr(s + o, c->counter);
    q += entry_size(&ents[i], c);
  }
}

static int64_t raw_count(double v) {
  if (v != floor(v) || fabs(v) > 9e18) {
    fprintf(stderr, "csv2blg: %g is not a raw count\n", v);
    exit(65);
  }
  return (int64_t)v;
}

/* A wildcard's record: the instances that have a value in this row (a
 * process not running is not in the record, as PDH writes it). */
static size_t multi_size(const struct gent *g, const struct pdh_counter *cs, const double *v) {
  size_t n = 0x20;
  for (size_t k = 0; k < g->nmem; k++)
    if (!isnan(v[g->members[k]]))
      n += 24 + wlen(cs[g->members[k]].instance);
  return (n + 7) & ~(size_t)7;
}

static void multi_record(unsigned char *r, const struct gent *g, const struct pdh_counter *cs,
                         const double *v, int64_t ft) {
  size_t sz = multi_size(g, cs, v), count = 0;
  for (size_t k = 0; k < g->nmem; k++)
    count += !isnan(v[g->members[k]]);
  memcpy(r, "BL\3\2", 4);
  put32(r + 4, (uint32_t)sz);
  put32(r + 8, (uint32_t)(sz - 8));
  put32(r + 0x0c, (uint32_t)count);
  put64(r + 0x18, (uint64_t)ft);
  size_t item = 0x20, name = 0x20 + 24 * count;
  for (size_t k = 0; k < g->nmem; k++) {
    size_t col = g->members[k];
    if (isnan(v[col]))
      continue;
    put32(r + item, (uint32_t)(name - 8));
    put32(r + item + 4, 1);
    put64(r + item + 8, (uint64_t)raw_count(v[col]));
    name += put_wstr(r + name, cs[col].instance);
    item += 24;
  }
}

static void sample(const struct pdh_counter *cs, const double *v, int64_t ft) {
  size_t total = 8;
  for (size_t i = 0; i < nents; i++)
    total += ents[i].wild ? multi_size(&ents[i], cs, v) : 0x30;
  unsigned char *p = pdh_event(total, 0x22, ft);
  memcpy(p, "BL\3\0", 4);
  put32(p + 4, (uint32_t)total);
  size_t at = 8;
  for (size_t i = 0; i < nents; i++) {
    unsigned char *r = p + at;
    if (ents[i].wild) {
      multi_record(r, &ents[i], cs, v, ft);
      at += multi_size(&ents[i], cs, v);
      continue;
    }
    double x = v[ents[i].col];
    memcpy(r, "BL\3\1", 4);
    put32(r + 4, 0x30);
    put64(r + 0x0c, (uint64_t)ft);
    put32(r + 0x28, 1);
    if (isnan(x))
      put32(r + 8, NO_INSTANCE);
    else
      put64(r + 0x18, (uint64_t)raw_count(x));
    at += 0x30;
  }
}

int main(int argc, char **argv) {
  bool wild = false, other = false;
  long again = 0;
  for (;;) {
    if (argc >= 4 && strcmp(argv[1], "-b") == 0) {
      BUFSZ = strtoul(argv[2], NULL, 10);
      argv += 2;
      argc -= 2;
    } else if (argc >= 4 && (strcmp(argv[1], "-a") == 0 || strcmp(argv[1], "-A") == 0)) {
      other = argv[1][1] == 'A';
      again = strtol(argv[2], NULL, 10);
      argv += 2;
      argc -= 2;
    } else if (argc >= 3 && strcmp(argv[1], "-w") == 0) {
      wild = true;
      argv++;
      argc--;
    } else {
      break;
    }
  }
  if (argc != 3 || BUFSZ < 4096 || BUFSZ > BUFMAX || (BUFSZ & (BUFSZ - 1))) {
    fprintf(stderr, "usage: csv2blg [-b BUFFER_BYTES] [-w] [-a ROW | -A ROW] IN.csv OUT.blg\n");
    return 2;
  }
  struct warnings w;
  struct diag d;
  warnings_init(&w);
  diag_init(&d);
  struct pdh_reader *r = pdh_open(argv[1], NULL, &w, &d);
  if (!r || !(out = fopen(argv[2], "wb"))) {
    char *m = r ? NULL : diag_format(&d);
    fprintf(stderr, "csv2blg: %s\n", m ? m : argv[2]);
    return r ? 73 : d.kind;
  }
  pdh_select_all(r);
  size_t n = pdh_counter_count(r);
  const struct pdh_counter *c = pdh_counters(r);
  used = HEAD;
  struct pdh_row row;
  int got, first = 1;
  long rows = 0;
  while ((got = pdh_next_row(r, &row, &d)) == 1) {
    int64_t ft = row.local * 10 + FILETIME_UNIX_EPOCH;
    if (first) {
      trace_header(pdh_timezone(r), pdh_header_bias(r), ft);
      make_entries(c, n, wild);
      counter_list(c, ft);
      first = 0;
    }
    if (++rows == again && other) { /* the list without its first entry */
      ents++;
      nents--;
      counter_list(c, ft);
      ents--;
      nents++;
    } else if (rows == again) {
      counter_list(c, ft);
    }
    sample(c, row.values, ft);
  }
  int rc = 0;
  if (got < 0) {
    char *m = diag_format(&d);
    fprintf(stderr, "csv2blg: %s\n", m);
    free(m);
    rc = d.kind;
  } else if (used > HEAD) {
    flush_buffer();
  }
  if (fclose(out) != 0)
    rc = 73;
  pdh_close(r);
  warnings_fini(&w);
  diag_fini(&d);
  return rc;
}
