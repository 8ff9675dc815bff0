/* blg — the binary perfmon log reader (see blg.h and
 * formats/README-perfmon.md for the layout).
 *
 * Three layers, each checking its own lengths against the one above, so a
 * truncated or damaged file is an error at the byte where it stops making
 * sense, never a read out of bounds:
 *  - buffers: fixed-size trace buffers, each with a 0x48-byte header whose
 *    field at 0x30 says how many bytes are in use;
 *  - events in a buffer, 8-byte aligned: the trace header (time zone), then
 *    PDH's events: the counter list, and each sample in one or more chunks;
 *  - a sample: a "BL" record holding one record per counter of the list. */
#include "config.h"
#include "perfmon/blg.h"
#include "perfmon/perfcalc.h"
#include "perfmon/perfdata.h"
#include "perfmon/tzres.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BUF_HEADER 0x48
#define BUF_USED 0x30
#define EV_PAYLOAD 0x48        /* PDH's events: header, then payload */
#define SAMPLE_MAX ((size_t)256 * 1024 * 1024)
#define ENTRY_HEAD 0x34        /* a counter-list entry before its strings */
#define ITEM_SIZE 24           /* one instance of a wildcard record */
#define MAX_BIAS (24 * 60)
#define TITLES_MAX 1000000     /* entries of a name table (Vista has 2,300) */

/* PDH's provider GUID {933f3bb3-943e-490d-9ced-3cbb14c14479}, as stored. */
static const unsigned char PDH_GUID[16] = {0xb3, 0x3b, 0x3f, 0x93, 0x3e, 0x94,
                                           0x0d, 0x49, 0x9c, 0xed, 0x3c, 0xbb,
                                           0x14, 0xc1, 0x44, 0x79};

enum ev_class { EV_LIST = 0x20, EV_SAMPLE = 0x22, EV_TITLES = 0x24 };
enum rec_kind { REC_SAMPLE = 0, REC_SINGLE = 1, REC_MULTI = 2, REC_OBJECT = 5 };

/* A counter of a whole-object entry: one of its object's definitions that
 * has a value of its own (not a base), by its title index. */
struct snap_counter {
  uint32_t title, type;
  char *name;
};

/* One counter of the log's list. */
struct entry {
  uint32_t type;
  int64_t freq;
  char *machine, *object, *instance, *parent, *counter;
  bool multi;   /* instance "*": one record of many instances */
  bool object_snapshot; /* counter "*": whole perflib objects (Vista) */
  /* a whole object's counters (from its first snapshot) and whether it has
   * instances; its columns are counter-major: col0 + counter * nkeys + key */
  struct snap_counter *snap;
  size_t nsnap;
  bool have_snap, no_instances;
  char **keys;  /* a wildcard's instances, numbered, in order of appearance */
  size_t nkeys, last_key;
  size_t col0, ncols;
  /* the names of its last record, and where each of its items went: a
   * record named the same (the usual case) skips the names */
  unsigned char *sig;
  size_t sig_len;
  uint32_t sig_count, *sig_off;
  size_t *sig_col;
};

/* One column: an entry, or one instance of a wildcard entry, or one
 * counter of one instance of a whole-object entry. */
struct column {
  size_t entry;
  char *key; /* the numbered instance name for a wildcard entry */
  uint32_t type;
  int formula;  /* perfcalc_find(type), once */
  bool unknown; /* a type perfcalc does not know: blank, warned about */
  int64_t freq;
  const char *counter; /* its counter's name, owned by the entry */
  struct perf_raw prev; /* kept for selected columns only */
  bool have_prev;
};

struct blg_reader {
  struct input *in;
  struct warnings *w;
  const char *name;
  uint32_t bufsize;

  /* the current buffer */
  const unsigned char *buf;
  size_t used, pos;
  uint64_t buf_off;
  bool eof;

  bool have_tz;
  long bias;
  char *zone, *std_name, *dst_name;
  unsigned char tzi[172];

  struct entry *entries;
  size_t nentries;
  bool have_list;
  struct column *cols;
  struct pdh_counter *counters;
  size_t ncols;
  /* the columns converted (blg_select): the others are only walked over;
   * `touch` also marks a column of an unknown type (for its warning) */
  bool *want, *touch;
  size_t *wanted, nwanted;
  /* per entry, for decode_sample's walk: QUICK_NONE (a wildcard or a whole
   * object: the general path), QUICK_SKIP (one counter, not converted),
   * QUICK_TOUCH (one counter, converted); rebuilt when nquick is stale */
  unsigned char *quick;
  size_t nquick;
  bool scanning; /* collecting the wildcards' instances, no values */

  /* the machine's counter-name table (Vista: class 0x24), for whole objects */
  struct title {
    uint32_t index;
    char *name;
  } *titles;
  size_t ntitles;
  bool titles_sorted;

  /* the sample: `data`, pointing into the trace buffer when it is one
   * event (the usual case: no copy), else into `sample`, where its chunks
   * are assembled; and where each chunk came from */
  const unsigned char *data;
  unsigned char *sample;
  size_t slen, scap;
  uint32_t chunk_next, chunk_count;
  usec_t stime;
  uint64_t *chunk_off;  /* file offset of chunk k's payload */
  size_t *chunk_start;  /* its offset in the sample */
  size_t nchunks, chunk_cap;
  bool pending; /* a whole sample is assembled, not yet returned */
  long nsamples;

  size_t bad_cells, bad_samples;
  long first_bad;
  uint32_t first_status;
  bool list_changed; /* an appended list with other counters: no more samples */
  bool warned_kind, warned_new, warned_type,
      warned_parent, warned_titles, reported;
};

/* ---- little-endian fields ----------------------------------------------- */

static inline uint16_t u16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t u32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline int64_t i64(const unsigned char *p) {
  return (int64_t)((uint64_t)u32(p) | (uint64_t)u32(p + 4) << 32);
}
static inline long i32(const unsigned char *p) { return (long)(int32_t)u32(p); }

bool blg_sniff(const unsigned char *b, size_t n) {
  if (n < 4)
    return false;
  uint32_t size = u32(b);
  return size >= 4096 && size <= 64u * 1024 * 1024 && (size & (size - 1)) == 0;
}

static int bad(struct blg_reader *r, uint64_t off, struct diag *d, const char *what) {
  return diag_set_at_offset(d, DIAG_DATA, r->name, (long)off, "%s", what);
}

/* The UTF-16LE p[0..len) (len even) as UTF-8. */
static char *utf16_convert(const unsigned char *p, size_t len) {
  char *s = xmalloc(len / 2 * 3 + 1), *o = s;
  for (size_t i = 0; i < len; i += 2) {
    uint32_t c = u16(p + i);
    if (c >= 0xD800 && c < 0xDC00 && i + 2 < len && u16(p + i + 2) >= 0xDC00 &&
        u16(p + i + 2) < 0xE000) {
      c = 0x10000 + ((c - 0xD800) << 10) + (u16(p + i + 2) - 0xDC00u);
      i += 2;
    } else if (c >= 0xD800 && c < 0xE000) {
      c = 0xFFFD; /* a lone surrogate */
    }
    if (c < 0x80) {
      *o++ = (char)c;
    } else if (c < 0x800) {
      *o++ = (char)(0xC0 | c >> 6);
      *o++ = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      *o++ = (char)(0xE0 | c >> 12);
      *o++ = (char)(0x80 | (c >> 6 & 0x3F));
      *o++ = (char)(0x80 | (c & 0x3F));
    } else {
      *o++ = (char)(0xF0 | c >> 18);
      *o++ = (char)(0x80 | (c >> 12 & 0x3F));
      *o++ = (char)(0x80 | (c >> 6 & 0x3F));
      *o++ = (char)(0x80 | (c & 0x3F));
    }
  }
  *o = '\0';
  return s;
}

