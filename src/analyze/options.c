/* options — struct analyze_options from text: the table of reader and
 * analysis options (option_table.h) with one setter per row, which the
 * command lines and compare's manifest all go through (see analyze.h). */
#include "config.h"
#include "analyze/analyze.h"
#include "analyze/option_table.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void analyze_options_init(struct analyze_options *o) {
  memset(o, 0, sizeof *o);
  o->limit = NAN;
  o->total_cycles = NAN;
  o->cycle_period = NAN;
  /* module, counter, tolerance: the defaults the table shows in --help. */
  struct diag d;
  diag_init(&d);
  for (int i = 0; i < AOPT_COUNT; i++)
    if (analyze_opt_table[i].dflt)
      analyze_opt_apply(o, &analyze_opt_table[i], analyze_opt_table[i].dflt, &d);
  diag_fini(&d);
  o->given = 0; /* defaults are not "given": conflicts are the user's */
}

int analyze_parse_bound(const char *s, struct analyze_bound *b) {
  size_t off;
  bool zone;
  if (time_parse_iso(s, strlen(s), &b->t, &zone, &off) != 0)
    return -1;
  b->set = true;
  b->utc = zone;
  return 0;
}

static int bad_value(struct diag *d, const char *flag, const char *want, const char *value) {
  return diag_set(d, DIAG_USAGE, NULL, 0, 0, "--%s wants %s, not '%s'", flag, want, value);
}

static int set_number(struct diag *d, const char *flag, const char *value, double *out) {
  char *end;
  /* strtod would also take "inf", "nan" and hex floats: refuse them. */
  if (strspn(value, "+-0123456789.eE") != strlen(value) || !*value)
    return bad_value(d, flag, "a number", value);
  double v = strtod(value, &end);
  if (*end || !isfinite(v))
    return bad_value(d, flag, "a number", value);
  *out = v;
  return 0;
}

static int set_long(struct diag *d, const char *flag, const char *value, long *out) {
  double v;
  if (set_number(d, flag, value, &v) != 0 || v != floor(v) || fabs(v) > 1e15)
    return bad_value(d, flag, "an integer", value);
  *out = (long)v;
  return 0;
}

/* A byte count, as numfmt --from=auto and dd read one: a number with an
 * optional suffix K, M, G, T (1024-based, also KiB...; k as K) or KB, MB,
 * GB, TB (1000-based), never below 0. */
static int set_bytes(struct diag *d, const char *flag, const char *value, double *out) {
  static const char *const want =
      "a number of bytes not below 0 (suffixes K, M, G, T: 1024-based; KB, MB, GB, TB: "
      "1000-based)";
  static const char units[] = "KMGT";
  size_t len = strlen(value), num = len;
  double scale = 1;
  while (num > 0 && strchr("KMGTkiB", value[num - 1]))
    num--;
  const char *suffix = value + num;
  if (*suffix) {
    char u = suffix[0] == 'k' ? 'K' : suffix[0];
    const char *at = strchr(units, u);
    const char *rest = suffix + 1;
    int power = at && u ? (int)(at - units) + 1 : 0;
    bool decimal = !strcmp(rest, "B");
    if (!power && strcmp(suffix, "B") != 0)
      return bad_value(d, flag, want, value);
    if (power && *rest && !decimal && strcmp(rest, "iB") != 0)
      return bad_value(d, flag, want, value);
    scale = power ? pow(decimal ? 1000 : 1024, power) : 1;
  }
  char *digits = xstrndup(value, num);
  double v = 0;
  int rc = set_number(d, flag, digits, &v);
  free(digits);
  if (rc != 0 || v < 0)
    return bad_value(d, flag, want, value);
  *out = v * scale;
  return 0;
}

static int set_bool(const char *value, bool *out, struct diag *d, const char *flag) {
  if (!strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "1"))
    *out = true;
  else if (!strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "0"))
    *out = false;
  else
    return bad_value(d, flag, "true or false", value);
  return 0;
}

/* ---- one setter per row of the table ---------------------------------- */

