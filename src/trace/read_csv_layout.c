/* read_csv_layout — the one reader of every CSV trace layout
 * (formats/trace/NAME.yaml: leakslope-csv, tracerpt-csv, procmon-csv and the
 * user's own). It maps columns by header name, keeps only image rows, and
 * turns each into a struct trace_event. Per-format quirks are layout keys,
 * not code: padded cells and ragged tails (tracerpt), cells quoted twice, a
 * constant kind for loads-only formats, times of day whose date is in
 * another column or in --date (procmon).
 *
 * Memory: one record buffer plus, when the layout has no process column, a
 * pid -> process name map learnt from each process's .exe image. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/csv.h"
#include "input/input.h"
#include "input/yamldoc.h"
#include "trace/event_map.h"
#include "trace/trace.h"
#include "trace/trace_layout.h"
#include "trace/trace_time.h"

extern const struct trace_format trace_format_csv_layout;

struct pid_name {
  int64_t pid;
  char *name;
};

struct csvl {
  struct trace_ctx *ctx;
  const struct trace_layout *l;
  struct csv_record rec;
  struct trace_text text;
  long col[ROLE_COUNT]; /* header index per role, -1 absent */
  long where_col, tail_col;
  size_t header_fields;
  enum trace_date_order order;
  usec_t base;        /* local time of elapsed 0 (elapsed column) */
  bool have_base;
  int64_t day;        /* current local day (no date column) */
  usec_t prev_tod;
  bool have_tod;
  struct pid_name *names;
  size_t nnames;
  char *named;        /* this row's named cycle as a module, ":logon" */
  size_t named_cap;
  /* Event maps (event_map.h) on rows the `where` filter passes over: the
   * columns they select on, and this row's rule and map. */
  long ev_id_col, ev_task_col, ev_opcode_col, ev_pid_col;
  const struct event_map_rule *mapped;
  const struct event_map *mapped_map;
  struct strbuf ev_name;
  long *map_pid_col; /* per map (in list order): its pid column, -1 none */
};

/* --- header --------------------------------------------------------------- */

static long find_any(const struct csv_record *r, const struct layout_names *l) {
  for (size_t i = 0; i < l->n; i++) {
    long k = csv_find(r, l->v[i]);
    if (k >= 0)
      return k;
  }
  return -1;
}

static int sniff_layout(const char *text, size_t len,
                        const struct trace_layout *l) {
  const char *eol = memchr(text, '\n', len);
  size_t n = eol ? (size_t)(eol - text) : len;
  if (n && text[n - 1] == '\r')
    n--;
  struct csv_record r;
  csv_record_init(&r);
  size_t off;
  const char *why;
  int score = 0;
  if (csv_split(&r, text, n, l->separator, &off, &why) == 0) {
    score = 50 + (int)l->detect.n;
    for (size_t i = 0; i < l->detect.n; i++)
      if (csv_find(&r, l->detect.v[i]) < 0)
        score = 0;
  }
  csv_record_fini(&r);
  return score > 99 ? 99 : score;
}

