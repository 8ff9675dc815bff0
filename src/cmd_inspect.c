/* cmd_inspect — placeholder until the perfmon reader lands. */
#include "config.h"
#include "commands.h"

static int run_inspect(const struct command *cmd, int argc, char **argv) {
  struct cli_parser p;
  cli_parser_init(&p, cmd, argc, argv);
  int id;
  while ((id = cli_next_option(&p)) > 0)
    ;
  int status = id == CLI_DONE_EXIT ? p.status : EXIT_SOFTWARE;
  cli_parser_fini(&p);
  return status;
}

static const struct cli_option inspect_options[] = {{0, NULL, 0, NULL, NULL}};

const struct command cmd_inspect = {
    .name = "inspect",
    .run = run_inspect,
    .summary = "Show what a perfmon counter log holds",
    .usage = "[OPTIONS] LOG",
    .description = NULL,
    .options = inspect_options,
};
