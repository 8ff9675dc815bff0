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
#include <sys/stat.h>
#include "cmd/cli.h"
#include "util/paths.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_ALLOW
#define FUZZ_ALLOW 65
#endif

#ifdef FUZZ_DIR_FILE
/* The input is the file FUZZ_DIR_FILE inside a folder made once, beside the
 * FUZZ_DIR_EXTRA files ({name, text} pairs, NULL-ended) it may name (a
 * manifest's counter log, a rules file's folder); FUZZ_DIR_ARGS are the
 * words after FUZZ_ARGS, with "@" for the folder and "@/NAME" in it. */
static char fuzz_dir[] = "/tmp/leakslope-fuzz-XXXXXX";
static char fuzz_path[sizeof fuzz_dir + 256];
static const char *const fuzz_extra[] = {FUZZ_DIR_EXTRA NULL, NULL};

static void fuzz_put(const char *name, const char *text, size_t n) {
  char path[sizeof fuzz_dir + 256];
  snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
  char *slash = strrchr(path, '/');
  *slash = 0;
  mkdir(path, 0700);
  *slash = '/';
  FILE *f = fopen(path, "wb");
  if (f) {
    fwrite(text, 1, n, f);
    fclose(f);
  }
}

static void fuzz_unlink(const char *name) {
  char path[sizeof fuzz_dir + 256];
  snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
  unlink(path);
  char *slash = strrchr(path, '/');
  if (slash > path + strlen(fuzz_dir)) { /* a file in a subfolder: it too */
    *slash = 0;
    rmdir(path);
  }
}

/* Only the files this target wrote, then the folder (no rm -rf). */
static void fuzz_remove(void) {
  for (size_t i = 0; fuzz_extra[i]; i += 2)
    fuzz_unlink(fuzz_extra[i]);
  fuzz_unlink(FUZZ_DIR_FILE);
  rmdir(fuzz_dir);
}

static int fuzz_write(const uint8_t *data, size_t size) {
  if (!fuzz_path[0]) {
    setenv("LEAKSLOPE_DATADIR", LEAKSLOPE_SRCDIR_FORMATS, 0);
    if (!mkdtemp(fuzz_dir))
      return -1;
    atexit(fuzz_remove);
    for (size_t i = 0; fuzz_extra[i]; i += 2)
      fuzz_put(fuzz_extra[i], fuzz_extra[i + 1], strlen(fuzz_extra[i + 1]));
    snprintf(fuzz_path, sizeof fuzz_path, "%s/%s", fuzz_dir, FUZZ_DIR_FILE);
  }
  fuzz_put(FUZZ_DIR_FILE, (const char *)data, size);
  return 0;
}

static char *fuzz_word(const char *w) {
  static char buf[8][sizeof fuzz_dir + 256];
  static int next;
  if (w[0] != '@')
    return (char *)w;
  char *b = buf[next++ % 8];
  snprintf(b, sizeof buf[0], "%s%s", fuzz_dir, w + 1);
  return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const words[] = {"leakslope", FUZZ_ARGS, "-q", "-o", "/dev/null",
                                      FUZZ_DIR_ARGS, NULL};
  char *argv[sizeof words / sizeof *words];
  if (fuzz_write(data, size) < 0)
    return 0;
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    argv[i] = words[i] ? fuzz_word(words[i]) : NULL;
  int rc = cli_main((int)(sizeof argv / sizeof *argv) - 1, argv);
  if (rc != 0 && rc != 2 && rc != 65 && rc != FUZZ_ALLOW)
    abort();
  return 0;
}
#else
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
  if (rc != 0 && rc != 2 && rc != 65 && rc != FUZZ_ALLOW)
    abort();
  return 0;
}
#endif
