/*
 * cmd_reorder.c: `ecms reorder`: what to order: on hand + on order - demand
 * against reorder points, in std packs.
 */
#include "cli.h"
#include "ecms/production.h"

static int reorder_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_reorder_entry = {
	"reorder",
	"[--json]",
	"what to order: on hand + on order - demand against reorder points, in std packs",
	NULL,
	0,
	reorder_fn,
};

static int
reorder_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json;
	json_t *l, *r;
	size_t i;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 0, &json)))
		return rc;
	if ((rc = ecms_reorder(c->h, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("nothing to reorder\n");
	json_array_foreach(l, i, r)
		printf("%-22s %8lld%s  %s\n", json_string_value(json_object_get(r, "ipn")),
		       (long long)json_integer_value(json_object_get(r, "suggested")),
		       json_is_true(json_object_get(r, "urgent")) ? " URGENT" : "",
		       json_string_value(json_object_get(r, "why")));
	json_decref(l);
	return ECMS_OK;
}
