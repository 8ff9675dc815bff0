/* regfile — the .reg reader (see regfile.h).
 *
 * One pass over decoded lines: a header line, then keys, values and
 * comments. Hex data may continue over several lines with a trailing '\'.
 * The parser keeps the current line and its number so that every error
 * points at FILE:LINE:COL in the decoded text. */
#include "config.h"
#include "evidence/regfile.h"
#include "input/input.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HEADER_V5 "Windows Registry Editor Version 5.00"
#define HEADER_V4 "REGEDIT4"
#define CTRL_Z '\x1a'

static const struct hive {
  const char *full, *abbrev;
} hives[] = {
    {"HKEY_LOCAL_MACHINE", "HKLM"},  {"HKEY_CURRENT_USER", "HKCU"},
    {"HKEY_CLASSES_ROOT", "HKCR"},   {"HKEY_USERS", "HKU"},
    {"HKEY_CURRENT_CONFIG", "HKCC"}, {"HKEY_DYN_DATA", NULL},
    {"HKEY_PERFORMANCE_DATA", NULL},
};
#define N_HIVES (sizeof hives / sizeof hives[0])

/* ---- the store ----------------------------------------------------- */

struct regfile *regfile_new(const char *name) {
  struct regfile *rf = xcalloc(1, sizeof *rf);
  rf->file = xstrdup(name ? name : "");
  rf->version = 5;
  return rf;
}

static void value_fini(struct reg_value *v) {
  free(v->name);
  free(v->str);
  free(v->data);
}

static void key_clear_values(struct reg_key *k) {
  for (size_t i = 0; i < k->nvalues; i++)
    value_fini(&k->values[i]);
  k->nvalues = 0;
}

void regfile_free(struct regfile *rf) {
  if (!rf)
    return;
  for (size_t i = 0; i < rf->nkeys; i++) {
    key_clear_values(&rf->keys[i]);
    free(rf->keys[i].values);
    free(rf->keys[i].path);
  }
  free(rf->keys);
  free(rf->file);
  free(rf->encoding);
  free(rf);
}

static bool is_wow64_path(const char *path) {
  for (const char *p = path; (p = strchr(p, '\\')); p++)
    if (strncasecmp(p + 1, "WOW6432Node", 11) == 0 &&
        (p[12] == '\\' || p[12] == '\0'))
      return true;
  return false;
}

struct reg_key *regfile_add_key(struct regfile *rf, const char *path,
                                long line) {
  if (rf->nkeys == rf->cap) {
    rf->cap = rf->cap ? 2 * rf->cap : 16;
    rf->keys = xreallocarray(rf->keys, rf->cap, sizeof *rf->keys);
  }
  struct reg_key *k = &rf->keys[rf->nkeys++];
  memset(k, 0, sizeof *k);
  k->path = path ? xstrdup(path) : NULL;
  k->wow64 = path && is_wow64_path(path);
  k->line = line;
  return k;
}

struct reg_value *regkey_add_value(struct reg_key *k, const char *name,
                                   long line, long col) {
  for (size_t i = 0; i < k->nvalues; i++)
    if (strcasecmp(k->values[i].name, name) == 0) {
      /* A later line for the same name replaces the earlier one. */
      struct reg_value *v = &k->values[i];
      char *keep = v->name;
      v->name = NULL;
      value_fini(v);
      memset(v, 0, sizeof *v);
      v->name = keep;
      v->line = line;
      v->col = col;
      return v;
    }
  if (k->nvalues == k->cap) {
    k->cap = k->cap ? 2 * k->cap : 8;
    k->values = xreallocarray(k->values, k->cap, sizeof *k->values);
  }
  struct reg_value *v = &k->values[k->nvalues++];
  memset(v, 0, sizeof *v);
  v->name = xstrdup(name);
  v->line = line;
  v->col = col;
  return v;
}

/* ---- paths and lookups --------------------------------------------- */

