/* rules — loading a rules file and judging a run's evidence (see rules.h).
 *
 * Loading is a walk over the YAML document with every key checked, so a
 * typo in a rules file is an error at its line and column rather than a
 * setting silently ignored. */
#include "config.h"
#include "evidence/rules.h"
#include "util/tree.h"
#include "util/xalloc.h"
#include "input/yamldoc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RULES_SCHEMA "leakslope/rules/1"

static const char *const top_keys[] = {"schema", "id", "title", "url", "notes",
                                       "module", "kind", "prerequisites",
                                       "settings", "predictions", NULL};
static const char *const module_keys[] = {"name", "fixed_version", "notes",
                                          NULL};
static const char *const setting_keys[] = {"name", "key", "type", "value",
                                           "notes", NULL};
static const char *const prediction_keys[] = {"when", "expect", "because",
                                              NULL};

void rules_free(struct rules *r) {
  if (!r)
    return;
  for (size_t i = 0; i < r->nprerequisites; i++)
    free(r->prerequisites[i]);
  for (size_t i = 0; i < r->nsettings; i++) {
    free(r->settings[i].name);
    free(r->settings[i].key);
    free(r->settings[i].str);
    free(r->settings[i].display);
  }
  for (size_t i = 0; i < r->npredictions; i++)
    free(r->predictions[i].because);
  free(r->prerequisites);
  free(r->settings);
  free(r->predictions);
  free(r->file);
  free(r->id);
  free(r->title);
  free(r->url);
  free(r->module);
  free(r->kind);
  free(r->fixed_text);
  free(r);
}

/* A required text value under key; copied into *out. */
static int need_string(struct ydoc *y, yaml_node_t *map, const char *key,
                       const char *what, char **out, struct diag *d) {
  yaml_node_t *n = ydoc_get(y, map, key);
  const char *s;
  if (!n)
    return ydoc_error(y, map, d, "%s has no '%s' (expected %s: ...)", what,
                      key, key);
  if (ydoc_string(y, n, key, &s, d) < 0)
    return -1;
  *out = xstrdup(s);
  return 0;
}

static int load_module(struct ydoc *y, yaml_node_t *root, struct rules *r,
                       struct diag *d) {
  yaml_node_t *m = ydoc_get(y, root, "module");
  if (!m)
    return ydoc_error(y, root, d, "no 'module' (expected module: {name: ..., "
                                  "fixed_version: ...})");
  if (ydoc_want_map(y, m, "module", d) < 0 ||
      ydoc_check_keys(y, m, module_keys, "module", d) < 0 ||
      need_string(y, m, "name", "module", &r->module, d) < 0 ||
      need_string(y, m, "fixed_version", "module", &r->fixed_text, d) < 0)
    return -1;
  size_t bad;
  if (version_parse(r->fixed_text, &r->fixed, &bad) < 0 || !r->fixed.known)
    return ydoc_error(y, ydoc_get(y, m, "fixed_version"), d,
                      "fixed_version '%s' is not a file version (expected "
                      "numbers separated by '.', such as 6.5.7233.46)",
                      r->fixed_text);
  char buf[128];
  version_format(&r->fixed, buf, sizeof buf); /* "2, 1, 300, 0" -> "2.1.300.0" */
  free(r->fixed_text);
  r->fixed_text = xstrdup(buf);
  return 0;
}

/* kind: which cycles the leak is of: load:MODULE or a named cycle (the
 * trace's begin:NAME/end:NAME). Without it, the load/unload of the rules'
 * module, so rules written before kinds existed keep their meaning. */
