/* cellskip — pass over cells of a row that nobody wants, 64 bytes at a time,
 * proving on the way that the exact cell walk would find the same cells and
 * no error there.
 *
 * A run qualifies when each of its cells is "text" with no quote or
 * separator inside, or unquoted text with no quote: every opening quote
 * starts a cell, every closing quote ends one, no separator sits between
 * the two. PDH writes every cell so ("12.5", " "). Anything else (a doubled
 * quote, a quoted separator, text after a closing quote, an unbalanced
 * quote) is not judged here: the caller walks those cells one by one, with
 * that walk's exact messages. Without SSE2 nothing qualifies (the walk
 * does all). */
#ifndef LEAKSLOPE_CELLSKIP_H
#define LEAKSLOPE_CELLSKIP_H

#include <stdbool.h>
#include <stddef.h>

/* s[0..n) starts at a cell. With want > 0: true when the first `want`
 * cells qualify and a separator follows them; *used is then the offset of
 * the next cell (just after the want-th separator). With want == 0: true
 * when all the rest qualifies; *used is then the number of cells in it. */
bool cellskip(const char *s, size_t n, char sep, size_t want, size_t *used);

/* cellskip tries the all-quoted check (PDH's "12.5"," ", cheap) and, when
 * it fails, the general one (any quoting the walk accepts without an
 * error). Each alone, for tests: a run the first passes, the second passes
 * with the same *used. */
bool cellskip_quoted(const char *s, size_t n, char sep, size_t want, size_t *used);
bool cellskip_general(const char *s, size_t n, char sep, size_t want, size_t *used);

/* The masks the all-quoted check builds: chosen by the CPU at the first
 * call (AUTO: AVX-512BW when it has it, else AVX2 and POPCNT, else SSE2),
 * or forced (for tests). False when the CPU lacks the forced one (nothing
 * changes then). */
enum cellskip_impl { CELLSKIP_AUTO, CELLSKIP_SSE2, CELLSKIP_AVX2, CELLSKIP_AVX512 };
bool cellskip_use(enum cellskip_impl which);

#endif