/* Length in bytes of the UTF-16LE string in p[0..n) before its NUL (n
 * when there is none). */
static size_t utf16_len(const unsigned char *p, size_t n) {
  size_t len = 0;
  while (len + 1 < n && (p[len] || p[len + 1]))
    len += 2;
  return len + 1 < n ? len : n;
}

/* UTF-16LE, NUL-terminated within p[0..n), as UTF-8; NULL when no NUL. */
static char *utf16_string(const unsigned char *p, size_t n) {
  size_t len = utf16_len(p, n);
  return len == n ? NULL : utf16_convert(p, len);
}

/* ---- buffers and events --------------------------------------------------- */

static int next_buffer(struct blg_reader *r, struct diag *d) {
  uint64_t off = input_raw_offset(r->in);
  const unsigned char *b;
  long n = input_read_raw(r->in, r->bufsize, &b, d);
  if (n < 0)
    return -1;
  if (n == 0) {
    r->eof = true;
    return 0;
  }
  if ((size_t)n < r->bufsize) {
    char *m = xasprintf("the log ends inside a trace buffer (%ld of its %u bytes; "
                        "the file is truncated)", n, (unsigned)r->bufsize);
    bad(r, off + (uint64_t)n, d, m);
    free(m);
    return -1;
  }
  uint32_t used = u32(b + BUF_USED);
  if (u32(b) != r->bufsize || used < BUF_HEADER || used > r->bufsize) {
    char *m = u32(b) != r->bufsize
                  ? xasprintf("trace buffer of %u bytes (expected %u, as the first)", (unsigned)u32(b),
                              (unsigned)r->bufsize)
                  : xasprintf("trace buffer says %u of its bytes are in use (expected 0x48 "
                              "to %u)", (unsigned)used, (unsigned)r->bufsize);
    bad(r, off + (u32(b) != r->bufsize ? 0 : BUF_USED), d, m);
    free(m);
    return -1;
  }
  r->buf = b;
  r->buf_off = off;
  r->used = used;
  r->pos = BUF_HEADER;
  return 1;
}

struct event {
  const unsigned char *p;
  size_t size;
  uint64_t off;
  bool system; /* a kernel-style header (the trace header) */
};

/* Next event of the log. 1 with one, 0 at the end, -1 with d filled. */
static int next_event(struct blg_reader *r, struct event *e, struct diag *d) {
  for (;;) {
    if (r->eof)
      return 0;
    if (!r->buf || r->pos + 4 > r->used || u32(r->buf + r->pos) == 0xFFFFFFFF) {
      int got = next_buffer(r, d);
      if (got <= 0)
        return got;
      continue;
    }
    const unsigned char *p = r->buf + r->pos;
    uint8_t type = p[2];
    e->system = type == 1 || type == 2;
    e->size = e->system ? (r->pos + 8 <= r->used ? u16(p + 4) : 0) : u16(p);
    e->p = p;
    e->off = r->buf_off + r->pos;
    if (e->size < 8 || e->size > r->used - r->pos) {
      char *m = xasprintf("event of %zu bytes (expected 8 to the %zu left in its buffer)",
                          e->size, r->used - r->pos);
      bad(r, e->off, d, m);
      free(m);
      return -1;
    }
    r->pos += (e->size + 7) & ~(size_t)7;
    return 1;
  }
}

/* ---- the trace header: the time zone ------------------------------------ */

/* The Nth wday (5: the last) of month mo in year y at h:mi, as local µs. */
static usec_t rule_time(int64_t y, const unsigned char *st) {
  unsigned mo = u16(st + 2), wday = u16(st + 4), nth = u16(st + 6);
  unsigned h = u16(st + 8), mi = u16(st + 10);
  int64_t first = days_from_civil(y, mo, 1);
  int64_t w0 = ((first % 7) + 7 + 4) % 7; /* 1970-01-01 was a Thursday */
  int64_t day = 1 + ((int64_t)wday - w0 + 7) % 7 + 7 * ((int64_t)nth - 1);
  unsigned dim = mo == 12 ? 31 : (unsigned)(days_from_civil(y, mo + 1, 1) - first);
  while (day > (int64_t)dim)
    day -= 7;
  return time_from_fields(y, mo, (unsigned)day, h > 23 ? 23 : h, mi > 59 ? 59 : mi, 0, 0);
}

static bool rule_ok(const unsigned char *st) {
  unsigned mo = u16(st + 2), wday = u16(st + 4), nth = u16(st + 6);
  return mo >= 1 && mo <= 12 && wday <= 6 && nth >= 1 && nth <= 5 && u16(st) == 0;
}

/* The bias and name at local time t, by the zone's yearly rules. */
static void apply_zone(struct blg_reader *r, usec_t t) {
  const unsigned char *z = r->tzi;
  long bias = i32(z), std_bias = i32(z + 84), dst_bias = i32(z + 168);
  const unsigned char *std_date = z + 68, *dst_date = z + 152;
  bool dst = false;
  if (rule_ok(std_date) && rule_ok(dst_date)) {
    int64_t y, dd = t / USEC_PER_DAY - (t % USEC_PER_DAY < 0);
    unsigned mo, dy;
    civil_from_days(dd, &y, &mo, &dy);
    usec_t on = rule_time(y, dst_date), off = rule_time(y, std_date);
    dst = on < off ? t >= on && t < off : !(t >= off && t < on);
  }
  r->bias = bias + (dst ? dst_bias : std_bias);
  free(r->zone);
  r->zone = xstrdup(dst ? r->dst_name : r->std_name);
}

/* A name stored as a resource reference (Vista and later) becomes the name
 * relog prints, where tzres knows it; an unknown one stays as stored. */
static void resolve_name(char **name, long bias, long daylight_bias) {
  const char *known = tzres_name(*name, bias, daylight_bias);
  if (known) {
    free(*name);
    *name = xstrdup(known);
  }
}

static void warn_zone_name(struct blg_reader *r) {
  if (!r->have_tz || !tzres_is_reference(r->zone))
    return;
  warnings_add(r->w, "blg-zone-name", r->name, 0,
               "the log names its time zone '%s', a reference into Windows's own "
               "tzres.dll that leakslope cannot resolve (it knows the Pacific and "
               "Eastern zones); the bias, %ld minutes, comes from the zone's rules in "
               "the log and is exact; the name is shown as stored",
               r->zone, r->bias);
}

