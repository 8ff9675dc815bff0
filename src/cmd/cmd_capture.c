/* cmd_capture — `leakslope capture`: run a program on Linux and record what
 * a Windows user would record with perfmon and an ETW trace, in files every
 * other command reads unchanged:
 *
 *   DIR/counters.csv  PDH-CSV 4.0 (pdh_write) of the program's Private Bytes,
 *                     Virtual Bytes, Working Set, ID Process and Handle
 *                     Count, sampled from /proc (proc_sample) every -i s;
 *   DIR/events.csv    its real library loads and unloads, appended by the
 *                     LD_AUDIT library src/audit/leakslope-audit.c.
 *
 * The program runs through fork and execvp (never a shell), with the audit
 * library in LD_AUDIT. Both files grow as NAME.partial, flushed after every
 * sample, and are renamed into place when the program has gone, so an
 * interrupted capture still leaves readable logs. Signals from other
 * processes (kill, Ctrl-C through a script) are forwarded to the program;
 * a Ctrl-C typed at the terminal already reaches it, as it shares our
 * process group, and is not sent twice.
 *
 * Named cycles: the program may mark its own cycles (a logon and logoff)
 * by writing a line "begin:NAME" or "end:NAME" to the file descriptor
 * whose number is in $LEAKSLOPE_MARK_FD (a pipe; NAME is letters, digits,
 * '_', '.', '-'). Each line becomes an events.csv row stamped when it
 * arrives, for `analyze --per NAME`.
 *
 * Time stamps are local time with the zone and bias (UTC = local + bias) in
 * force when the capture starts. The bias is kept for the whole capture: a
 * DST change during it does not make the log step by an hour, so it still
 * converts back to UTC exactly, but its times then differ from the wall
 * clock by the DST shift. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/commands.h"
#include "capture/pdh_write.h"
#include "capture/proc_sample.h"
#include "util/datadir.h"
#include "util/outfile.h"
#include "util/paths.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define AUDIT_LIBRARY "leakslope-audit.so"
#define EVENTS_HEADER "time,event,pid,process,module,resolved\n"
#define N_COUNTERS 5
/* After a --duration stop, how long the program may take to exit on
 * SIGTERM before it gets SIGKILL. */
#define KILL_GRACE (5 * USEC_PER_SEC)

enum { OPT_OUTPUT = 1, OPT_INTERVAL, OPT_MODULE, OPT_DURATION };

static const struct cli_option capture_options[] = {
    {OPT_OUTPUT, "output", 'o', "DIR",
     "write DIR/counters.csv and DIR/events.csv (default: .)"},
    {OPT_INTERVAL, "interval", 'i', "SECONDS",
     "sample every SECONDS (default 1; fractions allowed, >= 0.01)"},
    {OPT_MODULE, "module", 'm', "NAME", "log only loads of this library file name"},
    {OPT_DURATION, "duration", 0, "SECONDS",
     "stop the program (SIGTERM) after SECONDS"},
    {0, NULL, 0, NULL, NULL}};

static const char *const counter_names[N_COUNTERS] = {
    "Private Bytes", "Virtual Bytes", "Working Set", "ID Process", "Handle Count"};

struct capture_opts {
  const char *dir;
  double interval;
  const char *module;
  double duration; /* 0: none */
  bool quiet;
  char **program; /* argv of the program, NULL-terminated */
};

struct capture_files {
  char *counters, *events; /* absolute: the program may change folder */
  struct outfile *counters_out, *events_out; /* each NAME.partial until commit */
  FILE *out; /* the counter log's stream */
};

struct capture_child {
  pid_t pid;
  int status;
  bool gone;
  bool stop_sent;   /* SIGTERM after --duration */
  bool kill_sent;   /* SIGKILL after KILL_GRACE */
  usec_t stop_at;   /* monotonic time of the --duration stop; 0: none */
  usec_t kill_at;
};

struct capture {
  struct capture_opts opt;
  struct capture_files files;
  struct capture_child child;
  char *instance;
  long bias;
  long samples;
  sigset_t signals, old_mask;
  int signal_fd;   /* the blocked signals, read through poll */
  int marks_fd;    /* read end of $LEAKSLOPE_MARK_FD's pipe; -1 when closed */
  int marks_log;   /* events.csv.partial, O_APPEND (the audit library appends too) */
  char marks[512]; /* a line not yet ended */
  size_t nmarks;
  bool marks_warned;
};

