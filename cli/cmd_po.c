/*
 * cmd_po.c: `ecms po show|list`: purchase orders and what was received.
 */
#include "cli.h"
#include "ecms/receiving.h"

static int po_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int po_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_po_show_entry = {
	"po show", "PO [--json]", "show a purchase order with its lines and receipts", NULL,
	0,         po_show_fn,
};
const struct cmd_entry cmd_po_list_entry = {
	"po list",  "[--status open|partial|closed] [--json]", "list purchase orders", NULL, 0,
	po_list_fn,
};

static int
po_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "line",         "ipn",          "mpn",
					    "qty_ordered",  "qty_received", "lot",
					    "coc_required", "status",       NULL };
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *po, *lines;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_po_get(c->h, pos[0], &po)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(po);
	lines = json_incref(json_object_get(po, "lines"));
	json_object_del(po, "lines");
	cli_print_record(po);
	printf("\n");
	cli_print_table(lines, cols);
	json_decref(lines);
	json_decref(po);
	return ECMS_OK;
}

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
	if (json)
		return cli_print_json(l);
	cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}
