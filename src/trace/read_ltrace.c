/* read_ltrace — `ltrace -ttt -e dlopen+dlclose` (or -tt / -t, with -f and
 * -o FILE) output on Linux.
 *
 * A line is "[pid N] TIME CALLER->dlopen("path", FLAGS) = HANDLE" (the
 * "[pid N] " prefix only with -f, "CALLER->" only with -e). TIME is epoch
 * seconds with -ttt; time of day with -tt/-t, which needs --date and
 * --tz-offset (and rolls over at midnight). With -f a call may be split into
 * "... <unfinished ...>" and, later, "<... dlopen resumed> ...) = HANDLE" on
 * the same pid: the halves are joined, and the event takes the first half's
 * time (when the call was entered, as for whole lines).
 * dlopen returning 0 (or nil) failed. The dynamic linker counts references:
 * only the dlopen that takes a handle from 0 to 1 loads the module and only
 * the dlclose that takes it back to 0 unloads it, so each process keeps a
 * handle -> (path, count) table. A process that exits ("+++ exited") drops
 * its table. The process name is the calling program's name (the CALLER of
 * a call from an executable, not a shared object), when ltrace shows it.
 * Every other call, signal and exit line is passed over. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"
#include "trace/trace.h"
#include "trace/trace_time.h"
#include "util/u64map.h"

#define PATH_MAX_LEN 65536

struct handle {
  unsigned long long h;
  char *path;
  long refs;
};

struct pending {
  bool active;
  char func[16];
  struct strbuf args; /* the call text after '(' up to " <unfinished ...>" */
  usec_t time;
  long line;
};

struct proc {
  int64_t pid; /* -1 without -f */
  char *name;
  struct handle *handles;
  size_t nhandles, cap;
  struct u64map handle_ix; /* handle -> index in handles */
  struct pending pending;
};

struct ltrace {
  struct trace_ctx *ctx;
  struct trace_text text;
  struct proc *procs;
  size_t nprocs, cap;
  struct u64map proc_ix; /* pid -> index in procs */
  struct strbuf joined, path;
  const char *line; /* current line, for columns */
  long lineno;
  int time_kind;    /* 0 none yet, 1 epoch seconds, 2 times of day */
  bool tod_known;
  usec_t prev_tod;  /* for midnight roll-over */
  int64_t day;      /* days added to --date */
  bool truncated_warned;
};

/* One parsed line. */
struct lt_line {
  int64_t pid;
  usec_t time;
  const char *rest; /* after the time and its blanks */
  size_t rest_len;
};

static int fail(struct ltrace *st, const char *at, struct diag *d,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct ltrace *st, const char *at, struct diag *d,
                const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  long col = at && st->line ? utf8_column(st->line, (size_t)(at - st->line)) : 0;
  diag_set(d, DIAG_DATA, st->ctx->file, st->lineno, col, "%s", msg);
  free(msg);
  return -1;
}

/* --- processes and handles ------------------------------------------------ */

static struct proc *proc_get(struct ltrace *st, int64_t pid) {
  size_t at = u64map_get(&st->proc_ix, (uint64_t)pid);
  if (at != SIZE_MAX)
    return &st->procs[at];
  u64map_put(&st->proc_ix, (uint64_t)pid, st->nprocs);
  if (st->nprocs == st->cap) {
    st->cap = st->cap ? st->cap * 2 : 8;
    st->procs = xreallocarray(st->procs, st->cap, sizeof *st->procs);
  }
  struct proc *p = &st->procs[st->nprocs++];
  memset(p, 0, sizeof *p);
  p->pid = pid;
  u64map_init(&p->handle_ix);
  strbuf_init(&p->pending.args);
  return p;
}

static void proc_clear(struct proc *p) {
  for (size_t i = 0; i < p->nhandles; i++)
    free(p->handles[i].path);
  p->nhandles = 0;
  u64map_clear(&p->handle_ix);
  p->pending.active = false;
}

static void proc_fini(struct proc *p) {
  proc_clear(p);
  free(p->handles);
  u64map_fini(&p->handle_ix);
  free(p->name);
  strbuf_fini(&p->pending.args);
}

static struct handle *handle_find(struct proc *p, unsigned long long h) {
  size_t at = u64map_get(&p->handle_ix, h);
  return at == SIZE_MAX ? NULL : &p->handles[at];
}

static struct handle *handle_add(struct proc *p, unsigned long long h,
                                 const char *path) {
  if (p->nhandles == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 8;
    p->handles = xreallocarray(p->handles, p->cap, sizeof *p->handles);
  }
  u64map_put(&p->handle_ix, h, p->nhandles);
  struct handle *e = &p->handles[p->nhandles++];
  e->h = h;
  e->path = xstrdup(path);
  e->refs = 0;
  return e;
}

