/* datadir — the data-file search order (see datadir.h). */
#include "config.h"
#include "util/datadir.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *formats_option;

/* Set when the binary runs from its build tree: replaces the installed
 * folder, so a build-tree binary never reads an older installed copy. */
static const char *build_tree_dir;

/* datadir_set_exe_dir's folder, when a test set one. */
static const char *exe_dir_override;

void datadir_set_formats(const char *dir) { formats_option = dir; }

void datadir_set_exe_dir(const char *dir) { exe_dir_override = dir; }

/* The running binary's folder, resolved; NULL when /proc is not there. */
static char *exe_dir(void) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    return NULL;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash)
    return NULL;
  *slash = '\0';
  return realpath(exe, NULL);
}

int datadir_in_build_tree(void) {
  static int known = -1;
  if (known >= 0)
    return known;
  char *dir = exe_dir(), *build = realpath(LEAKSLOPE_BUILD_BINDIR, NULL);
  known = dir && build && strcmp(dir, build) == 0;
  free(dir);
  free(build);
  return known;
}

void datadir_use_build_tree(void) {
  build_tree_dir = datadir_in_build_tree() ? LEAKSLOPE_SRCDIR_FORMATS : NULL;
}

char *datadir_beside_binary(const char *rel) {
  char *dir = exe_dir_override ? xstrdup(exe_dir_override) : exe_dir();
  if (!dir)
    return NULL;
  char *path = xasprintf("%s/../%s", dir, rel);
  char *found = realpath(path, NULL);
  free(path);
  free(dir);
  return found;
}

/* Is dir (resolved) one of dirs[] (each resolved)? A folder that does not
 * resolve is compared as written. */
static bool listed_resolved(char *dirs[], size_t n, const char *dir) {
  bool same = false;
  for (size_t i = 0; i < n && !same; i++) {
    char *r = realpath(dirs[i], NULL);
    same = strcmp(r ? r : dirs[i], dir) == 0;
    free(r);
  }
  return same;
}

static void add_dir(char *dirs[], const char *from[], size_t *n, char *dir,
                    const char *source) {
  for (size_t i = 0; dir && i < *n; i++)
    if (strcmp(dirs[i], dir) == 0) { /* one folder named twice: search it once */
      free(dir);
      return;
    }
  if (dir && *dir) {
    from[*n] = source;
    dirs[(*n)++] = dir;
  } else {
    free(dir);
  }
}

size_t datadir_dirs_from(char *dirs[DATADIR_MAX], const char *from[DATADIR_MAX]) {
  size_t n = 0;
  const char *env = getenv("LEAKSLOPE_DATADIR");
  const char *home = getenv("HOME");
  add_dir(dirs, from, &n, formats_option ? xstrdup(formats_option) : NULL, "--formats");
  add_dir(dirs, from, &n, env ? xstrdup(env) : NULL, "LEAKSLOPE_DATADIR");
  add_dir(dirs, from, &n,
          home && *home ? xasprintf("%s/.config/leakslope/formats", home) : NULL,
          "~/.config");
  add_dir(dirs, from, &n, xstrdup(build_tree_dir ? build_tree_dir : LEAKSLOPE_DATADIR_DEFAULT),
          build_tree_dir ? "source tree" : "installed");
  /* last: the data of a tree installed with another prefix, or moved, whose
   * configured folder is elsewhere (or an older copy) */
  char *beside = datadir_beside_binary("share/leakslope/formats");
  struct stat st;
  if (beside && (stat(beside, &st) != 0 || !S_ISDIR(st.st_mode) ||
                 listed_resolved(dirs, n, beside))) {
    free(beside);
    beside = NULL;
  }
  add_dir(dirs, from, &n, beside, "beside the binary");
  return n;
}

size_t datadir_dirs(char *dirs[DATADIR_MAX]) {
  const char *from[DATADIR_MAX];
  return datadir_dirs_from(dirs, from);
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

static int cmp_path(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char **datadir_yaml_files(const char *dir, size_t *n) {
  char **files = NULL;
  *n = 0;
  DIR *dh = opendir(dir);
  struct dirent *e;
  while (dh && (e = readdir(dh))) {
    size_t len = strlen(e->d_name);
    if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml")) {
      files = xreallocarray(files, *n + 1, sizeof *files);
      files[(*n)++] = xasprintf("%s/%s", dir, e->d_name);
    }
  }
  if (dh)
    closedir(dh);
  if (*n)
    qsort(files, *n, sizeof *files, cmp_path);
  return files;
}

/* One folder's SUB/ files into items: those of new names kept, the others
 * freed. */
static int load_dir(const char *dir, const struct datadir_kind *k, void ***items,
                    const char ***names, size_t *n, struct diag *d) {
  char *sub = xasprintf("%s/%s", dir, k->sub);
  size_t nfiles;
  char **files = datadir_yaml_files(sub, &nfiles);
  int rc = 0;
  for (size_t i = 0; i < nfiles; i++) {
    void *item;
    const char *name;
    if (rc == 0 && (rc = k->parse(files[i], &item, &name, d)) == 0) {
      bool seen = false;
      for (size_t j = 0; j < *n && !seen; j++)
        seen = strcasecmp((*names)[j], name) == 0;
      if (seen) {
        k->free_item(item);
      } else {
        *items = xreallocarray(*items, *n + 1, sizeof **items);
        *names = xreallocarray(*names, *n + 1, sizeof **names);
        (*items)[*n] = item;
        (*names)[(*n)++] = name;
      }
    }
    free(files[i]);
  }
  free(files);
  free(sub);
  return rc;
}

int datadir_load(const char *formats_dir, const struct datadir_kind *k, void ***items,
                 size_t *n, struct diag *d) {
  char *dirs[DATADIR_MAX];
  size_t ndirs = datadir_dirs(dirs);
  const char **names = NULL;
  *items = NULL;
  *n = 0;
  int rc = formats_dir ? load_dir(formats_dir, k, items, &names, n, d) : 0;
  for (size_t i = 0; i < ndirs; i++) {
    if (rc == 0)
      rc = load_dir(dirs[i], k, items, &names, n, d);
    free(dirs[i]);
  }
  free(names);
  if (rc < 0) {
    for (size_t i = 0; i < *n; i++)
      k->free_item((*items)[i]);
    free(*items);
    *items = NULL;
    *n = 0;
  }
  return rc;
}
