/* report_fmt — display text for the report writers, read leniently from the
 * compare tree: a field that is missing or of another type shows as a dash
 * instead of failing, so a report can always be written. */
#include "config.h"
#include "report/report_fmt.h"
#include "report/wallclock.h"
#include "util/bytefmt.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DASH "\xe2\x80\x94" /* em dash */

const struct tree *rf_get(const struct tree *t, ...) {
  va_list ap;
  va_start(ap, t);
  const char *key;
  while (t && (key = va_arg(ap, const char *)))
    t = tree_kind(t) == TREE_OBJ ? tree_get(t, key) : NULL;
  va_end(ap);
  return t;
}

const char *rf_str(const struct tree *t, const char *key, const char *dflt) {
  const char *s = tree_get_str(rf_get(t, key, NULL));
  return s ? s : dflt;
}

double rf_num(const struct tree *t) { return t ? tree_get_num(t) : NAN; }

/* digits with a comma every three, from a "%.Nf" rendering */
static void add_grouped(struct strbuf *b, double v, int decimals) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.*f", decimals, fabs(v));
  size_t int_len = strcspn(buf, ".");
  if (v < 0 && strspn(buf, "0.") != strlen(buf))
    strbuf_adds(b, MINUS_SIGN);
  for (size_t i = 0; i < int_len; i++) {
    if (i > 0 && (int_len - i) % 3 == 0)
      strbuf_addc(b, ',');
    strbuf_addc(b, buf[i]);
  }
  strbuf_adds(b, buf + int_len);
}

static void add_plain(struct strbuf *b, double v) {
  add_grouped(b, v, fabs(v) >= 100 || v == floor(v) ? 0 : 1);
}

void rf_bytes(struct strbuf *b, double v, const char *per) {
  if (!isfinite(v)) {
    strbuf_adds(b, DASH);
    return;
  }
  add_plain(b, v);
  strbuf_addf(b, " B%s", per ? per : "");
  static const char *units[] = {"KiB", "MiB", "GiB", "TiB"};
  double s = 1024;
  int i = 0;
  if (fabs(v) < 1024)
    return;
  while (i < 3 && fabs(v) >= 1024 * s) {
    s *= 1024;
    i++;
  }
  strbuf_addf(b, " (%.1f %s)", v / s, units[i]);
}

void rf_amount(struct strbuf *b, const struct tree *v, const struct tree *ci95,
               const char *per) {
  double x = rf_num(v), lo = NAN, hi = NAN;
  if (ci95 && tree_kind(ci95) == TREE_ARR && tree_len(ci95) == 2) {
    lo = rf_num(tree_at(ci95, 0));
    hi = rf_num(tree_at(ci95, 1));
  }
  if (!isfinite(x)) {
    strbuf_adds(b, DASH);
    return;
  }
  char buf[200];
  format_bytes_ci(x, lo, hi, buf, sizeof buf);
  strbuf_adds(b, buf);
  strbuf_adds(b, per ? per : "");
}

void rf_count(struct strbuf *b, double v) {
  if (isfinite(v))
    add_grouped(b, v, 0);
  else
    strbuf_adds(b, DASH);
}

void rf_tristate(struct strbuf *b, const struct tree *t, const char *null_text) {
  if (t && tree_kind(t) == TREE_BOOL)
    strbuf_adds(b, tree_get_bool(t) ? "yes" : "no");
  else
    strbuf_adds(b, null_text);
}

