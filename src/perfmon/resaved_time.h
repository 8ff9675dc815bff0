/* resaved_time — the time stamps a perfmon CSV carries after a spreadsheet
 * has re-saved it: Excel drops perfmon's MM/DD/YYYY HH:MM:SS.mmm for its own
 * cell format, which depends on the machine's locale:
 *
 *   3/5/2026 21:00:00    03/05/2026 21:00    3/5/2026 9:00:00 PM   (slash)
 *   05.03.2026 21:00:00                       (dot: day first, as in German)
 *   2026-03-05 21:00:00  2026-03-05T21:00:00.5 (ISO)
 *
 * Seconds and the fraction are optional, the day and month may be one
 * digit, and a slash date is month/day (US) or day/month (most of Europe):
 * the reader decides which from the file (resaved_order_*). No I/O here. */
#ifndef LEAKSLOPE_RESAVED_TIME_H
#define LEAKSLOPE_RESAVED_TIME_H

#include <stdbool.h>
#include <stddef.h>

#include "util/timeutil.h"

enum resaved_shape { RESAVED_SLASH, RESAVED_DOT, RESAVED_ISO };

struct resaved_time {
  enum resaved_shape shape;
  unsigned first, second, year; /* the date's fields as written: for a slash
                                   date first/second are month/day or
                                   day/month; for dot day/month; ISO month/day */
  unsigned hour, minute, sec, usec;
  bool has_seconds;
};

/* Parse s[0..n). 0, or -1 with *bad the offset of the first byte that does
 * not fit any of the shapes. Ranges are checked (hour < 24 after AM/PM...);
 * the date is checked once its order is known (resaved_time_utc). */
int resaved_time_parse(const char *s, size_t n, struct resaved_time *t, size_t *bad);

/* The local time it stands for, with day_first telling a slash date's order
 * (ignored for dot and ISO dates). -1 when no such day exists. */
int resaved_time_local(const struct resaved_time *t, bool day_first, usec_t *out);

/* What one slash date says about its order: 'd' (day first: its first field
 * is above 12), 'm' (month first: its second is), or 0 (either). */
char resaved_order_of(const struct resaved_time *t);

/* What two consecutive slash dates say about the order: the day changes at
 * midnight, so the reading under which the step from a to b is short and
 * forward is the right one. 'd', 'm', or 0 when both or neither are. */
char resaved_order_of_step(const struct resaved_time *a, const struct resaved_time *b);

#endif
