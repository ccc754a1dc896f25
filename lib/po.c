/*
 * po.c: purchase orders and their lines; `ecms import po`.
 *
 * A PO file has one row per line; the PO's own fields (supplier, order
 * date) repeat on each of its rows and must agree. A line names an IPN or
 * an MPN (resolved to the one part whose AML lists it), the quantity, and
 * optionally the manufacturer and lot the supplier committed to, the
 * oldest acceptable date code, whether a CoC is required, and the
 * over-receipt tolerance. Status follows receipts: open, partial, closed.
 */
#include <stdio.h>
#include <string.h>

#include "ecms/receiving.h"
#include "event.h"
#include "master.h"

static bool
po_check(const json_t *rec, char *why, size_t n, const char **field)
{
	if (ecms__rnull(rec, "ipn") && ecms__rnull(rec, "mpn")) {
		*field = "ipn";
		snprintf(why, n, "or 'mpn' is required: what is ordered?");
		return false;
	}
	return true;
}

static const struct ecms__field po_fields[] = {
	{ "po", ECMS_F_ID, true },
	{ "supplier", ECMS_F_ID, true },
	{ "order_date", ECMS_F_DATE, true },
	{ "line", ECMS_F_INT, true, .min = 1, .max = 99999 },
	{ "ipn", ECMS_F_ID, false },
	{ "mpn", ECMS_F_TEXT, false },
	{ "supplier_pn", ECMS_F_TEXT, false },
	{ "manufacturer", ECMS_F_TEXT, false },
	{ "qty", ECMS_F_INT, true, .min = 1, .max = 1e9 },
	{ "lot", ECMS_F_TEXT, false },
	{ "max_dc_age_months", ECMS_F_INT, false, .min = 1, .max = 600 },
	{ "coc_required", ECMS_F_BOOL, false, "no" },
	{ "tolerance_pct", ECMS_F_REAL, false, "0", .min = 0, .max = 100 },
	{ NULL },
};

static const struct ecms__rspec po_spec = { "po", NULL, po_fields, po_check };

/* Resolve an MPN to the one part whose AML lists it. */
static int
ipn_for_mpn(ecms *h, const char *mpn, char **ipn, int *count)
{
	ecms__stmt *st;
	int rc;

	*ipn = NULL;
	*count = 0;
	if ((rc = ecms__q(h, &st, "SELECT DISTINCT ipn FROM part_aml WHERE mpn = ? ORDER BY ipn",
			  "t", mpn)))
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		if (++*count == 1 && (*ipn = ecms__strdup(ecms__col_text(st, 0))) == NULL) {
			rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
			break;
		}
	}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

/* Check one line against the parts and AML; fill in a resolved ipn. */
static int
check_line(ecms *h, json_t *rec, const char *fname, int line, struct ecms__errlist *errs)
{
	const char *ipn = ecms__rs(rec, "ipn"), *mpn = ecms__rs(rec, "mpn");
	int64_t one;
	int rc;

	if (ipn) {
		rc = ecms__query_int(h, &one, "SELECT 1 FROM parts WHERE ipn = ?", "t", ipn);
		if (rc == ECMS_ENOTFOUND) {
			ecms__errlist_add(errs, line, "%s:%d: column 'ipn': no part '%s'", fname,
					  line, ipn);
			return ECMS_OK;
		}
		if (rc)
			return rc;
		if (mpn) {
			rc = ecms__query_int(h, &one,
					     "SELECT 1 FROM part_aml WHERE ipn = ? AND mpn = ?",
					     "tt", ipn, mpn);
			if (rc == ECMS_ENOTFOUND)
				ecms__errlist_add(errs, line,
						  "%s:%d: column 'mpn': '%s' is not on the "
						  "approved manufacturer list of %s",
						  fname, line, mpn, ipn);
			else if (rc)
				return rc;
		}
	} else {
		char *found;
		int n;
		if ((rc = ipn_for_mpn(h, mpn, &found, &n)))
			return rc;
		if (n == 1)
			json_object_set_new(rec, "ipn", json_string(found));
		else if (n == 0)
			ecms__errlist_add(errs, line,
					  "%s:%d: column 'mpn': '%s' is on no part's approved "
					  "manufacturer list (give the ipn)",
					  fname, line, mpn);
		else
			ecms__errlist_add(errs, line,
					  "%s:%d: column 'mpn': '%s' is approved for %d parts "
					  "(give the ipn)",
					  fname, line, mpn, n);
		ecms__free(found);
	}
	return ECMS_OK;
}

