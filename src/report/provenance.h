/* provenance — the block every report carries so a reader can tell exactly
 * what it describes: tool and version, the command line, and each input
 * file's name, size and SHA-256 (plus what the readers detected: format,
 * encoding, bias, which the caller adds to the input's object). */
#ifndef LEAKSLOPE_PROVENANCE_H
#define LEAKSLOPE_PROVENANCE_H

#include "util/tree.h"

/* {"tool": "leakslope", "version": PACKAGE_VERSION, "command_line":
 * command_line, "inputs": []}; command_line may be NULL (then null). */
struct tree *provenance_new(const char *command_line);

/* Append {"name", "run", "role", "size", "sha256"} for the file at path to
 * prov's inputs and return that object, so the caller can add "format",
 * "encoding", "bias_minutes". run and role may be NULL (left out). Standard
 * input ("-") and an unreadable file get null size and digest: provenance
 * never fails a report. The digest is the one the input layer took while
 * reading the file (input_keep_digests); a file read by other means (a
 * library that opens it by name) is read once more, in bounded memory. */
struct tree *provenance_add_file(struct tree *prov, const char *path,
                                 const char *run, const char *role);

struct analysis;

/* Set t's "provenance" object (tool, version, the command line given, inputs with
 * size and SHA-256): `extra` files (a manifest, .reg files; NULL entries
 * skipped) first, then each input of each run with what its reader
 * detected (format, encoding, bias). */
void provenance_add_runs(struct tree *t, const char *command_line,
                         const char *const *extra, size_t nextra,
                         const char *const *run_names,
                         const struct analysis *const *runs, size_t nruns);

#endif
