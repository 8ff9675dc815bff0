/* diag — errors and warnings as values.
 *
 * Code below cli never prints and never exits: a failing function fills a
 * struct diag (where, what, which kind) and returns -1; cli prints it once as
 * "leakslope: FILE:LINE:COL: message" and maps its kind to an exit code.
 * Warnings are collected in a struct warnings so that reports can carry them
 * (JSON "warnings" and "diagnostics") and cli can print them to stderr. */
#ifndef LEAKSLOPE_DIAG_H
#define LEAKSLOPE_DIAG_H

#include <stddef.h>

/* What went wrong, which decides the exit code (values are the exit codes). */
enum diag_kind {
  DIAG_NONE = 0,
  DIAG_USAGE = 2,       /* bad option, missed or ambiguous selection */
  DIAG_DATA = 65,       /* malformed input */
  DIAG_NOINPUT = 66,    /* input missing or unreadable */
  DIAG_UNAVAILABLE = 69,/* gnuplot needed but absent */
  DIAG_SOFTWARE = 70,   /* internal error */
  DIAG_CANTCREAT = 73   /* cannot write output */
};

/* The one wording of a folder given where a file is wanted, read or
 * written: "FILE: is a folder (expected a file)". */
#define DIAG_IS_FOLDER "is a folder (expected a file)"

struct diag {
  enum diag_kind kind;
  char *file;    /* NULL when the error has no input position */
  long line;     /* 1-based; 0 when unknown */
  long col;      /* 1-based character column in the decoded text; 0 when unknown */
  long offset;   /* byte offset for binary input (FILE:@OFFSET); -1 when unused */
  char *message; /* "what is wrong (what was expected)" */
};

void diag_init(struct diag *d);
void diag_fini(struct diag *d);

/* Fill d (replacing what it held) and return -1, so callers can write
 * `return diag_set(d, ...)`. file may be NULL; line/col 0 when unknown. */
int diag_set(struct diag *d, enum diag_kind kind, const char *file, long line,
             long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Same, for a position in binary input. */
int diag_set_at_offset(struct diag *d, enum diag_kind kind, const char *file,
                       long offset, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* "FILE:LINE:COL: message" (or less, as known), malloc'ed. */
char *diag_format(const struct diag *d);

/* One warning: a stable code ("blank-bias", "events-lost", ...) for scripts,
 * a free-text message, and where it comes from when known. */
struct warning {
  char *code;
  char *message;
  char *file; /* may be NULL */
  long line;  /* 0 when unknown */
};

struct warnings {
  struct warning *items;
  size_t count, cap;
};

void warnings_init(struct warnings *w);
void warnings_fini(struct warnings *w);
void warnings_add(struct warnings *w, const char *code, const char *file,
                  long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Has a warning with this code been added already?  (to warn once) */
int warnings_has(const struct warnings *w, const char *code);

/* Column (1-based, in characters) of byte offset `off` within a UTF-8 line. */
long utf8_column(const char *line, size_t off);

#endif
