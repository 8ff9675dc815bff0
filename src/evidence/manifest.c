/* manifest — loading the compare manifest (see manifest.h). */
#include "config.h"
#include "evidence/manifest.h"
#include "analyze/analyze.h"
#include "analyze/option_table.h"
#include "util/datadir.h"
#include "util/samefile.h"
#include "util/timeutil.h"
#include "evidence/version.h"
#include "util/xalloc.h"
#include "input/yamldoc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The option keys are the rows of analyze_opt_table with a manifest key;
 * the keys a mapping may hold are these after the manifest's own. */
static const char *const top_own_keys[] = {"rules", "baseline", "runs", NULL};
static const char *const run_own_keys[] = {"name", "counters", "events",
                                           "module_version", "registry",
                                           "registry_values", NULL};

/* own keys, then every option key; NULL-terminated, for ydoc_check_keys. */
static void fill_keys(const char **keys, const char *const *own) {
  size_t n = 0;
  while (*own)
    keys[n++] = *own++;
  for (int o = 0; o < AOPT_COUNT; o++)
    if (analyze_opt_table[o].key)
      keys[n++] = analyze_opt_table[o].key;
  keys[n] = NULL;
}

struct loader {
  struct ydoc y;
  struct manifest *m;
  char *dir; /* the manifest's folder, "" for the current one */
  struct manifest_value defaults[AOPT_COUNT];
  struct diag *d;
};

static void value_fini(struct manifest_value *v) {
  free(v->text);
  v->text = NULL;
}

static void run_fini(struct manifest_run *r) {
  free(r->name);
  for (size_t i = 0; i < r->ncounters; i++)
    free(r->counters[i]);
  for (size_t i = 0; i < r->nevents; i++)
    free(r->events[i]);
  free(r->counters);
  free(r->events);
  free(r->module_version);
  free(r->registry);
  regfile_free(r->registry_values);
  for (int o = 0; o < AOPT_COUNT; o++)
    value_fini(&r->opt[o]);
}

void manifest_free(struct manifest *m) {
  if (!m)
    return;
  for (size_t i = 0; i < m->nruns; i++)
    run_fini(&m->runs[i]);
  free(m->runs);
  free(m->file);
  for (size_t i = 0; i < m->nrules; i++)
    free(m->rules[i]);
  free(m->rules);
  free(m);
}

static char *resolve(const struct loader *L, const char *path) {
  if (path[0] == '/' || !L->dir[0])
    return xstrdup(path);
  return xasprintf("%s/%s", L->dir, path);
}

static char *dirname_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    return xstrdup("");
  if (slash == path)
    return xstrdup("/");
  return xstrndup(path, (size_t)(slash - path));
}

/* ---- options ----------------------------------------------------- */

static int check_number(struct loader *L, yaml_node_t *n, const char *key,
                        enum analyze_opt_kind kind) {
  double v;
  if (ydoc_double(&L->y, n, key, &v, L->d) < 0)
    return -1;
  if (kind == AOK_POS && !(v > 0))
    return ydoc_error(&L->y, n, L->d, "%s must be above 0", key);
  return 0;
}

/* A setter's "--flag wants ..." said of the manifest key instead: the user
 * wrote the key, not the flag. */
static char *keyed_message(const struct analyze_opt_def *o, const char *msg) {
  size_t n = strlen(o->flag);
  if (!strncmp(msg, "--", 2) && !strncmp(msg + 2, o->flag, n) && msg[2 + n] == ' ')
    return xasprintf("%s%s", o->key, msg + 2 + n);
  return xasprintf("%s: %s", o->key, msg);
}

/* Value n through option o's own setter, on scratch options: the command
 * line's syntax exactly (2G, 1KB, ...), its error at n. */
static int check_by_setter(struct loader *L, yaml_node_t *n, const struct analyze_opt_def *o) {
  struct analyze_options scratch;
  analyze_options_init(&scratch);
  struct diag d;
  diag_init(&d);
  int rc = 0;
  if (analyze_opt_apply(&scratch, o, ydoc_text(n), &d) != 0) {
    char *msg = keyed_message(o, d.message);
    rc = ydoc_error(&L->y, n, L->d, "%s", msg);
    free(msg);
  }
  diag_fini(&d);
  return rc;
}

