/*
 * setup_common.h: what several setup commands share (cmd_setup_check.c,
 * cmd_setup_load.c, cmd_setup_program.c, cmd_setup_show.c, cmd_setup_splice.c,
 * cmd_setup_unload.c).
 */
#ifndef ECMS_CLI_SETUP_COMMON_H
#define ECMS_CLI_SETUP_COMMON_H

#include "cli.h"
#include "ecms/setup.h"

#define REEL_HELP                                                                                  \
	"UID is the reel as scanned: its ecms UID label (typed or scanned), or a\n"                \
	"supplier label received on exactly one package. The answer is one line:\n"                \
	"GO or NO-GO with the reason; a NO-GO changes nothing in the setup, is\n"                  \
	"recorded (ecms setup refused) and exits 1. Reason codes: docs/setup.md.\n"

/* ECMS_OK, or a usage error when --name was not given. */
int setup_need(const struct cmd_entry *e, const char *v, const char *name);

/* Print a verdict: one line, GO or NO-GO. Returns the exit rc. */
int setup_verdict_print(struct cli *c, const struct ecms_setup_verdict *v, int rc, bool json);

#endif
