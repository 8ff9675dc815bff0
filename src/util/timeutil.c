/* timeutil — integer calendar arithmetic (see timeutil.h). */
#include "config.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <string.h>

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

bool valid_civil(int64_t y, unsigned m, unsigned d) {
  static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1)
    return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  unsigned max = mdays[m - 1] + (m == 2 && leap);
  return d <= max;
}

usec_t time_from_fields(int64_t y, unsigned mo, unsigned d, unsigned h,
                        unsigned mi, unsigned s, unsigned usec) {
  int64_t days = days_from_civil(y, mo, d);
  return days * USEC_PER_DAY + (int64_t)h * USEC_PER_HOUR +
         (int64_t)mi * USEC_PER_MIN + (int64_t)s * USEC_PER_SEC + usec;
}

int usec_cmp(const void *a, const void *b) {
  usec_t x = *(const usec_t *)a, y = *(const usec_t *)b;
  return (x > y) - (x < y);
}

usec_t time_from_filetime(int64_t filetime) {
  /* Floor division so times before 1970 stay consistent. */
  int64_t ticks = filetime - FILETIME_UNIX_EPOCH;
  int64_t q = ticks / 10;
  if (ticks % 10 < 0)
    q--;
  return q;
}

static void split_time(usec_t t, int64_t *days, int64_t *in_day) {
  *days = t / USEC_PER_DAY;
  *in_day = t % USEC_PER_DAY;
  if (*in_day < 0) {
    *in_day += USEC_PER_DAY;
    (*days)--;
  }
}

/* v as `width` digits at p (v < 10^width). */
static void put_digits(char *p, unsigned long v, int width) {
  while (width-- > 0) {
    p[width] = (char)('0' + v % 10);
    v /= 10;
  }
}

char *time_format_utc(usec_t t, char *buf) {
  int64_t days, rem, y;
  unsigned m, d;
  split_time(t, &days, &rem);
  civil_from_days(days, &y, &m, &d);
  if (y >= 0 && y <= 9999) { /* what the snprintf below writes, without it (a row's
                                * time in inspect's CSV: 3% of a one-counter run) */
    memcpy(buf, "0000-00-00T00:00:00.000000Z", 28);
    put_digits(buf, (unsigned long)y, 4);
    put_digits(buf + 5, m, 2);
    put_digits(buf + 8, d, 2);
    put_digits(buf + 11, (unsigned long)(rem / USEC_PER_HOUR), 2);
    put_digits(buf + 14, (unsigned long)(rem / USEC_PER_MIN % 60), 2);
    put_digits(buf + 17, (unsigned long)(rem / USEC_PER_SEC % 60), 2);
    put_digits(buf + 20, (unsigned long)(rem % USEC_PER_SEC), 6);
    return buf;
  }
  snprintf(buf, TIME_UTC_BUFSZ, "%04lld-%02u-%02uT%02u:%02u:%02u.%06uZ",
           (long long)y, m, d, (unsigned)(rem / USEC_PER_HOUR),
           (unsigned)(rem / USEC_PER_MIN % 60), (unsigned)(rem / USEC_PER_SEC % 60),
           (unsigned)(rem % USEC_PER_SEC));
  return buf;
}

char *time_format_pdh(usec_t t, char *buf) {
  int64_t days, rem, y;
  unsigned m, d;
  split_time(t, &days, &rem);
  civil_from_days(days, &y, &m, &d);
  snprintf(buf, TIME_UTC_BUFSZ, "%02u/%02u/%04lld %02u:%02u:%02u.%03u", m, d,
           (long long)y, (unsigned)(rem / USEC_PER_HOUR),
           (unsigned)(rem / USEC_PER_MIN % 60), (unsigned)(rem / USEC_PER_SEC % 60),
           (unsigned)(rem % USEC_PER_SEC / 1000));
  return buf;
}

/* Read exactly `width` digits at s[*i]. */
static bool take_digits(const char *s, size_t n, size_t *i, int width,
                        unsigned *out) {
  unsigned v = 0;
  for (int k = 0; k < width; k++, (*i)++) {
    if (*i >= n || s[*i] < '0' || s[*i] > '9')
      return false;
    v = v * 10 + (unsigned)(s[*i] - '0');
  }
  *out = v;
  return true;
}

/* (A loop, not strchr: a call per character was a twentieth of `events`.) */
static bool take_char(const char *s, size_t n, size_t *i, const char *set) {
  if (*i >= n || !s[*i])
    return false;
  for (; *set; set++)
    if (*set == s[*i]) {
      (*i)++;
      return true;
    }
  return false;
}

/* Parse a zone suffix at s[*i]: "Z", "+HH:MM", "-HHMM", "+HH". */
static bool take_zone(const char *s, size_t n, size_t *i, int *minutes) {
  if (take_char(s, n, i, "Zz")) {
    *minutes = 0;
    return true;
  }
  if (*i >= n || (s[*i] != '+' && s[*i] != '-'))
    return false;
  int sign = s[(*i)++] == '-' ? -1 : 1;
  unsigned hh, mm = 0;
  if (!take_digits(s, n, i, 2, &hh))
    return false;
  if (*i < n) {
    take_char(s, n, i, ":");
    if (!take_digits(s, n, i, 2, &mm))
      return false;
  }
  if (hh > 23 || mm > 59)
    return false;
  *minutes = sign * (int)(hh * 60 + mm);
  return true;
}

int time_parse_iso(const char *s, size_t n, usec_t *out, bool *had_zone,
                   size_t *err_off) {
  size_t i = 0;
  unsigned y, mo, d, h, mi, sec, usec = 0;
  if (!take_digits(s, n, &i, 4, &y) || !take_char(s, n, &i, "-") ||
      !take_digits(s, n, &i, 2, &mo) || !take_char(s, n, &i, "-") ||
      !take_digits(s, n, &i, 2, &d) || !valid_civil(y, mo, d) ||
      !take_char(s, n, &i, "Tt ") || !take_digits(s, n, &i, 2, &h) ||
      !take_char(s, n, &i, ":") || !take_digits(s, n, &i, 2, &mi) ||
      !take_char(s, n, &i, ":") || !take_digits(s, n, &i, 2, &sec) || h > 23 ||
      mi > 59 || sec > 60)
    goto bad;
  if (take_char(s, n, &i, ".,")) {
    unsigned scale = 100000;
    size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
      usec += (unsigned)(s[i] - '0') * scale; /* digits past 6 are dropped */
      scale /= 10;
      i++;
    }
    if (i == start)
      goto bad;
  }
  int zone = 0;
  *had_zone = false;
  if (i < n) {
    if (!take_zone(s, n, &i, &zone) || i != n)
      goto bad;
    *had_zone = true;
  }
  *out = time_from_fields(y, mo, d, h, mi, sec > 59 ? 59 : sec, usec) -
         (int64_t)zone * USEC_PER_MIN;
  return 0;
bad:
  *err_off = i;
  return -1;
}

int time_parse_offset(const char *s, int *minutes) {
  size_t i = 0, n = strlen(s);
  return take_zone(s, n, &i, minutes) && i == n ? 0 : -1;
}
