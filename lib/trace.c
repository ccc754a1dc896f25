/*
 * trace.c: backward and forward trace in the terms of packages and boards
 * (lot, date code, supplier, PO, CoC; status, customer, shipment), built
 * on the genealogy engine, and rework checked against the BOM.
 *
 * The genealogy answers with UIDs and serials; the package and board data
 * are then read with set queries of up to SET_CHUNK keys each (one
 * statement per chunk, never one per board), so a forward trace costs the
 * genealogy's scan plus a handful of indexed lookups.
 */
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "ecms/board.h"
#include "ecms/genealogy.h"
#include "ecms/label.h"
#include "ecms/msdstore.h"
#include "ecms/auth.h"
#include "ecms/event.h"
#include "ecms/trace.h"
#include "ecms/warehouse.h"
#include "event.h"
#include "genealogy_int.h"
#include "store/store.h"
#include "trace_int.h"

#define DAY_MS INT64_C(86400000)

/* ------------------------------------------------------------------
 * Set lookups
 * ------------------------------------------------------------------ */

#define Q8        "?,?,?,?,?,?,?,?"
#define Q64       Q8 "," Q8 "," Q8 "," Q8 "," Q8 "," Q8 "," Q8 "," Q8
#define SET_CHUNK 64

static const char pkg_sql[] =
	"SELECT uid, ipn, mpn, manufacturer, lot, date_code, supplier, po, coc FROM packages "
	"WHERE uid IN (" Q64 ")";

static const char board_sql[] =
	"SELECT serial, work_order, status, hold, shipment FROM boards WHERE serial IN (" Q64 ")";

static const char wo_sql[] =
	"SELECT id, customer, product, rev FROM work_orders WHERE id IN (" Q64 ")";

static const char ship_sql[] = "SELECT id, shipped_ms FROM shipments WHERE id IN (" Q64 ")";

static int
oom(ecms *h)
{
	return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
}

static json_t *
text_json(ecms__stmt *st, int col)
{
	const char *s = ecms__col_text(st, col);

	return s ? json_string(s) : json_null();
}

static json_t *
time_json(int64_t ms)
{
	char t[ECMS_TIME_LEN];

	return json_string(ecms_time_format(ms, t));
}

/*
 * Run sql (with SET_CHUNK placeholders) for keys[0, n) chunk by chunk and
 * call row(h, st, arg) for every row.
 */
static int
lookup_set(ecms *h, const char *sql, const char *const *keys, size_t n,
	   int (*row)(ecms *h, ecms__stmt *st, void *arg), void *arg)
{
	for (size_t off = 0; off < n; off += SET_CHUNK) {
		ecms__stmt *st;
		int rc = ecms__q(h, &st, sql, "");

		if (rc)
			return rc;
		for (int i = 0; i < SET_CHUNK && rc == ECMS_OK; i++) {
			const char *k = off + (size_t)i < n ? keys[off + (size_t)i] : NULL;

			rc = k ? h->ops->bind_text(st, i + 1, k, strlen(k))
			       : h->ops->bind_null(st, i + 1);
		}
		if (rc) {
			ecms__done(h, st);
			return ecms__ctxfail(h, rc, NULL, "binding a set query failed");
		}
		while ((rc = ecms__step(h, st)) == ECMS__ROW)
			if ((rc = row(h, st, arg)))
				break;
		ecms__done(h, st);
		if (rc != ECMS__DONE)
			return rc;
	}
	return ECMS_OK;
}

/* Put a JSON object of a row under the text of column 0 of map (arg). */
static int
map_row(ecms *h, ecms__stmt *st, json_t *map, json_t *v)
{
	if (!v || json_object_set_new(map, ecms__col_text(st, 0), v))
		return oom(h);
	return ECMS_OK;
}

static int
pkg_row(ecms *h, ecms__stmt *st, void *map)
{
	return map_row(h, st, map,
		       json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "ipn", text_json(st, 1),
				 "mpn", text_json(st, 2), "manufacturer", text_json(st, 3), "lot",
				 text_json(st, 4), "date_code", text_json(st, 5), "supplier",
				 text_json(st, 6), "po", text_json(st, 7), "coc",
				 text_json(st, 8)));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ------------------------------------------------------------------
 * Backward trace
 * ------------------------------------------------------------------ */

