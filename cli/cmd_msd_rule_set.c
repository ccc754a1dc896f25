/*
 * cmd_msd_rule_set.c: `ecms msd rule set`: change an MSD rule for this site
 * (recorded as an event).
 */
#include <string.h>

#include "cli.h"
#include "ecms/msdstore.h"

static int rule_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_msd_rule_set_entry = {
	"msd rule",
	"set KEY VALUE",
	"change an MSD rule for this site (recorded as an event)",
	"Keys as listed by 'ecms msd rules', e.g.\n"
	"  ecms msd rule set floor_life.3 168h\n"
	"  ecms msd rule set bake.3.1.4mm.125c.fl72 7h\n"
	"  ecms msd rule set bake.3.1.4mm.125c none     (delete a bake row)\n",
	0,
	rule_fn,
};

static int
rule_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[3];
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, NULL, pos, 3, 3, &n)))
		return rc;
	if (strcmp(pos[0], "set") != 0)
		return cli_usage(e, "unknown subcommand '%s'", pos[0]);
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_msd_rule_set(c->h, pos[1], pos[2])))
		return cli_error(c, rc);
	printf("msd rule %s = %s\n", pos[1], pos[2]);
	return ECMS_OK;
}
