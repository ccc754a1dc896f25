/*
 * cmd_part_show.c: `ecms part show`: show one part (master data: the
 * implementation, common to every kind, is md_show in md_common.c).
 */
#include "md_common.h"

const struct cmd_entry cmd_part_show_entry = {
	"part show", "ID [--json]", "show one part", NULL, 0, md_show,
};
