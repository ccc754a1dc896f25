/*
 * cmd_manufacturer_show.c: `ecms manufacturer show`: show one manufacturer (master data: the
 * implementation, common to every kind, is md_show in md_common.c).
 */
#include "md_common.h"

const struct cmd_entry cmd_manufacturer_show_entry = {
	"manufacturer show", "ID [--json]", "show one manufacturer", NULL, 0, md_show,
};
