/* outfile — choosing an output's format through one extension table, and
 * atomic, checked output: temp file in the target's folder + fsync + rename
 * (the redis rdbSave pattern), so readers of the target never see half a
 * report and a failed run leaves the previous file untouched.
 *
 * Files we open are written through a glibc cookie stream whose write
 * function keeps the first errno: stdio's error flag says that a write
 * failed but not why, and by commit time errno says nothing. */
#include "config.h"
#include "util/outfile.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- formats ---------------------------------------------------------------- */

static const char *const format_names[] = {
    [OUT_TEXT] = "text", [OUT_JSON] = "json", [OUT_YAML] = "yaml", [OUT_MD] = "md",
    [OUT_HTML] = "html", [OUT_CSV] = "csv",   [OUT_PNG] = "png",   [OUT_SVG] = "svg"};
#define N_FORMATS (sizeof format_names / sizeof format_names[0])

/* The one extension table. */
static const struct {
  const char *ext;
  enum out_format format;
} extensions[] = {
    {".txt", OUT_TEXT}, {".json", OUT_JSON}, {".yaml", OUT_YAML}, {".yml", OUT_YAML},
    {".md", OUT_MD},    {".html", OUT_HTML}, {".htm", OUT_HTML},  {".csv", OUT_CSV},
    {".png", OUT_PNG},  {".svg", OUT_SVG}};
#define N_EXTENSIONS (sizeof extensions / sizeof extensions[0])

const char *out_format_name(enum out_format f) {
  return (size_t)f < N_FORMATS ? format_names[f] : "?";
}

/* The extension of path's last element ("" when none; a leading dot, as in
 * ".profile", is a name, not an extension). */
static const char *extension_of(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  return dot && dot != base ? dot : "";
}

int out_format_of_path(const char *path) {
  const char *ext = path ? extension_of(path) : "";
  for (size_t i = 0; *ext && i < N_EXTENSIONS; i++)
    if (strcasecmp(ext, extensions[i].ext) == 0)
      return (int)extensions[i].format;
  return -1;
}

/* "text, json or yaml" (sep_last " or "), or ".txt, .json, .yaml or .yml":
 * the members of can, by name or by extension. */
static void list_formats(struct strbuf *b, unsigned can, bool by_extension) {
  size_t n = 0, total = 0;
  for (size_t i = 0; i < (by_extension ? N_EXTENSIONS : N_FORMATS); i++)
    total += (can & OUT_SET(by_extension ? extensions[i].format : i)) != 0;
  for (size_t i = 0; i < (by_extension ? N_EXTENSIONS : N_FORMATS); i++) {
    if (!(can & OUT_SET(by_extension ? extensions[i].format : i)))
      continue;
    strbuf_adds(b, n == 0 ? "" : n + 1 == total ? " or " : ", ");
    strbuf_adds(b, by_extension ? extensions[i].ext : format_names[i]);
    n++;
  }
}

static int first_format(unsigned can) {
  for (size_t i = 0; i < N_FORMATS; i++)
    if (can & OUT_SET(i))
      return (int)i;
  return OUT_TEXT;
}

static int by_name(const char *what, const char *format, unsigned can, struct diag *d) {
  for (size_t i = 0; i < N_FORMATS; i++)
    if ((can & OUT_SET(i)) && strcmp(format, format_names[i]) == 0)
      return (int)i;
  struct strbuf b;
  strbuf_init(&b);
  list_formats(&b, can, false);
  if (strchr(what, ' '))
    diag_set(d, DIAG_USAGE, NULL, 0, 0, "--format is %s with %s, not '%s'", b.data,
             strchr(what, ' ') + 1, format);
  else
    diag_set(d, DIAG_USAGE, NULL, 0, 0, "--format is %s, not '%s'", b.data, format);
  strbuf_fini(&b);
  return -1;
}

static int by_extension(const char *what, const char *path, unsigned can, struct diag *d) {
  int f = out_format_of_path(path);
  if (f >= 0 && (can & OUT_SET(f)))
    return f;
  if (f < 0 && !*extension_of(path))
    return first_format(can);
  struct strbuf names, exts;
  strbuf_init(&names);
  strbuf_init(&exts);
  list_formats(&names, can, false);
  list_formats(&exts, can, true);
  if (f < 0)
    diag_set(d, DIAG_USAGE, NULL, 0, 0,
             "cannot tell the format from '%s': the extensions known are %s "
             "(or give -f %s)", path, exts.data, names.data);
  else
    diag_set(d, DIAG_USAGE, NULL, 0, 0,
             "'%s' names a %s file, but %s writes only %s: name it %s, or give -f",
             path, format_names[f], what, names.data, exts.data);
  strbuf_fini(&names);
  strbuf_fini(&exts);
  return -1;
}

