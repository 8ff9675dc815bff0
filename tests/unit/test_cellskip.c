/* Unit tests of the skip over unselected cells (perfmon/cellskip): a wide
 * log read with the skip and with pdh_walk_every_cell (the exact walk) must
 * give the same values and the same error, at the same FILE:LINE:COL, for
 * well-formed rows and for every kind of malformed cell placed before,
 * between and after the selected ones and across 64-byte blocks; then
 * random rows over the characters that matter (quote, comma, text). */
#include "config.h"
#include "perfmon/cellskip.h"
#include "perfmon/pdh.h"
#include "tap.h"
#include "util/rng.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#define NCOUNTERS 60

/* The header and good rows; row r's cell k is "r*1000+k". */
static void header(struct strbuf *b) {
  strbuf_addf(b, "\"(PDH-CSV 4.0) (Coordinated Universal Time)(0)\"");
  for (int k = 0; k < NCOUNTERS; k++)
    strbuf_addf(b, ",\"\\\\h\\Process(p%d)\\Private Bytes\"", k);
  strbuf_addf(b, "\r\n");
}

static void row_start(struct strbuf *b, int r) {
  strbuf_addf(b, "\"01/01/2026 00:00:%02d.000\"", r);
}

static void good_row(struct strbuf *b, int r) {
  row_start(b, r);
  for (int k = 0; k < NCOUNTERS; k++)
    strbuf_addf(b, ",\"%d\"", r * 1000 + k);
  strbuf_addf(b, "\r\n");
}

/* What a log reads as: the selected values of each row, then the end or
 * the error. */
static char *read_log(const char *path, bool walk_all, const size_t *sel, size_t nsel) {
  struct diag d;
  diag_init(&d);
  struct warnings w;
  warnings_init(&w);
  struct strbuf out;
  strbuf_init(&out);
  struct pdh_reader *r = pdh_open(path, NULL, &w, &d);
  int got = r ? 1 : -1;
  if (r) {
    for (size_t i = 0; i < nsel; i++)
      pdh_select(r, sel[i]);
    pdh_walk_every_cell(r, walk_all);
    struct pdh_row row;
    while ((got = pdh_next_row(r, &row, &d)) == 1) {
      strbuf_addf(&out, "%ld:", row.line);
      for (size_t i = 0; i < nsel; i++)
        strbuf_addf(&out, " %.17g", row.values[sel[i]]);
      strbuf_addc(&out, '\n');
    }
  }
  if (got < 0) {
    char *m = diag_format(&d);
    strbuf_addf(&out, "error: %s\n", m);
    free(m);
  } else
    strbuf_addf(&out, "end\n");
  pdh_close(r);
  warnings_fini(&w);
  diag_fini(&d);
  return strbuf_detach(&out);
}

/* Both ways agree on the log in b; on a mismatch, say so once. */
static bool agree(const char *dir, const struct strbuf *b, const size_t *sel, size_t nsel,
                  bool *saw_error) {
  char *path = xasprintf("%s/log.csv", dir);
  FILE *f = fopen(path, "wb");
  fwrite(b->data, 1, b->len, f);
  fclose(f);
  char *fast = read_log(path, false, sel, nsel), *slow = read_log(path, true, sel, nsel);
  bool same = strcmp(fast, slow) == 0;
  if (!same)
    fprintf(stderr, "skip:\n%s\nwalk:\n%s\n", fast, slow);
  if (strstr(slow, "error: "))
    *saw_error = true;
  unlink(path);
  free(path);
  free(fast);
  free(slow);
  return same;
}

static const char *const bad_cells[] = {
    "\"a\"\"b\"",   /* a doubled quote: well formed, walked */
    "\"a,b\"",      /* a quoted comma: one cell fewer */
    "\"ab\"x",      /* text after the closing quote */
    "\"ab",         /* unbalanced: the quote runs on */
    "123",          /* unquoted */
    "1\"2",         /* a quote inside an unquoted cell */
    "\"1\"2\"",     /* a quote inside a quoted cell */
    "",             /* empty */
    "\"\"",         /* empty, quoted */
    "\"x\",\"y\"",  /* one cell too many */
    NULL,           /* one cell missing */
};

