/* fuzz target: own_csv */
#define FUZZ_ARGS "events", "--trace-format", "leakslope-csv"
#include "fuzz/fuzz_cli.h"
