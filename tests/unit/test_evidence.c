/* evidence: manifests in tests/data/compare with real .reg exports, judged
 * with given measurements; the compare JSON fragments they produce. */
#include "config.h"
#include "evidence/evidence.h"
#include "tap.h"
#include "util/tree.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static struct judge_measure meas(enum verdict v, double b, double lo, double hi) {
  struct judge_measure m = {.verdict = v, .bytes_per_cycle = b, .ci_lo = lo, .ci_hi = hi,
                            .growth_per_hour = NAN, .growth_lo = NAN, .growth_hi = NAN,
                            .cycles = 1200, .cycles_needed = NAN};
  return m;
}

static int load(const char *name, struct manifest **m, struct evidence_set *e,
                struct warnings *w) {
  const char *top = getenv("abs_top_srcdir");
  char *path = xasprintf("%s/tests/data/compare/%s", top ? top : ".", name);
  struct diag d;
  diag_init(&d);
  *m = manifest_load(path, &d);
  int rc = *m ? evidence_load(e, *m, w, &d) : -1;
  ok(rc == 0, "%s: manifest, rules and .reg files load", name);
  if (rc)
    printf("# %s\n", d.message);
  diag_fini(&d);
  free(path);
  return rc;
}

static struct tree *run_tree(const struct evidence_set *e, size_t i) {
  struct tree *o = tree_obj();
  evidence_attach(e, i, o);
  return o;
}

static void three_runs(void) {
  struct manifest *m;
  struct evidence_set e;
  struct warnings w;
  warnings_init(&w);
  if (load("kb901014-three-runs.yaml", &m, &e, &w) < 0) {
    manifest_free(m);
    warnings_fini(&w);
    return;
  }
  struct judge_measure ms[3] = {meas(VERDICT_LEAK, 40960, 40800, 41100),
                                meas(VERDICT_LEAK, 30000, 29800, 30200),
                                meas(VERDICT_NO_LEAK, 2, -20, 25)};
  const char *tv[3] = {NULL, "6.5.7233.46", "6.5.7233.46 (xpsp.050301-1521)"};
  evidence_judge(&e, ms, tv, &w);
  is_int(w.count, 0, "three runs: no warnings");
  struct tree *root = tree_obj();
  tree_set_str(root, "schema", "leakslope/compare/1");
  struct tree *runs = tree_set(root, "runs", tree_arr());
  for (size_t i = 0; i < m->nruns; i++)
    tree_push(runs, run_tree(&e, i));
  evidence_finish(&e, root);
  const char *want[3] = {"leak", "leak", "no-leak"};
  for (size_t i = 0; i < 3; i++) {
    struct tree *r = tree_at(runs, i);
    is_str(tree_get_str(tree_get(r, "expected")), want[i], "run %zu (%s): expected %s", i + 1, m->runs[i].name, want[i]);
    ok(tree_get_bool(tree_get(r, "consistent")), "run %zu: consistent", i + 1);
  }
  struct tree *ev3 = tree_get(tree_at(runs, 2), "evidence");
  is_str(tree_get_str(tree_get(ev3, "module_version")), "6, 5, 7233, 46", "evidence: module_version as written");
  is_str(tree_get_str(tree_get(ev3, "version_judged")), "6.5.7233.46", "evidence: the trace's version judged");
  ok(tree_get_bool(tree_get(ev3, "settings_ok")), "evidence: settings_ok true from the UTF-16LE export");
  struct tree *concl = tree_get(root, "conclusion");
  ok(tree_get_bool(tree_get(concl, "hotfix_effective")), "conclusion: hotfix_effective true");
  ok(tree_get_bool(tree_get(concl, "registry_setting_effective")), "conclusion: registry_setting_effective true");
  struct tree *cmp = tree_get(root, "comparisons");
  is_str(tree_get_str(tree_get(tree_at(cmp, 1), "assessment")), "effective", "comparison: full fix effective");
  FILE *f = tmpfile();
  ok(f && tree_write_json(root, f) == 0, "the fragment writes as JSON");
  if (f)
    fclose(f);
  tree_free(root);
  evidence_fini(&e);
  manifest_free(m);
  warnings_fini(&w);
}

