/* SPDX-License-Identifier: PostgreSQL */
int cli_main(int argc, char **argv) { return 0; }
