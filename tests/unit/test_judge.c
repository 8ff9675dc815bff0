/* judge truth tables: the three KB 901014 runs give the predicted
 * conclusions; a fix in place that still leaks is called a contradiction;
 * each assessment, the MOVER interval, and the next-step texts. */
#include "config.h"
#include "evidence/judge.h"
#include "tap.h"
#include "util/tree.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>

static struct judge_measure meas(enum verdict v, double b, double lo, double hi) {
  struct judge_measure m = {.verdict = v, .bytes_per_cycle = b, .ci_lo = lo, .ci_hi = hi,
                            .growth_per_hour = NAN, .growth_lo = NAN, .growth_hi = NAN,
                            .cycles = 1200, .cycles_needed = NAN};
  return m;
}
#define LEAK40K meas(VERDICT_LEAK, 40960, 40800, 41100)
#define LEAK30K meas(VERDICT_LEAK, 30000, 29800, 30200)
#define NOLEAK meas(VERDICT_NO_LEAK, 2, -20, 25)

static struct judge_run run(const char *name, enum tri hotfix, enum tri settings,
                            enum expect e, struct judge_measure m) {
  struct judge_run r = {name, m, hotfix, settings, e};
  return r;
}
#define NOHOT(m) run("no hotfix", TRI_FALSE, TRI_FALSE, EXPECT_LEAK, m)
#define HOTONLY(m) run("hotfix only", TRI_TRUE, TRI_FALSE, EXPECT_LEAK, m)
#define FULL(m) run("hotfix + CleanUpMAPIHeap=1", TRI_TRUE, TRI_TRUE, EXPECT_NO_LEAK, m)

static struct judge_input input(const struct judge_run *runs, size_t n) {
  struct judge_input in = {runs, n, 0, "KB901014", "mapi32.dll", "6.5.7233.46",
                           "CleanUpMAPIHeap=1", NULL};
  return in;
}

static bool has(const char *text, const char *needle) {
  return text && strstr(text, needle) != NULL;
}

#define TEXT_HAS(r, needle, what)                                              \
  do {                                                                         \
    if (!ok(has((r).text, needle), "%s: text says \"%s\"", what, needle))     \
      printf("# text: %s\n", (r).text);                                       \
  } while (0)

static void predicted(void) {
  struct judge_run runs[] = {NOHOT(LEAK40K), HOTONLY(LEAK30K), FULL(NOLEAK)};
  struct judge_input in = input(runs, 3);
  struct judge_result r;
  judge_compute(&in, &r);
  ok(r.consistent[0] == TRI_TRUE && r.consistent[1] == TRI_TRUE && r.consistent[2] == TRI_TRUE, "three runs as predicted: all consistent");
  is_int(r.ncomparisons, 2, "two comparisons against the baseline");
  is_str(assessment_name(r.comparisons[0].assessment), "partially-effective", "hotfix only: significantly less, still leaking");
  is_str(assessment_name(r.comparisons[1].assessment), "effective", "full fix: effective");
  is_near(r.comparisons[0].reduction, 10960, 1e-9, "reduction is baseline minus run");
  is_near(r.comparisons[0].lo, 10960 - hypot(160, 200), 1e-9, "MOVER lower limit: sqrt(160^2 + 200^2) below");
  is_near(r.comparisons[0].hi, 10960 + hypot(140, 200), 1e-9, "MOVER upper limit: sqrt(140^2 + 200^2) above");
  is_int(r.hotfix_effective, TRI_TRUE, "hotfix_effective true");
  is_int(r.registry_setting_effective, TRI_TRUE, "registry_setting_effective true");
  ok(!r.fixed_run_leaks, "no fixed run leaks");
  TEXT_HAS(r, "The fix works: with mapi32.dll 6.5.7233.46 or later and CleanUpMAPIHeap=1", "predicted");
  TEXT_HAS(r, "CleanUpMAPIHeap=1 is what makes the difference", "predicted");
  ok(!has(r.text, "contradict"), "predicted: no contradiction in the text");
  judge_result_fini(&r);
}

