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

/* The quotes and the separators of the 64 bytes at b, as bit masks. */
static inline void masks_sse2(const unsigned char *b, char sep, uint64_t *q, uint64_t *sp) {
  const __m128i kq = _mm_set1_epi8('"'), ks = _mm_set1_epi8(sep);
  uint64_t mq = 0, ms = 0;
  for (int i = 0; i < 4; i++) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * i));
    mq |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, kq)) << (16 * i);
    ms |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, ks)) << (16 * i);
  }
  *q = mq;
  *sp = ms;
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

/* AVX2 and POPCNT, where the CPU has them (most x86-64 since 2013): the
 * same masks in two 32-byte compares per class, the count in one
 * instruction. Chosen at run time, so the build stays portable. */
#if defined(__x86_64__) && defined(__GNUC__)
#define CELLSKIP_AVX2 1
#include <immintrin.h>
__attribute__((target("avx2"))) static inline void
masks_avx2(const unsigned char *b, char sep, uint64_t *q, uint64_t *sp) {
  const __m256i kq = _mm256_set1_epi8('"'), ks = _mm256_set1_epi8(sep);
  __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)b);
  __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(b + 32));
  *q = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, kq)) |
       (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, kq)) << 32;
  *sp = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, ks)) |
        (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, ks)) << 32;
}
/* AVX-512BW: one 64-byte compare a class, straight into a bit mask; the
 * last bytes of a run by a masked load (the bytes past it read as zeros,
 * and are not touched: no copy to a padded block). */
__attribute__((target("avx512bw"))) static inline void
masks_avx512(const unsigned char *b, size_t len, char sep, uint64_t *q, uint64_t *sp) {
  __m512i v = len >= 64 ? _mm512_loadu_si512((const void *)b)
                        : _mm512_maskz_loadu_epi8(((uint64_t)1 << len) - 1, (const void *)b);
  *q = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
  *sp = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(sep));
}
#define MASKS(avx, b, sep, q, sp)                                                          \
  ((avx) ? masks_avx2((b), (sep), &(q), &(sp)) : masks_sse2((b), (sep), &(q), &(sp)))
#define BITS(avx, x) ((avx) ? (size_t)__builtin_popcountll(x) : bits_set(x))
#else
#define MASKS(avx, b, sep, q, sp) masks_sse2((b), (sep), &(q), &(sp))
#define BITS(avx, x) bits_set(x)
#endif

/* The all-quoted case, PDH's own ("12.5"," "): every cell of the run is a
 * quote, text without quote or separator, a quote. Then no prefix XOR is
 * needed: it is enough that a quote follows every separator (and the
 * run's start), one precedes every separator (and, for the rest of the
 * row, its end), the byte after a quote that opens no cell is a separator
 * (or the end), and no opening quote is followed by a separator (a lone
 * quote). Between two separators there can then be no other quote: one
 * would open no cell and have no separator after it. `level` selects the
 * masks and the bit count: 0 SSE2, 1 AVX2 and POPCNT, 2 AVX-512BW (see the
 * dispatch). */
static inline __attribute__((always_inline)) bool
quoted_skip(const char *s, size_t n, char sep, size_t want, size_t *used, int level) {
  bool avx = level > 0;
  const unsigned char *p = (const unsigned char *)s;
  uint64_t cs = 1; /* bit 0 of the next block: after a separator (the start) */
  uint64_t cq = 0, cx = 0, co = 0; /* ... after a quote, a closing quote, an opening one */
  size_t seps = 0;
  unsigned char tail[64];
  for (size_t at = 0; at < n; at += 64) {
    size_t len = n - at < 64 ? n - at : 64;
    const unsigned char *b = p + at;
    uint64_t q, sp;
#if defined(CELLSKIP_AVX2)
    if (level == 2)
      masks_avx512(b, len, sep, &q, &sp);
    else
#endif
    {
      if (len < 64) { /* zeros are neither quote nor separator */
        memset(tail, 0, sizeof tail);
        memcpy(tail, b, len);
        b = tail;
      }
      MASKS(avx, b, sep, q, sp);
    }
    uint64_t ends = sp, stop = ~(uint64_t)0;
    size_t count = BITS(avx, sp);
    bool last = false;
    if (want > 0 && seps + count >= want) {
      unsigned i = nth_bit(sp, want - seps);
      stop = i == 63 ? ~(uint64_t)0 : ((uint64_t)1 << (i + 1)) - 1;
      *used = at + i + 1;
      last = true;
    } else if (want == 0 && len < 64) { /* the row's end ends a cell */
      ends |= (uint64_t)1 << len;
      stop = ((uint64_t)1 << len << 1) - 1;
      last = true;
    }
    uint64_t after_sep = (sp << 1) | cs, after_q = (q << 1) | cq;
    uint64_t open = q & after_sep, close = q & ~after_sep;
    uint64_t bad = (after_sep & ~q) | (ends & ~after_q) | (((close << 1) | cx) & ~ends) |
                   (((open << 1) | co) & ends);
    if (bad & stop)
      return false;
    if (last) {
      if (want == 0)
        *used = seps + count + 1;
      return true;
    }
    seps += count;
    cs = sp >> 63;
    cq = q >> 63;
    cx = close >> 63;
    co = open >> 63;
  }
  /* want > 0: fewer separators than wanted. Else the end is at a block's
   * edge (or the run is empty): the end as a separator in the next block. */
  if (want > 0 || cs || !cq || co)
    return false;
  *used = seps + 1;
  return true;
}

