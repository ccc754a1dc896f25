/*
 * cmd_recall_list.c: `ecms recall list`: list the recalls applied, newest
 * first.
 */
#include "cli.h"
#include "ecms/auth.h"
#include "ecms/recall.h"

static int list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_recall_list_entry = {
	"recall list", "[--json]", "list the recalls applied, newest first", NULL, 0, list_fn,
};

static int
list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "id",     "time",    "lot",         "mpn",
					    "boards", "shipped", "boards_held", "packages_held",
					    "user",   "reason",  NULL };
	const char *pos[1];
	bool json;
	json_t *l;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 0, &json)))
		return rc;
	if ((rc = ecms_recall_list(c->h, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no recalls\n");
	else
		cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}
