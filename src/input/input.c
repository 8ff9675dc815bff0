/* input — bytes from a file or standard input through zlib, decoded once
 * into UTF-8 text with line numbers (see input.h for the contract).
 *
 * Bytes come from the file descriptor by read(): a plain file straight into
 * `raw` (or, a regular file, mapped: `raw` is then the map, see filemap.h,
 * and "reading" a chunk is taking the next MAP_CHUNK of it, hashed and
 * checked as read() bytes are), a gzip file into `disk` and through zlib's
 * inflate into `raw`, so
 * the bytes as stored pass here exactly once and are hashed as they pass
 * (the provenance digest, see input_keep_digests). Buffers, each bounded:
 * `disk` (gzip only, DISK_CHUNK), `raw` holds undecoded bytes (it grows
 * only to hold a peek window or the first line), `text` holds decoded UTF-8
 * not yet handed out (it grows only to hold the longest line), and the
 * converter works on at most RAW_CHUNK bytes at a time. A decoding or gzip
 * error found while reading ahead is kept "pending" and reported when the
 * reader reaches that point, so it carries the right FILE:LINE:COL. */
#include "config.h"
#include "input/input.h"
#include "input/filemap.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* 256 KiB: the unfinished line is moved to the front of `text` once per
 * chunk, which costs a wide log's 10-20 KiB rows a copy per 64 KiB. */
#define RAW_CHUNK ((size_t)256 * 1024)
#define DISK_CHUNK ((size_t)128 * 1024)
#define PEEK_TEXT ((size_t)64 * 1024)
#define FIRST_LINE_MAX ((size_t)4 * 1024 * 1024)
#define NO_NUL SIZE_MAX
/* A mapped file is taken (hashed, checked) this much at a time. */
#define MAP_CHUNK ((size_t)256 * 1024)

enum decoder { DEC_NONE, DEC_UTF8, DEC_ICONV };

struct input {
  char *name;
  int fd;
  bool compressed;
  bool is_stdin;
  uint64_t file_size, bytes_read;
  uint64_t max_bytes; /* inflated bytes a gzip input may give; 0: any */

  /* The bytes as stored: read so far, all of them hashed (hash NULL when
   * no digest is kept, or once it is complete). */
  uint64_t disk_read;
  bool disk_eof;
  struct sha256 *hash;

  /* gzip only: compressed bytes disk[0..zs.avail_in) at zs.next_in. */
  unsigned char *disk;
  size_t disk_cap;
  z_stream zs;
  bool zs_live;        /* inflateInit2 done */
  bool member_ended;   /* between members: another may follow */

  unsigned char *raw; /* undecoded bytes raw[raw_pos..raw_len) */
  size_t raw_pos, raw_len, raw_cap;
  bool raw_eof;
  /* A regular plain file mapped: raw is its map (read-only: lines are
   * handed out in it unterminated, or copied to `line` for a C string). */
  struct filemap *map;
  char *line;
  size_t line_cap;

  enum decoder dec;
  iconv_t cd;
  char *encoding;
  bool bom, cp1252; /* cp1252: map its undefined bytes to U+FFFD */
  size_t guess_window; /* bytes the UTF-8 guess looks at; 0: the first line */
  struct warnings *w;
  size_t replaced;

  char *text; /* decoded UTF-8 text[text_pos..text_len), NUL after */
  size_t text_pos, text_len, text_cap, scan;
  bool text_eof;

  /* UTF-8 lines handed out in place from `raw` (no copy to `text`), once
   * `text` is empty: raw[raw_pos..raw_valid) is checked (valid UTF-8),
   * newlines searched up to raw_scan, raw_nul the first NUL at or after
   * raw_pos there (NO_NUL: none). */
  bool inplace;
  size_t raw_valid, raw_scan, raw_nul;

  /* A failure met while reading ahead, reported on reaching it. */
  enum diag_kind err_kind;
  char *err_msg;

  long line_no;
  long rt_line, rt_col; /* position reached by input_read_text */
};

/* ---- digests of the bytes as stored ------------------------------------ */

/* What was read of each file, by the path it was opened by: a complete
 * digest, or (closed before its end) the hash so far and where it stopped. */
struct digest {
  char *path;
  bool complete;
  char hex[SHA256_HEX_SIZE];
  uint64_t size;
  struct sha256 *partial;
};

static bool keep_digests;
static struct digest *digests;
static size_t ndigests;

void input_keep_digests(bool on) { keep_digests = on; }

static struct digest *digest_slot(const char *path) {
  for (size_t i = 0; i < ndigests; i++)
    if (strcmp(digests[i].path, path) == 0)
      return &digests[i];
  digests = xrealloc(digests, (ndigests + 1) * sizeof *digests);
  struct digest *e = &digests[ndigests++];
  memset(e, 0, sizeof *e);
  e->path = xstrdup(path);
  return e;
}

/* The input has read its file to the end: its digest is final. */
static void digest_complete(struct input *in) {
  struct digest *e = digest_slot(in->name);
  unsigned char out[SHA256_DIGEST_SIZE];
  sha256_final(in->hash, out);
  sha256_hex(out, e->hex);
  e->size = in->disk_read;
  e->complete = true;
  sha256_free(e->partial);
  e->partial = NULL;
  sha256_free(in->hash);
  in->hash = NULL;
}

/* Closed before the end (a sniffer's look, trailing bytes after a gzip
 * stream): kept unless a complete digest of that path is known. */
static void digest_leave_partial(struct input *in) {
  struct digest *e = digest_slot(in->name);
  if (e->complete) {
    sha256_free(in->hash);
  } else {
    sha256_free(e->partial);
    e->partial = in->hash;
    e->size = in->disk_read;
  }
  in->hash = NULL;
}

