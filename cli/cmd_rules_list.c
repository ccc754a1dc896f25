/*
 * cmd_rules_list.c: `ecms rules list`: list the receiving inspection rules and
 * their settings.
 */
#include <string.h>

#include "cli.h"
#include "ecms/receiving.h"

static int rules_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_rules_list_entry = {
	"rules list", "[--json]", "list the receiving inspection rules and their settings",
	NULL,         0,          rules_list_fn,
};

static int
rules_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *l, *r;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_rules_list(c->h, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	json_array_foreach(l, i, r) {
		char *p = json_dumps(json_object_get(r, "params"), JSON_COMPACT);
		printf("%-20s %-3s %-10s %s%s%s\n", json_string_value(json_object_get(r, "rule")),
		       json_is_true(json_object_get(r, "enabled")) ? "on" : "off",
		       json_string_value(json_object_get(r, "severity")),
		       json_string_value(json_object_get(r, "title")),
		       json_is_true(json_object_get(r, "signal")) ? " [counterfeit signal]" : "",
		       p && strcmp(p, "{}") ? "" : "");
		if (p && strcmp(p, "{}"))
			printf("%-35s params %s\n", "", p);
		free(p);
	}
	json_decref(l);
	return ECMS_OK;
}
