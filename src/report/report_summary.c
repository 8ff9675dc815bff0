/* report_summary — what a reader takes in first: the one-line answer, the
 * facts under it (KB, hosts, run dates), each run's evidence as one short
 * line, and what to check when a run contradicts the rules. All of it is
 * read leniently from the compare tree, as display text the writers
 * escape. */
#include "config.h"
#include "report/report_fmt.h"
#include "report/wallclock.h"
#include "util/bytefmt.h"
#include "util/timeutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EM_DASH "\xe2\x80\x94"
#define EN_DASH "\xe2\x80\x93"

static bool is_true(const struct tree *t) {
  return t && tree_kind(t) == TREE_BOOL && tree_get_bool(t);
}
static bool is_false(const struct tree *t) {
  return t && tree_kind(t) == TREE_BOOL && !tree_get_bool(t);
}

static size_t nruns(const struct tree *result) {
  const struct tree *runs = rf_get(result, "runs", NULL);
  return runs && tree_kind(runs) == TREE_ARR ? tree_len(runs) : 0;
}
static const struct tree *run_at(const struct tree *result, size_t i) {
  return tree_at(rf_get(result, "runs", NULL), i);
}

/* "DWORD 1", "string \"x\"": a registry value as the rules want it. */
static void add_required(struct strbuf *b, const struct tree *s) {
  const char *type = rf_str(s, "required_type", NULL);
  if (type && (!strcmp(type, "dword") || !strcmp(type, "qword"))) {
    for (const char *p = type; *p; p++)
      strbuf_addc(b, (char)(*p - 'a' + 'A'));
    strbuf_addc(b, ' ');
  } else if (type) {
    strbuf_addf(b, "%s ", type);
  }
  rf_value(b, rf_get(s, "required_value", NULL));
}

/* "CleanUpMAPIHeap=1 and Foo=2": the settings the fix needs, from the
 * first run that lists them. */
static void add_fix_settings(struct strbuf *b, const struct tree *result) {
  for (size_t i = 0; i < nruns(result); i++) {
    const struct tree *set = rf_get(run_at(result, i), "evidence", "settings", NULL);
    if (!set || tree_kind(set) != TREE_ARR || tree_len(set) == 0)
      continue;
    for (size_t k = 0; k < tree_len(set); k++) {
      strbuf_adds(b, k ? " and " : "");
      strbuf_addf(b, "%s=", rf_str(tree_at(set, k), "name", "?"));
      rf_value(b, rf_get(tree_at(set, k), "required_value", NULL));
    }
    return;
  }
}

/* "mapi32.dll 6.5.7233.46 and CleanUpMAPIHeap=1": the full fix. */
static void add_fix(struct strbuf *b, const struct tree *result) {
  const struct tree *ev = NULL;
  for (size_t i = 0; !ev && i < nruns(result); i++)
    ev = rf_get(run_at(result, i), "evidence", NULL);
  strbuf_addf(b, "%s %s", rf_str(ev, "module", rf_str(run_at(result, 0), "module", "the module")),
              rf_str(ev, "fixed_version", "(fixed version)"));
  size_t at = b->len;
  strbuf_adds(b, " and ");
  size_t before = b->len;
  add_fix_settings(b, result);
  if (b->len == before) { /* no settings: just the module */
    b->len = at;
    b->data[at] = '\0';
  }
}

static double leak_of(const struct tree *run) {
  return rf_num(rf_get(run, "leak", "bytes_per_cycle", NULL));
}

static bool has_full_fix(const struct tree *run) {
  const struct tree *ev = rf_get(run, "evidence", NULL);
  return is_true(rf_get(ev, "hotfix", NULL)) && is_true(rf_get(ev, "settings_ok", NULL));
}

/* The run whose leak the fix removes: a leaking run without the hotfix,
 * else the baseline. */
static const struct tree *unfixed_run(const struct tree *result) {
  for (size_t i = 0; i < nruns(result); i++) {
    const struct tree *r = run_at(result, i);
    if (is_false(rf_get(r, "evidence", "hotfix", NULL)) &&
        !strcmp(rf_str(r, "verdict", ""), "leak"))
      return r;
  }
  const char *base = rf_str(result, "baseline", NULL);
  for (size_t i = 0; base && i < nruns(result); i++)
    if (!strcmp(rf_str(run_at(result, i), "name", ""), base))
      return run_at(result, i);
  return NULL;
}

static void add_figure(struct strbuf *b, double v) {
  char num[64];
  format_bytes(v, num, sizeof num);
  strbuf_adds(b, num);
}

