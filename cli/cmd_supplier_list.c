/*
 * cmd_supplier_list.c: `ecms supplier list`: list suppliers (master data: the
 * implementation, common to every kind, is md_list in md_common.c).
 */
#include "md_common.h"

const struct cmd_entry cmd_supplier_list_entry = {
	"supplier list", "[--status S] [--json]", "list suppliers", NULL, 0, md_list,
};