/* Length of the hive part of path, and its full name; NULL if unknown. */
static const char *hive_of(const char *path, size_t *len) {
  size_t n = strcspn(path, "\\");
  for (size_t i = 0; i < N_HIVES; i++)
    if ((strlen(hives[i].full) == n &&
         strncasecmp(path, hives[i].full, n) == 0) ||
        (hives[i].abbrev && strlen(hives[i].abbrev) == n &&
         strncasecmp(path, hives[i].abbrev, n) == 0)) {
      *len = n;
      return hives[i].full;
    }
  return NULL;
}

char *regfile_canonical_path(const char *path, bool drop_wow64) {
  size_t hlen;
  const char *hive = hive_of(path, &hlen);
  if (!hive)
    return NULL;
  struct strbuf b;
  strbuf_init(&b);
  strbuf_adds(&b, hive);
  const char *p = path + hlen;
  while (*p == '\\') {
    const char *comp = p + 1;
    size_t n = strcspn(comp, "\\");
    bool wow = n == 11 && strncasecmp(comp, "WOW6432Node", 11) == 0;
    if (n && !(drop_wow64 && wow)) {
      strbuf_addc(&b, '\\');
      strbuf_add(&b, comp, n);
    }
    p = comp + n;
  }
  return strbuf_detach(&b);
}

static bool same_key(const char *a, const char *b, bool any_view) {
  char *ca = regfile_canonical_path(a, any_view);
  char *cb = regfile_canonical_path(b, any_view);
  bool same = ca && cb && strcasecmp(ca, cb) == 0;
  free(ca);
  free(cb);
  return same;
}

const struct reg_key *regfile_find_key(const struct regfile *rf,
                                       const char *path, bool any_view) {
  for (int pass = 0; pass < (any_view ? 2 : 1); pass++)
    for (size_t i = 0; i < rf->nkeys; i++)
      if (rf->keys[i].path && same_key(rf->keys[i].path, path, pass == 1))
        return &rf->keys[i];
  return NULL;
}

const struct reg_value *regkey_find_value(const struct reg_key *k,
                                          const char *name) {
  if (strcmp(name, "@") == 0)
    name = "";
  for (size_t i = 0; i < k->nvalues; i++)
    if (strcasecmp(k->values[i].name, name) == 0)
      return &k->values[i];
  return NULL;
}

const struct reg_value *regfile_get(const struct regfile *rf, const char *path,
                                    const char *name) {
  const struct reg_key *k = regfile_find_key(rf, path, false);
  return k ? regkey_find_value(k, name) : NULL;
}

const struct reg_value *regfile_find_anywhere(const struct regfile *rf,
                                              const char *name, size_t *pos,
                                              const struct reg_key **key) {
  for (; *pos < rf->nkeys; (*pos)++) {
    const struct reg_value *v = regkey_find_value(&rf->keys[*pos], name);
    if (v) {
      *key = &rf->keys[(*pos)++];
      return v;
    }
  }
  return NULL;
}

const char *regv_type_name(int type) {
  static const char *const names[] = {"hex(0)", "sz",     "expand_sz",
                                      "binary", "dword",  "dword_be",
                                      "link",   "multi_sz"};
  if (type == REGV_DELETED)
    return "deleted";
  if (type == REGV_QWORD)
    return "qword";
  if (type >= 0 && type < 8)
    return names[type];
  return "hex(other)";
}

/* ---- the parser ---------------------------------------------------- */

static int is_blank(char c) { return c == ' ' || c == '\t'; }

struct regparse {
  struct input *in;
  struct regfile *rf;
  struct warnings *w;
  struct diag *d;
  const char *line; /* current decoded line, Ctrl-Z and what follows cut */
  size_t len;
  long lineno;
  long key; /* index of the current key; -1 before the first */
  bool at_end; /* a Ctrl-Z was seen: the rest of the file is ignored */
  struct strbuf cut; /* copy of a line cut at Ctrl-Z */
};

static int perr(struct regparse *p, size_t off, const char *what) {
  return diag_set(p->d, DIAG_DATA, p->rf->file, p->lineno,
                  utf8_column(p->line, off), "%s", what);
}

