/* wallclock — the log's clock on a page (see wallclock.h). */
#include "config.h"
#include "report/wallclock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *wallclock_zone(long minutes_east, char *buf) {
  if (minutes_east == 0)
    snprintf(buf, WALLCLOCK_ZONE_BUFSZ, "UTC");
  else
    snprintf(buf, WALLCLOCK_ZONE_BUFSZ, "UTC%s%02ld:%02ld",
             minutes_east < 0 ? "\xe2\x88\x92" : "+", labs(minutes_east) / 60 % 100,
             labs(minutes_east) % 60);
  return buf;
}

/* "2026-03-05 09:00:07" of a time already on the local clock. */
static void add_time(struct strbuf *b, usec_t t, bool date) {
  char buf[TIME_UTC_BUFSZ];
  time_format_utc(t, buf);
  if (date)
    strbuf_addf(b, "%.10s ", buf);
  strbuf_addf(b, "%.8s", buf + 11);
}

/* Days since 1970 of a time, rounding down before 1970 too. */
static int64_t day_of(usec_t t) {
  return t >= 0 ? t / USEC_PER_DAY : -((-t + USEC_PER_DAY - 1) / USEC_PER_DAY);
}

void wallclock_span_times(struct strbuf *b, usec_t from, usec_t to, long minutes_east,
                          bool known) {
  usec_t shift = known ? minutes_east * USEC_PER_MIN : 0;
  add_time(b, from + shift, true);
  strbuf_adds(b, "\xe2\x80\x93"); /* an en dash */
  add_time(b, to + shift, day_of(from + shift) != day_of(to + shift));
}

void wallclock_zone_note(struct strbuf *b, long minutes_east, bool known) {
  char zone[WALLCLOCK_ZONE_BUFSZ];
  if (known)
    strbuf_addf(b, " (%s)", wallclock_zone(minutes_east, zone));
  else
    strbuf_adds(b, " UTC");
}

void wallclock_span(struct strbuf *b, usec_t from, usec_t to, long minutes_east, bool known) {
  wallclock_span_times(b, from, to, minutes_east, known);
  wallclock_zone_note(b, minutes_east, known);
}

/* Length of the UTC time at s ("YYYY-MM-DDTHH:MM:SS[.f...]Z"), else 0. */
static size_t utc_stamp_at(const char *s) {
  static const char shape[] = "dddd-dd-ddTdd:dd:dd";
  size_t n = 0;
  for (; shape[n]; n++)
    if (shape[n] == 'd' ? !(s[n] >= '0' && s[n] <= '9') : s[n] != shape[n])
      return 0;
  if (s[n] == '.')
    for (n++; s[n] >= '0' && s[n] <= '9'; n++)
      ;
  return s[n] == 'Z' ? n + 1 : 0;
}

void wallclock_text(struct strbuf *b, const char *text, long minutes_east, bool known) {
  usec_t shift = known ? minutes_east * USEC_PER_MIN : 0;
  bool any = false;
  for (const char *p = text; *p;) {
    size_t n = utc_stamp_at(p);
    usec_t t;
    bool zone;
    size_t off;
    if (n && time_parse_iso(p, n, &t, &zone, &off) == 0) {
      add_time(b, t + shift, true);
      any = true;
      p += n;
    } else {
      strbuf_addc(b, *p++);
    }
  }
  if (any) {
    char z[WALLCLOCK_ZONE_BUFSZ];
    strbuf_addf(b, " (times in %s)", known ? wallclock_zone(minutes_east, z) : "UTC");
  }
}

const char *wallclock_tic_format(double span) {
  return span < 600 ? "%H:%M:%S" : span < 172800 ? "%H:%M" : "%m-%d %H:%M";
}

void wallclock_tic_label(usec_t local, double span, char *buf, size_t cap) {
  char t[TIME_UTC_BUFSZ]; /* YYYY-MM-DDTHH:MM:SS.ffffffZ */
  time_format_utc(local, t);
  if (span < 600)
    snprintf(buf, cap, "%.8s", t + 11);
  else if (span < 172800)
    snprintf(buf, cap, "%.5s", t + 11);
  else
    snprintf(buf, cap, "%.5s %.5s", t + 5, t + 11);
}

double wallclock_tic_step(double span, int max_tics) {
  static const double steps[] = {1,    2,    5,     10,    15,    30,    60,     120,
                                 300,  600,  900,   1800,  3600,  7200,  10800,  21600,
                                 43200, 86400, 172800, 604800};
  size_t n = sizeof steps / sizeof *steps;
  for (size_t i = 0; i < n; i++)
    if (span / steps[i] < max_tics)
      return steps[i];
  return steps[n - 1] * ceil(span / steps[n - 1] / max_tics);
}

char *wallclock_axis_label(const char *zone, usec_t first_local) {
  char day[TIME_UTC_BUFSZ];
  time_format_utc(first_local, day);
  return xasprintf("time of day on the log's clock (%s), from %.10s", zone ? zone : "local",
                   day);
}
