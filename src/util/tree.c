/* tree — the result tree and its JSON and YAML writers (see tree.h).
 *
 * Objects keep insertion order (reports read top-down, as DESIGN.md lists the
 * fields); lookups are linear, which is fine for trees of report size. */
#include "config.h"
#include "util/tree.h"
#include "util/diag.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

struct tree {
  enum tree_kind kind;
  union {
    bool b;
    long long i;
    double n;
    char *s;
    struct {
      struct tree **items;
      char **keys; /* objects only */
      size_t len, cap;
    } c;
  } u;
};

static struct tree *tree_new(enum tree_kind kind) {
  struct tree *t = xcalloc(1, sizeof *t);
  t->kind = kind;
  return t;
}

struct tree *tree_null(void) { return tree_new(TREE_NULL); }

struct tree *tree_interval(double lo, double hi) {
  if (isnan(lo) || isnan(hi))
    return tree_null();
  struct tree *t = tree_arr();
  tree_push(t, tree_num(lo + 0.0));
  tree_push(t, tree_num(hi + 0.0));
  return t;
}

struct tree *tree_bool(bool v) {
  struct tree *t = tree_new(TREE_BOOL);
  t->u.b = v;
  return t;
}

struct tree *tree_int(long long v) {
  struct tree *t = tree_new(TREE_INT);
  t->u.i = v;
  return t;
}

struct tree *tree_num(double v) {
  if (!isfinite(v))
    return tree_null();
  struct tree *t = tree_new(TREE_NUM);
  t->u.n = v;
  return t;
}

struct tree *tree_strn(const char *s, size_t n) {
  if (!s)
    return tree_null();
  struct tree *t = tree_new(TREE_STR);
  t->u.s = xstrndup(s, n);
  return t;
}

struct tree *tree_str(const char *s) { return s ? tree_strn(s, strlen(s)) : tree_null(); }
struct tree *tree_arr(void) { return tree_new(TREE_ARR); }
struct tree *tree_obj(void) { return tree_new(TREE_OBJ); }

void tree_free(struct tree *t) {
  if (!t)
    return;
  if (t->kind == TREE_STR)
    free(t->u.s);
  if (t->kind == TREE_ARR || t->kind == TREE_OBJ) {
    for (size_t i = 0; i < t->u.c.len; i++) {
      tree_free(t->u.c.items[i]);
      if (t->u.c.keys)
        free(t->u.c.keys[i]);
    }
    free(t->u.c.items);
    free(t->u.c.keys);
  }
  free(t);
}

static void container_add(struct tree *t, const char *key, struct tree *val) {
  if (t->u.c.len == t->u.c.cap) {
    t->u.c.cap = t->u.c.cap ? 2 * t->u.c.cap : 8;
    t->u.c.items = xreallocarray(t->u.c.items, t->u.c.cap, sizeof *t->u.c.items);
    if (t->kind == TREE_OBJ)
      t->u.c.keys = xreallocarray(t->u.c.keys, t->u.c.cap, sizeof *t->u.c.keys);
  }
  t->u.c.items[t->u.c.len] = val;
  if (t->kind == TREE_OBJ)
    t->u.c.keys[t->u.c.len] = xstrdup(key);
  t->u.c.len++;
}

struct tree *tree_set(struct tree *obj, const char *key, struct tree *val) {
  if (obj->kind != TREE_OBJ)
    abort(); /* a programming error, never input's fault */
  for (size_t i = 0; i < obj->u.c.len; i++)
    if (strcmp(obj->u.c.keys[i], key) == 0) {
      tree_free(obj->u.c.items[i]);
      obj->u.c.items[i] = val;
      return val;
    }
  container_add(obj, key, val);
  return val;
}

struct tree *tree_push(struct tree *arr, struct tree *val) {
  if (arr->kind != TREE_ARR)
    abort();
  container_add(arr, NULL, val);
  return val;
}

void tree_set_str(struct tree *obj, const char *key, const char *v) { tree_set(obj, key, tree_str(v)); }
void tree_set_int(struct tree *obj, const char *key, long long v) { tree_set(obj, key, tree_int(v)); }
void tree_set_num(struct tree *obj, const char *key, double v) { tree_set(obj, key, tree_num(v)); }
void tree_set_bool(struct tree *obj, const char *key, bool v) { tree_set(obj, key, tree_bool(v)); }
void tree_set_null(struct tree *obj, const char *key) { tree_set(obj, key, tree_null()); }

