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

#include "input/input.h"
#include "trace/trace.h"
#include "trace/trace_time.h"
#include "input/xmlstream.h"

#define FIELD_MAX 65536

static const char IMAGE_GUID[] = "2cb15d1d-5fc1-11d2-abe1-00a0c911f518";
static const char PROCESS_GUID[] = "3d6fa8d0-fe05-11d0-9dda-00c04fd7ba7c";
static const char KERNEL_PROCESS[] = "Microsoft-Windows-Kernel-Process";
static const char KERNEL_PROCESS_GUID[] = "22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716";

enum rfield {
  R_EVENT_GUID, R_PROVIDER_NAME, R_PROVIDER_GUID, R_EVENT_ID, R_OPCODE,
  R_OPCODE_NAME, R_TIME, R_PID, R_FILE_NAME, R_IMAGE_NAME, R_IMAGE_FILE_NAME,
  R_COUNT
};

struct rec {
  struct strbuf f[R_COUNT];
  bool seen[R_COUNT];
  bool processing_error;
  long line, col;
};

struct proc_name {
  int64_t pid;
  char *name;
};

struct tracerpt_xml {
  struct trace_ctx *ctx;
  struct trace_text text;
  struct xmlstream *xs;
  struct rec *queue;
  size_t qhead, qcount, qcap;
  struct rec *cur;
  int depth;
  bool in_system, in_data;
  int capture; /* field the text goes to, or -1 */
  bool done;
  struct proc_name *procs; /* pid -> process name, sorted by pid */
  size_t nprocs, procs_cap;
};

static long read_text(void *in, char *buf, size_t cap, struct diag *d) {
  return input_read_text(in, buf, cap, d);
}

static void rec_init(struct rec *r) {
  memset(r, 0, sizeof *r);
  for (int i = 0; i < R_COUNT; i++)
    strbuf_init(&r->f[i]);
}

static void rec_reset(struct rec *r, long line, long col) {
  for (int i = 0; i < R_COUNT; i++) {
    strbuf_reset(&r->f[i]);
    r->seen[i] = false;
  }
  r->processing_error = false;
  r->line = line;
  r->col = col;
}

static void set(struct rec *r, int which, const char *s, size_t n) {
  strbuf_reset(&r->f[which]);
  strbuf_add(&r->f[which], s, n < FIELD_MAX ? n : FIELD_MAX);
  r->seen[which] = true;
}

/* The trimmed text of a field ("" when absent). */
static const char *get(const struct rec *r, int which, size_t *n) {
  const char *s = r->seen[which] && r->f[which].data ? r->f[which].data : "";
  size_t len = r->seen[which] ? r->f[which].len : 0;
  while (len > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
    s++;
    len--;
  }
  while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                     s[len - 1] == '\n' || s[len - 1] == '\r'))
    len--;
  *n = len;
  return s;
}