/* The rest of a partly read file, from where reading stopped. */
static int digest_finish(struct digest *e) {
  int fd = open(e->path, O_RDONLY);
  if (fd < 0)
    return -1;
  int rc = -1;
  if (lseek(fd, (off_t)e->size, SEEK_SET) == (off_t)e->size) {
    unsigned char *buf = xmalloc(DISK_CHUNK);
    ssize_t n;
    while ((n = read(fd, buf, DISK_CHUNK)) > 0 || (n < 0 && errno == EINTR))
      if (n > 0)
        sha256_update(e->partial, buf, (size_t)n);
    free(buf);
    if (n == 0) {
      unsigned char out[SHA256_DIGEST_SIZE];
      e->size = sha256_bytes(e->partial);
      sha256_final(e->partial, out);
      sha256_hex(out, e->hex);
      e->complete = true;
      rc = 0;
    }
  }
  close(fd);
  sha256_free(e->partial);
  e->partial = NULL;
  return rc;
}

int input_digest(const char *path, char hex[SHA256_HEX_SIZE], uint64_t *size) {
  struct digest *e = NULL;
  for (size_t i = 0; i < ndigests && !e; i++)
    if (strcmp(digests[i].path, path) == 0)
      e = &digests[i];
  if (!e)
    return 1;
  if (!e->complete && (!e->partial || digest_finish(e) < 0))
    return -1;
  memcpy(hex, e->hex, SHA256_HEX_SIZE);
  *size = e->size;
  return 0;
}

void input_forget_digests(void) {
  for (size_t i = 0; i < ndigests; i++) {
    free(digests[i].path);
    sha256_free(digests[i].partial);
  }
  free(digests);
  digests = NULL;
  ndigests = 0;
}

/* ---- opening ----------------------------------------------------------- */

static int open_fd(const char *path, const char *name, uint64_t *size,
                   struct diag *d) {
  int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY);
  if (fd < 0)
    return diag_set(d, DIAG_NOINPUT, name, 0, 0, "cannot open: %s",
                    strerror(errno));
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    return diag_set(d, DIAG_NOINPUT, name, 0, 0, DIAG_IS_FOLDER);
  }
  *size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
  return fd;
}

/* Up to cap bytes as stored, hashed on the way. Returns the count, 0 at the
 * end of the file, -1 with d filled. */
static long disk_read(struct input *in, unsigned char *buf, size_t cap,
                      struct diag *d) {
  if (in->disk_eof)
    return 0;
  ssize_t n;
  do
    n = read(in->fd, buf, cap);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return diag_set_at_offset(d, DIAG_NOINPUT, in->name, (long)in->bytes_read,
                              "read error: %s", strerror(errno));
  if (n == 0) {
    in->disk_eof = true;
    if (in->hash)
      digest_complete(in);
    return 0;
  }
  if (in->hash)
    sha256_update(in->hash, buf, (size_t)n);
  in->disk_read += (uint64_t)n;
  return (long)n;
}

static long raw_fill(struct input *in, struct diag *d);

/* Other compressors' signatures: the file is recognised and refused with
 * the command that makes it readable, rather than called binary data. */
static const struct {
  const char *magic;
  size_t len;
  bool then_digit; /* a block-size digit 1-9 follows (bzip2) */
  const char *name, *undo;
} other_compressors[] = {
    {"BZh", 3, true, "bzip2", "bunzip2 -k"},
    {"\xFD" "7zXZ\0", 6, false, "xz", "unxz -k"},
    {"\x28\xB5\x2F\xFD", 4, false, "zstd", "unzstd"},
    {"\x04\x22\x4D\x18", 4, false, "lz4", "unlz4"},
    {"PK\x03\x04", 4, false, "zip", "unzip"},
    {"7z\xBC\xAF\x27\x1C", 6, false, "7-Zip", "7z x"},
};

static int refuse_other_compression(const struct input *in, struct diag *d) {
  size_t have = in->raw_len - in->raw_pos;
  const unsigned char *b = in->raw + in->raw_pos;
  for (size_t i = 0; i < sizeof other_compressors / sizeof *other_compressors;
       i++) {
    size_t n = other_compressors[i].len;
    if (have >= n && memcmp(b, other_compressors[i].magic, n) == 0 &&
        (!other_compressors[i].then_digit ||
         (have > n && b[n] >= '1' && b[n] <= '9')))
      return diag_set(d, DIAG_DATA, in->name, 0, 0,
                      "compressed with %s, which leakslope does not read "
                      "(it reads plain text and gzip: %s the file first, "
                      "or compress it with gzip)",
                      other_compressors[i].name, other_compressors[i].undo);
  }
  return 0;
}

/* The first bytes decide: gzip's magic 1F 8B means inflate (the bytes read
 * so far move to `disk`), anything else is read as it is. */
static int detect_gzip(struct input *in, struct diag *d) {
  while (in->raw_len < 2 && !in->disk_eof) {
    long n = disk_read(in, in->raw + in->raw_len, in->raw_cap - in->raw_len - 1, d);
    if (n < 0)
      return -1;
    in->raw_len += (size_t)n;
  }
  if (in->raw_len < 2 || in->raw[0] != 0x1F || in->raw[1] != 0x8B) {
    in->bytes_read = in->raw_len;
    in->raw_eof = in->disk_eof;
    return 0;
  }
  in->compressed = true;
  in->disk_cap = DISK_CHUNK > in->raw_len ? DISK_CHUNK : in->raw_len;
  in->disk = xmalloc(in->disk_cap);
  memcpy(in->disk, in->raw, in->raw_len);
  in->zs.next_in = in->disk;
  in->zs.avail_in = (uInt)in->raw_len;
  in->raw_len = 0;
  if (inflateInit2(&in->zs, 16 + MAX_WBITS) != Z_OK)
    return diag_set(d, DIAG_NOINPUT, in->name, 0, 0, "cannot open: out of memory");
  in->zs_live = true;
  return 0;
}

/* A regular file that is not gzip is mapped (gzip is inflated from
 * read() chunks; so are pipes and standard input). */
static void map_plain(struct input *in) {
  in->map = filemap_open(in->fd, in->file_size);
  if (!in->map)
    return;
  const unsigned char *b = filemap_bytes(in->map);
  if ((filemap_size(in->map) >= 2 && b[0] == 0x1F && b[1] == 0x8B) ||
      filemap_lost(in->map) != SIZE_MAX) {
    filemap_close(in->map);
    in->map = NULL;
    return;
  }
  in->raw = (unsigned char *)b;
}

