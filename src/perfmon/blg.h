/* blg — binary perfmon logs (.blg) as perfmon, logman and Data Collector
 * Sets write them since Windows Server 2003 and Vista: PDH's raw samples in
 * an event-trace (ETL) file. formats/README-perfmon.md describes the layout.
 *
 * The file is read one trace buffer at a time (64 KiB in every log seen),
 * never whole: memory depends on the counter list and the widest sample,
 * not on the log's length. The counters are the log's list, a wildcard
 * instance (`Process(*)`) expanded into every instance the log holds (found
 * by a first pass over a second opening of the file; from standard input,
 * the first sample's), numbered `name#1`, `name#2` as relog does for
 * same-named ones. A whole object (Vista's `Process(*)\*`, a perflib
 * PERF_DATA_BLOCK per sample: perfdata.c) becomes one column per counter
 * and instance, named from the log's counter-name table. Values are
 * computed from the raw pairs by counter type (perfcalc), so a rate's first
 * sample is blank, as in relog's CSV. A cell whose status is bad (the
 * machine could not be reached...) is blank, counted, and warned about.
 *
 * A reader of the format only: pdh.c puts it behind the pdh_reader
 * interface (times, bias, DST are handled there as for the CSV). */
#ifndef LEAKSLOPE_BLG_H
#define LEAKSLOPE_BLG_H

#include <stdbool.h>
#include <stddef.h>

#include "input/input.h"
#include "perfmon/pdh_path.h"
#include "util/diag.h"
#include "util/timeutil.h"

/* Whether the first bytes look like a trace buffer (its size, a power of
 * two from 4 KiB to 64 MiB, in the first four bytes, little-endian). */
bool blg_sniff(const unsigned char *b, size_t n);

struct blg_reader;

/* Read the log's header (the trace header with the time zone, the counter
 * list) and its first sample from `in`, which must not have been read yet
 * (a peek is fine) and which the caller keeps owning. NULL with d filled:
 * DIAG_DATA at FILE:@OFFSET. */
struct blg_reader *blg_open(struct input *in, struct warnings *w,
                            struct diag *d);
void blg_close(struct blg_reader *r);

/* The counter columns; the array and its strings pass to the caller, who
 * frees them with pdh_counter_fini and free. Call once. */
struct pdh_counter *blg_take_counters(struct blg_reader *r, size_t *n);

/* The time zone of the logging machine at the first sample: its name (the
 * standard or daylight name; a Vista-and-later reference, "@tzres.dll,-212",
 * named as relog names it where tzres knows it, else as stored, with a
 * warning) and the bias then in effect (UTC = local + bias minutes). false
 * when the log has no trace header. */
bool blg_timezone(const struct blg_reader *r, const char **name, long *bias);

/* Convert column c in the samples read from now on; nothing is selected
 * at first. Only selected columns are converted, and only they keep the
 * previous sample a rate needs: a rate selected after samples were read is
 * blank in the first one read after. */
void blg_select(struct blg_reader *r, size_t c);

/* Next sample: its local time and, for each selected column, its value
 * (NaN when blank); the other values are not touched. Returns 1, 0 at the
 * end, -1 with d filled. *sample is its 1-based number. */
int blg_next(struct blg_reader *r, usec_t *local, double *values, long *sample,
             struct diag *d);

#endif
