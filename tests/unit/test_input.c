/* Unit tests of the input layer: gzip, stdin, peek, BOMs, encodings, lines,
 * decoding across chunk boundaries, and the positions of errors. Small
 * inputs live in tests/data/input/; large ones are generated in a temporary
 * folder. */
#include "config.h"
#include "input/input.h"
#include "tap.h"
#include "util/sha256.h"
#include "util/xalloc.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static char *data_path(const char *name) {
  const char *top = getenv("abs_top_srcdir");
  return xasprintf("%s/tests/data/input/%s", top ? top : ".", name);
}

/* All lines of a file joined by '|', or "ERR:<formatted diag>". */
static char *slurp_lines(const char *name, const char *encoding,
                         struct warnings *w, long *lines) {
  char *path = name[0] == '/' || name[0] == '-' ? xstrdup(name) : data_path(name);
  struct diag d;
  diag_init(&d);
  struct strbuf b;
  strbuf_init(&b);
  struct input *in = input_open(path, &d);
  int r = in ? input_start_text(in, encoding, w, &d) : -1;
  const char *line;
  size_t len;
  bool first = true;
  while (r == 0 && (r = input_read_line(in, &line, &len, &d)) == 1) {
    if (!first)
      strbuf_addc(&b, '|');
    strbuf_add(&b, line, len);
    first = false;
    r = 0;
  }
  if (lines)
    *lines = in ? input_line_number(in) : 0;
  if (r < 0) {
    char *msg = diag_format(&d);
    strbuf_reset(&b);
    strbuf_addf(&b, "ERR%d:%s", (int)d.kind, msg);
    free(msg);
  }
  input_close(in);
  diag_fini(&d);
  free(path);
  return strbuf_detach(&b);
}

static void check_lines(const char *name, const char *enc, const char *want,
                        const char *what) {
  char *got = slurp_lines(name, enc, NULL, NULL);
  is_str(got, want, "%s", what);
  free(got);
}

static void test_plain_and_gzip(void) {
  long n = 0;
  char *got = slurp_lines("lines.txt", NULL, NULL, &n);
  is_str(got, "first|second||last without newline",
         "LF and CRLF lines, an empty line, a last line without newline");
  free(got);
  is_int(n, 4, "four lines counted");
  check_lines("lines.txt.gz", NULL, "first|second||last without newline",
              "the same through gzip");
  check_lines("multi.txt.gz", NULL, "member one|member two",
              "a multi-member gzip file is read to its end");
  got = slurp_lines("truncated.txt.gz", NULL, NULL, NULL);
  ok(strncmp(got, "ERR65:", 6) == 0 && strstr(got, "truncated gzip stream") &&
         strstr(got, "truncated.txt.gz:"),
     "a truncated gzip stream is a data error with its position (%s)", got);
  free(got);
  check_lines("empty.txt", NULL, "", "an empty file has no lines");
  struct diag d;
  diag_init(&d);
  struct input *in = input_open("/nonexistent/x.csv", &d);
  ok(!in && d.kind == DIAG_NOINPUT && strstr(d.message, "No such file"),
     "a missing file is DIAG_NOINPUT (%s)", d.message);
  char *p = data_path("");
  in = input_open(p, &d);
  ok(!in && d.kind == DIAG_NOINPUT && !strcmp(d.message, DIAG_IS_FOLDER),
     "a folder is refused, in the one wording (%s)", d.message);
  free(p);
  diag_fini(&d);
}

static void test_compressed_flag_and_peek(void) {
  struct diag d;
  diag_init(&d);
  char *p = data_path("lines.txt.gz");
  struct input *in = input_open(p, &d);
  ok(in && input_compressed(in), "gzip is detected by its magic bytes");
  const unsigned char *bytes;
  long n = input_peek_raw(in, 5, &bytes, &d);
  ok(n == 5 && memcmp(bytes, "first", 5) == 0,
     "peek_raw shows the decompressed bytes");
  n = input_peek_raw(in, 1000, &bytes, &d);
  is_int(n, 36, "peek_raw past the end gives what there is");
  const char *text;
  n = input_peek_text(in, &text, &d);
  ok(n == 36 && strncmp(text, "first\nsecond", 12) == 0,
     "peek_text shows the decoded text");
  const char *line;
  size_t len;
  ok(input_read_line(in, &line, &len, &d) == 1 && strcmp(line, "first") == 0,
     "peeking consumed nothing: the first line is still there");
  input_close(in);
  free(p);
  p = data_path("truncated.txt.gz");
  in = input_open(p, &d);
  n = in ? input_peek_raw(in, 1 << 20, &bytes, &d) : 0;
  ok(n == -1 && d.kind == DIAG_DATA && d.offset > 0 &&
         strstr(d.message, "truncated gzip"),
     "peeking into a truncated gzip stream fails at FILE:@%ld", d.offset);
  input_close(in);
  free(p);
  p = data_path("lines.txt");
  in = input_open(p, &d);
  ok(in && !input_compressed(in), "a plain file is not compressed");
  is_int(input_file_size(in), 36, "file size known");
  input_close(in);
  free(p);
  diag_fini(&d);
}

