/* trace — the format table, detection and the reader every caller uses
 * (see trace.h). Detection peeks at the first decoded text, asks every coded
 * format and every YAML layout how sure it is, and takes the surest. */
#include "config.h"

#include "trace/trace.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/input.h"
#include "trace/event_map.h"
#include "trace/trace_layout.h"
#include "trace/trace_time.h"

/* The generic reader of formats/trace/NAME.yaml layouts (read_csv_layout.c);
 * it is not a table row: each layout becomes one. */
extern const struct trace_format trace_format_csv_layout;

/* Coded formats: one file each, one row each. Layout-driven CSV formats
 * (leakslope-csv, tracerpt-csv, procmon-csv) are YAML, not rows. */
extern const struct trace_format trace_format_tracerpt_xml;  /* read_tracerpt_xml.c */
extern const struct trace_format trace_format_xperf_dumper;  /* read_xperf.c */
extern const struct trace_format trace_format_sysmon_xml;    /* read_sysmon.c */
extern const struct trace_format trace_format_sysmon_json;   /* read_sysmon.c */
extern const struct trace_format trace_format_sysmon_evtx;   /* read_evtx.c */
extern const struct trace_format trace_format_ltrace;        /* read_ltrace.c */

const struct trace_format *const trace_formats[] = {
    &trace_format_tracerpt_xml,
    &trace_format_xperf_dumper,
    &trace_format_sysmon_xml,
    &trace_format_sysmon_json,
    &trace_format_sysmon_evtx,
    &trace_format_ltrace,
    NULL,
};

/* --- strings an event points at ------------------------------------------ */

bool trace_text_has(const char *text, size_t len, const char *what) {
  return memmem(text, len, what, strlen(what)) != NULL;
}

void trace_text_init(struct trace_text *t) {
  strbuf_init(&t->process);
  strbuf_init(&t->path);
  strbuf_init(&t->name);
  strbuf_init(&t->resolved);
  strbuf_init(&t->version);
}

void trace_text_fini(struct trace_text *t) {
  strbuf_fini(&t->process);
  strbuf_fini(&t->path);
  strbuf_fini(&t->name);
  strbuf_fini(&t->resolved);
  strbuf_fini(&t->version);
}

void trace_basename_lower(const char *path, size_t n, struct strbuf *out) {
  size_t start = n;
  while (start > 0 && path[start - 1] != '\\' && path[start - 1] != '/')
    start--;
  strbuf_reset(out);
  strbuf_add_lower(out, path + start, n - start);
}

static const char *copy_into(struct strbuf *b, const char *s, size_t n) {
  strbuf_reset(b);
  strbuf_add(b, s ? s : "", s ? n : 0);
  return b->data;
}

void trace_event_fill(struct trace_event *ev, struct trace_text *t,
                      const char *process, size_t process_len,
                      const char *path, size_t path_len) {
  ev->process = copy_into(&t->process, process, process_len);
  ev->path = copy_into(&t->path, path, path_len);
  trace_basename_lower(path, path_len, &t->name);
  ev->name = t->name.data;
  ev->resolved = NULL;
  ev->version = NULL;
}

void trace_event_fill_mapped(struct trace_event *ev, struct trace_text *t,
                             const struct event_map_rule *rule,
                             const char *process, size_t process_len) {
  ev->kind = rule->begin ? TRACE_LOAD : TRACE_UNLOAD;
  trace_event_fill(ev, t, process, process_len, rule->module, strlen(rule->module));
}

void trace_event_set_resolved(struct trace_event *ev, struct trace_text *t,
                              const char *s, size_t n) {
  ev->resolved = n ? copy_into(&t->resolved, s, n) : NULL;
}

