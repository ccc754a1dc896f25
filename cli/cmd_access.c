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
	bool json;
	json_t *l;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 1, &json)))
		return rc;
	if ((rc = ecms_access_log(c->h, pos[0], &l)))
		return cli_error(c, rc);
	return cli_print_list(l, json, cols);
}