static struct input *open_input(const char *path, bool hash, struct diag *d) {
  const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
  uint64_t size = 0;
  int fd = open_fd(path, name, &size, d);
  if (fd < 0)
    return NULL;
  struct input *in = xcalloc(1, sizeof *in);
  in->name = xstrdup(name);
  in->is_stdin = strcmp(path, "-") == 0;
  in->fd = fd;
  in->file_size = size;
  in->max_bytes = INPUT_INFLATE_MAX;
  in->cd = (iconv_t)-1;
  in->text_cap = RAW_CHUNK + 1;
  in->text = xmalloc(in->text_cap);
  in->text[0] = '\0';
  if (hash && !in->is_stdin)
    in->hash = sha256_new();
  if (!in->is_stdin)
    map_plain(in);
  if (!in->map) {
    /* RAW_CHUNK bytes a read and the spare byte: a binary reader's buffers
     * (64 KiB) then tile the reads, and no read leaves a part to move */
    in->raw_cap = RAW_CHUNK + 1;
    in->raw = xmalloc(in->raw_cap);
  }
  /* Read the first chunk now, so that `compressed` is known and a file that
   * cannot be read at all fails at open. */
  if ((in->map ? raw_fill(in, d) < 0 : detect_gzip(in, d) < 0) ||
      (in->compressed && raw_fill(in, d) < 0) || refuse_other_compression(in, d) < 0) {
    input_close(in);
    return NULL;
  }
  return in;
}

struct input *input_open(const char *path, struct diag *d) {
  return open_input(path, keep_digests, d);
}

void input_close(struct input *in) {
  if (!in)
    return;
  if (in->hash)
    digest_leave_partial(in);
  if (in->zs_live)
    inflateEnd(&in->zs);
  close(in->fd);
  if (in->cd != (iconv_t)-1)
    iconv_close(in->cd);
  free(in->name);
  free(in->disk);
  if (in->map)
    filemap_close(in->map);
  else
    free(in->raw);
  free(in->line);
  free(in->text);
  free(in->encoding);
  free(in->err_msg);
  free(in);
}

const char *input_name(const struct input *in) { return in->name; }

void input_set_max_bytes(struct input *in, uint64_t max) { in->max_bytes = max; }

struct input *input_reopen(const struct input *in, struct diag *d) {
  if (in->is_stdin)
    return NULL;
  /* A read-ahead: the digest is the first reader's. A binary reader's
   * input has no text decoding to repeat. */
  struct input *again = open_input(in->name, false, d);
  if (again)
    input_set_max_bytes(again, in->max_bytes);
  if (again && in->dec != DEC_NONE && input_start_text(again, input_encoding(in), NULL, d) < 0) {
    input_close(again);
    return NULL;
  }
  return again;
}
bool input_compressed(const struct input *in) { return in->compressed; }
bool input_is_stdin(const struct input *in) { return in->is_stdin; }
uint64_t input_bytes_read(const struct input *in) { return in->bytes_read; }
uint64_t input_file_size(const struct input *in) { return in->file_size; }
uint64_t input_disk_offset(const struct input *in) {
  return in->compressed ? in->disk_read - in->zs.avail_in : in->bytes_read;
}

/* ---- raw bytes ---------------------------------------------------------- */

static int gzip_error(struct input *in, int z, struct diag *d) {
  in->raw_eof = true;
  long off = (long)in->bytes_read;
  if (z == Z_BUF_ERROR)
    return diag_set_at_offset(d, DIAG_DATA, in->name, off,
                              "truncated gzip stream (the compressed data "
                              "ends before its end marker)");
  return diag_set_at_offset(d, DIAG_DATA, in->name, off, "corrupt gzip data (%s)",
                            in->zs.msg ? in->zs.msg : "?");
}

/* Compressed input for inflate: at least `want` bytes unless the file ends. */
static int disk_want(struct input *in, size_t want, struct diag *d) {
  while (in->zs.avail_in < want && !in->disk_eof) {
    memmove(in->disk, in->zs.next_in, in->zs.avail_in);
    in->zs.next_in = in->disk;
    long n = disk_read(in, in->disk + in->zs.avail_in,
                       in->disk_cap - in->zs.avail_in, d);
    if (n < 0)
      return -1;
    in->zs.avail_in += (uInt)n;
  }
  return 0;
}

/* After a member's end: another member follows (its magic), or the stream
 * is over; bytes after it that are not gzip are ignored, as gzip -d does. */
static int next_member(struct input *in, bool *more, struct diag *d) {
  if (disk_want(in, 2, d) < 0)
    return -1;
  *more = in->zs.avail_in >= 2 && in->zs.next_in[0] == 0x1F &&
          in->zs.next_in[1] == 0x8B;
  if (*more) {
    inflateReset(&in->zs);
    in->member_ended = false;
  }
  return 0;
}

/* Inflate into out[0..cap): the count, 0 at the end of the last member, -1
 * with d filled. */
static long gzip_read(struct input *in, unsigned char *out, size_t cap,
                      struct diag *d) {
  in->zs.next_out = out;
  in->zs.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
  uInt room = in->zs.avail_out;
  while (in->zs.avail_out == room) {
    if (in->member_ended) {
      bool more;
      if (next_member(in, &more, d) < 0)
        return -1;
      if (!more)
        return 0;
    }
    if (in->zs.avail_in == 0 && disk_want(in, 1, d) < 0)
      return -1;
    int z = inflate(&in->zs, Z_NO_FLUSH);
    if (z == Z_STREAM_END)
      in->member_ended = true;
    else if (z == Z_BUF_ERROR) { /* no progress: input wanted */
      if (in->zs.avail_in == 0 && in->disk_eof)
        return gzip_error(in, Z_BUF_ERROR, d);
    } else if (z != Z_OK)
      return gzip_error(in, z, d);
  }
  return (long)(room - in->zs.avail_out);
}

/* The map's bytes from `at` on are zeros, not the file's: it shrank. */
static int map_lost_error(struct input *in, struct diag *d) {
  in->raw_eof = true;
  return diag_set_at_offset(d, DIAG_NOINPUT, in->name, (long)filemap_lost(in->map),
                            "the file shrank while it was read (it had %llu bytes when "
                            "opened; expected it unchanged until read)",
                            (unsigned long long)in->file_size);
}

