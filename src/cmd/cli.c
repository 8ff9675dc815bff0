/* cli — subcommand table, shared option parsing, exit codes (see cli.h). */
#include "config.h"
#include "cmd/cli.h"
#include "input/input.h"
#include "analyze/analyze.h"
#include "cmd/commands.h"
#include "util/outfile.h"
#include "util/samefile.h"
#include "util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every subcommand, in the order --help lists them. Adding a command is
 * adding its file and a row here. */
static const struct command *const commands[] = {
    &cmd_inspect,
    &cmd_events,
    &cmd_scan,
    &cmd_analyze,
    &cmd_compare,
    &cmd_capture,
    &cmd_formats,
    &cmd_help,
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

enum { OPT_HELP = -100, OPT_VERSION, OPT_QUIET };

static const struct cli_option common_options[] = {
    {OPT_QUIET, "quiet", 'q', NULL, "do not print warnings"},
    {OPT_HELP, "help", 'h', NULL, "show this help and exit"},
    {OPT_VERSION, "version", 'V', NULL, "show the version and exit"},
    {0, NULL, 0, NULL, NULL}};

static char *command_line;

const char *cli_command_line(void) { return command_line ? command_line : ""; }

static void remember_command_line(int argc, char **argv) {
  struct strbuf b;
  strbuf_init(&b);
  for (int i = 0; i < argc; i++) {
    if (i)
      strbuf_addc(&b, ' ');
    strbuf_adds(&b, argv[i]);
  }
  free(command_line);
  command_line = strbuf_detach(&b);
}

const struct command *cli_find_command(const char *name) {
  for (size_t i = 0; i < N_COMMANDS; i++)
    if (strcmp(commands[i]->name, name) == 0)
      return commands[i];
  return NULL;
}

static void print_version(void) {
  printf("leakslope %s\n", PACKAGE_VERSION);
}

/* A row as getopt and --help see it: a shared row's fields from the table. */
const struct analyze_opt_def *cli_option_shared(const struct cli_option *o) {
  bool in = o->id >= CLI_ID_SHARED && o->id < CLI_ID_SHARED + AOPT_COUNT;
  return in ? &analyze_opt_table[o->id - CLI_ID_SHARED] : NULL;
}

static struct cli_option resolve(const struct cli_option *o) {
  struct cli_option r = *o;
  const struct analyze_opt_def *def = cli_option_shared(o);
  if (def) {
    r.long_name = def->flag;
    r.short_name = def->short_flag;
    r.arg_name = def->arg_name;
    r.help = def->help;
  }
  return r;
}

/* Text wrapped at HELP_WIDTH columns, words kept whole, each line after the
 * first (and after each newline of the text) indented by `indent`; the first
 * line starts at column `at`. */
#define HELP_WIDTH 79
static void print_wrapped(FILE *f, const char *text, size_t at, size_t indent) {
  size_t col = at;
  for (const char *p = text; *p;) {
    if (*p == '\n') {
      fputc('\n', f);
      p++;
      if (*p && *p != '\n')
        fprintf(f, "%*s", (int)indent, "");
      col = *p && *p != '\n' ? indent : 0;
      continue;
    }
    size_t word = strcspn(p, " \n");
    if (col > indent && col + 1 + word > HELP_WIDTH) {
      fprintf(f, "\n%*s", (int)indent, "");
      col = indent;
    } else if (col > indent || (col > 0 && col == at && at > indent)) {
      fputc(' ', f);
      col++;
    }
    fwrite(p, 1, word, f);
    col += word;
    p += word;
    while (*p == ' ')
      p++;
  }
  fputc('\n', f);
}

static void print_option_rows(const struct cli_option *opts, bool defaults) {
  for (const struct cli_option *row = opts; row && row->id; row++) {
    struct cli_option r = resolve(row);
    const struct cli_option *o = &r;
    char left[80];
    int n = 0;
    if (o->short_name)
      n = snprintf(left, sizeof left, "-%c, --%s", o->short_name, o->long_name);
    else
      n = snprintf(left, sizeof left, "    --%s", o->long_name);
    if (o->arg_name && n > 0 && (size_t)n < sizeof left)
      snprintf(left + n, sizeof left - (size_t)n, " %s", o->arg_name);
    const struct analyze_opt_def *def = cli_option_shared(row);
    char *help = defaults && def && def->dflt
                     ? xasprintf("%s (default %s)", o->help, def->dflt)
                     : xstrdup(o->help);
    printf("  %-28s ", left);
    print_wrapped(stdout, help, 31, 31);
    free(help);
  }
}

/* What each exit status means, by command: one table for every --help and
 * (through doc/update-man.sh) the man page. A command returns the codes of
 * the rows that name it ("*": every command); the first row of a code that
 * names it is the one shown. */
static const struct {
  int code;
  const char *commands; /* " name name " or "*" */
  const char *text;
} exit_docs[] = {
    {0, " capture ", "PROGRAM exited with status 0 (or was stopped by --duration)"},
    {0, " analyze compare ", "success, whatever the verdict"},
    {0, "*", "success"},
    {1, " analyze ", "the verdict is leak and --fail-on-leak was given"},
    {1, " compare ", "--fail-on-leak was given and a run the rules expect fixed measures leak"},
    {1, " capture ", "PROGRAM failed (non-zero status or killed by a signal); both files "
                     "are still complete"},
    {2, " help ", "usage error (no such command)"},
    {2, " formats ", "usage error"},
    {65, " formats ", "a data file does not load (each is listed with its error)"},
    {2, "*", "usage error, or a missed or ambiguous selection (process, module, counter)"},
    {65, " inspect events scan analyze compare ", "bad input data (FILE:LINE:COL says where)"},
    {66, " capture ", "PROGRAM cannot be run"},
    {66, " inspect events scan analyze compare ", "an input file is missing or cannot be read"},
    {69, " analyze compare ", "gnuplot is needed (--plot, --plots) but cannot be run"},
    {69, " capture ", "the audit library is missing"},
    {70, " inspect events scan analyze compare capture formats ", "internal error"},
    {73, " capture ", "DIR cannot be written"},
    {73, "*", "an output cannot be written"},
};

static bool exit_doc_names(size_t i, const char *cmd) {
  if (!strcmp(exit_docs[i].commands, "*"))
    return true;
  const char *at = strstr(exit_docs[i].commands, cmd);
  size_t n = strlen(cmd);
  return at && at[-1] == ' ' && at[n] == ' ';
}

static void print_exit_status(const struct command *cmd) {
  printf("\nExit status:\n");
  int last = -1;
  for (size_t i = 0; i < sizeof exit_docs / sizeof exit_docs[0]; i++) {
    if (exit_docs[i].code == last || !exit_doc_names(i, cmd->name))
      continue;
    last = exit_docs[i].code;
    printf("  %-4d", exit_docs[i].code);
    print_wrapped(stdout, exit_docs[i].text, 6, 6);
  }
}

void cli_print_help(const struct command *cmd) {
  size_t n = strlen(cmd->summary);
  bool stop = n > 0 && strchr(".?!", cmd->summary[n - 1]);
  printf("Usage: leakslope %s %s\n%s%s\n", cmd->name, cmd->usage, cmd->summary,
         stop ? "" : ".");
  if (cmd->description) {
    printf("\n");
    print_wrapped(stdout, cmd->description, 0, 0);
  }
  printf("\nOptions:\n");
  print_option_rows(cmd->options, cmd->analysis_defaults);
  for (const struct cli_option *o = common_options; o->id; o++)
    if (o->id != OPT_QUIET || !cmd->no_quiet)
      print_option_rows((const struct cli_option[]){*o, {0, NULL, 0, NULL, NULL}}, false);
  print_exit_status(cmd);
}

static void print_main_help(FILE *f) {
  fprintf(f, "Usage: leakslope COMMAND [OPTIONS] [ARGS]\n"
             "Measure the memory a process leaks each time it loads and unloads a\n"
             "library, from perfmon counter logs and load/unload event traces.\n\n"
             "Commands:\n");
  for (size_t i = 0; i < N_COMMANDS; i++)
    fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
  fprintf(f, "\n'leakslope help COMMAND' or 'leakslope COMMAND --help' describes one.\n"
             "  -h, --help      show this help\n"
             "  -V, --version   show the version\n");
}

/* getopt_long state built from the command's table plus the common options. */
struct parser_impl {
  struct option *longopts;
  char *shortopts;
  struct cli_option *by_index; /* resolved rows */
};

static size_t count_options(const struct cli_option *opts) {
  size_t n = 0;
  while (opts && opts[n].id)
    n++;
  return n;
}

static void add_option(struct parser_impl *im, size_t *k, struct strbuf *sb,
                       const struct cli_option *row) {
  im->by_index[*k] = resolve(row);
  const struct cli_option *o = &im->by_index[*k];
  im->longopts[*k].name = o->long_name;
  im->longopts[*k].has_arg = o->arg_name ? required_argument : no_argument;
  im->longopts[*k].flag = NULL;
  im->longopts[*k].val = 1000 + (int)*k;
  if (o->short_name) {
    strbuf_addc(sb, o->short_name);
    if (o->arg_name)
      strbuf_addc(sb, ':');
  }
  (*k)++;
}

void cli_parser_init(struct cli_parser *p, const struct command *cmd, int argc,
                     char **argv) {
  memset(p, 0, sizeof *p);
  p->cmd = cmd;
  p->argc = argc;
  p->argv = argv;
  struct parser_impl *im = xcalloc(1, sizeof *im);
  size_t n = count_options(cmd->options) + count_options(common_options);
  im->longopts = xcalloc(n + 1, sizeof *im->longopts);
  im->by_index = xcalloc(n + 1, sizeof *im->by_index);
  struct strbuf sb;
  strbuf_init(&sb);
  strbuf_adds(&sb, ":"); /* report missing arguments; options may follow operands */
  size_t k = 0;
  for (const struct cli_option *o = cmd->options; o && o->id; o++)
    add_option(im, &k, &sb, o);
  for (const struct cli_option *o = common_options; o->id; o++)
    if (o->id != OPT_QUIET || !cmd->no_quiet)
      add_option(im, &k, &sb, o);
  im->shortopts = strbuf_detach(&sb);
  p->impl = im;
  optind = 1;
  opterr = 0;
}

void cli_parser_fini(struct cli_parser *p) {
  struct parser_impl *im = p->impl;
  if (!im)
    return;
  free(im->longopts);
  free(im->shortopts);
  free(im->by_index);
  free(im);
  p->impl = NULL;
}

static const struct cli_option *option_by_short(const struct parser_impl *im,
                                                int c) {
  for (size_t k = 0; im->longopts[k].name; k++)
    if (im->by_index[k].short_name == c)
      return &im->by_index[k];
  return NULL;
}

static int finish(struct cli_parser *p, int status) {
  p->status = status;
  return CLI_DONE_EXIT;
}

/* A reader or analysis option: into p->analysis through the table's setter. */
static int set_shared(struct cli_parser *p, const struct cli_option *o) {
  if (!p->analysis) {
    cli_usage_error(p->cmd, "--%s is not taken here", o->long_name);
    return -1;
  }
  struct diag d;
  diag_init(&d);
  int rc = analyze_opt_apply(p->analysis, cli_option_shared(o), p->arg ? p->arg : "true", &d);
  if (rc != 0)
    cli_usage_error(p->cmd, "%s", d.message ? d.message : "bad value");
  diag_fini(&d);
  return rc;
}

/* After the last option: the shared ones that cannot go together. */
static int check_shared(struct cli_parser *p) {
  struct diag d;
  diag_init(&d);
  int rc = analyze_options_check(p->analysis, false, &d);
  if (rc != 0)
    cli_usage_error(p->cmd, "%s", d.message);
  diag_fini(&d);
  return rc == 0 ? CLI_END : finish(p, EXIT_USAGE);
}

/* The option a getopt error is about, as the user wrote it: "--events"
 * (a long option, without any "=VALUE"), or "-e". */
static char *bad_option_name(const struct cli_parser *p) {
  const struct parser_impl *im = p->impl;
  if (optopt >= 1000)
    return xasprintf("--%s", im->longopts[optopt - 1000].name);
  if (optopt > 0 && optopt < 128 && optopt > ' ')
    return xasprintf("-%c", optopt);
  const char *tok = p->argv[optind > 0 ? optind - 1 : 0];
  if (optopt == 0 && !strncmp(tok, "--", 2))
    return xstrndup(tok, strcspn(tok, "="));
  /* a byte that is not an ASCII letter (-é): the whole word, which getopt
   * may not have stepped past yet */
  if (optopt && optind < p->argc && p->argv[optind][0] == '-' &&
      strchr(p->argv[optind], (char)optopt))
    tok = p->argv[optind];
  return xstrdup(tok);
}

/* "--e" that starts several long options: the ones it could be, or NULL. */
static char *ambiguous_with(const struct parser_impl *im, const char *name) {
  size_t n = strlen(name + 2), hits = 0;
  struct strbuf b;
  strbuf_init(&b);
  for (size_t k = 0; im->longopts[k].name; k++)
    if (!strncmp(im->longopts[k].name, name + 2, n))
      strbuf_addf(&b, "%s--%s", hits++ ? ", " : "", im->longopts[k].name);
  if (hits >= 2)
    return strbuf_detach(&b);
  strbuf_fini(&b);
  return NULL;
}

/* A getopt error as a usage error: an unknown or ambiguous option, a value
 * missing or given to a flag that takes none. */
static int option_error(struct cli_parser *p, int c) {
  struct parser_impl *im = p->impl;
  char *name = bad_option_name(p);
  const struct cli_option *o = optopt >= 1000 ? &im->by_index[optopt - 1000]
                               : optopt > 0   ? option_by_short(im, optopt)
                                              : NULL;
  char *could = optopt == 0 && !strncmp(name, "--", 2) ? ambiguous_with(im, name) : NULL;
  if (c == ':')
    cli_usage_error(p->cmd, "option '%s' needs a value (expected %s)", name,
                    o && o->arg_name ? o->arg_name : "a value");
  else if (o && !o->arg_name)
    cli_usage_error(p->cmd, "option '%s' takes no value", name);
  else if (could)
    cli_usage_error(p->cmd, "option '%s' is ambiguous (it could be %s)", name, could);
  else
    cli_usage_error(p->cmd, "unknown option '%s'", name);
  free(could);
  free(name);
  return finish(p, EXIT_USAGE);
}

int cli_next_option(struct cli_parser *p) {
  struct parser_impl *im = p->impl;
  int c = getopt_long(p->argc, p->argv, im->shortopts, im->longopts, NULL);
  if (c == -1)
    return p->analysis ? check_shared(p) : CLI_END;
  if (c == '?' || c == ':')
    return option_error(p, c);
  const struct cli_option *o =
      c >= 1000 ? &im->by_index[c - 1000] : option_by_short(im, c);
  if (!o)
    return finish(p, cli_usage_error(p->cmd, "unknown option"));
  p->arg = optarg;
  /* "--events=" or -e '': a value that names nothing (an unset variable) */
  if (o->arg_name && optarg && !*optarg) {
    if (c >= 1000)
      cli_usage_error(p->cmd, "option '--%s' has an empty value (expected %s)",
                      o->long_name, o->arg_name);
    else
      cli_usage_error(p->cmd, "option '-%c' has an empty value (expected %s)", c,
                      o->arg_name);
    return finish(p, EXIT_USAGE);
  }
  switch (o->id) {
  case OPT_HELP:
    cli_print_help(p->cmd);
    return finish(p, EXIT_OK);
  case OPT_VERSION:
    print_version();
    return finish(p, EXIT_OK);
  case OPT_QUIET:
    p->quiet = true;
    return cli_next_option(p);
  default:
    if (cli_option_shared(o))
      return set_shared(p, o) == 0 ? cli_next_option(p) : finish(p, EXIT_USAGE);
    return o->id;
  }
}

int cli_operand_index(const struct cli_parser *p) {
  (void)p;
  return optind;
}

bool cli_operands(const struct command *cmd, const char *what, int argc, char **argv,
                  int first, int min, int max) {
  int n = argc - first;
  if (n < min)
    cli_usage_error(cmd, "missing %s (usage: leakslope %s %s)", what, cmd->name, cmd->usage);
  else if (max >= 0 && n > max)
    cli_usage_error(cmd, "extra operand '%s' (usage: leakslope %s %s)", argv[first + max],
                    cmd->name, cmd->usage);
  return n >= min && (max < 0 || n <= max);
}

static size_t count_stdin(const char *const *files, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += strcmp(files[i], "-") == 0;
  return k;
}

bool cli_stdin_once(const struct command *cmd, const char *what, const char *const *files,
                    size_t n, const char *other, const char *const *more, size_t nmore) {
  size_t a = count_stdin(files, n), b = count_stdin(more, nmore);
  if (a + b < 2)
    return true;
  if (a && b)
    cli_usage_error(cmd, "%s - and %s - cannot be used together (standard input can "
                    "be read only once)", what, other);
  else
    cli_usage_error(cmd, "%s - cannot be given twice (standard input can be read only "
                    "once)", a ? what : other);
  return false;
}

/* One input given twice, as one file or a copy: "counter log"/"samples",
 * "trace"/"events" (what would count twice). */
static bool inputs_once(const struct command *cmd, const char *kind, const char *kinds,
                        const char *what, const char *const *files, size_t n) {
  for (size_t j = 1; j < n; j++)
    for (size_t i = 0; i < j; i++) {
      enum samefile same = samefile(files[i], files[j]);
      if (same == SAMEFILE_SAME && !strcmp(files[i], files[j])) {
        cli_usage_error(cmd, "%s '%s' is given twice: its %s would count twice", kind,
                        files[j], what);
        return false;
      }
      if (same == SAMEFILE_SAME) {
        cli_usage_error(cmd, "%s '%s' and '%s' are one file: its %s would count twice",
                        kinds, files[i], files[j], what);
        return false;
      }
      if (same == SAMEFILE_COPY) {
        cli_usage_error(cmd, "%s '%s' and '%s' hold the same bytes (one %s given "
                        "twice?): its %s would count twice", kinds, files[i], files[j],
                        kind, what);
        return false;
      }
    }
  return true;
}

bool cli_logs_once(const struct command *cmd, const char *const *logs, size_t n) {
  return inputs_once(cmd, "counter log", "counter logs", "samples", logs, n);
}

bool cli_traces_once(const struct command *cmd, const char *const *traces, size_t n) {
  return inputs_once(cmd, "trace", "traces", "events", traces, n);
}

int cli_usage_error(const struct command *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = xvasprintf(fmt, ap);
  va_end(ap);
  if (cmd)
    fprintf(stderr, "leakslope %s: %s\nTry 'leakslope %s --help'.\n", cmd->name,
            msg, cmd->name);
  else
    fprintf(stderr, "leakslope: %s\nTry 'leakslope --help'.\n", msg);
  free(msg);
  return EXIT_USAGE;
}

int cli_output_format(const struct command *cmd, const char *mode, const char *format,
                      const char *output, unsigned can) {
  struct diag d;
  diag_init(&d);
  char *what = mode ? xasprintf("%s %s", cmd->name, mode) : xstrdup(cmd->name);
  int f = out_format_choose(what, format, output, can, &d);
  if (f < 0)
    cli_usage_error(cmd, "%s", d.message);
  /* The documents that end with provenance want each input's digest: taken
   * while reading, not by reading the files again. */
  input_keep_digests(f == OUT_JSON || f == OUT_YAML || f == OUT_MD || f == OUT_HTML);
  free(what);
  diag_fini(&d);
  return f;
}

int cli_fail(const struct diag *d) {
  char *msg = diag_format(d);
  fprintf(stderr, "leakslope: %s\n", msg);
  free(msg);
  switch (d->kind) {
  case DIAG_USAGE:
    return EXIT_USAGE;
  case DIAG_DATA:
    return EXIT_DATAERR;
  case DIAG_NOINPUT:
    return EXIT_NOINPUT;
  case DIAG_UNAVAILABLE:
    return EXIT_UNAVAILABLE;
  case DIAG_CANTCREAT:
    return EXIT_CANTCREAT;
  case DIAG_NONE:
  case DIAG_SOFTWARE:
  default:
    return EXIT_SOFTWARE;
  }
}

void cli_print_warnings(const struct warnings *w, bool quiet) {
  if (quiet)
    return;
  for (size_t i = 0; i < w->count; i++) {
    const struct warning *it = &w->items[i];
    if (it->file && it->line > 0)
      fprintf(stderr, "leakslope: warning: %s:%ld: %s\n", it->file, it->line,
              it->message);
    else if (it->file)
      fprintf(stderr, "leakslope: warning: %s: %s\n", it->file, it->message);
    else
      fprintf(stderr, "leakslope: warning: %s\n", it->message);
  }
}

bool cli_parse_long(const struct command *cmd, const char *opt, const char *s,
                    long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end) {
    cli_usage_error(cmd, "--%s wants an integer, not '%s'", opt, s);
    return false;
  }
  *out = v;
  return true;
}

