/* analysis_render — one run's result as a tree and as text (see
 * analysis_render.h). */
#include "config.h"
#include "report/analysis_render.h"
#include "report/wallclock.h"
#include "util/bytefmt.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "+ 0.0": never print "-0" */
static struct tree *nullable_num(double v) { return isnan(v) ? tree_null() : tree_num(v + 0.0); }

/* --per: `leaks` (one entry a kind), `collinear` (pairs of kinds that move
 * together) and `per_hour` (time growth fitted beside them). */
static void kinds_to_tree(const struct analysis *a, struct tree *t) {
  struct tree *leaks = tree_set(t, "leaks", tree_arr());
  for (size_t i = 0; i < a->nkinds; i++) {
    const struct analysis_kind *k = &a->kinds[i];
    struct tree *e = tree_push(leaks, tree_obj());
    tree_set_str(e, "kind", k->kind);
    tree_set_int(e, "cycles", (long long)k->cycles);
    tree_set(e, "bytes_per_cycle", nullable_num(k->leak));
    tree_set(e, "ci95", tree_interval(k->leak_lo, k->leak_hi));
    tree_set_str(e, "verdict", verdict_name(k->verdict));
    tree_set(e, "reason", k->reason ? tree_str(k->reason) : tree_null());
    if (!isnan(k->together)) {
      struct tree *g = tree_set(e, "together", tree_obj());
      tree_set_str(g, "with", a->kinds[k->together_with].kind);
      tree_set(g, "bytes_per_cycle", nullable_num(k->together));
      tree_set(g, "ci95", tree_interval(k->together_lo, k->together_hi));
      tree_set_int(g, "unpaired_cycles_needed", llround(k->unpaired_needed));
    } else {
      tree_set_null(e, "together");
    }
  }
  struct tree *col = tree_set(t, "collinear", tree_arr());
  for (size_t i = 0; i < a->ncollinear; i++) {
    struct tree *pair = tree_push(col, tree_arr());
    tree_push(pair, tree_str(a->kinds[a->collinear[i][0]].kind));
    tree_push(pair, tree_str(a->kinds[a->collinear[i][1]].kind));
  }
  struct tree *h = tree_set(t, "per_hour", tree_obj());
  tree_set(h, "bytes_per_hour", nullable_num(a->kinds_growth));
  tree_set(h, "ci95", tree_interval(a->kinds_growth_lo, a->kinds_growth_hi));
}

/* Text lines of --per: each kind's figure, or with whom it moves. */
static void kinds_write_text(const struct analysis *a, FILE *f) {
  for (size_t i = 0; i < a->nkinds; i++) {
    const struct analysis_kind *k = &a->kinds[i];
    fprintf(f, "  per %-8s ", k->kind);
    if (!isnan(k->leak))
      fprintf(f, "%.1f B (95%%: %.1f to %.1f) over %zu cycles: %s\n", k->leak, k->leak_lo,
              k->leak_hi, k->cycles, verdict_name(k->verdict));
    else if (!isnan(k->together) && k->together_with != i)
      fprintf(f, "moves in step with %s: together %.1f B (95%%: %.1f to %.1f) per cycle; "
                 "add ~%.0f %s cycles without a %s one (or the reverse) to tell them apart\n",
              a->kinds[k->together_with].kind, k->together, k->together_lo, k->together_hi,
              k->unpaired_needed, k->kind, a->kinds[k->together_with].kind);
    else if (!isnan(k->together))
      fprintf(f, "%zu cycles, in step with another kind (below)\n", k->cycles);
    else
      fprintf(f, "%zu cycles inside the counter log: nothing to fit\n", k->cycles);
  }
  if (!isnan(a->kinds_growth) && a->kinds_growth != a->growth)
    fprintf(f, "  per hour     %.0f B (95%%: %.0f to %.0f) beside the kinds\n", a->kinds_growth,
            a->kinds_growth_lo, a->kinds_growth_hi);
}

