/* leakslope — entry point; everything else lives in the library. */
#include "config.h"
#include "cmd/cli.h"
#include "util/datadir.h"

int main(int argc, char **argv) {
  /* The source tree's formats/, searched last: the binary runs from its
   * build tree (as the README's commands run it) before `make install`. */
  datadir_set_fallback(LEAKSLOPE_SRCDIR_FORMATS);
  return cli_main(argc, argv);
}
