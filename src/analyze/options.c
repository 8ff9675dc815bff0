/* options — struct analyze_options from text: the one setter that the
 * command line and compare's manifest both go through (see analyze.h). */
#include "config.h"
#include "analyze/analyze.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void analyze_options_init(struct analyze_options *o) {
  memset(o, 0, sizeof *o);
  o->module = "mapi32.dll";
  o->counter = "Private Bytes";
  o->tolerance = 64;
  o->limit = NAN;
  o->total_cycles = NAN;
  o->cycle_period = NAN;
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

static int set_date(struct analyze_options *o, const char *value, struct diag *d) {
  usec_t t;
  bool zone;
  size_t off;
  char *full = xasprintf("%sT00:00:00Z", value);
  int rc = strlen(value) == 10 ? time_parse_iso(full, strlen(full), &t, &zone, &off) : -1;
  free(full);
  if (rc != 0)
    return bad_value(d, "date", "YYYY-MM-DD", value);
  o->trace.has_date = true;
  o->trace.date_days = t / USEC_PER_DAY;
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

int analyze_option_set(struct analyze_options *o, const char *flag, const char *value,
                       struct diag *d) {
  double v;
  int mins;
  if (!strcmp(flag, "process")) o->process = value;
  else if (!strcmp(flag, "module")) o->module = value;
  else if (!strcmp(flag, "counter")) o->counter = value;
  else if (!strcmp(flag, "tolerance")) return set_number(d, flag, value, &o->tolerance);
  else if (!strcmp(flag, "pid")) { o->has_pid = true; return set_long(d, flag, value, &o->pid); }
  else if (!strcmp(flag, "from") || !strcmp(flag, "to")) {
    if (analyze_parse_bound(value, flag[0] == 'f' ? &o->from : &o->to) != 0)
      return bad_value(d, flag, "an ISO 8601 time (2026-03-05T21:58:08Z)", value);
  } else if (!strcmp(flag, "limit")) return set_number(d, flag, value, &o->limit);
  else if (!strcmp(flag, "bits")) {
    long l;
    if (set_long(d, flag, value, &l) != 0 || (l != 32 && l != 64))
      return bad_value(d, flag, "32 or 64", value);
    o->bits = (int)l;
  } else if (!strcmp(flag, "cycles")) {
    if (set_number(d, flag, value, &v) != 0 || v < 0)
      return bad_value(d, flag, "a count of cycles", value);
    o->total_cycles = v;
  } else if (!strcmp(flag, "cycle-period")) {
    if (set_number(d, flag, value, &v) != 0 || v <= 0)
      return bad_value(d, flag, "a positive number of seconds", value);
    o->cycle_period = v;
  } else if (!strcmp(flag, "encoding")) o->pdh.encoding = value;
  else if (!strcmp(flag, "bias")) { o->pdh.have_bias = true; return set_long(d, flag, value, &o->pdh.bias); }
  else if (!strcmp(flag, "utc")) return set_bool(value, &o->pdh.utc, d, flag);
  else if (!strcmp(flag, "trace-format")) o->trace.format = value;
  else if (!strcmp(flag, "date")) return set_date(o, value, d);
  else if (!strcmp(flag, "date-order")) {
    if (strcmp(value, "mdy") && strcmp(value, "dmy"))
      return bad_value(d, flag, "mdy or dmy", value);
    o->trace.date_order = value[0] == 'm' ? TRACE_DATE_MDY : TRACE_DATE_DMY;
  } else if (!strcmp(flag, "tz-offset")) {
    if (time_parse_offset(value, &mins) != 0)
      return bad_value(d, flag, "+HH:MM or -HH:MM", value);
    o->trace.has_tz_offset = true;
    o->trace.tz_offset_minutes = mins;
  } else if (!strcmp(flag, "clock-offset")) {
    if (set_number(d, flag, value, &v) != 0)
      return -1;
    o->trace.clock_offset = (usec_t)llround(v * (double)USEC_PER_SEC);
  } else if (!strcmp(flag, "formats")) o->trace.formats_dir = value;
  else return diag_set(d, DIAG_USAGE, NULL, 0, 0, "no analyze option --%s", flag);
  return 0;
}