/* --- options ------------------------------------------------------------ */

static bool positive_seconds(const struct command *cmd, const char *opt,
                             const char *arg, double min, double *out) {
  if (!cli_parse_double(cmd, opt, arg, out))
    return false;
  if (*out < min || *out > 1e6) {
    cli_usage_error(cmd, "--%s wants seconds from %g to 1e6, not '%s'", opt,
                    min, arg);
    return false;
  }
  return true;
}

static int option_value(const struct command *cmd, int id, const char *arg,
                        struct capture_opts *o) {
  switch (id) {
  case OPT_OUTPUT:
    o->dir = arg;
    return 0;
  case OPT_INTERVAL:
    return positive_seconds(cmd, "interval", arg, 0.01, &o->interval) ? 0 : -1;
  case OPT_MODULE:
    o->module = arg;
    return 0;
  case OPT_DURATION:
    return positive_seconds(cmd, "duration", arg, 0.001, &o->duration) ? 0 : -1;
  default:
    return -1;
  }
}

/* Index of the first "--" in argv, or -1. */
static int double_dash(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--") == 0)
      return i;
  return -1;
}

/* Returns -1 when done (then *status is the exit code), else 0. PROGRAM
 * must follow "--", so that none of its options is ever taken for one of
 * ours, whether or not the option parser permutes. */
static int parse_options(const struct command *cmd, int argc, char **argv,
                         struct capture_opts *o, int *status) {
  *o = (struct capture_opts){.dir = ".", .interval = 1.0};
  int dd = double_dash(argc, argv);
  struct cli_parser p;
  cli_parser_init(&p, cmd, argc, argv);
  int id;
  *status = EXIT_OK;
  while ((id = cli_next_option(&p)) > 0)
    if (option_value(cmd, id, p.arg, o) != 0) {
      *status = EXIT_USAGE;
      break;
    }
  if (id == CLI_DONE_EXIT)
    *status = p.status;
  int first = cli_operand_index(&p);
  o->quiet = p.quiet;
  cli_parser_fini(&p);
  if (id != CLI_END)
    return -1;
  if (!cli_operands(cmd, "PROGRAM", argc, argv, first, 1, -1)) {
    *status = EXIT_USAGE;
    return -1;
  }
  if (dd < 0 || argc - first != argc - dd - 1) {
    *status = cli_usage_error(cmd, "put -- before PROGRAM");
    return -1;
  }
  o->program = argv + first;
  return 0;
}

/* --- the audit library ---------------------------------------------------- */

static char *readable_file(const char *path) {
  return access(path, R_OK) == 0 ? realpath(path, NULL) : NULL;
}

/* $LEAKSLOPE_PRELOAD, then the build tree's src/audit/.libs for a binary
 * running from its build tree, else the installed $(pkglibdir), and when
 * that has none, BINDIR/../lib/leakslope beside the binary (a tree installed
 * with another prefix, or moved). */
static char *find_audit_library(struct diag *d) {
  const char *env = getenv("LEAKSLOPE_PRELOAD");
  if (env && *env) {
    char *found = readable_file(env);
    if (!found)
      diag_set(d, DIAG_UNAVAILABLE, env, 0, 0,
               "cannot read the audit library named by LEAKSLOPE_PRELOAD: %s",
               strerror(errno));
    return found;
  }
  bool build = datadir_in_build_tree();
  char *path = build ? xasprintf("%s/audit/.libs/%s", LEAKSLOPE_BUILD_BINDIR,
                                 AUDIT_LIBRARY)
                     : xasprintf("%s/%s", LEAKSLOPE_PKGLIBDIR_DEFAULT, AUDIT_LIBRARY);
  char *found = readable_file(path);
  char *beside = NULL;
  if (!found && !build) {
    beside = datadir_beside_binary("lib/leakslope/" AUDIT_LIBRARY);
    found = beside ? readable_file(beside) : NULL;
  }
  if (!found)
    diag_set(d, DIAG_UNAVAILABLE, NULL, 0, 0,
             "cannot find the audit library %s (looked for %s%s; set "
             "LEAKSLOPE_PRELOAD to its path)",
             AUDIT_LIBRARY, path,
             build ? "" : ", and ../lib/leakslope/" AUDIT_LIBRARY " beside the binary");
  free(beside);
  free(path);
  return found;
}

