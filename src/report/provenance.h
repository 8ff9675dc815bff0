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
 * never fails a report. The file is read once more, in bounded memory. */
struct tree *provenance_add_file(struct tree *prov, const char *path,
                                 const char *run, const char *role);

#endif
