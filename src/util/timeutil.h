/* timeutil — calendar arithmetic on integers, never the host's TZ or locale.
 * A time is an int64 count of microseconds since 1970-01-01T00:00:00Z. */
#ifndef LEAKSLOPE_TIMEUTIL_H
#define LEAKSLOPE_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t usec_t;

#define USEC_PER_SEC INT64_C(1000000)
#define USEC_PER_MIN (60 * USEC_PER_SEC)
#define USEC_PER_HOUR (3600 * USEC_PER_SEC)
#define USEC_PER_DAY (86400 * USEC_PER_SEC)
/* FILETIME (100 ns since 1601-01-01 UTC) of the Unix epoch. */
#define FILETIME_UNIX_EPOCH INT64_C(116444736000000000)

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * algorithm); month 1-12. */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
bool valid_civil(int64_t y, unsigned m, unsigned d);

usec_t time_from_fields(int64_t y, unsigned mo, unsigned d, unsigned h,
                        unsigned mi, unsigned s, unsigned usec);
/* qsort comparison of two usec_t. */
int usec_cmp(const void *a, const void *b);

usec_t time_from_filetime(int64_t filetime);

/* "YYYY-MM-DDTHH:MM:SS.ffffffZ" (always 6 digits); buf needs 32 bytes. */
#define TIME_UTC_BUFSZ 32
char *time_format_utc(usec_t t, char *buf);
/* "MM/DD/YYYY HH:MM:SS.mmm" as perfmon writes local time (t already shifted). */
char *time_format_pdh(usec_t t, char *buf);

/* Parse ISO 8601 "YYYY-MM-DD[T ]HH:MM:SS[.f...]" followed by "Z", "+HH:MM",
 * "-HH:MM" or nothing (then *had_zone is false and the time is taken as is).
 * Returns 0, or -1 with *err_off set to the byte offset of the first problem. */
int time_parse_iso(const char *s, size_t n, usec_t *out, bool *had_zone,
                   size_t *err_off);

/* Parse "+HH:MM" / "-HH:MM" / "+HHMM" / "Z" into minutes east of UTC. */
int time_parse_offset(const char *s, int *minutes);

#endif