void rf_value(struct strbuf *b, const struct tree *t) {
  char num[40];
  switch (t ? tree_kind(t) : TREE_NULL) {
  case TREE_NULL:
    strbuf_adds(b, DASH); /* absent, or null: not known */
    break;
  case TREE_BOOL:
    strbuf_adds(b, tree_get_bool(t) ? "true" : "false");
    break;
  case TREE_INT:
  case TREE_NUM:
    tree_format_num(tree_get_num(t), num, sizeof num);
    strbuf_adds(b, num);
    break;
  case TREE_STR:
    strbuf_adds(b, tree_get_str(t));
    break;
  case TREE_ARR:
  case TREE_OBJ:
    strbuf_addc(b, tree_kind(t) == TREE_ARR ? '[' : '{');
    for (size_t i = 0; i < tree_len(t); i++) {
      strbuf_adds(b, i ? ", " : "");
      if (tree_kind(t) == TREE_OBJ)
        strbuf_addf(b, "%s: ", tree_key_at(t, i));
      rf_value(b, tree_at(t, i));
    }
    strbuf_addc(b, tree_kind(t) == TREE_ARR ? ']' : '}');
    break;
  }
}

void rf_prov_value(struct strbuf *b, const struct tree *v) {
  if (v && tree_kind(v) == TREE_ARR) {
    for (size_t i = 0; i < tree_len(v); i++) {
      strbuf_adds(b, i ? " " : "");
      rf_value(b, tree_at(v, i));
    }
  } else {
    rf_value(b, v);
  }
}

const char *rf_class(const char *word) {
  static const char *const map[][2] = {
      {"leak", "bad"},           {"no-leak", "good"},
      {"inconclusive", "warn"},  {"effective", "good"},
      {"partially-effective", "warn"}, {"ineffective", "bad"},
      {"worse", "bad"},          {"no-baseline-leak", "muted"}};
  for (size_t i = 0; word && i < sizeof map / sizeof map[0]; i++)
    if (strcmp(word, map[i][0]) == 0)
      return map[i][1];
  return "plain";
}

void rf_leak(struct strbuf *b, const struct tree *run) {
  rf_amount(b, rf_get(run, "leak", "bytes_per_cycle", NULL), rf_get(run, "leak", "ci95", NULL),
            NULL);
}

void rf_verdict(struct strbuf *b, const struct tree *run) {
  strbuf_adds(b, rf_str(run, "verdict", DASH));
  double need = rf_num(rf_get(run, "cycles_needed", NULL));
  if (isfinite(need)) {
    strbuf_adds(b, " (about ");
    rf_count(b, need);
    strbuf_adds(b, " cycles in all would decide)");
  }
  double at = rf_num(rf_get(run, "slope_change", "at_cycle", NULL));
  if (isfinite(at)) {
    strbuf_adds(b, " (the leak per cycle changed at cycle ");
    rf_count(b, at);
    strbuf_adds(b, " from ");
    rf_amount(b, rf_get(run, "slope_change", "before", "bytes_per_cycle", NULL),
              rf_get(run, "slope_change", "before", "ci95", NULL), NULL);
    strbuf_adds(b, "; this is the part after it)");
  }
}

const struct tree *rf_reduction(const struct tree *cmp, const struct tree **ci95) {
  const struct tree *r = rf_get(cmp, "reduction", NULL);
  *ci95 = rf_get(cmp, "ci95", NULL);
  if (r && tree_kind(r) == TREE_OBJ) {
    if (!*ci95)
      *ci95 = tree_get(r, "ci95");
    r = tree_get(r, "bytes_per_cycle");
  }
  return r;
}

static void add_warnings(const struct tree *result, const struct tree *arr,
                         const char *prefix, char ***list, size_t *n) {
  long bias = 0;
  bool known = prefix && rf_run_bias(result, prefix, &bias);
  for (size_t i = 0; arr && tree_kind(arr) == TREE_ARR && i < tree_len(arr); i++) {
    const struct tree *w = tree_at(arr, i);
    struct strbuf b, text;
    strbuf_init(&b);
    strbuf_init(&text);
    if (prefix)
      strbuf_addf(&b, "%s: ", prefix);
    if (tree_kind(w) == TREE_OBJ && tree_get_str(tree_get(w, "message")))
      strbuf_adds(&text, tree_get_str(tree_get(w, "message")));
    else
      rf_value(&text, w);
    wallclock_text(&b, text.data ? text.data : "", -bias, known);
    strbuf_fini(&text);
    *list = xreallocarray(*list, *n + 1, sizeof **list);
    (*list)[(*n)++] = strbuf_detach(&b);
  }
}

