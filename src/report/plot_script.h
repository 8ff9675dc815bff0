/* plot_script — writes the gnuplot script and data file of each plot (no
 * I/O: both are built in memory, and plot.c runs them). Internal to plot. */
#ifndef LEAKSLOPE_PLOT_SCRIPT_H
#define LEAKSLOPE_PLOT_SCRIPT_H

#include "report/plot.h"

struct plot_job {
  char *stem;            /* fixed name: the script is STEM.gp, data STEM.dat,
                            outputs STEM.png and STEM.svg */
  char *title;           /* caption, unescaped */
  int run;               /* run index or -1 */
  struct strbuf script;  /* refers to its data and outputs by relative name */
  struct strbuf data;
};

/* Build every plot's job for in; *jobs is malloc'ed, the count returned. */
size_t plot_jobs_build(const struct plot_input *in, unsigned width,
                       unsigned height, struct plot_job **jobs);
void plot_jobs_free(struct plot_job *jobs, size_t n);

#endif
