/* Unit tests of base64 (published vectors), the gnuplot
 * escaper, and the gnuplot driver: the plots exist with plausible contents,
 * kept scripts re-run, and hostile names stay text (the injection test). */
#include "config.h"
#include "tap.h"
#include "util/base64.h"
#include "report/plot.h"
#include "report/wallclock.h"
#include "sample_runs.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_base64(void) {
  static const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  static const char *want[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
                               "Zm9vYmFy"};
  for (int i = 0; i < 7; i++) {
    struct strbuf b;
    strbuf_init(&b);
    base64_encode(&b, in[i], strlen(in[i]));
    is_str(b.data ? b.data : "", want[i], "base64 RFC 4648 vector \"%s\"", in[i]);
    strbuf_fini(&b);
  }
  struct strbuf b;
  strbuf_init(&b);
  base64_encode(&b, "\xff\xfe\x00", 3);
  is_str(b.data, "//4A", "base64 of bytes ff fe 00 uses / and A");
  strbuf_fini(&b);
}

static char *quoted(const char *s) {
  struct strbuf b;
  strbuf_init(&b);
  plot_quote(&b, s);
  return strbuf_detach(&b);
}

static void test_quote(void) {
  char *q = quoted("it's `x` \\n");
  is_str(q, "'it''s `x` \\n'", "plot_quote doubles ' and leaves ` and \\ (inert in '')");
  free(q);
  q = quoted("a\nset output '|x'\r\n");
  is_str(q, "'a set output ''|x''  '", "plot_quote turns line breaks into spaces");
  free(q);
  char long_text[400];
  memset(long_text, 'x', sizeof long_text - 1);
  memcpy(long_text + 159, "\xc3\xa9", 2); /* é across the 160-byte cut */
  long_text[sizeof long_text - 1] = '\0';
  q = quoted(long_text);
  ok(strlen(q) == 159 + 5 && strcmp(q + 159 + 1, "...'") == 0,
     "plot_quote cuts long text before a UTF-8 sequence, ending in ...");
  free(q);
}

static int exists(const char *dir, const char *name) {
  char *p = xasprintf("%s/%s", dir, name);
  struct stat st;
  int rc = stat(p, &st) == 0;
  free(p);
  return rc;
}

static char *read_text(const char *dir, const char *name) {
  char *p = xasprintf("%s/%s", dir, name);
  FILE *f = fopen(p, "rb");
  free(p);
  if (!f)
    return xstrdup("");
  struct strbuf b;
  char buf[4096];
  size_t n;
  strbuf_init(&b);
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    strbuf_add(&b, buf, n);
  fclose(f);
  char *s = strbuf_detach(&b);
  return s ? s : xstrdup("");
}

static void rm_flat(const char *dir) {
  DIR *dh = opendir(dir);
  struct dirent *e;
  while (dh && (e = readdir(dh)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
      char *p = xasprintf("%s/%s", dir, e->d_name);
      unlink(p);
      free(p);
    }
  if (dh)
    closedir(dh);
  rmdir(dir);
}

/* Run `gnuplot SCRIPT` in dir, as a user re-running a kept script would. */
static int rerun(const char *gnuplot, const char *dir, const char *script) {
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir) == 0) {
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 2);
      execl(gnuplot, gnuplot, "-d", script, (char *)NULL);
    }
    _exit(127);
  }
  int status;
  return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *const STEMS[] = {"run1-memory", "run1-cycles", "run2-memory",
                                    "run2-cycles", "compare-leak", "compare-cycles"};

/* What the kept scripts draw: axes that end with the data, the log's wall
 * clock, lines told apart, a tolerance that stays visible. */
