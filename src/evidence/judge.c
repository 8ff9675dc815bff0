/* judge — runs against the rules and against each other (see judge.h). */
#include "config.h"
#include "evidence/judge.h"
#include "fit/fit.h"
#include "util/bytefmt.h"
#include "util/tree.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void judge_measure_from_analysis(struct judge_measure *m,
                                 const struct analysis *a) {
  m->verdict = a->per_cycle ? a->verdict : VERDICT_NONE;
  m->bytes_per_cycle = a->per_cycle ? a->leak : NAN;
  m->ci_lo = a->per_cycle ? a->leak_lo : NAN;
  m->ci_hi = a->per_cycle ? a->leak_hi : NAN;
  m->growth_per_hour = a->growth;
  m->growth_lo = a->growth_lo;
  m->growth_hi = a->growth_hi;
  m->cycles = (double)a->cycles;
  m->cycles_needed = a->cycles_needed;
  m->not_separable = false;
  m->together_with = NULL;
  m->together = m->together_lo = m->together_hi = m->unpaired_needed = NAN;
}

void judge_measure_from_kind(struct judge_measure *m, const struct analysis *a,
                             const char *kind) {
  judge_measure_from_analysis(m, a);
  if (!kind || !a->per_kinds)
    return;
  const struct analysis_kind *k = NULL;
  for (size_t i = 0; i < a->nkinds && !k; i++)
    if (strcasecmp(a->kinds[i].kind, kind) == 0)
      k = &a->kinds[i];
  if (!k) {
    m->verdict = VERDICT_NONE;
    m->bytes_per_cycle = m->ci_lo = m->ci_hi = m->cycles_needed = NAN;
    return;
  }
  m->verdict = k->verdict;
  m->bytes_per_cycle = k->leak, m->ci_lo = k->leak_lo, m->ci_hi = k->leak_hi;
  /* growth per hour beside the kinds (NaN when time ran in step with one):
   * the run's own figure counts the other kinds' leaks in it */
  m->growth_per_hour = a->kinds_growth;
  m->growth_lo = a->kinds_growth_lo, m->growth_hi = a->kinds_growth_hi;
  m->cycles = (double)k->cycles;
  m->cycles_needed = k->verdict == VERDICT_INCONCLUSIVE && !isnan(k->leak)
                         ? fit_cycles_needed(k->leak, k->leak_lo, k->leak_hi, a->tolerance,
                                             (double)k->cycles)
                         : NAN;
  if (!isnan(k->together)) {
    m->not_separable = true;
    m->verdict = VERDICT_INCONCLUSIVE;
    m->together_with = a->kinds[k->together_with].kind;
    if (k->together_with == (size_t)(k - a->kinds)) /* the set's first: name another */
      for (size_t i = 0; i < a->nkinds; i++)
        if (&a->kinds[i] != k && a->kinds[i].together_with == k->together_with)
          m->together_with = a->kinds[i].kind;
    m->together = k->together, m->together_lo = k->together_lo;
    m->together_hi = k->together_hi;
    m->unpaired_needed = k->unpaired_needed;
  }
}

const char *assessment_name(enum assessment a) {
  static const char *const names[] = {"effective", "partially-effective",
                                      "ineffective", "worse",
                                      "no-baseline-leak", "unknown"};
  return names[a];
}

void judge_difference(const struct judge_measure *a,
                      const struct judge_measure *b, double *d, double *lo,
                      double *hi) {
  *d = a->bytes_per_cycle - b->bytes_per_cycle;
  *lo = *d - hypot(a->bytes_per_cycle - a->ci_lo, b->ci_hi - b->bytes_per_cycle);
  *hi = *d + hypot(a->ci_hi - a->bytes_per_cycle, b->bytes_per_cycle - b->ci_lo);
}

static bool has_figure(const struct judge_measure *m) {
  return m->verdict != VERDICT_NONE && isfinite(m->bytes_per_cycle) &&
         isfinite(m->ci_lo) && isfinite(m->ci_hi);
}

static enum tri consistency(const struct judge_run *r) {
  bool decided = r->m.verdict == VERDICT_LEAK || r->m.verdict == VERDICT_NO_LEAK;
  if (!decided || r->expected == EXPECT_UNKNOWN)
    return TRI_UNKNOWN;
  return (r->m.verdict == VERDICT_LEAK) == (r->expected == EXPECT_LEAK)
             ? TRI_TRUE : TRI_FALSE;
}

