/* fuzz target: layout (formats --formats DIR: the input is DIR's one
 * trace layout, loaded and checked) */
#define FUZZ_ARGS "formats"
#define FUZZ_DIR_FILE "trace/fuzz.yaml"
#define FUZZ_DIR_EXTRA
#define FUZZ_DIR_ARGS "--formats", "@"
#include "fuzz/fuzz_cli.h"
