/* filemap — a regular file mapped read-only (see filemap.h): the map, the
 * pages released behind the reader, and the SIGBUS guard for a file that
 * shrinks under it. */
#include "config.h"
#include "input/filemap.h"
#include "util/xalloc.h"

#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Pages behind the reader are released in steps of this much: one
 * madvise per step, and at most this much of the file resident behind. */
#define RELEASE_STEP ((size_t)256 << 10)
/* Maps open at once (a reader, its read-ahead, a sniffer): more are read
 * with read(). */
#define GUARDS 8

/* What the SIGBUS handler may look at: set before a map is used, cleared
 * before it is unmapped. The handler runs in the thread that faulted, on
 * the faulting read, so volatile is all the ordering needed. */
struct guard {
  volatile uintptr_t base;
  volatile size_t len; /* 0: the slot is free */
  volatile size_t lost;
};

static struct guard guards[GUARDS];
static struct sigaction previous;
static bool handler_installed;
static size_t page_size;

struct filemap {
  int slot;
  unsigned char *base;
  size_t size, maplen, released;
};

static size_t round_up(size_t n) { return (n + page_size - 1) / page_size * page_size; }

/* A fault in a map: zeros from its page to the map's end, and the loss
 * noted. Anything else: the previous handler gets the fault again (the
 * read is retried on return). Only async-signal-safe calls here. */
static void on_sigbus(int sig, siginfo_t *si, void *ctx) {
  (void)sig, (void)ctx;
  uintptr_t at = (uintptr_t)si->si_addr;
  for (int i = 0; i < GUARDS; i++) {
    struct guard *g = &guards[i];
    uintptr_t base = g->base;
    size_t len = g->len;
    if (len == 0 || at < base || at - base >= len)
      continue;
    uintptr_t page = at / page_size * page_size;
    if (mmap((void *)page, base + len - page, PROT_READ,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
      break;
    if (page - base < g->lost)
      g->lost = page - base;
    return;
  }
  sigaction(SIGBUS, &previous, NULL);
}

static bool install_handler(void) {
  if (handler_installed)
    return true;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigbus;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGBUS, &sa, &previous) != 0)
    return false;
  handler_installed = true;
  return true;
}

static int free_slot(void) {
  for (int i = 0; i < GUARDS; i++)
    if (guards[i].len == 0)
      return i;
  return -1;
}

static void guard_set(int slot, const unsigned char *base, size_t len) {
  guards[slot].len = 0;
  guards[slot].lost = SIZE_MAX;
  guards[slot].base = (uintptr_t)base;
  guards[slot].len = len;
}

struct filemap *filemap_open(int fd, uint64_t size) {
  const char *on = getenv("LEAKSLOPE_MMAP");
  if (size == 0 || size > SIZE_MAX / 2 || !on || strcmp(on, "1") != 0 ||
      getenv("LEAKSLOPE_NO_MMAP"))
    return NULL;
  if (!page_size) {
    long p = sysconf(_SC_PAGESIZE);
    page_size = p > 0 ? (size_t)p : 4096;
  }
  int slot = free_slot();
  if (slot < 0 || !install_handler())
    return NULL;
  void *p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED)
    return NULL;
#ifdef MADV_SEQUENTIAL
  madvise(p, (size_t)size, MADV_SEQUENTIAL); /* more read-ahead; a hint only */
#endif
  struct filemap *m = xcalloc(1, sizeof *m);
  m->slot = slot;
  m->base = p;
  m->size = (size_t)size;
  m->maplen = round_up(m->size);
  guard_set(slot, m->base, m->maplen);
  return m;
}

void filemap_close(struct filemap *m) {
  if (!m)
    return;
  guards[m->slot].len = 0;
  munmap(m->base, m->maplen);
  free(m);
}

const unsigned char *filemap_bytes(const struct filemap *m) { return m->base; }
size_t filemap_size(const struct filemap *m) { return m->size; }

void filemap_release(struct filemap *m, size_t off) {
  size_t to = off / page_size * page_size;
  if (to < m->released + RELEASE_STEP)
    return;
#ifdef MADV_DONTNEED
  /* The pages are the file's (never written): dropping them loses nothing,
   * a later read would fault them in again. */
  madvise(m->base + m->released, to - m->released, MADV_DONTNEED);
#endif
  m->released = to;
}

bool filemap_shrunk(struct filemap *m, int fd) {
  struct stat st;
  if (guards[m->slot].lost == SIZE_MAX && fstat(fd, &st) == 0 &&
      (uint64_t)st.st_size < m->size)
    guards[m->slot].lost = (size_t)st.st_size; /* read as zeros, no fault */
  return guards[m->slot].lost != SIZE_MAX;
}

int filemap_grow(struct filemap *m, int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size <= m->size ||
      (uint64_t)st.st_size > SIZE_MAX / 2 || guards[m->slot].lost != SIZE_MAX)
    return 0;
  size_t size = (size_t)st.st_size;
  void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED)
    return -1;
  guards[m->slot].len = 0;
  munmap(m->base, m->maplen);
  m->base = p;
  m->size = size;
  m->maplen = round_up(size);
  m->released = 0;
  guard_set(m->slot, m->base, m->maplen);
  return 1;
}

size_t filemap_lost(const struct filemap *m) { return guards[m->slot].lost; }

