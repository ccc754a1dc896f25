/*
 * cmd_release.c: `ecms release`: release a package from quarantine (qa;
 * signed).
 */
#include "cli.h"
#include "ecms/auth.h"
#include "ecms/receiving.h"
#include "quarantine_common.h"

const struct cmd_entry cmd_release_entry = {
	"release",
	"UID --reason TEXT (--user U | --badge) [--location LOC] [--coc ID] [--json]",
	"release a package from quarantine (qa; signed)",
	DECIDE_HELP,
	0,
	quarantine_decide_fn,
};
