/* evidence — manifest + rules + measurements -> judgement (see evidence.h).
 *
 * A manifest may name several rules, one a kind of leak (KB 891509's per
 * logon, KB 901014's per load/unload of Mapi32.dll): each rule is judged on
 * its own kind's figure of every run, with the same evidence (module
 * version, registry). The run-level fields of the compare JSON stay those
 * of one rule, the primary, so that a script written for one rule reads
 * the same fields; the others come in lists beside them. */
#include "config.h"
#include "evidence/evidence.h"
#include "util/tree.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void add_kind(struct evidence_set *e, const char *kind) {
  for (size_t i = 0; i < e->nkinds; i++)
    if (strcasecmp(e->kinds[i], kind) == 0)
      return;
  e->kinds[e->nkinds++] = kind;
}

/* The primary rule, the kinds to fit and whether to fit them (see .h). */
static void choose_kinds(struct evidence_set *e) {
  e->primary = 0;
  for (size_t k = e->nrules; k-- > 0;)
    if (strncmp(e->rule[k].rules->kind, "load:", 5) == 0)
      e->primary = k;
  e->rules = e->rule[e->primary].rules;
  add_kind(e, e->rules->kind);
  for (size_t k = 0; k < e->nrules; k++)
    add_kind(e, e->rule[k].rules->kind);
  char *classic = xasprintf("load:%s", e->rules->module);
  e->per_kinds = e->nkinds > 1 || strcasecmp(e->kinds[0], classic) != 0;
  free(classic);
}

static char *settings_text(const struct rules *r) {
  struct strbuf s;
  strbuf_init(&s);
  for (size_t i = 0; i < r->nsettings; i++)
    strbuf_addf(&s, "%s%s", i ? " and " : "", r->settings[i].display);
  return s.len ? strbuf_detach(&s) : (strbuf_fini(&s), xstrdup(""));
}

int evidence_load(struct evidence_set *e, const struct manifest *m,
                  struct warnings *w, struct diag *d) {
  memset(e, 0, sizeof *e);
  e->m = m;
  size_t n = m->nruns ? m->nruns : 1;
  e->files = xcalloc(n, sizeof *e->files);
  e->ev = xcalloc(n, sizeof *e->ev);
  e->rule = xcalloc(m->nrules ? m->nrules : 1, sizeof *e->rule);
  for (size_t k = 0; k < m->nrules; k++) {
    struct evidence_rule *r = &e->rule[k];
    if (!(r->rules = rules_load(m->rules[k], d)))
      return -1;
    e->nrules++;
    r->evals = xcalloc(n, sizeof *r->evals);
    r->jruns = xcalloc(n, sizeof *r->jruns);
    r->settings_text = settings_text(r->rules);
  }
  for (size_t i = 0; i < m->nruns; i++) {
    const struct manifest_run *r = &m->runs[i];
    if (r->registry && !(e->files[i] = regfile_read(r->registry, w, d)))
      return -1;
    e->ev[i].run = r->name;
    e->ev[i].module_version = r->module_version;
    e->ev[i].registry = e->files[i] ? e->files[i] : r->registry_values;
  }
  choose_kinds(e);
  return 0;
}

/* Warnings of tmp not already in w (two rules that read the same registry
 * value would say the same thing twice). */
static void merge_warnings(struct warnings *w, const struct warnings *tmp) {
  for (size_t i = 0; w && i < tmp->count; i++) {
    bool seen = false;
    for (size_t j = 0; j < w->count && !seen; j++)
      seen = strcmp(w->items[j].message, tmp->items[i].message) == 0;
    if (!seen)
      warnings_add(w, tmp->items[i].code, tmp->items[i].file, tmp->items[i].line, "%s",
                   tmp->items[i].message);
  }
}

static void judge_rule(struct evidence_set *e, struct evidence_rule *r,
                       const struct judge_measure *measures,
                       const char *const *trace_versions, struct warnings *w) {
  const struct manifest *m = e->m;
  struct warnings tmp;
  warnings_init(&tmp);
  for (size_t i = 0; i < m->nruns; i++) {
    e->ev[i].trace_version = trace_versions ? trace_versions[i] : NULL;
    rules_evaluate(r->rules, &e->ev[i], &tmp, &r->evals[i]);
    struct judge_run *j = &r->jruns[i];
    j->name = m->runs[i].name;
    j->m = measures[i];
    j->hotfix = r->evals[i].hotfix;
    j->settings = r->evals[i].settings_all;
    j->expected = r->evals[i].expected;
  }
  merge_warnings(w, &tmp);
  warnings_fini(&tmp);
  struct judge_input in = {r->jruns, m->nruns, m->baseline, r->rules->id,
                           r->rules->module, r->rules->fixed_text,
                           r->settings_text, e->per_kinds ? r->rules->kind : NULL};
  r->in = in;
  judge_compute(&r->in, &r->result);
}

/* The conclusion over every rule, once each is judged. */
static void conclude(struct evidence_set *e) {
  for (size_t k = 0; k < e->nrules; k++)
    e->fixed_run_leaks |= e->rule[k].result.fixed_run_leaks;
  if (e->nrules == 1) {
    e->text = xstrdup(e->rule[0].result.text);
  } else {
    struct judge_input *in = xcalloc(e->nrules, sizeof *in);
    struct judge_result *res = xcalloc(e->nrules, sizeof *res);
    for (size_t k = 0; k < e->nrules; k++)
      in[k] = e->rule[k].in, res[k] = e->rule[k].result;
    e->text = judge_summary(in, res, e->nrules);
    free(in);
    free(res);
  }
  e->judged = true;
}

