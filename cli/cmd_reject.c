/*
 * cmd_reject.c: `ecms reject`: reject a quarantined package: return to
 * supplier or scrap (qa; signed).
 */
#include "cli.h"
#include "ecms/auth.h"
#include "ecms/receiving.h"
#include "quarantine_common.h"

const struct cmd_entry cmd_reject_entry = {
	"reject",
	"UID --reason TEXT --disposition return|scrap (--user U | --badge) [--json]",
	"reject a quarantined package: return to supplier or scrap (qa; signed)",
	DECIDE_HELP,
	0,
	quarantine_decide_fn,
};
