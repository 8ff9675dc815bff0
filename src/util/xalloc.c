/* xalloc — allocation that aborts on exhaustion, and a string buffer. */
#include "config.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void) {
  fputs("leakslope: out of memory\n", stderr);
  abort();
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p)
    out_of_memory();
  return p;
}

void *xreallocarray(void *p, size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    out_of_memory();
  return xrealloc(p, n * size);
}

void *xmemdup(const void *p, size_t n) {
  void *q = xmalloc(n);
  if (n)
    memcpy(q, p, n);
  return q;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *xvasprintf(const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0)
    out_of_memory();
  char *p = xmalloc((size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *xasprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = xvasprintf(fmt, ap);
  va_end(ap);
  return p;
}

void strbuf_init(struct strbuf *b) {
  b->data = NULL;
  b->len = b->cap = 0;
}

void strbuf_fini(struct strbuf *b) {
  free(b->data);
  strbuf_init(b);
}

void strbuf_reset(struct strbuf *b) {
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

static void strbuf_grow(struct strbuf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1)
    cap *= 2;
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

void strbuf_add(struct strbuf *b, const char *s, size_t n) {
  strbuf_grow(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void strbuf_add_lower(struct strbuf *b, const char *s, size_t n) {
  strbuf_grow(b, n);
  char *d = b->data + b->len;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    d[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
  }
  b->len += n;
  b->data[b->len] = '\0';
}

void strbuf_add_u64(struct strbuf *b, unsigned long long v) {
  char tmp[24];
  size_t i = sizeof tmp;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  strbuf_add(b, tmp + i, sizeof tmp - i);
}

void strbuf_adds(struct strbuf *b, const char *s) { strbuf_add(b, s, strlen(s)); }

void strbuf_addf(struct strbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = xvasprintf(fmt, ap);
  va_end(ap);
  strbuf_adds(b, s);
  free(s);
}

char *strbuf_detach(struct strbuf *b) {
  char *s = b->data ? b->data : xstrdup("");
  strbuf_init(b);
  return s;
}
