/*
 * cmd_location_list.c: `ecms location list`: list locations (master data: the
 * implementation, common to every kind, is md_list in md_common.c).
 */
#include "md_common.h"

const struct cmd_entry cmd_location_list_entry = {
	"location list", "[--parent ID] [--json]", "list locations", NULL, 0, md_list,
};
