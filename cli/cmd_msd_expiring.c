/*
 * cmd_msd_expiring.c: `ecms msd expiring`: list packages whose floor life has
 * ended or ends within the window (default 8h).
 */
#include "cli.h"
#include "ecms/msdstore.h"

static int expiring_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_msd_expiring_entry = {
	"msd expiring",
	"[--within DURATION] [--json]",
	"list packages whose floor life has ended or ends within the window (default 8h)",
	NULL,
	0,
	expiring_fn,
};

static int
expiring_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "uid",   "ipn",     "msl",       "state",
					    "where", "ends_at", "remaining", NULL };
	const char *pos[1], *within = "8h";
	bool json = false;
	const struct cli_opt opts[] = { { "within", true, &within, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	int64_t w;
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)))
		return rc;
	if (ecms_msd_duration_parse(within, &w, NULL) != ECMS_OK)
		return cli_usage(e, "--within: '%s' is not a duration (8h, 2d)", within);
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_msd_expiring(c->h, ecms_now(c->h), w, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no floor life ends within %s\n", within);
	else
		cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}
