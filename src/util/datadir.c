/* datadir — the data-file search order (see datadir.h). */
#include "config.h"
#include "util/datadir.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef LEAKSLOPE_DATADIR_DEFAULT
#define LEAKSLOPE_DATADIR_DEFAULT ""
#endif

static const char *formats_option;

static const char *fallback_dir;

void datadir_set_formats(const char *dir) { formats_option = dir; }
void datadir_set_fallback(const char *dir) { fallback_dir = dir; }

static void add_dir(char *dirs[], size_t *n, char *dir) {
  if (dir && *dir)
    dirs[(*n)++] = dir;
  else
    free(dir);
}

size_t datadir_dirs(char *dirs[DATADIR_MAX]) {
  size_t n = 0;
  const char *env = getenv("LEAKSLOPE_DATADIR");
  const char *home = getenv("HOME");
  add_dir(dirs, &n, formats_option ? xstrdup(formats_option) : NULL);
  add_dir(dirs, &n, env ? xstrdup(env) : NULL);
  add_dir(dirs, &n, home && *home
                        ? xasprintf("%s/.config/leakslope/formats", home)
                        : NULL);
  add_dir(dirs, &n, xstrdup(LEAKSLOPE_DATADIR_DEFAULT));
  add_dir(dirs, &n, fallback_dir ? xstrdup(fallback_dir) : NULL);
  return n;
}

static int is_regular_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *datadir_find(const char *relpath, struct diag *d) {
  char *dirs[DATADIR_MAX];
  size_t n = datadir_dirs(dirs);
  char *found = NULL;
  struct strbuf looked;
  strbuf_init(&looked);
  for (size_t i = 0; i < n; i++) {
    char *path = xasprintf("%s/%s", dirs[i], relpath);
    if (!found && is_regular_file(path))
      found = path;
    else
      free(path);
    strbuf_addf(&looked, "%s%s", i ? ", " : "", dirs[i]);
    free(dirs[i]);
  }
  if (!found)
    diag_set(d, DIAG_NOINPUT, NULL, 0, 0,
             "data file %s not found (looked in: %s; set --formats DIR or "
             "LEAKSLOPE_DATADIR)",
             relpath, n ? looked.data : "no folder configured");
  strbuf_fini(&looked);
  return found;
}
