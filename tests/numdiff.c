/* numdiff — compare two text files, numbers at a tolerance, the rest exactly.
 *
 * Golden files hold numbers whose last digits move with the compiler and the
 * libm; everything else (words, punctuation, layout) must match exactly.
 * Usage: numdiff [-r RELTOL] [-a ABSTOL] EXPECTED ACTUAL
 * Two numbers a, b match when |a - b| <= ABSTOL + RELTOL * max(|a|, |b|).
 * Exit 0 when the files match, 1 with the first difference, 2 on error. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    exit(2);
  }
  size_t cap = 4096, len = 0;
  char *s = malloc(cap);
  size_t n;
  while (s && (n = fread(s + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (cap - len < 2)
      s = realloc(s, cap *= 2);
  }
  fclose(f);
  if (!s)
    exit(2);
  s[len] = '\0';
  return s;
}

/* Length of the number starting at s (0 if none): -?digits(.digits)?(e[+-]?digits)? */
static size_t number_len(const char *s) {
  size_t i = 0;
  if (s[i] == '-')
    i++;
  size_t digits = strspn(s + i, "0123456789");
  if (!digits)
    return 0;
  i += digits;
  if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')
    i += 1 + strspn(s + i + 1, "0123456789");
  if (s[i] == 'e' || s[i] == 'E') {
    size_t j = i + 1;
    if (s[j] == '+' || s[j] == '-')
      j++;
    size_t e = strspn(s + j, "0123456789");
    if (e)
      i = j + e;
  }
  return i;
}

static void report(const char *a, const char *start, const char *what) {
  long line = 1, col = 1;
  for (const char *p = start; p < a; p++) {
    if (*p == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  const char *eol = strchr(a, '\n');
  int n = eol ? (int)(eol - a) : (int)strlen(a);
  fprintf(stderr, "numdiff: line %ld, column %ld: %s (expected text: '%.*s')\n",
          line, col, what, n > 60 ? 60 : n, a);
}

int main(int argc, char **argv) {
  double rel = 1e-9, abs_tol = 0;
  int i = 1;
  for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1]; i += 2) {
    if (!strcmp(argv[i], "-r"))
      rel = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "-a"))
      abs_tol = atof(argv[i + 1]);
    else
      break;
  }
  if (argc - i != 2) {
    fprintf(stderr, "usage: numdiff [-r RELTOL] [-a ABSTOL] EXPECTED ACTUAL\n");
    return 2;
  }
  char *want = slurp(argv[i]), *got = slurp(argv[i + 1]);
  const char *a = want, *b = got;
  int status = 0;
  while (*a || *b) {
    /* A number starts a token only at a word boundary, so "x86" stays text. */
    int boundary = a == want || !((a[-1] >= 'A' && a[-1] <= 'Z') ||
                                  (a[-1] >= 'a' && a[-1] <= 'z') || a[-1] == '_');
    size_t na = boundary ? number_len(a) : 0, nb = boundary ? number_len(b) : 0;
    if (na && nb) {
      double x = strtod(a, NULL), y = strtod(b, NULL);
      double tol = abs_tol + rel * fmax(fabs(x), fabs(y));
      if (fabs(x - y) > tol) {
        char what[160];
        snprintf(what, sizeof what, "%.*s differs from %.*s beyond tolerance",
                 (int)na, a, (int)nb, b);
        report(a, want, what);
        status = 1;
        break;
      }
      a += na;
      b += nb;
    } else if (*a == *b) {
      a++;
      b++;
    } else {
      report(a, want, "text differs");
      fprintf(stderr, "numdiff: actual text: '%.60s'\n", b);
      status = 1;
      break;
    }
  }
  free(want);
  free(got);
  return status;
}