static const char line_upsert_sql[] =
	"INSERT INTO po_lines (po, line, ipn, mpn, supplier_pn, manufacturer, qty_ordered, "
	"qty_received, lot, max_dc_age_months, coc_required, tolerance_pct, status, updated_seq) "
	"VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 'open', ?) "
	"ON CONFLICT (po, line) DO UPDATE SET ipn = excluded.ipn, mpn = excluded.mpn, "
	"supplier_pn = excluded.supplier_pn, manufacturer = excluded.manufacturer, "
	"qty_ordered = excluded.qty_ordered, lot = excluded.lot, "
	"max_dc_age_months = excluded.max_dc_age_months, coc_required = excluded.coc_required, "
	"tolerance_pct = excluded.tolerance_pct, updated_seq = excluded.updated_seq";

/* Write one PO line from its record (nullable fields stay NULL). */
static int
line_upsert(ecms *h, const json_t *r, int64_t seq)
{
	json_t *params =
		json_pack("[O,O,O,O,O,O,O,O,O,b,O,I]", json_object_get(r, "po"),
			  json_object_get(r, "line"), json_object_get(r, "ipn"),
			  json_object_get(r, "mpn"), json_object_get(r, "supplier_pn"),
			  json_object_get(r, "manufacturer"), json_object_get(r, "qty"),
			  json_object_get(r, "lot"), json_object_get(r, "max_dc_age_months"),
			  json_is_true(json_object_get(r, "coc_required")),
			  json_object_get(r, "tolerance_pct"), (json_int_t)seq);
	int rc;

	if (params == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	rc = ecms__exec_json(h, line_upsert_sql, params);
	json_decref(params);
	return rc;
}

static int
po_apply(ecms *h, const struct ecms__rec *recs, int n, const char *fname,
	 struct ecms__errlist *errs, ecms_import_report *rep)
{
	int rc;

	/* Check everything first: headers agree, lines unique, parts known. */
	for (int i = 0; i < n; i++) {
		const json_t *a = recs[i].obj;
		int64_t one;
		for (int j = 0; j < i; j++) {
			const json_t *b = recs[j].obj;
			if (strcmp(ecms__rs(a, "po"), ecms__rs(b, "po")) != 0)
				continue;
			if (ecms__ri(a, "line") == ecms__ri(b, "line"))
				ecms__errlist_add(errs, recs[i].line,
						  "%s:%d: PO %s line %lld appears again (first "
						  "on line %d)",
						  fname, recs[i].line, ecms__rs(a, "po"),
						  (long long)ecms__ri(a, "line"), recs[j].line);
			if (strcmp(ecms__rs(a, "supplier"), ecms__rs(b, "supplier")) ||
			    strcmp(ecms__rs(a, "order_date"), ecms__rs(b, "order_date")))
				ecms__errlist_add(errs, recs[i].line,
						  "%s:%d: PO %s has another supplier or order "
						  "date on line %d",
						  fname, recs[i].line, ecms__rs(a, "po"),
						  recs[j].line);
			break;
		}
		rc = ecms__query_int(h, &one, "SELECT 1 FROM suppliers WHERE id = ?", "t",
				     ecms__rs(a, "supplier"));
		if (rc == ECMS_ENOTFOUND)
			ecms__errlist_add(errs, recs[i].line,
					  "%s:%d: column 'supplier': no supplier '%s'", fname,
					  recs[i].line, ecms__rs(a, "supplier"));
		else if (rc)
			return rc;
		if ((rc = check_line(h, recs[i].obj, fname, recs[i].line, errs)))
			return rc;
	}
	if (errs->n)
		return ECMS_EINVAL;
	for (int i = 0; i < n; i++) {
		const json_t *r = recs[i].obj;
		const char *po = ecms__rs(r, "po");
		int64_t line = ecms__ri(r, "line"), received = 0, seq;
		ecms__stmt *st;
		json_t *old = NULL;
		bool created;

		/* The stored line, to compare and to keep its receipts. */
		rc = ecms__q(h, &st,
			     "SELECT l.qty_received, p.supplier, p.order_date, l.ipn, l.mpn, "
			     "l.supplier_pn, l.manufacturer, l.qty_ordered, l.lot, "
			     "l.max_dc_age_months, l.coc_required, l.tolerance_pct "
			     "FROM po_lines l JOIN purchase_orders p ON p.po = l.po "
			     "WHERE l.po = ? AND l.line = ?",
			     "ti", po, line);
		if (rc)
			return rc;
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW) {
			received = ecms__col_int(st, 0);
			old = json_pack(
				"{s:s,s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:b,s:f}", "po", po,
				"supplier", ecms__col_text(st, 1), "order_date",
				ecms__col_text(st, 2), "line", (json_int_t)line, "ipn",
				ecms__col_json(st, 3, 't'), "mpn", ecms__col_json(st, 4, 't'),
				"supplier_pn", ecms__col_json(st, 5, 't'), "manufacturer",
				ecms__col_json(st, 6, 't'), "qty", (json_int_t)ecms__col_int(st, 7),
				"lot", ecms__col_json(st, 8, 't'), "max_dc_age_months",
				ecms__col_json(st, 9, 'i'), "coc_required",
				(int)ecms__col_int(st, 10), "tolerance_pct",
				ecms__col_double(st, 11));
			rc = ECMS_OK;
		} else if (rc == ECMS__DONE) {
			rc = ECMS_OK;
		}
		ecms__done(h, st);
		if (rc)
			return rc;
		created = old == NULL;
		if (!created && json_equal(old, (json_t *)r)) {
			json_decref(old);
			rep->unchanged++;
			continue;
		}
		json_decref(old);
		if (ecms__ri(r, "qty") < received) {
			ecms__errlist_add(errs, recs[i].line,
					  "%s:%d: column 'qty': %lld is less than the %lld "
					  "already received on PO %s line %lld",
					  fname, recs[i].line, (long long)ecms__ri(r, "qty"),
					  (long long)received, po, (long long)line);
			return ECMS_EINVAL;
		}
		rc = ecms__event(h, created ? "po.line_created" : "po.line_updated",
				 json_deep_copy(r), &seq);
		if (rc == ECMS_OK)
			rc = ecms__exec(
				h,
				"INSERT INTO purchase_orders (po, supplier, order_date, "
				"status, updated_seq) VALUES (?, ?, ?, 'open', ?) "
				"ON CONFLICT (po) DO UPDATE SET supplier = excluded.supplier, "
				"order_date = excluded.order_date, "
				"updated_seq = excluded.updated_seq",
				"ttti", po, ecms__rs(r, "supplier"), ecms__rs(r, "order_date"),
				seq);
		if (rc == ECMS_OK) {
			const char *status = received == 0                    ? "open"
					     : received >= ecms__ri(r, "qty") ? "closed"
									      : "partial";
			rc = line_upsert(h, r, seq);
			if (rc == ECMS_OK)
				rc = ecms__exec(
					h,
					"UPDATE po_lines SET status = ? WHERE po = ? AND line = ?",
					"tti", status, po, line);
		}
		if (rc == ECMS_OK)
			rc = ecms__po_refresh(h, po, seq);
		if (rc) {
			ecms__errlist_add(errs, recs[i].line, "%s:%d: %s", fname, recs[i].line,
					  ecms_errmsg(h));
			return rc;
		}
		if (created)
			rep->created++;
		else
			rep->updated++;
	}
	return ECMS_OK;
}

