/*
 * cmd_count.c: `ecms count`: record the remaining count of a package back from
 * the line.
 */
#include "cli.h"
#include "ecms/warehouse.h"

static int count_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_count_entry = {
	"count",
	"UID N [--loss] [--json]",
	"record the remaining count of a package back from the line",
	"The difference is recorded as consumed (or with --loss, as a loss).\n",
	0,
	count_fn,
};

static int
count_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[2];
	bool json = false, loss = false;
	const struct cli_opt opts[] = { { "loss", false, NULL, &loss },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *o;
	int64_t q;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 2, 2, &n)))
		return rc;
	if (!cli_parse_count(pos[1], &q))
		return cli_usage(e, "'%s' is not a count", pos[1]);
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_count(c->h, pos[0], q, loss ? "loss" : "consumed", &o)))
		return cli_error(c, rc);
	return cli_print_or_json(o, json);
}
