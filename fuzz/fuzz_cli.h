/* fuzz_cli.h — the body of every fuzz target: the input is written to one
 * temporary file and read by the command a user would run on it, with the
 * target's format forced (FUZZ_ARGS: the words before the file name), so
 * each target exercises one parser through the same library as the binary.
 * Built twice: with libFuzzer (--enable-fuzzing) and with fuzz/replay.c's
 * main, which make check runs on every input kept under tests/fuzz/. */
#include "config.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/cli.h"
#include "util/paths.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_path[] = "/tmp/leakslope-fuzz-XXXXXX";
static int fuzz_fd = -1;

static void fuzz_remove(void) { unlink(fuzz_path); }

static int fuzz_write(const uint8_t *data, size_t size) {
  if (fuzz_fd < 0) {
    /* The source tree's layouts, wherever the target binary sits. */
    setenv("LEAKSLOPE_DATADIR", LEAKSLOPE_SRCDIR_FORMATS, 0);
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *argv[] = {"leakslope", FUZZ_ARGS, "-q", "-o", "/dev/null", fuzz_path, NULL};
  if (fuzz_write(data, size) < 0)
    return 0;
  int rc = cli_main((int)(sizeof argv / sizeof *argv) - 1, argv);
  /* 0, 2 (a selection missed) and 65 (bad data) are answers; anything else
   * on a file that exists is a bug worth a crash report. */
  if (rc != 0 && rc != 2 && rc != 65)
    abort();
  return 0;
}