static int read_header(struct csvl *s, struct diag *d) {
  const struct trace_layout *l = s->l;
  int rc = csv_read(s->ctx->in, &s->rec, l->separator, d);
  if (rc < 0)
    return -1;
  if (rc == 0)
    return diag_set(d, DIAG_DATA, s->ctx->file, 1, 1,
                    "empty file (expected a %s header line)", l->name);
  for (int r = 0; r < ROLE_COUNT; r++)
    s->col[r] = find_any(&s->rec, &l->role[r]);
  s->where_col = find_any(&s->rec, &l->where_column);
  s->tail_col = l->tail_column ? csv_find(&s->rec, l->tail_column) : -1;
  s->header_fields = s->rec.nfields;
  s->ev_id_col = csv_find(&s->rec, "Event ID");
  s->ev_task_col = csv_find(&s->rec, "Task");
  s->ev_opcode_col = csv_find(&s->rec, "Opcode");
  s->ev_pid_col = csv_find(&s->rec, "PID");
  size_t nmaps = 0;
  for (const struct event_map *m = s->ctx->events; m; m = m->next)
    nmaps++;
  s->map_pid_col = nmaps ? xcalloc(nmaps, sizeof *s->map_pid_col) : NULL;
  nmaps = 0;
  for (const struct event_map *m = s->ctx->events; m; m = m->next)
    s->map_pid_col[nmaps++] = m->pid ? csv_find(&s->rec, m->pid) : s->ev_pid_col;
  static const int required[] = {ROLE_TIME, ROLE_MODULE, ROLE_PID, ROLE_KIND};
  for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
    int r = required[i];
    bool via_tail = s->tail_col >= 0 &&
                    ((r == ROLE_PID && l->tail_pid) ||
                     (r == ROLE_MODULE && l->tail_module));
    bool optional = r == ROLE_KIND && l->const_kind;
    if (s->col[r] < 0 && !via_tail && !optional)
      return diag_set(d, DIAG_DATA, s->ctx->file, s->rec.line, 1,
                      "header has no '%s' column (expected by the %s layout)",
                      l->role[r].n ? l->role[r].v[0] : "?", l->name);
  }
  if (l->where_column.n && s->where_col < 0)
    return diag_set(d, DIAG_DATA, s->ctx->file, s->rec.line, 1,
                    "header has no '%s' column (expected by the %s layout)",
                    l->where_column.v[0], l->name);
  return 0;
}

/* The whole file read ahead, once, through a second input (none for
 * standard input: AUTO stays): the first date with a part over 12 anywhere
 * in it, else the order the one-day steps between its dates agree on (a
 * trace past midnight). A date cut by a chunk boundary is found in the next
 * chunk, which starts with the last bytes of this one. */
static enum trace_date_order date_order_in_file(const struct input *first) {
  enum { CHUNK = 64 * 1024, CARRY = 32 };
  struct diag d;
  diag_init(&d);
  struct input *in = input_reopen(first, &d);
  enum trace_date_order order = TRACE_DATE_AUTO;
  struct tt_date_steps steps = {0};
  if (in) {
    char *buf = xmalloc(CHUNK + CARRY);
    size_t have = 0;
    long n;
    while (order == TRACE_DATE_AUTO && (n = input_read_text(in, buf + have, CHUNK, &d)) > 0) {
      have += (size_t)n;
      order = tt_date_order_in(buf, have);
      tt_date_steps_in(&steps, buf, have);
      /* the carry starts after a token: a date cut at its front was whole
       * in this chunk (dates are shorter than CARRY) */
      size_t from = have < CARRY ? 0 : have - CARRY;
      while (from < have && strchr("0123456789/.-", buf[from]))
        from++;
      memmove(buf, buf + from, have - from);
      have -= from;
    }
    free(buf);
    if (order == TRACE_DATE_AUTO)
      order = tt_date_steps_order(&steps);
  }
  input_close(in);
  diag_fini(&d);
  return order;
}

/* With a date column and no --date-order, the day/month order comes from
 * the first date in the text ahead (the next 64 KiB, then the whole file; in any cell) with a part
 * over 12: the first rows' "7/11/2020" is decided by a later "12/13/2017" or
 * "7/13/2020". Still undecided, the first ambiguous row asks for the option. */
static int decide_date_order(struct csvl *s, struct diag *d) {
  if (s->col[ROLE_DATE] < 0 || s->order != TRACE_DATE_AUTO)
    return 0;
  const char *ahead;
  long n = input_peek_text(s->ctx->in, &ahead, d);
  if (n < 0)
    return -1;
  s->order = tt_date_order_in(ahead, (size_t)n);
  if (s->order == TRACE_DATE_AUTO)
    s->order = date_order_in_file(s->ctx->in);
  return 0;
}