/* A log of three rows whose middle row has `text` as counter cell `cell`
 * (1-based; NULL: the cell is left out), every other cell a good number. */
static void log_with_cell(struct strbuf *b, int cell, const char *text) {
  strbuf_init(b);
  header(b);
  good_row(b, 0);
  row_start(b, 1);
  for (int k = 1; k <= NCOUNTERS; k++) {
    if (k != cell)
      strbuf_addf(b, ",\"%d\"", 1000 + k);
    else if (text)
      strbuf_addf(b, ",%s", text);
  }
  strbuf_addf(b, "\r\n");
  good_row(b, 2);
}

static void test_malformed(const char *dir) {
  const size_t sel[2] = {3, 40};
  int cells[] = {1, 2, 3, 4, 5, 6, 7, 9, 20, 39, 40, 41, 42, 45, 55, 58, 59, 60};
  size_t kinds = sizeof bad_cells / sizeof *bad_cells, n = 0, same = 0;
  bool saw_error = false;
  for (size_t kind = 0; kind < kinds; kind++)
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
      struct strbuf b;
      log_with_cell(&b, cells[i], bad_cells[kind]);
      same += agree(dir, &b, sel, 2, &saw_error);
      n++;
      strbuf_fini(&b);
    }
  ok(same == n && saw_error,
     "%zu malformed rows (11 kinds of cell at 18 places): the skip and the walk "
     "give the same values and errors (%zu agree)", n, same);
}

/* The selected cells in one pass (quoted numbers read as they are found)
 * against next_cell then the conversion: numbers of every shape, blanks and
 * broken cells, at selected cells mid-row and at the row's end. */
static const char *const number_cells[] = {
    "\"12.5\"", "\"-3\"", "\"0\"", "\"1e5\"", "\"1.5e-005\"", "\" \"", "\"\"",
    "\"12345678901234567890\"", "\"9007199254740993\"", "\"123.456000000000000\"",
    "\"99.90000000000000\"", "\"007\"", "\"1.\"", "\".5\"", "\"-\"", "\"12a\"",
    "\"1\"\"2\"", "\"12\"x", "\"12", "12", "\"1,2\"", "\"0.1e400\"", "\"inf\"",
    "\"1e-400\"", "\"4096.0000000000000001\"",
};

static void test_numbers(const char *dir) {
  const size_t sel[3] = {2, 40, 59}; /* cells 3, 41 and 60, the last */
  int cells[] = {3, 41, 60};
  size_t kinds = sizeof number_cells / sizeof *number_cells, n = 0, same = 0;
  bool saw_error = false;
  for (size_t kind = 0; kind < kinds; kind++)
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
      struct strbuf b;
      log_with_cell(&b, cells[i], number_cells[kind]);
      same += agree(dir, &b, sel, 3, &saw_error);
      n++;
      strbuf_fini(&b);
    }
  ok(same == n && saw_error,
     "%zu rows with a number of each of %zu shapes at a selected cell: read in one pass "
     "and by the walk, the same values and errors (%zu agree)", n, kinds, same);
}

static void test_random(const char *dir) {
  static const char alphabet[] = "\"\",,a1 ";
  struct rng g;
  rng_seed(&g, 13);
  size_t n = 400, same = 0;
  bool saw_error = false;
  for (size_t t = 0; t < n; t++) {
    struct strbuf b;
    strbuf_init(&b);
    header(&b);
    good_row(&b, 0);
    row_start(&b, 1);
    size_t bad_at = 1 + (size_t)rng_below(&g, NCOUNTERS);
    for (size_t k = 1; k <= NCOUNTERS; k++) {
      strbuf_addc(&b, ',');
      if (k != bad_at) {
        strbuf_addf(&b, "\"%zu\"", 1000 + k);
        continue;
      }
      size_t len = (size_t)rng_below(&g, 8);
      for (size_t j = 0; j < len; j++)
        strbuf_addc(&b, alphabet[rng_below(&g, sizeof alphabet - 1)]);
    }
    strbuf_addf(&b, "\r\n");
    good_row(&b, 2);
    size_t sel[2] = {(size_t)rng_below(&g, NCOUNTERS), (size_t)rng_below(&g, NCOUNTERS)};
    same += agree(dir, &b, sel, 2, &saw_error);
    strbuf_fini(&b);
  }
  ok(same == n && saw_error,
     "%zu rows with a random cell of quotes, commas and text: the same values "
     "and errors both ways (%zu agree)", n, same);
}

