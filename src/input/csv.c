/* csv — RFC 4180 field splitting shared by the CSV-family trace readers
 * (see csv.h). A small state machine over one record's bytes; cell contents
 * are copied into one buffer so a record of any width costs two growable
 * buffers, reused from record to record. */
#include "config.h"

#include "input/csv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/input.h"

void csv_record_init(struct csv_record *r) {
  strbuf_init(&r->text);
  strbuf_init(&r->cells);
  r->fields = NULL;
  r->nfields = r->cap = 0;
  r->line = 0;
  r->open_cell = r->open_off = r->open_end = 0;
}

void csv_record_fini(struct csv_record *r) {
  strbuf_fini(&r->text);
  strbuf_fini(&r->cells);
  free(r->fields);
  r->fields = NULL;
  r->nfields = r->cap = 0;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Field starts are recorded as offsets into cells (which may move while it
 * grows); pointers are fixed up once the record is split. */
static void push_field(struct csv_record *r, size_t cell_start, size_t off,
                       bool quoted) {
  if (r->nfields == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 32;
    r->fields = xreallocarray(r->fields, r->cap, sizeof *r->fields);
  }
  struct csv_field *f = &r->fields[r->nfields++];
  f->s = NULL;
  f->len = r->cells.len - cell_start;
  f->off = off;
  f->quoted = quoted;
  strbuf_addc(&r->cells, '\0');
}

/* Unquoted field: up to the separator, trailing blanks dropped. */
static size_t split_plain(struct csv_record *r, const char *t, size_t n,
                          size_t i, char sep) {
  size_t start = i, end;
  const char *q = memchr(t + i, sep, n - i);
  i = q ? (size_t)(q - t) : n;
  end = i;
  while (end > start && is_blank(t[end - 1]))
    end--;
  strbuf_add(&r->cells, t + start, end - start);
  return i;
}

/* Quoted field whose content starts at t[i] (after its opening quote).
 * Returns the index after the closing quote, or n + 1 when the quote is
 * still open at the end. */
static size_t split_quoted(struct csv_record *r, const char *t, size_t n,
                           size_t i) {
  while (i < n) { /* a run up to the next quote at a time, not byte by byte */
    const char *q = memchr(t + i, '"', n - i);
    size_t at = q ? (size_t)(q - t) : n;
    strbuf_add(&r->cells, t + i, at - i);
    if (at == n)
      break;
    if (at + 1 < n && t[at + 1] == '"') {
      strbuf_addc(&r->cells, '"');
      i = at + 2;
    } else {
      return at + 1;
    }
  }
  return n + 1;
}

/* Split t from byte i; when `open` is set, i is inside the quoted field
 * that r->open_* describe (the fields before it already pushed). */
static int split_from(struct csv_record *r, const char *t, size_t n, char sep,
                      size_t i, bool open, size_t *err_off, const char **why) {
  for (;;) {
    size_t cell_start = r->open_cell, off = r->open_off;
    bool quoted = open;
    if (!open) {
      while (i < n && is_blank(t[i]) && t[i] != sep)
        i++;
      cell_start = r->cells.len;
      off = i;
      quoted = i < n && t[i] == '"';
      i += quoted;
    }
    open = false;
    if (quoted) {
      i = split_quoted(r, t, n, i);
      if (i > n) {
        /* Where the next line resumes: a quote open for 1000 long lines
         * was split again from the start at every line (quadratic). */
        r->open_cell = cell_start;
        r->open_off = off;
        r->open_end = n;
        return CSV_OPEN_QUOTE;
      }
      while (i < n && is_blank(t[i]) && t[i] != sep)
        i++;
      if (i < n && t[i] != sep) {
        *err_off = i;
        *why = "text after a closing quote (expected the separator; quotes "
               "inside a quoted field are doubled)";
        return -1;
      }
    } else {
      i = split_plain(r, t, n, i, sep);
    }
    if (r->cells.len - cell_start > CSV_CELL_MAX) {
      *err_off = off;
      *why = "field longer than 1 MiB (expected a short cell)";
      return -1;
    }
    if (r->nfields >= CSV_MAX_FIELDS) {
      *err_off = off;
      *why = "more than 4096 fields in a record (expected a short row)";
      return -1;
    }
    push_field(r, cell_start, off, quoted);
    if (i >= n)
      break;
    i++; /* the separator */
  }
  size_t pos = 0;
  for (size_t k = 0; k < r->nfields; k++) {
    r->fields[k].s = r->cells.data + pos;
    pos += r->fields[k].len + 1;
  }
  return 0;
}

int csv_split(struct csv_record *r, const char *t, size_t n, char sep,
              size_t *err_off, const char **why) {
  r->nfields = 0;
  strbuf_reset(&r->cells);
  return split_from(r, t, n, sep, 0, false, err_off, why);
}

static int malformed(struct input *in, const struct csv_record *r, size_t off,
                     const char *why, struct diag *d) {
  long line, col;
  csv_position(r, off, &line, &col);
  return diag_set(d, DIAG_DATA, input_name(in), line, col, "%s", why);
}

int csv_read(struct input *in, struct csv_record *r, char sep,
             struct diag *d) {
  const char *line;
  size_t len;
  int rc = input_read_line(in, &line, &len, d);
  if (rc <= 0)
    return rc;
  strbuf_reset(&r->text);
  strbuf_add(&r->text, line, len);
  r->line = input_line_number(in);
  size_t err_off = 0;
  const char *why = NULL;
  rc = csv_split(r, r->text.data, r->text.len, sep, &err_off, &why);
  for (int lines = 1; rc == CSV_OPEN_QUOTE; lines++) {
    if (r->cells.len - r->open_cell > CSV_CELL_MAX)
      return malformed(in, r, r->open_off,
                       "field longer than 1 MiB (expected a short cell)", d);
    rc = lines < CSV_MAX_LINES ? input_read_line(in, &line, &len, d) : 0;
    if (rc < 0)
      return -1;
    if (rc == 0)
      return malformed(in, r, r->open_off,
                       lines < CSV_MAX_LINES
                           ? "quoted field not closed before the end of input "
                             "(expected a closing '\"')"
                           : "quoted field spans more than 1000 lines "
                             "(expected a closing '\"')",
                       d);
    strbuf_addc(&r->text, '\n');
    strbuf_add(&r->text, line, len);
    rc = split_from(r, r->text.data, r->text.len, sep, r->open_end, true,
                    &err_off, &why);
  }
  if (rc < 0)
    return malformed(in, r, err_off, why, d);
  return 1;
}

void csv_position(const struct csv_record *r, size_t off, long *line,
                  long *col) {
  const char *t = r->text.data ? r->text.data : "";
  size_t start = 0;
  *line = r->line;
  if (off > r->text.len)
    off = r->text.len;
  for (size_t i = 0; i < off; i++)
    if (t[i] == '\n') {
      (*line)++;
      start = i + 1;
    }
  *col = utf8_column(t + start, off - start);
}

long csv_find(const struct csv_record *r, const char *name) {
  size_t n = strlen(name);
  while (n > 0 && is_blank(name[n - 1]))
    n--;
  while (n > 0 && is_blank(*name)) {
    name++;
    n--;
  }
  for (size_t k = 0; k < r->nfields; k++)
    if (r->fields[k].len == n && strncasecmp(r->fields[k].s, name, n) == 0)
      return (long)k;
  return -1;
}
