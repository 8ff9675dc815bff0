/* fuzz target: xperf */
#define FUZZ_ARGS "events", "--trace-format", "xperf-dumper"
#include "fuzz/fuzz_cli.h"
