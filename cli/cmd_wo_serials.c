/*
 * cmd_wo_serials.c: `ecms wo serials`: allocate N board serials for a work
 * order (WO-00001...), K per panel.
 */
#include <stdlib.h>

#include "cli.h"
#include "ecms/board.h"

static int serials_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

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
	return cli_print_list(l, json, cols);
}
