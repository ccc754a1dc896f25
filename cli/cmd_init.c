/*
 * cmd_init.c: `ecms init`: create the database or migrate it to this
 * binary's schema version.
 */
#include <string.h>

#include "cli.h"

static int init_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_init_entry = {
	"init",
	"",
	"create the database, or migrate it to this version",
	"Creates the SQLite database named by --db (or $ECMS_DB, else ./ecms.db)\n"
	"and applies every schema migration it lacks. Safe to run again.\n",
	CMD_NODB,
	init_fn,
};

static int
init_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	int n, from, to, rc;

	rc = cli_parse(e, argc, argv, NULL, pos, 0, 0, &n);
	if (rc)
		return rc;
	rc = ecms_open(c->db_path, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &c->h);
	if (rc == ECMS_OK)
		rc = ecms_set_actor(c->h, c->user, c->station);
	if (rc == ECMS_OK)
		rc = ecms_init(c->h, &from, &to);
	if (rc)
		return cli_error(c, rc);
	if (from == to)
		printf("%s: schema version %d, up to date\n", c->db_path, to);
	else if (from == 0)
		printf("%s: created, schema version %d\n", c->db_path, to);
	else
		printf("%s: migrated from schema version %d to %d\n", c->db_path, from, to);
	return ECMS_OK;
}
