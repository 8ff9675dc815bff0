/* pdh_write — write a counter log in PDH-CSV 4.0 exactly as perfmon writes
 * it, so that every reader of Windows logs reads a Linux capture unchanged:
 * every cell in double quotes, CRLF line ends, cell 0 of the header
 * `(PDH-CSV 4.0) (ZONE)(BIAS)` where UTC = local + BIAS minutes, counter
 * paths `\\HOST\Object(Instance)\Counter`, then one row per sample with its
 * local time `MM/DD/YYYY HH:MM:SS.mmm` and integer values; a missing value
 * is `" "`, never a zero. */
#ifndef LEAKSLOPE_PDH_WRITE_H
#define LEAKSLOPE_PDH_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/timeutil.h"

/* `\\HOST\OBJECT(INSTANCE)\COUNTER`, malloc'ed. */
char *pdh_counter_path(const char *host, const char *object,
                       const char *instance, const char *counter);

/* A name made safe as a perfmon instance name the way perfmon makes one:
 * `(` -> `[`, `)` -> `]`, `#` (the duplicate marker), `\`, `/`, `"` and
 * control characters -> `_`; malloc'ed. An empty name becomes "_". */
char *pdh_instance_name(const char *name);

/* The header row. Returns 0, or -1 when the stream has an error. */
int pdh_write_header(FILE *f, const char *zone, long bias_minutes,
                     const char *const *paths, size_t n);

/* One data row at local time `local` (UTC already shifted by -bias);
 * values[i] is written when present[i], else a blank `" "`. Returns 0, or
 * -1 when the stream has an error. */
int pdh_write_row(FILE *f, usec_t local, const uint64_t *values,
                  const bool *present, size_t n);

#endif
