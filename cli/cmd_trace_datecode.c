/*
 * cmd_trace_datecode.c: `ecms trace datecode`: forward trace of the packages
 * of an MPN with date codes in a range (inclusive).
 */
#include "cli.h"
#include "ecms/trace.h"
#include "trace_common.h"

const struct cmd_entry cmd_trace_datecode_entry = {
	"trace datecode",
	"--mpn M --from YYWW --to YYWW [--json]",
	"forward trace of the packages of an MPN with date codes in a range (inclusive)",
	FORWARD_HELP,
	0,
	trace_forward_fn,
};
