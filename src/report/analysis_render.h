/* analysis_render — how one run's result (struct analysis) is reported:
 * as the tree behind `analyze --format json|yaml` (the stable fields of
 * DESIGN.md) and as the short text summary that states the verdict first.
 * `compare` reuses both for each of its runs. */
#ifndef LEAKSLOPE_ANALYSIS_RENDER_H
#define LEAKSLOPE_ANALYSIS_RENDER_H

#include <stdio.h>

#include "analyze/analysis.h"
#include "util/tree.h"

/* The analyze object of DESIGN.md ("schema": "leakslope/analyze/1", ...). */
struct tree *analysis_to_tree(const struct analysis *a);

/* The verdict as one plain sentence (malloc'ed), e.g. "mapitest leaks
 * 40.0 KiB per load/unload of mapi32.dll (95%: 39.8–40.2 KiB), ...". */
char *analysis_sentence(const struct analysis *a);

/* --per: kind i's figure as one line (malloc'ed), "per logon: 11.8 KiB
 * (95%: 11.5–12.1 KiB) over 480 cycles: leak", or with whom it moves in
 * step when it cannot be told apart. */
char *analysis_kind_sentence(const struct analysis *a, size_t i);

/* The human summary: the sentence, then the figures behind it. */
void analysis_write_text(const struct analysis *a, FILE *f);

#endif
