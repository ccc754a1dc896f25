/*
 * msd_common.h: what several msd commands share (cmd_msd_bake.c,
 * cmd_msd_bake_abort.c, cmd_msd_bake_end.c, cmd_msd_bake_start.c,
 * cmd_msd_open.c, cmd_msd_seal.c, cmd_msd_status.c).
 */
#ifndef ECMS_CLI_MSD_COMMON_H
#define ECMS_CLI_MSD_COMMON_H

#include "cli.h"
#include "ecms/msdstore.h"

#define UID_HELP                                                                                   \
	"UID may be scanned or typed (lower case and O/I/L for 0/1 are read as the\n"              \
	"canonical ID). The event happens now (the global --now sets it).\n"

/* The fn of every msd event entry: picks the event and its options by
 * e->name ("msd open", "msd seal", ...). Returns an ecms_rc. */
int msd_event_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

#endif
