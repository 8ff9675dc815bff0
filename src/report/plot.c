/* plot — runs gnuplot on the scripts plot_script builds.
 *
 * Each plot is rendered in a private folder (mkdtemp) by its own gnuplot
 * process: fork, chdir into the folder, exec gnuplot -d (no init files) with
 * the script on a pipe as standard input and standard error in a log file
 * whose first line becomes the error message. No shell is involved at any
 * point, and the only names gnuplot sees are the fixed ones we chose. */
#include "config.h"
#include "report/plot.h"
#include "report/plot_script.h"
#include "util/outfile.h"

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

static char *make_tmpdir(struct diag *d) {
  const char *base = getenv("TMPDIR");
  char *tmpl = xasprintf("%s/leakslope-plot.XXXXXX", base && *base ? base : "/tmp");
  if (mkdtemp(tmpl))
    return tmpl;
  diag_set(d, DIAG_CANTCREAT, NULL, 0, 0,
           "cannot make a temporary folder for plots (%s): %s", tmpl, strerror(errno));
  free(tmpl);
  return NULL;
}

/* Empty the private folder (flat: only what we and gnuplot wrote) and remove it. */
static void remove_tmpdir(char *dir) {
  DIR *dh = opendir(dir);
  struct dirent *e;
  while (dh && (e = readdir(dh))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    char *p = xasprintf("%s/%s", dir, e->d_name);
    unlink(p);
    free(p);
  }
  if (dh)
    closedir(dh);
  rmdir(dir);
  free(dir);
}

static int write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0)
      return -1;
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

static int write_new(const char *dir, const char *stem, const char *ext,
                     const struct strbuf *b, struct diag *d) {
  char *path = xasprintf("%s/%s.%s", dir, stem, ext);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  int rc = fd < 0 || write_all(fd, b->data ? b->data : "", b->len) < 0 ? -1 : 0;
  if (fd >= 0 && close(fd) < 0)
    rc = -1;
  if (rc < 0)
    diag_set(d, DIAG_CANTCREAT, path, 0, 0, "cannot write: %s", strerror(errno));
  free(path);
  return rc;
}

static int slurp(const char *path, char **data, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  struct strbuf b;
  char buf[16384];
  size_t n;
  strbuf_init(&b);
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    strbuf_add(&b, buf, n);
  int bad = ferror(f);
  fclose(f);
  *len = b.len;
  *data = strbuf_detach(&b);
  if (!*data)
    *data = xstrdup("");
  return bad ? -1 : 0;
}

/* Write the script on the pipe with SIGPIPE held back, so a gnuplot that
 * dies early gives EPIPE here instead of killing us. */
static int feed(int fd, const struct strbuf *script) {
  sigset_t pipe_set, old, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigprocmask(SIG_BLOCK, &pipe_set, &old);
  sigpending(&pending);
  int was_pending = sigismember(&pending, SIGPIPE);
  int rc = write_all(fd, script->data ? script->data : "", script->len);
  int err = errno;
  if (rc < 0 && err == EPIPE && !was_pending) {
    struct timespec zero = {0, 0};
    sigtimedwait(&pipe_set, NULL, &zero); /* discard the one we caused */
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
  errno = err;
  return rc;
}

/* The child: only async-signal-safe calls between fork and exec. */
static void child(const char *dir, int in, char *const argv[]) {
  if (chdir(dir) < 0 || dup2(in, 0) < 0)
    _exit(126);
  int null = open("/dev/null", O_WRONLY);
  int log = open("gnuplot.log", O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (null < 0 || log < 0 || dup2(null, 1) < 0 || dup2(log, 2) < 0)
    _exit(126);
  execv(argv[0], argv);
  _exit(127);
}

/* The last non-empty line gnuplot wrote to standard error. */
static char *last_error_line(const char *dir) {
  char *path = xasprintf("%s/gnuplot.log", dir), *text = NULL, *line = NULL;
  size_t len;
  if (slurp(path, &text, &len) == 0) {
    char *save = NULL;
    for (char *l = strtok_r(text, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save))
      if (l[strspn(l, " \t")] != '\0')
        line = l + strspn(l, " \t");
    line = xstrdup(line ? line : "no message");
  } else {
    line = xstrdup("no message");
  }
  free(text);
  free(path);
  return line;
}

static int run_gnuplot(const char *gnuplot, const char *dir,
                       const struct plot_job *job, struct diag *d) {
  char *argv[] = {(char *)gnuplot, (char *)"-d", NULL};
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0)
    return diag_set(d, DIAG_SOFTWARE, NULL, 0, 0, "cannot make a pipe: %s", strerror(errno));
  pid_t pid = fork();
  if (pid < 0) {
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    return diag_set(d, DIAG_UNAVAILABLE, NULL, 0, 0, "cannot run %s: %s", gnuplot,
                    strerror(err));
  }
  if (pid == 0)
    child(dir, fds[0], argv);
  close(fds[0]);
  int fed = feed(fds[1], &job->script);
  close(fds[1]);
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return diag_set(d, DIAG_SOFTWARE, NULL, 0, 0, "lost gnuplot: %s", strerror(errno));
  if (WIFEXITED(status) && WEXITSTATUS(status) >= 126)
    return diag_set(d, DIAG_UNAVAILABLE, NULL, 0, 0, "cannot run %s (exit %d)", gnuplot,
                    WEXITSTATUS(status));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || fed < 0) {
    char *why = last_error_line(dir);
    diag_set(d, DIAG_SOFTWARE, NULL, 0, 0, "gnuplot failed on %s.gp: %s", job->stem, why);
    free(why);
    return -1;
  }
  return 0;
}