static int load_kind(struct ydoc *y, yaml_node_t *root, struct rules *r,
                     struct diag *d) {
  yaml_node_t *n = ydoc_get(y, root, "kind");
  if (!n) {
    r->kind = xasprintf("load:%s", r->module);
    return 0;
  }
  const char *s;
  if (ydoc_string(y, n, "kind", &s, d) < 0)
    return -1;
  const char *name = strncmp(s, "load:", 5) == 0 ? s + 5 : s;
  bool ok = *name != '\0';
  for (const char *p = name; *p && ok; p++)
    ok = (unsigned char)*p >= ' ' && *p != 0x7f;
  if (!ok)
    return ydoc_error(y, n, d, "kind '%s' is not a kind of cycle (expected "
                               "load:MODULE or a name such as logon)", s);
  r->kind = xstrdup(s);
  return 0;
}

static int load_prerequisites(struct ydoc *y, yaml_node_t *root,
                              struct rules *r, struct diag *d) {
  yaml_node_t *p = ydoc_get(y, root, "prerequisites");
  if (!p)
    return 0;
  if (ydoc_want_seq(y, p, "prerequisites", d) < 0)
    return -1;
  size_t n = ydoc_len(p);
  r->prerequisites = xcalloc(n ? n : 1, sizeof *r->prerequisites);
  for (size_t i = 0; i < n; i++) {
    const char *s;
    if (ydoc_string(y, ydoc_item(y, p, i), "a prerequisite", &s, d) < 0)
      return -1;
    r->prerequisites[r->nprerequisites++] = xstrdup(s);
  }
  return 0;
}

static const struct {
  const char *name;
  int type;
} setting_types[] = {{"dword", REGV_DWORD},
                     {"qword", REGV_QWORD},
                     {"sz", REGV_SZ},
                     {"expand_sz", REGV_EXPAND_SZ}};
#define N_SETTING_TYPES (sizeof setting_types / sizeof setting_types[0])

static bool is_number_type(int type) {
  return type == REGV_DWORD || type == REGV_QWORD;
}

static int setting_type(struct ydoc *y, yaml_node_t *map, int *type,
                        struct diag *d) {
  yaml_node_t *n = ydoc_get(y, map, "type");
  const char *s = "dword";
  if (n && ydoc_string(y, n, "type", &s, d) < 0)
    return -1;
  for (size_t i = 0; i < N_SETTING_TYPES; i++)
    if (strcmp(s, setting_types[i].name) == 0) {
      *type = setting_types[i].type;
      return 0;
    }
  return ydoc_error(y, n, d, "unknown setting type '%s' (expected dword, "
                             "qword, sz or expand_sz)", s);
}

static int setting_value(struct ydoc *y, yaml_node_t *map,
                         struct rule_setting *s, struct diag *d) {
  yaml_node_t *n = ydoc_get(y, map, "value");
  if (!n)
    return ydoc_error(y, map, d, "setting %s has no 'value' (expected value: "
                                 "the data the fix needs)", s->name);
  const char *text;
  if (ydoc_string(y, n, "value", &text, d) < 0)
    return -1;
  if (is_number_type(s->type)) {
    unsigned long long v;
    unsigned long long max = s->type == REGV_DWORD ? 0xFFFFFFFFull : ~0ull;
    if (!ydoc_is_plain(n) || !ydoc_parse_unsigned(text, max, &v))
      return ydoc_error(y, n, d, "value '%s' is not a %s (expected an "
                                 "unsigned integer such as 1 or 0x1)",
                        text, s->type == REGV_DWORD ? "DWORD" : "QWORD");
    s->num = v;
    s->display = xasprintf("%s=%llu", s->name, v);
  } else {
    s->str = xstrdup(text);
    s->display = xasprintf("%s=\"%s\"", s->name, text);
  }
  return 0;
}

