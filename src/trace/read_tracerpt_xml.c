/* read_tracerpt_xml — `tracerpt -of XML` (its default output, dumpfile.xml)
 * of a kernel trace with image load/unload events.
 *
 * The file is <Events> of <Event> records, streamed through xmlstream
 * (libexpat; the text arrives decoded, so the declaration's UTF-16 does not
 * matter). Two kinds of records carry image events:
 *  - the classic kernel Image class: EventGuid
 *    {2cb15d1d-5fc1-11d2-abe1-00a0c911f518} with Opcode 10 load, 2 unload,
 *    3/4 rundown (DCStart/DCEnd); data ProcessId and FileName;
 *  - provider Microsoft-Windows-Kernel-Process, EventID 5 ImageLoad and
 *    6 ImageUnload; data ProcessID and ImageName.
 * Process names come from the same trace: kernel Process records (EventGuid
 * {3d6fa8d0-fe05-11d0-9dda-00c04fd7ba7c}, ImageFileName) and Kernel-Process
 * event 1 (ProcessStart, ImageName) fill a pid -> name table.
 * TimeCreated SystemTime is UTC. Integers may be padded with spaces and
 * written in decimal or 0x hex. Fields are found by name, wherever they sit,
 * because older tracerpt versions (Server 2003) write fewer header elements.
 * Records with ProcessingErrorData (tracerpt could not decode the payload)
 * are skipped and counted (trace_ctx_skip), which the trace layer reports as
 * one warning. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/xmlstream.h"
#include "trace/event_map.h"
#include "trace/evtxml.h"
#include "trace/trace.h"
#include "trace/trace_time.h"

static const char IMAGE_GUID[] = "2cb15d1d-5fc1-11d2-abe1-00a0c911f518";
static const char PROCESS_GUID[] = "3d6fa8d0-fe05-11d0-9dda-00c04fd7ba7c";
static const char KERNEL_PROCESS[] = "Microsoft-Windows-Kernel-Process";
static const char KERNEL_PROCESS_GUID[] = "22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716";

enum rfield {
  R_EVENT_GUID, R_PROVIDER_NAME, R_PROVIDER_GUID, R_EVENT_ID, R_OPCODE,
  R_OPCODE_NAME, R_TIME, R_PID, R_FILE_NAME, R_IMAGE_NAME, R_IMAGE_FILE_NAME,
  R_PROCESSING_ERROR,
  R_TASK, R_EXEC_PID, R_MAP_PID, /* for the event maps (event_map.h) */
  R_COUNT
};
_Static_assert(R_COUNT <= EVTXML_FIELDS, "a tracerpt record fits an evtxml_record");

struct proc_name {
  int64_t pid;
  char *name;
};

struct tracerpt_xml {
  struct trace_ctx *ctx;
  struct trace_text text;
  struct evtxml *x;
  struct proc_name *procs; /* pid -> process name, sorted by pid */
  size_t nprocs, procs_cap;
};

/* A decimal or 0x-hex integer, padding allowed. */
static bool get_int(const struct evtxml_record *r, int which, int64_t *out) {
  size_t n;
  const char *s = evtxml_get(r, which, &n);
  if (n == 0 || n > 24)
    return false;
  char tmp[32], *end;
  memcpy(tmp, s, n);
  tmp[n] = 0;
  bool hex = n > 2 && tmp[0] == '0' && (tmp[1] == 'x' || tmp[1] == 'X');
  if (!hex && (tmp[0] < '0' || tmp[0] > '9'))
    return false;
  unsigned long long v = strtoull(tmp, &end, hex ? 16 : 10);
  if (*end != 0 || v > INT64_MAX)
    return false;
  *out = (int64_t)v;
  return true;
}

/* GUIDs compare without braces and case. */
static bool guid_is(const struct evtxml_record *r, int which, const char *guid) {
  size_t n;
  const char *s = evtxml_get(r, which, &n);
  if (n > 0 && s[0] == '{') {
    s++;
    n -= n > 1 && s[n - 2] == '}' ? 2 : 1;
  }
  return n == strlen(guid) && strncasecmp(s, guid, n) == 0;
}

/* --- pid -> process name ---------------------------------------------------- */

