/* Unit tests of the coded trace readers (tracerpt XML, Sysmon XML/JSON,
 * xperf dumper, ltrace) through the trace interface: each hand-written file
 * in tests/data/trace holds one quirk, and the whole event list it yields
 * (or the error it raises, with FILE:LINE:COL and exit code) is compared as
 * text. The real Sysmon records come from $LEAKSLOPE_CORPUS (skipped when
 * absent), and a generated multi-megabyte XML trace is read in bounded
 * memory. */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "trace.h"
#include "xalloc.h"

static char datadir[4096];

static const char *kind_name(enum trace_kind k) {
  return k == TRACE_LOAD ? "load" : k == TRACE_UNLOAD ? "unload" : "rundown";
}

/* path with the data folder shown as "@/" */
static void add_path(struct strbuf *b, const char *s) {
  size_t n = strlen(datadir);
  if (strncmp(s, datadir, n) == 0) {
    strbuf_adds(b, "@/");
    s += n;
  }
  strbuf_adds(b, s);
}

/* Everything a reader yields for a file, as text: the format, one line per
 * event, then "end skipped=N" or "error KIND FILE:LINE:COL: message", then
 * the warning codes. */
static char *dump_file(const char *path, const struct trace_options *opt) {
  struct strbuf b;
  struct warnings w;
  struct diag d;
  struct trace_event ev;
  char t[TIME_UTC_BUFSZ];
  strbuf_init(&b);
  warnings_init(&w);
  diag_init(&d);
  struct trace_reader *r = trace_open(path, opt, &w, &d);
  int rc = -1;
  if (r) {
    strbuf_addf(&b, "%s\n", trace_reader_format(r));
    while ((rc = trace_next(r, &ev, &d)) == 1)
      strbuf_addf(&b, "%s %s %lld %s %s %s %s @%ld\n", kind_name(ev.kind),
                  time_format_utc(ev.time, t), (long long)ev.pid,
                  *ev.process ? ev.process : "?", ev.path, ev.name,
                  ev.version ? ev.version : "-", ev.line);
  }
  if (rc == 0) {
    strbuf_addf(&b, "end skipped=%ld\n", trace_reader_skipped(r));
  } else {
    char *msg = diag_format(&d);
    strbuf_addf(&b, "error %d ", (int)d.kind);
    add_path(&b, msg);
    strbuf_addc(&b, '\n');
    free(msg);
  }
  for (size_t i = 0; i < w.count; i++)
    strbuf_addf(&b, "warning %s\n", w.items[i].code);
  trace_close(r);
  warnings_fini(&w);
  diag_fini(&d);
  return strbuf_detach(&b);
}

static char *dump(const char *name, const struct trace_options *opt) {
  char path[8192];
  snprintf(path, sizeof path, "%s%s", datadir, name);
  return dump_file(path, opt);
}

static void check(const char *name, const struct trace_options *opt,
                  const char *want, const char *what) {
  struct trace_options none = {0};
  char *got = dump(name, opt ? opt : &none);
  is_str(got, want, "%s: %s", name, what);
  free(got);
}

/* A line of the dump containing `needle`, for checks on messages. */
static void check_has(const char *name, const struct trace_options *opt,
                      const char *needle, const char *what) {
  struct trace_options none = {0};
  char *got = dump(name, opt ? opt : &none);
  if (!ok(strstr(got, needle) != NULL, "%s: %s", name, what))
    printf("# got:\n# %s\n", got);
  free(got);
}

