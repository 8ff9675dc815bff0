/* Unit tests of the perfmon reader's parts: counter paths (the real paths
 * that a simple rule breaks), numbers, times, choosing a counter and a
 * process, bad counter-alias files at their line:col, and a small file read
 * row by row. */
#include "config.h"
#include "perfmon/pdh.h"
#include "tap.h"
#include "util/rng.h"
#include "util/tzfile.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void check_path(const char *path, const char *machine,
                       const char *object, const char *parent,
                       const char *instance, long index, const char *counter) {
  struct pdh_counter c;
  int r = pdh_path_parse(path, &c);
  ok(r == 0 && (machine ? c.machine && !strcmp(c.machine, machine) : !c.machine) &&
         !strcmp(c.object, object) &&
         (parent ? c.parent && !strcmp(c.parent, parent) : !c.parent) &&
         (instance ? c.instance && !strcmp(c.instance, instance) : !c.instance) &&
         c.index == index && !strcmp(c.counter, counter),
     "%s -> machine=%s object=%s parent=%s instance=%s index=%ld counter=%s",
     path, machine ? machine : "null", object, parent ? parent : "null",
     instance ? instance : "null", index, counter);
  if (r == 0)
    pdh_counter_fini(&c);
}

static void test_paths(void) {
  check_path("\\\\EXCH01\\Process(mapitest)\\Private Bytes", "EXCH01",
             "Process", NULL, "mapitest", 0, "Private Bytes");
  check_path("\\Memory\\Long-Term Average Standby Cache Lifetime (s)", NULL,
             "Memory", NULL, NULL, 0,
             "Long-Term Average Standby Cache Lifetime (s)");
  check_path("\\\\PC\\Paging File(\\??\\C:\\pagefile.sys)\\% Usage", "PC",
             "Paging File", NULL, "\\??\\C:\\pagefile.sys", 0, "% Usage");
  check_path("\\SQLServer:Memory Manager\\Total Server Memory (KB)", NULL,
             "SQLServer:Memory Manager", NULL, NULL, 0,
             "Total Server Memory (KB)");
  check_path("\\\\h\\Process(AnyDesk#2)\\Virtual Bytes", "h", "Process", NULL,
             "AnyDesk", 2, "Virtual Bytes");
  check_path("\\\\h\\Thread(chrome/12#3)\\% Processor Time", "h", "Thread",
             "chrome", "12", 3, "% Processor Time");
  check_path("\\\\charlieparker\\network interface(intel[r] ethernet "
             "connection i218-lm)\\bytes total/sec",
             "charlieparker", "network interface", NULL,
             "intel[r] ethernet connection i218-lm", 0, "bytes total/sec");
  check_path("\\\\I-MEDUSA\\GPU Engine(pid_1_luid_0x0_0x1_phys_0_eng_0_engtype_"
             "#1)\\Utilization Percentage",
             "I-MEDUSA", "GPU Engine", NULL,
             "pid_1_luid_0x0_0x1_phys_0_eng_0_engtype_", 1,
             "Utilization Percentage");
  check_path("\\\\h\\Process(a (b) c)\\ID Process", "h", "Process", NULL,
             "a (b) c", 0, "ID Process");
  struct pdh_counter c;
  ok(pdh_path_parse("Generate a report detailing the status", &c) < 0,
     "description text is not a counter path");
  ok(pdh_path_parse("\\\\h\\Process(x)", &c) < 0 &&
         pdh_path_parse("\\\\h\\Process(x\\y", &c) < 0 &&
         pdh_path_parse("\\\\h\\Memory\\", &c) < 0,
     "no counter or no \")\\\" after an instance: not a path");
}

static void check_num(const char *s, int want_rc, double want, const char *why) {
  double v = 0;
  size_t bad = 99;
  int rc = pdh_parse_number(s, strlen(s), &v, &bad);
  if (want_rc == 0)
    ok(rc == 0 && v == want, "'%s' is %.17g (%s)", s, want, why);
  else
    ok(rc == -1, "'%s' is refused (%s; bad at %zu)", s, why, bad);
}

