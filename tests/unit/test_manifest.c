/* The compare manifest: a full example (defaults, overrides, paths, inline
 * registry values, baseline, rules by name and by path) and one error per
 * rule, each at its line and column. */
#include "config.h"
#include "evidence/manifest.h"
#include "tap.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/leakslope-manifest.XXXXXX";
static int nfiles;

static char *write_manifest(const char *text) {
  char *path = xasprintf("%s/m%d.yaml", tmpdir, ++nfiles);
  FILE *f = fopen(path, "w");
  if (!f)
    abort();
  fputs(text, f);
  fclose(f);
  return path;
}

static const char full[] =
    "# the DESIGN.md example, with options\n"
    "rules: kb901014\n"
    "process: mapitest\n"
    "module: mapi32.dll\n"
    "bias: -60\n"
    "tolerance: 128\n"
    "baseline: hotfix only\n"
    "runs:\n"
    "  - name: no hotfix\n"
    "    counters: baseline/perf.csv.gz\n"
    "    events: baseline/trace.csv\n"
    "    module_version: 6.5.7226.0\n"
    "    registry: baseline/mapi.reg\n"
    "  - name: hotfix only\n"
    "    counters: [h/DataCollector01.csv, h/DataCollector02.csv]\n"
    "    module_version: \"6, 5, 7233, 46\"\n"
    "    registry_values: {}\n"
    "    cycles: 1200\n"
    "    utc: true\n"
    "    tz_offset: +02:00\n"
    "  - name: hotfix + CleanUpMAPIHeap=1\n"
    "    counters: /abs/perf.csv\n"
    "    events: fixed/trace.csv\n"
    "    module_version: 6.5.7233.46\n"
    "    registry_values: {CleanUpMAPIHeap: 1, Other: \"1\", Big: 4294967296, Gone: null}\n"
    "    bias: 0\n"
    "    encoding: cp1251\n";

static void full_example(void) {
  char *path = write_manifest(full);
  struct diag d;
  diag_init(&d);
  struct manifest *m = manifest_load(path, &d);
  ok(m != NULL, "the full example loads");
  if (!m) {
    printf("# %s\n", d.message);
    diag_fini(&d);
    free(path);
    return;
  }
  is_int(m->nruns, 3, "3 runs");
  is_int(m->baseline, 1, "baseline: 'hotfix only' is run 2");
  char *want = xasprintf("%s/rules/kb901014.yaml", getenv("LEAKSLOPE_DATADIR"));
  is_str(m->nrules == 1 ? m->rules[0] : NULL, want, "rules: kb901014 found through the data dir");
  free(want);
  struct manifest_run *a = &m->runs[0], *b = &m->runs[1], *c = &m->runs[2];
  is_str(a->name, "no hotfix", "run 1 name");
  want = xasprintf("%s/baseline/perf.csv.gz", tmpdir);
  is_str(a->counters[0], want, "counters relative to the manifest's folder");
  free(want);
  want = xasprintf("%s/baseline/mapi.reg", tmpdir);
  is_str(a->registry, want, "registry relative to the manifest's folder");
  free(want);
  ok(a->registry_values == NULL, "run 1: no inline values");
  is_str(a->opt[AOPT_PROCESS].text, "mapitest", "top-level process is every run's default");
  is_str(a->opt[AOPT_BIAS].text, "-60", "top-level bias applies to run 1");
  is_int(a->opt[AOPT_BIAS].line, 5, "an option keeps its line for errors");
  is_str(c->opt[AOPT_BIAS].text, "0", "run 3 overrides bias with 0");
  ok(a->opt[AOPT_CYCLES].text == NULL, "unset options stay NULL");
  is_int(b->ncounters, 2, "run 2: a list of rolled-over counter logs");
  is_str(b->module_version, "6, 5, 7233, 46", "module_version kept as written");
  is_str(b->opt[AOPT_UTC].text, "true", "utc: true");
  is_str(b->opt[AOPT_TZ_OFFSET].text, "+02:00", "tz_offset");
  is_str(analyze_opt_table[AOPT_TZ_OFFSET].flag, "tz-offset", "tz_offset maps to --tz-offset");
  is_str(b->opt[AOPT_TOLERANCE].text, "128", "top-level tolerance");
  ok(b->registry_values && b->registry_values->nkeys == 1 && b->registry_values->keys[0].nvalues == 0, "registry_values: {} is an empty list of values");
  is_str(c->counters[0], "/abs/perf.csv", "absolute paths are kept");
  const struct reg_key *k = c->registry_values ? &c->registry_values->keys[0] : NULL;
  const struct reg_value *v = k ? regkey_find_value(k, "cleanupmapiheap") : NULL;
  ok(v && v->type == REGV_DWORD && v->num == 1 && v->line == 25, "inline 1 is a DWORD (line 25)");
  v = k ? regkey_find_value(k, "Other") : NULL;
  ok(v && v->type == REGV_SZ && !strcmp(v->str, "1"), "inline \"1\" is a string");
  v = k ? regkey_find_value(k, "Big") : NULL;
  ok(v && v->type == REGV_QWORD, "inline 4294967296 is a QWORD");
  v = k ? regkey_find_value(k, "Gone") : NULL;
  ok(v && v->deleted, "inline null is a value known to be absent");
  is_str(c->opt[AOPT_ENCODING].text, "cp1251", "run 3 encoding");
  manifest_free(m);
  diag_fini(&d);
  free(path);
}