static void contradiction(void) {
  struct judge_run runs[] = {NOHOT(LEAK40K), HOTONLY(LEAK30K),
                             FULL(meas(VERDICT_LEAK, 40900, 40700, 41100))};
  struct judge_input in = input(runs, 3);
  struct judge_result r;
  judge_compute(&in, &r);
  is_int(r.consistent[2], TRI_FALSE, "fix in place, leak continues: inconsistent");
  is_int(r.hotfix_effective, TRI_FALSE, "hotfix_effective false");
  is_int(r.registry_setting_effective, TRI_FALSE, "registry_setting_effective false (the full-fix run leaks more)");
  ok(r.fixed_run_leaks, "fixed_run_leaks set (compare --fail-on-leak exits 1)");
  is_str(assessment_name(r.comparisons[1].assessment), "ineffective", "full fix against baseline: no significant difference");
  TEXT_HAS(r, "Run 'hotfix + CleanUpMAPIHeap=1' has what KB901014 says stops the leak", "contradiction");
  TEXT_HAS(r, "yet still leaks 39.9 KiB", "contradiction");
  TEXT_HAS(r, "the measurements contradict the rules", "contradiction");
  TEXT_HAS(r, "CleanUpMAPIHeap=1 does not reduce the leak: run 'hotfix + CleanUpMAPIHeap=1' with it leaks 10.6 KiB", "contradiction");
  struct tree *c = judge_conclusion_tree(&in, &r);
  ok(tree_kind(tree_get(c, "hotfix_effective")) == TREE_BOOL && !tree_get_bool(tree_get(c, "hotfix_effective")), "conclusion tree: hotfix_effective false");
  is_str(tree_get_str(tree_at(tree_get(c, "contradictions"), 0)), "hotfix + CleanUpMAPIHeap=1", "conclusion tree: contradictions names the run");
  tree_free(c);
  judge_result_fini(&r);
}

static void hotfix_alone(void) {
  struct judge_run runs[] = {NOHOT(LEAK40K), HOTONLY(LEAK30K)};
  struct judge_input in = input(runs, 2);
  struct judge_result r;
  judge_compute(&in, &r);
  is_int(r.hotfix_effective, TRI_UNKNOWN, "no full-fix run: hotfix_effective null");
  is_int(r.registry_setting_effective, TRI_UNKNOWN, "no pair: registry_setting_effective null");
  TEXT_HAS(r, "The hotfix alone does not stop the leak (run 'hotfix only'); set CleanUpMAPIHeap=1", "hotfix alone");
  judge_result_fini(&r);
}

static void setting_no_difference(void) {
  struct judge_run runs[] = {NOHOT(LEAK40K),
                             HOTONLY(meas(VERDICT_NO_LEAK, 5, -20, 30)),
                             FULL(NOLEAK)};
  struct judge_input in = input(runs, 3);
  struct judge_result r;
  judge_compute(&in, &r);
  is_int(r.hotfix_effective, TRI_TRUE, "hotfix-only also clean: hotfix_effective true");
  is_int(r.registry_setting_effective, TRI_FALSE, "hotfix-only and full fix do not differ: registry false");
  is_int(r.consistent[1], TRI_FALSE, "hotfix-only expected to leak but does not: inconsistent");
  ok(!r.fixed_run_leaks, "a run expected to leak that does not is no fixed-run leak");
  TEXT_HAS(r, "makes no significant difference", "no difference");
  TEXT_HAS(r, "Run 'hotfix only' was expected to leak by KB901014 but measures no leak", "no difference");
  judge_result_fini(&r);
}

static void growth_remains(void) {
  struct judge_measure m = NOLEAK;
  m.growth_per_hour = 1.2 * 1048576;
  m.growth_lo = 1.0 * 1048576;
  m.growth_hi = 1.4 * 1048576;
  struct judge_run runs[] = {NOHOT(LEAK40K), FULL(m)};
  struct judge_input in = input(runs, 2);
  struct judge_result r;
  judge_compute(&in, &r);
  TEXT_HAS(r, "but 1.20 MiB/h of time-driven growth remains: look elsewhere", "growth");
  judge_result_fini(&r);
}

static void inconclusive(void) {
  struct judge_measure m = meas(VERDICT_INCONCLUSIVE, 50, -10, 150);
  m.cycles = 1000;
  m.cycles_needed = 5000;
  struct judge_run runs[] = {NOHOT(LEAK40K), FULL(m)};
  struct judge_input in = input(runs, 2);
  struct judge_result r;
  judge_compute(&in, &r);
  is_int(r.consistent[1], TRI_UNKNOWN, "inconclusive run: consistent null");
  is_int(r.hotfix_effective, TRI_UNKNOWN, "inconclusive full-fix run: hotfix_effective null");
  is_str(assessment_name(r.comparisons[0].assessment), "partially-effective", "inconclusive run far below the baseline: partially-effective");
  TEXT_HAS(r, "Run 'hotfix + CleanUpMAPIHeap=1' is inconclusive: run ~4,000 more cycles", "inconclusive");
  judge_result_fini(&r);
  runs[1].m.cycles_needed = 13346;
  judge_compute(&in, &r);
  TEXT_HAS(r, "run ~13,000 more cycles", "12,346 more rounds up to two digits");
  judge_result_fini(&r);
}

