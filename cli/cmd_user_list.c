/*
 * cmd_user_list.c: `ecms user list`: list users (master data: the
 * implementation, common to every kind, is md_list in md_common.c).
 */
#include "md_common.h"

const struct cmd_entry cmd_user_list_entry = {
	"user list", "[--role R] [--json]", "list users", NULL, 0, md_list,
};
