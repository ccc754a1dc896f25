/*
 * cmd_coc_add.c: `ecms coc add`: store a certificate of conformance (the file
 * is kept by its SHA-256).
 */
#include <string.h>

#include "cli.h"
#include "ecms/receiving.h"

static int coc_add_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_coc_add_entry = {
	"coc add",
	"--supplier S --mpn M --lot L [--lot L2 ...] --issued DATE [--expires DATE] FILE [--json]",
	"store a certificate of conformance (the file is kept by its SHA-256)",
	NULL,
	0,
	coc_add_fn,
};

static int
coc_add_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *sup = NULL, *mpn = NULL, *issued = NULL, *expires = NULL;
	const char *lots[64];
	size_t nlots = 0;
	bool json = false;
	ecms_coc_new cn = { 0 };
	char *id;
	int n, rc;

	/* --lot repeats: gather it by hand, the rest through cli_parse. */
	char **rest = calloc((size_t)argc + 1, sizeof(char *));
	int nrest = 0;
	for (int i = 0; i < argc; i++) {
		if (i > 0 && strcmp(argv[i], "--lot") == 0 && i + 1 < argc) {
			if (nlots == 64) {
				free(rest);
				return cli_usage(e, "at most 64 lots per CoC");
			}
			lots[nlots++] = argv[++i];
		} else {
			rest[nrest++] = argv[i];
		}
	}
	{
		const struct cli_opt opts[] = {
			{ "supplier", true, &sup, NULL },  { "mpn", true, &mpn, NULL },
			{ "issued", true, &issued, NULL }, { "expires", true, &expires, NULL },
			{ "json", false, NULL, &json },    { NULL },
		};
		rc = cli_parse(e, nrest, rest, opts, pos, 1, 1, &n);
	}
	if (rc == ECMS_OK && (!sup || !mpn || !issued || nlots == 0))
		rc = cli_usage(e, "--supplier, --mpn, --lot and --issued are required");
	if (rc == ECMS_OK)
		rc = cli_open(c);
	if (rc) {
		free(rest);
		return rc;
	}
	cn = (ecms_coc_new){ sup, mpn, lots, nlots, issued, expires, pos[0] };
	rc = ecms_coc_add(c->h, &cn, &id);
	free(rest);
	if (rc)
		return cli_error(c, rc);
	if (json)
		rc = cli_print_json(json_pack("{s:s}", "id", id));
	else
		printf("%s\n", id);
	ecms_free(id);
	return rc;
}
