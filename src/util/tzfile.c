/* tzfile — TZif reader and the POSIX TZ rule of its footer (see tzfile.h). */
#include "config.h"
#include "util/tzfile.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZ_MAX_FILE (1L << 20)
#define TZ_MAX_COUNT 100000

/* One end of a DST period in a POSIX rule: Mm.w.d, Jn or n, at secs of
 * local time (may be negative or past 24 h). */
struct tz_date {
  char kind; /* 'M', 'J' or 'n' */
  int m, w, d, n;
  long secs;
};

struct tz_rule {
  bool have;
  long std_off, dst_off; /* seconds east */
  bool has_dst;
  struct tz_date start, end;
};

struct tz_zone {
  char *name;
  size_t ntrans;
  int64_t *trans;   /* UTC seconds, increasing */
  unsigned char *idx; /* type of each transition */
  size_t ntypes;
  long *type_off;   /* seconds east */
  struct tz_rule rule;
};

const char *tz_dir(void) {
  const char *d = getenv("TZDIR");
  return d && *d ? d : "/usr/share/zoneinfo";
}

/* ---- the POSIX TZ string ----------------------------------------------- */

static const char *tz_abbr(const char *p) {
  if (*p == '<') {
    const char *e = strchr(p, '>');
    return e && e - p > 1 ? e + 1 : NULL;
  }
  const char *s = p;
  while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
    p++;
  return p - s >= 3 ? p : NULL;
}

static const char *tz_num(const char *p, int lo, int hi, int *out) {
  if (*p < '0' || *p > '9')
    return NULL;
  long v = 0;
  while (*p >= '0' && *p <= '9' && v < 100000)
    v = v * 10 + (*p++ - '0');
  if (v < lo || v > hi)
    return NULL;
  *out = (int)v;
  return p;
}

/* [+-]hh[:mm[:ss]] into seconds (hours up to 167, for v3 rule times). */
static const char *tz_hms(const char *p, long *out) {
  int sign = 1, h, m = 0, s = 0;
  if (*p == '+' || *p == '-')
    sign = *p++ == '-' ? -1 : 1;
  if (!(p = tz_num(p, 0, 167, &h)))
    return NULL;
  if (*p == ':' && !(p = tz_num(p + 1, 0, 59, &m)))
    return NULL;
  if (p && *p == ':' && !(p = tz_num(p + 1, 0, 59, &s)))
    return NULL;
  *out = sign * (h * 3600L + m * 60L + s);
  return p;
}

static const char *tz_date_parse(const char *p, struct tz_date *d) {
  if (*p == 'M') {
    d->kind = 'M';
    if (!(p = tz_num(p + 1, 1, 12, &d->m)) || *p != '.' ||
        !(p = tz_num(p + 1, 1, 5, &d->w)) || *p != '.' ||
        !(p = tz_num(p + 1, 0, 6, &d->d)))
      return NULL;
  } else if (*p == 'J') {
    d->kind = 'J';
    if (!(p = tz_num(p + 1, 1, 365, &d->n)))
      return NULL;
  } else {
    d->kind = 'n';
    if (!(p = tz_num(p, 0, 365, &d->n)))
      return NULL;
  }
  d->secs = 7200;
  if (*p == '/' && !(p = tz_hms(p + 1, &d->secs)))
    return NULL;
  return p;
}

static int tz_rule_parse(const char *s, struct tz_rule *r) {
  memset(r, 0, sizeof *r);
  const char *p = tz_abbr(s);
  long west;
  if (!p || !(p = tz_hms(p, &west)))
    return -1;
  r->std_off = -west;
  r->have = true;
  if (!*p)
    return 0;
  if (!(p = tz_abbr(p)))
    return -1;
  r->has_dst = true;
  r->dst_off = r->std_off + 3600;
  if (*p && *p != ',') {
    if (!(p = tz_hms(p, &west)))
      return -1;
    r->dst_off = -west;
  }
  if (*p != ',') { /* no rule: POSIX leaves it to the implementation */
    r->has_dst = false;
    return *p ? -1 : 0;
  }
  if (!(p = tz_date_parse(p + 1, &r->start)) || *p != ',' ||
      !(p = tz_date_parse(p + 1, &r->end)) || *p)
    return -1;
  return 0;
}