static int load_setting(struct ydoc *y, yaml_node_t *map, struct rules *r,
                        struct diag *d) {
  struct rule_setting *s = &r->settings[r->nsettings];
  memset(s, 0, sizeof *s);
  if (ydoc_want_map(y, map, "a setting", d) < 0 ||
      ydoc_check_keys(y, map, setting_keys, "a setting", d) < 0 ||
      need_string(y, map, "name", "a setting", &s->name, d) < 0)
    return -1;
  r->nsettings++; /* owned from here on */
  char *key = NULL;
  if (need_string(y, map, "key", "a setting", &key, d) < 0)
    return -1;
  s->key = regfile_canonical_path(key, false);
  free(key);
  if (!s->key)
    return ydoc_error(y, ydoc_get(y, map, "key"), d,
                      "key of setting %s has an unknown hive (expected "
                      "HKEY_LOCAL_MACHINE\\..., HKLM\\..., HKCU\\...)",
                      s->name);
  for (size_t i = 0; i + 1 < r->nsettings; i++)
    if (strcasecmp(r->settings[i].name, s->name) == 0)
      return ydoc_error(y, map, d, "setting %s given twice", s->name);
  if (strcmp(s->name, "hotfix") == 0)
    return ydoc_error(y, map, d, "a setting cannot be named 'hotfix' (the "
                                 "name of the version condition)");
  if (setting_type(y, map, &s->type, d) < 0)
    return -1;
  return setting_value(y, map, s, d);
}

static int load_settings(struct ydoc *y, yaml_node_t *root, struct rules *r,
                         struct diag *d) {
  yaml_node_t *list = ydoc_get(y, root, "settings");
  if (!list)
    return 0;
  if (ydoc_want_seq(y, list, "settings", d) < 0)
    return -1;
  size_t n = ydoc_len(list);
  if (n > RULES_MAX_CONDITIONS - 1)
    return ydoc_error(y, list, d, "%zu settings (expected at most %d)", n,
                      RULES_MAX_CONDITIONS - 1);
  r->settings = xcalloc(n ? n : 1, sizeof *r->settings);
  for (size_t i = 0; i < n; i++)
    if (load_setting(y, ydoc_item(y, list, i), r, d) < 0)
      return -1;
  return 0;
}

/* Index of condition `name`: 0 for hotfix, 1 + i for setting i; -1. */
static int condition_index(const struct rules *r, const char *name) {
  if (strcmp(name, "hotfix") == 0)
    return 0;
  for (size_t i = 0; i < r->nsettings; i++)
    if (strcasecmp(r->settings[i].name, name) == 0)
      return 1 + (int)i;
  return -1;
}

static int load_when(struct ydoc *y, yaml_node_t *when, struct rules *r,
                     struct rule_prediction *p, struct diag *d) {
  if (ydoc_want_map(y, when, "when", d) < 0)
    return -1;
  for (size_t i = 0; i < ydoc_len(when); i++) {
    yaml_node_t *k = ydoc_key_at(y, when, i);
    const char *name = ydoc_text(k);
    int c = name ? condition_index(r, name) : -1;
    if (c < 0)
      return ydoc_error(y, k, d, "unknown condition '%s' (expected hotfix or "
                                 "the name of a setting)", name ? name : "");
    if (p->when[c] != TRI_UNKNOWN)
      return ydoc_error(y, k, d, "condition '%s' given twice", name);
    bool v;
    if (ydoc_bool(y, ydoc_value_at(y, when, i), name, &v, d) < 0)
      return -1;
    p->when[c] = v ? TRI_TRUE : TRI_FALSE;
  }
  return 0;
}

