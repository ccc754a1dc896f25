/*
 * cmd_coc_export.c: `ecms coc export`: write a CoC's stored document to FILE.
 */
#include "cli.h"
#include "ecms/receiving.h"

static int coc_export_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_coc_export_entry = {
	"coc export", "ID FILE", "write a CoC's stored document to FILE", NULL, 0, coc_export_fn,
};

static int
coc_export_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[2];
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, NULL, pos, 2, 2, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_coc_export(c->h, pos[0], pos[1])))
		return cli_error(c, rc);
	return ECMS_OK;
}
