/* u64map — 64-bit key -> index hash (see u64map.h). */
#include "config.h"

#include "util/u64map.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

enum { EMPTY, FULL, GONE };

struct u64slot {
  uint64_t key;
  size_t value;
  unsigned char state;
};

static size_t hash(uint64_t k) {
  k ^= k >> 33; /* a murmur3 finalizer: pids and handles are clustered */
  k *= UINT64_C(0xff51afd7ed558ccd);
  k ^= k >> 33;
  return (size_t)k;
}

void u64map_init(struct u64map *m) { memset(m, 0, sizeof *m); }

void u64map_fini(struct u64map *m) {
  free(m->s);
  memset(m, 0, sizeof *m);
}

void u64map_clear(struct u64map *m) {
  if (m->s)
    memset(m->s, 0, m->cap * sizeof *m->s);
  m->used = m->live = 0;
}

/* The slot of key, or of where it would go (the first tombstone seen). */
static struct u64slot *find(const struct u64map *m, uint64_t key) {
  struct u64slot *gone = NULL;
  for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
    struct u64slot *s = &m->s[i];
    if (s->state == EMPTY)
      return gone ? gone : s;
    if (s->state == GONE) {
      if (!gone)
        gone = s;
    } else if (s->key == key) {
      return s;
    }
  }
}

size_t u64map_get(const struct u64map *m, uint64_t key) {
  if (!m->cap)
    return SIZE_MAX;
  const struct u64slot *s = find(m, key);
  return s->state == FULL && s->key == key ? s->value : SIZE_MAX;
}

static size_t pow2_at_least(size_t n) {
  size_t c = 64;
  while (c < n)
    c *= 2;
  return c;
}

static void rehash(struct u64map *m, size_t cap) {
  struct u64map n = {xcalloc(cap, sizeof *n.s), cap, 0, 0};
  for (size_t i = 0; i < m->cap; i++)
    if (m->s[i].state == FULL)
      u64map_put(&n, m->s[i].key, m->s[i].value);
  free(m->s);
  *m = n;
}

void u64map_put(struct u64map *m, uint64_t key, size_t value) {
  if (2 * (m->used + 1) > m->cap)
    rehash(m, pow2_at_least(4 * m->live));
  struct u64slot *s = find(m, key);
  if (s->state == FULL && s->key == key) {
    s->value = value;
    return;
  }
  if (s->state == EMPTY)
    m->used++;
  *s = (struct u64slot){key, value, FULL};
  m->live++;
}

void u64map_del(struct u64map *m, uint64_t key) {
  if (!m->cap)
    return;
  struct u64slot *s = find(m, key);
  if (s->state == FULL && s->key == key) {
    s->state = GONE;
    m->live--;
  }
}
