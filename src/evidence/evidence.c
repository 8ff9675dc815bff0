/* evidence — manifest + rules + measurements -> judgement (see evidence.h). */
#include "config.h"
#include "evidence/evidence.h"
#include "util/tree.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

int evidence_load(struct evidence_set *e, const struct manifest *m,
                  struct warnings *w, struct diag *d) {
  memset(e, 0, sizeof *e);
  e->m = m;
  size_t n = m->nruns ? m->nruns : 1;
  e->files = xcalloc(n, sizeof *e->files);
  e->ev = xcalloc(n, sizeof *e->ev);
  e->evals = xcalloc(n, sizeof *e->evals);
  e->jruns = xcalloc(n, sizeof *e->jruns);
  e->rules = rules_load(m->rules, d);
  if (!e->rules)
    return -1;
  for (size_t i = 0; i < m->nruns; i++) {
    const struct manifest_run *r = &m->runs[i];
    if (r->registry && !(e->files[i] = regfile_read(r->registry, w, d)))
      return -1;
    e->ev[i].run = r->name;
    e->ev[i].module_version = r->module_version;
    e->ev[i].registry = e->files[i] ? e->files[i] : r->registry_values;
  }
  struct strbuf s;
  strbuf_init(&s);
  for (size_t i = 0; i < e->rules->nsettings; i++)
    strbuf_addf(&s, "%s%s", i ? " and " : "", e->rules->settings[i].display);
  e->settings_text = strbuf_detach(&s);
  return 0;
}

void evidence_judge(struct evidence_set *e, const struct judge_measure *measures,
                    const char *const *trace_versions, struct warnings *w) {
  const struct manifest *m = e->m;
  for (size_t i = 0; i < m->nruns; i++) {
    e->ev[i].trace_version = trace_versions ? trace_versions[i] : NULL;
    rules_evaluate(e->rules, &e->ev[i], w, &e->evals[i]);
    struct judge_run *j = &e->jruns[i];
    j->name = m->runs[i].name;
    j->m = measures[i];
    j->hotfix = e->evals[i].hotfix;
    j->settings = e->evals[i].settings_all;
    j->expected = e->evals[i].expected;
  }
  struct judge_input in = {e->jruns, m->nruns, m->baseline, e->rules->id,
                           e->rules->module, e->rules->fixed_text,
                           e->settings_text};
  e->in = in;
  judge_compute(&e->in, &e->result);
  e->judged = true;
}

void evidence_fini(struct evidence_set *e) {
  size_t n = e->m ? e->m->nruns : 0;
  for (size_t i = 0; i < n; i++) {
    regfile_free(e->files[i]);
    if (e->judged)
      rules_eval_fini(&e->evals[i]);
  }
  if (e->judged)
    judge_result_fini(&e->result);
  rules_free(e->rules);
  free(e->files);
  free(e->ev);
  free(e->evals);
  free(e->jruns);
  free(e->settings_text);
  memset(e, 0, sizeof *e);
}

void evidence_attach(const struct evidence_set *e, size_t i,
                     struct tree *run_obj) {
  tree_set_str(run_obj, "name", e->m->runs[i].name);
  tree_set(run_obj, "evidence",
           rules_eval_tree(e->rules, &e->ev[i], &e->evals[i]));
  judge_set_run_fields(run_obj, &e->in, &e->result, i);
}

void evidence_finish(const struct evidence_set *e, struct tree *compare_obj) {
  tree_set(compare_obj, "comparisons", judge_comparisons_tree(&e->in, &e->result));
  tree_set(compare_obj, "conclusion", judge_conclusion_tree(&e->in, &e->result));
}
