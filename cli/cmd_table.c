/*
 * cmd_table.c: the one list of ecms commands. `ecms help` and
 * `ecms COMMAND --help` are generated from these entries. To add a
 * command: write cli/cmd_<name>.c exporting a struct cmd_entry, declare
 * it here and put it in the table.
 */
#include "cli.h"

extern const struct cmd_entry cmd_init_entry, cmd_import_entry, cmd_log_entry,
	cmd_audit_verify_entry, cmd_part_show_entry, cmd_part_list_entry, cmd_supplier_show_entry,
	cmd_supplier_list_entry, cmd_location_show_entry, cmd_location_list_entry,
	cmd_user_show_entry, cmd_user_list_entry, cmd_manufacturer_show_entry,
	cmd_manufacturer_list_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_init_entry,
	&cmd_import_entry,
	&cmd_part_list_entry,
	&cmd_part_show_entry,
	&cmd_manufacturer_list_entry,
	&cmd_manufacturer_show_entry,
	&cmd_supplier_list_entry,
	&cmd_supplier_show_entry,
	&cmd_location_list_entry,
	&cmd_location_show_entry,
	&cmd_user_list_entry,
	&cmd_user_show_entry,
	&cmd_log_entry,
	&cmd_audit_verify_entry,
	NULL,
};
