/* fuzz target: tracerpt_xml */
#define FUZZ_ARGS "events", "--trace-format", "tracerpt-xml"
#include "fuzz/fuzz_cli.h"