static size_t proc_find(const struct tracerpt_xml *st, int64_t pid) {
  size_t lo = 0, hi = st->nprocs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (st->procs[mid].pid < pid)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static void proc_set(struct tracerpt_xml *st, int64_t pid, const char *path,
                     size_t n) {
  size_t b = n;
  while (b > 0 && path[b - 1] != '\\' && path[b - 1] != '/')
    b--;
  size_t i = proc_find(st, pid);
  if (i < st->nprocs && st->procs[i].pid == pid) {
    free(st->procs[i].name);
  } else {
    if (st->nprocs == st->procs_cap) {
      st->procs_cap = st->procs_cap ? st->procs_cap * 2 : 64;
      st->procs = xreallocarray(st->procs, st->procs_cap, sizeof *st->procs);
    }
    memmove(st->procs + i + 1, st->procs + i, (st->nprocs - i) * sizeof *st->procs);
    st->nprocs++;
    st->procs[i].pid = pid;
  }
  st->procs[i].name = xstrndup(path + b, n - b);
}

static const char *proc_get(const struct tracerpt_xml *st, int64_t pid) {
  size_t i = proc_find(st, pid);
  return i < st->nprocs && st->procs[i].pid == pid ? st->procs[i].name : "";
}

/* --- classification ---------------------------------------------------------- */

enum what { W_OTHER, W_IMAGE, W_PROCESS };

static bool opcode_kind(const struct evtxml_record *r, enum trace_kind *kind) {
  int64_t op;
  size_t n;
  if (get_int(r, R_OPCODE, &op)) {
    if (op == 10)
      *kind = TRACE_LOAD;
    else if (op == 2)
      *kind = TRACE_UNLOAD;
    else if (op == 3 || op == 4)
      *kind = TRACE_RUNDOWN;
    else
      return false;
    return true;
  }
  /* No numeric opcode: the rendered name, as some versions write it. */
  const char *s = evtxml_get(r, R_OPCODE_NAME, &n);
  if (n == 4 && strncasecmp(s, "Load", 4) == 0)
    *kind = TRACE_LOAD;
  else if (n == 6 && strncasecmp(s, "UnLoad", 6) == 0)
    *kind = TRACE_UNLOAD;
  else if ((n == 7 && strncasecmp(s, "DCStart", 7) == 0) ||
           (n == 5 && strncasecmp(s, "DCEnd", 5) == 0))
    *kind = TRACE_RUNDOWN;
  else
    return false;
  return true;
}

static bool is_kernel_process(const struct evtxml_record *r) {
  size_t n;
  const char *s = evtxml_get(r, R_PROVIDER_NAME, &n);
  return (n == strlen(KERNEL_PROCESS) && strncasecmp(s, KERNEL_PROCESS, n) == 0) ||
         guid_is(r, R_PROVIDER_GUID, KERNEL_PROCESS_GUID);
}

/* What the record is; for images, its kind and the field holding the path. */
static enum what classify(const struct evtxml_record *r, enum trace_kind *kind,
                          int *path_field) {
  if (guid_is(r, R_EVENT_GUID, IMAGE_GUID)) {
    *path_field = R_FILE_NAME;
    return opcode_kind(r, kind) ? W_IMAGE : W_OTHER;
  }
  if (guid_is(r, R_EVENT_GUID, PROCESS_GUID)) {
    int64_t op;
    *path_field = R_IMAGE_FILE_NAME;
    return get_int(r, R_OPCODE, &op) && (op == 1 || op == 3) ? W_PROCESS : W_OTHER;
  }
  int64_t id;
  if (!is_kernel_process(r) || !get_int(r, R_EVENT_ID, &id))
    return W_OTHER;
  *path_field = R_IMAGE_NAME;
  *kind = id == 5 ? TRACE_LOAD : TRACE_UNLOAD;
  return id == 5 || id == 6 ? W_IMAGE : id == 1 ? W_PROCESS : W_OTHER;
}

static int rec_pid(struct tracerpt_xml *st, const struct evtxml_record *r, int64_t *pid,
                   struct diag *d) {
  size_t n;
  const char *s = evtxml_get(r, R_PID, &n);
  if (n > 0 && tt_parse_pid(s, n, pid) == 0)
    return 0;
  return diag_set(d, DIAG_DATA, st->ctx->file, r->line, r->col,
                  "event without a usable ProcessId ('%.*s'; a decimal or 0x "
                  "hex process id expected)",
                  (int)n, s);
}

static int rec_time(struct tracerpt_xml *st, const struct evtxml_record *r, usec_t *t,
                    struct diag *d) {
  size_t n, off;
  bool zone;
  const char *s = evtxml_get(r, R_TIME, &n);
  if (n > 0 && time_parse_iso(s, n, t, &zone, &off) == 0)
    return 0;
  return diag_set(d, DIAG_DATA, st->ctx->file, r->line, r->col,
                  "event without a usable TimeCreated SystemTime ('%.*s'; "
                  "an ISO 8601 UTC time expected)",
                  (int)n, s);
}

/* A record an event map names: 1 with ev filled, 0 when no map names it,
 * -1 on error. The process id is the map's data field, else the process
 * that logged the event (System/Execution ProcessID). */
/* A record's EventID, Task or Opcode, for event_map_lookup. */
static bool rec_value(void *rec, enum event_map_key key, long *v) {
  static const int field[] = {[EVENT_MAP_ID] = R_EVENT_ID, [EVENT_MAP_TASK] = R_TASK,
                              [EVENT_MAP_OPCODE] = R_OPCODE};
  int64_t x = 0;
  bool has = get_int(rec, field[key], &x);
  *v = (long)x;
  return has;
}

static int mapped_event(struct tracerpt_xml *st, const struct evtxml_record *r,
                        struct trace_event *ev, struct diag *d) {
  size_t n, gn;
  const char *prov = evtxml_get(r, R_PROVIDER_NAME, &n);
  const char *guid = evtxml_get(r, R_PROVIDER_GUID, &gn);
  struct event_map_hit hit;
  if (!event_map_lookup(st->ctx->events, prov, n, guid, gn, rec_value,
                        (void *)r, &hit))
    return 0;
  static const int pid_field[] = {[EVENT_MAP_PID_LOGGER] = R_EXEC_PID,
                                  [EVENT_MAP_PID_PROCESS_ID] = R_PID,
                                  [EVENT_MAP_PID_FIELD] = R_MAP_PID};
  const char *ps = evtxml_get(r, pid_field[hit.pid], &n);
  int64_t pid;
  if (n == 0 || tt_parse_pid(ps, n, &pid) < 0)
    return event_map_pid_error(&hit, st->ctx->file, r->line, r->col, ps, n, d);
  if (rec_time(st, r, &ev->time, d) < 0)
    return -1;
  const char *proc = proc_get(st, pid);
  ev->pid = pid;
  ev->line = r->line;
  trace_event_fill_mapped(ev, &st->text, hit.rule, proc, strlen(proc));
  return 1;
}

/* 1 with ev filled, 0 to pass over the record, -1 on error. */
static int rec_event(struct tracerpt_xml *st, const struct evtxml_record *r,
                     struct trace_event *ev, struct diag *d) {
  enum trace_kind kind = TRACE_LOAD;
  int pf = R_FILE_NAME;
  enum what w = classify(r, &kind, &pf);
  if (w == W_OTHER)
    return st->ctx->events ? mapped_event(st, r, ev, d) : 0;
  if (r->f[R_PROCESSING_ERROR].seen) {
    trace_ctx_skip(st->ctx, r->line,
                   "an image event with ProcessingErrorData: tracerpt could "
                   "not decode it, so a load or unload may be missing");
    return 0;
  }
  int64_t pid;
  size_t n;
  const char *path = evtxml_get(r, pf, &n);
  if (rec_pid(st, r, &pid, d) < 0)
    return -1;
  if (w == W_PROCESS) {
    if (n > 0)
      proc_set(st, pid, path, n);
    return 0;
  }
  if (n == 0)
    return diag_set(d, DIAG_DATA, st->ctx->file, r->line, r->col,
                    "image event without %s (the module's path expected)",
                    pf == R_FILE_NAME ? "FileName" : "ImageName");
  if (rec_time(st, r, &ev->time, d) < 0)
    return -1;
  const char *proc = proc_get(st, pid);
  ev->kind = kind;
  ev->pid = pid;
  ev->line = r->line;
  trace_event_fill(ev, &st->text, proc, strlen(proc), path, n);
  return 1;
}

/* --- which tags fill which fields ------------------------------------------ */

static int system_element(struct evtxml_record *r, const struct evtxml_tag *t) {
  if (strcmp(t->name, "Provider") == 0) {
    evtxml_set_attr(r, R_PROVIDER_NAME, t, "Name");
    evtxml_set_attr(r, R_PROVIDER_GUID, t, "Guid");
  } else if (strcmp(t->name, "TimeCreated") == 0) {
    evtxml_set_attr(r, R_TIME, t, "SystemTime");
  } else if (strcmp(t->name, "EventID") == 0) {
    return R_EVENT_ID;
  } else if (strcmp(t->name, "Opcode") == 0) {
    return R_OPCODE;
  } else if (strcmp(t->name, "Task") == 0) {
    return R_TASK;
  } else if (strcmp(t->name, "Execution") == 0) {
    evtxml_set_attr(r, R_EXEC_PID, t, "ProcessID");
  }
  return -1;
}

static int data_element(const struct tracerpt_xml *st, const struct evtxml_tag *t) {
  const char *n = xmlstream_attr(t->attrs, "Name");
  if (!n)
    return -1;
  if (strcasecmp(n, "ProcessId") == 0)
    return R_PID;
  if (strcmp(n, "FileName") == 0)
    return R_FILE_NAME;
  if (strcmp(n, "ImageName") == 0)
    return R_IMAGE_NAME;
  if (strcmp(n, "ImageFileName") == 0)
    return R_IMAGE_FILE_NAME;
  if (event_maps_pid_field(st->ctx->events, n))
    return R_MAP_PID;
  return -1;
}

static int element(void *ctx, struct evtxml_record *r, const struct evtxml_tag *t) {
  const struct tracerpt_xml *st = ctx;
  if (strcmp(t->name, "EventGuid") == 0)
    return R_EVENT_GUID; /* anywhere: ExtendedTracingInfo or System */
  if (t->depth == 1 && strcmp(t->name, "ProcessingErrorData") == 0) {
    evtxml_set(r, R_PROCESSING_ERROR, "", 0, t->line, t->col);
    return -1;
  }
  if (t->depth == 2 && t->section == EVTXML_SYSTEM)
    return system_element(r, t);
  if (t->depth == 2 && t->section == EVTXML_DATA)
    return strcmp(t->name, "Data") == 0 ? data_element(st, t) : -1;
  if (strcmp(t->name, "Opcode") == 0 && !r->f[R_OPCODE_NAME].seen)
    return R_OPCODE_NAME; /* RenderingInfo's "Load", "UnLoad", ... */
  return -1;
}

/* --- the reader ---------------------------------------------------------------- */

static int next(void *state, struct trace_event *ev, struct diag *d) {
  struct tracerpt_xml *st = state;
  struct evtxml_record *r;
  int rc;
  while ((rc = evtxml_next(st->x, &r, d)) > 0)
    if ((rc = rec_event(st, r, ev, d)) != 0)
      return rc;
  return rc;
}

static void close_reader(void *state) {
  struct tracerpt_xml *st = state;
  if (!st)
    return;
  evtxml_free(st->x);
  for (size_t i = 0; i < st->nprocs; i++)
    free(st->procs[i].name);
  free(st->procs);
  trace_text_fini(&st->text);
  free(st);
}

static void *open_reader(struct trace_ctx *ctx, struct diag *d) {
  struct tracerpt_xml *st = xcalloc(1, sizeof *st);
  st->ctx = ctx;
  trace_text_init(&st->text);
  st->x = evtxml_new(ctx, element, st, d);
  if (!st->x) {
    close_reader(st);
    return NULL;
  }
  return st;
}

/* An event-schema XML document; surer with tracerpt's own marks. Sysmon
 * exports (sysmon-xml) score higher. */
static int sniff(const char *text, size_t len, const struct trace_layout *l) {
  (void)l;
  if (!evtxml_sniff(text, len))
    return 0;
  static const char *const marks[] = {"EventGuid", "MSNT_SystemTrace",
                                      KERNEL_PROCESS, "ExtendedTracingInfo"};
  for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
    if (trace_text_has(text, len, marks[i]))
      return 80;
  return trace_text_has(text, len, "schemas.microsoft.com/win/2004/08/events/event")
             ? 60
             : 0;
}

const struct trace_format trace_format_tracerpt_xml = {
    .name = "tracerpt-xml",
    .summary = "tracerpt -of XML: kernel Image events or Kernel-Process 5/6",
    .loads_only = false,
    .sniff = sniff,
    .open = open_reader,
    .next = next,
    .close = close_reader,
};
