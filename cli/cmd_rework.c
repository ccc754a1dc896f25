/*
 * cmd_rework.c: `ecms rework`: replace a component of a board, checked
 * against the BOM, kept in the genealogy's history and the board's route.
 */
#include <stdlib.h>

#include "cli.h"
#include "ecms/trace.h"

static int rework_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_rework_entry = {
	"rework",
	"SERIAL --refdes R --reel UID --user U --reason TEXT [--json]",
	"replace the component at a refdes of a board with one from a reel",
	"The reel must hold the part the board's BOM wants at that refdes (or an\n"
	"approved alternate) and be usable: available (not quarantined, on hold,\n"
	"rejected, consumed or scrapped), within its shelf life and MSD floor life.\n"
	"Shipped and scrapped boards are not reworked. The genealogy keeps what was\n"
	"there before (all candidates if it was ambiguous), when, who and why; the\n"
	"board's route gets a 'reworked' step.\n",
	0,
	rework_fn,
};

static int
rework_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *refdes = NULL, *reel = NULL, *user = NULL, *reason = NULL;
	bool json = false;
	const struct cli_opt opts[] = {
		{ "refdes", true, &refdes, NULL }, { "reel", true, &reel, NULL },
		{ "user", true, &user, NULL },     { "reason", true, &reason, NULL },
		{ "json", false, NULL, &json },    { NULL },
	};
	json_t *out;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!refdes || !reel || !reason)
		return cli_usage(e, "--refdes, --reel and --reason are required");
	if (!user)
		user = c->user;
	if (!user)
		return cli_usage(e, "who did the rework? give --user U");
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_set_actor(c->h, user, c->station)))
		return cli_error(c, rc);
	if ((rc = ecms_trace_rework(c->h, pos[0], refdes, reel, user, reason, &out)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(out);
	{
		char *old = json_dumps(json_object_get(out, "old"), JSON_COMPACT);

		printf("%s %s: %s -> %s (%s) by %s at %s\n  reason: %s\n", pos[0], refdes,
		       old ? old : "", reel, cli_scalar(json_object_get(out, "ipn")), user,
		       cli_scalar(json_object_get(out, "time")), reason);
		free(old);
	}
	json_decref(out);
	return ECMS_OK;
}