/* --- output files --------------------------------------------------------- */

static void files_free(struct capture_files *f) {
  free(f->counters);
  free(f->events);
  memset(f, 0, sizeof *f);
}

/* Create DIR when missing; open both NAME.partial files and write the
 * events header, which the audit library appends to. */
static int files_open(struct capture_files *f, const char *dir,
                      struct diag *d) {
  memset(f, 0, sizeof *f);
  if (mkdir(dir, 0777) != 0 && errno != EEXIST)
    return diag_set(d, DIAG_CANTCREAT, dir, 0, 0, "cannot create the folder: %s",
                    strerror(errno));
  char *abs = realpath(dir, NULL);
  if (!abs)
    return diag_set(d, DIAG_CANTCREAT, dir, 0, 0, "cannot use the folder: %s",
                    strerror(errno));
  f->counters = xasprintf("%s/counters.csv", abs);
  f->events = xasprintf("%s/events.csv", abs);
  free(abs);
  f->events_out = outfile_open_partial(f->events, d);
  if (!f->events_out || outfile_puts(f->events_out, EVENTS_HEADER) != 0 ||
      outfile_flush(f->events_out, d) != 0)
    return -1;
  f->counters_out = outfile_open_partial(f->counters, d);
  if (!f->counters_out)
    return -1;
  f->out = outfile_stream(f->counters_out);
  return 0;
}

/* Nothing ran: leave nothing behind. */
static void files_discard(struct capture_files *f) {
  outfile_abort(f->counters_out);
  outfile_abort(f->events_out);
  f->counters_out = f->events_out = NULL;
  f->out = NULL;
}

/* A failure after the program ran: what was recorded stays, as .partial. */
static void files_keep(struct capture_files *f) {
  outfile_keep(f->counters_out);
  outfile_keep(f->events_out);
  f->counters_out = f->events_out = NULL;
  f->out = NULL;
}

/* Flush, sync and rename both files into place. */
static int files_commit(struct capture_files *f, struct diag *d) {
  int rc = outfile_commit(f->counters_out, d);
  f->counters_out = NULL;
  f->out = NULL;
  if (rc != 0) {
    files_keep(f);
    return -1;
  }
  rc = outfile_commit(f->events_out, d);
  f->events_out = NULL;
  return rc;
}

/* --- the counter log header ------------------------------------------------ */

/* This machine's zone name and bias now (UTC = local + bias minutes). */
static char *local_zone(long *bias) {
  tzset();
  time_t now = time(NULL);
  struct tm tm;
  if (!localtime_r(&now, &tm)) {
    *bias = 0;
    return xstrdup("Coordinated Universal Time");
  }
  *bias = -(long)(tm.tm_gmtoff / 60);
  return xstrdup(tm.tm_zone && *tm.tm_zone ? tm.tm_zone : "UTC");
}

/* The host name up to its first dot, as perfmon names a machine. */
static char *host_name(void) {
  char buf[256];
  if (gethostname(buf, sizeof buf) != 0 || !buf[0])
    return xstrdup("localhost");
  buf[sizeof buf - 1] = '\0';
  buf[strcspn(buf, ".")] = '\0';
  return pdh_instance_name(buf);
}

static int write_header(struct capture *c, struct diag *d) {
  char *zone = local_zone(&c->bias);
  char *host = host_name();
  char *paths[N_COUNTERS];
  for (size_t i = 0; i < N_COUNTERS; i++)
    paths[i] = pdh_counter_path(host, "Process", c->instance, counter_names[i]);
  int rc = pdh_write_header(c->files.out, zone, c->bias,
                            (const char *const *)paths, N_COUNTERS);
  for (size_t i = 0; i < N_COUNTERS; i++)
    free(paths[i]);
  free(host);
  free(zone);
  outfile_check(c->files.counters_out, rc);
  return outfile_flush(c->files.counters_out, d);
}

/* --- the program ------------------------------------------------------------ */

