/* test_cycles — pairing and matching on hand-made event streams. */
#include "config.h"

#include <string.h>

#include "fit/cycles.h"
#include "tap.h"

#define SEC INT64_C(1000000)

static void add(struct cycles *c, double sec, enum trace_kind k, long pid,
                const char *proc, const char *path) {
  struct trace_event ev;
  struct trace_text t;
  memset(&ev, 0, sizeof ev);
  trace_text_init(&t);
  ev.time = (usec_t)(sec * SEC);
  ev.kind = k;
  ev.pid = pid;
  trace_event_fill(&ev, &t, proc, strlen(proc), path, strlen(path));
  cycles_add(c, &ev);
  trace_text_fini(&t);
}

#define L TRACE_LOAD
#define U TRACE_UNLOAD
#define R TRACE_RUNDOWN
static const char *mapi = "C:\\Program Files\\Exchsrvr\\bin\\MAPI32.DLL";

static void explicit_pairs(void) {
  struct cycles c;
  struct warnings w;
  warnings_init(&w);
  cycles_init(&c, "mapitest", "mapi32.dll", false);
  add(&c, 0, R, 10, "mapitest.exe", mapi);   /* loaded before the trace */
  add(&c, 1, U, 10, "mapitest.exe", mapi);   /* closes the rundown: no cycle */
  add(&c, 2, L, 10, "mapitest.exe", mapi);
  add(&c, 3, U, 10, "mapitest.exe", mapi);   /* cycle 1 */
  add(&c, 4, L, 10, "mapitest.exe", mapi);
  add(&c, 5, L, 10, "mapitest.exe", mapi);   /* lost unload: 4 unmatched */
  add(&c, 6, U, 10, "mapitest.exe", mapi);   /* cycle 2 */
  add(&c, 7, U, 10, "mapitest.exe", mapi);   /* unmatched unload */
  add(&c, 8, L, 10, "OUTLOOK.EXE", mapi);    /* other process: not selected */
  add(&c, 9, L, 10, "mapitest.exe", "C:\\x\\kernel32.dll");
  add(&c, 10, L, 10, "mapitest.exe", mapi);  /* open at the end */
  cycles_finish(&c, &w, "t");
  is_int(c.sel.ncycles, 2, "explicit: 2 complete cycles");
  is_int(c.sel.cycles[0].load, 2 * SEC, "cycle 1 loads at 2 s");
  is_int(c.sel.cycles[0].unload, 3 * SEC, "cycle 1 unloads at 3 s");
  ok(c.sel.cycles[1].has_unload && c.sel.cycles[1].load == 5 * SEC,
     "cycle 2 pairs the second load with the unload");
  is_int(c.sel.unmatched_loads, 2, "a load followed by a load and the open "
         "load at the end are unmatched");
  is_int(c.sel.unmatched_unloads, 1, "an unload with nothing open");
  is_int(c.sel.rundown, 1, "rundown counted");
  ok(!c.sel.implied && !c.sel.fell_back, "pairing explicit");
  is_int(c.events, 11, "all events counted in the inventory");
  is_int(c.nprocs, 2, "two processes");
  is_str(c.procs[0].name, "mapitest.exe", "processes sorted by name");
  is_int(c.procs[0].nmods, 2, "mapitest has two modules");
  is_str(c.procs[0].mods[1].name, "mapi32.dll", "module name lower-cased");
  is_int(c.procs[0].mods[1].loads, 4, "mapi32 loads in mapitest");
  is_int(c.procs[0].mods[1].unloads, 4, "mapi32 unloads in mapitest");
  is_int(w.count, 0, "no warnings");
  cycles_fini(&c);
  warnings_fini(&w);
}

static void implied_and_fallback(void) {
  struct cycles c;
  struct warnings w;
  warnings_init(&w);
  cycles_init(&c, "python38.exe", "vcruntime140.dll", true);
  add(&c, 1, L, 7276, "python38.exe", "C:\\P\\vcruntime140.dll");
  add(&c, 2, L, 364, "python38.exe", "C:\\P\\vcruntime140.dll");
  add(&c, 3, L, 7276, "python38.exe", "C:\\P\\vcruntime140.dll");
  add(&c, 5, L, 7276, "python38.exe", "C:\\P\\vcruntime140.dll");
  cycles_finish(&c, &w, "t");
  ok(c.sel.implied && !c.sel.fell_back, "loads-only format pairs implied");
  is_int(c.sel.ncycles, 2, "pid 7276: three loads, two implied cycles; "
         "pid 364: one load, none");
  is_int(c.sel.implied_unloads, 2, "implied_unloads counts them");
  ok(!c.sel.cycles[0].has_unload && c.sel.cycles[0].unload == 3 * SEC,
     "implied cycle ends at the next load");
  is_int(c.sel.unmatched_loads, 2, "implied: the last load of each pid is still loaded at the end");
  is_int(c.sel.npids, 2, "two pids");
  is_int(c.sel.restarts, 0, "overlapping pids are not restarts");
  cycles_fini(&c);

  cycles_init(&c, NULL, "mapi32.dll", false);
  add(&c, 1, L, 1, "a.exe", mapi);
  add(&c, 2, L, 1, "a.exe", mapi);
  cycles_finish(&c, &w, "t");
  ok(c.sel.implied && c.sel.fell_back, "loads without unloads fall back to "
     "implied");
  ok(warnings_has(&w, "implied-pairing"), "with a warning");
  is_int(c.sel.ncycles, 1, "one implied cycle");
  cycles_fini(&c);
  warnings_fini(&w);
}

