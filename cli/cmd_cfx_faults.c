/*
 * cmd_cfx_faults.c: `ecms cfx faults`: list the faults machines reported
 * (FaultOccurred).
 */
#include "cli.h"
#include "ecms/cfxingest.h"

static int faults_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_cfx_faults_entry = {
	"cfx faults",
	"[--machine HANDLE] [--json]",
	"list the faults machines reported (FaultOccurred)",
	NULL,
	0,
	faults_fn,
};

static int
faults_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "time",       "machine", "type", "code", "severity",
					    "designator", "slot",    "uid",  NULL };
	const char *pos[1], *machine = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "machine", true, &machine, NULL },
					{ NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_cfx_faults(c->h, machine, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no faults\n");
	else
		cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}