char **rf_warnings(const struct tree *result, size_t *n) {
  char **list = NULL;
  *n = 0;
  add_warnings(result, rf_get(result, "warnings", NULL), NULL, &list, n);
  const struct tree *runs = rf_get(result, "runs", NULL);
  for (size_t i = 0; runs && tree_kind(runs) == TREE_ARR && i < tree_len(runs); i++) {
    const struct tree *run = tree_at(runs, i);
    add_warnings(result, rf_get(run, "warnings", NULL), rf_str(run, "name", "run"), &list, n);
  }
  return list;
}

void rf_free_list(char **list, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(list[i]);
  free(list);
}

void rf_conclusion_init(struct rf_conclusion *c, const struct tree *result) {
  static const char *const rows[][2] = {
      {"hotfix_effective", "Hotfix effective (applied as the rules demand)"},
      {"registry_setting_effective", "Registry setting makes the difference"}};
  const struct tree *con = rf_get(result, "conclusion", NULL);
  c->text = rf_str(con, "text", "No conclusion was drawn.");
  for (int i = 0; i < 2; i++) {
    const struct tree *v = rf_get(con, rows[i][0], NULL);
    c->rows[i].label = rows[i][1];
    c->rows[i].known = v && tree_kind(v) == TREE_BOOL;
    c->rows[i].yes = c->rows[i].known && tree_get_bool(v);
    c->rows[i].value = !c->rows[i].known ? "cannot tell from these runs"
                       : c->rows[i].yes  ? "yes"
                                         : "no";
  }
}

static char *text_of(struct strbuf *b) { return strbuf_detach(b); }

void rf_run_text_init(struct rf_run_text *t, const struct tree *run) {
  static const char *const counts[] = {"samples", "lifetimes", "warmup_cycles"};
  struct strbuf b;
  strbuf_init(&b);
  memset(t, 0, sizeof *t);
  t->name = rf_str(run, "name", DASH);
  t->counters_file = rf_str(run, "counters_file", DASH);
  t->events_file = rf_str(run, "events_file", "(no trace)");
  t->counter = rf_str(run, "counter", DASH);
  t->process = rf_str(run, "process", DASH);
  t->module = rf_str(run, "module", DASH);
  t->verdict_word = rf_str(run, "verdict", NULL);
  t->expected = rf_str(run, "expected", "unknown");
  t->consistent = rf_get(run, "consistent", NULL);
  t->method = rf_str(rf_get(run, "leak", NULL), "method", DASH);
  rf_leak(&b, run);
  t->leak = text_of(&b);
  rf_verdict(&b, run);
  t->verdict = text_of(&b);
  rf_count(&b, rf_num(rf_get(run, "cycles", NULL)));
  t->cycles = text_of(&b);
  rf_amount(&b, rf_get(run, "time_growth", "bytes_per_hour", NULL),
            rf_get(run, "time_growth", "ci95", NULL), " per hour");
  const struct tree *sep = rf_get(run, "time_growth", "separable", NULL);
  if (sep && tree_kind(sep) == TREE_BOOL && !tree_get_bool(sep))
    strbuf_adds(&b, "; not separable from the cycles");
  t->growth = text_of(&b);
  for (int i = 0; i < 3; i++) {
    rf_count(&b, rf_num(rf_get(run, counts[i], NULL)));
    t->counts[i] = text_of(&b);
  }
  t->evidence = rf_evidence_lines(rf_get(run, "evidence", NULL), &t->nevidence);
  t->evidence_line = rf_evidence_line(run);
  strbuf_fini(&b);
}

