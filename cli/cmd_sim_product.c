/*
 * cmd_sim_product.c: `ecms sim product`: design the demo heart monitor (KiCad
 * BOM HM-100 rev B) and order N boards.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ecms/sim.h"

static int sim_product_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_sim_product_entry = {
	"sim product",
	"[--boards N] [--wo ID] [--dir DIR]",
	"design the demo heart monitor (KiCad BOM HM-100 rev B) and order N boards",
	NULL,
	0,
	sim_product_fn,
};

static int
sim_product_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *boards = "500", *wo = NULL, *dir = "sim-data";
	const struct cli_opt opts[] = { { "boards", true, &boards, NULL },
					{ "wo", true, &wo, NULL },
					{ "dir", true, &dir, NULL },
					{ NULL } };
	ecms_sim *s;
	char *end;
	long n;
	int np, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &np)))
		return rc;
	n = strtol(boards, &end, 10);
	if (*end || n <= 0 || n > 1000000)
		return cli_usage(e, "--boards: '%s' is not a number from 1 to 1000000", boards);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return cli_fail(ECMS_EIO, "%s: cannot create: %s", dir, strerror(errno));
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_sim_new(NULL, &s)))
		return cli_fail(rc, "out of memory");
	rc = ecms_sim_product(s, c->h, dir, (int)n, wo);
	ecms_sim_free(s);
	if (rc)
		return cli_error(c, rc);
	printf("HM-100 rev B imported from %s/heart-monitor-HM-100-B.csv", dir);
	if (wo)
		printf("; work order %s for %ld boards", wo, n);
	printf("\n");
	return ECMS_OK;
}