/* raw_fill for a mapped file: the next chunk of the map, hashed; at the
 * map's end, a file that has grown since is mapped again (read() would
 * read on too). */
static long map_fill(struct input *in, struct diag *d) {
  size_t size = filemap_size(in->map);
  if (in->raw_len == size && !filemap_shrunk(in->map, in->fd) &&
      filemap_grow(in->map, in->fd) > 0) {
    in->raw = (unsigned char *)filemap_bytes(in->map);
    size = filemap_size(in->map);
  }
  filemap_release(in->map, in->raw_pos);
  if (filemap_lost(in->map) != SIZE_MAX)
    return map_lost_error(in, d);
  if (in->raw_len == size) {
    in->raw_eof = in->disk_eof = true;
    if (in->hash)
      digest_complete(in);
    return 0;
  }
  size_t n = size - in->raw_len < MAP_CHUNK ? size - in->raw_len : MAP_CHUNK;
  if (in->hash)
    sha256_update(in->hash, in->raw + in->raw_len, n);
  if (filemap_lost(in->map) != SIZE_MAX)
    return map_lost_error(in, d);
  in->raw_len += n;
  in->bytes_read += n;
  in->disk_read += n;
  return (long)n;
}

/* The unread raw bytes moved to the front of the buffer. */
static void raw_compact(struct input *in) {
  if (in->raw_pos == 0)
    return;
  memmove(in->raw, in->raw + in->raw_pos, in->raw_len - in->raw_pos);
  in->raw_len -= in->raw_pos;
  if (in->inplace) {
    in->raw_valid -= in->raw_pos;
    in->raw_scan -= in->raw_pos;
    if (in->raw_nul != NO_NUL)
      in->raw_nul -= in->raw_pos;
  }
  in->raw_pos = 0;
}

void input_trim(struct input *in) {
  if (in->map || in->raw_cap <= 2 * RAW_CHUNK)
    return;
  raw_compact(in);
  size_t cap = in->raw_len + RAW_CHUNK + 1; /* raw_fill's room, and its spare byte */
  if (cap < in->raw_cap / 2) {
    in->raw = xrealloc(in->raw, cap);
    in->raw_cap = cap;
  }
}

/* Read more raw bytes after raw_len (compacting first). Returns the count,
 * 0 at end of input, -1 with d filled (position: decompressed offset). */
static long raw_fill(struct input *in, struct diag *d) {
  if (in->raw_eof)
    return 0;
  if (in->map)
    return map_fill(in, d);
  raw_compact(in);
  if (in->raw_cap - in->raw_len < RAW_CHUNK / 2) {
    in->raw_cap = in->raw_len + RAW_CHUNK;
    in->raw = xrealloc(in->raw, in->raw_cap);
  }
  /* one byte spare: an in-place last line without a newline gets its NUL */
  size_t room = in->raw_cap - in->raw_len - 1;
  if (room > RAW_CHUNK)
    room = RAW_CHUNK;
  unsigned char *at = in->raw + in->raw_len;
  long n = in->compressed ? gzip_read(in, at, room, d) : disk_read(in, at, room, d);
  if (n < 0) {
    in->raw_eof = true;
    return -1;
  }
  if (n == 0) {
    in->raw_eof = true;
    return 0;
  }
  in->raw_len += (size_t)n;
  in->bytes_read += (uint64_t)n;
  if (in->max_bytes && in->compressed && in->bytes_read > in->max_bytes) {
    in->raw_eof = true;
    return diag_set_at_offset(d, DIAG_DATA, in->name, (long)in->max_bytes,
                              "gzip data inflates past %llu bytes (a gzip "
                              "bomb? --max-bytes raises the limit)",
                              (unsigned long long)in->max_bytes);
  }
  return n;
}

/* Make at least `want` unconsumed raw bytes available, unless the input ends
 * first. */
static int raw_want(struct input *in, size_t want, struct diag *d) {
  while (in->raw_len - in->raw_pos < want && !in->raw_eof) {
    if (!in->map && in->raw_cap - in->raw_pos < want + RAW_CHUNK / 2) {
      in->raw_cap = in->raw_pos + want + RAW_CHUNK / 2 + 1; /* raw_fill's room */
      in->raw = xrealloc(in->raw, in->raw_cap);
    }
    if (raw_fill(in, d) < 0)
      return -1;
  }
  return 0;
}

long input_peek_raw(struct input *in, size_t want, const unsigned char **bytes,
                    struct diag *d) {
  if (in->dec != DEC_NONE)
    return diag_set(d, DIAG_SOFTWARE, in->name, 0, 0,
                    "input_peek_raw called after text was read");
  if (raw_want(in, want, d) < 0)
    return -1;
  if (in->map && filemap_lost(in->map) != SIZE_MAX)
    return map_lost_error(in, d);
  *bytes = in->raw + in->raw_pos;
  size_t have = in->raw_len - in->raw_pos;
  return (long)(have < want ? have : want);
}

long input_read_raw(struct input *in, size_t want, const unsigned char **bytes,
                    struct diag *d) {
  long n = input_peek_raw(in, want, bytes, d);
  if (n > 0)
    in->raw_pos += (size_t)n;
  return n;
}

uint64_t input_raw_offset(const struct input *in) {
  return in->bytes_read - (in->raw_len - in->raw_pos);
}

void input_stop_mapping(struct input *in) {
  if (!in->map || in->dec != DEC_NONE || filemap_lost(in->map) != SIZE_MAX)
    return; /* not mapped, text started, or a loss still to report */
  /* read() goes on after the bytes the map has handed out (the map never
   * moved the file offset) */
  if (!in->raw_eof && lseek(in->fd, (off_t)in->raw_len, SEEK_SET) != (off_t)in->raw_len)
    return;
  size_t have = in->raw_len - in->raw_pos;
  in->raw_cap = have + RAW_CHUNK + 1;
  unsigned char *raw = xmalloc(in->raw_cap);
  memcpy(raw, in->raw + in->raw_pos, have);
  filemap_close(in->map);
  in->map = NULL;
  in->raw = raw;
  in->raw_pos = 0;
  in->raw_len = have;
}