void tree_set_utc(struct tree *obj, const char *key, usec_t t, bool known) {
  char buf[TIME_UTC_BUFSZ];
  if (known)
    tree_set_str(obj, key, time_format_utc(t, buf));
  else
    tree_set_null(obj, key);
}

enum tree_kind tree_kind(const struct tree *t) { return t ? t->kind : TREE_NULL; }

size_t tree_len(const struct tree *t) {
  return t && (t->kind == TREE_ARR || t->kind == TREE_OBJ) ? t->u.c.len : 0;
}

struct tree *tree_at(const struct tree *t, size_t i) {
  return i < tree_len(t) ? t->u.c.items[i] : NULL;
}

const char *tree_key_at(const struct tree *t, size_t i) {
  return t && t->kind == TREE_OBJ && i < t->u.c.len ? t->u.c.keys[i] : NULL;
}

struct tree *tree_get(const struct tree *obj, const char *key) {
  if (!obj || obj->kind != TREE_OBJ)
    return NULL;
  for (size_t i = 0; i < obj->u.c.len; i++)
    if (strcmp(obj->u.c.keys[i], key) == 0)
      return obj->u.c.items[i];
  return NULL;
}

const char *tree_get_str(const struct tree *t) {
  return t && t->kind == TREE_STR ? t->u.s : NULL;
}

double tree_get_num(const struct tree *t) {
  if (t && t->kind == TREE_NUM)
    return t->u.n;
  if (t && t->kind == TREE_INT)
    return (double)t->u.i;
  return NAN;
}

bool tree_get_bool(const struct tree *t) { return t && t->kind == TREE_BOOL && t->u.b; }

void tree_format_num(double v, char *buf, size_t cap) {
  if (!isfinite(v)) {
    snprintf(buf, cap, "null");
    return;
  }
  if (v == floor(v) && fabs(v) < 9007199254740992.0) {
    if (cap >= 18 && (v != 0 || !signbit(v))) { /* "%.0f" without printf (a counter's
                                                 * every value in inspect's CSV) */
      char digits[17];
      uint64_t u = (uint64_t)fabs(v);
      int k = 0;
      do
        digits[k++] = (char)('0' + u % 10);
      while (u /= 10);
      char *p = buf;
      if (v < 0)
        *p++ = '-';
      while (k > 0)
        *p++ = digits[--k];
      *p = '\0';
      return;
    }
    snprintf(buf, cap, "%.0f", v);
    return;
  }
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, cap, "%.*g", prec, v);
    if (strtod(buf, NULL) == v)
      return;
  }
}

/* ---- JSON ------------------------------------------------------------- */

static void json_string(const char *s, FILE *f) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"': fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\n': fputs("\\n", f); break;
    case '\r': fputs("\\r", f); break;
    case '\t': fputs("\\t", f); break;
    default:
      if (*p < 0x20 || *p == 0x7f)
        fprintf(f, "\\u%04x", *p);
      else
        fputc(*p, f);
    }
  }
  fputc('"', f);
}

static void json_indent(int depth, FILE *f) {
  fputc('\n', f);
  for (int i = 0; i < depth; i++)
    fputs("  ", f);
}

static void json_value(const struct tree *t, int depth, FILE *f) {
  char num[40];
  switch (tree_kind(t)) {
  case TREE_NULL: fputs("null", f); return;
  case TREE_BOOL: fputs(t->u.b ? "true" : "false", f); return;
  case TREE_INT: fprintf(f, "%lld", t->u.i); return;
  case TREE_NUM: tree_format_num(t->u.n, num, sizeof num); fputs(num, f); return;
  case TREE_STR: json_string(t->u.s, f); return;
  case TREE_ARR:
  case TREE_OBJ: break;
  }
  bool obj = t->kind == TREE_OBJ;
  if (t->u.c.len == 0) {
    fputs(obj ? "{}" : "[]", f);
    return;
  }
  fputc(obj ? '{' : '[', f);
  for (size_t i = 0; i < t->u.c.len; i++) {
    if (i)
      fputc(',', f);
    json_indent(depth + 1, f);
    if (obj) {
      json_string(t->u.c.keys[i], f);
      fputs(": ", f);
    }
    json_value(t->u.c.items[i], depth + 1, f);
  }
  json_indent(depth, f);
  fputc(obj ? '}' : ']', f);
}

