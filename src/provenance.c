/* provenance — the inputs behind a report (see provenance.h). */
#include "config.h"
#include "cli.h"
#include "provenance.h"
#include "sha256.h"

#include <string.h>

static struct tree *file_entry(const char *name, const char *kind) {
  struct tree *e = tree_obj();
  tree_set_str(e, "name", name);
  tree_set_str(e, "kind", kind);
  char hex[SHA256_HEX_SIZE];
  unsigned long long size;
  struct diag d;
  diag_init(&d);
  if (strcmp(name, "-") != 0 && sha256_file(name, hex, &size, &d) == 0) {
    tree_set_int(e, "size", (long long)size);
    tree_set_str(e, "sha256", hex);
  } else {
    tree_set_null(e, "size");
    tree_set_null(e, "sha256");
  }
  diag_fini(&d);
  return e;
}

void provenance_add(struct tree *t, const char *const *extra, size_t nextra,
                    const struct analysis *const *runs, size_t nruns) {
  struct tree *p = tree_set(t, "provenance", tree_obj());
  tree_set_str(p, "tool", "leakslope");
  tree_set_str(p, "version", PACKAGE_VERSION);
  tree_set_str(p, "command_line", cli_command_line());
  struct tree *inputs = tree_set(p, "inputs", tree_arr());
  for (size_t i = 0; i < nextra; i++)
    if (extra[i])
      tree_push(inputs, file_entry(extra[i], "evidence"));
  for (size_t r = 0; r < nruns; r++)
    for (size_t i = 0; i < runs[r]->ninputs; i++) {
      const struct analysis_input *in = &runs[r]->inputs[i];
      struct tree *e = tree_push(inputs, file_entry(in->name, in->kind));
      tree_set_str(e, "format", in->format);
      if (in->encoding)
        tree_set_str(e, "encoding", in->encoding);
      if (in->has_bias) {
        tree_set_int(e, "bias_minutes", in->bias_minutes);
        tree_set_str(e, "bias_source", in->bias_source);
      }
    }
}
