/*
 * cmd_trace_supplier.c: `ecms trace supplier`: forward trace of the packages
 * received from a supplier in a window (dates inclusive).
 */
#include "cli.h"
#include "ecms/trace.h"
#include "trace_common.h"

const struct cmd_entry cmd_trace_supplier_entry = {
	"trace supplier",
	"SUPPLIER --from DATE --to DATE [--json]",
	"forward trace of the packages received from a supplier in a window (dates inclusive)",
	FORWARD_HELP,
	0,
	trace_forward_fn,
};