static int set_process(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  (void)f, (void)d;
  o->process = v;
  return 0;
}

static int set_module(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  (void)f, (void)d;
  o->module = v;
  return 0;
}

static int set_counter(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  (void)f, (void)d;
  o->counter = v;
  return 0;
}

static int set_tolerance(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  return set_bytes(d, f, v, &o->tolerance);
}

static int set_pid(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  o->has_pid = true;
  return set_long(d, f, v, &o->pid);
}

static int set_bound(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  if (analyze_parse_bound(v, f[0] == 'f' ? &o->from : &o->to) != 0)
    return bad_value(d, f, "an ISO 8601 time (2026-03-05T21:58:08Z)", v);
  return 0;
}

static int set_limit(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  return set_bytes(d, f, v, &o->limit);
}

static int set_bits(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  long l;
  if (set_long(d, f, v, &l) != 0 || (l != 32 && l != 64))
    return bad_value(d, f, "32 or 64", v);
  o->bits = (int)l;
  return 0;
}

static int set_cycles(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  double n;
  if (set_number(d, f, v, &n) != 0 || n < 0)
    return bad_value(d, f, "a count of cycles", v);
  o->total_cycles = n;
  return 0;
}

static int set_cycle_period(struct analyze_options *o, const char *f, const char *v,
                            struct diag *d) {
  double s;
  if (set_number(d, f, v, &s) != 0 || s <= 0)
    return bad_value(d, f, "a positive number of seconds", v);
  o->cycle_period = s;
  return 0;
}

static int set_encoding(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  (void)f, (void)d;
  o->pdh.encoding = v;
  return 0;
}

static int set_bias(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  o->pdh.have_bias = true;
  return set_long(d, f, v, &o->pdh.bias);
}

static int set_tz(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  (void)f, (void)d;
  o->pdh.tz = v; /* checked when a log is opened (util/tzfile) */
  return 0;
}

static int set_utc(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  return set_bool(v, &o->pdh.utc, d, f);
}

/* --trace-format, --date, --date-order, --tz-offset, --clock-offset: the
 * trace reader's own setter, the one every command that reads a trace uses. */
static int set_trace(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  return trace_options_set(&o->trace, f, v, d);
}

/* --date-order: a trace's Procmon dates and a re-saved counter log's both. */
static int set_date_order(struct analyze_options *o, const char *f, const char *v,
                          struct diag *d) {
  if (trace_options_set(&o->trace, f, v, d) != 0)
    return -1;
  o->pdh.date_order = !strcmp(v, "dmy") ? 'd' : 'm';
  return 0;
}

static int set_formats(struct analyze_options *o, const char *f, const char *v, struct diag *d) {
  (void)f, (void)d;
  o->trace.formats_dir = v;
  return 0;
}

static int set_max_bytes(struct analyze_options *o, const char *f, const char *v,
                         struct diag *d) {
  double b;
  if (set_bytes(d, f, v, &b) != 0)
    return -1;
  if (!(b < 18446744073709551616.0))
    return bad_value(d, f, "a size in bytes (4G = 4 GiB; 0: no limit)", v);
  o->pdh.have_max_bytes = o->trace.have_max_bytes = true;
  o->pdh.max_bytes = o->trace.max_bytes = (uint64_t)b;
  return 0;
}

/* --max-events: image events a run's traces may hold (trace_cycles.h). */
static int set_max_events(struct analyze_options *o, const char *f, const char *v,
                          struct diag *d) {
  long n;
  if (set_long(d, f, v, &n) != 0 || n < 0)
    return bad_value(d, f, "a count of events (0: no limit)", v);
  o->trace.have_max_events = true;
  o->trace.max_events = n;
  return 0;
}

#define ROW(ID, FLAG, SHORT, ARG, KEY, KIND, SET, DFLT, HELP) \
  [ID] = {ID, FLAG, SHORT, ARG, KEY, KIND, SET, DFLT, HELP}