/* ---- choosing the encoding ------------------------------------------------ */

/* Length of the all-ASCII prefix of s[0..n), 16 bytes at a time (SWAR: a
 * byte is non-ASCII when its top bit is set); the tail byte by byte. */
static size_t ascii_prefix(const unsigned char *s, size_t n) {
  const uint64_t high = 0x8080808080808080u;
  size_t i = 0;
  while (n - i >= 16) {
    uint64_t a, b;
    memcpy(&a, s + i, 8);
    memcpy(&b, s + i + 8, 8);
    if ((a | b) & high)
      break;
    i += 16;
  }
  while (i < n && s[i] < 0x80)
    i++;
  return i;
}

/* Length of the valid UTF-8 sequence at s[0] (s[0] >= 0x80, n >= 1), 0
 * when it is invalid or, with *incomplete set, cut by the end of s[0..n).
 * Overlong forms, surrogates and values past U+10FFFF are invalid. */
static size_t utf8_sequence(const unsigned char *s, size_t n, bool *incomplete) {
  unsigned char c = s[0];
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  *incomplete = false;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
  } else
    return 0;
  for (size_t k = 1; k < len; k++) {
    if (k >= n) {
      *incomplete = true;
      return 0;
    }
    unsigned char b = s[k];
    if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80)
      return 0;
  }
  return len;
}

/* Length of the longest valid UTF-8 prefix of s[0..n). *incomplete is set
 * when what follows is a sequence cut by the end of the buffer (not an
 * error yet). */
static size_t utf8_valid_prefix(const unsigned char *s, size_t n,
                                bool *incomplete) {
  size_t i = 0;
  *incomplete = false;
  while (i < n) {
    i += ascii_prefix(s + i, n - i);
    if (i >= n)
      break;
    size_t len = utf8_sequence(s + i, n - i, incomplete);
    if (len == 0)
      return i;
    i += len;
  }
  return i;
}

/* The first line (or as much of it as FIRST_LINE_MAX allows) of raw bytes. */
static int first_line(struct input *in, const unsigned char **s, size_t *n,
                      struct diag *d) {
  size_t want = 4096;
  for (;;) {
    if (raw_want(in, want, d) < 0)
      return -1;
    const unsigned char *p = in->raw + in->raw_pos;
    size_t have = in->raw_len - in->raw_pos;
    const unsigned char *nl = memchr(p, '\n', have);
    if (nl || in->raw_eof || have >= FIRST_LINE_MAX) {
      *s = p;
      *n = nl ? (size_t)(nl - p) : have;
      return 0;
    }
    want = have + RAW_CHUNK; /* a 1 MB header: not 2 MB of buffer */
  }
}

/* Does a non-UTF-8 header look like Cyrillic cp1251 rather than cp1252?
 * Western text has isolated accented letters between ASCII ones ("físico");
 * Cyrillic words are runs of bytes 0xC0-0xFF ("Процесс"). */
static bool looks_cp1251(const unsigned char *s, size_t n) {
  size_t high = 0, letters = 0, in_runs = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < 0x80)
      continue;
    high++;
    if (s[i] >= 0xC0)
      letters++;
    if ((i > 0 && s[i - 1] >= 0x80) || (i + 1 < n && s[i + 1] >= 0x80))
      in_runs++;
  }
  return high >= 4 && letters * 2 > high && in_runs * 2 > high;
}

