/*
 * sim_common.h: what `ecms sim master|receive|production` share: the
 * --seed option and the start of a run (sim_common.c).
 */
#ifndef ECMS_CLI_SIM_COMMON_H
#define ECMS_CLI_SIM_COMMON_H

#include "cli.h"
#include "ecms/sim.h"

/* --seed S: a positive number into cfg->seed (unchanged when S is NULL);
 * else a usage error. Returns an ecms_rc. */
int sim_seed_opt(const struct cmd_entry *e, const char *seed, ecms_sim_config *cfg);

/* Create dir (it may exist), open the store and make the simulator *s
 * (the caller frees it with ecms_sim_free). Errors are reported. */
int sim_start(struct cli *c, const char *dir, const ecms_sim_config *cfg, ecms_sim **s);

#endif
