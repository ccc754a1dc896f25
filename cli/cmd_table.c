/*
 * cmd_table.c: the one list of ecms commands. `ecms help` and
 * `ecms COMMAND --help` are generated from these entries. To add a
 * command: write cli/cmd_<name>.c exporting a struct cmd_entry, declare
 * it here and put it in the table.
 */
#include "cli.h"

extern const struct cmd_entry cmd_init_entry;
extern const struct cmd_entry cmd_label_parse_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_init_entry,
	&cmd_label_parse_entry,
	NULL,
};
