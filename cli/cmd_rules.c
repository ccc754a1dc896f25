/*
 * cmd_rules.c: `ecms rules list|set`: the receiving inspection rules.
 */
#include <string.h>

#include "cli.h"
#include "ecms/receiving.h"

static int rules_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int rules_set_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_rules_list_entry = {
	"rules list", "[--json]", "list the receiving inspection rules and their settings",
	NULL,         0,          rules_list_fn,
};
const struct cmd_entry cmd_rules_set_entry = {
	"rules set",
	"RULE [--enable|--disable] [--severity refuse|quarantine|warning] "
	"[--params JSON]",
	"change a receiving rule for this site (recorded as an event)",
	"--params takes a JSON object merged into the rule's parameters, e.g.\n"
	"  ecms rules set datecode.age --params '{\"default_months\": 36}'\n",
	0,
	rules_set_fn,
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
	json_array_foreach(l, i, r)
	{
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

static int
rules_set_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *sev = NULL, *params = NULL;
	bool en = false, dis = false;
	const struct cli_opt opts[] = { { "enable", false, NULL, &en },
					{ "disable", false, NULL, &dis },
					{ "severity", true, &sev, NULL },
					{ "params", true, &params, NULL },
					{ NULL } };
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (en && dis)
		return cli_usage(e, "--enable and --disable exclude each other");
	if (!en && !dis && !sev && !params)
		return cli_usage(e, "nothing to change");
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_rules_set(c->h, pos[0], en ? 1 : dis ? 0 : -1, sev, params)))
		return cli_error(c, rc);
	printf("rule %s changed\n", pos[0]);
	return ECMS_OK;
}
