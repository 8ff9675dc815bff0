/* plot — the gnuplot driver: turns plain arrays into PNG and SVG plots.
 *
 * gnuplot is an external program, found at run time (plot_find_gnuplot) and
 * never needed for analysis. It is fed a script through a pipe (fork/exec, no
 * shell), in a private folder made with mkdtemp, so data files and outputs
 * have fixed names (run1-memory.dat, compare-leak.svg, ...) and no text from
 * input ever becomes a file name: a gnuplot data file named '<cmd' runs a
 * shell command and `set output '|cmd'` pipes to one. Text from input (run,
 * counter and process names) reaches a script only through plot_quote, as a
 * single-quoted string with enhanced text mode off.
 *
 * The input is plain structs of arrays and strings, filled by the command,
 * so this module knows nothing of the analysis that produced them. */
#ifndef LEAKSLOPE_PLOT_H
#define LEAKSLOPE_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"
#include "util/xalloc.h"

/* One run: what plots (a) memory over time and (b) memory after each cycle
 * draw, and the leak that plot (c) compares. Array pointers may be NULL when
 * their count is 0; optional arrays (NULL = not drawn) are marked. Every
 * string is UTF-8 and may hold anything. */
struct plot_run {
  const char *name;        /* run name, e.g. "hotfix only" */
  const char *counter;     /* counter plotted, e.g. "\\\\H\\Process(x)\\Private Bytes" */
  const char *t0_utc;      /* time of t = 0, for the axis label; may be NULL */
  bool has_clock;          /* t0_clock is known: the time axis shows the
                              log's wall clock; else it counts from t0_utc */
  double t0_clock;         /* t = 0 on the log's own clock (local time), as
                              seconds since 1970 read as UTC */
  const char *zone;        /* that clock's zone, "UTC+01:00"; may be NULL */

  /* (a) the counter's samples. */
  size_t nsamples;
  const double *t;         /* seconds since t0 */
  const double *mem;       /* bytes; NaN is a missing sample (a gap) */
  const unsigned *lifetime;/* optional: process lifetime of each sample; the
                              line breaks where it changes (a restart) */

  /* (b) memory after each cycle, and the fit. */
  size_t ncycles;
  const double *cycle_t;   /* optional: seconds since t0 at the end of cycle
                              i (the cycle markers on plot (a)) */
  const double *cycle_k;   /* cycle number */
  const double *cycle_mem; /* memory after the cycle, bytes */
  const double *fit;       /* optional: fitted memory after the cycle */
  const double *fit_lo;    /* optional: 95% band of the fitted line */
  const double *fit_hi;
  const unsigned *cycle_lifetime; /* optional: lifetime of each cycle; the
                              lines break where it changes */

  /* (c) leak per cycle with its 95% interval, bytes; NaN = not measured. */
  double leak, leak_lo, leak_hi;
  const char *verdict;     /* shown in plot (c)'s labels; may be NULL */
};

struct plot_input {
  const struct plot_run *runs;
  size_t nruns;
  double tolerance;        /* bytes per cycle that count as no leak; NaN: none */
};

struct plot_options {
  const char *gnuplot;     /* the program; NULL: plot_find_gnuplot() */
  const char *keep_dir;    /* also keep every plot's .gp, .dat, .png and .svg
                              here (created if missing); NULL: keep none */
  unsigned width, height;  /* pixels of plots (a), (b), (d); 0: 960 x 540 */
};

/* One rendered plot. */
struct plot_image {
  char *stem;              /* fixed file name without extension */
  char *title;             /* caption; holds input text, NOT escaped */
  int run;                 /* 0-based run index, or -1 for comparison plots */
  char *svg, *png;         /* file contents */
  size_t svg_len, png_len;
};

struct plot_set {
  struct plot_image *images;
  size_t count;
};

/* The gnuplot to run: $GNUPLOT when set and not empty (a path, or a name
 * looked up on PATH), else "gnuplot" on PATH, else the one configure found.
 * Returns a malloc'ed path, or NULL with *why set (malloc'ed) to a sentence
 * saying what was tried. */
char *plot_find_gnuplot(char **why);

/* Render plots (a) and (b) for each run with data, and (c) and (d) when
 * there are runs to compare. out is filled (plot_set_fini frees it). -1
 * with d filled on failure: DIAG_UNAVAILABLE when gnuplot cannot be found
 * or run, DIAG_SOFTWARE when it fails (its first error line is quoted),
 * DIAG_CANTCREAT when the keep folder cannot be written. */
int plot_render(const struct plot_input *in, const struct plot_options *opt,
                struct plot_set *out, struct diag *d);
void plot_set_init(struct plot_set *s);
void plot_set_fini(struct plot_set *s);

/* The one escaper for text reaching gnuplot: appends text as a single-quoted
 * gnuplot string, every ' doubled and every control character (line breaks
 * included) made a space; within single quotes gnuplot expands no backslash,
 * backtick or macro. Long text is cut at a character boundary, ending in
 * "...". The caller adds `noenhanced` after it. */
void plot_quote(struct strbuf *b, const char *text);

#endif