/* cellskip itself, on the cases whose answer is known. */
static void test_direct(void) {
  size_t used = 0;
  ok(cellskip("\"1\",\"2\",\"3\"", 11, ',', 2, &used) && used == 8,
     "two quoted cells skipped: the third starts at 8");
  ok(cellskip("\"1\",\"2\",\"3\"", 11, ',', 0, &used) && used == 3,
     "the rest: three cells");
  ok(cellskip("1,,\" \"", 6, ',', 0, &used) && used == 3,
     "unquoted, empty and blank quoted cells qualify");
  ok(!cellskip("\"1\",\"2\"", 7, ',', 2, &used), "fewer separators than wanted");
  ok(!cellskip("\"a,b\",\"c\"", 9, ',', 0, &used), "a quoted separator is left to the walk");
  ok(!cellskip("\"a\"\"b\"", 6, ',', 0, &used), "a doubled quote is left to the walk");
  ok(!cellskip("\"ab", 3, ',', 0, &used), "an open quote at the end is left to the walk");
  struct strbuf b;
  strbuf_init(&b);
  for (int i = 0; i < 100; i++)
    strbuf_addf(&b, "%s\"%d\"", i ? "\t" : "", i);
  ok(cellskip(b.data, b.len, '\t', 99, &used) && used == b.len - 4,
     "99 TAB-separated cells across several 64-byte blocks");
  ok(cellskip(b.data, b.len, '\t', 0, &used) && used == 100, "and 100 in all");
  strbuf_fini(&b);
}

/* The all-quoted check against the general one on random short runs over
 * quote, separator and text: whatever it passes, the general one passes
 * with the same answer; and it passes PDH's own rows (the fast case is
 * taken), at every length across the 64-byte blocks. */
static void test_quoted_vs_general(void) {
  static const char alphabet[] = "\"\"\"\",,a ";
  struct rng g;
  rng_seed(&g, 7);
  size_t n = 200000, passed = 0, agree_n = 0;
  char s[200];
  for (size_t t = 0; t < n; t++) {
    size_t len = (size_t)rng_below(&g, t % 2 ? 12 : 150);
    if (t % 3 == 0) { /* mostly PDH cells, with a fault now and then */
      size_t k = 0;
      while (k + 4 < len) {
        s[k++] = '"';
        size_t w = (size_t)rng_below(&g, 4);
        for (size_t j = 0; j < w && k + 2 < len; j++)
          s[k++] = rng_below(&g, 40) ? '1' : alphabet[rng_below(&g, sizeof alphabet - 1)];
        s[k++] = '"';
        s[k++] = ',';
      }
      len = k > 0 && rng_below(&g, 2) ? k - 1 : k;
    } else {
      for (size_t j = 0; j < len; j++)
        s[j] = alphabet[rng_below(&g, sizeof alphabet - 1)];
    }
    size_t want = (size_t)rng_below(&g, 4), u1 = 0, u2 = 0;
    if (cellskip_quoted(s, len, ',', want, &u1)) {
      passed++;
      agree_n += cellskip_general(s, len, ',', want, &u2) && u1 == u2;
    }
  }
  ok(passed > 1000 && agree_n == passed,
     "the all-quoted check passes %zu of %zu random runs, the general one each with the "
     "same answer (%zu)", passed, n, agree_n);
  struct strbuf b;
  strbuf_init(&b);
  size_t fine = 0, tries = 0;
  for (int k = 1; k <= 200; k++, tries += 2) {
    strbuf_addf(&b, "%s\"%d\"", k > 1 ? "," : "", k % 3 ? k * 4099 : -1);
    size_t used = 0;
    fine += cellskip_quoted(b.data, b.len, ',', 0, &used) && used == (size_t)k;
    fine += k > 1 && cellskip_quoted(b.data, b.len, ',', (size_t)k - 1, &used) &&
            b.data[used - 1] == ',' && b.data[used] == '"';
  }
  fine += 1; /* k = 1 has no separator to want */
  ok(fine == tries, "PDH's cells take the all-quoted check at every length (%zu of %zu)",
     fine, tries);
  size_t used;
  ok(!cellskip_quoted("\"1\",\"", 5, ',', 0, &used) && !cellskip_quoted("\"1\",", 4, ',', 0, &used) &&
         !cellskip_quoted("", 0, ',', 0, &used) && !cellskip_quoted("\",\"", 3, ',', 0, &used),
     "a lone quote, an empty last cell, an empty run, a quoted separator: not all-quoted");
  strbuf_fini(&b);
}

