/* diag — errors and warnings as values (see diag.h). */
#include "config.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_init(struct diag *d) {
  memset(d, 0, sizeof *d);
  d->offset = -1;
}

void diag_fini(struct diag *d) {
  free(d->file);
  free(d->message);
  diag_init(d);
}

static int diag_vset(struct diag *d, enum diag_kind kind, const char *file,
                     long line, long col, long offset, const char *fmt,
                     va_list ap) {
  diag_fini(d);
  d->kind = kind;
  d->file = file ? xstrdup(file) : NULL;
  d->line = line;
  d->col = col;
  d->offset = offset;
  d->message = xvasprintf(fmt, ap);
  return -1;
}

int diag_set(struct diag *d, enum diag_kind kind, const char *file, long line,
             long col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vset(d, kind, file, line, col, -1, fmt, ap);
  va_end(ap);
  return -1;
}

int diag_set_at_offset(struct diag *d, enum diag_kind kind, const char *file,
                       long offset, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vset(d, kind, file, 0, 0, offset, fmt, ap);
  va_end(ap);
  return -1;
}

char *diag_format(const struct diag *d) {
  const char *msg = d->message ? d->message : "unknown error";
  if (!d->file)
    return xstrdup(msg);
  if (d->offset >= 0)
    return xasprintf("%s:@%ld: %s", d->file, d->offset, msg);
  if (d->line > 0 && d->col > 0)
    return xasprintf("%s:%ld:%ld: %s", d->file, d->line, d->col, msg);
  if (d->line > 0)
    return xasprintf("%s:%ld: %s", d->file, d->line, msg);
  return xasprintf("%s: %s", d->file, msg);
}

void warnings_init(struct warnings *w) { memset(w, 0, sizeof *w); }

void warnings_fini(struct warnings *w) {
  for (size_t i = 0; i < w->count; i++) {
    free(w->items[i].code);
    free(w->items[i].message);
    free(w->items[i].file);
  }
  free(w->items);
  warnings_init(w);
}

void warnings_add(struct warnings *w, const char *code, const char *file,
                  long line, const char *fmt, ...) {
  if (w->count == w->cap) {
    w->cap = w->cap ? 2 * w->cap : 8;
    w->items = xreallocarray(w->items, w->cap, sizeof *w->items);
  }
  struct warning *it = &w->items[w->count++];
  va_list ap;
  va_start(ap, fmt);
  it->message = xvasprintf(fmt, ap);
  va_end(ap);
  it->code = xstrdup(code);
  it->file = file ? xstrdup(file) : NULL;
  it->line = line;
}

int warnings_has(const struct warnings *w, const char *code) {
  for (size_t i = 0; i < w->count; i++)
    if (strcmp(w->items[i].code, code) == 0)
      return 1;
  return 0;
}

long utf8_column(const char *line, size_t off) {
  long col = 1;
  for (size_t i = 0; i < off && line[i]; i++)
    if (((unsigned char)line[i] & 0xC0) != 0x80)
      col++;
  return col;
}
