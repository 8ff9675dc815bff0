/* report — glue between the plot driver's output and the report writers. */
#include "config.h"
#include "report/report.h"

#include <stdlib.h>

struct report_plot *report_plots_from_set(const struct plot_set *s,
                                          const char *href_dir) {
  struct report_plot *p = xcalloc(s->count, sizeof *p);
  for (size_t i = 0; i < s->count; i++) {
    const struct plot_image *im = &s->images[i];
    p[i].title = im->title;
    p[i].svg = im->svg;
    p[i].svg_len = im->svg_len;
    p[i].href = href_dir ? xasprintf("%s/%s.svg", href_dir, im->stem) : NULL;
  }
  return p;
}

void report_plots_free(struct report_plot *p, size_t n) {
  for (size_t i = 0; p && i < n; i++)
    free((char *)p[i].href);
  free(p);
}