static int load_prediction(struct ydoc *y, yaml_node_t *map, struct rules *r,
                           struct diag *d) {
  struct rule_prediction *p = &r->predictions[r->npredictions++];
  memset(p, 0, sizeof *p);
  for (size_t c = 0; c < RULES_MAX_CONDITIONS; c++)
    p->when[c] = TRI_UNKNOWN;
  if (ydoc_want_map(y, map, "a prediction", d) < 0 ||
      ydoc_check_keys(y, map, prediction_keys, "a prediction", d) < 0)
    return -1;
  yaml_node_t *when = ydoc_get(y, map, "when");
  if (!when)
    return ydoc_error(y, map, d, "a prediction has no 'when' (expected when: "
                                 "{hotfix: true, ...})");
  if (load_when(y, when, r, p, d) < 0)
    return -1;
  yaml_node_t *e = ydoc_get(y, map, "expect");
  const char *s = NULL;
  if (!e)
    return ydoc_error(y, map, d, "a prediction has no 'expect' (expected "
                                 "expect: leak or expect: no-leak)");
  if (ydoc_string(y, e, "expect", &s, d) < 0)
    return -1;
  if (strcmp(s, "leak") == 0)
    p->expect = EXPECT_LEAK;
  else if (strcmp(s, "no-leak") == 0)
    p->expect = EXPECT_NO_LEAK;
  else
    return ydoc_error(y, e, d, "expect '%s' is not a verdict (expected leak "
                               "or no-leak)", s);
  yaml_node_t *b = ydoc_get(y, map, "because");
  if (b && ydoc_string(y, b, "because", &s, d) < 0)
    return -1;
  p->because = b ? xstrdup(s) : NULL;
  return 0;
}

static int load_predictions(struct ydoc *y, yaml_node_t *root,
                            struct rules *r, struct diag *d) {
  yaml_node_t *list = ydoc_get(y, root, "predictions");
  if (!list)
    return ydoc_error(y, root, d, "no 'predictions' (expected a list of "
                                  "{when: ..., expect: ...})");
  if (ydoc_want_seq(y, list, "predictions", d) < 0)
    return -1;
  size_t n = ydoc_len(list);
  if (!n)
    return ydoc_error(y, list, d, "predictions is empty (expected at least "
                                  "one {when: ..., expect: ...})");
  r->predictions = xcalloc(n, sizeof *r->predictions);
  for (size_t i = 0; i < n; i++)
    if (load_prediction(y, ydoc_item(y, list, i), r, d) < 0)
      return -1;
  return 0;
}

static int load_header(struct ydoc *y, yaml_node_t *root, struct rules *r,
                       struct diag *d) {
  yaml_node_t *schema = ydoc_get(y, root, "schema");
  const char *s;
  if (schema && (ydoc_string(y, schema, "schema", &s, d) < 0 ||
                 strcmp(s, RULES_SCHEMA) != 0))
    return ydoc_error(y, schema, d, "unknown rules schema (expected "
                                    RULES_SCHEMA ")");
  if (need_string(y, root, "id", "the rules file", &r->id, d) < 0)
    return -1;
  yaml_node_t *title = ydoc_get(y, root, "title");
  if (title && ydoc_string(y, title, "title", &s, d) < 0)
    return -1;
  r->title = title ? xstrdup(s) : NULL;
  yaml_node_t *url = ydoc_get(y, root, "url");
  if (url && ydoc_string(y, url, "url", &s, d) < 0)
    return -1;
  r->url = url ? xstrdup(s) : NULL;
  return 0;
}

struct rules *rules_load(const char *path, struct diag *d) {
  struct ydoc y;
  struct rules *r = xcalloc(1, sizeof *r);
  r->file = xstrdup(path);
  int rc = ydoc_load(&y, path, d);
  yaml_node_t *root = rc == 0 ? ydoc_root(&y) : NULL;
  if (rc == 0)
    rc = ydoc_want_map(&y, root, "the rules file", d);
  if (rc == 0)
    rc = ydoc_check_keys(&y, root, top_keys, "the rules file", d);
  if (rc == 0)
    rc = load_header(&y, root, r, d);
  if (rc == 0)
    rc = load_module(&y, root, r, d);
  if (rc == 0)
    rc = load_kind(&y, root, r, d);
  if (rc == 0)
    rc = load_prerequisites(&y, root, r, d);
  if (rc == 0)
    rc = load_settings(&y, root, r, d);
  if (rc == 0)
    rc = load_predictions(&y, root, r, d);
  ydoc_fini(&y);
  if (rc < 0) {
    rules_free(r);
    return NULL;
  }
  return r;
}