static void check_styles(const char *keep) {
  char *mem = read_text(keep, "run1-memory.gp"), *cyc = read_text(keep, "run1-cycles.gp");
  char *leak = read_text(keep, "compare-leak.gp"), *all = read_text(keep, "compare-cycles.gp");
  ok(mem && cyc && all && strstr(mem, "set autoscale xfix") && strstr(cyc, "set autoscale xfix") &&
     strstr(all, "set autoscale xfix"), "the x axes end where the data ends (autoscale xfix)");
  ok(mem && strstr(mem, "\nT0 = 1772751488  #") && strstr(mem, "set xdata time\n") &&
     strstr(mem, "using (T0+$1):($2/S)") &&
     strstr(mem, "set xlabel 'time of day on the log''s clock (UTC+01:00), from 2026-03-05'"),
     "plot (a): the time axis is the log's wall clock (22:58:08 at UTC+01:00)");
  ok(cyc && strstr(cyc, "points pt 6 ps 0.6 lw 1 lc rgb '#1f77b4' title 'memory after the cycle'") &&
     strstr(cyc, "lines lw 2 dt 2 lc rgb '#000000' title 'fitted line'"),
     "plot (b): open markers, the fit a dashed dark line drawn over them");
  ok(all && strstr(all, "dt 1 pt 7") && strstr(all, "dt 2 pt 4") &&
     strstr(all, "set label 100 at ") && strstr(all, "set label 101 at "),
     "plot (d): each run its own dash and marker, its name at its line's end");
  ok(leak && strstr(leak, "set arrow 2 from -") && strstr(leak, "dt 2 lw 1.5 lc rgb '#2ca02c'") &&
     strstr(leak, "'no-leak tolerance: \xc2\xb1" "64 B per cycle (too narrow to see at this scale)' "
                  "noenhanced"),
     "plot (c): the tolerance has dashed edges and a label, even when too narrow to see");
  free(mem);
  free(cyc);
  free(leak);
  free(all);
}

/* Two runs that measure the same: their names at the line ends are stacked,
 * not drawn over each other. */
static void test_identical(const char *gnuplot, const char *tmp) {
  struct sample_run s1, s2;
  struct plot_run runs[2];
  sample_run_make(&s1, &runs[0], "first", 60, 40960, 900, 0, 7);
  sample_run_make(&s2, &runs[1], "second", 60, 40960, 900, 0, 7);
  struct plot_input in = {runs, 2, 64};
  char *keep = xasprintf("%s/same", tmp);
  struct plot_options opt = {gnuplot, keep, 0, 0};
  struct plot_set set;
  struct diag d;
  diag_init(&d);
  ok(plot_render(&in, &opt, &set, &d) == 0, "identical runs render");
  char *all = read_text(keep, "compare-cycles.gp");
  ok(all && strstr(all, "right offset -1,-1.2 ") && strstr(all, "right offset -1,-2.4 "),
     "identical runs: the second name sits a line below the first");
  free(all);
  plot_set_fini(&set);
  diag_fini(&d);
  rm_flat(keep);
  free(keep);
  sample_run_free(&s1);
  sample_run_free(&s2);
}

static void test_render(const char *gnuplot, const char *tmp) {
  struct sample_run s1, s2;
  struct plot_run runs[2];
  sample_run_make(&s1, &runs[0], "no hotfix", 200, 40960, 900, 0, 1);
  sample_run_make(&s2, &runs[1], "hotfix + CleanUpMAPIHeap=1", 200, 3, 40, 120, 2);
  struct plot_input in = {runs, 2, 64};
  char *keep = xasprintf("%s/kept", tmp);
  struct plot_options opt = {gnuplot, keep, 0, 0};
  struct plot_set set;
  struct diag d;
  diag_init(&d);
  int rc = plot_render(&in, &opt, &set, &d);
  ok(rc == 0, "plot_render succeeds with gnuplot at %s%s%s", gnuplot,
     d.message ? ": " : "", d.message ? d.message : "");
  is_int(set.count, 6, "six plots: memory and cycles per run, leak and overlay");
  for (size_t i = 0; i < set.count && i < 6; i++) {
    struct plot_image *im = &set.images[i];
    is_str(im->stem, STEMS[i], "plot %zu is %s", i + 1, STEMS[i]);
    ok(im->png_len > 5000 && memcmp(im->png, "\x89PNG\r\n\x1a\n", 8) == 0,
       "%s.png has the PNG magic and %zu > 5000 bytes", im->stem, im->png_len);
    ok(im->svg_len > 5000 && strstr(im->svg, "<svg") && strstr(im->svg, "</svg>"),
       "%s.svg has an <svg> root element and %zu > 5000 bytes", im->stem, im->svg_len);
    for (int k = 0; k < 4; k++) {
      static const char *ext[] = {"gp", "dat", "png", "svg"};
      char *name = xasprintf("%s.%s", im->stem, ext[k]);
      ok(exists(keep, name), "kept %s", name);
      free(name);
    }
  }
  ok(set.count > 0 && set.images[0].run == 0 && set.images[4].run == -1,
     "images know their run (0) or -1 for comparisons");
  check_styles(keep);
  char *png = xasprintf("%s/run1-cycles.png", keep);
  unlink(png);
  free(png);
  ok(rerun(gnuplot, keep, "run1-cycles.gp") == 0 && exists(keep, "run1-cycles.png"),
     "a kept script re-runs in its folder and writes its PNG again");
  plot_set_fini(&set);
  diag_fini(&d);
  rm_flat(keep);
  free(keep);
  sample_run_free(&s1);
  sample_run_free(&s2);
}

