/* xmlstream — libexpat fed in chunks from decoded UTF-8 text (see
 * xmlstream.h). Owns: the expat parser, the read buffer, the synthetic root
 * and the mapping of expat's positions back to the file's. */
#include "config.h"
#include "input/xmlstream.h"
#include "util/xalloc.h"

#include <expat.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define XMLSTREAM_CHUNK 65536
#define NS_SEP '\x01'
static const char ROOT_OPEN[] = "<_>";
static const char ROOT_CLOSE[] = "</_>";

struct xmlstream {
  XML_Parser p;
  xmlstream_read_fn read;
  void *rctx;
  char *file;
  struct xmlstream_handlers h;
  void *ctx;
  char *buf;
  bool started, done, failed;
  long shift;  /* columns of line 1 that belong to a prepended root tag */
  long depth;  /* 1 inside the synthetic root */
  struct diag *d;
};

static const char *local_name(const char *name) {
  const char *sep = strrchr(name, NS_SEP);
  return sep ? sep + 1 : name;
}

const char *xmlstream_attr(const char **attrs, const char *name) {
  for (size_t i = 0; attrs && attrs[i]; i += 2)
    if (strcmp(local_name(attrs[i]), name) == 0)
      return attrs[i + 1];
  return NULL;
}

void xmlstream_position(const struct xmlstream *xs, long *line, long *col) {
  *line = (long)XML_GetCurrentLineNumber(xs->p);
  *col = (long)XML_GetCurrentColumnNumber(xs->p) + 1;
  if (*line == 1)
    *col -= xs->shift;
  if (*col < 1)
    *col = 1;
}

const char *xmlstream_file(const struct xmlstream *xs) { return xs->file; }

static void vfail_at(struct xmlstream *xs, long line, long col,
                     const char *fmt, va_list ap) {
  if (xs->failed)
    return;
  char *msg = xvasprintf(fmt, ap);
  diag_set(xs->d, DIAG_DATA, xs->file, line, col, "%s", msg);
  free(msg);
  xs->failed = true;
  XML_StopParser(xs->p, XML_FALSE);
}

void xmlstream_fail_at(struct xmlstream *xs, long line, long col,
                       const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail_at(xs, line, col, fmt, ap);
  va_end(ap);
}

void xmlstream_fail(struct xmlstream *xs, const char *fmt, ...) {
  long line, col;
  xmlstream_position(xs, &line, &col);
  va_list ap;
  va_start(ap, fmt);
  vfail_at(xs, line, col, fmt, ap);
  va_end(ap);
}

/* Strip namespaces from the attribute names in place (expat's array). */
static void local_attrs(const char **attrs) {
  for (size_t i = 0; attrs && attrs[i]; i += 2)
    attrs[i] = local_name(attrs[i]);
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **attrs) {
  struct xmlstream *xs = ud;
  if (++xs->depth == 1 || xs->failed)
    return;
  local_attrs(attrs);
  if (xs->h.start)
    xs->h.start(xs->ctx, local_name(name), attrs);
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  struct xmlstream *xs = ud;
  if (xs->depth-- == 1 || xs->failed)
    return;
  if (xs->h.end)
    xs->h.end(xs->ctx, local_name(name));
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
  struct xmlstream *xs = ud;
  if (xs->failed)
    return;
  if (xs->depth == 1) {
    for (int i = 0; i < len; i++)
      if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') {
        xmlstream_fail(xs, "text outside any element (an <Event> element expected)");
        return;
      }
    return;
  }
  if (xs->h.text)
    xs->h.text(xs->ctx, s, (size_t)len);
}

struct xmlstream *xmlstream_new(xmlstream_read_fn read, void *rctx,
                                const char *file,
                                const struct xmlstream_handlers *h, void *ctx) {
  struct xmlstream *xs = xcalloc(1, sizeof *xs);
  xs->p = XML_ParserCreateNS("UTF-8", NS_SEP);
  if (!xs->p) {
    free(xs);
    return NULL;
  }
  xs->read = read;
  xs->rctx = rctx;
  xs->file = xstrdup(file);
  xs->h = *h;
  xs->ctx = ctx;
  xs->buf = xmalloc(XMLSTREAM_CHUNK);
  XML_SetUserData(xs->p, xs);
  XML_SetElementHandler(xs->p, on_start, on_end);
  XML_SetCharacterDataHandler(xs->p, on_text);
  return xs;
}

void xmlstream_free(struct xmlstream *xs) {
  if (!xs)
    return;
  XML_ParserFree(xs->p);
  free(xs->file);
  free(xs->buf);
  free(xs);
}

/* Fill the first chunk far enough to see a whole XML declaration even when
 * standard input delivers it in pieces. */
static long read_first(struct xmlstream *xs, struct diag *d) {
  long have = 0;
  while (have < 512) {
    long n = xs->read(xs->rctx, xs->buf + have, XMLSTREAM_CHUNK - (size_t)have, d);
    if (n < 0)
      return -1;
    if (n == 0)
      break;
    have += n;
  }
  return have;
}

/* Replace "<?xml ...?>" by the root tag padded with spaces (newlines kept),
 * so positions in the rest of the text do not move; else prepend the tag. */
static int open_root(struct xmlstream *xs, long n) {
  char *end = NULL;
  if (n >= 5 && memcmp(xs->buf, "<?xml", 5) == 0) {
    char *q = memchr(xs->buf, '?', (size_t)n);
    for (; q && q + 1 < xs->buf + n; q = memchr(q + 1, '?', (size_t)(xs->buf + n - q - 1)))
      if (q[1] == '>') {
        end = q + 2;
        break;
      }
  }
  if (end) {
    memcpy(xs->buf, ROOT_OPEN, sizeof ROOT_OPEN - 1);
    for (char *c = xs->buf + sizeof ROOT_OPEN - 1; c < end; c++)
      if (*c != '\n' && *c != '\r')
        *c = ' ';
    return 0;
  }
  xs->shift = (long)sizeof ROOT_OPEN - 1;
  return XML_Parse(xs->p, ROOT_OPEN, (int)sizeof ROOT_OPEN - 1, 0) ==
                 XML_STATUS_OK ? 0 : -1;
}

static int expat_error(struct xmlstream *xs, bool at_end) {
  long line, col;
  if (xs->failed)
    return -1;
  xmlstream_position(xs, &line, &col);
  const char *what = XML_ErrorString(XML_GetErrorCode(xs->p));
  if (at_end)
    return diag_set(xs->d, DIAG_DATA, xs->file, line, col,
                    "XML ends too early: %s (the rest of the document expected)",
                    what);
  return diag_set(xs->d, DIAG_DATA, xs->file, line, col,
                  "XML: %s (well-formed XML expected)", what);
}

int xmlstream_feed(struct xmlstream *xs, struct diag *d) {
  if (xs->done)
    return 0;
  xs->d = d;
  long n;
  if (!xs->started) {
    xs->started = true;
    if ((n = read_first(xs, d)) < 0)
      return -1;
    if (open_root(xs, n) < 0)
      return expat_error(xs, false);
  } else if ((n = xs->read(xs->rctx, xs->buf, XMLSTREAM_CHUNK, d)) < 0) {
    return -1;
  }
  if (n == 0) {
    xs->done = true;
    if (XML_Parse(xs->p, ROOT_CLOSE, (int)sizeof ROOT_CLOSE - 1, 1) != XML_STATUS_OK)
      return expat_error(xs, true);
    return 0;
  }
  if (XML_Parse(xs->p, xs->buf, (int)n, 0) != XML_STATUS_OK)
    return expat_error(xs, false);
  return 1;
}
