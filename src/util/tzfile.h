/* tzfile — the rules of a named time zone (Europe/Berlin) from the tz
 * database's TZif files (RFC 8536), read directly: never the host's TZ,
 * never setenv or localtime.
 *
 * A zone is its list of transitions (version 2+ 64-bit data when present)
 * and, for times after the last one, the POSIX TZ string of the file's
 * footer ("CET-1CEST,M3.5.0,M10.5.0/3"). Files are looked up in $TZDIR,
 * else /usr/share/zoneinfo. Offsets are seconds east of UTC (local = UTC +
 * offset; a perfmon bias is its negation in minutes). */
#ifndef LEAKSLOPE_TZFILE_H
#define LEAKSLOPE_TZFILE_H

#include <stddef.h>

#include "util/diag.h"
#include "util/timeutil.h"

struct tz_zone;

/* The folder zones are read from: $TZDIR when set, else /usr/share/zoneinfo. */
const char *tz_dir(void);

/* Load the zone NAME ("Europe/Berlin", "UTC"). NULL with d filled:
 * DIAG_USAGE for a name that is not a zone (absolute, "..", unknown),
 * DIAG_DATA for a file that is not TZif. */
struct tz_zone *tz_load(const char *name, struct diag *d);

/* The same from the bytes of a TZif file (for tests). */
struct tz_zone *tz_parse(const unsigned char *b, size_t n, const char *name,
                         struct diag *d);

void tz_free(struct tz_zone *z);
const char *tz_name(const struct tz_zone *z);

/* Offset east of UTC, in seconds, in effect at UTC time t. */
long tz_offset_at(const struct tz_zone *z, usec_t t);

/* The UTC times whose wall-clock time in the zone is `local` (both in µs,
 * local counted as if it were UTC): returns 0 (the time is skipped, in a
 * spring-forward gap), 1, or 2 (repeated after a fall back; out[0] <
 * out[1]). */
int tz_local_to_utc(const struct tz_zone *z, usec_t local, usec_t out[2]);

#endif
