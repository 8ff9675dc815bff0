/* bytefmt — byte counts for people (see bytefmt.h). */
#include "config.h"
#include "util/bytefmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};

/* Index of the binary unit that suits |bytes|. */
static int unit_for(double bytes) {
  int u = 0;
  double v = fabs(bytes);
  while (v >= 1024 && u < 4) {
    v /= 1024;
    u++;
  }
  return u;
}

/* A figure that rounds to zero is "0", never "-0"; any other negative
 * figure gets a true minus (U+2212), which a hyphen-like dash in a range
 * ("-9–18 B") cannot be confused with. buf must have 2 bytes to spare. */
static void fix_sign(char *buf) {
  if (buf[0] != '-')
    return;
  size_t n = strlen(buf + 1);
  if (strspn(buf + 1, "0.") == n) {
    memmove(buf, buf + 1, n + 1);
    return;
  }
  memmove(buf + 3, buf + 1, n + 1);
  memcpy(buf, MINUS_SIGN, 3);
}

static void format_in_unit(double bytes, int u, char *buf, size_t cap) {
  double v = bytes / pow(1024, u);
  if (u == 0)
    snprintf(buf, cap, "%.0f", v);
  else
    snprintf(buf, cap, fabs(v) < 10 ? "%.2f" : fabs(v) < 100 ? "%.1f" : "%.0f", v);
  fix_sign(buf);
}

void format_bytes(double bytes, char *buf, size_t cap) {
  int u = unit_for(bytes);
  char num[48];
  format_in_unit(bytes, u, num, sizeof num);
  snprintf(buf, cap, "%s %s", num, units[u]);
}

/* "39.8–40.2 KiB": both ends in the unit of the larger end, with as many
 * decimals (up to 4) as it takes for two different ends to read different:
 * a narrow interval must not print as "40.0–40.0 KiB". */
void format_bytes_range(double lo, double hi, char *buf, size_t cap) {
  int u = unit_for(fmax(fabs(lo), fabs(hi)));
  char a[48], b[48];
  format_in_unit(lo, u, a, sizeof a);
  format_in_unit(hi, u, b, sizeof b);
  double scale = pow(1024, u);
  for (int digits = 1; u > 0 && lo != hi && !strcmp(a, b) && digits <= 4; digits++) {
    snprintf(a, sizeof a, "%.*f", digits, lo / scale + 0.0);
    snprintf(b, sizeof b, "%.*f", digits, hi / scale + 0.0);
    fix_sign(a);
    fix_sign(b);
  }
  if (!strcmp(a, b)) { /* still alike at 4 decimals: the plain form says it */
    format_in_unit(lo, u, a, sizeof a);
    format_in_unit(hi, u, b, sizeof b);
  }
  /* A negative end makes a dash read as a minus ("−30–35 B"): then the
   * ends are joined by " to ", a positive upper end signed ("−30 to +35 B"). */
  if (!strncmp(a, MINUS_SIGN, strlen(MINUS_SIGN)))
    snprintf(buf, cap, "%s to %s%s %s", a,
             strncmp(b, MINUS_SIGN, strlen(MINUS_SIGN)) && strspn(b, "0.") != strlen(b) ? "+" : "", b,
             units[u]);
  else
    snprintf(buf, cap, "%s\u2013%s %s", a, b, units[u]);
}

void format_bytes_ci(double v, double lo, double hi, char *buf, size_t cap) {
  char a[64], r[128];
  format_bytes(v, a, sizeof a);
  if (!isfinite(lo) || !isfinite(hi)) {
    snprintf(buf, cap, "%s", a);
    return;
  }
  format_bytes_range(lo, hi, r, sizeof r);
  snprintf(buf, cap, "%s (95%%: %s)", a, r);
}