void evidence_judge(struct evidence_set *e, const struct judge_measure *measures,
                    const char *const *trace_versions, struct warnings *w) {
  for (size_t k = 0; k < e->nrules; k++)
    judge_rule(e, &e->rule[k], measures, trace_versions, w);
  conclude(e);
}

void evidence_judge_analyses(struct evidence_set *e, const struct analysis *const *as,
                             struct warnings *w) {
  size_t n = e->m->nruns ? e->m->nruns : 1;
  struct judge_measure *ms = xcalloc(n, sizeof *ms);
  const char **versions = xcalloc(n, sizeof *versions);
  for (size_t i = 0; i < e->m->nruns; i++)
    versions[i] = as[i]->trace_version;
  for (size_t k = 0; k < e->nrules; k++) {
    struct evidence_rule *r = &e->rule[k];
    for (size_t i = 0; i < e->m->nruns; i++)
      judge_measure_from_kind(&ms[i], as[i], e->per_kinds ? r->rules->kind : NULL);
    judge_rule(e, r, ms, versions, w);
  }
  conclude(e);
  free(ms);
  free(versions);
}

void evidence_fini(struct evidence_set *e) {
  size_t n = e->m ? e->m->nruns : 0;
  for (size_t i = 0; i < n; i++)
    regfile_free(e->files[i]);
  for (size_t k = 0; k < e->nrules; k++) {
    struct evidence_rule *r = &e->rule[k];
    for (size_t i = 0; e->judged && i < n; i++)
      rules_eval_fini(&r->evals[i]);
    if (e->judged)
      judge_result_fini(&r->result);
    rules_free(r->rules);
    free(r->evals);
    free(r->jruns);
    free(r->settings_text);
  }
  free(e->rule);
  free(e->files);
  free(e->ev);
  free(e->text);
  memset(e, 0, sizeof *e);
}

/* Run i under rule r: the figure of its kind, its evidence and the
 * judgement, for "judgements". */
static struct tree *judgement_tree(const struct evidence_set *e,
                                   const struct evidence_rule *r, size_t i) {
  const struct judge_measure *m = &r->jruns[i].m;
  struct tree *o = tree_obj();
  tree_set_str(o, "rules", r->rules->id);
  tree_set_str(o, "kind", r->rules->kind);
  tree_set(o, "verdict", m->verdict == VERDICT_NONE ? tree_null()
                                                    : tree_str(verdict_name(m->verdict)));
  tree_set(o, "bytes_per_cycle", isfinite(m->bytes_per_cycle) ? tree_num(m->bytes_per_cycle)
                                                              : tree_null());
  tree_set(o, "ci95", tree_interval(m->ci_lo, m->ci_hi));
  tree_set(o, "reason", m->not_separable ? tree_str("not-separable") : tree_null());
  tree_set(o, "together_with", tree_str(m->not_separable ? m->together_with : NULL));
  tree_set(o, "evidence", rules_eval_tree(r->rules, &e->ev[i], &r->evals[i]));
  judge_set_run_fields(o, &r->in, &r->result, i);
  return o;
}

void evidence_attach(const struct evidence_set *e, size_t i,
                     struct tree *run_obj) {
  const struct evidence_rule *p = &e->rule[e->primary];
  tree_set_str(run_obj, "name", e->m->runs[i].name);
  tree_set(run_obj, "evidence", rules_eval_tree(p->rules, &e->ev[i], &p->evals[i]));
  judge_set_run_fields(run_obj, &p->in, &p->result, i);
  if (e->nrules < 2)
    return;
  struct tree *list = tree_set(run_obj, "judgements", tree_arr());
  for (size_t k = 0; k < e->nrules; k++)
    tree_push(list, judgement_tree(e, &e->rule[k], i));
}

static struct tree *rule_set_tree(const struct evidence_set *e) {
  struct tree *list = tree_arr();
  for (size_t k = 0; k < e->nrules; k++) {
    const struct rules *r = e->rule[k].rules;
    struct tree *o = tree_push(list, tree_obj());
    tree_set_str(o, "id", r->id);
    tree_set_str(o, "title", r->title);
    tree_set_str(o, "file", r->file);
    tree_set(o, "url", tree_str(r->url));
    tree_set_str(o, "kind", r->kind);
  }
  return list;
}

void evidence_finish(const struct evidence_set *e, struct tree *compare_obj) {
  const struct evidence_rule *p = &e->rule[e->primary];
  tree_set(compare_obj, "comparisons", judge_comparisons_tree(&p->in, &p->result));
  struct tree *c = tree_set(compare_obj, "conclusion", judge_conclusion_tree(&p->in, &p->result));
  if (e->nrules < 2)
    return;
  tree_set_str(c, "text", e->text);
  /* a run contradicts the rules when it contradicts any of them */
  struct tree *contra = tree_set(c, "contradictions", tree_arr());
  for (size_t i = 0; i < e->m->nruns; i++) {
    bool any = false;
    for (size_t k = 0; k < e->nrules; k++)
      any |= e->rule[k].result.consistent[i] == TRI_FALSE;
    if (any)
      tree_push(contra, tree_str(e->m->runs[i].name));
  }
  struct tree *list = tree_set(c, "rules", tree_arr());
  for (size_t k = 0; k < e->nrules; k++) {
    const struct evidence_rule *r = &e->rule[k];
    struct tree *o = tree_push(list, judge_conclusion_tree(&r->in, &r->result));
    tree_set_str(o, "rules", r->rules->id);
    tree_set_str(o, "kind", r->rules->kind);
    tree_set(o, "comparisons", judge_comparisons_tree(&r->in, &r->result));
  }
  tree_set(compare_obj, "rule_set", rule_set_tree(e));
}
