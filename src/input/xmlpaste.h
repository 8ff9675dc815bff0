/* xmlpaste — a read filter in front of xmlstream for XML copied out of a
 * tree view: Event Viewer's "XML View" shows each expanded element as
 * "- <System>", and a copy keeps those fold markers.
 *
 * A '-' is a marker only when it is the first non-blank of a line and blanks
 * and then '<' follow it. Markup cannot hold such a '-' (a '<' in text is
 * always written &lt;), so a '-' in text content or in an attribute is never
 * taken. A marker becomes a space rather than being cut out: the text keeps
 * its length, so every LINE:COL expat reports is still the file's. A '+'
 * marker (a collapsed element) is an error: its content was not copied.
 *
 * Streaming: a candidate cut by the end of a chunk (the '-' and the blanks
 * after it) is held back for the next call, at most XMLPASTE_HOLD bytes;
 * longer runs of blanks are not a marker. */
#ifndef LEAKSLOPE_XMLPASTE_H
#define LEAKSLOPE_XMLPASTE_H

#include <stddef.h>

#include "util/diag.h"

#define XMLPASTE_HOLD 256

/* Like input_read_text: bytes read, 0 at end, -1 with d filled. */
typedef long (*xmlpaste_read_fn)(void *rctx, char *buf, size_t cap,
                                 struct diag *d);

struct xmlpaste;

/* file names the input in messages (copied). */
struct xmlpaste *xmlpaste_new(xmlpaste_read_fn read, void *rctx, const char *file);
void xmlpaste_free(struct xmlpaste *p);

/* The filtered text, as a read function of the same shape (p is the
 * struct xmlpaste). cap must exceed XMLPASTE_HOLD. A collapsed element's
 * "+ <EventData>" (the copy holds none of its content) is -1 with d filled
 * at the '+'. */
long xmlpaste_read(void *p, char *buf, size_t cap, struct diag *d);

#endif
