/*
 * cmd_program_list.c: `ecms program list`: list placement programs: machine,
 * product, rev, side, version, active.
 */
#include "cli.h"
#include "ecms/setup.h"

static int list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_program_list_entry = {
	"program list",
	"[--machine M] [--json]",
	"list placement programs: machine, product, rev, side, version, active",
	NULL,
	0,
	list_fn,
};

static int
list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "machine", "program", "product", "rev",    "side",
					    "version", "slots",   "refdes",  "active", NULL };
	const char *pos[1], *machine = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "machine", true, &machine, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_program_list(c->h, machine, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no programs (ecms import program FILE)\n");
	else
		cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}