/* Any quoting the walk accepts without an error: the masks above. */
static bool general_skip(const char *s, size_t n, char sep, size_t want, size_t *used) {
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
    uint64_t q, sp;
    masks_sse2(b, sep, &q, &sp);
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

static bool quoted_sse2(const char *s, size_t n, char sep, size_t want, size_t *used) {
  return quoted_skip(s, n, sep, want, used, 0);
}

#if defined(CELLSKIP_AVX2)
__attribute__((target("avx2,popcnt"))) static bool
quoted_avx2(const char *s, size_t n, char sep, size_t want, size_t *used) {
  return quoted_skip(s, n, sep, want, used, 1);
}

__attribute__((target("avx2,avx512bw,popcnt"))) static bool
quoted_avx512(const char *s, size_t n, char sep, size_t want, size_t *used) {
  return quoted_skip(s, n, sep, want, used, 2);
}
#endif

static enum cellskip_impl impl = CELLSKIP_AUTO;

bool cellskip_use(enum cellskip_impl which) {
#if defined(CELLSKIP_AVX2)
  __builtin_cpu_init();
  bool avx = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
  bool avx512 = avx && __builtin_cpu_supports("avx512bw");
#else
  bool avx = false, avx512 = false;
#endif
  if ((which == CELLSKIP_AVX2 && !avx) || (which == CELLSKIP_AVX512 && !avx512))
    return false;
  impl = which != CELLSKIP_AUTO ? which
         : avx512               ? CELLSKIP_AVX512
         : avx                  ? CELLSKIP_AVX2
                                : CELLSKIP_SSE2;
  return true;
}

bool cellskip_quoted(const char *s, size_t n, char sep, size_t want, size_t *used) {
  if (impl == CELLSKIP_AUTO)
    cellskip_use(CELLSKIP_AUTO);
#if defined(CELLSKIP_AVX2)
  if (impl == CELLSKIP_AVX512)
    return quoted_avx512(s, n, sep, want, used);
  if (impl == CELLSKIP_AVX2)
    return quoted_avx2(s, n, sep, want, used);
#endif
  return quoted_sse2(s, n, sep, want, used);
}

bool cellskip_general(const char *s, size_t n, char sep, size_t want, size_t *used) {
  return general_skip(s, n, sep, want, used);
}

bool cellskip(const char *s, size_t n, char sep, size_t want, size_t *used) {
  return cellskip_quoted(s, n, sep, want, used) || general_skip(s, n, sep, want, used);
}

#else
bool cellskip_use(enum cellskip_impl which) {
  return which != CELLSKIP_AVX2 && which != CELLSKIP_AVX512;
}

bool cellskip_quoted(const char *s, size_t n, char sep, size_t want, size_t *used) {
  (void)s, (void)n, (void)sep, (void)want, (void)used;
  return false;
}

bool cellskip_general(const char *s, size_t n, char sep, size_t want, size_t *used) {
  return cellskip_quoted(s, n, sep, want, used);
}

bool cellskip(const char *s, size_t n, char sep, size_t want, size_t *used) {
  return cellskip_quoted(s, n, sep, want, used);
}
#endif
