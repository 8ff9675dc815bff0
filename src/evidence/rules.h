/* rules — what a KB's fix needs and what each combination predicts, read
 * from a rules file (formats/rules/NAME.yaml; format in
 * formats/README-rules.md), and a run's evidence judged against it.
 *
 * A rules file names the module and its first fixed file version, any
 * registry settings the fix also needs (name, expected key, type, value),
 * prerequisites (information only) and a list of predictions: conditions
 * ("hotfix" and each setting's name, true or false) and the verdict they
 * predict. Nothing here knows KB 901014: another KB is another file. */
#ifndef LEAKSLOPE_RULES_H
#define LEAKSLOPE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "evidence/regfile.h"
#include "evidence/version.h"

struct tree;

/* Three-valued evidence: known true, known false, or cannot tell. */
enum tri { TRI_UNKNOWN = -1, TRI_FALSE = 0, TRI_TRUE = 1 };

enum expect { EXPECT_UNKNOWN = 0, EXPECT_LEAK, EXPECT_NO_LEAK };

struct rule_setting {
  char *name;    /* value name, "CleanUpMAPIHeap" */
  char *key;     /* expected key, hive in full */
  int type;      /* REGV_DWORD, REGV_QWORD, REGV_SZ or REGV_EXPAND_SZ */
  uint64_t num;  /* required value for DWORD/QWORD */
  char *str;     /* required value for strings */
  char *display; /* "CleanUpMAPIHeap=1" */
};

#define RULES_MAX_CONDITIONS 8 /* "hotfix" + up to 7 settings */

struct rule_prediction {
  /* For condition c (0 = hotfix, 1 + i = settings[i]): TRI_UNKNOWN when the
   * prediction does not mention it, else the value it requires. */
  enum tri when[RULES_MAX_CONDITIONS];
  enum expect expect;
  char *because; /* may be NULL */
};

struct rules {
  char *file;
  char *id;    /* "KB901014" */
  char *title;
  char *url;    /* the KB article; may be NULL */
  char *module; /* "mapi32.dll" */
  char *kind;   /* the cycles it leaks on: "load:mapi32.dll" (the default:
                   the module's load/unload) or a named cycle, "logon" */
  struct version fixed;
  char *fixed_text; /* dotted: "6.5.7233.46" */
  char **prerequisites;
  size_t nprerequisites;
  struct rule_setting *settings;
  size_t nsettings;
  struct rule_prediction *predictions;
  size_t npredictions;
};

/* Load a rules file. NULL with d filled (FILE:LINE:COL) on error. */
struct rules *rules_load(const char *path, struct diag *d);
void rules_free(struct rules *r);

/* What is known about one run. Any field may be NULL (not given). */
struct run_evidence {
  const char *run;            /* run name, for warnings */
  const char *module_version; /* from the manifest */
  const char *trace_version;  /* FileVersion the trace saw, if any */
  const struct regfile *registry; /* a .reg export, or inline values */
};

struct setting_eval {
  enum tri ok;       /* present with the required type and value? */
  char *found_key;   /* where it was found; NULL if not or inline */
  char *found_type;  /* "dword", "sz", ...; NULL if not found */
  char *found_value; /* as text; NULL if not found */
};

struct rules_eval {
  char *version_used;    /* the version judged, NULL when unknown */
  enum tri hotfix;       /* module version >= fixed */
  enum tri settings_all; /* every setting ok (TRUE when there are none) */
  struct setting_eval *settings; /* one per rules setting */
  size_t nsettings;
  enum expect expected;
  const char *because;   /* the matching prediction's text, or NULL */
};

/* Judge ev against r into out (freed with rules_eval_fini). Warnings
 * (value under another key, WOW6432Node, type mismatch, versions that
 * disagree, key missing from the export) go to w, naming the run. */
void rules_evaluate(const struct rules *r, const struct run_evidence *ev,
                    struct warnings *w, struct rules_eval *out);
void rules_eval_fini(struct rules_eval *e);

/* What the predictions say for these condition values (TRI_UNKNOWN ones
 * are tried both ways; disagreeing outcomes give EXPECT_UNKNOWN).
 * cond[0] is hotfix, cond[1 + i] setting i. */
enum expect rules_predict(const struct rules *r, const enum tri *cond,
                          const char **because);

const char *expect_name(enum expect e); /* "leak", "no-leak", "unknown" */

/* The run's "evidence" object for the compare JSON. */
struct tree *rules_eval_tree(const struct rules *r, const struct run_evidence *ev,
                             const struct rules_eval *e);

#endif
