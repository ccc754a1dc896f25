/*
 * cmd_setup_unload.c: `ecms setup unload`: take the reel off a slot.
 */
#include "cli.h"
#include "ecms/setup.h"
#include "setup_common.h"

static int unload_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_setup_unload_entry = {
	"setup unload", "--machine M --slot S [--json]", "take the reel off a slot", NULL, 0,
	unload_fn,
};

static int
unload_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL, *slot = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "machine", true, &machine, NULL },
					{ "slot", true, &slot, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	char *uid = NULL;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) ||
	    (rc = setup_need(e, machine, "machine")) || (rc = setup_need(e, slot, "slot")) ||
	    (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_setup_unload(c->h, machine, slot, &uid)))
		return cli_error(c, rc);
	if (json)
		rc = cli_print_json(
			json_pack("{s:s,s:s,s:s}", "machine", machine, "slot", slot, "uid", uid));
	else
		printf("%s unloaded from %s %s\n", uid, machine, slot);
	ecms_free(uid);
	return rc;
}
