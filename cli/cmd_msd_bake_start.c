/*
 * cmd_msd_bake_start.c: `ecms msd bake-start`: record a package going into the
 * oven now (end it with msd bake-end).
 */
#include "cli.h"
#include "ecms/msdstore.h"
#include "msd_common.h"

const struct cmd_entry cmd_msd_bake_start_entry = {
	"msd bake-start",
	"UID --temp C [--rh PCT] [--json]",
	"record a package going into the oven now (end it with msd bake-end)",
	UID_HELP,
	0,
	msd_event_fn,
};
