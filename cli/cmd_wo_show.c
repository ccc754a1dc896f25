/*
 * cmd_wo_show.c: `ecms wo show`: show a work order.
 */
#include "cli.h"
#include "ecms/production.h"

static int wo_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_wo_show_entry = {
	"wo show", "ID [--json]", "show a work order", NULL, 0, wo_show_fn,
};

static int
wo_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json;
	json_t *w;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 1, &json)))
		return rc;
	if ((rc = ecms_wo_get(c->h, pos[0], &w)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(w);
	cli_print_record(w);
	json_decref(w);
	return ECMS_OK;
}
