/* leakslope-audit — an LD_AUDIT library (rtld-audit(7)) that logs the real
 * loads and unloads of shared objects in the project's own event format:
 *
 *   time,event,pid,process,module,resolved
 *   2026-11-25T19:39:17.123456Z,load,4242,leaky-driver,libleaky.so,/opt/x/libleaky.so
 *
 * Why the dynamic linker's audit interface and not a count of dlopen and
 * dlclose calls: la_objopen and la_objclose run only when an object is
 * really mapped or unmapped. A dlopen of a loaded library only raises its
 * reference count, and a NODELETE library (or one with STB_GNU_UNIQUE
 * symbols) is never unloaded; counting calls would invent cycles.
 *
 * `module` is the name the program asked for (la_objsearch's original name;
 * the loader's own name for the main program and the vDSO), `resolved` the
 * real path of the file the loader mapped. The unload of an object repeats
 * the load's module and resolved text, so the two pair by (pid, module).
 *
 * Environment (set by `leakslope capture`; the library can be used alone):
 *   LEAKSLOPE_AUDIT_LOG      file to append to (created with the header line
 *                            when missing); unset: log nothing
 *   LEAKSLOPE_AUDIT_MODULE   log only modules with this file name (ASCII
 *                            case-insensitive, a path ignored; `libx.so.2`
 *                            also matches `libx.so.2.0.0`); unset: all
 *   LEAKSLOPE_AUDIT_PROCESS, LEAKSLOPE_AUDIT_PID
 *                            the process name to log for that pid (capture
 *                            names a process as perfmon would); other pids
 *                            are named by the file name of /proc/self/exe
 *
 * Each event is one write() to a file opened with O_APPEND, so lines from
 * several processes never interleave and a crash loses nothing. The library
 * runs inside the audited program: it never calls malloc (the log line and
 * the names it keeps live in static buffers; the dynamic linker serialises
 * the audit calls under its load lock), keeps no file open between events
 * (so the program's Handle Count is its own), and leaves errno as it was.
 * It is built without sanitizers: ASan refuses to be loaded after the
 * runtime of an uninstrumented program. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HEADER "time,event,pid,process,module,resolved\n"
#define NAME_MAX_LEN 256
#define POOL_SIZE 65536
#define LINE_SIZE (4 * PATH_MAX + 4 * NAME_MAX_LEN + 128)

static char log_path[PATH_MAX];
static char module_filter[PATH_MAX];
static char capture_name[NAME_MAX_LEN];
static long capture_pid = -1;

/* The original name of the object being searched for, until its la_objopen. */
static char pending_name[PATH_MAX];
static bool have_pending;

/* "module,resolved" CSV text of each logged object, shared by equal ones;
 * a cookie holds (offset << 2) | 2 of its entry. */
static char pool[POOL_SIZE];
static size_t pool_used;

static char line[LINE_SIZE];

static void copy_env(const char *name, char *buf, size_t size) {
  const char *v = getenv(name);
  buf[0] = '\0';
  if (v && strlen(v) < size)
    strcpy(buf, v);
}

unsigned int la_version(unsigned int version) {
  char pid_text[32];
  copy_env("LEAKSLOPE_AUDIT_LOG", log_path, sizeof log_path);
  copy_env("LEAKSLOPE_AUDIT_MODULE", module_filter, sizeof module_filter);
  copy_env("LEAKSLOPE_AUDIT_PROCESS", capture_name, sizeof capture_name);
  copy_env("LEAKSLOPE_AUDIT_PID", pid_text, sizeof pid_text);
  if (pid_text[0])
    capture_pid = strtol(pid_text, NULL, 10);
  return version < LAV_CURRENT ? version : LAV_CURRENT;
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static bool ascii_prefix(const char *s, const char *prefix, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!s[i] || ascii_lower((unsigned char)s[i]) !=
                     ascii_lower((unsigned char)prefix[i]))
      return false;
  return true;
}

/* Does the file name of path match the wanted name (see the header)? */
static bool name_matches(const char *path, const char *want) {
  const char *base = base_name(path);
  size_t n = strlen(want);
  if (n == 0 || !ascii_prefix(base, want, n))
    return false;
  if (base[n] == '\0')
    return true;
  bool so_version = (n >= 3 && ascii_prefix(want + n - 3, ".so", 3)) ||
                    strstr(want, ".so.") != NULL;
  return base[n] == '.' && so_version;
}

static bool wanted(const char *module, const char *resolved) {
  if (!module_filter[0])
    return true;
  const char *want = base_name(module_filter);
  return name_matches(module, want) || (resolved[0] && name_matches(resolved, want));
}

/* Append text to line at *len as one CSV field (RFC 4180 quoting). */
static void put_field(char *buf, size_t size, size_t *len, const char *text) {
  bool quote = strpbrk(text, ",\"\r\n") != NULL;
  if (quote && *len + 1 < size)
    buf[(*len)++] = '"';
  for (const char *p = text; *p && *len + 3 < size; p++) {
    if (*p == '"')
      buf[(*len)++] = '"';
    buf[(*len)++] = *p;
  }
  if (quote && *len + 1 < size)
    buf[(*len)++] = '"';
  buf[*len] = '\0';
}

/* Days since 1970-01-01 to a civil date (the inverse of Howard Hinnant's
 * days_from_civil); gmtime_r could read the time zone files and allocate. */
static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d) {
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (long long)yoe + era * 400 + (*m <= 2);
}

