/* xmlstream — libexpat fed in chunks from decoded UTF-8 text, for the XML
 * event readers (tracerpt -of XML, wevtutil qe /f:xml).
 *
 * Why a wrapper: both readers need the same four things, and getting them
 * right once matters more than the few lines each would save:
 *  - the text comes decoded from input (UTF-16 files too), so the parser is
 *    created for UTF-8 and the declaration's encoding="UTF-16" is ignored;
 *  - wevtutil writes events back to back with no root element: the stream is
 *    always wrapped in a synthetic root (replacing an XML declaration by it,
 *    padded with spaces, so columns stay true; or prepended, then line 1's
 *    columns are shifted back), which also accepts an <Events> wrapper;
 *  - element and attribute names reach the handlers without their namespace;
 *  - errors, expat's or a handler's, carry FILE:LINE:COL of the decoded text.
 * Memory is one chunk of text plus what the handlers keep. */
#ifndef LEAKSLOPE_XMLSTREAM_H
#define LEAKSLOPE_XMLSTREAM_H

#include <stddef.h>

#include "util/diag.h"

struct xmlstream;

/* Handlers get local names (no namespace). attrs is NULL-terminated
 * name/value pairs. Text arrives in pieces, not NUL-terminated. */
struct xmlstream_handlers {
  void (*start)(void *ctx, const char *name, const char **attrs);
  void (*end)(void *ctx, const char *name);
  void (*text)(void *ctx, const char *s, size_t len);
};

/* Bytes come from read (like input_read_text: bytes, 0 at end, -1 with d
 * filled); file names the input in messages. */
typedef long (*xmlstream_read_fn)(void *rctx, char *buf, size_t cap,
                                  struct diag *d);

struct xmlstream *xmlstream_new(xmlstream_read_fn read, void *rctx,
                                const char *file,
                                const struct xmlstream_handlers *h, void *ctx);
void xmlstream_free(struct xmlstream *xs);

/* Parse the next chunk: 1 when more may follow, 0 when the whole document
 * has been parsed, -1 with d filled (expat's error at its line and column,
 * the read function's error, or one a handler raised). */
int xmlstream_feed(struct xmlstream *xs, struct diag *d);

/* For handlers: the position of the current event (1-based line and column
 * of the decoded text). */
void xmlstream_position(const struct xmlstream *xs, long *line, long *col);
const char *xmlstream_file(const struct xmlstream *xs);

/* For handlers: stop parsing with DIAG_DATA at the current position. The
 * pending xmlstream_feed returns -1 with this message. */
void xmlstream_fail(struct xmlstream *xs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Same, at a position the handler saved. */
void xmlstream_fail_at(struct xmlstream *xs, long line, long col,
                       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Attribute value by local name, or NULL. */
const char *xmlstream_attr(const char **attrs, const char *name);

#endif