bool cli_parse_double(const struct command *cmd, const char *opt,
                      const char *s, double *out) {
  char *end;
  errno = 0;
  /* strtod would also take "inf", "nan" and hex floats: refuse them. */
  bool plain = strspn(s, "+-0123456789.eE") == strlen(s);
  double v = plain ? strtod(s, &end) : 0;
  if (!plain || errno || end == s || *end || !isfinite(v)) {
    cli_usage_error(cmd, "--%s wants a number, not '%s'", opt, s);
    return false;
  }
  *out = v;
  return true;
}

static int run_help(const struct command *self, int argc, char **argv) {
  struct cli_parser p;
  cli_parser_init(&p, self, argc, argv);
  int id;
  while ((id = cli_next_option(&p)) > 0)
    ;
  int status = id == CLI_DONE_EXIT ? p.status : EXIT_OK;
  int first = cli_operand_index(&p);
  cli_parser_fini(&p);
  if (id == CLI_DONE_EXIT)
    return status;
  if (!cli_operands(self, "COMMAND", argc, argv, first, 0, 1))
    return EXIT_USAGE;
  if (first >= argc) {
    print_main_help(stdout);
    return EXIT_OK;
  }
  const struct command *cmd = cli_find_command(argv[first]);
  if (!cmd)
    return cli_usage_error(NULL, "no command '%s'", argv[first]);
  cli_print_help(cmd);
  return EXIT_OK;
}

