/*
 * setup_common.c: what the setup commands share: a required option,
 * and the one-line GO / NO-GO verdict.
 */
#include "setup_common.h"

/* ECMS_OK, or a usage error when --name was not given. */
int
setup_need(const struct cmd_entry *e, const char *v, const char *name)
{
	if (v == NULL || !*v)
		return cli_usage(e, "--%s is required", name);
	return ECMS_OK;
}

/* Print a verdict: one line, GO or NO-GO. Returns the exit rc. */
int
setup_verdict_print(struct cli *c, const struct ecms_setup_verdict *v, int rc, bool json)
{
	if (rc != ECMS_OK && rc != ECMS_EREFUSED)
		return cli_error(c, rc);
	if (json) {
		int prc = cli_print_json(ecms_setup_verdict_json(v));
		return prc ? prc : rc;
	}
	printf("%-5s  %s %s: %s\n", v->go ? "GO" : "NO-GO", v->machine, v->slot, v->message);
	return rc;
}
