/*
 * cmd_sim_master.c: `ecms sim master`: generate a factory's master data
 * (parts, suppliers, locations, users).
 */
#include "cli.h"
#include "ecms/sim.h"
#include "sim_common.h"

static int sim_master_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_sim_master_entry = {
	"sim master",
	"[--seed N] [--dir DIR]",
	"generate a factory's master data (parts, suppliers, locations, users)",
	"--seed N    the factory (default 1): the same seed gives the same data\n"
	"--dir DIR   where to write the CSV files (default ./sim-data)\n"
	"The files are imported like any site's; running again changes nothing.\n",
	0,
	sim_master_fn,
};

static int
sim_master_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *seed = NULL, *dir = "sim-data";
	const struct cli_opt opts[] = { { "seed", true, &seed, NULL },
					{ "dir", true, &dir, NULL },
					{ NULL } };
	ecms_sim_config cfg = { 0 };
	ecms_sim *s;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)))
		return rc;
	if ((rc = sim_seed_opt(e, seed, &cfg)))
		return rc;
	if ((rc = sim_start(c, dir, &cfg, &s)))
		return rc;
	rc = ecms_sim_master(s, c->h, dir);
	ecms_sim_free(s);
	if (rc)
		return cli_error(c, rc);
	printf("master data written to %s/ and imported\n", dir);
	return ECMS_OK;
}