/* One kind's row: e is a judgement ({rules, kind, ...}) or a leaks entry. */
static void kind_text(struct rf_kind_text *k, const struct tree *e, bool judged) {
  struct strbuf b;
  strbuf_init(&b);
  const char *kind = rf_str(e, "kind", DASH);
  const char *with = judged ? rf_str(e, "together_with", NULL)
                            : rf_str(rf_get(e, "together", NULL), "with", NULL);
  const char *reason = rf_str(e, "reason", NULL);
  bool tied = reason && !strcmp(reason, "not-separable");
  if (judged)
    strbuf_addf(&b, "per %s (%s)", kind, rf_str(e, "rules", DASH));
  else
    strbuf_addf(&b, "per %s", kind);
  k->label = text_of(&b);
  if (tied)
    strbuf_addf(&b, "moves in step with %s", with ? with : "another kind");
  else
    rf_amount(&b, rf_get(e, "bytes_per_cycle", NULL), rf_get(e, "ci95", NULL), NULL);
  k->leak = text_of(&b);
  k->verdict_word = tied ? "inconclusive" : rf_str(e, "verdict", NULL);
  if (tied)
    strbuf_addf(&b, "not separable from %s", with ? with : "another kind");
  else
    strbuf_adds(&b, rf_str(e, "verdict", DASH));
  k->verdict = text_of(&b);
  k->expected = judged ? rf_str(e, "expected", "unknown") : NULL;
  k->consistent = judged ? rf_get(e, "consistent", NULL) : NULL;
}

size_t rf_kind_texts(const struct tree *run, struct rf_kind_text **out) {
  const struct tree *list = rf_get(run, "judgements", NULL);
  bool judged = list && tree_kind(list) == TREE_ARR;
  if (!judged)
    list = rf_get(run, "leaks", NULL);
  size_t n = list && tree_kind(list) == TREE_ARR ? tree_len(list) : 0;
  if (!judged && n < 2)
    n = 0; /* one kind: the run's own row says it */
  *out = n ? xcalloc(n, sizeof **out) : NULL;
  for (size_t i = 0; i < n; i++)
    kind_text(&(*out)[i], tree_at(list, i), judged);
  return n;
}

void rf_kind_texts_free(struct rf_kind_text *k, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(k[i].label);
    free(k[i].leak);
    free(k[i].verdict);
  }
  free(k);
}

const char *rf_agreement_text(enum rf_agreement a) {
  switch (a) {
  case RF_AGREES: return "yes";
  case RF_CONTRADICTS: return "NO: contradicts the rules";
  case RF_CANNOT_TELL: return "cannot tell";
  case RF_NO_RULE: break;
  }
  return DASH;
}

static enum rf_agreement agreement(const struct tree *consistent, bool rule) {
  if (!rule)
    return RF_NO_RULE;
  if (consistent && tree_kind(consistent) == TREE_BOOL)
    return tree_get_bool(consistent) ? RF_AGREES : RF_CONTRADICTS;
  return RF_CANNOT_TELL;
}

void rf_evidence_rows_init(struct rf_evidence_rows *r, const struct tree *run) {
  rf_run_text_init(&r->run, run);
  size_t nk = rf_kind_texts(run, &r->kinds);
  r->n = 1 + nk;
  r->rows = xcalloc(r->n, sizeof *r->rows);
  const struct rf_run_text *t = &r->run;
  r->rows[0] = (struct rf_evidence_row){t, t->name, t->leak, t->verdict_word, t->verdict,
                                        t->expected, agreement(t->consistent, true)};
  for (size_t i = 0; i < nk; i++) {
    const struct rf_kind_text *k = &r->kinds[i];
    r->rows[1 + i] = (struct rf_evidence_row){NULL, k->label, k->leak, k->verdict_word,
                                              k->verdict, k->expected,
                                              agreement(k->consistent, k->expected != NULL)};
  }
}