static void handle_remove(struct proc *p, struct handle *e) {
  free(e->path);
  u64map_del(&p->handle_ix, e->h);
  *e = p->handles[--p->nhandles];
  if (e != &p->handles[p->nhandles]) /* the last one moved into e's slot */
    u64map_put(&p->handle_ix, e->h, (size_t)(e - p->handles));
}

/* --- times ------------------------------------------------------------------ */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Digits at s (at most max), as a number; *n counts them. */
static unsigned long long take_num(const char *s, size_t len, size_t *n,
                                   size_t max) {
  unsigned long long v = 0;
  *n = 0;
  while (*n < len && *n < max && is_digit(s[*n]))
    v = v * 10 + (unsigned)(s[(*n)++] - '0');
  return v;
}

/* The time token at s (up to a blank): epoch seconds ("1700000000.123456",
 * -ttt) or a time of day ("12:34:56.123456", -tt; "12:34:56", -t). Returns
 * its length, 0 when it is neither. */
static size_t time_token(const char *s, size_t len, usec_t *t, bool *tod) {
  size_t n = 0;
  while (n < len && s[n] != ' ')
    n++;
  if (n == 0 || !is_digit(s[0]))
    return 0;
  *tod = memchr(s, ':', n) != NULL;
  if (*tod ? tt_parse_time_of_day(s, n, t) : tt_parse_epoch(s, n, t))
    return 0;
  return n;
}

static int tod_to_utc(struct ltrace *st, usec_t tod, usec_t *t,
                      const char *at, struct diag *d) {
  const struct trace_options *o = st->ctx->opt;
  if (!o->has_date || !o->has_tz_offset) {
    fail(st, at, d,
         "ltrace times of day (-tt/-t) carry no date or zone (give --date "
         "YYYY-MM-DD and --tz-offset +HH:MM, or trace with -ttt)");
    d->kind = DIAG_USAGE; /* the data is fine; options are missing */
    return -1;
  }
  if (st->tod_known && tod < st->prev_tod - 12 * USEC_PER_HOUR)
    st->day++; /* midnight passed */
  st->tod_known = true;
  st->prev_tod = tod;
  usec_t local = (o->date_days + st->day) * USEC_PER_DAY + tod;
  *t = trace_ctx_local_to_utc(st->ctx, local);
  return 0;
}

/* The time at s: epoch seconds or a time of day. */
static int parse_time(struct ltrace *st, const char *s, size_t len, usec_t *t,
                      size_t *used, struct diag *d) {
  bool tod;
  usec_t v;
  if ((*used = time_token(s, len, &v, &tod)) == 0)
    return fail(st, s, d, "ltrace line without a time (ltrace -ttt, -tt or -t output expected)");
  int kind = tod ? 2 : 1;
  if (st->time_kind != 0 && st->time_kind != kind)
    return fail(st, s, d, "%s", tod ? "time of day after epoch times (one ltrace time format expected)"
                                    : "epoch time after times of day (one ltrace time format expected)");
  st->time_kind = kind;
  if (tod)
    return tod_to_utc(st, v, t, s, d);
  if (v < 100000000LL * USEC_PER_SEC)
    return fail(st, s, d, "time %.*s looks relative (-r); epoch seconds (ltrace -ttt) expected", (int)*used, s);
  *t = v;
  return 0;
}

/* "[pid N] TIME " prefix. */
static int parse_prefix(struct ltrace *st, const char *s, size_t len,
                        struct lt_line *l, struct diag *d) {
  size_t i = 0, n;
  l->pid = -1;
  if (len >= 5 && memcmp(s, "[pid ", 5) == 0) {
    unsigned long long pid = take_num(s + 5, len - 5, &n, 10);
    i = 5 + n;
    if (n == 0 || i >= len || s[i] != ']')
      return fail(st, s, d, "bad [pid N] prefix (ltrace -f's \"[pid 1234] \" expected)");
    l->pid = (int64_t)pid;
    i++;
  }
  while (i < len && s[i] == ' ')
    i++;
  if (parse_time(st, s + i, len - i, &l->time, &n, d) < 0)
    return -1;
  i += n;
  while (i < len && s[i] == ' ')
    i++;
  l->rest = s + i;
  l->rest_len = len - i;
  return 0;
}

/* --- calls -------------------------------------------------------------------- */