/* ---- judging one run's evidence ------------------------------------ */

const char *expect_name(enum expect e) {
  return e == EXPECT_LEAK ? "leak" : e == EXPECT_NO_LEAK ? "no-leak" : "unknown";
}

static enum expect first_match(const struct rules *r, const enum tri *cond,
                               const char **because) {
  size_t nc = 1 + r->nsettings;
  for (size_t i = 0; i < r->npredictions; i++) {
    const struct rule_prediction *p = &r->predictions[i];
    bool match = true;
    for (size_t c = 0; c < nc && match; c++)
      match = p->when[c] == TRI_UNKNOWN || p->when[c] == cond[c];
    if (match) {
      *because = p->because;
      return p->expect;
    }
  }
  *because = NULL;
  return EXPECT_UNKNOWN;
}

enum expect rules_predict(const struct rules *r, const enum tri *cond,
                          const char **because) {
  size_t nc = 1 + r->nsettings, unknown[RULES_MAX_CONDITIONS], nu = 0;
  for (size_t c = 0; c < nc; c++)
    if (cond[c] == TRI_UNKNOWN)
      unknown[nu++] = c;
  enum tri trial[RULES_MAX_CONDITIONS];
  enum expect result = EXPECT_UNKNOWN;
  const char *why = NULL;
  /* Every way the unknown conditions could be: one outcome for all of
   * them is a prediction; outcomes that differ are "unknown". */
  for (unsigned long mask = 0; mask < (1ul << nu); mask++) {
    memcpy(trial, cond, nc * sizeof *cond);
    for (size_t k = 0; k < nu; k++)
      trial[unknown[k]] = (mask >> k) & 1 ? TRI_TRUE : TRI_FALSE;
    const char *b;
    enum expect e = first_match(r, trial, &b);
    if (e == EXPECT_UNKNOWN || (mask && e != result)) {
      *because = NULL;
      return EXPECT_UNKNOWN;
    }
    if (!mask)
      why = b;
    result = e;
  }
  *because = nu ? NULL : why;
  return result;
}

/* The version to judge: the trace's FileVersion when it has one (it is
 * what the process loaded), else the manifest's; warn when they differ. */
static void judge_version(const struct rules *r, const struct run_evidence *ev,
                          struct warnings *w, struct rules_eval *out) {
  struct version mv = {0}, tv = {0};
  bool mv_ok = ev->module_version && version_parse(ev->module_version, &mv, NULL) == 0;
  bool tv_ok = ev->trace_version && version_parse(ev->trace_version, &tv, NULL) == 0;
  if (ev->module_version && !mv_ok && w)
    warnings_add(w, "version-unreadable", NULL, 0,
                 "run '%s': module_version '%s' is not a file version: hotfix "
                 "status unknown", ev->run, ev->module_version);
  if (mv_ok && tv_ok && mv.known && tv.known && version_compare(&mv, &tv) && w)
    warnings_add(w, "version-mismatch", NULL, 0,
                 "run '%s': the manifest says %s %s but the trace shows "
                 "FileVersion %s: judging the trace's",
                 ev->run, r->module, ev->module_version, ev->trace_version);
  const struct version *use = tv_ok && tv.known ? &tv : mv_ok && mv.known ? &mv : NULL;
  out->hotfix = TRI_UNKNOWN;
  if (!use)
    return;
  char buf[128];
  version_format(use, buf, sizeof buf);
  out->version_used = xstrdup(buf);
  out->hotfix = version_compare(use, &r->fixed) >= 0 ? TRI_TRUE : TRI_FALSE;
}

