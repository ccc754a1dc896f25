/*
 * cmd_quarantine.c: `ecms quarantine`: list packages waiting in quarantine,
 * oldest first, with reasons.
 */
#include "cli.h"
#include "ecms/auth.h"
#include "ecms/receiving.h"

static int quarantine_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_quarantine_entry = {
	"quarantine", "[--json]", "list packages waiting in quarantine, oldest first, with reasons",
	NULL,         0,          quarantine_fn,
};

static int
quarantine_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "uid", "received", "age_days", "supplier",
					    "ipn", "lot",      "quantity", NULL };
	const char *pos[1];
	bool json;
	json_t *q, *row;
	size_t i;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 0, &json)))
		return rc;
	if ((rc = ecms_quarantine_list(c->h, &q)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(q);
	if (json_array_size(q) == 0)
		printf("nothing in quarantine\n");
	json_array_foreach(q, i, row) {
		json_t *one = json_array();
		json_array_append(one, row);
		if (i)
			printf("\n");
		cli_print_table(one, cols);
		json_decref(one);
		cli_print_reasons(json_object_get(row, "reasons"), "  ");
	}
	json_decref(q);
	return ECMS_OK;
}