/* Every 'PWNED' in a script must sit inside a single-quoted string that is
 * followed by noenhanced (or is a tic label, with `set ytics noenhanced`). */
static int quoted_only(const char *script) {
  int bad = 0;
  const char *line = script;
  while (*line) {
    size_t len = strcspn(line, "\n");
    int in = 0;
    const char *open = NULL;
    for (size_t i = 0; i < len; i++) {
      if (line[i] == '\'') {
        if (in && line[i + 1] == '\'') {
          i++;
          continue;
        }
        in = !in;
        if (in)
          open = line + i;
        else if (memmem(open, (size_t)(line + i - open), "PWNED", 5) &&
                 strncmp(line + i + 1, " noenhanced", 11) != 0 &&
                 strncmp(line, "set ytics (", 11) != 0)
          bad++;
      } else if (!in && strncmp(line + i, "PWNED", 5) == 0) {
        bad++;
      }
    }
    bad += in; /* a string left open at the end of a line */
    line += len + (line[len] == '\n');
  }
  return bad == 0 && strstr(script, "set ytics noenhanced\n") != NULL;
}

/* Every line with a title, axis label or label ends in noenhanced (a plot
 * clause's line may go on with ", \\"). */
static int all_noenhanced(const char *gp) {
  for (const char *line = gp; *line;) {
    size_t len = strcspn(line, "\n");
    char *l = xstrndup(line, len);
    int labelled = strstr(l, "title '") || strncmp(l, "set xlabel ", 11) == 0 ||
                   strncmp(l, "set ylabel ", 11) == 0 || strncmp(l, "set label ", 10) == 0;
    size_t n = strlen(l);
    if (n >= 3 && strcmp(l + n - 3, ", \\") == 0)
      l[n -= 3] = '\0';
    int good = !labelled || (n >= 10 && strcmp(l + n - 10, "noenhanced") == 0);
    free(l);
    if (!good)
      return 0;
    line += len + (line[len] == '\n');
  }
  return 1;
}

static void test_injection(const char *gnuplot, const char *tmp) {
  /* Short enough (< 160 bytes) that no payload is cut from a title. */
  char *evil = xasprintf("_Total <script>x</script>|'`touch %s/PWNED1`"
                         "system(\"touch %s/PWNED2\")\nset output '|touch %s/PWNED3'\n",
                         tmp, tmp, tmp);
  ok(strlen(evil) < 150, "the hostile name (%zu bytes) fits a title uncut", strlen(evil));
  struct sample_run s1, s2;
  struct plot_run runs[2];
  sample_run_make(&s1, &runs[0], evil, 40, 4096, 100, 0, 3);
  sample_run_make(&s2, &runs[1], evil, 40, 0, 50, 0, 4);
  runs[0].counter = evil;
  runs[1].verdict = evil;
  struct plot_input in = {runs, 2, 64};
  char *keep = xasprintf("%s/evil", tmp);
  struct plot_options opt = {gnuplot, keep, 0, 0};
  struct plot_set set;
  struct diag d;
  diag_init(&d);
  ok(plot_render(&in, &opt, &set, &d) == 0 && set.count == 6,
     "plots render with a hostile run and counter name%s%s", d.message ? ": " : "",
     d.message ? d.message : "");
  int made = 0;
  for (int i = 1; i <= 3; i++) {
    char *name = xasprintf("PWNED%d", i);
    made += exists(tmp, name) + exists(keep, name) + exists(".", name);
    free(name);
  }
  is_int(made, 0, "no backtick, system() or output pipe in a name ran a command");
  for (size_t i = 0; i < 6; i++) {
    char *name = xasprintf("%s.gp", STEMS[i]), *gp = read_text(keep, name);
    ok(quoted_only(gp) && strstr(gp, "\nset output '|") == NULL,
       "%s: the name appears only in single-quoted noenhanced strings", name);
    ok(all_noenhanced(gp), "%s: every title and label is noenhanced", name);
    free(gp);
    free(name);
  }
  for (size_t i = 0; i < set.count; i++)
    ok(strstr(set.images[i].svg, "<script") == NULL &&
       strstr(set.images[i].svg, "_Total") != NULL,
       "%s.svg: <script> is escaped text, _Total kept (no subscript)", set.images[i].stem);
  plot_set_fini(&set);
  diag_fini(&d);
  rm_flat(keep);
  free(keep);
  free(evil);
  sample_run_free(&s1);
  sample_run_free(&s2);
}

