/*
 * cmd_kit_pick.c: `ecms kit pick`: pick a package (scan) for a work order: it
 * moves to the line's kitting cart.
 */
#include "cli.h"
#include "ecms/production.h"

static int kit_pick_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_kit_pick_entry = {
	"kit pick",
	"WORK_ORDER PACKAGE [--to LOC] [--json]",
	"pick a package (scan) for a work order: it moves to the line's kitting cart",
	NULL,
	0,
	kit_pick_fn,
};

static int
kit_pick_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[2], *to = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "to", true, &to, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *o;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 2, 2, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_kit_pick(c->h, pos[0], pos[1], to, &o)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(o);
	printf("%s picked for %s -> %s\n", json_string_value(json_object_get(o, "uid")), pos[0],
	       json_string_value(json_object_get(o, "to")));
	json_decref(o);
	return ECMS_OK;
}