static usec_t clock_usec(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (usec_t)ts.tv_sec * USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Is this LD_PRELOAD entry a sanitizer's or valgrind's runtime, which must
 * not be forced into an uninstrumented program? */
static bool tool_runtime(const char *entry, size_t n) {
  const char *base = entry;
  for (size_t i = 0; i < n; i++)
    if (entry[i] == '/')
      base = entry + i + 1;
  static const char *const prefixes[] = {"libasan", "libubsan", "liblsan",
                                         "libtsan", "vgpreload_"};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
    if (strncmp(base, prefixes[i], strlen(prefixes[i])) == 0)
      return true;
  return false;
}

static void clean_preload(void) {
  const char *pre = getenv("LD_PRELOAD");
  if (!pre)
    return;
  struct strbuf b;
  strbuf_init(&b);
  for (const char *p = pre; *p;) {
    size_t n = strcspn(p, ": ");
    if (n && !tool_runtime(p, n)) {
      if (b.len)
        strbuf_addc(&b, ':');
      strbuf_add(&b, p, n);
    }
    p += n + (p[n] != '\0');
  }
  if (b.len)
    setenv("LD_PRELOAD", b.data, 1);
  else
    unsetenv("LD_PRELOAD");
  strbuf_fini(&b);
}

/* In the child, before exec: the environment the audit library reads. */
static void child_environment(const struct capture *c, const char *audit) {
  const char *old = getenv("LD_AUDIT");
  char *value = old && *old ? xasprintf("%s:%s", audit, old) : xstrdup(audit);
  setenv("LD_AUDIT", value, 1);
  free(value);
  char pid[32];
  snprintf(pid, sizeof pid, "%ld", (long)getpid());
  setenv("LEAKSLOPE_AUDIT_PID", pid, 1);
  setenv("LEAKSLOPE_AUDIT_PROCESS", c->instance, 1);
  setenv("LEAKSLOPE_AUDIT_LOG", outfile_name(c->files.events_out), 1);
  if (c->opt.module)
    setenv("LEAKSLOPE_AUDIT_MODULE", c->opt.module, 1);
  else
    unsetenv("LEAKSLOPE_AUDIT_MODULE");
  clean_preload();
}

static void run_child(const struct capture *c, const char *audit, int report, int marks) {
  sigprocmask(SIG_SETMASK, &c->old_mask, NULL);
  child_environment(c, audit);
  /* A copy kept across exec, on a single digit where one is free: a shell
   * script writes to it with `>&$LEAKSLOPE_MARK_FD`, and dash reads only
   * one digit there. */
  int mark_fd = -1;
  for (int fd = 9; fd >= 3 && mark_fd < 0; fd--) {
    int flags = fcntl(fd, F_GETFD); /* free, or closed by exec anyway */
    if (fd != report && fd != marks && (flags < 0 ? errno == EBADF : (flags & FD_CLOEXEC)))
      mark_fd = dup2(marks, fd);
  }
  if (mark_fd < 0)
    mark_fd = dup(marks);
  if (mark_fd >= 0) {
    char n[16];
    snprintf(n, sizeof n, "%d", mark_fd);
    setenv("LEAKSLOPE_MARK_FD", n, 1);
  } else {
    unsetenv("LEAKSLOPE_MARK_FD");
  }
  execvp(c->opt.program[0], c->opt.program);
  int err = errno;
  ssize_t n = write(report, &err, sizeof err);
  (void)n;
  _exit(127);
}

/* fork + execvp; an exec failure comes back through a close-on-exec pipe. */
static int spawn(struct capture *c, const char *audit, struct diag *d) {
  int fds[2], marks[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return diag_set(d, DIAG_SOFTWARE, NULL, 0, 0, "pipe: %s", strerror(errno));
  if (pipe2(marks, O_CLOEXEC) != 0) {
    close(fds[0]);
    close(fds[1]);
    return diag_set(d, DIAG_SOFTWARE, NULL, 0, 0, "pipe: %s", strerror(errno));
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    close(marks[0]);
    close(marks[1]);
    return diag_set(d, DIAG_SOFTWARE, NULL, 0, 0, "fork: %s", strerror(errno));
  }
  if (pid == 0)
    run_child(c, audit, fds[1], marks[1]);
  close(fds[1]);
  close(marks[1]);
  fcntl(marks[0], F_SETFL, O_NONBLOCK);
  c->marks_fd = marks[0];
  int err = 0;
  ssize_t n;
  while ((n = read(fds[0], &err, sizeof err)) < 0 && errno == EINTR)
    ;
  close(fds[0]);
  c->child.pid = pid;
  if (n <= 0)
    return 0;
  waitpid(pid, NULL, 0);
  c->child.gone = true;
  bool missing = err == ENOENT || err == EACCES || err == ENOTDIR || err == ENOEXEC;
  return diag_set(d, missing ? DIAG_NOINPUT : DIAG_SOFTWARE, c->opt.program[0],
                  0, 0, "cannot run: %s", strerror(err));
}

/* --- sampling ---------------------------------------------------------------- */

static int take_sample(struct capture *c, struct diag *d) {
  usec_t now = clock_usec(CLOCK_REALTIME);
  struct proc_sample s;
  if (proc_sample_read(c->child.pid, &s) != 0)
    return 0; /* exiting: no sample */
  uint64_t values[N_COUNTERS] = {s.private_bytes, s.virtual_bytes,
                                 s.working_set, (uint64_t)c->child.pid,
                                 s.handle_count};
  bool present[N_COUNTERS] = {true, true, true, true, s.has_handles};
  usec_t local = now - (usec_t)c->bias * USEC_PER_MIN;
  outfile_check(c->files.counters_out,
                pdh_write_row(c->files.out, local, values, present, N_COUNTERS));
  if (outfile_flush(c->files.counters_out, d) != 0)
    return -1;
  c->samples++;
  return 0;
}

static bool reap(struct capture_child *ch) {
  int status;
  pid_t r = waitpid(ch->pid, &status, WNOHANG);
  if (r == ch->pid) {
    ch->status = status;
    ch->gone = true;
  }
  return ch->gone;
}

/* SIGTERM at the --duration deadline, SIGKILL if that is not enough. */
static void enforce_duration(struct capture_child *ch, usec_t now) {
  if (ch->stop_at && !ch->stop_sent && now >= ch->stop_at) {
    kill(ch->pid, SIGTERM);
    ch->stop_sent = true;
    ch->kill_at = now + KILL_GRACE;
  } else if (ch->stop_sent && !ch->kill_sent && now >= ch->kill_at) {
    kill(ch->pid, SIGKILL);
    ch->kill_sent = true;
  }
}

static usec_t next_wakeup(const struct capture_child *ch, usec_t sample_at) {
  usec_t t = sample_at;
  if (ch->stop_at && !ch->stop_sent && ch->stop_at < t)
    t = ch->stop_at;
  if (ch->stop_sent && !ch->kill_sent && ch->kill_at < t)
    t = ch->kill_at;
  return t;
}

/* One marker line: "begin:NAME" / "end:NAME" as an events.csv row of the
 * program, stamped now; anything else is warned about once and dropped. */
static void log_mark(struct capture *c, const char *line, size_t n) {
  size_t skip = n > 6 && !strncmp(line, "begin:", 6) ? 6 : n > 4 && !strncmp(line, "end:", 4) ? 4 : 0;
  bool ok = skip > 0 && n - skip <= 64;
  for (size_t i = skip; ok && i < n; i++)
    ok = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", line[i]);
  if (!ok) {
    if (!c->marks_warned && !c->opt.quiet)
      fprintf(stderr, "leakslope capture: warning: %s wrote '%.*s' on LEAKSLOPE_MARK_FD "
                      "(expected begin:NAME or end:NAME, NAME of letters, digits, _ . -); "
                      "ignored\n", c->opt.program[0], (int)(n > 80 ? 80 : n), line);
    c->marks_warned = true;
    return;
  }
  char stamp[TIME_UTC_BUFSZ], row[256];
  time_format_utc(clock_usec(CLOCK_REALTIME), stamp);
  int len = snprintf(row, sizeof row, "%s,%.*s,%ld,%s,,\n", stamp, (int)n, line,
                     (long)c->child.pid, c->instance);
  if (c->marks_log >= 0 && len > 0 && (size_t)len < sizeof row) {
    ssize_t w = write(c->marks_log, row, (size_t)len); /* one write: one whole line */
    (void)w;
  }
}

/* Whatever the program wrote on LEAKSLOPE_MARK_FD so far, line by line. */
static void read_marks(struct capture *c) {
  for (;;) {
    ssize_t n = read(c->marks_fd, c->marks + c->nmarks, sizeof c->marks - c->nmarks);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
        close(c->marks_fd); /* every writer closed it */
        c->marks_fd = -1;
      }
      return;
    }
    c->nmarks += (size_t)n;
    size_t start = 0;
    for (size_t i = 0; i < c->nmarks; i++)
      if (c->marks[i] == '\n') {
        size_t len = i - start;
        if (len && c->marks[start + len - 1] == '\r')
          len--;
        log_mark(c, c->marks + start, len);
        start = i + 1;
      }
    if (start == 0 && c->nmarks == sizeof c->marks) { /* no newline in 512 bytes */
      log_mark(c, c->marks, c->nmarks);
      c->nmarks = 0;
    }
    memmove(c->marks, c->marks + start, c->nmarks - start);
    c->nmarks -= start;
  }
}

