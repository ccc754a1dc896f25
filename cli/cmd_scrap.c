/*
 * cmd_scrap.c: `ecms scrap`: scrap a package.
 */
#include "cli.h"
#include "ecms/warehouse.h"

static int scrap_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_scrap_entry = {
	"scrap", "UID --reason TEXT", "scrap a package", NULL, 0, scrap_fn,
};

static int
scrap_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *reason = NULL;
	const struct cli_opt opts[] = { { "reason", true, &reason, NULL }, { NULL } };
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!reason)
		return cli_usage(e, "--reason is required");
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_scrap(c->h, pos[0], reason)))
		return cli_error(c, rc);
	printf("%s scrapped\n", pos[0]);
	return ECMS_OK;
}