static void defaults_and_paths(void) {
  char *rules = xasprintf("%s/../tests/data/rules/kb-foo-two-settings.yaml", getenv("LEAKSLOPE_DATADIR"));
  char *text = xasprintf("rules: %s\nruns:\n  - counters: a.csv\n  - counters: b.csv\n", rules);
  char *path = write_manifest(text);
  struct diag d;
  diag_init(&d);
  struct manifest *m = manifest_load(path, &d);
  ok(m && m->baseline == 0, "without baseline: the first run");
  ok(m && !strcmp(m->runs[0].name, "run 1") && !strcmp(m->runs[1].name, "run 2"), "unnamed runs are 'run 1', 'run 2'");
  is_str(m ? m->rules[0] : NULL, rules, "rules given as a path");
  if (!m)
    printf("# %s\n", d.message);
  manifest_free(m);
  diag_fini(&d);
  free(path);
  free(text);
  free(rules);
}

/* rules: a list names several rules files, in order; one rules name
 * keeps working as before. */
static void several_rules(void) {
  char *path = write_manifest("rules: [kb891509, kb901014]\n" "runs:\n  - name: a\n    counters: a.csv\n");
  struct diag d;
  diag_init(&d);
  struct manifest *m = manifest_load(path, &d);
  ok(m && m->nrules == 2, "rules: [kb891509, kb901014] loads two rules files");
  if (!m)
    printf("# %s\n", d.message);
  ok(m && m->nrules == 2 && strstr(m->rules[0], "rules/kb891509.yaml") &&
         strstr(m->rules[1], "rules/kb901014.yaml"),
     "several rules: in the manifest's order, found through the data dir");
  manifest_free(m);
  diag_fini(&d);
  free(path);
}

static void fails(const char *text, enum diag_kind kind, long line, long col,
                  const char *needle, const char *what) {
  char *path = write_manifest(text);
  struct diag d;
  diag_init(&d);
  struct manifest *m = manifest_load(path, &d);
  int good = !m && d.kind == kind && d.line == line && d.col == col &&
             d.message && strstr(d.message, needle) && d.file &&
             !strcmp(d.file, path);
  ok(good, "%s: error %d at %ld:%ld mentioning \"%s\"", what, kind, line, col, needle);
  if (!good)
    printf("# got %d at %ld:%ld: %s\n", d.kind, d.line, d.col, d.message ? d.message : "(none)");
  manifest_free(m);
  diag_fini(&d);
  free(path);
}

#define R "rules: kb901014\n"
#define RUN "runs:\n  - name: a\n    counters: a.csv\n"