static void *open_layout(struct trace_ctx *ctx, struct diag *d) {
  struct csvl *s = xcalloc(1, sizeof *s);
  s->ctx = ctx;
  s->l = ctx->layout;
  s->order = ctx->opt->date_order;
  csv_record_init(&s->rec);
  trace_text_init(&s->text);
  strbuf_init(&s->ev_name);
  if (read_header(s, d) < 0) {
    trace_format_csv_layout.close(s);
    return NULL;
  }
  if (decide_date_order(s, d) < 0) {
    trace_format_csv_layout.close(s);
    return NULL;
  }
  return s;
}

static void close_layout(void *state) {
  struct csvl *s = state;
  csv_record_fini(&s->rec);
  trace_text_fini(&s->text);
  strbuf_fini(&s->ev_name);
  free(s->map_pid_col);
  for (size_t i = 0; i < s->nnames; i++)
    free(s->names[i].name);
  free(s->names);
  free(s->named);
  free(s);
}

/* --- cells ---------------------------------------------------------------- */

/* Field index for a role: its column, or its place in the ragged tail. */
static long field_of(const struct csvl *s, int role) {
  if (s->col[role] >= 0)
    return s->col[role];
  long at = role == ROLE_PID ? s->l->tail_pid
            : role == ROLE_MODULE ? s->l->tail_module : 0;
  if (!at || s->tail_col < 0)
    return -1;
  return at < 0 ? (long)s->rec.nfields + at : s->tail_col + at - 1;
}

/* Cells quoted twice (" ""PktMon""", a re-saved tracerpt file) lose one
 * more level of quotes and their padding, in place, once per record. */
static void strip_inner(struct csv_record *r) {
  for (size_t k = 0; k < r->nfields; k++) {
    struct csv_field *f = &r->fields[k];
    char *v = r->cells.data + (f->s - r->cells.data);
    size_t n = f->len;
    while (n && (*v == ' ' || *v == '\t'))
      v++, n--;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
      n--;
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
      v++, n -= 2;
    v[n] = '\0';
    f->s = v;
    f->len = n;
  }
}

/* The cell's text (NUL-terminated); NULL when the row is too short. */
static const char *cell(struct csvl *s, long k, size_t *len) {
  if (k < 0 || (size_t)k >= s->rec.nfields)
    return NULL;
  *len = s->rec.fields[k].len;
  return s->rec.fields[k].s;
}

static int bad_cell(struct csvl *s, long k, const char *what, struct diag *d) {
  long line, col;
  size_t off = k >= 0 && (size_t)k < s->rec.nfields ? s->rec.fields[k].off : 0;
  csv_position(&s->rec, off, &line, &col);
  return diag_set(d, DIAG_DATA, s->ctx->file, line, col, "%s", what);
}

/* --- kinds and times ------------------------------------------------------ */

/* "begin:NAME" / "end:NAME": a named cycle's start and end, read as the
 * load and unload of module ":name" (lower case; a ':' is in no file's base
 * name, so it meets no real module). False for any other kind. */
static bool named_kind(struct csvl *s, const char *k, size_t n, enum trace_kind *kind) {
  size_t skip = n > 6 && !strncasecmp(k, "begin:", 6) ? 6 : n > 4 && !strncasecmp(k, "end:", 4) ? 4 : 0;
  if (!skip)
    return false;
  *kind = skip == 6 ? TRACE_LOAD : TRACE_UNLOAD;
  if (s->named_cap < n - skip + 2) {
    s->named_cap = n - skip + 2;
    s->named = xrealloc(s->named, s->named_cap);
  }
  s->named[0] = ':';
  for (size_t i = skip; i < n; i++)
    s->named[i - skip + 1] = (char)tolower((unsigned char)k[i]);
  s->named[n - skip + 1] = '\0';
  return true;
}

static bool cell_number(struct csvl *s, long k, long *v) {
  size_t n;
  const char *c = cell(s, k, &n);
  unsigned long long u;
  if (!c || !ydoc_parse_unsigned(c, 65535, &u))
    return false;
  *v = (long)u;
  return true;
}

