/* commands — one struct command per subcommand, each in its own file
 * (cmd_NAME.c), listed in cli.c's table. */
#ifndef LEAKSLOPE_COMMANDS_H
#define LEAKSLOPE_COMMANDS_H

#include "cmd/cli.h"

extern const struct command cmd_help;
extern const struct command cmd_inspect;
extern const struct command cmd_events;
extern const struct command cmd_analyze;
extern const struct command cmd_scan;
extern const struct command cmd_compare;
extern const struct command cmd_capture;
extern const struct command cmd_formats;

#endif
