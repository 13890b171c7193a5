/* SPDX-License-Identifier: PostgreSQL */
/* pgtail: who is connected to PostgreSQL, read from the server's own log. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
