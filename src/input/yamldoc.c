/* yamldoc — strict reading of small YAML documents (see yamldoc.h). */
#include "config.h"
#include "input/yamldoc.h"
#include "util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The files read here are a few kilobytes written by people: a bigger one
 * or a deeper one is not what it claims to be, and libyaml's loader would
 * spend seconds (or its stack) on it before saying so. */
#define YDOC_MAX_BYTES (4u << 20)
#define YDOC_MAX_DEPTH 64

/* The parser's problem at its mark, worded as `how` says. */
static int syntax_error(const yaml_parser_t *ps, const char *path,
                        const struct ydoc_how *how, struct diag *d) {
  const char *problem = ps->problem ? ps->problem : "syntax error";
  bool context = !how->bare_syntax && ps->context;
  const char *exp = how->syntax_expected;
  return diag_set(d, DIAG_DATA, path, (long)ps->problem_mark.line + 1,
                  (long)ps->problem_mark.column + 1, "%s%s%s%s%s%s%s",
                  how->bare_syntax ? "" : "YAML: ", problem,
                  context ? " " : "", context ? ps->context : "",
                  exp ? " (expected " : "", exp ? exp : "", exp ? ")" : "");
}

/* A file is one document: a second one after "---" would otherwise be
 * silently ignored, and what it says lost. */
static int no_second_document(yaml_parser_t *parser, const char *path,
                              const struct ydoc_how *how, struct diag *d) {
  yaml_document_t next;
  if (!yaml_parser_load(parser, &next))
    return syntax_error(parser, path, how, d);
  int rc = 0;
  yaml_node_t *root = yaml_document_get_root_node(&next);
  if (root)
    rc = diag_set(d, DIAG_DATA, path, (long)root->start_mark.line + 1,
                  (long)root->start_mark.column + 1,
                  "a second YAML document (expected one document per file)");
  yaml_document_delete(&next);
  return rc;
}

/* The whole file ("-": standard input), at most YDOC_MAX_BYTES. */
static int read_whole(const char *path, const char *name, char **out, size_t *len,
                      struct diag *d) {
  bool in = strcmp(path, "-") == 0;
  FILE *f = in ? stdin : fopen(path, "rb");
  if (!f)
    return diag_set(d, DIAG_NOINPUT, name, 0, 0, "cannot open: %s", strerror(errno));
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    if (!in)
      fclose(f);
    return diag_set(d, DIAG_NOINPUT, name, 0, 0, DIAG_IS_FOLDER);
  }
  size_t cap = 8192, n = 0;
  char *buf = xmalloc(cap);
  int rc = 0;
  for (;;) {
    if (n == cap)
      buf = xrealloc(buf, cap *= 2);
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n > YDOC_MAX_BYTES) {
      rc = diag_set(d, DIAG_DATA, name, 0, 0,
                    "larger than %u MiB (expected a YAML file of a few kilobytes)",
                    YDOC_MAX_BYTES >> 20);
      break;
    }
    if (got == 0) {
      if (ferror(f))
        rc = diag_set(d, DIAG_NOINPUT, name, 0, 0, "cannot read: %s", strerror(errno));
      break;
    }
  }
  if (!in)
    fclose(f);
  if (rc != 0) {
    free(buf);
    return rc;
  }
  *out = buf;
  *len = n;
  return 0;
}

/* One pass of libyaml's event parser, stopping at the first collection
 * nested deeper than YDOC_MAX_DEPTH: it costs microseconds on a real file,
 * and keeps 300,000 '[' from reaching the document loader. */
static int check_depth(const char *buf, size_t len, const char *name,
                       const struct ydoc_how *how, struct diag *d) {
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
  int depth = 0, rc = 0;
  for (bool done = false; !done && rc == 0;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&p, &ev)) {
      rc = syntax_error(&p, name, how, d);
      break;
    }
    switch (ev.type) {
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      if (++depth > YDOC_MAX_DEPTH)
        rc = diag_set(d, DIAG_DATA, name, (long)ev.start_mark.line + 1,
                      (long)ev.start_mark.column + 1,
                      "nested deeper than %d levels (expected a shallow document)",
                      YDOC_MAX_DEPTH);
      break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: depth--; break;
    case YAML_STREAM_END_EVENT: done = true; break;
    default: break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&p);
  return rc;
}

