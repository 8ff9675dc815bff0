/* test_trace_layout — formats/trace/NAME.yaml read into struct
 * trace_layout: the shipped layouts load, and a bad layout is reported at
 * the FILE:LINE:COL of what is wrong, with what was expected. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tap.h"
#include "trace/trace_layout.h"
#include "util/xalloc.h"

/* Parse `text` as a layout file: "ok NAME" or "LINE:COL: message". */
static char *parse_text(const char *text) {
  char *path = xstrdup("/tmp/test_trace_layout.XXXXXX");
  int fd = mkstemp(path);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
  if (!f) {
    free(path);
    return xstrdup("cannot write a temporary file");
  }
  fputs(text, f);
  fclose(f);
  struct trace_layout *l = NULL;
  struct diag d;
  diag_init(&d);
  char *r = trace_layout_parse_file(path, &l, &d) == 0
                ? xasprintf("ok %s", l->name)
                : xasprintf("%ld:%ld: %s", d.line, d.col, d.message);
  trace_layouts_free(l);
  diag_fini(&d);
  unlink(path);
  free(path);
  return r;
}

static void check(const char *text, const char *want, const char *what) {
  char *got = parse_text(text);
  is_str(got, want, "%s", what);
  free(got);
}

static void test_shipped(void) {
  static const char *const names[] = {"leakslope-csv", "procmon-csv",
                                      "tracerpt-csv"};
  const char *top = getenv("abs_top_srcdir");
  for (size_t i = 0; i < 3; i++) {
    char *path = xasprintf("%s/formats/trace/%s.yaml", top ? top : ".",
                           names[i]);
    struct trace_layout *l = NULL;
    struct diag d;
    diag_init(&d);
    int rc = trace_layout_parse_file(path, &l, &d);
    ok(rc == 0 && !strcmp(l->name, names[i]), "formats/trace/%s.yaml loads%s%s",
       names[i], rc ? ": " : "", rc ? d.message : "");
    trace_layouts_free(l);
    diag_fini(&d);
    free(path);
  }
}

static void test_errors(void) {
  check("name: x\ndetect: [a]\ncolumns: {time: a, module: b, kind: c}\n",
        "ok x", "a minimal layout");
  check("name: broken\ndetect: [a]\ncolumns: {time: a, modul: b}\n",
        "3:20: unknown key 'modul' (expected one of: time, date, kind, pid, "
        "process, module, resolved, version, elapsed)",
        "an unknown column role at its key");
  check("name: x\nloads_only: maybe\n", "2:13: expected true or false",
        "a bad boolean at its value");
  check("name: x\ndetect: [a, [b]]\n", "2:13: expected a string",
        "a list inside the header names");
  check("name: x\ntail: {pid: abc}\n", "2:13: expected an integer",
        "a bad tail field number");
  check("name: x\nwhere: {a: b, c: d}\n",
        "2:15: only one column can be tested in 'where'",
        "a second 'where' column");
  check("name: x\n? [a]\n: b\n", "2:3: expected a key", "a list as a key");
  check("- a\n", "1:1: expected a mapping", "a list at the top");
  check("name: x\ndetect: [a\n",
        "3:1: did not find expected ',' or ']' (expected YAML)",
        "a syntax error in libyaml's words at its line:col");
  check("", "1:1: empty layout (expected a mapping with name, detect, "
            "columns)",
        "an empty file");
  check("name: x\n", "1:1: layout has no 'detect' header names",
        "a missing key at the top of the file");
}

int main(void) {
  test_shipped();
  test_errors();
  return tap_done();
}
