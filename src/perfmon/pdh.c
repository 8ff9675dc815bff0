/* pdh — the PDH-CSV/TSV reader (see pdh.h): header, cells, numbers, times.
 *
 * Rows are split in place in the input's line buffer; a cell is converted
 * only when its column is selected, and values live in one array reused for
 * every row, so memory depends on the width of the log, never its length. */
#include "config.h"
#include "perfmon/pdh.h"
#include "perfmon/cellskip.h"
#include "util/tzfile.h"
#include "util/xalloc.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "perfmon/blg.h"
#include "perfmon/resaved_time.h"

#define SNIFF_BYTES 512
#define MAX_BIAS (24 * 60)
#define DST_SLACK (120 * USEC_PER_SEC)
#define NSTEPS 15 /* recent sample intervals, for their median */

struct pdh_reader {
  struct input *in;
  struct warnings *w;
  struct blg_reader *blg; /* a binary log: its rows come from blg.c */
  char sep;
  bool tsv;
  char *zone;
  bool has_bias;
  long header_bias, bias;
  enum pdh_bias_source source;

  size_t ncells;     /* cells per row, time included */
  long *col_counter; /* cell -> counter index, or -1 (time, skipped) */
  struct pdh_counter *counters;
  size_t ncounters, counters_cap;
  bool *selected;
  double *values;
  /* cell -> the first cell at or after it that is read (the time or a
   * selected counter), ncells when none: the cells between are skipped
   * (cellskip). Rebuilt after the selection changes. */
  size_t *next_wanted;
  bool wanted_stale;
  bool walk_all; /* pdh_walk_every_cell */

  bool have_prev;
  usec_t prev, prev_utc;
  usec_t steps[NSTEPS]; /* the last positive steps of local time, a ring */
  size_t nsteps, step_at;

  /* DST: rows after a detected change are shifted by `shift` (µs, added to
   * local + bias); with --tz the zone's rules map every row instead. */
  bool detect_dst;
  struct tz_zone *tz;
  usec_t shift;
  long prev_off; /* --tz: offset (s east) of the previous row */
  struct dst_change *changes;
  size_t nchanges;
  bool reported;

  /* A log re-saved by a spreadsheet (perfmon/resaved_time.h): its slash
   * dates are month/day or day/month. `order` is 'm' or 'd' once an option
   * or the file says which; until then rows whose reading depends on it
   * are taken as month/day and counted, so a file that never tells is an
   * error at its end, and one that tells too late names the fix. */
  enum { TIME_UNDECIDED, TIME_PERFMON, TIME_RESAVED } time_kind;
  long order_line;     /* the row that told the order, read ahead */
  bool perfmon_like;   /* perfmon's shape but no milliseconds */
  bool resaved;
  char order;          /* 'm', 'd' or 0 */
  bool order_given;    /* by --date-order */
  struct resaved_time prev_rt;
  bool have_prev_rt;
  size_t provisional;  /* rows read as month/day before the order was known */
  long first_provisional_line;
  char first_provisional[24];
};

/* One DST change found in the log, reported when the log has been read. */
struct dst_change {
  long line;
  usec_t at_local; /* the wall-clock time of the change, before it */
  usec_t from, to; /* local times of the rows either side */
  int dir;         /* +1 spring forward, -1 fall back */
  long bias_before, bias_after;
  size_t rows;     /* rows from this change to the next one or the end */
};

/* ---- cells ------------------------------------------------------------- */

struct cell {
  size_t start, len; /* content, without quotes */
  size_t at;         /* offset of the cell (its opening quote) */
};

enum cell_result { CELL_LAST, CELL_MORE, CELL_ERROR };

/* The first quote in [q, end), or NULL: a cell is mostly a few bytes
 * ("12.5"), where a loop is quicker than a call to memchr. */
static inline const char *find_quote(const char *q, const char *end) {
  for (int k = 0; k < 24 && q < end; k++, q++)
    if (*q == '"')
      return q;
  return q < end ? memchr(q, '"', (size_t)(end - q)) : NULL;
}

/* The cell starting at *pos. Fills err_off and err on error. */
static enum cell_result next_cell(const char *s, size_t n, size_t *pos,
                                  char sep, struct cell *c, size_t *err_off,
                                  const char **err) {
  size_t p = *pos;
  c->at = p;
  size_t end;
  if (p < n && s[p] == '"') {
    const char *q = s + p + 1;
    for (;;) {
      q = memchr(q, '"', n - (size_t)(q - s));
      if (!q) {
        *err_off = p;
        *err = "unbalanced quote (expected a closing \" before the end of "
               "the line)";
        return CELL_ERROR;
      }
      if ((size_t)(q - s) + 1 < n && q[1] == '"') {
        q += 2; /* "" is an escaped quote */
        continue;
      }
      break;
    }
    c->start = p + 1;
    c->len = (size_t)(q - s) - c->start;
    end = (size_t)(q - s) + 1;
    if (end < n && s[end] != sep) {
      *err_off = end;
      *err = sep == '\t' ? "text after a closing quote (expected a TAB)"
                         : "text after a closing quote (expected a comma)";
      return CELL_ERROR;
    }
  } else {
    const char *e = memchr(s + p, sep, n - p);
    end = e ? (size_t)(e - s) : n;
    c->start = p;
    c->len = end - p;
  }
  if (end >= n) {
    *pos = n;
    return CELL_LAST;
  }
  *pos = end + 1;
  return CELL_MORE;
}

static int cell_error(struct pdh_reader *r, const char *line, size_t off,
                      struct diag *d, const char *msg) {
  return diag_set(d, DIAG_DATA, input_name(r->in), input_line_number(r->in),
                  utf8_column(line, off), "%s", msg);
}

/* ---- numbers and times ----------------------------------------------------- */

static size_t digits(const char *s, size_t n, size_t i) {
  size_t j = i;
  while (j < n && s[j] >= '0' && s[j] <= '9')
    j++;
  return j - i;
}

/* The value of a number of pdh_parse_number's syntax, in one pass, when its
 * digits, as an integer m, are at most 2^53 and its decimal exponent e is
 * within +-22: m and 10^|e| are then exact doubles, so one multiplication
 * or division rounds correctly, to the double strtod gives (Clinger's fast
 * path). False when it does not apply (more digits, larger exponents) or
 * the syntax is wrong: the full check and strtod decide, with the offending
 * byte. */
/* Eight digits at s as one number, SWAR (little-endian): each byte is
 * checked to be '0'-'9' (its high nibble 3, and still 3 after adding 6),
 * then pairs, quads and the eight are combined by three multiplications. */
static inline bool eight_digits(const char *s, uint64_t *v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t hi = 0xF0F0F0F0F0F0F0F0u;
  uint64_t x;
  memcpy(&x, s, 8);
  if (((x & hi) | (((x + 0x0606060606060606u) & hi) >> 4)) != 0x3333333333333333u)
    return false;
  x -= 0x3030303030303030u;
  x = x * 10 + (x >> 8); /* bytes 0, 2, 4, 6: two digits each */
  x = ((x & 0x000000FF000000FFu) * (100 + (1000000u * ((uint64_t)1 << 32))) +
       ((x >> 16) & 0x000000FF000000FFu) * (1 + (10000u * ((uint64_t)1 << 32)))) >>
      32;
  *v = x & 0xFFFFFFFFu;
  return true;
#else
  (void)s, (void)v;
  return false;
#endif
}

