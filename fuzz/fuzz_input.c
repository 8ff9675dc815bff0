/* fuzz target: input — the gzip, BOM, UTF-16 and code-page layer on its
 * own, below every reader: the first byte picks the encoding asked for
 * (automatic, utf-16le, cp1251, cp1252 or utf-8) and whether the text is
 * read by lines or as a stream (xmlstream's and jsonlex's way), the rest is
 * the file. Every byte of text must come out as UTF-8 without a NUL, or as
 * an error with a position. */
#include "config.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "input/input.h"
#include "util/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_path[] = "/tmp/leakslope-fuzz-XXXXXX";
static int fuzz_fd = -1;

static void fuzz_remove(void) { unlink(fuzz_path); }

static int fuzz_write(const uint8_t *data, size_t size) {
  if (fuzz_fd < 0) {
    fuzz_fd = mkstemp(fuzz_path);
    if (fuzz_fd < 0)
      return -1;
    atexit(fuzz_remove);
  }
  if (ftruncate(fuzz_fd, 0) != 0)
    return -1;
  for (size_t done = 0; done < size;) {
    ssize_t n = pwrite(fuzz_fd, data + done, size - done, (off_t)done);
    if (n <= 0)
      return -1;
    done += (size_t)n;
  }
  return 0;
}

static void read_all(struct input *in, int how, struct diag *d) {
  if (how & 8) {
    char buf[1000];
    long n;
    while ((n = input_read_text(in, buf, sizeof buf, d)) > 0)
      ;
    return;
  }
  const char *line;
  size_t len;
  while (input_read_line(in, &line, &len, d) == 1)
    if (strlen(line) != len) /* a NUL inside a line is an error, never text */
      abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const enc[] = {NULL, "utf-16le", "cp1251", "cp1252", "utf-8"};
  if (size < 1 || fuzz_write(data + 1, size - 1) < 0)
    return 0;
  int how = data[0];
  struct diag d;
  diag_init(&d);
  struct warnings w;
  warnings_init(&w);
  struct input *in = input_open(fuzz_path, &d);
  if (in) {
    if (how & 16)
      input_set_max_bytes(in, 4096);
    const unsigned char *peek;
    if ((how & 32) && input_peek_raw(in, 64, &peek, &d) < 0) {
      /* said in d */
    } else if (input_start_text(in, enc[(how & 7) % 5], &w, &d) == 0) {
      read_all(in, how, &d);
    }
    input_close(in);
  }
  warnings_fini(&w);
  diag_fini(&d);
  return 0;
}