/* A C string literal as ltrace prints it, decoded into st->path. Returns the
 * position after it (and after a "..." truncation mark), NULL if malformed. */
static const char *parse_cstring(struct ltrace *st, const char *s,
                                 const char *end, bool *truncated) {
  strbuf_reset(&st->path);
  if (s >= end || *s != '"')
    return NULL;
  for (s++; s < end && *s != '"'; s++) {
    char c = *s;
    if (c == '\\' && s + 1 < end) {
      c = *++s;
      if (c >= '0' && c <= '7') {
        int v = 0;
        for (int k = 0; k < 3 && s < end && *s >= '0' && *s <= '7'; k++)
          v = v * 8 + (*s++ - '0');
        s--;
        c = (char)v;
      } else {
        const char *from = "ntr", *to = "\n\t\r";
        const char *p = strchr(from, c);
        c = p && c ? to[p - from] : c;
      }
    }
    if (st->path.len < PATH_MAX_LEN)
      strbuf_addc(&st->path, c);
  }
  if (s >= end)
    return NULL;
  s++;
  *truncated = end - s >= 3 && memcmp(s, "...", 3) == 0;
  return *truncated ? s + 3 : s;
}

/* The value after the last ") = " of a call: 1 with *v, 0 for NULL/0. */
static int return_value(const char *s, const char *end, unsigned long long *v,
                        const char **at) {
  const char *eq = NULL;
  for (const char *p = s; p + 3 < end; p++)
    if (p[0] == ')' && p[1] == ' ' && p[2] == '=' && p[3] == ' ')
      eq = p + 4;
  *at = eq;
  if (!eq)
    return -1;
  while (eq < end && *eq == ' ')
    eq++;
  *at = eq;
  if ((end - eq >= 3 && memcmp(eq, "nil", 3) == 0) ||
      (end - eq >= 4 && memcmp(eq, "NULL", 4) == 0))
    return (*v = 0), 0;
  char *stop;
  char tmp[32];
  size_t n = (size_t)(end - eq) < sizeof tmp - 1 ? (size_t)(end - eq) : sizeof tmp - 1;
  memcpy(tmp, eq, n);
  tmp[n] = 0;
  bool neg = tmp[0] == '-';
  *v = strtoull(tmp + neg, &stop, 0);
  if (stop == tmp + neg || (*stop != 0 && *stop != ' ' && *stop != '<'))
    return -1;
  if (neg)
    *v = (unsigned long long)-(long long)*v;
  return *v != 0;
}

static void note_truncated(struct ltrace *st) {
  if (st->truncated_warned)
    return;
  st->truncated_warned = true;
  warnings_add(st->ctx->w, "ltrace-truncated", st->ctx->file, st->lineno,
               "ltrace cut a dlopen path short (\"...\"); module names may not "
               "match: trace with ltrace -s 4096");
}

/* The event of a load or unload of handle e by process p. */
static void emit(struct ltrace *st, const struct proc *p, const struct handle *e,
                 enum trace_kind kind, usec_t t, long line, struct trace_event *ev) {
  ev->kind = kind;
  ev->time = t;
  ev->pid = p->pid;
  ev->line = line;
  const char *name = p->name ? p->name : "";
  trace_event_fill(ev, &st->text, name, strlen(name), e->path, strlen(e->path));
}

static int do_dlopen(struct ltrace *st, struct proc *p, const char *args,
                     const char *end, usec_t t, long line,
                     struct trace_event *ev, struct diag *d) {
  bool truncated = false;
  const char *after = parse_cstring(st, args, end, &truncated);
  unsigned long long h;
  const char *at;
  if (!after) {
    if (end - args >= 3 && (memcmp(args, "nil", 3) == 0 || memcmp(args, "0,", 2) == 0))
      return 0; /* dlopen(NULL): the program itself */
    return fail(st, args, d, "bad dlopen argument (a quoted path expected)");
  }
  int rc = return_value(after, end, &h, &at);
  if (rc < 0)
    return fail(st, at ? at : after, d, "bad dlopen result (\") = HANDLE\" expected)");
  if (rc == 0)
    return 0; /* the dlopen failed */
  if (st->path.len == 0 && !truncated)
    return 0; /* dlopen(""): glibc's name for the program itself, as NULL */
  if (truncated) {
    strbuf_adds(&st->path, "...");
    note_truncated(st);
  }
  struct handle *e = handle_find(p, h);
  if (!e)
    e = handle_add(p, h, st->path.data);
  if (e->refs++ > 0)
    return 0;
  emit(st, p, e, TRACE_LOAD, t, line, ev);
  return 1;
}

