/* leaky-driver — loads and unloads the leaky sample library N times with a
 * pause after each cycle, like a MAPI client that calls MAPIInitialize and
 * MAPIUninitialize in a loop. Every cycle is a real load and a real unload
 * (dlopen of an unloaded library, dlclose of the last reference), so the
 * LD_AUDIT log of `leakslope capture` shows one load/unload pair per cycle.
 *
 *   leaky-driver [-n CYCLES] [-p PAUSE_SECONDS] [-l LIBRARY]
 *
 * Defaults: 200 cycles, 0.05 s pause, LIBRARY "libleaky.so" (found the
 * usual way: LD_LIBRARY_PATH, ...; a name with a slash is a path).
 * Exit status 0, or 1 with a message when the library cannot be loaded,
 * 2 on a usage error. */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int usage(void) {
  fprintf(stderr, "usage: leaky-driver [-n CYCLES] [-p PAUSE_SECONDS] [-l LIBRARY]\n");
  return 2;
}

static void pause_for(double seconds) {
  struct timespec ts;
  ts.tv_sec = (time_t)seconds;
  ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
    ;
}

static int one_cycle(const char *library) {
  void *h = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    fprintf(stderr, "leaky-driver: %s\n", dlerror());
    return -1;
  }
  long (*bytes)(void) = (long (*)(void))dlsym(h, "leaky_bytes_per_cycle");
  if (!bytes || bytes() <= 0) {
    fprintf(stderr, "leaky-driver: %s is not the leaky library\n", library);
    dlclose(h);
    return -1;
  }
  dlclose(h);
  return 0;
}

int main(int argc, char **argv) {
  long cycles = 200;
  double pause = 0.05;
  const char *library = "libleaky.so";
  char *end;
  int c;
  while ((c = getopt(argc, argv, "n:p:l:")) != -1) {
    if (c == 'n') {
      cycles = strtol(optarg, &end, 10);
      if (*end || cycles < 0)
        return usage();
    } else if (c == 'p') {
      pause = strtod(optarg, &end);
      if (*end || !(pause >= 0 && pause < 3600))
        return usage();
    } else if (c == 'l') {
      library = optarg;
    } else {
      return usage();
    }
  }
  if (optind != argc)
    return usage();
  for (long i = 0; i < cycles; i++) {
    if (one_cycle(library) != 0)
      return 1;
    pause_for(pause);
  }
  return 0;
}
