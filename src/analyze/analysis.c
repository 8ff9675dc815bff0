/* analysis — one run's result as a tree and as text (see analysis.h). */
#include "config.h"
#include "util/tree.h"
#include "analyze/analysis.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void analysis_init(struct analysis *a) {
  memset(a, 0, sizeof *a);
  a->leak = a->leak_lo = a->leak_hi = NAN;
  a->growth = a->growth_lo = a->growth_hi = NAN;
  a->cycles_needed = a->cycles_per_hour = NAN;
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

static struct tree *interval(double lo, double hi) {
  if (isnan(lo) || isnan(hi))
    return tree_null();
  struct tree *t = tree_arr();
  tree_push(t, tree_num(lo + 0.0));
  tree_push(t, tree_num(hi + 0.0));
  return t;
}

/* "+ 0.0": never print "-0" */
static struct tree *nullable_num(double v) { return isnan(v) ? tree_null() : tree_num(v + 0.0); }

struct tree *analysis_to_tree(const struct analysis *a) {
  struct tree *t = tree_obj();
  tree_set_str(t, "schema", "leakslope/analyze/1");
  tree_set_str(t, "counters_file", a->counters_file);
  tree_set_str(t, "events_file", a->events_file);
  tree_set_str(t, "counter", a->counter);
  tree_set_str(t, "process", a->process);
  tree_set_str(t, "module", a->module);
  tree_set_int(t, "samples", (long long)a->samples);
  tree_set(t, "cycles", a->per_cycle ? tree_int((long long)a->cycles) : tree_null());
  tree_set_int(t, "warmup_cycles", (long long)a->warmup_cycles);
  tree_set_int(t, "lifetimes", a->lifetimes);
  struct tree *leak = tree_set(t, "leak", tree_obj());
  tree_set(leak, "bytes_per_cycle", nullable_num(a->leak));
  tree_set(leak, "ci95", interval(a->leak_lo, a->leak_hi));
  tree_set_str(leak, "method", a->method);
  struct tree *tg = tree_set(t, "time_growth", tree_obj());
  tree_set(tg, "bytes_per_hour", nullable_num(a->growth));
  tree_set(tg, "ci95", interval(a->growth_lo, a->growth_hi));
  tree_set_bool(tg, "separable", a->separable);
  tree_set_str(t, "verdict", verdict_name(a->verdict));
  tree_set_num(t, "tolerance_bytes_per_cycle", a->tolerance);
  tree_set(t, "cycles_needed", isnan(a->cycles_needed) ? tree_null()
                                                       : tree_int(llround(a->cycles_needed)));
  if (a->has_projection) {
    struct tree *p = tree_set(t, "projection", tree_obj());
    tree_set_str(p, "counter", a->projection_counter);
    tree_set_num(p, "limit_bytes", a->limit_bytes);
    tree_set(p, "cycles_to_limit", nullable_num(round(a->cycles_to_limit)));
    tree_set(p, "hours_to_limit", nullable_num(a->hours_to_limit));
  } else {
    tree_set_null(t, "projection");
  }
  tree_set(t, "warnings", tree_of_warnings(&a->warnings, false));
  tree_set(t, "diagnostics", tree_of_warnings(&a->warnings, true));
  return t;
}

static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};

/* Index of the binary unit that suits |bytes|. */
static int unit_for(double bytes) {
  int u = 0;
  double v = fabs(bytes);
  while (v >= 1024 && u < 4) {
    v /= 1024;
    u++;
  }
  return u;
}

/* A figure that rounds to zero is "0", never "-0". */
static void drop_negative_zero(char *buf) {
  if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
    memmove(buf, buf + 1, strlen(buf));
}

static void format_in_unit(double bytes, int u, char *buf, size_t cap) {
  double v = bytes / pow(1024, u);
  if (u == 0)
    snprintf(buf, cap, "%.0f", v);
  else
    snprintf(buf, cap, fabs(v) < 10 ? "%.2f" : fabs(v) < 100 ? "%.1f" : "%.0f", v);
  drop_negative_zero(buf);
}

void format_bytes(double bytes, char *buf, size_t cap) {
  int u = unit_for(bytes);
  char num[48];
  format_in_unit(bytes, u, num, sizeof num);
  snprintf(buf, cap, "%s %s", num, units[u]);
}