/* Next line into p->line; 1, 0 at end (or after Ctrl-Z), -1 on error. */
static int next_line(struct regparse *p) {
  if (p->at_end)
    return 0;
  const char *line;
  size_t len;
  int rc = input_read_line(p->in, &line, &len, p->d);
  if (rc <= 0)
    return rc;
  p->lineno = input_line_number(p->in);
  /* A DOS end-of-file mark (Ctrl-Z): keep what precedes it, ignore the
   * rest of the file. */
  const char *z = memchr(line, CTRL_Z, len);
  size_t keep = z ? (size_t)(z - line) : len;
  p->at_end = z != NULL;
  while (keep && (is_blank(line[keep - 1]) || line[keep - 1] == '\r'))
    keep--;
  strbuf_reset(&p->cut);
  strbuf_add(&p->cut, line, keep);
  len = keep;
  p->line = p->cut.data;
  p->len = len;
  return 1;
}

static size_t skip_blanks(const struct regparse *p, size_t i) {
  while (i < p->len && is_blank(p->line[i]))
    i++;
  return i;
}

/* Only blanks or a ; comment from i to the end of the line? */
static bool rest_is_empty(const struct regparse *p, size_t i) {
  i = skip_blanks(p, i);
  return i == p->len || p->line[i] == ';';
}

static int read_header(struct regparse *p) {
  int rc;
  while ((rc = next_line(p)) == 1) {
    size_t i = skip_blanks(p, 0);
    if (i == p->len)
      continue;
    if (strcmp(p->line + i, HEADER_V5) == 0)
      p->rf->version = 5;
    else if (strcmp(p->line + i, HEADER_V4) == 0)
      p->rf->version = 4;
    else
      return perr(p, i, "not a registry file (expected the first line to be \""
                        HEADER_V5 "\" or \"" HEADER_V4 "\")");
    return 0;
  }
  if (rc == 0)
    return diag_set(p->d, DIAG_DATA, p->rf->file, p->lineno ? p->lineno : 1, 1,
                    "empty registry file (expected \"" HEADER_V5 "\")");
  return -1;
}

/* A previously seen key with this path, or a new one. */
static long find_or_add_key(struct regparse *p, const char *path) {
  for (size_t i = 0; i < p->rf->nkeys; i++)
    if (same_key(p->rf->keys[i].path, path, false))
      return (long)i;
  regfile_add_key(p->rf, path, p->lineno);
  return (long)p->rf->nkeys - 1;
}

/* [-PATH] deletes PATH and every key below it that the file has named. */
static void delete_key_tree(struct regparse *p, const char *path) {
  size_t n = strlen(path);
  for (size_t i = 0; i < p->rf->nkeys; i++) {
    struct reg_key *k = &p->rf->keys[i];
    char *c = regfile_canonical_path(k->path, false);
    if (c && strncasecmp(c, path, n) == 0 && (c[n] == '\0' || c[n] == '\\')) {
      k->deleted = true;
      key_clear_values(k);
    }
    free(c);
  }
}

static int parse_key(struct regparse *p, size_t i) {
  const char *close = strrchr(p->line + i, ']');
  if (!close)
    return perr(p, p->len, "key line without ']' (expected [HKEY_...\\Path])");
  if (!rest_is_empty(p, (size_t)(close - p->line) + 1))
    return perr(p, (size_t)(close - p->line) + 1,
                "text after the key's ']' (expected the end of the line)");
  size_t start = i + 1;
  bool del = p->line[start] == '-';
  if (del)
    start++;
  char *raw = xstrndup(p->line + start, (size_t)(close - p->line) - start);
  char *path = regfile_canonical_path(raw, false);
  free(raw);
  if (!path)
    return perr(p, start, "unknown registry hive (expected HKEY_LOCAL_MACHINE, "
                          "HKEY_CURRENT_USER, HKEY_CLASSES_ROOT, HKEY_USERS, "
                          "HKEY_CURRENT_CONFIG or HKLM, HKCU, HKCR, HKU, HKCC)");
  p->key = find_or_add_key(p, path);
  struct reg_key *k = &p->rf->keys[p->key];
  if (del)
    delete_key_tree(p, path);
  else
    k->deleted = false;
  free(path);
  return 0;
}

