/* version — numeric file-version comparison (see version.h). */
#include "config.h"
#include "evidence/version.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static int is_space(char c) { return c == ' ' || c == '\t'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Length of s without trailing blanks and a trailing "(...)" suffix. */
static size_t core_length(const char *s) {
  size_t n = strlen(s);
  while (n && is_space(s[n - 1]))
    n--;
  if (n && s[n - 1] == ')') {
    const char *open = memchr(s, '(', n);
    if (open)
      n = (size_t)(open - s);
  }
  while (n && is_space(s[n - 1]))
    n--;
  return n;
}

static int fail(size_t *bad_at, size_t at) {
  if (bad_at)
    *bad_at = at;
  return -1;
}

/* One field of digits at s[*i]; advances *i. */
static int parse_field(const char *s, size_t n, size_t *i, unsigned long *out) {
  unsigned long v = 0;
  size_t start = *i;
  for (; *i < n && is_digit(s[*i]); (*i)++) {
    unsigned long digit = (unsigned long)(s[*i] - '0');
    if (v > (ULONG_MAX - digit) / 10) {
      *i = start;
      return -1;
    }
    v = v * 10 + digit;
  }
  *out = v;
  return *i > start ? 0 : -1;
}

int version_parse(const char *s, struct version *v, size_t *bad_at) {
  memset(v, 0, sizeof *v);
  size_t n = core_length(s), i = 0;
  while (i < n && is_space(s[i]))
    i++;
  if (i == n || (i + 1 == n && s[i] == '-'))
    return 0; /* unknown */
  for (;;) {
    if (v->nfields == VERSION_MAX_FIELDS)
      return fail(bad_at, i);
    if (parse_field(s, n, &i, &v->fields[v->nfields++]) < 0)
      return fail(bad_at, i);
    while (i < n && is_space(s[i]))
      i++;
    if (i == n)
      break;
    if (s[i] != '.' && s[i] != ',')
      return fail(bad_at, i);
    i++;
    while (i < n && is_space(s[i]))
      i++;
  }
  v->known = true;
  return 0;
}

int version_compare(const struct version *a, const struct version *b) {
  for (size_t i = 0; i < VERSION_MAX_FIELDS; i++) {
    unsigned long x = i < a->nfields ? a->fields[i] : 0;
    unsigned long y = i < b->nfields ? b->fields[i] : 0;
    if (x != y)
      return x < y ? -1 : 1;
  }
  return 0;
}

void version_format(const struct version *v, char *buf, size_t cap) {
  if (!cap)
    return;
  buf[0] = '\0';
  if (!v->known) {
    snprintf(buf, cap, "-");
    return;
  }
  size_t used = 0;
  for (size_t i = 0; i < v->nfields && used < cap; i++) {
    int k = snprintf(buf + used, cap - used, "%s%lu", i ? "." : "",
                     v->fields[i]);
    if (k < 0)
      return;
    used += (size_t)k;
  }
}