static void test_tracerpt_xml(void) {
  check("tracerpt-kernel.xml", NULL,
        "tracerpt-xml\n"
        "rundown 2026-03-05T21:58:00.002000Z 7228 mapitest.exe \\Device\\HarddiskVolume2\\WINDOWS\\system32\\ntdll.dll ntdll.dll - @60\n"
        "load 2026-03-05T21:58:08.724656Z 7228 mapitest.exe \\Device\\HarddiskVolume2\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll - @121\n"
        "unload 2026-03-05T21:58:09.100000Z 7228 mapitest.exe \\Device\\HarddiskVolume2\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll - @154\n"
        "load 2026-03-05T21:58:10.000001Z 7228 mapitest.exe \\Device\\HarddiskVolume2\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll - @187\n"
        "unload 2026-03-05T21:58:10.500000Z 7228 mapitest.exe \\Device\\HarddiskVolume2\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll - @220\n"
        "rundown 2026-03-05T21:58:20.000000Z 7228 mapitest.exe \\Device\\HarddiskVolume2\\WINDOWS\\system32\\ntdll.dll ntdll.dll - @253\n"
        "end skipped=0\n",
        "UTF-16LE with a UTF-16 declaration; opcodes 10/2/3/4, padded and 0x pids, name from the Process rundown");
  check("tracerpt-kernel-process.xml", NULL,
        "tracerpt-xml\n"
        "load 2026-03-05T20:00:01.000000Z 5000 mapitest.exe \\Device\\HarddiskVolume3\\Windows\\System32\\mapi32.dll mapi32.dll - @31\n"
        "load 2026-03-05T20:00:01.500000Z 5004 ? \\Device\\HarddiskVolume3\\Windows\\System32\\mapi32.dll mapi32.dll - @61\n"
        "unload 2026-03-05T20:00:02.000000Z 5000 mapitest.exe \\Device\\HarddiskVolume3\\Windows\\System32\\mapi32.dll mapi32.dll - @91\n"
        "unload 2026-03-05T20:00:02.500000Z 5004 ? \\Device\\HarddiskVolume3\\Windows\\System32\\mapi32.dll mapi32.dll - @121\n"
        "end skipped=0\n",
        "Kernel-Process events 5/6 with ImageName; event 1 names pid 5000, pid 5004 stays unnamed");
  check("tracerpt-2003-short-header.xml", NULL,
        "tracerpt-xml\n"
        "load 2006-03-09T14:00:01.500000Z 1234 ? C:\\WINDOWS\\system32\\MAPI32.DLL mapi32.dll - @3\n"
        "unload 2006-03-09T14:00:02.250000Z 1234 ? C:\\WINDOWS\\system32\\MAPI32.DLL mapi32.dll - @27\n"
        "end skipped=0\n",
        "fewer System elements and space-padded opcodes are read by name");
  check("tracerpt-processing-error.xml", NULL,
        "tracerpt-xml\n"
        "load 2026-03-05T21:58:08.000000Z 7228 ? \\Device\\HarddiskVolume2\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll - @3\n"
        "unload 2026-03-05T21:58:10.000000Z 7228 ? \\Device\\HarddiskVolume2\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll - @65\n"
        "end skipped=1\n"
        "warning tracerpt-processing-error\n"
        "warning trace-skipped-lines\n",
        "a record with ProcessingErrorData is skipped, counted and warned about");
  check("tracerpt-malformed.xml", NULL,
        "tracerpt-xml\n"
        "error 65 @/tracerpt-malformed.xml:26:4: XML: mismatched tag (well-formed XML expected)\n",
        "a mismatched end tag is exit 65 at expat's line and column (the tag name)");
  check("tracerpt-bad-time.xml", NULL,
        "tracerpt-xml\n"
        "error 65 @/tracerpt-bad-time.xml:3:1: event without a usable TimeCreated SystemTime ('2026-03-05 late evening'; an ISO 8601 UTC time expected)\n",
        "an unreadable time is exit 65 at the record");
}

static void test_sysmon(void) {
  check("sysmon-wevtutil.xml", NULL,
        "sysmon-xml\n"
        "load 2026-03-05T21:58:08.724000Z 7228 mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll 6.5.7233.46 @2\n"
        "load 2026-03-05T21:58:10.001000Z 7228 mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll 6.5.7233.46 @3\n"
        "load 2026-03-05T21:58:11.500000Z 7228 mapitest.exe C:\\Users\\svc\\AppData\\Local\\Temp\\vcruntime140.dll vcruntime140.dll - @4\n"
        "end skipped=0\n",
        "events back to back without a root; event 1 passed over; version suffix stripped, '-' unknown");
  check("sysmon-events-root.xml", NULL,
        "sysmon-xml\n"
        "load 2026-03-05T21:58:08.724000Z 7228 mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll 6.5.7233.46 @3\n"
        "load 2026-03-05T21:58:10.001000Z 7228 mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll 6.5.7233.46 @4\n"
        "end skipped=0\n",
        "an <Events> wrapper after an XML declaration");
  check_has("sysmon-truncated.xml", NULL,
            "error 65 @/sysmon-truncated.xml:3:1: XML ends too early",
            "a file cut inside an event is exit 65 at its end");
  check("sysmon-records.json", NULL,
        "sysmon-json\n"
        "load 2026-03-05T21:58:08.724000Z 7228 mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll 6.5.7233.46 @2\n"
        "load 2026-03-05T21:58:09.000000Z 7228 mapitest.exe C:\\Temp\\caf\xc3\xa9\xf0\x9f\x98\x80/x.dll x.dll - @62\n"
        "load 2026-03-05T21:58:10.001000Z 7228 mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll 6.5.7233.46 @122\n"
        "end skipped=0\n",
        "Record N lines, \\u escapes with a surrogate pair, event 1 passed over");
  check("sysmon-array.json", NULL,
        "sysmon-json\n"
        "error 65 @/sysmon-array.json:1:1: a JSON array at the top level (only evtx_dump records are read yet, one {\"Event\": {\"System\": ..., \"EventData\": ...}} object per record; other JSON shapes are not read yet)\n",
        "another JSON shape is refused and says so");
  check("sysmon-bad.json", NULL,
        "sysmon-json\n"
        "error 65 @/sysmon-bad.json:45:7: unexpected character (',' or '}' expected)\n",
        "a missing comma is exit 65 at FILE:LINE:COL");
}

