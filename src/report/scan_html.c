/* scan_html — the scan page (see scan_html.h). */
#include "config.h"
#include "report/scan_html.h"
#include "report/wallclock.h"
#include "util/bytefmt.h"
#include "util/htmlesc.h"
#include "util/timeutil.h"

#include <math.h>
#include <string.h>

#define PLOTS_MAX 12
#define W 300
#define H 150
#define ML 62 /* left margin: the y labels */
#define MB 30 /* bottom: the x labels */
#define MT 10
#define MR 10

static const char *const css =
    "body{font:15px/1.45 system-ui,sans-serif;color:#1d232b;margin:24px auto;"
    "max-width:1180px;padding:0 16px}\n"
    "h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:26px 0 8px}\n"
    ".answer{font-size:17px;padding:10px 14px;border-radius:4px;background:#fdecea;"
    "border:1px solid #e6a39a}.answer.calm{background:#eef6ee;border-color:#9fcf9f}\n"
    "code{font:13px ui-monospace,Consolas,monospace;word-break:break-all}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px}"
    "th,td{border-bottom:1px solid #d5dae1;padding:4px 6px;text-align:left;vertical-align:top}"
    "td.n{text-align:right;white-space:nowrap}\n"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}\n"
    "figure{margin:0;border:1px solid #d5dae1;padding:6px}figcaption{font-size:13px}\n"
    ".muted{color:#5b6472;font-size:13px}td .muted{font-size:inherit}\n"
    "@media print{body{max-width:none;margin:0}.grid{grid-template-columns:repeat(3,1fr)}"
    "figure{break-inside:avoid}table{font-size:10px}}\n";

static void signed_value(FILE *f, double v, const char *per) {
  char b[48];
  format_bytes(fabs(v), b, sizeof b);
  fprintf(f, "%s%s%s", v < 0 ? "\xe2\x88\x92" : "+", b, per); /* a true minus */
}

/* In a sentence: "leaks 32.0 KiB", no plus sign (a leak is positive). */
static void plain_value(FILE *f, double v, const char *per) {
  char b[48];
  format_bytes(v, b, sizeof b);
  fprintf(f, "%s%s", b, per);
}

/* "+1.20 MiB/h (95%: 1.10–1.30 MiB)", or an en dash when unknown. */
static void estimate(FILE *f, double v, double lo, double hi, const char *per) {
  if (isnan(v)) {
    fputs("\xe2\x80\x93", f);
    return;
  }
  signed_value(f, v, per);
  if (!isnan(lo) && !isnan(hi)) {
    char b[96];
    format_bytes_range(lo, hi, b, sizeof b);
    fputs(" <span class=\"muted\">(95%: ", f);
    html_escape(f, b);
    fputs(")</span>", f);
  }
}

static const char *verdict_words(const struct scan_process *p) {
  if (p->verdict == VERDICT_LEAK)
    return !p->grows_by ? "leak"
           : !strcmp(p->grows_by, "cycles") ? "leak per cycle"
           : !strcmp(p->grows_by, "time") ? "grows by the hour"
                                          : "grows (cycles or time: cannot tell)";
  return verdict_name(p->verdict);
}

static void answer(const struct scan_page *pg, FILE *f) {
  const struct scan_process *top = NULL;
  for (size_t i = 0; i < pg->r->nprocs && !top; i++)
    if (pg->r->procs[i].verdict == VERDICT_LEAK)
      top = &pg->r->procs[i];
  if (!top) {
    fprintf(f, "<p class=\"answer calm\">No process grows beyond the tolerance.</p>\n");
    return;
  }
  fputs("<p class=\"answer\"><b>", f);
  html_escape(f, top->process);
  fputs("</b> ", f);
  if (top->grows_by && !strcmp(top->grows_by, "cycles")) {
    fputs("leaks ", f);
    plain_value(f, top->leak.leak, "");
    fputs(" per load/unload of ", f);
    html_escape(f, top->leak.module);
  } else {
    fputs("grows ", f);
    plain_value(f, top->mem.slope, " per hour");
    fputs(top->grows_by && !strcmp(top->grows_by, "time") ? " by time" : "", f);
  }
  fputs(".<br>Next: <code>", f);
  html_escape(f, pg->next_command);
  fputs("</code></p>\n", f);
}

static long minutes_east(const struct scan_page *pg) {
  return (long)(pg->r->local_offset / USEC_PER_MIN);
}

/* "2026-03-05 09:00:00–11:59:55 (UTC+01:00, W. Europe Standard Time)":
 * the log's span on its own clock, the zone's name when the log gives one. */
