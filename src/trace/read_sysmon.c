/* read_sysmon — Sysmon event 7 ("Image loaded") records, as XML from
 * `wevtutil qe Microsoft-Windows-Sysmon/Operational /f:xml` (events back to
 * back with no root, or inside <Events> with /e:Events) and as JSON in the
 * shape evtx_dump writes (`"#attributes"`, one {"Event": ...} object per
 * record, each maybe preceded by a "Record N" line).
 *
 * Sysmon logs loads only (there is no unload event), so the format is
 * loads_only and pairing is implied. Per record: UtcTime (UTC, no zone
 * marker; TimeCreated's SystemTime when absent), ProcessId -> pid, the base
 * name of Image -> process, ImageLoaded -> module path, FileVersion (a
 * "(WinBuild...)" suffix stripped, "-" unknown) -> version. Other event IDs
 * are passed over. Both shapes are streamed: XML through xmlstream (libexpat),
 * JSON through jsonlex; each keeps one record's fields at a time (plus, for
 * XML, the records completed within one chunk of text). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"
#include "input/jsonlex.h"
#include "input/xmlstream.h"
#include "trace/evtxml.h"
#include "trace/trace.h"

enum sysmon_field {
  F_PROVIDER, F_EVENT_ID, F_SYSTEM_TIME, F_UTC_TIME, F_PID, F_IMAGE,
  F_IMAGE_LOADED, F_FILE_VERSION, F_COUNT
};

/* Names of the EventData fields, in enum order from F_UTC_TIME. */
static const char *const data_names[] = {"UtcTime", "ProcessId", "Image",
                                         "ImageLoaded", "FileVersion"};

_Static_assert(F_COUNT <= EVTXML_FIELDS, "a Sysmon record fits an evtxml_record");

/* --- one record to one event (shared by both shapes) ---------------------- */

struct sysmon {
  struct trace_ctx *ctx;
  struct trace_text text;
  struct evtxml *x;          /* XML */
  struct jsonlex *lx;        /* JSON */
  struct evtxml_record rec;  /* JSON: the record being read */
};

static bool is_sysmon_event7(const struct evtxml_record *r) {
  const struct evtxml_field *p = &r->f[F_PROVIDER];
  if (p->seen && strcmp(p->s.data, "Microsoft-Windows-Sysmon") != 0)
    return false;
  size_t n;
  const char *s = evtxml_get(r, F_EVENT_ID, &n);
  return n == 1 && s[0] == '7';
}

static int need(struct sysmon *st, const struct evtxml_record *r, int which,
                const char *what, struct diag *d) {
  if (r->f[which].seen && r->f[which].s.len > 0)
    return 0;
  return diag_set(d, DIAG_DATA, st->ctx->file, r->line, r->col,
                  "Sysmon event 7 without %s (every image load names it)",
                  what);
}

static int record_time(struct sysmon *st, const struct evtxml_record *r, usec_t *t,
                       struct diag *d) {
  const struct evtxml_field *f = r->f[F_UTC_TIME].seen ? &r->f[F_UTC_TIME]
                                                : &r->f[F_SYSTEM_TIME];
  if (!f->seen)
    return diag_set(d, DIAG_DATA, st->ctx->file, r->line, r->col,
                    "Sysmon event 7 without UtcTime or TimeCreated (a time expected)");
  size_t n, off;
  bool zone;
  const char *s = evtxml_get(r, (int)(f - r->f), &n);
  if (time_parse_iso(s, n, t, &zone, &off) < 0)
    return diag_set(d, DIAG_DATA, st->ctx->file, f->line, f->col,
                    "bad time '%s' (YYYY-MM-DD HH:MM:SS.fff UTC expected)",
                    f->s.data);
  return 0;
}

