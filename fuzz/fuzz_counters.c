/* fuzz target: counters (inspect --formats DIR of a log whose names the
 * input, DIR/counters.yaml, may alias) */
#include "fuzz/fuzz_fixtures.h"
#define FUZZ_ARGS "inspect"
#define FUZZ_DIR_FILE "counters.yaml"
#define FUZZ_DIR_EXTRA FIX_FILES
#define FUZZ_DIR_ARGS "--formats", "@", "@/c.csv"
#include "fuzz/fuzz_cli.h"
