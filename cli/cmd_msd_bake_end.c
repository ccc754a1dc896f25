/*
 * cmd_msd_bake_end.c: `ecms msd bake-end`: record the end of a running bake:
 * refused while shorter than the table's minimum.
 */
#include "cli.h"
#include "ecms/msdstore.h"
#include "msd_common.h"

const struct cmd_entry cmd_msd_bake_end_entry = {
	"msd bake-end",
	"UID [--json]",
	"record the end of a running bake: refused while shorter than the table's minimum",
	UID_HELP,
	0,
	msd_event_fn,
};
