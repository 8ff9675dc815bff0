/* version — Windows file versions ("6.5.7233.46") read and compared
 * numerically, field by field.
 *
 * Windows shows a file version in several spellings: "6.5.7233.46",
 * "6, 5, 7233, 46" (the resource's FILEVERSION), or with a build tag,
 * "10.0.26100.7019 (WinBuild.160101.0800)". Fields are split on '.' or ',',
 * a parenthesised suffix is dropped, missing fields count as 0 (so 6.5 ==
 * 6.5.0.0), and "-" or an empty string means the version is unknown. A string
 * comparison would put 6.5.7233.9 after 6.5.7233.46; this does not. */
#ifndef LEAKSLOPE_VERSION_H
#define LEAKSLOPE_VERSION_H

#include <stdbool.h>
#include <stddef.h>

#define VERSION_MAX_FIELDS 8

struct version {
  bool known;     /* false for "-" or "" */
  size_t nfields; /* as written, before padding */
  unsigned long fields[VERSION_MAX_FIELDS];
};

/* Parse s into v. Returns 0, or -1 when s is not a version; then *bad_at
 * (when not NULL) is the byte offset in s of the first offending character. */
int version_parse(const char *s, struct version *v, size_t *bad_at);

/* <0, 0, >0 like strcmp; both must be known. */
int version_compare(const struct version *a, const struct version *b);

/* "6.5.7233.46" (fields as written, joined by '.') into buf; "-" when
 * unknown. */
void version_format(const struct version *v, char *buf, size_t cap);

#endif
