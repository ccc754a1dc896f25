/*
 * cmd_po_show.c: `ecms po show`: show a purchase order with its lines and
 * receipts.
 */
#include "cli.h"
#include "ecms/receiving.h"

static int po_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_po_show_entry = {
	"po show", "PO [--json]", "show a purchase order with its lines and receipts", NULL,
	0,         po_show_fn,
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