/* Run one job in dir and read back its images into img. */
static int render_job(const char *gnuplot, const char *dir, const struct plot_job *job,
                      struct plot_image *img, struct diag *d) {
  if (write_new(dir, job->stem, "gp", &job->script, d) < 0 ||
      write_new(dir, job->stem, "dat", &job->data, d) < 0 ||
      run_gnuplot(gnuplot, dir, job, d) < 0)
    return -1;
  char *png = xasprintf("%s/%s.png", dir, job->stem);
  char *svg = xasprintf("%s/%s.svg", dir, job->stem);
  int rc = 0;
  if (slurp(png, &img->png, &img->png_len) < 0 || slurp(svg, &img->svg, &img->svg_len) < 0)
    rc = diag_set(d, DIAG_SOFTWARE, NULL, 0, 0, "gnuplot wrote no %s.png/.svg", job->stem);
  free(png);
  free(svg);
  return rc;
}

static int keep_one(const char *dir, const char *stem, const char *ext,
                    const char *data, size_t len, struct diag *d) {
  char *path = xasprintf("%s/%s.%s", dir, stem, ext);
  struct outfile *o = outfile_open(path, d);
  free(path);
  if (!o)
    return -1;
  if (len && fwrite(data, 1, len, outfile_stream(o)) != len) {
    outfile_abort(o);
    return diag_set(d, DIAG_CANTCREAT, dir, 0, 0, "cannot write %s.%s", stem, ext);
  }
  return outfile_commit(o, d);
}

/* Copy a job's script, data and images into the keep folder. */
static int keep_job(const char *dir, const struct plot_job *job,
                    const struct plot_image *img, struct diag *d) {
  const char *data[4] = {job->script.data, job->data.data, img->png, img->svg};
  size_t len[4] = {job->script.len, job->data.len, img->png_len, img->svg_len};
  for (int i = 0; i < 4; i++)
    if (keep_one(dir, job->stem, EXTS[i], data[i], len[i], d) < 0)
      return -1;
  return 0;
}

static int make_keep_dir(const char *dir, struct diag *d) {
  struct stat st;
  if (mkdir(dir, 0777) < 0 && errno != EEXIST)
    return diag_set(d, DIAG_CANTCREAT, dir, 0, 0, "cannot make the plots folder: %s",
                    strerror(errno));
  if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
    return diag_set(d, DIAG_CANTCREAT, dir, 0, 0, "not a folder (expected a folder for plots)");
  return 0;
}

static int render_all(const char *gnuplot, const struct plot_job *jobs, size_t n,
                      const struct plot_options *opt, struct plot_set *out,
                      struct diag *d) {
  char *dir = make_tmpdir(d);
  if (!dir)
    return -1;
  int rc = opt->keep_dir ? make_keep_dir(opt->keep_dir, d) : 0;
  out->images = xcalloc(n, sizeof *out->images);
  for (size_t i = 0; rc == 0 && i < n; i++) {
    struct plot_image *img = &out->images[out->count++];
    img->stem = xstrdup(jobs[i].stem);
    img->title = xstrdup(jobs[i].title);
    img->run = jobs[i].run;
    rc = render_job(gnuplot, dir, &jobs[i], img, d);
    if (rc == 0 && opt->keep_dir)
      rc = keep_job(opt->keep_dir, &jobs[i], img, d);
  }
  remove_tmpdir(dir);
  return rc;
}

int plot_render(const struct plot_input *in, const struct plot_options *opt,
                struct plot_set *out, struct diag *d) {
  static const struct plot_options defaults = {NULL, NULL, 0, 0};
  char *why = NULL;
  if (!opt)
    opt = &defaults;
  plot_set_init(out);
  char *gnuplot = opt->gnuplot ? xstrdup(opt->gnuplot) : plot_find_gnuplot(&why);
  if (!gnuplot) {
    diag_set(d, DIAG_UNAVAILABLE, NULL, 0, 0, "%s", why);
    free(why);
    return -1;
  }
  struct plot_job *jobs;
  size_t n = plot_jobs_build(in, opt->width ? opt->width : 960,
                             opt->height ? opt->height : 540, &jobs);
  int rc = render_all(gnuplot, jobs, n, opt, out, d);
  plot_jobs_free(jobs, n);
  free(gnuplot);
  if (rc < 0)
    plot_set_fini(out);
  return rc;
}