void rf_evidence_rows_fini(struct rf_evidence_rows *r) {
  rf_kind_texts_free(r->kinds, r->n - 1);
  rf_run_text_fini(&r->run);
  free(r->rows);
  memset(r, 0, sizeof *r);
}

void rf_run_text_fini(struct rf_run_text *t) {
  free(t->leak);
  free(t->evidence_line);
  free(t->verdict);
  free(t->cycles);
  free(t->growth);
  for (int i = 0; i < 3; i++)
    free(t->counts[i]);
  rf_free_list(t->evidence, t->nevidence);
  memset(t, 0, sizeof *t);
}

void rf_cmp_text_init(struct rf_cmp_text *t, const struct tree *cmp) {
  struct strbuf b;
  strbuf_init(&b);
  const struct tree *ci95;
  const struct tree *red = rf_reduction(cmp, &ci95);
  t->baseline = rf_str(cmp, "baseline", DASH);
  t->run = rf_str(cmp, "run", DASH);
  t->assessment = rf_str(cmp, "assessment", DASH);
  rf_amount(&b, red, ci95, NULL);
  t->reduction = text_of(&b);
  strbuf_fini(&b);
}

void rf_cmp_text_fini(struct rf_cmp_text *t) { free(t->reduction); }

/* Keys of all objects in arr, in first-seen order; the strings belong to
 * the tree. */
static const char **columns(const struct tree *arr, size_t *n) {
  const char **cols = NULL;
  *n = 0;
  for (size_t i = 0; arr && tree_kind(arr) == TREE_ARR && i < tree_len(arr); i++) {
    const struct tree *o = tree_at(arr, i);
    for (size_t k = 0; tree_kind(o) == TREE_OBJ && k < tree_len(o); k++) {
      const char *key = tree_key_at(o, k);
      size_t j = 0;
      while (j < *n && strcmp(cols[j], key) != 0)
        j++;
      if (j == *n) {
        cols = xreallocarray(cols, *n + 1, sizeof *cols);
        cols[(*n)++] = key;
      }
    }
  }
  return cols;
}

static void add_field(struct rf_provenance *p, const char *key, const struct tree *v) {
  struct strbuf b;
  strbuf_init(&b);
  rf_prov_value(&b, v);
  p->keys = xreallocarray(p->keys, p->nfields + 1, sizeof *p->keys);
  p->values = xreallocarray(p->values, p->nfields + 1, sizeof *p->values);
  p->keys[p->nfields] = xstrdup(key);
  p->values[p->nfields++] = strbuf_detach(&b);
}

static void fill_inputs(struct rf_provenance *p, const struct tree *inputs) {
  const char **cols = columns(inputs, &p->ncols);
  p->cols = xreallocarray(NULL, p->ncols ? p->ncols : 1, sizeof *p->cols);
  for (size_t k = 0; k < p->ncols; k++)
    p->cols[k] = xstrdup(cols[k]);
  p->nrows = tree_len(inputs);
  p->cells = xreallocarray(NULL, p->nrows * p->ncols + 1, sizeof *p->cells);
  struct strbuf b;
  strbuf_init(&b);
  for (size_t i = 0; i < p->nrows; i++)
    for (size_t k = 0; k < p->ncols; k++) {
      const struct tree *v = rf_get(tree_at(inputs, i), cols[k], NULL);
      if (strcmp(cols[k], "size") == 0 || (v && (tree_kind(v) == TREE_INT ||
                                                   tree_kind(v) == TREE_NUM)))
        rf_count(&b, rf_num(v)); /* grouped, with a true minus */
      else
        rf_value(&b, v);
      p->cells[i * p->ncols + k] = strbuf_detach(&b);
    }
  strbuf_fini(&b);
  free(cols);
}