static void compare_one(const struct judge_run *base, const struct judge_run *run,
                        struct judge_comparison *c) {
  c->reduction = c->lo = c->hi = NAN;
  if (!has_figure(&base->m) || !has_figure(&run->m)) {
    c->assessment = ASSESS_UNKNOWN;
    return;
  }
  judge_difference(&base->m, &run->m, &c->reduction, &c->lo, &c->hi);
  if (base->m.verdict != VERDICT_LEAK)
    c->assessment = ASSESS_NO_BASELINE_LEAK;
  else if (run->m.verdict == VERDICT_NO_LEAK)
    c->assessment = ASSESS_EFFECTIVE;
  else if (c->lo > 0)
    c->assessment = ASSESS_PARTIAL;
  else if (c->hi < 0)
    c->assessment = ASSESS_WORSE;
  else
    c->assessment = ASSESS_INEFFECTIVE;
}

/* ---- the conclusion ------------------------------------------------ */

static bool is_full_fix(const struct judge_run *r) {
  return r->hotfix == TRI_TRUE && r->settings == TRI_TRUE;
}
static bool is_hotfix_only(const struct judge_run *r) {
  return r->hotfix == TRI_TRUE && r->settings == TRI_FALSE;
}

/* true: a full-fix run does not leak while a run without the hotfix does;
 * false: a full-fix run leaks. *fixed / *unfixed name the runs. */
static enum tri hotfix_effective(const struct judge_input *in, long *fixed,
                                 long *unfixed) {
  *fixed = *unfixed = -1;
  long clean = -1;
  for (size_t i = 0; i < in->nruns; i++) {
    const struct judge_run *r = &in->runs[i];
    if (is_full_fix(r) && r->m.verdict == VERDICT_LEAK) {
      *fixed = (long)i;
      return TRI_FALSE;
    }
    if (is_full_fix(r) && r->m.verdict == VERDICT_NO_LEAK && clean < 0)
      clean = (long)i;
    if (r->hotfix == TRI_FALSE && r->m.verdict == VERDICT_LEAK && *unfixed < 0)
      *unfixed = (long)i;
  }
  *fixed = clean;
  return clean >= 0 && *unfixed >= 0 ? TRI_TRUE : TRI_UNKNOWN;
}

/* Hotfix-only run H against full-fix run F: true when H leaks
 * significantly more; false when a pair of decided runs does not differ
 * (or F leaks more); null without such a pair. */
static enum tri setting_effective(const struct judge_input *in, long *h_out,
                                  long *f_out) {
  enum tri result = TRI_UNKNOWN;
  *h_out = *f_out = -1;
  for (size_t h = 0; h < in->nruns; h++)
    for (size_t f = 0; f < in->nruns; f++) {
      const struct judge_run *H = &in->runs[h], *F = &in->runs[f];
      if (!is_hotfix_only(H) || !is_full_fix(F) || !has_figure(&H->m) ||
          !has_figure(&F->m))
        continue;
      double d, lo, hi;
      judge_difference(&H->m, &F->m, &d, &lo, &hi);
      bool decided = H->m.verdict != VERDICT_INCONCLUSIVE &&
                     F->m.verdict != VERDICT_INCONCLUSIVE;
      if (lo > 0 || (decided && result == TRI_UNKNOWN)) {
        result = lo > 0 ? TRI_TRUE : TRI_FALSE;
        *h_out = (long)h;
        *f_out = (long)f;
      }
      if (result == TRI_TRUE)
        return result;
    }
  return result;
}

/* "40.0 KiB (95%: 39.8–40.2 KiB)" */
static char *amount(double v, double lo, double hi) {
  char a[160];
  format_bytes_ci(v, lo, hi, a, sizeof a);
  return xstrdup(a);
}