/* Check value n of option o and store its text in *out. */
static int read_option(struct loader *L, yaml_node_t *n, const struct analyze_opt_def *o,
                       struct manifest_value *out) {
  const char *key = o->key, *text;
  long l;
  bool b;
  int minutes, rc = 0;
  unsigned long long u;
  switch (o->kind) {
  case AOK_TEXT: rc = ydoc_string(&L->y, n, key, &text, L->d); break;
  case AOK_INT: rc = ydoc_long(&L->y, n, key, &l, L->d); break;
  case AOK_BOOL: rc = ydoc_bool(&L->y, n, key, &b, L->d); break;
  case AOK_UINT:
    if (!ydoc_is_plain(n) || !ydoc_parse_unsigned(ydoc_text(n), 0xFFFFFFFFull, &u) ||
        (o->id == AOPT_CYCLES && u == 0))
      rc = ydoc_error(&L->y, n, L->d, "%s is not a whole number%s (expected "
                      "digits such as 1200)", key, o->id == AOPT_CYCLES ? " above 0" : "");
    break;
  case AOK_BYTES: /* 4G or 1048576, read as the command line reads it */
    if (!ydoc_is_plain(n) || !ydoc_text(n) || !*ydoc_text(n))
      rc = ydoc_error(&L->y, n, L->d, "%s is not a byte count (expected digits "
                      "with an optional K, M, G or T, such as 4G)", key);
    else
      rc = check_by_setter(L, n, o);
    break;
  case AOK_OFFSET:
    if (!ydoc_text(n) || time_parse_offset(ydoc_text(n), &minutes) < 0)
      rc = ydoc_error(&L->y, n, L->d, "%s is not a UTC offset (expected +HH:MM "
                      "or -HH:MM, such as +02:00)", key);
    break;
  default: rc = check_number(L, n, key, o->kind); break;
  }
  if (rc < 0)
    return -1;
  value_fini(out);
  out->text = xstrdup(o->kind == AOK_BOOL ? (b ? "true" : "false") : ydoc_text(n));
  out->line = (long)n->start_mark.line + 1;
  out->col = (long)n->start_mark.column + 1;
  return 0;
}

/* Every option key present in mapping map, into vals. */
static int read_options(struct loader *L, yaml_node_t *map,
                        struct manifest_value vals[AOPT_COUNT]) {
  for (int o = 0; o < AOPT_COUNT; o++) {
    const struct analyze_opt_def *def = &analyze_opt_table[o];
    yaml_node_t *n = def->key ? ydoc_get(&L->y, map, def->key) : NULL;
    if (n && read_option(L, n, def, &vals[o]) < 0)
      return -1;
  }
  return 0;
}

/* ---- runs -------------------------------------------------------- */

/* Path s (of item) a file that an earlier one of paths[0..n) already is,
 * or a copy of it: -1 with the error at item. */
static int given_twice(struct loader *L, yaml_node_t *item, const char *key,
                       char *const *paths, size_t n, const char *s) {
  /* what each file holds, which merging it twice would count twice */
  bool logs = !strcmp(key, "counters");
  const char *kind = logs ? "log" : "trace", *what = logs ? "samples" : "events";
  for (size_t i = 0; i < n; i++) {
    enum samefile same = samefile(paths[i], s);
    if (same == SAMEFILE_SAME)
      return ydoc_error(&L->y, item, L->d, "%s '%s' is the file '%s' already is "
                        "(given twice?): its %s would count twice", key, s, paths[i], what);
    if (same == SAMEFILE_COPY)
      return ydoc_error(&L->y, item, L->d, "%s '%s' holds the same bytes as '%s' (one "
                        "%s given twice?): its %s would count twice", key, s, paths[i],
                        kind, what);
  }
  return 0;
}

/* A path or a list of paths, resolved; no file twice (samefile.h). */
static int read_paths(struct loader *L, yaml_node_t *n, const char *key,
                      char ***out, size_t *count) {
  size_t len = n->type == YAML_SEQUENCE_NODE ? ydoc_len(n) : 1;
  if (n->type == YAML_SEQUENCE_NODE && !len)
    return ydoc_error(&L->y, n, L->d, "%s is an empty list (expected a path "
                                      "or a list of paths)", key);
  *out = xcalloc(len, sizeof **out);
  for (size_t i = 0; i < len; i++) {
    yaml_node_t *item = n->type == YAML_SEQUENCE_NODE ? ydoc_item(&L->y, n, i) : n;
    const char *s;
    if (ydoc_string(&L->y, item, key, &s, L->d) < 0)
      return -1;
    if (!*s)
      return ydoc_error(&L->y, item, L->d, "%s is empty (expected a path)", key);
    char *path = resolve(L, s);
    (*out)[(*count)++] = path;
    if (given_twice(L, item, key, *out, *count - 1, path) < 0)
      return -1;
  }
  return 0;
}

