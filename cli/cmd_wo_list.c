/*
 * cmd_wo_list.c: `ecms wo list`: list work orders.
 */
#include "cli.h"
#include "ecms/production.h"

static int wo_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_wo_list_entry = {
	"wo list", "[--status open] [--json]", "list work orders", NULL, 0, wo_list_fn,
};

static int
wo_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "id",       "product", "rev",    "qty", "line",
					    "customer", "due",     "status", NULL };
	const char *pos[1], *status = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "status", true, &status, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_wo_list(c->h, status, &l)))
		return cli_error(c, rc);
	return cli_print_list(l, json, cols);
}