static void unknown_evidence(void) {
  struct judge_run runs[] = {NOHOT(LEAK40K),
                             run("mystery", TRI_UNKNOWN, TRI_TRUE, EXPECT_UNKNOWN, NOLEAK)};
  struct judge_input in = input(runs, 2);
  struct judge_result r;
  judge_compute(&in, &r);
  is_int(r.consistent[1], TRI_UNKNOWN, "expected unknown: consistent null");
  is_int(r.hotfix_effective, TRI_UNKNOWN, "evidence missing: hotfix_effective null");
  TEXT_HAS(r, "The rules cannot predict run 'mystery': its module version is unknown", "unknown evidence");
  TEXT_HAS(r, "No run is known to have the full fix", "unknown evidence");
  judge_result_fini(&r);
}

static void assessments(void) {
  struct judge_run runs[] = {
      NOHOT(LEAK40K),
      NOHOT(meas(VERDICT_LEAK, 40900, 40700, 41100)),
      NOHOT(meas(VERDICT_LEAK, 50000, 49900, 50100)),
      NOHOT(meas(VERDICT_NONE, NAN, NAN, NAN)),
  };
  runs[1].name = "same";
  runs[2].name = "more";
  runs[3].name = "no trace";
  struct judge_input in = input(runs, 4);
  struct judge_result r;
  judge_compute(&in, &r);
  is_str(assessment_name(r.comparisons[0].assessment), "ineffective", "60 B/cycle less within the intervals: ineffective");
  is_str(assessment_name(r.comparisons[1].assessment), "worse", "9 KiB/cycle more: worse");
  is_str(assessment_name(r.comparisons[2].assessment), "unknown", "no per-cycle figure: unknown");
  TEXT_HAS(r, "No run has the full fix: install mapi32.dll 6.5.7233.46 or later, set CleanUpMAPIHeap=1", "no fix anywhere");
  judge_result_fini(&r);

  struct judge_run clean[] = {NOHOT(NOLEAK), FULL(NOLEAK)};
  in = input(clean, 2);
  judge_compute(&in, &r);
  is_str(assessment_name(r.comparisons[0].assessment), "no-baseline-leak", "baseline does not leak: no-baseline-leak");
  is_int(r.consistent[0], TRI_FALSE, "an unfixed run that does not leak contradicts the rules");
  TEXT_HAS(r, "no run without the hotfix shows the leak", "clean baseline");
  judge_result_fini(&r);
}

static void baseline_choice_and_tree(void) {
  struct judge_run runs[] = {FULL(NOLEAK), HOTONLY(LEAK30K), NOHOT(LEAK40K)};
  struct judge_input in = input(runs, 3);
  in.baseline = 2;
  struct judge_result r;
  judge_compute(&in, &r);
  ok(r.ncomparisons == 2 && r.comparisons[0].run == 0 && r.comparisons[1].run == 1 && r.comparisons[0].baseline == 2, "baseline: 'no hotfix' (third run); others compared in order");
  is_int(r.hotfix_effective, TRI_TRUE, "run order does not matter: hotfix_effective true");
  struct tree *list = judge_comparisons_tree(&in, &r);
  struct tree *c0 = tree_at(list, 0);
  is_str(tree_get_str(tree_get(c0, "baseline")), "no hotfix", "comparisons[0].baseline");
  is_str(tree_get_str(tree_get(c0, "run")), "hotfix + CleanUpMAPIHeap=1", "comparisons[0].run");
  is_near(tree_get_num(tree_get(c0, "reduction")), 40958, 1e-9, "comparisons[0].reduction");
  is_int(tree_len(tree_get(c0, "ci95")), 2, "comparisons[0].ci95 has two ends");
  is_str(tree_get_str(tree_get(c0, "assessment")), "effective", "comparisons[0].assessment");
  tree_free(list);
  struct tree *o = tree_obj();
  judge_set_run_fields(o, &in, &r, 1);
  is_str(tree_get_str(tree_get(o, "expected")), "leak", "run fields: expected");
  ok(tree_kind(tree_get(o, "consistent")) == TREE_BOOL && tree_get_bool(tree_get(o, "consistent")), "run fields: consistent true");
  tree_free(o);
  struct tree *c = judge_conclusion_tree(&in, &r);
  is_str(tree_key_at(c, 0), "hotfix_effective", "conclusion keys in order: hotfix_effective");
  is_str(tree_key_at(c, 1), "registry_setting_effective", "then registry_setting_effective");
  is_str(tree_key_at(c, 2), "text", "then text");
  tree_free(c);
  judge_result_fini(&r);
}

