/* samefile — one input given twice (see samefile.h). */
#include "config.h"
#include "util/samefile.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Two regular files of one size: the same bytes? Streamed, so a pair of
 * large logs costs two small buffers (and usually stops at the first data
 * row, where two logs' times differ). */
static bool same_bytes(const char *a, const char *b) {
  enum { CHUNK = 65536 };
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  bool same = fa && fb;
  char *ba = xmalloc(CHUNK), *bb = xmalloc(CHUNK);
  while (same) {
    size_t na = fread(ba, 1, CHUNK, fa), nb = fread(bb, 1, CHUNK, fb);
    same = na == nb && memcmp(ba, bb, na) == 0 && !ferror(fa) && !ferror(fb);
    if (na < CHUNK)
      break;
  }
  free(ba);
  free(bb);
  if (fa)
    fclose(fa);
  if (fb)
    fclose(fb);
  return same;
}

enum samefile samefile(const char *a, const char *b) {
  struct stat sa, sb;
  if (!strcmp(a, "-") || !strcmp(b, "-") || stat(a, &sa) != 0 || stat(b, &sb) != 0)
    return SAMEFILE_NO;
  if (sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino)
    return SAMEFILE_SAME;
  if (!S_ISREG(sa.st_mode) || !S_ISREG(sb.st_mode) || sa.st_size != sb.st_size)
    return SAMEFILE_NO;
  return same_bytes(a, b) ? SAMEFILE_COPY : SAMEFILE_NO;
}