const struct analyze_opt_def analyze_opt_table[AOPT_COUNT] = {
    ROW(AOPT_PROCESS, "process", 'p', "NAME", "process", AOK_TEXT, set_process, NULL,
        "process to select (.exe ignored, any case; NAME#N picks one perfmon instance)"),
    ROW(AOPT_MODULE, "module", 'm', "NAME", "module", AOK_TEXT, set_module, "mapi32.dll",
        "library file name to pair into cycles, any path, any case"),
    ROW(AOPT_COUNTER, "counter", 'c', "NAME", "counter", AOK_TEXT, set_counter,
        "Private Bytes", "memory counter: its path or a part of it, any case"),
    ROW(AOPT_ENCODING, "encoding", 0, "NAME", "encoding", AOK_TEXT, set_encoding, NULL,
        "code page of a counter log that is not UTF-8 (e.g. cp1251; default cp1252)"),
    ROW(AOPT_BIAS, "bias", 0, "MINUTES", "bias", AOK_INT, set_bias, NULL,
        "the counter log's time-zone bias (UTC = local + bias), over its header's"),
    ROW(AOPT_UTC, "utc", 0, NULL, "utc", AOK_BOOL, set_utc, NULL,
        "the counter log's times are UTC"),
    ROW(AOPT_DATE, "date", 0, "YYYY-MM-DD", "date", AOK_TEXT, set_trace, NULL,
        "local date of the first event, for a trace with times of day only"),
    ROW(AOPT_TZ_OFFSET, "tz-offset", 0, "+HH:MM", "tz_offset", AOK_OFFSET, set_trace, NULL,
        "a trace written in local time: local = UTC + offset (CEST is +02:00)"),
    ROW(AOPT_CLOCK_OFFSET, "clock-offset", 0, "SECONDS", "clock_offset", AOK_NUM, set_trace,
        NULL, "added to every trace time (a trace from another machine)"),
    ROW(AOPT_TRACE_FORMAT, "trace-format", 0, "NAME", "trace_format", AOK_TEXT, set_trace,
        NULL, "trace format instead of detecting it"),
    ROW(AOPT_PID, "pid", 0, "N", "pid", AOK_UINT, set_pid, NULL,
        "pick the process by its ID Process counter, row by row, and only its "
        "cycles from the trace"),
    ROW(AOPT_CYCLES, "cycles", 0, "N", "cycles", AOK_UINT, set_cycles, NULL,
        "without a trace: N cycles in all over the log"),
    ROW(AOPT_CYCLE_PERIOD, "cycle-period", 0, "SECONDS", "cycle_period", AOK_POS,
        set_cycle_period, NULL, "without a trace: one cycle every SECONDS"),
    ROW(AOPT_TOLERANCE, "tolerance", 0, "BYTES", "tolerance", AOK_BYTES, set_tolerance,
        "64", "leak per cycle that still counts as none; 1k = 1024, 1KB = 1000"),
    ROW(AOPT_LIMIT, "limit", 0, "BYTES", "limit", AOK_BYTES, set_limit, NULL,
        "address-space limit for the projection (2G = 2 GiB)"),
    ROW(AOPT_FROM, "from", 0, "TIME", "from", AOK_TEXT, set_bound, NULL,
        "analyze from TIME (ISO 8601; without a zone: the log's local time)"),
    ROW(AOPT_TO, "to", 0, "TIME", "to", AOK_TEXT, set_bound, NULL,
        "analyze up to TIME (as --from)"),
    ROW(AOPT_TZ, "tz", 0, "ZONE", "tz", AOK_TEXT, set_tz, NULL,
        "the counter log's zone (Europe/Berlin): map its local times by the zone's DST rules"),
    ROW(AOPT_MAX_BYTES, "max-bytes", 0, "BYTES", "max_bytes", AOK_BYTES, set_max_bytes, NULL,
        "stop a gzip input that inflates past BYTES (default 4G; 0: no limit)"),
    ROW(AOPT_MAX_EVENTS, "max-events", 0, "N", "max_events", AOK_UINT, set_max_events, NULL,
        "stop at the N+1st image event of a run's traces (default 20000000; 0: no limit)"),
    ROW(AOPT_BITS, "bits", 0, "32|64", NULL, AOK_INT, set_bits, NULL,
        "the process is 32- or 64-bit (32: 2 GiB projection limit)"),
    ROW(AOPT_DATE_ORDER, "date-order", 0, "mdy|dmy", NULL, AOK_TEXT, set_date_order, NULL,
        "month/day order of dates like 7/11/2020 (Procmon, a re-saved counter log)"),
    ROW(AOPT_FORMATS, "formats", 0, "DIR", NULL, AOK_TEXT, set_formats, NULL,
        "look for data files (trace layouts, counter aliases) in DIR first"),
};