const struct command cmd_help = {
    .name = "help",
    .run = run_help,
    .summary = "Describe a command",
    .usage = "[COMMAND]",
    .description = NULL,
    .options = NULL,
    .no_quiet = true,
};

/* argv[1] is not a command: an option before the command ("--bogus",
 * "-x", "--format=json inspect"), or a word that names none. */
static int no_command(int argc, char **argv) {
  const char *a = argv[1];
  if (a[0] != '-' || !a[1])
    return cli_usage_error(NULL, "no command '%s'", a);
  const struct command *later = NULL;
  for (int i = 2; i < argc && !later; i++)
    later = cli_find_command(argv[i]);
  int n = (int)(a[1] == '-' ? strcspn(a, "=") : 2);
  if (a[n] && (!strncmp(a, "--help", 6) || !strncmp(a, "--version", 9)) &&
      (n == 6 || n == 9))
    return cli_usage_error(NULL, "option '%.*s' takes no value", n, a);
  if (later)
    return cli_usage_error(NULL, "unknown option '%.*s' (options go after the command: "
                           "leakslope %s %.*s)", n, a, later->name, n, a);
  return cli_usage_error(NULL, "unknown option '%.*s'", n, a);
}

int cli_main(int argc, char **argv) {
  remember_command_line(argc, argv);
  int status;
  if (argc < 2) { /* a usage error: the help goes where errors go */
    print_main_help(stderr);
    status = EXIT_USAGE;
  } else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    print_main_help(stdout);
    status = EXIT_OK;
  } else if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
    print_version();
    status = EXIT_OK;
  } else {
    const struct command *cmd = cli_find_command(argv[1]);
    status = cmd ? cmd->run(cmd, argc - 1, argv + 1) : no_command(argc, argv);
  }
  free(command_line);
  command_line = NULL;
  input_forget_digests();
  /* what went to stdout outside outfile (--help, ...); an outfile on stdout
   * has already said it failed (exit 73) */
  if ((fflush(stdout) != 0 || ferror(stdout)) && status != EXIT_CANTCREAT) {
    fprintf(stderr, "leakslope: cannot write standard output: %s\n", strerror(errno));
    if (status == EXIT_OK)
      status = EXIT_CANTCREAT;
  }
  return status;
}
