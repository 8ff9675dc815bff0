/* pidset — a set of process ids as an array and its count, in the order
 * first added: the pids a process had (its ID Process counter, --pid) and
 * the ones a trace's cycles are claimed by or dropped for. A process has a
 * few pids (one per restart), so a linear search is the right size; the
 * array form is what cycles_claim_pids and the reports take. */
#ifndef LEAKSLOPE_PIDSET_H
#define LEAKSLOPE_PIDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether pid is one of pids[0..n). */
bool pidset_has(const int64_t *pids, size_t n, int64_t pid);

/* Add pid to *pids (malloc'ed, grown; *n of them) unless it is there:
 * true when added. The caller frees *pids. */
bool pidset_add(int64_t **pids, size_t *n, int64_t pid);

#endif