static void test_sysmon_corpus(void) {
  const char *corpus = getenv("LEAKSLOPE_CORPUS");
  char path[8192];
  snprintf(path, sizeof path, "%s/events/sysmon_eid7_dbgcore_evtxdump.json",
           corpus ? corpus : "");
  if (!corpus || access(path, R_OK) != 0) {
    printf("ok %d - # SKIP corpus not found (%s)\n", ++tap_count, corpus ? corpus : "unset");
    printf("ok %d - # SKIP corpus not found\n", ++tap_count);
    return;
  }
  struct trace_options opt = {0};
  char *got = dump_file(path, &opt);
  is_str(got,
         "sysmon-json\n"
         "load 2025-11-27T07:57:32.308000Z 296 WerFaultSecure.exe C:\\Windows\\System32\\dbgcore.dll dbgcore.dll 10.0.26100.7019 @1\n"
         "end skipped=0\n",
         "corpus dbgcore: UtcTime, pid 296, Image name, FileVersion without its (WinBuild...) suffix");
  free(got);
  snprintf(path, sizeof path, "%s/events/sysmon_eid7_vcruntime140_evtxdump.json", corpus);
  got = dump_file(path, &opt);
  is_str(got,
         "sysmon-json\n"
         "load 2026-01-12T07:51:17.273000Z 20204 sqlwriter.exe C:\\Users\\xodih\\AppData\\Local\\Temp\\vcruntime140.dll vcruntime140.dll - @1\n"
         "end skipped=0\n",
         "corpus vcruntime140: FileVersion '-' is unknown");
  free(got);
}

static void test_xperf(void) {
  const char *m = "\\Device\\HarddiskVolume2\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll -";
  char want[4096];
  snprintf(want, sizeof want,
           "xperf-dumper\n"
           "rundown 2026-03-05T21:58:00.000000Z 7228 mapitest.exe \\Device\\HarddiskVolume2\\Windows\\System32\\ntdll.dll ntdll.dll - @11\n"
           "rundown 2026-03-05T21:58:00.000000Z 4 System \\SystemRoot\\system32\\ntoskrnl.exe ntoskrnl.exe - @12\n"
           "load 2026-03-05T21:58:08.724656Z 7228 mapitest.exe %s @15\n"
           "unload 2026-03-05T21:58:09.100000Z 7228 mapitest.exe %s @17\n"
           "load 2026-03-05T21:58:10.000001Z 7228 mapitest.exe %s @18\n"
           "unload 2026-03-05T21:58:10.500000Z 7228 mapitest.exe %s @20\n"
           "rundown 2026-03-05T21:58:30.000000Z 7228 mapitest.exe \\Device\\HarddiskVolume2\\Windows\\System32\\ntdll.dll ntdll.dll - @21\n"
           "end skipped=0\n", m, m, m, m);
  check("xperf-dumper.txt", NULL, want,
        "I-Start/I-End/I-DCStart/I-DCEnd, Trace Start + TimeStamp, other rows passed over, quoted and bare FileName");
  snprintf(want, sizeof want,
           "xperf-dumper\n"
           "load 2026-03-05T21:58:08.724656Z 7228 mapitest.exe %s @11\n"
           "unload 2026-03-05T21:58:09.100000Z 7228 mapitest.exe %s @13\n"
           "end skipped=0\n"
           "warning events-lost\n", m, m);
  check("xperf-lost.txt", NULL, want, "lost events and buffers are an events-lost warning");
  snprintf(want, sizeof want,
           "xperf-dumper\n"
           "load 2026-03-05T21:58:00.001000Z 7228 mapitest.exe %s @11\n"
           "unload 2026-03-05T21:58:00.002000Z 7228 mapitest.exe %s @12\n"
           "end skipped=0\n", m, m);
  check("xperf-reordered.txt", NULL, want, "columns are found by their header names");
  check("xperf-no-start.txt", NULL,
        "xperf-dumper\n"
        "error 65 @/xperf-no-start.txt:10:1: I-Start row before the OS Version line (its Trace Start gives the absolute time)\n",
        "an image row before Trace Start is known is exit 65");
}

