/*
 * cmd_stock.c: `ecms stock`: stock per part by status (available, quarantined,
 * on hold, in production, expired, ...).
 */
#include "cli.h"
#include "ecms/warehouse.h"

static int stock_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_stock_entry = {
	"stock",
	"[IPN] [--location LOC] [--json]",
	"stock per part by status (available, quarantined, on hold, in production, expired, ...)",
	NULL,
	0,
	stock_fn,
};

static int
stock_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const states[] = { "available",     "quarantined", "on_hold",
					      "in_production", "expired",     "rejected",
					      "consumed",      "scrapped",    NULL };
	const char *pos[1], *loc = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "location", true, &loc, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *l, *p;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_stock(c->h, n ? pos[0] : NULL, loc, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	printf("%-22s", "IPN");
	for (int s = 0; states[s]; s++)
		printf(" %13s", states[s]);
	printf("\n");
	json_array_foreach(l, i, p) {
		json_t *st = json_object_get(p, "status");
		printf("%-22s", json_string_value(json_object_get(p, "ipn")));
		for (int s = 0; states[s]; s++) {
			json_t *x = json_object_get(st, states[s]);
			char cell[40];
			if (json_integer_value(json_object_get(x, "packages")))
				snprintf(cell, sizeof(cell), "%lld/%lld",
					 (long long)json_integer_value(json_object_get(x, "qty")),
					 (long long)json_integer_value(
						 json_object_get(x, "packages")));
			else
				snprintf(cell, sizeof(cell), "-");
			printf(" %13s", cell);
		}
		printf("\n");
	}
	printf("(quantity/packages)\n");
	json_decref(l);
	return ECMS_OK;
}