static void test_numbers(void) {
  check_num("1318178816", 0, 1318178816.0, "integer");
  check_num("240518168576000", 0, 240518168576000.0, "between 2^47 and 2^48");
  check_num("9.1849999999999996426e-005", 0, 9.1849999999999996426e-005,
            "20 significant digits, MSVC exponent");
  check_num("86.93735103284412", 0, 86.93735103284412, "fraction");
  check_num("-3.5E+002", 0, -350.0, "negative, upper-case exponent");
  check_num(".5", 0, 0.5, "no integer part");
  check_num("inf", -1, 0, "infinity");
  check_num("nan", -1, 0, "NaN");
  check_num("0x1p3", -1, 0, "hex float");
  check_num("1,5", -1, 0, "comma decimal");
  check_num("1e", -1, 0, "exponent without digits");
  check_num("1e999", -1, 0, "overflow");
  check_num("12 ", -1, 0, "trailing space");
  check_num("-", -1, 0, "sign alone");
  check_num("-0", 0, -0.0, "negative zero");
  check_num("1.2.3", -1, 0, "two decimal points");
  check_num("1e+", -1, 0, "exponent sign without digits");
  check_num("--1", -1, 0, "two signs");
  check_num("1e5x", -1, 0, "text after the exponent");
  check_num(".", -1, 0, "a point alone");
  check_num("", -1, 0, "empty");
  check_num("0.000000000000000000000000001", 0, 1e-27, "past the fast path's exponents");
}

/* The fast path (digits up to 2^53, exponents within 22) against strtod,
 * bit for bit, on numbers shaped as perfmon writes them and around the
 * path's edges: 2^53 +- 1, 19 and 20 digits, exponents 22 and 23. */
static void test_numbers_exact(void) {
  static const char *edges[] = {"9007199254740992", "9007199254740993",
                                "9007199254740991", "90071992547409930",
                                "1234567890123456789", "12345678901234567890",
                                "1e22", "1e23", "1.5e-022", "1.5e-023",
                                "4.9406564584124654e-324", "0.1", "0.3",
                                "32.60000000000000", "99.99999999999999",
                                "1.7976931348623157e+308", "00000000000000000000001.5"};
  struct rng g;
  rng_seed(&g, 42);
  size_t n = 0, same = 0;
  char b[64];
  for (size_t t = 0; t < 200000 + sizeof edges / sizeof *edges; t++) {
    if (t < sizeof edges / sizeof *edges) {
      snprintf(b, sizeof b, "%s", edges[t]);
    } else {
      size_t k = 0, intd = (size_t)rng_below(&g, 12), fracd = (size_t)rng_below(&g, 18);
      if (rng_below(&g, 4) == 0)
        b[k++] = '-';
      for (size_t j = 0; j < intd; j++)
        b[k++] = (char)('0' + rng_below(&g, 10));
      if (fracd > 0 || intd == 0) {
        b[k++] = '.';
        for (size_t j = 0; j < fracd + (intd == 0); j++)
          b[k++] = (char)('0' + rng_below(&g, 10));
      }
      if (rng_below(&g, 5) == 0)
        k += (size_t)snprintf(b + k, sizeof b - k, "e%c%03d",
                              rng_below(&g, 2) ? '-' : '+', (int)rng_below(&g, 30));
      b[k] = '\0';
    }
    double got = 0, want = strtod(b, NULL);
    size_t bad;
    n++;
    same += pdh_parse_number(b, strlen(b), &got, &bad) == 0 &&
            memcmp(&got, &want, sizeof got) == 0;
  }
  is_int((long)same, (long)n, "%zu numbers: the same double as strtod, bit for bit", n);
}

/* Digits are taken eight at a time: a byte next to '0'-'9' (/ : and the
 * like) or a high byte at any of the eight places is refused at its offset,
 * and digit runs of 7 to 17 are read as strtod reads them. */
static void test_numbers_eight(void) {
  static const char near[] = {'/', ':', '\x80', '\xB0', '\xF9', 'a', ' ', '.'};
  size_t n = 0, fine = 0;
  for (size_t at = 0; at < 16; at++)
    for (size_t k = 0; k < sizeof near; k++) {
      char b[32];
      memcpy(b, "1234567890123456", 16);
      b[at] = near[k];
      b[16] = '\0';
      double v;
      size_t bad = 99;
      int rc = pdh_parse_number(b, 16, &v, &bad);
      n++;
      if (near[k] == '.') /* one point is a number, as strtod reads it */
        fine += rc == 0 && v == strtod(b, NULL);
      else
        fine += rc == -1 && bad == at;
    }
  ok(fine == n, "a non-digit at each of 16 places is refused there (%zu of %zu)", fine, n);
  fine = 0;
  for (size_t len = 7; len <= 17; len++) {
    char b[32];
    for (size_t j = 0; j < len; j++)
      b[j] = (char)('9' - j % 10);
    b[len] = '\0';
    double v;
    size_t bad;
    fine += pdh_parse_number(b, len, &v, &bad) == 0 && v == strtod(b, NULL);
  }
  is_int((long)fine, 11, "runs of 7 to 17 digits read as strtod reads them");
}

