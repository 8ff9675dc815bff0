/* Version parsing and numeric comparison (known truth from KB 901014: the
 * fixed Mapi32.dll is 6.5.7233.46; 6.5.7233.9 is older, 6.5.7638.1 newer). */
#include "config.h"
#include "tap.h"
#include "evidence/version.h"

static int cmp(const char *a, const char *b) {
  struct version x, y;
  if (version_parse(a, &x, NULL) < 0 || version_parse(b, &y, NULL) < 0)
    return 99;
  int c = version_compare(&x, &y);
  return c < 0 ? -1 : c > 0;
}

static void parses_to(const char *s, const char *want) {
  struct version v;
  char buf[64] = "(error)";
  if (version_parse(s, &v, NULL) == 0)
    version_format(&v, buf, sizeof buf);
  is_str(buf, want, "\"%s\" reads as %s", s, want);
}

static void rejects(const char *s, long at) {
  struct version v;
  size_t bad = 999;
  int rc = version_parse(s, &v, &bad);
  ok(rc == -1 && (long)bad == at, "\"%s\" is not a version (offset %ld)", s,
     at);
  if (rc != -1 || (long)bad != at)
    printf("# rc %d, offset %zu\n", rc, bad);
}

int main(void) {
  is_int(cmp("6.5.7233.46", "6.5.7233.9"), 1, "6.5.7233.46 > 6.5.7233.9 (numeric, not text)");
  is_int(cmp("6.5.7233.9", "6.5.7233.46"), -1, "6.5.7233.9 < 6.5.7233.46");
  is_int(cmp("6.5.7638.1", "6.5.7233.46"), 1, "6.5.7638.1 > 6.5.7233.46");
  is_int(cmp("6.5.7233.46", "6, 5, 7233, 46"), 0, "comma form equals dotted form");
  is_int(cmp("6.5", "6.5.0.0"), 0, "missing fields pad with 0");
  is_int(cmp("6.5.0.1", "6.5"), 1, "6.5.0.1 > 6.5");
  is_int(cmp("10.0.26100.7019 (WinBuild.160101.0800)", "10.0.26100.7019"), 0,
         "parenthesised build tag is dropped");
  is_int(cmp("10.0.26100.7019 (WinBuild.160101.0800)", "6.5.7233.46"), 1,
         "10.0.26100.7019 > 6.5.7233.46");
  parses_to("6, 5, 7233, 46", "6.5.7233.46");
  parses_to("  6.5.7226.0  ", "6.5.7226.0");
  parses_to("10.0.26100.7019 (WinBuild.160101.0800)", "10.0.26100.7019");
  parses_to("-", "-");
  parses_to("", "-");
  parses_to(" - ", "-");
  struct version v;
  version_parse("-", &v, NULL);
  ok(!v.known, "\"-\" is unknown");
  version_parse("6.5.7233.46", &v, NULL);
  ok(v.known && v.nfields == 4, "6.5.7233.46 is known, 4 fields");
  rejects("6.5.x", 4);
  rejects("6..5", 2);
  rejects("6.5.", 4);
  rejects("v6.5", 0);
  rejects("1.2.3.4.5.6.7.8.9", 16);
  rejects("99999999999999999999999.1", 0);
  return tap_done();
}