static int do_dlclose(struct ltrace *st, struct proc *p, const char *args,
                      const char *end, usec_t t, long line,
                      struct trace_event *ev, struct diag *d) {
  char *stop;
  unsigned long long h = strtoull(args, &stop, 16), rv;
  const char *at;
  if (stop == args || *stop != ')')
    return fail(st, args, d, "bad dlclose argument (a hexadecimal handle expected)");
  int rc = return_value(stop, end, &rv, &at);
  if (rc < 0)
    return fail(st, at ? at : stop, d, "bad dlclose result (\") = 0\" expected)");
  if (rc != 0)
    return 0; /* dlclose failed: the count did not change */
  struct handle *e = handle_find(p, h);
  if (!e) {
    trace_ctx_skip(st->ctx, line, "dlclose(0x%llx) of a handle no dlopen in this trace returned", h);
    return 0;
  }
  if (--e->refs > 0)
    return 0;
  emit(st, p, e, TRACE_UNLOAD, t, line, ev);
  handle_remove(p, e);
  return 1;
}

/* "CALLER->func(" at s: the function name and where its arguments start. */
static bool call_head(const char *s, const char *end, const char **caller,
                      size_t *caller_len, const char **func, size_t *func_len,
                      const char **args) {
  const char *paren = memchr(s, '(', (size_t)(end - s));
  if (!paren)
    return false;
  const char *f = s;
  for (const char *p = s; p + 1 < paren; p++)
    if (p[0] == '-' && p[1] == '>')
      f = p + 2;
  *caller = s;
  *caller_len = f > s ? (size_t)(f - s - 2) : 0;
  *func = f;
  *func_len = (size_t)(paren - f);
  *args = paren + 1;
  for (const char *p = f; p < paren; p++)
    if (*p == ' ')
      return false;
  return true;
}

/* The program's name from the caller, unless the caller is a library. */
static void note_caller(struct proc *p, const char *c, size_t n) {
  if (p->name || n == 0)
    return;
  for (size_t i = 0; i + 3 <= n; i++)
    if (memcmp(c + i, ".so", 3) == 0)
      return;
  p->name = xstrndup(c, n);
}

static int run_call(struct ltrace *st, struct proc *p, const char *func,
                    size_t flen, const char *args, const char *end, usec_t t,
                    long line, struct trace_event *ev, struct diag *d) {
  if (flen == 6 && memcmp(func, "dlopen", 6) == 0)
    return do_dlopen(st, p, args, end, t, line, ev, d);
  if (flen == 7 && memcmp(func, "dlclose", 7) == 0)
    return do_dlclose(st, p, args, end, t, line, ev, d);
  return 0;
}

static const char UNFINISHED[] = " <unfinished ...>";

static bool ends_with(const char *s, size_t n, const char *tail) {
  size_t k = strlen(tail);
  return n >= k && memcmp(s + n - k, tail, k) == 0;
}

static int start_call(struct ltrace *st, struct proc *p,
                      const struct lt_line *l, struct trace_event *ev,
                      struct diag *d) {
  const char *end = l->rest + l->rest_len, *caller, *func, *args;
  size_t clen, flen;
  if (!call_head(l->rest, end, &caller, &clen, &func, &flen, &args))
    return 0; /* not a call line */
  note_caller(p, caller, clen);
  if (!ends_with(l->rest, l->rest_len, UNFINISHED))
    return run_call(st, p, func, flen, args, end, l->time, st->lineno, ev, d);
  struct pending *pd = &p->pending;
  if (flen >= sizeof pd->func)
    return 0;
  pd->active = true;
  memcpy(pd->func, func, flen);
  pd->func[flen] = 0;
  strbuf_reset(&pd->args);
  strbuf_add(&pd->args, args, (size_t)(end - args) - (sizeof UNFINISHED - 1));
  pd->time = l->time;
  pd->line = st->lineno;
  return 0;
}

