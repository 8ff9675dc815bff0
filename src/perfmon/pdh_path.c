/* pdh_path — counter paths, localized aliases, counter and process choice
 * (see pdh_path.h). */
#include "config.h"
#include "perfmon/pdh_path.h"
#include "input/yamldoc.h"
#include "util/datadir.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LIST_MAX 20

/* ---- parsing --------------------------------------------------------------- */

/* The last ")\" in s[0..n), or NULL. */
static const char *last_close(const char *s) {
  const char *found = NULL;
  for (const char *p = strstr(s, ")\\"); p; p = strstr(p + 1, ")\\"))
    found = p;
  return found;
}

/* The strings of one counter, in one allocation that c->path starts (on a
 * 20,000-column log, six allocations a counter were a fifth of the heap in
 * malloc's own overhead). */
struct pieces {
  char *at;
};

static char *piece(struct pieces *b, const char *s, size_t n) {
  char *r = b->at;
  memcpy(r, s, n);
  r[n] = '\0';
  b->at += n + 1;
  return r;
}

static void split_instance(const char *s, size_t n, struct pdh_counter *c,
                           struct pieces *b) {
  const char *slash = memchr(s, '/', n);
  if (slash) {
    c->parent = piece(b, s, (size_t)(slash - s));
    n -= (size_t)(slash - s) + 1;
    s = slash + 1;
  }
  size_t k = n;
  while (k > 0 && s[k - 1] >= '0' && s[k - 1] <= '9')
    k--;
  if (k > 0 && k < n && s[k - 1] == '#' && n - k < 10) {
    c->index = strtol(s + k, NULL, 10);
    n = k - 1;
  }
  c->instance = piece(b, s, n);
}

int pdh_path_parse(const char *path, struct pdh_counter *c) {
  memset(c, 0, sizeof *c);
  const char *p = path;
  if (p[0] != '\\')
    return -1;
  const char *machine = NULL;
  size_t mlen = 0;
  if (p[1] == '\\') {
    machine = p + 2;
    const char *e = strchr(machine, '\\');
    if (!e || e == machine)
      return -1;
    mlen = (size_t)(e - machine);
    p = e + 1;
  } else
    p++;
  size_t olen = strcspn(p, "(\\");
  if (olen == 0 || !p[olen])
    return -1;
  const char *inst = NULL, *counter;
  size_t ilen = 0;
  if (p[olen] == '(') {
    inst = p + olen + 1;
    const char *close = last_close(inst);
    if (!close)
      return -1;
    ilen = (size_t)(close - inst);
    counter = close + 2;
  } else
    counter = p + olen + 1;
  if (!*counter)
    return -1;
  /* the path, then its parts (parent and instance within ilen) */
  size_t plen = strlen(path), clen = strlen(counter);
  struct pieces b = {xmalloc(plen + mlen + olen + clen + ilen + 6)};
  c->path = piece(&b, path, plen);
  c->machine = machine ? piece(&b, machine, mlen) : NULL;
  c->object = piece(&b, p, olen);
  c->counter = piece(&b, counter, clen);
  if (inst)
    split_instance(inst, ilen, c, &b);
  c->dup = c->dups = 1;
  return 0;
}

void pdh_counter_fini(struct pdh_counter *c) {
  free(c->path); /* and the parts, in the same allocation */
  free(c->object_en);
  free(c->counter_en);
  memset(c, 0, sizeof *c);
}

/* ---- case folding ------------------------------------------------------- */

