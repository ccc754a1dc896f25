/*
 * cmd_cfx_rejected.c: `ecms cfx rejected`: list the CFX messages that were
 * rejected, with where they came from and why.
 */
#include "cli.h"
#include "ecms/cfxingest.h"

static int rejected_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_cfx_rejected_entry = {
	"cfx rejected",
	"[--json]",
	"list the CFX messages that were rejected, with where they came from and why",
	NULL,
	0,
	rejected_fn,
};

static int
rejected_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json;
	json_t *l, *r;
	size_t i;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 0, &json)))
		return rc;
	if ((rc = ecms_cfx_rejected(c->h, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no rejected CFX messages\n");
	json_array_foreach(l, i, r) {
		printf("%s %s:%s %s\n  %s\n", cli_scalar(json_object_get(r, "received")),
		       cli_scalar(json_object_get(r, "origin")),
		       cli_scalar(json_object_get(r, "line")),
		       json_is_null(json_object_get(r, "unique_id"))
			       ? "-"
			       : cli_scalar(json_object_get(r, "unique_id")),
		       cli_scalar(json_object_get(r, "reason")));
	}
	json_decref(l);
	return ECMS_OK;
}