/* One inline value: a plain integer is a DWORD (a QWORD above 32 bits), a
 * quoted or other text a string, null a value known to be absent. */
static void inline_value(struct reg_key *k, const char *name, yaml_node_t *n) {
  struct reg_value *v = regkey_add_value(k, name, (long)n->start_mark.line + 1,
                                         (long)n->start_mark.column + 1);
  unsigned long long u;
  if (ydoc_is_null(n)) {
    v->type = REGV_DELETED;
    v->deleted = true;
  } else if (ydoc_is_plain(n) && ydoc_parse_unsigned(ydoc_text(n), ~0ull, &u)) {
    v->type = u > 0xFFFFFFFFull ? REGV_QWORD : REGV_DWORD;
    v->num = u;
  } else {
    v->type = REGV_SZ;
    v->str = xstrdup(ydoc_text(n));
  }
}

static int read_registry_values(struct loader *L, yaml_node_t *map,
                                struct manifest_run *r) {
  if (ydoc_want_map(&L->y, map, "registry_values", L->d) < 0)
    return -1;
  r->registry_values = regfile_new(L->m->file);
  struct reg_key *k = regfile_add_key(r->registry_values, NULL,
                                      (long)map->start_mark.line + 1);
  for (size_t i = 0; i < ydoc_len(map); i++) {
    yaml_node_t *key = ydoc_key_at(&L->y, map, i);
    yaml_node_t *val = ydoc_value_at(&L->y, map, i);
    const char *name = ydoc_text(key);
    if (!name)
      return ydoc_error(&L->y, key, L->d, "a registry value name is not text");
    if (regkey_find_value(k, name))
      return ydoc_error(&L->y, key, L->d, "registry value '%s' given twice", name);
    if (!ydoc_text(val))
      return ydoc_error(&L->y, val, L->d, "registry value '%s' is not a single "
                        "value (expected a number, a \"string\" or null)", name);
    inline_value(k, name, val);
  }
  return 0;
}

static int read_evidence(struct loader *L, yaml_node_t *map,
                         struct manifest_run *r) {
  yaml_node_t *ver = ydoc_get(&L->y, map, "module_version");
  yaml_node_t *reg = ydoc_get(&L->y, map, "registry");
  yaml_node_t *vals = ydoc_get(&L->y, map, "registry_values");
  const char *s;
  if (ver) {
    if (ydoc_string(&L->y, ver, "module_version", &s, L->d) < 0)
      return -1;
    struct version v;
    size_t bad = 0;
    if (version_parse(s, &v, &bad) < 0) {
      long line = (long)ver->start_mark.line + 1;
      long col = (long)ver->start_mark.column + 1 +
                 (ydoc_is_plain(ver) ? utf8_column(s, bad) - 1 : 0);
      return diag_set(L->d, DIAG_DATA, L->m->file, line, col,
                      "module_version '%s' is not a file version (expected "
                      "numbers separated by '.', such as 6.5.7233.46, or -)", s);
    }
    r->module_version = xstrdup(s);
  }
  if (reg && vals)
    return ydoc_error(&L->y, vals, L->d, "run %s has both registry and "
                      "registry_values (expected one of them)", r->name);
  if (reg) {
    if (ydoc_string(&L->y, reg, "registry", &s, L->d) < 0)
      return -1;
    r->registry = resolve(L, s);
  }
  return vals ? read_registry_values(L, vals, r) : 0;
}

