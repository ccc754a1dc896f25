/*
 * cmd_trace.c: `ecms trace board` (backward: which package fed every
 * refdes of a board) and the forward traces `ecms trace lot|reel|
 * datecode|supplier|coc` (every board that carries the material, where
 * it is now).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/trace.h"

static int board_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int forward_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

#define FORWARD_HELP                                                                               \
	"Lists every board that carries the material: the refdes it fed for certain,\n"            \
	"the refdes it may have fed (ambiguous: a splice or reel change the line could\n"          \
	"not place), the work order, the customer and the status (wip, completed,\n"               \
	"shipped with its date, scrapped). Packages split from the material are\n"                 \
	"followed. --json prints {scope, packages, count, boards}.\n"

const struct cmd_entry cmd_trace_board_entry = {
	"trace board",
	"SERIAL [--json]",
	"backward trace of a board: the package, lot, date code, supplier, PO and CoC of "
	"every refdes, its route and rework",
	"Ambiguous refdes (a splice grey zone, a reel change during the board's\n"
	"placement) list every candidate package; none is picked. A package the line\n"
	"named but ecms never received is shown with known = no.\n",
	0,
	board_fn,
};

const struct cmd_entry cmd_trace_lot_entry = {
	"trace lot",
	"--lot L [--mpn M] [--json]",
	"forward trace of a lot to every board",
	FORWARD_HELP,
	0,
	forward_fn,
};

const struct cmd_entry cmd_trace_reel_entry = {
	"trace reel",
	"UID [--json]",
	"forward trace of a package (reel) to every board",
	FORWARD_HELP,
	0,
	forward_fn,
};

const struct cmd_entry cmd_trace_datecode_entry = {
	"trace datecode",
	"--mpn M --from YYWW --to YYWW [--json]",
	"forward trace of the packages of an MPN with date codes in a range (inclusive)",
	FORWARD_HELP,
	0,
	forward_fn,
};

const struct cmd_entry cmd_trace_supplier_entry = {
	"trace supplier",
	"SUPPLIER --from DATE --to DATE [--json]",
	"forward trace of the packages received from a supplier in a window (dates inclusive)",
	FORWARD_HELP,
	0,
	forward_fn,
};

const struct cmd_entry cmd_trace_coc_entry = {
	"trace coc",
	"ID [--json]",
	"forward trace of the packages a certificate of conformance covers",
	FORWARD_HELP,
	0,
	forward_fn,
};

/* One text row of a component (or one of its candidates). */
static json_t *
comp_row(const json_t *p, const char *refdes, const char *uid, const json_t *comp)
{
	const char *note = "";

	if (!json_is_true(json_object_get(p, "known")) && uid && *uid != '?')
		note = "not received by ecms";
	return json_pack("{s:s,s:s,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:s}", "refdes", refdes,
			 "uid", uid ? uid : "", "ipn", json_object_get(p, "ipn"), "mpn",
			 json_object_get(p, "mpn"), "lot", json_object_get(p, "lot"), "dc",
			 json_object_get(p, "date_code"), "supplier",
			 json_object_get(p, "supplier"), "po", json_object_get(p, "po"), "coc",
			 json_object_get(p, "coc"), "machine", json_object_get(comp, "machine"),
			 "slot", json_object_get(comp, "slot"), "source",
			 json_object_get(comp, "source"), "note", note);
}

static int
print_board(json_t *t)
{
	static const char *const cols[] = { "refdes", "uid",      "ipn",    "mpn", "lot",
					    "dc",     "supplier", "po",     "coc", "machine",
					    "slot",   "note",     "source", NULL };
	json_t *rows = json_array(), *p, *v;
	size_t i, j;

#define S(k) cli_scalar(json_object_get(t, k))
	printf("board %s", S("serial"));
	printf("  work order %s",
	       json_is_null(json_object_get(t, "work_order")) ? "unknown" : S("work_order"));
	if (!json_is_null(json_object_get(t, "product")))
		printf("  %s rev %s", S("product"), S("revision"));
	if (!json_is_null(json_object_get(t, "customer")))
		printf("  customer %s", S("customer"));
	if (!json_is_null(json_object_get(t, "status")))
		printf("  %s", S("status"));
	if (!json_is_null(json_object_get(t, "hold")))
		printf("  ON HOLD (%s)", S("hold"));
#undef S
	printf("\n");
	json_array_foreach(json_object_get(t, "components"), i, p) {
		const char *refdes = json_string_value(json_object_get(p, "refdes"));

		if (json_is_true(json_object_get(p, "ambiguous"))) {
			json_t *r = comp_row(p, refdes, "? ambiguous", p);
			json_object_set_new(
				r, "note",
				json_sprintf("%zu candidates",
					     json_array_size(json_object_get(p, "candidates"))));
			json_array_append_new(rows, r);
			json_array_foreach(json_object_get(p, "candidates"), j, v)
				json_array_append_new(
					rows,
					comp_row(v, "",
						 json_string_value(json_object_get(v, "uid")), p));
		} else {
			const char *uid = json_string_value(json_object_get(p, "uid"));
			json_array_append_new(rows,
					      comp_row(p, refdes, uid ? uid : "(removed)", p));
		}
	}
	if (json_array_size(rows))
		cli_print_table(rows, cols);
	else
		printf("no components recorded\n");
	json_decref(rows);
	printf("route:%s\n", json_array_size(json_object_get(t, "route")) ? "" : " none");
	json_array_foreach(json_object_get(t, "route"), i, v) {
		printf("  %s  %-12s %-12s", cli_scalar(json_object_get(v, "time")),
		       cli_scalar(json_object_get(v, "station")),
		       cli_scalar(json_object_get(v, "kind")));
		printf(" %-8s", cli_scalar(json_object_get(v, "result")));
		printf(" %s\n", cli_scalar(json_object_get(v, "operator")));
	}
	printf("rework:%s\n", json_array_size(json_object_get(t, "rework")) ? "" : " none");
	json_array_foreach(json_object_get(t, "rework"), i, v) {
		char *old = json_dumps(json_object_get(v, "old"), JSON_COMPACT);
		printf("  %s  %s: %s -> %s by %s: %s\n", cli_scalar(json_object_get(v, "time")),
		       cli_scalar(json_object_get(v, "refdes")), old ? old : "",
		       json_is_null(json_object_get(v, "new"))
			       ? "(removed)"
			       : cli_scalar(json_object_get(v, "new")),
		       cli_scalar(json_object_get(v, "user")),
		       cli_scalar(json_object_get(v, "reason")));
		free(old);
	}
	json_decref(t);
	return ECMS_OK;
}

static int
board_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *t;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_trace_board(c->h, pos[0], &t)))
		return cli_error(c, rc);
	return json ? cli_print_json(t) : print_board(t);
}

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

static int
forward_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
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
