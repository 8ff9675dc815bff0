/* cycles — inventory and pairing of trace events (see cycles.h). */
#include "config.h"

#include "fit/cycles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/pidset.h"
#include "util/xalloc.h"

/* --- matching ------------------------------------------------------------- */

static size_t strip_exe(const char *s) {
  size_t n = strlen(s);
  return n >= 4 && strcasecmp(s + n - 4, ".exe") == 0 ? n - 4 : n;
}

bool cycles_process_match(const char *want, const char *name) {
  size_t a = strip_exe(want), b = strip_exe(name);
  return a == b && strncasecmp(want, name, a) == 0;
}

/* name matches want exactly, or want is a prefix of name that ends at a
 * ".so." version boundary (libasound.so.2 ~ libasound.so.2.0.0). */
static bool name_match(const char *want, const char *name) {
  size_t n = strlen(want);
  if (strcasecmp(want, name) == 0)
    return true;
  const char *so = strstr(name, ".so");
  if (!so || (so[3] != '.' && so[3] != '\0'))
    return false;
  size_t v = (size_t)(so - name) + 3;
  return n >= v && strncasecmp(want, name, n) == 0 && name[n] == '.';
}

static const char *base_of(const char *p) {
  const char *b = p;
  for (; *p; p++)
    if (*p == '/' || *p == '\\')
      b = p + 1;
  return b;
}

bool cycles_module_match(const char *want, const char *name,
                         const char *resolved) {
  want = base_of(want);
  return name_match(want, name) ||
         (resolved && name_match(want, base_of(resolved)));
}

/* --- a small string-keyed hash: key -> (a, b) ----------------------------- */

struct slot {
  char *key;
  size_t a, b;
};

struct table {
  struct slot *s;
  size_t cap, used;
};

static uint64_t hash_str(const char *k) {
  uint64_t h = 1469598103934665603u; /* FNV-1a */
  for (; *k; k++)
    h = (h ^ (unsigned char)*k) * 1099511628211u;
  return h;
}

static struct slot *table_find(struct table *t, const char *key) {
  if (!t->cap)
    return NULL;
  for (size_t i = hash_str(key) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
    if (!t->s[i].key)
      return &t->s[i];
    if (strcmp(t->s[i].key, key) == 0)
      return &t->s[i];
  }
}

static void table_grow(struct table *t) {
  struct table n = {xcalloc(t->cap ? 2 * t->cap : 64, sizeof *n.s),
                    t->cap ? 2 * t->cap : 64, t->used};
  for (size_t i = 0; i < t->cap; i++)
    if (t->s[i].key)
      *table_find(&n, t->s[i].key) = t->s[i];
  free(t->s);
  *t = n;
}

/* The slot for key, inserted (key copied, a = b = SIZE_MAX) if new. */
static struct slot *table_get(struct table *t, const char *key) {
  if (2 * (t->used + 1) > t->cap)
    table_grow(t);
  struct slot *s = table_find(t, key);
  if (!s->key) {
    s->key = xstrdup(key);
    s->a = s->b = SIZE_MAX;
    t->used++;
  }
  return s;
}

static void table_fini(struct table *t) {
  for (size_t i = 0; i < t->cap; i++)
    free(t->s[i].key);
  free(t->s);
}

/* --- private state -------------------------------------------------------- */

struct sel_event {
  usec_t t;
  int64_t pid;
  uint32_t path;
  uint32_t kind;
  size_t seq;
};

struct pid_span {
  int64_t pid;
  size_t proc; /* index into procs at the time (names are unique) */
  usec_t first, last;
};

struct impl {
  bool loads_only;
  char *process, *module;
  struct table procs; /* lower(process) -> a = proc index */
  struct table pairs; /* lower(process) \x1f module -> a proc, b module */
  struct table seen;  /* owner ids \x1f value -> index in that list */
  struct strbuf key;
  struct sel_event *ev;
  size_t nev, capev;
  struct pid_span *spans;
  size_t nspans;
  int64_t *claim;     /* cycles_claim_pids */
  size_t nclaim;
  int64_t *unnamed;   /* pids of events without a process name */
  size_t nunnamed;
  struct memo *memo;  /* memo_cap slots, memo_used of them taken */
  size_t memo_cap, memo_used;
  struct strbuf memo_keys; /* the memo's keys, one after the other */
  struct strbuf memo_key;  /* this event's */
  size_t last_state;  /* state_of's last answer */
};

void cycles_init(struct cycles *c, const char *process, const char *module,
                 bool loads_only) {
  memset(c, 0, sizeof *c);
  struct impl *m = xcalloc(1, sizeof *m);
  m->loads_only = loads_only;
  m->process = process ? xstrdup(process) : NULL;
  m->module = module ? xstrdup(module) : NULL;
  strbuf_init(&m->key);
  strbuf_init(&m->memo_key);
  strbuf_init(&m->memo_keys);
  c->impl = m;
  c->sel.active = process || module;
  c->sel.process = m->process;
  c->sel.module = m->module;
}