static int trace_header(struct blg_reader *r, const struct event *e, struct diag *d) {
  if (u16(e->p + 6) != 0 || r->have_tz)
    return 0; /* another kernel event: not ours */
  const unsigned char *lf = e->p + 0x20;
  size_t avail = e->size - 0x20;
  if (e->size < 0x20 + 0x30)
    return bad(r, e->off, d, "trace header too short for its fields");
  uint32_t ptr = u32(lf + 0x2c);
  if (ptr != 4 && ptr != 8) {
    char *m = xasprintf("trace header gives a pointer size of %u (expected 4 or 8)",
                        (unsigned)ptr);
    bad(r, e->off + 0x20 + 0x2c, d, m);
    free(m);
    return -1;
  }
  size_t tz = 0x38 + 2 * (size_t)ptr;
  if (avail < tz + sizeof r->tzi)
    return bad(r, e->off, d, "trace header too short for its time zone");
  memcpy(r->tzi, lf + tz, sizeof r->tzi);
  long b = i32(r->tzi), sb = i32(r->tzi + 84), db = i32(r->tzi + 168);
  if (labs(b) > MAX_BIAS || labs(sb) > 120 || labs(db) > 120) {
    char *m = xasprintf("time zone with bias %ld, standard %ld, daylight %ld minutes "
                        "(expected at most 24 h, and 2 h either side)", b, sb, db);
    bad(r, e->off + 0x20 + tz, d, m);
    free(m);
    return -1;
  }
  r->std_name = utf16_string(r->tzi + 4, 64);
  r->dst_name = utf16_string(r->tzi + 88, 64);
  if (!r->std_name)
    r->std_name = xstrdup("");
  if (!r->dst_name)
    r->dst_name = xstrdup("");
  resolve_name(&r->std_name, b, db);
  resolve_name(&r->dst_name, b, db);
  r->have_tz = true;
  r->bias = i32(r->tzi);
  r->zone = xstrdup(r->std_name);
  return 0;
}

/* ---- the counter list ------------------------------------------------------ */

static void entry_fini(struct entry *e) {
  for (size_t i = 0; i < e->nkeys; i++)
    free(e->keys[i]);
  free(e->keys);
  free(e->sig);
  free(e->sig_off);
  free(e->sig_col);
  for (size_t i = 0; i < e->nsnap; i++)
    free(e->snap[i].name);
  free(e->snap);
  free(e->machine);
  free(e->object);
  free(e->instance);
  free(e->parent);
  free(e->counter);
}

/* String at offset `o` (-1: none) of an entry's string area s[0..n). */
static int entry_string(const unsigned char *s, size_t n, long o, char **out) {
  *out = NULL;
  if (o == -1)
    return 0;
  if (o < 0 || (size_t)o >= n || !(*out = utf16_string(s + o, n - (size_t)o)))
    return -1;
  return 0;
}

static int parse_entry(struct blg_reader *r, const unsigned char *p, size_t n, uint64_t off,
                       struct diag *d) {
  struct entry e = {0};
  e.type = u32(p + 0x0c);
  e.freq = i64(p + 0x10);
  const unsigned char *s = p + ENTRY_HEAD;
  size_t sn = n - ENTRY_HEAD;
  static const size_t at[] = {0x1c, 0x20, 0x24, 0x28, 0x30};
  char **dst[] = {&e.machine, &e.object, &e.instance, &e.parent, &e.counter};
  for (size_t i = 0; i < 5; i++)
    if (entry_string(s, sn, i32(p + at[i]), dst[i]) < 0) {
      entry_fini(&e);
      return bad(r, off + at[i], d, "counter-list entry: a name's offset lies outside it");
    }
  if (!e.object || !e.counter) {
    entry_fini(&e);
    return bad(r, off, d, "counter-list entry without an object or counter name");
  }
  e.object_snapshot = strcmp(e.counter, "*") == 0;
  e.multi = e.instance && strcmp(e.instance, "*") == 0 && !e.object_snapshot;
  r->entries = xreallocarray(r->entries, r->nentries + 1, sizeof *r->entries);
  r->entries[r->nentries++] = e;
  return 0;
}