int ydoc_load_how(struct ydoc *y, const char *path, const struct ydoc_how *how,
                  struct diag *d) {
  memset(y, 0, sizeof *y);
  const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
  y->file = xstrdup(name);
  char *buf = NULL;
  size_t len = 0;
  if (read_whole(path, name, &buf, &len, d) != 0)
    return -1;
  int rc = check_depth(buf, len, name, how, d);
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
  if (rc != 0) {
    /* said above */
  } else if (!yaml_parser_load(&parser, &y->doc)) {
    rc = syntax_error(&parser, name, how, d);
  } else {
    y->loaded = true;
    if (how->empty && !yaml_document_get_root_node(&y->doc))
      rc = diag_set(d, DIAG_DATA, name, 1, 1, "%s", how->empty);
    else
      rc = no_second_document(&parser, name, how, d);
  }
  yaml_parser_delete(&parser);
  free(buf);
  return rc;
}

int ydoc_load(struct ydoc *y, const char *path, struct diag *d) {
  static const struct ydoc_how how = {
      .empty = "empty file (expected a mapping)"};
  return ydoc_load_how(y, path, &how, d);
}

void ydoc_fini(struct ydoc *y) {
  if (y->loaded)
    yaml_document_delete(&y->doc);
  free(y->file);
  memset(y, 0, sizeof *y);
}