static void clock_span(const struct scan_page *pg, FILE *f) {
  struct strbuf b;
  strbuf_init(&b);
  wallclock_span(&b, pg->r->first, pg->r->last, minutes_east(pg), true);
  const char *name = pg->r->tz_name;
  char zone[WALLCLOCK_ZONE_BUFSZ];
  if (name && *name && strcmp(name, wallclock_zone(minutes_east(pg), zone)) && b.len &&
      b.data[b.len - 1] == ')') {
    b.data[--b.len] = '\0';
    strbuf_addf(&b, ", %s)", name);
  }
  html_escape(f, b.data ? b.data : "");
  strbuf_fini(&b);
}

static void provenance(const struct scan_page *pg, FILE *f) {
  fputs(pg->nlogs > 1 ? "<p class=\"muted\">Logs " : "<p class=\"muted\">Log ", f);
  for (size_t i = 0; i < pg->nlogs; i++) {
    fputs(i ? ", <code>" : "<code>", f);
    html_escape(f, pg->logs[i]);
    fputs("</code>", f);
  }
  fprintf(f, ": %zu row%s, ", pg->r->rows, pg->r->rows == 1 ? "" : "s");
  clock_span(pg, f);
  for (size_t i = 0; i < pg->ntraces; i++) {
    fputs("; trace <code>", f);
    html_escape(f, pg->traces[i]);
    fputs("</code>", f);
  }
  if (pg->made_utc && strlen(pg->made_utc) >= 19) /* to the second, as the reports say it */
    fprintf(f, ". Made %.10s %.8s UTC", pg->made_utc, pg->made_utc + 11);
  fprintf(f, " by leakslope %s: <code>", PACKAGE_VERSION);
  html_escape(f, pg->command_line);
  fputs("</code></p>\n", f);
}

static void table(const struct scan_page *pg, FILE *f) {
  fputs("<table><thead><tr><th>#</th><th>process</th><th>pids</th><th>restarts</th>"
        "<th>counter</th><th>total growth per hour</th><th>leak per cycle</th>"
        "<th>handles per hour</th><th>verdict</th></tr></thead><tbody>\n", f);
  for (size_t i = 0; i < pg->top; i++) {
    const struct scan_process *p = &pg->r->procs[i];
    fprintf(f, "<tr><td class=\"n\">%zu</td><td>", i + 1);
    html_escape(f, p->process);
    fputs("</td><td>", f);
    for (size_t k = 0; k < p->npids; k++)
      fprintf(f, "%s%lld", k ? ", " : "", (long long)p->pids[k]);
    fprintf(f, "</td><td class=\"n\">%d</td><td>", p->lifetimes > 1 ? p->lifetimes - 1 : 0);
    html_escape(f, p->mem.have ? p->mem.name : "\xe2\x80\x93");
    fputs("</td><td>", f);
    estimate(f, p->mem.have ? p->mem.slope : NAN, p->mem.lo, p->mem.hi, "/h");
    fputs("</td><td>", f);
    if (p->has_leak) {
      html_escape(f, p->leak.module);
      fputs(": ", f);
      estimate(f, p->leak.leak, p->leak.leak_lo, p->leak.leak_hi, "");
    } else {
      fputs("\xe2\x80\x93", f);
    }
    if (p->handles.have && !isnan(p->handles.slope)) /* never "-0.0" */
      fprintf(f, "</td><td class=\"n\">%s%.1f",
              p->handles.slope <= -0.05 ? "\xe2\x88\x92" : p->handles.slope >= 0.05 ? "+" : "",
              fabs(p->handles.slope) < 0.05 ? 0.0 : fabs(p->handles.slope));
    else
      fputs("</td><td class=\"n\">\xe2\x80\x93", f);
    fputs("</td><td>", f);
    html_escape(f, verdict_words(p));
    if (p->handles.have && p->handles.verdict == VERDICT_LEAK)
      fputs("; handles leak", f);
    if (p->reason) {
      fputs(" (", f);
      html_escape(f, p->reason);
      fputs(")", f);
    }
    fputs("</td></tr>\n", f);
  }
  fputs("</tbody></table>\n", f);
  if (pg->top < pg->r->nprocs)
    fprintf(f, "<p class=\"muted\">%zu more processes in the JSON output.</p>\n",
            pg->r->nprocs - pg->top);
}

/* The x axis on the log's own clock: tics at round local times, the zone
 * in the label. */
