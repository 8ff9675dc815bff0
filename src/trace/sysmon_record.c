/* sysmon_record — see sysmon_record.h. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace/sysmon_record.h"

#include <strings.h>

#include "trace/event_map.h"
#include "trace/trace_time.h"
#include "input/yamldoc.h"

const char *const sysmon_data_names[SYSMON_DATA_NAMES] = {
    "UtcTime", "ProcessId", "Image", "ImageLoaded", "FileVersion"};

void sysmon_init(struct sysmon *s, struct trace_ctx *ctx) {
  memset(s, 0, sizeof *s);
  s->ctx = ctx;
  trace_text_init(&s->text);
  u64map_init(&s->pid_index);
}

void sysmon_fini(struct sysmon *s) {
  trace_text_fini(&s->text);
  u64map_fini(&s->pid_index);
  for (size_t i = 0; i < s->npid_names; i++)
    free(s->pid_names[i]);
  free(s->pid_names);
}

static void pid_name_set(struct sysmon *s, int64_t pid, const char *name, size_t n) {
  size_t i = u64map_get(&s->pid_index, (uint64_t)pid);
  if (i != SIZE_MAX) {
    if (strlen(s->pid_names[i]) == n && !memcmp(s->pid_names[i], name, n))
      return;
    free(s->pid_names[i]);
  } else {
    s->pid_names = xreallocarray(s->pid_names, s->npid_names + 1, sizeof *s->pid_names);
    i = s->npid_names++;
    u64map_put(&s->pid_index, (uint64_t)pid, i);
  }
  s->pid_names[i] = xstrndup(name, n);
}

static const char *pid_name(const struct sysmon *s, int64_t pid) {
  size_t i = u64map_get(&s->pid_index, (uint64_t)pid);
  return i == SIZE_MAX ? "" : s->pid_names[i];
}

static void take(struct evtxml_record *r, int to, int from) {
  const struct evtxml_field *f = &r->f[from];
  if (!r->f[to].seen && f->seen)
    evtxml_set(r, to, f->s.data ? f->s.data : "", f->s.len, f->line, f->col);
}

void sysmon_merge_ecs(struct evtxml_record *r) {
  take(r, SF_PROVIDER, SF_ECS_PROVIDER);
  take(r, SF_EVENT_ID, SF_ECS_CODE);
  take(r, SF_SYSTEM_TIME, SF_ECS_TIME);
  take(r, SF_PID, SF_ECS_PID);
  take(r, SF_IMAGE, SF_ECS_EXECUTABLE);
  take(r, SF_IMAGE, SF_ECS_PROCESS_NAME);
  take(r, SF_IMAGE_LOADED, SF_ECS_PATH);
  take(r, SF_FILE_VERSION, SF_ECS_VERSION);
}

static bool is_sysmon_event7(const struct evtxml_record *r) {
  const struct evtxml_field *p = &r->f[SF_PROVIDER];
  if (p->seen && strcmp(p->s.data, "Microsoft-Windows-Sysmon") != 0)
    return false;
  size_t n;
  const char *s = evtxml_get(r, SF_EVENT_ID, &n);
  return n == 1 && s[0] == '7';
}

static int need(struct sysmon *st, const struct evtxml_record *r, int which,
                const char *what, const char *ecs, struct diag *d) {
  if (r->f[which].seen && r->f[which].s.len > 0)
    return 0;
  return diag_set(d, DIAG_DATA, st->ctx->file, r->line, r->col,
                  "Sysmon event 7 without %s%s%s (every image load names it)",
                  what, st->ecs_names ? " or " : "", st->ecs_names ? ecs : "");
}

static int record_time(struct sysmon *st, const struct evtxml_record *r, usec_t *t,
                       struct diag *d) {
  const struct evtxml_field *f = r->f[SF_UTC_TIME].seen ? &r->f[SF_UTC_TIME]
                                                : &r->f[SF_SYSTEM_TIME];
  if (!f->seen)
    return diag_set(d, DIAG_DATA, st->ctx->file, r->line, r->col,
                    "Sysmon event 7 without UtcTime or %s (a time expected)",
                    st->ecs_names ? "@timestamp" : "TimeCreated");
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
  const struct evtxml_field *f = &r->f[SF_PID];
  size_t n;
  const char *s = evtxml_get(r, SF_PID, &n);
  char *end;
  char *tmp = xstrndup(s, n);
  errno = 0;
  long long v = strtoll(tmp, &end, 10);
  /* Windows pids are 32-bit: a bigger one is not a pid (and ERANGE's
   * LLONG_MAX must not pass as one). */
  bool ok = n > 0 && *end == 0 && errno == 0 && v >= 0 && v <= UINT32_MAX &&
            tmp[0] != '-' && tmp[0] != '+';
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