static void quirks(void) {
  struct manifest *m;
  struct evidence_set e;
  struct warnings w;
  warnings_init(&w);
  if (load("kb901014-evidence-quirks.yaml", &m, &e, &w) < 0) {
    manifest_free(m);
    warnings_fini(&w);
    return;
  }
  struct judge_measure ms[5] = {
      meas(VERDICT_NO_LEAK, 1, -20, 20), meas(VERDICT_LEAK, 40000, 39900, 40100),
      meas(VERDICT_NO_LEAK, 0, -20, 20), meas(VERDICT_LEAK, 40960, 40800, 41100),
      meas(VERDICT_NO_LEAK, 3, -20, 20)};
  evidence_judge(&e, ms, NULL, &w);
  is_int(m->baseline, 3, "baseline: 'no hotfix' is run 4");
  const char *codes[] = {"registry-type-mismatch", "registry-other-key", "registry-wow64"};
  ok(w.count == 3, "three evidence warnings");
  for (size_t i = 0; i < 3 && i < w.count; i++)
    is_str(w.items[i].code, codes[i], "warning %zu: %s", i + 1, codes[i]);
  for (size_t i = 0; i < w.count; i++)
    printf("# %s: %s\n", w.items[i].code, w.items[i].message);
  const enum expect want[5] = {EXPECT_UNKNOWN, EXPECT_NO_LEAK, EXPECT_NO_LEAK, EXPECT_LEAK, EXPECT_UNKNOWN};
  for (size_t i = 0; i < 5; i++)
    is_str(expect_name(e.rule[0].jruns[i].expected), expect_name(want[i]), "%s: expected %s", m->runs[i].name, expect_name(want[i]));
  is_int(e.rule[0].result.consistent[0], TRI_UNKNOWN, "string value: consistent null");
  is_int(e.rule[0].result.consistent[1], TRI_FALSE, "other key, full fix, still leaks: inconsistent");
  ok(e.rule[0].result.fixed_run_leaks, "a run expected fixed leaks");
  is_int(e.rule[0].result.hotfix_effective, TRI_FALSE, "hotfix_effective false");
  ok(strstr(e.rule[0].result.text, "Run 'other key' has what KB901014 says stops the leak") != NULL, "text names the contradiction");
  struct tree *r = run_tree(&e, 0);
  struct tree *s = tree_at(tree_get(tree_get(r, "evidence"), "settings"), 0);
  is_str(tree_get_str(tree_get(s, "type")), "sz", "string value: evidence type sz");
  ok(tree_kind(tree_get(s, "ok")) == TREE_NULL, "string value: ok null");
  tree_free(r);
  evidence_fini(&e);
  manifest_free(m);
  warnings_fini(&w);
}

static void another_kb(void) {
  struct manifest *m;
  struct evidence_set e;
  struct warnings w;
  warnings_init(&w);
  if (load("foo-two-settings.yaml", &m, &e, &w) < 0) {
    manifest_free(m);
    warnings_fini(&w);
    return;
  }
  struct judge_measure ms[3] = {meas(VERDICT_LEAK, 8192, 8100, 8300),
                                meas(VERDICT_LEAK, 4096, 4000, 4200),
                                meas(VERDICT_NO_LEAK, 1, -10, 12)};
  evidence_judge(&e, ms, NULL, &w);
  is_int(w.count, 0, "another KB: no warnings");
  const enum expect want[3] = {EXPECT_LEAK, EXPECT_LEAK, EXPECT_NO_LEAK};
  for (size_t i = 0; i < 3; i++)
    is_str(expect_name(e.rule[0].jruns[i].expected), expect_name(want[i]), "another KB, %s: expected %s", m->runs[i].name, expect_name(want[i]));
  is_int(e.rule[0].result.hotfix_effective, TRI_TRUE, "another KB: hotfix_effective true");
  is_int(e.rule[0].result.registry_setting_effective, TRI_TRUE, "another KB: registry_setting_effective true");
  ok(strstr(e.rule[0].result.text, "with foo.dll 2.1.300.0 or later and EnableFooCleanup=16 and FooMode=\"safe\"") != NULL, "another KB: the text names its module and both settings");
  printf("# %s\n", e.rule[0].result.text);
  evidence_fini(&e);
  manifest_free(m);
  warnings_fini(&w);
}

static void bad_reg(void) {
  char dir[] = "/tmp/leakslope-evidence.XXXXXX";
  if (!mkdtemp(dir))
    return;
  char *reg = xasprintf("%s/bad.reg", dir), *man = xasprintf("%s/m.yaml", dir);
  FILE *f = fopen(reg, "w");
  fputs("REGEDIT4\n\n[HKLM\\X]\n\"a\"=dword:zz\n", f);
  fclose(f);
  f = fopen(man, "w");
  fputs("rules: kb901014\nruns:\n  - counters: a.csv\n    registry: bad.reg\n", f);
  fclose(f);
  struct diag d;
  diag_init(&d);
  struct manifest *m = manifest_load(man, &d);
  struct evidence_set e;
  int rc = m ? evidence_load(&e, m, NULL, &d) : 0;
  ok(m && rc < 0 && d.kind == DIAG_DATA && d.line == 4 && d.col == 11 && d.file && !strcmp(d.file, reg), "a bad .reg named by the manifest: error at bad.reg:4:11 (%s)", d.message ? d.message : "");
  if (m)
    evidence_fini(&e);
  manifest_free(m);
  diag_fini(&d);
  remove(reg);
  remove(man);
  rmdir(dir);
  free(reg);
  free(man);
}

int main(void) {
  three_runs();
  quirks();
  another_kb();
  bad_reg();
  return tap_done();
}