/* {uid, known, ipn, mpn, ...} of one package from the lookup map. */
static json_t *
package_json(json_t *map, const char *uid)
{
	json_t *info = uid ? json_object_get(map, uid) : NULL, *o;
	static const char *const order[] = { "ipn",      "mpn", "manufacturer", "lot", "date_code",
					     "supplier", "po",  "coc",          NULL };

	o = json_pack("{s:o,s:b}", "uid", uid ? json_string(uid) : json_null(), "known",
		      info != NULL || uid == NULL);
	for (int i = 0; o && order[i]; i++) {
		json_t *v = info ? json_object_get(info, order[i]) : NULL;

		if (json_object_set_new(o, order[i], v ? json_incref(v) : json_null())) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static int
components(ecms *h, json_t *parts, json_t *arr)
{
	const char **keys = NULL;
	size_t n = 0, cap = 0, i, j;
	json_t *map = json_object(), *p, *v;
	int rc = map ? ECMS_OK : oom(h);

	/* Every UID the parts name, once. */
	json_array_foreach(parts, i, p) {
		json_t *c = json_object_get(p, "candidates");
		size_t nc = json_array_size(c) + 1;

		if (rc == ECMS_OK && n + nc > cap) {
			size_t ncap = (cap + nc) * 2;
			const char **k = ecms__realloc(keys, ncap * sizeof(*k));

			if (!k) {
				rc = oom(h);
				break;
			}
			keys = k;
			cap = ncap;
		}
		if (json_string_value(json_object_get(p, "uid")))
			keys[n++] = json_string_value(json_object_get(p, "uid"));
		json_array_foreach(c, j, v)
			keys[n++] = json_string_value(v);
	}
	if (rc == ECMS_OK && n) {
		size_t m = 1;

		qsort(keys, n, sizeof(*keys), cmp_str);
		for (i = 1; i < n; i++)
			if (strcmp(keys[i], keys[m - 1]) != 0)
				keys[m++] = keys[i];
		n = m;
		rc = lookup_set(h, pkg_sql, keys, n, pkg_row, map);
	}
	json_array_foreach(parts, i, p) {
		const char *uid = json_string_value(json_object_get(p, "uid"));
		bool amb = json_is_true(json_object_get(p, "ambiguous")), known = true;
		json_t *o, *cands;

		if (rc)
			break;
		o = package_json(map, uid);
		cands = json_array();
		if (!o || !cands || json_object_set_new(o, "candidates", cands)) {
			json_decref(o);
			rc = oom(h);
			break;
		}
		if (amb) {
			json_array_foreach(json_object_get(p, "candidates"), j, v) {
				json_t *cj = package_json(map, json_string_value(v));

				if (!cj || json_array_append_new(cands, cj)) {
					rc = oom(h);
					break;
				}
				known = known && json_is_true(json_object_get(cj, "known"));
			}
			json_object_set_new(o, "known", json_boolean(known));
		}
		if (rc == ECMS_OK &&
		    (json_object_set(o, "refdes", json_object_get(p, "refdes")) ||
		     json_object_set(o, "machine", json_object_get(p, "machine")) ||
		     json_object_set(o, "slot", json_object_get(p, "slot")) ||
		     json_object_set(o, "program", json_object_get(p, "program")) ||
		     json_object_set(o, "time", json_object_get(p, "time")) ||
		     json_object_set(o, "source", json_object_get(p, "source")) ||
		     json_object_set_new(o, "ambiguous", json_boolean(amb))))
			rc = oom(h);
		if (rc == ECMS_OK) {
			/* The documented key order: refdes first, then the package. */
			static const char *const order[] = {
				"refdes",       "uid",       "known",      "ipn",      "mpn",
				"manufacturer", "lot",       "date_code",  "supplier", "po",
				"coc",          "machine",   "slot",       "program",  "time",
				"source",       "ambiguous", "candidates", NULL
			};
			json_t *q = json_object();

			for (int k = 0; q && order[k]; k++)
				if (json_object_set(q, order[k], json_object_get(o, order[k]))) {
					json_decref(q);
					q = NULL;
				}
			json_decref(o);
			if (!q || json_array_append_new(arr, q))
				rc = oom(h);
		} else {
			json_decref(o);
		}
	}
	ecms__free(keys);
	json_decref(map);
	return rc;
}

int
ecms_trace_board(ecms *h, const char *serial, json_t **out)
{
	json_t *g = NULL, *b = NULL, *o = NULL, *comps = NULL;
	int rc, brc;

	*out = NULL;
	if (!serial || !*serial)
		return ecms__ctxfail(h, ECMS_EUSAGE, "serial", "a board serial is required");
	rc = ecms_gen_trace_board(h, serial, &g);
	if (rc && rc != ECMS_ENOTFOUND)
		return rc;
	brc = ecms_board_get(h, serial, &b);
	if (brc && brc != ECMS_ENOTFOUND) {
		json_decref(g);
		return brc;
	}
	if (rc && brc)
		return ecms__ctxfail(h, ECMS_ENOTFOUND, "serial", "no board '%s'", serial);
#define BF(k) (b ? json_incref(json_object_get(b, k)) : json_null())
	o = json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "serial", serial, "work_order",
		      b && !json_is_null(json_object_get(b, "work_order"))
			      ? json_incref(json_object_get(b, "work_order"))
		      : g ? json_incref(json_object_get(g, "work_order"))
			  : json_null(),
		      "customer", BF("customer"), "product", BF("product"), "revision", BF("rev"),
		      "status", BF("status"), "hold", BF("hold"));
#undef BF
	comps = json_array();
	if (!o || !comps || json_object_set_new(o, "components", comps)) {
		json_decref(comps);
		rc = oom(h);
		goto out;
	}
	rc = g ? components(h, json_object_get(g, "parts"), comps) : ECMS_OK;
	if (rc == ECMS_OK &&
	    (json_object_set_new(o, "route",
				 b ? json_incref(json_object_get(b, "route")) : json_array()) ||
	     json_object_set_new(o, "rework",
				 g ? json_incref(json_object_get(g, "rework")) : json_array())))
		rc = oom(h);
out:
	json_decref(g);
	json_decref(b);
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

/* ------------------------------------------------------------------
 * Forward trace
 * ------------------------------------------------------------------ */

static int
collect_uids(ecms *h, ecms__stmt *st, json_t *arr)
{
	int rc;

	while ((rc = ecms__step(h, st)) == ECMS__ROW)
		if (json_array_append_new(arr, json_string(ecms__col_text(st, 0)))) {
			rc = oom(h);
			break;
		}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

/* A date code YYWW as [start, end) in ms. */
static int
week_range(ecms *h, const char *field, const char *dc, int64_t *start)
{
	int y, w;

	if (!dc || strlen(dc) != 4 || strspn(dc, "0123456789") != 4 ||
	    ecms_datecode_decode(dc, &y, &w, start) != ECMS_OK)
		return ecms__ctxfail(h, ECMS_EINVAL, field,
				     "--%s '%s': expected a date code YYWW (e.g. 2548)", field,
				     dc ? dc : "");
	return ECMS_OK;
}

/* A date (to the end of the day when end) or a date-time. */
static int
time_bound(ecms *h, const char *field, const char *s, bool end, int64_t *ms)
{
	ecms_error err;

	if (!s || ecms_time_parse(s, ms, &err) != ECMS_OK)
		return ecms__ctxfail(h, ECMS_EINVAL, field,
				     "--%s '%s': expected a date YYYY-MM-DD or an ISO 8601 time",
				     field, s ? s : "");
	if (end)
		*ms += strlen(s) == 10 ? DAY_MS : 1;
	return ECMS_OK;
}

int
ecms_trace_scope_packages(ecms *h, const ecms_trace_scope *sc, json_t **uids)
{
	ecms__stmt *st = NULL;
	json_t *arr;
	int64_t a, b, one;
	int rc = ECMS_OK;

	*uids = NULL;
	switch (sc->kind) {
	case ECMS_TRACE_LOT:
		if (!sc->lot || !*sc->lot)
			return ecms__ctxfail(h, ECMS_EUSAGE, "lot", "a lot trace needs --lot");
		rc = ecms__q(h, &st,
			     "WITH RECURSIVE s(uid) AS (SELECT uid FROM packages WHERE lot = ? AND "
			     "(? IS NULL OR mpn = ?) UNION SELECT p.uid FROM packages p JOIN s ON "
			     "p.parent = s.uid) SELECT uid FROM s ORDER BY uid",
			     "ttt", sc->lot, sc->mpn, sc->mpn);
		break;
	case ECMS_TRACE_REEL:
		if (!sc->uid || !*sc->uid)
			return ecms__ctxfail(h, ECMS_EUSAGE, "uid", "a reel trace needs a UID");
		rc = ecms__q(h, &st,
			     "WITH RECURSIVE s(uid) AS (SELECT CAST(? AS TEXT) UNION SELECT p.uid "
			     "FROM packages p JOIN s ON p.parent = s.uid) SELECT uid FROM s "
			     "ORDER BY uid",
			     "t", sc->uid);
		break;
	case ECMS_TRACE_DATECODE:
		if (!sc->mpn || !*sc->mpn || !sc->from || !sc->to)
			return ecms__ctxfail(h, ECMS_EUSAGE, "mpn",
					     "a date-code trace needs --mpn, --from and --to");
		if ((rc = week_range(h, "from", sc->from, &a)) ||
		    (rc = week_range(h, "to", sc->to, &b)))
			return rc;
		if (b < a)
			return ecms__ctxfail(h, ECMS_EINVAL, "to",
					     "date code --to %s is before --from %s", sc->to,
					     sc->from);
		rc = ecms__q(
			h, &st,
			"WITH RECURSIVE s(uid) AS (SELECT uid FROM packages WHERE mpn = ? AND "
			"dc_ms >= ? AND dc_ms < ? UNION SELECT p.uid FROM packages p JOIN s ON "
			"p.parent = s.uid) SELECT uid FROM s ORDER BY uid",
			"tii", sc->mpn, a, b + 7 * DAY_MS);
		break;
	case ECMS_TRACE_SUPPLIER:
		if (!sc->supplier || !*sc->supplier || !sc->from || !sc->to)
			return ecms__ctxfail(
				h, ECMS_EUSAGE, "supplier",
				"a supplier trace needs the supplier, --from and --to");
		rc = ecms__query_int(h, &one, "SELECT 1 FROM suppliers WHERE id = ?", "t",
				     sc->supplier);
		if (rc == ECMS_ENOTFOUND)
			return ecms__ctxfail(h, rc, "supplier", "no supplier '%s'", sc->supplier);
		if (rc || (rc = time_bound(h, "from", sc->from, false, &a)) ||
		    (rc = time_bound(h, "to", sc->to, true, &b)))
			return rc;
		if (b <= a)
			return ecms__ctxfail(h, ECMS_EINVAL, "to", "--to %s is before --from %s",
					     sc->to, sc->from);
		rc = ecms__q(
			h, &st,
			"WITH RECURSIVE s(uid) AS (SELECT uid FROM packages WHERE supplier = ? "
			"AND received_ms >= ? AND received_ms < ? UNION SELECT p.uid FROM "
			"packages p JOIN s ON p.parent = s.uid) SELECT uid FROM s ORDER BY uid",
			"tii", sc->supplier, a, b);
		break;
	case ECMS_TRACE_COC:
		if (!sc->coc || !*sc->coc)
			return ecms__ctxfail(h, ECMS_EUSAGE, "coc", "a CoC trace needs the CoC ID");
		rc = ecms__query_int(h, &one, "SELECT 1 FROM cocs WHERE id = ?", "t", sc->coc);
		if (rc == ECMS_ENOTFOUND)
			return ecms__ctxfail(h, rc, "coc", "no CoC '%s'", sc->coc);
		if (rc == ECMS_OK)
			rc = ecms__q(
				h, &st,
				"WITH RECURSIVE s(uid) AS (SELECT p.uid FROM packages p WHERE "
				"p.coc = ? OR EXISTS (SELECT 1 FROM cocs c JOIN coc_lots l ON "
				"l.coc = c.id WHERE c.id = ? AND c.mpn = p.mpn AND c.supplier = "
				"p.supplier AND l.lot = p.lot) UNION SELECT p.uid FROM packages p "
				"JOIN s ON p.parent = s.uid) SELECT uid FROM s ORDER BY uid",
				"tt", sc->coc, sc->coc);
		break;
	default:
		return ecms__ctxfail(h, ECMS_EUSAGE, NULL, "unknown trace kind");
	}
	if (rc)
		return rc;
	if (!(arr = json_array())) {
		ecms__done(h, st);
		return oom(h);
	}
	if ((rc = collect_uids(h, st, arr))) {
		json_decref(arr);
		return rc;
	}
	*uids = arr;
	return ECMS_OK;
}

static json_t *
scope_json(const ecms_trace_scope *sc)
{
	static const char *const kinds[] = { "lot", "reel", "datecode", "supplier", "coc" };
	json_t *o = json_pack("{s:s}", "kind", kinds[sc->kind]);
	const char *names[] = { "lot", "mpn", "uid", "supplier", "coc", "from", "to" };
	const char *vals[] = { sc->lot, sc->mpn, sc->uid, sc->supplier, sc->coc, sc->from, sc->to };

	for (int i = 0; o && i < 7; i++)
		if (vals[i] && json_object_set_new(o, names[i], json_string(vals[i]))) {
			json_decref(o);
			return NULL;
		}
	return o;
}

static json_t *
strs_json(const char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(v[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* A forward trace entry while its board's rows are read: references to
 * the values it will get (NULL: none). */
struct bent {
	const struct ecms_gen_carrier *c;
	json_t *wo, *status, *hold, *shipment;
};

/* What the board rows tell, collected for the forward trace's entries. */
struct fill {
	struct bent **by_serial; /* the entries, sorted by serial */
	size_t n;
	json_t *wos;                   /* work order -> {customer, product, revision} */
	json_t *ships;                 /* shipment -> shipped time */
	json_t *pool;                  /* shared strings: status, work order */
	json_t *last_wo, *last_status; /* of the last board row (in pool) */
};

/* Whether v (a JSON string or NULL) holds s. */
static bool
same_text(json_t *v, const char *s)
{
	return v && s && strcmp(json_string_value(v), s) == 0;
}

static json_t *
shared_text(json_t *pool, const char *s)
{
	json_t *v = json_object_get(pool, s);

	if (v)
		return json_incref(v);
	v = json_string(s);
	if (v && json_object_set(pool, s, v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static int
cmp_bent(const void *a, const void *b)
{
	return strcmp((*(struct bent *const *)a)->c->board, (*(struct bent *const *)b)->c->board);
}

static int
cmp_bent_serial(const void *serial, const void *elt)
{
	return strcmp(serial, (*(struct bent *const *)elt)->c->board);
}

/* Replace *slot by v (a new reference or NULL); false when v is NULL. */
static bool
swap_ref(json_t **slot, json_t *v)
{
	json_decref(*slot);
	*slot = v;
	return v != NULL;
}

static int
board_fill(ecms *h, ecms__stmt *st, void *arg)
{
	struct fill *f = arg;
	const char *serial = ecms__col_text(st, 0), *wo = ecms__col_text(st, 1);
	const char *status = ecms__col_text(st, 2), *ship = ecms__col_text(st, 4);
	struct bent **e =
		serial ? bsearch(serial, f->by_serial, f->n, sizeof(*f->by_serial), cmp_bent_serial)
		       : NULL;
	struct bent *b;

	if (!e)
		return ECMS_OK;
	b = *e;
	/* Consecutive boards mostly share work order and status. */
	if (wo && !same_text(f->last_wo, wo)) {
		if (!swap_ref(&b->wo, shared_text(f->pool, wo)) ||
		    json_object_set_new(f->wos, wo, json_null()))
			return oom(h);
		f->last_wo = b->wo;
	} else if (wo && !swap_ref(&b->wo, json_incref(f->last_wo))) {
		return oom(h);
	}
	if (!same_text(f->last_status, status)) {
		if (!swap_ref(&b->status, shared_text(f->pool, status)))
			return oom(h);
		f->last_status = b->status;
	} else if (!swap_ref(&b->status, json_incref(f->last_status))) {
		return oom(h);
	}
	if (!swap_ref(&b->hold, text_json(st, 3)) ||
	    (ship && (!swap_ref(&b->shipment, json_string(ship)) ||
		      json_object_set_new(f->ships, ship, json_null()))))
		return oom(h);
	return ECMS_OK;
}

static int
wo_row(ecms *h, ecms__stmt *st, void *wos)
{
	return map_row(h, st, wos,
		       json_pack("{s:o,s:o,s:o}", "customer", text_json(st, 1), "product",
				 text_json(st, 2), "revision", text_json(st, 3)));
}

static int
ship_row(ecms *h, ecms__stmt *st, void *ships)
{
	return map_row(h, st, ships, time_json(ecms__col_int(st, 1)));
}

/* The keys of a JSON object as an array of borrowed strings. */
static int
keys_of(ecms *h, json_t *obj, const char ***out, size_t *n)
{
	const char *k;
	json_t *v;

	*n = 0;
	*out = json_object_size(obj) ? ecms__calloc(json_object_size(obj), sizeof(**out)) : NULL;
	if (json_object_size(obj) && !*out)
		return oom(h);
	json_object_foreach(obj, k, v)
		(*out)[(*n)++] = k;
	return ECMS_OK;
}

/* Look the keys of map up with sql (SET_CHUNK placeholders) and make map
 * hold only the keys found, with what row() made of them. */
static int
resolve_map(ecms *h, const char *sql, json_t *map, int (*row)(ecms *h, ecms__stmt *st, void *arg))
{
	const char **keys = NULL;
	size_t nk = 0;
	json_t *m = json_object();
	int rc = m ? keys_of(h, map, &keys, &nk) : oom(h);

	if (rc == ECMS_OK)
		rc = lookup_set(h, sql, keys, nk, row, m);
	ecms__free(keys);
	json_object_clear(map);
	if (rc == ECMS_OK && json_object_update(map, m))
		rc = oom(h);
	json_decref(m);
	return rc;
}

/* Set key of o to v (stolen); false on failure (v NULL included). */
static bool
put_new(json_t *o, const char *key, json_t *v)
{
	return v && json_object_set_new_nocheck(o, key, v) == 0;
}

/* A new reference to v, or JSON null when v is NULL. */
static json_t *
ref_or_null(json_t *v)
{
	return v ? json_incref(v) : json_null();
}

/* The entry of one board, with its keys in the documented order. jr, ja:
 * its refdes arrays (shared); w: its work order's {customer, product,
 * revision} (NULL when unknown); shipped: its shipment's time (NULL). */
static json_t *
entry_json(const struct bent *b, json_t *jr, json_t *ja, json_t *w, json_t *shipped)
{
	json_t *o = json_object();

	if (o && put_new(o, "serial", json_string(b->c->board)) &&
	    put_new(o, "refdes", json_incref(jr)) && put_new(o, "ambiguous", json_incref(ja)) &&
	    put_new(o, "work_order", ref_or_null(b->wo)) &&
	    put_new(o, "customer", ref_or_null(w ? json_object_get(w, "customer") : NULL)) &&
	    put_new(o, "product", ref_or_null(w ? json_object_get(w, "product") : NULL)) &&
	    put_new(o, "revision", ref_or_null(w ? json_object_get(w, "revision") : NULL)) &&
	    put_new(o, "status", ref_or_null(b->status)) &&
	    put_new(o, "shipped", ref_or_null(shipped)) &&
	    put_new(o, "shipment", ref_or_null(b->shipment)) &&
	    put_new(o, "hold", ref_or_null(b->hold)))
		return o;
	json_decref(o);
	return NULL;
}

/*
 * The genealogy's carriers, then their board rows by serial (sets of
 * SET_CHUNK), then their work orders and shipments (once each), and only
 * then each entry's JSON, built once in its final form.
 */
int
ecms__trace_carriers(ecms *h, const char *const *uids, size_t n, json_t *boards)
{
	struct ecms_gen_carriers c = { 0 };
	struct fill f = { NULL, 0, json_object(), json_object(), json_object(), NULL, NULL };
	struct bent *ents = NULL;
	struct ecms__refcache lists = { 0 };
	const char **keys = NULL;
	json_t *jr, *ja, *last_wo = NULL, *w = NULL, *unknown = NULL;
	bool own = false;
	int rc = f.wos && f.ships && f.pool ? ECMS_OK : oom(h);

	/* One snapshot for the genealogy and the board rows. */
	if (rc == ECMS_OK)
		rc = ecms__read_begin(h, &own);
	if (rc == ECMS_OK)
		rc = ecms_gen_carriers_get(h, uids, n, &c);
	if (rc == ECMS_OK && c.n &&
	    (!(ents = ecms__calloc(c.n, sizeof(*ents))) ||
	     !(f.by_serial = ecms__calloc(c.n, sizeof(*f.by_serial))) ||
	     !(keys = ecms__calloc(c.n, sizeof(*keys)))))
		rc = oom(h);
	if (rc == ECMS_OK && c.n && !(unknown = shared_text(f.pool, "unknown")))
		rc = oom(h);
	/* What the genealogy knows; the board rows override it. */
	for (size_t i = 0; rc == ECMS_OK && i < c.n; i++) {
		struct bent *b = &ents[i];
		const char *wo = c.boards[i].work_order;

		b->c = &c.boards[i];
		b->status = json_incref(unknown);
		f.by_serial[i] = b;
		if (wo && same_text(last_wo, wo)) {
			b->wo = json_incref(last_wo);
		} else if (wo) {
			if (!(b->wo = shared_text(f.pool, wo)) ||
			    json_object_set_new(f.wos, wo, json_null()))
				rc = oom(h);
			last_wo = b->wo;
		}
	}
	last_wo = NULL;
	f.n = c.n;
	if (rc == ECMS_OK && c.n > 1)
		qsort(f.by_serial, c.n, sizeof(*f.by_serial), cmp_bent);
	for (size_t i = 0; rc == ECMS_OK && i < c.n; i++)
		keys[i] = f.by_serial[i]->c->board;
	if (rc == ECMS_OK)
		rc = lookup_set(h, board_sql, keys, c.n, board_fill, &f);
	/* Work orders and shipments, once each. */
	if (rc == ECMS_OK)
		rc = resolve_map(h, wo_sql, f.wos, wo_row);
	if (rc == ECMS_OK)
		rc = resolve_map(h, ship_sql, f.ships, ship_row);
	/* The entries; boards with the same refdes lists share the arrays. */
	for (size_t i = 0; rc == ECMS_OK && i < c.n; i++) {
		const struct bent *b = &ents[i];
		const struct ecms_gen_carrier *x = b->c;
		json_t *o;

		jr = ecms__refcache_get(&lists, x->refdes, x->nrefdes);
		ja = ecms__refcache_get(&lists, x->ambiguous, x->nambiguous);
		/* Work order values are shared (the pool): equal pointers. */
		if (b->wo != last_wo) {
			w = b->wo ? json_object_get(f.wos, json_string_value(b->wo)) : NULL;
			last_wo = b->wo;
		}
		o = jr && ja ? entry_json(b, jr, ja, w,
					  b->shipment
						  ? json_object_get(f.ships,
								    json_string_value(b->shipment))
						  : NULL)
			     : NULL;
		if (!o || json_array_append_new(boards, o))
			rc = oom(h);
	}
	ecms__refcache_free(&lists);
	for (size_t i = 0; ents && i < c.n; i++) {
		json_decref(ents[i].wo);
		json_decref(ents[i].status);
		json_decref(ents[i].hold);
		json_decref(ents[i].shipment);
	}
	json_decref(unknown);
	ecms__free(keys);
	ecms__free(f.by_serial);
	ecms__free(ents);
	json_decref(f.wos);
	json_decref(f.ships);
	json_decref(f.pool);
	ecms_gen_carriers_cleanup(&c);
	return ecms__read_end(h, own, rc);
}

static int
trace_forward(ecms *h, const ecms_trace_scope *sc, json_t **out)
{
	json_t *uids = NULL, *boards = NULL, *o = NULL, *v;
	const char **keys = NULL;
	size_t n, i;
	int64_t one;
	int rc;

	*out = NULL;
	if ((rc = ecms_trace_scope_packages(h, sc, &uids)))
		return rc;
	n = json_array_size(uids);
	if (n == 0 && sc->kind == ECMS_TRACE_LOT) {
		json_decref(uids);
		if (sc->mpn)
			return ecms__ctxfail(h, ECMS_ENOTFOUND, "lot",
					     "no package of lot '%s' and MPN '%s' is known",
					     sc->lot, sc->mpn);
		return ecms__ctxfail(h, ECMS_ENOTFOUND, "lot", "no package of lot '%s' is known",
				     sc->lot);
	}
	if (n && !(keys = ecms__calloc(n, sizeof(*keys))))
		rc = oom(h);
	json_array_foreach(uids, i, v)
		if (keys)
			keys[i] = json_string_value(v);
	if (rc == ECMS_OK && !(boards = json_array()))
		rc = oom(h);
	if (rc == ECMS_OK)
		rc = ecms__trace_carriers(h, keys, n, boards);
	if (rc == ECMS_OK && sc->kind == ECMS_TRACE_REEL && json_array_size(boards) == 0) {
		rc = ecms__query_int(h, &one, "SELECT 1 FROM packages WHERE uid = ?", "t", sc->uid);
		if (rc == ECMS_ENOTFOUND)
			rc = ecms__ctxfail(
				h, rc, "uid",
				"no package '%s': neither received nor named by the line", sc->uid);
	}
	if (rc == ECMS_OK) {
		o = json_pack("{s:o,s:O,s:I,s:O}", "scope", scope_json(sc), "packages", uids,
			      "count", (json_int_t)json_array_size(boards), "boards", boards);
		if (!o)
			rc = oom(h);
	}
	ecms__free(keys);
	json_decref(uids);
	json_decref(boards);
	if (rc == ECMS_OK)
		*out = o;
	return rc;
}

int
ecms_trace_forward(ecms *h, const ecms_trace_scope *sc, json_t **out)
{
	bool own;
	int rc;

	*out = NULL;
	/* The scope's packages, the genealogy and the board rows: one
	 * snapshot of the store. */
	if ((rc = ecms__read_begin(h, &own)))
		return rc;
	return ecms__read_end(h, own, trace_forward(h, sc, out));
}

/* ------------------------------------------------------------------
 * Rework
 * ------------------------------------------------------------------ */

/* The board's status, product and revision (NULL when unknown; caller
 * frees). */
static int
board_bom(ecms *h, const char *serial, char status[16], char **product, char **rev)
{
	ecms__stmt *st;
	int rc;

	*product = *rev = NULL;
	rc = ecms__q(h, &st,
		     "SELECT b.status, w.product, w.rev FROM boards b LEFT JOIN work_orders w "
		     "ON w.id = b.work_order WHERE b.serial = ?",
		     "t", serial);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		ecms__strlcpy(status, ecms__col_text(st, 0), 16);
		if (!ecms__col_null(st, 1)) {
			*product = ecms__strdup(ecms__col_text(st, 1));
			*rev = ecms__strdup(ecms__col_text(st, 2));
		}
		rc = !ecms__col_null(st, 1) && (!*product || !*rev) ? oom(h) : ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "serial", "no board '%s'", serial);
	}
	ecms__done(h, st);
	return rc;
}

/* What the backward trace says is at refdes now: its UID, or its
 * candidates, as a JSON array. */
static int
fitted_now(ecms *h, const char *serial, const char *refdes, json_t **old)
{
	struct ecms_gen_board b = { 0 };
	int rc = ecms_gen_board_get(h, serial, &b);

	*old = NULL;
	if (rc)
		return rc;
	for (size_t i = 0; i < b.nparts && !*old; i++) {
		const struct ecms_gen_part *p = &b.parts[i];

		if (strcmp(p->refdes, refdes) != 0)
			continue;
		*old = p->uid ? strs_json(&p->uid, 1) : strs_json(p->candidates, p->ncandidates);
		if (!*old)
			rc = oom(h);
	}
	if (rc == ECMS_OK && !*old && !(*old = json_array()))
		rc = oom(h);
	ecms_gen_board_cleanup(&b);
	return rc;
}

int
ecms_trace_rework(ecms *h, const char *serial, const char *refdes, const char *uid,
		  const char *user, const char *reason, json_t **out)
{
	char status[16] = "", pstatus[24] = "", why[300] = "", *product = NULL, *rev = NULL;
	char *role = NULL, *want = NULL, *have = NULL, *detail = NULL, t[ECMS_TIME_LEN];
	const char *station = ecms_station(h);
	json_t *old = NULL, *o = NULL;
	ecms__stmt *st;
	int64_t now = ecms_now(h), exp, one, seq;
	bool ok = true;
	char hash[65];
	int rc;

	*out = NULL;
	if (!serial || !*serial || !refdes || !*refdes || !uid || !*uid)
		return ecms__ctxfail(h, ECMS_EUSAGE, "refdes",
				     "rework needs a board, a refdes and a reel");
	if (!reason || strlen(reason) < 3)
		return ecms__ctxfail(h, ECMS_EUSAGE, "reason",
				     "rework needs a reason (at least 3 characters)");
	if (!user || !*user)
		return ecms__ctxfail(h, ECMS_EUSAGE, "user", "who did the rework? (--user)");
	rc = ecms_auth_role(h, user, &role);
	ecms__free(role);
	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, "user", "no active user '%s'", user);
	if (rc || (rc = board_bom(h, serial, status, &product, &rev)))
		goto out;
	if (!strcmp(status, "shipped") || !strcmp(status, "scrapped")) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "serial", "board %s is %s: no rework", serial,
				   status);
		goto out;
	}
	if (!product) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "serial",
				   "board %s has no work order ecms knows: the part for %s cannot "
				   "be checked against a BOM",
				   serial, refdes);
		goto out;
	}
	rc = ecms__q(h, &st,
		     "SELECT ipn FROM bom_refdes WHERE product = ? AND rev = ? AND refdes = ?",
		     "ttt", product, rev, refdes);
	if (rc)
		goto out;
	if ((rc = ecms__step(h, st)) == ECMS__ROW) {
		rc = (want = ecms__strdup(ecms__col_text(st, 0))) ? ECMS_OK : oom(h);
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "refdes", "%s is not in the BOM of %s rev %s",
				   refdes, product, rev);
	}
	ecms__done(h, st);
	if (rc)
		goto out;
	if ((rc = ecms__q(h, &st, "SELECT ipn, status FROM packages WHERE uid = ?", "t", uid)))
		goto out;
	if ((rc = ecms__step(h, st)) == ECMS__ROW) {
		have = ecms__strdup(ecms__col_null(st, 0) ? "" : ecms__col_text(st, 0));
		ecms__strlcpy(pstatus, ecms__col_text(st, 1), sizeof(pstatus));
		rc = have ? ECMS_OK : oom(h);
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "reel", "no package '%s'", uid);
	}
	ecms__done(h, st);
	if (rc)
		goto out;
	if (strcmp(have, want) != 0) {
		rc = ecms__query_int(
			h, &one,
			"SELECT 1 FROM bom_alternates WHERE product = ? AND rev = ? AND "
			"ipn = ? AND alt_ipn = ?",
			"tttt", product, rev, want, have);
		if (rc == ECMS_ENOTFOUND)
			rc = ecms__ctxfail(h, ECMS_EREFUSED, "reel",
					   "%s holds %s; %s of %s rev %s takes %s (or an approved "
					   "alternate)",
					   uid, *have ? have : "an unknown part", refdes, product,
					   rev, want);
		if (rc)
			goto out;
	}
	if (strcmp(pstatus, "available") != 0) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "reel", "%s is %s: it may not be fitted", uid,
				   pstatus);
		goto out;
	}
	if ((rc = ecms_package_expiry(h, uid, &exp)))
		goto out;
	if (exp <= now) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "reel", "%s: its shelf life ended on %s", uid,
				   ecms_time_format(exp, t));
		goto out;
	}
	if ((rc = ecms_msd_usable(h, uid, now, &ok, why, sizeof(why))))
		goto out;
	if (!ok) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "reel", "%s may not be fitted: %s", uid, why);
		goto out;
	}
	if ((rc = fitted_now(h, serial, refdes, &old)))
		goto out;
	o = json_pack("{s:s,s:s,s:O,s:s,s:s,s:s,s:s,s:s}", "serial", serial, "refdes", refdes,
		      "old", old, "new", uid, "ipn", have, "user", user, "reason", reason, "time",
		      ecms_time_format(now, t));
	detail = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (!detail) {
		rc = oom(h);
		goto out;
	}
	if ((rc = ecms__begin(h)))
		goto out;
	rc = ecms_gen_rework(h, serial, refdes, uid, user, reason, now);
	if (rc == ECMS_OK)
		rc = ecms_log_head(h, &seq, hash);
	if (rc == ECMS_OK)
		rc = ecms__board_step(h, serial, station && *station ? station : "rework",
				      "reworked", "replaced", user, detail, now, seq);
	rc = ecms__end(h, rc);
out:
	free(detail); /* checksrc:ok jansson's allocator */
	ecms__free(product);
	ecms__free(rev);
	ecms__free(want);
	ecms__free(have);
	json_decref(old);
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}
