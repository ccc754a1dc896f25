/*
 * cmd_inspect.c: `ecms inspect`: record an incoming inspection of a package
 * (qa, warehouse).
 */
#include "cli.h"
#include "ecms/auth.h"
#include "ecms/receiving.h"

static int inspect_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_inspect_entry = {
	"inspect",
	"UID --result pass|fail [--notes TEXT] [--json]",
	"record an incoming inspection of a package (qa, warehouse)",
	NULL,
	0,
	inspect_fn,
};

static int
inspect_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *result = NULL, *notes = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "result", true, &result, NULL },
					{ "notes", true, &notes, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!result)
		return cli_usage(e, "--result pass|fail is required");
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_inspect(c->h, pos[0], result, notes)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(json_pack("{s:s,s:s}", "uid", pos[0], "result", result));
	printf("%s: inspection recorded: %s\n", pos[0], result);
	return ECMS_OK;
}
