/* trace_time — value parsers shared by the trace readers (see trace_time.h). */
#include "config.h"

#include "trace/trace_time.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Unsigned decimal digits at s[*i]: at least 1, at most max_digits. */
static bool digits(const char *s, size_t n, size_t *i, int max_digits,
                   uint64_t *out) {
  uint64_t v = 0;
  int k = 0;
  while (*i < n && is_digit(s[*i]) && k < max_digits) {
    v = v * 10 + (uint64_t)(s[(*i)++] - '0');
    k++;
  }
  *out = v;
  return k > 0 && !(*i < n && is_digit(s[*i]));
}

/* Decimal with an optional fraction and exponent, as an exact integer scaled
 * by 10^scale (extra fraction digits are dropped). */
static int parse_scaled(const char *s, size_t n, int scale, int64_t *out) {
  size_t i = 0;
  uint64_t mant = 0;
  int exp10 = 0, ndig = 0;
  bool any = false;
  for (; i < n && is_digit(s[i]); i++, any = true)
    if (ndig < 18 && (mant || s[i] != '0')) {
      mant = mant * 10 + (uint64_t)(s[i] - '0');
      ndig++;
    } else if (ndig >= 18) {
      exp10++;
    }
  if (i < n && s[i] == '.')
    for (i++; i < n && is_digit(s[i]); i++, any = true)
      if (ndig < 18) {
        mant = mant * 10 + (uint64_t)(s[i] - '0');
        exp10--;
        if (mant)
          ndig++;
      }
  if (!any)
    return -1;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    int sign = 1;
    if (i < n && (s[i] == '+' || s[i] == '-'))
      sign = s[i++] == '-' ? -1 : 1;
    uint64_t e;
    if (!digits(s, n, &i, 3, &e))
      return -1;
    exp10 += sign * (int)e;
  }
  if (i != n)
    return -1;
  exp10 += scale;
  for (; exp10 < 0; exp10++)
    mant /= 10;
  for (; exp10 > 0; exp10--) {
    if (mant > UINT64_C(922337203685477580))
      return -1;
    mant *= 10;
  }
  if (mant > (uint64_t)INT64_MAX)
    return -1;
  *out = (int64_t)mant;
  return 0;
}

int tt_parse_filetime(const char *s, size_t n, usec_t *out) {
  int64_t ft;
  if (parse_scaled(s, n, 0, &ft) < 0)
    return -1;
  *out = time_from_filetime(ft);
  return 0;
}

int tt_parse_epoch(const char *s, size_t n, usec_t *out) {
  bool neg = n > 0 && s[0] == '-';
  int64_t v;
  if (parse_scaled(s + neg, n - neg, 6, &v) < 0 || v > TT_USEC_MAX)
    return -1;
  *out = neg ? -v : v;
  return 0;
}

/* ".fffffff": fraction digits to µs (digits past 6 dropped). */
static void fraction(const char *s, size_t n, size_t *i, usec_t *us) {
  usec_t scale = 100000;
  *us = 0;
  if (*i < n && (s[*i] == '.' || s[*i] == ','))
    for ((*i)++; *i < n && is_digit(s[*i]); (*i)++, scale /= 10)
      *us += (s[*i] - '0') * scale;
}

/* H:MM:SS with optional fraction; hours up to max_h digits. */
static int hms(const char *s, size_t n, size_t *i, int max_h, usec_t *out) {
  uint64_t h, m, sec;
  usec_t us;
  if (!digits(s, n, i, max_h, &h) || *i >= n || s[(*i)++] != ':' ||
      !digits(s, n, i, 2, &m) || *i >= n || s[(*i)++] != ':' ||
      !digits(s, n, i, 2, &sec) || m > 59 || sec > 60)
    return -1;
  fraction(s, n, i, &us);
  *out = (usec_t)h * USEC_PER_HOUR + (usec_t)m * USEC_PER_MIN +
         (usec_t)sec * USEC_PER_SEC + us;
  return 0;
}

int tt_parse_time_of_day(const char *s, size_t n, usec_t *out) {
  size_t i = 0;
  usec_t t;
  if (hms(s, n, &i, 2, &t) < 0)
    return -1;
  int64_t h = t / USEC_PER_HOUR;
  while (i < n && s[i] == ' ')
    i++;
  if (i + 2 == n && (!strncasecmp(s + i, "AM", 2) ||
                     !strncasecmp(s + i, "PM", 2))) {
    if (h < 1 || h > 12)
      return -1;
    if (h == 12)
      t -= 12 * USEC_PER_HOUR;
    if (s[i] == 'P' || s[i] == 'p')
      t += 12 * USEC_PER_HOUR;
    i = n;
  }
  if (i != n || t >= USEC_PER_DAY + USEC_PER_SEC)
    return -1;
  *out = t;
  return 0;
}