static void test_times(void) {
  usec_t t;
  size_t bad = 0;
  char buf[TIME_UTC_BUFSZ];
  ok(pdh_parse_time("11/26/2016 13:46:30.874", 23, &t, &bad) == 0 &&
         !strcmp(time_format_utc(t, buf), "2016-11-26T13:46:30.874000Z"),
     "MM/DD/YYYY HH:MM:SS.mmm");
  ok(pdh_parse_time("02/29/2024 00:00:00", 19, &t, &bad) == 0,
     "no fraction, leap day");
  ok(pdh_parse_time("02/30/2023 00:00:00.000", 23, &t, &bad) == -1,
     "Feb 30 refused");
  ok(pdh_parse_time("11/26/2016 24:00:00.000", 23, &t, &bad) == -1 && bad == 11,
     "hour 24 refused at offset 11");
  ok(pdh_parse_time("2016-11-26 13:46:30", 19, &t, &bad) == -1 && bad == 2,
     "ISO order refused at offset 2");
  ok(pdh_parse_time("11/26/2016 13:46:30.874x", 24, &t, &bad) == -1 && bad == 23,
     "trailing garbage refused at its offset");
}

static struct pdh_counter *make_cols(const char **paths, size_t n) {
  struct pdh_counter *c = xcalloc(n, sizeof *c);
  for (size_t i = 0; i < n; i++) {
    pdh_path_parse(paths[i], &c[i]);
    c[i].column = i + 1;
  }
  /* duplicates numbered as the reader does */
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      if (j != i && !strcmp(c[i].path, c[j].path)) {
        c[i].dups++;
        if (j < i)
          c[i].dup++;
      }
  return c;
}

static void free_cols(struct pdh_counter *c, size_t n) {
  for (size_t i = 0; i < n; i++)
    pdh_counter_fini(&c[i]);
  free(c);
}

