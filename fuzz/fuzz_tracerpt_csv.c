/* fuzz target: tracerpt_csv */
#define FUZZ_ARGS "events", "--trace-format", "tracerpt-csv"
#include "fuzz/fuzz_cli.h"
