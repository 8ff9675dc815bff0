/* event_map — load formats/events/NAME.yaml (see event_map.h). Maps are a
 * few lines written by people: read whole through yamldoc, so an unknown key
 * or a bad value is an error at its FILE:LINE:COL. */
#include "config.h"

#include "trace/event_map.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/yamldoc.h"
#include "util/datadir.h"
#include "util/xalloc.h"

/* "begin:NAME" / "end:NAME" into the rule; NAME is a word (letters, digits,
 * '_', '-', '.'), kept in lower case as module ":name". */
static bool parse_kind(const char *s, struct event_map_rule *r) {
  size_t skip = !strncasecmp(s, "begin:", 6) ? 6 : !strncasecmp(s, "end:", 4) ? 4 : 0;
  if (!skip || !s[skip])
    return false;
  for (const char *c = s + skip; *c; c++)
    if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-' && *c != '.')
      return false;
  r->begin = skip == 6;
  r->module = xasprintf(":%s", s + skip);
  for (char *c = r->module; *c; c++)
    *c = (char)tolower((unsigned char)*c);
  return true;
}

static int parse_number(struct ydoc *y, yaml_node_t *n, const char *what,
                        bool *has, long *v, struct diag *d) {
  unsigned long long u;
  const char *s = ydoc_text(n);
  if (!s || !ydoc_parse_unsigned(s, 65535, &u))
    return ydoc_error(y, n, d, "bad %s '%s' (expected an integer from 0 to 65535)",
                      what, s ? s : "");
  *has = true;
  *v = (long)u;
  return 0;
}

static int parse_rule(struct ydoc *y, yaml_node_t *n, struct event_map_rule *r,
                      struct diag *d) {
  static const char *const keys[] = {"id", "task", "opcode", "event", "kind", NULL};
  if (ydoc_want_map(y, n, "an event", d) < 0 ||
      ydoc_check_keys(y, n, keys, "event", d) < 0)
    return -1;
  yaml_node_t *v;
  if ((v = ydoc_get(y, n, "id")) && parse_number(y, v, "id", &r->has_id, &r->id, d) < 0)
    return -1;
  if ((v = ydoc_get(y, n, "task")) &&
      parse_number(y, v, "task", &r->has_task, &r->task, d) < 0)
    return -1;
  if ((v = ydoc_get(y, n, "opcode")) &&
      parse_number(y, v, "opcode", &r->has_opcode, &r->opcode, d) < 0)
    return -1;
  const char *s;
  if ((v = ydoc_get(y, n, "event"))) {
    if (ydoc_string(y, v, "event", &s, d) < 0)
      return -1;
    if (!*s)
      return ydoc_error(y, v, d, "empty event (expected an event type's name)");
    r->event = xstrdup(s);
  }
  if (!r->has_id && !r->has_task && !r->has_opcode && !r->event)
    return ydoc_error(y, n, d, "event selects nothing (expected id, task/opcode or event)");
  if (!(v = ydoc_get(y, n, "kind")))
    return ydoc_error(y, n, d, "event without a kind (expected kind: begin:NAME or end:NAME)");
  if (ydoc_string(y, v, "kind", &s, d) < 0)
    return -1;
  if (!parse_kind(s, r))
    return ydoc_error(y, v, d,
                      "bad kind '%s' (expected begin:NAME or end:NAME, NAME of "
                      "letters, digits, '_', '-' or '.')",
                      s);
  return 0;
}

/* A GUID is kept without its braces, so both spellings match. */
static char *provider_key(const char *s) {
  size_t n = strlen(s);
  if (n > 2 && s[0] == '{' && s[n - 1] == '}')
    return xstrndup(s + 1, n - 2);
  return xstrdup(s);
}

static int parse_doc(struct ydoc *y, struct event_map *m, struct diag *d) {
  static const char *const keys[] = {"name", "provider", "pid", "events", NULL};
  yaml_node_t *root = ydoc_root(y), *v;
  if (ydoc_want_map(y, root, "an event map", d) < 0 ||
      ydoc_check_keys(y, root, keys, "event map", d) < 0)
    return -1;
  const char *s;
  if (!(v = ydoc_get(y, root, "name")))
    return ydoc_error(y, root, d, "event map without a name (expected name: NAME)");
  if (ydoc_string(y, v, "name", &s, d) < 0)
    return -1;
  m->name = xstrdup(s);
  if (!(v = ydoc_get(y, root, "provider")))
    return ydoc_error(y, root, d,
                      "event map without a provider (expected provider: NAME or {GUID})");
  if (ydoc_string(y, v, "provider", &s, d) < 0)
    return -1;
  if (!*s)
    return ydoc_error(y, v, d, "empty provider (expected a provider's name or GUID)");
  m->provider = provider_key(s);
  if ((v = ydoc_get(y, root, "pid"))) {
    if (ydoc_string(y, v, "pid", &s, d) < 0)
      return -1;
    if (!*s)
      return ydoc_error(y, v, d, "empty pid (expected a data field's name)");
    m->pid = xstrdup(s);
  }
  if (!(v = ydoc_get(y, root, "events")))
    return ydoc_error(y, root, d, "event map without events (expected a list)");
  if (ydoc_want_seq(y, v, "events", d) < 0)
    return -1;
  size_t n = ydoc_len(v);
  if (n == 0)
    return ydoc_error(y, v, d, "no events (expected at least one)");
  m->rules = xcalloc(n, sizeof *m->rules);
  for (size_t i = 0; i < n; i++, m->nrules++)
    if (parse_rule(y, ydoc_item(y, v, i), &m->rules[i], d) < 0) {
      m->nrules++; /* freed with the rest */
      return -1;
    }
  return 0;
}

