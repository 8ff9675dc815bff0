/* fuzz target: ltrace */
#define FUZZ_ARGS "events", "--trace-format", "ltrace"
#include "fuzz/fuzz_cli.h"
