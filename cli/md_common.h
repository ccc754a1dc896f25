/*
 * md_common.h: the one implementation of the master-data commands
 * (`ecms part|supplier|location|user|manufacturer show|list`, md_common.c).
 */
#ifndef ECMS_CLI_MD_COMMON_H
#define ECMS_CLI_MD_COMMON_H

#include "cli.h"

/* The fn of every "<kind> show" entry: the kind is the first word of
 * e->name. Returns an ecms_rc. */
int md_show(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

/* The fn of every "<kind> list" entry (columns and filter by kind). */
int md_list(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

#endif