void trace_event_set_version(struct trace_event *ev, struct trace_text *t,
                             const char *s, size_t n) {
  const char *paren = memchr(s, '(', n);
  if (paren)
    n = (size_t)(paren - s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  while (n > 0 && (*s == ' ' || *s == '\t')) {
    s++;
    n--;
  }
  bool unknown = n == 0 || (n == 1 && *s == '-');
  ev->version = unknown ? NULL : copy_into(&t->version, s, n);
}

/* --- context helpers ------------------------------------------------------ */

void trace_ctx_skip(struct trace_ctx *c, long line, const char *fmt, ...) {
  if (c->skipped++ == 0) {
    va_list ap;
    va_start(ap, fmt);
    c->skipped_why = xvasprintf(fmt, ap);
    va_end(ap);
    c->skipped_first = line;
  }
}

usec_t trace_ctx_local_to_utc(struct trace_ctx *c, usec_t local) {
  if (c->opt->has_tz_offset)
    return local - (usec_t)c->opt->tz_offset_minutes * USEC_PER_MIN;
  if (c->opt->has_log) {
    if (!c->local_warned) {
      c->local_warned = true;
      warnings_add(c->w, "trace-zone-from-log", c->file, 0,
                   "the trace's times are local wall-clock times and no --tz-offset "
                   "was given; taking them in the counter log's zone (UTC = local %+ld "
                   "min)",
                   c->opt->log_bias);
    }
    return local + (usec_t)c->opt->log_bias * USEC_PER_MIN;
  }
  if (!c->local_warned) {
    c->local_warned = true;
    warnings_add(c->w, "trace-local-time", c->file, 0,
                 "the trace's times are local wall-clock times and no "
                 "--tz-offset was given; taking them as UTC");
  }
  return local;
}

/* --- options -------------------------------------------------------------- */

static int set_date(struct trace_options *o, const char *v, struct diag *d) {
  enum trace_date_order order = TRACE_DATE_AUTO;
  int64_t days;
  size_t n = strlen(v);
  if (n != 10 || v[4] != '-' || tt_parse_date(v, n, &order, &days) != 0)
    return diag_set(d, DIAG_USAGE, NULL, 0, 0,
                    "--date wants YYYY-MM-DD, not '%s'", v);
  o->has_date = true;
  o->date_days = days;
  return 0;
}

static int set_clock_offset(struct trace_options *o, const char *v,
                            struct diag *d) {
  usec_t us;
  bool neg = *v == '-';
  if (tt_parse_epoch(v + (neg || *v == '+'), strlen(v) - (neg || *v == '+'),
                     &us) < 0 || !*v)
    return diag_set(d, DIAG_USAGE, NULL, 0, 0,
                    "--clock-offset wants seconds (such as -3600 or 1.5), "
                    "not '%s'", v);
  o->clock_offset = neg ? -us : us;
  return 0;
}

int trace_options_set(struct trace_options *o, const char *name,
                      const char *v, struct diag *d) {
  if (!strcmp(name, "trace-format")) {
    o->format = v;
  } else if (!strcmp(name, "date")) {
    return set_date(o, v, d);
  } else if (!strcmp(name, "date-order")) {
    if (strcasecmp(v, "mdy") && strcasecmp(v, "dmy"))
      return diag_set(d, DIAG_USAGE, NULL, 0, 0,
                      "--date-order wants mdy or dmy, not '%s'", v);
    o->date_order = strcasecmp(v, "mdy") ? TRACE_DATE_DMY : TRACE_DATE_MDY;
  } else if (!strcmp(name, "tz-offset")) {
    if (time_parse_offset(v, &o->tz_offset_minutes) < 0)
      return diag_set(d, DIAG_USAGE, NULL, 0, 0,
                      "--tz-offset wants +HH:MM or -HH:MM (local = UTC + "
                      "offset; CEST is +02:00), not '%s'", v);
    o->has_tz_offset = true;
  } else if (!strcmp(name, "clock-offset")) {
    return set_clock_offset(o, v, d);
  } else {
    return diag_set(d, DIAG_SOFTWARE, NULL, 0, 0,
                    "unknown trace option '%s'", name);
  }
  return 0;
}

/* --- the reader ----------------------------------------------------------- */

struct trace_reader {
  struct input *in;
  const struct trace_format *fmt;
  struct trace_layout *layouts;
  struct event_map *events;
  struct trace_ctx ctx;
  void *state;
  const char *name;
  bool loads_only;
};

/* A candidate format: a coded one, or the layout reader with a layout. */
struct candidate {
  const struct trace_format *fmt;
  const struct trace_layout *layout;
  const char *name;
  bool loads_only;
};

static bool candidate_at(const struct trace_layout *layouts, size_t i,
                         struct candidate *c) {
  size_t ncoded = 0;
  while (trace_formats[ncoded])
    ncoded++;
  if (i < ncoded) {
    *c = (struct candidate){trace_formats[i], NULL, trace_formats[i]->name,
                            trace_formats[i]->loads_only};
    return true;
  }
  const struct trace_layout *l = layouts;
  for (size_t k = ncoded; l && k < i; k++)
    l = l->next;
  if (!l)
    return false;
  *c = (struct candidate){&trace_format_csv_layout, l, l->name, l->loads_only};
  return true;
}

static char *names_of(const struct trace_layout *layouts) {
  struct strbuf b;
  struct candidate c;
  strbuf_init(&b);
  for (size_t i = 0; candidate_at(layouts, i, &c); i++)
    strbuf_addf(&b, "%s%s", i ? ", " : "", c.name);
  return strbuf_detach(&b);
}

char *trace_format_names(const struct trace_options *opt) {
  struct trace_layout *layouts = NULL;
  struct diag d;
  diag_init(&d);
  trace_layouts_load(opt ? opt->formats_dir : NULL, &layouts, &d);
  diag_fini(&d);
  char *s = names_of(layouts);
  trace_layouts_free(layouts);
  return s;
}

static int choose_named(struct trace_reader *r, const char *name,
                        struct candidate *out, struct diag *d) {
  for (size_t i = 0; candidate_at(r->layouts, i, out); i++)
    if (strcasecmp(out->name, name) == 0)
      return 0;
  char *names = names_of(r->layouts);
  diag_set(d, DIAG_USAGE, NULL, 0, 0,
           "unknown trace format '%s' (expected one of: %s)", name, names);
  free(names);
  return -1;
}

/* Binary formats first, on the raw bytes: 1 with out set, 0 none, -1. */
static int choose_raw(struct trace_reader *r, struct candidate *out,
                      struct diag *d) {
  const unsigned char *raw;
  long n = input_peek_raw(r->in, TRACE_SNIFF_RAW, &raw, d);
  if (n < 0)
    return -1;
  int best = 0;
  struct candidate c;
  for (size_t i = 0; candidate_at(r->layouts, i, &c); i++) {
    int score = c.fmt->sniff_raw ? c.fmt->sniff_raw(raw, (size_t)n) : 0;
    if (score > best) {
      best = score;
      *out = c;
    }
  }
  return best > 0;
}

static int choose_sniffed(struct trace_reader *r, struct candidate *out,
                          struct diag *d) {
  int raw = choose_raw(r, out, d);
  if (raw != 0)
    return raw < 0 ? -1 : 0;
  const char *peek;
  long n = input_peek_text(r->in, &peek, d);
  if (n < 0)
    return -1;
  char *text = xstrndup(peek, (size_t)n);
  int best = 0;
  struct candidate c;
  for (size_t i = 0; candidate_at(r->layouts, i, &c); i++) {
    int score = c.fmt->sniff ? c.fmt->sniff(text, (size_t)n, c.layout) : 0;
    if (score > best) {
      best = score;
      *out = c;
    }
  }
  free(text);
  if (best > 0)
    return 0;
  char *names = names_of(r->layouts);
  if (n == 0) /* nothing to recognise: say so, not "not a format" */
    diag_set(d, DIAG_DATA, input_name(r->in), 1, 1,
             "empty file (expected a trace: one of %s)", names);
  else
    diag_set(d, DIAG_DATA, input_name(r->in), 1, 1,
             "not a trace format leakslope reads (expected one of: %s; "
             "--trace-format NAME picks one)",
             names);
  free(names);
  return -1;
}

struct trace_reader *trace_open(const char *path,
                                const struct trace_options *opt,
                                struct warnings *w, struct diag *d) {
  struct trace_reader *r = xcalloc(1, sizeof *r);
  struct candidate c;
  r->in = input_open(path, d);
  if (r->in && opt->have_max_bytes)
    input_set_max_bytes(r->in, opt->max_bytes);
  if (!r->in || trace_layouts_load(opt->formats_dir, &r->layouts, d) < 0 ||
      event_maps_load(opt->formats_dir, &r->events, d) < 0)
    goto fail;
  if (opt->format ? choose_named(r, opt->format, &c, d)
                  : choose_sniffed(r, &c, d))
    goto fail;
  r->fmt = c.fmt;
  r->name = c.name;
  r->loads_only = c.loads_only;
  r->ctx.in = r->in;
  r->ctx.file = input_name(r->in);
  r->ctx.opt = opt;
  r->ctx.w = w;
  r->ctx.layout = c.layout;
  r->ctx.events = r->events;
  r->state = r->fmt->open(&r->ctx, d);
  if (!r->state)
    goto fail;
  return r;
fail:
  trace_close(r);
  return NULL;
}

static void report_skipped(struct trace_reader *r) {
  struct trace_ctx *c = &r->ctx;
  if (c->skipped == 0 || warnings_has(c->w, "trace-skipped-lines"))
    return;
  warnings_add(c->w, "trace-skipped-lines", c->file, c->skipped_first,
               "skipped %ld unusable line%s (the first: %s)", c->skipped,
               c->skipped == 1 ? "" : "s", c->skipped_why);
}

int trace_next(struct trace_reader *r, struct trace_event *ev,
               struct diag *d) {
  memset(ev, 0, sizeof *ev);
  ev->pid = -1;
  int rc = r->fmt->next(r->state, ev, d);
  if (rc == 1 && (ev->time < TT_USEC_MIN || ev->time > TT_USEC_MAX))
    return diag_set(d, DIAG_DATA, r->ctx.file, ev->line, 0,
                    "event time out of range (expected a year from 1601 to 9999)");
  if (rc == 1)
    ev->time += r->ctx.opt->clock_offset;
  else if (rc == 0)
    report_skipped(r);
  return rc;
}

const char *trace_reader_format(const struct trace_reader *r) {
  return r->name;
}
bool trace_reader_loads_only(const struct trace_reader *r) {
  return r->loads_only;
}
long trace_reader_skipped(const struct trace_reader *r) {
  return r->ctx.skipped;
}
struct input *trace_reader_input(struct trace_reader *r) { return r->in; }

void trace_close(struct trace_reader *r) {
  if (!r)
    return;
  if (r->state)
    r->fmt->close(r->state);
  free(r->ctx.skipped_why);
  trace_layouts_free(r->layouts);
  event_maps_free(r->events);
  if (r->in)
    input_close(r->in);
  free(r);
}
