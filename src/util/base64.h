/* base64 — RFC 4648 encoding, for embedding plots in the HTML report as
 * data: URIs (one self-contained file, no external assets). */
#ifndef LEAKSLOPE_BASE64_H
#define LEAKSLOPE_BASE64_H

#include <stddef.h>

#include "util/xalloc.h"

/* Append the padded base64 of data[0..n) to b, with no line breaks. */
void base64_encode(struct strbuf *b, const void *data, size_t n);

#endif
