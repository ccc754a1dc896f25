/*
 * trace_common.h: what several trace commands share (cmd_trace_coc.c,
 * cmd_trace_datecode.c, cmd_trace_lot.c, cmd_trace_reel.c,
 * cmd_trace_supplier.c).
 */
#ifndef ECMS_CLI_TRACE_COMMON_H
#define ECMS_CLI_TRACE_COMMON_H

#include "cli.h"
#include "ecms/trace.h"

#define FORWARD_HELP                                                                               \
	"Lists every board that carries the material: the refdes it fed for certain,\n"            \
	"the refdes it may have fed (ambiguous: a splice or reel change the line could\n"          \
	"not place), the work order, the customer and the status (wip, completed,\n"               \
	"shipped with its date, scrapped). Packages split from the material are\n"                 \
	"followed. --json prints {scope, packages, count, boards}.\n"

/* The fn of every forward trace entry: the scope kind is the second word
 * of e->name. Returns an ecms_rc. */
int trace_forward_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

#endif