static char *lower_name(const char *s) {
  char *r = xstrdup(s);
  for (char *p = r; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  if (strncmp(r, "windows-", 8) == 0 && strlen(r) <= 12) {
    char *t = xasprintf("cp%s", r + 8);
    free(r);
    r = t;
  }
  if (strcmp(r, "utf8") == 0) {
    free(r);
    r = xstrdup("utf-8");
  }
  return r;
}

static int use_encoding(struct input *in, const char *name, struct diag *d) {
  in->encoding = lower_name(name);
  if (strcmp(in->encoding, "utf-8") == 0) {
    in->dec = DEC_UTF8;
    return 0;
  }
  in->cd = iconv_open("UTF-8", in->encoding);
  if (in->cd == (iconv_t)-1) {
    free(in->encoding);
    in->encoding = NULL;
    return diag_set(d, DIAG_USAGE, NULL, 0, 0,
                    "unknown encoding '%s' (expected an iconv name such as "
                    "cp1251, cp1252 or utf-16le)",
                    name);
  }
  in->cp1252 = strcmp(in->encoding, "cp1252") == 0;
  in->dec = DEC_ICONV;
  return 0;
}

/* The bytes the UTF-8 guess looks at: the first line, or the window a
 * reader asked for; *cut says they stop short of the end of the input. */
static int guess_sample(struct input *in, const unsigned char **s, size_t *n,
                        bool *cut, struct diag *d) {
  if (!in->guess_window) {
    if (first_line(in, s, n, d) < 0)
      return -1;
    *cut = *n >= FIRST_LINE_MAX;
    return 0;
  }
  if (raw_want(in, in->guess_window, d) < 0)
    return -1;
  *s = in->raw + in->raw_pos;
  *n = in->raw_len - in->raw_pos;
  if (*n > in->guess_window)
    *n = in->guess_window;
  *cut = !in->raw_eof || *n < in->raw_len - in->raw_pos;
  return 0;
}

void input_guess_from(struct input *in, size_t bytes) { in->guess_window = bytes; }

static int guess_encoding(struct input *in, struct diag *d) {
  const unsigned char *s;
  size_t n;
  bool cut;
  if (guess_sample(in, &s, &n, &cut, d) < 0)
    return -1;
  bool incomplete;
  size_t good = utf8_valid_prefix(s, n, &incomplete);
  if (good == n || (incomplete && cut))
    return use_encoding(in, "utf-8", d);
  bool cyrillic = looks_cp1251(s, n);
  if (use_encoding(in, "cp1252", d) < 0)
    return -1;
  if (cyrillic && in->w)
    warnings_add(in->w, "encoding-guess", in->name, 1,
                 "the header is not UTF-8 and was read as cp1252, but its "
                 "non-ASCII bytes look like Cyrillic text: try --encoding "
                 "cp1251");
  return 0;
}

int input_start_text(struct input *in, const char *encoding,
                     struct warnings *w, struct diag *d) {
  if (in->dec != DEC_NONE)
    return 0;
  in->w = w;
  if (raw_want(in, 3, d) < 0)
    return -1;
  const unsigned char *p = in->raw + in->raw_pos;
  size_t have = in->raw_len - in->raw_pos;
  if (have >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
    in->bom = true;
    in->raw_pos += 3;
    return use_encoding(in, "utf-8", d);
  }
  if (have >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
    in->bom = true;
    in->raw_pos += 2;
    return use_encoding(in, "utf-16le", d);
  }
  if (have >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
    in->bom = true;
    in->raw_pos += 2;
    return use_encoding(in, "utf-16be", d);
  }
  if (encoding && *encoding)
    return use_encoding(in, encoding, d);
  return guess_encoding(in, d);
}

const char *input_encoding(const struct input *in) {
  return in->encoding ? in->encoding : "";
}
bool input_has_bom(const struct input *in) { return in->bom; }

/* ---- decoding ------------------------------------------------------------ */

static void fail_later(struct input *in, enum diag_kind kind, char *msg) {
  in->err_kind = kind;
  in->err_msg = msg;
  in->text_eof = true;
}

static void text_reserve(struct input *in, size_t more) {
  if (in->text_cap < in->text_len + more + 1) {
    in->text_cap = in->text_len + more + 1 + in->text_cap / 2;
    in->text = xrealloc(in->text, in->text_cap);
  }
}

static void text_append(struct input *in, const void *s, size_t n) {
  text_reserve(in, n);
  memcpy(in->text + in->text_len, s, n);
  in->text_len += n;
}

/* Line number at the end of the decoded text (for warnings while decoding). */
static long decoded_line(const struct input *in) {
  long line = in->line_no + 1;
  for (size_t i = in->text_pos; i < in->text_len; i++)
    line += in->text[i] == '\n';
  return line;
}

/* UTF-8 that stops at byte c: cut by the end of the input, or invalid. */
static void utf8_failure(struct input *in, unsigned char c, bool incomplete) {
  if (incomplete)
    fail_later(in, DIAG_DATA,
               xasprintf("input ends inside a UTF-8 sequence (expected the "
                         "rest of the character)"));
  else
    fail_later(in, DIAG_DATA,
               xasprintf("invalid UTF-8 byte 0x%02X (the encoding was taken "
                         "as %s; try --encoding cp1252 or the file's code "
                         "page)",
                         c, in->bom ? "utf-8 from its BOM" : "utf-8"));
}

static void decode_utf8(struct input *in) {
  const unsigned char *p = in->raw + in->raw_pos;
  size_t n = in->raw_len - in->raw_pos;
  bool incomplete;
  size_t good = utf8_valid_prefix(p, n, &incomplete);
  text_append(in, p, good);
  in->raw_pos += good;
  in->inplace = false; /* raw_pos moved under the in-place reader */
  if (good == n || (incomplete && !in->raw_eof))
    return;
  utf8_failure(in, p[good], incomplete);
}

static bool cp1252_undefined(unsigned char c) {
  return c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D;
}

/* An input byte iconv refused: U+FFFD for cp1252's holes, else an error. */
static bool iconv_refused(struct input *in) {
  unsigned char c = in->raw[in->raw_pos];
  if (in->cp1252 && cp1252_undefined(c)) {
    if (in->replaced++ == 0 && in->w)
      warnings_add(in->w, "encoding-replaced", in->name, decoded_line(in),
                   "byte 0x%02X is undefined in cp1252 and was replaced by "
                   "U+FFFD (use --encoding if the file has another code page)",
                   c);
    text_append(in, "\xEF\xBF\xBD", 3);
    in->raw_pos++;
    return true;
  }
  size_t left = in->raw_len - in->raw_pos;
  unsigned unit = left >= 2 ? (unsigned)c | (unsigned)in->raw[in->raw_pos + 1] << 8 : 0;
  if (in->encoding && !strcmp(in->encoding, "utf-16le") && unit >= 0xD800 &&
      unit <= 0xDFFF)
    fail_later(in, DIAG_DATA,
               xasprintf("lone UTF-16 surrogate 0x%04X (expected a %s pair: "
                         "a cut or corrupted file)",
                         unit, unit < 0xDC00 ? "high-low" : "high surrogate first in a"));
  else
    fail_later(in, DIAG_DATA,
               xasprintf("byte 0x%02X is not valid %s (expected text in that "
                         "encoding; see --encoding)",
                         c, in->encoding));
  return false;
}

static void decode_iconv(struct input *in) {
  size_t n = in->raw_len - in->raw_pos;
  text_reserve(in, 3 * n + 8);
  while (in->raw_pos < in->raw_len) {
    char *src = (char *)in->raw + in->raw_pos;
    size_t left = in->raw_len - in->raw_pos;
    char *dst = in->text + in->text_len;
    size_t room = in->text_cap - in->text_len - 1;
    size_t r = iconv(in->cd, &src, &left, &dst, &room);
    in->text_len = (size_t)(dst - in->text);
    in->raw_pos = (size_t)((unsigned char *)src - in->raw);
    if (r != (size_t)-1)
      break;
    if (errno == E2BIG) {
      text_reserve(in, 3 * left + 8);
    } else if (errno == EINVAL) { /* a sequence cut by the chunk's end */
      if (in->raw_eof)
        fail_later(in, DIAG_DATA,
                   xasprintf("input ends inside a %s character (expected "
                             "the rest of it)",
                             in->encoding));
      return;
    } else if (!iconv_refused(in))
      return;
  }
}

/* Decode more text after text_len: first what is buffered, then fresh raw
 * bytes. Returns 1 if text was added or a failure is now pending, 0 at end
 * of input. */
static int decode_more(struct input *in) {
  if (in->text_eof)
    return in->err_msg ? 1 : 0;
  if (in->text_pos > 0) {
    memmove(in->text, in->text + in->text_pos, in->text_len - in->text_pos);
    in->text_len -= in->text_pos;
    in->scan -= in->text_pos;
    in->text_pos = 0;
  }
  size_t before = in->text_len;
  for (;;) {
    if (in->raw_pos < in->raw_len) {
      if (in->dec == DEC_UTF8)
        decode_utf8(in);
      else
        decode_iconv(in);
      if (in->text_len > before || in->err_msg)
        break;
    }
    if (in->raw_eof && in->raw_pos == in->raw_len) {
      in->text_eof = true;
      break;
    }
    struct diag d;
    diag_init(&d);
    if (raw_fill(in, &d) < 0) {
      fail_later(in, d.kind, d.message);
      d.message = NULL;
      diag_fini(&d);
      break;
    }
  }
  in->text[in->text_len] = '\0';
  return in->text_len > before || in->err_msg ? 1 : 0;
}

/* Report the pending failure at the end of decoded text, which the caller
 * has reached: it is in line line_no + 1. */
static int report_pending(struct input *in, struct diag *d) {
  const char *start = in->text + in->text_pos;
  return diag_set(d, in->err_kind, in->name, in->line_no + 1,
                  utf8_column(start, in->text_len - in->text_pos), "%s",
                  in->err_msg);
}

static int ensure_text(struct input *in, struct diag *d) {
  if (in->dec == DEC_NONE && input_start_text(in, NULL, NULL, d) < 0)
    return -1;
  return 0;
}

long input_peek_text(struct input *in, const char **text, struct diag *d) {
  if (ensure_text(in, d) < 0)
    return -1;
  while (in->text_len - in->text_pos < PEEK_TEXT && !in->err_msg &&
         decode_more(in) > 0)
    ;
  *text = in->text + in->text_pos;
  return (long)(in->text_len - in->text_pos);
}

/* ---- lines --------------------------------------------------------------- */

/* A line past INPUT_LINE_MAX bytes: refused where the limit is passed, before
 * the rest of it is read (an endless line would otherwise fill memory). */
static int line_too_long(struct input *in, const char *start, struct diag *d) {
  return diag_set(d, DIAG_DATA, in->name, in->line_no + 1,
                  utf8_column(start, INPUT_LINE_MAX),
                  "line longer than %zu MiB (a line break expected)",
                  INPUT_LINE_MAX >> 20);
}

/* Every reader takes a line as a C string: a NUL inside it would cut a
 * name short without a word (map\0itest read as "map"). */
static int nul_in_line(struct input *in, const char *start, size_t off,
                       struct diag *d) {
  return diag_set(d, DIAG_DATA, in->name, in->line_no, utf8_column(start, off),
                  "NUL byte in the text (expected text; a binary file, or "
                  "UTF-16 without a BOM: see --encoding)");
}

/* Bytes 1-0x7F at the start of s[0..n): what needs no look in the UTF-8
 * check, 64 (SSE2) or 16 (SWAR) bytes at a time. With SWAR a byte b is 0
 * or >= 0x80 exactly when (b - 1) | b has its top bit set (a borrow only
 * follows such a byte). */
#if defined(__x86_64__) && defined(__GNUC__)
#define INPUT_AVX2 1
#include <immintrin.h>
/* The same 64 bytes a step in two 32-byte halves, on CPUs with AVX2
 * (chosen at run time: the build stays plain x86-64). */
__attribute__((target("avx2"))) static size_t plain_blocks_avx2(const unsigned char *s,
                                                                size_t n) {
  const __m256i zero = _mm256_setzero_si256();
  size_t i = 0;
  while (n - i >= 64) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 32));
    __m256i z = _mm256_or_si256(_mm256_cmpeq_epi8(a, zero), _mm256_cmpeq_epi8(b, zero));
    if (_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(a, b), z)) != 0)
      break;
    i += 64;
  }
  return i;
}