/* "39.8–40.2 KiB": both ends in the unit of the larger end, with as many
 * decimals (up to 4) as it takes for two different ends to read different:
 * a narrow interval must not print as "40.0–40.0 KiB". */
static void format_range(double lo, double hi, char *buf, size_t cap) {
  int u = unit_for(fmax(fabs(lo), fabs(hi)));
  char a[48], b[48];
  format_in_unit(lo, u, a, sizeof a);
  format_in_unit(hi, u, b, sizeof b);
  double scale = pow(1024, u);
  for (int digits = 1; u > 0 && lo != hi && !strcmp(a, b) && digits <= 4; digits++) {
    snprintf(a, sizeof a, "%.*f", digits, lo / scale + 0.0);
    snprintf(b, sizeof b, "%.*f", digits, hi / scale + 0.0);
    drop_negative_zero(a);
    drop_negative_zero(b);
  }
  if (!strcmp(a, b)) { /* still alike at 4 decimals: the plain form says it */
    format_in_unit(lo, u, a, sizeof a);
    format_in_unit(hi, u, b, sizeof b);
  }
  snprintf(buf, cap, "%s\u2013%s %s", a, b, units[u]);
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
  format_range(a->growth_lo, a->growth_hi, r, sizeof r);
  return xasprintf("%s grows by %s per hour (95%%: %s); without a trace or "
                   "--cycles/--cycle-period no per-cycle figure is possible",
                   a->process, g, r);
}

char *analysis_sentence(const struct analysis *a) {
  if (!a->per_cycle || a->verdict == VERDICT_NONE)
    return growth_only_sentence(a);
  if (isnan(a->leak) || isnan(a->leak_lo) || isnan(a->leak_hi))
    return xasprintf("inconclusive: %s's leak per load/unload of %s cannot be measured "
                     "from %zu cycle(s) inside the counter log (see the warnings)",
                     a->process, a->module, a->cycles);
  char leak[64], range[160], tol[64];
  format_bytes(a->leak, leak, sizeof leak);
  format_range(a->leak_lo, a->leak_hi, range, sizeof range);
  format_bytes(a->tolerance, tol, sizeof tol);
  struct strbuf b;
  strbuf_init(&b);
  switch (a->verdict) {
  case VERDICT_LEAK:
    strbuf_addf(&b, "%s leaks %s per load/unload of %s (95%%: %s)", a->process, leak,
                a->module, range);
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
    strbuf_addf(&b, "%s does not leak per load/unload of %s: %s per cycle (95%%: %s), "
                "below the tolerance of %s",
                a->process, a->module, leak, range, tol);
    break;
  default:
    strbuf_addf(&b, "inconclusive: %s's leak per load/unload of %s is %s (95%%: %s), "
                "which straddles the tolerance of %s",
                a->process, a->module, leak, range, tol);
    if (!isnan(a->cycles_needed))
      strbuf_addf(&b, "; about %.0f cycles in all would decide", a->cycles_needed);
    break;
  }
  return strbuf_detach(&b);
}

void analysis_write_text(const struct analysis *a, FILE *f) {
  char *s = analysis_sentence(a);
  fprintf(f, "%s.\n\n", s);
  free(s);
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
      fprintf(f, "  per cycle    %.1f B (95%%: %.1f to %.1f), %s\n", a->leak, a->leak_lo,
              a->leak_hi, a->method ? a->method : "-");
  }
  if (!isnan(a->growth))
    fprintf(f, "  per hour     %.0f B (95%%: %.0f to %.0f)%s\n", a->growth, a->growth_lo,
            a->growth_hi,
            a->per_cycle && !a->separable ? "; not separable from the per-cycle leak: "
                                            "the cycle rate was too steady"
                                          : "");
  if (a->has_projection)
    fprintf(f, "  projection   %s reaches %.0f B after ~%.0f cycles (%.1f h)\n",
            a->projection_counter, a->limit_bytes, a->cycles_to_limit, a->hours_to_limit);
  for (size_t i = 0; i < a->warnings.count; i++)
    fprintf(f, "  warning      %s\n", a->warnings.items[i].message);
}