static size_t count_entries(const char *dir) {
  size_t n = 0;
  DIR *dh = opendir(dir);
  struct dirent *e;
  while (dh && (e = readdir(dh)))
    n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
  if (dh)
    closedir(dh);
  return n;
}

static void test_failures(const char *gnuplot, const char *tmp) {
  struct sample_run s;
  struct plot_run run;
  sample_run_make(&s, &run, "r", 20, 100, 10, 0, 5);
  struct plot_input in = {&run, 1, 64};
  struct plot_set set;
  struct diag d;
  diag_init(&d);
  struct plot_options opt = {"/nonexistent/gnuplot", NULL, 0, 0};
  int rc = plot_render(&in, &opt, &set, &d);
  ok(rc == -1 && d.kind == DIAG_UNAVAILABLE && set.count == 0,
     "a gnuplot that cannot be run is DIAG_UNAVAILABLE (%s)", d.message);
  opt.gnuplot = "/bin/false";
  rc = plot_render(&in, &opt, &set, &d);
  ok(rc == -1 && d.kind == DIAG_SOFTWARE &&
     strstr(d.message, "gnuplot failed on run1-memory.gp"),
     "a gnuplot that fails is DIAG_SOFTWARE naming the script (%s)", d.message);
  setenv("GNUPLOT", "/nonexistent/gnuplot", 1);
  char *why = NULL, *found = plot_find_gnuplot(&why);
  ok(!found && why && strstr(why, "GNUPLOT=/nonexistent/gnuplot"),
     "$GNUPLOT naming no program: not found, and why says so (%s)", why ? why : "");
  free(why);
  free(found);
  if (gnuplot) {
    setenv("GNUPLOT", gnuplot, 1);
    opt.gnuplot = NULL;
    char *old = getenv("TMPDIR") ? xstrdup(getenv("TMPDIR")) : NULL;
    setenv("TMPDIR", tmp, 1);
    size_t before = count_entries(tmp);
    ok(plot_render(&in, &opt, &set, &d) == 0 && set.count == 2 &&
       count_entries(tmp) == before,
       "without a keep folder nothing is left in $TMPDIR (%zu entries before and after)",
       before);
    plot_set_fini(&set);
    if (old)
      setenv("TMPDIR", old, 1);
    else
      unsetenv("TMPDIR");
    free(old);
  }
  diag_fini(&d);
  sample_run_free(&s);
}

/* A long run is thinned to each bucket's lowest and highest sample. */
static void test_thinning(const char *gnuplot, const char *tmp) {
  struct sample_run s;
  struct plot_run run;
  sample_run_make(&s, &run, "long", 40000, 100, 10, 0, 9); /* 120,000 samples */
  s.mem[77777] = 90.0 * 1048576; /* a spike that must survive */
  struct plot_input in = {&run, 1, 64};
  char *keep = xasprintf("%s/long", tmp);
  struct plot_options opt = {gnuplot, keep, 0, 0};
  struct plot_set set;
  struct diag d;
  diag_init(&d);
  int rc = plot_render(&in, &opt, &set, &d);
  char *dat = read_text(keep, "run1-memory.dat");
  size_t rows = 0, first_block = 0;
  double top = 0;
  for (char *line = dat; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
    if (strncmp(line, "\n\n", 2) == 0 || strncmp(line, "# block 1", 9) == 0)
      first_block = 1;
    double t, m;
    if (!first_block && sscanf(line, " %lf %lf", &t, &m) == 2) {
      rows++;
      top = m > top ? m : top;
    }
  }
  ok(rc == 0 && rows > 10000 && rows <= 20002,
     "120,000 samples are thinned to %zu rows (10,000 to 20,002)", rows);
  is_near(top, 90.0 * 1048576, 0.5, "the highest sample survives the thinning");
  free(dat);
  plot_set_fini(&set);
  diag_fini(&d);
  rm_flat(keep);
  free(keep);
  sample_run_free(&s);
}