/* Digits s[*i..n) into *m (m * 10 + digit), eight at a time while they
 * last; *e moves down by each one when `frac`. False past 19 significant
 * digits (*sig counts them), where m could overflow. */
static inline __attribute__((always_inline)) bool digits_into(const char *s, size_t n, size_t *i, uint64_t *m, int *sig,
                        long *e, bool frac) {
  size_t j = *i;
  uint64_t v;
  while (n - j >= 8 && eight_digits(s + j, &v)) {
    if (*m > 0 || v > 0) {
      int add = *m > 0 ? 8 : 8 - (v < 10 ? 7 : v < 100 ? 6 : v < 1000 ? 5 : v < 10000 ? 4
                                  : v < 100000 ? 3 : v < 1000000 ? 2 : v < 10000000 ? 1 : 0);
      if ((*sig += add) > 19)
        return false;
    }
    *m = *m * 100000000u + v;
    j += 8;
  }
  for (; j < n && s[j] >= '0' && s[j] <= '9'; j++)
    if ((*m = *m * 10 + (uint64_t)(s[j] - '0')) > 0 && ++*sig > 19)
      return false;
  if (frac)
    *e -= (long)(j - *i);
  *i = j;
  return true;
}

/* exact_fast's work on the number that s[0..n) starts with: how many bytes
 * it takes (0 when it refuses them), the value in *out. */
static inline __attribute__((always_inline)) size_t exact_prefix(const char *s, size_t n,
                                                                 double *out) {
#if FLT_EVAL_METHOD == 0
  static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  size_t i = 0;
  bool neg = n > 0 && s[0] == '-';
  i += neg;
  uint64_t m = 0;
  int sig = 0;
  long e = 0;
  size_t first = i;
  if (!digits_into(s, n, &i, &m, &sig, &e, false))
    return 0;
  size_t ndigits = i - first;
  if (i < n && s[i] == '.') {
    first = ++i;
    if (!digits_into(s, n, &i, &m, &sig, &e, true))
      return 0;
    ndigits += i - first;
  }
  if (ndigits == 0)
    return 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool eneg = i < n && s[i] == '-';
    i += i < n && (s[i] == '-' || s[i] == '+');
    first = i;
    long x = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
      if ((x = x * 10 + (s[i] - '0')) > 1000)
        return 0;
    if (i == first)
      return 0;
    e += eneg ? -x : x;
  }
  while (m > ((uint64_t)1 << 53) && m % 10 == 0) { /* trailing zeros */
    m /= 10;
    e++;
  }
  if (m > ((uint64_t)1 << 53) || e < -22 || e > 22)
    return 0;
  double v = e < 0 ? (double)m / p10[-e] : (double)m * p10[e];
  *out = neg ? -v : v;
  return i;
#else
  (void)s, (void)n, (void)out;
  return 0;
#endif
}

static bool exact_fast(const char *s, size_t n, double *out) {
  double v;
  if (n == 0 || exact_prefix(s, n, &v) != n)
    return false;
  *out = v;
  return true;
}

int pdh_parse_number(const char *s, size_t n, double *out, size_t *bad) {
  if (exact_fast(s, n, out))
    return 0;
  size_t i = 0;
  if (i < n && s[i] == '-')
    i++;
  size_t intd = digits(s, n, i);
  i += intd;
  size_t fracd = 0;
  if (i < n && s[i] == '.') {
    i++;
    fracd = digits(s, n, i);
    i += fracd;
  }
  if (intd + fracd == 0) {
    *bad = i < n ? i : 0;
    return -1;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    size_t e = ++i;
    if (i < n && (s[i] == '+' || s[i] == '-'))
      i++;
    size_t ed = digits(s, n, i);
    if (ed == 0) {
      *bad = i < n ? i : e - 1;
      return -1;
    }
    i += ed;
  }
  if (i != n) {
    *bad = i;
    return -1;
  }
  /* The syntax above is a subset of strtod's in the C locale (never set
   * otherwise); strtod reads a C string, and a row's cell is followed by
   * whatever the line holds (or by the end of a mapped file): a copy. */
  char small[64];
  char *c = n < sizeof small ? small : xmalloc(n + 1), *end;
  memcpy(c, s, n);
  c[n] = '\0';
  errno = 0;
  double v = strtod(c, &end);
  bool ok = (size_t)(end - c) == n && !(errno == ERANGE && !isfinite(v));
  if (c != small)
    free(c);
  if (!ok) {
    *bad = 0;
    return -1;
  }
  *out = v;
  return 0;
}

/* Value of the digits s[i..i+w). */
static unsigned field(const char *s, size_t i, size_t w) {
  unsigned v = 0;
  for (size_t k = 0; k < w; k++)
    v = v * 10 + (unsigned)(s[i + k] - '0');
  return v;
}

/* Perfmon's stamp without its fraction, "99/99/9999 99:99:99": how many of
 * its PDH_STAMP_LEN bytes s starts with. */
#define PDH_STAMP_LEN 19
static size_t pdh_stamp_prefix(const char *s, size_t n) {
  static const char shape[] = "99/99/9999 99:99:99";
  size_t i = 0;
  while (i < PDH_STAMP_LEN && i < n &&
         (shape[i] == '9' ? s[i] >= '0' && s[i] <= '9' : s[i] == shape[i]))
    i++;
  return i;
}

int pdh_parse_time(const char *s, size_t n, usec_t *out, size_t *bad) {
  size_t fit = pdh_stamp_prefix(s, n);
  if (fit < PDH_STAMP_LEN) {
    *bad = fit;
    return -1;
  }
  unsigned v[6] = {field(s, 0, 2),  field(s, 3, 2),  field(s, 6, 4),
                   field(s, 11, 2), field(s, 14, 2), field(s, 17, 2)};
  unsigned usec = 0;
  size_t i = PDH_STAMP_LEN;
  if (i < n && s[i] == '.') {
    size_t fd = digits(s, n, i + 1);
    if (fd == 0 || fd > 6) {
      *bad = i + 1 + (fd ? 6 : 0);
      return -1;
    }
    for (size_t k = 0; k < 6; k++)
      usec = usec * 10 + (k < fd ? (unsigned)(s[i + 1 + k] - '0') : 0);
    i += 1 + fd;
  }
  if (i != n) {
    *bad = i;
    return -1;
  }
  if (!valid_civil(v[2], v[0], v[1])) {
    *bad = v[0] >= 1 && v[0] <= 12 ? 3 : 0; /* the day, else the month */
    return -1;
  }
  if (v[3] > 23 || v[4] > 59 || v[5] > 59) {
    *bad = v[3] > 23 ? 11 : v[4] > 59 ? 14 : 17;
    return -1;
  }
  *out = time_from_fields(v[2], v[0], v[1], v[3], v[4], v[5], usec);
  return 0;
}

