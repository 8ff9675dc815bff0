/* plot — runs gnuplot on the scripts plot_script builds.
 *
 * Each plot is rendered in a private folder (mkdtemp) by its own gnuplot
 * process: fork, chdir into the folder, exec gnuplot -d (no init files) with
 * the script on a pipe as standard input and standard error in a log file
 * whose first line becomes the error message. No shell is involved at any
 * point, and the only names gnuplot sees are the fixed ones we chose. */
#include "config.h"
#include "plot.h"
#include "plot_script.h"
#include "outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef GNUPLOT_PATH
#define GNUPLOT_PATH ""
#endif

static const char *const EXTS[] = {"gp", "dat", "png", "svg"};

void plot_set_init(struct plot_set *s) {
  s->images = NULL;
  s->count = 0;
}

void plot_set_fini(struct plot_set *s) {
  for (size_t i = 0; i < s->count; i++) {
    free(s->images[i].stem);
    free(s->images[i].title);
    free(s->images[i].svg);
    free(s->images[i].png);
  }
  free(s->images);
  plot_set_init(s);
}

static int executable(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* name with a '/' is a path; else the first executable NAME on PATH. */
static char *search_path(const char *name) {
  if (strchr(name, '/'))
    return executable(name) ? xstrdup(name) : NULL;
  const char *path = getenv("PATH");
  if (!path || !*path)
    return NULL;
  while (*path) {
    size_t len = strcspn(path, ":");
    char *cand = len ? xasprintf("%.*s/%s", (int)len, path, name)
                     : xasprintf("./%s", name);
    if (executable(cand))
      return cand;
    free(cand);
    path += len + (path[len] == ':');
  }
  return NULL;
}

char *plot_find_gnuplot(char **why) {
  const char *env = getenv("GNUPLOT");
  char *found;
  *why = NULL;
  if (env && *env) {
    if ((found = search_path(env)))
      return found;
    *why = xasprintf("gnuplot not found: GNUPLOT=%s is not an executable program", env);
    return NULL;
  }
  if ((found = search_path("gnuplot")))
    return found;
  if (*GNUPLOT_PATH && executable(GNUPLOT_PATH))
    return xstrdup(GNUPLOT_PATH);
  *why = xstrdup("gnuplot not found on PATH (install gnuplot, or set GNUPLOT to "
                 "its path)");
  return NULL;
}
