/*
 * cmd_setup_splice.c: `ecms setup splice`: interlock for a splice: the new
 * reel joined to the one running on the slot.
 */
#include <errno.h>
#include <stdlib.h>

#include "cli.h"
#include "ecms/setup.h"
#include "setup_common.h"

static int splice_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_setup_splice_entry = {
	"setup splice",
	"--machine M --slot S --new UID [--grey N] [--json]",
	"interlock for a splice: the new reel joined to the one running on the slot",
	REEL_HELP "The same checks as a load, and the new reel must be the same part as the\n"
		  "running one (a different part: unload, then load). --grey N: the machine\n"
		  "cannot tell which reel fed the next N parts (they stay ambiguous in the\n"
		  "genealogy); 0 (default) for a clean switch.\n",
	0,
	splice_fn,
};

static int
splice_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL, *slot = NULL, *reel = NULL, *grey = NULL;
	bool json = false;
	const struct cli_opt opts[] = {
		{ "machine", true, &machine, NULL }, { "slot", true, &slot, NULL },
		{ "new", true, &reel, NULL },        { "grey", true, &grey, NULL },
		{ "json", false, NULL, &json },      { NULL }
	};
	struct ecms_setup_verdict v;
	long long g = 0;
	char *end;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) ||
	    (rc = setup_need(e, machine, "machine")) || (rc = setup_need(e, slot, "slot")) ||
	    (rc = setup_need(e, reel, "new")))
		return rc;
	if (grey) {
		errno = 0;
		g = strtoll(grey, &end, 10);
		if (errno || *end || !*grey || g < 0 || g > 1000000)
			return cli_usage(e, "--grey: '%s' is not a number of parts (0 to 1000000)",
					 grey);
	}
	if ((rc = cli_open(c)))
		return rc;
	rc = ecms_setup_splice(c->h, machine, slot, reel, g, &v);
	return setup_verdict_print(c, &v, rc, json);
}
