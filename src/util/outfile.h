/* outfile — the one way a command writes an output: choosing its format and
 * writing it atomically.
 *
 * Format: -f NAME when given, else the -o file's extension through one table
 * (.txt .json .yaml .yml .md .html .htm .csv .png .svg), else the first
 * format the command writes. An extension the table does not know, or a
 * format the command cannot write, is a usage error naming what would do.
 *
 * Writing: a temporary file in the target's folder, renamed into place on
 * commit, removed on abort, so a failed run never leaves a half file and
 * the previous file stays as it was. Standard output ("-" or NULL) and
 * non-regular targets (/dev/stdout, /dev/full) are written directly. Every
 * write is checked: the outfile_* writers return -1 on failure, and writers
 * that take the FILE * need not check each call, because the stream's error
 * flag is sticky and outfile_commit fails on it (and on fflush, fsync,
 * fclose and rename) with the first write's errno, so a full disk is an
 * error, never a half file. */
#ifndef LEAKSLOPE_OUTFILE_H
#define LEAKSLOPE_OUTFILE_H

#include <stdio.h>

#include "util/diag.h"

enum out_format { OUT_TEXT, OUT_JSON, OUT_YAML, OUT_MD, OUT_HTML, OUT_CSV, OUT_PNG, OUT_SVG };
/* A set of formats, for what a command can write. */
#define OUT_SET(f) (1u << (f))

/* "text", "json", ... */
const char *out_format_name(enum out_format f);
/* The format the table gives path's extension (case-insensitive, of the
 * last path element); -1 when it has none or one the table does not know. */
int out_format_of_path(const char *path);
/* The format of an output written by what ("analyze", "inspect --counter"):
 * format (-f, may be NULL), else path's extension (path may be NULL or "-"),
 * else the first format of can. Returns it, or -1 with d filled
 * (DIAG_USAGE, a message for cli_usage_error). */
int out_format_choose(const char *what, const char *format, const char *path,
                      unsigned can, struct diag *d);

struct outfile;

/* Returns NULL with d filled (DIAG_CANTCREAT) on failure. */
struct outfile *outfile_open(const char *path, struct diag *d);
/* The same for a log that grows while others read or append to it (a
 * capture): the temporary file is PATH.partial, a name a user finds after
 * a crash, created or emptied. */
struct outfile *outfile_open_partial(const char *path, struct diag *d);
FILE *outfile_stream(struct outfile *o);
/* The name being written: the temporary file's while o is open (what
 * another process may append to), else the target; "<stdout>". */
const char *outfile_name(const struct outfile *o);
/* Checked writes; 0, or -1 (the failure is also kept for commit). */
int outfile_write(struct outfile *o, const void *buf, size_t n);
int outfile_puts(struct outfile *o, const char *s);
int outfile_printf(struct outfile *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A writer's result: rc < 0 marks o failed, so commit refuses it. */
int outfile_check(struct outfile *o, int rc);
/* Push what is buffered to the file now (a log others read as it grows);
 * 0, or -1 with d filled. */
int outfile_flush(struct outfile *o, struct diag *d);
/* Flush, fsync, rename into place; frees o. -1 with d filled
 * (DIAG_CANTCREAT, "cannot write: REASON") on any failure since open, the
 * temporary file then removed. */
int outfile_commit(struct outfile *o, struct diag *d);
/* Remove the temporary file; frees o. NULL is allowed. */
void outfile_abort(struct outfile *o);
/* Close and keep the temporary file as it is, so what a capture recorded
 * before a failure stays readable; frees o. NULL is allowed. */
void outfile_keep(struct outfile *o);

/* All of it in one call: open path, write(o, ctx) (< 0: failed), commit.
 * 0, or -1 with d filled; nothing is left behind on failure. */
int outfile_save(const char *path, int (*write)(struct outfile *o, void *ctx),
                 void *ctx, struct diag *d);

#endif