/* Bytes that are not ASCII in the middle row, at every offset from its
 * first counter cell to past the third 64-byte block (so before, on and
 * after every 16-, 32- and 64-byte edge of the UTF-8 check and the
 * masks), in skipped cells and in the selected ones (cells 3 and 40):
 * a bad byte, a cut sequence, an overlong one, and good 2- and 4-byte
 * characters; each replaces one digit. The same values and errors both
 * ways (the errors are the input layer's, at their line:col). */
static void test_utf8(const char *dir) {
  static const char *const seqs[] = {"\xff", "\xc3", "\xc0\xaf", "\xc3\xa9", "\xf0\x9f\x98\x80"};
  const size_t sel[2] = {2, 39};
  size_t n = 0, same = 0, in_selected = 0;
  bool saw_error = false;
  for (size_t kind = 0; kind < sizeof seqs / sizeof *seqs; kind++) {
    struct strbuf row;
    strbuf_init(&row);
    log_with_cell(&row, 0, NULL); /* the three rows, none changed */
    const char *mid = strstr(strstr(row.data, "\n") + 1, "\n") + 1; /* row 1 */
    size_t first = (size_t)(strchr(mid, ',') - row.data) + 1;
    for (size_t at = first; at < first + 3 * 64 + 8; at++) {
      char c = row.data[at];
      if (c < '0' || c > '9')
        continue;
      struct strbuf b;
      strbuf_init(&b);
      strbuf_add(&b, row.data, at);
      strbuf_adds(&b, seqs[kind]);
      strbuf_adds(&b, row.data + at + 1);
      size_t cell = 0; /* which counter cell the byte is in */
      for (size_t k = first - 1; k < at; k++)
        cell += row.data[k] == ',';
      in_selected += cell == 3 || cell == 40;
      same += agree(dir, &b, sel, 2, &saw_error);
      n++;
      strbuf_fini(&b);
    }
    strbuf_fini(&row);
  }
  ok(same == n && saw_error && in_selected > 0,
     "%zu rows with a non-ASCII byte sequence (5 kinds, %zu in a selected cell) at every "
     "digit of the first 200 bytes: the skip and the walk agree (%zu)", n, in_selected, same);
}

static void all_tests(const char *dir, const char *masks) {
  printf("# with the %s masks\n", masks);
  test_direct();
  test_quoted_vs_general();
  test_malformed(dir);
  test_numbers(dir);
  test_random(dir);
  test_utf8(dir);
}

int main(void) {
  char tmpl[] = "/tmp/lscellskipXXXXXX";
  char *dir = mkdtemp(tmpl);
  if (!dir)
    return 99;
  setenv("LEAKSLOPE_DATADIR", "/nonexistent", 1);
  cellskip_use(CELLSKIP_SSE2);
  all_tests(dir, "SSE2");
  if (cellskip_use(CELLSKIP_AVX2))
    all_tests(dir, "AVX2");
  else
    printf("# the CPU has no AVX2: the SSE2 masks only\n");
  if (cellskip_use(CELLSKIP_AVX512))
    all_tests(dir, "AVX-512BW");
  else
    printf("# the CPU has no AVX-512BW: its masks are not tried\n");
  rmdir(dir);
  return tap_done();
}
