/* test_capture — the pieces of `leakslope capture` that can be checked on
 * known input: PDH-CSV writing byte for byte, /proc/PID/maps and status
 * parsing on saved text, and a live sample of this process. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "perfmon/pdh.h"
#include "perfmon/pdh_path.h"
#include "capture/pdh_write.h"
#include "capture/proc_sample.h"
#include "tap.h"

static void test_header_and_rows(void) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  const char *paths[] = {"\\\\HOST\\Process(a)\\Private Bytes",
                         "\\\\HOST\\Process(a)\\Handle Count"};
  is_int(pdh_write_header(f, "CET", -60, paths, 2), 0, "header written");
  uint64_t v[] = {1318178816, 7};
  bool present[] = {true, false};
  /* 2026-03-05 21:58:08.724656 (local) -> milliseconds truncated */
  usec_t t = time_from_fields(2026, 3, 5, 21, 58, 8, 724656);
  is_int(pdh_write_row(f, t, v, present, 2), 0, "row written");
  fclose(f);
  is_str(buf,
         "\"(PDH-CSV 4.0) (CET)(-60)\",\"\\\\HOST\\Process(a)\\Private Bytes\","
         "\"\\\\HOST\\Process(a)\\Handle Count\"\r\n"
         "\"03/05/2026 21:58:08.724\",\"1318178816\",\" \"\r\n",
         "PDH-CSV 4.0 as perfmon writes it: quoted cells, CRLF, blank is \" \"");
  free(buf);
}

static void test_names(void) {
  char *s = pdh_instance_name("a(b)#1\\c\"d");
  is_str(s, "a[b]_1_c_d", "instance name made safe as perfmon does");
  free(s);
  s = pdh_instance_name("");
  is_str(s, "_", "empty instance name");
  free(s);
  s = pdh_counter_path("H", "Process", "x", "Working Set");
  is_str(s, "\\\\H\\Process(x)\\Working Set", "counter path");
  free(s);
}

static const char maps_text[] =
    "55d0c0800000-55d0c0801000 r--p 00000000 08:01 123 /usr/bin/x\n"
    "55d0c0801000-55d0c0802000 r-xp 00001000 08:01 123 /usr/bin/x\n"
    "55d0c0a00000-55d0c0a03000 rw-p 00003000 08:01 123 /usr/bin/x\n"
    "55d0c0a21000-55d0c0a42000 rw-p 00000000 00:00 0          [heap]\n"
    "7f0000000000-7f0000001000 ---p 00000000 00:00 0\n"
    "7f0000001000-7f0000011000 rw-s 00000000 00:01 99 /dev/zero (deleted)\n"
    "7f0000011000-7f0000012000 rwxp 00000000 00:00 0\n"
    "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0          [stack]\n";

static void test_maps(void) {
  FILE *f = fmemopen((void *)maps_text, sizeof maps_text - 1, "r");
  uint64_t sum = 0;
  size_t n = 0;
  is_int(proc_maps_private_writable(f, &sum, &n), 0, "maps parsed");
  fclose(f);
  is_int(n, 8, "maps: 8 mappings");
  /* rw-p 0x3000 + heap 0x21000 + rwxp 0x1000 + stack 0x21000; not rw-s, ---p */
  is_int(sum, 0x3000 + 0x21000 + 0x1000 + 0x21000,
         "maps: writable private bytes summed, shared and read-only left out");
  static const char bad[] = "55d0c0800000 r--p 00000000 08:01 123 /x\n";
  f = fmemopen((void *)bad, sizeof bad - 1, "r");
  is_int(proc_maps_private_writable(f, &sum, &n), -1, "maps: a line without START-END is an error");
  fclose(f);
}