/* The folded form of the character at p into out: its length (1 or 2). */
static size_t fold_char(const unsigned char *p, unsigned char out[2]) {
  if (*p >= 'A' && *p <= 'Z') {
    out[0] = (unsigned char)(*p + 32);
    return 1;
  }
  if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
    unsigned cp = ((unsigned)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
      cp += 0x20;
    else if (cp >= 0x410 && cp <= 0x42F)
      cp += 0x20;
    else if (cp >= 0x400 && cp <= 0x40F)
      cp += 0x50;
    out[0] = (unsigned char)(0xC0 | (cp >> 6));
    out[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  out[0] = *p;
  return 1;
}

char *pdh_fold(const char *s) {
  char *r = xstrdup(s);
  unsigned char *p = (unsigned char *)r;
  while (*p)
    p += fold_char(p, p);
  return r;
}

uint64_t pdh_fold_hash(const char *s) {
  uint64_t h = 0xCBF29CE484222325u; /* FNV-1a */
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned char f[2];
    size_t n = fold_char(p, f);
    for (size_t i = 0; i < n; i++)
      h = (h ^ f[i]) * 0x100000001B3u;
    p += n;
  }
  return h;
}

/* Whether s folds to f (already folded), without a copy. */
static bool folds_to(const char *s, const char *f) {
  const unsigned char *p = (const unsigned char *)s, *q = (const unsigned char *)f;
  while (*p) {
    unsigned char o[2];
    size_t n = fold_char(p, o);
    if (q[0] != o[0] || (n == 2 && q[1] != o[1]))
      return false;
    p += n;
    q += n;
  }
  return *q == '\0';
}

/* s folded into *buf (grown as needed, reused across calls). */
static const char *fold_into(const char *s, char **buf, size_t *cap) {
  size_t n = strlen(s) + 1;
  if (*cap < n) {
    free(*buf);
    *buf = xmalloc(*cap = n + n / 2);
  }
  memcpy(*buf, s, n);
  unsigned char *p = (unsigned char *)*buf;
  while (*p)
    p += fold_char(p, p);
  return *buf;
}

/* Case-insensitive equality, as strcmp of the two folds: b folded into a
 * buffer on the stack (names are short), a compared as it folds. */
static bool fold_eq(const char *a, const char *b) {
  if (!a || !b)
    return false;
  char small[256], *heap = NULL;
  size_t n = strlen(b) + 1;
  char *f = n <= sizeof small ? small : (heap = xmalloc(n));
  memcpy(f, b, n);
  for (unsigned char *p = (unsigned char *)f; *p;)
    p += fold_char(p, p);
  bool eq = folds_to(a, f);
  free(heap);
  return eq;
}

/* ---- aliases --------------------------------------------------------------- */

void pdh_aliases_init(struct pdh_aliases *a) { memset(a, 0, sizeof *a); }

static void free_pairs(char **v, size_t n) {
  for (size_t i = 0; i < 2 * n; i++)
    free(v[i]);
  free(v);
}

void pdh_aliases_fini(struct pdh_aliases *a) {
  free_pairs(a->objects, a->nobjects);
  free_pairs(a->counters, a->ncounters);
  pdh_aliases_init(a);
}

static void add_pair(char ***v, size_t *n, const char *from, const char *to) {
  *v = xreallocarray(*v, 2 * (*n + 1), sizeof **v);
  (*v)[2 * *n] = pdh_fold(from);
  (*v)[2 * *n + 1] = xstrdup(to);
  (*n)++;
}

/* counters.yaml was once read event by event, and its messages name what
 * stood where a map was wanted; they stay so. */
static int unexpected(struct ydoc *y, const yaml_node_t *n, struct diag *d) {
  if (n->type == YAML_MAPPING_NODE)
    return ydoc_error(y, n, d, "unexpected mapping (expected `objects:` and "
                               "`counters:` maps of name: English name)");
  if (n->type == YAML_SEQUENCE_NODE)
    return ydoc_error(y, n, d, "unexpected list or alias (expected a map)");
  return ydoc_error(y, n, d, "unexpected value (expected a map)");
}

struct alias_walk {
  struct ydoc *y;
  struct pdh_aliases *a;
  char ***target; /* the pairs of the map being read */
  size_t *count;
  struct diag *d;
};

/* One "localized: English" line: both plain text. */
static int name_pair(void *ctx, yaml_node_t *k, yaml_node_t *v) {
  struct alias_walk *w = ctx;
  if (!ydoc_text(k))
    return unexpected(w->y, k, w->d);
  if (!ydoc_text(v))
    return unexpected(w->y, v, w->d);
  add_pair(w->target, w->count, ydoc_text(k), ydoc_text(v));
  return 0;
}

/* `objects:` or `counters:` and its map; either may come twice. */
static int section_pair(void *ctx, yaml_node_t *k, yaml_node_t *v) {
  struct alias_walk *w = ctx;
  const char *s = ydoc_text(k);
  if (!s)
    return unexpected(w->y, k, w->d);
  if (strcmp(s, "objects") == 0)
    w->target = &w->a->objects, w->count = &w->a->nobjects;
  else if (strcmp(s, "counters") == 0)
    w->target = &w->a->counters, w->count = &w->a->ncounters;
  else
    return ydoc_error(w->y, k, w->d,
                      "unknown key (expected objects or counters)");
  if (v->type != YAML_MAPPING_NODE)
    return unexpected(w->y, v, w->d);
  return ydoc_each_pair(w->y, v, name_pair, w);
}

int pdh_aliases_load(struct pdh_aliases *a, const char *file, struct diag *d) {
  /* An empty file is no aliases, and a syntax error is libyaml's word. */
  static const struct ydoc_how how = {.bare_syntax = true};
  struct ydoc y;
  int rc = ydoc_load_how(&y, file, &how, d);
  yaml_node_t *root = rc == 0 ? ydoc_root(&y) : NULL;
  struct alias_walk w = {.y = &y, .a = a, .d = d};
  if (root && root->type != YAML_MAPPING_NODE)
    rc = unexpected(&y, root, d);
  else if (root)
    rc = ydoc_each_pair(&y, root, section_pair, &w);
  ydoc_fini(&y);
  return rc;
}

int pdh_aliases_load_default(struct pdh_aliases *a, struct warnings *w,
                             struct diag *d) {
  struct diag miss;
  diag_init(&miss);
  char *file = datadir_find("counters.yaml", &miss);
  if (!file) {
    if (w)
      warnings_add(w, "no-counter-aliases", NULL, 0,
                   "%s; localized counter names match only as written",
                   miss.message);
    diag_fini(&miss);
    return 0;
  }
  int rc = pdh_aliases_load(a, file, d);
  free(file);
  return rc;
}

static const char *alias_of(char **pairs, size_t n, const char *name) {
  char *f = pdh_fold(name);
  const char *r = NULL;
  for (size_t i = 0; i < n && !r; i++)
    if (strcmp(pairs[2 * i], f) == 0)
      r = pairs[2 * i + 1];
  free(f);
  return r;
}

void pdh_aliases_apply(const struct pdh_aliases *a, struct pdh_counter *c,
                       size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *o = alias_of(a->objects, a->nobjects, c[i].object);
    const char *k = alias_of(a->counters, a->ncounters, c[i].counter);
    free(c[i].object_en);
    free(c[i].counter_en);
    c[i].object_en = o ? xstrdup(o) : NULL;
    c[i].counter_en = k ? xstrdup(k) : NULL;
  }
}

