/* wallclock — the log's own clock on a page: its zone as "UTC+01:00", a
 * span of samples in local time, and a plot's time axis (where the tics
 * fall, how they read, what the axis is called). The gnuplot plots
 * (plot_script), the scan page's inline SVG (scan_html) and the report's
 * run dates (report_summary) all say time through here, so a reader sees
 * one clock and one zone wherever a time is shown. No I/O. */
#ifndef LEAKSLOPE_WALLCLOCK_H
#define LEAKSLOPE_WALLCLOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "util/timeutil.h"
#include "util/xalloc.h"

/* "UTC", "UTC+01:00", "UTC−05:30" (a true minus). */
#define WALLCLOCK_ZONE_BUFSZ 16
char *wallclock_zone(long minutes_east, char *buf);

/* "2026-03-05 09:00:00–11:59:55 (UTC+01:00)": from and to (UTC) on the
 * clock minutes_east of UTC, the date again only when the day changes;
 * when the zone is not known (known false), in UTC: "... UTC". */
void wallclock_span(struct strbuf *b, usec_t from, usec_t to, long minutes_east, bool known);
/* Its two parts: the times ("2026-03-05 09:00:00–11:59:55") and the zone
 * note (" (UTC+01:00)", or " UTC" when not known), for lists that say a
 * shared zone once. */
void wallclock_span_times(struct strbuf *b, usec_t from, usec_t to, long minutes_east,
                          bool known);
void wallclock_zone_note(struct strbuf *b, long minutes_east, bool known);

/* text with each UTC time in it ("2026-03-05T21:58:08.724656Z", the form
 * of warnings and JSON) as the rest of a page says time: on the clock
 * minutes_east of UTC when known, to the second ("2026-03-05 22:58:08"),
 * the zone said once at the end (" (times in UTC+01:00)"; " (times in
 * UTC)" when not known). Text without such a time is copied as it is. */
void wallclock_text(struct strbuf *b, const char *text, long minutes_east, bool known);

/* How tics read on an axis spanning span seconds, as a strftime (and
 * gnuplot) format: "%H:%M:%S" under 10 minutes, "%H:%M" under two days,
 * "%m-%d %H:%M" beyond. */
const char *wallclock_tic_format(double span);
/* The tic at local time t as that format reads it ("09:30"). */
void wallclock_tic_label(usec_t local, double span, char *buf, size_t cap);
/* A round step between tics (1 s ... 1 week, in seconds) giving at most
 * max_tics tics over span seconds. */
double wallclock_tic_step(double span, int max_tics);
/* "time of day on the log's clock (UTC+01:00), from 2026-03-05" for an
 * axis whose first sample is at first_local. Malloc'ed. */
char *wallclock_axis_label(const char *zone, usec_t first_local);

#endif
