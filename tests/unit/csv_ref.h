/* csv_ref — the field splitter as it was before it took runs with memchr
 * (byte by byte, every byte through strbuf_addc): the reference test_csv
 * checks csv_split against on random records. Slow on purpose; test only. */
#ifndef LEAKSLOPE_CSV_REF_H
#define LEAKSLOPE_CSV_REF_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "input/csv.h"
#include "util/xalloc.h"

struct ref_field {
  char *s;
  size_t len, off;
  bool quoted;
};

struct ref_record {
  struct ref_field f[CSV_MAX_FIELDS + 1];
  size_t n;
  struct strbuf cell;
};

static bool ref_blank(char c) { return c == ' ' || c == '\t'; }

static void ref_push(struct ref_record *r, size_t off, bool quoted) {
  r->f[r->n].s = xmemdup(r->cell.data ? r->cell.data : "", r->cell.len + 1);
  r->f[r->n].len = r->cell.len;
  r->f[r->n].off = off;
  r->f[r->n].quoted = quoted;
  r->n++;
  strbuf_reset(&r->cell);
}

static void ref_free(struct ref_record *r) {
  for (size_t k = 0; k < r->n; k++)
    free(r->f[k].s);
  r->n = 0;
  strbuf_fini(&r->cell);
}

/* 0, CSV_OPEN_QUOTE or -1 with *err_off and *why, as csv_split. */
static int ref_split(struct ref_record *r, const char *t, size_t n, char sep,
                     size_t *err_off, const char **why) {
  size_t i = 0;
  r->n = 0;
  strbuf_init(&r->cell);
  for (;;) {
    while (i < n && ref_blank(t[i]) && t[i] != sep)
      i++;
    size_t off = i;
    bool quoted = i < n && t[i] == '"';
    strbuf_add(&r->cell, "", 0);
    if (quoted) {
      for (i++;; i++) {
        if (i >= n)
          return CSV_OPEN_QUOTE;
        if (t[i] != '"')
          strbuf_addc(&r->cell, t[i]);
        else if (i + 1 < n && t[i + 1] == '"')
          strbuf_addc(&r->cell, '"'), i++;
        else
          break;
      }
      i++;
      while (i < n && ref_blank(t[i]) && t[i] != sep)
        i++;
      if (i < n && t[i] != sep) {
        *err_off = i;
        *why = "text after a closing quote (expected the separator; quotes "
               "inside a quoted field are doubled)";
        return -1;
      }
    } else {
      size_t start = i, end;
      while (i < n && t[i] != sep)
        i++;
      end = i;
      while (end > start && ref_blank(t[end - 1]))
        end--;
      for (size_t k = start; k < end; k++)
        strbuf_addc(&r->cell, t[k]);
    }
    if (r->cell.len > CSV_CELL_MAX) {
      *err_off = off;
      *why = "field longer than 1 MiB (expected a short cell)";
      return -1;
    }
    if (r->n >= CSV_MAX_FIELDS) {
      *err_off = off;
      *why = "more than 4096 fields in a record (expected a short row)";
      return -1;
    }
    ref_push(r, off, quoted);
    if (i >= n)
      return 0;
    i++;
  }
}

#endif
