/*
 * cmd_move.c: `ecms move`: move a package: scan the package, then the
 * location.
 */
#include "cli.h"
#include "ecms/warehouse.h"

static int move_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_move_entry = {
	"move",
	"PACKAGE LOCATION [--json]",
	"move a package: scan the package, then the location",
	"PACKAGE is an ecms UID (or a supplier label received on one package only);\n"
	"LOCATION a location ID. Quarantined, on-hold, rejected or expired packages\n"
	"cannot go to a production area; a full location is refused.\n",
	0,
	move_fn,
};

static int
move_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[2];
	bool json;
	json_t *o;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 2, &json)))
		return rc;
	if ((rc = ecms_move(c->h, pos[0], pos[1], &o)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(o);
	printf("%s: %s -> %s", json_string_value(json_object_get(o, "uid")),
	       json_object_get(o, "from") ? cli_scalar(json_object_get(o, "from")) : "-",
	       json_string_value(json_object_get(o, "to")));
	if (json_object_get(o, "rh_class"))
		printf(" (dry cabinet, <= %lld %% RH)",
		       (long long)json_integer_value(json_object_get(o, "rh_class")));
	printf("\n");
	json_decref(o);
	return ECMS_OK;
}