/* ---- the header ------------------------------------------------------------ */

static int sniff_binary(struct input *in, const char *encoding,
                        struct diag *d) {
  const unsigned char *b;
  long n = input_peek_raw(in, SNIFF_BYTES, &b, d);
  if (n < 0)
    return -1;
  if (!encoding && blg_sniff(b, (size_t)n))
    return 1;
  bool utf16 = n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) ||
                          (b[0] == 0xFE && b[1] == 0xFF));
  if (!utf16 && !encoding && memchr(b, 0, (size_t)n))
    return diag_set(d, DIAG_DATA, input_name(in), 0, 0,
                    "binary data (expected a PDH-CSV or PDH-TSV text export; "
                    "UTF-16 without a BOM needs --encoding utf-16le)");
  return 0;
}

/* Zone name and bias from the text after the signature:
 * " (Pacific Standard Time)(480)", " (RTZ 2 (" (cut short) or "". */
static void parse_zone(struct pdh_reader *r, const char *s, size_t n) {
  while (n > 0 && *s == ' ')
    s++, n--;
  while (n > 0 && s[n - 1] == ' ')
    n--;
  if (n == 0 || s[0] != '(')
    return;
  const char *open = NULL;
  for (size_t i = n; i-- > 1;)
    if (s[i] == '(') {
      open = s + i;
      break;
    }
  if (s[n - 1] == ')' && open && open[-1] == ')' && open - s >= 2) {
    const char *num = open + 1;
    size_t len = (size_t)(s + n - 1 - num);
    size_t k = num[0] == '-' ? 1 : 0;
    if (len > k && len < 8 && digits(num, len, k) == len - k) {
      long b = strtol(num, NULL, 10);
      if (b >= -MAX_BIAS && b <= MAX_BIAS) {
        r->has_bias = true;
        r->header_bias = b;
        r->zone = xstrndup(s + 1, (size_t)(open - 1 - (s + 1)));
        return;
      }
    }
  }
  r->zone = xstrndup(s + 1, n - 1);
}

static void choose_bias(struct pdh_reader *r, const struct pdh_options *opt) {
  const char *name = input_name(r->in);
  r->detect_dst = !(opt && (opt->utc || opt->tz));
  if (opt && opt->tz) {
    r->bias = r->has_bias ? r->header_bias : 0;
    r->source = PDH_BIAS_TZ;
  } else if (opt && opt->utc) {
    r->bias = 0;
    r->source = PDH_BIAS_UTC;
  } else if (opt && opt->have_bias) {
    r->bias = opt->bias;
    r->source = PDH_BIAS_OPTION;
  } else if (r->has_bias) {
    r->bias = r->header_bias;
    r->source = PDH_BIAS_HEADER;
  } else {
    r->bias = 0;
    r->source = PDH_BIAS_ASSUMED;
    warnings_add(r->w, "no-bias", name, 1,
                 "the header gives no time-zone bias (its first cell is cut "
                 "short or has no zone); times are taken as UTC: give --bias "
                 "MINUTES or --utc");
  }
}

/* Cell 0: "(PDH-CSV 4.0) (zone)(bias)". */
static int parse_cell0(struct pdh_reader *r, const char *line, size_t n,
                       struct diag *d) {
  const char *name = input_name(r->in);
  size_t q = line[0] == '"' ? 1 : 0;
  const char *e = q ? memchr(line + 1, '"', n - 1) : NULL;
  size_t end = q ? (e ? (size_t)(e - line) : n) : 0;
  while (!q && end < n && line[end] != ',' && line[end] != ';' && line[end] != '\t')
    end++;
  const char *c0 = line + q;
  size_t len = end - q;
  if (len < 5 || strncmp(c0, "(PDH-", 5) != 0) {
    int shown = (int)(len > 60 ? 60 : len);
    return diag_set(d, DIAG_DATA, name, 1, (long)q + 1,
                    "no PDH signature: the first cell is '%.*s%s' (expected "
                    "it to start with \"(PDH-CSV 4.0)\" or \"(PDH-TSV 4.0)\")",
                    shown, c0, len > 60 ? "..." : "");
  }
  const char *close = memchr(c0, ')', len);
  size_t siglen = close ? (size_t)(close - c0) + 1 : len;
  if (memmem(c0, siglen, "PDH-TSV", 7))
    r->tsv = true;
  else if (!memmem(c0, siglen, "PDH-CSV", 7))
    return diag_set(d, DIAG_DATA, name, 1, (long)q + 2,
                    "unknown PDH signature '%.*s' (expected PDH-CSV or "
                    "PDH-TSV)",
                    (int)siglen, c0);
  r->sep = r->tsv ? '\t' : ',';
  /* A spreadsheet in a locale with a decimal comma re-saves with ';'. */
  size_t after = end + (q && end < n ? 1 : 0);
  if (!r->tsv && after < n && line[after] == ';')
    r->sep = ';';
  parse_zone(r, c0 + siglen, len - siglen);
  return 0;
}

static void warn_skipped(struct pdh_reader *r, size_t cell, const char *s,
                         size_t n) {
  warnings_add(r->w, "not-a-counter", input_name(r->in), 1,
               "column %zu is not a counter path ('%.*s%s'); it is skipped",
               cell + 1, (int)(n > 50 ? 50 : n), s, n > 50 ? "..." : "");
}

static void add_counter(struct pdh_reader *r, size_t cell, char *path) {
  struct pdh_counter c;
  if (pdh_path_parse(path, &c) < 0) {
    warn_skipped(r, cell, path, strlen(path));
    return;
  }
  c.column = cell;
  if (r->ncounters == r->counters_cap) /* past parse_header's estimate */
    r->counters = xreallocarray(r->counters, r->counters_cap = 2 * r->counters_cap + 1,
                                sizeof c);
  r->col_counter[cell] = (long)r->ncounters;
  r->counters[r->ncounters++] = c;
}

/* Unescape "" in a header cell. */
static char *cell_text(const char *line, const struct cell *c) {
  char *t = xstrndup(line + c->start, c->len);
  char *w = t;
  for (const char *p = t; *p; p++) {
    *w++ = *p;
    if (p[0] == '"' && p[1] == '"')
      p++;
  }
  *w = '\0';
  return t;
}

/* Columns with the same path, case-insensitively, numbered in column
 * order: grouped by the hash of the folded path (no copy of 20,000 paths),
 * and only a group of equal hashes folded and sorted by its text. */
struct dup_key {
  uint64_t hash;
  char *fold;
  size_t i;
};

static int fold_cmp(const void *a, const void *b) {
  const struct dup_key *x = a, *y = b;
  int c = strcmp(x->fold, y->fold);
  return c ? c : (x->i > y->i) - (x->i < y->i);
}

