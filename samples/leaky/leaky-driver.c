/* leaky-driver — loads and unloads the leaky sample library N times with a
 * pause after each cycle, like a MAPI client that calls MAPIInitialize and
 * MAPIUninitialize in a loop. Every cycle is a real load and a real unload
 * (dlopen of an unloaded library, dlclose of the last reference), so the
 * LD_AUDIT log of `leakslope capture` shows one load/unload pair per cycle.
 *
 *   leaky-driver [-n CYCLES] [-p PAUSE_SECONDS] [-b BURST -w WAIT_SECONDS]
 *                [-l LIBRARY]
 *
 * Defaults: 200 cycles, 0.05 s pause, LIBRARY "libleaky.so" (found the
 * usual way: LD_LIBRARY_PATH, ...; a name with a slash is a path). With -b
 * and -w, the driver also waits WAIT_SECONDS after every BURST cycles, the
 * way a client works in bursts: the cycle rate then varies, so an analysis
 * can tell growth per cycle from growth per hour.
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
  fprintf(stderr, "usage: leaky-driver [-n CYCLES] [-p PAUSE_SECONDS] "
                  "[-b BURST -w WAIT_SECONDS] [-l LIBRARY]\n");
  return 2;
}

/* A number of seconds from 0 to an hour, or -1. */
static double seconds_arg(const char *s) {
  char *end;
  double v = strtod(s, &end);
  return *end || end == s || !(v >= 0 && v < 3600) ? -1 : v;
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
  long cycles = 200, burst = 0;
  double pause = 0.05, wait = 0;
  const char *library = "libleaky.so";
  char *end;
  int c;
  while ((c = getopt(argc, argv, "n:p:b:w:l:")) != -1) {
    if (c == 'n' || c == 'b') {
      long v = strtol(optarg, &end, 10);
      if (*end || end == optarg || v < 0)
        return usage();
      *(c == 'n' ? &cycles : &burst) = v;
    } else if (c == 'p' || c == 'w') {
      double v = seconds_arg(optarg);
      if (v < 0)
        return usage();
      *(c == 'p' ? &pause : &wait) = v;
    } else if (c == 'l') {
      library = optarg;
    } else {
      return usage();
    }
  }
  if (optind != argc)
    return usage();
  for (long i = 1; i <= cycles; i++) {
    if (one_cycle(library) != 0)
      return 1;
    pause_for(pause);
    if (burst > 0 && i % burst == 0 && i < cycles)
      pause_for(wait);
  }
  return 0;
}
