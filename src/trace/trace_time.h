/* trace_time — the small value parsers trace readers share: FILETIME (also
 * in the scientific notation a spreadsheet leaves), epoch seconds, a time of
 * day (12 or 24 hours, 100 ns digits), elapsed time, locale dates and PIDs
 * (decimal or 0x hex). Pure functions: exact integer arithmetic, no locale,
 * no strtod, so "inf", "nan" and hex floats are simply not numbers. */
#ifndef LEAKSLOPE_TRACE_TIME_H
#define LEAKSLOPE_TRACE_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/timeutil.h"

/* The day/month order of a locale date (--date-order). */
enum trace_date_order { TRACE_DATE_AUTO = 0, TRACE_DATE_MDY, TRACE_DATE_DMY };

/* Each returns 0, or -1 when s (n bytes, already trimmed) is not one. */

/* "133127435730482450" or "1.3312743573048245e+17" (100 ns since 1601). */
int tt_parse_filetime(const char *s, size_t n, usec_t *out);
/* Times a trace may hold: years 1601 to 9999 (FILETIME's start to the
 * last year ISO 8601 writes with four digits). Every reader's number is
 * checked against them before it is added to anything, so that no sum of a
 * hostile value and an offset overflows. */
#define TT_USEC_MIN (INT64_C(-11644473600) * USEC_PER_SEC)
#define TT_USEC_MAX (INT64_C(253402300800) * USEC_PER_SEC)
/* "1741211888.724656": seconds since 1970 UTC, at most TT_USEC_MAX either way. */
int tt_parse_epoch(const char *s, size_t n, usec_t *out);
/* "7:37:25.6861344 AM", "16:33:14.1234567", "7:37:25 PM": µs into the day. */
int tt_parse_time_of_day(const char *s, size_t n, usec_t *out);
/* "00:00:07.4767347" (hours may exceed 23) or "7.4767347" seconds. */
int tt_parse_elapsed(const char *s, size_t n, usec_t *out);
/* "-12345", "0x1C4C", "1234". */
int tt_parse_pid(const char *s, size_t n, int64_t *out);

/* A date as a locale writes it: "7/31/2020", "31.07.2020", "2020-07-31",
 * optionally followed by a time (ignored). *order is the day/month order:
 * TRACE_DATE_AUTO is resolved here when a part exceeds 12 (and stays set for
 * the next call). Returns 0 with *days (since 1970-01-01), -1 when not a
 * date, 1 when the order cannot be told (both parts 12 or less). */
int tt_parse_date(const char *s, size_t n, enum trace_date_order *order,
                  int64_t *days);

/* The day/month order of the first date in text (n bytes) that decides it
 * ("12/13/2017": month first; "13.07.2020": day first): 1 or 2 digits, the
 * same separator ('/', '.' or '-') twice, a 4-digit year. TRACE_DATE_AUTO
 * when every date there could be either. For a lookahead: dates anywhere in
 * a row (a Procmon Detail's "LastWriteTime: 12/13/2017 ...") are written in
 * the same locale as the date column. */
enum trace_date_order tt_date_order_in(const char *text, size_t n);

/* When no date decides (every part 12 or less), a trace that runs past
 * midnight still does: "7/11/2020" then "7/12/2020" is one day later read
 * month first and a month later read day first. The steps between
 * successive distinct dates of the text, tallied over the whole file. */
struct tt_date_steps {
  int a, b, year; /* the last date seen, its parts as written */
  bool have;
  unsigned mdy, dmy; /* one-day steps that read only month first, day first */
};
void tt_date_steps_in(struct tt_date_steps *st, const char *text, size_t n);
/* The order every step agrees on, else TRACE_DATE_AUTO. */
enum trace_date_order tt_date_steps_order(const struct tt_date_steps *st);

#endif
