/* outfile — atomic output: temp file in the target's folder + fsync + rename
 * (the redis rdbSave pattern), so readers of the target never see half a
 * report and a failed run leaves the previous file untouched. */
#include "config.h"
#include "util/outfile.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct outfile {
  FILE *f;
  char *target; /* NULL when writing directly */
  char *tmp;
  const char *name; /* for messages */
};

static bool writes_directly(const char *path) {
  if (!path || strcmp(path, "-") == 0)
    return true;
  struct stat st;
  return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

static mode_t umask_mode(void) {
  mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

struct outfile *outfile_open(const char *path, struct diag *d) {
  struct outfile *o = xcalloc(1, sizeof *o);
  if (writes_directly(path)) {
    o->f = !path || strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
    o->name = path ? path : "<stdout>";
    if (!o->f) {
      diag_set(d, DIAG_CANTCREAT, path, 0, 0, "cannot write: %s", strerror(errno));
      free(o);
      return NULL;
    }
    return o;
  }
  o->target = xstrdup(path);
  o->name = o->target;
  o->tmp = xasprintf("%s.tmpXXXXXX", path);
  int fd = mkstemp(o->tmp);
  if (fd < 0 || fchmod(fd, umask_mode()) != 0 || !(o->f = fdopen(fd, "w"))) {
    diag_set(d, DIAG_CANTCREAT, path, 0, 0, "cannot write: %s", strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(o->tmp);
    }
    free(o->tmp);
    free(o->target);
    free(o);
    return NULL;
  }
  return o;
}

FILE *outfile_stream(struct outfile *o) { return o->f; }

static void outfile_free(struct outfile *o) {
  free(o->target);
  free(o->tmp);
  free(o);
}

int outfile_commit(struct outfile *o, struct diag *d) {
  int rc = 0;
  if (!o->target) {
    if (fflush(o->f) != 0 || ferror(o->f))
      rc = diag_set(d, DIAG_CANTCREAT, o->name, 0, 0, "cannot write: %s", strerror(errno));
    if (o->f != stdout && fclose(o->f) != 0 && rc == 0)
      rc = diag_set(d, DIAG_CANTCREAT, o->name, 0, 0, "cannot write: %s", strerror(errno));
    outfile_free(o);
    return rc;
  }
  if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0)
    rc = -1;
  if (fclose(o->f) != 0)
    rc = -1;
  if (rc == 0 && rename(o->tmp, o->target) != 0)
    rc = -1;
  if (rc != 0) {
    diag_set(d, DIAG_CANTCREAT, o->target, 0, 0, "cannot write: %s", strerror(errno));
    unlink(o->tmp);
  }
  outfile_free(o);
  return rc;
}

void outfile_abort(struct outfile *o) {
  if (!o)
    return;
  if (o->target) {
    fclose(o->f);
    unlink(o->tmp);
  } else if (o->f != stdout) {
    fclose(o->f);
  }
  outfile_free(o);
}
