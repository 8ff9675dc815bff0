/* xalloc — allocation that cannot fail silently, and small string helpers.
 * Running out of memory is not input's fault and cannot be reported in a
 * useful way from deep inside a reader, so these abort with a message. */
#ifndef LEAKSLOPE_XALLOC_H
#define LEAKSLOPE_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
void *xmemdup(const void *p, size_t n);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* A growable byte buffer, always NUL-terminated. */
struct strbuf {
  char *data;
  size_t len, cap;
};
void strbuf_init(struct strbuf *b);
void strbuf_fini(struct strbuf *b);
void strbuf_reset(struct strbuf *b);
void strbuf_add(struct strbuf *b, const char *s, size_t n);
/* One byte: inline, since readers append byte by byte in their loops and
 * a call per byte was a sixth of a million-cycle `analyze`. */
static inline void strbuf_addc(struct strbuf *b, char c) {
  if (b->len + 1 < b->cap) {
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
  } else {
    strbuf_add(b, &c, 1);
  }
}
/* n bytes with ASCII A-Z lower-cased (names and paths compared as Windows
 * does); other bytes, UTF-8 included, as they are. */
void strbuf_add_lower(struct strbuf *b, const char *s, size_t n);
/* An unsigned number in decimal. */
void strbuf_add_u64(struct strbuf *b, unsigned long long v);
void strbuf_adds(struct strbuf *b, const char *s);
void strbuf_addf(struct strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hand the buffer's string to the caller (who frees it); b is reset. */
char *strbuf_detach(struct strbuf *b);

#endif