/* A row the `where` filter passes over that an event map names: by its
 * provider (the `where` column, tracerpt's Event Name) and Event ID, Task
 * and Opcode, or by "Event Name/Type" as the map's event. */
/* A row's Event ID, Task or Opcode cell, for event_map_lookup. */
static bool row_value(void *rec, enum event_map_key key, long *v) {
  struct csvl *s = rec;
  long col = key == EVENT_MAP_ID     ? s->ev_id_col
             : key == EVENT_MAP_TASK ? s->ev_task_col
                                     : s->ev_opcode_col;
  return cell_number(s, col, v);
}

static bool mapped_row(struct csvl *s, const char *w, size_t wn) {
  struct event_map_hit hit;
  event_map_lookup(s->ctx->events, w, wn, NULL, 0, row_value, s, &hit);
  const struct event_map *m = hit.map;
  const struct event_map_rule *r = hit.rule;
  size_t n;
  const char *k = s->col[ROLE_KIND] >= 0 ? cell(s, s->col[ROLE_KIND], &n) : NULL;
  if (!r && k) {
    strbuf_reset(&s->ev_name);
    strbuf_addf(&s->ev_name, "%s/%s", w, k);
    r = event_map_named(s->ctx->events, s->ev_name.data, s->ev_name.len, &m);
  }
  s->mapped = r;
  s->mapped_map = r ? m : NULL;
  return r != NULL;
}

/* 1 with *kind, 2 for a named cycle's event (s->named), 3 for an event a
 * map names (s->mapped), 0 when the row is not an image event of a listed
 * kind. */
static int row_kind(struct csvl *s, enum trace_kind *kind) {
  const struct trace_layout *l = s->l;
  size_t n = 0;
  if (s->where_col >= 0) {
    const char *w = cell(s, s->where_col, &n);
    if (w && !layout_names_has(&l->where_values, w) && s->ctx->events &&
        mapped_row(s, w, n))
      return 3;
    if (!w || !layout_names_has(&l->where_values, w))
      return 0;
  }
  if (s->col[ROLE_KIND] < 0) {
    *kind = strcmp(l->const_kind, "unload") ? TRACE_LOAD : TRACE_UNLOAD;
    return 1;
  }
  const char *k = cell(s, s->col[ROLE_KIND], &n);
  if (!k)
    return -1;
  if (l->named_cycles && named_kind(s, k, n, kind))
    return 2;
  if (layout_names_has(&l->kind_load, k))
    *kind = TRACE_LOAD;
  else if (layout_names_has(&l->kind_unload, k))
    *kind = TRACE_UNLOAD;
  else if (layout_names_has(&l->kind_rundown, k))
    *kind = TRACE_RUNDOWN;
  else
    return s->where_col >= 0 || l->strict_kinds ? -1 : 0;
  return 1;
}

/* No date anywhere in the trace: the day on which its first time of day
 * falls inside the counter log's span (a capture's trace and log run
 * together). Within an hour before the log's first sample still counts
 * (the trace started first). */
static int day_from_log(struct csvl *s, usec_t tod, struct diag *d) {
  const struct trace_options *o = s->ctx->opt;
  int64_t first = o->log_from_local / USEC_PER_DAY - (o->log_from_local % USEC_PER_DAY < 0);
  for (int64_t day = first; day * USEC_PER_DAY <= o->log_to_local; day++) {
    usec_t t = day * USEC_PER_DAY + tod;
    if (t >= o->log_from_local - USEC_PER_HOUR && t <= o->log_to_local) {
      s->day = day;
      char buf[TIME_UTC_BUFSZ];
      time_format_utc(day * USEC_PER_DAY, buf);
      buf[10] = '\0';
      warnings_add(s->ctx->w, "trace-date-from-log", s->ctx->file, s->rec.line,
                   "the trace's times of day carry no date: its first event is dated "
                   "%s, the day it falls inside the counter log %s (give --date to "
                   "say otherwise)",
                   buf, o->log_file ? o->log_file : "");
      return 0;
    }
  }
  char from[TIME_UTC_BUFSZ], to[TIME_UTC_BUFSZ];
  time_format_utc(o->log_from_local, from);
  time_format_utc(o->log_to_local, to);
  from[19] = to[19] = '\0';
  return diag_set(d, DIAG_USAGE, s->ctx->file, s->rec.line, 0,
                  "the trace's times of day carry no date, and its first event falls on "
                  "no day inside the counter log's span (%s to %s local): give --date "
                  "YYYY-MM-DD",
                  from, to);
}