static int record_pid(struct sysmon *st, const struct evtxml_record *r, int64_t *pid,
                      struct diag *d) {
  const struct evtxml_field *f = &r->f[F_PID];
  size_t n;
  const char *s = evtxml_get(r, F_PID, &n);
  char *end;
  char *tmp = xstrndup(s, n);
  long long v = strtoll(tmp, &end, 10);
  bool ok = n > 0 && *end == 0 && v >= 0 && tmp[0] != '-' && tmp[0] != '+';
  free(tmp);
  if (!ok)
    return diag_set(d, DIAG_DATA, st->ctx->file, f->line, f->col,
                    "bad ProcessId '%s' (a decimal process id expected)",
                    f->s.data);
  *pid = v;
  return 0;
}

static const char *base_name(const char *path, size_t *n) {
  const char *b = path;
  for (const char *p = path; *p; p++)
    if (*p == '\\' || *p == '/')
      b = p + 1;
  *n = strlen(b);
  return b;
}

/* 1 with ev filled, 0 when the record is not an image load, -1 on error. */
static int record_event(struct sysmon *st, const struct evtxml_record *r,
                        struct trace_event *ev, struct diag *d) {
  if (!is_sysmon_event7(r))
    return 0;
  if (need(st, r, F_IMAGE_LOADED, "ImageLoaded", d) < 0 ||
      need(st, r, F_PID, "ProcessId", d) < 0 ||
      record_time(st, r, &ev->time, d) < 0 || record_pid(st, r, &ev->pid, d) < 0)
    return -1;
  size_t pn = 0;
  const char *proc = r->f[F_IMAGE].seen ? base_name(r->f[F_IMAGE].s.data, &pn) : "";
  if (pn == 1 && proc[0] == '-')
    pn = 0;
  size_t len;
  const char *path = evtxml_get(r, F_IMAGE_LOADED, &len);
  ev->kind = TRACE_LOAD;
  ev->line = r->line;
  trace_event_fill(ev, &st->text, proc, pn, path, len);
  if (r->f[F_FILE_VERSION].seen) { /* trimmed: a pasted value may wrap */
    const char *v = evtxml_get(r, F_FILE_VERSION, &len);
    trace_event_set_version(ev, &st->text, v, len);
  }
  return 1;
}

/* --- XML: wevtutil qe /f:xml ---------------------------------------------- */

static int element(void *ctx, struct evtxml_record *r, const struct evtxml_tag *t) {
  (void)ctx;
  if (t->depth != 2)
    return -1;
  if (t->section == EVTXML_SYSTEM) {
    if (strcmp(t->name, "Provider") == 0)
      evtxml_set_attr(r, F_PROVIDER, t, "Name");
    else if (strcmp(t->name, "TimeCreated") == 0)
      evtxml_set_attr(r, F_SYSTEM_TIME, t, "SystemTime");
    else if (strcmp(t->name, "EventID") == 0)
      return F_EVENT_ID;
  } else if (t->section == EVTXML_DATA && strcmp(t->name, "Data") == 0) {
    const char *n = xmlstream_attr(t->attrs, "Name");
    for (int i = 0; n && i < F_COUNT - F_UTC_TIME; i++)
      if (strcmp(n, data_names[i]) == 0)
        return F_UTC_TIME + i;
  }
  return -1;
}

static int xml_next(void *state, struct trace_event *ev, struct diag *d) {
  struct sysmon *st = state;
  struct evtxml_record *r;
  int rc;
  while ((rc = evtxml_next(st->x, &r, d)) > 0)
    if ((rc = record_event(st, r, ev, d)) != 0)
      return rc;
  return rc;
}

static struct sysmon *sysmon_new(struct trace_ctx *ctx) {
  struct sysmon *st = xcalloc(1, sizeof *st);
  st->ctx = ctx;
  trace_text_init(&st->text);
  evtxml_record_init(&st->rec);
  return st;
}

static void sysmon_close(void *state) {
  struct sysmon *st = state;
  if (!st)
    return;
  evtxml_free(st->x);
  jsonlex_free(st->lx);
  evtxml_record_fini(&st->rec);
  trace_text_fini(&st->text);
  free(st);
}

static void *xml_open(struct trace_ctx *ctx, struct diag *d) {
  struct sysmon *st = sysmon_new(ctx);
  st->x = evtxml_new(ctx, element, st, d);
  if (!st->x) {
    sysmon_close(st);
    return NULL;
  }
  return st;
}

