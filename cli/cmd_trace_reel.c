/*
 * cmd_trace_reel.c: `ecms trace reel`: forward trace of a package (reel) to
 * every board.
 */
#include "cli.h"
#include "ecms/trace.h"
#include "trace_common.h"

const struct cmd_entry cmd_trace_reel_entry = {
	"trace reel",
	"UID [--json]",
	"forward trace of a package (reel) to every board",
	FORWARD_HELP,
	0,
	trace_forward_fn,
};
