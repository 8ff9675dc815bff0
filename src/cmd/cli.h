/* cli — the subcommand table, option parsing shared by every command, and the
 * one place that turns a diagnostic into a message and an exit code.
 *
 * Each command declares its options once, as a table of struct cli_option;
 * that table drives both getopt_long and the command's --help, so the two can
 * never disagree. A reader or analysis option is a row CLI_SHARED(AOPT_X):
 * its flag, argument and help come from analyze_opt_table, and the parser
 * sets it in the command's struct analyze_options (cli_parser.analysis)
 * through the table's setter, so the command never sees it. Every command
 * also accepts --help, --version and --quiet. */
#ifndef LEAKSLOPE_CLI_H
#define LEAKSLOPE_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/option_table.h"
#include "util/diag.h"

/* Exit codes (DESIGN.md). Only cli and the commands it runs return these. */
enum {
  EXIT_OK = 0,
  EXIT_LEAK = 1,
  EXIT_USAGE = 2,
  EXIT_DATAERR = 65,
  EXIT_NOINPUT = 66,
  EXIT_UNAVAILABLE = 69,
  EXIT_SOFTWARE = 70,
  EXIT_CANTCREAT = 73
};

struct cli_option {
  int id;                /* returned by cli_next_option; > 0 */
  const char *long_name; /* without "--" */
  char short_name;       /* 0 when none */
  const char *arg_name;  /* NULL for a flag */
  const char *help;      /* one line */
};

/* A row of analyze_opt_table taken by a command: its id says which; the
 * flag, argument and help come from the table. Command ids stay below. */
#define CLI_ID_SHARED 500
#define CLI_SHARED(row) \
  { CLI_ID_SHARED + (row), NULL, 0, NULL, NULL }
/* The options of the trace readers, which every command that reads a
 * trace takes together and in this order. */
#define CLI_TRACE_READER_OPTIONS \
  CLI_SHARED(AOPT_TRACE_FORMAT), CLI_SHARED(AOPT_DATE), CLI_SHARED(AOPT_DATE_ORDER), \
      CLI_SHARED(AOPT_TZ_OFFSET), CLI_SHARED(AOPT_CLOCK_OFFSET), CLI_SHARED(AOPT_FORMATS), \
      CLI_SHARED(AOPT_MAX_BYTES), CLI_SHARED(AOPT_MAX_EVENTS)
/* The table row of a CLI_SHARED option, or NULL. */
const struct analyze_opt_def *cli_option_shared(const struct cli_option *o);

struct command {
  const char *name;
  int (*run)(const struct command *cmd, int argc, char **argv);
  const char *summary; /* one line, for `leakslope --help` */
  const char *usage;   /* "[OPTIONS] LOG" */
  const char *description; /* a paragraph printed under the usage; may be NULL */
  const struct cli_option *options; /* terminated by an entry with id 0 */
  bool analysis_defaults; /* --help shows analyze's defaults of shared rows */
  bool no_quiet;          /* no -q (help prints no warnings) */
};

/* State of one command's option parse. */
struct cli_parser {
  const struct command *cmd;
  int argc;
  char **argv;
  const char *arg; /* the current option's argument */
  int status;      /* set when cli_next_option returns CLI_DONE_EXIT */
  bool quiet;
  struct analyze_options *analysis; /* where CLI_SHARED options go; set it
                                     * before the first cli_next_option */
  void *impl;
};

#define CLI_END 0        /* no more options; operands start at cli_operand_index */
#define CLI_DONE_EXIT -1 /* --help/--version printed or a usage error; return p->status */

void cli_parser_init(struct cli_parser *p, const struct command *cmd, int argc,
                     char **argv);
/* Next option id, CLI_END, or CLI_DONE_EXIT. */
int cli_next_option(struct cli_parser *p);
int cli_operand_index(const struct cli_parser *p);
void cli_parser_fini(struct cli_parser *p);

/* Print "leakslope CMD: message" and a pointer to --help; returns EXIT_USAGE. */
int cli_usage_error(const struct command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The output format of cmd (in mode, e.g. "--counter", or NULL) from -f
 * format, else -o output's extension, else the first of can (OUT_SET bits
 * of util/outfile.h); -1 after printing the usage error. */
int cli_output_format(const struct command *cmd, const char *mode, const char *format,
                      const char *output, unsigned can);

/* The operands argv[first..argc) against what cmd takes: at least min and
 * at most max (-1: any number) of `what` ("LOG"). The one wording of every
 * command: "missing LOG (usage: ...)", "extra operand 'x' (usage: ...)".
 * false after printing the usage error. */
bool cli_operands(const struct command *cmd, const char *what, int argc, char **argv,
                  int first, int min, int max);

/* No counter log given twice, as one file (a path, a symlink, a hard link)
 * or as a copy: the logs are merged, so its samples would count twice.
 * false after printing the usage error. */
bool cli_logs_once(const struct command *cmd, const char *const *logs, size_t n);
/* The same for traces (merged too: each event would count twice). */
bool cli_traces_once(const struct command *cmd, const char *const *traces, size_t n);

/* At most one '-' among files (named `what`, e.g. "LOG") and more (`other`,
 * e.g. "-e"): standard input can be read once. false after printing the
 * usage error. */
bool cli_stdin_once(const struct command *cmd, const char *what, const char *const *files,
                    size_t n, const char *other, const char *const *more, size_t nmore);

/* Print d as "leakslope: FILE:LINE:COL: message"; return its exit code. */
int cli_fail(const struct diag *d);
/* Print each warning as "leakslope: warning: FILE:LINE: message" unless quiet. */
void cli_print_warnings(const struct warnings *w, bool quiet);

/* Option value helpers: parse or print a usage error (returns false). */
bool cli_parse_long(const struct command *cmd, const char *opt, const char *s,
                    long *out);
bool cli_parse_double(const struct command *cmd, const char *opt,
                      const char *s, double *out);

/* The command table (defined in cli.c). */
const struct command *cli_find_command(const char *name);
int cli_main(int argc, char **argv);
void cli_print_help(const struct command *cmd);

/* Whole command line as one string (for report provenance). */
const char *cli_command_line(void);

#endif