static void test_find_counter(void) {
  const char *paths[] = {
      "\\\\PC\\Process(AnyDesk)\\Private Bytes",
      "\\\\PC\\Process(AnyDesk#1)\\Private Bytes",
      "\\\\PC\\Process(AnyDesk)\\Virtual Bytes",
      "\\\\PC\\Processor(_Total)\\% Processor Time",
      "\\\\PC\\Processor(_Total)\\% Processor Time",
      "\\\\PC\\\xd0\x9f\xd1\x80\xd0\xbe\xd1\x86\xd0\xb5\xd1\x81\xd1\x81(Idle)\\"
      "\xd0\xa0\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x87\xd0\xb8\xd0\xb9 "
      "\xd0\xbd\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x80",
  };
  size_t n = sizeof paths / sizeof *paths;
  struct pdh_counter *c = make_cols(paths, n);
  struct pdh_aliases a;
  pdh_aliases_init(&a);
  struct diag d;
  diag_init(&d);
  char *file = xasprintf("%s/formats/counters.yaml", getenv("abs_top_srcdir"));
  ok(pdh_aliases_load(&a, file, &d) == 0 && a.nobjects > 10 && a.ncounters > 10,
     "formats/counters.yaml loads (%zu objects, %zu counters)", a.nobjects,
     a.ncounters);
  free(file);
  pdh_aliases_apply(&a, c, n);
  is_str(c[5].object_en, "Process", "Процесс is Process");
  is_str(c[5].counter_en, "Working Set", "Рабочий набор is Working Set");
  is_int(pdh_find_counter(c, n, "\\\\pc\\process(anydesk)\\private bytes", &d),
         0, "the full path, case-insensitively, beats substrings");
  is_int(pdh_find_counter(c, n, "AnyDesk#1)", &d), 1, "a unique substring");
  is_int(pdh_find_counter(c, n, "Idle)\\Working Set", &d), 5,
         "English names match a Russian column");
  is_int(pdh_find_counter(c, n, "\xd0\xbf\xd1\x80\xd0\xbe\xd1\x86\xd0\xb5\xd1\x81\xd1\x81(idle)", &d), 5,
         "lower-case Cyrillic matches case-insensitively");
  ok(pdh_find_counter(c, n, "Private Bytes", &d) == -1 && d.kind == DIAG_USAGE &&
         strstr(d.message, "matches 2 counters") &&
         strstr(d.message, "\n  \\\\PC\\Process(AnyDesk#1)\\Private Bytes"),
     "two matches: usage error listing them");
  ok(pdh_find_counter(c, n, "% Processor Time", &d) == -1 &&
         strstr(d.message, "2 duplicate columns") &&
         strstr(d.message, "% Processor Time#2"),
     "duplicate columns: usage error suggesting PATH#K");
  is_int(pdh_find_counter(c, n, "Processor(_Total)\\% Processor Time#2", &d), 4,
         "PATH#K picks the K-th duplicate");
  ok(pdh_find_counter(c, n, "Handle Count", &d) == -1 &&
         strstr(d.message, "no counter matches 'Handle Count'; the log has:"),
     "no match: usage error listing the log's counters");
  size_t *idx = NULL;
  long k = pdh_find_process(c, n, "ANYDESK.EXE", "Private Bytes", &idx, &d);
  ok(k == 2 && idx[0] == 0 && idx[1] == 1,
     "-p ANYDESK.EXE finds both AnyDesk instances' Private Bytes");
  free(idx);
  k = pdh_find_process(c, n, "anydesk#1", "private bytes", &idx, &d);
  ok(k == 1 && idx[0] == 1, "-p anydesk#1 picks exactly that column");
  free(idx);
  k = pdh_find_process(c, n, "AnyDesk.exe#1", "Private Bytes", &idx, &d);
  ok(k == 1 && idx[0] == 1, "-p AnyDesk.exe#1: .exe before #N is ignored too");
  free(idx);
  k = pdh_find_process(c, n, "anydesk#0", "Private Bytes", &idx, &d);
  ok(k == 1 && idx[0] == 0, "-p anydesk#0 is the instance without #");
  free(idx);
  k = pdh_find_process(c, n, "idle", "Working Set", &idx, &d);
  ok(k == 1 && idx[0] == 5, "-p idle -c 'Working Set' on a Russian column");
  free(idx);
  k = pdh_find_process(c, n, "mapitest", "Private Bytes", &idx, &d);
  ok(k == -1 && d.kind == DIAG_USAGE &&
         strstr(d.message, "no process 'mapitest' in the log (processes: "
                           "AnyDesk, AnyDesk#1, Idle)"),
     "unknown process lists the log's processes (%s)", d.message);
  ok(pdh_find_process(c, n, "anydesk#1", "Virtual Bytes", &idx, &d) == -1 &&
         strstr(d.message, "has no counter 'Virtual Bytes'"),
     "a process without the counter says so");
  diag_fini(&d);
  pdh_aliases_fini(&a);
  free_cols(c, n);
}

/* Load `text` as an alias file: "ok N M" (objects, counters) or the error
 * as "LINE:COL: message". */
static char *load_aliases(const char *text) {
  char *path = tap_temp_file(text);
  struct pdh_aliases a;
  pdh_aliases_init(&a);
  struct diag d;
  diag_init(&d);
  char *r = pdh_aliases_load(&a, path, &d) == 0
                ? xasprintf("ok %zu %zu", a.nobjects, a.ncounters)
                : xasprintf("%ld:%ld: %s", d.line, d.col, d.message);
  pdh_aliases_fini(&a);
  diag_fini(&d);
  unlink(path);
  free(path);
  return r;
}

static void check_aliases(const char *text, const char *want,
                          const char *what) {
  char *got = load_aliases(text);
  is_str(got, want, "aliases: %s", what);
  free(got);
}

