/* fuzz target: manifest (compare on a fuzzed manifest beside a log, a
 * trace and a .reg it may name; a name it makes up is exit 66) */
#include "fuzz/fuzz_fixtures.h"
#define FUZZ_ARGS "compare"
#define FUZZ_DIR_FILE "m.yaml"
#define FUZZ_DIR_EXTRA FIX_FILES "r.reg", FIX_REG,
#define FUZZ_DIR_ARGS "@/m.yaml"
#define FUZZ_ALLOW 66
#include "fuzz/fuzz_cli.h"
