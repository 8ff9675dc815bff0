/* fuzz target: blg (binary perfmon logs; seeds in tests/fuzz/blg are small
 * logs of 4 KiB buffers, so that a whole log fits in -max_len) */
#define FUZZ_ARGS "inspect"
#include "fuzz/fuzz_cli.h"
