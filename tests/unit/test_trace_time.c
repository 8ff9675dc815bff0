/* test_trace_time — value parsers of the trace readers, on known truth. */
#include "config.h"

#include <string.h>

#include "tap.h"
#include "trace/trace_time.h"

#define S(x) x, strlen(x)

static const char *utc(usec_t t) {
  static char buf[TIME_UTC_BUFSZ];
  return time_format_utc(t, buf);
}

int main(void) {
  usec_t t;
  int64_t v;

  ok(tt_parse_filetime(S("133127435730482450"), &t) == 0, "filetime integer");
  is_str(utc(t), "2022-11-12T16:19:33.048245Z", "filetime integer value");
  ok(tt_parse_filetime(S("1.3312743573048245e+17"), &t) == 0,
     "filetime in scientific notation");
  is_str(utc(t), "2022-11-12T16:19:33.048245Z",
         "scientific notation read exactly (no double rounding)");
  ok(tt_parse_filetime(S("1.33127436073402e+17"), &t) == 0,
     "short mantissa");
  is_str(utc(t), "2022-11-12T16:20:07.340200Z", "short mantissa value");
  ok(tt_parse_filetime(S("inf"), &t) < 0, "inf is not a FILETIME");
  ok(tt_parse_filetime(S("0x1F"), &t) < 0, "hex is not a FILETIME");
  ok(tt_parse_filetime(S("1e400"), &t) < 0, "overflow is refused");

  ok(tt_parse_epoch(S("1741211888.7246561"), &t) == 0, "epoch seconds");
  is_str(utc(t), "2025-03-05T21:58:08.724656Z", "epoch value (7th digit dropped)");

  ok(tt_parse_time_of_day(S("7:37:25.6861344 AM"), &t) == 0, "12-hour AM");
  is_int(t, ((7 * 60 + 37) * 60 + 25) * INT64_C(1000000) + 686134, "AM value");
  ok(tt_parse_time_of_day(S("12:05:00 AM"), &t) == 0, "12 AM");
  is_int(t, 5 * 60 * INT64_C(1000000), "12 AM is just after midnight");
  ok(tt_parse_time_of_day(S("12:05:00 PM"), &t) == 0, "12 PM");
  is_int(t, (12 * 60 + 5) * 60 * INT64_C(1000000), "12 PM is noon");
  ok(tt_parse_time_of_day(S("4:33:14.3062614 PM"), &t) == 0, "PM");
  is_int(t / 1000000, 16 * 3600 + 33 * 60 + 14, "PM adds 12 hours");
  ok(tt_parse_time_of_day(S("23:59:59.9999999"), &t) == 0, "24-hour");
  ok(tt_parse_time_of_day(S("13:00:00 PM"), &t) < 0, "13 PM refused");
  ok(tt_parse_time_of_day(S("7:61:00"), &t) < 0, "minute 61 refused");

  ok(tt_parse_elapsed(S("00:00:07.4767347"), &t) == 0, "elapsed h:m:s");
  is_int(t, 7476734, "elapsed value");
  ok(tt_parse_elapsed(S("26:00:00"), &t) == 0, "elapsed past a day");
  ok(tt_parse_elapsed(S("1.5"), &t) == 0 && t == 1500000, "elapsed seconds");

  ok(tt_parse_pid(S("0x1C4C"), &v) == 0 && v == 7244, "hex pid");
  ok(tt_parse_pid(S("7228"), &v) == 0 && v == 7228, "decimal pid");
  ok(tt_parse_pid(S("12a"), &v) < 0, "junk pid refused");
  ok(tt_parse_pid(S("0x"), &v) < 0, "bare 0x refused");

  enum trace_date_order o = TRACE_DATE_AUTO;
  int64_t days;
  is_int(tt_parse_date(S("7/11/2020 4:33:14 PM"), &o, &days), 1,
         "7/11/2020 is ambiguous");
  is_int(tt_parse_date(S("7/31/2020 7:37:25 AM"), &o, &days), 0,
         "7/31/2020 decides month first");
  is_int(o, TRACE_DATE_MDY, "order learnt: mdy");
  is_int(days, days_from_civil(2020, 7, 31), "mdy value");
  is_int(tt_parse_date(S("7/11/2020"), &o, &days), 0,
         "ambiguous date read with the learnt order");
  is_int(days, days_from_civil(2020, 7, 11), "learnt order applied");
  o = TRACE_DATE_AUTO;
  is_int(tt_parse_date(S("31.07.2020 07:37:25"), &o, &days), 0, "d.m.y");
  is_int(o, TRACE_DATE_DMY, "order learnt: dmy");
  o = TRACE_DATE_DMY;
  tt_parse_date(S("7/11/2020"), &o, &days);
  is_int(days, days_from_civil(2020, 11, 7), "--date-order dmy applied");
  o = TRACE_DATE_AUTO;
  is_int(tt_parse_date(S("2020-07-31"), &o, &days), 0, "ISO date");
  is_int(tt_parse_date(S("5/5/2020"), &o, &days), 0, "equal parts need no order");
  is_int(tt_parse_date(S("2/30/2020"), &o, &days), -1, "Feb 30 refused");
  is_int(tt_parse_date(S("n/a"), &o, &days), -1, "not a date");

  /* a trace past midnight: the part that steps by one is the day */
  struct tt_date_steps st = {0};
  tt_date_steps_in(&st, S("\"7/11/2020 11:59 PM\",\"7/11/2020\"\n\"7/12/2020 12:00 AM\""));
  is_int(tt_date_steps_order(&st), TRACE_DATE_MDY, "7/11 -> 7/12: month first");
  struct tt_date_steps eu = {0};
  tt_date_steps_in(&eu, S("11.07.2020 23:59;"));
  tt_date_steps_in(&eu, S("12.07.2020 00:00;12.07.2020 00:01"));
  is_int(tt_date_steps_order(&eu), TRACE_DATE_DMY, "11.07 -> 12.07 over two chunks: day first");
  struct tt_date_steps mixed = {0};
  tt_date_steps_in(&mixed, S("7/11/2020 7/12/2020 8/12/2020"));
  is_int(tt_date_steps_order(&mixed), TRACE_DATE_AUTO, "steps that disagree decide nothing");
  struct tt_date_steps year = {0};
  tt_date_steps_in(&year, S("7/11/2019 7/12/2020 3/4/2020 3/6/2020"));
  is_int(tt_date_steps_order(&year), TRACE_DATE_AUTO,
         "a year change or a two-day gap is no one-day step");
  struct tt_date_steps same = {0};
  tt_date_steps_in(&same, S("5/5/2020 5/5/2020 5/5/2020"));
  is_int(tt_date_steps_order(&same), TRACE_DATE_AUTO, "one date repeated decides nothing");
  return tap_done();
}
