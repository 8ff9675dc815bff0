/* leaky — the interface of the leaking sample library (see leaky.c). */
#ifndef LEAKY_H
#define LEAKY_H

/* Bytes lost per load/unload cycle without LEAKY_CLEANUP_HEAP=1. A whole
 * number of pages, at least 64 KiB. */
#define LEAKY_BYTES_PER_CYCLE (64L * 1024)

long leaky_bytes_per_cycle(void);

#endif