int out_format_choose(const char *what, const char *format, const char *path,
                      unsigned can, struct diag *d) {
  bool to_file = path && strcmp(path, "-") != 0;
  if (format) {
    int f = by_name(what, format, can, d);
    /* -f json -o a.yaml: one of the two is a mistake; a name whose
     * extension is no format (report.out) takes any -f. */
    int named = to_file ? out_format_of_path(path) : -1;
    if (f >= 0 && named >= 0 && named != f)
      return diag_set(d, DIAG_USAGE, NULL, 0, 0,
                      "-f %s and -o %s cannot be used together (the file name says %s: "
                      "drop -f, or name the file for %s)",
                      format, path, format_names[named], format_names[f]);
    return f;
  }
  if (to_file)
    return by_extension(what, path, can, d);
  return first_format(can);
}

/* ---- atomic, checked output ------------------------------------------------- */

struct outfile {
  FILE *f;
  int fd;       /* of the file we opened; -1 for stdout */
  int err;      /* first errno of a failed write; 0 */
  bool failed;  /* a write or a writer failed */
  char *target; /* NULL when writing directly */
  char *tmp;
  char *name;   /* for messages */
};

static ssize_t cookie_write(void *cookie, const char *buf, size_t n) {
  struct outfile *o = cookie;
  size_t done = 0;
  while (done < n) {
    ssize_t w = write(o->fd, buf + done, n - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      if (!o->err)
        o->err = w < 0 ? errno : EIO;
      o->failed = true;
      return -1;
    }
    done += (size_t)w;
  }
  return (ssize_t)n;
}

static int cookie_close(void *cookie) {
  struct outfile *o = cookie;
  int rc = close(o->fd);
  if (rc != 0 && !o->err)
    o->err = errno;
  o->fd = -1;
  return rc;
}

static FILE *stream_on(struct outfile *o, int fd) {
  o->fd = fd;
  cookie_io_functions_t io = {.read = NULL, .write = cookie_write, .seek = NULL,
                              .close = cookie_close};
  return fopencookie(o, "w", io);
}

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

static void outfile_free(struct outfile *o) {
  free(o->target);
  free(o->tmp);
  free(o->name);
  free(o);
}

/* Why path cannot be created (errno e), in the words of its folder: the
 * folder that does not exist or is a file, or cannot be written, rather
 * than a bare "No such file or directory". */
static void why_not_created(const char *path, int e, struct diag *d) {
  struct stat st;
  if (e == EISDIR || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
    diag_set(d, DIAG_CANTCREAT, path, 0, 0, DIAG_IS_FOLDER);
    return;
  }
  const char *slash = strrchr(path, '/');
  char *dir = !slash ? xstrdup(".") : slash == path ? xstrdup("/")
                                                    : xstrndup(path, (size_t)(slash - path));
  bool there = stat(dir, &st) == 0;
  if (e == ENOENT && !there && errno == ENOENT)
    diag_set(d, DIAG_CANTCREAT, path, 0, 0, "cannot write: folder '%s' does not exist", dir);
  else if ((e == ENOTDIR || e == ENOENT) && there && !S_ISDIR(st.st_mode))
    diag_set(d, DIAG_CANTCREAT, path, 0, 0, "cannot write: '%s' is not a folder", dir);
  else if (e == ENOTDIR)
    diag_set(d, DIAG_CANTCREAT, path, 0, 0, "cannot write: a part of '%s' is not a folder",
             dir);
  else if ((e == EACCES || e == EPERM || e == EROFS) && there)
    diag_set(d, DIAG_CANTCREAT, path, 0, 0, "cannot write: folder '%s' is not writable (%s)",
             dir, strerror(e));
  else
    diag_set(d, DIAG_CANTCREAT, path, 0, 0, "cannot write: %s", strerror(e));
  free(dir);
}

