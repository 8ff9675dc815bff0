/* pidset — a small set of pids (see pidset.h). */
#include "config.h"
#include "util/pidset.h"
#include "util/xalloc.h"

bool pidset_has(const int64_t *pids, size_t n, int64_t pid) {
  for (size_t i = 0; i < n; i++)
    if (pids[i] == pid)
      return true;
  return false;
}

bool pidset_add(int64_t **pids, size_t *n, int64_t pid) {
  if (pidset_has(*pids, *n, pid))
    return false;
  *pids = xreallocarray(*pids, *n + 1, sizeof **pids);
  (*pids)[(*n)++] = pid;
  return true;
}