static char *value_text(const struct reg_value *v) {
  if (v->deleted)
    return xstrdup("-");
  if (v->type == REGV_DWORD || v->type == REGV_DWORD_BE || v->type == REGV_QWORD)
    return xasprintf("%llu", (unsigned long long)v->num);
  if (v->str)
    return xstrdup(v->str);
  struct strbuf b;
  strbuf_init(&b);
  for (size_t i = 0; i < v->len && i < 16; i++)
    strbuf_addf(&b, "%s%02x", i ? "," : "", v->data[i]);
  if (v->len > 16)
    strbuf_adds(&b, ",...");
  return strbuf_detach(&b);
}

/* Where the value is: under the expected key (either registry view), else
 * under any key of the export, with warnings saying which. */
static const struct reg_value *
locate_setting(const struct rule_setting *s, const struct run_evidence *ev,
               struct warnings *w, const struct reg_key **where) {
  const struct regfile *rf = ev->registry;
  const struct reg_key *k = regfile_find_key(rf, s->key, true);
  const struct reg_value *v = k ? regkey_find_value(k, s->name) : NULL;
  if (v) {
    *where = k;
    if (k->wow64 && !strstr(s->key, "WOW6432Node") && w)
      warnings_add(w, "registry-wow64", rf->file, v->line,
                   "run '%s': %s found in the 32-bit registry view %s "
                   "(WOW6432Node), which a 32-bit program reads: used",
                   ev->run, s->name, k->path);
    return v;
  }
  size_t pos = 0;
  v = regfile_find_anywhere(rf, s->name, &pos, where);
  if (v && (*where)->path && w)
    warnings_add(w, "registry-other-key", rf->file, v->line,
                 "run '%s': %s found under %s, not under the expected key %s "
                 "(public sources disagree on the key): used",
                 ev->run, s->name, (*where)->path, s->key);
  return v;
}

static bool type_matches(int want, int have) { return want == have; }

/* A type as a person says it, for messages. */
static const char *type_phrase(int type) {
  switch (type) {
  case REGV_DWORD: return "DWORD";
  case REGV_QWORD: return "QWORD";
  case REGV_SZ: return "string";
  case REGV_EXPAND_SZ: return "expandable string";
  case REGV_MULTI_SZ: return "multi-string";
  case REGV_DWORD_BE: return "big-endian DWORD";
  default: return "binary value";
  }
}

static bool value_matches(const struct rule_setting *s,
                          const struct reg_value *v) {
  if (is_number_type(s->type))
    return v->num == s->num;
  return v->str && strcmp(v->str, s->str) == 0;
}

/* Is the value absent for sure? An inline list names every value it has;
 * an export that holds the expected key (or deletes it) shows all of its
 * values. Otherwise the export is of something else and cannot tell. */
static bool absence_is_known(const struct rule_setting *s,
                             const struct regfile *rf) {
  for (size_t i = 0; i < rf->nkeys; i++)
    if (!rf->keys[i].path)
      return true;
  return regfile_find_key(rf, s->key, true) != NULL;
}

static void judge_setting(const struct rule_setting *s,
                          const struct run_evidence *ev, struct warnings *w,
                          struct setting_eval *out) {
  memset(out, 0, sizeof *out);
  out->ok = TRI_UNKNOWN;
  if (!ev->registry)
    return;
  const struct reg_key *where = NULL;
  const struct reg_value *v = locate_setting(s, ev, w, &where);
  if (!v) {
    out->ok = absence_is_known(s, ev->registry) ? TRI_FALSE : TRI_UNKNOWN;
    if (out->ok == TRI_UNKNOWN && w)
      warnings_add(w, "registry-key-missing", ev->registry->file, 0,
                   "run '%s': the registry export holds neither %s nor a %s "
                   "value: cannot tell whether it is set",
                   ev->run, s->key, s->name);
    return;
  }
  out->found_key = where->path ? xstrdup(where->path) : NULL;
  out->found_type = xstrdup(regv_type_name(v->type));
  out->found_value = value_text(v);
  if (v->deleted) {
    out->ok = TRI_FALSE;
  } else if (!type_matches(s->type, v->type)) {
    out->ok = TRI_UNKNOWN;
    if (w)
      warnings_add(w, "registry-type-mismatch", ev->registry->file, v->line,
                   "run '%s': %s is a %s (\"%s\"), but the fix reads a %s: "
                   "expected %s, so whether it takes effect is unknown",
                   ev->run, s->name, type_phrase(v->type), out->found_value,
                   type_phrase(s->type), s->display);
  } else {
    out->ok = value_matches(s, v) ? TRI_TRUE : TRI_FALSE;
  }
}

