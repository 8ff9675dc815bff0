/* bytefmt — byte counts as people read them: binary units, three
 * significant digits, never "-0". Used by every sentence the tool prints
 * (the analyze verdict, the compare judgement), so they read alike. */
#ifndef LEAKSLOPE_BYTEFMT_H
#define LEAKSLOPE_BYTEFMT_H

#include <stddef.h>

/* "40.0 KiB", "1.2 MiB", "512 B". */
void format_bytes(double bytes, char *buf, size_t cap);

/* "39.8–40.2 KiB": both ends in the unit of the larger one, with enough
 * decimals that two different ends never read alike. */
void format_bytes_range(double lo, double hi, char *buf, size_t cap);

#endif
