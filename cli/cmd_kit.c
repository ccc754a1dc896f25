/*
 * cmd_kit.c: `ecms kit`: the pick list of a work order: what, how much, which
 * packages from where.
 */
#include "cli.h"
#include "ecms/production.h"

static int kit_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_kit_entry = {
	"kit",
	"WORK_ORDER [--json]",
	"the pick list of a work order: what, how much, which packages from where",
	"Demand is the BOM count per board x boards, plus attrition. Packages are\n"
	"proposed from usable stock, oldest receipt and date code first (moisture-\n"
	"sensitive parts: oldest date code first). Pick them with 'ecms kit pick'.\n",
	0,
	kit_fn,
};

static int
kit_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json;
	json_t *k, *l, *p;
	size_t i, j;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 1, &json)))
		return rc;
	if ((rc = ecms_kit_list(c->h, pos[0], &k)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(k);
	printf("kit for %s: %lld x %s rev %s (attrition %g %%)\n", pos[0],
	       (long long)json_integer_value(json_object_get(k, "boards")),
	       json_string_value(json_object_get(k, "product")),
	       json_string_value(json_object_get(k, "rev")),
	       json_real_value(json_object_get(k, "attrition_pct")));
	json_array_foreach(json_object_get(k, "lines"), i, l) {
		long long shortq = json_integer_value(json_object_get(l, "short"));
		printf("%-22s need %lld, picked %lld%s",
		       json_string_value(json_object_get(l, "ipn")),
		       (long long)json_integer_value(json_object_get(l, "needed")),
		       (long long)json_integer_value(json_object_get(l, "picked")),
		       shortq ? "" : "\n");
		if (shortq)
			printf("  SHORT %lld\n", shortq);
		json_array_foreach(json_object_get(l, "pick"), j, p)
			printf("    pick %s  %-10s %6lld  lot %s dc %s\n",
			       json_string_value(json_object_get(p, "uid")),
			       cli_scalar(json_object_get(p, "location")),
			       (long long)json_integer_value(json_object_get(p, "qty")),
			       cli_scalar(json_object_get(p, "lot")),
			       cli_scalar(json_object_get(p, "date_code")));
	}
	json_decref(k);
	return ECMS_OK;
}