static void say_contradiction(struct strbuf *b, const struct tree *result,
                              const struct tree *run) {
  bool leaks = !strcmp(rf_str(run, "verdict", ""), "leak");
  if (leaks) {
    strbuf_addf(b, "Not fixed: run '%s' has ", rf_str(run, "name", "?"));
    add_fix(b, result);
    strbuf_adds(b, ", yet it still leaks ");
    add_figure(b, leak_of(run));
    strbuf_adds(b, " per load/unload.");
  } else {
    strbuf_addf(b, "Contradiction: %s says run '%s' should leak, but it measures no "
                "leak per load/unload.", rf_str(rf_get(result, "rules", NULL), "id", "the rules"),
                rf_str(run, "name", "?"));
  }
}

/* Why these runs cannot answer yet, as the rest of the sentence. */
static void say_unknown(struct strbuf *b, const struct tree *result) {
  strbuf_adds(b, "Cannot tell yet: ");
  for (size_t i = 0; i < nruns(result); i++) {
    const struct tree *r = run_at(result, i);
    if (has_full_fix(r) && !strcmp(rf_str(r, "verdict", ""), "inconclusive")) {
      strbuf_addf(b, "run '%s' with the fix is inconclusive", rf_str(r, "name", "?"));
      double need = rf_num(rf_get(r, "cycles_needed", NULL));
      if (isfinite(need)) {
        strbuf_adds(b, " (about ");
        rf_count(b, need);
        strbuf_adds(b, " cycles in all would decide)");
      }
      strbuf_adds(b, ".");
      return;
    }
  }
  for (size_t i = 0; i < nruns(result); i++)
    if (has_full_fix(run_at(result, i))) {
      strbuf_adds(b, "no run without the hotfix shows the leak the fix should remove.");
      return;
    }
  strbuf_adds(b, "no run is known to have ");
  add_fix(b, result);
  strbuf_adds(b, ".");
}

/* Several rules (conclusion.rules): fixed when every rule's fix is shown
 * to work, not fixed when one is shown not to, else unknown. */
static bool several_rules(const struct tree *result, enum rf_answer_kind *kind) {
  const struct tree *list = rf_get(result, "conclusion", "rules", NULL);
  if (!list || tree_kind(list) != TREE_ARR || tree_len(list) == 0)
    return false;
  bool all = true, none = false;
  for (size_t i = 0; i < tree_len(list); i++) {
    const struct tree *h = rf_get(tree_at(list, i), "hotfix_effective", NULL);
    all &= is_true(h);
    none |= is_false(h);
  }
  *kind = none ? RF_ANSWER_NOT_FIXED : all ? RF_ANSWER_FIXED : RF_ANSWER_UNKNOWN;
  return true;
}

void rf_answer_init(struct rf_answer *a, const struct tree *result) {
  struct strbuf b;
  strbuf_init(&b);
  const struct tree *con = rf_get(result, "conclusion", NULL);
  const struct tree *contra = rf_get(con, "contradictions", NULL);
  const struct tree *first = NULL;
  for (size_t i = 0; !first && i < nruns(result); i++)
    if (is_false(rf_get(run_at(result, i), "consistent", NULL)))
      first = run_at(result, i);
  if (first || (contra && tree_kind(contra) == TREE_ARR && tree_len(contra) > 0)) {
    a->kind = RF_ANSWER_CONTRADICTION;
    if (first)
      say_contradiction(&b, result, first);
    else
      strbuf_adds(&b, "Contradiction: a run measures what the rules say it should not.");
  } else if (several_rules(result, &a->kind)) {
    /* which fix removed which leak: the conclusion says it already */
    strbuf_adds(&b, rf_str(con, "text", "These runs cannot tell whether the fixes work."));
  } else if (is_true(rf_get(con, "hotfix_effective", NULL))) {
    a->kind = RF_ANSWER_FIXED;
    strbuf_adds(&b, "Fixed: with ");
    add_fix(&b, result);
    const struct tree *u = unfixed_run(result);
    strbuf_adds(&b, " the leak");
    if (u && isfinite(leak_of(u))) {
      strbuf_adds(&b, " of ");
      add_figure(&b, leak_of(u));
    }
    strbuf_adds(&b, " per load/unload is gone.");
  } else if (is_false(rf_get(con, "hotfix_effective", NULL))) {
    a->kind = RF_ANSWER_NOT_FIXED;
    strbuf_adds(&b, "Not fixed: a run with ");
    add_fix(&b, result);
    strbuf_adds(&b, " still leaks per load/unload.");
  } else {
    a->kind = RF_ANSWER_UNKNOWN;
    say_unknown(&b, result);
  }
  a->text = strbuf_detach(&b);
}

void rf_answer_fini(struct rf_answer *a) {
  free(a->text);
  a->text = NULL;
}