struct tree *analysis_to_tree(const struct analysis *a) {
  struct tree *t = tree_obj();
  tree_set_str(t, "schema", "leakslope/analyze/1");
  tree_set_str(t, "counters_file", a->counters_file);
  tree_set_str(t, "events_file", a->events_file);
  /* every file, for a run given several (rolled-over logs, merged traces) */
  struct tree *logs = tree_set(t, "counters_files", tree_arr());
  struct tree *traces = tree_set(t, "events_files", tree_arr());
  for (size_t i = 0; i < a->ninputs; i++)
    tree_push(strcmp(a->inputs[i].kind, "events") == 0 ? traces : logs,
              tree_str(a->inputs[i].name));
  tree_set_str(t, "counter", a->counter);
  tree_set_str(t, "process", a->process);
  tree_set_str(t, "module", a->module);
  tree_set_int(t, "samples", (long long)a->samples);
  tree_set(t, "cycles", a->per_cycle ? tree_int((long long)a->cycles) : tree_null());
  tree_set_int(t, "warmup_cycles", (long long)a->warmup_cycles);
  tree_set_int(t, "lifetimes", a->lifetimes);
  struct tree *leak = tree_set(t, "leak", tree_obj());
  tree_set(leak, "bytes_per_cycle", nullable_num(a->leak));
  tree_set(leak, "ci95", tree_interval(a->leak_lo, a->leak_hi));
  tree_set_str(leak, "method", a->method);
  struct tree *tg = tree_set(t, "time_growth", tree_obj());
  tree_set(tg, "bytes_per_hour", nullable_num(a->growth));
  tree_set(tg, "ci95", tree_interval(a->growth_lo, a->growth_hi));
  tree_set_bool(tg, "separable", a->separable);
  tree_set_str(t, "verdict", verdict_name(a->verdict));
  tree_set_num(t, "tolerance_bytes_per_cycle", a->tolerance);
  tree_set(t, "cycles_needed", isnan(a->cycles_needed) ? tree_null()
                                                       : tree_int(llround(a->cycles_needed)));
  tree_set(t, "reason", a->reason ? tree_str(a->reason) : tree_null());
  if (a->slope_changed) {
    struct tree *c = tree_set(t, "slope_change", tree_obj());
    tree_set_int(c, "at_cycle", llround(a->change_at));
    tree_set(c, "between", tree_interval(round(a->change_from), round(a->change_to)));
    struct tree *b = tree_set(c, "before", tree_obj());
    tree_set(b, "bytes_per_cycle", nullable_num(a->before));
    tree_set(b, "ci95", tree_interval(a->before_lo, a->before_hi));
    struct tree *f = tree_set(c, "after", tree_obj());
    tree_set(f, "bytes_per_cycle", nullable_num(a->leak));
    tree_set(f, "ci95", tree_interval(a->leak_lo, a->leak_hi));
  } else {
    tree_set_null(t, "slope_change");
  }
  if (a->has_projection) {
    struct tree *p = tree_set(t, "projection", tree_obj());
    tree_set_str(p, "counter", a->projection_counter);
    tree_set_num(p, "limit_bytes", a->limit_bytes);
    tree_set(p, "cycles_to_limit", nullable_num(round(a->cycles_to_limit)));
    tree_set(p, "hours_to_limit", nullable_num(a->hours_to_limit));
  } else {
    tree_set_null(t, "projection");
  }
  if (a->per_kinds)
    kinds_to_tree(a, t);
  tree_set(t, "warnings", tree_of_warnings(&a->warnings, false));
  tree_set(t, "diagnostics", tree_of_warnings(&a->warnings, true));
  return t;
}

static void format_hours(double h, char *buf, size_t cap) {
  if (h < 1)
    snprintf(buf, cap, "~%.0f min", h * 60);
  else if (h < 72)
    snprintf(buf, cap, "~%.0f h", h);
  else
    snprintf(buf, cap, "~%.0f days", h / 24);
}

static char *growth_only_sentence(const struct analysis *a) {
  char g[64], r[160];
  if (isnan(a->growth))
    return xasprintf("%s: not enough samples of %s to measure anything",
                     a->process, a->counter ? a->counter : "the counter");
  format_bytes(a->growth, g, sizeof g);
  format_bytes_range(a->growth_lo, a->growth_hi, r, sizeof r);
  return xasprintf("%s grows by %s per hour (95%%: %s); without a trace or "
                   "--cycles/--cycle-period no per-cycle figure is possible",
                   a->process, g, r);
}

/* "per load/unload of MODULE" when the cycles came from a trace; with
 * --cycles/--cycle-period no module was involved: "per cycle". */
static const char *per_what(const struct analysis *a, char *buf, size_t n) {
  if (a->events_file && a->module && a->module[0] == ':') /* a named cycle */
    snprintf(buf, n, "per %s cycle", a->module + 1);
  else if (a->events_file && a->module)
    snprintf(buf, n, "per load/unload of %s", a->module);
  else
    snprintf(buf, n, "per cycle");
  return buf;
}

/* --per, the first kind in step with another: only their sum is known. */
static char *in_step_sentence(const struct analysis *a) {
  const struct analysis_kind *k = &a->kinds[0];
  char sum[64], r[160], others[400] = "";
  format_bytes(k->together, sum, sizeof sum);
  format_bytes_range(k->together_lo, k->together_hi, r, sizeof r);
  for (size_t i = 1; i < a->nkinds; i++)
    if (a->kinds[i].together_with == k->together_with && !isnan(a->kinds[i].together))
      snprintf(others + strlen(others), sizeof others - strlen(others), "%s%s",
               *others ? ", " : "", a->kinds[i].kind);
  return xasprintf("%s grows by %s per cycle of %s and %s together (95%%: %s): they move in "
                   "step, so this capture cannot tell which of them leaks",
                   a->process, sum, k->kind, others, r);
}