static void restarts_and_paths(void) {
  struct cycles c;
  struct warnings w;
  warnings_init(&w);
  cycles_init(&c, "MapiTest", "MAPI32.dll", false);
  add(&c, 1, L, 100, "mapitest.exe", mapi);
  add(&c, 2, U, 100, "mapitest.exe", mapi);
  add(&c, 3, L, 200, "mapitest.exe", mapi); /* new pid after the old one */
  add(&c, 4, U, 200, "mapitest.exe", mapi);
  add(&c, 5, L, 200, "mapitest.exe", "D:\\old\\mapi32.dll");
  add(&c, 6, U, 200, "mapitest.exe", "D:\\old\\mapi32.dll");
  cycles_finish(&c, &w, "t");
  is_int(c.sel.restarts, 1, "a new pid after the last one's end is a restart");
  is_int(c.sel.npaths, 2, "two folders, one module name");
  ok(warnings_has(&w, "module-several-paths"), "warned: one -m, two paths");
  is_int(c.sel.ncycles, 3, "each (pid, path) pairs on its own");
  is_near(c.sel.cycles_per_hour, 2160, 1e-9,
          "3 cycles from 1 s to 6 s: 2160 per hour");
  is_int(c.sel.nbuckets, 3, "rate buckets");
  cycles_fini(&c);
  warnings_fini(&w);
}

static void two_processes(void) {
  struct cycles c;
  struct warnings w;
  warnings_init(&w);
  cycles_init(&c, NULL, "mapi32.dll", false);
  add(&c, 1, L, 100, "mapitest.exe", mapi);
  add(&c, 2, U, 100, "mapitest.exe", mapi);
  add(&c, 3, L, 300, "OUTLOOK.EXE", mapi); /* another program, not a restart */
  add(&c, 4, U, 300, "OUTLOOK.EXE", mapi);
  add(&c, 5, L, 100, "mapitest.exe", mapi); /* same pid, same path */
  cycles_finish(&c, &w, "t");
  is_int(c.sel.ncycles, 2, "a module loaded by two processes: one cycle each");
  is_int(c.sel.restarts, 0, "another process's pid is not a restart");
  is_int(c.sel.unmatched_loads, 1, "the last load stays open");
  ok(c.sel.cycles[1].pid == 300, "cycles sorted by load time across pids");
  cycles_fini(&c);
  warnings_fini(&w);
}

static void out_of_order(void) {
  struct cycles c;
  struct warnings w;
  warnings_init(&w);
  cycles_init(&c, NULL, "x.dll", false);
  add(&c, 3, U, 1, "p", "x.dll");
  add(&c, 1, L, 1, "p", "x.dll");
  cycles_finish(&c, &w, "t");
  is_int(c.sel.ncycles, 1, "rows out of time order are sorted before pairing");
  is_int(c.first, 1 * SEC, "span start is the earliest event");
  cycles_fini(&c);
  warnings_fini(&w);
}

static void matching(void) {
  ok(cycles_process_match("mapitest", "MAPITEST.EXE"), ".exe and case ignored");
  ok(cycles_process_match("mapitest.exe", "mapitest"), ".exe on the other side");
  ok(!cycles_process_match("mapi", "mapitest.exe"), "no substring match");
  ok(cycles_module_match("MAPI32.DLL", "mapi32.dll", NULL), "module any case");
  ok(cycles_module_match("C:\\a\\mapi32.dll", "mapi32.dll", NULL),
     "a path in -m is ignored");
  ok(cycles_module_match("libasound.so.2", "libasound.so.2.0.0", NULL),
     ".so. version prefix");
  ok(cycles_module_match("libasound.so", "libasound.so.2.0.0", NULL),
     ".so prefix");
  ok(!cycles_module_match("libasound", "libasound.so.2.0.0", NULL),
     "a prefix before .so does not match");
  ok(!cycles_module_match("libasound.so.2.0", "libasound.so.2.01", NULL),
     "version digits are not cut");
  ok(cycles_module_match("libfoo.so.1", "libfoo.so",
                         "/usr/lib/libfoo.so.1.2"), "resolved name matches");
  ok(!cycles_module_match("mapi32", "mapi32.dll", NULL), "no extension guess");
}