static bool leap_year(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Local seconds (as if UTC) of the date d in year y. */
static int64_t tz_date_local(const struct tz_date *d, int64_t y) {
  int64_t day;
  if (d->kind == 'M') {
    int64_t first = days_from_civil(y, (unsigned)d->m, 1);
    int wd = (int)(((first % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
    int64_t dd = first + ((d->d - wd) % 7 + 7) % 7 + 7 * (d->w - 1);
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int len = mdays[d->m - 1] + (d->m == 2 && leap_year(y));
    while (dd >= first + len)
      dd -= 7;
    day = dd;
  } else if (d->kind == 'J') {
    day = days_from_civil(y, 1, 1) + d->n - 1 + (leap_year(y) && d->n >= 60);
  } else {
    day = days_from_civil(y, 1, 1) + d->n;
  }
  return day * 86400 + d->secs;
}

static long tz_rule_offset(const struct tz_rule *r, int64_t t) {
  if (!r->has_dst)
    return r->std_off;
  int64_t y;
  unsigned m, dd;
  civil_from_days((t + r->std_off) / 86400 - ((t + r->std_off) % 86400 < 0), &y, &m, &dd);
  int64_t start = tz_date_local(&r->start, y) - r->std_off;
  int64_t end = tz_date_local(&r->end, y) - r->dst_off;
  bool dst = start < end ? t >= start && t < end : !(t >= end && t < start);
  return dst ? r->dst_off : r->std_off;
}

/* ---- the TZif file ----------------------------------------------------- */

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p) {
  return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_head {
  uint32_t isut, isstd, leap, time, type, chars;
};

static int head(const unsigned char *b, size_t n, size_t at, struct tzif_head *h) {
  if (at + 44 > n || memcmp(b + at, "TZif", 4) != 0)
    return -1;
  const unsigned char *c = b + at + 20;
  *h = (struct tzif_head){be32(c), be32(c + 4), be32(c + 8), be32(c + 12), be32(c + 16),
                          be32(c + 20)};
  if (h->time > TZ_MAX_COUNT || h->type == 0 || h->type > 256 || h->leap > TZ_MAX_COUNT ||
      h->chars > TZ_MAX_COUNT || h->isut > 256 || h->isstd > 256)
    return -1;
  return 0;
}

static size_t block_len(const struct tzif_head *h, size_t tsize) {
  return h->time * tsize + h->time + h->type * 6 + h->chars + h->leap * (tsize + 4) +
         h->isstd + h->isut;
}

static struct tz_zone *bad_file(struct tz_zone *z, struct diag *d, const char *name,
                                const char *why) {
  tz_free(z);
  diag_set(d, DIAG_DATA, name, 0, 0, "not a usable TZif time-zone file: %s", why);
  return NULL;
}

struct tz_zone *tz_parse(const unsigned char *b, size_t n, const char *name,
                         struct diag *d) {
  struct tz_zone *z = xcalloc(1, sizeof *z);
  z->name = xstrdup(name);
  struct tzif_head h;
  if (head(b, n, 0, &h) < 0)
    return bad_file(z, d, name, "no TZif header");
  size_t at = 44, tsize = 4;
  char version = (char)b[4];
  if (version >= '2') {
    at += block_len(&h, 4);
    if (head(b, n, at, &h) < 0)
      return bad_file(z, d, name, "no second TZif header");
    at += 44;
    tsize = 8;
  }
  size_t len = block_len(&h, tsize);
  if (at + len > n)
    return bad_file(z, d, name, "cut short");
  const unsigned char *p = b + at;
  z->ntrans = h.time;
  z->trans = xcalloc(h.time + 1, sizeof *z->trans);
  z->idx = xcalloc(h.time + 1, 1);
  for (size_t i = 0; i < h.time; i++, p += tsize)
    z->trans[i] = tsize == 8 ? be64(p) : (int64_t)(int32_t)be32(p);
  for (size_t i = 0; i < h.time; i++) {
    z->idx[i] = *p++;
    if (z->idx[i] >= h.type)
      return bad_file(z, d, name, "a transition to an undefined type");
  }
  z->ntypes = h.type;
  z->type_off = xcalloc(h.type, sizeof *z->type_off);
  for (size_t i = 0; i < h.type; i++, p += 6)
    z->type_off[i] = (long)(int32_t)be32(p);
  for (size_t i = 1; i < h.time; i++)
    if (z->trans[i] <= z->trans[i - 1])
      return bad_file(z, d, name, "transitions out of order");
  at += len;
  if (tsize == 8 && at < n && b[at] == '\n') {
    const unsigned char *e = memchr(b + at + 1, '\n', n - at - 1);
    if (!e)
      return bad_file(z, d, name, "footer without an end");
    char *tz = xstrndup((const char *)b + at + 1, (size_t)(e - b) - at - 1);
    int rc = *tz ? tz_rule_parse(tz, &z->rule) : 0;
    free(tz);
    if (rc < 0)
      return bad_file(z, d, name, "a footer TZ string it cannot read");
  }
  return z;
}

static bool good_name(const char *s) {
  if (!*s || *s == '/' || strlen(s) > 255)
    return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
          strchr("/_-+", *p)))
      return false;
  return !strstr(s, "//") && s[strlen(s) - 1] != '/';
}

struct tz_zone *tz_load(const char *name, struct diag *d) {
  if (!good_name(name))
    return diag_set(d, DIAG_USAGE, NULL, 0, 0,
                    "--tz wants a tz database zone name like Europe/Berlin, not '%s'", name),
           NULL;
  char *path = xasprintf("%s/%s", tz_dir(), name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    int e = errno;
    diag_set(d, DIAG_USAGE, NULL, 0, 0, "--tz: no time zone '%s' (%s: %s; is tzdata installed?)",
             name, path, strerror(e));
    free(path);
    return NULL;
  }
  unsigned char *buf = xmalloc(TZ_MAX_FILE);
  size_t n = fread(buf, 1, TZ_MAX_FILE, f);
  bool err = ferror(f);
  fclose(f);
  struct tz_zone *z = NULL;
  if (err)
    diag_set(d, DIAG_NOINPUT, path, 0, 0, "cannot read the time-zone file");
  else if (!(z = tz_parse(buf, n, name, d)) && d->kind == DIAG_DATA) {
    free(d->file);
    d->file = xstrdup(path);
  }
  free(buf);
  free(path);
  return z;
}

void tz_free(struct tz_zone *z) {
  if (!z)
    return;
  free(z->name);
  free(z->trans);
  free(z->idx);
  free(z->type_off);
  free(z);
}

const char *tz_name(const struct tz_zone *z) { return z->name; }

static int64_t floor_sec(usec_t t) {
  return t / USEC_PER_SEC - (t % USEC_PER_SEC < 0);
}

long tz_offset_at(const struct tz_zone *z, usec_t tu) {
  int64_t t = floor_sec(tu);
  if (z->ntrans == 0 || t < z->trans[0]) {
    if (z->ntrans == 0 && z->rule.have)
      return tz_rule_offset(&z->rule, t);
    return z->type_off[0];
  }
  if (t >= z->trans[z->ntrans - 1] && z->rule.have)
    return tz_rule_offset(&z->rule, t);
  size_t lo = 0, hi = z->ntrans; /* last transition <= t */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (z->trans[mid] <= t)
      lo = mid;
    else
      hi = mid;
  }
  return z->type_off[z->idx[lo]];
}

int tz_local_to_utc(const struct tz_zone *z, usec_t local, usec_t out[2]) {
  long cand[2] = {tz_offset_at(z, local - USEC_PER_DAY), tz_offset_at(z, local + USEC_PER_DAY)};
  int n = 0;
  for (int i = 0; i < 2; i++) {
    if (i == 1 && cand[1] == cand[0])
      break;
    usec_t u = local - (usec_t)cand[i] * USEC_PER_SEC;
    if (tz_offset_at(z, u) == cand[i])
      out[n++] = u;
  }
  if (n == 2 && out[0] > out[1]) {
    usec_t t = out[0];
    out[0] = out[1];
    out[1] = t;
  }
  return n;
}