char *analysis_kind_sentence(const struct analysis *a, size_t i) {
  const struct analysis_kind *k = &a->kinds[i];
  char v[160];
  if (!isnan(k->leak)) {
    format_bytes_ci(k->leak, k->leak_lo, k->leak_hi, v, sizeof v);
    return xasprintf("per %s: %s over %zu cycles: %s", k->kind, v, k->cycles,
                     verdict_name(k->verdict));
  }
  if (!isnan(k->together)) {
    const char *with = a->kinds[k->together_with].kind;
    for (size_t j = 0; k->together_with == i && j < a->nkinds; j++)
      if (j != i && a->kinds[j].together_with == i)
        with = a->kinds[j].kind;
    format_bytes_ci(k->together, k->together_lo, k->together_hi, v, sizeof v);
    return xasprintf("per %s: moves in step with %s (together %s per pair): not "
                     "separable", k->kind, with, v);
  }
  return xasprintf("per %s: %zu cycles inside the counter log: nothing to fit", k->kind,
                   k->cycles);
}

char *analysis_sentence(const struct analysis *a) {
  char per[300];
  if (a->per_kinds && a->nkinds > 0 && !isnan(a->kinds[0].together))
    return in_step_sentence(a);
  if (!a->per_cycle || a->verdict == VERDICT_NONE)
    return growth_only_sentence(a);
  if (isnan(a->leak) || isnan(a->leak_lo) || isnan(a->leak_hi))
    return xasprintf("inconclusive: %s's leak %s cannot be measured "
                     "from %zu cycle(s) inside the counter log (see the warnings)",
                     a->process, per_what(a, per, sizeof per), a->cycles);
  char leak[64], range[160], tol[64];
  format_bytes(a->leak, leak, sizeof leak);
  format_bytes_range(a->leak_lo, a->leak_hi, range, sizeof range);
  format_bytes(a->tolerance, tol, sizeof tol);
  struct strbuf b;
  strbuf_init(&b);
  switch (a->verdict) {
  case VERDICT_LEAK:
    strbuf_addf(&b, "%s leaks %s %s (95%%: %s)", a->process, leak,
                per_what(a, per, sizeof per), range);
    if (!isnan(a->cycles_per_hour) && a->cycles_per_hour > 0) {
      char ph[64];
      format_bytes(a->leak * a->cycles_per_hour, ph, sizeof ph);
      strbuf_addf(&b, ", about %s per hour at the observed rate", ph);
    }
    if (a->has_projection && !isnan(a->hours_to_limit)) {
      char lim[64], h[48];
      format_bytes(a->limit_bytes, lim, sizeof lim);
      format_hours(a->hours_to_limit, h, sizeof h);
      strbuf_addf(&b, "; %s would be reached in %s", lim, h);
    }
    break;
  case VERDICT_NO_LEAK:
    if (a->leak_hi < -a->tolerance) { /* clearly negative: say so */
      char shrink[64], srange[160];
      format_bytes(-a->leak, shrink, sizeof shrink);
      format_bytes_range(-a->leak_hi, -a->leak_lo, srange, sizeof srange);
      strbuf_addf(&b, "%s does not leak %s: it shrinks by %s per cycle "
                  "(95%%: %s)",
                  a->process, per_what(a, per, sizeof per), shrink, srange);
    } else {
      strbuf_addf(&b, "%s does not leak %s: %s per cycle (95%%: %s), "
                  "below the tolerance of %s",
                  a->process, per_what(a, per, sizeof per), leak, range, tol);
    }
    break;
  default:
    if (a->leak_lo > a->tolerance && a->reason && !strcmp(a->reason, "warming-up")) {
      /* above the tolerance, but not above what the warm-up still adds */
      char end[64];
      format_bytes(a->warmup_end_slope, end, sizeof end);
      strbuf_addf(&b, "inconclusive: %s's leak %s is %s (95%%: %s), above the "
                  "tolerance of %s but not above the %s per cycle the warm-up may "
                  "still add",
                  a->process, per_what(a, per, sizeof per), leak, range, tol, end);
    } else
      strbuf_addf(&b, "inconclusive: %s's leak %s is %s (95%%: %s), "
                  "which straddles the tolerance of %s",
                  a->process, per_what(a, per, sizeof per), leak, range, tol);
    if (!isnan(a->cycles_needed))
      strbuf_addf(&b, "; about %.0f cycles in all would decide", a->cycles_needed);
    break;
  }
  return strbuf_detach(&b);
}