int
ecms__po_refresh(ecms *h, const char *po, int64_t seq)
{
	int64_t open = 0, done = 0, any = 0;
	int rc;

	rc = ecms__query_int(h, &any, "SELECT COUNT(*) FROM po_lines WHERE po = ?", "t", po);
	if (rc == ECMS_OK)
		rc = ecms__query_int(
			h, &open, "SELECT COUNT(*) FROM po_lines WHERE po = ? AND qty_received = 0",
			"t", po);
	if (rc == ECMS_OK)
		rc = ecms__query_int(
			h, &done,
			"SELECT COUNT(*) FROM po_lines WHERE po = ? AND status = 'closed'", "t",
			po);
	if (rc)
		return rc;
	return ecms__exec(h, "UPDATE purchase_orders SET status = ?, updated_seq = ? WHERE po = ?",
			  "tit",
			  done == any   ? "closed"
			  : open == any ? "open"
					: "partial",
			  seq, po);
}

const struct ecms__importer ecms__import_po = { "po", &po_spec, po_apply };

static const struct ecms__col line_cols[] = {
	{ "line", 'i' },         { "ipn", 't' },           { "mpn", 't' },
	{ "supplier_pn", 't' },  { "manufacturer", 't' },  { "qty_ordered", 'i' },
	{ "qty_received", 'i' }, { "lot", 't' },           { "max_dc_age_months", 'i' },
	{ "coc_required", 'B' }, { "tolerance_pct", 'd' }, { "status", 't' },
};