static bool have_avx2(void) {
  static int known = -1;
  if (known < 0) {
    __builtin_cpu_init();
    known = __builtin_cpu_supports("avx2") ? 1 : 0;
  }
  return known == 1;
}
#endif

static size_t plain_prefix(const unsigned char *s, size_t n) {
  size_t i = 0;
#if defined(INPUT_AVX2)
  if (n >= 64 && have_avx2())
    i = plain_blocks_avx2(s, n);
#endif
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  while (n - i >= 64) {
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 32));
    __m128i e = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 48));
    __m128i z = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, zero), _mm_cmpeq_epi8(b, zero)),
                             _mm_or_si128(_mm_cmpeq_epi8(c, zero), _mm_cmpeq_epi8(e, zero)));
    __m128i all = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, e));
    if (_mm_movemask_epi8(_mm_or_si128(all, z)) != 0)
      break;
    i += 64;
  }
#endif
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  while (n - i >= 16) {
    uint64_t a, b;
    memcpy(&a, s + i, 8);
    memcpy(&b, s + i + 8, 8);
    if (((a - ones) | a | (b - ones) | b) & high)
      break;
    i += 16;
  }
  while (i < n && s[i] != 0 && s[i] < 0x80)
    i++;
  return i;
}

/* Check raw[raw_valid..raw_len) as UTF-8, noting the first NUL; a sequence
 * cut by the buffer's end waits for more bytes, a bad one (or a cut one at
 * the end of the input) is the failure met there. */
static void raw_validate(struct input *in) {
  const unsigned char *s = in->raw;
  size_t i = in->raw_valid, n = in->raw_len;
  while (i < n && !in->err_msg) {
    i += plain_prefix(s + i, n - i);
    if (i >= n)
      break;
    if (s[i] == 0) {
      if (in->raw_nul == NO_NUL)
        in->raw_nul = i;
      i++;
      continue;
    }
    bool incomplete;
    size_t len = utf8_sequence(s + i, n - i, &incomplete);
    if (len == 0) {
      if (!incomplete || in->raw_eof)
        utf8_failure(in, s[i], incomplete);
      break;
    }
    i += len;
  }
  in->raw_valid = i;
}