static void alignment(void) {
  long m = 0;
  usec_t h = 3600 * SEC;
  ok(!cycles_align_hint(0, h, h / 2, 2 * h, &m), "overlap: no hint");
  ok(cycles_align_hint(10 * h, 11 * h, 12 * h + 300 * SEC,
                       12 * h + 900 * SEC, &m), "no overlap: a hint");
  is_int(m, -120, "a trace 2 h late: shift -120 minutes");
  cycles_align_hint(10 * h, 11 * h, 5 * h + 20 * 60 * SEC, 5 * h + 40 * 60 * SEC, &m);
  is_int(m, 300, "5 h early: +300 minutes (a whole hour wins)");
  cycles_align_hint(10 * h, 11 * h, 14 * h + 45 * 60 * SEC, 15 * h + 15 * 60 * SEC, &m);
  is_int(m, -270, "quarter hours: -4:30 (a +04:30 zone)");
  /* a partial overlap: a hint only when a quarter-hour shift lines them up */
  ok(!cycles_partial_hint(10 * h, 11 * h, 9 * h, 12 * h, &m),
     "partial: a trace around the log: no hint");
  ok(!cycles_partial_hint(10 * h, 11 * h, 10 * h + 300 * SEC, 10 * h + 2700 * SEC, &m),
     "partial: a trace inside the log: no hint");
  ok(!cycles_partial_hint(10 * h, 11 * h, 12 * h, 13 * h, &m),
     "partial: no overlap at all is cycles_align_hint's case");
  m = 0;
  ok(cycles_partial_hint(10 * h, 11 * h, 10 * h + h / 2, 11 * h + h / 2, &m),
     "partial: half an hour late, half overlapping: a hint");
  is_int(m, -30, "partial: -30 minutes");
  m = 0;
  ok(cycles_partial_hint(10 * h, 12 * h, 9 * h, 11 * h, &m), "partial: a DST-sized slip: a hint");
  is_int(m, 60, "partial: an hour early: +60 minutes");
  ok(!cycles_partial_hint(10 * h, 11 * h, 9 * h + 720 * SEC, 10 * h + 720 * SEC, &m),
     "partial: 48 min early, no quarter hour lines it up within 98%%: no hint");
  ok(!cycles_partial_hint(10 * h, 11 * h, 10 * h + 300 * SEC, 11 * h + 200 * SEC, &m),
     "partial: overlapping 92%% of the shorter span: no hint");
}

/* More distinct events than cycles_add's memo holds (32,768), each seen
 * twice with other spellings: after the memo is emptied, the look-ups it
 * skipped still find every pid and path once (case folded as before). */
static void memo_overflow(void) {
  struct cycles c;
  struct warnings w;
  warnings_init(&w);
  cycles_init(&c, "mapitest", "mapi32.dll", false);
  enum { N = 40000 };
  for (long i = 0; i < N; i++)
    add(&c, (double)i, L, 100 + i, "MapiTest.exe", mapi);
  for (long i = 0; i < N; i++)
    add(&c, (double)(N + i), U, 100 + i, "mapitest.exe",
        "c:\\program files\\exchsrvr\\bin\\mapi32.dll");
  cycles_finish(&c, &w, "t.csv");
  is_int(c.nprocs, 1, "memo overflow: one process (names differ in case)");
  is_int(c.procs[0].npids, N, "memo overflow: 40,000 pids, each once");
  is_int(c.procs[0].nmods, 1, "memo overflow: one module");
  is_int(c.procs[0].mods[0].npaths, 1, "memo overflow: one path (case folded)");
  ok(c.procs[0].mods[0].loads == N && c.procs[0].mods[0].unloads == N,
     "memo overflow: 40,000 loads and 40,000 unloads counted");
  is_int(c.sel.ncycles, N, "memo overflow: 40,000 cycles");
  is_int(c.sel.npids, N, "memo overflow: 40,000 selected pids");
  is_int(c.sel.npaths, 1, "memo overflow: one selected path");
  is_int(c.sel.restarts, 0, "memo overflow: no restarts (each pid's span runs to "
         "its unload, which came after the memo was emptied)");
  cycles_fini(&c);
  warnings_fini(&w);
}

int main(void) {
  memo_overflow();
  explicit_pairs();
  implied_and_fallback();
  restarts_and_paths();
  two_processes();
  out_of_order();
  matching();
  alignment();
  return tap_done();
}
