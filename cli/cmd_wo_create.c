/*
 * cmd_wo_create.c: `ecms wo create`: create a work order.
 */
#include <errno.h>
#include <stdlib.h>

#include "cli.h"
#include "ecms/production.h"

static int wo_create_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_wo_create_entry = {
	"wo create",
	"ID --product P --rev R --qty N [--line L] [--customer C] [--due YYYY-MM-DD]",
	"create a work order",
	NULL,
	0,
	wo_create_fn,
};

static int
wo_create_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *qty = NULL;
	ecms_wo_new w = { 0 };
	const struct cli_opt opts[] = { { "product", true, &w.product, NULL },
					{ "rev", true, &w.rev, NULL },
					{ "qty", true, &qty, NULL },
					{ "line", true, &w.line, NULL },
					{ "customer", true, &w.customer, NULL },
					{ "due", true, &w.due, NULL },
					{ NULL } };
	char *end;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!w.product || !w.rev || !qty)
		return cli_usage(e, "--product, --rev and --qty are required");
	errno = 0;
	w.qty = strtoll(qty, &end, 10);
	if (errno || *end || !*qty)
		return cli_usage(e, "--qty: '%s' is not a number", qty);
	w.id = pos[0];
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_wo_create(c->h, &w)))
		return cli_error(c, rc);
	printf("work order %s: %lld x %s rev %s\n", w.id, (long long)w.qty, w.product, w.rev);
	return ECMS_OK;
}