static void number_group(struct pdh_reader *r, struct dup_key *k, size_t n) {
  for (size_t i = 0; i < n; i++)
    k[i].fold = pdh_fold(r->counters[k[i].i].path);
  qsort(k, n, sizeof *k, fold_cmp);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && strcmp(k[j].fold, k[i].fold) == 0)
      j++;
    for (size_t m = i; m < j; m++) {
      r->counters[k[m].i].dup = (int)(m - i + 1);
      r->counters[k[m].i].dups = (int)(j - i);
    }
    i = j;
  }
  for (size_t i = 0; i < n; i++)
    free(k[i].fold);
}

/* Number duplicate columns (same path, case-insensitively): dup/dups.
 * Counters of equal hashes are chained through a hash table (open
 * addressing), and only a chain of two or more is folded and sorted
 * (sorting 20,007 keys by hash was 4% of inspect -c on such a log, and
 * the keys and qsort's copy of them 0.96 MB at the heap's peak; this is
 * 0.5 MB). Indices are 32-bit: PDH_MAX_COUNTERS is far below. */
static void number_duplicates(struct pdh_reader *r) {
  size_t n = r->ncounters, cap = 16;
  while (cap < 2 * n)
    cap *= 2;
  uint64_t *hash = xmalloc((n + 1) * sizeof *hash);
  uint32_t *next = xmalloc((n + 1) * sizeof *next);
  uint32_t *slot = xcalloc(cap, sizeof *slot); /* 1 + a chain's last counter, or 0 */
  bool dups = false;
  for (size_t i = 0; i < n; i++) {
    hash[i] = pdh_fold_hash(r->counters[i].path);
    size_t at = (size_t)(hash[i] ^ hash[i] >> 32) & (cap - 1);
    while (slot[at] && hash[slot[at] - 1] != hash[i])
      at = (at + 1) & (cap - 1);
    next[i] = slot[at]; /* the chain runs back to the first column (then 0) */
    dups |= slot[at] != 0;
    slot[at] = (uint32_t)i + 1;
  }
  for (size_t at = 0; dups && at < cap; at++) {
    if (!slot[at] || !next[slot[at] - 1])
      continue;
    size_t len = 0;
    for (uint32_t i = slot[at]; i; i = next[i - 1])
      len++;
    struct dup_key *k = xcalloc(len, sizeof *k);
    len = 0;
    for (uint32_t i = slot[at]; i; i = next[i - 1])
      k[len++] = (struct dup_key){hash[i - 1], NULL, i - 1};
    number_group(r, k, len); /* sorted by the fold, then the column */
    free(k);
  }
  free(slot);
  free(next);
  free(hash);
}

static int parse_header(struct pdh_reader *r, const char *line, size_t n,
                        struct diag *d) {
  if (parse_cell0(r, line, n, d) < 0)
    return -1;
  /* One separator a column, but for quoted ones: the arrays sized once (on
   * a 20,000-column header, doubling kept a third unused and the old copy
   * beside the new while it grew). */
  size_t cap = 1, pos = 0, err_off;
  for (const char *p = line; (p = memchr(p, r->sep, n - (size_t)(p - line))); p++)
    cap++;
  if (cap > PDH_MAX_COUNTERS + 2)
    cap = PDH_MAX_COUNTERS + 2;
  const char *err;
  r->col_counter = xmalloc(cap * sizeof *r->col_counter);
  r->counters_cap = cap;
  r->counters = xreallocarray(r->counters, cap, sizeof *r->counters);
  for (enum cell_result cr = CELL_MORE; cr == CELL_MORE;) {
    struct cell c;
    cr = next_cell(line, n, &pos, r->sep, &c, &err_off, &err);
    if (cr == CELL_ERROR)
      return cell_error(r, line, err_off, d, err);
    if (r->ncells > PDH_MAX_COUNTERS)
      return cell_error(r, line, c.at, d,
                        "more than 200000 counters (expected a log of fewer "
                        "columns; relog -c picks counters)");
    if (r->ncells == cap)
      r->col_counter = xreallocarray(r->col_counter, cap *= 2,
                                     sizeof *r->col_counter);
    r->col_counter[r->ncells] = -1;
    if (r->ncells > 0) {
      char *text = cell_text(line, &c);
      add_counter(r, r->ncells, text);
      free(text);
    }
    r->ncells++;
  }
  return 0;
}

/* A binary log: counters and zone from blg.c. */
static int open_blg(struct pdh_reader *r, const struct pdh_options *opt, struct diag *d) {
  if (!(r->blg = blg_open(r->in, r->w, d)))
    return -1;
  r->counters = blg_take_counters(r->blg, &r->ncounters);
  const char *zone;
  if (blg_timezone(r->blg, &zone, &r->header_bias)) {
    r->has_bias = true;
    r->zone = xstrdup(zone);
  }
  number_duplicates(r);
  choose_bias(r, opt);
  return 0;
}

static int read_header(struct pdh_reader *r, const struct pdh_options *opt,
                       struct diag *d) {
  int kind = sniff_binary(r->in, opt ? opt->encoding : NULL, d);
  if (kind == 1)
    return open_blg(r, opt, d);
  if (kind < 0 || input_start_text(r->in, opt ? opt->encoding : NULL, r->w, d) < 0)
    return -1;
  const char *line;
  size_t n;
  int got = input_read_span(r->in, &line, &n, d); /* a 1 MB header: no copy */
  if (got < 0)
    return -1;
  if (got == 0)
    return diag_set(d, DIAG_DATA, input_name(r->in), 1, 1,
                    "empty file (expected a PDH-CSV or PDH-TSV header)");
  if (parse_header(r, line, n, d) < 0)
    return -1;
  input_trim(r->in); /* the header's buffer, before the duplicates' table */
  number_duplicates(r);
  choose_bias(r, opt);
  return 0;
}

struct pdh_reader *pdh_open(const char *path, const struct pdh_options *opt,
                            struct warnings *w, struct diag *d) {
  struct input *in = input_open(path, d);
  if (!in)
    return NULL;
  if (opt && opt->have_max_bytes)
    input_set_max_bytes(in, opt->max_bytes);
  struct pdh_reader *r = xcalloc(1, sizeof *r);
  r->in = in;
  r->w = w;
  if (opt && opt->tz && (opt->utc || opt->have_bias)) {
    diag_set(d, DIAG_USAGE, NULL, 0, 0, "--tz and --%s both say how the counter log's "
             "times map to UTC: give one", opt->utc ? "utc" : "bias");
    pdh_close(r);
    return NULL;
  }
  if (opt && (opt->date_order == 'm' || opt->date_order == 'd')) {
    r->order = opt->date_order;
    r->order_given = true;
  }
  if (opt && opt->tz && !(r->tz = tz_load(opt->tz, d))) {
    pdh_close(r);
    return NULL;
  }
  if (read_header(r, opt, d) < 0) {
    pdh_close(r);
    return NULL;
  }
  struct pdh_aliases a;
  pdh_aliases_init(&a);
  if (pdh_aliases_load_default(&a, w, d) < 0) {
    pdh_aliases_fini(&a);
    pdh_close(r);
    return NULL;
  }
  pdh_aliases_apply(&a, r->counters, r->ncounters);
  pdh_aliases_fini(&a);
  r->selected = xcalloc(r->ncounters + 1, sizeof *r->selected);
  r->values = xmalloc((r->ncounters + 1) * sizeof *r->values);
  for (size_t i = 0; i < r->ncounters; i++)
    r->values[i] = NAN;
  return r;
}