static struct outfile *open_failed(struct outfile *o, int fd, const char *path,
                                   struct diag *d) {
  why_not_created(path, errno, d);
  if (fd >= 0)
    close(fd);
  if (o->tmp && fd >= 0)
    unlink(o->tmp);
  outfile_free(o);
  return NULL;
}

/* Open path for writing: through a temporary file renamed into place on
 * commit, PATH.tmpXXXXXX or, for a growing log, PATH.partial. */
static struct outfile *open_target(const char *path, bool partial, struct diag *d) {
  struct outfile *o = xcalloc(1, sizeof *o);
  o->fd = -1;
  if (!path || strcmp(path, "-") == 0) {
    o->f = stdout;
    o->name = xstrdup("<stdout>");
    return o;
  }
  o->name = xstrdup(path);
  int fd;
  if (writes_directly(path)) {
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  } else if (partial) {
    o->target = xstrdup(path);
    o->tmp = xasprintf("%s.partial", path);
    fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  } else {
    o->target = xstrdup(path);
    o->tmp = xasprintf("%s.tmpXXXXXX", path);
    fd = mkostemp(o->tmp, O_CLOEXEC);
    if (fd >= 0 && fchmod(fd, umask_mode()) != 0)
      return open_failed(o, fd, path, d);
  }
  if (fd < 0 || !(o->f = stream_on(o, fd)))
    return open_failed(o, fd, path, d);
  return o;
}

struct outfile *outfile_open(const char *path, struct diag *d) {
  return open_target(path, false, d);
}

struct outfile *outfile_open_partial(const char *path, struct diag *d) {
  return open_target(path, true, d);
}

FILE *outfile_stream(struct outfile *o) { return o->f; }

const char *outfile_name(const struct outfile *o) { return o->tmp ? o->tmp : o->name; }

int outfile_check(struct outfile *o, int rc) {
  if (rc < 0 || ferror(o->f)) {
    if (!o->err && errno)
      o->err = errno;
    o->failed = true;
    return -1;
  }
  return 0;
}

int outfile_write(struct outfile *o, const void *buf, size_t n) {
  return outfile_check(o, n == 0 || fwrite(buf, 1, n, o->f) == n ? 0 : -1);
}

int outfile_puts(struct outfile *o, const char *s) {
  return outfile_check(o, fputs(s, o->f) < 0 ? -1 : 0);
}

int outfile_printf(struct outfile *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vfprintf(o->f, fmt, ap);
  va_end(ap);
  return outfile_check(o, n < 0 ? -1 : 0);
}

/* The reason of the first failure: the write's errno, else errno now. */
static int fail(struct outfile *o, struct diag *d) {
  int e = o->err ? o->err : errno ? errno : EIO;
  return diag_set(d, DIAG_CANTCREAT, o->name, 0, 0, "cannot write: %s", strerror(e));
}

int outfile_flush(struct outfile *o, struct diag *d) {
  errno = 0;
  if (fflush(o->f) != 0 || ferror(o->f) || o->failed)
    return fail(o, d);
  return 0;
}

int outfile_commit(struct outfile *o, struct diag *d) {
  errno = 0;
  bool bad = fflush(o->f) != 0 || ferror(o->f) || o->failed ||
             (o->target && fsync(o->fd) != 0);
  if (bad && !o->err)
    o->err = errno;
  if (o->f != stdout && fclose(o->f) != 0)
    bad = true; /* cookie_close keeps close's errno */
  if (!bad && o->target && rename(o->tmp, o->target) != 0)
    bad = true;
  int rc = bad ? fail(o, d) : 0;
  if (bad && o->target)
    unlink(o->tmp);
  outfile_free(o);
  return rc;
}

/* Close without committing; the temporary file is removed unless kept. */
static void close_uncommitted(struct outfile *o, bool keep) {
  if (!o)
    return;
  if (o->f != stdout)
    fclose(o->f);
  else
    fflush(stdout);
  if (o->target && !keep)
    unlink(o->tmp);
  outfile_free(o);
}

void outfile_abort(struct outfile *o) { close_uncommitted(o, false); }

void outfile_keep(struct outfile *o) { close_uncommitted(o, true); }

int outfile_save(const char *path, int (*write)(struct outfile *o, void *ctx),
                 void *ctx, struct diag *d) {
  struct outfile *o = outfile_open(path, d);
  if (!o)
    return -1;
  outfile_check(o, write(o, ctx));
  return outfile_commit(o, d);
}