/* A quoted string at p->line[*i] ('"' there) with \\ and \" escapes, into
 * out; *i ends after the closing quote. */
static int parse_quoted(struct regparse *p, size_t *i, struct strbuf *out,
                        const char *what) {
  size_t open = *i;
  strbuf_reset(out);
  for (size_t k = open + 1; k < p->len; k++) {
    char c = p->line[k];
    if (c == '"') {
      *i = k + 1;
      return 0;
    }
    if (c == '\\' && k + 1 < p->len &&
        (p->line[k + 1] == '\\' || p->line[k + 1] == '"'))
      c = p->line[++k];
    strbuf_addc(out, c);
  }
  char *msg = xasprintf("unterminated %s (expected a closing '\"')", what);
  perr(p, open, msg);
  free(msg);
  return -1;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* A '\' that is the last non-blank character of the line at i? */
static bool is_continuation(const struct regparse *p, size_t i) {
  return p->line[i] == '\\' && skip_blanks(p, i + 1) == p->len;
}

/* One byte of 1-2 hex digits at i; *j ends after it. */
static int parse_hex_byte(struct regparse *p, size_t i, size_t *j, int *out) {
  int v = hex_digit(p->line[i]);
  if (v < 0)
    return perr(p, i, "bad hex byte (expected two hex digits such as 0a, "
                      "bytes separated by ',')");
  size_t k = i + 1;
  if (k < p->len && hex_digit(p->line[k]) >= 0)
    v = v * 16 + hex_digit(p->line[k++]);
  if (k < p->len && hex_digit(p->line[k]) >= 0)
    return perr(p, i, "hex byte with more than two digits (expected bytes "
                      "such as 0a separated by ',')");
  *j = k;
  *out = v;
  return 0;
}

/* Comma-separated hex bytes from i, following '\' continuation lines. */
static int parse_hex_bytes(struct regparse *p, size_t i, struct strbuf *out) {
  for (;;) {
    i = skip_blanks(p, i);
    if (i == p->len)
      return 0;
    if (is_continuation(p, i)) {
      int rc = next_line(p);
      if (rc == 0)
        return perr(p, i, "file ends inside a hex value (expected more bytes "
                          "after the '\\' continuation)");
      if (rc < 0)
        return -1;
      i = 0;
      continue;
    }
    size_t j = i;
    int byte = 0;
    if (parse_hex_byte(p, i, &j, &byte) < 0)
      return -1;
    strbuf_addc(out, (char)byte);
    j = skip_blanks(p, j);
    if (j < p->len && p->line[j] == ',')
      i = j + 1;
    else if (j == p->len || is_continuation(p, j))
      i = j;
    else
      return perr(p, j, "unexpected character in hex data (expected ',' "
                        "between bytes or '\\' at the end of the line)");
  }
}

/* UTF-8 for one code point. */
static void add_utf8(struct strbuf *b, unsigned long cp) {
  if (cp < 0x80) {
    strbuf_addc(b, (char)cp);
  } else if (cp < 0x800) {
    strbuf_addc(b, (char)(0xC0 | (cp >> 6)));
    strbuf_addc(b, (char)(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    strbuf_addc(b, (char)(0xE0 | (cp >> 12)));
    strbuf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
    strbuf_addc(b, (char)(0x80 | (cp & 0x3F)));
  } else {
    strbuf_addc(b, (char)(0xF0 | (cp >> 18)));
    strbuf_addc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
    strbuf_addc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
    strbuf_addc(b, (char)(0x80 | (cp & 0x3F)));
  }
}

/* Text stored in hex(1)/hex(2)/hex(7) data: UTF-16LE code units in a
 * version 5 file (the registry's own encoding, not the file's: the input
 * module has already decoded the file), single bytes in REGEDIT4 (non-ASCII
 * ones become U+FFFD: the ANSI code page is unknown). NUL separates strings
 * and becomes '\n'; trailing NULs are dropped. */
static char *decode_reg_text(const unsigned char *d, size_t n, int version) {
  struct strbuf b;
  strbuf_init(&b);
  size_t unit = version == 5 ? 2 : 1;
  for (size_t i = 0; i + unit <= n; i += unit) {
    unsigned long cp = unit == 2 ? (unsigned long)(d[i] | d[i + 1] << 8) : d[i];
    if (unit == 2 && cp >= 0xD800 && cp < 0xDC00 && i + 3 < n) {
      unsigned long lo = (unsigned long)(d[i + 2] | d[i + 3] << 8);
      if (lo >= 0xDC00 && lo < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      }
    }
    if ((cp >= 0xD800 && cp < 0xE000) || (unit == 1 && cp >= 0x80))
      cp = 0xFFFD;
    add_utf8(&b, cp ? cp : '\n');
  }
  while (b.len && b.data[b.len - 1] == '\n')
    b.data[--b.len] = '\0';
  return strbuf_detach(&b);
}

static uint64_t little_endian(const unsigned char *d, size_t n) {
  uint64_t v = 0;
  for (size_t i = n; i-- > 0;)
    v = v << 8 | d[i];
  return v;
}

/* Fill str/num from the raw bytes of a hex(N) value. */
static void interpret_hex(struct regparse *p, struct reg_value *v) {
  size_t want = v->type == REGV_QWORD ? 8 : 4;
  switch ((int)v->type) {
  case REGV_SZ: case REGV_EXPAND_SZ: case REGV_LINK: case REGV_MULTI_SZ:
    v->str = decode_reg_text(v->data, v->len, p->rf->version);
    return;
  case REGV_DWORD: case REGV_DWORD_BE: case REGV_QWORD:
    if (v->len != want) {
      if (p->w)
        warnings_add(p->w, "reg-hex-length", p->rf->file, v->line,
                   "value \"%s\" is %s with %zu bytes (expected %zu): read "
                   "as binary",
                   v->name, regv_type_name(v->type), v->len, want);
      v->type = REGV_BINARY;
      return;
    }
    v->num = little_endian(v->data, v->len);
    if (v->type == REGV_DWORD_BE)
      v->num = (uint64_t)v->data[0] << 24 | (uint64_t)v->data[1] << 16 |
               (uint64_t)v->data[2] << 8 | v->data[3];
    return;
  default:
    return;
  }
}

/* hex:, hex(N): at i ("hex" matched); reads the bytes into v. */
static int parse_hex_value(struct regparse *p, size_t i, struct reg_value *v) {
  int type = REGV_BINARY;
  if (p->line[i] == '(') {
    size_t k = i + 1;
    long code = 0;
    for (; k < p->len && hex_digit(p->line[k]) >= 0 && k < i + 9; k++)
      code = code * 16 + hex_digit(p->line[k]);
    if (k == i + 1 || k >= p->len || p->line[k] != ')')
      return perr(p, i, "bad hex type (expected hex(N) with N in hex, such as "
                        "hex(7) or hex(b))");
    type = (int)code;
    i = k + 1;
  }
  if (i >= p->len || p->line[i] != ':')
    return perr(p, i, "expected ':' after hex or hex(N)");
  struct strbuf bytes;
  strbuf_init(&bytes);
  if (parse_hex_bytes(p, i + 1, &bytes) < 0) {
    strbuf_fini(&bytes);
    return -1;
  }
  v->type = (enum regv_type)type;
  v->len = bytes.len;
  v->data = (unsigned char *)strbuf_detach(&bytes);
  interpret_hex(p, v);
  return 0;
}

static int parse_dword(struct regparse *p, size_t i, struct reg_value *v) {
  size_t k = i;
  uint64_t n = 0;
  for (; k < p->len && hex_digit(p->line[k]) >= 0; k++)
    n = n << 4 | (uint64_t)hex_digit(p->line[k]);
  if (k == i || k - i > 8 || !rest_is_empty(p, k))
    return perr(p, i, "bad dword (expected 1 to 8 hex digits, such as "
                      "dword:00000001)");
  v->type = REGV_DWORD;
  v->num = n;
  return 0;
}

/* The data after '=' at i. */
static int parse_data(struct regparse *p, size_t i, struct reg_value *v) {
  const char *s = p->line + i;
  if (*s == '-' && rest_is_empty(p, i + 1)) {
    v->type = REGV_DELETED;
    v->deleted = true;
    return 0;
  }
  if (*s == '"') {
    struct strbuf text;
    strbuf_init(&text);
    int rc = parse_quoted(p, &i, &text, "string value");
    if (rc == 0 && !rest_is_empty(p, i))
      rc = perr(p, i, "text after the string's closing '\"' (expected the "
                      "end of the line)");
    v->type = REGV_SZ;
    v->str = strbuf_detach(&text);
    return rc;
  }
  if (strncasecmp(s, "dword:", 6) == 0)
    return parse_dword(p, i + 6, v);
  if (strncasecmp(s, "hex", 3) == 0)
    return parse_hex_value(p, i + 3, v);
  return perr(p, i, "unknown value data (expected \"string\", dword:, hex:, "
                    "hex(N): or - to delete)");
}

/* "Name"=data or @=data at i. */
static int parse_value(struct regparse *p, size_t i) {
  if (p->key < 0)
    return perr(p, i, "value before any key (expected a [HKEY_...] line first)");
  size_t start = i;
  struct strbuf name;
  strbuf_init(&name);
  int rc = 0;
  if (p->line[i] == '@')
    i++;
  else
    rc = parse_quoted(p, &i, &name, "value name");
  if (rc == 0) {
    i = skip_blanks(p, i);
    if (i >= p->len || p->line[i] != '=')
      rc = perr(p, i, "expected '=' after the value name");
  }
  if (rc == 0) {
    struct reg_key *k = &p->rf->keys[p->key];
    long col = utf8_column(p->line, start);
    struct reg_value *v = regkey_add_value(k, name.data ? name.data : "", p->lineno, col);
    rc = parse_data(p, skip_blanks(p, i + 1), v);
  }
  strbuf_fini(&name);
  return rc;
}

static int parse_lines(struct regparse *p) {
  int rc;
  while ((rc = next_line(p)) == 1) {
    size_t i = skip_blanks(p, 0);
    char c = i < p->len ? p->line[i] : ';';
    if (c == ';')
      continue;
    if (c == '[')
      rc = parse_key(p, i);
    else if (c == '"' || c == '@')
      rc = parse_value(p, i);
    else
      rc = perr(p, i, "unexpected text (expected [KEY], \"Name\"=value, "
                      "@=value or a ; comment)");
    if (rc < 0)
      return -1;
  }
  return rc;
}

struct regfile *regfile_read(const char *path, struct warnings *w,
                             struct diag *d) {
  struct input *in = input_open(path, d);
  if (!in)
    return NULL;
  struct regparse p = {.in = in, .w = w, .d = d, .key = -1};
  p.rf = regfile_new(input_name(in));
  strbuf_init(&p.cut);
  /* Without a BOM, a file that is not UTF-8 is ANSI, as REGEDIT4 and
   * hand-saved version 5 files are; its first line is ASCII either way,
   * so the guess must look further. */
  input_guess_from(in, 65536);
  int rc = input_start_text(in, NULL, w, d);
  if (rc == 0) {
    free(p.rf->encoding);
    p.rf->encoding = xstrdup(input_encoding(in));
    rc = read_header(&p);
  }
  if (rc == 0)
    rc = parse_lines(&p);
  strbuf_fini(&p.cut);
  input_close(in);
  if (rc < 0) {
    regfile_free(p.rf);
    return NULL;
  }
  return p.rf;
}