static void test_alias_errors(void) {
  check_aliases("", "ok 0 0", "an empty file is no aliases");
  check_aliases("objects:\n  Proceso: Process\nobjects:\n  a: b\n"
                "counters: {x: y}\n",
                "ok 2 1", "a map given twice adds to it");
  check_aliases("objects:\n  Proceso: Process\nfoo:\n  a: b\n",
                "3:1: unknown key (expected objects or counters)",
                "an unknown top key at its line:col");
  check_aliases("objects: Process\n",
                "1:10: unexpected value (expected a map)",
                "a text where a map belongs");
  check_aliases("objects:\n  Proceso:\n    a: b\n",
                "3:5: unexpected mapping (expected `objects:` and "
                "`counters:` maps of name: English name)",
                "a map one level too deep");
  check_aliases("objects:\n  \"\xd0\x9f\xd1\x80\": x\n  "
                "\xd0\x9f\xd1\x80" "2: [y]\n",
                "3:8: unexpected list or alias (expected a map)",
                "a list value, the column in characters after UTF-8");
  check_aliases("- a\n", "1:1: unexpected list or alias (expected a map)",
                "a list at the top");
  check_aliases("objects:\n  a: b\n c: d\n",
                "3:2: did not find expected key",
                "a syntax error in libyaml's words at its line:col");
}

static void test_reader(void) {
  char *path = tap_temp_file(
      "\"(PDH-CSV 4.0) (Pacific Standard Time)(480)\",\"\\\\h\\Memory\\"
      "Available MBytes\",\"\\\\h\\Process(a)\\Private Bytes\",\"note\"\r\n"
      "\"11/26/2016 13:46:30.874\",\" \",\"100\",\" \"\r\n"
      "\"11/26/2016 13:46:33.874\",\"5.5e+001\",\"200\",\" \"");
  struct diag d;
  diag_init(&d);
  struct warnings w;
  warnings_init(&w);
  setenv("LEAKSLOPE_DATADIR", "/nonexistent", 1);
  struct pdh_reader *r = pdh_open(path, NULL, &w, &d);
  ok(r != NULL, "a small CSV opens");
  if (!r)
    return;
  is_str(pdh_format(r), "pdh-csv", "format");
  is_str(pdh_timezone(r), "Pacific Standard Time", "zone name");
  is_int(pdh_bias(r), 480, "bias");
  is_int(pdh_counter_count(r), 2, "two counters; the note column is skipped");
  ok(warnings_has(&w, "not-a-counter") && warnings_has(&w, "no-counter-aliases"),
     "skipping the note column and missing aliases are warned about");
  pdh_select(r, 1);
  struct pdh_row row;
  char buf[TIME_UTC_BUFSZ];
  ok(pdh_next_row(r, &row, &d) == 1 && isnan(row.values[0]) &&
         row.values[1] == 100 &&
         !strcmp(time_format_utc(row.utc, buf), "2016-11-26T21:46:30.874000Z"),
     "row 1: unselected column NaN, 100, UTC = local + 8 h");
  ok(pdh_next_row(r, &row, &d) == 1 && row.values[1] == 200 && row.line == 3,
     "row 2 without a final newline");
  ok(pdh_next_row(r, &row, &d) == 0, "then the end");
  pdh_close(r);
  unlink(path);
  free(path);
  warnings_fini(&w);
  diag_fini(&d);
}

/* ---- DST: logs written as Windows would, read against the UTC truth ---- */

struct dst_case {
  const char *what;
  usec_t start;          /* UTC of the first row */
  int rows;
  double interval;       /* seconds */
  usec_t change;         /* UTC of the clock change, or 0 */
  long bias0, bias1;     /* before and after the change; bias0 in the header */
  usec_t gap_from, gap_to; /* UTC: no rows then (a pause in logging) */
  const char *tz;        /* --tz, or NULL */
  int want_changes;      /* DST changes the reader should report */
  const char *want_code; /* a warning the case must have, or NULL */
};

static bool warning_says(const struct warnings *w, const char *text) {
  for (size_t i = 0; i < w->count; i++)
    if (strstr(w->items[i].message, text))
      return true;
  return false;
}

static usec_t row_utc(const struct dst_case *c, int i) {
  usec_t jitter = (usec_t)((i * 7919) % 31 - 15) * 1000; /* +-15 ms, as perfmon */
  return c->start + (usec_t)llround(i * c->interval * 1e6) + (i ? jitter : 0);
}

