/*
 * cmd_access.c: `ecms access`: who touched a restricted package, and when.
 */
#include "cli.h"
#include "ecms/warehouse.h"

static int access_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_access_entry = {
	"access", "UID [--json]", "who touched a restricted package, and when", NULL, 0, access_fn,
};

static int
access_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "seq", "time", "actor", "action", "allowed", NULL };
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_access_log(c->h, pos[0], &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}
