/* jsonlex — a small validating pull tokenizer for a stream of JSON values
 * (see jsonlex.h). Owns: the read buffer, the nesting stack, the grammar
 * state between tokens, and string/number decoding. Knows nothing about what
 * the values mean. */
#include "config.h"
#include "input/jsonlex.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define JSONLEX_CHUNK 65536

/* What may come next. */
enum expect {
  EXPECT_VALUE,         /* top level, after ':' or after ',' in an array */
  EXPECT_VALUE_OR_END,  /* right after '[' */
  EXPECT_KEY,           /* after ',' in an object */
  EXPECT_KEY_OR_END,    /* right after '{' */
  EXPECT_COLON,
  EXPECT_COMMA_OR_END   /* after a value inside a container */
};

struct jsonlex {
  jsonlex_read_fn read;
  void *ctx;
  char *file;
  bool bare_lines;
  char *buf;
  size_t pos, len;
  bool eof;
  long line, col;       /* position of the next character */
  char stack[JSONLEX_MAX_DEPTH]; /* '{' or '[' */
  int depth;
  enum expect expect;
  struct strbuf text;
  struct diag *d;       /* during jsonlex_next */
  int read_failed;
};

struct jsonlex *jsonlex_new(jsonlex_read_fn read, void *ctx, const char *file,
                            bool bare_lines) {
  struct jsonlex *lx = xcalloc(1, sizeof *lx);
  lx->read = read;
  lx->ctx = ctx;
  lx->file = xstrdup(file);
  lx->bare_lines = bare_lines;
  lx->buf = xmalloc(JSONLEX_CHUNK);
  lx->line = 1;
  lx->col = 1;
  lx->expect = EXPECT_VALUE;
  strbuf_init(&lx->text);
  return lx;
}

void jsonlex_free(struct jsonlex *lx) {
  if (!lx)
    return;
  free(lx->file);
  free(lx->buf);
  strbuf_fini(&lx->text);
  free(lx);
}

/* Next character without consuming it; -1 at end, -2 on a read error. */
static int peek(struct jsonlex *lx) {
  if (lx->pos == lx->len) {
    if (lx->eof)
      return -1;
    long n = lx->read(lx->ctx, lx->buf, JSONLEX_CHUNK, lx->d);
    if (n < 0) {
      lx->read_failed = 1;
      return -2;
    }
    if (n == 0) {
      lx->eof = true;
      return -1;
    }
    lx->pos = 0;
    lx->len = (size_t)n;
  }
  return (unsigned char)lx->buf[lx->pos];
}

static void advance(struct jsonlex *lx) {
  unsigned char c = (unsigned char)lx->buf[lx->pos++];
  if (c == '\n') {
    lx->line++;
    lx->col = 1;
  } else if ((c & 0xC0) != 0x80) {
    lx->col++;
  }
}

static int fail_at(struct jsonlex *lx, long line, long col, const char *what) {
  if (lx->read_failed)
    return -1; /* the read function's diagnostic stands */
  return diag_set(lx->d, DIAG_DATA, lx->file, line, col, "%s", what);
}

static int fail(struct jsonlex *lx, const char *what) {
  return fail_at(lx, lx->line, lx->col, what);
}

static int skip_space(struct jsonlex *lx) {
  int c;
  while ((c = peek(lx)) == ' ' || c == '\t' || c == '\n' || c == '\r')
    advance(lx);
  return c;
}

static int hex4(struct jsonlex *lx, unsigned *out) {
  *out = 0;
  for (int i = 0; i < 4; i++) {
    int c = peek(lx);
    unsigned v;
    if (c >= '0' && c <= '9')
      v = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v = (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v = (unsigned)(c - 'A' + 10);
    else
      return fail(lx, "bad \\u escape (4 hexadecimal digits expected)");
    *out = *out * 16 + v;
    advance(lx);
  }
  return 0;
}

static void add_utf8(struct strbuf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | (cp >> 6));
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  strbuf_add(b, u, n);
}

/* After "\u": one code point, joining a surrogate pair. */
static int unicode_escape(struct jsonlex *lx) {
  long line = lx->line, col = lx->col - 2;
  unsigned hi, lo;
  if (hex4(lx, &hi) < 0)
    return -1;
  if (hi >= 0xDC00 && hi <= 0xDFFF)
    return fail_at(lx, line, col, "lone low surrogate in \\u escape (a high surrogate first expected)");
  if (hi >= 0xD800 && hi <= 0xDBFF) {
    if (peek(lx) != '\\')
      return fail_at(lx, line, col, "lone high surrogate in \\u escape (a \\uDC00-\\uDFFF pair expected)");
    advance(lx);
    if (peek(lx) != 'u')
      return fail_at(lx, line, col, "lone high surrogate in \\u escape (a \\uDC00-\\uDFFF pair expected)");
    advance(lx);
    if (hex4(lx, &lo) < 0)
      return -1;
    if (lo < 0xDC00 || lo > 0xDFFF)
      return fail_at(lx, line, col, "bad surrogate pair in \\u escape (\\uDC00-\\uDFFF expected after a high surrogate)");
    hi = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
  }
  if (hi == 0)
    return fail_at(lx, line, col, "\\u0000 in a string (NUL characters are not supported)");
  add_utf8(&lx->text, hi);
  return 0;
}

