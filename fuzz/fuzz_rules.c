/* fuzz target: rules (compare, a manifest whose rules: is the input) */
#include "fuzz/fuzz_fixtures.h"
#define FUZZ_ARGS "compare"
#define FUZZ_DIR_FILE "rules.yaml"
#define FUZZ_DIR_EXTRA FIX_FILES "r.reg", FIX_REG, "m.yaml", FIX_MANIFEST_RULES,
#define FUZZ_DIR_ARGS "@/m.yaml"
#include "fuzz/fuzz_cli.h"
