/* jsonlex — a small validating pull tokenizer for a stream of JSON values.
 *
 * The stack has no JSON library, and the one JSON input we read (evtx_dump
 * records of Sysmon events) can be gigabytes: this reads the text through a
 * caller's read function in fixed chunks and hands out one token at a time,
 * so memory is bounded by the longest string (JSONLEX_MAX_STRING) and the
 * nesting depth (JSONLEX_MAX_DEPTH), never by the document.
 *
 * It checks the grammar as it goes (keys, colons, commas, nesting), decodes
 * string escapes including \uXXXX surrogate pairs to UTF-8, and returns
 * numbers as their text. Several top-level values may follow each other (one
 * record per object). With `bare_lines`, a line that starts with a letter
 * between top-level values (evtx_dump's "Record 12") is returned whole as
 * JSONLEX_LINE instead of being an error. Positions are 1-based line and
 * character column, as diagnostics print them. */
#ifndef LEAKSLOPE_JSONLEX_H
#define LEAKSLOPE_JSONLEX_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

#define JSONLEX_MAX_DEPTH 64
#define JSONLEX_MAX_STRING (1024 * 1024)

enum jsonlex_kind {
  JSONLEX_BEGIN_OBJECT,
  JSONLEX_END_OBJECT,
  JSONLEX_BEGIN_ARRAY,
  JSONLEX_END_ARRAY,
  JSONLEX_KEY,    /* an object member's name (text) */
  JSONLEX_STRING, /* text, decoded */
  JSONLEX_NUMBER, /* text, as written */
  JSONLEX_TRUE,
  JSONLEX_FALSE,
  JSONLEX_NULL,
  JSONLEX_LINE /* a bare line between top-level values (text, no newline) */
};

struct jsonlex_token {
  enum jsonlex_kind kind;
  const char *text; /* KEY, STRING, NUMBER, LINE: valid until the next call */
  size_t len;
  long line, col;   /* where the token starts */
  int depth;        /* nesting depth after the token (0: top level) */
};

/* Where the bytes come from: like input_read_text (bytes read, 0 at end, -1
 * with d filled). */
typedef long (*jsonlex_read_fn)(void *ctx, char *buf, size_t cap,
                                struct diag *d);

struct jsonlex;

/* `file` names the input in diagnostics (copied). */
struct jsonlex *jsonlex_new(jsonlex_read_fn read, void *ctx, const char *file,
                            bool bare_lines);
void jsonlex_free(struct jsonlex *lx);

/* Next token: 1 with *tok filled, 0 at the end of the stream (after a
 * complete value), -1 with d filled (DIAG_DATA at FILE:LINE:COL, or the read
 * function's error). */
int jsonlex_next(struct jsonlex *lx, struct jsonlex_token *tok,
                 struct diag *d);

#endif
