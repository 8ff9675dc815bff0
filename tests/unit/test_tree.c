/* Unit tests of the result tree, its JSON and YAML writers, and atomic output. */
#include "config.h"
#include "util/outfile.h"
#include "tap.h"
#include "util/tree.h"
#include "util/rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *render(const struct tree *t, int yaml) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  int rc = yaml ? tree_write_yaml(t, f) : tree_write_json(t, f);
  fclose(f);
  if (rc != 0) {
    free(buf);
    return NULL;
  }
  return buf;
}

static void test_json(void) {
  struct tree *t = tree_obj();
  tree_set_str(t, "schema", "leakslope/test/1");
  tree_set_int(t, "samples", 3600);
  tree_set_num(t, "rate", 0.1);
  tree_set_num(t, "nan", 0.0 / 0.0);
  struct tree *a = tree_set(t, "ci95", tree_arr());
  tree_push(a, tree_num(40800.5));
  tree_push(a, tree_num(1e21));
  tree_set_str(t, "path", "\\\\EXCH01\\Process(\"x\")\n\t\x01");
  tree_set(t, "empty", tree_obj());
  tree_set_bool(t, "ok", true);
  tree_set_int(t, "samples", 7); /* replacing keeps the position */
  char *s = render(t, 0);
  is_str(s,
         "{\n  \"schema\": \"leakslope/test/1\",\n  \"samples\": 7,\n  \"rate\": 0.1,\n"
         "  \"nan\": null,\n  \"ci95\": [\n    40800.5,\n    1e+21\n  ],\n"
         "  \"path\": \"\\\\\\\\EXCH01\\\\Process(\\\"x\\\")\\n\\t\\u0001\",\n"
         "  \"empty\": {},\n  \"ok\": true\n}\n",
         "JSON: order kept, NaN as null, escapes, shortest round-trip numbers");
  free(s);
  ok(tree_get_num(tree_get(t, "samples")) == 7 && tree_len(t) == 8 &&
         !tree_get(t, "absent"),
     "read access: get by key, length, absent key is NULL");
  tree_free(t);
}

static void test_yaml(void) {
  struct tree *t = tree_obj();
  tree_set_str(t, "name", "no");
  tree_set_str(t, "version", "6.5");
  tree_set_str(t, "time", "2026-03-05T21:58:08.724656Z");
  tree_set_str(t, "method", "theil-sen");
  tree_set_str(t, "counter", "Private Bytes");
  tree_set_null(t, "cycles_needed");
  tree_set_num(t, "leak", 40960.5);
  char *s = render(t, 1);
  is_str(s,
         "name: \"no\"\nversion: \"6.5\"\ntime: \"2026-03-05T21:58:08.724656Z\"\n"
         "method: theil-sen\ncounter: Private Bytes\ncycles_needed: null\nleak: 40960.5\n",
         "YAML: 'no', versions and times quoted, safe words plain");
  free(s);
  tree_free(t);
}

static void test_num_format(void) {
  char buf[40];
  tree_format_num(0.1 + 0.2, buf, sizeof buf);
  is_str(buf, "0.30000000000000004", "0.1+0.2 printed with 17 digits to round-trip");
  tree_format_num(-3.0, buf, sizeof buf);
  is_str(buf, "-3", "integer-valued double has no fraction");
  /* whole numbers are written without printf: what "%.0f" writes, for
   * every size up to 2^53, both signs, and -0 */
  struct rng g;
  rng_seed(&g, 53);
  size_t n = 0, same = 0;
  for (int bits = 0; bits <= 53; bits++)
    for (int k = 0; k < 200; k++, n++) {
      double v = (double)(rng_next(&g) >> (64 - (bits ? bits : 1)));
      if (k % 2)
        v = -v;
      if (bits == 53 && k == 0)
        v = 9007199254740991.0; /* 2^53 - 1, the largest taken */
      char want[40];
      snprintf(want, sizeof want, "%.0f", v);
      tree_format_num(v, buf, sizeof buf);
      same += strcmp(buf, want) == 0;
    }
  ok(same == n, "%zu whole numbers of 0-53 bits, both signs: as %%.0f writes them (%zu same)",
     n, same);
  tree_format_num(-0.0, buf, sizeof buf);
  is_str(buf, "-0", "-0 keeps its sign, as %%.0f writes it");
  tree_format_num(9007199254740992.0, buf, sizeof buf);
  is_str(buf, "9007199254740992", "2^53 (past the whole-number path: %%.17g) the same digits");
}

static void test_outfile(void) {
  char dir[] = "/tmp/leakslope-outfile.XXXXXX";
  if (!mkdtemp(dir)) {
    ok(0, "mkdtemp");
    return;
  }
  char path[64];
  snprintf(path, sizeof path, "%s/report.json", dir);
  struct diag d;
  diag_init(&d);
  struct outfile *o = outfile_open(path, &d);
  fputs("half", outfile_stream(o));
  fflush(outfile_stream(o));
  struct stat st;
  ok(stat(path, &st) != 0, "nothing at the target before commit");
  outfile_abort(o);
  ok(stat(path, &st) != 0, "an aborted write leaves no file");
  o = outfile_open(path, &d);
  fputs("whole\n", outfile_stream(o));
  ok(outfile_commit(o, &d) == 0 && stat(path, &st) == 0 && st.st_size == 6,
     "a committed write is renamed into place");
  unlink(path);
  rmdir(dir);
  o = outfile_open("/nonexistent-dir/x.json", &d);
  ok(o == NULL && d.kind == DIAG_CANTCREAT, "unwritable folder gives DIAG_CANTCREAT");
  diag_fini(&d);
}

int main(void) {
  test_json();
  test_yaml();
  test_num_format();
  test_outfile();
  return tap_done();
}
