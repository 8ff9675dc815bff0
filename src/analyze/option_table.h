/* option_table — the one table of reader and analysis options: their long
 * and short flags, argument names, manifest keys, value kinds, setters and
 * help texts. `inspect`, `events` and `analyze` build their option rows from
 * it (each names the rows it takes, see cmd/cli.h), and compare's manifest
 * looks its option keys up in it and sets them through the same setters, so
 * a flag, its key and its help are declared once. */
#ifndef LEAKSLOPE_OPTION_TABLE_H
#define LEAKSLOPE_OPTION_TABLE_H

#include <stdbool.h>

#include "util/diag.h"

struct analyze_options;

/* Rows of the table. Those with a manifest key come first, in the order the
 * manifest lists its keys in errors (keep it: messages are pinned). */
enum analyze_opt {
  AOPT_PROCESS, AOPT_MODULE, AOPT_COUNTER, AOPT_ENCODING, AOPT_BIAS,
  AOPT_UTC, AOPT_DATE, AOPT_TZ_OFFSET, AOPT_CLOCK_OFFSET, AOPT_TRACE_FORMAT,
  AOPT_PID, AOPT_CYCLES, AOPT_CYCLE_PERIOD, AOPT_TOLERANCE, AOPT_LIMIT,
  AOPT_FROM, AOPT_TO, AOPT_TZ, AOPT_MAX_BYTES, AOPT_MAX_EVENTS,
  AOPT_BITS, AOPT_DATE_ORDER, AOPT_FORMATS,
  AOPT_COUNT
};

/* What a value looks like, for readers that check it before the setter
 * (the manifest checks the YAML node: a string, an integer, ...). */
enum analyze_opt_kind {
  AOK_TEXT,   /* any text */
  AOK_INT,    /* an integer */
  AOK_UINT,   /* a whole number >= 0 (cycles: > 0) */
  AOK_BOOL,   /* a flag on the command line; true/false in the manifest */
  AOK_OFFSET, /* +HH:MM or -HH:MM */
  AOK_NUM,    /* a number */
  AOK_POS,    /* a number above 0 */
  AOK_BYTES   /* a byte count, digits with an optional suffix (4G): the setter checks it */
};

struct analyze_opt_def {
  enum analyze_opt id;
  const char *flag;     /* long option without "--" ("tz-offset") */
  char short_flag;      /* 0 when none */
  const char *arg_name; /* NULL for a flag (no argument) */
  const char *key;      /* manifest key ("tz_offset"); NULL: not a key */
  enum analyze_opt_kind kind;
  /* Set the option from its text (flags get "true"/"false"). Strings are
   * kept by pointer. -1 with d filled (DIAG_USAGE, "--FLAG wants ..."). */
  int (*set)(struct analyze_options *o, const char *flag, const char *value,
             struct diag *d);
  const char *dflt; /* analyze's default as text, set by analyze_options_init; or NULL */
  const char *help; /* one line, without the default */
};

/* Indexed by enum analyze_opt. */
extern const struct analyze_opt_def analyze_opt_table[AOPT_COUNT];

/* The row of a long flag ("tz-offset") or a manifest key ("tz_offset"), or NULL. */
const struct analyze_opt_def *analyze_opt_by_flag(const char *flag);
const struct analyze_opt_def *analyze_opt_by_key(const char *key);

/* def->set(o, def->flag, value, d). */
int analyze_opt_apply(struct analyze_options *o, const struct analyze_opt_def *def,
                      const char *value, struct diag *d);

/* The options that cannot go together (--utc with --bias, --cycles with
 * --cycle-period, ...) and --from not before --to: -1 with d filled
 * (DIAG_USAGE, "X and Y cannot be used together (why)"). keys: name them
 * by their manifest keys rather than their flags. */
int analyze_options_check(const struct analyze_options *o, bool keys, struct diag *d);

#endif