static int escape(struct jsonlex *lx) {
  int c = peek(lx);
  const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
  const char *p = c > 0 ? strchr(from, c) : NULL;
  if (c == 'u') {
    advance(lx);
    return unicode_escape(lx);
  }
  if (!p || c == 0)
    return fail(lx, "bad escape in string (one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX expected)");
  advance(lx);
  strbuf_addc(&lx->text, to[p - from]);
  return 0;
}

/* At the opening quote: the decoded string into lx->text. */
static int string(struct jsonlex *lx) {
  long line = lx->line, col = lx->col;
  strbuf_reset(&lx->text);
  advance(lx);
  for (;;) {
    int c = peek(lx);
    if (c < 0)
      return c == -2 ? -1 : fail_at(lx, line, col, "unterminated string (a closing \" expected)");
    if (c < 0x20)
      return fail(lx, "control character in string (escape it, e.g. \\n)");
    advance(lx);
    if (c == '"')
      return 0;
    if (c == '\\') {
      if (escape(lx) < 0)
        return -1;
    } else {
      char ch = (char)c;
      strbuf_add(&lx->text, &ch, 1);
    }
    if (lx->text.len > JSONLEX_MAX_STRING)
      return fail_at(lx, line, col, "string longer than 1 MiB (a shorter value expected)");
  }
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

static void take(struct jsonlex *lx, int c) {
  char ch = (char)c;
  strbuf_add(&lx->text, &ch, 1);
  advance(lx);
}

static int digits(struct jsonlex *lx) {
  if (!is_digit(peek(lx)))
    return fail(lx, "bad number (a digit expected)");
  while (is_digit(peek(lx)) && lx->text.len < 400)
    take(lx, peek(lx));
  return 0;
}

/* JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number(struct jsonlex *lx) {
  strbuf_reset(&lx->text);
  if (peek(lx) == '-')
    take(lx, '-');
  if (peek(lx) == '0') {
    take(lx, '0');
  } else if (digits(lx) < 0) {
    return -1;
  }
  if (peek(lx) == '.') {
    take(lx, '.');
    if (digits(lx) < 0)
      return -1;
  }
  if (peek(lx) == 'e' || peek(lx) == 'E') {
    take(lx, peek(lx));
    if (peek(lx) == '+' || peek(lx) == '-')
      take(lx, peek(lx));
    if (digits(lx) < 0)
      return -1;
  }
  int c = peek(lx);
  if (is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.')
    return fail(lx, "bad number (a JSON number such as 12, -3.5 or 1e6 expected)");
  return 0;
}

static int literal(struct jsonlex *lx, enum jsonlex_kind *kind) {
  long line = lx->line, col = lx->col;
  char word[8];
  size_t n = 0;
  int c;
  while ((c = peek(lx)) >= 'a' && c <= 'z' && n < sizeof word - 1) {
    word[n++] = (char)c;
    advance(lx);
  }
  word[n] = 0;
  if (strcmp(word, "true") == 0)
    *kind = JSONLEX_TRUE;
  else if (strcmp(word, "false") == 0)
    *kind = JSONLEX_FALSE;
  else if (strcmp(word, "null") == 0)
    *kind = JSONLEX_NULL;
  else
    return fail_at(lx, line, col, "unexpected word (a JSON value expected)");
  return 0;
}

static int bare_line(struct jsonlex *lx) {
  int c;
  strbuf_reset(&lx->text);
  while ((c = peek(lx)) >= 0 && c != '\n') {
    if (c != '\r' && lx->text.len < 4096) {
      char ch = (char)c;
      strbuf_add(&lx->text, &ch, 1);
    }
    advance(lx);
  }
  return c == -2 ? -1 : 0;
}

/* A value was completed: what may follow depends on the container. */
static void after_value(struct jsonlex *lx) {
  lx->expect = lx->depth == 0 ? EXPECT_VALUE : EXPECT_COMMA_OR_END;
}

static int open_container(struct jsonlex *lx, int c, struct jsonlex_token *tok) {
  if (lx->depth == JSONLEX_MAX_DEPTH)
    return fail(lx, "nesting deeper than 64 levels (a flatter document expected)");
  advance(lx);
  lx->stack[lx->depth++] = (char)c;
  tok->kind = c == '{' ? JSONLEX_BEGIN_OBJECT : JSONLEX_BEGIN_ARRAY;
  lx->expect = c == '{' ? EXPECT_KEY_OR_END : EXPECT_VALUE_OR_END;
  return 1;
}

static int close_container(struct jsonlex *lx, int c, struct jsonlex_token *tok) {
  char want = c == '}' ? '{' : '[';
  if (lx->depth == 0 || lx->stack[lx->depth - 1] != want)
    return fail(lx, c == '}' ? "unexpected '}' (a value or ']' expected)"
                             : "unexpected ']' (a value or '}' expected)");
  advance(lx);
  lx->depth--;
  tok->kind = c == '}' ? JSONLEX_END_OBJECT : JSONLEX_END_ARRAY;
  after_value(lx);
  return 1;
}

static int value(struct jsonlex *lx, int c, struct jsonlex_token *tok) {
  int r = 0;
  if (c == '{' || c == '[')
    return open_container(lx, c, tok);
  if (c == '"') {
    tok->kind = JSONLEX_STRING;
    r = string(lx);
  } else if (c == '-' || is_digit(c)) {
    tok->kind = JSONLEX_NUMBER;
    r = number(lx);
  } else if (c >= 'a' && c <= 'z') {
    r = literal(lx, &tok->kind);
  } else {
    return fail(lx, "unexpected character (a JSON value expected)");
  }
  if (r < 0)
    return -1;
  after_value(lx);
  return 1;
}

static bool starts_bare_line(const struct jsonlex *lx, int c) {
  return lx->bare_lines && lx->depth == 0 &&
         ((c >= 'A' && c <= 'Z') ||
          (c >= 'a' && c <= 'z' && c != 't' && c != 'f' && c != 'n'));
}

static int dispatch(struct jsonlex *lx, int c, struct jsonlex_token *tok) {
  switch (lx->expect) {
  case EXPECT_VALUE_OR_END:
    if (c == ']')
      return close_container(lx, c, tok);
    return value(lx, c, tok);
  case EXPECT_VALUE:
    if (starts_bare_line(lx, c)) {
      tok->kind = JSONLEX_LINE;
      return bare_line(lx) < 0 ? -1 : 1;
    }
    return value(lx, c, tok);
  case EXPECT_KEY_OR_END:
    if (c == '}')
      return close_container(lx, c, tok);
    /* fall through */
  case EXPECT_KEY:
    if (c != '"')
      return fail(lx, "unexpected character (a member name in double quotes expected)");
    if (string(lx) < 0)
      return -1;
    tok->kind = JSONLEX_KEY;
    lx->expect = EXPECT_COLON;
    return 1;
  default:
    return fail(lx, "internal tokenizer state");
  }
}

/* Consume the punctuation between tokens (':' and ','); leave c at the next
 * token's first character. */
static int punctuation(struct jsonlex *lx, int *c) {
  if (lx->expect == EXPECT_COLON) {
    if (*c != ':')
      return fail(lx, "unexpected character (':' after a member name expected)");
    advance(lx);
    lx->expect = EXPECT_VALUE;
    *c = skip_space(lx);
  } else if (lx->expect == EXPECT_COMMA_OR_END) {
    char open = lx->stack[lx->depth - 1];
    if (*c == (open == '{' ? '}' : ']'))
      return 0;
    if (*c != ',')
      return fail(lx, open == '{' ? "unexpected character (',' or '}' expected)"
                                  : "unexpected character (',' or ']' expected)");
    advance(lx);
    lx->expect = open == '{' ? EXPECT_KEY : EXPECT_VALUE;
    *c = skip_space(lx);
  }
  return 0;
}

int jsonlex_next(struct jsonlex *lx, struct jsonlex_token *tok,
                 struct diag *d) {
  lx->d = d;
  int c = skip_space(lx);
  if (c >= 0 && punctuation(lx, &c) < 0)
    return -1;
  if (c == -2)
    return -1;
  if (c == -1) {
    if (lx->depth == 0 && lx->expect == EXPECT_VALUE)
      return 0;
    return fail(lx, "unexpected end of input (the rest of the JSON value expected)");
  }
  tok->line = lx->line;
  tok->col = lx->col;
  int r = lx->expect == EXPECT_COMMA_OR_END ? close_container(lx, c, tok)
                                            : dispatch(lx, c, tok);
  if (r < 0)
    return -1;
  bool has_text = tok->kind == JSONLEX_KEY || tok->kind == JSONLEX_STRING ||
                  tok->kind == JSONLEX_NUMBER || tok->kind == JSONLEX_LINE;
  tok->text = has_text && lx->text.data ? lx->text.data : "";
  tok->len = has_text ? lx->text.len : 0;
  tok->depth = lx->depth;
  return 1;
}
