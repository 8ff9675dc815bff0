/* bytefmt — byte counts as people read them: binary units, three
 * significant digits, never "-0". Used by every sentence the tool prints
 * (the analyze verdict, the compare judgement), so they read alike. */
#ifndef LEAKSLOPE_BYTEFMT_H
#define LEAKSLOPE_BYTEFMT_H

#include <stddef.h>

/* U+2212, the minus sign every negative figure is printed with. */
#define MINUS_SIGN "\xe2\x88\x92"

/* "40.0 KiB", "1.2 MiB", "512 B", "\u22127 B". */
void format_bytes(double bytes, char *buf, size_t cap);

/* "39.8–40.2 KiB": both ends in the unit of the larger one, with enough
 * decimals that two different ends never read alike; with a negative lower
 * end "−30 to +35 B" or "−40 to −30 B" (a dash would read as a minus). */
void format_bytes_range(double lo, double hi, char *buf, size_t cap);

/* The one way a figure and its interval are printed: "64.0 KiB (95%:
 * 63.98–64.02 KiB)"; just the figure when an end is not finite. */
void format_bytes_ci(double v, double lo, double hi, char *buf, size_t cap);

#endif
