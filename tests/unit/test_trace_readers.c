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

#include "input/input.h"
#include "tap.h"
#include "trace/trace.h"
#include "util/xalloc.h"

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
        "error 65 @/sysmon-array.json:2:3: JSON object without an \"Event\", \"winlog\" or \"event\" member (evtx_dump records {\"Event\": {\"System\": ..., \"EventData\": ...}}, or Winlogbeat/ECS documents with winlog.event_data or event.code expected, one object per record or all in one array)\n",
        "another JSON shape (Get-WinEvent | ConvertTo-Json) is refused at its first record and says what is read");
  check("sysmon-bad.json", NULL,
        "sysmon-json\n"
        "error 65 @/sysmon-bad.json:45:7: unexpected character (',' or '}' expected)\n",
        "a missing comma is exit 65 at FILE:LINE:COL");
}

/* The records of sysmon-wevtutil.xml in the shapes users paste and ship
 * (tests/data/trace/gen-sysmon-variants.py writes them): the same events
 * whatever the shape, with each record's own line. */
static void check_same_events(const char *name, const char *fmt, long l1, long l2,
                              long l3, const char *what) {
  char want[2048];
  const char *mapi = "mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll 6.5.7233.46";
  snprintf(want, sizeof want,
           "%s\n"
           "load 2026-03-05T21:58:08.724000Z 7228 %s @%ld\n"
           "load 2026-03-05T21:58:10.001000Z 7228 %s @%ld\n"
           "load 2026-03-05T21:58:11.500000Z 7228 mapitest.exe C:\\Users\\svc\\AppData\\Local\\Temp\\vcruntime140.dll vcruntime140.dll - @%ld\n"
           "end skipped=0\n",
           fmt, mapi, l1, mapi, l2, l3);
  check(name, NULL, want, what);
}

static void test_sysmon_variants(void) {
  check_same_events("sysmon-eventviewer-paste.xml", "sysmon-xml", 29, 60, 91,
                    "Event Viewer XML View copy: '- ' fold markers, no root, blank lines between");
  check_same_events("sysmon-eventviewer-crlf.xml", "sysmon-xml", 29, 60, 91,
                    "the same copy with CRLF line ends");
  check_same_events("sysmon-eventviewer-utf16.xml", "sysmon-xml", 29, 60, 91,
                    "the same copy saved from the clipboard as UTF-16LE with a BOM");
  check_same_events("sysmon-eventviewer-tabs.xml", "sysmon-xml", 29, 60, 91,
                    "the same copy indented with tabs, '-' followed by a tab");
  check("sysmon-eventviewer-cut.xml", NULL,
        "sysmon-xml\n"
        "load 2026-03-05T21:58:08.724000Z 7228 mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll 6.5.7233.46 @29\n"
        "load 2026-03-05T21:58:10.001000Z 7228 mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll 6.5.7233.46 @60\n"
        "error 65 @/sysmon-eventviewer-cut.xml:110:3: XML ends too early: mismatched tag (the rest of the document expected)\n",
        "a copy cut inside its last event: the events before it, then exit 65 at the end");
  check("sysmon-eventviewer-dash-text.xml", NULL,
        "sysmon-xml\n"
        "load 2026-03-05T21:58:08.724000Z 7228 mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll - 6.5 <beta> @1\n"
        "end skipped=0\n",
        "a '- ' starting a line of text content is kept (only '- <' is a marker)");
  check("sysmon-eventviewer-stray.xml", NULL,
        "sysmon-xml\n"
        "error 65 @/sysmon-eventviewer-stray.xml:32:1: text outside any element (an <Event> element expected)\n",
        "a '- ' line of text between events is not a marker: exit 65 at its own line and column");
  check("sysmon-eventviewer-collapsed.xml", NULL,
        "sysmon-xml\n"
        "error 65 @/sysmon-eventviewer-collapsed.xml:46:1: a collapsed element '+ <' (Event Viewer's XML View copies none of its content; expanded, '- <', expected)\n",
        "a collapsed '+ <EventData>' is exit 65 at its '+', not a mismatched tag further on");
  check_same_events("winlogbeat-array.json", "sysmon-json", 50, 132, 185,
                    "Winlogbeat documents in one array, event_id a number; Disk event 7 and a Security event passed over");
  check_same_events("winlogbeat-ndjson.json", "sysmon-json", 2, 5, 6,
                    "Winlogbeat NDJSON, event_id a string");
  check_same_events("ecs-ndjson.json", "sysmon-json", 2, 3, 4,
                    "ECS only: event.code, file.path, process.*, @timestamp of varying fraction");
  check("ecs-no-path.json", NULL,
        "sysmon-json\n"
        "error 65 @/ecs-no-path.json:2:1: Sysmon event 7 without ImageLoaded or file.path (every image load names it)\n",
        "an ECS event 7 without file.path is exit 65 at its record and names both fields");
}

