/*
 * cmd_supplier_show.c: `ecms supplier show`: show one supplier (master data: the
 * implementation, common to every kind, is md_show in md_common.c).
 */
#include "md_common.h"

const struct cmd_entry cmd_supplier_show_entry = {
	"supplier show", "ID [--json]", "show one supplier", NULL, 0, md_show,
};
