/* trace_layout — load formats/trace/NAME.yaml into struct trace_layout (see
 * trace_layout.h). Read through yamldoc: layouts are a few dozen lines, and
 * every node carries a mark, so an unknown key or a bad value is reported at
 * its FILE:LINE:COL. */
#include "config.h"

#include "trace/trace_layout.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/yamldoc.h"
#include "util/datadir.h"
#include "util/xalloc.h"


static const char *const role_keys[ROLE_COUNT] = {
    "time", "date", "kind", "pid", "process", "module", "resolved", "version",
    "elapsed"};

struct parse {
  struct ydoc y;
  struct diag *d;
};

static int bad(struct parse *p, const yaml_node_t *n, const char *what) {
  return ydoc_error(&p->y, n, p->d, "%s", what);
}

static int get_string(struct parse *p, yaml_node_t *n, char **out) {
  const char *s = ydoc_text(n);
  if (!s)
    return bad(p, n, "expected a string");
  free(*out);
  *out = xstrdup(s);
  return 0;
}

static int get_bool(struct parse *p, yaml_node_t *n, bool *out) {
  const char *s = ydoc_text(n);
  if (s && (!strcmp(s, "true") || !strcmp(s, "yes")))
    *out = true;
  else if (s && (!strcmp(s, "false") || !strcmp(s, "no")))
    *out = false;
  else
    return bad(p, n, "expected true or false");
  return 0;
}

static int get_long(struct parse *p, yaml_node_t *n, long *out) {
  const char *s = ydoc_text(n);
  char *end;
  if (!s || !*s)
    return bad(p, n, "expected an integer");
  errno = 0;
  long v = strtol(s, &end, 10);
  if (*end || errno)
    return bad(p, n, "expected an integer");
  *out = v;
  return 0;
}

static void names_add(struct layout_names *l, const char *s) {
  l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
  l->v[l->n++] = xstrdup(s);
}

static void names_free(struct layout_names *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
  l->v = NULL;
  l->n = 0;
}

/* A string or a list of strings. */
static int get_names(struct parse *p, yaml_node_t *n, struct layout_names *l) {
  names_free(l);
  if (n->type == YAML_SCALAR_NODE) {
    names_add(l, ydoc_text(n));
    return 0;
  }
  if (n->type != YAML_SEQUENCE_NODE)
    return bad(p, n, "expected a string or a list of strings");
  for (size_t i = 0; i < ydoc_len(n); i++) {
    yaml_node_t *e = ydoc_item(&p->y, n, i);
    if (!ydoc_text(e))
      return bad(p, e, "expected a string");
    names_add(l, ydoc_text(e));
  }
  return 0;
}

typedef int (*pair_fn)(struct parse *p, struct trace_layout *l,
                       yaml_node_t *key, yaml_node_t *val);

struct pair_walk {
  struct parse *p;
  struct trace_layout *l;
  pair_fn fn;
};

/* Every key is text before the pair's own function sees it. */
static int text_key_pair(void *ctx, yaml_node_t *k, yaml_node_t *v) {
  struct pair_walk *w = ctx;
  if (!ydoc_text(k))
    return bad(w->p, k, "expected a key");
  return w->fn(w->p, w->l, k, v) < 0 ? -1 : 0;
}

static int each_pair(struct parse *p, struct trace_layout *l, yaml_node_t *n,
                     pair_fn fn) {
  if (n->type != YAML_MAPPING_NODE)
    return bad(p, n, "expected a mapping");
  struct pair_walk w = {.p = p, .l = l, .fn = fn};
  return ydoc_each_pair(&p->y, n, text_key_pair, &w);
}

static int unknown_key(struct parse *p, yaml_node_t *k, const char *known) {
  char *msg = xasprintf("unknown key '%s' (expected one of: %s)", ydoc_text(k),
                        known);
  bad(p, k, msg);
  free(msg);
  return -1;
}

