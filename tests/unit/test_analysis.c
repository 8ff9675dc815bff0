/* Unit tests of the analysis report: units, the verdict sentence, the tree. */
#include "config.h"
#include "analyze/analysis.h"
#include "report/analysis_render.h"
#include "util/bytefmt.h"
#include "tap.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>

static void test_bytes(void) {
  char b[64];
  format_bytes(40960, b, sizeof b);
  is_str(b, "40.0 KiB", "40960 B is 40.0 KiB");
  format_bytes(512, b, sizeof b);
  is_str(b, "512 B", "512 B stays in bytes");
  format_bytes(2147483648.0, b, sizeof b);
  is_str(b, "2.00 GiB", "2^31 B is 2.00 GiB");
  format_bytes(-1536, b, sizeof b);
  is_str(b, "\u22121.50 KiB", "negative figures keep their sign, a true minus (U+2212)");
  char c[160];
  format_bytes_ci(65536, 65433.6, 65638.4, c, sizeof c);
  is_str(c, "64.0 KiB (95%: 63.9\u201364.1 KiB)", "a figure and its interval, the one format");
  format_bytes_ci(65536, 65515.4, 65556.6, c, sizeof c);
  is_str(c, "64.0 KiB (95%: 63.98\u201364.02 KiB)", "a narrow interval gets the decimals it needs");
  format_bytes_ci(0, -6.9, 6.9, c, sizeof c);
  is_str(c, "0 B (95%: \u22127 to +7 B)", "an interval across zero: 'to' and a signed end, "
         "never a dash that reads as a minus");
  format_bytes_ci(-35, -40, -30, c, sizeof c);
  is_str(c, "\u221235 B (95%: \u221240 to \u221230 B)", "both ends negative: 'to', two minuses");
  format_bytes_range(-30, 0.2, c, sizeof c);
  is_str(c, "\u221230 to 0 B", "an upper end that rounds to 0 gets no sign");
  format_bytes_range(-3000, 35000, c, sizeof c);
  is_str(c, "\u22122.93 to +34.2 KiB", "across zero in KiB");
  format_bytes_ci(1024, NAN, 2000, c, sizeof c);
  is_str(c, "1.00 KiB", "without both ends, just the figure");
}

static struct analysis leaking(void) {
  struct analysis a;
  analysis_init(&a);
  a.process = xstrdup("mapitest");
  a.module = xstrdup("mapi32.dll");
  a.events_file = xstrdup("events.csv");
  a.counter = xstrdup("\\\\EXCH01\\Process(mapitest)\\Private Bytes");
  a.per_cycle = true;
  a.cycles = 1200;
  a.samples = 3600;
  a.lifetimes = 1;
  a.leak = 40960;
  a.leak_lo = 40755;
  a.leak_hi = 41165;
  a.method = "theil-sen-blocked";
  a.verdict = VERDICT_LEAK;
  a.cycles_per_hour = 1200;
  a.has_projection = true;
  a.projection_counter = "Virtual Bytes";
  a.limit_bytes = 2147483648.0;
  a.cycles_to_limit = 51000;
  a.hours_to_limit = 41.2;
  return a;
}

static void test_sentence(void) {
  struct analysis a = leaking();
  char *s = analysis_sentence(&a);
  is_str(s,
         "mapitest leaks 40.0 KiB per load/unload of mapi32.dll (95%: 39.8\u201340.2 KiB), "
         "about 46.9 MiB per hour at the observed rate; 2.00 GiB would be reached in ~41 h",
         "leak sentence: estimate, interval, hourly figure, projection");
  free(s);
  a.verdict = VERDICT_INCONCLUSIVE;
  a.leak = 60; a.leak_lo = -20; a.leak_hi = 140; a.cycles_needed = 4000;
  s = analysis_sentence(&a);
  is_str(s,
         "inconclusive: mapitest's leak per load/unload of mapi32.dll is 60 B (95%: \u221220 to +140 B), "
         "which straddles the tolerance of 64 B; about 4000 cycles in all would decide",
         "inconclusive sentence names the tolerance and the cycles needed");
  free(s);
  a.per_cycle = false;
  a.growth = 1258291.2; a.growth_lo = 1e6; a.growth_hi = 1.5e6;
  s = analysis_sentence(&a);
  ok(strstr(s, "grows by 1.20 MiB per hour") && strstr(s, "no per-cycle figure"),
     "without cycles: growth per hour and why no per-cycle figure");
  free(s);
  analysis_fini(&a);
}

static void test_tree(void) {
  struct analysis a = leaking();
  warnings_add(&a.warnings, "loads-without-unload", "t.csv", 12, "3 loads had no unload");
  struct tree *t = analysis_to_tree(&a);
  is_str(tree_get_str(tree_get(t, "schema")), "leakslope/analyze/1", "schema name");
  struct tree *leak = tree_get(t, "leak");
  ok(tree_get_num(tree_get(leak, "bytes_per_cycle")) == 40960 &&
         tree_len(tree_get(leak, "ci95")) == 2,
     "leak.bytes_per_cycle and a two-element ci95");
  ok(tree_kind(tree_get(t, "cycles_needed")) == TREE_NULL, "cycles_needed null unless inconclusive");
  ok(tree_kind(tree_get(tree_get(t, "time_growth"), "bytes_per_hour")) == TREE_NULL,
     "unknown time growth is null, never NaN");
  struct tree *d = tree_at(tree_get(t, "diagnostics"), 0);
  is_str(tree_get_str(tree_get(d, "code")), "loads-without-unload", "diagnostics carry stable codes");
  tree_free(t);
  analysis_fini(&a);
}

int main(void) {
  test_bytes();
  test_sentence();
  test_tree();
  return tap_done();
}
