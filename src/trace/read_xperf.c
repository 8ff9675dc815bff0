/* read_xperf — the text of `xperf -i trace.etl -a dumper`.
 *
 * The dump opens with a BeginHeader ... EndHeader block: one line per event
 * type naming its columns ("I-Start, TimeStamp, Process Name ( PID),
 * ImageBase, ..., FileName"); columns are found by those names, never by
 * position. Then a line "OS Version: ..., Events Lost: N, Buffers lost: N,
 * Trace Start: FILETIME, ..." gives the absolute start, and every row's
 * TimeStamp is microseconds since it. Image rows: I-Start = load, I-End =
 * unload, I-DCStart/I-DCEnd = rundown. The process is written
 * "name (  pid)". Rows of every other event type (millions of CSwitch and
 * SampledProfile) are passed over on their first characters.
 * Lost events or buffers break pairing (a lost unload makes two loads look
 * like a cycle), so a non-zero count is an "events-lost" warning. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/csv.h"
#include "input/input.h"
#include "trace/event_map.h"
#include "trace/trace.h"
#include "trace/trace_time.h"

/* The image event types, their kinds, and where their columns are. */
static const struct {
  const char *name;
  enum trace_kind kind;
} image_types[] = {{"I-Start", TRACE_LOAD},
                   {"I-End", TRACE_UNLOAD},
                   {"I-DCStart", TRACE_RUNDOWN},
                   {"I-DCEnd", TRACE_RUNDOWN}};
#define N_TYPES (sizeof image_types / sizeof image_types[0])

struct columns {
  bool known;
  long time, process, file;
};

/* An event type an event map names (event_map.h): its columns. The
 * process id is the map's data column, else the "Process Name ( PID)". */
#define XPERF_MAPPED_MAX 64
struct mapped_type {
  char *name;
  const struct event_map_rule *rule;
  long time, process, pid; /* pid: -1 when the process column gives it */
};

enum stage { BEFORE_HEADER, IN_HEADER, AFTER_HEADER };

/* Lines before BeginHeader that are passed over: xperf writes progress lines
 * ("[1/2]100.0%") when its output is redirected, some versions an
 * "OS Version, ..." line. Bounded, so a file that is not a dump fails fast. */
#define PREAMBLE_MAX_LINES 64
#define PREAMBLE_MAX_BYTES (64 * 1024)

struct xperf {
  struct trace_ctx *ctx;
  struct trace_text text;
  struct csv_record rec;
  enum stage stage;
  long preamble_lines;
  size_t preamble_bytes;
  struct columns cols[N_TYPES];
  struct mapped_type mapped[XPERF_MAPPED_MAX];
  size_t nmapped;
  bool have_start;
  usec_t start;
  const char *line; /* the current line, for columns in messages */
};

