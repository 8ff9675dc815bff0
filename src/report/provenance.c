/* provenance — builds the provenance object of the report tree. */
#include "config.h"
#include "report/provenance.h"
#include "analyze/analysis.h"
#include "input/input.h"
#include "util/sha256.h"

#include <string.h>

struct tree *provenance_new(const char *command_line) {
  struct tree *p = tree_obj();
  tree_set_str(p, "tool", PACKAGE_NAME);
  tree_set_str(p, "version", PACKAGE_VERSION);
  tree_set_str(p, "command_line", command_line); /* NULL gives null */
  tree_set(p, "inputs", tree_arr());
  return p;
}

struct tree *provenance_add_file(struct tree *prov, const char *path,
                                 const char *run, const char *role) {
  struct tree *inputs = tree_get(prov, "inputs");
  if (!inputs)
    inputs = tree_set(prov, "inputs", tree_arr());
  struct tree *in = tree_push(inputs, tree_obj());
  int stdin_input = strcmp(path, "-") == 0;
  tree_set_str(in, "name", stdin_input ? "<stdin>" : path);
  if (run)
    tree_set_str(in, "run", run);
  if (role)
    tree_set_str(in, "role", role);
  char hex[SHA256_HEX_SIZE];
  uint64_t size = 0;
  /* The digest the input layer took while reading; a file it did not read
   * (one a library opened by name) is hashed here. */
  int known = stdin_input ? -1 : input_digest(path, hex, &size);
  if (known == 1) {
    unsigned long long n;
    struct diag d;
    diag_init(&d);
    known = sha256_file(path, hex, &n, &d);
    size = n;
    diag_fini(&d);
  }
  if (known == 0) {
    tree_set_int(in, "size", (long long)size);
    tree_set_str(in, "sha256", hex);
  } else {
    tree_set_null(in, "size");
    tree_set_null(in, "sha256");
  }
  return in;
}

void provenance_add_runs(struct tree *t, const char *command_line,
                         const char *const *extra, size_t nextra,
                         const char *const *run_names,
                         const struct analysis *const *runs, size_t nruns) {
  struct tree *prov = tree_set(t, "provenance", provenance_new(command_line));
  for (size_t i = 0; i < nextra; i++)
    if (extra[i])
      provenance_add_file(prov, extra[i], NULL, "evidence");
  for (size_t r = 0; r < nruns; r++)
    for (size_t i = 0; i < runs[r]->ninputs; i++) {
      const struct analysis_input *in = &runs[r]->inputs[i];
      struct tree *e = provenance_add_file(prov, in->name, run_names ? run_names[r] : NULL,
                                           in->kind);
      tree_set_str(e, "format", in->format);
      if (in->encoding)
        tree_set_str(e, "encoding", in->encoding);
      if (in->has_bias) {
        tree_set_int(e, "bias_minutes", in->bias_minutes);
        tree_set_str(e, "bias_source", in->bias_source);
      }
    }
}
