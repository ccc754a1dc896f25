/*
 * cmd_bom_show.c: `ecms bom show`: show a product's BOM: parts, quantities,
 * refdes.
 */
#include <stdlib.h>

#include "cli.h"
#include "ecms/production.h"

static int bom_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_bom_show_entry = {
	"bom show",
	"PRODUCT --rev R [--json]",
	"show a product's BOM: parts, quantities, refdes",
	NULL,
	0,
	bom_show_fn,
};

static int
bom_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *rev = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "rev", true, &rev, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *b, *l;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!rev)
		return cli_usage(e, "--rev is required");
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_bom_get(c->h, pos[0], rev, &b)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(b);
	printf("%s rev %s: %lld reference designators\n", pos[0], rev,
	       (long long)json_integer_value(json_object_get(b, "refdes_count")));
	json_array_foreach(json_object_get(b, "lines"), i, l) {
		char *r = json_dumps(json_object_get(l, "refdes"), JSON_COMPACT);
		printf("  %-22s %4lld  %s\n", json_string_value(json_object_get(l, "ipn")),
		       (long long)json_integer_value(json_object_get(l, "qty")), r ? r : "");
		free(r);
	}
	json_decref(b);
	return ECMS_OK;
}
