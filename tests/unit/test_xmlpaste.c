/* Unit tests of the fold-marker filter in front of the XML parser: which
 * '-' is a marker (first non-blank of a line, blanks and '<' after it) and
 * which stays (text content, attributes, a '-' without a blank or a '<'),
 * that the text keeps its length (positions stay the file's), and that the
 * answer is the same whatever the size of the reads (a candidate cut by a
 * read boundary is held back). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/xmlpaste.h"
#include "mem_source.h"
#include "tap.h"
#include "util/xalloc.h"


static long last_error_line, last_error_col;

/* The whole filtered text, read in pieces of `step` bytes from the source. */
static char *filter(const char *s, size_t step) {
  struct mem m = {s, 0, strlen(s), step};
  struct xmlpaste *p = xmlpaste_new(mem_read, &m, "t.xml");
  struct strbuf out;
  struct diag d;
  char buf[XMLPASTE_HOLD + 1 + 7];
  strbuf_init(&out);
  diag_init(&d);
  long n;
  while ((n = xmlpaste_read(p, buf, sizeof buf, &d)) > 0)
    strbuf_add(&out, buf, (size_t)n);
  if (n < 0) {
    strbuf_adds(&out, "<error>");
    last_error_line = d.line;
    last_error_col = d.col;
  }
  xmlpaste_free(p);
  diag_fini(&d);
  if (!out.data)
    strbuf_add(&out, "", 0);
  return strbuf_detach(&out);
}

static void check(const char *in, const char *want, const char *what) {
  static const size_t steps[] = {1, 2, 3, 7, 65536};
  for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
    char *got = filter(in, steps[i]);
    is_str(got, want, "%s (reads of %zu bytes)", what, steps[i]);
    free(got);
  }
}

int main(void) {
  check("- <Event>\n- <System>\n  <EventID>7</EventID> \n  </System>\n  </Event>\n",
        "  <Event>\n  <System>\n  <EventID>7</EventID> \n  </System>\n  </Event>\n",
        "markers before '<' become spaces, leaves keep their indentation");
  check("  - <a>\r\n\t-\t<b>\r\n", "    <a>\r\n\t \t<b>\r\n",
        "blanks before the marker, CRLF, a tab after the '-'");
  check("<d>\n- text</d>\n<d>x - <!-- -->\n-<e/>\n- \n<f/>",
        "<d>\n- text</d>\n<d>x - <!-- -->\n-<e/>\n- \n<f/>",
        "text content, a '-' inside a line, '-' without a blank, '- ' at a line's end stay");
  check("<a v=\"\n- x\"/>\n--  <b/>\n", "<a v=\"\n- x\"/>\n--  <b/>\n",
        "an attribute value's '- x' and a '--' stay");
  check("- ", "- ", "a '- ' at the end of the input stays");
  check("<a>\n+ text\n+<b/>\n</a>", "<a>\n+ text\n+<b/>\n</a>",
        "a '+' in text or without a blank stays");

  check("", "", "empty input");
  /* What came before the error depends on the reads; the error does not. */
  for (size_t step = 1; step <= 8; step *= 2) {
    char *got = filter("- <a>\n\n  \t+ <EventData>\n</a>", step);
    size_t n = strlen(got);
    ok(n >= 7 && strcmp(got + n - 7, "<error>") == 0 && last_error_line == 3 &&
           last_error_col == 4,
       "a collapsed element '+ <' is an error at its '+' (3:4; reads of %zu bytes)", step);
    free(got);
  }
  /* More blanks after the '-' than the filter holds back: not a marker. */
  char in[XMLPASTE_HOLD + 16];
  in[0] = '-';
  memset(in + 1, ' ', XMLPASTE_HOLD + 4);
  strcpy(in + XMLPASTE_HOLD + 5, "<a/>");
  check(in, in, "a run of blanks longer than XMLPASTE_HOLD after '-' is not a marker");
  in[0] = ' ';
  in[XMLPASTE_HOLD - 8] = '-';
  strcpy(in + XMLPASTE_HOLD - 6, "<a/>");
  char *want = xstrdup(in);
  want[XMLPASTE_HOLD - 8] = ' ';
  check(in, want, "a marker after a long run of leading blanks");
  free(want);
  return tap_done();
}
