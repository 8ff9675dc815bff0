/* trace — the one event reader interface for load/unload traces.
 *
 * Every trace format (the project's own CSV, tracerpt CSV/XML, xperf dumper
 * text, Process Monitor CSV, Sysmon XML/JSON/.evtx, ltrace) is one file with one
 * struct trace_format (name, sniff, open, next, close) listed in the table in
 * trace.c; adding a format is adding a file and a table row. CSV variants
 * whose columns can be described as data are not code at all: they are
 * layouts in formats/trace/NAME.yaml (see trace_layout.h), read by one generic
 * reader, so a user can add one without recompiling.
 *
 * Callers see only struct trace_reader: trace_open detects the format from the
 * first decoded text (or takes --trace-format), trace_next yields events in
 * file order with times in UTC microseconds (--clock-offset applied), and
 * readers never print: problems are diags (bad data, with FILE:LINE:COL) or
 * warnings, and lines a reader could not use are counted as skipped. */
#ifndef LEAKSLOPE_TRACE_H
#define LEAKSLOPE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "trace/trace_time.h"

struct input;
struct trace_layout;
struct event_map;
struct event_map_rule;

enum trace_kind {
  TRACE_LOAD = 1,
  TRACE_UNLOAD = 2,
  TRACE_RUNDOWN = 3 /* DCStart/DCEnd: the module was already/still loaded */
};

/* One event. Strings belong to the reader and stay valid until the next
 * trace_next call. */
struct trace_event {
  usec_t time;          /* UTC, µs since the epoch, --clock-offset applied */
  enum trace_kind kind;
  int64_t pid;          /* owning process; -1 when unknown */
  const char *process;  /* owning process name as written; "" when unknown */
  const char *path;     /* module path as written in the trace */
  const char *name;     /* lower-cased base name of path (for matching) */
  const char *resolved; /* the file path resolved to (own format), or NULL */
  const char *version;  /* module file version ("6.5.7233.46"), or NULL */
  long line;            /* line in the trace the event came from; 0 unknown */
};

/* Reader options (the CLI's --trace-format, --date, ...). Zero-initialise,
 * then set what was given. */
struct trace_options {
  const char *format;          /* --trace-format NAME; NULL detects */
  bool has_date;               /* --date YYYY-MM-DD given */
  int64_t date_days;           /*   as days since 1970-01-01 */
  enum trace_date_order date_order; /* --date-order mdy|dmy */
  bool has_tz_offset;          /* --tz-offset given (local = UTC + offset) */
  int tz_offset_minutes;
  usec_t clock_offset;         /* --clock-offset, added to every time */
  const char *formats_dir;     /* --formats DIR; NULL searches (trace_layout.h) */
  bool have_max_bytes;         /* --max-bytes: inflated bytes a gzip trace */
  uint64_t max_bytes;          /*   may give (0: any) */
  bool have_max_events;        /* --max-events: image events a run's traces */
  long max_events;             /*   may hold (0: any; else TRACE_MAX_EVENTS) */
  /* A counter log of the same capture (analyze reads it first): a trace of
   * local times without a date or a zone takes them from it. */
  bool has_log;
  usec_t log_from_local, log_to_local; /* its first and last sample, local */
  long log_bias;                       /* its bias: UTC = local + bias minutes */
  const char *log_file;                /* for messages */
};

/* Set one reader option from its command-line spelling: name is the long
 * option without dashes ("trace-format", "date", "date-order", "tz-offset",
 * "clock-offset"), value as given. Returns 0, or -1 with d filled
 * (DIAG_USAGE, saying what was expected). Shared by every command that reads
 * a trace. */
int trace_options_set(struct trace_options *o, const char *name,
                      const char *value, struct diag *d);

/* What a reader gets at open: the input, the options, where warnings go, and
 * the skipped-line counter it must bump (trace_ctx_skip) for every line it
 * could not use. `layout` is set for layout-driven (YAML) formats. */
struct trace_ctx {
  struct input *in;
  const char *file; /* input_name(in), for messages */
  const struct trace_options *opt;
  struct warnings *w;
  const struct trace_layout *layout;
  const struct event_map *events; /* formats/events maps (event_map.h); NULL none */
  long skipped;        /* lines skipped as unusable */
  long skipped_first;  /* line of the first one */
  char *skipped_why;   /* why the first one was skipped */
  bool local_warned;   /* warned once that local times were taken as UTC */
};

