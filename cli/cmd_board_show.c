/*
 * cmd_board_show.c: `ecms board show`: show a board: work order, panel,
 * status, hold, flags and its route.
 */
#include "cli.h"
#include "ecms/board.h"

static int show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_board_show_entry = {
	"board show",
	"SERIAL [--json]",
	"show a board: work order, panel, status, hold, flags and its route",
	"flags name what the line reported that ecms did not know (unknown_work_order,\n"
	"no_work_order, unknown_program).\n",
	0,
	show_fn,
};

static int
show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "time", "station", "kind", "result", NULL };
	const char *pos[1];
	bool json;
	json_t *b, *route;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 1, &json)))
		return rc;
	if ((rc = ecms_board_get(c->h, pos[0], &b)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(b);
	route = json_incref(json_object_get(b, "route"));
	json_object_del(b, "route");
	cli_print_record(b);
	if (json_array_size(route)) {
		printf("\nroute\n");
		cli_print_table(route, cols);
	}
	json_decref(route);
	json_decref(b);
	return ECMS_OK;
}