yaml_node_t *ydoc_root(struct ydoc *y) {
  return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

int ydoc_error(struct ydoc *y, const yaml_node_t *n, struct diag *d,
               const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  long line = n ? (long)n->start_mark.line + 1 : 0;
  long col = n ? (long)n->start_mark.column + 1 : 0;
  diag_set(d, DIAG_DATA, y->file, line, col, "%s", msg);
  free(msg);
  return -1;
}

int ydoc_want_map(struct ydoc *y, yaml_node_t *n, const char *what,
                  struct diag *d) {
  if (n && n->type == YAML_MAPPING_NODE)
    return 0;
  return ydoc_error(y, n, d, "%s is not a mapping (expected key: value lines)",
                    what);
}

int ydoc_want_seq(struct ydoc *y, yaml_node_t *n, const char *what,
                  struct diag *d) {
  if (n && n->type == YAML_SEQUENCE_NODE)
    return 0;
  return ydoc_error(y, n, d, "%s is not a list (expected \"- item\" lines)",
                    what);
}

size_t ydoc_len(const yaml_node_t *n) {
  if (n->type == YAML_MAPPING_NODE)
    return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
  if (n->type == YAML_SEQUENCE_NODE)
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
  return 0;
}

yaml_node_t *ydoc_key_at(struct ydoc *y, yaml_node_t *map, size_t i) {
  return yaml_document_get_node(&y->doc, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *ydoc_value_at(struct ydoc *y, yaml_node_t *map, size_t i) {
  return yaml_document_get_node(&y->doc,
                                map->data.mapping.pairs.start[i].value);
}

yaml_node_t *ydoc_item(struct ydoc *y, yaml_node_t *seq, size_t i) {
  return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

int ydoc_each_pair(struct ydoc *y, yaml_node_t *map, ydoc_pair_fn fn,
                   void *ctx) {
  size_t n = ydoc_len(map);
  for (size_t i = 0; i < n; i++) {
    int rc = fn(ctx, ydoc_key_at(y, map, i), ydoc_value_at(y, map, i));
    if (rc < 0)
      return rc;
  }
  return 0;
}

const char *ydoc_text(const yaml_node_t *n) {
  return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                          : NULL;
}

bool ydoc_is_plain(const yaml_node_t *n) {
  return n && n->type == YAML_SCALAR_NODE &&
         n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

bool ydoc_is_null(const yaml_node_t *n) {
  const char *s = ydoc_text(n);
  return ydoc_is_plain(n) && (!*s || !strcmp(s, "~") || !strcmp(s, "null") ||
                              !strcmp(s, "Null") || !strcmp(s, "NULL"));
}

static bool in_list(const char *s, const char *const list[]) {
  for (size_t i = 0; list[i]; i++)
    if (strcmp(s, list[i]) == 0)
      return true;
  return false;
}

static char *join_list(const char *const list[]) {
  struct strbuf b;
  strbuf_init(&b);
  for (size_t i = 0; list[i]; i++)
    strbuf_addf(&b, "%s%s", i ? ", " : "", list[i]);
  return strbuf_detach(&b);
}

int ydoc_check_keys(struct ydoc *y, yaml_node_t *map,
                    const char *const allowed[], const char *what,
                    struct diag *d) {
  size_t n = ydoc_len(map);
  for (size_t i = 0; i < n; i++) {
    yaml_node_t *k = ydoc_key_at(y, map, i);
    const char *s = ydoc_text(k);
    if (!s)
      return ydoc_error(y, k, d, "a key in %s is not text", what);
    if (!in_list(s, allowed)) {
      char *list = join_list(allowed);
      ydoc_error(y, k, d, "unknown key '%s' in %s (expected one of: %s)", s,
                 what, list);
      free(list);
      return -1;
    }
    for (size_t j = 0; j < i; j++)
      if (strcmp(ydoc_text(ydoc_key_at(y, map, j)), s) == 0)
        return ydoc_error(y, k, d, "key '%s' given twice in %s", s, what);
  }
  return 0;
}

yaml_node_t *ydoc_get(struct ydoc *y, yaml_node_t *map, const char *key) {
  size_t n = ydoc_len(map);
  for (size_t i = 0; i < n; i++) {
    const char *s = ydoc_text(ydoc_key_at(y, map, i));
    if (s && strcmp(s, key) == 0)
      return ydoc_value_at(y, map, i);
  }
  return NULL;
}

int ydoc_string(struct ydoc *y, yaml_node_t *n, const char *what,
                const char **out, struct diag *d) {
  const char *s = ydoc_text(n);
  if (!s || ydoc_is_null(n))
    return ydoc_error(y, n, d, "%s is not a text value (expected a string)",
                      what);
  *out = s;
  return 0;
}

bool ydoc_parse_unsigned(const char *s, unsigned long long max,
                         unsigned long long *out) {
  int base = 10;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
    base = 16;
    s += 2;
  }
  if (!*s || *s == '-' || *s == '+' || *s == ' ')
    return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, base);
  if (errno || *end || v > max)
    return false;
  *out = v;
  return true;
}

int ydoc_long(struct ydoc *y, yaml_node_t *n, const char *what, long *out,
              struct diag *d) {
  const char *s = ydoc_text(n);
  unsigned long long v;
  bool neg = s && s[0] == '-';
  if (!s || !ydoc_is_plain(n) ||
      !ydoc_parse_unsigned(s + (neg || (s && s[0] == '+')),
                           neg ? (unsigned long long)LONG_MAX + 1 : LONG_MAX,
                           &v))
    return ydoc_error(y, n, d, "%s is not an integer (expected digits, such "
                               "as 60 or -300)", what);
  *out = neg ? (long)(0 - v) : (long)v;
  return 0;
}

int ydoc_double(struct ydoc *y, yaml_node_t *n, const char *what,
                double *out, struct diag *d) {
  const char *s = ydoc_text(n);
  bool good = s && ydoc_is_plain(n) && *s &&
              strspn(s, "0123456789.eE+-") == strlen(s) &&
              strpbrk(s, "0123456789");
  char *end = NULL;
  double v = good ? strtod(s, &end) : 0;
  if (!good || *end || !isfinite(v))
    return ydoc_error(y, n, d, "%s is not a number (expected decimal digits, "
                               "such as 64 or 2.5)", what);
  *out = v;
  return 0;
}

int ydoc_bool(struct ydoc *y, yaml_node_t *n, const char *what, bool *out,
              struct diag *d) {
  const char *s = ydoc_text(n);
  if (ydoc_is_plain(n) && (!strcmp(s, "true") || !strcmp(s, "True") ||
                           !strcmp(s, "TRUE"))) {
    *out = true;
    return 0;
  }
  if (ydoc_is_plain(n) && (!strcmp(s, "false") || !strcmp(s, "False") ||
                           !strcmp(s, "FALSE"))) {
    *out = false;
    return 0;
  }
  return ydoc_error(y, n, d, "%s is not true or false", what);
}
