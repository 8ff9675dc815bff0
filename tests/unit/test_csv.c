/* test_csv — the shared RFC 4180 splitter: quotes, doubled quotes, padded
 * cells, separators inside quotes, open quotes and text after a quote. */
#include "config.h"

#include <string.h>

#include "input/csv.h"
#include "tap.h"

static int split(struct csv_record *r, const char *s) {
  size_t off = 0;
  const char *why = NULL;
  return csv_split(r, s, strlen(s), ',', &off, &why);
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

  csv_record_fini(&r);
  return tap_done();
}
