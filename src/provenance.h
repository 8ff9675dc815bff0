/* provenance — what a report was made from: the tool's version and command
 * line, and each input's name, size, SHA-256 and detected format, encoding
 * and bias, so a reader can check that a report describes the files they
 * hold. */
#ifndef LEAKSLOPE_PROVENANCE_H
#define LEAKSLOPE_PROVENANCE_H

#include <stddef.h>

#include "analysis.h"
#include "tree.h"

/* Set t's "provenance" object. `extra` files (a manifest, .reg files) are
 * listed first, then every input of every analysis. Files that cannot be
 * read again (standard input) get null size and digest. */
void provenance_add(struct tree *t, const char *const *extra, size_t nextra,
                    const struct analysis *const *runs, size_t nruns);

#endif
