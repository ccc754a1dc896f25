/*
 * cmd_user_show.c: `ecms user show`: show one user (master data: the
 * implementation, common to every kind, is md_show in md_common.c).
 */
#include "md_common.h"

const struct cmd_entry cmd_user_show_entry = {
	"user show", "ID [--json]", "show one user", NULL, 0, md_show,
};
