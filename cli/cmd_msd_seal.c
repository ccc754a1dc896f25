/*
 * cmd_msd_seal.c: `ecms msd seal`: record a package re-sealed in a dry bag
 * with fresh desiccant: its clock pauses.
 */
#include "cli.h"
#include "ecms/msdstore.h"
#include "msd_common.h"

const struct cmd_entry cmd_msd_seal_entry = {
	"msd seal",
	"UID [--json]",
	"record a package re-sealed in a dry bag with fresh desiccant: its clock pauses",
	UID_HELP,
	0,
	msd_event_fn,
};
