/* tree — one in-memory result tree that every report format is written from.
 *
 * Commands build a tree (objects keep insertion order) and hand it to
 * tree_write_json or tree_write_yaml, so JSON and YAML always carry the same
 * fields. Strings are UTF-8 and copied in. */
#ifndef LEAKSLOPE_TREE_H
#define LEAKSLOPE_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/timeutil.h"

enum tree_kind { TREE_NULL, TREE_BOOL, TREE_INT, TREE_NUM, TREE_STR, TREE_ARR, TREE_OBJ };

struct tree;

struct tree *tree_null(void);
struct tree *tree_bool(bool v);
struct tree *tree_int(long long v);
/* A double; NaN and infinities are written as null. */
struct tree *tree_num(double v);
struct tree *tree_str(const char *s); /* NULL gives a null node */
/* [lo, hi] (a 95% interval, say), or null when either end is NaN; "-0"
 * is written as 0. */
struct tree *tree_interval(double lo, double hi);
struct tree *tree_strn(const char *s, size_t n);
struct tree *tree_arr(void);
struct tree *tree_obj(void);
void tree_free(struct tree *t);

/* Add val under key (an object) or at the end (an array); returns val so
 * that nested building reads top-down. Takes ownership of val. */
struct tree *tree_set(struct tree *obj, const char *key, struct tree *val);
struct tree *tree_push(struct tree *arr, struct tree *val);

/* Shorthands for tree_set(obj, key, tree_xxx(v)). */
void tree_set_str(struct tree *obj, const char *key, const char *v);
void tree_set_int(struct tree *obj, const char *key, long long v);
void tree_set_num(struct tree *obj, const char *key, double v);
void tree_set_bool(struct tree *obj, const char *key, bool v);
void tree_set_null(struct tree *obj, const char *key);
/* A UTC instant as "2020-07-31T07:37:25.686134Z", or null when not known. */
void tree_set_utc(struct tree *obj, const char *key, usec_t t, bool known);

/* Read access, for reports built from a tree and for tests. */
enum tree_kind tree_kind(const struct tree *t);
size_t tree_len(const struct tree *t);                     /* array/object size */
struct tree *tree_at(const struct tree *t, size_t i);      /* i-th element/value */
const char *tree_key_at(const struct tree *t, size_t i);   /* i-th key of an object */
struct tree *tree_get(const struct tree *obj, const char *key); /* NULL if absent */
const char *tree_get_str(const struct tree *t);  /* NULL unless a string */
double tree_get_num(const struct tree *t);       /* INT or NUM; NaN otherwise */
bool tree_get_bool(const struct tree *t);

/* Writers return 0, or -1 on a write error (errno set). JSON is indented by
 * two spaces and ends with a newline. YAML comes from libyaml's emitter;
 * strings are double-quoted unless plainly safe (never for "no", "6.5", times). */
int tree_write_json(const struct tree *t, FILE *f);
int tree_write_yaml(const struct tree *t, FILE *f);

/* Numbers are printed with the fewest digits that read back to the same
 * double ("%.17g" at most), integers-valued doubles without a fraction. */
void tree_format_num(double v, char *buf, size_t cap);

struct warnings;
/* Warnings as the reports print them: with_codes false, an array of their
 * messages ("warnings"); true, objects {code, message, file, line}
 * ("diagnostics"; line null when unknown). */
struct tree *tree_of_warnings(const struct warnings *w, bool with_codes);

#endif
