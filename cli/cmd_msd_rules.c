/*
 * cmd_msd_rules.c: `ecms msd rules`: list the MSD rules (floor life, HIC,
 * short exposure, cabinets, bake table).
 */
#include "cli.h"
#include "ecms/msdstore.h"

static int rules_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_msd_rules_entry = {
	"msd rules",
	"[--json]",
	"list the MSD rules (floor life, HIC, short exposure, cabinets, bake table)",
	"SOURCE is default (J-STD-033 values as gathered, with their confidence mark)\n"
	"or site (changed with 'ecms msd rule set').\n",
	0,
	rules_fn,
};

static int
rules_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "key", "value", "source", "note", NULL };
	const char *pos[1];
	bool json;
	json_t *l;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 0, &json)))
		return rc;
	if ((rc = ecms_msd_rules_json(c->h, &l)))
		return cli_error(c, rc);
	return cli_print_list(l, json, cols);
}
