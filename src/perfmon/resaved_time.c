/* resaved_time — spreadsheet-written perfmon time stamps (see resaved_time.h). */
#include "config.h"
#include "perfmon/resaved_time.h"

#include <string.h>

/* Up to max digits at s[*i], at least min; the value, or -1. */
static long number(const char *s, size_t n, size_t *i, size_t min, size_t max) {
  size_t k = 0;
  long v = 0;
  while (*i + k < n && k < max && s[*i + k] >= '0' && s[*i + k] <= '9')
    v = v * 10 + (s[*i + k++] - '0');
  if (k < min)
    return -1;
  *i += k;
  return v;
}

static bool take(const char *s, size_t n, size_t *i, char c) {
  if (*i < n && s[*i] == c) {
    (*i)++;
    return true;
  }
  return false;
}

static int fail(size_t *bad, size_t at) {
  *bad = at;
  return -1;
}

/* "H:MM[:SS[.f...]][ AM|PM]" from s[*i] to the end. */
static int parse_clock(const char *s, size_t n, size_t i, struct resaved_time *t,
                       size_t *bad) {
  /* errors point at the field that is wrong */
  size_t at_h = i;
  long h = number(s, n, &i, 1, 2);
  if (h < 0 || !take(s, n, &i, ':'))
    return fail(bad, i);
  size_t at_m = i;
  long m = number(s, n, &i, 2, 2);
  if (m < 0 || m > 59)
    return fail(bad, m < 0 ? i : at_m);
  long sec = 0;
  unsigned usec = 0;
  t->has_seconds = take(s, n, &i, ':');
  if (t->has_seconds) {
    size_t at_s = i;
    sec = number(s, n, &i, 2, 2);
    if (sec < 0 || sec > 59)
      return fail(bad, sec < 0 ? i : at_s);
    if (take(s, n, &i, '.')) {
      size_t k = 0;
      for (; i + k < n && s[i + k] >= '0' && s[i + k] <= '9'; k++)
        if (k < 6)
          usec = usec * 10 + (unsigned)(s[i + k] - '0');
      if (k == 0)
        return fail(bad, i);
      for (size_t pad = k; pad < 6; pad++)
        usec *= 10;
      i += k;
    }
  }
  if (i + 3 == n && s[i] == ' ' && (s[i + 2] == 'M' || s[i + 2] == 'm')) {
    char ap = s[i + 1] | 0x20;
    if (ap != 'a' && ap != 'p')
      return fail(bad, i + 1);
    if (h < 1 || h > 12)
      return fail(bad, at_h);
    h = h % 12 + (ap == 'p' ? 12 : 0);
    i = n;
  }
  if (i != n)
    return fail(bad, i);
  if (h > 23)
    return fail(bad, at_h);
  t->hour = (unsigned)h;
  t->minute = (unsigned)m;
  t->sec = (unsigned)sec;
  t->usec = usec;
  return 0;
}

int resaved_time_parse(const char *s, size_t n, struct resaved_time *t, size_t *bad) {
  memset(t, 0, sizeof *t);
  size_t i = 0;
  long a = number(s, n, &i, 1, 4);
  if (a < 0)
    return fail(bad, i);
  if (i == 4) { /* ISO: YYYY-MM-DD */
    t->shape = RESAVED_ISO;
    t->year = (unsigned)a;
    long mo, d;
    if (!take(s, n, &i, '-') || (mo = number(s, n, &i, 1, 2)) < 0 ||
        !take(s, n, &i, '-') || (d = number(s, n, &i, 1, 2)) < 0)
      return fail(bad, i);
    t->first = (unsigned)mo;
    t->second = (unsigned)d;
  } else {
    char sep = i < n ? s[i] : 0;
    if (i > 2 || (sep != '/' && sep != '.'))
      return fail(bad, i);
    t->shape = sep == '/' ? RESAVED_SLASH : RESAVED_DOT;
    i++;
    long b = number(s, n, &i, 1, 2);
    if (b < 0 || !take(s, n, &i, sep))
      return fail(bad, i);
    long y = number(s, n, &i, 4, 4);
    if (y < 0)
      return fail(bad, i);
    t->first = (unsigned)a;
    t->second = (unsigned)b;
    t->year = (unsigned)y;
  }
  if (!take(s, n, &i, ' ') && !(t->shape == RESAVED_ISO && take(s, n, &i, 'T')))
    return fail(bad, i);
  return parse_clock(s, n, i, t, bad);
}

static bool leap(unsigned y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static bool civil(unsigned y, unsigned m, unsigned d) {
  static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return y >= 1601 && m >= 1 && m <= 12 && d >= 1 &&
         d <= mdays[m - 1] + (m == 2 && leap(y));
}

int resaved_time_local(const struct resaved_time *t, bool day_first, usec_t *out) {
  bool swap = t->shape == RESAVED_DOT || (t->shape == RESAVED_SLASH && day_first);
  unsigned month = swap ? t->second : t->first, day = swap ? t->first : t->second;
  if (!civil(t->year, month, day))
    return -1;
  *out = time_from_fields(t->year, month, day, t->hour, t->minute, t->sec, t->usec);
  return 0;
}

char resaved_order_of(const struct resaved_time *t) {
  if (t->shape != RESAVED_SLASH)
    return 0;
  if (t->first > 12 && t->second <= 12)
    return 'd';
  if (t->second > 12 && t->first <= 12)
    return 'm';
  return 0;
}

/* A step from a to b read one way: forward and under two days is a
 * plausible sample interval; a month, or backwards, is not. */
static bool short_step(const struct resaved_time *a, const struct resaved_time *b,
                       bool day_first) {
  usec_t ta, tb;
  if (resaved_time_local(a, day_first, &ta) != 0 || resaved_time_local(b, day_first, &tb) != 0)
    return false;
  return tb >= ta && tb - ta <= 2 * 24 * 3600 * (usec_t)USEC_PER_SEC;
}

char resaved_order_of_step(const struct resaved_time *a, const struct resaved_time *b) {
  if (a->shape != RESAVED_SLASH || b->shape != RESAVED_SLASH ||
      (a->first == b->first && a->second == b->second))
    return 0;
  bool m = short_step(a, b, false), d = short_step(a, b, true);
  return m == d ? 0 : m ? 'm' : 'd';
}