void cycles_claim_pids(struct cycles *c, const int64_t *pids, size_t n) {
  struct impl *m = c->impl;
  if (n == 0)
    return;
  m->claim = xmemdup(pids, n * sizeof *pids);
  m->nclaim = n;
  c->sel.claim_pids = m->claim;
  c->sel.nclaim_pids = n;
  c->sel.active = true;
}

static bool claimed_pid(const struct impl *m, int64_t pid) {
  return pidset_has(m->claim, m->nclaim, pid);
}

static void lower_into(struct strbuf *b, const char *s) {
  /* data is a string even for "" (unknown process) */
  strbuf_add_lower(b, s, strlen(s));
}

/* Room for element n of an array that grows by doubling: n at a power of
 * two (the arrays below keep no capacity, and growing them by one element
 * at a time costs a copy per element on a trace of 200,000 pids). */
static void *grow_at(void *a, size_t n, size_t size) {
  if (n & (n - 1))
    return a;
  return xreallocarray(a, n ? 2 * n : 1, size);
}

/* "%lld" of pid into num (24 bytes), without printf's cost per event. */
static void pid_text(char *num, int64_t pid) {
  char tmp[24];
  size_t i = sizeof tmp;
  unsigned long long u = pid < 0 ? 0ull - (unsigned long long)pid : (unsigned long long)pid;
  do {
    tmp[--i] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (pid < 0)
    tmp[--i] = '-';
  memcpy(num, tmp + i, sizeof tmp - i);
  num[sizeof tmp - i] = '\0';
}

/* The lists of pids and paths below are sets: whether a value is already in
 * one is a look-up in one hash keyed by the list's owner (a short tag) and
 * the value, not a walk of the list (200,000 distinct pids or paths were
 * 200,000^2 comparisons, minutes). Returns the slot: a == SIZE_MAX when new. */
static struct slot *seen_slot(struct impl *m, const char *owner, size_t id,
                              size_t id2, const char *value, bool fold) {
  strbuf_reset(&m->key);
  /* owner, id, '.', id2, 0x1f by hand: snprintf here was a third of the
   * time of a million-cycle `analyze` */
  strbuf_adds(&m->key, owner);
  strbuf_add_u64(&m->key, id);
  strbuf_addc(&m->key, '.');
  strbuf_add_u64(&m->key, id2);
  strbuf_addc(&m->key, '\x1f');
  if (fold)
    lower_into(&m->key, value);
  else
    strbuf_adds(&m->key, value);
  return table_get(&m->seen, m->key.data);
}

static void push_pid(struct impl *m, const char *owner, size_t id,
                     int64_t **pids, size_t *n, int64_t pid) {
  char num[24];
  pid_text(num, pid);
  struct slot *s = seen_slot(m, owner, id, 0, num, false);
  if (s->a != SIZE_MAX)
    return;
  s->a = *n;
  *pids = grow_at(*pids, *n, sizeof **pids);
  (*pids)[(*n)++] = pid;
}

/* Paths compare without case, as Windows does. */
static size_t push_path(struct impl *m, const char *owner, size_t id,
                        size_t id2, char ***paths, size_t *n, const char *path) {
  struct slot *s = seen_slot(m, owner, id, id2, path, true);
  if (s->a != SIZE_MAX)
    return s->a;
  s->a = *n;
  *paths = grow_at(*paths, *n, sizeof **paths);
  (*paths)[*n] = xstrdup(path);
  return (*n)++;
}

static struct cycles_process *process_of(struct cycles *c, const char *name) {
  struct impl *m = c->impl;
  strbuf_reset(&m->key);
  lower_into(&m->key, name);
  struct slot *s = table_get(&m->procs, m->key.data ? m->key.data : "");
  if (s->a == SIZE_MAX) {
    c->procs = grow_at(c->procs, c->nprocs, sizeof *c->procs);
    memset(&c->procs[c->nprocs], 0, sizeof *c->procs);
    c->procs[c->nprocs].name = xstrdup(name);
    s->a = c->nprocs++;
  }
  return &c->procs[s->a];
}

static struct cycles_module *module_of(struct cycles *c, size_t pi,
                                       const char *name) {
  struct impl *m = c->impl;
  strbuf_reset(&m->key);
  lower_into(&m->key, c->procs[pi].name);
  strbuf_addc(&m->key, '\x1f');
  strbuf_adds(&m->key, name);
  struct slot *s = table_get(&m->pairs, m->key.data);
  struct cycles_process *p = &c->procs[pi];
  if (s->a == SIZE_MAX) {
    p->mods = grow_at(p->mods, p->nmods, sizeof *p->mods);
    memset(&p->mods[p->nmods], 0, sizeof *p->mods);
    p->mods[p->nmods].name = xstrdup(name);
    s->a = pi;
    s->b = p->nmods++;
  }
  return &p->mods[s->b];
}

static void count(struct cycles_module *mod, enum trace_kind k) {
  if (k == TRACE_LOAD)
    mod->loads++;
  else if (k == TRACE_UNLOAD)
    mod->unloads++;
  else
    mod->rundown++;
}

/* The span of (proc, pid): its index in m->spans, made on first sight. */
static size_t span_of(struct impl *m, size_t proc, int64_t pid, usec_t t) {
  char num[24];
  pid_text(num, pid);
  struct slot *sl = seen_slot(m, "t", proc, 0, num, false);
  if (sl->a == SIZE_MAX) {
    sl->a = m->nspans;
    m->spans = grow_at(m->spans, m->nspans, sizeof *m->spans);
    m->spans[m->nspans++] = (struct pid_span){pid, proc, t, t};
  }
  return sl->a;
}

static void span_touch(struct impl *m, size_t span, usec_t t) {
  struct pid_span *s = &m->spans[span];
  if (t < s->first)
    s->first = t;
  if (t > s->last)
    s->last = t;
}

/* --- the memo: what an event like an earlier one led to ----------------- */

/* Every look-up cycles_add makes depends only on the event's process, pid,
 * module name, path, version and resolved path (and on -p/-m and the
 * claimed pids, fixed before the first event), and a repeated look-up
 * changes nothing. So a memo keyed by those strings keeps the answers: an
 * event seen before costs one hash of its strings instead of seven
 * hash-table look-ups with keys built byte by byte (most of `events` and of
 * a million-cycle `analyze`). It holds at most MEMO_MAX events' keys (pids
 * times paths can be millions): when full it is emptied, and the next
 * events take the full path again, with the same results. */
#define MEMO_MAX ((size_t)1 << 15)

struct memo {
  uint64_t hash;
  size_t off, len;  /* the key in memo_keys (see memo_key); len 0: empty */
  size_t pi, mi;    /* process and module index */
  size_t span;      /* index in spans, SIZE_MAX when none is kept */
  uint32_t sel_path; /* selected: index in sel.paths */
  bool pm;          /* the event is of the chosen process */
  bool claimed;     /*   taken by its pid (an unnamed process) */
  bool selected;    /*   and of the chosen module */
};

static void key_str(struct strbuf *b, const char *s) {
  size_t n = s ? strlen(s) : SIZE_MAX; /* NULL apart from "" */
  strbuf_add(b, (const char *)&n, sizeof n);
  if (s)
    strbuf_add(b, s, n);
}

static void memo_key(struct strbuf *b, const struct trace_event *ev,
                     const char *process, const char *name) {
  strbuf_reset(b);
  strbuf_add(b, (const char *)&ev->pid, sizeof ev->pid);
  key_str(b, process);
  key_str(b, name);
  key_str(b, ev->path);
  key_str(b, ev->version);
  key_str(b, ev->resolved);
}

/* 8 bytes a step (FNV-1a byte by byte over 100-byte keys was the cost). */
static uint64_t memo_hash(const char *p, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;
  for (; n >= 8; p += 8, n -= 8) {
    memcpy(&w, p, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdu;
    h ^= h >> 32;
  }
  w = 0;
  memcpy(&w, p, n);
  h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
  return h ^ (h >> 29);
}

static struct memo *memo_probe(struct memo *slots, size_t cap, uint64_t h,
                               const char *keys, const struct strbuf *key) {
  for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
    struct memo *e = &slots[i];
    if (!e->len || (e->hash == h && e->len == key->len &&
                    memcmp(keys + e->off, key->data, key->len) == 0))
      return e;
  }
}

/* Room for one more key: the table doubles up to twice MEMO_MAX slots,
 * and is emptied when it holds MEMO_MAX keys. */
static void memo_room(struct impl *m) {
  if (m->memo_used >= MEMO_MAX) {
    memset(m->memo, 0, m->memo_cap * sizeof *m->memo);
    strbuf_reset(&m->memo_keys);
    m->memo_used = 0;
  }
  if (2 * (m->memo_used + 1) <= m->memo_cap)
    return;
  size_t cap = m->memo_cap ? 2 * m->memo_cap : 1024;
  struct memo *slots = xcalloc(cap, sizeof *slots);
  for (size_t i = 0; i < m->memo_cap; i++) {
    struct memo *e = &m->memo[i];
    if (e->len) {
      struct strbuf k = {m->memo_keys.data + e->off, e->len, 0};
      *memo_probe(slots, cap, e->hash, m->memo_keys.data, &k) = *e;
    }
  }
  free(m->memo);
  m->memo = slots;
  m->memo_cap = cap;
}

/* The memo entry for key: *hit tells whether it holds key's answers; a new
 * one has its key stored and the rest for the caller to fill. */
static struct memo *memo_find(struct impl *m, const struct strbuf *key, bool *hit) {
  uint64_t h = memo_hash(key->data, key->len);
  struct memo *e = m->memo_cap ? memo_probe(m->memo, m->memo_cap, h,
                                            m->memo_keys.data, key)
                               : NULL;
  *hit = e && e->len;
  if (*hit)
    return e;
  memo_room(m);
  e = memo_probe(m->memo, m->memo_cap, h, m->memo_keys.data, key);
  e->hash = h;
  e->off = m->memo_keys.len;
  e->len = key->len;
  strbuf_add(&m->memo_keys, key->data, key->len);
  m->memo_used++;
  return e;
}

static void memo_fini(struct impl *m) {
  free(m->memo);
  m->memo = NULL;
  m->memo_cap = m->memo_used = 0;
  strbuf_fini(&m->memo_keys);
}

/* --- one event -------------------------------------------------------------- */

/* The inventory and selection look-ups for an event not in the memo, in the
 * order the lists record first appearances; the answers go into e. */
static void look_up(struct cycles *c, const struct trace_event *ev,
                    const char *process, const char *name, struct memo *e) {
  struct impl *m = c->impl;
  struct cycles_process *p = process_of(c, process);
  size_t pi = (size_t)(p - c->procs);
  push_pid(m, "p", pi, &p->pids, &p->npids, ev->pid);
  struct cycles_module *mod = module_of(c, pi, name);
  size_t mi = (size_t)(mod - p->mods);
  push_path(m, "m", pi, mi, &mod->paths, &mod->npaths, ev->path);
  if (ev->version)
    push_path(m, "v", pi, mi, &mod->versions, &mod->nversions, ev->version);
  e->pi = pi;
  e->mi = mi;
  e->span = SIZE_MAX;
  e->sel_path = 0;
  e->pm = e->claimed = e->selected = false;
  if (!c->sel.active)
    return;
  if (!*process)
    push_pid(m, "u", 0, &m->unnamed, &m->nunnamed, ev->pid);
  e->pm = !m->process ? m->nclaim == 0 || claimed_pid(m, ev->pid)
                      : cycles_process_match(m->process, process);
  if (m->process && !e->pm && !*process && claimed_pid(m, ev->pid))
    e->pm = e->claimed = true;
  if (m->process && e->pm)
    e->span = span_of(m, pi, ev->pid, ev->time);
  e->selected = e->pm && m->module && cycles_module_match(m->module, name, ev->resolved);
  if (!e->selected)
    return;
  e->sel_path = (uint32_t)push_path(m, "S", 0, 0, &c->sel.paths, &c->sel.npaths, ev->path);
  push_pid(m, "s", 0, &c->sel.pids, &c->sel.npids, ev->pid);
  if (!m->process)
    e->span = span_of(m, pi, ev->pid, ev->time);
}

static void select_event(struct cycles *c, const struct memo *e,
                         const struct trace_event *ev) {
  struct impl *m = c->impl;
  c->sel.module_seen = true;
  if (m->nev == m->capev) {
    m->capev = m->capev ? 2 * m->capev : 256;
    m->ev = xreallocarray(m->ev, m->capev, sizeof *m->ev);
  }
  m->ev[m->nev] = (struct sel_event){ev->time, ev->pid, e->sel_path,
                                     (uint32_t)ev->kind, m->nev};
  m->nev++;
}

void cycles_add(struct cycles *c, const struct trace_event *ev) {
  struct impl *m = c->impl;
  if (c->events == 0 || ev->time < c->first)
    c->first = ev->time;
  if (c->events == 0 || ev->time > c->last)
    c->last = ev->time;
  c->events++;
  /* Readers fill both names; a reader bug must not become a NULL here. */
  const char *process = ev->process ? ev->process : "";
  const char *name = ev->name ? ev->name : "";
  memo_key(&m->memo_key, ev, process, name);
  bool hit;
  struct memo *e = memo_find(m, &m->memo_key, &hit);
  if (!hit)
    look_up(c, ev, process, name, e);
  count(&c->procs[e->pi].mods[e->mi], ev->kind);
  if (!c->sel.active)
    return;
  c->sel.claimed += e->claimed;
  if (m->process && e->pm)
    c->sel.process_seen = true;
  if (e->span != SIZE_MAX)
    span_touch(m, e->span, ev->time);
  if (e->selected)
    select_event(c, e, ev);
}

/* qsort, which must not be handed a NULL array even when n is 0. A trace's
 * events mostly come in time order: one look finds them sorted (the sort of
 * two million was a seventh of a million-cycle `analyze`), and what it
 * leaves is what a stable sort would give. */
static void sort(void *base, size_t n, size_t size,
                 int (*cmp)(const void *, const void *)) {
  const char *p = base;
  size_t i = 1;
  while (i < n && cmp(p + (i - 1) * size, p + i * size) <= 0)
    i++;
  if (i < n)
    qsort(base, n, size, cmp);
}

/* --- pairing -------------------------------------------------------------- */

static int cmp_event(const void *a, const void *b) {
  const struct sel_event *x = a, *y = b;
  if (x->t != y->t)
    return x->t < y->t ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_cycle(const void *a, const void *b) {
  const struct join_cycle *x = a, *y = b;
  if (x->load != y->load)
    return x->load < y->load ? -1 : 1;
  return x->unload < y->unload ? -1 : x->unload > y->unload;
}

/* Per (pid, path): what is open. */
struct pair_state {
  int64_t pid;
  uint32_t path;
  int open; /* 0 nothing, 1 a load at `since`, 2 loaded before the trace */
  usec_t since;
};

static size_t state_index(struct impl *m, const char *owner,
                          struct pair_state **st, size_t *n,
                          const struct sel_event *e);

/* The state of e's (pid, path) among n in *st; owner tells apart the
 * callers' lists in the seen hash (no walk of every pid's state). */
static struct pair_state *state_of(struct impl *m, const char *owner,
                                   struct pair_state **st, size_t *n,
                                   const struct sel_event *e) {
  /* the last one asked for first: one module of one pid is the usual run */
  if (*n && (*st)[m->last_state].pid == e->pid && (*st)[m->last_state].path == e->path)
    return &(*st)[m->last_state];
  m->last_state = state_index(m, owner, st, n, e);
  return &(*st)[m->last_state];
}

static size_t state_index(struct impl *m, const char *owner,
                          struct pair_state **st, size_t *n,
                          const struct sel_event *e) {
  char num[24];
  pid_text(num, e->pid);
  struct slot *sl = seen_slot(m, owner, e->path, 0, num, false);
  if (sl->a != SIZE_MAX)
    return sl->a;
  sl->a = *n;
  *st = grow_at(*st, *n, sizeof **st);
  (*st)[*n] = (struct pair_state){e->pid, e->path, 0, 0};
  return (*n)++;
}

static void add_cycle(struct cycles_selection *s, usec_t load, usec_t unload,
                      bool has_unload, int64_t pid) {
  s->cycles = grow_at(s->cycles, s->ncycles, sizeof *s->cycles);
  s->cycles[s->ncycles++] =
      (struct join_cycle){load, unload, has_unload, (long)pid};
}

static void pair_explicit(struct pair_state *p, const struct sel_event *e,
                          struct cycles_selection *s) {
  if (e->kind == TRACE_RUNDOWN) {
    s->rundown++;
    if (p->open == 0)
      p->open = 2;
  } else if (e->kind == TRACE_LOAD) {
    if (p->open == 1)
      s->unmatched_loads++;
    p->open = 1;
    p->since = e->t;
  } else if (p->open == 0) {
    s->unmatched_unloads++;
  } else {
    if (p->open == 1)
      add_cycle(s, p->since, e->t, true, e->pid);
    p->open = 0;
  }
}

static void pair_implied(struct pair_state *p, const struct sel_event *e,
                         struct cycles_selection *s) {
  if (e->kind == TRACE_RUNDOWN) {
    s->rundown++;
    return;
  }
  if (e->kind != TRACE_LOAD)
    return;
  if (p->open == 1 && e->t - p->since < s->merge_usec) {
    s->merged_loads++;
    return; /* the same mapping logged twice: keep the first load */
  }
  if (p->open == 1) {
    add_cycle(s, p->since, e->t, false, e->pid);
    s->implied_unloads++;
  }
  p->open = 1;
  p->since = e->t;
}

/* The window under which a second load is the same mapping logged twice:
 * CYCLES_MERGE_USEC, but never more than a tenth of the typical gap between
 * loads of one module in one process, so that a genuinely fast
 * LoadLibrary/FreeLibrary loop keeps every cycle. The upper quartile is the
 * typical gap: when every load is logged twice, half the gaps are tiny. */
static usec_t merge_window(struct impl *m) {
  struct pair_state *st = NULL;
  size_t nst = 0, ngap = 0;
  usec_t *gap = xreallocarray(NULL, m->nev + 1, sizeof *gap);
  for (size_t i = 0; i < m->nev; i++) {
    if (m->ev[i].kind != TRACE_LOAD)
      continue;
    struct pair_state *p = state_of(m, "w", &st, &nst, &m->ev[i]);
    if (p->open)
      gap[ngap++] = m->ev[i].t - p->since;
    p->open = 1;
    p->since = m->ev[i].t;
  }
  free(st);
  usec_t w = CYCLES_MERGE_USEC;
  if (ngap >= 8) {
    sort(gap, ngap, sizeof *gap, usec_cmp);
    usec_t tenth = gap[ngap * 3 / 4] / 10;
    if (tenth < w)
      w = tenth;
  }
  free(gap);
  return w;
}

static void pair_all(struct cycles *c) {
  struct impl *m = c->impl;
  struct cycles_selection *s = &c->sel;
  struct pair_state *st = NULL;
  size_t nst = 0;
  sort(m->ev, m->nev, sizeof *m->ev, cmp_event);
  for (size_t i = 0; i < m->nev; i++) {
    const struct sel_event *e = &m->ev[i];
    s->loads += e->kind == TRACE_LOAD;
    s->unloads += e->kind == TRACE_UNLOAD;
  }
  s->fell_back = !m->loads_only && s->loads > 0 && s->unloads == 0;
  /* A loads-only format's named cycles (event maps) have real ends. */
  s->implied = (m->loads_only && s->unloads == 0) || s->fell_back;
  s->merge_usec = s->implied ? merge_window(m) : 0;
  for (size_t i = 0; i < m->nev; i++) {
    struct pair_state *p = state_of(m, "q", &st, &nst, &m->ev[i]);
    (s->implied ? pair_implied : pair_explicit)(p, &m->ev[i], s);
  }
  for (size_t i = 0; i < nst; i++) /* still loaded when the trace ends */
    s->unmatched_loads += st[i].open == 1;
  free(st);
  sort(s->cycles, s->ncycles, sizeof *s->cycles, cmp_cycle);
}

static int cmp_span(const void *a, const void *b) {
  const struct pid_span *x = a, *y = b;
  if (x->proc != y->proc)
    return x->proc < y->proc ? -1 : 1;
  return x->first < y->first ? -1 : x->first > y->first;
}

/* A restart: a new pid of the same process name whose first event comes
 * after every earlier pid's last. */
static long count_restarts(struct impl *m) {
  sort(m->spans, m->nspans, sizeof *m->spans, cmp_span);
  long n = 0;
  usec_t last = 0;
  for (size_t i = 0; i < m->nspans; i++) {
    bool same = i > 0 && m->spans[i].proc == m->spans[i - 1].proc;
    if (same)
      n += m->spans[i].first > last;
    if (!same || m->spans[i].last > last)
      last = m->spans[i].last;
  }
  return n;
}

static void rate(struct cycles_selection *s) {
  if (s->ncycles < 2)
    return;
  usec_t from = s->cycles[0].load, to = from;
  for (size_t i = 0; i < s->ncycles; i++)
    if (s->cycles[i].unload > to)
      to = s->cycles[i].unload;
  if (to <= from)
    return;
  s->cycles_per_hour = (double)s->ncycles * (double)USEC_PER_HOUR /
                       (double)(to - from);
  s->nbuckets = s->ncycles < 10 ? s->ncycles : 10;
  s->buckets = xcalloc(s->nbuckets, sizeof *s->buckets);
  usec_t width = (to - from + (usec_t)s->nbuckets - 1) / (usec_t)s->nbuckets;
  for (size_t b = 0; b < s->nbuckets; b++) {
    s->buckets[b].from = from + (usec_t)b * width;
    s->buckets[b].to = b + 1 == s->nbuckets ? to : from + (usec_t)(b + 1) * width;
  }
  for (size_t i = 0; i < s->ncycles; i++) {
    size_t b = (size_t)((s->cycles[i].load - from) / width);
    s->buckets[b < s->nbuckets ? b : s->nbuckets - 1].cycles++;
  }
}

/* --- a missed selection ---------------------------------------------------- */

/* "a, b, c" of at most 30 names. */
static void list_add(struct strbuf *b, size_t *n, const char *name) {
  if ((*n)++ < 30)
    strbuf_addf(b, "%s%s", *n > 1 ? ", " : "", *name ? name : "(unnamed)");
  else if (*n == 31)
    strbuf_adds(b, ", ...");
}

int cycles_check_selection(const struct cycles *c, const char *file,
                           struct diag *d) {
  const struct cycles_selection *s = &c->sel;
  bool proc_missed = s->process && !s->process_seen;
  if (!proc_missed && (!s->module || s->module_seen))
    return 0;
  struct strbuf b;
  size_t n = 0;
  strbuf_init(&b);
  for (size_t i = 0; i < c->nprocs; i++) {
    const struct cycles_process *p = &c->procs[i];
    if (proc_missed)
      list_add(&b, &n, p->name);
    else if (!s->process || cycles_process_match(s->process, p->name))
      for (size_t k = 0; k < p->nmods; k++)
        list_add(&b, &n, p->mods[k].name);
  }
  const struct impl *m = c->impl;
  if (proc_missed && m->nunnamed > 0) {
    struct strbuf pids;
    strbuf_init(&pids);
    for (size_t i = 0; i < m->nunnamed && i < 8; i++)
      strbuf_addf(&pids, "%s%lld", i ? ", " : "", (long long)m->unnamed[i]);
    if (m->nunnamed > 8)
      strbuf_adds(&pids, ", ...");
    diag_set(d, DIAG_USAGE, file, 0, 0,
             "no process '%s' in the trace (it has: %s); events of pid%s %s have no "
             "process name (no process rundown): say which pid %s is with --pid N, or "
             "give the counter log with %s's 'ID Process' counter (events --log LOG, or analyze LOG -e TRACE)",
             s->process, n ? b.data : "none", m->nunnamed > 1 ? "s" : "", pids.data,
             s->process, s->process);
    strbuf_fini(&pids);
  } else if (proc_missed)
    diag_set(d, DIAG_USAGE, file, 0, 0,
             "no process '%s' in the trace (it has: %s)", s->process,
             n ? b.data : "none");
  else
    diag_set(d, DIAG_USAGE, file, 0, 0, "no module '%s' loaded%s%s (loaded: %s)",
             s->module, s->process ? " by " : "", s->process ? s->process : "",
             n ? b.data : "nothing");
  strbuf_fini(&b);
  return -1;
}

/* --- the counter log's clock ------------------------------------------------ */

size_t cycles_in_span(const struct cycles_selection *s, usec_t from,
                      usec_t to) {
  size_t n = 0;
  for (size_t i = 0; i < s->ncycles; i++)
    n += s->cycles[i].load >= from && s->cycles[i].load <= to;
  return n;
}

static usec_t overlap(usec_t a0, usec_t a1, usec_t b0, usec_t b1) {
  usec_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
  return hi > lo ? hi - lo : 0;
}

/* Quarter-hour shifts within ±14 h (the widest time-zone offsets): the one
 * that overlaps the spans most; among equals a whole hour, then the one
 * nearest to lining up the middles. */
bool cycles_align_hint(usec_t log_from, usec_t log_to, usec_t tr_from,
                       usec_t tr_to, long *minutes) {
  if (tr_from <= log_to && tr_to >= log_from)
    return false;
  usec_t mid2 = (log_from + log_to) - (tr_from + tr_to); /* twice the gap */
  usec_t q = 15 * USEC_PER_MIN;
  usec_t best_ov = -1, best_dist = 0;
  long best = 0;
  bool best_hour = false;
  for (long k = -56; k <= 56; k++) {
    usec_t sh = k * q;
    usec_t ov = overlap(log_from, log_to, tr_from + sh, tr_to + sh);
    usec_t dist = 2 * sh - mid2 < 0 ? mid2 - 2 * sh : 2 * sh - mid2;
    bool hour = k % 4 == 0;
    if (ov > best_ov || (ov == best_ov && hour && !best_hour) ||
        (ov == best_ov && hour == best_hour && dist < best_dist)) {
      best_ov = ov;
      best_dist = dist;
      best = k;
      best_hour = hour;
    }
  }
  if (best_ov == 0) { /* farther than 14 h: line the middles up */
    usec_t k2 = (mid2 >= 0 ? mid2 + q : mid2 - q) / (2 * q);
    best = (long)k2;
  }
  *minutes = best * 15;
  return true;
}

bool cycles_partial_hint(usec_t log_from, usec_t log_to, usec_t tr_from,
                         usec_t tr_to, long *minutes) {
  usec_t lt = log_to - log_from, tt = tr_to - tr_from;
  usec_t shorter = lt < tt ? lt : tt;
  usec_t now = overlap(log_from, log_to, tr_from, tr_to);
  if (shorter <= 0 || now == 0 || now >= shorter / 10 * 9)
    return false;
  usec_t q = 15 * USEC_PER_MIN, best_ov = 0;
  long best = 0;
  for (long k = -56; k <= 56; k++) {
    if (k == 0)
      continue;
    usec_t ov = overlap(log_from, log_to, tr_from + k * q, tr_to + k * q);
    bool hour = k % 4 == 0, best_hour = best % 4 == 0;
    if (ov > best_ov || (ov == best_ov && hour && !best_hour) ||
        (ov == best_ov && hour == best_hour && labs(k) < labs(best))) {
      best_ov = ov;
      best = k;
    }
  }
  if (best_ov < shorter / 50 * 49)
    return false;
  *minutes = best * 15;
  return true;
}

/* --- finish --------------------------------------------------------------- */

static int cmp_proc(const void *a, const void *b) {
  const struct cycles_process *x = a, *y = b;
  return strcasecmp(x->name, y->name);
}

static int cmp_mod(const void *a, const void *b) {
  const struct cycles_module *x = a, *y = b;
  return strcmp(x->name, y->name);
}

static void warn_paths(const struct cycles_selection *s, struct warnings *w,
                       const char *file) {
  if (s->npaths < 2)
    return;
  struct strbuf b;
  strbuf_init(&b);
  /* Eight name the problem; a hostile trace's 200,000 would be a
   * megabyte-long warning. */
  size_t shown = s->npaths < 8 ? s->npaths : 8;
  for (size_t i = 0; i < shown; i++)
    strbuf_addf(&b, "%s%s", i ? ", " : "", s->paths[i]);
  if (shown < s->npaths)
    strbuf_addf(&b, " and %zu more", s->npaths - shown);
  warnings_add(w, "module-several-paths", file, 0,
               "module '%s' matches %zu paths (each is paired on its own): %s",
               s->module, s->npaths, b.data);
  strbuf_fini(&b);
}

void cycles_finish(struct cycles *c, struct warnings *w, const char *file) {
  struct impl *m = c->impl;
  c->sel.restarts = count_restarts(m);
  sort(c->procs, c->nprocs, sizeof *c->procs, cmp_proc);
  for (size_t i = 0; i < c->nprocs; i++)
    sort(c->procs[i].mods, c->procs[i].nmods, sizeof *c->procs[i].mods,
          cmp_mod);
  memo_fini(m); /* its indices are the unsorted ones */
  table_fini(&m->procs);
  table_fini(&m->pairs);
  memset(&m->procs, 0, sizeof m->procs);
  memset(&m->pairs, 0, sizeof m->pairs);
  if (!c->sel.active)
    return;
  pair_all(c);
  rate(&c->sel);
  warn_paths(&c->sel, w, file);
  if (c->sel.claimed > 0)
    warnings_add(w, "unnamed-by-pid", file, 0,
                 "%ld event(s) have no process name in the trace (no process rundown: "
                 "started after the process, or cut) and were taken as %s's by their pid",
                 c->sel.claimed, m->process);
  if (c->sel.merged_loads > 0)
    warnings_add(w, "double-loads-merged", file, 0,
                 "merged %ld load%s of '%s' that came less than %.3g ms "
                 "after a load of the same module in the same process (one "
                 "mapping logged twice; not counted as cycles)",
                 c->sel.merged_loads, c->sel.merged_loads == 1 ? "" : "s",
                 c->sel.module ? c->sel.module : "a module",
                 (double)c->sel.merge_usec / 1000.0);
  if (c->sel.fell_back)
    warnings_add(w, "implied-pairing", file, 0,
                 "the trace has %ld loads of '%s' but no unloads; pairing "
                 "them as implied (each further load implies an unload)",
                 c->sel.loads, c->sel.module);
}

void cycles_fini(struct cycles *c) {
  struct impl *m = c->impl;
  for (size_t i = 0; i < c->nprocs; i++) {
    struct cycles_process *p = &c->procs[i];
    for (size_t k = 0; k < p->nmods; k++) {
      for (size_t j = 0; j < p->mods[k].npaths; j++)
        free(p->mods[k].paths[j]);
      free(p->mods[k].paths);
      for (size_t j = 0; j < p->mods[k].nversions; j++)
        free(p->mods[k].versions[j]);
      free(p->mods[k].versions);
      free(p->mods[k].name);
    }
    free(p->mods);
    free(p->pids);
    free(p->name);
  }
  free(c->procs);
  for (size_t i = 0; i < c->sel.npaths; i++)
    free(c->sel.paths[i]);
  free(c->sel.paths);
  free(c->sel.pids);
  free(c->sel.cycles);
  free(c->sel.buckets);
  if (m) {
    table_fini(&m->procs);
    table_fini(&m->pairs);
    table_fini(&m->seen);
    strbuf_fini(&m->key);
    strbuf_fini(&m->memo_key);
    memo_fini(m);
    free(m->ev);
    free(m->spans);
    free(m->claim);
    free(m->unnamed);
    free(m->process);
    free(m->module);
    free(m);
  }
  memset(c, 0, sizeof *c);
}

size_t cycles_keep_pids(struct cycles_selection *s, const int64_t *pids, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < s->ncycles; i++)
    if (pidset_has(pids, n, s->cycles[i].pid))
      s->cycles[k++] = s->cycles[i];
  size_t dropped = s->ncycles - k;
  s->ncycles = k;
  return dropped;
}
