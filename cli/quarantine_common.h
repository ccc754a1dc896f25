/*
 * quarantine_common.h: what several quarantine commands share (cmd_reject.c,
 * cmd_release.c).
 */
#ifndef ECMS_CLI_QUARANTINE_COMMON_H
#define ECMS_CLI_QUARANTINE_COMMON_H

#include "cli.h"
#include "ecms/auth.h"
#include "ecms/receiving.h"

#define DECIDE_HELP                                                                                \
	"The signer re-authenticates: with --user U, U's password is read from the\n"              \
	"terminal (or one line of standard input); with --badge, the badge code and\n"             \
	"then the PIN are read. Only the qa role may decide. The decision is a signed\n"           \
	"event: who, when, the meaning, the reason.\n"

/* The fn of the release and reject entries (by e->name). Returns an
 * ecms_rc. */
int quarantine_decide_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

#endif
