/*
 * cmd_trace_board.c: `ecms trace board`: backward trace of a board: the
 * package, lot, date code, supplier, PO and CoC of every refdes, its route and
 * rework.
 */
#include <stdlib.h>

#include "cli.h"
#include "ecms/trace.h"

static int board_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

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
	bool json;
	json_t *t;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 1, &json)))
		return rc;
	if ((rc = ecms_trace_board(c->h, pos[0], &t)))
		return cli_error(c, rc);
	return json ? cli_print_json(t) : print_board(t);
}
