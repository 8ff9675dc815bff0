/* fuzz target: procmon */
#define FUZZ_ARGS "events", "--trace-format", "procmon-csv"
#include "fuzz/fuzz_cli.h"