/* --- JSON: evtx_dump records ---------------------------------------------- */

#define KEY_DEPTH 8
#define KEY_LEN 48

/* Where a scalar sits: the member names from the record's top. */
struct json_path {
  char key[KEY_DEPTH][KEY_LEN];
};

static const char SHAPE_HINT[] =
    "only evtx_dump records are read yet, one {\"Event\": {\"System\": ..., "
    "\"EventData\": ...}} object per record; other JSON shapes are not read yet";

static bool path_is(const struct json_path *p, int depth, const char *a,
                    const char *b, const char *c, const char *e) {
  const char *want[] = {a, b, c, e};
  int n = 0;
  while (n < 4 && want[n])
    n++;
  if (depth != n)
    return false;
  for (int i = 0; i < n; i++)
    if (strcmp(p->key[i], want[i]) != 0)
      return false;
  return true;
}

/* Which field a scalar at this path fills, or -1. depth counts the keys. */
static int json_field(const struct json_path *p, int depth) {
  if (path_is(p, depth, "Event", "System", "Provider", "#attributes") ||
      path_is(p, depth, "Event", "System", "TimeCreated", "#attributes"))
    return -1; /* containers; their members come one level deeper */
  if (depth == 5 && path_is(p, 4, "Event", "System", "Provider", "#attributes"))
    return strcmp(p->key[4], "Name") == 0 ? F_PROVIDER : -1;
  if (depth == 5 && path_is(p, 4, "Event", "System", "TimeCreated", "#attributes"))
    return strcmp(p->key[4], "SystemTime") == 0 ? F_SYSTEM_TIME : -1;
  if (path_is(p, depth, "Event", "System", "EventID", NULL) ||
      path_is(p, depth, "Event", "System", "EventID", "#text"))
    return F_EVENT_ID;
  if (depth == 3 && path_is(p, 2, "Event", "EventData", NULL, NULL))
    for (int i = 0; i < F_COUNT - F_UTC_TIME; i++)
      if (strcmp(p->key[2], data_names[i]) == 0)
        return F_UTC_TIME + i;
  return -1;
}

static int json_record_line(struct sysmon *st, const struct jsonlex_token *t,
                            struct diag *d) {
  const char *s = t->text;
  if (strncmp(s, "Record ", 7) == 0) {
    s += 7;
    while (*s >= '0' && *s <= '9')
      s++;
    while (*s == ' ' || *s == '\t')
      s++;
    if (*s == 0 && s > t->text + 7)
      return 0;
  }
  return diag_set(d, DIAG_DATA, st->ctx->file, t->line, t->col,
                  "unexpected text between records (a \"Record N\" line or a "
                  "JSON object expected)");
}

static bool is_scalar(enum jsonlex_kind k) {
  return k == JSONLEX_STRING || k == JSONLEX_NUMBER || k == JSONLEX_TRUE ||
         k == JSONLEX_FALSE || k == JSONLEX_NULL;
}

/* Read the members of one top-level object (its '{' consumed). */
static int json_members(struct sysmon *st, struct diag *d) {
  struct json_path path;
  struct jsonlex_token t;
  bool has_event = false;
  memset(&path, 0, sizeof path);
  for (;;) {
    int rc = jsonlex_next(st->lx, &t, d);
    if (rc <= 0)
      return rc < 0 ? -1 : diag_set(d, DIAG_SOFTWARE, st->ctx->file, 0, 0, "JSON ended inside a record");
    if (t.depth == 0)
      break; /* the record's closing '}' */
    if (t.kind == JSONLEX_KEY) {
      if (t.depth <= KEY_DEPTH)
        snprintf(path.key[t.depth - 1], KEY_LEN, "%s", t.text);
      if (t.depth == 1 && strcmp(t.text, "Event") == 0)
        has_event = true;
      continue;
    }
    if (t.kind == JSONLEX_BEGIN_ARRAY && t.depth <= KEY_DEPTH)
      snprintf(path.key[t.depth - 1], KEY_LEN, "[]");
    if (!is_scalar(t.kind))
      continue;
    int which = json_field(&path, t.depth);
    if (which >= 0 && t.kind != JSONLEX_NULL)
      evtxml_set(&st->rec, which, t.text, t.len, t.line, t.col);
  }
  if (!has_event)
    return diag_set(d, DIAG_DATA, st->ctx->file, st->rec.line, st->rec.col,
                    "JSON object without an \"Event\" member (%s)", SHAPE_HINT);
  return 1;
}

