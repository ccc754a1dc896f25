/*
 * cmd_coc.c: `ecms coc add|show|list|export`: certificates of conformance.
 */
#include <string.h>

#include "cli.h"
#include "ecms/receiving.h"

static int coc_add_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int coc_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int coc_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int coc_export_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_coc_add_entry = {
	"coc add",
	"--supplier S --mpn M --lot L [--lot L2 ...] --issued DATE [--expires DATE] FILE [--json]",
	"store a certificate of conformance (the file is kept by its SHA-256)",
	NULL,
	0,
	coc_add_fn,
};
const struct cmd_entry cmd_coc_show_entry = {
	"coc show",
	"ID [--json]",
	"show a CoC and check its stored document against its hash",
	NULL,
	0,
	coc_show_fn,
};
const struct cmd_entry cmd_coc_list_entry = {
	"coc list", "[--mpn M] [--json]", "list CoCs", NULL, 0, coc_list_fn,
};
const struct cmd_entry cmd_coc_export_entry = {
	"coc export", "ID FILE", "write a CoC's stored document to FILE", NULL, 0, coc_export_fn,
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

static int
coc_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *o;
	bool verified;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_coc_get(c->h, pos[0], &o)))
		return cli_error(c, rc);
	/* An altered document is reported and makes the command fail (exit 1),
	 * like a log that does not verify. */
	verified = json_is_true(json_object_get(o, "document_verified"));
	if (json) {
		rc = cli_print_json(o);
	} else {
		cli_print_record(o);
		json_decref(o);
	}
	if (rc == ECMS_OK && !verified) {
		fprintf(stderr,
			"ecms: %s: the stored document does NOT match its SHA-256: it was altered "
			"after it was stored\n",
			pos[0]);
		rc = ECMS_ETAMPER;
	}
	return rc;
}

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
	if (json)
		return cli_print_json(l);
	cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}

static int
coc_export_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[2];
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, NULL, pos, 2, 2, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_coc_export(c->h, pos[0], pos[1])))
		return cli_error(c, rc);
	return ECMS_OK;
}
