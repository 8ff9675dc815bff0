/* trace_layout — CSV trace layouts as data: formats/trace/NAME.yaml.
 *
 * A layout names a CSV variant, the header cells that identify it, which
 * column holds what (by header name, never by position), how its times and
 * event kinds look, and which rows are image events. One generic reader
 * (read_csv_layout.c) reads every layout, so a user adds a CSV variant by
 * dropping a YAML file into a formats folder. The YAML keys are documented in
 * formats/README.md. */
#ifndef LEAKSLOPE_TRACE_LAYOUT_H
#define LEAKSLOPE_TRACE_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

enum layout_time {
  LAYOUT_TIME_ISO8601,     /* 2026-03-05T21:58:08.724656Z (no zone: local) */
  LAYOUT_TIME_FILETIME,    /* 100 ns since 1601 UTC, integer or 1.33e+17 */
  LAYOUT_TIME_TIME_OF_DAY, /* 7:37:25.6861344 AM, local, date elsewhere */
  LAYOUT_TIME_EPOCH        /* seconds since 1970 UTC, with a fraction */
};

/* A list of alternative header names or cell values. */
struct layout_names {
  char **v;
  size_t n;
};

enum layout_role {
  ROLE_TIME, ROLE_DATE, ROLE_KIND, ROLE_PID, ROLE_PROCESS, ROLE_MODULE,
  ROLE_RESOLVED, ROLE_VERSION, ROLE_ELAPSED, ROLE_COUNT
};

struct trace_layout {
  char *name;
  char *summary;
  char *file;          /* the YAML it came from */
  bool loads_only;
  char separator;
  bool strip_inner_quotes; /* cells quoted twice (" ""x""") lose one level */
  struct layout_names detect;          /* header cells that identify it */
  struct layout_names role[ROLE_COUNT]; /* header names per role; n=0 absent */
  struct layout_names where_column;    /* rows kept only when this column... */
  struct layout_names where_values;    /* ...holds one of these (others skip) */
  struct layout_names kind_load, kind_unload, kind_rundown;
  bool strict_kinds;   /* a kind value not listed is a skipped line, not
                          another kind of event */
  bool named_cycles;   /* kinds "begin:NAME" and "end:NAME" mark a named
                          cycle (a logon): events of module ":name" */
  char *const_kind;    /* kind of every row when there is no kind column */
  char *tail_column;   /* header of the first field of a ragged tail */
  long tail_pid;       /* 1-based field of the tail holding the pid; 0 none */
  long tail_module;    /* likewise for the module; -1 the last field */
  enum layout_time time;
  bool time_local;     /* times are local wall-clock (need --tz-offset) */
  struct trace_layout *next;
};

/* Load every formats/trace/NAME.yaml from formats_dir (may be NULL) and then
 * the data-dir search path (datadir.h); a name found earlier wins. Returns 0 (the list may be empty) or -1 with d
 * filled (DIAG_DATA with FILE:LINE:COL) for a malformed layout. */
int trace_layouts_load(const char *formats_dir, struct trace_layout **out,
                       struct diag *d);
/* Parse one layout file. */
int trace_layout_parse_file(const char *path, struct trace_layout **out,
                            struct diag *d);
void trace_layouts_free(struct trace_layout *l);

/* Is s one of names (ASCII case-insensitive)? */
bool layout_names_has(const struct layout_names *names, const char *s);

#endif