static int column_pair(struct parse *p, struct trace_layout *l,
                       yaml_node_t *k, yaml_node_t *v) {
  for (int r = 0; r < ROLE_COUNT; r++)
    if (!strcmp(ydoc_text(k), role_keys[r]))
      return get_names(p, v, &l->role[r]);
  return unknown_key(p, k, "time, date, kind, pid, process, module, "
                           "resolved, version, elapsed");
}

static int kind_pair(struct parse *p, struct trace_layout *l, yaml_node_t *k,
                     yaml_node_t *v) {
  const char *s = ydoc_text(k);
  if (!strcmp(s, "load"))
    return get_names(p, v, &l->kind_load);
  if (!strcmp(s, "unload"))
    return get_names(p, v, &l->kind_unload);
  if (!strcmp(s, "rundown"))
    return get_names(p, v, &l->kind_rundown);
  return unknown_key(p, k, "load, unload, rundown");
}

static int where_pair(struct parse *p, struct trace_layout *l, yaml_node_t *k,
                      yaml_node_t *v) {
  if (l->where_column.n)
    return bad(p, k, "only one column can be tested in 'where'");
  names_add(&l->where_column, ydoc_text(k));
  return get_names(p, v, &l->where_values);
}

static int tail_pair(struct parse *p, struct trace_layout *l, yaml_node_t *k,
                     yaml_node_t *v) {
  const char *s = ydoc_text(k);
  if (!strcmp(s, "column"))
    return get_string(p, v, &l->tail_column);
  if (!strcmp(s, "pid"))
    return get_long(p, v, &l->tail_pid);
  if (!strcmp(s, "module"))
    return get_long(p, v, &l->tail_module);
  return unknown_key(p, k, "column, pid, module");
}

static int get_time(struct parse *p, yaml_node_t *v, enum layout_time *t) {
  static const char *const names[] = {"iso8601", "filetime", "time-of-day",
                                      "epoch-seconds"};
  const char *s = ydoc_text(v);
  for (int i = 0; s && i < 4; i++)
    if (!strcmp(s, names[i])) {
      *t = (enum layout_time)i;
      return 0;
    }
  return bad(p, v,
             "unknown time style (expected iso8601, filetime, time-of-day or "
             "epoch-seconds)");
}

static int get_separator(struct parse *p, yaml_node_t *v, char *sep) {
  const char *s = ydoc_text(v);
  if (s && (!strcmp(s, "\t") || !strcmp(s, "tab")))
    *sep = '\t';
  else if (s && strlen(s) == 1 && *s != '"')
    *sep = *s;
  else
    return bad(p, v, "expected one separator character (or \"tab\")");
  return 0;
}

static int top_pair(struct parse *p, struct trace_layout *l, yaml_node_t *k,
                    yaml_node_t *v) {
  const char *s = ydoc_text(k);
  if (!strcmp(s, "name"))
    return get_string(p, v, &l->name);
  if (!strcmp(s, "summary"))
    return get_string(p, v, &l->summary);
  if (!strcmp(s, "loads_only"))
    return get_bool(p, v, &l->loads_only);
  if (!strcmp(s, "separator"))
    return get_separator(p, v, &l->separator);
  if (!strcmp(s, "strip_inner_quotes"))
    return get_bool(p, v, &l->strip_inner_quotes);
  if (!strcmp(s, "detect"))
    return get_names(p, v, &l->detect);
  if (!strcmp(s, "columns"))
    return each_pair(p, l, v, column_pair);
  if (!strcmp(s, "kinds"))
    return each_pair(p, l, v, kind_pair);
  if (!strcmp(s, "kind"))
    return get_string(p, v, &l->const_kind);
  if (!strcmp(s, "strict_kinds"))
    return get_bool(p, v, &l->strict_kinds);
  if (!strcmp(s, "named_cycles"))
    return get_bool(p, v, &l->named_cycles);
  if (!strcmp(s, "where"))
    return each_pair(p, l, v, where_pair);
  if (!strcmp(s, "tail"))
    return each_pair(p, l, v, tail_pair);
  if (!strcmp(s, "time"))
    return get_time(p, v, &l->time);
  if (!strcmp(s, "local_time"))
    return get_bool(p, v, &l->time_local);
  return unknown_key(p, k, "name, summary, loads_only, separator, "
                           "strip_inner_quotes, detect, columns, kinds, kind, strict_kinds, "
                           "named_cycles, where, tail, time, local_time");
}