/* Round up to two significant digits and group thousands: "4,000". */
static void format_cycles(double n, char *buf, size_t cap) {
  double scale = 1;
  while (n / scale >= 100)
    scale *= 10;
  unsigned long long v = (unsigned long long)(ceil(n / scale) * scale);
  char digits[32];
  int len = snprintf(digits, sizeof digits, "%llu", v);
  size_t o = 0;
  for (int i = 0; i < len && o + 2 < cap; i++) {
    if (i && (len - i) % 3 == 0)
      buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = '\0';
}

/* What a cycle of the rules' kind is called: "load/unload cycle" for a
 * module's (as before kinds existed), else "logon cycle". */
static const char *cycle_noun(const struct judge_input *in, char *buf, size_t cap) {
  if (!in->kind || strncmp(in->kind, "load:", 5) == 0)
    return "load/unload cycle";
  snprintf(buf, cap, "%s cycle", in->kind);
  return buf;
}

/* "mapi32.dll 6.5.7233.46 or later and CleanUpMAPIHeap=1" */
static char *fix_text(const struct judge_input *in) {
  bool settings = in->settings_text && *in->settings_text;
  return xasprintf("%s %s or later%s%s", in->module, in->fixed_version,
                   settings ? " and " : "", settings ? in->settings_text : "");
}

static void say_contradictions(const struct judge_input *in,
                               const struct judge_result *r, struct strbuf *t) {
  char *fix = fix_text(in), nb[300];
  const char *noun = cycle_noun(in, nb, sizeof nb);
  for (size_t i = 0; i < in->nruns; i++) {
    const struct judge_run *run = &in->runs[i];
    if (r->consistent[i] != TRI_FALSE)
      continue;
    if (run->expected == EXPECT_NO_LEAK) {
      char *a = amount(run->m.bytes_per_cycle, run->m.ci_lo, run->m.ci_hi);
      strbuf_addf(t, "Run '%s' has what %s says stops the leak (%s) yet still "
                  "leaks %s per %s: the measurements contradict "
                  "the rules. Check that the process loaded the fixed %s (its "
                  "FileVersion in the trace), that the setting is in the key "
                  "and of the type the hotfix reads, and that the process was "
                  "restarted after the change. ",
                  run->name, in->rules_id, fix, a, noun, in->module);
      free(a);
    } else {
      strbuf_addf(t, "Run '%s' was expected to leak by %s but measures no leak "
                  "per cycle: check its evidence (module_version, registry) "
                  "and that its trace covers the %ss. ",
                  run->name, in->rules_id, noun);
    }
  }
  free(fix);
}

static void say_hotfix(const struct judge_input *in, const struct judge_result *r,
                       long fixed, long unfixed, struct strbuf *t) {
  char *fix = fix_text(in), nb[300];
  const char *noun = cycle_noun(in, nb, sizeof nb);
  if (r->hotfix_effective == TRI_TRUE) {
    const struct judge_run *F = &in->runs[fixed], *U = &in->runs[unfixed];
    char *a = amount(U->m.bytes_per_cycle, U->m.ci_lo, U->m.ci_hi);
    strbuf_addf(t, "The fix works: with %s, run '%s' does not leak per "
                "%s, while run '%s' without the hotfix leaks %s "
                "per cycle. ", fix, F->name, noun, U->name, a);
    free(a);
  } else if (r->hotfix_effective == TRI_FALSE &&
             r->consistent[fixed] != TRI_FALSE) {
    const struct judge_run *F = &in->runs[fixed];
    char *a = amount(F->m.bytes_per_cycle, F->m.ci_lo, F->m.ci_hi);
    strbuf_addf(t, "The full fix (%s) does not stop the leak: run '%s' still "
                "leaks %s per cycle. ", fix, F->name, a);
    free(a);
  } else if (r->hotfix_effective == TRI_UNKNOWN && fixed >= 0) {
    strbuf_addf(t, "Run '%s' with %s does not leak per cycle, but no run "
                "without the hotfix shows the leak to compare with. ",
                in->runs[fixed].name, fix);
  }
  free(fix);
}

static void say_setting(const struct judge_input *in,
                        const struct judge_result *r, long h, long f,
                        struct strbuf *t) {
  if (r->registry_setting_effective == TRI_UNKNOWN)
    return;
  const struct judge_run *H = &in->runs[h], *F = &in->runs[f];
  double d, lo, hi;
  judge_difference(&H->m, &F->m, &d, &lo, &hi);
  char *a = amount(d, lo, hi);
  if (r->registry_setting_effective == TRI_TRUE)
    strbuf_addf(t, "With the hotfix installed, %s is what makes the "
                "difference: run '%s' without it leaks %s per cycle more than "
                "run '%s'. ", in->settings_text, H->name, a, F->name);
  else if (hi < 0) {
    free(a);
    a = amount(-d, -hi, -lo);
    strbuf_addf(t, "With the hotfix installed, %s does not reduce the leak: "
                "run '%s' with it leaks %s per cycle more than run '%s' "
                "without it. ", in->settings_text, F->name, a, H->name);
  } else
    strbuf_addf(t, "With the hotfix installed, %s makes no significant "
                "difference: run '%s' without it and run '%s' with it differ "
                "by %s per cycle. ", in->settings_text, H->name, F->name, a);
  free(a);
}

/* Next steps when no run has the full fix. */
static void say_missing_fix(const struct judge_input *in, struct strbuf *t) {
  long hot = -1, full = -1;
  bool unsure = false;
  for (size_t i = 0; i < in->nruns; i++) {
    const struct judge_run *r = &in->runs[i];
    if (is_full_fix(r))
      full = (long)i;
    if (is_hotfix_only(r) && hot < 0)
      hot = (long)i;
    unsure |= r->hotfix == TRI_UNKNOWN ||
              (r->hotfix == TRI_TRUE && r->settings == TRI_UNKNOWN);
  }
  if (full >= 0)
    return;
  bool settings = in->settings_text && *in->settings_text;
  if (hot >= 0 && in->runs[hot].m.verdict == VERDICT_LEAK)
    strbuf_addf(t, "The hotfix alone does not stop the leak (run '%s'); set "
                "%s and measure again. ", in->runs[hot].name, in->settings_text);
  else if (hot < 0 && unsure)
    strbuf_addf(t, "No run is known to have the full fix (%s %s or later%s%s): "
                "give each run's module_version and registry evidence. ",
                in->module, in->fixed_version, settings ? " with " : "",
                settings ? in->settings_text : "");
  else if (hot < 0)
    strbuf_addf(t, "No run has the full fix: install %s %s or later%s%s and "
                "measure again. ", in->module, in->fixed_version,
                settings ? ", set " : "", settings ? in->settings_text : "");
}

static void say_growth(const struct judge_input *in, struct strbuf *t) {
  for (size_t i = 0; i < in->nruns; i++) {
    const struct judge_measure *m = &in->runs[i].m;
    if (m->verdict != VERDICT_NO_LEAK || !(m->growth_lo > 0))
      continue;
    char g[64];
    format_bytes(m->growth_per_hour, g, sizeof g);
    strbuf_addf(t, "The leak per cycle is gone in run '%s', but %s/h of "
                "time-driven growth remains: look elsewhere. ",
                in->runs[i].name, g);
    return;
  }
}

static void say_inconclusive(const struct judge_input *in, struct strbuf *t) {
  for (size_t i = 0; i < in->nruns; i++) {
    const struct judge_measure *m = &in->runs[i].m;
    if (m->verdict != VERDICT_INCONCLUSIVE || m->not_separable)
      continue;
    double more = m->cycles_needed - m->cycles;
    char n[48];
    if (isfinite(more) && more > 0) {
      format_cycles(more, n, sizeof n);
      strbuf_addf(t, "Run '%s' is inconclusive: run ~%s more cycles. ",
                  in->runs[i].name, n);
    } else {
      strbuf_addf(t, "Run '%s' is inconclusive: run more cycles. ",
                  in->runs[i].name);
    }
  }
}

/* A kind that moves in step with another in a run: only their sum is
 * known, so the rules cannot be judged there on this kind. */
static void say_not_separable(const struct judge_input *in, struct strbuf *t) {
  char nb[300];
  const char *noun = cycle_noun(in, nb, sizeof nb);
  for (size_t i = 0; i < in->nruns; i++) {
    const struct judge_measure *m = &in->runs[i].m;
    if (!m->not_separable)
      continue;
    char a[160], n[48];
    format_bytes_ci(m->together, m->together_lo, m->together_hi, a, sizeof a);
    strbuf_addf(t, "Run '%s' cannot be judged per %s: its %s and %s cycles move in "
                "step, so only their sum (%s per pair) is measured",
                in->runs[i].name, noun, in->kind ? in->kind : "load/unload",
                m->together_with ? m->together_with : "other", a);
    if (isfinite(m->unpaired_needed) && m->unpaired_needed > 0) {
      format_cycles(m->unpaired_needed, n, sizeof n);
      strbuf_addf(t, "; ~%s %ss without a %s cycle (or the reverse) would tell them "
                  "apart", n, noun, m->together_with ? m->together_with : "paired");
    }
    strbuf_adds(t, ". ");
  }
}

static void say_unknown_evidence(const struct judge_input *in,
                                 struct strbuf *t) {
  for (size_t i = 0; i < in->nruns; i++) {
    const struct judge_run *r = &in->runs[i];
    if (r->expected != EXPECT_UNKNOWN)
      continue;
    bool v = r->hotfix == TRI_UNKNOWN, s = r->settings == TRI_UNKNOWN;
    strbuf_addf(t, "The rules cannot predict run '%s': its %s%s%s %s unknown. ",
                r->name, v ? "module version" : "", v && s ? " and " : "",
                s ? "registry setting" : "", v && s ? "are" : "is");
  }
}

void judge_compute(const struct judge_input *in, struct judge_result *out) {
  memset(out, 0, sizeof *out);
  out->nruns = in->nruns;
  out->consistent = xcalloc(in->nruns ? in->nruns : 1, sizeof *out->consistent);
  for (size_t i = 0; i < in->nruns; i++) {
    out->consistent[i] = consistency(&in->runs[i]);
    if (in->runs[i].expected == EXPECT_NO_LEAK &&
        in->runs[i].m.verdict == VERDICT_LEAK)
      out->fixed_run_leaks = true;
  }
  out->comparisons = xcalloc(in->nruns ? in->nruns : 1, sizeof *out->comparisons);
  for (size_t i = 0; i < in->nruns; i++) {
    if (i == in->baseline)
      continue;
    struct judge_comparison *c = &out->comparisons[out->ncomparisons++];
    c->baseline = in->baseline;
    c->run = i;
    compare_one(&in->runs[in->baseline], &in->runs[i], c);
  }
  long fixed, unfixed, h = -1, f = -1;
  out->hotfix_effective = hotfix_effective(in, &fixed, &unfixed);
  out->registry_setting_effective =
      in->settings_text && *in->settings_text ? setting_effective(in, &h, &f)
                                              : TRI_UNKNOWN;
  out->fixed_run = fixed, out->unfixed_run = unfixed;
  out->hotfix_only_run = h, out->full_fix_run = f;
  /* the sentences: what contradicts, the fix, the setting, then what is
   * missing or unsure; notes are all but the fix's and the setting's */
  struct strbuf t, notes;
  strbuf_init(&t);
  strbuf_init(&notes);
  say_contradictions(in, out, &notes);
  strbuf_adds(&t, notes.data ? notes.data : "");
  say_hotfix(in, out, fixed, unfixed, &t);
  say_setting(in, out, h, f, &t);
  size_t from = notes.len;
  say_missing_fix(in, &notes);
  say_growth(in, &notes);
  say_inconclusive(in, &notes);
  say_not_separable(in, &notes);
  say_unknown_evidence(in, &notes);
  if (notes.len > from)
    strbuf_adds(&t, notes.data + from);
  if (!t.len)
    strbuf_adds(&t, "These runs cannot tell whether the fix works. ");
  t.data[--t.len] = '\0'; /* the last sentence's trailing space */
  if (notes.len)
    notes.data[--notes.len] = '\0';
  out->text = strbuf_detach(&t);
  out->notes = notes.len ? strbuf_detach(&notes) : (strbuf_fini(&notes), xstrdup(""));
}

/* ---- several rules: which fix removed which leak ---------------------- */

/* "per-load", "per-logon" */
static void leak_name(const struct judge_input *in, char *buf, size_t cap) {
  if (!in->kind || strncmp(in->kind, "load:", 5) == 0)
    snprintf(buf, cap, "per-load");
  else
    snprintf(buf, cap, "per-%s", in->kind);
}

/* A run that does not show this kind apart from another, if any. */
static long tied_run(const struct judge_input *in) {
  for (size_t i = 0; i < in->nruns; i++)
    if (in->runs[i].m.not_separable)
      return (long)i;
  return -1;
}

/* One rule's clause of the summary, without the final full stop. */
static void say_rule_clause(const struct judge_input *in, const struct judge_result *r,
                            struct strbuf *t) {
  char leak[300], a[64];
  leak_name(in, leak, sizeof leak);
  const char *id = in->rules_id;
  if (r->hotfix_effective == TRI_TRUE) {
    const struct judge_run *U = &in->runs[r->unfixed_run], *F = &in->runs[r->fixed_run];
    format_bytes(U->m.bytes_per_cycle, a, sizeof a);
    if (r->registry_setting_effective == TRI_TRUE)
      strbuf_addf(t, "the %s leak of %s remains with %s's hotfix alone (run '%s') until "
                  "%s (run '%s')", leak, a, id, in->runs[r->hotfix_only_run].name,
                  in->settings_text, in->runs[r->full_fix_run].name);
    else if (in->settings_text && *in->settings_text)
      strbuf_addf(t, "%s's hotfix with %s removed the %s leak of %s (run '%s')", id,
                  in->settings_text, leak, a, F->name);
    else
      strbuf_addf(t, "%s's hotfix removed the %s leak of %s (run '%s')", id, leak, a,
                  F->name);
    return;
  }
  if (r->hotfix_effective == TRI_FALSE) {
    const struct judge_run *F = &in->runs[r->fixed_run];
    format_bytes(F->m.bytes_per_cycle, a, sizeof a);
    strbuf_addf(t, "%s's fix does not remove the %s leak: run '%s' with it still leaks "
                "%s per cycle", id, leak, F->name, a);
    return;
  }
  long tied = tied_run(in);
  if (tied >= 0)
    strbuf_addf(t, "whether %s's fix removes the %s leak cannot be told: in run '%s' "
                "that kind moves in step with %s", id, leak, in->runs[tied].name,
                in->runs[tied].m.together_with ? in->runs[tied].m.together_with
                                               : "another");
  else
    strbuf_addf(t, "these runs cannot tell whether %s's fix removes the %s leak", id,
                leak);
}

char *judge_summary(const struct judge_input *in, const struct judge_result *r,
                    size_t n) {
  struct strbuf t;
  strbuf_init(&t);
  for (size_t k = 0; k < n; k++) {
    if (k)
      strbuf_adds(&t, "; ");
    size_t at = t.len;
    say_rule_clause(&in[k], &r[k], &t);
    if (k == 0 && t.len > at && t.data[at] >= 'a' && t.data[at] <= 'z')
      t.data[at] = (char)(t.data[at] - 'a' + 'A'); /* the sentence's first word */
  }
  strbuf_adds(&t, ".");
  for (size_t k = 0; k < n; k++)
    if (r[k].notes && *r[k].notes)
      strbuf_addf(&t, " %s (per %s): %s", in[k].rules_id,
                  in[k].kind && strncmp(in[k].kind, "load:", 5) ? in[k].kind : "load/unload",
                  r[k].notes);
  return strbuf_detach(&t);
}

void judge_result_fini(struct judge_result *r) {
  free(r->consistent);
  free(r->comparisons);
  free(r->text);
  free(r->notes);
  memset(r, 0, sizeof *r);
}

/* ---- tree fragments ------------------------------------------------ */

static struct tree *tri_tree(enum tri t) {
  return t == TRI_UNKNOWN ? tree_null() : tree_bool(t == TRI_TRUE);
}

void judge_set_run_fields(struct tree *run_obj, const struct judge_input *in,
                          const struct judge_result *r, size_t i) {
  tree_set_str(run_obj, "expected", expect_name(in->runs[i].expected));
  tree_set(run_obj, "consistent", tri_tree(r->consistent[i]));
}

struct tree *judge_comparisons_tree(const struct judge_input *in,
                                    const struct judge_result *r) {
  struct tree *list = tree_arr();
  for (size_t i = 0; i < r->ncomparisons; i++) {
    const struct judge_comparison *c = &r->comparisons[i];
    struct tree *o = tree_push(list, tree_obj());
    tree_set_str(o, "baseline", in->runs[c->baseline].name);
    tree_set_str(o, "run", in->runs[c->run].name);
    tree_set_num(o, "reduction", c->reduction);
    struct tree *ci = tree_set(o, "ci95", tree_arr());
    tree_push(ci, tree_num(c->lo));
    tree_push(ci, tree_num(c->hi));
    tree_set_str(o, "assessment", assessment_name(c->assessment));
  }
  return list;
}

struct tree *judge_conclusion_tree(const struct judge_input *in,
                                   const struct judge_result *r) {
  struct tree *o = tree_obj();
  tree_set(o, "hotfix_effective", tri_tree(r->hotfix_effective));
  tree_set(o, "registry_setting_effective",
           tri_tree(r->registry_setting_effective));
  tree_set_str(o, "text", r->text);
  struct tree *list = tree_set(o, "contradictions", tree_arr());
  for (size_t i = 0; i < r->nruns; i++)
    if (r->consistent[i] == TRI_FALSE)
      tree_push(list, tree_str(in->runs[i].name));
  return o;
}