const char *rf_answer_class(enum rf_answer_kind k) {
  static const char *const names[] = {"fixed", "not-fixed", "contradiction", "unknown"};
  return names[k];
}

/* The machine of a counter path "\\HOST\Object(...)\Counter"; NULL when the
 * path names none. Malloc'ed. */
static char *machine_of(const char *path) {
  if (!path || strncmp(path, "\\\\", 2) != 0)
    return NULL;
  size_t n = strcspn(path + 2, "\\");
  return n ? xasprintf("%.*s", (int)n, path + 2) : NULL;
}

char *rf_hosts(const struct tree *result) {
  struct strbuf b;
  strbuf_init(&b);
  char **seen = NULL;
  size_t nseen = 0;
  for (size_t i = 0; i < nruns(result); i++) {
    char *h = machine_of(rf_str(run_at(result, i), "counter", NULL));
    bool dup = !h;
    for (size_t k = 0; h && k < nseen; k++)
      dup = dup || strcmp(seen[k], h) == 0;
    if (dup) {
      free(h);
      continue;
    }
    strbuf_adds(&b, nseen ? ", " : "");
    strbuf_adds(&b, h);
    seen = xreallocarray(seen, nseen + 1, sizeof *seen);
    seen[nseen++] = h;
  }
  rf_free_list(seen, nseen);
  if (!b.len)
    strbuf_adds(&b, "not in the counter paths");
  return strbuf_detach(&b);
}

/* The bias of run's counter log, from the provenance inputs; false when
 * not known. */
bool rf_run_bias(const struct tree *result, const char *run, long *bias) {
  const struct tree *in = rf_get(result, "provenance", "inputs", NULL);
  for (size_t i = 0; run && in && tree_kind(in) == TREE_ARR && i < tree_len(in); i++) {
    const struct tree *f = tree_at(in, i);
    double b = rf_num(rf_get(f, "bias_minutes", NULL));
    if (!strcmp(rf_str(f, "run", ""), run) && !strcmp(rf_str(f, "role", ""), "counters") &&
        isfinite(b)) {
      *bias = (long)b;
      return true;
    }
  }
  return false;
}

static bool parse_utc(const char *s, usec_t *t) {
  bool zone;
  size_t off;
  return s && time_parse_iso(s, strlen(s), t, &zone, &off) == 0;
}

/* A run's span on its log's clock (times, then zone note); false when the
 * run has no times. */
static bool run_clock(struct strbuf *times, struct strbuf *zone, const struct tree *result,
                      const struct tree *run) {
  usec_t from, to;
  if (!parse_utc(rf_str(run, "first_utc", NULL), &from) ||
      !parse_utc(rf_str(run, "last_utc", NULL), &to))
    return false;
  long bias = 0;
  bool local = rf_run_bias(result, rf_str(run, "name", NULL), &bias);
  wallclock_span_times(times, from, to, -bias, local);
  wallclock_zone_note(zone, -bias, local);
  return true;
}

void rf_run_span(struct strbuf *b, const struct tree *result, const struct tree *run) {
  struct strbuf z;
  strbuf_init(&z);
  if (run_clock(b, &z, result, run))
    strbuf_adds(b, z.data ? z.data : "");
  else
    strbuf_adds(b, EM_DASH);
  strbuf_fini(&z);
}

static const char *sb_text(const struct strbuf *b) { return b->data ? b->data : ""; }

char *rf_run_dates(const struct tree *result) {
  struct strbuf b, t, z, lastz;
  strbuf_init(&b);
  strbuf_init(&t);
  strbuf_init(&z);
  strbuf_init(&lastz);
  bool open = false, lastok = false;
  char lastday[11] = "";
  for (size_t i = 0; i < nruns(result); i++) {
    strbuf_reset(&t);
    strbuf_reset(&z);
    bool ok = run_clock(&t, &z, result, run_at(result, i));
    /* runs of one day and zone read as one list: the date and the zone once */
    if (ok && lastok && !strncmp(lastday, sb_text(&t), 10) &&
        !strcmp(sb_text(&lastz), sb_text(&z))) {
      strbuf_addf(&b, ", %s", sb_text(&t) + 11);
    } else {
      if (open)
        strbuf_addf(&b, "%s; ", sb_text(&lastz));
      strbuf_adds(&b, ok ? sb_text(&t) : EM_DASH);
    }
    open = true;
    lastok = ok;
    snprintf(lastday, sizeof lastday, "%.10s", sb_text(&t));
    strbuf_reset(&lastz);
    if (ok)
      strbuf_adds(&lastz, sb_text(&z));
  }
  if (open)
    strbuf_adds(&b, sb_text(&lastz));
  strbuf_fini(&t);
  strbuf_fini(&z);
  strbuf_fini(&lastz);
  if (!b.len)
    strbuf_adds(&b, EM_DASH);
  return strbuf_detach(&b);
}