static void format_now(char *buf, size_t size) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  long long days = ts.tv_sec / 86400, rem = ts.tv_sec % 86400;
  if (rem < 0) {
    rem += 86400;
    days--;
  }
  long long y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  snprintf(buf, size, "%04lld-%02u-%02uT%02u:%02u:%02u.%06uZ", y, m, d,
           (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60), (unsigned)(rem % 60),
           (unsigned)(ts.tv_nsec / 1000 % 1000000));
}

/* Copy src into buf, cut to fit. */
static void copy_cut(char *buf, size_t size, const char *src) {
  size_t n = strlen(src);
  if (n >= size)
    n = size - 1;
  memcpy(buf, src, n);
  buf[n] = '\0';
}

static void process_name(char *buf, size_t size) {
  if (capture_name[0] && (long)getpid() == capture_pid) {
    copy_cut(buf, size, capture_name);
    return;
  }
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n > 0 ? n : 0] = '\0';
  copy_cut(buf, size, base_name(exe));
}

static int open_log(void) {
  int fd = open(log_path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd >= 0 || errno != ENOENT)
    return fd;
  fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd >= 0) {
    ssize_t w = write(fd, HEADER, sizeof HEADER - 1);
    (void)w;
    return fd;
  }
  return errno == EEXIST ? open(log_path, O_WRONLY | O_APPEND | O_CLOEXEC) : -1;
}

/* Log one event whose "module,resolved" text is given. */
static void log_event(const char *event, const char *suffix) {
  char stamp[64], name[NAME_MAX_LEN];
  format_now(stamp, sizeof stamp);
  process_name(name, sizeof name);
  size_t len = (size_t)snprintf(line, sizeof line, "%s,%s,%ld,", stamp, event,
                                (long)getpid());
  put_field(line, sizeof line, &len, name);
  int n = snprintf(line + len, sizeof line - len, ",%s\n", suffix);
  if (n < 0 || (size_t)n >= sizeof line - len)
    return; /* cannot happen with PATH_MAX-bounded names; never log half */
  len += (size_t)n;
  int fd = open_log();
  if (fd < 0)
    return;
  ssize_t w = write(fd, line, len);
  (void)w;
  close(fd);
}

/* Keep "module,resolved" in the pool; returns its offset or -1 when full. */
static long pool_keep(const char *text) {
  size_t n = strlen(text) + 1;
  for (size_t off = 0; off < pool_used; off += strlen(pool + off) + 1)
    if (strcmp(pool + off, text) == 0)
      return (long)off;
  if (pool_used + n > sizeof pool)
    return -1;
  memcpy(pool + pool_used, text, n);
  pool_used += n;
  return (long)(pool_used - n);
}

/* The loader's name of an object and its real path; asked_for, when not
 * NULL, is logged as the module instead of the loader's name. */
static void object_names(const struct link_map *map, const char *asked_for,
                         char *module, char *resolved) {
  const char *loader_name = map->l_name && map->l_name[0] ? map->l_name : NULL;
  char exe[PATH_MAX];
  if (!loader_name) { /* the main program */
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    loader_name = exe;
  }
  strcpy(module, asked_for ? asked_for : loader_name);
  if (!realpath(loader_name, resolved))
    resolved[0] = '\0';
}

static void make_suffix(char *suffix, size_t size, const char *module,
                        const char *resolved) {
  size_t len = 0;
  put_field(suffix, size, &len, module);
  suffix[len++] = ',';
  put_field(suffix, size, &len, resolved);
}

/* Cookies: 0 not logged; (offset << 2) | 2 its pool entry; when the pool
 * is full, the link_map's address | 1 (then the loader's name is logged at
 * load and unload alike, so the two still pair). */
unsigned int la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie) {
  (void)lmid;
  static char module[PATH_MAX], resolved[PATH_MAX], suffix[4 * PATH_MAX + 4];
  int saved = errno;
  const char *asked_for = have_pending ? pending_name : NULL;
  have_pending = false;
  *cookie = 0;
  object_names(map, asked_for, module, resolved);
  if (log_path[0] && module[0] && wanted(module, resolved)) {
    make_suffix(suffix, sizeof suffix, module, resolved);
    long off = pool_keep(suffix);
    if (off >= 0) {
      *cookie = ((uintptr_t)off << 2) | 2;
    } else {
      *cookie = (uintptr_t)map | 1;
      object_names(map, NULL, module, resolved);
      make_suffix(suffix, sizeof suffix, module, resolved);
    }
    log_event("load", suffix);
  }
  errno = saved;
  return 0; /* no symbol binding audit: it would only cost time */
}

char *la_objsearch(const char *name, uintptr_t *cookie, unsigned int flag) {
  (void)cookie;
  if (flag == LA_SER_ORIG) {
    have_pending = strlen(name) < sizeof pending_name;
    if (have_pending)
      strcpy(pending_name, name);
  }
  return (char *)name;
}

unsigned int la_objclose(uintptr_t *cookie) {
  static char module[PATH_MAX], resolved[PATH_MAX], suffix[4 * PATH_MAX + 4];
  int saved = errno;
  if (*cookie & 2) {
    log_event("unload", pool + (*cookie >> 2));
  } else if (*cookie & 1) {
    object_names((const struct link_map *)(*cookie & ~(uintptr_t)1), NULL,
                 module, resolved);
    make_suffix(suffix, sizeof suffix, module, resolved);
    log_event("unload", suffix);
  }
  errno = saved;
  return 0;
}
