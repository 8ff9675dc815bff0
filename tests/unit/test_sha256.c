/* Unit tests of SHA-256 (util/sha256): the FIPS 180 vectors, fed whole and
 * in odd-sized chunks (the streaming path the provenance block uses on
 * gigabyte logs), and sha256_file on a file and on a missing one. */
#include "config.h"
#include "tap.h"
#include <stdbool.h>
#include "util/sha256.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <unistd.h>

static const char *digest_of(const void *data, size_t n, size_t chunk) {
  static char hex[SHA256_HEX_SIZE];
  struct sha256 *s = sha256_new();
  unsigned char out[SHA256_DIGEST_SIZE];
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i += chunk)
    sha256_update(s, p + i, n - i < chunk ? n - i : chunk);
  bool counted = sha256_bytes(s) == n;
  sha256_final(s, out);
  counted = counted && sha256_bytes(s) == n;
  sha256_free(s);
  if (!counted)
    return "length miscounted";
  sha256_hex(out, hex);
  return hex;
}

static void test_sha256(const char *tmp) {
  static const char *abc_d =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  is_str(digest_of("abc", 3, 3), abc_d, "sha256 FIPS 180 one-block vector \"abc\"");
  is_str(digest_of("", 0, 1),
         "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "sha256 of the empty message");
  const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  is_str(digest_of(m448, strlen(m448), 7),
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
         "sha256 FIPS 180 two-block vector (448 bits), fed 7 bytes at a time");
  const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                     "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
  is_str(digest_of(m896, strlen(m896), 64),
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
         "sha256 896-bit vector");
  char *million = malloc(1000000);
  memset(million, 'a', 1000000);
  is_str(digest_of(million, 1000000, 4093),
         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
         "sha256 of one million 'a'");
  free(million);
  char *path = xasprintf("%s/abc.txt", tmp);
  FILE *f = fopen(path, "wb");
  fputs("abc", f);
  fclose(f);
  char hex[SHA256_HEX_SIZE];
  unsigned long long size = 0;
  struct diag d;
  diag_init(&d);
  ok(sha256_file(path, hex, &size, &d) == 0 && strcmp(hex, abc_d) == 0 && size == 3,
     "sha256_file hashes a file's bytes and reports its size (3)");
  unlink(path);
  ok(sha256_file(path, hex, &size, &d) == -1 && d.kind == DIAG_NOINPUT,
     "sha256_file on a missing file is DIAG_NOINPUT");
  diag_fini(&d);
  free(path);
}

int main(void) {
  char tmpl[] = "/tmp/lssha256XXXXXX";
  const char *tmp = mkdtemp(tmpl);
  if (!tmp)
    return 99;
  test_sha256(tmp);
  rmdir(tmp);
  return tap_done();
}
