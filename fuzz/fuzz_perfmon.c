/* fuzz target: perfmon */
#define FUZZ_ARGS "inspect"
#include "fuzz/fuzz_cli.h"