static void test_stdin(void) {
  char *p = data_path("multi.txt.gz");
  int saved = dup(STDIN_FILENO);
  int fd = open(p, O_RDONLY);
  dup2(fd, STDIN_FILENO);
  close(fd);
  struct diag d;
  diag_init(&d);
  struct input *in = input_open("-", &d);
  ok(in && strcmp(input_name(in), "<stdin>") == 0 && input_compressed(in),
     "standard input is <stdin> and gzip there is detected");
  const unsigned char *bytes;
  ok(input_peek_raw(in, 6, &bytes, &d) == 6 && memcmp(bytes, "member", 6) == 0,
     "peek works on standard input");
  const char *line;
  size_t len;
  int r1 = input_read_line(in, &line, &len, &d);
  int r2 = r1 == 1 ? input_read_line(in, &line, &len, &d) : -1;
  ok(r2 == 1 && strcmp(line, "member two") == 0,
     "both gzip members read from standard input");
  input_close(in);
  dup2(saved, STDIN_FILENO);
  close(saved);
  diag_fini(&d);
  free(p);
}

static void test_encodings(void) {
  struct diag d;
  diag_init(&d);
  struct warnings w;
  warnings_init(&w);
  char *p = data_path("bom-utf8.txt");
  struct input *in = input_open(p, &d);
  input_start_text(in, "cp1251", &w, &d);
  is_str(input_encoding(in), "utf-8", "a UTF-8 BOM wins over --encoding");
  ok(input_has_bom(in), "and is reported");
  input_close(in);
  free(p);
  check_lines("bom-utf8.txt", NULL, "Processus \u00e9t\u00e9|zwei",
              "the UTF-8 BOM is not part of the first line");
  check_lines("bom-utf16le.txt", NULL,
              "\u041f\u0440\u043e\u0446\u0435\u0441\u0441|"
              "\u0420\u0430\u0431\u043e\u0447\u0438\u0439 "
              "\u043d\u0430\u0431\u043e\u0440",
              "UTF-16LE with BOM and CRLF is converted to UTF-8 lines");
  char *got = slurp_lines("cp1252.txt", NULL, &w, NULL);
  is_str(got, "Disco f\u00edsico\\P\u00e1ginas/s|undefined \ufffd byte",
         "a non-UTF-8 header means cp1252; its undefined 0x81 is U+FFFD");
  free(got);
  ok(warnings_has(&w, "encoding-replaced") && !warnings_has(&w, "encoding-guess"),
     "the replacement is warned about; Spanish gets no cp1251 hint");
  is_int(w.count ? w.items[0].line : 0, 2, "the replacement warning names line 2");
  warnings_fini(&w);
  warnings_init(&w);
  got = slurp_lines("cp1251.txt", NULL, &w, NULL);
  ok(warnings_has(&w, "encoding-guess") && strstr(w.items[0].message, "cp1251"),
     "Cyrillic bytes read as cp1252 give the --encoding cp1251 hint");
  free(got);
  warnings_fini(&w);
  check_lines("cp1251.txt", "CP1251",
              "\"\\\\PC\\\u041f\u0440\u043e\u0446\u0435\u0441\u0441(Idle)\\"
              "\u0420\u0430\u0431\u043e\u0447\u0438\u0439 \u043d\u0430\u0431"
              "\u043e\u0440\"|\"1\"",
              "--encoding CP1251 decodes the Russian header");
  got = slurp_lines("utf8-then-bad.txt", NULL, NULL, NULL);
  ok(strncmp(got, "ERR65:", 6) == 0 &&
         strstr(got, "utf8-then-bad.txt:3:5: invalid UTF-8 byte 0xE9"),
     "an invalid UTF-8 byte after a UTF-8 header: FILE:3:5 (%s)", got);
  free(got);
  got = slurp_lines("lines.txt", "no-such-charset", NULL, NULL);
  ok(strncmp(got, "ERR2:", 5) == 0 && strstr(got, "unknown encoding"),
     "an unknown --encoding is a usage error (%s)", got);
  free(got);
  diag_fini(&d);
}

