/*
 * md_common.c: `ecms part|supplier|location|user|manufacturer show|list`:
 * master data, as text or JSON. One implementation for every kind; the
 * kinds differ only in their list columns and filter option. The entries
 * are cli/cmd_<kind>_show.c and cli/cmd_<kind>_list.c.
 */
#include <string.h>

#include "ecms/master.h"
#include "ecms/receiving.h"
#include "md_common.h"

struct md_view {
	const char *kind;
	const char *filter_opt; /* list filter option name, or NULL */
	const char *const *cols;
};

static const char *const part_cols[] = { "ipn", "category", "package", "msl", "description", NULL };
static const char *const supplier_cols[] = { "id",   "status", "authorised", "iso9001_expiry",
					     "name", NULL };
static const char *const location_cols[] = { "id",       "kind", "parent", "rh_class",
					     "capacity", "name", NULL };
static const char *const user_cols[] = { "id", "role", "active", "name", NULL };
static const char *const mfr_cols[] = { "name", NULL };

static const struct md_view views[] = {
	{ "part", "category", part_cols },       { "supplier", "status", supplier_cols },
	{ "location", "parent", location_cols }, { "user", "role", user_cols },
	{ "manufacturer", NULL, mfr_cols },
};

/* The view for an entry named "<kind> <verb>". */
static const struct md_view *
view_of(const struct cmd_entry *e)
{
	size_t l = strcspn(e->name, " ");

	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (strlen(views[i].kind) == l && !strncmp(views[i].kind, e->name, l))
			return &views[i];
	return NULL;
}

int
md_show(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const struct md_view *v = view_of(e);
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *obj;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_md_get(c->h, v->kind, pos[0], &obj)))
		return cli_error(c, rc);
	if (strcmp(v->kind, "supplier") == 0) {
		/* A supplier comes with its receipt history. */
		json_t *hist;
		if ((rc = ecms_supplier_history(c->h, pos[0], &hist))) {
			json_decref(obj);
			return cli_error(c, rc);
		}
		json_object_set_new(obj, "receipts", hist);
	}
	if (json)
		return cli_print_json(obj);
	if (json_object_get(obj, "receipts")) {
		static const char *const cols[] = { "uid",      "received", "mpn", "lot",
						    "quantity", "status",   NULL };
		json_t *r = json_incref(json_object_get(obj, "receipts"));
		json_t *recent = json_incref(json_object_get(r, "recent"));
		json_object_del(obj, "receipts");
		json_object_del(r, "recent");
		cli_print_record(obj);
		printf("\nreceipts:\n");
		cli_print_record(r);
		if (json_array_size(recent)) {
			printf("\n");
			cli_print_table(recent, cols);
		}
		json_decref(recent);
		json_decref(r);
		json_decref(obj);
		return ECMS_OK;
	}
	cli_print_record(obj);
	json_decref(obj);
	return ECMS_OK;
}

int
md_list(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const struct md_view *v = view_of(e);
	const char *pos[1], *filter = NULL;
	bool json = false;
	struct cli_opt opts[] = { { "json", false, NULL, &json },
				  { v->filter_opt, true, &filter, NULL },
				  { NULL } };
	json_t *arr;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)))
		return rc;
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_md_list(c->h, v->kind, filter, &arr)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(arr);
	cli_print_table(arr, v->cols);
	json_decref(arr);
	return ECMS_OK;
}