/* A mapped line as a C string: copied out of the (read-only) map. */
static const char *line_copy(struct input *in, const char *s, size_t n) {
  if (in->line_cap < n + 1) {
    in->line_cap = n + 1 + n / 2;
    free(in->line);
    in->line = xmalloc(in->line_cap);
  }
  memcpy(in->line, s, n);
  in->line[n] = '\0';
  return in->line;
}

/* input_read_line for UTF-8 from raw, in place: the line is checked where
 * it was read, its terminator overwritten by the NUL (`terminate`; a
 * mapped file's line is copied for that, or handed out unterminated). */
static int raw_read_line(struct input *in, const char **line, size_t *len,
                         bool terminate, struct diag *d) {
  if (!in->inplace) {
    in->inplace = true;
    in->raw_valid = in->raw_scan = in->raw_pos;
    in->raw_nul = NO_NUL;
    raw_validate(in);
  }
  char *nl;
  for (;;) {
    char *base = (char *)in->raw;
    nl = memchr(base + in->raw_scan, '\n', in->raw_valid - in->raw_scan);
    if (nl)
      break;
    in->raw_scan = in->raw_valid;
    size_t have = in->raw_valid - in->raw_pos;
    if (have > INPUT_LINE_MAX)
      return line_too_long(in, base + in->raw_pos, d);
    if (in->err_msg)
      return diag_set(d, in->err_kind, in->name, in->line_no + 1,
                      utf8_column(base + in->raw_pos, have), "%s", in->err_msg);
    if (in->raw_eof && in->raw_valid == in->raw_len) {
      /* a mapped file shrunk inside its last page: zeros, not its end */
      if (in->map && filemap_shrunk(in->map, in->fd))
        return map_lost_error(in, d);
      if (in->raw_pos == in->raw_len)
        return 0;
      nl = base + in->raw_len; /* a last line without a newline */
      break;
    }
    struct diag fill;
    diag_init(&fill);
    if (raw_fill(in, &fill) < 0) {
      fail_later(in, fill.kind, fill.message);
      fill.message = NULL;
    }
    diag_fini(&fill);
    raw_validate(in);
  }
  char *base = (char *)in->raw, *start = base + in->raw_pos;
  size_t n = (size_t)(nl - start), end = (size_t)(nl - base);
  in->raw_pos = end < in->raw_len ? end + 1 : in->raw_len;
  in->raw_scan = in->raw_pos;
  if (n > 0 && start[n - 1] == '\r')
    n--;
  in->line_no++;
  size_t nul = in->raw_nul;
  if (nul != NO_NUL && nul < end) { /* in this line: the next one, if any */
    const char *next = memchr(base + in->raw_pos, '\0', in->raw_valid - in->raw_pos);
    in->raw_nul = next ? (size_t)(next - base) : NO_NUL;
  }
  if (in->map && filemap_lost(in->map) != SIZE_MAX)
    return map_lost_error(in, d);
  if (nul != NO_NUL && nul < end)
    return nul_in_line(in, line_copy(in, start, n), nul - (size_t)(start - base), d);
  if (!in->map)
    start[n] = '\0';
  *line = in->map && terminate ? line_copy(in, start, n) : start;
  *len = n;
  return 1;
}

static int read_line(struct input *in, const char **line, size_t *len, bool terminate,
                     struct diag *d) {
  if (ensure_text(in, d) < 0)
    return -1;
  if (in->map && filemap_lost(in->map) != SIZE_MAX)
    return map_lost_error(in, d);
  if (in->dec == DEC_UTF8 && in->text_pos == in->text_len &&
      (in->inplace || !in->err_msg))
    return raw_read_line(in, line, len, terminate, d);
  if (in->scan < in->text_pos)
    in->scan = in->text_pos;
  char *nl;
  for (;;) {
    nl = memchr(in->text + in->scan, '\n', in->text_len - in->scan);
    if (nl)
      break;
    in->scan = in->text_len;
    if (in->text_len - in->text_pos > INPUT_LINE_MAX)
      return line_too_long(in, in->text + in->text_pos, d);
    if (in->err_msg)
      return report_pending(in, d);
    if (decode_more(in) == 0) {
      if (in->text_pos == in->text_len)
        return 0;
      nl = in->text + in->text_len; /* a last line without a newline */
      break;
    }
  }
  char *start = in->text + in->text_pos;
  size_t n = (size_t)(nl - start);
  in->text_pos = nl < in->text + in->text_len ? (size_t)(nl - in->text) + 1
                                              : in->text_len;
  in->scan = in->text_pos;
  if (n > 0 && start[n - 1] == '\r')
    n--;
  start[n] = '\0';
  in->line_no++;
  if (in->map && filemap_lost(in->map) != SIZE_MAX)
    return map_lost_error(in, d);
  const char *nul = memchr(start, '\0', n);
  if (nul)
    return nul_in_line(in, start, (size_t)(nul - start), d);
  *line = start;
  *len = n;
  return 1;
}

int input_read_line(struct input *in, const char **line, size_t *len,
                    struct diag *d) {
  return read_line(in, line, len, true, d);
}

int input_read_span(struct input *in, const char **line, size_t *len,
                    struct diag *d) {
  return read_line(in, line, len, false, d);
}

long input_line_number(const struct input *in) { return in->line_no; }

long input_read_text(struct input *in, char *buf, size_t cap, struct diag *d) {
  if (ensure_text(in, d) < 0)
    return -1;
  while (in->text_pos == in->text_len) {
    if (in->err_msg)
      return diag_set(d, in->err_kind, in->name, in->rt_line + 1,
                      in->rt_col + 1, "%s", in->err_msg);
    if (decode_more(in) == 0)
      return 0;
  }
  if (in->map && filemap_lost(in->map) != SIZE_MAX)
    return map_lost_error(in, d);
  size_t n = in->text_len - in->text_pos;
  if (n > cap)
    n = cap;
  const char *s = in->text + in->text_pos;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\n') {
      in->rt_line++;
      in->rt_col = 0;
    } else if (((unsigned char)s[i] & 0xC0) != 0x80)
      in->rt_col++;
  }
  memcpy(buf, s, n);
  in->text_pos += n;
  return (long)n;
}

long input_text_source(void *in, char *buf, size_t cap, struct diag *d) {
  return input_read_text(in, buf, cap, d);
}
