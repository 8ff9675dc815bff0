/* Unit tests of the integer calendar arithmetic. */
#include "config.h"
#include "tap.h"
#include "util/timeutil.h"
#include "util/rng.h"

#include <stdio.h>
#include <string.h>

int main(void) {
  char buf[TIME_UTC_BUFSZ];
  is_int(days_from_civil(1970, 1, 1), 0, "1970-01-01 is day 0");
  is_int(days_from_civil(2000, 3, 1), 11017, "2000-03-01 is day 11017 (leap century)");
  int64_t y; unsigned m, d;
  civil_from_days(-1, &y, &m, &d);
  ok(y == 1969 && m == 12 && d == 31, "day -1 is 1969-12-31");
  ok(valid_civil(2024, 2, 29) && !valid_civil(2023, 2, 29) && !valid_civil(1900, 2, 29),
     "leap years: 2024 yes, 2023 and 1900 no");
  usec_t t = time_from_fields(2026, 3, 5, 21, 58, 8, 724656);
  is_str(time_format_utc(t, buf), "2026-03-05T21:58:08.724656Z", "UTC format has 6 digits");
  is_str(time_format_pdh(t, buf), "03/05/2026 21:58:08.724", "perfmon local format, ms");
  is_str(time_format_utc(time_from_filetime(INT64_C(133127435730482450)), buf),
         "2022-11-12T16:19:33.048245Z", "FILETIME 1.3312743573048245e17 is 2022-11-12 16:19 UTC");
  /* time_format_utc writes years 0-9999 without printf: the same text as
   * snprintf of the fields, for random times from year -200 to 10200 */
  struct rng g;
  rng_seed(&g, 1601);
  size_t n = 20000, same = 0;
  const usec_t from = time_from_fields(-200, 1, 1, 0, 0, 0, 0);
  const usec_t span = time_from_fields(10200, 1, 1, 0, 0, 0, 0) - from;
  for (size_t i = 0; i < n; i++) {
    usec_t x = from + (usec_t)rng_below(&g, (uint64_t)span);
    if (i < 4) /* the edges of the fast path */
      x = time_from_fields(i < 2 ? 0 : 9999, i < 2 ? 1 : 12, i < 2 ? 1 : 31, i % 2 ? 23 : 0,
                           i % 2 ? 59 : 0, i % 2 ? 59 : 0, i % 2 ? 999999 : 0);
    int64_t days = x / USEC_PER_DAY, rem = x % USEC_PER_DAY;
    if (rem < 0)
      rem += USEC_PER_DAY, days--;
    civil_from_days(days, &y, &m, &d);
    char want[64];
    snprintf(want, sizeof want, "%04lld-%02u-%02uT%02u:%02u:%02u.%06uZ", (long long)y, m, d,
             (unsigned)(rem / USEC_PER_HOUR), (unsigned)(rem / USEC_PER_MIN % 60),
             (unsigned)(rem / USEC_PER_SEC % 60), (unsigned)(rem % USEC_PER_SEC));
    same += strcmp(time_format_utc(x, buf), want) == 0;
  }
  ok(same == n, "%zu random times, years -200 to 10200: as snprintf writes them (%zu same)", n,
     same);
  usec_t p; bool zone; size_t off;
  ok(time_parse_iso("2026-03-05T23:58:08.5+02:00", 27, &p, &zone, &off) == 0 && zone &&
     p == time_from_fields(2026, 3, 5, 21, 58, 8, 500000), "ISO with +02:00 offset is 2 h earlier in UTC");
  ok(time_parse_iso("2026-02-30T00:00:00Z", 20, &p, &zone, &off) == -1, "Feb 30 is refused");
  ok(time_parse_iso("2026-03-05T21:58:0xZ", 20, &p, &zone, &off) == -1 && off == 18,
     "a bad digit is reported at its offset (18)");
  int mins;
  ok(time_parse_offset("-05:30", &mins) == 0 && mins == -330, "offset -05:30 is -330 minutes");
  ok(time_parse_offset("+2", &mins) == -1, "offset +2 is refused");
  return tap_done();
}