/* "<... func resumed> REST": join with the pending half of this pid. */
static int resume_call(struct ltrace *st, struct proc *p,
                       const struct lt_line *l, struct trace_event *ev,
                       struct diag *d) {
  const char *s = l->rest + 5, *end = l->rest + l->rest_len;
  const char *gt = memchr(s, '>', (size_t)(end - s));
  const char *sp = memchr(s, ' ', (size_t)(end - s));
  if (!gt || !sp || sp > gt)
    return fail(st, l->rest, d, "bad resumed call (\"<... NAME resumed> \" expected)");
  size_t flen = (size_t)(sp - s);
  struct pending *pd = &p->pending;
  if (!pd->active || strlen(pd->func) != flen || memcmp(pd->func, s, flen) != 0) {
    trace_ctx_skip(st->ctx, st->lineno, "a resumed %.*s call with no unfinished start on its pid", (int)flen, s);
    return 0;
  }
  pd->active = false;
  strbuf_reset(&st->joined);
  strbuf_add(&st->joined, pd->args.data, pd->args.len);
  const char *rest = gt + 1;
  while (rest < end && *rest == ' ')
    rest++;
  strbuf_add(&st->joined, rest, (size_t)(end - rest));
  const char *saved = st->line;
  st->line = NULL; /* joined text: no column in the file */
  int rc = run_call(st, p, pd->func, flen, st->joined.data,
                    st->joined.data + st->joined.len, pd->time, pd->line, ev, d);
  st->line = saved;
  return rc;
}

static int one_line(struct ltrace *st, const char *s, size_t len,
                    struct trace_event *ev, struct diag *d) {
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\r'))
    len--;
  if (len == 0)
    return 0;
  struct lt_line l = {0};
  if (parse_prefix(st, s, len, &l, d) < 0)
    return -1;
  struct proc *p = proc_get(st, l.pid);
  if (l.rest_len >= 3 && memcmp(l.rest, "+++", 3) == 0) {
    proc_clear(p); /* exited or killed: its handles are gone */
    return 0;
  }
  if (l.rest_len >= 3 && memcmp(l.rest, "---", 3) == 0)
    return 0; /* a signal */
  if (l.rest_len >= 5 && memcmp(l.rest, "<... ", 5) == 0)
    return resume_call(st, p, &l, ev, d);
  return start_call(st, p, &l, ev, d);
}

static int next(void *state, struct trace_event *ev, struct diag *d) {
  struct ltrace *st = state;
  const char *line;
  size_t len;
  int rc;
  while ((rc = input_read_line(st->ctx->in, &line, &len, d)) == 1) {
    st->line = line;
    st->lineno = input_line_number(st->ctx->in);
    rc = one_line(st, line, len, ev, d);
    if (rc != 0)
      return rc;
  }
  return rc;
}

static void *open_reader(struct trace_ctx *ctx, struct diag *d) {
  (void)d;
  struct ltrace *st = xcalloc(1, sizeof *st);
  st->ctx = ctx;
  trace_text_init(&st->text);
  strbuf_init(&st->joined);
  strbuf_init(&st->path);
  return st;
}

static void close_reader(void *state) {
  struct ltrace *st = state;
  if (!st)
    return;
  for (size_t i = 0; i < st->nprocs; i++)
    proc_fini(&st->procs[i]);
  free(st->procs);
  u64map_fini(&st->proc_ix);
  strbuf_fini(&st->joined);
  strbuf_fini(&st->path);
  trace_text_fini(&st->text);
  free(st);
}

/* The first non-blank line looks like "[pid N] TIME name(" / "+++" / "---". */
static int sniff(const char *text, size_t len, const struct trace_layout *l) {
  (void)l;
  size_t i = 0, n;
  while (i < len && (text[i] == ' ' || text[i] == '\r' || text[i] == '\n'))
    i++;
  if (len - i >= 5 && memcmp(text + i, "[pid ", 5) == 0) {
    take_num(text + i + 5, len - i - 5, &n, 10);
    if (n == 0 || text[i + 5 + n] != ']')
      return 0;
    i += 6 + n;
    while (i < len && text[i] == ' ')
      i++;
  }
  usec_t t;
  bool tod;
  if ((n = time_token(text + i, len - i, &t, &tod)) == 0)
    return 0;
  i += n;
  if (i >= len || text[i] != ' ')
    return 0;
  while (i < len && text[i] == ' ')
    i++;
  size_t eol = i;
  while (eol < len && text[eol] != '\n')
    eol++;
  bool call = memchr(text + i, '(', eol - i) != NULL;
  bool mark = len - i >= 3 && (memcmp(text + i, "+++", 3) == 0 ||
                               memcmp(text + i, "---", 3) == 0);
  if (!call && !mark)
    return 0;
  for (size_t k = 0; k + 7 <= len; k++)
    if (memcmp(text + k, "dlopen(", 7) == 0)
      return 85;
  return 60;
}

const struct trace_format trace_format_ltrace = {
    .name = "ltrace",
    .summary = "ltrace -ttt (or -tt) -e dlopen+dlclose [-f] output",
    .loads_only = false,
    .sniff = sniff,
    .open = open_reader,
    .next = next,
    .close = close_reader,
};
