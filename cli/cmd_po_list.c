/*
 * cmd_po_list.c: `ecms po list`: list purchase orders.
 */
#include "cli.h"
#include "ecms/receiving.h"

static int po_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_po_list_entry = {
	"po list",  "[--status open|partial|closed] [--json]", "list purchase orders", NULL, 0,
	po_list_fn,
};

static int
po_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "po",    "supplier",    "order_date",   "status",
					    "lines", "qty_ordered", "qty_received", NULL };
	const char *pos[1], *status = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "status", true, &status, NULL },
					{ NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_po_list(c->h, status, &l)))
		return cli_error(c, rc);
	return cli_print_list(l, json, cols);
}
