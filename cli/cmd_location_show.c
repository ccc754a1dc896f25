/*
 * cmd_location_show.c: `ecms location show`: show one location (master data: the
 * implementation, common to every kind, is md_show in md_common.c).
 */
#include "md_common.h"

const struct cmd_entry cmd_location_show_entry = {
	"location show", "ID [--json]", "show one location", NULL, 0, md_show,
};
