/* regfile — reads a Windows registry export (.reg) into keys and values.
 *
 * Both dialects regedit and `reg export` write are read: "Windows Registry
 * Editor Version 5.00" (UTF-16LE with a BOM from Windows; UTF-8 or ANSI when
 * written by hand) and the older ANSI "REGEDIT4". The input module decodes
 * the bytes; this module parses lines:
 *   [HKEY_LOCAL_MACHINE\Path]      a key (HKLM\ ... and the other hive
 *   [-HKEY_...\Path]               abbreviations are accepted); a deleted key
 *   "Name"="text"  @="text"        a string (\\ and \" escapes); the default
 *   "Name"=dword:00000001          a DWORD
 *   "Name"=hex(b):01,00,...,\      typed binary data over several lines
 *   "Name"=-                       a deleted value
 *   ; comment                      and a trailing Ctrl-Z (0x1A), ignored.
 * Spaces around '=' are allowed; value names keep their spaces.
 * Key paths are compared case-insensitively with the hive spelled out in
 * full; a "WOW6432Node" component (the 32-bit view on 64-bit Windows) is
 * noted on the key. Value names are compared case-insensitively. Errors are
 * DIAG_DATA at FILE:LINE:COL. The whole file is kept in memory: exports that
 * serve as evidence are small. */
#ifndef LEAKSLOPE_REGFILE_H
#define LEAKSLOPE_REGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

/* Registry value types (the numbers are Windows' REG_* codes, which
 * hex(N): spells; REGV_DELETED marks "Name"=-). */
enum regv_type {
  REGV_NONE = 0,
  REGV_SZ = 1,
  REGV_EXPAND_SZ = 2,
  REGV_BINARY = 3,
  REGV_DWORD = 4,
  REGV_DWORD_BE = 5,
  REGV_LINK = 6,
  REGV_MULTI_SZ = 7,
  REGV_QWORD = 11,
  REGV_DELETED = -1
};

struct reg_value {
  char *name;          /* "" for the default value (@) */
  enum regv_type type; /* or another hex(N) code */
  bool deleted;        /* "Name"=- */
  char *str;           /* SZ, EXPAND_SZ, LINK as UTF-8; MULTI_SZ joined by
                          '\n'; NULL for other types */
  uint64_t num;        /* DWORD, DWORD_BE, QWORD */
  unsigned char *data; /* raw bytes of hex forms (NULL otherwise) */
  size_t len;
  long line, col;      /* where the value starts */
};

struct reg_key {
  char *path;      /* hive spelled out in full, as written otherwise;
                      NULL for values given outside a file (manifest) */
  bool deleted;    /* [-...] */
  bool wow64;      /* has a WOW6432Node component */
  long line;
  struct reg_value *values;
  size_t nvalues, cap;
};

struct regfile {
  char *file;       /* name for messages */
  int version;      /* 4 (REGEDIT4) or 5 */
  char *encoding;   /* as the input module decided: "utf-16le", ... */
  struct reg_key *keys;
  size_t nkeys, cap;
};

/* Read PATH ("-" is standard input). Returns NULL with d filled on error.
 * Warnings (encoding guesses, odd but accepted syntax) go to w. */
struct regfile *regfile_read(const char *path, struct warnings *w,
                             struct diag *d);
void regfile_free(struct regfile *rf);

/* An empty regfile (no file): for values given inline; add keys and values
 * with the functions below. */
struct regfile *regfile_new(const char *name);
struct reg_key *regfile_add_key(struct regfile *rf, const char *path,
                                long line);
struct reg_value *regkey_add_value(struct reg_key *k, const char *name,
                                   long line, long col);

/* Canonical form of a key path: hive in full and upper case, the rest
 * as written, no trailing '\'; NULL if the hive is unknown. With
 * drop_wow64, "WOW6432Node\" components are removed. malloc'ed. */
char *regfile_canonical_path(const char *path, bool drop_wow64);

/* The key PATH (any hive spelling, case-insensitive); NULL if absent. With
 * any_view, a key that differs only by WOW6432Node also matches. */
const struct reg_key *regfile_find_key(const struct regfile *rf,
                                       const char *path, bool any_view);
/* Value NAME in key k (case-insensitive; "" or "@" is the default). */
const struct reg_value *regkey_find_value(const struct reg_key *k,
                                          const char *name);
/* Value NAME in key PATH; NULL if either is absent. */
const struct reg_value *regfile_get(const struct regfile *rf, const char *path,
                                    const char *name);
/* The next key after index *pos (start with 0) that holds a value NAME;
 * NULL when none is left. For "found under another key" searches. */
const struct reg_value *regfile_find_anywhere(const struct regfile *rf,
                                              const char *name, size_t *pos,
                                              const struct reg_key **key);

/* "dword", "sz", "hex(b)", ... for messages and reports. */
const char *regv_type_name(int type);

#endif
