/*
 * cmd_msd_bake_abort.c: `ecms msd bake-abort`: take a package out of the oven
 * without a valid bake (the bake does not count).
 */
#include "cli.h"
#include "ecms/msdstore.h"
#include "msd_common.h"

const struct cmd_entry cmd_msd_bake_abort_entry = {
	"msd bake-abort",
	"UID [--json]",
	"take a package out of the oven without a valid bake (the bake does not count)",
	UID_HELP,
	0,
	msd_event_fn,
};
