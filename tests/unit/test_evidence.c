/* evidence: manifests in tests/data/compare with real .reg exports, judged
 * with given measurements; the compare JSON fragments they produce. */
#include "config.h"
#include "evidence/evidence.h"
#include "tap.h"
#include "util/tree.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
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

/* A run fitted on two kinds: load:mapi32.dll and logon, each a figure
 * (or, tied, one joint figure for both). */
static void two_kinds(struct analysis *a, double load, double logon, bool tied) {
  analysis_init(a);
  a->per_cycle = a->per_kinds = true;
  a->tolerance = 1024;
  a->nkinds = 2;
  a->kinds = xcalloc(2, sizeof *a->kinds);
  const char *names[2] = {"load:mapi32.dll", "logon"};
  double leak[2] = {load, logon};
  for (size_t k = 0; k < 2; k++) {
    struct analysis_kind *x = &a->kinds[k];
    *x = (struct analysis_kind){xstrdup(names[k]), 600, leak[k], leak[k] - 150, leak[k] + 150,
                                leak[k] > 1024 ? VERDICT_LEAK : VERDICT_NO_LEAK, NULL, k,
                                NAN, NAN, NAN, NAN};
    if (tied) { /* every logon with a load: only the sum is known */
      x->leak = x->leak_lo = x->leak_hi = NAN;
      x->verdict = VERDICT_INCONCLUSIVE;
      x->reason = "not-separable";
      x->together_with = 0;
      x->together = load + logon, x->together_lo = load + logon - 200;
      x->together_hi = load + logon + 200;
      x->unpaired_needed = 40;
    }
  }
  a->leak = a->kinds[0].leak, a->leak_lo = a->kinds[0].leak_lo, a->leak_hi = a->kinds[0].leak_hi;
  a->verdict = a->kinds[0].verdict;
  a->cycles = 600;
}

static const char *judged_str(const struct tree *run, size_t k, const char *key) {
  return tree_get_str(tree_get(tree_at(tree_get(run, "judgements"), k), key));
}

/* Two rules, each judged on its own kind: which fix removed which leak;
 * then the same runs with the first hotfix's run tied (collinear): that
 * run is reported as such under both rules, never judged as two numbers. */
static void two_rules(bool tied) {
  struct manifest *m;
  struct evidence_set e;
  struct warnings w;
  warnings_init(&w);
  if (load("two-rules-four-runs.yaml", &m, &e, &w) < 0) {
    manifest_free(m);
    warnings_fini(&w);
    return;
  }
  const char *tag = tied ? "tied" : "two rules";
  ok(e.nrules == 2 && e.per_kinds && e.nkinds == 2, "%s: two rules, two kinds fitted", tag);
  is_str(e.rules->id, "KB901014", "%s: the primary rule is the one about the loads", tag);
  ok(e.nkinds == 2 && !strcmp(e.kinds[0], "load:mapi32.dll") && !strcmp(e.kinds[1], "logon"), "%s: kinds: the primary's first, then logon", tag);
  struct analysis a[4];
  two_kinds(&a[0], 40960, 12288, false);
  two_kinds(&a[1], 40960, 0, tied);
  two_kinds(&a[2], 40960, 0, false);
  two_kinds(&a[3], 0, 0, false);
  const struct analysis *as[4] = {&a[0], &a[1], &a[2], &a[3]};
  evidence_judge_analyses(&e, as, &w);
  is_int(w.count, 0, "%s: no warnings", tag);
  struct tree *root = tree_obj();
  struct tree *runs = tree_set(root, "runs", tree_arr());
  for (size_t i = 0; i < m->nruns; i++)
    tree_push(runs, run_tree(&e, i));
  evidence_finish(&e, root);
  struct tree *r2 = tree_at(runs, 1);
  is_str(judged_str(r2, 0, "rules"), "KB891509", "%s: run 2's first judgement is KB891509's", tag);
  is_str(judged_str(r2, 0, "kind"), "logon", "%s: judged on the logons", tag);
  is_str(judged_str(r2, 0, "expected"), "no-leak", "%s: KB891509's hotfix expects no leak per logon", tag);
  is_str(judged_str(r2, 1, "expected"), "leak", "%s: but KB901014 expects the per-load leak", tag);
  const char *text = tree_get_str(tree_get(tree_get(root, "conclusion"), "text"));
  struct tree *per = tree_get(tree_get(root, "conclusion"), "rules");
  ok(per && tree_len(per) == 2, "%s: the conclusion has each rule's own", tag);
  printf("# %s\n", text);
  ok(strstr(text, "the per-load leak of 40.0 KiB remains with KB901014's hotfix alone (run 'second hotfix') until CleanUpMAPIHeap=1 (run 'both fixes')") != NULL,
     "%s: the per-load leak remains until CleanUpMAPIHeap=1", tag);
  if (!tied) {
    const char *first = "KB891509's hotfix removed the per-logon leak of 12.0 KiB (run 'first hotfix'); ";
    ok(strncmp(text, first, strlen(first)) == 0,
       "two rules: KB891509's hotfix removed the per-logon leak");
    is_str(judged_str(r2, 0, "verdict"), "no-leak", "two rules: run 2 measures no leak per logon");
    ok(tree_get_bool(tree_get(tree_at(tree_get(r2, "judgements"), 0), "consistent")), "two rules: consistent with KB891509");
  } else {
    is_str(judged_str(r2, 0, "reason"), "not-separable", "tied: run 2's logons are not separable");
    is_str(judged_str(r2, 0, "together_with"), "load:mapi32.dll", "tied: ... from its loads");
    is_str(judged_str(r2, 0, "verdict"), "inconclusive", "tied: so no verdict per logon");
    ok(tree_kind(tree_get(tree_at(tree_get(r2, "judgements"), 0), "bytes_per_cycle")) == TREE_NULL, "tied: and no figure per logon");
    ok(tree_kind(tree_get(tree_at(tree_get(r2, "judgements"), 0), "consistent")) == TREE_NULL, "tied: consistent null, not judged");
    is_str(judged_str(r2, 1, "together_with"), "logon", "tied: the loads are not separable from the logons either");
    ok(strstr(text, "Run 'first hotfix' cannot be judged per logon cycle: its logon and load:mapi32.dll cycles move in step, so only their sum (40.0 KiB (95%: 39.8") != NULL,
       "tied: the conclusion says run 2 cannot be judged per logon");
    ok(strstr(text, "~40 logon cycles without a load:mapi32.dll cycle") != NULL, "tied: and how many unpaired cycles would tell them apart");
    ok(strstr(text, "KB891509's hotfix removed the per-logon leak of 12.0 KiB (run 'second hotfix')") != NULL,
       "tied: the next clean run still shows KB891509's fix");
  }
  tree_free(root);
  for (size_t i = 0; i < 4; i++)
    analysis_fini(&a[i]);
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
  two_rules(false);
  two_rules(true);
  bad_reg();
  return tap_done();
}
