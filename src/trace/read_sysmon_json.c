/* read_sysmon_json — Sysmon event 7 ("Image loaded") records as JSON, in the
 * shapes people ship them:
 *  - evtx_dump (the Rust evtx crate): {"Event": {"System": ...,
 *    "EventData": ...}} per record, attributes under "#attributes", each
 *    object maybe preceded by a "Record N" line;
 *  - Winlogbeat: winlog.event_id, winlog.provider_name, winlog.event_data.*
 *    (and Winlogbeat 6's top-level event_id, source_name, event_data.*);
 *  - Elastic Common Schema: event.code, event.provider, @timestamp,
 *    process.pid/executable/name, file.path, file.pe.file_version.
 * Records are objects one after another (NDJSON, pretty-printed) or the
 * elements of one top-level array; a record may sit under "_source" (an
 * Elasticsearch hit) and its keys may be dotted ("winlog.event_id"). The
 * Sysmon names win over the ECS ones field by field (sysmon_merge_ecs).
 *
 * A scalar is matched by its path: the member names from the record's top
 * joined with '.', so nested and dotted keys are one case. Streamed through
 * jsonlex: memory is one record's fields and its path. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"
#include "input/jsonlex.h"
#include "trace/evtxml.h"
#include "trace/sysmon_record.h"
#include "trace/trace.h"

#define NAME_MAX_KEPT 128 /* a longer member name matches nothing */

struct sysmon_json {
  struct sysmon base;
  struct jsonlex *lx;
  struct evtxml_record rec;
  bool in_array;       /* between a top-level '[' and its ']' */
  struct strbuf path;  /* where the current value sits in the record */
  size_t at[JSONLEX_MAX_DEPTH + 2]; /* path length before depth d's name */
  bool after_key;      /* the value just read belongs to the last name */
  bool known;          /* the record has an Event, winlog or event member */
};

static const struct {
  const char *path;
  int field;
} json_paths[] = {
    {"Event.System.Provider.#attributes.Name", SF_PROVIDER},
    {"Event.System.TimeCreated.#attributes.SystemTime", SF_SYSTEM_TIME},
    {"Event.System.EventID", SF_EVENT_ID},
    {"Event.System.EventID.#text", SF_EVENT_ID},
    {"winlog.provider_name", SF_PROVIDER},
    {"winlog.event_id", SF_EVENT_ID},
    {"source_name", SF_PROVIDER},
    {"event_id", SF_EVENT_ID},
    {"event.provider", SF_ECS_PROVIDER},
    {"event.code", SF_ECS_CODE},
    {"@timestamp", SF_ECS_TIME},
    {"process.pid", SF_ECS_PID},
    {"process.executable", SF_ECS_EXECUTABLE},
    {"process.name", SF_ECS_PROCESS_NAME},
    {"file.path", SF_ECS_PATH},
    {"file.pe.file_version", SF_ECS_VERSION},
};

/* Where the EventData members sit; their names are sysmon_data_names. */
static const char *const data_prefixes[] = {"Event.EventData.",
                                            "winlog.event_data.", "event_data."};

/* The first names of a record we read; all but "Event" are Winlogbeat/ECS. */
static const char *const record_roots[] = {"Event", "winlog", "event", "event_data"};

static const char SHAPE_HINT[] =
    "evtx_dump records {\"Event\": {\"System\": ..., \"EventData\": ...}}, or "
    "Winlogbeat/ECS documents with winlog.event_data or event.code expected, "
    "one object per record or all in one array";

/* The path without an Elasticsearch hit's "_source." in front. */
static const char *record_path(const struct sysmon_json *st) {
  const char *p = st->path.data ? st->path.data : "";
  return strncmp(p, "_source.", 8) == 0 ? p + 8 : p;
}

static int path_field(const char *p) {
  for (size_t i = 0; i < sizeof json_paths / sizeof *json_paths; i++)
    if (strcmp(p, json_paths[i].path) == 0)
      return json_paths[i].field;
  for (size_t i = 0; i < sizeof data_prefixes / sizeof *data_prefixes; i++) {
    size_t n = strlen(data_prefixes[i]);
    if (strncmp(p, data_prefixes[i], n) == 0)
      for (int k = 0; k < SYSMON_DATA_NAMES; k++)
        if (strcmp(p + n, sysmon_data_names[k]) == 0)
          return SF_UTC_TIME + k;
  }
  return -1;
}

/* Set depth d's name (d counted from the record's top, 1 for its members). */
static void path_name(struct sysmon_json *st, int d, const char *name, size_t n) {
  st->path.len = st->at[d];
  if (st->path.data)
    st->path.data[st->path.len] = '\0';
  if (st->at[d] > 0)
    strbuf_addc(&st->path, '.');
  if (n > NAME_MAX_KEPT)
    strbuf_addc(&st->path, '?');
  else
    strbuf_add(&st->path, name, n);
  st->at[d + 1] = st->path.len;
}

static void note_root(struct sysmon_json *st) {
  const char *p = record_path(st);
  size_t n = strcspn(p, ".");
  for (size_t i = 0; i < sizeof record_roots / sizeof *record_roots; i++)
    if (strlen(record_roots[i]) == n && strncmp(p, record_roots[i], n) == 0) {
      st->known = true;
      if (i > 0)
        st->base.ecs_names = true;
    }
}

static bool is_scalar(enum jsonlex_kind k) {
  return k == JSONLEX_STRING || k == JSONLEX_NUMBER || k == JSONLEX_TRUE ||
         k == JSONLEX_FALSE || k == JSONLEX_NULL;
}

