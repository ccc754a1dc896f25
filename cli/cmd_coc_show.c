/*
 * cmd_coc_show.c: `ecms coc show`: show a CoC and check its stored document
 * against its hash.
 */
#include "cli.h"
#include "ecms/receiving.h"

static int coc_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_coc_show_entry = {
	"coc show",
	"ID [--json]",
	"show a CoC and check its stored document against its hash",
	NULL,
	0,
	coc_show_fn,
};

static int
coc_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json;
	json_t *o;
	bool verified;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 1, &json)))
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