static bool same_string(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_entry(const struct entry *a, const struct entry *b) {
  return a->type == b->type && same_string(a->machine, b->machine) &&
         same_string(a->object, b->object) && same_string(a->instance, b->instance) &&
         same_string(a->parent, b->parent) && same_string(a->counter, b->counter);
}

/* A list after the first (a log appended to: logman -a): the same counters
 * are read on; other ones would put the samples after it into the wrong
 * columns, so those samples are left out, with a warning. */
static void list_again(struct blg_reader *r, size_t first, uint64_t off) {
  size_t again = r->nentries - first;
  bool same = again == first;
  for (size_t i = 0; same && i < first; i++)
    same = same_entry(&r->entries[i], &r->entries[first + i]);
  for (size_t i = first; i < r->nentries; i++)
    entry_fini(&r->entries[i]);
  r->nentries = first;
  if (same || r->list_changed)
    return;
  r->list_changed = true;
  if (!r->scanning)
    warnings_add(r->w, "blg-list-again", r->name, r->nsamples,
                 "a second counter list at @%llu (the log was appended to) has other "
                 "counters (%zu, the first %zu): the samples after it, from sample %ld on, "
                 "are left out; export them on Windows with relog FILE -f csv -o FILE.csv",
                 (unsigned long long)off, again, first, r->nsamples + 1);
}

static int counter_list(struct blg_reader *r, const unsigned char *p, size_t n, uint64_t off,
                        struct diag *d) {
  size_t first = r->nentries;
  bool again = r->have_list;
  r->have_list = true;
  for (size_t q = 8; q + 4 <= n;) {
    uint32_t sz = u32(p + q);
    if (sz == 0)
      break;
    if (sz < ENTRY_HEAD + 2 || sz > n - q) {
      char *m = xasprintf("counter-list entry of %u bytes (expected %d to the %zu left)",
                          (unsigned)sz, ENTRY_HEAD + 2, n - q);
      bad(r, off + q, d, m);
      free(m);
      return -1;
    }
    if (parse_entry(r, p + q, sz, off + q, d) < 0)
      return -1;
    q += sz;
  }
  if (again)
    list_again(r, first, off);
  else if (r->nentries == 0)
    return bad(r, off, d, "empty counter list");
  return 0;
}

/* One event of the machine's counter-name table (class 0x24): the machine
 * (`\\HOST`), then `index`, `name` pairs, all UTF-16LE and NUL-terminated,
 * a pair never split across events. Kept for naming a whole object's
 * counters; a damaged pair is skipped (names are looked up, never trusted
 * as lengths). */
static void counter_titles(struct blg_reader *r, const unsigned char *p, size_t n) {
  size_t q = utf16_len(p, n) + 2;
  while (q < n && r->ntitles < TITLES_MAX) {
    size_t a = utf16_len(p + q, n - q);
    if (a == n - q)
      break;
    size_t b = q + a + 2 < n ? utf16_len(p + q + a + 2, n - q - a - 2) : 0;
    if (q + a + 2 >= n || b == n - q - a - 2)
      break;
    uint32_t index = 0;
    bool digits = a > 0 && a <= 18;
    for (size_t i = 0; digits && i < a; i += 2) {
      digits = p[q + i + 1] == 0 && p[q + i] >= '0' && p[q + i] <= '9';
      index = index * 10 + (uint32_t)(p[q + i] - '0');
    }
    if (digits) {
      if (r->ntitles % 256 == 0)
        r->titles = xreallocarray(r->titles, r->ntitles + 256, sizeof *r->titles);
      r->titles[r->ntitles].index = index;
      r->titles[r->ntitles++].name = utf16_convert(p + q + a + 2, b);
      r->titles_sorted = false;
    }
    q += a + 2 + b + 2;
  }
}

static int title_cmp(const void *a, const void *b) {
  uint32_t x = ((const struct title *)a)->index, y = ((const struct title *)b)->index;
  return x < y ? -1 : x > y;
}

/* The name of counter or object title `index`, NULL when the log has none. */
static const char *title_name(struct blg_reader *r, uint32_t index) {
  if (!r->titles_sorted && r->ntitles) {
    qsort(r->titles, r->ntitles, sizeof *r->titles, title_cmp);
    r->titles_sorted = true;
  }
  struct title key = {index, NULL};
  const struct title *t = r->ntitles ? bsearch(&key, r->titles, r->ntitles, sizeof *r->titles,
                                               title_cmp)
                                     : NULL;
  return t ? t->name : NULL;
}

/* ---- columns ------------------------------------------------------------- */

/* A column of entry ei: instance inst (NULL: none) of counter cname. */
static void add_column(struct blg_reader *r, size_t ei, const char *inst, const char *cname,
                       uint32_t type) {
  struct entry *e = &r->entries[ei];
  char *path = xasprintf("%s\\%s%s%s%s%s%s\\%s", e->machine ? e->machine : "", e->object,
                         inst ? "(" : "", inst && e->parent ? e->parent : "",
                         inst && e->parent ? "/" : "", inst ? inst : "", inst ? ")" : "",
                         cname);
  struct pdh_counter c;
  if (pdh_path_parse(path, &c) < 0) {
    warnings_add(r->w, "not-a-counter", r->name, 0,
                 "counter '%s' of the log's list is not a counter path; it is skipped", path);
    free(path);
    return;
  }
  free(path);
  c.column = r->ncols + 1;
  r->cols = xreallocarray(r->cols, r->ncols + 1, sizeof *r->cols);
  r->counters = xreallocarray(r->counters, r->ncols + 1, sizeof *r->counters);
  int f = perfcalc_find(type);
  r->cols[r->ncols] = (struct column){ei, inst && e->multi ? xstrdup(inst) : NULL, type, f,
                                      f < 0, e->freq, cname, {0, 0, 0}, false};
  r->counters[r->ncols++] = c;
  e->ncols++;
}

/* The instance names of a wildcard record, numbered as relog numbers
 * same-named instances: the second "svchost" is "svchost#1". */
static char *numbered(char **names, size_t j) {
  size_t dup = 0;
  for (size_t k = 0; k < j; k++)
    if (strcmp(names[k], names[j]) == 0)
      dup++;
  return dup ? xasprintf("%s#%zu", names[j], dup) : xstrdup(names[j]);
}

/* ---- a sample ------------------------------------------------------------- */

/* File offset of byte `at` of the assembled sample. */
static uint64_t sample_off(const struct blg_reader *r, size_t at) {
  size_t k = 0;
  while (k + 1 < r->nchunks && r->chunk_start[k + 1] <= at)
    k++;
  return r->nchunks ? r->chunk_off[k] + (at - r->chunk_start[k]) : 0;
}

static int sample_bad(struct blg_reader *r, size_t at, struct diag *d, const char *what) {
  return bad(r, sample_off(r, at), d, what);
}

static bool status_ok(uint32_t st) { return st == 0 || st == 1; }

/* A bad cell: blank. PDH_CSTATUS_NO_INSTANCE (the process was not running)
 * is as ordinary as relog's blank cell for it, so only the others are
 * counted for the warning. */
static void note_status(struct blg_reader *r, uint32_t st, bool *sample_bad_seen) {
  if (st == 0x800007D1u || r->scanning)
    return;
  r->bad_cells++;
  if (!*sample_bad_seen) {
    *sample_bad_seen = true;
    if (r->bad_samples++ == 0) {
      r->first_bad = r->nsamples;
      r->first_status = st;
    }
  }
}

/* Only a selected column is converted (and keeps its previous sample for
 * a rate); the unknown-type warning is the same whichever are selected. */
static void put_value(struct blg_reader *r, size_t c, const struct perf_raw *raw,
                      double *values) {
  struct column *col = &r->cols[c];
  if (r->want[c]) {
    values[c] = perfcalc_eval(col->formula, col->freq, raw, col->have_prev ? &col->prev : NULL);
    col->prev = *raw;
    col->have_prev = true;
  }
  if (col->unknown && !r->warned_type) {
    const struct entry *e = &r->entries[col->entry];
    r->warned_type = true;
    warnings_add(r->w, "blg-counter-type", r->name, 0,
                 "counter %s\\%s has type 0x%08X, which leakslope does not know how "
                 "to compute; its cells are blank",
                 e->object, col->counter, (unsigned)col->type);
  }
}

static void warn_new(struct blg_reader *r, const char *key, const struct entry *e) {
  if (!r->warned_new)
    warnings_add(r->w, "blg-new-instance", r->name, r->nsamples,
                 "instance '%s' of %s first appears in sample %ld; read from standard "
                 "input, a wildcard's instances are those of the first sample, so it is "
                 "left out (give the file by name)",
                 key, e->object, r->nsamples);
  r->warned_new = true;
}

/* Index of instance `key` among entry e's, SIZE_MAX when not there; the
 * instances of a sample usually come in the order of the one before, so
 * the one after the last found is tried first. */
static size_t find_key(struct entry *e, const char *key) {
  if (e->last_key + 1 < e->nkeys && strcmp(e->keys[e->last_key + 1], key) == 0)
    return ++e->last_key;
  for (size_t i = 0; i < e->nkeys; i++)
    if (strcmp(e->keys[i], key) == 0)
      return e->last_key = i;
  return SIZE_MAX;
}

/* Note instance `key` of wildcard or whole-object entry e, once. */
static void add_key(struct entry *e, const char *key) {
  if (find_key(e, key) != SIZE_MAX)
    return;
  e->keys = xreallocarray(e->keys, e->nkeys + 1, sizeof *e->keys);
  e->last_key = e->nkeys;
  e->keys[e->nkeys++] = xstrdup(key);
}

/* Whether a wildcard record's names are those of the entry's last one. */
static bool same_names(const struct entry *e, const unsigned char *s, size_t n,
                       uint32_t count) {
  size_t names = 0x20 + (size_t)count * ITEM_SIZE;
  if (!e->sig || count != e->sig_count || n - names != e->sig_len)
    return false;
  for (uint32_t j = 0; j < count; j++)
    if (u32(s + 0x20 + (size_t)j * ITEM_SIZE) != e->sig_off[j])
      return false;
  return memcmp(s + names, e->sig, e->sig_len) == 0;
}

static void keep_names(struct entry *e, const unsigned char *s, size_t n, uint32_t count,
                       size_t *cols) {
  size_t names = 0x20 + (size_t)count * ITEM_SIZE;
  free(e->sig);
  free(e->sig_off);
  free(e->sig_col);
  e->sig_len = n - names;
  e->sig = xmalloc(e->sig_len + 1);
  memcpy(e->sig, s + names, e->sig_len);
  e->sig_count = count;
  e->sig_off = xcalloc(count + 1, sizeof *e->sig_off);
  for (uint32_t j = 0; j < count; j++)
    e->sig_off[j] = u32(s + 0x20 + (size_t)j * ITEM_SIZE);
  e->sig_col = cols;
}

/* Item j's value into column c (SIZE_MAX: an instance not among them). */
static void item_value(struct blg_reader *r, size_t c, const unsigned char *it,
                       uint32_t status, double *values, bool *badseen) {
  if (c == SIZE_MAX)
    return;
  if (!status_ok(status)) {
    note_status(r, status, badseen);
    return;
  }
  if (!r->touch[c])
    return;
  struct perf_raw raw = {i64(it + 8), i64(it + 16), u32(it + 4)};
  put_value(r, c, &raw, values);
}

/* Record of a wildcard entry: at s[0..n) of the sample (at = its start). */
static int multi_record(struct blg_reader *r, size_t ei, size_t at, double *values,
                        bool *badseen, struct diag *d) {
  const unsigned char *s = r->data + at;
  size_t n = u32(s + 4);
  if (n < 0x20)
    return sample_bad(r, at, d, "wildcard record too short for its header");
  uint32_t count = u32(s + 0x0c), status = u32(s + 0x10);
  if (count > (n - 0x20) / ITEM_SIZE)
    return sample_bad(r, at + 0x0c, d, "wildcard record: more instances than fit in it");
  struct entry *e = &r->entries[ei];
  if (same_names(e, s, n, count)) {
    for (uint32_t j = 0; j < count && !r->scanning; j++)
      item_value(r, e->sig_col[j], s + 0x20 + (size_t)j * ITEM_SIZE, status, values, badseen);
    return 0;
  }
  size_t *cols = xcalloc(count + 1, sizeof *cols);
  char **names = xcalloc(count + 1, sizeof *names);
  int rc = 0;
  for (uint32_t j = 0; j < count && rc == 0; j++) {
    const unsigned char *it = s + 0x20 + (size_t)j * ITEM_SIZE;
    uint32_t no = u32(it);
    if (no >= n - 8 || !(names[j] = utf16_string(s + 8 + no, n - 8 - no)))
      rc = sample_bad(r, at + 0x20 + (size_t)j * ITEM_SIZE, d,
                      "wildcard record: an instance name lies outside it");
  }
  for (uint32_t j = 0; j < count && rc == 0; j++) {
    char *key = numbered(names, j);
    if (r->scanning) {
      add_key(e, key);
    } else {
      size_t c = e->col0 + (j < e->ncols ? j : 0), end = e->col0 + e->ncols;
      if (c >= end || strcmp(r->cols[c].key, key) != 0)
        for (c = e->col0; c < end && strcmp(r->cols[c].key, key) != 0; c++)
          ;
      const unsigned char *it = s + 0x20 + (size_t)j * ITEM_SIZE;
      cols[j] = c == end ? SIZE_MAX : c;
      if (c == end)
        warn_new(r, key, e);
      item_value(r, cols[j], it, status, values, badseen);
    }
    free(key);
  }
  for (uint32_t j = 0; j < count; j++)
    free(names[j]);
  free(names);
  if (rc == 0)
    keep_names(e, s, n, count, cols);
  else
    free(cols);
  return rc;
}

/* ---- whole objects (Vista: record kind 5) ------------------------------- */

/* An instance's name: UTF-16LE, or for an object with a code page the
 * bytes, ASCII kept and the rest U+FFFD (no such log seen). */
static char *instance_name(const struct perfdata_object *o, const struct perfdata_instance *in) {
  if (!in->name)
    return xstrdup("");
  if (o->codepage == 0)
    return utf16_convert(in->name, utf16_len(in->name, in->name_len) & ~(size_t)1);
  char *s = xmalloc(in->name_len * 3 + 1), *p = s;
  for (size_t i = 0; i < in->name_len && in->name[i]; i++)
    if (in->name[i] < 0x80) {
      *p++ = (char)in->name[i];
    } else {
      memcpy(p, "\xEF\xBF\xBD", 3);
      p += 3;
    }
  *p = '\0';
  return s;
}

/* Whether object o of a snapshot of nobjects is entry e's: by name, or the
 * only one. */
static bool entry_object(struct blg_reader *r, const struct entry *e,
                         const struct perfdata_object *o, uint32_t nobjects) {
  const char *name = title_name(r, o->title);
  return nobjects == 1 || (name && strcasecmp(name, e->object) == 0);
}

/* The first snapshot of entry e's object: its counters that have a value
 * of their own become its columns, named from the counter-name table. */
static void snap_counters(struct blg_reader *r, struct entry *e, size_t at,
                          const struct perfdata_object *o, const struct perfdata_counter *defs) {
  e->snap = xcalloc(o->ncounters + 1, sizeof *e->snap);
  for (size_t m = 0; m < o->ncounters; m++) {
    if (perfcalc_kind(defs[m].type) == PERFCALC_NONE)
      continue; /* a base, text: part of another counter, or nothing to show */
    const char *name = title_name(r, defs[m].title);
    if (!name && !r->warned_titles) {
      warnings_add(r->w, "blg-object-snapshot", r->name, 0,
                   "counter %u of %s (the object snapshot at @%llu) has no name in the "
                   "log's counter-name table; it is named by its number", (unsigned)defs[m].title,
                   e->object, (unsigned long long)sample_off(r, at));
      r->warned_titles = true;
    }
    struct snap_counter *c = &e->snap[e->nsnap++];
    c->title = defs[m].title;
    c->type = defs[m].type;
    c->name = name ? xstrdup(name) : xasprintf("%u", (unsigned)defs[m].title);
  }
  e->no_instances = o->ninstances < 0;
  e->have_snap = true;
}

/* Where each definition's value goes: its counter among the entry's, or
 * SIZE_MAX (a base, or a counter the first snapshot did not have). */
static void snap_map(const struct entry *e, const struct perfdata_counter *defs, size_t n,
                     size_t *map) {
  for (size_t m = 0, next = 0; m < n; m++) {
    map[m] = SIZE_MAX;
    if (next < e->nsnap && e->snap[next].title == defs[m].title &&
        e->snap[next].type == defs[m].type) {
      map[m] = next++;
      continue;
    }
    for (size_t k = 0; k < e->nsnap && perfcalc_kind(defs[m].type) != PERFCALC_NONE; k++)
      if (e->snap[k].title == defs[m].title && e->snap[k].type == defs[m].type) {
        map[m] = k;
        next = k + 1;
        break;
      }
  }
}

/* The snapshot's object for entry e, and its definitions into *defs (the
 * caller frees). 1 found, 0 not in the snapshot, -1 with d filled. */
static int snap_object(struct blg_reader *r, const struct entry *e, size_t at,
                       const struct perfdata_block *b, struct perfdata_object *o,
                       struct perfdata_counter **defs, struct diag *d) {
  struct perfdata_error err;
  size_t off = b->first_object;
  bool found = false;
  for (uint32_t k = 0; k < b->nobjects && !found; k++, off += o->n) {
    if (perfdata_object(b, off, o, &err) < 0)
      return sample_bad(r, at + 8 + err.at, d, err.what);
    found = entry_object(r, e, o, b->nobjects);
  }
  if (!found)
    return 0;
  *defs = xcalloc((size_t)o->ncounters + 1, sizeof **defs);
  size_t q = o->defs;
  for (uint32_t m = 0; m < o->ncounters; m++)
    if (perfdata_counter(o, &q, &(*defs)[m], &err) < 0) {
      free(*defs);
      *defs = NULL;
      return sample_bad(r, at + 8 + err.at, d, err.what);
    }
  return 1;
}

/* The instances of object o: views and numbered names (names[j] NULL for
 * an object without instances). */
static int snap_instances(struct blg_reader *r, size_t at, const struct perfdata_object *o,
                          struct perfdata_instance **inst, char ***names, size_t *count,
                          struct diag *d) {
  size_t n = o->ninstances < 0 ? 1 : (size_t)o->ninstances;
  if (n > o->n / 28) /* an instance takes at least its 24 bytes and a block's 4 */
    return sample_bad(r, at + 8 + o->at + 0x28, d,
                      "PERF_OBJECT_TYPE: more instances than fit in it");
  *inst = xcalloc(n + 1, sizeof **inst);
  char **raw = xcalloc(n + 1, sizeof *raw);
  *names = xcalloc(n + 1, sizeof **names);
  *count = n;
  struct perfdata_error err;
  size_t q = o->data;
  int rc = 0;
  for (size_t j = 0; j < n && rc == 0; j++) {
    if (perfdata_instance(o, &q, &(*inst)[j], &err) < 0)
      rc = sample_bad(r, at + 8 + err.at, d, err.what);
    else if (o->ninstances >= 0)
      raw[j] = instance_name(o, &(*inst)[j]);
  }
  for (size_t j = 0; j < n && rc == 0 && o->ninstances >= 0; j++)
    (*names)[j] = numbered(raw, j);
  for (size_t j = 0; j < n; j++)
    free(raw[j]);
  free(raw);
  return rc;
}

/* One instance's counters into their columns. */
static void snap_values(struct blg_reader *r, struct entry *e, const struct perfdata_block *b,
                        const struct perfdata_object *o, const struct perfdata_counter *defs,
                        const size_t *map, const struct perfdata_instance *in, size_t ki,
                        double *values) {
  size_t nk = e->no_instances ? 1 : e->nkeys;
  for (size_t m = 0; m < o->ncounters; m++) {
    if (map[m] == SIZE_MAX)
      continue;
    size_t c = e->col0 + map[m] * nk + ki;
    if (!r->touch[c])
      continue; /* not converted: its raw pair is not even read */
    struct perf_raw raw;
    int64_t freq;
    if (!perfdata_raw(b, o, defs, o->ncounters, m, in, &raw, &freq))
      continue;
    r->cols[c].freq = freq;
    put_value(r, c, &raw, values);
  }
}

static void warn_parent(struct blg_reader *r, const struct entry *e,
                        const struct perfdata_instance *in, size_t at) {
  if (in->parent_title == 0 || r->warned_parent || r->scanning)
    return;
  warnings_add(r->w, "blg-object-snapshot", r->name, 0,
               "the instances of %s (the object snapshot at @%llu) have parents (object %u), "
               "which leakslope does not name: same-named instances are numbered instead",
               e->object, (unsigned long long)sample_off(r, at), (unsigned)in->parent_title);
  r->warned_parent = true;
}

/* Record of a whole-object entry: a PERF_DATA_BLOCK after the record's 8
 * bytes. Scanning, it gives the entry its counters and instances. */
static int object_record(struct blg_reader *r, size_t ei, size_t at, double *values,
                         struct diag *d) {
  struct entry *e = &r->entries[ei];
  struct perfdata_error err;
  struct perfdata_block b;
  struct perfdata_object o;
  struct perfdata_counter *defs = NULL;
  if (perfdata_block(r->data + at + 8, u32(r->data + at + 4) - 8, &b, &err) < 0)
    return sample_bad(r, at + 8 + err.at, d, err.what);
  int got = snap_object(r, e, at, &b, &o, &defs, d);
  if (got <= 0 || (!e->have_snap && !r->scanning)) {
    free(defs);
    return got;
  }
  if (!e->have_snap)
    snap_counters(r, e, at, &o, defs);
  struct perfdata_instance *inst = NULL;
  char **names = NULL;
  size_t n = 0, *map = xcalloc((size_t)o.ncounters + 1, sizeof *map);
  int rc = snap_instances(r, at, &o, &inst, &names, &n, d);
  snap_map(e, defs, o.ncounters, map);
  for (size_t j = 0; j < n && rc == 0 && e->no_instances == (o.ninstances < 0); j++) {
    warn_parent(r, e, &inst[j], at);
    size_t ki = 0;
    if (r->scanning) {
      if (names[j])
        add_key(e, names[j]);
      continue;
    }
    if (names[j] && (ki = find_key(e, names[j])) == SIZE_MAX) {
      warn_new(r, names[j], e);
      continue;
    }
    snap_values(r, e, &b, &o, defs, map, &inst[j], ki, values);
  }
  for (size_t j = 0; j < n; j++)
    free(names[j]);
  free(names);
  free(inst);
  free(map);
  free(defs);
  return rc;
}

static void warn_kind(struct blg_reader *r, size_t at, unsigned kind, const struct entry *e) {
  if (r->scanning)
    return;
  if (!r->warned_kind)
    warnings_add(r->w, "blg-record-kind", r->name, 0,
                 "record kind %u at @%llu (counter %s\\%s) is not one leakslope can decode; "
                 "its cells are blank: export the log on Windows with relog FILE -f csv "
                 "-o FILE.csv, and please send us the file",
                 kind, (unsigned long long)sample_off(r, at), e->object, e->counter);
  r->warned_kind = true;
}

static int counter_record(struct blg_reader *r, size_t ei, size_t at, double *values,
                          bool *badseen, struct diag *d) {
  const unsigned char *s = r->data + at;
  unsigned kind = s[3];
  const struct entry *e = &r->entries[ei];
  if (kind == REC_SINGLE && !e->multi && !e->object_snapshot) {
    if (u32(s + 4) < 0x2c)
      return sample_bad(r, at, d, "counter record too short for its value");
    uint32_t st = u32(s + 8);
    if (!status_ok(st)) {
      note_status(r, st, badseen);
      return 0;
    }
    if (!r->scanning && e->ncols && r->touch[e->col0]) {
      struct perf_raw raw = {i64(s + 0x18), i64(s + 0x20), u32(s + 0x28)};
      put_value(r, e->col0, &raw, values);
    }
    return 0;
  }
  if (kind == REC_MULTI && e->multi)
    return multi_record(r, ei, at, values, badseen, d);
  if (kind == REC_OBJECT && e->object_snapshot)
    return object_record(r, ei, at, values, d);
  warn_kind(r, at, kind, e);
  return 0;
}

enum { QUICK_NONE, QUICK_SKIP, QUICK_TOUCH };

static void plan_quick(struct blg_reader *r) {
  r->quick = xreallocarray(r->quick, r->nentries + 1, 1);
  for (size_t i = 0; i < r->nentries; i++) {
    const struct entry *e = &r->entries[i];
    bool touch = !r->scanning && e->ncols && r->touch && r->touch[e->col0];
    r->quick[i] = e->multi || e->object_snapshot ? QUICK_NONE : touch ? QUICK_TOUCH : QUICK_SKIP;
  }
  r->nquick = r->nentries;
}

/* A one-counter record as PDH writes it, its first 8 bytes: "BL", a byte
 * (3), kind 1, size 0x30 (little-endian, the byte masked out). */
#define QUICK_SIZE 0x30
#define QUICK_HEAD UINT64_C(0x0000003001004C42)
#define QUICK_MASK UINT64_C(0xFFFFFFFFFF00FFFF)

/* From record *ei at *at, the run of such records of one-counter entries
 * (nearly every record of a log without wildcards): what counter_record
 * does with each, without its look-ups. Each next header is taken at
 * +0x30, so the walk need not wait for a size to load; anything else
 * ends the run, for the general path (which names what is wrong). */
static void quick_run(struct blg_reader *r, const unsigned char *s, size_t total, size_t *at,
                      size_t *ei, double *values, bool *badseen) {
  size_t a = *at, i = *ei;
  const unsigned char *q = r->quick;
  while (i < r->nentries && q[i] != QUICK_NONE && total - a >= QUICK_SIZE &&
         ((uint64_t)i64(s + a) & QUICK_MASK) == QUICK_HEAD) {
    uint32_t st = u32(s + a + 8);
    if (!status_ok(st)) {
      note_status(r, st, badseen);
    } else if (q[i] == QUICK_TOUCH) {
      struct perf_raw raw = {i64(s + a + 0x18), i64(s + a + 0x20), u32(s + a + 0x28)};
      put_value(r, r->entries[i].col0, &raw, values);
    }
    a += QUICK_SIZE;
    i++;
  }
  *at = a;
  *ei = i;
}

static int decode_sample(struct blg_reader *r, double *values, struct diag *d) {
  const unsigned char *s = r->data;
  if (r->nquick != r->nentries)
    plan_quick(r);
  if (r->slen < 8 || s[0] != 'B' || s[1] != 'L' || s[3] != REC_SAMPLE)
    return sample_bad(r, 0, d, "sample does not start with a 'BL' sample record");
  size_t total = u32(s + 4);
  if (total < 8 || total > r->slen)
    return sample_bad(r, 4, d, "sample record longer than its events");
  bool badseen = false;
  size_t ei = 0, at = 8;
  for (;; ei++) {
    quick_run(r, s, total, &at, &ei, values, &badseen);
    if (at + 8 > total)
      break;
    size_t sz = u32(s + at + 4);
    if (s[at] != 'B' || s[at + 1] != 'L')
      return sample_bad(r, at, d, "expected a 'BL' counter record");
    if (sz < 8 || sz > total - at)
      return sample_bad(r, at + 4, d, "counter record longer than its sample");
    if (ei >= r->nentries)
      return sample_bad(r, at, d, "sample has more records than the counter list has counters");
    if (counter_record(r, ei, at, values, &badseen, d) < 0)
      return -1;
    at += sz;
  }
  return 0;
}

/* ---- assembling samples ------------------------------------------------------ */

/* Note that the next chunk starts at file offset `off` (for messages). */
static void sample_chunk_at(struct blg_reader *r, uint64_t off) {
  if (r->nchunks == r->chunk_cap) {
    r->chunk_cap = r->chunk_cap ? r->chunk_cap * 2 : 8;
    r->chunk_off = xreallocarray(r->chunk_off, r->chunk_cap, sizeof *r->chunk_off);
    r->chunk_start = xreallocarray(r->chunk_start, r->chunk_cap, sizeof *r->chunk_start);
  }
  r->chunk_off[r->nchunks] = off;
  r->chunk_start[r->nchunks++] = r->slen;
}

static void sample_append(struct blg_reader *r, const unsigned char *p, size_t n, uint64_t off) {
  if (r->slen + n > r->scap) {
    r->scap = (r->slen + n) * 2;
    r->sample = xrealloc(r->sample, r->scap);
  }
  sample_chunk_at(r, off);
  memcpy(r->sample + r->slen, p, n);
  r->slen += n;
}

static int sample_chunk(struct blg_reader *r, const struct event *e, struct diag *d) {
  if (!r->have_list)
    return bad(r, e->off, d, "a sample before the counter list");
  uint32_t k = u32(e->p + 0x40), n = u32(e->p + 0x44);
  if (n == 0 || k == 0 || k > n || (k > 1 && (n != r->chunk_count || k != r->chunk_next))) {
    char *m = r->chunk_count && k != r->chunk_next
                  ? xasprintf("sample chunk %u of %u (expected chunk %u of %u)", (unsigned)k,
                              (unsigned)n, (unsigned)r->chunk_next, (unsigned)r->chunk_count)
                  : xasprintf("sample chunk %u of %u (expected a chunk number from 1 "
                              "to the count, the first chunk first)", (unsigned)k, (unsigned)n);
    bad(r, e->off + 0x40, d, m);
    free(m);
    return -1;
  }
  if (k == 1) {
    r->slen = r->nchunks = 0;
    r->data = NULL;
    r->chunk_count = n;
    int64_t ft = i64(e->p + 0x10);
    if (ft <= 0 || ft > INT64_C(0x0300000000000000))
      return bad(r, e->off + 0x10, d, "sample time out of range");
    r->stime = time_from_filetime(ft);
  }
  if (r->slen + (e->size - EV_PAYLOAD) > SAMPLE_MAX)
    return bad(r, e->off, d, "sample larger than 256 MiB");
  if (n == 1) { /* decoded where it lies: the buffer stays until the next read */
    sample_chunk_at(r, e->off + EV_PAYLOAD);
    r->data = e->p + EV_PAYLOAD;
    r->slen = e->size - EV_PAYLOAD;
  } else {
    sample_append(r, e->p + EV_PAYLOAD, e->size - EV_PAYLOAD, e->off + EV_PAYLOAD);
    r->data = r->sample;
  }
  r->chunk_next = k + 1;
  if (k == n) {
    r->chunk_count = 0;
    r->chunk_next = 1;
    r->pending = true;
  }
  return 0;
}

/* Read events until a whole sample is assembled (1) or the log ends (0). */
static int read_sample(struct blg_reader *r, struct diag *d) {
  struct event e;
  int got;
  while (!r->pending && (got = next_event(r, &e, d)) == 1) {
    if (e.system) {
      if (trace_header(r, &e, d) < 0)
        return -1;
      continue;
    }
    if (e.size < EV_PAYLOAD || memcmp(e.p + 0x18, PDH_GUID, 16) != 0)
      continue; /* not PDH's */
    int rc = 0;
    if (e.p[4] == EV_LIST)
      rc = counter_list(r, e.p + EV_PAYLOAD, e.size - EV_PAYLOAD, e.off + EV_PAYLOAD, d);
    else if (e.p[4] == EV_SAMPLE && !r->list_changed)
      rc = sample_chunk(r, &e, d);
    else if (e.p[4] == EV_TITLES)
      counter_titles(r, e.p + EV_PAYLOAD, e.size - EV_PAYLOAD);
    if (rc < 0)
      return -1;
  }
  if (r->pending)
    return 1;
  if (got < 0)
    return -1;
  if (r->chunk_count)
    return bad(r, input_raw_offset(r->in), d,
               "the log ends inside a sample (its last chunks are missing)");
  return 0;
}

/* ---- the interface ------------------------------------------------------------ */

/* A reader on `in`, its first sample read (got: 1, or 0 when none). */
static struct blg_reader *reader_new(struct input *in, struct warnings *w, int *got,
                                     struct diag *d) {
  /* Every page is walked once (each record's header and status): read()
   * into one buffer beats mapping them (inspect -c of the bench's 328 MB:
   * 319 -> 62 ms CPU; formats/README-perfmon.md, "Speed"); the buffers are
   * still decoded where they lie. */
  input_stop_mapping(in);
  const unsigned char *b;
  long n = input_peek_raw(in, BUF_HEADER, &b, d);
  if (n < 0)
    return NULL;
  struct blg_reader *r = xcalloc(1, sizeof *r);
  r->in = in;
  r->w = w;
  r->name = input_name(in);
  r->chunk_next = 1;
  if (n < BUF_HEADER || !blg_sniff(b, (size_t)n)) {
    bad(r, n < 4 ? 0 : (uint64_t)n, d,
        n < BUF_HEADER ? "binary perfmon log (.blg) cut short in its first trace buffer"
                       : "not a binary perfmon log (.blg)");
    blg_close(r);
    return NULL;
  }
  r->bufsize = u32(b);
  *got = read_sample(r, d);
  if (*got >= 0 && !r->have_list)
    *got = bad(r, input_raw_offset(in), d,
               "binary perfmon log without a counter list (expected PDH's list event)");
  if (*got < 0) {
    blg_close(r);
    return NULL;
  }
  return r;
}

/* The wildcards' instances over the whole log, read through a second
 * opening of the file (none for standard input: then the first sample's).
 * A damaged log stops the scan where the reading proper will stop. */
static void scan_instances(struct blg_reader *r, int got) {
  struct diag d2;
  diag_init(&d2);
  bool wild = false;
  for (size_t i = 0; i < r->nentries; i++)
    wild = wild || r->entries[i].multi || r->entries[i].object_snapshot;
  /* without a wildcard every column is known from the list: no second pass */
  struct input *again = !wild || input_is_stdin(r->in) ? NULL : input_reopen(r->in, &d2);
  struct warnings w2;
  warnings_init(&w2);
  int got2;
  struct blg_reader *s = again ? reader_new(again, &w2, &got2, &d2) : NULL;
  if (s && s->nentries == r->nentries) {
    s->scanning = true;
    while (got2 == 1 && decode_sample(s, NULL, &d2) == 0) {
      s->pending = false;
      got2 = read_sample(s, &d2);
    }
    for (size_t i = 0; i < r->nentries; i++) { /* the keys and counters pass to r */
      struct entry *e = &r->entries[i], *f = &s->entries[i];
      e->keys = f->keys;
      e->nkeys = f->nkeys;
      f->keys = NULL;
      f->nkeys = 0;
      e->snap = f->snap;
      e->nsnap = f->nsnap;
      e->have_snap = f->have_snap;
      e->no_instances = f->no_instances;
      f->snap = NULL;
      f->nsnap = 0;
    }
  } else if (got == 1) {
    r->scanning = true;
    decode_sample(r, NULL, &d2);
    r->scanning = false;
    for (size_t i = 0; i < r->nentries; i++) { /* no columns behind them yet */
      struct entry *e = &r->entries[i];
      free(e->sig);
      e->sig = NULL;
    }
  }
  blg_close(s);
  input_close(again);
  warnings_fini(&w2);
  diag_fini(&d2);
}

struct blg_reader *blg_open(struct input *in, struct warnings *w, struct diag *d) {
  int got;
  struct blg_reader *r = reader_new(in, w, &got, d);
  if (!r)
    return NULL;
  scan_instances(r, got);
  for (size_t i = 0; i < r->nentries; i++) {
    struct entry *e = &r->entries[i];
    e->col0 = r->ncols;
    if (e->multi)
      for (size_t k = 0; k < e->nkeys; k++)
        add_column(r, i, e->keys[k], e->counter, e->type);
    else if (!e->object_snapshot)
      add_column(r, i, e->instance, e->counter, e->type);
    for (size_t c = 0; c < e->nsnap; c++) /* a whole object: counter-major */
      for (size_t k = 0; k < (e->no_instances ? 1 : e->nkeys); k++)
        add_column(r, i, e->no_instances ? NULL : e->keys[k], e->snap[c].name, e->snap[c].type);
  }
  r->want = xcalloc(r->ncols + 1, sizeof *r->want);
  r->touch = xcalloc(r->ncols + 1, sizeof *r->touch);
  for (size_t c = 0; c < r->ncols; c++)
    r->touch[c] = r->cols[c].unknown;
  r->nquick = 0; /* planned before the columns were (a scan of stdin's first sample) */
  r->wanted = xcalloc(r->ncols + 1, sizeof *r->wanted);
  if (r->have_tz && got == 1)
    apply_zone(r, r->stime);
  warn_zone_name(r);
  return r;
}

static void report_status(struct blg_reader *r) {
  if (r->reported || r->bad_cells == 0)
    return;
  r->reported = true;
  const char *why = r->first_status == 0x800007D0u   ? " (PDH_CSTATUS_NO_MACHINE: the machine "
                                                       "could not be reached)"
                    : r->first_status == 0xC0000BB8u ? " (PDH_CSTATUS_NO_OBJECT)"
                    : r->first_status == 0xC0000BB9u ? " (PDH_CSTATUS_NO_COUNTER)"
                    : r->first_status == 0xC0000BBAu ? " (PDH_CSTATUS_INVALID_DATA)"
                                                     : "";
  warnings_add(r->w, "blg-bad-status", r->name, r->first_bad,
               "%zu %s in %zu %s %s a bad status (the first, in sample %ld: "
               "0x%08X%s); %s blank", r->bad_cells, r->bad_cells == 1 ? "cell" : "cells",
               r->bad_samples, r->bad_samples == 1 ? "sample" : "samples",
               r->bad_cells == 1 ? "has" : "have", r->first_bad, (unsigned)r->first_status,
               why, r->bad_cells == 1 ? "it is" : "they are");
}

void blg_close(struct blg_reader *r) {
  if (!r)
    return;
  report_status(r);
  for (size_t i = 0; i < r->nentries; i++)
    entry_fini(&r->entries[i]);
  free(r->entries);
  for (size_t c = 0; c < r->ncols; c++)
    free(r->cols[c].key);
  free(r->cols);
  free(r->want);
  free(r->touch);
  free(r->wanted);
  free(r->quick);
  if (r->counters) {
    for (size_t c = 0; c < r->ncols; c++)
      pdh_counter_fini(&r->counters[c]);
    free(r->counters);
  }
  for (size_t i = 0; i < r->ntitles; i++)
    free(r->titles[i].name);
  free(r->titles);
  free(r->sample);
  free(r->chunk_off);
  free(r->chunk_start);
  free(r->zone);
  free(r->std_name);
  free(r->dst_name);
  free(r);
}

void blg_select(struct blg_reader *r, size_t c) {
  if (c >= r->ncols || r->want[c])
    return;
  r->want[c] = r->touch[c] = true;
  r->wanted[r->nwanted++] = c;
  r->nquick = 0; /* its entry's record is now converted */
}

struct pdh_counter *blg_take_counters(struct blg_reader *r, size_t *n) {
  struct pdh_counter *c = r->counters;
  *n = r->ncols;
  r->counters = NULL;
  return c;
}

bool blg_timezone(const struct blg_reader *r, const char **name, long *bias) {
  *name = r->zone;
  *bias = r->bias;
  return r->have_tz;
}

int blg_next(struct blg_reader *r, usec_t *local, double *values, long *sample,
             struct diag *d) {
  int got = read_sample(r, d);
  if (got <= 0) {
    if (got == 0)
      report_status(r);
    return got;
  }
  r->pending = false;
  r->nsamples++;
  for (size_t k = 0; k < r->nwanted; k++)
    values[r->wanted[k]] = NAN;
  if (decode_sample(r, values, d) < 0)
    return -1;
  *local = r->stime;
  *sample = r->nsamples;
  return 1;
}
