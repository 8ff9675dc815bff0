/* input — the one place that knows about files, standard input, gzip, BOMs,
 * UTF-16 and code pages.
 *
 * A regular plain file is mapped with LEAKSLOPE_MMAP=1 in the environment
 * (filemap.h: no copy, but dear where mapping pages traps to a
 * hypervisor; a mapped file that shrinks while it is read is an error,
 * DIAG_NOINPUT at FILE:@OFFSET); by default, and for anything else, it is
 * read with read(): a pipe or standard input as it is, a file that starts with
 * gzip's magic through zlib's inflate (multi-member gzip is
 * read, bytes after the last member are ignored as gzip -d does, a
 * truncated stream is an error). A peek window
 * lets format sniffers look ahead at the first bytes (raw, after gunzip) or the
 * first decoded text without consuming anything, on standard input too.
 * Above this module everything is UTF-8 text with a line number.
 *
 * The text encoding is decided once, before the first line is returned:
 * a BOM (UTF-8, UTF-16LE), else the caller's explicit encoding, else the first
 * line of the file: valid UTF-8 means UTF-8, otherwise Windows-1252 (its five
 * undefined bytes become U+FFFD) with a warning hinting at --encoding cp1251
 * when the non-ASCII bytes are mostly 0xC0-0xFF. */
#ifndef LEAKSLOPE_INPUT_H
#define LEAKSLOPE_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

struct input;

/* Open PATH ("-" is standard input, named "<stdin>" in messages).
 * Returns NULL and fills d (DIAG_NOINPUT) when it cannot be opened. */
struct input *input_open(const char *path, struct diag *d);
void input_close(struct input *in);

/* Provenance digests, computed in the one pass that reads the file. After
 * input_keep_digests(true), each file input_open opens by path (not
 * standard input, not an input_reopen read-ahead) has its bytes as stored
 * (compressed, for gzip) hashed with SHA-256 as they are read. Reaching the
 * end makes the digest final; an input closed before its end leaves the
 * hash so far, finished from where it stopped when asked for (only the
 * unread rest is read then). A complete digest is not replaced by a later
 * partial read of the same path. */
void input_keep_digests(bool on);
/* The digest (64 lower-case hex digits and a NUL) and size of the file
 * opened as `path`: 0 when known, 1 when it was never read with digests
 * kept, -1 when its unread rest could not be read (not a regular file any
 * more, or gone). */
int input_digest(const char *path, char hex[65], uint64_t *size);
/* Drop every digest kept (at exit, and between unit tests). */
void input_forget_digests(void);

/* A gzip input stops with an error (DIAG_DATA at FILE:@OFFSET) once it
 * inflates past max bytes (0: no limit); the default, INPUT_INFLATE_MAX,
 * keeps a gzip bomb (a few megabytes that inflate to terabytes) from
 * running for hours. Plain files are read whole: their size is on disk. */
#define INPUT_INFLATE_MAX ((uint64_t)4 << 30)
void input_set_max_bytes(struct input *in, uint64_t max);

/* Name for messages: the path as given, or "<stdin>". */
const char *input_name(const struct input *in);
bool input_compressed(const struct input *in);
/* Whether the input is standard input ("-"): it cannot be opened a second
 * time (to read ahead, or by a library that needs a file by name). */
bool input_is_stdin(const struct input *in);
/* The same file opened again from its start, its text decoded as in's (to
 * read ahead without disturbing in; raw bytes if in's text was not started). NULL for standard input, or with d
 * filled when it cannot be opened. */
struct input *input_reopen(const struct input *in, struct diag *d);
/* Decompressed bytes consumed so far and the on-disk size (0 if unknown):
 * enough for a progress bar. */
uint64_t input_bytes_read(const struct input *in);
uint64_t input_file_size(const struct input *in);
/* Bytes of the file on disk consumed so far (compressed bytes for gzip):
 * compare with input_file_size for a progress fraction. */
uint64_t input_disk_offset(const struct input *in);

