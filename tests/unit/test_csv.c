/* test_csv — the shared RFC 4180 splitter: quotes, doubled quotes, padded
 * cells, separators inside quotes, open quotes and text after a quote. */
#include "config.h"

#include <string.h>

#include "csv_ref.h"
#include "input/csv.h"
#include "tap.h"
#include "util/rng.h"

static int split(struct csv_record *r, const char *s) {
  size_t off = 0;
  const char *why = NULL;
  return csv_split(r, s, strlen(s), ',', &off, &why);
}

/* csv_split and the byte-by-byte reference agree on t: the same result,
 * error offset and message, fields, contents, offsets and quote flags. */
static bool agrees(struct csv_record *r, const char *t, size_t n, char sep) {
  struct ref_record *ref = xcalloc(1, sizeof *ref);
  size_t off = 0, ref_off = 0;
  const char *why = NULL, *ref_why = NULL;
  int rc = csv_split(r, t, n, sep, &off, &why);
  int ref_rc = ref_split(ref, t, n, sep, &ref_off, &ref_why);
  bool same = rc == ref_rc;
  if (same && rc < 0)
    same = off == ref_off && strcmp(why, ref_why) == 0;
  if (same && rc == 0) {
    same = r->nfields == ref->n;
    for (size_t k = 0; same && k < ref->n; k++)
      same = r->fields[k].len == ref->f[k].len && r->fields[k].off == ref->f[k].off &&
             r->fields[k].quoted == ref->f[k].quoted &&
             memcmp(r->fields[k].s, ref->f[k].s, ref->f[k].len + 1) == 0;
  }
  ref_free(ref);
  free(ref);
  return same;
}

/* Random records over the bytes that matter (quotes, separators, blanks,
 * line breaks, NUL, UTF-8), against the reference. */
static void test_random(struct csv_record *r) {
  static const char alphabet[] = "\"\",,,  \tab\n\r\0\xc3\xa9";
  struct rng g;
  rng_seed(&g, 4180);
  size_t n = 20000, same = 0, errors = 0, open = 0;
  char buf[64];
  for (size_t t = 0; t < n; t++) {
    size_t len = (size_t)rng_below(&g, sizeof buf);
    for (size_t j = 0; j < len; j++)
      buf[j] = alphabet[rng_below(&g, sizeof alphabet - 1)];
    char sep = rng_below(&g, 4) ? ',' : '\t';
    same += agrees(r, buf, len, sep);
    size_t off;
    const char *why;
    int rc = csv_split(r, buf, len, sep, &off, &why);
    errors += rc < 0;
    open += rc == CSV_OPEN_QUOTE;
  }
  is_int(same, n, "%zu random records (%zu errors, %zu open quotes): split as the "
         "byte-by-byte reference", n, errors, open);
}

/* The limits at their edges: a cell of 1 MiB and one byte over (plain and
 * quoted, with doubled quotes), 4096 fields and 4097. */
static void test_limits(struct csv_record *r) {
  size_t big = CSV_CELL_MAX + 8;
  char *t = xmalloc(big + 16);
  memset(t, 'x', CSV_CELL_MAX);
  ok(agrees(r, t, CSV_CELL_MAX, ','), "a plain cell of exactly 1 MiB");
  memset(t, 'x', big);
  ok(agrees(r, t, CSV_CELL_MAX + 1, ','), "a plain cell one byte over 1 MiB");
  t[0] = 'a', t[1] = ',', t[2] = '"';
  for (size_t i = 3; i < big; i += 3)
    t[i] = 'y', t[i + 1] = '"', t[i + 2] = '"';
  t[big - 1] = '"';
  ok(agrees(r, t, big, ','), "a quoted cell of doubled quotes past 1 MiB");
  free(t);
  struct strbuf b;
  strbuf_init(&b);
  for (int k = 0; k < CSV_MAX_FIELDS - 1; k++)
    strbuf_adds(&b, k % 2 ? "\"q\"," : " p ,");
  ok(agrees(r, b.data, b.len - 1, ','), "4095 fields");
  ok(agrees(r, b.data, b.len, ','), "4096 fields");
  strbuf_adds(&b, "z");
  ok(agrees(r, b.data, b.len, ','), "4097 fields: the error at the last one");
  strbuf_fini(&b);
}

int main(void) {
  struct csv_record r;
  csv_record_init(&r);

  is_int(split(&r, "a,b,,c"), 0, "plain row splits");
  is_int(r.nfields, 4, "plain: 4 fields (an empty one kept)");
  is_str(r.fields[2].s, "", "plain: empty field is empty");
  is_str(r.fields[3].s, "c", "plain: last field");

  split(&r, "\"x, y\",\"say \"\"hi\"\"\",z");
  is_int(r.nfields, 3, "quoted comma stays in its field");
  is_str(r.fields[0].s, "x, y", "quoted: comma kept");
  is_str(r.fields[1].s, "say \"hi\"", "doubled quotes become one");
  ok(r.fields[1].quoted && !r.fields[2].quoted, "quoted flags are set");

  split(&r, "  Image,   Load  ,  0x1C4C ,");
  is_str(r.fields[0].s, "Image", "padding before a cell is dropped");
  is_str(r.fields[1].s, "Load", "padding around a cell is dropped");
  is_int(r.fields[1].off, 11, "field offset points at the cell's text");
  is_int(r.nfields, 4, "trailing separator gives an empty last field");

  split(&r, "1, \" \"\"PktMon\"\"\" ,x");
  is_str(r.fields[1].s, " \"PktMon\"", "quoted twice: one level removed, "
         "inner padding kept");

  is_int(split(&r, "a,\"open"), CSV_OPEN_QUOTE, "open quote asks for more");
  is_int(split(&r, "a,\"open\nline\",b"), 0, "line break inside quotes");
  is_str(r.fields[1].s, "open\nline", "line break kept in the field");

  size_t off = 0;
  const char *why = NULL;
  is_int(csv_split(&r, "a,\"b\"c,d", 8, ',', &off, &why), -1,
         "text after a closing quote is an error");
  is_int(off, 5, "error offset at the stray text");

  is_int(csv_split(&r, "a\tb c\t\"d\"", 9, '\t', &off, &why), 0,
         "tab separator");
  is_int(r.nfields, 3, "tab: 3 fields");
  is_str(r.fields[1].s, "b c", "tab: inner space kept");

  split(&r, "Time,  Event Name ,PID");
  is_int(csv_find(&r, "event name"), 1, "csv_find ignores case and padding");
  is_int(csv_find(&r, "nope"), -1, "csv_find: absent is -1");

  split(&r, "");
  is_int(r.nfields, 1, "empty line is one empty field");

  r.line = 7;
  strbuf_reset(&r.text);
  strbuf_adds(&r.text, "ab\"c\ndé,x");
  long line, col;
  csv_position(&r, 9, &line, &col);
  is_int(line, 8, "position: second line of a record");
  is_int(col, 4, "position: column counts characters, not bytes");

  test_random(&r);
  test_limits(&r);

  csv_record_fini(&r);
  return tap_done();
}
