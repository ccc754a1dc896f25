/*
 * cmd_production.c: `ecms bom show`, `ecms wo create|show|list`,
 * `ecms kit`, `ecms kit pick`, `ecms reorder`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/production.h"

#define FN(name) static int name(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
FN(bom_show_fn);
FN(wo_create_fn);
FN(wo_show_fn);
FN(wo_list_fn);
FN(kit_fn);
FN(kit_pick_fn);
FN(reorder_fn);

const struct cmd_entry cmd_bom_show_entry = {
	"bom show",
	"PRODUCT --rev R [--json]",
	"show a product's BOM: parts, quantities, refdes",
	NULL,
	0,
	bom_show_fn,
};
const struct cmd_entry cmd_wo_create_entry = {
	"wo create",
	"ID --product P --rev R --qty N [--line L] [--customer C] [--due YYYY-MM-DD]",
	"create a work order",
	NULL,
	0,
	wo_create_fn,
};
const struct cmd_entry cmd_wo_show_entry = {
	"wo show", "ID [--json]", "show a work order", NULL, 0, wo_show_fn,
};
const struct cmd_entry cmd_wo_list_entry = {
	"wo list", "[--status open] [--json]", "list work orders", NULL, 0, wo_list_fn,
};
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
const struct cmd_entry cmd_kit_pick_entry = {
	"kit pick",
	"WORK_ORDER PACKAGE [--to LOC] [--json]",
	"pick a package (scan) for a work order: it moves to the line's kitting cart",
	NULL,
	0,
	kit_pick_fn,
};
const struct cmd_entry cmd_reorder_entry = {
	"reorder",
	"[--json]",
	"what to order: on hand + on order - demand against reorder points, in std packs",
	NULL,
	0,
	reorder_fn,
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
	json_array_foreach(json_object_get(b, "lines"), i, l)
	{
		char *r = json_dumps(json_object_get(l, "refdes"), JSON_COMPACT);
		printf("  %-22s %4lld  %s\n", json_string_value(json_object_get(l, "ipn")),
		       (long long)json_integer_value(json_object_get(l, "qty")), r ? r : "");
		free(r);
	}
	json_decref(b);
	return ECMS_OK;
}

static int
wo_create_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *qty = NULL;
	ecms_wo_new w = { 0 };
	const struct cli_opt opts[] = { { "product", true, &w.product, NULL },
					{ "rev", true, &w.rev, NULL },
					{ "qty", true, &qty, NULL },
					{ "line", true, &w.line, NULL },
					{ "customer", true, &w.customer, NULL },
					{ "due", true, &w.due, NULL },
					{ NULL } };
	char *end;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!w.product || !w.rev || !qty)
		return cli_usage(e, "--product, --rev and --qty are required");
	errno = 0;
	w.qty = strtoll(qty, &end, 10);
	if (errno || *end || !*qty)
		return cli_usage(e, "--qty: '%s' is not a number", qty);
	w.id = pos[0];
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_wo_create(c->h, &w)))
		return cli_error(c, rc);
	printf("work order %s: %lld x %s rev %s\n", w.id, (long long)w.qty, w.product, w.rev);
	return ECMS_OK;
}

static int
wo_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *w;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_wo_get(c->h, pos[0], &w)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(w);
	cli_print_record(w);
	json_decref(w);
	return ECMS_OK;
}

static int
wo_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "id",       "product", "rev",    "qty", "line",
					    "customer", "due",     "status", NULL };
	const char *pos[1], *status = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "status", true, &status, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_wo_list(c->h, status, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}

static int
kit_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *k, *l, *p;
	size_t i, j;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
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
	json_array_foreach(json_object_get(k, "lines"), i, l)
	{
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

static int
kit_pick_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[2], *to = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "to", true, &to, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *o;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 2, 2, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_kit_pick(c->h, pos[0], pos[1], to, &o)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(o);
	printf("%s picked for %s -> %s\n", json_string_value(json_object_get(o, "uid")), pos[0],
	       json_string_value(json_object_get(o, "to")));
	json_decref(o);
	return ECMS_OK;
}

static int
reorder_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *l, *r;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_reorder(c->h, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("nothing to reorder\n");
	json_array_foreach(l, i, r)
		printf("%-22s %8lld%s  %s\n", json_string_value(json_object_get(r, "ipn")),
		       (long long)json_integer_value(json_object_get(r, "suggested")),
		       json_is_true(json_object_get(r, "urgent")) ? " URGENT" : "",
		       json_string_value(json_object_get(r, "why")));
	json_decref(l);
	return ECMS_OK;
}
