/* yamldoc — every YAML file the program reads (rules, manifests, trace
 * layouts, counter aliases), read whole with libyaml's document loader, and
 * checked with every error at FILE:LINE:COL.
 *
 * The files this reads are a few kilobytes written by people, so loading
 * the whole document is fine and lets the callers walk it in the order the
 * schema wants. ydoc_check_keys makes unknown and duplicate keys errors (a
 * typo must not be silently ignored); scalars are converted strictly (no
 * inf, nan or hex floats, no trailing text). */
#ifndef LEAKSLOPE_YAMLDOC_H
#define LEAKSLOPE_YAMLDOC_H

#include <stdbool.h>
#include <yaml.h>

#include "util/diag.h"

struct ydoc {
  yaml_document_t doc;
  char *file;
  bool loaded;
};

/* Load PATH. DIAG_NOINPUT when it cannot be opened, DIAG_DATA with the
 * parser's position on a syntax error ("YAML: problem context") or an empty
 * file. */
int ydoc_load(struct ydoc *y, const char *path, struct diag *d);

/* How a kind of file words what is not a document, so that each file type
 * keeps the messages it always gave. */
struct ydoc_how {
  bool bare_syntax;   /* a syntax error is libyaml's problem alone, without
                         "YAML: " and its context */
  const char *syntax_expected; /* then " (expected X)" after it; NULL none */
  const char *empty;  /* the message at 1:1 for a file with no document;
                         NULL: no error, ydoc_root is then NULL */
};
/* ydoc_load, worded as `how` says. */
int ydoc_load_how(struct ydoc *y, const char *path, const struct ydoc_how *how,
                  struct diag *d);
void ydoc_fini(struct ydoc *y);

yaml_node_t *ydoc_root(struct ydoc *y);
/* DIAG_DATA at n's position; returns -1. */
int ydoc_error(struct ydoc *y, const yaml_node_t *n, struct diag *d,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Fail unless n is a mapping / sequence; `what` names it in the message. */
int ydoc_want_map(struct ydoc *y, yaml_node_t *n, const char *what,
                  struct diag *d);
int ydoc_want_seq(struct ydoc *y, yaml_node_t *n, const char *what,
                  struct diag *d);
/* Every key of mapping `map` is a scalar in `allowed` (NULL-terminated),
 * none twice; else an error at the offending key. */
int ydoc_check_keys(struct ydoc *y, yaml_node_t *map,
                    const char *const allowed[], const char *what,
                    struct diag *d);
/* Value under `key` in a mapping; NULL when absent. */
yaml_node_t *ydoc_get(struct ydoc *y, yaml_node_t *map, const char *key);
/* Number of pairs/items, and the i-th key/value/item. */
size_t ydoc_len(const yaml_node_t *n);
yaml_node_t *ydoc_key_at(struct ydoc *y, yaml_node_t *map, size_t i);
yaml_node_t *ydoc_value_at(struct ydoc *y, yaml_node_t *map, size_t i);
yaml_node_t *ydoc_item(struct ydoc *y, yaml_node_t *seq, size_t i);
/* fn(ctx, key, value) for each pair of mapping `map` in order, stopping at
 * the first that returns < 0 (whose value is returned). */
typedef int (*ydoc_pair_fn)(void *ctx, yaml_node_t *key, yaml_node_t *val);
int ydoc_each_pair(struct ydoc *y, yaml_node_t *map, ydoc_pair_fn fn,
                   void *ctx);

/* Scalar text (NUL-terminated; libyaml keeps it so), or NULL. */
const char *ydoc_text(const yaml_node_t *n);
/* A plain (unquoted) scalar? Quoted "1" is a string, plain 1 a number. */
bool ydoc_is_plain(const yaml_node_t *n);
/* A plain null: "", "~", "null", "Null", "NULL". */
bool ydoc_is_null(const yaml_node_t *n);

/* Typed scalars; errors name `what` and what was expected. */
int ydoc_string(struct ydoc *y, yaml_node_t *n, const char *what,
                const char **out, struct diag *d);
int ydoc_long(struct ydoc *y, yaml_node_t *n, const char *what, long *out,
              struct diag *d);
int ydoc_double(struct ydoc *y, yaml_node_t *n, const char *what,
                double *out, struct diag *d);
int ydoc_bool(struct ydoc *y, yaml_node_t *n, const char *what, bool *out,
              struct diag *d);
/* A plain decimal (or 0x hex) integer without sign, at most max. */
bool ydoc_parse_unsigned(const char *s, unsigned long long max,
                         unsigned long long *out);

#endif
