/*
 * cmd_recall_show.c: `ecms recall show`: show a recorded recall as it was
 * found when applied.
 */
#include "cli.h"
#include "ecms/auth.h"
#include "ecms/recall.h"
#include "recall_common.h"

static int show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_recall_show_entry = {
	"recall show",
	"ID [--json | --csv]",
	"show a recorded recall as it was found when applied",
	NULL,
	0,
	show_fn,
};

static int
show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json = false, csv = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "csv", false, NULL, &csv },
					{ NULL } };
	json_t *r;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (json && csv)
		return cli_usage(e, "--json or --csv, not both");
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_recall_get(c->h, pos[0], &r)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(r);
	return csv ? recall_print_csv(r) : recall_print(r);
}