static int fail_at(struct xperf *st, size_t off, struct diag *d,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail_at(struct xperf *st, size_t off, struct diag *d,
                   const char *fmt, ...) {
  long line = input_line_number(st->ctx->in);
  long col = st->line ? utf8_column(st->line, off) : 1;
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  diag_set(d, DIAG_DATA, st->ctx->file, line, col, "%s", msg);
  free(msg);
  return -1;
}

static int split(struct xperf *st, const char *line, size_t len,
                 struct diag *d) {
  size_t err_off = 0;
  const char *why = NULL;
  int rc = csv_split(&st->rec, line, len, ',', &err_off, &why);
  if (rc == CSV_OPEN_QUOTE)
    return fail_at(st, len, d, "%s", "quoted field not closed on its line (a closing '\"' expected)");
  if (rc < 0)
    return fail_at(st, err_off, d, "%s", why);
  return 0;
}

static int type_index(const char *name) {
  for (size_t i = 0; i < N_TYPES; i++)
    if (strcmp(name, image_types[i].name) == 0)
      return (int)i;
  return -1;
}

/* The process column is "Process Name ( PID)" with varying inner spaces. */
static long find_process_column(const struct csv_record *r) {
  for (size_t i = 0; i < r->nfields; i++)
    if (strncasecmp(r->fields[i].s, "Process Name", 12) == 0)
      return (long)i;
  return -1;
}

/* The header line of an event type a map names: remember its columns. */
static int mapped_header(struct xperf *st, struct diag *d) {
  const struct csv_record *r = &st->rec;
  const struct event_map *m;
  const struct event_map_rule *rule =
      event_map_named(st->ctx->events, r->fields[0].s, r->fields[0].len, &m);
  if (!rule || st->nmapped == XPERF_MAPPED_MAX)
    return 0;
  struct mapped_type *mt = &st->mapped[st->nmapped];
  mt->time = csv_find(r, "TimeStamp");
  mt->process = find_process_column(r);
  mt->pid = m->pid ? csv_find(r, m->pid) : -1;
  if (mt->time < 0 || mt->process < 0 || (m->pid && mt->pid < 0))
    return fail_at(st, 0, d,
                   "the header of event type '%s' has no %s column (event map "
                   "%s reads it)",
                   r->fields[0].s,
                   mt->time < 0 ? "TimeStamp" : mt->process < 0 ? "Process Name ( PID)" : m->pid,
                   m->file);
  mt->name = xstrdup(r->fields[0].s);
  mt->rule = rule;
  st->nmapped++;
  return 0;
}

static int header_line(struct xperf *st, const char *line, size_t len,
                       struct diag *d) {
  if (split(st, line, len, d) < 0)
    return -1;
  int t = type_index(st->rec.fields[0].s);
  if (t < 0)
    return st->ctx->events ? mapped_header(st, d) : 0;
  struct columns *c = &st->cols[t];
  c->time = csv_find(&st->rec, "TimeStamp");
  c->process = find_process_column(&st->rec);
  c->file = csv_find(&st->rec, "FileName");
  const char *missing = c->time < 0      ? "TimeStamp"
                        : c->process < 0 ? "Process Name ( PID)"
                        : c->file < 0    ? "FileName"
                                         : NULL;
  if (missing)
    return fail_at(st, 0, d, "the header of this event type has no %s column (xperf's dumper columns expected)", missing);
  c->known = true;
  return 0;
}

/* A "Key: value" item of the OS Version line as an integer; false if absent. */
static bool os_item(const char *line, const char *key, long long *v, size_t *at) {
  const char *p = strstr(line, key);
  if (!p)
    return false;
  *at = (size_t)(p - line);
  p += strlen(key);
  while (*p == ' ')
    p++;
  char *end;
  *v = strtoll(p, &end, 10);
  return end > p && (*end == 0 || *end == ',' || *end == ' ');
}

static int os_version_line(struct xperf *st, const char *line,
                           struct diag *d) {
  long long start, lost_events = 0, lost_buffers = 0;
  size_t at;
  if (!os_item(line, "Trace Start:", &start, &at) || start <= 0)
    return fail_at(st, 0, d, "%s", "OS Version line without a usable 'Trace Start: FILETIME' (the trace's absolute start expected)");
  st->start = time_from_filetime(start);
  st->have_start = true;
  bool le = os_item(line, "Events Lost:", &lost_events, &at);
  bool lb = os_item(line, "Buffers lost:", &lost_buffers, &at) ||
            os_item(line, "Buffers Lost:", &lost_buffers, &at);
  if ((le && lost_events != 0) || (lb && lost_buffers != 0))
    warnings_add(st->ctx->w, "events-lost", st->ctx->file,
                 input_line_number(st->ctx->in),
                 "EVENTS LOST: xperf reports %lld lost event%s and %lld lost "
                 "buffer%s in this trace; loads or unloads may be missing, so "
                 "cycles may be paired wrongly",
                 lost_events, lost_events == 1 ? "" : "s", lost_buffers,
                 lost_buffers == 1 ? "" : "s");
  return 0;
}

/* "name (  1234)" -> name and pid. */
static bool parse_process(const char *s, size_t n, size_t *name_len,
                          int64_t *pid) {
  const char *open = NULL;
  for (size_t i = n; i > 0; i--)
    if (s[i - 1] == '(') {
      open = s + i - 1;
      break;
    }
  if (!open || n == 0 || s[n - 1] != ')')
    return false;
  const char *p = open + 1;
  while (*p == ' ')
    p++;
  bool neg = *p == '-';
  p += neg;
  int64_t v = 0;
  const char *digits = p;
  while (*p >= '0' && *p <= '9' && v < INT64_MAX / 10)
    v = v * 10 + (*p++ - '0');
  while (*p == ' ')
    p++;
  if (p == digits || p != s + n - 1)
    return false;
  size_t nl = (size_t)(open - s);
  while (nl > 0 && s[nl - 1] == ' ')
    nl--;
  *name_len = nl;
  *pid = neg ? -v : v;
  return true;
}

/* TimeStamp: microseconds since the trace start, at most XPERF_MAX_USEC
 * (about 31 years) so that adding the start cannot overflow. */
#define XPERF_MAX_USEC 1000000000000000LL

static bool parse_usec(const char *s, int64_t *v) {
  char *end;
  if (*s < '0' || *s > '9')
    return false;
  errno = 0;
  long long x = strtoll(s, &end, 10);
  *v = x;
  return *end == 0 && errno == 0 && x <= XPERF_MAX_USEC;
}

static int image_row(struct xperf *st, int t, struct trace_event *ev,
                     struct diag *d) {
  const struct columns *c = &st->cols[t];
  const struct csv_record *r = &st->rec;
  const char *type = image_types[t].name;
  if (!c->known)
    return fail_at(st, 0, d, "%s row before its header line (a BeginHeader block naming its columns expected)", type);
  if (!st->have_start)
    return fail_at(st, 0, d, "%s row before the OS Version line (its Trace Start gives the absolute time)", type);
  long need = c->file > c->time ? c->file : c->time;
  if (c->process > need)
    need = c->process;
  if ((long)r->nfields <= need)
    return fail_at(st, 0, d, "%s row has too few columns (its header's FileName column expected)", type);
  int64_t ts, pid;
  size_t name_len;
  const struct csv_field *tf = &r->fields[c->time], *pf = &r->fields[c->process];
  if (!parse_usec(tf->s, &ts))
    return fail_at(st, tf->off, d, "bad TimeStamp '%s' (microseconds since the trace start, at most 10^15, expected)", tf->s);
  if (!parse_process(pf->s, pf->len, &name_len, &pid))
    return fail_at(st, pf->off, d, "bad process '%s' (\"name (pid)\" expected)", pf->s);
  const struct csv_field *ff = &r->fields[c->file];
  ev->time = st->start + ts;
  ev->kind = image_types[t].kind;
  ev->pid = pid;
  ev->line = input_line_number(st->ctx->in);
  trace_event_fill(ev, &st->text, pf->s, name_len, ff->s, ff->len);
  return 1;
}

/* The mapped type a line is a row of, or NULL: compared on the text
 * before the first comma, so other rows stay one memchr. */
static const struct mapped_type *mapped_of(const struct xperf *st, const char *line,
                                           size_t len) {
  const char *comma = memchr(line, ',', len);
  size_t n = comma ? (size_t)(comma - line) : len;
  while (n > 0 && line[n - 1] == ' ')
    n--;
  for (size_t i = 0; i < st->nmapped; i++)
    if (strlen(st->mapped[i].name) == n && !memcmp(st->mapped[i].name, line, n))
      return &st->mapped[i];
  return NULL;
}

static int mapped_row(struct xperf *st, const struct mapped_type *mt,
                      struct trace_event *ev, struct diag *d) {
  const struct csv_record *r = &st->rec;
  if (!st->have_start)
    return fail_at(st, 0, d, "%s row before the OS Version line (its Trace Start gives the absolute time)", mt->name);
  long need = mt->time > mt->process ? mt->time : mt->process;
  if (mt->pid > need)
    need = mt->pid;
  if ((long)r->nfields <= need)
    return fail_at(st, 0, d, "%s row has too few columns (%ld expected, as its header says)", mt->name, need + 1);
  int64_t ts, pid;
  size_t name_len;
  const struct csv_field *tf = &r->fields[mt->time], *pf = &r->fields[mt->process];
  if (!parse_usec(tf->s, &ts))
    return fail_at(st, tf->off, d, "bad TimeStamp '%s' (microseconds since the trace start, at most 10^15, expected)", tf->s);
  if (!parse_process(pf->s, pf->len, &name_len, &pid))
    return fail_at(st, pf->off, d, "bad process '%s' (\"name (pid)\" expected)", pf->s);
  if (mt->pid >= 0) {
    const struct csv_field *idf = &r->fields[mt->pid];
    if (tt_parse_pid(idf->s, idf->len, &pid) < 0)
      return fail_at(st, idf->off, d, "bad process id '%s' (a decimal or 0x hex process id expected)", idf->s);
    name_len = 0; /* the row's own process is the one that logged it */
  }
  ev->time = st->start + ts;
  ev->pid = pid;
  ev->line = input_line_number(st->ctx->in);
  trace_event_fill_mapped(ev, &st->text, mt->rule, pf->s, name_len);
  return 1;
}

/* A data line: 1 with an event, 0 when it is not an image row. */
static int data_line(struct xperf *st, const char *line, size_t len,
                     struct trace_event *ev, struct diag *d) {
  size_t i = 0;
  while (i < len && line[i] == ' ')
    i++;
  if (len - i >= 11 && memcmp(line + i, "OS Version:", 11) == 0)
    return os_version_line(st, line, d);
  const struct mapped_type *mt = st->nmapped ? mapped_of(st, line + i, len - i) : NULL;
  if (mt)
    return split(st, line, len, d) < 0 ? -1 : mapped_row(st, mt, ev, d);
  if (len - i < 5 || line[i] != 'I' || line[i + 1] != '-')
    return 0; /* the fast path for every other event type */
  if (split(st, line, len, d) < 0)
    return -1;
  int t = type_index(st->rec.fields[0].s);
  return t < 0 ? 0 : image_row(st, t, ev, d);
}

static int one_line(struct xperf *st, const char *line, size_t len,
                    struct trace_event *ev, struct diag *d) {
  size_t i = 0;
  while (i < len && (line[i] == ' ' || line[i] == '\t'))
    i++;
  switch (st->stage) {
  case BEFORE_HEADER:
    if (i == len)
      return 0;
    if (len - i >= 11 && memcmp(line + i, "BeginHeader", 11) == 0) {
      st->stage = IN_HEADER;
      return 0;
    }
    st->preamble_bytes += len + 1;
    if (++st->preamble_lines <= PREAMBLE_MAX_LINES &&
        st->preamble_bytes <= PREAMBLE_MAX_BYTES)
      return 0; /* progress lines ("[1/2]100.0%"), an OS Version line */
    return fail_at(st, i, d, "no BeginHeader in the first %d lines (xperf dumper text expected: BeginHeader and the column names of each event type)", PREAMBLE_MAX_LINES);
  case IN_HEADER:
    if (len - i >= 9 && memcmp(line + i, "EndHeader", 9) == 0) {
      st->stage = AFTER_HEADER;
      return 0;
    }
    return i == len ? 0 : header_line(st, line, len, d);
  default:
    return data_line(st, line, len, ev, d);
  }
}

static int next(void *state, struct trace_event *ev, struct diag *d) {
  struct xperf *st = state;
  const char *line;
  size_t len;
  int rc;
  while ((rc = input_read_line(st->ctx->in, &line, &len, d)) == 1) {
    st->line = line;
    rc = one_line(st, line, len, ev, d);
    if (rc != 0)
      return rc;
  }
  if (rc == 0 && st->stage != AFTER_HEADER)
    return diag_set(d, DIAG_DATA, st->ctx->file, input_line_number(st->ctx->in) + 1, 1,
                    "xperf dumper text ends inside its header (EndHeader expected)");
  return rc;
}

static void *open_reader(struct trace_ctx *ctx, struct diag *d) {
  (void)d;
  struct xperf *st = xcalloc(1, sizeof *st);
  st->ctx = ctx;
  trace_text_init(&st->text);
  csv_record_init(&st->rec);
  return st;
}

static void close_reader(void *state) {
  struct xperf *st = state;
  if (!st)
    return;
  csv_record_fini(&st->rec);
  trace_text_fini(&st->text);
  for (size_t i = 0; i < st->nmapped; i++)
    free(st->mapped[i].name);
  free(st);
}

/* A line starting with BeginHeader within the first PREAMBLE_MAX_LINES
 * lines (of the peeked text): 100 on the first line, 95 after a preamble. */
static int sniff(const char *text, size_t len, const struct trace_layout *l) {
  (void)l;
  size_t i = 0;
  for (int line = 0; i < len && line <= PREAMBLE_MAX_LINES; line++) {
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
      i++;
    if (len - i >= 11 && memcmp(text + i, "BeginHeader", 11) == 0)
      return line == 0 ? 100 : 95;
    const char *eol = memchr(text + i, '\n', len - i);
    if (!eol)
      break;
    bool blank = eol == text + i;
    i = (size_t)(eol - text) + 1;
    if (blank)
      line--; /* blank lines before the header do not count */
  }
  return 0;
}

const struct trace_format trace_format_xperf_dumper = {
    .name = "xperf-dumper",
    .summary = "xperf -i trace.etl -a dumper text (I-Start/I-End rows)",
    .loads_only = false,
    .sniff = sniff,
    .open = open_reader,
    .next = next,
    .close = close_reader,
};