/* The log's clock as every plot and page says it. */
static void test_wallclock(void) {
  char z[WALLCLOCK_ZONE_BUFSZ], tic[32];
  ok(!strcmp(wallclock_zone(0, z), "UTC") && !strcmp(wallclock_zone(60, z), "UTC+01:00") &&
     !strcmp(wallclock_zone(-330, z), "UTC\xe2\x88\x92" "05:30"),
     "zones: UTC, UTC+01:00, UTC\xe2\x88\x92" "05:30 with a true minus");
  struct strbuf b;
  strbuf_init(&b);
  usec_t from = time_from_fields(2026, 3, 5, 22, 30, 0, 0);
  wallclock_span(&b, from, from + USEC_PER_HOUR, 60, true);
  strbuf_adds(&b, " | ");
  wallclock_span(&b, from, from + USEC_PER_MIN, 0, false);
  is_str(b.data, "2026-03-05 23:30:00\xe2\x80\x93" "2026-03-06 00:30:00 (UTC+01:00) | "
                 "2026-03-05 22:30:00\xe2\x80\x93" "22:31:00 UTC",
         "spans: on the local clock, the date again past midnight; UTC when the zone is unknown");
  strbuf_reset(&b);
  wallclock_text(&b, "log 2026-03-05T22:58:05.000000Z to 2026-03-05T23:58:30.123456Z, at "
                     "2026-03-05T22:58:05Z; not 2026-03-05T22:58 nor 2026-03-05 22:58:05Z",
                 60, true);
  is_str(b.data, "log 2026-03-05 23:58:05 to 2026-03-06 00:58:30, at 2026-03-05 23:58:05; "
                 "not 2026-03-05T22:58 nor 2026-03-05 22:58:05Z (times in UTC+01:00)",
         "a warning's UTC times on the log's clock, to the second, the zone said once");
  strbuf_reset(&b);
  wallclock_text(&b, "at 2026-03-05T22:58:05.5Z", 0, false);
  strbuf_adds(&b, " | ");
  wallclock_text(&b, "no time here", 60, true);
  is_str(b.data, "at 2026-03-05 22:58:05 (times in UTC) | no time here",
         "UTC when the zone is unknown; text without a time copied as it is");
  strbuf_fini(&b);
  ok(wallclock_tic_step(3 * 3600, 5) == 3600 && wallclock_tic_step(20 * 60, 5) == 300 &&
     wallclock_tic_step(90, 5) == 30 && wallclock_tic_step(30 * 86400, 3) == 1209600,
     "tic steps: 1 h over 3 h, 5 min over 20 min, 30 s over 90 s, 2 weeks over 30 days");
  wallclock_tic_label(from, 3 * 3600, tic, sizeof tic);
  ok(!strcmp(tic, "22:30"), "a tic over hours reads 22:30 (%s)", tic);
  wallclock_tic_label(from, 300, tic, sizeof tic);
  ok(!strcmp(tic, "22:30:00"), "over minutes, 22:30:00 (%s)", tic);
  wallclock_tic_label(from, 5 * 86400, tic, sizeof tic);
  ok(!strcmp(tic, "03-05 22:30") && !strcmp(wallclock_tic_format(5 * 86400), "%m-%d %H:%M"),
     "over days, 03-05 22:30 (%s), as gnuplot's format says", tic);
}

int main(void) {
  char tmpl[] = "/tmp/lsplotXXXXXX"; /* short: it is part of the hostile name */
  const char *tmp = mkdtemp(tmpl);
  if (!tmp)
    return 99;
  test_base64();
  test_quote();
  test_wallclock();
  char *why = NULL, *gnuplot = plot_find_gnuplot(&why);
  test_failures(gnuplot, tmp);
  if (gnuplot) {
    test_render(gnuplot, tmp);
    test_identical(gnuplot, tmp);
    test_injection(gnuplot, tmp);
    test_thinning(gnuplot, tmp);
  } else {
    ok(1, "# SKIP rendering and injection tests: %s", why);
  }
  free(gnuplot);
  free(why);
  rm_flat(tmp);
  return tap_done();
}