static void report_changes(struct pdh_reader *r);

void pdh_close(struct pdh_reader *r) {
  if (!r)
    return;
  report_changes(r);
  blg_close(r->blg);
  free(r->changes);
  tz_free(r->tz);
  input_close(r->in);
  for (size_t i = 0; i < r->ncounters; i++)
    pdh_counter_fini(&r->counters[i]);
  free(r->counters);
  free(r->col_counter);
  free(r->selected);
  free(r->next_wanted);
  free(r->values);
  free(r->zone);
  free(r);
}

const char *pdh_format(const struct pdh_reader *r) {
  return r->blg ? "blg" : r->tsv ? "pdh-tsv" : "pdh-csv";
}
const char *pdh_encoding(const struct pdh_reader *r) {
  return r->blg ? "utf-16le" : input_encoding(r->in);
}
const char *pdh_timezone(const struct pdh_reader *r) { return r->zone; }
size_t pdh_dst_changes(const struct pdh_reader *r) { return r->nchanges; }
bool pdh_header_has_bias(const struct pdh_reader *r) { return r->has_bias; }
long pdh_header_bias(const struct pdh_reader *r) { return r->header_bias; }
long pdh_bias(const struct pdh_reader *r) { return r->bias; }
enum pdh_bias_source pdh_bias_source(const struct pdh_reader *r) {
  return r->source;
}
struct input *pdh_input(const struct pdh_reader *r) { return r->in; }
size_t pdh_counter_count(const struct pdh_reader *r) { return r->ncounters; }
const struct pdh_counter *pdh_counters(const struct pdh_reader *r) {
  return r->counters;
}

void pdh_select(struct pdh_reader *r, size_t i) {
  if (i < r->ncounters)
    r->selected[i] = true;
  if (r->blg)
    blg_select(r->blg, i);
  r->wanted_stale = true;
}

void pdh_select_all(struct pdh_reader *r) {
  for (size_t i = 0; i < r->ncounters; i++) {
    r->selected[i] = true;
    if (r->blg)
      blg_select(r->blg, i);
  }
  r->wanted_stale = true;
}

void pdh_walk_every_cell(struct pdh_reader *r, bool on) {
  r->walk_all = on;
  r->wanted_stale = true;
}

static void build_next_wanted(struct pdh_reader *r) {
  if (!r->next_wanted)
    r->next_wanted = xmalloc((r->ncells + 1) * sizeof *r->next_wanted);
  size_t next = r->ncells;
  r->next_wanted[r->ncells] = next;
  for (size_t c = r->ncells; c-- > 0;) {
    long k = r->col_counter[c];
    if (c == 0 || (k >= 0 && r->selected[k]) || r->walk_all)
      next = c;
    r->next_wanted[c] = next;
  }
  r->wanted_stale = false;
}

/* ---- rows ----------------------------------------------------------------- */

static bool blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ')
      return false;
  return true;
}

/* Perfmon's own stamp, by its shape alone: "99/99/9999 99:99:99." then
 * digits. Perfmon, typeperf and relog always write the milliseconds; the
 * same shape without them is a spreadsheet's dd/mm/yyyy hh:mm:ss as often
 * as its mm/dd (pdh_shape_no_fraction). */
static bool pdh_shape_no_fraction(const char *s, size_t n) {
  return n == PDH_STAMP_LEN && pdh_stamp_prefix(s, n) == PDH_STAMP_LEN;
}

static bool pdh_time_shaped(const char *s, size_t n) {
  return n > PDH_STAMP_LEN + 1 && s[PDH_STAMP_LEN] == '.' &&
         pdh_stamp_prefix(s, n) == PDH_STAMP_LEN;
}

/* Once: the times are a spreadsheet's, not perfmon's. */
static void note_resaved(struct pdh_reader *r, const char *cell, size_t n,
                         const struct resaved_time *t) {
  if (r->resaved)
    return;
  r->resaved = true;
  char order_note[96] = "";
  if (t->shape == RESAVED_SLASH && r->order && !r->order_given)
    snprintf(order_note, sizeof order_note, "; its dates read as %s (line %ld says so)",
             r->order == 'd' ? "day/month" : "month/day", r->order_line);
  warnings_add(r->w, "resaved", input_name(r->in), input_line_number(r->in),
               "this log was re-saved by a spreadsheet (times like '%.*s'%s, not "
               "perfmon's MM/DD/YYYY HH:MM:SS.mmm): times may have lost their "
               "%s; the time zone is %s%s",
               (int)(n > 30 ? 30 : n), cell, r->sep == ';' ? " and ';' between cells" : "",
               t->has_seconds ? "milliseconds" : "seconds", r->has_bias
                   ? "the header's, which survived"
                   : "not in the header any more (see the bias warning)", order_note);
}

/* The order of a slash date: from --date-order, else from the file (a day
 * above 12, or the step at midnight). -1 with d filled when the file
 * contradicts what was used for earlier rows. */
static int decide_order(struct pdh_reader *r, const char *line, const struct cell *c,
                        const struct resaved_time *t, struct diag *d) {
  char said = resaved_order_of(t);
  if (!said && r->have_prev_rt)
    said = resaved_order_of_step(&r->prev_rt, t);
  if (said && r->order && said != r->order) {
    char *msg = xasprintf(
        "this date reads only as %s, but %s (give --date-order %s if that is right "
        "for the whole file)",
        said == 'd' ? "day/month" : "month/day",
        r->order_given ? "--date-order says otherwise" : "earlier dates read only the other way",
        said == 'd' ? "dmy" : "mdy");
    cell_error(r, line, c->start, d, msg);
    free(msg);
    return -1;
  }
  if (said && !r->order) {
    if (said == 'd' && r->provisional > 0) {
      char *msg = xasprintf(
          "this date reads only as day/month, but the %zu %s before it (from line "
          "%ld, '%s') could be either and %s read as month/day: give --date-order dmy%s",
          r->provisional, r->provisional == 1 ? "row" : "rows", r->first_provisional_line,
          r->first_provisional, r->provisional == 1 ? "was" : "were",
          input_is_stdin(r->in) ? " (standard input cannot be read ahead)" : "");
      cell_error(r, line, c->start, d, msg);
      free(msg);
      return -1;
    }
    r->order = said;
  }
  if (!r->order && t->shape == RESAVED_SLASH && t->first != t->second &&
      r->provisional++ == 0) {
    r->first_provisional_line = input_line_number(r->in);
    snprintf(r->first_provisional, sizeof r->first_provisional, "%.*s",
             (int)(c->len < sizeof r->first_provisional - 1 ? c->len
                                                            : sizeof r->first_provisional - 1),
             line + c->start);
  }
  return 0;
}