/* ---- choosing a counter ------------------------------------------------- */

/* The path with English object and counter names, folded; NULL when it has
 * no alias. */
static char *english_path(const struct pdh_counter *c) {
  if (!c->object_en && !c->counter_en)
    return NULL;
  struct strbuf b;
  strbuf_init(&b);
  if (c->machine)
    strbuf_addf(&b, "\\\\%s", c->machine);
  strbuf_addf(&b, "\\%s", c->object_en ? c->object_en : c->object);
  if (c->instance) {
    strbuf_addc(&b, '(');
    if (c->parent)
      strbuf_addf(&b, "%s/", c->parent);
    strbuf_adds(&b, c->instance);
    if (c->index)
      strbuf_addf(&b, "#%ld", c->index);
    strbuf_addc(&b, ')');
  }
  strbuf_addf(&b, "\\%s", c->counter_en ? c->counter_en : c->counter);
  char *r = pdh_fold(b.data);
  strbuf_fini(&b);
  return r;
}

/* Whether c's path (or its English form) is fpat, folded, or holds it. The
 * path is compared as it folds, or folded into *buf for the substring: no
 * allocation a counter (on 20,007 columns, two a counter were a fifth of
 * inspect -c). */
static bool path_matches(const struct pdh_counter *c, const char *fpat, bool exact,
                         char **buf, size_t *cap) {
  if (exact ? folds_to(c->path, fpat) : strstr(fold_into(c->path, buf, cap), fpat) != NULL)
    return true;
  if (!c->object_en && !c->counter_en)
    return false;
  char *e = english_path(c);
  bool m = exact ? strcmp(e, fpat) == 0 : strstr(e, fpat) != NULL;
  free(e);
  return m;
}

/* Indices of the columns matching pattern: exact first, else substring. */
static size_t match_columns(const struct pdh_counter *c, size_t n,
                            const char *pattern, size_t *idx) {
  char *fpat = pdh_fold(pattern), *buf = NULL;
  size_t k = 0, cap = 0;
  for (int exact = 1; exact >= 0 && k == 0; exact--)
    for (size_t i = 0; i < n; i++)
      if (path_matches(&c[i], fpat, exact, &buf, &cap))
        idx[k++] = i;
  free(buf);
  free(fpat);
  return k;
}

static bool all_same_path(const struct pdh_counter *c, const size_t *idx,
                          size_t k) {
  for (size_t i = 1; i < k; i++)
    if (!fold_eq(c[idx[i]].path, c[idx[0]].path))
      return false;
  return true;
}

/* "\n  PATH" (with "#K" for duplicates) for each listed column. */
static char *list_columns(const struct pdh_counter *c, const size_t *idx,
                          size_t k) {
  struct strbuf b;
  strbuf_init(&b);
  for (size_t i = 0; i < k && i < LIST_MAX; i++) {
    const struct pdh_counter *x = idx ? &c[idx[i]] : &c[i];
    strbuf_addf(&b, "\n  %s", x->path);
    if (x->dups > 1)
      strbuf_addf(&b, "#%d", x->dup);
  }
  if (k > LIST_MAX)
    strbuf_addf(&b, "\n  ... and %zu more", k - LIST_MAX);
  return strbuf_detach(&b);
}

