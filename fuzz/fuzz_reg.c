/* fuzz target: reg (compare, a manifest whose registry: is the input) */
#include "fuzz/fuzz_fixtures.h"
#define FUZZ_ARGS "compare"
#define FUZZ_DIR_FILE "r.reg"
#define FUZZ_DIR_EXTRA FIX_FILES "m.yaml", FIX_MANIFEST,
#define FUZZ_DIR_ARGS "@/m.yaml"
#include "fuzz/fuzz_cli.h"