/* Wait for the next sample time, handling signals meanwhile. Returns true
 * when the program has gone. */
static bool wait_until(struct capture *c, usec_t sample_at) {
  for (;;) {
    usec_t now = clock_usec(CLOCK_MONOTONIC);
    enforce_duration(&c->child, now);
    if (now >= sample_at)
      return false;
    usec_t wait = next_wakeup(&c->child, sample_at) - now;
    if (wait < 0)
      wait = 0;
    struct pollfd pf[2] = {{c->signal_fd, POLLIN, 0}, {c->marks_fd, POLLIN, 0}};
    int ms = (int)((wait + 999) / 1000);
    if (poll(pf, c->marks_fd >= 0 ? 2 : 1, ms) <= 0)
      continue;
    if (pf[1].revents)
      read_marks(c);
    struct signalfd_siginfo info;
    if (!(pf[0].revents & POLLIN) || read(c->signal_fd, &info, sizeof info) != sizeof info)
      continue;
    int sig = (int)info.ssi_signo;
    if (sig == SIGCHLD) {
      if (reap(&c->child))
        return true;
    } else if (sig > 0 && info.ssi_code <= 0) {
      kill(c->child.pid, sig); /* sent by a process: pass it on */
    }
  }
}

static int sample_loop(struct capture *c, struct diag *d) {
  usec_t step = (usec_t)llround(c->opt.interval * 1e6);
  usec_t next = clock_usec(CLOCK_MONOTONIC);
  if (c->opt.duration > 0)
    c->child.stop_at = next + (usec_t)llround(c->opt.duration * 1e6);
  while (!reap(&c->child)) {
    if (take_sample(c, d) != 0)
      return -1;
    usec_t now = clock_usec(CLOCK_MONOTONIC);
    next += step;
    if (next <= now) /* late (a loaded machine): skip, keep the phase */
      next += ((now - next) / step + 1) * step;
    if (wait_until(c, next))
      break;
  }
  return 0;
}