static void test_xml_json_traps(void) {
  check_has("xml-doctype-entity.xml", NULL,
            "error 65 @/xml-doctype-entity.xml:2:3: XML:",
            "a DOCTYPE (entity expansion) is refused, not expanded");
  check("sysmon-text-outside.xml", NULL,
        "sysmon-xml\n"
        "error 65 @/sysmon-text-outside.xml:2:1: text outside any element (an <Event> element expected)\n",
        "text between events is exit 65");
  check("sysmon-wevtutil.xml.gz", NULL,
        "sysmon-xml\n"
        "load 2026-03-05T21:58:08.724000Z 7228 mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll 6.5.7233.46 @2\n"
        "load 2026-03-05T21:58:10.001000Z 7228 mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll 6.5.7233.46 @3\n"
        "load 2026-03-05T21:58:11.500000Z 7228 mapitest.exe C:\\Users\\svc\\AppData\\Local\\Temp\\vcruntime140.dll vcruntime140.dll - @4\n"
        "end skipped=0\n",
        "gzip-compressed XML streams through the same reader");
  check("sysmon-eventid-text.json", NULL,
        "sysmon-json\n"
        "load 2026-03-05T21:58:08.724656Z 7228 mapitest.exe C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL mapi32.dll 6.5.7226.0 @1\n"
        "error 65 @/sysmon-eventid-text.json:2:69: bad ProcessId '7228x' (a decimal process id expected)\n",
        "EventID as {#text}, SystemTime when UtcTime is absent; a bad ProcessId is exit 65 at its value");
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

/* A tracerpt XML trace of `cycles` load/unload pairs of one module, with a
 * thread event between them, written to a temporary file. */
static char *write_big_xml(int cycles) {
  const char *tmp = getenv("TMPDIR");
  char *path = xasprintf("%s/leakslope-big-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  int fd = mkstemp(path);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    free(path);
    return NULL;
  }
  fputs("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<Events>\n", f);
  for (int i = 0; i < 2 * cycles; i++) {
    int s = i / 2, us = (i % 2) * 500000;
    const char *ev =
        "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
        "\t<System>\n\t\t<Provider Guid=\"{9e814aad-3204-11d2-9a82-006008a86939}\" />\n"
        "\t\t<EventID>0</EventID>\n\t\t<Version>2</Version>\n\t\t<Opcode>%d</Opcode>\n"
        "\t\t<TimeCreated SystemTime=\"2026-03-05T%02d:%02d:%02d.%06d000Z\" />\n"
        "\t\t<Execution ProcessID=\"7228\" ThreadID=\"4120\" />\n\t</System>\n"
        "\t<EventData>\n\t\t<Data Name=\"ImageBase\">0x35F90000</Data>\n"
        "\t\t<Data Name=\"ProcessId\">    7228</Data>\n"
        "\t\t<Data Name=\"FileName\">\\Device\\HarddiskVolume2\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL</Data>\n"
        "\t</EventData>\n\t<RenderingInfo Culture=\"en-US\">\n\t\t<Opcode>%s</Opcode>\n"
        "\t\t<Provider>MSNT_SystemTrace</Provider>\n\t</RenderingInfo>\n"
        "\t<ExtendedTracingInfo xmlns=\"http://schemas.microsoft.com/win/2004/08/events/trace\">\n"
        "\t\t<EventGuid>{2cb15d1d-5fc1-11d2-abe1-00a0c911f518}</EventGuid>\n"
        "\t</ExtendedTracingInfo>\n</Event>\n";
    fprintf(f, ev, i % 2 ? 2 : 10, 20 + s / 3600, s / 60 % 60, s % 60, us,
            i % 2 ? "UnLoad" : "Load");
    fprintf(f, "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">"
               "<System><Opcode>1</Opcode><TimeCreated SystemTime=\"2026-03-05T20:00:00Z\"/>"
               "</System><EventData><Data Name=\"TThreadId\">0x%X</Data></EventData>"
               "<ExtendedTracingInfo><EventGuid>{3d6fa8d1-fe05-11d0-9dda-00c04fd7ba7c}"
               "</EventGuid></ExtendedTracingInfo></Event>\n", i);
  }
  fputs("</Events>\n", f);
  fclose(f);
  return path;
}

/* Heap bytes in use, or 0 where the allocator does not say (valgrind,
 * sanitizers). */
static size_t heap_in_use(void) { return mallinfo2().uordblks; }

static void test_streaming(void) {
  const int cycles = 2500; /* about 5 MB of XML */
  char *path = write_big_xml(cycles);
  if (!ok(path != NULL, "a big XML trace was written"))
    return;
  struct trace_options opt = {0};
  struct warnings w;
  struct diag d;
  struct trace_event ev;
  char t1[TIME_UTC_BUFSZ], t2[TIME_UTC_BUFSZ];
  warnings_init(&w);
  diag_init(&d);
  struct trace_reader *r = trace_open(path, &opt, &w, &d);
  size_t base = heap_in_use(), peak = base;
  long loads = 0, unloads = 0;
  usec_t first = 0, last = 0;
  int rc = r ? 1 : -1;
  while (r && (rc = trace_next(r, &ev, &d)) == 1) {
    loads += ev.kind == TRACE_LOAD;
    unloads += ev.kind == TRACE_UNLOAD;
    first = loads + unloads == 1 ? ev.time : first;
    last = ev.time;
    size_t now = heap_in_use();
    peak = now > peak ? now : peak;
  }
  ok(rc == 0 && loads == cycles && unloads == cycles,
     "big XML: %ld loads and %ld unloads (want %d each)", loads, unloads, cycles);
  is_str(time_format_utc(first, t1), "2026-03-05T20:00:00.000000Z", "big XML: first event time");
  is_str(time_format_utc(last, t2), "2026-03-05T20:41:39.500000Z", "big XML: last event time");
  if (base == 0)
    printf("ok %d - # SKIP the allocator does not report heap use here\n", ++tap_count);
  else
    ok(peak - base < 1024 * 1024,
       "big XML (%ld bytes) read with %zu bytes of heap growth (bounded: under 1 MiB)",
       (long)(r ? input_file_size(trace_reader_input(r)) : 0), peak - base);
  trace_close(r);
  warnings_fini(&w);
  diag_fini(&d);
  remove(path);
  free(path);
}

int main(void) {
  const char *top = getenv("abs_top_srcdir");
  snprintf(datadir, sizeof datadir, "%s/tests/data/trace/", top ? top : ".");
  test_tracerpt_xml();
  test_sysmon();
  test_xml_json_traps();
  test_sysmon_variants();
  test_sysmon_corpus();
  test_xperf();
  test_ltrace();
  test_streaming();
  return tap_done();
}
