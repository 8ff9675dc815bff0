/* leaky — a shared library that leaks a fixed amount of memory each time it
 * is loaded and unloaded, the way Mapi32.dll did before KB 901014: its
 * constructor maps LEAKY_BYTES_PER_CYCLE bytes of private memory (the
 * stand-in for the MAPI heap) and its destructor gives them back only when
 * the environment variable LEAKY_CLEANUP_HEAP is "1" (the stand-in for the
 * CleanUpMAPIHeap registry value that the hotfix reads).
 *
 * The block comes from mmap, not malloc, so every cycle adds exactly
 * LEAKY_BYTES_PER_CYCLE to the process's writable private mappings (Private
 * Bytes as `leakslope capture` reads it), with no allocator rounding or
 * reuse in between. The block is touched, so Working Set grows as well.
 *
 * It leaks on purpose: it is built without sanitizers, never installed, and
 * never run under valgrind (samples/README.md). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "leaky.h"

static void *heap_block;

__attribute__((constructor)) static void leaky_attach(void) {
  void *p = mmap(NULL, LEAKY_BYTES_PER_CYCLE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return;
  memset(p, 0x5a, LEAKY_BYTES_PER_CYCLE);
  heap_block = p;
}

__attribute__((destructor)) static void leaky_detach(void) {
  const char *cleanup = getenv("LEAKY_CLEANUP_HEAP");
  if (heap_block && cleanup && strcmp(cleanup, "1") == 0)
    munmap(heap_block, LEAKY_BYTES_PER_CYCLE);
  heap_block = NULL; /* without the cleanup: lost, as in Mapi32.dll */
}

long leaky_bytes_per_cycle(void) { return LEAKY_BYTES_PER_CYCLE; }