/* The next record: 1, 0 at the end, -1. */
static int json_record(struct sysmon *st, struct diag *d) {
  struct jsonlex_token t;
  for (;;) {
    int rc = jsonlex_next(st->lx, &t, d);
    if (rc <= 0)
      return rc;
    if (t.kind == JSONLEX_LINE) {
      if (json_record_line(st, &t, d) < 0)
        return -1;
      continue;
    }
    if (t.kind != JSONLEX_BEGIN_OBJECT)
      return diag_set(d, DIAG_DATA, st->ctx->file, t.line, t.col,
                      "%s at the top level (%s)",
                      t.kind == JSONLEX_BEGIN_ARRAY ? "a JSON array" : "a JSON scalar",
                      SHAPE_HINT);
    evtxml_record_reset(&st->rec, t.line, t.col);
    return json_members(st, d);
  }
}

static int json_next(void *state, struct trace_event *ev, struct diag *d) {
  struct sysmon *st = state;
  for (;;) {
    int rc = json_record(st, d);
    if (rc <= 0)
      return rc;
    rc = record_event(st, &st->rec, ev, d);
    if (rc != 0)
      return rc;
  }
}

static void *json_open(struct trace_ctx *ctx, struct diag *d) {
  (void)d;
  struct sysmon *st = sysmon_new(ctx);
  st->lx = jsonlex_new(input_text_source, ctx->in, ctx->file, true);
  return st;
}

/* --- detection ------------------------------------------------------------ */

static int sniff_xml(const char *text, size_t len, const struct trace_layout *l) {
  (void)l;
  return evtxml_sniff(text, len) &&
                 trace_text_has(text, len, "Microsoft-Windows-Sysmon")
             ? 90
             : 0;
}

static size_t skip_space(const char *text, size_t len, size_t i) {
  while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    i++;
  return i;
}

/* A '[' opens a JSON array only when a value or ']' follows: records are
 * objects, so '{', '[' or ']' (an xperf progress line "[1/2]100.0%" is not
 * JSON). */
static bool opens_json_array(const char *text, size_t len, size_t i) {
  i = skip_space(text, len, i + 1);
  return i == len || text[i] == '{' || text[i] == '[' || text[i] == ']';
}

static int sniff_json(const char *text, size_t len, const struct trace_layout *l) {
  (void)l;
  size_t i = skip_space(text, len, 0);
  bool record_line = i + 7 <= len && memcmp(text + i, "Record ", 7) == 0;
  if (i == len || (!record_line && text[i] != '{' &&
                   !(text[i] == '[' && opens_json_array(text, len, i))))
    return 0;
  if (trace_text_has(text, len, "\"#attributes\""))
    return trace_text_has(text, len, "Microsoft-Windows-Sysmon") ? 90 : 50;
  return record_line ? 40 : 10; /* JSON, but not a shape we read: say so */
}

const struct trace_format trace_format_sysmon_xml = {
    .name = "sysmon-xml",
    .summary = "Sysmon event 7 (Image loaded) from wevtutil qe /f:xml",
    .loads_only = true,
    .sniff = sniff_xml,
    .open = xml_open,
    .next = xml_next,
    .close = sysmon_close,
};

const struct trace_format trace_format_sysmon_json = {
    .name = "sysmon-json",
    .summary = "Sysmon event 7 (Image loaded) as evtx_dump JSON records",
    .loads_only = true,
    .sniff = sniff_json,
    .open = json_open,
    .next = json_next,
    .close = sysmon_close,
};