/* One token inside a record, rd its depth from the record's top. */
static void member_token(struct sysmon_json *st, const struct jsonlex_token *t, int rd) {
  bool after_key = st->after_key;
  st->after_key = false;
  if (t->kind == JSONLEX_KEY) {
    path_name(st, rd, t->text, t->len);
    note_root(st);
    st->after_key = true;
  } else if (t->kind == JSONLEX_BEGIN_ARRAY) {
    path_name(st, rd, "[]", 2); /* elements have no name: they match nothing */
  } else if (is_scalar(t->kind) && after_key && t->kind != JSONLEX_NULL) {
    int which = path_field(record_path(st));
    if (which >= 0)
      evtxml_set(&st->rec, which, t->text, t->len, t->line, t->col);
  }
}

/* Read the members of one record (its '{' consumed). */
static int json_members(struct sysmon_json *st, struct diag *d) {
  int base = st->in_array ? 1 : 0;
  struct jsonlex_token t;
  strbuf_reset(&st->path);
  st->at[1] = 0; /* deeper entries are set by the names above them */
  st->after_key = false;
  st->known = false;
  st->base.ecs_names = false;
  for (;;) {
    int rc = jsonlex_next(st->lx, &t, d);
    if (rc <= 0)
      return rc < 0 ? -1
                    : diag_set(d, DIAG_SOFTWARE, st->base.ctx->file, 0, 0,
                               "JSON ended inside a record");
    if (t.depth == base)
      break; /* the record's closing '}' */
    member_token(st, &t, t.depth - base);
  }
  if (!st->known)
    return diag_set(d, DIAG_DATA, st->base.ctx->file, st->rec.line, st->rec.col,
                    "JSON object without an \"Event\", \"winlog\" or \"event\" "
                    "member (%s)", SHAPE_HINT);
  sysmon_merge_ecs(&st->rec);
  return 1;
}

static int record_line(struct sysmon_json *st, const struct jsonlex_token *t,
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
  return diag_set(d, DIAG_DATA, st->base.ctx->file, t->line, t->col,
                  "unexpected text between records (a \"Record N\" line or a "
                  "JSON object expected)");
}

/* A token between records: 0 to read on, -1 on a value that is no record. */
static int between_records(struct sysmon_json *st, const struct jsonlex_token *t,
                           struct diag *d) {
  if (t->kind == JSONLEX_LINE)
    return record_line(st, t, d);
  if (t->kind == JSONLEX_BEGIN_ARRAY && !st->in_array) {
    st->in_array = true;
    return 0;
  }
  if (t->kind == JSONLEX_END_ARRAY && st->in_array) {
    st->in_array = false;
    return 0;
  }
  const char *what = t->kind == JSONLEX_BEGIN_ARRAY ? "a JSON array" : "a JSON scalar";
  return diag_set(d, DIAG_DATA, st->base.ctx->file, t->line, t->col, "%s %s (%s)",
                  what, st->in_array ? "inside the top-level array" : "at the top level",
                  SHAPE_HINT);
}

/* The next record: 1, 0 at the end, -1. */
static int json_record(struct sysmon_json *st, struct diag *d) {
  struct jsonlex_token t;
  for (;;) {
    int rc = jsonlex_next(st->lx, &t, d);
    if (rc <= 0)
      return rc;
    if (t.kind == JSONLEX_BEGIN_OBJECT) {
      evtxml_record_reset(&st->rec, t.line, t.col);
      return json_members(st, d);
    }
    if (between_records(st, &t, d) < 0)
      return -1;
  }
}

static int json_next(void *state, struct trace_event *ev, struct diag *d) {
  struct sysmon_json *st = state;
  for (;;) {
    int rc = json_record(st, d);
    if (rc <= 0)
      return rc;
    rc = sysmon_record_event(&st->base, &st->rec, ev, d);
    if (rc != 0)
      return rc;
  }
}

static void json_close(void *state) {
  struct sysmon_json *st = state;
  if (!st)
    return;
  jsonlex_free(st->lx);
  evtxml_record_fini(&st->rec);
  strbuf_fini(&st->path);
  sysmon_fini(&st->base);
  free(st);
}

static void *json_open(struct trace_ctx *ctx, struct diag *d) {
  (void)d;
  struct sysmon_json *st = xcalloc(1, sizeof *st);
  sysmon_init(&st->base, ctx);
  evtxml_record_init(&st->rec);
  strbuf_init(&st->path);
  st->lx = jsonlex_new(input_text_source, ctx->in, ctx->file, true);
  return st;
}

/* --- detection ------------------------------------------------------------ */

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

static bool names_sysmon(const char *text, size_t len) {
  return trace_text_has(text, len, "Microsoft-Windows-Sysmon") ||
         trace_text_has(text, len, "\"sysmon\"");
}

static int sniff_json(const char *text, size_t len, const struct trace_layout *l) {
  (void)l;
  size_t i = skip_space(text, len, 0);
  bool record_line = i + 7 <= len && memcmp(text + i, "Record ", 7) == 0;
  if (i == len || (!record_line && text[i] != '{' &&
                   !(text[i] == '[' && opens_json_array(text, len, i))))
    return 0;
  if (trace_text_has(text, len, "\"#attributes\""))
    return names_sysmon(text, len) ? 90 : 50;
  if (trace_text_has(text, len, "\"winlog") || trace_text_has(text, len, "\"event"))
    return names_sysmon(text, len) ? 90 : 50; /* Winlogbeat or ECS */
  return record_line ? 40 : 10; /* JSON, but not a shape we read: say so */
}

const struct trace_format trace_format_sysmon_json = {
    .name = "sysmon-json",
    .summary = "Sysmon event 7 (Image loaded) as evtx_dump, Winlogbeat or ECS JSON",
    .loads_only = true,
    .sniff = sniff_json,
    .open = json_open,
    .next = json_next,
    .close = json_close,
};
