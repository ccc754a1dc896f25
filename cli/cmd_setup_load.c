/*
 * cmd_setup_load.c: `ecms setup load`: interlock: GO / NO-GO for a reel on a
 * slot; a GO is recorded as the load.
 */
#include "cli.h"
#include "ecms/setup.h"
#include "setup_common.h"

static int load_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_setup_load_entry = {
	"setup load",
	"--machine M --slot S --reel UID [--json]",
	"interlock: GO / NO-GO for a reel on a slot; a GO is recorded as the load",
	REEL_HELP "GO: the reel is the part the active program wants on the slot (or an\n"
		  "approved BOM alternate), released, not on hold, within shelf life and MSD\n"
		  "floor life, and not loaded on another slot.\n",
	0,
	load_fn,
};

static int
load_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL, *slot = NULL, *reel = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "machine", true, &machine, NULL },
					{ "slot", true, &slot, NULL },
					{ "reel", true, &reel, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	struct ecms_setup_verdict v;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) ||
	    (rc = setup_need(e, machine, "machine")) || (rc = setup_need(e, slot, "slot")) ||
	    (rc = setup_need(e, reel, "reel")) || (rc = cli_open(c)))
		return rc;
	rc = ecms_setup_load(c->h, machine, slot, reel, &v);
	return setup_verdict_print(c, &v, rc, json);
}