/* A decimal or 0x-hex integer, padding allowed. */
static bool get_int(const struct rec *r, int which, int64_t *out) {
  size_t n;
  const char *s = get(r, which, &n);
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
static bool guid_is(const struct rec *r, int which, const char *guid) {
  size_t n;
  const char *s = get(r, which, &n);
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

static bool opcode_kind(const struct rec *r, enum trace_kind *kind) {
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
  const char *s = get(r, R_OPCODE_NAME, &n);
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

static bool is_kernel_process(const struct rec *r) {
  size_t n;
  const char *s = get(r, R_PROVIDER_NAME, &n);
  return (n == strlen(KERNEL_PROCESS) && strncasecmp(s, KERNEL_PROCESS, n) == 0) ||
         guid_is(r, R_PROVIDER_GUID, KERNEL_PROCESS_GUID);
}

/* What the record is; for images, its kind and the field holding the path. */
static enum what classify(const struct rec *r, enum trace_kind *kind,
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

static int rec_pid(struct tracerpt_xml *st, const struct rec *r, int64_t *pid,
                   struct diag *d) {
  size_t n;
  const char *s = get(r, R_PID, &n);
  if (n > 0 && tt_parse_pid(s, n, pid) == 0)
    return 0;
  return diag_set(d, DIAG_DATA, st->ctx->file, r->line, r->col,
                  "event without a usable ProcessId ('%.*s'; a decimal or 0x "
                  "hex process id expected)",
                  (int)n, s);
}

static int rec_time(struct tracerpt_xml *st, const struct rec *r, usec_t *t,
                    struct diag *d) {
  size_t n, off;
  bool zone;
  const char *s = get(r, R_TIME, &n);
  if (n > 0 && time_parse_iso(s, n, t, &zone, &off) == 0)
    return 0;
  return diag_set(d, DIAG_DATA, st->ctx->file, r->line, r->col,
                  "event without a usable TimeCreated SystemTime ('%.*s'; "
                  "an ISO 8601 UTC time expected)",
                  (int)n, s);
}

/* 1 with ev filled, 0 to pass over the record, -1 on error. */
static int rec_event(struct tracerpt_xml *st, const struct rec *r,
                     struct trace_event *ev, struct diag *d) {
  enum trace_kind kind = TRACE_LOAD;
  int pf = R_FILE_NAME;
  enum what w = classify(r, &kind, &pf);
  if (w == W_OTHER)
    return 0;
  if (r->processing_error) {
    trace_ctx_skip(st->ctx, r->line,
                   "an image event with ProcessingErrorData: tracerpt could "
                   "not decode it, so a load or unload may be missing");
    return 0;
  }
  int64_t pid;
  size_t n;
  const char *path = get(r, pf, &n);
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

/* --- XML handlers ------------------------------------------------------------- */

static struct rec *queue_push(struct tracerpt_xml *st) {
  if (st->qcount == st->qcap) {
    size_t cap = st->qcap ? st->qcap * 2 : 16;
    st->queue = xreallocarray(st->queue, cap, sizeof *st->queue);
    for (size_t i = st->qcap; i < cap; i++)
      rec_init(&st->queue[i]);
    st->qcap = cap;
  }
  return &st->queue[st->qcount++];
}

static void system_element(struct tracerpt_xml *st, const char *name,
                           const char **attrs) {
  const char *v;
  if (strcmp(name, "Provider") == 0) {
    if ((v = xmlstream_attr(attrs, "Name")))
      set(st->cur, R_PROVIDER_NAME, v, strlen(v));
    if ((v = xmlstream_attr(attrs, "Guid")))
      set(st->cur, R_PROVIDER_GUID, v, strlen(v));
  } else if (strcmp(name, "TimeCreated") == 0) {
    if ((v = xmlstream_attr(attrs, "SystemTime")))
      set(st->cur, R_TIME, v, strlen(v));
  } else if (strcmp(name, "EventID") == 0) {
    st->capture = R_EVENT_ID;
  } else if (strcmp(name, "Opcode") == 0) {
    st->capture = R_OPCODE;
  }
}

static void data_element(struct tracerpt_xml *st, const char **attrs) {
  const char *n = xmlstream_attr(attrs, "Name");
  if (!n)
    return;
  if (strcasecmp(n, "ProcessId") == 0)
    st->capture = R_PID;
  else if (strcmp(n, "FileName") == 0)
    st->capture = R_FILE_NAME;
  else if (strcmp(n, "ImageName") == 0)
    st->capture = R_IMAGE_NAME;
  else if (strcmp(n, "ImageFileName") == 0)
    st->capture = R_IMAGE_FILE_NAME;
}

static void event_child(struct tracerpt_xml *st, const char *name,
                        const char **attrs) {
  if (strcmp(name, "EventGuid") == 0) {
    st->capture = R_EVENT_GUID; /* anywhere: ExtendedTracingInfo or System */
  } else if (st->depth == 1 && strcmp(name, "ProcessingErrorData") == 0) {
    st->cur->processing_error = true;
  } else if (st->depth == 2 && st->in_system) {
    system_element(st, name, attrs);
  } else if (st->depth == 2 && st->in_data && strcmp(name, "Data") == 0) {
    data_element(st, attrs);
  } else if (strcmp(name, "Opcode") == 0 && !st->cur->seen[R_OPCODE_NAME]) {
    st->capture = R_OPCODE_NAME; /* RenderingInfo's "Load", "UnLoad", ... */
  }
}

static void xml_start(void *ctx, const char *name, const char **attrs) {
  struct tracerpt_xml *st = ctx;
  if (!st->cur) {
    if (strcmp(name, "Event") == 0) {
      long line, col;
      xmlstream_position(st->xs, &line, &col);
      st->cur = queue_push(st);
      rec_reset(st->cur, line, col);
      st->depth = 0;
    }
    return;
  }
  st->depth++;
  if (st->depth == 1) {
    st->in_system = strcmp(name, "System") == 0;
    st->in_data = strcmp(name, "EventData") == 0 || strcmp(name, "UserData") == 0;
  }
  event_child(st, name, attrs);
  if (st->capture >= 0) {
    strbuf_reset(&st->cur->f[st->capture]);
    st->cur->seen[st->capture] = true;
  }
}

static void xml_end(void *ctx, const char *name) {
  struct tracerpt_xml *st = ctx;
  (void)name;
  if (!st->cur)
    return;
  st->capture = -1;
  if (st->depth-- == 0)
    st->cur = NULL;
}

static void xml_text(void *ctx, const char *s, size_t len) {
  struct tracerpt_xml *st = ctx;
  if (st->capture >= 0 && st->cur->f[st->capture].len < FIELD_MAX)
    strbuf_add(&st->cur->f[st->capture], s, len);
}

/* --- the reader ---------------------------------------------------------------- */

/* Drop the handled records, keeping the one being filled (the last): it
 * moves to the front and is handled once its end tag has been seen. */
static void queue_compact(struct tracerpt_xml *st) {
  if (st->cur && st->qcount > 0) {
    struct rec tmp = st->queue[0];
    st->queue[0] = st->queue[st->qcount - 1];
    st->queue[st->qcount - 1] = tmp;
    st->cur = &st->queue[0];
    st->qcount = 1;
    st->qhead = 0;
  } else {
    st->qcount = st->qhead = 0;
  }
}

static int next(void *state, struct trace_event *ev, struct diag *d) {
  struct tracerpt_xml *st = state;
  for (;;) {
    while (st->qhead < st->qcount - (st->cur ? 1 : 0)) {
      int rc = rec_event(st, &st->queue[st->qhead++], ev, d);
      if (rc != 0)
        return rc;
    }
    queue_compact(st);
    if (st->done)
      return 0;
    int rc = xmlstream_feed(st->xs, d);
    if (rc < 0)
      return -1;
    if (rc == 0)
      st->done = true;
  }
}

static void close_reader(void *state) {
  struct tracerpt_xml *st = state;
  if (!st)
    return;
  xmlstream_free(st->xs);
  for (size_t i = 0; i < st->qcap; i++)
    for (int k = 0; k < R_COUNT; k++)
      strbuf_fini(&st->queue[i].f[k]);
  free(st->queue);
  for (size_t i = 0; i < st->nprocs; i++)
    free(st->procs[i].name);
  free(st->procs);
  trace_text_fini(&st->text);
  free(st);
}

static void *open_reader(struct trace_ctx *ctx, struct diag *d) {
  static const struct xmlstream_handlers h = {xml_start, xml_end, xml_text};
  struct tracerpt_xml *st = xcalloc(1, sizeof *st);
  st->ctx = ctx;
  st->capture = -1;
  trace_text_init(&st->text);
  st->xs = xmlstream_new(read_text, ctx->in, ctx->file, &h, st);
  if (!st->xs) {
    diag_set(d, DIAG_SOFTWARE, NULL, 0, 0, "cannot create an XML parser");
    close_reader(st);
    return NULL;
  }
  return st;
}

static bool has(const char *text, size_t len, const char *what) {
  size_t n = strlen(what);
  for (size_t i = 0; i + n <= len; i++)
    if (text[i] == what[0] && memcmp(text + i, what, n) == 0)
      return true;
  return false;
}

/* An event-schema XML document; surer with tracerpt's own marks. Sysmon
 * exports (sysmon-xml) score higher. */
static int sniff(const char *text, size_t len, const struct trace_layout *l) {
  (void)l;
  size_t i = 0;
  while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    i++;
  if (i == len || text[i] != '<' || !has(text, len, "<Event"))
    return 0;
  if (has(text, len, "EventGuid") || has(text, len, "MSNT_SystemTrace") ||
      has(text, len, KERNEL_PROCESS) || has(text, len, "ExtendedTracingInfo"))
    return 80;
  return has(text, len, "schemas.microsoft.com/win/2004/08/events/event") ? 60 : 0;
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