/* Why the verdict is what it is, in one sentence ("" when there is no
 * reason beyond the interval). */
static void reason_sentence(const struct analysis *a, FILE *f) {
  if (!a->reason)
    return;
  if (strcmp(a->reason, "warming-up") == 0) {
    char end[64];
    format_bytes(a->warmup_end_slope, end, sizeof end);
    fprintf(f, "Growth is slowing down: still warming up after %zu cycles (the "
            "warm-up still adds about %s per cycle at the end)", a->cycles, end);
    if (a->verdict == VERDICT_INCONCLUSIVE && !isnan(a->cycles_needed))
      fprintf(f, "; about %.0f cycles in all would tell", a->cycles_needed);
    fputs(".\n\n", f);
  } else if (strcmp(a->reason, "too-few-cycles") == 0) {
    fprintf(f, "%zu cycles are too few to tell a leak from the noise.\n\n", a->cycles);
  } else if (strcmp(a->reason, "not-separable") == 0) {
    fputs("Growth per cycle and growth per hour cannot be told apart at this "
          "steady cycle rate; cycle in bursts with pauses to separate them.\n\n", f);
  } else if (strcmp(a->reason, "slope-changed") == 0 && a->slope_changed) {
    char before[64], brange[160], after[64];
    format_bytes(a->before, before, sizeof before);
    format_bytes_range(a->before_lo, a->before_hi, brange, sizeof brange);
    format_bytes(a->leak, after, sizeof after);
    char where[96];
    if (a->change_from < a->change_to)
      snprintf(where, sizeof where, "at about cycle %.0f (between %.0f and %.0f)",
               a->change_at, a->change_from, a->change_to);
    else
      snprintf(where, sizeof where, "at cycle %.0f", a->change_at);
    fprintf(f, "The leak per cycle changed %s: %s per cycle before (95%%: %s), "
            "%s after; the verdict is on the part after cycle %.0f.\n\n",
            where, before, brange, after, a->change_to);
  }
}

void analysis_write_text(const struct analysis *a, FILE *f) {
  char *s = analysis_sentence(a);
  fprintf(f, "%s.\n\n", s);
  free(s);
  reason_sentence(a, f);
  fprintf(f, "  counter      %s\n", a->counter ? a->counter : "-");
  fprintf(f, "  samples      %zu", a->samples);
  if (a->lifetimes > 1)
    fprintf(f, " in %d process lifetimes", a->lifetimes);
  fputc('\n', f);
  if (a->per_cycle) {
    fprintf(f, "  cycles       %zu", a->cycles);
    if (a->warmup_cycles)
      fprintf(f, " (after %zu warm-up cycles)", a->warmup_cycles);
    fputc('\n', f);
    if (!isnan(a->leak))
      fprintf(f, "  per cycle    %.1f B (95%%: %.1f to %.1f), %s%s\n", a->leak, a->leak_lo,
              a->leak_hi, a->method ? a->method : "-",
              a->slope_changed ? ", after the change" : "");
    if (a->slope_changed)
      fprintf(f, "  before       %.1f B (95%%: %.1f to %.1f) up to cycle %.0f\n",
              a->before, a->before_lo, a->before_hi, a->change_from);
  }
  if (!isnan(a->growth))
    fprintf(f, "  per hour     %.0f B (95%%: %.0f to %.0f)%s\n", a->growth, a->growth_lo,
            a->growth_hi,
            a->per_cycle && !a->separable ? "; not separable from the per-cycle leak: "
                                            "the cycle rate was too steady"
                                          : "");
  if (a->per_kinds)
    kinds_write_text(a, f);
  if (a->has_projection) {
    fprintf(f, "  projection   %s reaches %.0f B", a->projection_counter, a->limit_bytes);
    if (!isnan(a->cycles_to_limit))
      fprintf(f, " after ~%.0f cycles", a->cycles_to_limit);
    if (!isnan(a->hours_to_limit))
      fprintf(f, " (%.1f h)", a->hours_to_limit);
    fputc('\n', f);
  }
  /* a time in a warning on the log's clock, as the reports say it */
  long bias = 0;
  bool known = false;
  for (size_t i = 0; i < a->ninputs && !known; i++)
    if (!strcmp(a->inputs[i].kind, "counters") && a->inputs[i].has_bias) {
      bias = a->inputs[i].bias_minutes;
      known = true;
    }
  for (size_t i = 0; i < a->warnings.count; i++) {
    struct strbuf b;
    strbuf_init(&b);
    wallclock_text(&b, a->warnings.items[i].message, -bias, known);
    fprintf(f, "  warning      %s\n", b.data ? b.data : "");
    strbuf_fini(&b);
  }
}