/* Count a skipped line; the first one's reason is kept for the report. */
void trace_ctx_skip(struct trace_ctx *c, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A local wall-clock time to UTC with --tz-offset (local = UTC + offset);
 * without one the time is taken as UTC and a warning says so once. */
usec_t trace_ctx_local_to_utc(struct trace_ctx *c, usec_t local);

/* A format. sniff gets the first decoded text (NUL-terminated UTF-8, BOM
 * removed, at most about 64 KiB) and the row's layout (NULL for coded
 * formats) and says how sure it is: 0 not mine, 1..100 (100 certain). A
 * binary format has sniff_raw instead (or too): it gets the first bytes
 * (after gunzip, at most TRACE_SNIFF_RAW) and answers the same way; a raw
 * match is decided before any text is decoded. Either may be NULL. open
 * returns the reader state or NULL with d filled; next returns 1 with an
 * event, 0 at the end, -1 with d filled. */
struct trace_format {
  const char *name;    /* as in DESIGN.md: "tracerpt-csv", ... */
  const char *summary; /* one line for `events --help` and formats/README.md */
  bool loads_only;     /* the format has no unload events (pairing implied) */
  int (*sniff)(const char *text, size_t len, const struct trace_layout *layout);
  int (*sniff_raw)(const unsigned char *bytes, size_t len);
  void *(*open)(struct trace_ctx *ctx, struct diag *d);
  int (*next)(void *state, struct trace_event *ev, struct diag *d);
  void (*close)(void *state);
};

#define TRACE_SNIFF_RAW 512 /* bytes sniff_raw sees */

/* For sniffers: whether the first text holds the string what. */
bool trace_text_has(const char *text, size_t len, const char *what);

/* The coded formats, NULL-terminated (layout formats come from YAML). */
extern const struct trace_format *const trace_formats[];

/* Strings an event points at, owned by a reader (init/fini pair). */
struct trace_text {
  struct strbuf process, path, name, resolved, version;
};
void trace_text_init(struct trace_text *t);
void trace_text_fini(struct trace_text *t);
/* Copy process and path into t, compute the lower-cased base name (after the
 * last '\\' or '/'), point ev's strings at them; resolved/version := NULL. */
void trace_event_fill(struct trace_event *ev, struct trace_text *t,
                      const char *process, size_t process_len,
                      const char *path, size_t path_len);
void trace_event_set_resolved(struct trace_event *ev, struct trace_text *t,
                              const char *s, size_t n);
/* A file version as written; "(WinBuild...)" suffixes are stripped and an
 * empty or "-" value means unknown (NULL). */
void trace_event_set_version(struct trace_event *ev, struct trace_text *t,
                             const char *s, size_t n);
/* A mapped event (event_map.h): begin:NAME as the load of module ":name",
 * end:NAME as its unload, by process (name as written, may be "") and pid. */
void trace_event_fill_mapped(struct trace_event *ev, struct trace_text *t,
                             const struct event_map_rule *rule,
                             const char *process, size_t process_len);
/* Lower-cased base name of a path into out (reset first). */
void trace_basename_lower(const char *path, size_t n, struct strbuf *out);

/* The reader callers use. */
struct trace_reader;

/* Open PATH ("-" for standard input), detect or take the format. Returns
 * NULL with d filled: DIAG_NOINPUT, DIAG_DATA (not a trace we read, with the
 * list of formats), DIAG_USAGE (unknown --trace-format name). */
struct trace_reader *trace_open(const char *path,
                                const struct trace_options *opt,
                                struct warnings *w, struct diag *d);
/* 1 with an event, 0 at the end (then the skipped-lines warning, if any, has
 * been added), -1 with d filled. */
int trace_next(struct trace_reader *r, struct trace_event *ev, struct diag *d);
const char *trace_reader_format(const struct trace_reader *r);
bool trace_reader_loads_only(const struct trace_reader *r);
long trace_reader_skipped(const struct trace_reader *r);
struct input *trace_reader_input(struct trace_reader *r);
void trace_close(struct trace_reader *r);

/* Every format name we know (coded and layout), comma-separated, for
 * messages and --help; malloc'ed. opt may be NULL. */
char *trace_format_names(const struct trace_options *opt);

#endif
