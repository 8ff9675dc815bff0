/* filemap — a regular file mapped read-only, so that its bytes are read
 * where the page cache holds them instead of copied by read().
 *
 * Only with LEAKSLOPE_MMAP=1 in the environment: where mapping a page costs
 * a trap to the hypervisor (a virtual machine with shadow page tables),
 * taking pages into the process costs 4-5 times the read() copy (a mapped
 * memchr of a 142 MB file: 95-120 ms against 25 ms by read()), while
 * where it is cheap it saves at most a fifth (22 against 27 ms): read() is
 * the default, never far from the best.
 *
 * The whole file is mapped at once (one address range, so a line never
 * straddles two windows), and the pages behind the reader are dropped from
 * the process as it goes (filemap_release), so its resident memory stays a
 * few MiB whatever the file's size.
 *
 * A file that shrinks while it is mapped would raise SIGBUS where its lost
 * pages are read. A SIGBUS handler (installed once, with the first map)
 * maps zero pages over the rest of the mapping instead, so the read that
 * faulted goes on, and notes the offset: filemap_lost then says the bytes
 * from there are not the file's, and the input layer reports an error
 * rather than read the zeros as data. A fault outside every mapping goes
 * to the handler that was there before (or the default: a crash as
 * without this module). Where the file shrinks within its last page no
 * fault comes (the page's tail reads as zeros): the input layer asks
 * filemap_shrunk at the map's end, so a line is never handed out of
 * those zeros either. What is not caught: a line already handed out
 * whose pages are lost while its reader is still parsing it; the reader
 * sees zeros there (a NUL where its syntax wants something else: an
 * error, not a crash) and the next read reports the loss. */
#ifndef LEAKSLOPE_FILEMAP_H
#define LEAKSLOPE_FILEMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct filemap;

/* Map the regular file open as fd, `size` bytes long (its size by fstat).
 * NULL when it cannot be (mmap refused, an empty file, too large for the
 * address space, too many maps at once, LEAKSLOPE_MMAP not 1 or
 * LEAKSLOPE_NO_MMAP set): the
 * caller reads it with read() instead. */
struct filemap *filemap_open(int fd, uint64_t size);
void filemap_close(struct filemap *m);

const unsigned char *filemap_bytes(const struct filemap *m);
size_t filemap_size(const struct filemap *m);

/* The bytes before `off` will not be read again: their pages leave the
 * process (they stay in the page cache), once at least a few MiB are. */
void filemap_release(struct filemap *m, size_t off);

/* Whether bytes of the map are lost (filemap_lost): a fault showed it, or
 * fstat says the file is now shorter than the map (the last page of a
 * shrunk file reads as zeros, with no fault: that is noted as lost here). */
bool filemap_shrunk(struct filemap *m, int fd);

/* The file has grown since it was mapped (fstat says so): its new size is
 * mapped. Returns 1 when it grew (filemap_bytes may have moved), 0 when
 * not, -1 when the larger map failed (the old one stays). */
int filemap_grow(struct filemap *m, int fd);

/* Offset of the first byte that a fault showed lost (the file shrank
 * under the map; zeros are mapped from there), or SIZE_MAX. */
size_t filemap_lost(const struct filemap *m);

#endif
