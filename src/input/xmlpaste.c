/* xmlpaste — fold markers of a copied XML view turned into spaces (see
 * xmlpaste.h). Owns: the held-back candidate and the line-start state. */
#include "config.h"
#include "input/xmlpaste.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Where the scan is: before the held bytes, between calls. */
struct scan {
  bool bol;        /* only blanks since the last line start */
  long line, col;  /* 1-based, of the next byte (col in bytes: only blanks
                      come before a marker, so bytes are characters there) */
};

struct xmlpaste {
  xmlpaste_read_fn read;
  void *rctx;
  char *file;
  char hold[XMLPASTE_HOLD];
  size_t held;
  struct scan at;
  bool eof;
};

struct xmlpaste *xmlpaste_new(xmlpaste_read_fn read, void *rctx, const char *file) {
  struct xmlpaste *p = xcalloc(1, sizeof *p);
  p->read = read;
  p->rctx = rctx;
  p->file = xstrdup(file ? file : "");
  p->at = (struct scan){true, 1, 1};
  return p;
}

void xmlpaste_free(struct xmlpaste *p) {
  if (!p)
    return;
  free(p->file);
  free(p);
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static void advance(struct scan *sc, char c) {
  if (c == '\n') {
    sc->line++;
    sc->col = 1;
  } else {
    sc->col++;
  }
  if (c == '\n' || c == '\r')
    sc->bol = true;
  else if (!is_blank(c))
    sc->bol = false;
}

/* Blank out the markers in buf[0..n). Returns where an undecided candidate
 * starts (n when there is none), with *sc the scan state there; -1 with d
 * filled at a collapsed element's '+'. */
static long unmark(struct xmlpaste *p, char *buf, size_t n, struct scan *sc,
                   struct diag *d) {
  size_t i = 0;
  while (i < n) {
    char c = buf[i];
    if (!sc->bol || (c != '-' && c != '+')) {
      advance(sc, c);
      i++;
      continue;
    }
    size_t j = i + 1;
    while (j < n && is_blank(buf[j]) && j - i < XMLPASTE_HOLD)
      j++;
    if (j == n && !p->eof && j - i < XMLPASTE_HOLD)
      return (long)i;
    bool marker = j > i + 1 && j < n && buf[j] == '<';
    if (marker && c == '+')
      return diag_set(d, DIAG_DATA, p->file, sc->line, sc->col,
                      "a collapsed element '+ <' (Event Viewer's XML View "
                      "copies none of its content; expanded, '- <', expected)");
    if (marker)
      buf[i] = ' ';
    for (; i < j; i++)
      advance(sc, buf[i]);
  }
  return (long)n;
}

long xmlpaste_read(void *vp, char *buf, size_t cap, struct diag *d) {
  struct xmlpaste *p = vp;
  if (cap <= XMLPASTE_HOLD)
    return diag_set(d, DIAG_SOFTWARE, NULL, 0, 0,
                    "xmlpaste: a read of %zu bytes is too small", cap);
  size_t n = p->held;
  memcpy(buf, p->hold, n);
  p->held = 0;
  for (;;) {
    long r = p->eof ? 0 : p->read(p->rctx, buf + n, cap - n, d);
    if (r < 0)
      return -1;
    if (r == 0)
      p->eof = true;
    n += (size_t)r;
    struct scan sc = p->at;
    long cut = unmark(p, buf, n, &sc, d);
    if (cut < 0)
      return -1;
    /* All of it undecided (n <= XMLPASTE_HOLD < cap): read on behind it. */
    if (cut == 0 && n > 0 && !p->eof)
      continue;
    p->held = n - (size_t)cut;
    memcpy(p->hold, buf + cut, p->held);
    p->at = sc;
    return cut;
  }
}
