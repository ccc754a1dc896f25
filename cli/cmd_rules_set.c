/*
 * cmd_rules_set.c: `ecms rules set`: change a receiving rule for this site
 * (recorded as an event).
 */
#include "cli.h"
#include "ecms/receiving.h"

static int rules_set_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

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