int
ecms_po_get(ecms *h, const char *po, json_t **out)
{
	static const struct ecms__col cols[] = {
		{ "po", 't' }, { "supplier", 't' }, { "order_date", 't' }, { "status", 't' }
	};
	json_t *lines;
	int rc;

	rc = ecms__select_one(h,
			      "SELECT po, supplier, order_date, status FROM purchase_orders "
			      "WHERE po = ?",
			      po, cols, 4, out);
	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, "po", "no purchase order '%s'", po);
	if (rc)
		return rc;
	rc = ecms__select_all(h,
			      "SELECT line, ipn, mpn, supplier_pn, manufacturer, qty_ordered, "
			      "qty_received, lot, max_dc_age_months, coc_required, tolerance_pct, "
			      "status FROM po_lines WHERE po = ? ORDER BY line",
			      po, line_cols, (int)ECMS_ARRAY_LEN(line_cols), &lines);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	json_object_set_new(*out, "lines", lines);
	return ECMS_OK;
}

int
ecms_po_list(ecms *h, const char *status, json_t **out)
{
	static const struct ecms__col cols[] = { { "po", 't' },          { "supplier", 't' },
						 { "order_date", 't' },  { "status", 't' },
						 { "lines", 'i' },       { "qty_ordered", 'i' },
						 { "qty_received", 'i' } };
	if (status)
		return ecms__select_all(h,
					"SELECT p.po, p.supplier, p.order_date, p.status, "
					"COUNT(*), SUM(l.qty_ordered), SUM(l.qty_received) "
					"FROM purchase_orders p JOIN po_lines l ON l.po = p.po "
					"WHERE p.status = ? GROUP BY p.po, p.supplier, "
					"p.order_date, p.status ORDER BY p.order_date DESC, p.po",
					status, cols, 7, out);
	return ecms__select_all(h,
				"SELECT p.po, p.supplier, p.order_date, p.status, "
				"COUNT(*), SUM(l.qty_ordered), SUM(l.qty_received) "
				"FROM purchase_orders p JOIN po_lines l ON l.po = p.po "
				"GROUP BY p.po, p.supplier, p.order_date, p.status "
				"ORDER BY p.order_date DESC, p.po",
				NULL, cols, 7, out);
}
