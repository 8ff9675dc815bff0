/* csv — one RFC 4180 field splitter for every CSV-family reader.
 *
 * Quoted fields, doubled quotes inside them, separators and line breaks
 * inside quotes (a record may span lines: csv_read joins them), and padded
 * cells (tracerpt writes "  Image,   Load,"): blanks around a field, outside
 * its quotes, are dropped. The record keeps each field's byte offset so a
 * reader can report FILE:LINE:COL. */
#ifndef LEAKSLOPE_CSV_H
#define LEAKSLOPE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"
#include "util/xalloc.h"

struct input;

struct csv_field {
  const char *s; /* unquoted, unpadded content, NUL-terminated */
  size_t len;
  size_t off;    /* byte offset of the field's first character in the record */
  bool quoted;
};

struct csv_record {
  struct strbuf text;  /* the record as read (lines joined with '\n') */
  struct strbuf cells; /* field contents, NUL-separated */
  struct csv_field *fields;
  size_t nfields, cap;
  long line;           /* line number of the record's first line */
  /* csv_split left a quoted field open: its cell start, its offset in text
   * and the text's length then (where csv_read resumes after a line). */
  size_t open_cell, open_off, open_end;
};

void csv_record_init(struct csv_record *r);
void csv_record_fini(struct csv_record *r);

/* A field holds at most CSV_CELL_MAX bytes and a record CSV_MAX_FIELDS
 * fields (the trace formats have about 20): past either, csv_split fails
 * at the field's start instead of filling memory. */
#define CSV_CELL_MAX ((size_t)1 << 20)
#define CSV_MAX_FIELDS 4096

#define CSV_OPEN_QUOTE 1 /* csv_split: a quoted field is still open at the end */

/* Split text (len bytes) into r's fields at sep. Returns 0, CSV_OPEN_QUOTE
 * when the text ends inside quotes (append the next line and split again),
 * or -1 with *err_off at the offending byte and *why set (text after a
 * closing quote). */
int csv_split(struct csv_record *r, const char *text, size_t len, char sep,
              size_t *err_off, const char **why);

/* Read the next record from in, joining lines while a quote is open (at most
 * CSV_MAX_LINES lines). Returns 1, 0 at the end, -1 with d filled (DIAG_DATA
 * with FILE:LINE:COL for a malformed record). */
#define CSV_MAX_LINES 1000
int csv_read(struct input *in, struct csv_record *r, char sep, struct diag *d);

/* Line and 1-based column of byte offset off within r's text (records may
 * span lines), for messages. */
void csv_position(const struct csv_record *r, size_t off, long *line,
                  long *col);

/* Index of the field whose content equals name ignoring ASCII case and
 * surrounding blanks; -1 when absent. */
long csv_find(const struct csv_record *r, const char *name);

#endif
