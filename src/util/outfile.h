/* outfile — write an output atomically: a temporary file in the target's
 * folder, renamed into place on commit, removed on abort, so a failed run
 * never leaves a half report. Standard output ("-" or NULL) and non-regular
 * targets (/dev/stdout) are written directly. */
#ifndef LEAKSLOPE_OUTFILE_H
#define LEAKSLOPE_OUTFILE_H

#include <stdio.h>

#include "util/diag.h"

struct outfile;

/* Returns NULL with d filled (DIAG_CANTCREAT) on failure. */
struct outfile *outfile_open(const char *path, struct diag *d);
FILE *outfile_stream(struct outfile *o);
/* Flush, fsync, rename into place; frees o. -1 with d filled on failure
 * (the temporary file is removed). */
int outfile_commit(struct outfile *o, struct diag *d);
/* Remove the temporary file; frees o. */
void outfile_abort(struct outfile *o);

#endif
