/* The data-dir search order: --formats, $LEAKSLOPE_DATADIR,
 * ~/.config/leakslope/formats, the installed folder, then the folder beside
 * the binary (BINDIR/../share/leakslope/formats) when it is another one. */
#include "config.h"
#include "util/datadir.h"
#include "tap.h"
#include "util/paths.h"
#include "util/xalloc.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[] = "/tmp/leakslope-datadir.XXXXXX";

static void put(const char *rel) {
  char *path = xasprintf("%s/%s", root, rel);
  char *slash = path + strlen(root);
  while ((slash = strchr(slash + 1, '/'))) {
    *slash = '\0';
    mkdir(path, 0700);
    *slash = '/';
  }
  FILE *f = fopen(path, "w");
  if (f)
    fclose(f);
  free(path);
}

static void finds(const char *rel, const char *want_under, const char *what) {
  struct diag d;
  diag_init(&d);
  char *got = datadir_find(rel, &d);
  char *want = want_under ? xasprintf("%s/%s/%s", root, want_under, rel) : NULL;
  is_str(got, want, "%s", what);
  if (!want)
    ok(d.kind == DIAG_NOINPUT && strstr(d.message, rel) &&
           strstr(d.message, "looked in"),
       "missing file: DIAG_NOINPUT naming the file and folders (%s)",
       d.message ? d.message : "");
  free(got);
  free(want);
  diag_fini(&d);
}

int main(void) {
  if (!mkdtemp(root))
    return 99;
  put("opt/rules/a.yaml");
  put("env/rules/a.yaml");
  put("env/rules/b.yaml");
  put("home/.config/leakslope/formats/rules/b.yaml");
  put("home/.config/leakslope/formats/rules/c.yaml");
  char *env = xasprintf("%s/env", root), *home = xasprintf("%s/home", root);
  char *opt = xasprintf("%s/opt", root);
  setenv("HOME", home, 1);

  setenv("LEAKSLOPE_DATADIR", env, 1);
  datadir_set_formats(opt);
  finds("rules/a.yaml", "opt", "--formats wins over $LEAKSLOPE_DATADIR");
  finds("rules/b.yaml", "env", "$LEAKSLOPE_DATADIR before ~/.config");
  finds("rules/c.yaml", "home/.config/leakslope/formats", "~/.config/leakslope/formats last before the installed folder");
  finds("rules/none.yaml", NULL, "a file in no folder is not found");
  finds("rules", NULL, "a folder is not a data file");

  char *dirs[DATADIR_MAX];
  size_t n = datadir_dirs(dirs);
  is_int(n, 4, "four folders searched");
  is_str(dirs[0], opt, "first: --formats");
  is_str(dirs[3], LEAKSLOPE_DATADIR_DEFAULT, "last: the installed folder");
  ok(strstr(LEAKSLOPE_DATADIR_DEFAULT, "/leakslope/formats") != NULL,
     "the installed folder is $(pkgdatadir)/formats, where make install puts "
     "the files (%s)", LEAKSLOPE_DATADIR_DEFAULT);
  ok(!datadir_in_build_tree(), "a binary outside the build tree's src/ is not "
     "taken for the build tree's");
  datadir_use_build_tree();
  char *again[DATADIR_MAX];
  size_t n2 = datadir_dirs(again);
  is_str(n2 == 4 ? again[3] : NULL, LEAKSLOPE_DATADIR_DEFAULT,
         "so it keeps the installed folder, never the source tree's formats/");
  for (size_t i = 0; i < n2; i++)
    free(again[i]);
  for (size_t i = 0; i < n; i++)
    free(dirs[i]);

  datadir_set_formats(NULL);
  unsetenv("LEAKSLOPE_DATADIR");
  n = datadir_dirs(dirs);
  is_int(n, 2, "unset sources are left out");
  for (size_t i = 0; i < n; i++)
    free(dirs[i]);
  finds("rules/a.yaml", NULL, "without --formats and $LEAKSLOPE_DATADIR, opt/env are not searched");

  /* beside the binary: a tree installed with another prefix, or moved */
  put("inst/bin/leakslope");
  put("inst/share/leakslope/formats/rules/d.yaml");
  char *bindir = xasprintf("%s/inst/bin", root);
  char *rroot = realpath(root, NULL);
  char *beside = xasprintf("%s/inst/share/leakslope/formats", rroot);
  datadir_set_exe_dir(bindir);
  const char *from[DATADIR_MAX];
  n = datadir_dirs_from(dirs, from);
  is_int(n, 3, "a folder beside the binary is searched too");
  is_str(n == 3 ? dirs[2] : NULL, beside, "last, resolved: BINDIR/../share/leakslope/formats");
  is_str(n == 3 ? from[2] : NULL, "beside the binary", "... labelled 'beside the binary'");
  for (size_t i = 0; i < n; i++)
    free(dirs[i]);
  struct diag d;
  diag_init(&d);
  char *got = datadir_find("rules/d.yaml", &d);
  char *want = xasprintf("%s/rules/d.yaml", beside);
  is_str(got, want, "a data file only there is found there");
  free(got);
  free(want);
  diag_fini(&d);
  char *also = xasprintf("%s/inst/bin/../share/leakslope/formats", root);
  setenv("LEAKSLOPE_DATADIR", also, 1);
  n = datadir_dirs_from(dirs, from);
  ok(n == 3 && !strcmp(from[0], "LEAKSLOPE_DATADIR") && strcmp(from[2], "beside the binary"),
     "the same folder named otherwise earlier is not listed again beside the binary");
  for (size_t i = 0; i < n; i++)
    free(dirs[i]);
  unsetenv("LEAKSLOPE_DATADIR");
  char *bare = xasprintf("%s/opt", root);
  datadir_set_exe_dir(bare);
  n = datadir_dirs_from(dirs, from);
  is_int(n, 2, "no folder beside the binary: none listed");
  for (size_t i = 0; i < n; i++)
    free(dirs[i]);
  datadir_set_exe_dir(NULL);
  free(bare);
  free(also);
  free(beside);
  free(rroot);
  free(bindir);

  char *cmd = xasprintf("rm -rf '%s'", root);
  if (system(cmd) != 0)
    printf("# could not remove %s\n", root);
  free(cmd);
  free(env);
  free(home);
  free(opt);
  return tap_done();
}
