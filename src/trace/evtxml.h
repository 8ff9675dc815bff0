/* evtxml — the records of a Windows event XML stream (<Event> elements with
 * <System> and <EventData>/<UserData> children), for the readers of
 * `tracerpt -of XML` and `wevtutil qe /f:xml`.
 *
 * Why shared: both readers stream the same schema through xmlstream and need
 * the same record bookkeeping (which section a tag sits in, capturing an
 * element's text into a field, handing out only records whose end tag has
 * been seen while expat may complete several per chunk). What differs is
 * which elements and attributes fill which fields: that is the reader's
 * `element` callback. Memory: the records completed within one chunk of
 * text, each field capped at EVTXML_FIELD_MAX bytes. */
#ifndef LEAKSLOPE_EVTXML_H
#define LEAKSLOPE_EVTXML_H

#include <stdbool.h>
#include <stddef.h>

#include "input/xmlstream.h"
#include "trace/trace.h"
#include "util/xalloc.h"

#define EVTXML_FIELDS 24        /* fields a record can hold */
#define EVTXML_FIELD_MAX 65536  /* longest field kept; the rest is dropped */

/* A field's text and where it was found. */
struct evtxml_field {
  struct strbuf s;
  bool seen;
  long line, col;
};

/* One event record; fields are numbered by the reader (0..EVTXML_FIELDS-1). */
struct evtxml_record {
  struct evtxml_field f[EVTXML_FIELDS];
  long line, col; /* where the record starts */
};

void evtxml_record_init(struct evtxml_record *r);
void evtxml_record_fini(struct evtxml_record *r);
/* Forget every field; the record now starts at line:col. */
void evtxml_record_reset(struct evtxml_record *r, long line, long col);
/* Set a field's text (cut at EVTXML_FIELD_MAX) and position. */
void evtxml_set(struct evtxml_record *r, int which, const char *s, size_t n,
                long line, long col);
/* A field's text without surrounding white space ("" when absent). */
const char *evtxml_get(const struct evtxml_record *r, int which, size_t *n);

/* The child of <Event> a tag sits in. */
enum evtxml_section { EVTXML_OTHER, EVTXML_SYSTEM, EVTXML_DATA };

/* A start tag inside an <Event>. */
struct evtxml_tag {
  const char *name;   /* local name */
  const char **attrs; /* NULL-terminated name/value pairs */
  int depth;          /* 1 for the children of <Event> */
  enum evtxml_section section;
  long line, col;
};

/* The reader's part: fill fields from a tag's attributes (evtxml_set_attr)
 * and return the field the tag's text goes to, or -1. */
typedef int (*evtxml_element_fn)(void *ctx, struct evtxml_record *r,
                                 const struct evtxml_tag *tag);

/* Set field `which` from attribute `attr` of the tag, when it has one. */
void evtxml_set_attr(struct evtxml_record *r, int which,
                     const struct evtxml_tag *tag, const char *attr);

struct evtxml;

/* Read the trace's input, fold markers of a copied XML view ("- <System>")
 * blanked out by xmlpaste; NULL with d filled (DIAG_SOFTWARE) when no XML
 * parser can be made. */
struct evtxml *evtxml_new(struct trace_ctx *ctx, evtxml_element_fn element,
                          void *element_ctx, struct diag *d);
/* The same over any source of UTF-8 text (read_evtx.c hands over the XML
 * libevtx makes of each record); file names it in messages. */
struct evtxml *evtxml_new_source(xmlstream_read_fn read, void *rctx,
                                 const char *file, evtxml_element_fn element,
                                 void *element_ctx, struct diag *d);
void evtxml_free(struct evtxml *x);
/* The next complete record, valid until the next call: 1, 0 at the end of
 * the document, -1 with d filled (XML errors at FILE:LINE:COL). */
int evtxml_next(struct evtxml *x, struct evtxml_record **r, struct diag *d);

/* For sniffers: the text starts, after white space (and a fold marker "- "
 * of a copied XML view), with an XML tag and holds an <Event element. */
bool evtxml_sniff(const char *text, size_t len);

#endif
