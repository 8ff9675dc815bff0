/* report — glue between the plot driver's output and the report writers. */
#include "config.h"
#include "report/report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The '/'-separated parts of an absolute path, with "." dropped and ".."
 * taken back lexically; parts point into the (modified) copy. */
static size_t split_path(char *path, char **parts, size_t max) {
  size_t n = 0;
  for (char *save = NULL, *p = strtok_r(path, "/", &save); p; p = strtok_r(NULL, "/", &save)) {
    if (!strcmp(p, "."))
      continue;
    if (!strcmp(p, "..")) {
      n -= n > 0;
      continue;
    }
    if (n < max)
      parts[n++] = p;
  }
  return n;
}

static char *absolute(const char *path) {
  if (path[0] == '/')
    return xstrdup(path);
  char *cwd = getcwd(NULL, 0);
  char *abs = xasprintf("%s/%s", cwd ? cwd : ".", path);
  free(cwd);
  return abs;
}

char *report_link_dir(const char *report, const char *dir) {
  if (!report || !strcmp(report, "-") || !strncmp(report, "/dev/", 5))
    return xstrdup(dir);
  enum { MAX_PARTS = 256 };
  char *from = absolute(report), *to = absolute(dir);
  char *fp[MAX_PARTS], *tp[MAX_PARTS];
  size_t nf = split_path(from, fp, MAX_PARTS), nt = split_path(to, tp, MAX_PARTS);
  nf -= nf > 0; /* the report's folder, not the report */
  size_t common = 0;
  while (common < nf && common < nt && !strcmp(fp[common], tp[common]))
    common++;
  struct strbuf b;
  strbuf_init(&b);
  for (size_t i = common; i < nf; i++)
    strbuf_adds(&b, "../");
  for (size_t i = common; i < nt; i++)
    strbuf_addf(&b, "%s%s", tp[i], i + 1 < nt ? "/" : "");
  if (!b.len)
    strbuf_adds(&b, ".");
  else if (b.data[b.len - 1] == '/')
    b.data[--b.len] = '\0';
  free(from);
  free(to);
  return strbuf_detach(&b);
}

struct report_plot *report_plots_from_set(const struct plot_set *s,
                                          const char *href_dir) {
  struct report_plot *p = xcalloc(s->count, sizeof *p);
  for (size_t i = 0; i < s->count; i++) {
    const struct plot_image *im = &s->images[i];
    p[i].title = im->title;
    p[i].svg = im->svg;
    p[i].svg_len = im->svg_len;
    p[i].run = im->run;
    p[i].href = href_dir ? xasprintf("%s/%s.svg", href_dir, im->stem) : NULL;
  }
  return p;
}

void report_plots_free(struct report_plot *p, size_t n) {
  for (size_t i = 0; p && i < n; i++)
    free((char *)p[i].href);
  free(p);
}
