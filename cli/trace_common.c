/*
 * trace_common.c: the one implementation of the forward traces
 * (`ecms trace lot|reel|datecode|supplier|coc`): they differ only in the
 * scope they build.
 */
#include <stdlib.h>
#include <string.h>

#include "trace_common.h"

/* The forward trace as a table, then a summary line. */
static int
print_forward(json_t *t)
{
	static const char *const cols[] = { "serial",     "status", "shipped",   "customer",
					    "work_order", "refdes", "ambiguous", NULL };
	json_t *rows = json_array(), *b;
	size_t i, certain = 0, amb = 0;

	json_array_foreach(json_object_get(t, "boards"), i, b) {
		char *rd = cli_join(json_object_get(b, "refdes"), ",");
		char *am = cli_join(json_object_get(b, "ambiguous"), ",");
		const char *status = json_string_value(json_object_get(b, "status"));
		json_t *r;

		if (json_array_size(json_object_get(b, "refdes")))
			certain++;
		else
			amb++;
		r = json_pack("{s:O,s:s,s:O,s:O,s:O,s:s,s:s}", "serial",
			      json_object_get(b, "serial"), "status", status, "shipped",
			      json_object_get(b, "shipped"), "customer",
			      json_object_get(b, "customer"), "work_order",
			      json_object_get(b, "work_order"), "refdes", rd ? rd : "", "ambiguous",
			      am ? am : "");
		if (!json_is_null(json_object_get(b, "hold")))
			json_object_set_new(r, "status", json_sprintf("%s, on hold", status));
		json_array_append_new(rows, r);
		free(rd);
		free(am);
	}
	if (json_array_size(rows))
		cli_print_table(rows, cols);
	printf("%zu board%s (%zu for certain, %zu only possibly) from %zu package%s\n",
	       json_array_size(rows), json_array_size(rows) == 1 ? "" : "s", certain, amb,
	       json_array_size(json_object_get(t, "packages")),
	       json_array_size(json_object_get(t, "packages")) == 1 ? "" : "s");
	json_decref(rows);
	json_decref(t);
	return ECMS_OK;
}

int
trace_forward_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1] = { NULL }, *lot = NULL, *mpn = NULL, *from = NULL, *to = NULL;
	bool json = false;
	const struct cli_opt opts[] = {
		{ "lot", true, &lot, NULL },    { "mpn", true, &mpn, NULL },
		{ "from", true, &from, NULL },  { "to", true, &to, NULL },
		{ "json", false, NULL, &json }, { NULL },
	};
	ecms_trace_scope sc = { 0 };
	const char *kind = strchr(e->name, ' ') + 1;
	bool want_pos = !strcmp(kind, "reel") || !strcmp(kind, "supplier") || !strcmp(kind, "coc");
	json_t *t;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, want_pos ? 1 : 0, want_pos ? 1 : 0, &n)))
		return rc;
	if (!strcmp(kind, "lot")) {
		if (!lot)
			return cli_usage(e, "--lot is required");
		if (from || to)
			return cli_usage(e, "--from/--to do not apply to a lot");
		sc = (ecms_trace_scope){ .kind = ECMS_TRACE_LOT, .lot = lot, .mpn = mpn };
	} else if (!strcmp(kind, "reel")) {
		if (lot || mpn || from || to)
			return cli_usage(e, "a reel trace takes only the UID");
		sc = (ecms_trace_scope){ .kind = ECMS_TRACE_REEL, .uid = pos[0] };
	} else if (!strcmp(kind, "datecode")) {
		if (!mpn || !from || !to)
			return cli_usage(e, "--mpn, --from and --to are required");
		sc = (ecms_trace_scope){
			.kind = ECMS_TRACE_DATECODE, .mpn = mpn, .from = from, .to = to
		};
	} else if (!strcmp(kind, "supplier")) {
		if (!from || !to)
			return cli_usage(e, "--from and --to are required");
		sc = (ecms_trace_scope){
			.kind = ECMS_TRACE_SUPPLIER, .supplier = pos[0], .from = from, .to = to
		};
	} else {
		if (lot || mpn || from || to)
			return cli_usage(e, "a CoC trace takes only the CoC ID");
		sc = (ecms_trace_scope){ .kind = ECMS_TRACE_COC, .coc = pos[0] };
	}
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_trace_forward(c->h, &sc, &t)))
		return cli_error(c, rc);
	return json ? cli_print_json(t) : print_forward(t);
}