/* want_text: words one warning must have, or NULL */
static void check_dst(const struct dst_case *c, const char *want_text) {
  if (c->tz) {
    char *probe = xasprintf("%s/%s", tz_dir(), c->tz);
    bool have = access(probe, R_OK) == 0;
    free(probe);
    if (!have) {
      printf("ok %d - # SKIP %s: no tzdata\n", ++tap_count, c->what);
      return;
    }
  }
  char *text = xasprintf("\"(PDH-CSV 4.0) (W. Europe Standard Time)(%ld)\","
                         "\"\\\\h\\Process(a)\\Private Bytes\"\r\n", c->bias0);
  usec_t *truth = xcalloc((size_t)c->rows, sizeof *truth);
  int n = 0;
  for (int i = 0; i < c->rows; i++) {
    usec_t u = row_utc(c, i);
    if (u >= c->gap_from && u < c->gap_to)
      continue;
    long bias = c->change && u >= c->change ? c->bias1 : c->bias0;
    char b[TIME_UTC_BUFSZ];
    char *t = xasprintf("%s\"%s\",\"%d\"\r\n", text,
                        time_format_pdh(u - (usec_t)bias * USEC_PER_MIN, b), i);
    free(text);
    text = t;
    truth[n++] = u;
  }
  char *path = tap_temp_file(text);
  free(text);
  struct diag d;
  diag_init(&d);
  struct warnings w;
  warnings_init(&w);
  struct pdh_options o = {.tz = c->tz};
  struct pdh_reader *r = pdh_open(path, &o, &w, &d);
  ok(r != NULL, "%s: opens", c->what);
  int got = 0, wrong = 0, first_wrong = -1;
  struct pdh_row row;
  if (r) {
    pdh_select_all(r);
    while (pdh_next_row(r, &row, &d) == 1) {
      if (got < n && row.utc != truth[got]) {
        wrong++;
        if (first_wrong < 0)
          first_wrong = got;
      }
      got++;
    }
    is_int(pdh_dst_changes(r), c->want_changes, "%s: DST changes found", c->what);
    pdh_close(r);
  }
  is_int(got, n, "%s: every row read", c->what);
  if (!ok(wrong == 0, "%s: every row at its true UTC time", c->what)) {
    printf("# %d wrong, the first row %d\n", wrong, first_wrong);
    for (size_t i = 0; i < w.count; i++)
      printf("# warning %s: %s\n", w.items[i].code, w.items[i].message);
  }
  ok(warnings_has(&w, "dst-corrected") == (c->want_changes > 0),
     "%s: dst-corrected %s", c->what, c->want_changes ? "reported" : "not reported");
  if (c->want_code)
    ok(warnings_has(&w, c->want_code), "%s: warns %s", c->what, c->want_code);
  if (want_text)
    ok(warning_says(&w, want_text), "%s: says '%s'", c->what, want_text);
  if (c->want_changes > 0)
    ok(!warnings_has(&w, "time-dst") && !warnings_has(&w, "time-backwards"),
       "%s: no uncorrected-step warning", c->what);
  unlink(path);
  free(path);
  free(truth);
  warnings_fini(&w);
  diag_fini(&d);
}

