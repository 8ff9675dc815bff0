/* Unit tests of util/tzfile: POSIX TZ rules (northern and southern
 * hemisphere, from synthetic TZif files, no tzdata needed) and, when
 * /usr/share/zoneinfo (or $TZDIR) has them, the real Europe/Berlin and
 * America/New_York against the known UTC instants of their 2026 changes;
 * local times that are skipped or repeated. */
#include "config.h"
#include "util/tzfile.h"
#include "tap.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <unistd.h>

static void put32(unsigned char *p, uint32_t v) {
  p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

/* A version-2 TZif with no transitions, one type of `off` seconds and the
 * footer `rule`: only the rule decides. */
static struct tz_zone *rule_zone(const char *rule, long off) {
  static unsigned char b[512];
  memset(b, 0, sizeof b);
  size_t at = 0;
  for (int k = 0; k < 2; k++) {
    memcpy(b + at, "TZif2", 5);
    put32(b + at + 20 + 16, 1); /* typecnt */
    put32(b + at + 20 + 20, 4); /* charcnt */
    at += 44;
    put32(b + at, (uint32_t)off);
    at += 6 + 4; /* the type, "STD\0" */
  }
  b[at++] = '\n';
  size_t n = strlen(rule);
  memcpy(b + at, rule, n);
  at += n;
  b[at++] = '\n';
  struct diag d;
  diag_init(&d);
  struct tz_zone *z = tz_parse(b, at, "test", &d);
  ok(z != NULL, "a TZif file with the rule %s parses%s%s", rule, z ? "" : ": ",
     z ? "" : d.message);
  diag_fini(&d);
  return z;
}

static usec_t utc(int y, int mo, int d, int h, int mi, int s) {
  return time_from_fields(y, (unsigned)mo, (unsigned)d, (unsigned)h, (unsigned)mi, (unsigned)s, 0);
}

/* The offset just before and at the instant t (UTC). */
static void check_change(const struct tz_zone *z, usec_t t, long before, long after,
                         const char *what) {
  is_int(tz_offset_at(z, t - 1), before, "%s: offset just before", what);
  is_int(tz_offset_at(z, t), after, "%s: offset at the change", what);
}

static void test_rules(void) {
  struct tz_zone *z = rule_zone("CET-1CEST,M3.5.0,M10.5.0/3", 3600);
  if (z) {
    check_change(z, utc(2026, 3, 29, 1, 0, 0), 3600, 7200, "CET rule, 2026 spring");
    check_change(z, utc(2026, 10, 25, 1, 0, 0), 7200, 3600, "CET rule, 2026 fall");
    check_change(z, utc(2100, 3, 28, 1, 0, 0), 3600, 7200, "CET rule, 2100 spring");
    usec_t u[2];
    is_int(tz_local_to_utc(z, utc(2026, 3, 29, 2, 30, 0), u), 0,
           "02:30 on 2026-03-29 is skipped");
    int n = tz_local_to_utc(z, utc(2026, 10, 25, 2, 30, 0), u);
    ok(n == 2 && u[0] == utc(2026, 10, 25, 0, 30, 0) && u[1] == utc(2026, 10, 25, 1, 30, 0),
       "02:30 on 2026-10-25 is 00:30Z (CEST) or 01:30Z (CET)");
    n = tz_local_to_utc(z, utc(2026, 7, 1, 12, 0, 0), u);
    ok(n == 1 && u[0] == utc(2026, 7, 1, 10, 0, 0), "summer noon is 10:00Z");
    tz_free(z);
  }
  z = rule_zone("AEST-10AEDT,M10.1.0,M4.1.0/3", 36000);
  if (z) {
    check_change(z, utc(2026, 4, 4, 16, 0, 0), 39600, 36000, "Sydney rule, 2026 April");
    check_change(z, utc(2026, 10, 3, 16, 0, 0), 36000, 39600, "Sydney rule, 2026 October");
    is_int(tz_offset_at(z, utc(2026, 1, 15, 0, 0, 0)), 39600, "Sydney: January is summer");
    tz_free(z);
  }
  z = rule_zone("<-03>3", -10800);
  if (z) {
    is_int(tz_offset_at(z, utc(2026, 1, 1, 0, 0, 0)), -10800, "<-03>3: no DST");
    tz_free(z);
  }
  struct diag d;
  diag_init(&d);
  ok(tz_parse((const unsigned char *)"TZif2", 5, "x", &d) == NULL && d.kind == DIAG_DATA,
     "a cut TZif file is refused");
  ok(tz_load("../etc/passwd", &d) == NULL && d.kind == DIAG_USAGE,
     "a zone name with .. is refused");
  ok(tz_load("/etc/localtime", &d) == NULL && d.kind == DIAG_USAGE,
     "an absolute path is refused");
  ok(tz_load("No/Such_Zone", &d) == NULL && d.kind == DIAG_USAGE &&
         strstr(d.message, "No/Such_Zone"),
     "an unknown zone is a usage error naming it");
  diag_fini(&d);
}

static void test_tzdata(void) {
  char *probe = xasprintf("%s/Europe/Berlin", tz_dir());
  bool have = access(probe, R_OK) == 0;
  free(probe);
  if (!have) {
    printf("ok %d - # SKIP no tzdata in %s\n", ++tap_count, tz_dir());
    return;
  }
  struct diag d;
  diag_init(&d);
  struct tz_zone *z = tz_load("Europe/Berlin", &d);
  ok(z != NULL, "Europe/Berlin loads");
  if (z) {
    check_change(z, utc(2026, 3, 29, 1, 0, 0), 3600, 7200, "Berlin 2026 spring");
    check_change(z, utc(2026, 10, 25, 1, 0, 0), 7200, 3600, "Berlin 2026 fall");
    check_change(z, utc(1996, 10, 27, 1, 0, 0), 7200, 3600, "Berlin 1996 fall (a transition)");
    check_change(z, utc(2090, 3, 26, 1, 0, 0), 3600, 7200, "Berlin 2090 spring (the footer)");
    tz_free(z);
  }
  z = tz_load("America/New_York", &d);
  ok(z != NULL, "America/New_York loads");
  if (z) {
    check_change(z, utc(2026, 3, 8, 7, 0, 0), -18000, -14400, "New York 2026 spring");
    check_change(z, utc(2026, 11, 1, 6, 0, 0), -14400, -18000, "New York 2026 fall");
    usec_t u[2];
    int n = tz_local_to_utc(z, utc(2026, 11, 1, 1, 30, 0), u);
    ok(n == 2 && u[0] == utc(2026, 11, 1, 5, 30, 0) && u[1] == utc(2026, 11, 1, 6, 30, 0),
       "New York 01:30 on 2026-11-01 is 05:30Z or 06:30Z");
    tz_free(z);
  }
  z = tz_load("UTC", &d);
  ok(z && tz_offset_at(z, utc(2026, 6, 1, 0, 0, 0)) == 0, "UTC is offset 0");
  tz_free(z);
  diag_fini(&d);
}

int main(void) {
  test_rules();
  test_tzdata();
  return tap_done();
}