/* After a write error: stop the program and wait for it. */
static void stop_child(struct capture_child *ch) {
  if (ch->gone || ch->pid <= 0)
    return;
  kill(ch->pid, SIGTERM);
  waitpid(ch->pid, &ch->status, 0);
  ch->gone = true;
}

/* --- the command -------------------------------------------------------------- */

static const char *program_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash && slash[1] ? slash + 1 : path;
}

static int report_program(const struct capture *c) {
  const char *prog = c->opt.program[0];
  int st = c->child.status;
  if (c->child.stop_sent) {
    if (!c->opt.quiet)
      fprintf(stderr, "leakslope capture: stopped %s after --duration %g s\n",
              prog, c->opt.duration);
    return EXIT_OK;
  }
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
    return EXIT_OK;
  if (WIFEXITED(st))
    fprintf(stderr, "leakslope capture: %s exited with status %d (the logs in %s are complete)\n",
            prog, WEXITSTATUS(st), c->opt.dir);
  else if (WIFSIGNALED(st))
    fprintf(stderr, "leakslope capture: %s was killed by signal %d (%s) (the logs in %s are complete)\n",
            prog, WTERMSIG(st), strsignal(WTERMSIG(st)), c->opt.dir);
  return EXIT_LEAK; /* 1: the program failed */
}

/* Block the signals to pass on (the signalfd takes them), except those
 * ignored when leakslope started (nohup, a background job of a script):
 * those the program inherits as ignored, as it would without leakslope.
 * SIGCHLD gets its default action: ignored, the program would be reaped
 * before we could read its exit status. */
