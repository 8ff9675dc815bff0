/* base64 — three bytes in, four characters out, '=' pads the last group. */
#include "config.h"
#include "util/base64.h"

static const char ALPHABET[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void base64_encode(struct strbuf *b, const void *data, size_t n) {
  const unsigned char *p = data;
  char quad[4];
  for (size_t i = 0; i < n; i += 3) {
    size_t left = n - i;
    unsigned long v = (unsigned long)p[i] << 16;
    if (left > 1)
      v |= (unsigned long)p[i + 1] << 8;
    if (left > 2)
      v |= p[i + 2];
    quad[0] = ALPHABET[(v >> 18) & 63];
    quad[1] = ALPHABET[(v >> 12) & 63];
    quad[2] = left > 1 ? ALPHABET[(v >> 6) & 63] : '=';
    quad[3] = left > 2 ? ALPHABET[v & 63] : '=';
    strbuf_add(b, quad, 4);
  }
}
