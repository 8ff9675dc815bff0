/* Unit tests of the time stamps of a perfmon CSV re-saved by a spreadsheet:
 * each shape Excel writes in US, UK and German locales, the fields that
 * make a stamp wrong, how a slash date's order is told (a day above 12, the
 * step at midnight), and the reader deciding the order from rows far below
 * the first, or asking for --date-order when the whole file is ambiguous. */
#include "config.h"
#include "perfmon/pdh.h"
#include "perfmon/resaved_time.h"
#include "tap.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <unistd.h>

/* The stamp read with the given order, as "YYYY-MM-DDTHH:MM:SS.ffffffZ",
 * or "bad@N" (parse error at offset N) or "no such day". */
static const char *read_as(const char *s, bool day_first) {
  static char out[64];
  struct resaved_time t;
  size_t bad;
  usec_t at;
  if (resaved_time_parse(s, strlen(s), &t, &bad) < 0)
    snprintf(out, sizeof out, "bad@%zu", bad);
  else if (resaved_time_local(&t, day_first, &at) < 0)
    snprintf(out, sizeof out, "no such day");
  else
    time_format_utc(at, out);
  return out;
}

static void test_shapes(void) {
  static const struct {
    const char *in;
    bool day_first;
    const char *want;
  } cases[] = {
      {"3/5/2026 21:00:00", false, "2026-03-05T21:00:00.000000Z"},
      {"3/5/2026 21:00:00", true, "2026-05-03T21:00:00.000000Z"},
      {"03/05/2026 21:00", false, "2026-03-05T21:00:00.000000Z"},
      {"3/5/2026 9:00:00 PM", false, "2026-03-05T21:00:00.000000Z"},
      {"3/5/2026 12:00:00 AM", false, "2026-03-05T00:00:00.000000Z"},
      {"3/5/2026 12:30 PM", false, "2026-03-05T12:30:00.000000Z"},
      {"3/5/2026 21:00:00.5", false, "2026-03-05T21:00:00.500000Z"},
      {"3/5/2026 21:00:00.1234567", false, "2026-03-05T21:00:00.123456Z"},
      /* a dot date is day first whatever the order says */
      {"05.03.2026 21:00:00", false, "2026-03-05T21:00:00.000000Z"},
      {"5.3.2026 21:00", true, "2026-03-05T21:00:00.000000Z"},
      /* ISO is year-month-day */
      {"2026-03-05 21:00:00", true, "2026-03-05T21:00:00.000000Z"},
      {"2026-03-05T21:00:00.25", false, "2026-03-05T21:00:00.250000Z"},
      {"2/29/2028 0:00", false, "2028-02-29T00:00:00.000000Z"},
      /* wrong */
      {"2/29/2026 0:00", false, "no such day"},
      {"31/4/2026 0:00", true, "no such day"},
      {"13/5/2026 0:00", false, "no such day"},
      {"3/5/2026 24:00", false, "bad@9"},
      {"3/5/2026 13:00 PM", false, "bad@9"},
      {"3/5/2026 21:60", false, "bad@12"},
      {"3/5/2026 21:00:61", false, "bad@15"},
      {"3/5/26 21:00", false, "bad@4"},
      {"3-5-2026 21:00", false, "bad@1"},
      {"3/5/2026", false, "bad@8"},
      {"3/5/2026 21:00:00.", false, "bad@18"},
      {"3/5/2026 21:00 XM", false, "bad@15"},
      {"2026/03/05 21:00", false, "bad@4"},
      {"", false, "bad@0"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    is_str(read_as(cases[i].in, cases[i].day_first), cases[i].want, "'%s'%s", cases[i].in,
           cases[i].day_first ? " day first" : "");
}

static char order_of(const char *s) {
  struct resaved_time t;
  size_t bad;
  return resaved_time_parse(s, strlen(s), &t, &bad) < 0 ? '!' : resaved_order_of(&t);
}

static char order_of_step(const char *a, const char *b) {
  struct resaved_time ta, tb;
  size_t bad;
  if (resaved_time_parse(a, strlen(a), &ta, &bad) < 0 ||
      resaved_time_parse(b, strlen(b), &tb, &bad) < 0)
    return '!';
  return resaved_order_of_step(&ta, &tb);
}

static void test_order(void) {
  is_int(order_of("13/3/2026 0:00"), 'd', "a first field above 12 is a day");
  is_int(order_of("3/13/2026 0:00"), 'm', "a second field above 12 is a day");
  is_int(order_of("3/5/2026 0:00"), 0, "3/5 is either");
  is_int(order_of("5/5/2026 0:00"), 0, "5/5 is either (and the same)");
  is_int(order_of("05.03.2026 0:00"), 0, "a dot date has no order to tell");
  is_int(order_of_step("05/03/2026 23:59", "06/03/2026 0:00"), 'd',
         "5 to 6 March at midnight, not 3 May to 3 June");
  is_int(order_of_step("03/05/2026 23:59", "03/06/2026 0:00"), 'm',
         "5 to 6 March, US order");
  is_int(order_of_step("03/05/2026 23:58", "03/05/2026 23:59"), 0,
         "the same day tells nothing");
  is_int(order_of_step("31/12/2026 23:59", "1/1/2027 0:00"), 'd',
         "new year, day first");
  is_int(order_of_step("06/03/2026 0:00", "05/03/2026 23:59"), 0,
         "backwards steps tell nothing");
}

/* Read a whole log: "ok ROWS FIRST LAST" (local times), or "LINE:COL: msg". */
static char *read_log(const char *text, char date_order) {
  char *path = tap_temp_file(text);
  struct diag d;
  diag_init(&d);
  struct warnings w;
  warnings_init(&w);
  struct pdh_options opt = {0};
  opt.date_order = date_order;
  struct pdh_reader *r = pdh_open(path, &opt, &w, &d);
  char *out = NULL;
  if (r) {
    pdh_select_all(r);
    struct pdh_row row;
    int got, rows = 0;
    char first[TIME_UTC_BUFSZ] = "", last[TIME_UTC_BUFSZ] = "";
    while ((got = pdh_next_row(r, &row, &d)) == 1) {
      time_format_utc(row.local, rows++ ? last : first);
    }
    if (got == 0)
      out = xasprintf("ok %d %s %s", rows, first, last);
    pdh_close(r);
  }
  if (!out)
    out = xasprintf("%ld:%ld: %s", d.line, d.col, d.message);
  unlink(path);
  free(path);
  warnings_fini(&w);
  diag_fini(&d);
  return out;
}

#define HEAD "\"(PDH-CSV 4.0) (GMT Standard Time)(0)\",\"\\\\H\\Process(a)\\Private Bytes\"\n"

static void check_log(const char *what, const char *text, char order, const char *want) {
  char *got = read_log(text, order);
  ok(strncmp(got, want, strlen(want)) == 0, "%s", what);
  if (strncmp(got, want, strlen(want)) != 0)
    printf("# got  %s\n# want %s...\n", got, want);
  free(got);
}

static void test_reader(void) {
  setenv("LEAKSLOPE_DATADIR", "/nonexistent", 1);
  /* 3 000 ambiguous rows, then midnight: the look-ahead decides day first */
  struct strbuf b;
  strbuf_init(&b);
  strbuf_adds(&b, HEAD);
  for (int i = 0; i < 3000; i++)
    strbuf_addf(&b, "05/03/2026 %d:%02d:%02d,%d\n", 23, i / 60 % 60, i % 60, i);
  strbuf_adds(&b, "06/03/2026 0:00:00,1\n");
  check_log("a UK re-save told by its first midnight 3 000 rows down", b.data, 0,
            "ok 3001 2026-03-05T23:00:00.000000Z 2026-03-06T00:00:00.000000Z");
  check_log("... and --date-order mdy contradicting it is an error at that row", b.data, 'm',
            "3002:1: this date reads only as day/month, but --date-order says otherwise");
  strbuf_fini(&b);
  check_log("a day above 12 far down decides", HEAD "1/2/2026 0:00,1\n1/2/2026 0:01,2\n"
            "13/2/2026 0:00,3\n",
            0, "ok 3 2026-02-01T00:00:00.000000Z 2026-02-13T00:00:00.000000Z");
  check_log("a whole file ambiguous asks for --date-order",
            HEAD "3/5/2026 21:00,1\n3/5/2026 21:01,2\n", 0,
            "2:1: every date of this re-saved log reads as month/day or day/month");
  check_log("... which then reads it", HEAD "3/5/2026 21:00,1\n3/5/2026 21:01,2\n", 'd',
            "ok 2 2026-05-03T21:00:00.000000Z 2026-05-03T21:01:00.000000Z");
  check_log("perfmon's shape without milliseconds, ambiguous: month/day, as perfmon's",
            HEAD "03/05/2026 21:00:00,1\n", 0, "ok 1 2026-03-05T21:00:00.000000Z");
  check_log("equal day and month need no order", HEAD "5/5/2026 21:00,1\n", 0,
            "ok 1 2026-05-05T21:00:00.000000Z");
  check_log("a file that mixes month/day and day/month", HEAD "3/13/2026 0:00,1\n"
            "13/3/2026 0:01,2\n", 0, "3:1: this date reads only as day/month, but earlier");
  check_log("a shape change inside the file", HEAD "2026-03-05 21:00:00,1\n"
            "3/5/2026 21:00:01,2\n", 0, "3:1: bad time '3/5/2026 21:00:01' (expected the shape");
  check_log("a perfmon stamp binds the file to perfmon's shape",
            HEAD "\"03/05/2026 21:00:00.000\",1\n3/5/2026 21:00:01,2\n", 0,
            "3:2: bad time '3/5/2026 21:00:01' (expected MM/DD/YYYY HH:MM:SS.mmm)");
  check_log("a ';' file with decimal commas",
            "\"(PDH-CSV 4.0) (W. Europe Standard Time)(-60)\";\"\\\\H\\Process(a)\\Private "
            "Bytes\"\n05.03.2026 21:00:00;1234,5\n", 0,
            "ok 1 2026-03-05T21:00:00.000000Z");
}

int main(void) {
  test_shapes();
  test_order();
  test_reader();
  return tap_done();
}