/* What a layout needs to be readable; reported at the top of the file. */
static const char *missing(const struct trace_layout *l) {
  if (!l->name)
    return "layout has no 'name'";
  if (!l->detect.n)
    return "layout has no 'detect' header names";
  if (!l->role[ROLE_TIME].n)
    return "layout has no 'columns: time'";
  if (!l->role[ROLE_MODULE].n && !l->tail_module)
    return "layout has no 'columns: module' (nor 'tail: module')";
  if (!l->role[ROLE_KIND].n && !l->const_kind)
    return "layout has neither 'columns: kind' nor a constant 'kind'";
  if ((l->tail_pid || l->tail_module) && !l->tail_column)
    return "layout's 'tail' has no 'column'";
  if (l->const_kind && strcmp(l->const_kind, "load") &&
      strcmp(l->const_kind, "unload"))
    return "layout's 'kind' must be load or unload";
  return NULL;
}

static int parse_doc(struct parse *p, struct trace_layout *l) {
  if (each_pair(p, l, ydoc_root(&p->y), top_pair) < 0)
    return -1;
  const char *why = missing(l);
  return why ? diag_set(p->d, DIAG_DATA, p->y.file, 1, 1, "%s", why) : 0;
}

int trace_layout_parse_file(const char *path, struct trace_layout **out,
                            struct diag *d) {
  /* The words layouts always used for what is not a layout at all. */
  static const struct ydoc_how how = {
      .bare_syntax = true,
      .syntax_expected = "YAML",
      .empty = "empty layout (expected a mapping with name, detect, columns)"};
  struct parse p = {.d = d};
  if (ydoc_load_how(&p.y, path, &how, d) < 0) {
    ydoc_fini(&p.y);
    return -1;
  }
  struct trace_layout *l = xcalloc(1, sizeof *l);
  l->separator = ',';
  l->file = xstrdup(path);
  int rc = parse_doc(&p, l);
  ydoc_fini(&p.y);
  if (rc < 0) {
    trace_layouts_free(l);
    return -1;
  }
  *out = l;
  return 0;
}

void trace_layouts_free(struct trace_layout *l) {
  while (l) {
    struct trace_layout *next = l->next;
    free(l->name);
    free(l->summary);
    free(l->file);
    free(l->const_kind);
    free(l->tail_column);
    names_free(&l->detect);
    for (int r = 0; r < ROLE_COUNT; r++)
      names_free(&l->role[r]);
    names_free(&l->where_column);
    names_free(&l->where_values);
    names_free(&l->kind_load);
    names_free(&l->kind_unload);
    names_free(&l->kind_rundown);
    free(l);
    l = next;
  }
}

bool layout_names_has(const struct layout_names *names, const char *s) {
  for (size_t i = 0; i < names->n; i++)
    if (strcasecmp(names->v[i], s) == 0)
      return true;
  return false;
}

/* One file for datadir_load. */
static int parse_item(const char *path, void **item, const char **name,
                      struct diag *d) {
  struct trace_layout *l;
  if (trace_layout_parse_file(path, &l, d) < 0)
    return -1;
  *item = l;
  *name = l->name;
  return 0;
}

static void free_item(void *item) { trace_layouts_free(item); }

int trace_layouts_load(const char *formats_dir, struct trace_layout **out,
                       struct diag *d) {
  static const struct datadir_kind kind = {"trace", parse_item, free_item};
  void **items;
  size_t n;
  *out = NULL;
  if (datadir_load(formats_dir, &kind, &items, &n, d) < 0)
    return -1;
  for (size_t i = n; i-- > 0;) { /* linked in the order found */
    struct trace_layout *l = items[i];
    l->next = *out;
    *out = l;
  }
  free(items);
  return 0;
}
