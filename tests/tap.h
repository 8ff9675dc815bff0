/* tap.h — a tiny TAP producer for the C unit tests (header only).
 * Each check prints "ok N - what was checked" or "not ok N - ..." with the
 * values involved, and tap_done() prints the plan and returns the exit code. */
#ifndef LEAKSLOPE_TAP_H
#define LEAKSLOPE_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_count, tap_failed;

static __attribute__((format(printf, 2, 3), unused)) int
ok(int cond, const char *fmt, ...) {
  va_list ap;
  printf("%sok %d - ", cond ? "" : "not ", ++tap_count);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  if (!cond)
    tap_failed++;
  return cond;
}

/* |got - want| <= tol, printing both on failure. */
#define is_near(got, want, tol, ...)                                           \
  do {                                                                         \
    double g_ = (got), w_ = (want), t_ = (tol);                                \
    if (!ok(fabs(g_ - w_) <= t_, __VA_ARGS__))                                 \
      printf("# got %.17g, want %.17g (tolerance %g)\n", g_, w_, t_);          \
  } while (0)

#define is_int(got, want, ...)                                                 \
  do {                                                                         \
    long long g_ = (long long)(got), w_ = (long long)(want);                   \
    if (!ok(g_ == w_, __VA_ARGS__))                                            \
      printf("# got %lld, want %lld\n", g_, w_);                               \
  } while (0)

#define is_str(got, want, ...)                                                 \
  do {                                                                         \
    const char *g_ = (got), *w_ = (want);                                      \
    if (!ok(g_ && w_ ? strcmp(g_, w_) == 0 : g_ == w_, __VA_ARGS__))           \
      printf("# got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)",               \
             w_ ? w_ : "(null)");                                              \
  } while (0)

/* A temporary file holding text: its path (malloc'ed; unlink and free it). */
static __attribute__((unused)) char *tap_temp_file(const char *text) {
  char tmpl[] = "/tmp/leakslope-test.XXXXXX";
  int fd = mkstemp(tmpl);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
  if (!f)
    return NULL;
  fputs(text, f);
  fclose(f);
  return strdup(tmpl);
}

static __attribute__((unused)) int tap_done(void) {
  printf("1..%d\n", tap_count);
  return tap_failed ? 1 : 0;
}

#endif
