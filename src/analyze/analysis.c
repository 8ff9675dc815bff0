/* analysis — one run's result: its life cycle (see analysis.h). */
#include "config.h"
#include "analyze/analysis.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void analysis_init(struct analysis *a) {
  memset(a, 0, sizeof *a);
  a->leak = a->leak_lo = a->leak_hi = NAN;
  a->growth = a->growth_lo = a->growth_hi = NAN;
  a->cycles_needed = a->cycles_per_hour = a->warmup_end_slope = NAN;
  a->change_at = a->change_from = a->change_to = NAN;
  a->before = a->before_lo = a->before_hi = NAN;
  a->kinds_growth = a->kinds_growth_lo = a->kinds_growth_hi = NAN;
  a->verdict = VERDICT_NONE;
  a->tolerance = 64;
  warnings_init(&a->warnings);
}

void analysis_fini(struct analysis *a) {
  free(a->counters_file);
  free(a->events_file);
  free(a->counter);
  free(a->process);
  free(a->module);
  free(a->trace_version);
  for (size_t i = 0; i < a->nkinds; i++)
    free(a->kinds[i].kind);
  free(a->kinds);
  free(a->collinear);
  warnings_fini(&a->warnings);
  for (size_t i = 0; i < a->ninputs; i++) {
    free(a->inputs[i].name);
    free(a->inputs[i].format);
    free(a->inputs[i].encoding);
  }
  free(a->inputs);
  analysis_init(a);
}

struct analysis_input *analysis_add_input(struct analysis *a, const char *name,
                                          const char *kind, const char *format) {
  a->inputs = xreallocarray(a->inputs, a->ninputs + 1, sizeof *a->inputs);
  struct analysis_input *in = &a->inputs[a->ninputs++];
  memset(in, 0, sizeof *in);
  in->name = xstrdup(name);
  in->kind = kind;
  in->format = format ? xstrdup(format) : NULL;
  return in;
}

const char *verdict_name(enum verdict v) {
  switch (v) {
  case VERDICT_LEAK: return "leak";
  case VERDICT_NO_LEAK: return "no-leak";
  case VERDICT_INCONCLUSIVE: return "inconclusive";
  case VERDICT_NONE: break;
  }
  return NULL;
}