int event_map_parse_file(const char *path, struct event_map **out,
                         struct diag *d) {
  static const struct ydoc_how how = {
      .syntax_expected = "YAML",
      .empty = "empty event map (expected a mapping with name, provider, events)"};
  struct ydoc y;
  *out = NULL;
  if (ydoc_load_how(&y, path, &how, d) < 0) {
    ydoc_fini(&y);
    return -1;
  }
  struct event_map *m = xcalloc(1, sizeof *m);
  m->file = xstrdup(path);
  int rc = parse_doc(&y, m, d);
  ydoc_fini(&y);
  if (rc < 0) {
    event_maps_free(m);
    return -1;
  }
  *out = m;
  return 0;
}

void event_maps_free(struct event_map *m) {
  while (m) {
    struct event_map *next = m->next;
    for (size_t i = 0; i < m->nrules; i++) {
      free(m->rules[i].event);
      free(m->rules[i].module);
    }
    free(m->rules);
    free(m->name);
    free(m->file);
    free(m->provider);
    free(m->pid);
    free(m);
    m = next;
  }
}

/* One file for datadir_load. */
static int parse_item(const char *path, void **item, const char **name,
                      struct diag *d) {
  struct event_map *m;
  if (event_map_parse_file(path, &m, d) < 0)
    return -1;
  *item = m;
  *name = m->name;
  return 0;
}

static void free_item(void *item) { event_maps_free(item); }

int event_maps_load(const char *formats_dir, struct event_map **out,
                    struct diag *d) {
  static const struct datadir_kind kind = {"events", parse_item, free_item};
  void **items;
  size_t n;
  *out = NULL;
  if (datadir_load(formats_dir, &kind, &items, &n, d) < 0)
    return -1;
  for (size_t i = n; i-- > 0;) { /* linked in the order found */
    struct event_map *m = items[i];
    m->next = *out;
    *out = m;
  }
  free(items);
  return 0;
}

const struct event_map *event_map_provider(const struct event_map *maps,
                                           const char *provider, size_t n) {
  if (n > 2 && provider[0] == '{' && provider[n - 1] == '}') {
    provider++;
    n -= 2;
  }
  for (; maps; maps = maps->next)
    if (n && strlen(maps->provider) == n && !strncasecmp(maps->provider, provider, n))
      return maps;
  return NULL;
}

static bool selector_ok(bool want, long want_v, bool has, long v) {
  return !want || (has && v == want_v);
}

const struct event_map_rule *event_map_match(const struct event_map *m,
                                             bool has_id, long id,
                                             bool has_task, long task,
                                             bool has_opcode, long opcode) {
  for (size_t i = 0; i < m->nrules; i++) {
    const struct event_map_rule *r = &m->rules[i];
    if (r->event && !r->has_id && !r->has_task && !r->has_opcode)
      continue; /* a rule for dumper text only */
    if (selector_ok(r->has_id, r->id, has_id, id) &&
        selector_ok(r->has_task, r->task, has_task, task) &&
        selector_ok(r->has_opcode, r->opcode, has_opcode, opcode))
      return r;
  }
  return NULL;
}

bool event_map_lookup(const struct event_map *maps, const char *provider, size_t n,
                      const char *alt, size_t alt_n, event_map_value_fn *value,
                      void *rec, struct event_map_hit *hit) {
  hit->map = event_map_provider(maps, provider, n);
  if (!hit->map && alt)
    hit->map = event_map_provider(maps, alt, alt_n);
  hit->rule = NULL;
  hit->pid = EVENT_MAP_PID_LOGGER;
  if (!hit->map)
    return false;
  long id = 0, task = 0, op = 0;
  bool has_id = value(rec, EVENT_MAP_ID, &id), has_task = value(rec, EVENT_MAP_TASK, &task),
       has_op = value(rec, EVENT_MAP_OPCODE, &op);
  hit->rule = event_map_match(hit->map, has_id, id, has_task, task, has_op, op);
  const char *pid = hit->map->pid;
  hit->pid = !pid                           ? EVENT_MAP_PID_LOGGER
             : !strcasecmp(pid, "ProcessId") ? EVENT_MAP_PID_PROCESS_ID
                                             : EVENT_MAP_PID_FIELD;
  return hit->rule != NULL;
}

int event_map_pid_error(const struct event_map_hit *hit, const char *file, long line,
                        long col, const char *s, size_t n, struct diag *d) {
  const struct event_map *m = hit->map;
  return diag_set(d, DIAG_DATA, file, line, col,
                  "%s event without a usable %s ('%.*s'; a decimal or 0x hex "
                  "process id expected, as event map %s says)",
                  hit->rule->module + 1, m->pid ? m->pid : "Execution ProcessID", (int)n,
                  s, m->file);
}

const struct event_map_rule *event_map_named(const struct event_map *maps,
                                             const char *event, size_t n,
                                             const struct event_map **map) {
  for (; maps; maps = maps->next)
    for (size_t i = 0; i < maps->nrules; i++) {
      const char *e = maps->rules[i].event;
      if (e && strlen(e) == n && !strncasecmp(e, event, n)) {
        *map = maps;
        return &maps->rules[i];
      }
    }
  return NULL;
}

bool event_maps_pid_field(const struct event_map *maps, const char *field) {
  for (; maps; maps = maps->next)
    if (maps->pid && !strcasecmp(maps->pid, field))
      return true;
  return false;
}
