/* xmlpaste — fold markers of a copied XML view turned into spaces (see
 * xmlpaste.h). Owns: the held-back candidate and the line-start state. */
#include "config.h"
#include "input/xmlpaste.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct xmlpaste {
  xmlpaste_read_fn read;
  void *rctx;
  char hold[XMLPASTE_HOLD];
  size_t held;
  bool bol; /* only blanks since the last line start, before hold */
  bool eof;
};

struct xmlpaste *xmlpaste_new(xmlpaste_read_fn read, void *rctx) {
  struct xmlpaste *p = xcalloc(1, sizeof *p);
  p->read = read;
  p->rctx = rctx;
  p->bol = true;
  return p;
}

void xmlpaste_free(struct xmlpaste *p) { free(p); }

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

/* Blank out the markers in buf[0..n). Returns where an undecided candidate
 * starts (n when there is none); *bol is the line-start state there. */
static size_t unmark(char *buf, size_t n, bool *bol, bool at_end) {
  size_t i = 0;
  while (i < n) {
    char c = buf[i];
    if (c == '\n' || c == '\r') {
      *bol = true;
      i++;
    } else if (!*bol || is_blank(c)) {
      i++;
    } else if (c != '-') {
      *bol = false;
      i++;
    } else {
      size_t j = i + 1;
      while (j < n && is_blank(buf[j]) && j - i < XMLPASTE_HOLD)
        j++;
      if (j == n && !at_end && j - i < XMLPASTE_HOLD)
        return i;
      if (j > i + 1 && j < n && buf[j] == '<')
        buf[i] = ' ';
      *bol = false;
      i = j;
    }
  }
  return n;
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
    bool bol = p->bol;
    size_t cut = unmark(buf, n, &bol, p->eof);
    /* All of it undecided (n <= XMLPASTE_HOLD < cap): read on behind it. */
    if (cut == 0 && n > 0 && !p->eof)
      continue;
    p->held = n - cut;
    memcpy(p->hold, buf + cut, p->held);
    p->bol = bol;
    return (long)cut;
  }
}