static int read_run(struct loader *L, yaml_node_t *map, size_t index) {
  struct manifest_run *r = &L->m->runs[L->m->nruns++];
  memset(r, 0, sizeof *r);
  r->line = (long)map->start_mark.line + 1;
  r->col = (long)map->start_mark.column + 1;
  const char *run_keys[AOPT_COUNT + 8];
  fill_keys(run_keys, run_own_keys);
  if (ydoc_want_map(&L->y, map, "a run", L->d) < 0 ||
      ydoc_check_keys(&L->y, map, run_keys, "a run", L->d) < 0)
    return -1;
  yaml_node_t *n = ydoc_get(&L->y, map, "name");
  const char *s;
  if (n && ydoc_string(&L->y, n, "name", &s, L->d) < 0)
    return -1;
  r->name = n ? xstrdup(s) : xasprintf("run %zu", index + 1);
  for (size_t i = 0; i + 1 < L->m->nruns; i++)
    if (strcmp(L->m->runs[i].name, r->name) == 0)
      return ydoc_error(&L->y, n ? n : map, L->d, "two runs are named '%s' "
                        "(expected a different name for each run)", r->name);
  yaml_node_t *c = ydoc_get(&L->y, map, "counters");
  if (!c)
    return ydoc_error(&L->y, map, L->d, "run %s has no 'counters' (expected "
                      "counters: PATH of its perfmon log)", r->name);
  if (read_paths(L, c, "counters", &r->counters, &r->ncounters) < 0)
    return -1;
  yaml_node_t *e = ydoc_get(&L->y, map, "events");
  if (e && read_paths(L, e, "events", &r->events, &r->nevents) < 0)
    return -1;
  if (read_evidence(L, map, r) < 0 || read_options(L, map, r->opt) < 0)
    return -1;
  for (int o = 0; o < AOPT_COUNT; o++)
    if (!r->opt[o].text && L->defaults[o].text) {
      r->opt[o] = L->defaults[o];
      r->opt[o].text = xstrdup(L->defaults[o].text);
    }
  return 0;
}

static int read_runs(struct loader *L, yaml_node_t *root) {
  yaml_node_t *runs = ydoc_get(&L->y, root, "runs");
  if (!runs)
    return ydoc_error(&L->y, root, L->d, "no 'runs' (expected a list of runs, "
                                         "each with name: and counters:)");
  if (ydoc_want_seq(&L->y, runs, "runs", L->d) < 0)
    return -1;
  size_t n = ydoc_len(runs);
  if (!n)
    return ydoc_error(&L->y, runs, L->d, "runs is empty (expected at least "
                                         "one run)");
  L->m->runs = xcalloc(n, sizeof *L->m->runs);
  for (size_t i = 0; i < n; i++)
    if (read_run(L, ydoc_item(&L->y, runs, i), i) < 0)
      return -1;
  return 0;
}

static bool is_rules_path(const char *s) {
  size_t n = strlen(s);
  return strchr(s, '/') || (n > 5 && !strcmp(s + n - 5, ".yaml")) ||
         (n > 4 && !strcmp(s + n - 4, ".yml"));
}

/* One rules file: a name under formats/rules/ or a path relative to the
 * manifest; its resolved path appended to m->rules. */
static int read_one_rules(struct loader *L, yaml_node_t *n) {
  const char *s;
  if (ydoc_string(&L->y, n, "rules", &s, L->d) < 0)
    return -1;
  struct diag inner;
  diag_init(&inner);
  struct stat st;
  char *path;
  if (is_rules_path(s)) {
    path = resolve(L, s);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
      diag_set(&inner, DIAG_NOINPUT, NULL, 0, 0, "no such file %s", path);
  } else {
    char *rel = xasprintf("rules/%s.yaml", s);
    path = datadir_find(rel, &inner);
    free(rel);
  }
  int rc = 0;
  for (size_t i = 0; path && inner.kind == DIAG_NONE && i < L->m->nrules; i++)
    if (strcmp(L->m->rules[i], path) == 0)
      rc = ydoc_error(&L->y, n, L->d, "rules '%s' named twice", s);
  if (rc == 0 && inner.kind != DIAG_NONE)
    rc = diag_set(L->d, DIAG_NOINPUT, L->m->file, (long)n->start_mark.line + 1,
                  (long)n->start_mark.column + 1, "rules '%s' not found: %s", s,
                  inner.message);
  diag_fini(&inner);
  if (rc == 0)
    L->m->rules[L->m->nrules++] = path;
  else
    free(path);
  return rc;
}