/* A Sysmon record naming a process and its pid (event 1 process create
 * comes before the process logs anything) names the pid for mapped events. */
static void learn_process(struct sysmon *st, const struct evtxml_record *r) {
  size_t n, pn;
  const char *prov = evtxml_get(r, SF_PROVIDER, &n);
  const char *pid_s = evtxml_get(r, SF_PID, &pn);
  int64_t pid;
  if (n != strlen("Microsoft-Windows-Sysmon") || strncmp(prov, "Microsoft-Windows-Sysmon", n) ||
      !r->f[SF_IMAGE].seen || pn == 0 || tt_parse_pid(pid_s, pn, &pid) < 0)
    return;
  const char *proc = base_name(r->f[SF_IMAGE].s.data, &pn);
  if (pn && !(pn == 1 && proc[0] == '-'))
    pid_name_set(st, pid, proc, pn);
}

/* A decimal or 0x-hex number of at most 65535 (an EventID, Task, Opcode). */
static bool small_int(const struct evtxml_record *r, int which, long *v) {
  size_t n;
  const char *s = evtxml_get(r, which, &n);
  unsigned long long u;
  char tmp[16];
  if (n == 0 || n >= sizeof tmp)
    return false;
  memcpy(tmp, s, n);
  tmp[n] = 0;
  if (!ydoc_parse_unsigned(tmp, 65535, &u))
    return false;
  *v = (long)u;
  return true;
}

/* A record a map in formats/events names (event_map.h): 1 with ev filled,
 * 0 when none does, -1 on error. */
/* A record's EventID, Task or Opcode, for event_map_lookup. */
static bool record_value(void *rec, enum event_map_key key, long *v) {
  static const int field[] = {[EVENT_MAP_ID] = SF_EVENT_ID, [EVENT_MAP_TASK] = SF_TASK,
                              [EVENT_MAP_OPCODE] = SF_OPCODE};
  return small_int(rec, field[key], v);
}

static int mapped_event(struct sysmon *st, const struct evtxml_record *r,
                        struct trace_event *ev, struct diag *d) {
  size_t n;
  const char *prov = evtxml_get(r, SF_PROVIDER, &n);
  struct event_map_hit hit;
  if (!event_map_lookup(st->ctx->events, prov, n, NULL, 0, record_value, (void *)r, &hit))
    return 0;
  static const int pid_field[] = {[EVENT_MAP_PID_LOGGER] = SF_EXEC_PID,
                                  [EVENT_MAP_PID_PROCESS_ID] = SF_PID,
                                  [EVENT_MAP_PID_FIELD] = SF_MAP_PID};
  const char *ps = evtxml_get(r, pid_field[hit.pid], &n);
  if (n == 0 || tt_parse_pid(ps, n, &ev->pid) < 0)
    return event_map_pid_error(&hit, st->ctx->file, r->line, r->col, ps, n, d);
  if (record_time(st, r, &ev->time, d) < 0)
    return -1;
  const char *proc = pid_name(st, ev->pid);
  ev->line = r->line;
  trace_event_fill_mapped(ev, &st->text, hit.rule, proc, strlen(proc));
  return 1;
}

int sysmon_record_event(struct sysmon *st, const struct evtxml_record *r,
                        struct trace_event *ev, struct diag *d) {
  if (!is_sysmon_event7(r)) {
    if (!st->maps || !st->ctx->events)
      return 0;
    learn_process(st, r); /* Sysmon's process create, terminate, ... */
    return mapped_event(st, r, ev, d);
  }
  if (need(st, r, SF_IMAGE_LOADED, "ImageLoaded", "file.path", d) < 0 ||
      need(st, r, SF_PID, "ProcessId", "process.pid", d) < 0 ||
      record_time(st, r, &ev->time, d) < 0 || record_pid(st, r, &ev->pid, d) < 0)
    return -1;
  size_t pn = 0;
  const char *proc = r->f[SF_IMAGE].seen ? base_name(r->f[SF_IMAGE].s.data, &pn) : "";
  if (pn == 1 && proc[0] == '-')
    pn = 0;
  size_t len;
  const char *path = evtxml_get(r, SF_IMAGE_LOADED, &len);
  ev->kind = TRACE_LOAD;
  ev->line = r->line;
  if (st->maps && st->ctx->events && pn)
    pid_name_set(st, ev->pid, proc, pn);
  trace_event_fill(ev, &st->text, proc, pn, path, len);
  if (r->f[SF_FILE_VERSION].seen) { /* trimmed: a pasted value may wrap */
    const char *v = evtxml_get(r, SF_FILE_VERSION, &len);
    trace_event_set_version(ev, &st->text, v, len);
  }
  return 1;
}
