/*
 * cmd_split.c: `ecms split`: split N parts off a package into a new child
 * package with its own UID.
 */
#include "cli.h"
#include "ecms/warehouse.h"

static int split_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_split_entry = {
	"split",
	"UID --qty N [--json]",
	"split N parts off a package into a new child package with its own UID",
	NULL,
	0,
	split_fn,
};

static int
split_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *qty = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "qty", true, &qty, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *o;
	int64_t q;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!qty || !cli_parse_count(qty, &q))
		return cli_usage(e, "--qty N (a whole number) is required");
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_split(c->h, pos[0], q, &o)))
		return cli_error(c, rc);
	return cli_print_or_json(o, json);
}