static void errors(void) {
  fails(R "proces: mapitest\n" RUN, DIAG_DATA, 2, 1, "unknown key 'proces' in the manifest", "unknown top-level key");
  fails(R RUN "    countres: b.csv\n", DIAG_DATA, 5, 5, "unknown key 'countres' in a run", "unknown run key");
  fails(R RUN "    bias: sixty\n", DIAG_DATA, 5, 11, "bias is not an integer", "bias not an integer");
  fails(R "bias: 1.5\n" RUN, DIAG_DATA, 2, 7, "bias is not an integer", "fractional bias");
  fails(R RUN "    tz_offset: 2h\n", DIAG_DATA, 5, 16, "not a UTC offset", "bad tz_offset");
  fails(R RUN "    cycles: 0\n", DIAG_DATA, 5, 13, "above 0", "zero cycles");
  fails(R RUN "    cycle_period: -3\n", DIAG_DATA, 5, 19, "above 0", "negative cycle period");
  fails(R RUN "    tolerance: inf\n", DIAG_DATA, 5, 16, "tolerance wants a number of bytes", "inf tolerance");
  fails(R RUN "    tolerance: 0x40\n", DIAG_DATA, 5, 16, "tolerance wants a number of bytes", "hex-float-ish tolerance");
  fails(R RUN "    limit: -2G\n", DIAG_DATA, 5, 12, "limit wants a number of bytes not below 0", "negative limit");
  fails(R RUN "    max_bytes: 1X\n", DIAG_DATA, 5, 16, "max_bytes wants a number of bytes", "max_bytes: 1X names the key");
  fails(R RUN "    utc: yes\n", DIAG_DATA, 5, 10, "not true or false", "utc: yes");
  fails(R RUN "    pid: -1\n", DIAG_DATA, 5, 10, "pid is not a whole number", "negative pid");
  fails(R "baseline: b\n" RUN, DIAG_DATA, 2, 11, "baseline 'b' is not a run (expected one of: 'a')", "baseline names no run");
  fails(R RUN "  - name: a\n    counters: b.csv\n", DIAG_DATA, 5, 11, "two runs are named 'a'", "duplicate run names");
  fails(R RUN "    registry: a.reg\n    registry_values: {X: 1}\n", DIAG_DATA, 6, 22, "both registry and registry_values", "registry and registry_values");
  fails(R RUN "    registry_values: {X: [1]}\n", DIAG_DATA, 5, 26, "not a single value", "registry value that is a list");
  fails(R RUN "    registry_values: [X]\n", DIAG_DATA, 5, 22, "not a mapping", "registry_values as a list");
  fails(R "runs:\n  - name: a\n", DIAG_DATA, 3, 5, "no 'counters'", "run without counters");
  fails(R "runs: []\n", DIAG_DATA, 2, 7, "runs is empty", "empty runs");
  fails(R "process: x\n", DIAG_DATA, 1, 1, "no 'runs'", "no runs");
  fails(RUN, DIAG_DATA, 1, 1, "no 'rules'", "no rules");
  fails(R RUN "    counters: b.csv\n", DIAG_DATA, 5, 5, "given twice", "repeated key");
  fails(R RUN "    module_version: 6.5.7x33.46\n", DIAG_DATA, 5, 26, "not a file version", "module_version points at the bad character");
  fails(R RUN "    counters: []\n", DIAG_DATA, 5, 5, "given twice", "repeated key before its value is checked");
  fails("rules: kb000000\n" RUN, DIAG_NOINPUT, 1, 8, "rules 'kb000000' not found", "rules name not in the data dir");
  fails("rules: nowhere/kb.yaml\n" RUN, DIAG_NOINPUT, 1, 8, "no such file", "rules path that does not exist");
  fails(R "runs:\n  - name: a\n    counters: [a.csv, 5, [x]]\n", DIAG_DATA, 4, 26, "not a text value", "a list inside counters");
  fails("runs: [\n", DIAG_DATA, 2, 1, "YAML", "YAML syntax error");
  fails("rules: []\n" RUN, DIAG_DATA, 1, 8, "rules is empty", "an empty list of rules");
  fails("rules: [kb901014, kb901014]\n" RUN, DIAG_DATA, 1, 19, "named twice", "the same rules twice");
  fails("rules: [kb891509, kb000000]\n" RUN, DIAG_NOINPUT, 1, 19, "rules 'kb000000' not found", "a list's missing rules, at its item");
  fails("rules: [kb891509, {a: 1}]\n" RUN, DIAG_DATA, 1, 19, "not a text value", "a list item that is a mapping");
  fails("rules: [a, b, c, d, e, f, g, h, i]\n" RUN, DIAG_DATA, 1, 8, "9 rules (expected at most 8)", "too many rules");
  fails(R RUN "---\nruns: []\n", DIAG_DATA, 6, 1, "a second YAML document", "a second document is an error, not ignored");
  struct diag d;
  diag_init(&d);
  ok(!manifest_load("/nonexistent/m.yaml", &d) && d.kind == DIAG_NOINPUT, "a missing manifest is DIAG_NOINPUT");
  diag_fini(&d);
}

int main(void) {
  if (!mkdtemp(tmpdir))
    return 99;
  full_example();
  defaults_and_paths();
  several_rules();
  errors();
  char *cmd = xasprintf("rm -rf '%s'", tmpdir);
  if (system(cmd) != 0)
    printf("# could not remove %s\n", tmpdir);
  free(cmd);
  return tap_done();
}