const struct analyze_opt_def *analyze_opt_by_flag(const char *flag) {
  for (int i = 0; i < AOPT_COUNT; i++)
    if (!strcmp(analyze_opt_table[i].flag, flag))
      return &analyze_opt_table[i];
  return NULL;
}

const struct analyze_opt_def *analyze_opt_by_key(const char *key) {
  for (int i = 0; i < AOPT_COUNT; i++)
    if (analyze_opt_table[i].key && !strcmp(analyze_opt_table[i].key, key))
      return &analyze_opt_table[i];
  return NULL;
}

int analyze_opt_apply(struct analyze_options *o, const struct analyze_opt_def *def,
                      const char *value, struct diag *d) {
  int rc = def->set(o, def->flag, value, d);
  if (rc == 0)
    o->given |= 1u << def->id;
  return rc;
}

/* Options that say the same thing two ways: given together, one would be
 * silently ignored. */
static const struct {
  enum analyze_opt a, b;
  const char *why;
} conflicts[] = {
    {AOPT_UTC, AOPT_BIAS, "the counter log's times are either UTC or local with a bias"},
    {AOPT_TZ, AOPT_UTC, "both say how the counter log's times map to UTC: give one"},
    {AOPT_TZ, AOPT_BIAS, "both say how the counter log's times map to UTC: give one"},
    {AOPT_CYCLES, AOPT_CYCLE_PERIOD, "both say how many cycles ran: give one"},
};

static const char *opt_name(enum analyze_opt id, bool keys, char *buf, size_t cap) {
  const struct analyze_opt_def *def = &analyze_opt_table[id];
  if (keys && def->key)
    snprintf(buf, cap, "%s", def->key);
  else
    snprintf(buf, cap, "--%s", def->flag);
  return buf;
}

int analyze_options_check(const struct analyze_options *o, bool keys, struct diag *d) {
  char a[40], b[40];
  for (size_t i = 0; i < sizeof conflicts / sizeof conflicts[0]; i++)
    if ((o->given >> conflicts[i].a & 1) && (o->given >> conflicts[i].b & 1))
      return diag_set(d, DIAG_USAGE, NULL, 0, 0, "%s and %s cannot be used together (%s)",
                      opt_name(conflicts[i].a, keys, a, sizeof a),
                      opt_name(conflicts[i].b, keys, b, sizeof b), conflicts[i].why);
  /* Two bounds in the same clock can be compared now; a local one and a
   * UTC one only once the log's bias is known (the window check does it). */
  if (o->from.set && o->to.set && o->from.utc == o->to.utc && o->from.t >= o->to.t)
    return diag_set(d, DIAG_USAGE, NULL, 0, 0,
                    "%s is not before %s (the window to analyze would be empty)",
                    opt_name(AOPT_FROM, keys, a, sizeof a), opt_name(AOPT_TO, keys, b, sizeof b));
  return 0;
}

int analyze_option_set(struct analyze_options *o, const char *flag, const char *value,
                       struct diag *d) {
  const struct analyze_opt_def *def = analyze_opt_by_flag(flag);
  if (!def)
    return diag_set(d, DIAG_USAGE, NULL, 0, 0, "no analyze option --%s", flag);
  return analyze_opt_apply(o, def, value, d);
}
