/* fuzz target: sysmon_json */
#define FUZZ_ARGS "events", "--trace-format", "sysmon-json"
#include "fuzz/fuzz_cli.h"