/* rules: one rules file, or a list of them (one a kind of leak). */
static int read_rules(struct loader *L, yaml_node_t *root) {
  yaml_node_t *n = ydoc_get(&L->y, root, "rules");
  if (!n)
    return ydoc_error(&L->y, root, L->d, "no 'rules' (expected rules: NAME "
                                         "of formats/rules/NAME.yaml, or a path)");
  bool list = n->type == YAML_SEQUENCE_NODE;
  size_t len = list ? ydoc_len(n) : 1;
  if (list && len == 0)
    return ydoc_error(&L->y, n, L->d, "rules is empty (expected a rules name, "
                                      "or a list of them)");
  if (len > MANIFEST_MAX_RULES)
    return ydoc_error(&L->y, n, L->d, "%zu rules (expected at most %d)", len,
                      MANIFEST_MAX_RULES);
  L->m->rules = xcalloc(len, sizeof *L->m->rules);
  for (size_t i = 0; i < len; i++)
    if (read_one_rules(L, list ? ydoc_item(&L->y, n, i) : n) < 0)
      return -1;
  return 0;
}

static int read_baseline(struct loader *L, yaml_node_t *root) {
  yaml_node_t *n = ydoc_get(&L->y, root, "baseline");
  const char *s;
  if (!n)
    return 0;
  if (ydoc_string(&L->y, n, "baseline", &s, L->d) < 0)
    return -1;
  struct strbuf names;
  strbuf_init(&names);
  for (size_t i = 0; i < L->m->nruns; i++) {
    if (strcmp(L->m->runs[i].name, s) == 0) {
      L->m->baseline = i;
      strbuf_fini(&names);
      return 0;
    }
    strbuf_addf(&names, "%s'%s'", i ? ", " : "", L->m->runs[i].name);
  }
  ydoc_error(&L->y, n, L->d, "baseline '%s' is not a run (expected one of: %s)",
             s, names.data);
  strbuf_fini(&names);
  return -1;
}

struct manifest *manifest_load(const char *path, struct diag *d) {
  struct loader L = {.d = d};
  L.m = xcalloc(1, sizeof *L.m);
  /* A manifest on standard input names its files from the current folder. */
  bool in = strcmp(path, "-") == 0;
  L.m->file = xstrdup(in ? "<stdin>" : path);
  L.dir = in ? xstrdup("") : dirname_of(path);
  const char *top_keys[AOPT_COUNT + 4];
  fill_keys(top_keys, top_own_keys);
  int rc = ydoc_load(&L.y, path, d);
  yaml_node_t *root = rc == 0 ? ydoc_root(&L.y) : NULL;
  if (rc == 0)
    rc = ydoc_want_map(&L.y, root, "the manifest", d);
  if (rc == 0)
    rc = ydoc_check_keys(&L.y, root, top_keys, "the manifest", d);
  if (rc == 0)
    rc = read_options(&L, root, L.defaults);
  if (rc == 0)
    rc = read_runs(&L, root);
  if (rc == 0)
    rc = read_baseline(&L, root);
  if (rc == 0)
    rc = read_rules(&L, root);
  for (int o = 0; o < AOPT_COUNT; o++)
    value_fini(&L.defaults[o]);
  ydoc_fini(&L.y);
  free(L.dir);
  if (rc < 0) {
    manifest_free(L.m);
    return NULL;
  }
  return L.m;
}

int manifest_apply_options(const struct manifest *m, size_t run,
                           struct analyze_options *o, struct diag *d) {
  const struct manifest_run *r = &m->runs[run];
  for (int k = 0; k < AOPT_COUNT; k++) {
    const struct manifest_value *v = &r->opt[k];
    if (!v->text)
      continue;
    if (analyze_opt_apply(o, &analyze_opt_table[k], v->text, d) != 0) {
      char *msg = keyed_message(&analyze_opt_table[k], d->message);
      diag_set(d, DIAG_DATA, m->file, v->line, v->col, "%s", msg);
      free(msg);
      return -1;
    }
  }
  if (analyze_options_check(o, true, d) != 0) {
    /* at the run's last option given: where the clash shows */
    long line = 0, col = 0;
    for (int k = 0; k < AOPT_COUNT; k++)
      if (r->opt[k].text && r->opt[k].line >= line)
        line = r->opt[k].line, col = r->opt[k].col;
    char *msg = xstrdup(d->message);
    diag_set(d, DIAG_DATA, m->file, line, col, "%s", msg);
    free(msg);
    return -1;
  }
  return 0;
}
