/*
 * cmd_board.c: `ecms board show|list` and `ecms wo serials`: serialised
 * boards, their route and status (include/ecms/board.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/board.h"

static int show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int serials_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_board_show_entry = {
	"board show",
	"SERIAL [--json]",
	"show a board: work order, panel, status, hold, flags and its route",
	"flags name what the line reported that ecms did not know (unknown_work_order,\n"
	"no_work_order, unknown_program).\n",
	0,
	show_fn,
};
const struct cmd_entry cmd_board_list_entry = {
	"board list",
	"[--wo WO] [--status S] [--json]",
	"list boards (of a work order, in a status: planned, wip, completed, scrapped, "
	"shipped)",
	NULL,
	0,
	list_fn,
};
const struct cmd_entry cmd_wo_serials_entry = {
	"wo serials",
	"WO --count N [--per-panel K] [--json]",
	"allocate N board serials for a work order (WO-00001...), K per panel",
	"With --per-panel K > 1 the serials are grouped into panels WO-P0001... of K\n"
	"positions. Refused (exit 1) beyond the work order's quantity.\n",
	0,
	serials_fn,
};

static int
show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "time", "station", "kind", "result", NULL };
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *b, *route;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
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

static int
serials_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "serial", "panel", "position", NULL };
	const char *pos[1], *count = NULL, *per = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "count", true, &count, NULL },
					{ "per-panel", true, &per, NULL },
					{ NULL } };
	long long cn, pn = 0;
	char *end;
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!count)
		return cli_usage(e, "--count N is required");
	cn = strtoll(count, &end, 10);
	if (*end || end == count)
		return cli_usage(e, "--count '%s' is not a number", count);
	if (per) {
		pn = strtoll(per, &end, 10);
		if (*end || end == per)
			return cli_usage(e, "--per-panel '%s' is not a number", per);
	}
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_board_allocate(c->h, pos[0], cn, pn, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}
