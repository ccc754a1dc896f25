/*
 * cmd_manufacturer_list.c: `ecms manufacturer list`: list manufacturers (master data: the
 * implementation, common to every kind, is md_list in md_common.c).
 */
#include "md_common.h"

const struct cmd_entry cmd_manufacturer_list_entry = {
	"manufacturer list", "[--json]", "list manufacturers", NULL, 0, md_list,
};
