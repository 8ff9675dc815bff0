/* scan_html — `leakslope scan -o scan.html`: one self-contained page (no
 * script, no network) that answers "which process leaks?" first, then the
 * ranking table and small multiples of the top growers: each process's
 * ranked counter over the log's time, drawn as inline SVG, one line per
 * lifetime. Every string from the input goes through html_escape. */
#ifndef LEAKSLOPE_SCAN_HTML_H
#define LEAKSLOPE_SCAN_HTML_H

#include <stdio.h>

#include "analyze/scan.h"

struct scan_page {
  const struct scan_result *r;
  const char *const *logs;
  size_t nlogs;
  const char *const *traces;
  size_t ntraces;
  size_t top;               /* rows and plots shown */
  const char *next_command; /* NULL when nothing grows */
  const char *command_line;
  const char *made_utc;     /* when the page was made */
};

/* Returns 0, or -1 on a write error. */
int scan_write_html(const struct scan_page *pg, FILE *f);

#endif