/* A date that reads either way, in a trace analyzed with its counter log:
 * the order whose reading puts this row inside the log's span (as
 * day_from_log allows), when just one does. 0 with s->order set, else 1. */
static int date_order_from_log(struct csvl *s, const char *v, size_t n, usec_t tod) {
  const struct trace_options *o = s->ctx->opt;
  if (!o->has_log)
    return 1;
  enum trace_date_order fits = TRACE_DATE_AUTO;
  int nfit = 0;
  static const enum trace_date_order orders[] = {TRACE_DATE_MDY, TRACE_DATE_DMY};
  for (int i = 0; i < 2; i++) {
    enum trace_date_order order = orders[i];
    int64_t day;
    if (tt_parse_date(v, n, &order, &day) != 0)
      continue;
    usec_t t = day * USEC_PER_DAY + tod;
    if (t >= o->log_from_local - USEC_PER_HOUR && t <= o->log_to_local)
      fits = orders[i], nfit++;
  }
  if (nfit != 1)
    return 1;
  s->order = fits;
  warnings_add(s->ctx->w, "trace-date-order-from-log", s->ctx->file, s->rec.line,
               "date '%.*s' reads as month/day or day/month: read %s, the order that "
               "puts it inside the counter log %s (give --date-order to say otherwise)",
               (int)n, v, fits == TRACE_DATE_MDY ? "month first" : "day first",
               o->log_file ? o->log_file : "");
  return 0;
}

/* The local day of this row: its date column, else --date plus the midnights
 * crossed (a time of day that steps back by more than 12 hours). */
static int row_day(struct csvl *s, usec_t tod, int64_t *day, struct diag *d) {
  size_t n = 0;
  const char *v = s->col[ROLE_DATE] >= 0 ? cell(s, s->col[ROLE_DATE], &n) : NULL;
  if (v && n) {
    int rc = tt_parse_date(v, n, &s->order, day);
    if (rc == 1 && date_order_from_log(s, v, n, tod) == 0)
      rc = tt_parse_date(v, n, &s->order, day);
    if (rc == 1)
      return diag_set(d, DIAG_USAGE, s->ctx->file, s->rec.line, 0,
                      "date '%s' reads as month/day or day/month, and no "
                      "date %s has a day over 12 or steps by one day "
                      "(give --date-order mdy or dmy)",
                      v, input_is_stdin(s->ctx->in) ? "in the next 64 KiB of standard input"
                                                    : "in the file");
    return rc < 0 ? bad_cell(s, s->col[ROLE_DATE],
                             "not a date (expected M/D/YYYY, D.M.YYYY or "
                             "YYYY-MM-DD)", d)
                  : 0;
  }
  const struct trace_options *o = s->ctx->opt;
  if (!o->has_date && !o->has_log)
    return diag_set(d, DIAG_USAGE, s->ctx->file, s->rec.line, 0,
                    "the trace's times of day carry no date (give --date "
                    "YYYY-MM-DD, the local date of its first event, or analyze it "
                    "with its counter log)");
  if (!s->have_tod && o->has_date)
    s->day = o->date_days;
  else if (!s->have_tod && day_from_log(s, tod, d) < 0)
    return -1;
  else if (tod + 12 * USEC_PER_HOUR < s->prev_tod)
    s->day++;
  s->prev_tod = tod;
  s->have_tod = true;
  *day = s->day;
  return 0;
}