static void time_axis(const struct scan_page *pg, double span, double pw, FILE *f) {
  usec_t first = pg->r->first + (usec_t)minutes_east(pg) * USEC_PER_MIN;
  /* as many tics as their labels leave room for: "09:30:00" is long */
  double step = wallclock_tic_step(span, span < 600 ? 4 : span < 172800 ? 5 : 3);
  usec_t ustep = (usec_t)step * USEC_PER_SEC;
  usec_t t = first / ustep * ustep;
  if (t < first)
    t += ustep;
  for (; t <= first + (usec_t)(span * (double)USEC_PER_SEC); t += ustep) {
    char label[32];
    double x = ML + pw * (double)(t - first) / (span * (double)USEC_PER_SEC);
    wallclock_tic_label(t, span, label, sizeof label);
    fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#9aa3ad\"/>"
               "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
            x, x, H - MB, H - MB + 3, x, H - MB + 13, label);
  }
  char zone[WALLCLOCK_ZONE_BUFSZ];
  fprintf(f, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\" fill=\"#5b6472\">time of "
             "day (%s)</text>", ML + pw / 2, H - 4, wallclock_zone(minutes_east(pg), zone));
}

/* One small multiple: the counter over the log's span, one polyline per
 * lifetime (alternating solid and dashed), labelled axes. */
static void small_plot(const struct scan_page *pg, const struct scan_process *p, size_t rank,
                       FILE *f) {
  double span = (double)(pg->r->last - pg->r->first) / (3600.0 * USEC_PER_SEC);
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < p->nplot; i++)
    lo = fmin(lo, p->plot_v[i]), hi = fmax(hi, p->plot_v[i]);
  if (!(span > 0) || p->nplot < 2)
    return;
  /* Noise on a steady process must not look like a climb: the y range
   * spans at least 5% of the level (and 1 MiB). */
  double least = fmax(0.05 * fabs(hi), 1048576.0);
  if (hi - lo < least) {
    double mid = (hi + lo) / 2;
    lo = mid - least / 2, hi = mid + least / 2;
  }
  char ylo[48], yhi[48];
  format_bytes(lo, ylo, sizeof ylo);
  format_bytes(hi, yhi, sizeof yhi);
  fputs("<figure><figcaption>", f);
  fprintf(f, "%zu. <b>", rank);
  html_escape(f, p->process);
  fputs("</b> \xe2\x80\x94 ", f);
  html_escape(f, verdict_words(p));
  if (p->handles.have && p->handles.verdict == VERDICT_LEAK)
    fputs("; handles leak", f);
  fprintf(f, "</figcaption><svg viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" "
             "xmlns=\"http://www.w3.org/2000/svg\" font-size=\"10\">", W, H);
  double pw = W - ML - MR, ph = H - MT - MB;
  fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
             "stroke=\"#9aa3ad\"/>", ML, MT, pw, ph);
  fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", ML - 3, MT + 8, yhi);
  fprintf(f, "<text x=\"%d\" y=\"%.0f\" text-anchor=\"end\">%s</text>", ML - 3, MT + ph, ylo);
  time_axis(pg, span * 3600, pw, f);
  for (size_t i = 0; i < p->nplot;) {
    int life = p->plot_life[i];
    fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"",
            life % 2 ? "#c0392b" : "#1f5fa8", life % 2 ? " stroke-dasharray=\"4 2\"" : "");
    for (; i < p->nplot && p->plot_life[i] == life; i++)
      fprintf(f, "%.1f,%.1f ", ML + pw * p->plot_h[i] / span,
              MT + ph * (1 - (p->plot_v[i] - lo) / (hi - lo)));
    fputs("\"/>", f);
  }
  fputs("</svg>", f);
  fputs("<div class=\"muted\">", f);
  html_escape(f, p->mem.name);
  if (p->lifetimes > 1)
    fprintf(f, "; %d lifetimes (dashed: every other one)", p->lifetimes);
  fputs("</div></figure>\n", f);
}

int scan_write_html(const struct scan_page *pg, FILE *f) {
  fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             "<title>leakslope scan: which process leaks?</title><style>%s</style></head>"
             "<body>\n<h1>Which process leaks?</h1>\n", css);
  answer(pg, f);
  provenance(pg, f);
  if (pg->r->nprocs == 0) {
    fputs("<p>The log has no Process counters to rank.</p>\n", f);
  } else {
    fputs("<h2>The processes, by growth</h2>\n", f);
    table(pg, f);
    fputs("<h2>The top growers over time</h2>\n<p class=\"muted\">Each process's ranked "
          "counter over the log, on the log's clock: ", f);
    clock_span(pg, f);
    fputs(".</p>\n<div class=\"grid\">\n", f);
    for (size_t i = 0; i < pg->top && i < PLOTS_MAX; i++)
      small_plot(pg, &pg->r->procs[i], i + 1, f);
    fputs("</div>\n", f);
  }
  fputs("</body></html>\n", f);
  return ferror(f) ? -1 : 0;
}
