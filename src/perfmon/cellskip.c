/* cellskip — the masks: for each 64-byte block, Q (quotes) and S
 * (separators) as bit masks; the parity of the quotes before each byte
 * (a prefix XOR of Q, carried across blocks) says which quotes open and
 * which close. The checks, per block:
 *   an opening quote follows a separator or the run's start;
 *   the byte after a closing quote is a separator (or the run's end);
 *   no separator has an odd number of quotes before it (inside quotes).
 * The same shape as simdjson's string masks, for one character class. */
#include "config.h"
#include "perfmon/cellskip.h"

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>

static uint64_t mask_of(const unsigned char *b, char c) {
  __m128i k = _mm_set1_epi8(c);
  uint64_t m = 0;
  for (int i = 0; i < 4; i++) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * i));
    m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, k)) << (16 * i);
  }
  return m;
}

/* Bit i set when an odd number of bits 0..i of x are set. */
static uint64_t prefix_xor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

/* Set bits of x, without libgcc's table (no -mpopcnt in a portable build). */
static size_t bits_set(uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555u;
  x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Fu;
  return (size_t)((x * 0x0101010101010101u) >> 56);
}

/* Index of the k-th (1-based) set bit of x, which has at least k. */
static unsigned nth_bit(uint64_t x, size_t k) {
  while (--k > 0)
    x &= x - 1;
  return (unsigned)__builtin_ctzll(x);
}

bool cellskip(const char *s, size_t n, char sep, size_t want, size_t *used) {
  const unsigned char *p = (const unsigned char *)s;
  uint64_t inside = 0;        /* all ones while a quote is open */
  uint64_t after_sep = 1;     /* bit 0: the byte before the block is a separator */
  uint64_t after_close = 0;   /* bit 0: ... is a closing quote */
  size_t seps = 0;
  unsigned char tail[64];
  for (size_t at = 0; at < n; at += 64) {
    size_t len = n - at < 64 ? n - at : 64;
    const unsigned char *b = p + at;
    if (len < 64) { /* zeros are neither quote nor separator */
      memset(tail, 0, sizeof tail);
      memcpy(tail, b, len);
      b = tail;
    }
    uint64_t valid = len == 64 ? ~(uint64_t)0 : ((uint64_t)1 << len) - 1;
    uint64_t q = mask_of(b, '"'), sp = mask_of(b, sep);
    uint64_t stop = ~(uint64_t)0; /* bits up to the want-th separator */
    bool last = false;
    if (want > 0 && seps + bits_set(sp) >= want) {
      unsigned i = nth_bit(sp, want - seps);
      stop = i == 63 ? ~(uint64_t)0 : ((uint64_t)1 << (i + 1)) - 1;
      *used = at + i + 1;
      last = true;
    }
    uint64_t par = prefix_xor(q) ^ inside; /* 1: at or after an open quote */
    uint64_t open = q & par, close = q & ~par;
    uint64_t starts = (sp << 1) | after_sep;
    uint64_t after_closing = (close << 1) | after_close;
    if (((open & ~starts) | (after_closing & ~sp & valid) | (sp & par)) & stop)
      return false;
    if (last)
      return true;
    seps += bits_set(sp);
    inside = par >> 63 ? ~(uint64_t)0 : 0; /* the last byte's state */
    after_sep = sp >> 63;
    after_close = close >> 63;
  }
  if (want > 0 || inside)
    return false; /* fewer separators than wanted, or a quote left open */
  *used = seps + 1;
  return true;
}

#else
bool cellskip(const char *s, size_t n, char sep, size_t want, size_t *used) {
  (void)s, (void)n, (void)sep, (void)want, (void)used;
  return false;
}
#endif
