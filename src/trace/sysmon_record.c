/* sysmon_record — see sysmon_record.h. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace/sysmon_record.h"

const char *const sysmon_data_names[SYSMON_DATA_NAMES] = {
    "UtcTime", "ProcessId", "Image", "ImageLoaded", "FileVersion"};

void sysmon_init(struct sysmon *s, struct trace_ctx *ctx) {
  memset(s, 0, sizeof *s);
  s->ctx = ctx;
  trace_text_init(&s->text);
}

void sysmon_fini(struct sysmon *s) { trace_text_fini(&s->text); }

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

int sysmon_record_event(struct sysmon *st, const struct evtxml_record *r,
                        struct trace_event *ev, struct diag *d) {
  if (!is_sysmon_event7(r))
    return 0;
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
  trace_event_fill(ev, &st->text, proc, pn, path, len);
  if (r->f[SF_FILE_VERSION].seen) { /* trimmed: a pasted value may wrap */
    const char *v = evtxml_get(r, SF_FILE_VERSION, &len);
    trace_event_set_version(ev, &st->text, v, len);
  }
  return 1;
}