void rf_provenance_init(struct rf_provenance *p, const struct tree *result) {
  memset(p, 0, sizeof *p);
  const struct tree *prov = rf_get(result, "provenance", NULL);
  for (size_t i = 0; prov && tree_kind(prov) == TREE_OBJ && i < tree_len(prov); i++)
    if (strcmp(tree_key_at(prov, i), "inputs") != 0)
      add_field(p, tree_key_at(prov, i), tree_at(prov, i));
  const struct tree *inputs = rf_get(prov, "inputs", NULL);
  if (inputs && tree_kind(inputs) == TREE_ARR && tree_len(inputs) > 0)
    fill_inputs(p, inputs);
}

void rf_provenance_fini(struct rf_provenance *p) {
  rf_free_list(p->keys, p->nfields);
  rf_free_list(p->values, p->nfields);
  rf_free_list(p->cols, p->ncols);
  rf_free_list(p->cells, p->nrows * p->ncols);
  memset(p, 0, sizeof *p);
}

static void push_line(char ***list, size_t *n, struct strbuf *b) {
  *list = xreallocarray(*list, *n + 1, sizeof **list);
  (*list)[(*n)++] = strbuf_detach(b);
}

/* Readable names of the evidence's fields; others print as their key. */
static const char *evidence_label(const char *key) {
  static const char *const map[][2] = {
      {"module_version", "module version (manifest)"},
      {"trace_module_version", "module version (trace)"},
      {"version_judged", "version judged"},
      {"fixed_version", "first fixed version"},
      {"hotfix", "hotfix installed"},
      {"registry_source", "registry values from"},
      {"settings_ok", "every setting right"},
      {"because", "the rules say"}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(key, map[i][0]) == 0)
      return map[i][1];
  return key;
}

/* "CleanUpMAPIHeap: needs dword 1 under KEY; found dword 0 under KEY" */
static void add_setting_line(struct strbuf *b, const struct tree *s) {
  strbuf_addf(b, "%s: needs %s ", rf_str(s, "name", "?"), rf_str(s, "required_type", ""));
  rf_value(b, rf_get(s, "required_value", NULL));
  strbuf_addf(b, " under %s; ", rf_str(s, "expected_key", DASH));
  if (!rf_str(s, "type", NULL)) {
    strbuf_adds(b, "not found");
    return;
  }
  strbuf_addf(b, "found %s ", rf_str(s, "type", ""));
  rf_value(b, rf_get(s, "value", NULL));
  const char *key = rf_str(s, "found_key", NULL);
  if (key)
    strbuf_addf(b, " under %s", key);
}

char **rf_evidence_lines(const struct tree *ev, size_t *n) {
  char **list = NULL;
  struct strbuf b;
  strbuf_init(&b);
  *n = 0;
  if (!ev || tree_kind(ev) != TREE_OBJ) {
    rf_value(&b, ev);
    push_line(&list, n, &b);
    return list;
  }
  for (size_t i = 0; i < tree_len(ev); i++) {
    const struct tree *v = tree_at(ev, i);
    const char *key = tree_key_at(ev, i);
    if (tree_kind(v) == TREE_OBJ && tree_len(v) > 0) {
      for (size_t k = 0; k < tree_len(v); k++) {
        strbuf_addf(&b, "%s: ", tree_key_at(v, k));
        rf_value(&b, tree_at(v, k));
        push_line(&list, n, &b);
      }
      continue;
    }
    if (strcmp(key, "settings") == 0 && tree_kind(v) == TREE_ARR) {
      for (size_t k = 0; k < tree_len(v); k++) {
        add_setting_line(&b, tree_at(v, k));
        push_line(&list, n, &b);
      }
      continue;
    }
    strbuf_addf(&b, "%s: ", evidence_label(key));
    if (tree_kind(v) == TREE_OBJ)
      strbuf_adds(&b, "none");
    else if (tree_kind(v) == TREE_BOOL)
      strbuf_adds(&b, tree_get_bool(v) ? "yes" : "no");
    else
      rf_value(&b, v);
    push_line(&list, n, &b);
  }
  return list;
}