/* Local time of a time-of-day row; with an elapsed column, the first row fixes
 * the start and every row is start + elapsed (immune to row order). */
static int time_of_day(struct csvl *s, const char *v, size_t n, usec_t *out,
                       struct diag *d) {
  usec_t tod, el = 0;
  int64_t day;
  if (tt_parse_time_of_day(v, n, &tod) < 0)
    return bad_cell(s, s->col[ROLE_TIME],
                    "not a time of day (expected H:MM:SS.fffffff, 12-hour "
                    "with AM/PM or 24-hour)", d);
  size_t en = 0;
  const char *e = s->col[ROLE_ELAPSED] >= 0 ? cell(s, s->col[ROLE_ELAPSED], &en)
                                            : NULL;
  bool use_elapsed = e && tt_parse_elapsed(e, en, &el) == 0;
  if (use_elapsed && s->have_base) {
    *out = s->base + el;
    return 0;
  }
  if (row_day(s, tod, &day, d) < 0)
    return -1;
  *out = day * USEC_PER_DAY + tod;
  if (use_elapsed) {
    s->base = *out - el;
    s->have_base = true;
  }
  return 0;
}

static int row_time(struct csvl *s, usec_t *t, struct diag *d) {
  size_t n = 0;
  long k = s->col[ROLE_TIME];
  const char *v = cell(s, k, &n);
  bool local = s->l->time_local, had_zone = true;
  size_t err;
  int rc;
  switch (s->l->time) {
  case LAYOUT_TIME_ISO8601:
    rc = time_parse_iso(v, n, t, &had_zone, &err);
    local = !had_zone;
    if (rc < 0)
      return bad_cell(s, k, "not an ISO 8601 time (expected "
                            "YYYY-MM-DDTHH:MM:SS.ffffffZ or with an offset)", d);
    break;
  case LAYOUT_TIME_FILETIME:
    if (tt_parse_filetime(v, n, t) < 0)
      return bad_cell(s, k, "not a FILETIME (expected 100 ns units since "
                            "1601, such as 133127435730482450)", d);
    break;
  case LAYOUT_TIME_EPOCH:
    if (tt_parse_epoch(v, n, t) < 0)
      return bad_cell(s, k, "not a time in seconds since 1970", d);
    break;
  case LAYOUT_TIME_TIME_OF_DAY:
    if (time_of_day(s, v, n, t, d) < 0)
      return -1;
    local = true;
    break;
  }
  if (local)
    *t = trace_ctx_local_to_utc(s->ctx, *t);
  return 0;
}

/* --- process names -------------------------------------------------------- */

static const char *pid_name(struct csvl *s, int64_t pid) {
  for (size_t i = 0; i < s->nnames; i++)
    if (s->names[i].pid == pid)
      return s->names[i].name;
  return NULL;
}

/* Without a process column, a process is named after the first .exe image
 * loaded into it (the kernel maps the program before any library). */
static const char *learn_name(struct csvl *s, int64_t pid, const char *path,
                              size_t n) {
  const char *known = pid_name(s, pid);
  if (known || n < 4 || strcasecmp(path + n - 4, ".exe") != 0)
    return known ? known : "";
  size_t start = n;
  while (start > 0 && path[start - 1] != '\\' && path[start - 1] != '/')
    start--;
  s->names = xreallocarray(s->names, s->nnames + 1, sizeof *s->names);
  s->names[s->nnames].pid = pid;
  s->names[s->nnames].name = xstrndup(path + start, n - start);
  return s->names[s->nnames++].name;
}

/* --- rows ----------------------------------------------------------------- */

static int fill_optional(struct csvl *s, struct trace_event *ev) {
  size_t n = 0;
  const char *v;
  if (s->col[ROLE_RESOLVED] >= 0 && (v = cell(s, s->col[ROLE_RESOLVED], &n)))
    trace_event_set_resolved(ev, &s->text, v, n);
  if (s->col[ROLE_VERSION] >= 0 && (v = cell(s, s->col[ROLE_VERSION], &n)))
    trace_event_set_version(ev, &s->text, v, n);
  return 0;
}

