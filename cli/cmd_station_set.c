/*
 * cmd_station_set.c: `ecms station set`: set up a scanning station: the
 * characters its scanner types for GS and RS.
 */
#include "cli.h"
#include "ecms/station.h"

static int station_set_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_station_set_entry = {
	"station set",
	"ID [--name TEXT] [--gs C] [--rs C]",
	"set up a scanning station: the characters its scanner types for GS and RS",
	"Keyboard-wedge scanners often type the GS and RS separators as printable\n"
	"characters (e.g. --gs ']' --rs '^'). Scans made with --station ID are then\n"
	"read with these; an empty value (--gs '') clears one.\n",
	0,
	station_set_fn,
};

static int
station_set_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *name = NULL, *gs = NULL, *rs = NULL;
	const struct cli_opt opts[] = { { "name", true, &name, NULL },
					{ "gs", true, &gs, NULL },
					{ "rs", true, &rs, NULL },
					{ NULL } };
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_station_set(c->h, pos[0], name, gs, rs)))
		return cli_error(c, rc);
	printf("station %s set\n", pos[0]);
	return ECMS_OK;
}
