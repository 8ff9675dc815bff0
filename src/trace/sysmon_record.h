/* sysmon_record — one Sysmon event 7 record to one trace event, shared by
 * the XML reader (read_sysmon.c) and the JSON reader (read_sysmon_json.c).
 *
 * Why shared: whatever the shape (wevtutil XML, an Event Viewer copy,
 * evtx_dump, Winlogbeat or ECS JSON), a record comes down to the same few
 * fields, and the rules for them (event 7 of the Sysmon provider, UtcTime
 * before the system time, the base name of Image as the process, the version
 * suffix) must not drift apart between the shapes. */
#ifndef LEAKSLOPE_SYSMON_RECORD_H
#define LEAKSLOPE_SYSMON_RECORD_H

#include <stdbool.h>

#include "trace/evtxml.h"
#include "trace/trace.h"
#include "util/u64map.h"

/* The fields of a record. The SF_ECS_ ones are the Elastic Common Schema
 * names, used only where the Sysmon name is absent (sysmon_merge_ecs). */
enum sysmon_field {
  SF_PROVIDER, SF_EVENT_ID, SF_SYSTEM_TIME, SF_UTC_TIME, SF_PID, SF_IMAGE,
  SF_IMAGE_LOADED, SF_FILE_VERSION,
  SF_ECS_PROVIDER, SF_ECS_CODE, SF_ECS_TIME, SF_ECS_PID, SF_ECS_EXECUTABLE,
  SF_ECS_PROCESS_NAME, SF_ECS_PATH, SF_ECS_VERSION,
  SF_RECORD_ID, /* EventRecordID: where a .evtx record is (sysmon.h) */
  SF_TASK, SF_OPCODE, SF_EXEC_PID, SF_MAP_PID, /* for the event maps (event_map.h) */
  SF_COUNT
};

_Static_assert(SF_COUNT <= EVTXML_FIELDS, "a Sysmon record fits an evtxml_record");

/* The EventData names, in enum order from SF_UTC_TIME to SF_FILE_VERSION. */
#define SYSMON_DATA_NAMES 5
extern const char *const sysmon_data_names[SYSMON_DATA_NAMES];

struct sysmon {
  struct trace_ctx *ctx;
  struct trace_text text;
  bool ecs_names; /* the record came as Winlogbeat/ECS JSON: name those fields */
  bool maps; /* the shape carries what event maps select on (XML, not JSON) */
  /* pid -> the process name its image loads gave, for mapped events
   * (event_map.h), which name no image */
  struct u64map pid_index;
  char **pid_names;
  size_t npid_names;
};

void sysmon_init(struct sysmon *s, struct trace_ctx *ctx);
void sysmon_fini(struct sysmon *s);

/* Fill each Sysmon field that is absent from its ECS counterpart. */
void sysmon_merge_ecs(struct evtxml_record *r);

/* 1 with ev filled, 0 when the record is neither a Sysmon image load nor
 * an event a map in formats/events names, -1 with d filled (a field every
 * such event has is missing or unreadable). */
int sysmon_record_event(struct sysmon *s, const struct evtxml_record *r,
                        struct trace_event *ev, struct diag *d);

#endif