/* A row an event map names: its pid is the map's column, else the PID
 * column (the process that logged it). */
static int read_mapped_row(struct csvl *s, struct trace_event *ev, struct diag *d) {
  size_t i = 0, n;
  for (const struct event_map *m = s->ctx->events; m != s->mapped_map; m = m->next)
    i++;
  long pk = s->map_pid_col[i];
  const char *pidv = cell(s, pk, &n);
  if (!pidv || tt_parse_pid(pidv, n, &ev->pid) < 0)
    return bad_cell(s, pk, "a mapped event without a usable process id (expected "
                    "decimal or 0x hex in the column the event map names, or PID)", d);
  ev->line = s->rec.line;
  if (row_time(s, &ev->time, d) < 0)
    return -1;
  const char *proc = pid_name(s, ev->pid);
  trace_event_fill_mapped(ev, &s->text, s->mapped, proc ? proc : "", proc ? strlen(proc) : 0);
  return 1;
}

/* 1 with an event, 0 when the row is skipped, -1 on bad data. */
static int read_row(struct csvl *s, struct trace_event *ev, struct diag *d) {
  enum trace_kind kind;
  int rc = row_kind(s, &kind);
  if (rc == 3)
    return read_mapped_row(s, ev, d);
  if (rc <= 0) {
    if (rc < 0)
      trace_ctx_skip(s->ctx, s->rec.line, "an event kind the layout does not "
                     "list, or a short row");
    return 0;
  }
  bool named = rc == 2;
  size_t n = 0, pn = 0;
  long pk = field_of(s, ROLE_PID), mk = field_of(s, ROLE_MODULE);
  const char *pidv = cell(s, pk, &n);
  int64_t pid;
  if (!pidv || !cell(s, s->col[ROLE_TIME], &n) ||
      (!named && (mk < 0 || !cell(s, mk, &n) || n == 0))) {
    trace_ctx_skip(s->ctx, s->rec.line, "%zu fields, too few for an image "
                   "event", s->rec.nfields);
    return 0;
  }
  if (tt_parse_pid(pidv, strlen(pidv), &pid) < 0)
    return bad_cell(s, pk, "not a process id (expected decimal or 0x hex)", d);
  ev->pid = pid;
  ev->kind = kind;
  ev->line = s->rec.line;
  if (row_time(s, &ev->time, d) < 0)
    return -1;
  const char *path = named ? s->named : cell(s, mk, &n);
  if (named)
    n = strlen(s->named);
  const char *proc = s->col[ROLE_PROCESS] >= 0
                         ? cell(s, s->col[ROLE_PROCESS], &pn)
                         : learn_name(s, pid, path, n);
  trace_event_fill(ev, &s->text, proc ? proc : "", proc ? strlen(proc) : 0,
                   path, n);
  return fill_optional(s, ev) == 0 ? 1 : -1;
}

static int next_layout(void *state, struct trace_event *ev, struct diag *d) {
  struct csvl *s = state;
  for (;;) {
    int rc = csv_read(s->ctx->in, &s->rec, s->l->separator, d);
    if (rc <= 0)
      return rc;
    if (s->rec.nfields == 1 && s->rec.fields[0].len == 0)
      continue; /* blank line */
    if (s->l->strip_inner_quotes)
      strip_inner(&s->rec);
    rc = read_row(s, ev, d);
    if (rc != 0)
      return rc;
  }
}

const struct trace_format trace_format_csv_layout = {
    .name = "csv-layout",
    .summary = "a CSV trace described by a formats/trace/NAME.yaml layout",
    .loads_only = false,
    .sniff = sniff_layout,
    .open = open_layout,
    .next = next_layout,
    .close = close_layout,
};