/* Up to `want` bytes from the start of the (decompressed) stream, not
 * consumed. Returns how many are available (fewer at end of input); -1 with d
 * filled on a read error (truncated gzip, I/O). Only valid before any text is
 * read. */
long input_peek_raw(struct input *in, size_t want, const unsigned char **bytes,
                    struct diag *d);

/* Consume up to `want` raw bytes (after gunzip) for a binary format: a
 * window valid until the next call. Returns how many (fewer only at end of
 * input), -1 with d filled (truncated gzip, I/O). Not to be mixed with text
 * reading. */
long input_read_raw(struct input *in, size_t want, const unsigned char **bytes,
                    struct diag *d);
/* Offset in the decompressed stream of the next byte input_read_raw returns
 * (for FILE:@OFFSET messages). */
uint64_t input_raw_offset(const struct input *in);
/* Read the rest of a mapped file with read() (a no-op for one that is not
 * mapped): for a reader that walks every page of a large file once and
 * keeps none, where mapping each page costs more than read()'s copy into
 * one reused buffer (a .blg: 5 times the CSV's bytes; on this project's
 * virtual machines a page mapped costs 6 times its copy). Call before any
 * text is read; the bytes not yet consumed stay where they are in the
 * stream, and the digest goes on from where it was; a window that
 * input_read_raw or input_peek_raw gave before is no longer valid. */
void input_stop_mapping(struct input *in);

/* Decide the text encoding now (see the header comment). `encoding` is an
 * iconv name or NULL for automatic. Warnings (cp1251 hint, U+FFFD
 * replacements) go to w. Called implicitly by the first text read. */
int input_start_text(struct input *in, const char *encoding,
                     struct warnings *w, struct diag *d);
/* Without a BOM or an explicit encoding, the choice between UTF-8 and
 * cp1252 looks at the first line. A format whose first line is always
 * ASCII (a .reg's "Windows Registry Editor ...") asks for the first
 * `bytes` bytes instead; call before the first text read. */
void input_guess_from(struct input *in, size_t bytes);
/* Lower-case iconv name of the decided encoding ("utf-8", "utf-16le",
 * "cp1252", ...) and whether a BOM was present. */
const char *input_encoding(const struct input *in);
bool input_has_bom(const struct input *in);

/* The first decoded text (up to about 64 KiB) as UTF-8, not consumed: for
 * sniffers that look at the first lines. */
long input_peek_text(struct input *in, const char **text, struct diag *d);

/* Longest line input_read_line returns, in bytes of UTF-8 (the header of a
 * log with some 100,000 counters); a longer one is an error at the column
 * where it passes the limit. */
#define INPUT_LINE_MAX ((size_t)16 * 1024 * 1024)

/* Next line as NUL-terminated UTF-8 without its line terminator (LF or CRLF;
 * a last line without one is still a line). Valid until the next call.
 * Returns 1 with a line, 0 at end of input, -1 with d filled on error. */
int input_read_line(struct input *in, const char **line, size_t *len,
                    struct diag *d);
/* The same line, its bytes not followed by a NUL (what follows them may
 * be anything, or not be readable): a mapped file's line is handed out
 * where it is in the map, with no copy. For readers that take a line as
 * (pointer, length) only. */
int input_read_span(struct input *in, const char **line, size_t *len,
                    struct diag *d);
/* The last line handed out is done with: a read buffer grown past what
 * is left unread (a header line of 20,000 counters needs 1.2 MB, the rows
 * after it a fifth of that) is shrunk to it and a chunk. For a reader
 * that has read a long first line; invalidates that line. */
void input_trim(struct input *in);
/* 1-based number of the line last returned. */
long input_line_number(const struct input *in);

/* Decoded UTF-8 bytes, for stream parsers (expat) that do their own lines.
 * Returns bytes read, 0 at end, -1 with d filled. Do not mix with
 * input_read_line on the same input. */
long input_read_text(struct input *in, char *buf, size_t cap, struct diag *d);
/* The same with the input as void *: the read callback that xmlstream and
 * jsonlex take. */
long input_text_source(void *in, char *buf, size_t cap, struct diag *d);

#endif
