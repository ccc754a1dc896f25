/*
 * cmd_trace_coc.c: `ecms trace coc`: forward trace of the packages a
 * certificate of conformance covers.
 */
#include "cli.h"
#include "ecms/trace.h"
#include "trace_common.h"

const struct cmd_entry cmd_trace_coc_entry = {
	"trace coc",
	"ID [--json]",
	"forward trace of the packages a certificate of conformance covers",
	FORWARD_HELP,
	0,
	trace_forward_fn,
};
