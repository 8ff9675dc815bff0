/* read_sysmon — Sysmon event 7 ("Image loaded") records as XML: from
 * `wevtutil qe Microsoft-Windows-Sysmon/Operational /f:xml` (events back to
 * back with no root, or inside <Events> with /e:Events), or copied out of
 * Event Viewer's XML View ("- <System>" fold markers, events pasted one after
 * another; evtxml blanks the markers). The JSON shapes are read_sysmon_json.c.
 *
 * Sysmon logs loads only (there is no unload event), so the format is
 * loads_only and pairing is implied. Which fields a record gives and how they
 * become an event is sysmon_record; this file maps elements to those fields.
 * Streamed through evtxml (libexpat): memory is the records completed within
 * one chunk of text. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "input/xmlstream.h"
#include "trace/event_map.h"
#include "trace/evtxml.h"
#include "trace/sysmon.h"
#include "trace/sysmon_record.h"
#include "trace/trace.h"

struct sysmon_xml {
  struct sysmon base;
  struct evtxml *x;
  bool by_record; /* place by EventRecordID (sysmon.h) */
};

static int element(void *ctx, struct evtxml_record *r, const struct evtxml_tag *t) {
  const struct sysmon_xml *st = ctx;
  if (t->depth != 2)
    return -1;
  if (t->section == EVTXML_SYSTEM) {
    if (strcmp(t->name, "Provider") == 0)
      evtxml_set_attr(r, SF_PROVIDER, t, "Name");
    else if (strcmp(t->name, "TimeCreated") == 0)
      evtxml_set_attr(r, SF_SYSTEM_TIME, t, "SystemTime");
    else if (strcmp(t->name, "EventID") == 0)
      return SF_EVENT_ID;
    else if (strcmp(t->name, "EventRecordID") == 0)
      return SF_RECORD_ID;
    else if (strcmp(t->name, "Task") == 0)
      return SF_TASK;
    else if (strcmp(t->name, "Opcode") == 0)
      return SF_OPCODE;
    else if (strcmp(t->name, "Execution") == 0)
      evtxml_set_attr(r, SF_EXEC_PID, t, "ProcessID");
  } else if (t->section == EVTXML_DATA && strcmp(t->name, "Data") == 0) {
    const char *n = xmlstream_attr(t->attrs, "Name");
    for (int i = 0; n && i < SYSMON_DATA_NAMES; i++)
      if (strcmp(n, sysmon_data_names[i]) == 0)
        return SF_UTC_TIME + i;
    if (n && event_maps_pid_field(st->base.ctx->events, n))
      return SF_MAP_PID;
  }
  return -1;
}

/* By record: the event's line and the error's place become the record's
 * EventRecordID ("record ?" when it has none). */
static int place_by_record(struct sysmon_xml *st, const struct evtxml_record *r,
                           int rc, struct trace_event *ev, struct diag *d) {
  size_t n;
  const char *id = evtxml_get(r, SF_RECORD_ID, &n);
  if (rc > 0) {
    ev->line = strtol(id, NULL, 10);
    return rc;
  }
  char *msg = xstrdup(d->message ? d->message : "");
  diag_set(d, d->kind, st->base.ctx->file, 0, 0, "record %.*s: %s", n ? (int)n : 1,
           n ? id : "?", msg);
  free(msg);
  return rc;
}

static int xml_next(void *state, struct trace_event *ev, struct diag *d) {
  struct sysmon_xml *st = state;
  struct evtxml_record *r;
  int rc;
  while ((rc = evtxml_next(st->x, &r, d)) > 0)
    if ((rc = sysmon_record_event(&st->base, r, ev, d)) != 0)
      return st->by_record ? place_by_record(st, r, rc, ev, d) : rc;
  return rc;
}

static void xml_close(void *state) {
  struct sysmon_xml *st = state;
  if (!st)
    return;
  evtxml_free(st->x);
  sysmon_fini(&st->base);
  free(st);
}

static void *xml_open(struct trace_ctx *ctx, struct diag *d) {
  struct sysmon_xml *st = xcalloc(1, sizeof *st);
  sysmon_init(&st->base, ctx);
  st->base.maps = true;
  st->x = evtxml_new(ctx, element, st, d);
  if (!st->x) {
    xml_close(st);
    return NULL;
  }
  return st;
}

struct sysmon_xml *sysmon_xml_new(struct trace_ctx *ctx, xmlstream_read_fn read,
                                  void *rctx, bool by_record, struct diag *d) {
  struct sysmon_xml *st = xcalloc(1, sizeof *st);
  sysmon_init(&st->base, ctx);
  st->base.maps = true;
  st->by_record = by_record;
  st->x = evtxml_new_source(read, rctx, ctx->file, element, st, d);
  if (!st->x) {
    xml_close(st);
    return NULL;
  }
  return st;
}

int sysmon_xml_next(struct sysmon_xml *st, struct trace_event *ev, struct diag *d) {
  return xml_next(st, ev, d);
}

void sysmon_xml_free(struct sysmon_xml *st) { xml_close(st); }

static int sniff_xml(const char *text, size_t len, const struct trace_layout *l) {
  (void)l;
  return evtxml_sniff(text, len) &&
                 trace_text_has(text, len, "Microsoft-Windows-Sysmon")
             ? 90
             : 0;
}

const struct trace_format trace_format_sysmon_xml = {
    .name = "sysmon-xml",
    .summary = "Sysmon event 7 (Image loaded) from wevtutil qe /f:xml or Event Viewer's XML View",
    .loads_only = true,
    .sniff = sniff_xml,
    .open = xml_open,
    .next = xml_next,
    .close = xml_close,
};
