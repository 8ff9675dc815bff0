/* report — the result of `compare` as one self-contained HTML page or as
 * Markdown, written from the same result tree as its JSON and YAML.
 *
 * The tree has DESIGN.md's compare shape: schema, runs[] (each an analyze
 * object plus name, evidence, expected, consistent), comparisons[],
 * conclusion {hotfix_effective, registry_setting_effective, text}, and
 * provenance {tool, version, command_line, inputs[{name, size, sha256,
 * format, encoding, bias_minutes, ...}]}. Missing fields show as a dash, so
 * a partial tree still renders. Every string from the tree and every plot
 * caption is escaped for the output format; nothing else is trusted to be
 * plain text. Both writers put the answer first (one line, then the KB,
 * hosts, run dates and report time; report_summary.c), then any run that
 * contradicts the rules as an alert, each run's evidence as one line,
 * comparisons, plots (summary first, each run's after or folded), how each
 * run was measured, warnings and provenance. */
#ifndef LEAKSLOPE_REPORT_H
#define LEAKSLOPE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report/plot.h"
#include "util/tree.h"

struct report_plot {
  const char *title;     /* caption; input text, escaped by the writers */
  const char *svg;       /* the SVG document: HTML embeds it as a data: URI */
  size_t svg_len;
  const char *href;      /* where Markdown links the image (a kept file,
                            relative to the report); NULL: not linked */
  int run;               /* 0-based run of a per-run plot; -1: a summary plot
                            of every run (shown first, the others folded) */
};

struct report_input {
  const struct tree *result;       /* the compare tree */
  const struct report_plot *plots; /* in the order to show */
  size_t nplots;
  const char *no_plots_reason;     /* with nplots == 0: why there are none
                                      ("gnuplot not found on PATH ...") */
  const char *generated_utc;       /* when the report was made (UTC, as
                                      time_format_utc); NULL: not shown */
  bool plots_asked;                /* --plots was given: without plots the
                                      Markdown says why, else says nothing */
};

/* The images of s as report plots, in s's order; with href_dir (where the
 * report should link a kept plots folder, relative to the report), each href
 * is "HREF_DIR/STEM.svg", else NULL. s must outlive the result. Free with
 * report_plots_free. */
struct report_plot *report_plots_from_set(const struct plot_set *s,
                                          const char *href_dir);
void report_plots_free(struct report_plot *p, size_t n);

/* How a report written to REPORT links to the folder DIR (both as given on
 * the command line, relative to the current folder or absolute): DIR
 * relative to REPORT's folder ("plots", "../plots"), worked out lexically.
 * REPORT NULL or "-" (standard output): DIR itself. Malloc'ed. */
char *report_link_dir(const char *report, const char *dir);

/* Write the report; 0, or -1 on a write error (errno set). */
int report_write_html(const struct report_input *in, FILE *f);
int report_write_md(const struct report_input *in, FILE *f);

#endif
