/* fuzz target: sysmon_xml */
#define FUZZ_ARGS "events", "--trace-format", "sysmon-xml"
#include "fuzz/fuzz_cli.h"
