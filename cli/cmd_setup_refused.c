/*
 * cmd_setup_refused.c: `ecms setup refused`: the loads and splices the
 * interlock refused (newest first).
 */
#include "cli.h"
#include "ecms/setup.h"

static int refused_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_setup_refused_entry = {
	"setup refused",
	"[--machine M] [--json]",
	"the loads and splices the interlock refused (newest first)",
	NULL,
	0,
	refused_fn,
};

static int
refused_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "machine", true, &machine, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *l, *r;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_setup_refusals(c->h, machine, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no refused loads\n");
	json_array_foreach(l, i, r)
		printf("%s  %-6s %s %s  %-20s %s (by %s)\n",
		       json_string_value(json_object_get(r, "time")),
		       json_string_value(json_object_get(r, "op")),
		       json_string_value(json_object_get(r, "machine")),
		       json_string_value(json_object_get(r, "slot")),
		       json_string_value(json_object_get(r, "code")),
		       json_string_value(json_object_get(r, "message")),
		       json_string_value(json_object_get(r, "actor")));
	json_decref(l);
	return ECMS_OK;
}
