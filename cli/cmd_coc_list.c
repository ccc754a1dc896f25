/*
 * cmd_coc_list.c: `ecms coc list`: list CoCs.
 */
#include "cli.h"
#include "ecms/receiving.h"

static int coc_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_coc_list_entry = {
	"coc list", "[--mpn M] [--json]", "list CoCs", NULL, 0, coc_list_fn,
};

static int
coc_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "id",      "supplier", "mpn", "issued",
					    "expires", "file",     NULL };
	const char *pos[1], *mpn = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "mpn", true, &mpn, NULL },
					{ NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_coc_list(c->h, mpn, &l)))
		return cli_error(c, rc);
	return cli_print_list(l, json, cols);
}