static void test_dst(void) {
  usec_t spring = time_from_fields(2026, 3, 29, 1, 0, 0, 0);
  usec_t fall = time_from_fields(2026, 10, 25, 1, 0, 0, 0);
  usec_t march5 = time_from_fields(2026, 3, 5, 20, 0, 0, 0);
  const usec_t H = USEC_PER_HOUR, M = USEC_PER_MIN;
  const struct dst_case cases[] = {
      {"spring forward, 1 s rows", spring - 5 * M, 600, 1, spring, -60, -120, 0, 0, NULL, 1,
       NULL},
      {"fall back, 1 s rows", fall - 5 * M, 600, 1, fall, -120, -60, 0, 0, NULL, 1, NULL},
      {"fall back, 15 s rows over 3 h", fall - H, 720, 15, fall, -120, -60, 0, 0, NULL, 1,
       NULL},
      {"spring forward, 15 s rows", spring - H, 720, 15, spring, -60, -120, 0, 0, NULL, 1,
       NULL},
      {"a 1 h pause in logging off the hour is a gap, not DST", march5, 6000, 1, 0, -60,
       -60, march5 + 1000 * USEC_PER_SEC, march5 + 1000 * USEC_PER_SEC + H, NULL, 0,
       "time-dst"},
      {"--tz Europe/Berlin: spring forward", spring - 5 * M, 600, 1, spring, -60, -120, 0, 0,
       "Europe/Berlin", 1, NULL},
      {"--tz Europe/Berlin: fall back, repeated hour by row order", fall - 90 * M, 600, 15,
       fall, -120, -60, 0, 0, "Europe/Berlin", 1, NULL},
      {"--tz Europe/Berlin: a 1 h pause on the hour where Berlin has no change is a gap",
       march5, 600, 15, 0, -60, -60, march5 + H, march5 + 2 * H, "Europe/Berlin", 0,
       "time-dst"},
      {"--tz America/New_York: fall back", time_from_fields(2026, 11, 1, 5, 0, 0, 0), 600, 15,
       time_from_fields(2026, 11, 1, 6, 0, 0, 0), 240, 300, 0, 0, "America/New_York", 1,
       NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    check_dst(&cases[i], NULL);
  /* the last row the only one after the change (row 5 falls 7 ms before
   * it): the count in the singular */
  const struct dst_case last = {"spring forward at the last row", spring - 5 * USEC_PER_SEC,
                                7, 1, spring, -60, -120, 0, 0, NULL, 1, NULL};
  check_dst(&last, "1 row after it was shifted");
  const struct dst_case last_tz = {"--tz Europe/Berlin: spring forward at the last row",
                                   spring - 5 * USEC_PER_SEC, 7, 1, spring, -60, -120, 0, 0,
                                   "Europe/Berlin", 1, NULL};
  check_dst(&last_tz, "1 row after it was mapped");
}

/* Duplicate columns numbered by the reader (grouped by hash, then folded)
 * against all pairs compared folded: 3,000 columns over 40 paths, written
 * in mixed case (ASCII and Cyrillic), each column's dup and dups. */
static void test_duplicates(void) {
  static const char *const objs[] = {"Process", "PROCESS", "process", "\xd0\x9f\xd1\x80\xd0\xbe\xd1\x86",
                                     "\xd0\xbf\xd1\x80\xd0\xbe\xd1\x86"};
  struct rng g;
  rng_seed(&g, 20007);
  struct strbuf b;
  strbuf_init(&b);
  strbuf_adds(&b, "\"(PDH-CSV 4.0) (Coordinated Universal Time)(0)\"");
  size_t n = 3000;
  for (size_t i = 0; i < n; i++)
    strbuf_addf(&b, ",\"\\\\h\\%s(p%d)\\%s\"", objs[rng_below(&g, 5)], (int)rng_below(&g, 20),
                rng_below(&g, 2) ? "Private Bytes" : "private BYTES");
  strbuf_adds(&b, "\r\n");
  char *path = tap_temp_file(b.data);
  strbuf_fini(&b);
  struct diag d;
  diag_init(&d);
  struct warnings w;
  warnings_init(&w);
  struct pdh_reader *r = pdh_open(path, NULL, &w, &d);
  ok(r && pdh_counter_count(r) == n, "3,000 columns over 40 paths in mixed case open");
  unlink(path);
  free(path);
  if (!r)
    return;
  const struct pdh_counter *c = pdh_counters(r);
  char **fold = xcalloc(n, sizeof *fold);
  for (size_t i = 0; i < n; i++)
    fold[i] = pdh_fold(c[i].path);
  size_t right = 0, grouped = 0;
  for (size_t i = 0; i < n; i++) {
    int dup = 1, dups = 1;
    for (size_t j = 0; j < n; j++)
      if (j != i && strcmp(fold[i], fold[j]) == 0) {
        dups++;
        dup += j < i;
      }
    right += c[i].dup == dup && c[i].dups == dups;
    grouped += dups > 1;
  }
  ok(right == n && grouped == n,
     "every column's duplicate number and count as all pairs compared folded say (%zu of %zu)",
     right, n);
  for (size_t i = 0; i < n; i++)
    free(fold[i]);
  free(fold);
  pdh_close(r);
  warnings_fini(&w);
  diag_fini(&d);
}

int main(void) {
  test_paths();
  test_numbers();
  test_numbers_exact();
  test_numbers_eight();
  test_times();
  test_find_counter();
  test_alias_errors();
  test_reader();
  test_duplicates();
  test_dst();
  return tap_done();
}
