/*
 * sim_common.c: the --seed option and the start of a run, shared by
 * `ecms sim master`, `ecms sim receive` and `ecms sim production`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sim_common.h"

int
sim_seed_opt(const struct cmd_entry *e, const char *seed, ecms_sim_config *cfg)
{
	char *end;

	if (seed) {
		errno = 0;
		cfg->seed = strtoull(seed, &end, 10);
		if (errno || *end || !*seed || cfg->seed == 0)
			return cli_usage(e, "--seed: '%s' is not a positive number", seed);
	}
	return ECMS_OK;
}

int
sim_start(struct cli *c, const char *dir, const ecms_sim_config *cfg, ecms_sim **s)
{
	int rc;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return cli_fail(ECMS_EIO, "%s: cannot create: %s", dir, strerror(errno));
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_sim_new(cfg, s)))
		return cli_fail(rc, "out of memory");
	return ECMS_OK;
}