int tt_parse_elapsed(const char *s, size_t n, usec_t *out) {
  size_t i = 0;
  if (memchr(s, ':', n)) {
    if (hms(s, n, &i, 6, out) < 0 || i != n)
      return -1;
    return 0;
  }
  return tt_parse_epoch(s, n, out) < 0 || (n && s[0] == '-') ? -1 : 0;
}

int tt_parse_pid(const char *s, size_t n, int64_t *out) {
  size_t i = 0;
  uint64_t v = 0;
  bool neg = n > 0 && s[0] == '-';
  if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    for (i = 2; i < n && i < 18; i++) {
      char c = s[i];
      int d = is_digit(c) ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (d < 0)
        return -1;
      v = v * 16 + (uint64_t)d;
    }
    if (i != n)
      return -1;
    *out = (int64_t)v;
    return 0;
  }
  i = neg;
  if (!digits(s, n, &i, 18, &v) || i != n)
    return -1;
  *out = neg ? -(int64_t)v : (int64_t)v;
  return 0;
}

int tt_parse_date(const char *s, size_t n, enum trace_date_order *order,
                  int64_t *days) {
  size_t i = 0;
  uint64_t a, b, c;
  if (!digits(s, n, &i, 4, &a) || i >= n || !strchr("/.-", s[i]))
    return -1;
  char sep = s[i++];
  if (!digits(s, n, &i, 2, &b) || i >= n || s[i++] != sep ||
      !digits(s, n, &i, 4, &c) || (i < n && s[i] != ' ' && s[i] != 'T'))
    return -1;
  uint64_t y, m, d;
  if (a > 31) { /* 2020-07-31 */
    y = a, m = b, d = c;
  } else {
    if (*order == TRACE_DATE_AUTO && (a > 12 || b > 12))
      *order = a > 12 ? TRACE_DATE_DMY : TRACE_DATE_MDY;
    if (*order == TRACE_DATE_AUTO && a != b)
      return 1;
    y = c;
    m = *order == TRACE_DATE_DMY ? b : a;
    d = *order == TRACE_DATE_DMY ? a : b;
  }
  if (y < 1601 || y > 9999 || !valid_civil((int64_t)y, (unsigned)m, (unsigned)d))
    return -1;
  *days = days_from_civil((int64_t)y, (unsigned)m, (unsigned)d);
  return 0;
}

/* 1-2 digits at text[i] not preceded by a digit: the value, else -1. */
static int small_part(const char *t, size_t n, size_t i, size_t *end) {
  if (i >= n || !is_digit(t[i]) || (i > 0 && is_digit(t[i - 1])))
    return -1;
  int v = t[i] - '0';
  if (i + 1 < n && is_digit(t[i + 1]))
    v = v * 10 + (t[++i] - '0');
  *end = i + 1;
  return *end < n && is_digit(t[*end]) ? -1 : v;
}

/* "A?B?YYYY" at text[i], with the same separator twice: 0 with the parts
 * (and the year, when asked). */
static int date_parts_at(const char *t, size_t n, size_t i, int *a, int *b,
                         int *year) {
  size_t j, k;
  *a = small_part(t, n, i, &j);
  if (*a < 1 || j >= n || !strchr("/.-", t[j]))
    return -1;
  char sep = t[j];
  *b = small_part(t, n, j + 1, &k);
  if (*b < 1 || k >= n || t[k] != sep)
    return -1;
  int yv = 0;
  for (size_t y = k + 1; y < k + 5; y++) {
    if (y >= n || !is_digit(t[y]))
      return -1;
    yv = yv * 10 + (t[y] - '0');
  }
  if (year)
    *year = yv;
  return (k + 5 < n && is_digit(t[k + 5])) || *a > 31 || *b > 31 ? -1 : 0;
}

enum trace_date_order tt_date_order_in(const char *text, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int a, b;
    if (!is_digit(text[i]) || date_parts_at(text, n, i, &a, &b, NULL) < 0)
      continue;
    if (a > 12 && b <= 12)
      return TRACE_DATE_DMY;
    if (b > 12 && a <= 12)
      return TRACE_DATE_MDY;
  }
  return TRACE_DATE_AUTO;
}

void tt_date_steps_in(struct tt_date_steps *st, const char *text, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int a, b, year;
    if (!is_digit(text[i]) || date_parts_at(text, n, i, &a, &b, &year) < 0)
      continue;
    if (st->have && year == st->year) {
      /* a day of 12 or less plus one stays in its month: the day is the
       * part that stepped, the month the part that stayed */
      if (a == st->a && b == st->b + 1)
        st->mdy++;
      else if (b == st->b && a == st->a + 1)
        st->dmy++;
    }
    st->a = a, st->b = b, st->year = year, st->have = true;
    while (i + 1 < n && is_digit(text[i + 1]))
      i++;
  }
}

enum trace_date_order tt_date_steps_order(const struct tt_date_steps *st) {
  if (st->mdy && !st->dmy)
    return TRACE_DATE_MDY;
  if (st->dmy && !st->mdy)
    return TRACE_DATE_DMY;
  return TRACE_DATE_AUTO;
}