static void block_signals(struct capture *c) {
  signal(SIGCHLD, SIG_DFL);
  sigemptyset(&c->signals);
  sigaddset(&c->signals, SIGCHLD);
  int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
  for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) {
    struct sigaction sa;
    if (sigaction(forwarded[i], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
      sigaddset(&c->signals, forwarded[i]);
  }
  sigprocmask(SIG_BLOCK, &c->signals, &c->old_mask);
  c->signal_fd = signalfd(-1, &c->signals, SFD_CLOEXEC | SFD_NONBLOCK);
}

static int capture_run(struct capture *c, struct diag *d) {
  char *audit = find_audit_library(d);
  if (!audit)
    return -1;
  int rc = files_open(&c->files, c->opt.dir, d);
  if (rc == 0)
    rc = write_header(c, d);
  if (rc == 0) {
    block_signals(c);
    if (c->signal_fd < 0)
      rc = diag_set(d, DIAG_SOFTWARE, NULL, 0, 0, "signalfd: %s", strerror(errno));
    c->marks_log = open(outfile_name(c->files.events_out), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (rc == 0)
      rc = spawn(c, audit, d);
    if (rc == 0 && sample_loop(c, d) != 0) {
      stop_child(&c->child);
      rc = -1;
    }
    if (c->marks_fd >= 0) { /* the program's last marks */
      read_marks(c);
      if (c->nmarks)
        log_mark(c, c->marks, c->nmarks);
      if (c->marks_fd >= 0)
        close(c->marks_fd);
    }
    if (c->marks_log >= 0)
      close(c->marks_log);
    if (c->signal_fd >= 0)
      close(c->signal_fd);
    sigprocmask(SIG_SETMASK, &c->old_mask, NULL);
  }
  free(audit);
  if (rc == 0)
    return files_commit(&c->files, d);
  if (!c->child.pid || d->kind != DIAG_CANTCREAT)
    files_discard(&c->files);
  else
    files_keep(&c->files);
  return -1;
}

static int run_capture(const struct command *cmd, int argc, char **argv) {
  struct capture c;
  memset(&c, 0, sizeof c);
  c.signal_fd = c.marks_fd = c.marks_log = -1;
  int status;
  if (parse_options(cmd, argc, argv, &c.opt, &status) != 0)
    return status;
  c.instance = pdh_instance_name(program_name(c.opt.program[0]));
  struct diag d;
  diag_init(&d);
  if (capture_run(&c, &d) != 0) {
    status = cli_fail(&d);
  } else {
    status = report_program(&c);
    if (!c.opt.quiet && status == EXIT_OK)
      fprintf(stderr, "leakslope capture: %ld samples of %s in %s, events in %s\n",
              c.samples, c.instance, c.files.counters, c.files.events);
  }
  diag_fini(&d);
  files_free(&c.files);
  free(c.instance);
  return status;
}

const struct command cmd_capture = {
    .name = "capture",
    .run = run_capture,
    .summary = "Run a program on Linux and log its memory and library loads",
    .usage = "[-o DIR] [OPTIONS] -- PROGRAM [ARGS...]",
    .description =
        "Runs PROGRAM (no shell) and writes DIR/counters.csv, a PDH-CSV 4.0 log as\n"
        "perfmon writes it (this machine's zone and bias, local times), and\n"
        "DIR/events.csv, its real library loads and unloads from an LD_AUDIT\n"
        "library, so analyze and compare read a Linux run as a Windows one.\n"
        "Counters of \\\\HOST\\Process(NAME), NAME being PROGRAM's file name, read\n"
        "from /proc: Private Bytes = writable private mappings of /proc/PID/maps\n"
        "(pmap -d's writeable/private; each new thread adds its stack), Virtual\n"
        "Bytes = VmSize, Working Set = VmRSS, Handle Count = entries of\n"
        "/proc/PID/fd, ID Process = the pid. One process is followed, by pid\n"
        "(through exec); the children of a program that forks are not sampled.\n"
        "Both files grow as NAME.partial, flushed after every sample, renamed\n"
        "into place at the end. Signals sent to leakslope are passed on.\n"
        "The program may mark its own cycles (a logon and logoff) by writing\n"
        "lines \"begin:NAME\" and \"end:NAME\" to the file descriptor in\n"
        "$LEAKSLOPE_MARK_FD: each becomes an events.csv row, for analyze --per NAME.\n"
        "The audit library is $LEAKSLOPE_PRELOAD, else " LEAKSLOPE_PKGLIBDIR_DEFAULT
        "/" AUDIT_LIBRARY ",\n"
        "else ../lib/leakslope/" AUDIT_LIBRARY " beside the binary.",
    .options = capture_options,
};
