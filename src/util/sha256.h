/* sha256 — SHA-256 (FIPS 180-4), for the provenance block of reports: each
 * input file's digest lets a reader check that a report describes exactly
 * the files they hold. Streaming, so gigabyte logs hash in bounded memory. */
#ifndef LEAKSLOPE_SHA256_H
#define LEAKSLOPE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

#define SHA256_DIGEST_SIZE 32
#define SHA256_HEX_SIZE 65 /* 64 hex digits and a NUL */

struct sha256 {
  uint32_t h[8];
  uint64_t bytes;       /* message length so far */
  unsigned char block[64];
  size_t fill;          /* bytes waiting in block */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_final(struct sha256 *s, unsigned char out[SHA256_DIGEST_SIZE]);

/* Lower-case hex of a digest. */
void sha256_hex(const unsigned char digest[SHA256_DIGEST_SIZE],
                char hex[SHA256_HEX_SIZE]);

/* Digest and size of a file's bytes as stored (a gzip log is hashed
 * compressed). -1 with d filled (DIAG_NOINPUT) when it cannot be read. */
int sha256_file(const char *path, char hex[SHA256_HEX_SIZE],
                unsigned long long *size, struct diag *d);

#endif