/* A re-saved file's slash dates tell their order on the first row with a
 * day above 12 or at the first midnight, often well after the first rows.
 * A file (not standard input) is read ahead once, first cells only, until
 * one says; a failure to read leaves the order undecided, and the rows then
 * say it in order as they come (decide_order). */
static void look_ahead_for_order(struct pdh_reader *r) {
  struct diag d2;
  diag_init(&d2);
  struct input *in = input_reopen(r->in, &d2);
  if (!in) {
    diag_fini(&d2);
    return;
  }
  const char *line;
  size_t n;
  struct resaved_time prev, t;
  bool have_prev = false;
  int got = input_read_span(in, &line, &n, &d2); /* the header */
  while (got == 1 && (got = input_read_span(in, &line, &n, &d2)) == 1) {
    size_t pos = 0, err_off, bad;
    struct cell c;
    const char *err;
    if (n == 0 || next_cell(line, n, &pos, r->sep, &c, &err_off, &err) == CELL_ERROR ||
        resaved_time_parse(line + c.start, c.len, &t, &bad) < 0 || t.shape != RESAVED_SLASH)
      continue;
    char said = resaved_order_of(&t);
    if (!said && have_prev)
      said = resaved_order_of_step(&prev, &t);
    if (said) {
      r->order = said;
      r->order_line = input_line_number(in);
      break;
    }
    prev = t;
    have_prev = true;
  }
  input_close(in);
  diag_fini(&d2);
}

static int resaved_row_time(struct pdh_reader *r, const char *line, const struct cell *c,
                            struct pdh_row *row, struct diag *d) {
  struct resaved_time t;
  size_t bad;
  const char *s = line + c->start;
  if (resaved_time_parse(s, c->len, &t, &bad) < 0) {
    char *msg = xasprintf("bad time '%.*s' (expected MM/DD/YYYY HH:MM:SS.mmm as perfmon "
                          "writes it, or a spreadsheet's 3/5/2026 21:00:00, 05.03.2026 "
                          "21:00 or 2026-03-05 21:00:00)",
                          (int)(c->len > 40 ? 40 : c->len), s);
    cell_error(r, line, c->start + bad, d, msg);
    free(msg);
    return -1;
  }
  if (r->have_prev_rt && t.shape != r->prev_rt.shape) {
    static const char *const shapes[] = {"3/5/2026 21:00:00", "05.03.2026 21:00:00",
                                         "2026-03-05 21:00:00"};
    char *msg = xasprintf("bad time '%.*s' (expected the shape of the rows before, like %s)",
                          (int)(c->len > 40 ? 40 : c->len), s, shapes[r->prev_rt.shape]);
    cell_error(r, line, c->start, d, msg);
    free(msg);
    return -1;
  }
  if (!r->resaved && !r->order && t.shape == RESAVED_SLASH)
    look_ahead_for_order(r);
  note_resaved(r, s, c->len, &t);
  if (t.shape == RESAVED_SLASH && decide_order(r, line, c, &t, d) < 0)
    return -1;
  if (resaved_time_local(&t, r->order == 'd', &row->local) < 0) {
    char *msg = xasprintf("no such day '%.*s'%s", (int)(c->len > 40 ? 40 : c->len), s,
                          t.shape == RESAVED_SLASH
                              ? (r->order == 'd' ? " read as day/month" : " read as month/day")
                              : "");
    cell_error(r, line, c->start, d, msg);
    free(msg);
    return -1;
  }
  r->prev_rt = t;
  r->have_prev_rt = true;
  return 0;
}

static int row_time(struct pdh_reader *r, const char *line,
                    const struct cell *c, struct pdh_row *row,
                    struct diag *d) {
  size_t bad;
  const char *s = line + c->start;
  /* The first row decides whose stamps these are, and every row keeps to
   * it: a perfmon stamp (its shape, even with an impossible day) binds the
   * file to perfmon's errors; anything else is a spreadsheet's re-save. */
  if (r->time_kind == TIME_UNDECIDED) {
    r->time_kind = pdh_time_shaped(s, c->len) ? TIME_PERFMON : TIME_RESAVED;
    r->perfmon_like = pdh_shape_no_fraction(s, c->len);
  }
  if (r->time_kind == TIME_RESAVED) {
    if (resaved_row_time(r, line, c, row, d) < 0)
      return -1;
  } else if (pdh_parse_time(s, c->len, &row->local, &bad) < 0) {
    char *msg = xasprintf("bad time '%.*s' (expected MM/DD/YYYY "
                          "HH:MM:SS.mmm)",
                          (int)(c->len > 40 ? 40 : c->len), s);
    cell_error(r, line, c->start + bad, d, msg);
    free(msg);
    return -1;
  }
  row->utc = row->local + (usec_t)r->bias * USEC_PER_MIN + r->shift;
  return 0;
}

/* At the end: a file whose slash dates never said their order. */
static int check_order_known(struct pdh_reader *r, struct diag *d) {
  if (r->order || r->provisional == 0)
    return 0;
  if (r->perfmon_like) {
    /* perfmon's own order is the likelier, and such files were read so
     * before spreadsheets were told apart */
    warnings_add(r->w, "date-order-assumed", input_name(r->in), r->first_provisional_line,
                 "every date reads as month/day or day/month (the first, '%s'): read as "
                 "month/day, as perfmon writes them; give --date-order dmy if the log was "
                 "re-saved in a day-first locale",
                 r->first_provisional);
    return 0;
  }
  return diag_set(d, DIAG_USAGE, input_name(r->in), r->first_provisional_line, 1,
                  "every date of this re-saved log reads as month/day or day/month "
                  "(the first, '%s'): give --date-order mdy or dmy",
                  r->first_provisional);
}

static int row_value(struct pdh_reader *r, const char *line,
                     const struct cell *c, size_t k, struct diag *d) {
  const char *s = line + c->start;
  if (blank(s, c->len)) {
    r->values[k] = NAN;
    return 0;
  }
  size_t bad;
  char comma[64];
  if (r->sep == ';' && c->len < sizeof comma && memchr(s, ',', c->len)) {
    /* a ';' file comes from a decimal-comma locale: 1234,5 */
    memcpy(comma, s, c->len);
    comma[c->len] = '\0';
    for (size_t i = 0; i < c->len; i++)
      if (comma[i] == ',')
        comma[i] = '.';
    if (pdh_parse_number(comma, c->len, &r->values[k], &bad) == 0)
      return 0;
  }
  if (pdh_parse_number(s, c->len, &r->values[k], &bad) == 0)
    return 0;
  char *msg = xasprintf("bad number '%.*s' in column %zu (expected digits "
                        "with '.' and an optional exponent, or \" \" when "
                        "blank)",
                        (int)(c->len > 40 ? 40 : c->len), s,
                        r->counters[k].column + 1);
  cell_error(r, line, c->start + bad, d, msg);
  free(msg);
  return -1;
}

/* ---- time steps and DST changes ------------------------------------------- */

