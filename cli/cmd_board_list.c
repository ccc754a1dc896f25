/*
 * cmd_board_list.c: `ecms board list`: list boards (of a work order, in a
 * status: planned, wip, completed, scrapped, shipped).
 */
#include "cli.h"
#include "ecms/board.h"

static int list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_board_list_entry = {
	"board list",
	"[--wo WO] [--status S] [--json]",
	"list boards (of a work order, in a status: planned, wip, completed, scrapped, "
	"shipped)",
	NULL,
	0,
	list_fn,
};

static int
list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "serial", "work_order", "panel", "position",
					    "status", "hold",       NULL };
	const char *pos[1], *wo = NULL, *status = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "wo", true, &wo, NULL },
					{ "status", true, &status, NULL },
					{ NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_board_list(c->h, wo, status, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no boards\n");
	else
		cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}