static void test_ltrace(void) {
  check("ltrace-ttt.txt", NULL,
        "ltrace\n"
        "load 2026-03-05T21:58:08.100000Z -1 mapitest /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @1\n"
        "unload 2026-03-05T21:58:08.500000Z -1 mapitest /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @5\n"
        "load 2026-03-05T21:58:09.000000Z -1 mapitest /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @7\n"
        "unload 2026-03-05T21:58:09.250000Z -1 mapitest /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @8\n"
        "end skipped=0\n",
        "reference counts: only 0->1 loads and 1->0 unloads; dlopen = 0 and dlclose = -1 change nothing");
  check("ltrace-f.txt", NULL,
        "ltrace\n"
        "load 2026-03-05T21:58:08.100500Z 4101 worker /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @2\n"
        "load 2026-03-05T21:58:08.100000Z 4100 mapitest /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @1\n"
        "load 2026-03-05T21:58:08.300000Z 4100 mapitest /opt/mapi/lib/libprof.so.1 libprof.so.1 - @4\n"
        "unload 2026-03-05T21:58:08.450000Z 4100 mapitest /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @6\n"
        "unload 2026-03-05T21:58:08.400000Z 4101 worker /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @5\n"
        "end skipped=1\n"
        "warning trace-skipped-lines\n",
        "-f: [pid N] prefixes, unfinished/resumed halves joined per pid; a resume without a start is skipped");
  struct trace_options tt = {0};
  tt.has_date = true;
  tt.date_days = days_from_civil(2026, 3, 5);
  tt.has_tz_offset = true;
  tt.tz_offset_minutes = 60;
  check("ltrace-tt.txt", &tt,
        "ltrace\n"
        "load 2026-03-05T22:59:59.500000Z -1 mapitest /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @1\n"
        "unload 2026-03-05T22:59:59.900000Z -1 mapitest /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @2\n"
        "load 2026-03-05T23:00:00.250000Z -1 mapitest /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @3\n"
        "unload 2026-03-05T23:00:01.000000Z -1 mapitest /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @4\n"
        "end skipped=0\n",
        "-tt times of day with --date and --tz-offset +01:00 roll over at midnight");
  check("ltrace-tt.txt", NULL,
        "ltrace\n"
        "error 2 @/ltrace-tt.txt:1:1: ltrace times of day (-tt/-t) carry no date or zone (give --date YYYY-MM-DD and --tz-offset +HH:MM, or trace with -ttt)\n",
        "-tt without --date/--tz-offset is a usage error (exit 2)");
  check("ltrace-truncated.txt", NULL,
        "ltrace\n"
        "load 2026-03-05T21:58:08.100000Z -1 mapitest /usr/lib/x86_64-linux-gnu/libasou... libasou... - @1\n"
        "unload 2026-03-05T21:58:08.200000Z -1 mapitest /usr/lib/x86_64-linux-gnu/libasou... libasou... - @2\n"
        "end skipped=1\n"
        "warning ltrace-truncated\n"
        "warning trace-skipped-lines\n",
        "a path cut short by ltrace -s is kept marked and warned; dlclose of an unknown handle is skipped");
  check("ltrace-bad.txt", NULL,
        "ltrace\n"
        "load 2026-03-05T21:58:08.100000Z -1 mapitest /opt/mapi/lib/libmapi.so.0 libmapi.so.0 - @1\n"
        "error 65 @/ltrace-bad.txt:2:36: bad dlopen argument (a quoted path expected)\n",
        "an unquoted dlopen path is exit 65 at its column");
}

int main(void) {
  const char *top = getenv("abs_top_srcdir");
  snprintf(datadir, sizeof datadir, "%s/tests/data/trace/", top ? top : ".");
  test_tracerpt_xml();
  test_sysmon();
  test_sysmon_corpus();
  test_xperf();
  test_ltrace();
  return tap_done();
}