static void no_settings(void) {
  struct judge_run runs[] = {run("old", TRI_FALSE, TRI_TRUE, EXPECT_LEAK, LEAK40K),
                             run("new", TRI_TRUE, TRI_TRUE, EXPECT_NO_LEAK, NOLEAK)};
  struct judge_input in = input(runs, 2);
  in.settings_text = NULL;
  struct judge_result r;
  judge_compute(&in, &r);
  is_int(r.hotfix_effective, TRI_TRUE, "a KB without settings: hotfix_effective true");
  is_int(r.registry_setting_effective, TRI_UNKNOWN, "a KB without settings: registry_setting_effective null");
  TEXT_HAS(r, "with mapi32.dll 6.5.7233.46 or later, run 'new'", "no settings");
  judge_result_fini(&r);
}

static void inconclusive_pair_is_null(void) {
  struct judge_run runs[] = {NOHOT(LEAK40K),
                             HOTONLY(meas(VERDICT_INCONCLUSIVE, 60, -50, 170)),
                             FULL(meas(VERDICT_INCONCLUSIVE, 40, -60, 150))};
  struct judge_input in = input(runs, 3);
  struct judge_result r;
  judge_compute(&in, &r);
  is_int(r.registry_setting_effective, TRI_UNKNOWN, "two inconclusive runs that do not differ: registry null, not false");
  judge_result_fini(&r);
}

/* Per kind: a logon rule judged on its logons; a run whose logons move in
 * step with its loads is not judged on a number; the summary over two
 * rules says which fix removed which leak, or that it cannot be told. */
static void per_kind(void) {
  struct judge_measure tied = meas(VERDICT_INCONCLUSIVE, NAN, NAN, NAN);
  tied.not_separable = true;
  tied.together_with = "load:mapi32.dll";
  tied.together = 53248, tied.together_lo = 53000, tied.together_hi = 53500;
  tied.unpaired_needed = 60;
  struct judge_run logon[3] = {run("no fix", TRI_FALSE, TRI_TRUE, EXPECT_LEAK, meas(VERDICT_LEAK, 12288, 12100, 12400)),
                               run("tied", TRI_TRUE, TRI_TRUE, EXPECT_NO_LEAK, tied),
                               run("fixed", TRI_TRUE, TRI_TRUE, EXPECT_NO_LEAK, NOLEAK)};
  struct judge_input in[2] = {{logon, 3, 0, "KB891509", "mapi32.dll", "6.5.7232.0", "", "logon"},
                              {logon, 2, 0, "KB891509", "mapi32.dll", "6.5.7232.0", "", "logon"}};
  struct judge_result r[2];
  judge_compute(&in[0], &r[0]);
  judge_compute(&in[1], &r[1]);
  ok(r[0].consistent[1] == TRI_UNKNOWN, "per kind: a tied run is neither consistent nor not");
  ok(r[0].comparisons[0].assessment == ASSESS_UNKNOWN, "per kind: nor compared as a number");
  is_int(r[0].hotfix_effective, TRI_TRUE, "per kind: the clean run shows the fix");
  ok(has(r[0].text, "does not leak per logon cycle, while run 'no fix'"), "per kind: the text says per logon cycle");
  ok(has(r[0].notes, "Run 'tied' cannot be judged per logon cycle: its logon and load:mapi32.dll cycles move in step"), "per kind: the notes say the tied run cannot be judged");
  ok(!has(r[0].notes, "inconclusive"), "per kind: a tied run is not called inconclusive (more cycles would not help)");
  is_int(r[1].hotfix_effective, TRI_UNKNOWN, "per kind: with only the tied run, the fix cannot be told");
  struct judge_run load[2] = {NOHOT(LEAK40K), FULL(LEAK40K)};
  struct judge_input both[2] = {in[1], {load, 2, 0, "KB901014", "mapi32.dll", "6.5.7233.46", "CleanUpMAPIHeap=1", "load:mapi32.dll"}};
  struct judge_result rb[2];
  rb[0] = r[1];
  judge_compute(&both[1], &rb[1]);
  char *sum = judge_summary(both, rb, 2);
  printf("# %s\n", sum);
  ok(has(sum, "Whether KB891509's fix removes the per-logon leak cannot be told: in run 'tied' that kind moves in step with load:mapi32.dll; "),
     "summary: a rule whose only fixed run is tied cannot be told");
  ok(has(sum, "KB901014's fix does not remove the per-load leak: run 'hotfix + CleanUpMAPIHeap=1' with it still leaks 40.0 KiB per cycle."),
     "summary: a full fix that still leaks is named");
  free(sum);
  judge_result_fini(&r[0]);
  judge_result_fini(&r[1]);
  judge_result_fini(&rb[1]);
}

int main(void) {
  per_kind();
  predicted();
  contradiction();
  hotfix_alone();
  setting_no_difference();
  growth_remains();
  inconclusive();
  unknown_evidence();
  assessments();
  baseline_choice_and_tree();
  no_settings();
  inconclusive_pair_is_null();
  return tap_done();
}