int tree_write_json(const struct tree *t, FILE *f) {
  json_value(t, 0, f);
  fputc('\n', f);
  return ferror(f) ? -1 : 0;
}

/* ---- YAML ------------------------------------------------------------- */

/* A string can go out unquoted only when no YAML 1.1 reader could take it
 * for anything else: it starts with a letter, holds only letters, digits and
 * a few punctuation marks, and is not one of the 1.1 booleans or null. */
static bool yaml_plain_safe(const char *s) {
  static const char *const reserved[] = {"y", "n", "yes", "no", "on", "off", "true",
                                         "false", "null", "nan", "inf", NULL};
  if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
    return false;
  size_t n = strlen(s);
  if (s[n - 1] == ' ')
    return false;
  for (const char *p = s; *p; p++) {
    bool ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9') || strchr("_.-/ ", *p);
    if (!ok || (p[0] == ' ' && p[1] == ' '))
      return false;
  }
  for (int i = 0; reserved[i]; i++)
    if (strcasecmp(s, reserved[i]) == 0)
      return false;
  return true;
}

static int yaml_write_handler(void *data, unsigned char *buffer, size_t size) {
  return fwrite(buffer, 1, size, (FILE *)data) == size;
}

static int yaml_scalar(yaml_emitter_t *em, const char *text, bool quote) {
  yaml_event_t ev;
  yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text),
                               1, 1,
                               quote ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE);
  return yaml_emitter_emit(em, &ev);
}

static int yaml_value(yaml_emitter_t *em, const struct tree *t) {
  char num[40];
  yaml_event_t ev;
  switch (tree_kind(t)) {
  case TREE_NULL: return yaml_scalar(em, "null", false);
  case TREE_BOOL: return yaml_scalar(em, t->u.b ? "true" : "false", false);
  case TREE_INT: snprintf(num, sizeof num, "%lld", t->u.i); return yaml_scalar(em, num, false);
  case TREE_NUM: tree_format_num(t->u.n, num, sizeof num); return yaml_scalar(em, num, false);
  case TREE_STR: return yaml_scalar(em, t->u.s, !yaml_plain_safe(t->u.s));
  case TREE_ARR:
  case TREE_OBJ: break;
  }
  bool obj = t->kind == TREE_OBJ;
  if (obj)
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
  else
    yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
  if (!yaml_emitter_emit(em, &ev))
    return 0;
  for (size_t i = 0; i < t->u.c.len; i++) {
    if (obj && !yaml_scalar(em, t->u.c.keys[i], !yaml_plain_safe(t->u.c.keys[i])))
      return 0;
    if (!yaml_value(em, t->u.c.items[i]))
      return 0;
  }
  if (obj)
    yaml_mapping_end_event_initialize(&ev);
  else
    yaml_sequence_end_event_initialize(&ev);
  return yaml_emitter_emit(em, &ev);
}

int tree_write_yaml(const struct tree *t, FILE *f) {
  yaml_emitter_t em;
  yaml_event_t ev;
  if (!yaml_emitter_initialize(&em))
    return -1;
  yaml_emitter_set_output(&em, yaml_write_handler, f);
  yaml_emitter_set_unicode(&em, 1);
  yaml_emitter_set_width(&em, -1);
  int ok = 1;
  yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
  ok = ok && yaml_emitter_emit(&em, &ev);
  yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
  ok = ok && yaml_emitter_emit(&em, &ev);
  ok = ok && yaml_value(&em, t);
  yaml_document_end_event_initialize(&ev, 1);
  ok = ok && yaml_emitter_emit(&em, &ev);
  yaml_stream_end_event_initialize(&ev);
  ok = ok && yaml_emitter_emit(&em, &ev);
  ok = ok && yaml_emitter_flush(&em);
  yaml_emitter_delete(&em);
  return ok && !ferror(f) ? 0 : -1;
}

struct tree *tree_of_warnings(const struct warnings *w, bool with_codes) {
  struct tree *arr = tree_arr();
  for (size_t i = 0; i < w->count; i++) {
    const struct warning *it = &w->items[i];
    if (!with_codes) {
      tree_push(arr, tree_str(it->message));
      continue;
    }
    struct tree *o = tree_push(arr, tree_obj());
    tree_set_str(o, "code", it->code);
    tree_set_str(o, "message", it->message);
    tree_set_str(o, "file", it->file);
    tree_set(o, "line", it->line > 0 ? tree_int(it->line) : tree_null());
  }
  return arr;
}
