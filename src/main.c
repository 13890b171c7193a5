/* SPDX-License-Identifier: PostgreSQL */
/* pgtail: who is connected to PostgreSQL, read from the server's own log.
 * Without arguments, the interactive shell; with some, one command. */
#include "cli/cli.h"
#include "repl/repl.h"

int main(int argc, char **argv)
{
	if (argc < 2)
		return repl_main();
	return cli_main(argc, argv);
}
