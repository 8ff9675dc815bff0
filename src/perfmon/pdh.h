/* pdh — streaming reader of perfmon PDH-CSV / PDH-TSV exports (relog -f
 * csv|tsv, typeperf, Data Collector Sets).
 *
 * One pass, bounded memory: the header is parsed at open, then each row is
 * read on demand and only the selected columns are converted to numbers.
 * The header's first cell carries the signature, the time-zone name and the
 * bias (UTC = local + bias minutes); the bias may be missing (typeperf, or a
 * localized zone name cut short) and then --bias / --utc or UTC with a
 * warning apply. A blank cell (" ") is a missing sample: NaN, never 0.
 *
 * Local time across a DST change. The header has one bias, but the rows are
 * wall-clock time, so a log spanning a change jumps an hour forward (spring)
 * or repeats an hour (fall). Two ways to map it to continuous UTC:
 *  - from the data (the default; not with --utc): a step of local time of
 *    the median interval +1 h or -1 h (within DST_SLACK), whose skipped or
 *    repeated hour starts on the hour or half hour of local time (clocks
 *    change there), is a DST change: the rows after a spring forward are
 *    1 h earlier in UTC than the bias says (shift -1 h), those after a fall
 *    back 1 h later (+1 h). A one-hour step off the hour is a gap in logging
 *    and is only warned about ("time-dst"); so is a step back that is not
 *    a DST change ("time-backwards").
 *  - from --tz NAME: every row is mapped with the zone's rules (util/tzfile);
 *    a repeated time takes the earliest UTC time not before the previous
 *    row's, so UTC never runs backwards; the data are not searched for
 *    changes, so a one-hour gap where the zone has no change stays a gap.
 * Each change is reported when the log has been read: warning "dst-corrected"
 * with the local time of the change and the number of rows mapped anew.
 *
 * Binary .blg logs (recognised by content, gzipped or not) are read by
 * blg.c behind this same interface: format "blg", a row per sample, its
 * `line` the sample's number, the bias from the log's time zone. */
#ifndef LEAKSLOPE_PDH_H
#define LEAKSLOPE_PDH_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"
#include "input/input.h"
#include "perfmon/pdh_path.h"
#include "util/timeutil.h"

struct pdh_options {
  const char *encoding; /* iconv name, or NULL for automatic */
  bool have_bias;       /* --bias given: it overrides the header */
  long bias;            /* minutes, UTC = local + bias */
  bool utc;             /* --utc: the times are UTC */
  const char *tz;       /* --tz NAME: map local times with this zone's rules */
  char date_order;      /* --date-order: 'm' (mdy), 'd' (dmy), 0: from the file,
                           for a log re-saved with 3/5/2026-style dates */
  bool have_max_bytes;  /* --max-bytes given: */
  uint64_t max_bytes;   /*   inflated bytes a gzip log may give (0: any) */
};

enum pdh_bias_source {
  PDH_BIAS_HEADER,  /* from cell 0 */
  PDH_BIAS_OPTION,  /* --bias */
  PDH_BIAS_UTC,     /* --utc */
  PDH_BIAS_ASSUMED, /* none known: times taken as UTC, with a warning */
  PDH_BIAS_TZ       /* --tz: the zone's rules; the bias is the header's */
};

struct pdh_reader;

/* Open PATH ("-" for standard input), read and parse its header. Warnings
 * (no bias, skipped columns, encoding guesses, time steps, DST changes) go
 * to w, which must outlive the reader. Returns NULL with d filled:
 * DIAG_NOINPUT, DIAG_DATA (not a PDH export, a .blg, malformed header),
 * DIAG_USAGE (an unknown --encoding, an unknown --tz zone, --tz with --utc
 * or --bias). */
struct pdh_reader *pdh_open(const char *path, const struct pdh_options *opt,
                            struct warnings *w, struct diag *d);
void pdh_close(struct pdh_reader *r);

/* The header. */
const char *pdh_format(const struct pdh_reader *r); /* "pdh-csv" / "pdh-tsv" / "blg" */
/* The text encoding: input_encoding's, "utf-16le" for a .blg's names. */
const char *pdh_encoding(const struct pdh_reader *r);
const char *pdh_timezone(const struct pdh_reader *r); /* NULL when absent */
/* DST changes corrected so far (all of them once the log is read). */
size_t pdh_dst_changes(const struct pdh_reader *r);
bool pdh_header_has_bias(const struct pdh_reader *r);
long pdh_header_bias(const struct pdh_reader *r);  /* valid if has_bias */
long pdh_bias(const struct pdh_reader *r);         /* the bias applied */
enum pdh_bias_source pdh_bias_source(const struct pdh_reader *r);
struct input *pdh_input(const struct pdh_reader *r);

/* The counter columns (non-path columns are left out), with English alias
 * names filled in. */
size_t pdh_counter_count(const struct pdh_reader *r);
const struct pdh_counter *pdh_counters(const struct pdh_reader *r);

/* Convert column i (an index into pdh_counters) in the rows read from now
 * on; nothing is selected at first. */
void pdh_select(struct pdh_reader *r, size_t i);
void pdh_select_all(struct pdh_reader *r);
/* Walk every cell of every row, skipping none, and convert each selected
 * one after next_cell has found it: the one exact path that the fast skip
 * over unselected cells and the one-pass quoted numbers are tested against
 * (same values, same errors). */
void pdh_walk_every_cell(struct pdh_reader *r, bool on);

/* A header of more counter columns is refused at the first one past the
 * limit (each costs some 200 bytes per column and per row's parse; a 16 MiB
 * header of 1.5 million tiny columns took 15 s and 2 GB). */
#define PDH_MAX_COUNTERS 200000

struct pdh_row {
  usec_t local; /* as written */
  usec_t utc;   /* local + bias, or by --tz, corrected across DST changes */
  long line;
  const double *values; /* pdh_counter_count entries; NaN when blank or not
                           selected; valid until the next call */
};

/* Next data row. Returns 1 with a row, 0 at the end, -1 with d filled
 * (DIAG_DATA at FILE:LINE:COL: wrong cell count, unbalanced quote, bad
 * number, bad time). Times that step backwards or by about an hour are
 * corrected when they are a DST change (see the top), else warned about. */
int pdh_next_row(struct pdh_reader *r, struct pdh_row *row, struct diag *d);

/* Parse a number as perfmon writes it: [-]digits[.digits][e[+-]digits]
 * (MSVC exponents "e-005"; up to 20 significant digits; '.' always).
 * Rejects inf, nan, hex and anything else. Returns 0, or -1 with *bad at the
 * offending byte. */
int pdh_parse_number(const char *s, size_t n, double *out, size_t *bad);

/* Parse "MM/DD/YYYY HH:MM:SS[.fff]" into µs. -1 with *bad on error. */
int pdh_parse_time(const char *s, size_t n, usec_t *out, size_t *bad);


#endif
