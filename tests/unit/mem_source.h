/* mem_source.h — a string as a text source for the stream parsers' tests
 * (jsonlex, xmlpaste: the xmlstream_read_fn shape), handed out at most
 * `step` bytes a read, so a token or a marker cut by a read boundary is
 * exercised. Header only. */
#ifndef LEAKSLOPE_TEST_MEM_SOURCE_H
#define LEAKSLOPE_TEST_MEM_SOURCE_H

#include <string.h>

#include "util/diag.h"

struct mem {
  const char *s;
  size_t pos, len, step;
};

static long mem_read(void *ctx, char *buf, size_t cap, struct diag *d) {
  (void)d;
  struct mem *m = ctx;
  size_t n = m->len - m->pos;
  if (n > cap)
    n = cap;
  if (n > m->step)
    n = m->step;
  memcpy(buf, m->s + m->pos, n);
  m->pos += n;
  return (long)n;
}

#endif
