/* compare_plots — from the runs' analyses to the plot module's plain input
 * and back to the report's plot list: the glue between analyze's detail
 * (samples, cycles, fit) and plot/report, which know nothing of analysis. */
#ifndef LEAKSLOPE_COMPARE_PLOTS_H
#define LEAKSLOPE_COMPARE_PLOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/analysis.h"
#include "analyze/analyze.h"
#include "report/plot.h"
#include "report/report.h"

struct compare_plots {
  struct plot_set set;
  struct report_plot *items;
  size_t count;
  char *why_none; /* why there are no plots (gnuplot missing, ...) */
  bool failed;    /* plots were wanted and could not be drawn */
  bool cantcreat; /* ... because the plots folder could not be written */
};

/* Render the plots of these runs (when `want`), keeping their files in
 * keep_dir when not NULL; the report links them as href_dir/STEM.svg (keep_dir
 * as seen from the report's folder; NULL: not linked). Never fails: on failure `failed` and `why_none`
 * say why, and the report goes on without plots. */
void compare_plots_make(struct compare_plots *p, const char *const *names,
                        const struct analysis *const *runs,
                        const struct analyze_detail *const *details, size_t nruns,
                        bool want, const char *keep_dir, const char *href_dir);
void compare_plots_fini(struct compare_plots *p);

#endif