void rules_evaluate(const struct rules *r, const struct run_evidence *ev,
                    struct warnings *w, struct rules_eval *out) {
  memset(out, 0, sizeof *out);
  judge_version(r, ev, w, out);
  out->nsettings = r->nsettings;
  out->settings = xcalloc(r->nsettings ? r->nsettings : 1, sizeof *out->settings);
  enum tri cond[RULES_MAX_CONDITIONS];
  cond[0] = out->hotfix;
  out->settings_all = TRI_TRUE;
  for (size_t i = 0; i < r->nsettings; i++) {
    judge_setting(&r->settings[i], ev, w, &out->settings[i]);
    cond[1 + i] = out->settings[i].ok;
    if (cond[1 + i] == TRI_FALSE)
      out->settings_all = TRI_FALSE;
    else if (cond[1 + i] == TRI_UNKNOWN && out->settings_all == TRI_TRUE)
      out->settings_all = TRI_UNKNOWN;
  }
  out->expected = rules_predict(r, cond, &out->because);
}

void rules_eval_fini(struct rules_eval *e) {
  for (size_t i = 0; i < e->nsettings; i++) {
    free(e->settings[i].found_key);
    free(e->settings[i].found_type);
    free(e->settings[i].found_value);
  }
  free(e->settings);
  free(e->version_used);
  memset(e, 0, sizeof *e);
}

static struct tree *tri_tree(enum tri t) {
  return t == TRI_UNKNOWN ? tree_null() : tree_bool(t == TRI_TRUE);
}

static struct tree *setting_tree(const struct rule_setting *s,
                                 const struct setting_eval *e) {
  struct tree *o = tree_obj();
  tree_set_str(o, "name", s->name);
  tree_set_str(o, "expected_key", s->key);
  tree_set_str(o, "required_type", regv_type_name(s->type));
  if (is_number_type(s->type))
    tree_set_int(o, "required_value", (long long)s->num);
  else
    tree_set_str(o, "required_value", s->str);
  tree_set(o, "found_key", tree_str(e->found_key));
  tree_set(o, "type", tree_str(e->found_type));
  tree_set(o, "value", tree_str(e->found_value));
  tree_set(o, "ok", tri_tree(e->ok));
  return o;
}

struct tree *rules_eval_tree(const struct rules *r, const struct run_evidence *ev,
                             const struct rules_eval *e) {
  struct tree *o = tree_obj();
  tree_set_str(o, "rules", r->id);
  tree_set_str(o, "module", r->module);
  tree_set(o, "module_version", tree_str(ev->module_version));
  tree_set(o, "trace_module_version", tree_str(ev->trace_version));
  tree_set(o, "version_judged", tree_str(e->version_used));
  tree_set_str(o, "fixed_version", r->fixed_text);
  tree_set(o, "hotfix", tri_tree(e->hotfix));
  tree_set(o, "registry_source", tree_str(ev->registry ? ev->registry->file : NULL));
  struct tree *list = tree_set(o, "settings", tree_arr());
  for (size_t i = 0; i < r->nsettings && i < e->nsettings; i++)
    tree_push(list, setting_tree(&r->settings[i], &e->settings[i]));
  tree_set(o, "settings_ok", tri_tree(e->settings_all));
  tree_set(o, "because", tree_str(e->because));
  return o;
}