/* Large generated inputs: a character split by every chunk boundary. */
static char *write_temp(const char *dir, const char *name, const char *bytes,
                        size_t n) {
  char *path = xasprintf("%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  fwrite(bytes, 1, n, f);
  fclose(f);
  return path;
}

/* n copies of unit (ulen bytes) after a prefix of plen bytes 'x'. */
static char *repeat(size_t plen, const char *unit, size_t ulen, size_t n,
                    size_t *out_len) {
  *out_len = plen + ulen * n;
  char *s = xmalloc(*out_len + 1);
  memset(s, 'x', plen);
  for (size_t i = 0; i < n; i++)
    memcpy(s + plen + i * ulen, unit, ulen);
  s[*out_len] = '\0';
  return s;
}

static void check_big(const char *dir, const char *name, const char *raw,
                      size_t rawlen, const char *enc, const char *want,
                      size_t wantlen, const char *what) {
  char *path = write_temp(dir, name, raw, rawlen);
  struct diag d;
  diag_init(&d);
  struct input *in = input_open(path, &d);
  input_start_text(in, enc, NULL, &d);
  struct strbuf b;
  strbuf_init(&b);
  char buf[1000];
  long n;
  while ((n = input_read_text(in, buf, sizeof buf, &d)) > 0)
    strbuf_add(&b, buf, (size_t)n);
  ok(n == 0 && b.len == wantlen && memcmp(b.data, want, wantlen) == 0,
     "%s (%zu bytes decoded)", what, b.len);
  input_close(in);
  strbuf_fini(&b);
  diag_fini(&d);
  unlink(path);
  free(path);
}

static void test_chunk_boundaries(void) {
  char tmpl[] = "/tmp/test_input.XXXXXX";
  char *dir = mkdtemp(tmpl);
  size_t rl, wl;
  /* UTF-8: odd prefix so 2-byte characters straddle every 64 KiB boundary. */
  char *raw = repeat(1, "\xc3\xa9", 2, 200000, &rl);
  check_big(dir, "u8.txt", raw, rl, NULL, raw, rl,
            "UTF-8 passthrough keeps characters split across chunks");
  free(raw);
  /* UTF-16LE: BOM + one unit, then surrogate pairs straddling boundaries. */
  char *r16 = repeat(0, "\x3d\xd8\x00\xde", 4, 100000, &rl);
  char *with_bom = xmalloc(rl + 4);
  memcpy(with_bom, "\xff\xfe\x41\x00", 4);
  memcpy(with_bom + 4, r16, rl);
  char *want = repeat(1, "\xf0\x9f\x98\x80", 4, 100000, &wl);
  want[0] = 'A';
  check_big(dir, "u16.txt", with_bom, rl + 4, NULL, want, wl,
            "UTF-16LE surrogate pairs split across chunks decode intact");
  free(r16);
  free(with_bom);
  free(want);
  /* A line far longer than a chunk. */
  raw = repeat(300000, "\n", 1, 1, &rl);
  check_big(dir, "long.txt", raw, rl, NULL, raw, rl,
            "a 300 KB line is read whole");
  free(raw);
  long lines = 0;
  char *path = xasprintf("%s/long.txt", dir);
  FILE *f = fopen(path, "wb");
  for (int i = 0; i < 100000; i++)
    fprintf(f, "%d\r\n", i);
  fclose(f);
  char *got = slurp_lines(path, NULL, NULL, &lines);
  is_int(lines, 100000, "100000 CRLF lines counted across chunks");
  ok(strncmp(got, "0|1|2|", 6) == 0 && strstr(got, "|99999") &&
         !strchr(got, '\r'),
     "their text has no CR");
  free(got);
  unlink(path);
  free(path);
  rmdir(dir);
}

/* The encoding guess over a window (what .reg files need): an ASCII first
 * line says nothing; a cp1252 byte further on decides. */
static void guess_case(const char *dir, const char *bytes, size_t window,
                       const char *want, const char *what) {
  char *path = write_temp(dir, "guess.txt", bytes, strlen(bytes));
  struct diag d;
  diag_init(&d);
  struct input *in = input_open(path, &d);
  if (window)
    input_guess_from(in, window);
  int rc = input_start_text(in, NULL, NULL, &d);
  is_str(rc == 0 ? input_encoding(in) : d.message, want, "%s", what);
  input_close(in);
  diag_fini(&d);
  unlink(path);
  free(path);
}

static void test_guess_window(void) {
  char tmpl[] = "/tmp/test_input.XXXXXX";
  char *dir = mkdtemp(tmpl);
  const char *reg = "REGEDIT4\r\n\r\n[HKEY_X]\r\n\"na\xefve\"=\"1\"\r\n";
  guess_case(dir, reg, 0, "utf-8", "by default only the first line is looked at");
  guess_case(dir, reg, 65536, "cp1252", "a window finds the cp1252 byte past the first line");
  guess_case(dir, reg, 12, "utf-8", "a byte past the window does not count");
  guess_case(dir, "REGEDIT4\r\n\"caf\xc3\xa9\"=\"1\"\r\n", 65536, "utf-8",
             "valid UTF-8 in the window stays UTF-8");
  guess_case(dir, "REGEDIT4\r\n\"ab\xc3", 65536, "cp1252",
             "a sequence cut by the end of the file is not UTF-8");
  rmdir(dir);
}

/* The ASCII fast path of the UTF-8 check goes 64 bytes (SSE2, AVX2), then
 * 16 bytes at a time: a bad byte or a good 2-byte character at every column
 * across several steps must be found (or kept) exactly where it is. */
static void test_utf8_steps(void) {
  char tmpl[] = "/tmp/test_input.XXXXXX";
  char *dir = mkdtemp(tmpl);
  int bad_ok = 0, good_ok = 0;
  const int cols = 140; /* past two 64-byte steps */
  char as[160];
  memset(as, 'a', sizeof as - 1);
  as[sizeof as - 1] = '\0';
  for (int k = 0; k < cols; k++) {
    char raw[256], want[256], err[64];
    int n = snprintf(raw, sizeof raw, "ascii header\n%.*s\xE9" "bc\n", k,
                     as);
    char *path = write_temp(dir, "bad.txt", raw, (size_t)n);
    char *got = slurp_lines(path, NULL, NULL, NULL);
    snprintf(err, sizeof err, "bad.txt:2:%d: invalid UTF-8 byte 0xE9", k + 1);
    bad_ok += strncmp(got, "ERR65:", 6) == 0 && strstr(got, err) != NULL;
    free(got);
    unlink(path);
    free(path);
    n = snprintf(raw, sizeof raw, "ascii header\n%.*s\xC3\xA9" "bc\n", k,
                 as);
    snprintf(want, sizeof want, "ascii header|%.*s\xC3\xA9" "bc", k,
             as);
    path = write_temp(dir, "good.txt", raw, (size_t)n);
    got = slurp_lines(path, NULL, NULL, NULL);
    good_ok += strcmp(got, want) == 0;
    free(got);
    unlink(path);
    free(path);
  }
  ok(bad_ok == cols, "an invalid byte after 0..139 ASCII bytes is reported at its column (%d of %d)",
     bad_ok, cols);
  ok(good_ok == cols, "a 2-byte character after 0..139 ASCII bytes is kept (%d of %d)", good_ok,
     cols);
  rmdir(dir);
}

/* Read a file's lines: all of them, or only the first (a sniffer's look). */
static void read_some(const char *path, bool all) {
  struct diag d;
  diag_init(&d);
  struct input *in = input_open(path, &d);
  const char *line;
  size_t len;
  while (in && input_read_line(in, &line, &len, &d) == 1 && all)
    ;
  input_close(in);
  diag_fini(&d);
}

/* input_digest of path equals sha256_file's (the bytes as stored). */
static bool digest_is_files(const char *path) {
  char want[SHA256_HEX_SIZE], got[SHA256_HEX_SIZE];
  unsigned long long want_size;
  uint64_t size = 0;
  struct diag d;
  diag_init(&d);
  bool same = sha256_file(path, want, &want_size, &d) == 0 &&
              input_digest(path, got, &size) == 0 && strcmp(got, want) == 0 &&
              size == want_size;
  diag_fini(&d);
  return same;
}

static void test_digests(void) {
  char *lines = data_path("lines.txt"), *gz = data_path("lines.txt.gz");
  char *multi = data_path("multi.txt.gz");
  char hex[SHA256_HEX_SIZE];
  uint64_t size;
  read_some(lines, true);
  is_int(input_digest(lines, hex, &size), 1, "no digest is kept unless asked for");
  input_keep_digests(true);
  read_some(lines, true);
  ok(digest_is_files(lines), "a plain file read to its end: the digest of its bytes");
  read_some(gz, true);
  ok(digest_is_files(gz), "a gzip file: the digest of its compressed bytes, as stored");
  read_some(multi, true);
  ok(digest_is_files(multi), "a multi-member gzip file: the digest of all its members");
  input_forget_digests();

  char tmpl[] = "/tmp/lsdigestXXXXXX";
  char *dir = mkdtemp(tmpl);
  /* 300,000 lines (about 2 MB): several reads, a digest across them. */
  char *big = xasprintf("%s/big.txt", dir);
  FILE *f = fopen(big, "wb");
  for (int i = 0; i < 300000; i++)
    fprintf(f, "line %d\n", i);
  fclose(f);
  read_some(big, false);
  ok(digest_is_files(big), "a file closed after its first line: the rest is hashed on asking");
  input_forget_digests();
  read_some(big, true);
  ok(digest_is_files(big), "a 2 MB file: one digest over all its reads");
  read_some(big, false);
  ok(digest_is_files(big), "a complete digest is kept over a later partial read");
  struct diag d;
  diag_init(&d);
  struct input *in = input_open(big, &d), *again = in ? input_reopen(in, &d) : NULL;
  input_close(again);
  input_close(in);
  diag_fini(&d);
  ok(digest_is_files(big), "a read-ahead (input_reopen) leaves the digest alone");
  input_forget_digests();
  in = input_open(big, &d);
  again = in ? input_reopen(in, &d) : NULL;
  input_close(in);
  unlink(big);
  is_int(input_digest(big, hex, &size), -1,
         "the unread rest of a file since removed: no digest (-1)");
  input_close(again);
  input_forget_digests();
  input_keep_digests(false);
  free(big);

  /* gzip followed by bytes that are not gzip: read like gzip -d does. */
  FILE *src = fopen(gz, "rb");
  char buf[4096];
  size_t n = src ? fread(buf, 1, sizeof buf, src) : 0;
  if (src)
    fclose(src);
  memcpy(buf + n, "\0\0garbage", 9);
  char *trailing = write_temp(dir, "trailing.gz", buf, n + 9);
  char *got = slurp_lines(trailing, NULL, NULL, NULL);
  is_str(got, "first|second||last without newline",
         "bytes after the last gzip member are ignored");
  free(got);
  unlink(trailing);
  free(trailing);
  char *corrupt_gz = xasprintf("%s/corrupt.gz", dir);
  buf[12] = (char)0xFF; /* into the deflate data */
  buf[13] = (char)0xFF;
  f = fopen(corrupt_gz, "wb");
  fwrite(buf, 1, n, f);
  fclose(f);
  got = slurp_lines(corrupt_gz, NULL, NULL, NULL);
  ok(strncmp(got, "ERR65:", 6) == 0 && strstr(got, "corrupt gzip data ("),
     "corrupt deflate data is a data error naming zlib's reason (%s)", got);
  free(got);
  unlink(corrupt_gz);
  free(corrupt_gz);
  rmdir(dir);
  free(lines);
  free(gz);
  free(multi);
}

/* Lines are handed out in place from the read buffer (256 KiB chunks):
 * a character, a NUL, a bad byte and a line end at and around every chunk
 * boundary read as before, with the same positions; a peek of the text
 * first (the copying path) hands over to it where the copy ends. */
static char *lines_of(const char *dir, const char *raw, size_t n, bool peek) {
  char *path = write_temp(dir, "inplace.txt", raw, n);
  struct diag d;
  diag_init(&d);
  struct input *in = input_open(path, &d);
  struct strbuf b;
  strbuf_init(&b);
  const char *text, *line;
  size_t len;
  int r = 0;
  if (peek && input_peek_text(in, &text, &d) < 0)
    r = -1;
  while (r == 0 && (r = input_read_line(in, &line, &len, &d)) == 1) {
    strbuf_addf(&b, "%zu:", len);
    strbuf_add(&b, line, len < 8 ? len : 8);
    strbuf_addc(&b, '|');
    r = 0;
  }
  if (r < 0) {
    char *msg = diag_format(&d);
    strbuf_addf(&b, "ERR:%s", strstr(msg, "inplace.txt:") ? strstr(msg, "inplace.txt:") : msg);
    free(msg);
  }
  input_close(in);
  diag_fini(&d);
  unlink(path);
  free(path);
  return strbuf_detach(&b);
}

static void test_inplace_lines(void) {
  char tmpl[] = "/tmp/test_input.XXXXXX";
  char *dir = mkdtemp(tmpl);
  const size_t chunk = 256 * 1024, n = 3 * chunk + 100;
  char *raw = xmalloc(n + 1);
  int good = 0, bad = 0, nul = 0, cut = 0, peeked = 0, tries = 0;
  for (size_t at = chunk - 70; at < chunk + 70; at += 3, tries++) {
    /* 100-byte lines "aaa...\n", and at `at` the thing tested */
    for (size_t i = 0; i < n; i++)
      raw[i] = i % 100 == 99 ? '\n' : 'a';
    size_t line = at / 100 + 1, col = at % 100 + 1;
    char want[64];
    if (at % 100 < 98) {
      memcpy(raw + at, "\xC3\xA9", 2);
      char *got = lines_of(dir, raw, n, false);
      snprintf(want, sizeof want, "|99:%.*s\xC3\xA9", (int)(at % 100 > 6 ? 6 : at % 100),
               "aaaaaa");
      good += strstr(got, "ERR") == NULL && (at % 100 > 6 || strstr(got, want)) &&
              strlen(got) > 8 * (n / 100);
      free(got);
      got = lines_of(dir, raw, n, true);
      peeked += strstr(got, "ERR") == NULL && strlen(got) > 8 * (n / 100);
      free(got);
      raw[at + 1] = 'a';
      got = lines_of(dir, raw, n, false);
      snprintf(want, sizeof want, "inplace.txt:%zu:%zu: invalid UTF-8 byte 0xC3", line, col);
      bad += strstr(got, want) != NULL;
      free(got);
      raw[at] = '\0';
      got = lines_of(dir, raw, n, false);
      snprintf(want, sizeof want, "inplace.txt:%zu:%zu: NUL byte", line, col);
      nul += strstr(got, want) != NULL;
      free(got);
      memcpy(raw + at, "aa", 2);
    } else {
      good++, bad++, nul++, peeked++;
    }
    /* the file ends inside a character right after `at` */
    raw[at] = '\xE2';
    raw[at + 1] = '\x82';
    char *got = lines_of(dir, raw, at + 2, false);
    snprintf(want, sizeof want, "inplace.txt:%zu:%zu: input ends inside a UTF-8", line, col);
    cut += strstr(got, want) != NULL;
    free(got);
  }
  ok(good == tries, "a 2-byte character at and around a chunk boundary is kept (%d of %d)",
     good, tries);
  ok(peeked == tries, "after a peek of the text too (%d of %d)", peeked, tries);
  ok(bad == tries, "a bad byte there is reported at its line and column (%d of %d)", bad,
     tries);
  ok(nul == tries, "so is a NUL byte (%d of %d)", nul, tries);
  ok(cut == tries, "and a character cut by the end of the file (%d of %d)", cut, tries);
  for (size_t i = 0; i < n; i++)
    raw[i] = 'b';
  raw[chunk - 1] = '\n';
  char *got = lines_of(dir, raw, chunk + 5, false);
  is_str(got, "262143:bbbbbbbb|5:bbbbb|", "a line ending on the chunk's last byte, then a last "
         "line without a newline");
  free(got);
  free(raw);
  rmdir(dir);
}

/* Lines of the file at path read with input_read_span after `first`
 * lines, calling `change` between: "N lines" or "N lines, ERR<kind>:msg". */
static char *span_lines(const char *path, int first, void (*change)(const char *)) {
  struct diag d;
  diag_init(&d);
  struct input *in = input_open(path, &d);
  const char *line;
  size_t len;
  int r = 1, n = 0;
  while (n < first && (r = input_read_span(in, &line, &len, &d)) == 1)
    n++;
  change(path);
  while (r == 1 && (r = input_read_span(in, &line, &len, &d)) == 1)
    n++;
  char *msg = r < 0 ? diag_format(&d) : NULL;
  char *got = r < 0 ? xasprintf("%d lines, ERR%d:%s", n, (int)d.kind, strrchr(msg, '/') + 1)
                    : xasprintf("%d lines", n);
  free(msg);
  input_close(in);
  diag_fini(&d);
  return got;
}

static void shrink_to_1m(const char *path) { ok(truncate(path, 1048626) == 0, "truncated"); }
static void shrink_to_100(const char *path) { ok(truncate(path, 100) == 0, "truncated"); }
static void append_1000(const char *path) {
  FILE *f = fopen(path, "ab");
  for (int i = 0; i < 1000; i++)
    fprintf(f, "%099d\n", i);
  fclose(f);
}

static char *hundreds(const char *dir, int lines) {
  char *path = xasprintf("%s/change.txt", dir);
  FILE *f = fopen(path, "wb");
  for (int i = 0; i < lines; i++)
    fprintf(f, "%099d\n", i);
  fclose(f);
  return path;
}

/* A mapped file that changes under the reader: shrunk, the rest is an
 * error (no SIGBUS), whether the lost pages fault or (a shrink inside the
 * last page) only read as zeros; grown, the new lines are read, as read()
 * reads them. read() cannot tell a shrink from the end: it reads less. */
static void test_changing_file(bool mapped) {
  char tmpl[] = "/tmp/test_input.XXXXXX";
  char *dir = mkdtemp(tmpl);
  char *path = hundreds(dir, 40000), *got = span_lines(path, 1, shrink_to_1m);
  if (mapped)
    ok(strstr(got, "ERR66:change.txt:") && strstr(got, "the file shrank while it was read "
                                                       "(it had 4000000 bytes when opened"),
       "a mapped file cut to 1 MiB after its first line: an error, no crash (%s)", got);
  else
    is_str(got, "10487 lines", "cut to 1 MiB by read(): what is left is read");
  free(got);
  free(path);
  path = hundreds(dir, 30);
  got = span_lines(path, 1, shrink_to_100);
  if (mapped)
    ok(strstr(got, "ERR66:change.txt:") && strstr(got, "shrank"),
       "a 3,000-byte file cut to 100 bytes inside its page: an error (%s)", got);
  else
    is_str(got, "30 lines", "cut inside the page by read(): its one read() had it all");
  free(got);
  free(path);
  path = hundreds(dir, 1000);
  got = span_lines(path, 1, append_1000);
  is_str(got, "2000 lines", "a file that grows while read: the new lines are read too");
  free(got);
  unlink(path);
  free(path);
  rmdir(dir);
}

/* A last line without a newline that ends a page-sized file: its span is
 * not read past (the byte after it is the map's end). */
static void test_span_at_page_end(void) {
  char tmpl[] = "/tmp/test_input.XXXXXX";
  char *dir = mkdtemp(tmpl);
  char raw[8192];
  for (size_t i = 0; i < sizeof raw; i++)
    raw[i] = i % 100 == 99 ? '\n' : (char)('a' + i / 100 % 26);
  raw[sizeof raw - 1] = 'z';
  char *path = write_temp(dir, "page.txt", raw, sizeof raw);
  struct diag d;
  diag_init(&d);
  struct input *in = input_open(path, &d);
  const char *line, *last = NULL;
  size_t len, last_len = 0;
  int n = 0, r;
  while ((r = input_read_span(in, &line, &len, &d)) == 1) {
    n++;
    last = line;
    last_len = len;
  }
  ok(r == 0 && n == 82 && last_len == 92 && memcmp(last, raw + 8100, 92) == 0,
     "an 8 KiB file's last line without a newline: 92 bytes, as written (%d lines)", n);
  input_close(in);
  diag_fini(&d);
  unlink(path);
  free(path);
  rmdir(dir);
}

/* A binary reader's input_stop_mapping: the raw bytes go on from where
 * they were, the same bytes with the same offsets and one digest over
 * them; from then on the file is read by read(), so a file cut short
 * reads less (the end of input, which the reader reports as a truncation)
 * instead of the mapped file's "shrank" error. */
static char *raw_after_stop(const char *path, size_t first, off_t cut, bool *same) {
  struct diag d;
  diag_init(&d);
  struct input *in = input_open(path, &d);
  const unsigned char *b;
  long n = input_read_raw(in, first, &b, &d);
  size_t total = n > 0 ? (size_t)n : 0;
  *same = n == (long)first;
  for (size_t i = 0; *same && i < total; i++)
    *same = b[i] == (unsigned char)(i * 7 % 251);
  input_stop_mapping(in); /* b is gone with the map */
  if (cut >= 0)
    ok(truncate(path, cut) == 0, "truncated");
  while (n > 0 && *same) {
    uint64_t at = input_raw_offset(in);
    if ((n = input_read_raw(in, 65536, &b, &d)) > 0) {
      *same = at == total;
      for (long i = 0; *same && i < n; i++)
        *same = b[i] == (unsigned char)((total + (size_t)i) * 7 % 251);
      total += (size_t)n;
    }
  }
  char *msg = n < 0 ? diag_format(&d) : NULL;
  char *got = n < 0 ? xasprintf("%zu bytes, ERR%d:%s", total, (int)d.kind, strrchr(msg, '/') + 1)
                    : xasprintf("%zu bytes", total);
  free(msg);
  input_close(in);
  diag_fini(&d);
  return got;
}

static void test_stop_mapping(void) {
  char tmpl[] = "/tmp/test_input.XXXXXX";
  char *dir = mkdtemp(tmpl);
  size_t size = 1000003;
  char *raw = xmalloc(size);
  for (size_t i = 0; i < size; i++)
    raw[i] = (char)(i * 7 % 251);
  char *path = write_temp(dir, "blob.bin", raw, size);
  input_keep_digests(true);
  bool same;
  char *got = raw_after_stop(path, 100, -1, &same);
  ok(same && strcmp(got, "1000003 bytes") == 0,
     "raw bytes after input_stop_mapping: the same bytes at the same offsets (%s)", got);
  ok(digest_is_files(path), "and one digest over the bytes before and after it");
  input_forget_digests();
  input_keep_digests(false);
  free(got);
  got = raw_after_stop(path, 65536, 300000, &same);
  ok(same && strcmp(got, "300000 bytes") == 0,
     "cut to 300,000 bytes after input_stop_mapping: read() reads what is left (%s)", got);
  free(got);
  unlink(path);
  free(path);
  free(raw);
  rmdir(dir);
}


/* input_trim after a 1.5 MB first line: the buffer shrinks to what is left
 * and a chunk, and the lines after it read as written, with a NUL near
 * the end still reported at its line and column; in UTF-8 (lines in place)
 * and in cp1252 (decoded to text). */
static void test_trim(void) {
  char tmpl[] = "/tmp/test_input.XXXXXX";
  char *dir = mkdtemp(tmpl);
  for (int cp = 0; cp < 2; cp++) {
    const char *e = cp ? "\xe9" : "\xc3\xa9"; /* é */
    struct strbuf b, want;
    strbuf_init(&b);
    strbuf_init(&want);
    for (int i = 0; i < 1500; i++)
      strbuf_addf(&b, "%0999d%s", i, e);
    strbuf_adds(&b, "\r\n");
    for (int i = 1; i <= 3000; i++) {
      strbuf_addf(&b, "line %d %s%*s|\n", i, e, i % 300, "");
      strbuf_addf(&want, "line %d \xc3\xa9%*s|\n", i, i % 300, "");
    }
    strbuf_add(&b, "ab\0c\n", 5);
    char *path = write_temp(dir, "trim.txt", b.data, b.len);
    struct diag d;
    diag_init(&d);
    struct input *in = input_open(path, &d);
    input_start_text(in, cp ? "cp1252" : NULL, NULL, &d);
    const char *line;
    size_t len, first = 0;
    if (input_read_span(in, &line, &len, &d) == 1)
      first = len;
    input_trim(in);
    struct strbuf got;
    strbuf_init(&got);
    int r;
    while ((r = input_read_line(in, &line, &len, &d)) == 1) {
      strbuf_add(&got, line, len);
      strbuf_addc(&got, '\n');
    }
    char *err = r < 0 ? diag_format(&d) : xstrdup("");
    ok(first == 1500 * 1001 && got.len == want.len &&
           memcmp(got.data, want.data, want.len) == 0 && r < 0 &&
           strstr(err, ":3002:3: NUL byte"),
       "%s: a 1.5 MB first line, the buffer trimmed, 3,000 lines as written, then the NUL "
       "at 3002:3 (%s)", cp ? "cp1252" : "UTF-8", err);
    free(err);
    strbuf_fini(&got);
    input_close(in);
    diag_fini(&d);
    unlink(path);
    free(path);
    strbuf_fini(&b);
    strbuf_fini(&want);
  }
  rmdir(dir);
}

/* Every case above, with a regular file mapped (LEAKSLOPE_MMAP=1) and read
 * by read() (the default): both must meet the same expectations. */
int main(void) {
  for (int pass = 0; pass < 2; pass++) {
    bool mapped = pass == 0;
    if (mapped)
      setenv("LEAKSLOPE_MMAP", "1", 1);
    else
      unsetenv("LEAKSLOPE_MMAP");
    printf("# regular files %s\n", mapped ? "mapped" : "read by read()");
    test_inplace_lines();
    test_chunk_boundaries();
    test_guess_window();
    test_plain_and_gzip();
    test_compressed_flag_and_peek();
    test_stdin();
    test_encodings();
    test_utf8_steps();
    test_digests();
    test_changing_file(mapped);
    test_span_at_page_end();
    test_stop_mapping();
    test_trim();
    input_forget_digests();
  }
  return tap_done();
}
