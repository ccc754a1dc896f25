/*
 * cmd_part_list.c: `ecms part list`: list parts (master data: the
 * implementation, common to every kind, is md_list in md_common.c).
 */
#include "md_common.h"

const struct cmd_entry cmd_part_list_entry = {
	"part list", "[--category C] [--json]", "list parts", NULL, 0, md_list,
};