/* PATH#K: the K-th duplicate column of PATH. */
static long pick_duplicate(const struct pdh_counter *c, size_t n,
                           const char *pattern, size_t *idx) {
  const char *hash = strrchr(pattern, '#');
  if (!hash || !hash[1] || strspn(hash + 1, "0123456789") != strlen(hash + 1))
    return -1;
  long want = strtol(hash + 1, NULL, 10);
  char *base = xstrndup(pattern, (size_t)(hash - pattern));
  size_t k = match_columns(c, n, base, idx);
  free(base);
  if (k < 2 || !all_same_path(c, idx, k))
    return -1;
  for (size_t i = 0; i < k; i++)
    if (c[idx[i]].dup == want)
      return (long)idx[i];
  return -1;
}

long pdh_find_counter(const struct pdh_counter *c, size_t n,
                      const char *pattern, struct diag *d) {
  size_t *idx = xcalloc(n + 1, sizeof *idx);
  size_t k = match_columns(c, n, pattern, idx);
  long found = k == 1 ? (long)idx[0] : -1;
  if (k == 0)
    found = pick_duplicate(c, n, pattern, idx);
  if (found < 0) {
    char *list = list_columns(c, k ? idx : NULL, k ? k : n);
    if (k == 0)
      diag_set(d, DIAG_USAGE, NULL, 0, 0,
               "no counter matches '%s'; the log has:%s", pattern, list);
    else if (all_same_path(c, idx, k))
      diag_set(d, DIAG_USAGE, NULL, 0, 0,
               "'%s' names %zu duplicate columns (pick one as PATH#K):%s",
               pattern, k, list);
    else
      diag_set(d, DIAG_USAGE, NULL, 0, 0,
               "'%s' matches %zu counters (give more of the path):%s",
               pattern, k, list);
    free(list);
  }
  free(idx);
  return found;
}

/* ---- choosing a process ------------------------------------------------- */

static bool is_process(const struct pdh_counter *c) {
  return c->instance && (fold_eq(c->object, "process") ||
                         fold_eq(c->object_en, "process"));
}

static size_t strip_exe(const char *name, size_t n) {
  return n > 4 && strncasecmp(name + n - 4, ".exe", 4) == 0 ? n - 4 : n;
}

/* NAME without ".exe" and its "#N" (in either order: "a.exe#1", "a#1.exe"). */
static char *process_name(const char *name, long *index) {
  size_t n = strip_exe(name, strlen(name));
  *index = -1;
  size_t k = n;
  while (k > 0 && name[k - 1] >= '0' && name[k - 1] <= '9')
    k--;
  if (k > 0 && k < n && name[k - 1] == '#' && n - k < 10) {
    *index = strtol(name + k, NULL, 10);
    n = strip_exe(name, k - 1);
  }
  return xstrndup(name, n);
}

static char *list_processes(const struct pdh_counter *c, size_t n) {
  struct strbuf b;
  strbuf_init(&b);
  size_t shown = 0, more = 0;
  for (size_t i = 0; i < n; i++) {
    if (!is_process(&c[i]))
      continue;
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++)
      seen = is_process(&c[j]) && fold_eq(c[j].instance, c[i].instance) &&
             c[j].index == c[i].index;
    if (seen)
      continue;
    if (shown++ >= LIST_MAX) {
      more++;
      continue;
    }
    strbuf_addf(&b, "%s%s", shown > 1 ? ", " : " ", c[i].instance);
    if (c[i].index)
      strbuf_addf(&b, "#%ld", c[i].index);
  }
  if (more)
    strbuf_addf(&b, " and %zu more", more);
  if (!shown)
    strbuf_adds(&b, " none");
  return strbuf_detach(&b);
}

long pdh_find_process(const struct pdh_counter *c, size_t n, const char *name,
                      const char *counter, size_t **out, struct diag *d) {
  long index;
  char *base = process_name(name, &index);
  size_t *idx = xcalloc(n + 1, sizeof *idx);
  size_t k = 0, named = 0;
  for (size_t i = 0; i < n; i++) {
    if (!is_process(&c[i]) || !fold_eq(c[i].instance, base) ||
        (index >= 0 && c[i].index != index))
      continue;
    named++;
    if (fold_eq(c[i].counter, counter) || fold_eq(c[i].counter_en, counter))
      idx[k++] = i;
  }
  if (k == 0) {
    char *list = list_processes(c, n);
    if (named)
      diag_set(d, DIAG_USAGE, NULL, 0, 0,
               "process '%s' has no counter '%s' logged (choose another "
               "with -c)",
               name, counter);
    else
      diag_set(d, DIAG_USAGE, NULL, 0, 0,
               "no process '%s' in the log (processes:%s)", name, list);
    free(list);
    free(idx);
    free(base);
    return -1;
  }
  free(base);
  *out = idx;
  return (long)k;
}
