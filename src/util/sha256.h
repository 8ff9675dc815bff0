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

/* One digest being computed: nettle's (hardware-accelerated) when
 * configure found nettle, else a portable one. */
struct sha256;

struct sha256 *sha256_new(void);
void sha256_free(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* Bytes hashed so far (the message's length). */
uint64_t sha256_bytes(const struct sha256 *s);
/* The digest; s takes no more updates after it. */
void sha256_final(struct sha256 *s, unsigned char out[SHA256_DIGEST_SIZE]);
/* "nettle" or "portable", for the benchmark's notes. */
const char *sha256_implementation(void);

/* Lower-case hex of a digest. */
void sha256_hex(const unsigned char digest[SHA256_DIGEST_SIZE],
                char hex[SHA256_HEX_SIZE]);

/* Digest and size of a file's bytes as stored (a gzip log is hashed
 * compressed). -1 with d filled (DIAG_NOINPUT) when it cannot be read. */
int sha256_file(const char *path, char hex[SHA256_HEX_SIZE],
                unsigned long long *size, struct diag *d);

#endif