static void test_status(void) {
  static const char live[] = "Name:\tx\nState:\tS (sleeping)\nVmPeak:\t  9000 kB\n"
                             "VmSize:\t    8264 kB\nVmRSS:\t     904 kB\nThreads:\t1\n";
  static const char zombie[] = "Name:\tx\nState:\tZ (zombie)\nThreads:\t1\n";
  uint64_t size = 0, rss = 0;
  FILE *f = fmemopen((void *)live, sizeof live - 1, "r");
  is_int(proc_status_memory(f, &size, &rss), 0, "status parsed");
  fclose(f);
  is_int(size, 8264 * 1024, "status: VmSize in bytes (not VmPeak)");
  is_int(rss, 904 * 1024, "status: VmRSS in bytes");
  f = fmemopen((void *)zombie, sizeof zombie - 1, "r");
  is_int(proc_status_memory(f, &size, &rss), -1, "status of a zombie: no sample");
  fclose(f);
}

static void test_live(void) {
  struct proc_sample a, b;
  is_int(proc_sample_read(getpid(), &a), 0, "live sample of this process");
  ok(a.private_bytes > 0 && a.working_set > 0 && a.virtual_bytes >= a.working_set,
     "live sample: non-zero figures, VmSize >= VmRSS");
  ok(a.has_handles && a.handle_count >= 3, "live sample: stdin/out/err counted as handles");
  size_t mib = 1024 * 1024;
  void *p = mmap(NULL, mib, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  proc_sample_read(getpid(), &b);
  /* Exactly 1 MiB natively; valgrind may map some shadow memory of its own. */
  ok(b.private_bytes >= a.private_bytes + mib &&
         b.private_bytes <= a.private_bytes + 2 * mib,
     "live sample: a 1 MiB private mapping adds 1 MiB to Private Bytes (%lld)",
     (long long)(b.private_bytes - a.private_bytes));
  munmap(p, mib);
  is_int(proc_sample_read(999999999, &b), -1, "no such process: no sample");
}

/* What pdh_write writes, the project's PDH reader reads back exactly. */
static void test_round_trip(void) {
  char path[] = "/tmp/leakslope-test-pdh-XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fdopen(fd, "w");
  char *p0 = pdh_counter_path("vm", "Process", "leaky-driver", "Private Bytes");
  char *p1 = pdh_counter_path("vm", "Process", "leaky-driver", "Handle Count");
  const char *cols[] = {p0, p1};
  pdh_write_header(f, "CEST", -120, cols, 2);
  usec_t local = time_from_fields(2026, 7, 1, 12, 0, 0, 250000);
  uint64_t v1[] = {123456789012, 6}, v2[] = {123456854548, 0};
  bool both[] = {true, true}, first[] = {true, false};
  pdh_write_row(f, local, v1, both, 2);
  pdh_write_row(f, local + USEC_PER_SEC, v2, first, 2);
  fclose(f);

  struct pdh_options opt = {0};
  struct warnings w;
  struct diag d;
  warnings_init(&w);
  diag_init(&d);
  struct pdh_reader *r = pdh_open(path, &opt, &w, &d);
  ok(r != NULL, "round trip: the PDH reader opens what pdh_write wrote");
  if (r) {
    is_str(pdh_timezone(r), "CEST", "round trip: zone name");
    is_int(pdh_header_bias(r), -120, "round trip: bias");
    is_int(pdh_counter_count(r), 2, "round trip: two counters");
    const struct pdh_counter *c = pdh_counters(r);
    is_str(c[0].instance, "leaky-driver", "round trip: instance");
    is_str(c[1].counter, "Handle Count", "round trip: counter");
    pdh_select_all(r);
    struct pdh_row row;
    is_int(pdh_next_row(r, &row, &d), 1, "round trip: row 1");
    is_int(row.utc, local - 120 * USEC_PER_MIN, "round trip: UTC = local + bias (CEST noon is 10:00Z)");
    is_near(row.values[0], 123456789012.0, 0, "round trip: Private Bytes");
    is_int(pdh_next_row(r, &row, &d), 1, "round trip: row 2");
    ok(isnan(row.values[1]), "round trip: a blank cell reads as missing, not 0");
    is_int(pdh_next_row(r, &row, &d), 0, "round trip: two rows");
    pdh_close(r);
  }
  diag_fini(&d);
  warnings_fini(&w);
  free(p0);
  free(p1);
  unlink(path);
}

int main(void) {
  test_round_trip();
  test_header_and_rows();
  test_names();
  test_maps();
  test_status();
  test_live();
  return tap_done();
}