/* "mapi32.dll 6.5.7226.0 — older than 6.5.7233.46: hotfix absent" */
static void add_version_part(struct strbuf *b, const struct tree *ev) {
  const char *mod = rf_str(ev, "module", "module");
  const char *v = rf_str(ev, "version_judged", rf_str(ev, "module_version", NULL));
  const char *fixed = rf_str(ev, "fixed_version", "?");
  const struct tree *hot = rf_get(ev, "hotfix", NULL);
  if (!v)
    strbuf_addf(b, "%s version unknown " EM_DASH " hotfix cannot be judged", mod);
  else if (is_true(hot))
    strbuf_addf(b, "%s %s " EM_DASH " %s or later: hotfix present", mod, v, fixed);
  else if (is_false(hot))
    strbuf_addf(b, "%s %s " EM_DASH " older than %s: hotfix absent", mod, v, fixed);
  else
    strbuf_addf(b, "%s %s " EM_DASH " cannot be compared with %s", mod, v, fixed);
}

/* "CleanUpMAPIHeap missing — needs DWORD 1", "CleanUpMAPIHeap = 1: as needed" */
static void add_setting_part(struct strbuf *b, const struct tree *s) {
  const char *name = rf_str(s, "name", "?");
  const struct tree *v = rf_get(s, "value", NULL);
  const char *type = rf_str(s, "type", NULL), *want = rf_str(s, "required_type", NULL);
  if (!v || tree_kind(v) == TREE_NULL) {
    strbuf_addf(b, "%s missing " EM_DASH " needs ", name);
    add_required(b, s);
    return;
  }
  strbuf_addf(b, "%s = ", name);
  rf_value(b, v);
  if (type && want && strcmp(type, want) != 0)
    strbuf_addf(b, " (%s)", type);
  if (is_true(rf_get(s, "ok", NULL))) {
    strbuf_adds(b, ": as needed");
  } else {
    strbuf_adds(b, " " EM_DASH " needs ");
    add_required(b, s);
  }
}

char *rf_evidence_line(const struct tree *run) {
  struct strbuf b;
  strbuf_init(&b);
  const struct tree *ev = rf_get(run, "evidence", NULL);
  if (rf_get(ev, "fixed_version", NULL) || rf_get(ev, "hotfix", NULL)) {
    add_version_part(&b, ev);
    const struct tree *set = rf_get(ev, "settings", NULL);
    for (size_t k = 0; set && tree_kind(set) == TREE_ARR && k < tree_len(set); k++) {
      strbuf_adds(&b, "; ");
      add_setting_part(&b, tree_at(set, k));
    }
  } else { /* another shape: its first lines, joined */
    size_t n;
    char **lines = rf_evidence_lines(ev, &n);
    for (size_t i = 0; i < n; i++)
      strbuf_addf(&b, "%s%s", i ? "; " : "", lines[i]);
    rf_free_list(lines, n);
  }
  return strbuf_detach(&b);
}

char *rf_what_to_check(const struct tree *result, const struct tree *run) {
  struct strbuf b;
  strbuf_init(&b);
  const struct tree *ev = rf_get(run, "evidence", NULL);
  const char *mod = rf_str(ev, "module", rf_str(run, "module", "the module"));
  if (strcmp(rf_str(run, "verdict", ""), "leak") == 0) {
    strbuf_addf(&b, "Check that the process really loaded %s %s or later", mod,
                rf_str(ev, "fixed_version", ""));
    if (!rf_str(ev, "trace_module_version", NULL))
      strbuf_adds(&b, " (the trace gives no file version: confirm the loaded file's, not "
                      "the installer's)");
    const struct tree *set = rf_get(ev, "settings", NULL);
    for (size_t k = 0; set && tree_kind(set) == TREE_ARR && k < tree_len(set); k++) {
      const struct tree *s = tree_at(set, k);
      strbuf_addf(&b, "; that %s is ", rf_str(s, "name", "?"));
      add_required(&b, s);
      strbuf_addf(&b, " under %s on this host, set before the process started",
                  rf_str(s, "expected_key", "the expected key"));
    }
    strbuf_adds(&b, "; and whether another module leaks on each cycle (the counter is of "
                    "the whole process).");
  } else {
    strbuf_addf(&b, "Check that the counter log and the trace are of the same process and "
                "host, that the cycles are loads and unloads of %s (leakslope events), and "
                "the module version the rules judged",
                mod);
    strbuf_addf(&b, " against %s.", rf_str(rf_get(result, "rules", NULL), "id", "the rules"));
  }
  return strbuf_detach(&b);
}
