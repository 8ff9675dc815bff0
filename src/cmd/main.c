/* leakslope — entry point; everything else lives in the library. */
#include "config.h"
#include "cmd/cli.h"
#include "util/datadir.h"

int main(int argc, char **argv) {
  /* From its build tree (as the README's commands run it) the binary reads
   * the source tree's formats/; installed, only the installed copy. */
  datadir_use_build_tree();
  return cli_main(argc, argv);
}
