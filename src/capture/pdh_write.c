/* pdh_write — PDH-CSV 4.0 as perfmon writes it (see pdh_write.h). */
#include "config.h"
#include "capture/pdh_write.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

char *pdh_counter_path(const char *host, const char *object,
                       const char *instance, const char *counter) {
  return xasprintf("\\\\%s\\%s(%s)\\%s", host, object, instance, counter);
}

char *pdh_instance_name(const char *name) {
  if (!*name)
    return xstrdup("_");
  char *s = xstrdup(name);
  for (char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '(')
      *p = '[';
    else if (c == ')')
      *p = ']';
    else if (c == '#' || c == '\\' || c == '/' || c == '"' || c < 0x20 || c == 0x7f)
      *p = '_';
  }
  return s;
}

/* A cell's text never holds a double quote: perfmon has no escape for one. */
static void put_cell(FILE *f, const char *text, bool first) {
  if (!first)
    fputc(',', f);
  fputc('"', f);
  for (const char *p = text; *p; p++)
    fputc(*p == '"' ? '_' : *p, f);
  fputc('"', f);
}

int pdh_write_header(FILE *f, const char *zone, long bias_minutes,
                     const char *const *paths, size_t n) {
  char *cell0 = xasprintf("(PDH-CSV 4.0) (%s)(%ld)", zone, bias_minutes);
  put_cell(f, cell0, true);
  free(cell0);
  for (size_t i = 0; i < n; i++)
    put_cell(f, paths[i], false);
  fputs("\r\n", f);
  return ferror(f) ? -1 : 0;
}

int pdh_write_row(FILE *f, usec_t local, const uint64_t *values,
                  const bool *present, size_t n) {
  char stamp[TIME_UTC_BUFSZ];
  put_cell(f, time_format_pdh(local, stamp), true);
  for (size_t i = 0; i < n; i++) {
    char num[32];
    if (present[i])
      snprintf(num, sizeof num, "%" PRIu64, values[i]);
    else
      strcpy(num, " ");
    put_cell(f, num, false);
  }
  fputs("\r\n", f);
  return ferror(f) ? -1 : 0;
}
