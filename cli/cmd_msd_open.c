/*
 * cmd_msd_open.c: `ecms msd open`: record the opening of a package's dry bag:
 * its floor-life clock runs.
 */
#include "cli.h"
#include "ecms/msdstore.h"
#include "msd_common.h"

const struct cmd_entry cmd_msd_open_entry = {
	"msd open",
	"UID [--hic PCT] [--json]",
	"record the opening of a package's dry bag: its floor-life clock runs",
	UID_HELP "--hic PCT   the humidity indicator card: the highest spot (5, 10, 60) that\n"
		 "            is no longer blue. At the MSL's limit (10 % by default) the\n"
		 "            opening is recorded, but the package needs a bake before use:\n"
		 "            exit 1 with the reason.\n",
	0,
	msd_event_fn,
};
