/* Unit tests of the streaming JSON tokenizer: every token kind, escapes and
 * surrogate pairs, the grammar errors with their line:column, bare
 * "Record N" lines, and text handed over in 1-byte reads (tokens spanning
 * read boundaries). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/jsonlex.h"
#include "mem_source.h"
#include "tap.h"
#include "util/xalloc.h"


/* All tokens as text ("{ k:a s:b n:1 }"), or "... error L:C message". */
static char *tokens(const char *json, bool bare, size_t step) {
  struct mem m = {json, 0, strlen(json), step};
  struct jsonlex *lx = jsonlex_new(mem_read, &m, "t.json", bare);
  struct jsonlex_token t;
  struct diag d;
  struct strbuf b;
  int rc;
  diag_init(&d);
  strbuf_init(&b);
  while ((rc = jsonlex_next(lx, &t, &d)) == 1) {
    static const char *const names[] = {"{", "}", "[", "]", "k:", "s:", "n:",
                                        "true", "false", "null", "line:"};
    strbuf_addf(&b, "%s%s%s", b.len ? " " : "", names[t.kind], t.text);
  }
  if (rc < 0)
    strbuf_addf(&b, "%serror %ld:%ld %s", b.len ? " " : "", d.line, d.col,
                d.message);
  diag_fini(&d);
  jsonlex_free(lx);
  return strbuf_detach(&b);
}

static void check(const char *json, bool bare, const char *want,
                  const char *what) {
  char *got = tokens(json, bare, 65536);
  is_str(got, want, "%s", what);
  free(got);
  got = tokens(json, bare, 1);
  is_str(got, want, "%s (read one byte at a time)", what);
  free(got);
}

int main(void) {
  check("{\"a\": [1, -2.5e3, true, false, null], \"b\": {}}", false,
        "{ k:a [ n:1 n:-2.5e3 true false null ] k:b { } }",
        "every token kind");
  check("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", false, "s:\"\\/\b\f\n\r\t",
        "the two-character escapes");
  check("\"caf\\u00e9 \\ud83d\\ude00 \\u20AC\"", false,
        "s:caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x82\xac",
        "\\u escapes to UTF-8, a surrogate pair joined");
  check("{} [] 3", false, "{ } [ ] n:3", "several top-level values");
  check("Record 1\n{}\nRecord 2\n{}", true, "line:Record 1 { } line:Record 2 { }",
        "bare lines between top-level values");
  check("{\"a\": 1\n \"b\": 2}", false,
        "{ k:a n:1 error 2:2 unexpected character (',' or '}' expected)",
        "a missing comma at line:column");
  check("[1, 2", false, "[ n:1 n:2 error 1:6 unexpected end of input (the rest of the JSON value expected)",
        "a truncated document");
  check("\"\\ud83d x\"", false,
        "error 1:2 lone high surrogate in \\u escape (a \\uDC00-\\uDFFF pair expected)",
        "a lone high surrogate");
  check("\"\\ude00\"", false,
        "error 1:2 lone low surrogate in \\u escape (a high surrogate first expected)",
        "a lone low surrogate");
  check("\"a\nb\"", false, "error 1:3 control character in string (escape it, e.g. \\n)",
        "a raw newline inside a string");
  check("[01]", false, "[ error 1:3 bad number (a JSON number such as 12, -3.5 or 1e6 expected)",
        "a leading zero");
  check("[1.]", false, "[ error 1:4 bad number (a digit expected)", "a bare decimal point");
  check("[nan]", false, "[ error 1:2 unexpected word (a JSON value expected)", "nan is not JSON");
  check("{\"a\" 1}", false, "{ k:a error 1:6 unexpected character (':' after a member name expected)",
        "a missing colon");
  check("[1}", false, "[ n:1 error 1:3 unexpected character (',' or ']' expected)",
        "a mismatched bracket");
  check("Record 1", false, "error 1:1 unexpected character (a JSON value expected)",
        "bare lines only when asked for");
  check("\"\xc3\xa9\" x", false, "s:\xc3\xa9 error 1:5 unexpected word (a JSON value expected)",
        "columns count characters, not bytes");
  /* Nesting deeper than the limit is refused, not a stack overflow. */
  char deep[JSONLEX_MAX_DEPTH + 2];
  memset(deep, '[', sizeof deep - 1);
  deep[sizeof deep - 1] = 0;
  char *got = tokens(deep, false, 65536);
  ok(strstr(got, "error 1:65 nesting deeper than 64 levels") != NULL,
     "nesting past %d levels is an error at its column", JSONLEX_MAX_DEPTH);
  free(got);
  return tap_done();
}