static usec_t median_step(const struct pdh_reader *r) {
  usec_t v[NSTEPS];
  size_t n = r->nsteps;
  memcpy(v, r->steps, n * sizeof *v);
  for (size_t i = 1; i < n; i++) /* insertion sort of at most NSTEPS */
    for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
      usec_t t = v[j];
      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void push_step(struct pdh_reader *r, usec_t step) {
  if (step <= 0)
    return;
  r->steps[r->step_at] = step;
  r->step_at = (r->step_at + 1) % NSTEPS;
  if (r->nsteps < NSTEPS)
    r->nsteps++;
}

static usec_t floor_to(usec_t t, usec_t q) { return t / q * q - (t % q < 0 ? q : 0); }

/* The wall-clock time of a change whose skipped or repeated hour starts in
 * (lo, hi]: the latest whole hour there, else the latest half hour. False
 * when there is none: then it is not a DST change. */
static bool change_time(usec_t lo, usec_t hi, usec_t *at) {
  usec_t h = floor_to(hi, USEC_PER_HOUR), half = floor_to(hi, 30 * USEC_PER_MIN);
  if (h > lo)
    *at = h;
  else if (half > lo)
    *at = half;
  else
    return false;
  return true;
}

static void add_change(struct pdh_reader *r, const struct pdh_row *row, usec_t at, int dir,
                       long before, long after) {
  r->changes = xreallocarray(r->changes, r->nchanges + 1, sizeof *r->changes);
  r->changes[r->nchanges++] = (struct dst_change){row->line, at, r->prev, row->local, dir,
                                                  before, after, 0};
}

/* From the data: a step of the median interval +-1 h, on the (half) hour. */
static bool detect_change(struct pdh_reader *r, struct pdh_row *row, usec_t step) {
  if (!r->detect_dst || r->nsteps == 0)
    return false;
  usec_t med = median_step(r), at;
  int dir = llabs(step - med - USEC_PER_HOUR) <= DST_SLACK   ? +1
            : llabs(step - med + USEC_PER_HOUR) <= DST_SLACK ? -1
                                                             : 0;
  if (dir == 0 || !change_time(r->prev, row->local - dir * USEC_PER_HOUR, &at))
    return false;
  long before = r->bias + (long)(r->shift / USEC_PER_MIN);
  r->shift -= dir * USEC_PER_HOUR;
  row->utc -= dir * USEC_PER_HOUR;
  add_change(r, row, at, dir, before, before - dir * 60);
  return true;
}

/* With --tz: the zone's rules, and the order of the rows for a repeated
 * time (the earliest UTC time not before the previous row's). */
static void map_tz(struct pdh_reader *r, struct pdh_row *row) {
  usec_t u[2];
  int n = tz_local_to_utc(r->tz, row->local, u);
  if (n == 0) { /* skipped by a spring forward: not written by a real clock */
    long off = tz_offset_at(r->tz, row->local - USEC_PER_DAY);
    row->utc = row->local - (usec_t)off * USEC_PER_SEC;
    if (!warnings_has(r->w, "tz-skipped")) {
      char a[TIME_UTC_BUFSZ];
      warnings_add(r->w, "tz-skipped", input_name(r->in), row->line,
                   "local time %s does not exist in %s (the clock skipped it at a DST "
                   "change); mapped with the offset before the change",
                   time_format_pdh(row->local, a), tz_name(r->tz));
    }
  } else if (n == 1) {
    row->utc = u[0];
  } else if (r->have_prev) {
    row->utc = u[0] >= r->prev_utc ? u[0] : u[1];
  } else { /* the first row: the header's bias, else the earlier */
    bool second = r->has_bias && tz_offset_at(r->tz, u[1]) == -r->header_bias * 60;
    row->utc = second ? u[1] : u[0];
  }
  long off = tz_offset_at(r->tz, row->utc);
  if (!r->have_prev) {
    if (r->has_bias && off != -r->header_bias * 60) {
      char a[TIME_UTC_BUFSZ];
      warnings_add(r->w, "tz-bias", input_name(r->in), row->line,
                   "the header's bias (%ld minutes) is not %s's at the first row (%s "
                   "local: %ld minutes); the zone's rules are used",
                   r->header_bias, tz_name(r->tz), time_format_pdh(row->local, a),
                   -off / 60);
    }
  } else if (off != r->prev_off) {
    /* the change is where the offset changes, between the two rows */
    usec_t lo = r->prev_utc, hi = row->utc;
    while (hi - lo > USEC_PER_SEC) {
      usec_t mid = lo + (hi - lo) / 2;
      if (tz_offset_at(r->tz, mid) == r->prev_off)
        lo = mid;
      else
        hi = mid;
    }
    usec_t at = floor_to(hi, USEC_PER_SEC) + (usec_t)r->prev_off * USEC_PER_SEC;
    add_change(r, row, at, off > r->prev_off ? +1 : -1, -r->prev_off / 60, -off / 60);
  }
  r->prev_off = off;
}

static void check_step(struct pdh_reader *r, struct pdh_row *row) {
  char a[TIME_UTC_BUFSZ], b[TIME_UTC_BUFSZ];
  usec_t step = r->tz ? row->utc - r->prev_utc : row->local - r->prev;
  const char *name = input_name(r->in);
  if (!r->tz && detect_change(r, row, step))
    return;
  usec_t med = r->nsteps ? median_step(r) : 0;
  if (step < 0 && !warnings_has(r->w, "time-backwards"))
    warnings_add(r->w, "time-backwards", name, row->line,
                 "time steps back from %s to %s (local; a DST change or a "
                 "reset clock?)",
                 time_format_pdh(r->prev, a), time_format_pdh(row->local, b));
  else if (step > 0 && r->nsteps > 0 &&
           llabs(step - med - USEC_PER_HOUR) <= DST_SLACK &&
           !warnings_has(r->w, "time-dst")) {
    if (r->tz)
      warnings_add(r->w, "time-dst", name, row->line,
                   "time jumps by about an hour from %s to %s (local), but %s has no "
                   "DST change then: a gap in logging",
                   time_format_pdh(r->prev, a), time_format_pdh(row->local, b),
                   tz_name(r->tz));
    else if (r->detect_dst)
      warnings_add(r->w, "time-dst", name, row->line,
                   "time jumps by about an hour from %s to %s (local), not on the hour: "
                   "taken as a gap in logging, not a DST change (--tz ZONE decides by "
                   "the zone's rules)",
                   time_format_pdh(r->prev, a), time_format_pdh(row->local, b));
    else
      warnings_add(r->w, "time-dst", name, row->line,
                   "time jumps by about an hour from %s to %s (local; a DST "
                   "change? the bias stays %ld minutes)",
                   time_format_pdh(r->prev, a), time_format_pdh(row->local, b),
                   r->bias);
  }
  push_step(r, step);
}

static void report_changes(struct pdh_reader *r) {
  if (r->reported)
    return;
  r->reported = true;
  for (size_t i = 0; i < r->nchanges; i++) {
    const struct dst_change *c = &r->changes[i];
    char at[TIME_UTC_BUFSZ], from[TIME_UTC_BUFSZ], to[TIME_UTC_BUFSZ];
    time_format_pdh(c->at_local, at);
    time_format_pdh(c->from, from);
    time_format_pdh(c->to, to);
    const char *kind = c->dir > 0 ? "spring forward" : "fall back";
    if (r->tz)
      warnings_add(r->w, "dst-corrected", input_name(r->in), c->line,
                   "DST change at %.19s local (%s, %s's rules; local time goes from %s "
                   "to %s): %zu %s after it %s mapped with bias %ld minutes instead "
                   "of %ld, so that UTC is continuous",
                   at, kind, tz_name(r->tz), from, to, c->rows, c->rows == 1 ? "row" : "rows",
                   c->rows == 1 ? "was" : "were", c->bias_after, c->bias_before);
    else
      warnings_add(r->w, "dst-corrected", input_name(r->in), c->line,
                   "DST change at %.19s local (%s: local time goes from %s to %s, an hour "
                   "%s the interval): %zu %s after it %s shifted by %s1 h (bias %ld "
                   "minutes, not %ld), so that UTC is continuous",
                   at, kind, from, to, c->dir > 0 ? "more than" : "less than", c->rows,
                   c->rows == 1 ? "row" : "rows", c->rows == 1 ? "was" : "were",
                   c->dir > 0 ? "-" : "+", c->bias_after, c->bias_before);
  }
}

/* Fewer unwanted cells than this are walked: a skip costs a 64-byte block. */
#define SKIP_MIN 4

static int cell_count_error(struct pdh_reader *r, const char *line, size_t n,
                            size_t cells, struct diag *d) {
  char *msg = xasprintf("%zu %s (expected %zu, as in the header)", cells,
                        cells == 1 ? "cell" : "cells", r->ncells);
  cell_error(r, line, n, d, msg);
  free(msg);
  return -1;
}

/* Pass over the unwanted cells from `cell` (at *pos) up to the next wanted
 * one, or over the rest of the row; *cell and *pos move when the cells
 * qualify (cellskip) and, for the rest, when their count is right. Returns
 * 1 when the row is complete, 0 to go on (skipped or not). */
static int skip_cells(const struct pdh_reader *r, const char *line, size_t n,
                      size_t *pos, size_t *cell) {
  size_t to = r->next_wanted[*cell], used;
  if (to - *cell < SKIP_MIN)
    return 0;
  if (to < r->ncells) {
    if (cellskip(line + *pos, n - *pos, r->sep, to - *cell, &used)) {
      *pos += used;
      *cell = to;
    }
    return 0;
  }
  /* A wrong count is left to the walk, for its message at its column. */
  return cellskip(line + *pos, n - *pos, r->sep, 0, &used) &&
         *cell + used == r->ncells;
}

/* A selected cell that is a quoted number exact_prefix takes whole, "123"
 * or "12.5" then a separator or the row's end (PDH's every cell but the
 * blanks): its value and the next cell's offset, without next_cell's
 * search for the quote and a second pass over the digits. What next_cell
 * and row_value would find for it, by construction (the same bytes, the
 * same conversion); anything else (a blank, a long number, an escaped
 * quote, a ';' file's decimal comma) is theirs. */
static inline bool quick_number(const char *s, size_t n, size_t *pos, char sep, double *v,
                                enum cell_result *cr) {
  size_t p = *pos;
  if (p + 2 >= n || s[p] != '"' || sep == ';')
    return false;
  size_t len = exact_prefix(s + p + 1, n - p - 1, v), q = p + 1 + len;
  if (len == 0 || q >= n || s[q] != '"' || (q + 1 < n && s[q + 1] != sep))
    return false;
  *cr = q + 1 < n ? CELL_MORE : CELL_LAST;
  *pos = q + 1 < n ? q + 2 : n;
  return true;
}

/* The time and the selected cells of a row are read; the cells between
 * them are skipped when cellskip shows the walk would find them well
 * formed, else walked (the exact walk and its errors). An unselected cell's
 * content is never parsed as a number either way. */
static int parse_row(struct pdh_reader *r, const char *line, size_t n,
                     struct pdh_row *row, struct diag *d) {
  size_t pos = 0, cell = 0, err_off;
  const char *err;
  if (r->wanted_stale || !r->next_wanted)
    build_next_wanted(r);
  for (enum cell_result cr = CELL_MORE; cr == CELL_MORE; cell++) {
    if (cell > 0 && cell < r->ncells && skip_cells(r, line, n, &pos, &cell))
      return 0;
    long k = cell < r->ncells ? r->col_counter[cell] : -1;
    if (k >= 0 && r->selected[k] && !r->walk_all &&
        quick_number(line, n, &pos, r->sep, &r->values[k], &cr))
      continue;
    struct cell c;
    cr = next_cell(line, n, &pos, r->sep, &c, &err_off, &err);
    if (cr == CELL_ERROR)
      return cell_error(r, line, err_off, d, err);
    if (cell >= r->ncells) {
      char *msg = xasprintf("too many cells (expected %zu, as in the header)",
                            r->ncells);
      cell_error(r, line, c.at, d, msg);
      free(msg);
      return -1;
    }
    if (cell == 0 ? row_time(r, line, &c, row, d) < 0
                  : k >= 0 && r->selected[k] && row_value(r, line, &c, (size_t)k, d) < 0)
      return -1;
  }
  if (cell != r->ncells)
    return cell_count_error(r, line, n, cell, d);
  return 0;
}

/* The next sample of a binary log, as a row. */
static int blg_row(struct pdh_reader *r, struct pdh_row *row, struct diag *d) {
  /* blg.c writes the selected values only; the others stay NaN */
  int got = blg_next(r->blg, &row->local, r->values, &row->line, d);
  if (got == 0)
    report_changes(r);
  if (got <= 0)
    return got;
  row->utc = row->local + (usec_t)r->bias * USEC_PER_MIN + r->shift;
  return 1;
}

static void after_row(struct pdh_reader *r, struct pdh_row *row) {
  row->values = r->values;
  if (r->tz)
    map_tz(r, row);
  if (r->have_prev)
    check_step(r, row);
  if (r->nchanges > 0)
    r->changes[r->nchanges - 1].rows++;
  r->prev = row->local;
  r->prev_utc = row->utc;
  r->have_prev = true;
}

int pdh_next_row(struct pdh_reader *r, struct pdh_row *row, struct diag *d) {
  if (r->blg) {
    int got = blg_row(r, row, d);
    if (got == 1)
      after_row(r, row);
    return got;
  }
  const char *line;
  size_t n;
  int got;
  while ((got = input_read_span(r->in, &line, &n, d)) == 1 && n == 0)
    ; /* an empty line (a trailing blank line) holds no sample */
  if (got == 0 && check_order_known(r, d) < 0)
    return -1;
  if (got == 0)
    report_changes(r);
  if (got <= 0)
    return got;
  row->line = input_line_number(r->in);
  if (parse_row(r, line, n, row, d) < 0)
    return -1;
  after_row(r, row);
  return 1;
}
