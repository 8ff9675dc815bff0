/* u64map — a hash from 64-bit keys (pids, dlopen handles) to indexes into
 * the caller's array, so that a reader looking one up per line stays linear
 * on a hostile trace of 100,000 pids or handles (a walk of the array was
 * 100,000^2 comparisons: 19 s). Open addressing with tombstones. */
#ifndef LEAKSLOPE_U64MAP_H
#define LEAKSLOPE_U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map {
  struct u64slot *s;
  size_t cap, used, live; /* used counts tombstones too */
};

void u64map_init(struct u64map *m);
void u64map_fini(struct u64map *m);
/* Drop every key (the memory stays). */
void u64map_clear(struct u64map *m);
/* The value of key, or SIZE_MAX when absent. */
size_t u64map_get(const struct u64map *m, uint64_t key);
/* Set key's value (added, or replaced). */
void u64map_put(struct u64map *m, uint64_t key, size_t value);
void u64map_del(struct u64map *m, uint64_t key);

#endif
