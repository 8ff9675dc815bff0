/* event_map — which events of which provider are a named cycle's begin or
 * end: formats/events/NAME.yaml.
 *
 * A MAPI logon, a session, a request: the process's own markers, logged
 * through its own ETW provider (or any provider, e.g. the Security log's
 * logon/logoff), become `begin:NAME` / `end:NAME` events, read as the load
 * and unload of module ":name" like the own CSV format's (so cycles and
 * `analyze --per NAME` treat them the same). A map is data, so a new kind
 * needs no recompiling. The readers of Windows event records (tracerpt XML,
 * Sysmon/wevtutil XML and .evtx, xperf dumper text) ask here for every record
 * that is not an image event. The YAML keys are documented in
 * formats/README.md ("Event maps"). */
#ifndef LEAKSLOPE_EVENT_MAP_H
#define LEAKSLOPE_EVENT_MAP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

/* One mapped event. An unset selector matches any value. */
struct event_map_rule {
  bool has_id, has_task, has_opcode;
  long id, task, opcode; /* EventID; Task and Opcode of classic events */
  char *event;           /* an event type's name as xperf's dumper writes it
                            ("Contoso-Mapi/Logon/win:Start"); NULL: any */
  bool begin;            /* begin:NAME (else end:NAME) */
  char *module;          /* ":name", lower case */
};

struct event_map {
  char *name;     /* the map's name */
  char *file;     /* the YAML it came from */
  char *provider; /* provider name, or its GUID without braces */
  char *pid;      /* the data field with the process id; NULL: the event's
                     own process (System/Execution ProcessID) */
  struct event_map_rule *rules;
  size_t nrules;
  struct event_map *next;
};

/* Every map in formats/events/NAME.yaml of the data folders (--formats DIR
 * first; a name seen once is not loaded again). *out is NULL when there is
 * none. -1 with d filled (FILE:LINE:COL) on a bad map. */
int event_maps_load(const char *formats_dir, struct event_map **out,
                    struct diag *d);
int event_map_parse_file(const char *path, struct event_map **out,
                         struct diag *d);
void event_maps_free(struct event_map *m);

/* The map whose provider is `provider` (a name, or a GUID with or without
 * braces; case ignored); NULL when none. */
const struct event_map *event_map_provider(const struct event_map *maps,
                                           const char *provider, size_t n);

/* What a record of map m's provider with these selectors is: the first rule
 * that matches, or NULL. A selector the record lacks (has_x false) matches
 * only a rule that does not ask for it. */
const struct event_map_rule *event_map_match(const struct event_map *m,
                                             bool has_id, long id,
                                             bool has_task, long task,
                                             bool has_opcode, long opcode);

/* A selector of a record, as event_map_lookup asks a reader for it. */
enum event_map_key { EVENT_MAP_ID, EVENT_MAP_TASK, EVENT_MAP_OPCODE };

/* The reader's value of selector key in its record rec: false when the
 * record has none (or not a number). */
typedef bool event_map_value_fn(void *rec, enum event_map_key key, long *v);

/* Where a mapped record's process id is. */
enum event_map_pid {
  EVENT_MAP_PID_LOGGER,     /* the process that logged it (the map has no pid:) */
  EVENT_MAP_PID_PROCESS_ID, /* the data field ProcessId */
  EVENT_MAP_PID_FIELD       /* another data field: map->pid */
};

struct event_map_hit {
  const struct event_map *map;       /* the provider's map; NULL: none */
  const struct event_map_rule *rule; /* its first rule that matches; NULL: none */
  enum event_map_pid pid;
};

/* What a record of provider (n bytes; a name or a GUID) is: the provider's
 * map (else alt's, when alt is not NULL: tracerpt's provider GUID), the
 * first rule of it that the record's selectors match (asked of value only
 * once a map is found) and where its process id is. true when a rule
 * matches. */
bool event_map_lookup(const struct event_map *maps, const char *provider, size_t n,
                      const char *alt, size_t alt_n, event_map_value_fn *value,
                      void *rec, struct event_map_hit *hit);

/* The error for a mapped record without a usable process id (s, n bytes,
 * as read from where hit says), at file:line:col: -1. */
int event_map_pid_error(const struct event_map_hit *hit, const char *file, long line,
                        long col, const char *s, size_t n, struct diag *d);

/* The rule (of any map) naming event type `event` (xperf dumper text),
 * with its map in *map; NULL when none. */
const struct event_map_rule *event_map_named(const struct event_map *maps,
                                             const char *event, size_t n,
                                             const struct event_map **map);

/* Whether some map takes the process id from data field `field`. */
bool event_maps_pid_field(const struct event_map *maps, const char *field);

#endif
