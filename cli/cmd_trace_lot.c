/*
 * cmd_trace_lot.c: `ecms trace lot`: forward trace of a lot to every board.
 */
#include "cli.h"
#include "ecms/trace.h"
#include "trace_common.h"

const struct cmd_entry cmd_trace_lot_entry = {
	"trace lot",
	"--lot L [--mpn M] [--json]",
	"forward trace of a lot to every board",
	FORWARD_HELP,
	0,
	trace_forward_fn,
};
