/*
 * report.c: the data of the reports (report.h): a board's birth
 * certificate, an order's boards and summary, the compliance report, as
 * JSON; and the format dispatch. Rendering is in report_pdf.c (cairo),
 * report_html.c, and the order package's ZIP in report_zip.c.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "document.h"
#include "ecms/board.h"
#include "ecms/event.h"
#include "ecms/genealogy.h"
#include "ecms/quality.h"
#include "ecms/recall.h"
#include "ecms/receiving.h"
#include "master.h"
#include "report_int.h"

int
ecms_report_fmt_parse(const char *s)
{
	static const char *const names[] = { "json", "html", "pdf", "zip" };

	for (size_t i = 0; s && i < ECMS_ARRAY_LEN(names); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

json_t *
ecms__report_generated(ecms *h)
{
	char t[ECMS_TIME_LEN];

	return json_string(ecms_time_format(ecms_now(h), t));
}

int
ecms__report_log(ecms *h, json_t **out)
{
	int64_t seq;
	char hash[65];
	int rc = ecms_log_head(h, &seq, hash);

	*out = rc ? NULL : json_pack("{s:I,s:s}", "seq", (json_int_t)seq, "hash", hash);
	return rc;
}

/* Work order, product, revision, customer of a board into o. */
static int
board_header(ecms *h, const char *serial, const char *wo, json_t **out)
{
	ecms__stmt *st;
	json_t *o =
		json_pack("{s:s,s:o,s:n,s:n,s:n}", "serial", serial, "work_order",
			  wo ? json_string(wo) : json_null(), "product", "revision", "customer");
	int rc;

	*out = NULL;
	if (wo == NULL) {
		*out = o;
		return ECMS_OK;
	}
	rc = ecms__q(h, &st, "SELECT product, rev, customer FROM work_orders WHERE id = ?", "t",
		     wo);
	if (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		json_object_set_new(o, "product", ecms__col_json(st, 0, 't'));
		json_object_set_new(o, "revision", ecms__col_json(st, 1, 't'));
		json_object_set_new(o, "customer", ecms__col_json(st, 2, 't'));
	}
	ecms__done(h, st);
	if (rc != ECMS__ROW && rc != ECMS__DONE) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return ECMS_OK;
}

int
ecms__report_package(ecms *h, const char *uid, json_t **out)
{
	static const struct ecms__col cols[] = {
		{ "ipn", 't' },          { "description", 't' }, { "mpn", 't' },
		{ "manufacturer", 't' }, { "lot", 't' },         { "date_code", 't' },
		{ "supplier", 't' },     { "po", 't' },          { "coc", 't' },
		{ "coc_sha256", 't' },   { "rohs", 't' },        { "reach", 't' },
	};
	ecms__stmt *st;
	int rc;

	*out = NULL;
	rc = ecms__q(h, &st,
		     "SELECT p.ipn, t.description, p.mpn, p.manufacturer, p.lot, p.date_code, "
		     "p.supplier, p.po, p.coc, c.sha256, t.rohs, t.reach FROM packages p "
		     "LEFT JOIN parts t ON t.ipn = p.ipn LEFT JOIN cocs c ON c.id = p.coc "
		     "WHERE p.uid = ?",
		     "t", uid);
	if (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW)
		*out = ecms__row_object(st, cols, (int)ECMS_ARRAY_LEN(cols));
	ecms__done(h, st);
	if (rc == ECMS__DONE)
		*out = json_null(); /* a package ecms does not know */
	return rc == ECMS__ROW || rc == ECMS__DONE ? ECMS_OK : rc;
}

static const char *const pkg_keys[] = { "ipn",      "mpn", "manufacturer", "lot",       "date_code",
					"supplier", "po",  "coc",          "coc_sha256" };

static int
components(ecms *h, const json_t *trace, json_t **out)
{
	json_t *arr = json_array(), *p;
	size_t i;
	int rc = ECMS_OK;

	*out = NULL;
	json_array_foreach(json_object_get(trace, "parts"), i, p) {
		const char *uid = ecms__rs(p, "uid");
		json_t *c = json_pack("{s:O?,s:O?}", "refdes", json_object_get(p, "refdes"), "uid",
				      json_object_get(p, "uid")),
		       *pk = NULL, *cands = json_array(), *u;
		size_t k;
		if (uid && (rc = ecms__report_package(h, uid, &pk))) {
			json_decref(c);
			json_decref(cands);
			break;
		}
		for (k = 0; k < ECMS_ARRAY_LEN(pkg_keys); k++)
			json_object_set_new(c, pkg_keys[k],
					    pk && json_is_object(pk) &&
							    json_object_get(pk, pkg_keys[k])
						    ? json_incref(json_object_get(pk, pkg_keys[k]))
						    : json_null());
		json_object_set_new(c, "known_package",
				    json_boolean(uid == NULL || json_is_object(pk)));
		json_decref(pk);
		json_array_foreach(json_is_true(json_object_get(p, "ambiguous"))
					   ? json_object_get(p, "candidates")
					   : NULL,
				   k, u) {
			json_t *cp = NULL;
			if ((rc = ecms__report_package(h, json_string_value(u), &cp)))
				break;
			json_array_append_new(cands,
					      json_pack("{s:O,s:O?,s:O?,s:O?}", "uid", u, "ipn",
							json_object_get(cp, "ipn"), "lot",
							json_object_get(cp, "lot"), "date_code",
							json_object_get(cp, "date_code")));
			json_decref(cp);
		}
		json_object_set_new(c, "machine", json_incref(json_object_get(p, "machine")));
		json_object_set_new(c, "slot", json_incref(json_object_get(p, "slot")));
		json_object_set_new(c, "program", json_incref(json_object_get(p, "program")));
		json_object_set_new(c, "time", json_incref(json_object_get(p, "time")));
		json_object_set_new(c, "source", json_incref(json_object_get(p, "source")));
		json_object_set_new(c, "ambiguous", json_incref(json_object_get(p, "ambiguous")));
		json_object_set_new(c, "candidates", cands);
		/* json_incref(NULL) is NULL: keep the keys present. */
		json_array_append_new(arr, c);
		if (rc)
			break;
	}
	if (rc) {
		json_decref(arr);
		return rc;
	}
	/* Missing keys (json_object_set_new with NULL fails) stay absent;
	 * fill them with null so every component has the same shape. */
	json_array_foreach(arr, i, p) {
		static const char *const keys[] = { "machine", "slot",   "program",
						    "time",    "source", "ambiguous" };
		for (size_t k = 0; k < ECMS_ARRAY_LEN(keys); k++)
			if (json_object_get(p, keys[k]) == NULL)
				json_object_set_new(p, keys[k], json_null());
	}
	*out = arr;
	return ECMS_OK;
}

static void
route_add(json_t *route, const json_t *time, const char *step, const json_t *station,
	  const json_t *op, const json_t *result, const char *detail)
{
	json_array_append_new(route, json_pack("{s:O?,s:s,s:O?,s:O?,s:O?,s:s}", "time", time,
					       "step", step, "station", station, "operator", op,
					       "result", result, "detail", detail));
}

static int
cmp_time(const void *a, const void *b)
{
	const char *x = ecms__rs(*(json_t *const *)a, "time"),
		   *y = ecms__rs(*(json_t *const *)b, "time");
	int c = strcmp(x ? x : "", y ? y : "");

	/* Stable: equal times keep their order (the index is compared). */
	return c;
}

/* The route: placement passes and the quality records, in time order
 * (a stable sort: equal times keep placement, reflow, inspection, test,
 * repair order). */
/* A route step's detail (JSON object text) as "key value, ...". */
static void
detail_text(const char *js, char *d, size_t n)
{
	json_t *o = js ? json_loads(js, 0, NULL) : NULL, *v;
	const char *k;
	size_t l = 0;

	d[0] = '\0';
	if (!json_is_object(o)) {
		snprintf(d, n, "%s", js ? js : "");
		json_decref(o);
		return;
	}
	json_object_foreach(o, k, v) {
		char *t = json_is_string(v) ? NULL : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (l < n)
			l += (size_t)snprintf(d + l, n - l, "%s%s %s", l ? ", " : "", k,
					      t ? t : json_string_value(v));
		free(t); /* checksrc:ok jansson's allocator */
	}
	json_decref(o);
}

static json_t *
route_of(const json_t *trace, const json_t *q, const json_t *bj)
{
	json_t *route = json_array(), *e, *sorted;
	char d[256];
	size_t i, n;
	json_t **v;

	/* What stations reported (008_boards), but the quality records,
	 * which follow with their own detail. */
	json_array_foreach(json_object_get(bj, "route"), i, e) {
		const json_t *det = json_object_get(e, "detail");
		char *txt = NULL;
		if (json_object_get(det, "quality") ||
		    (json_is_string(det) && strstr(json_string_value(det), "\"quality\":")))
			continue;
		if (json_is_object(det))
			txt = json_dumps(det, JSON_COMPACT);
		detail_text(txt ? txt : json_string_value(det), d, sizeof(d));
		free(txt); /* checksrc:ok jansson's allocator */
		route_add(route, json_object_get(e, "time"), ecms__rs(e, "kind"),
			  json_object_get(e, "station"), json_object_get(e, "operator"),
			  json_object_get(e, "result"), d);
	}

	json_array_foreach(json_object_get(trace, "passes"), i, e) {
		snprintf(d, sizeof(d), "program %s v%lld, placed until %s", ecms__rs(e, "program"),
			 (long long)ecms__ri(e, "version"), ecms__rs(e, "end"));
		route_add(route, json_object_get(e, "start"), "placement",
			  json_object_get(e, "machine"), NULL, NULL, d);
	}
	json_array_foreach(json_object_get(q, "reflow"), i, e) {
		snprintf(d, sizeof(d), "reflow pass %lld (%s)", (long long)ecms__ri(e, "pass"),
			 ecms__rs(e, "source"));
		route_add(route, json_object_get(e, "time"), "reflow",
			  json_object_get(e, "station"), NULL, json_object_get(e, "result"), d);
	}
	json_array_foreach(json_object_get(q, "inspections"), i, e) {
		snprintf(d, sizeof(d), "%s, %zu defect%s", ecms__rs(e, "method"),
			 json_array_size(json_object_get(e, "defects")),
			 json_array_size(json_object_get(e, "defects")) == 1 ? "" : "s");
		route_add(route, json_object_get(e, "time"), "inspection",
			  json_object_get(e, "station"), json_object_get(e, "inspector"),
			  json_object_get(e, "result"), d);
	}
	json_array_foreach(json_object_get(q, "tests"), i, e) {
		snprintf(d, sizeof(d), "%s on %s (calibration %s)", ecms__rs(e, "method"),
			 ecms__rs(e, "equipment") ? ecms__rs(e, "equipment") : "-",
			 ecms__rs(e, "calibration"));
		route_add(route, json_object_get(e, "time"), "test", json_object_get(e, "station"),
			  json_object_get(e, "technician"), json_object_get(e, "result"), d);
	}
	json_array_foreach(json_object_get(q, "repairs"), i, e)
		route_add(route, json_object_get(e, "time"), "repair", NULL,
			  json_object_get(e, "operator"), json_object_get(e, "result"),
			  ecms__rs(e, "action"));
	/* Stable sort by time: insertion sort (routes are short). */
	n = json_array_size(route);
	v = ecms__calloc(n ? n : 1, sizeof(*v));
	if (v == NULL) {
		json_decref(route);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		size_t k = i;
		v[i] = json_array_get(route, i);
		while (k > 0 && cmp_time(&v[k - 1], &v[k]) > 0) {
			json_t *t = v[k - 1];
			v[k - 1] = v[k];
			v[k] = t;
			k--;
		}
	}
	sorted = json_array();
	for (i = 0; i < n; i++)
		json_array_append(sorted, v[i]);
	ecms__free(v);
	json_decref(route);
	return sorted;
}

int
ecms_report_board_json(ecms *h, const char *serial, json_t **out)
{
	json_t *trace = NULL, *q = NULL, *o = NULL, *v = NULL, *bj = NULL;
	static const char *const qkeys[] = { "reflow",  "inspections", "tests",
					     "repairs", "findings",    "result" };
	int rc;

	*out = NULL;
	if (serial == NULL || *serial == '\0')
		return ecms__ctxfail(h, ECMS_EUSAGE, NULL, "a board report needs a serial");
	rc = ecms_gen_trace_board(h, serial, &trace);
	if (rc == ECMS_ENOTFOUND) {
		ecms_error_clear(&h->err);
		trace = NULL;
		rc = ECMS_OK;
	}
	if (rc == ECMS_OK)
		rc = ecms_quality_board(h, serial, &q);
	if (rc == ECMS_OK && (rc = ecms_board_get(h, serial, &bj)) == ECMS_ENOTFOUND) {
		ecms_error_clear(&h->err);
		bj = NULL;
		rc = ECMS_OK;
	}
	if (rc)
		goto out;
	if (trace == NULL && bj == NULL && strcmp(ecms__rs(q, "result"), "none") == 0) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "serial",
				   "no board '%s': neither its genealogy nor any process record "
				   "is known",
				   serial);
		goto out;
	}
	o = json_pack("{s:s,s:o}", "report", "board", "generated", ecms__report_generated(h));
	if ((rc = board_header(h, serial,
			       trace && ecms__rs(trace, "work_order")
				       ? ecms__rs(trace, "work_order")
				       : ecms__rs(bj, "work_order"),
			       &v)))
		goto out;
	{
		static const char *const bkeys[] = { "status",   "hold",     "panel",
						     "position", "shipment", "shipped" };
		for (size_t i = 0; i < ECMS_ARRAY_LEN(bkeys); i++) {
			json_t *x = json_object_get(bj, bkeys[i]);
			json_object_set_new(v, bkeys[i], x ? json_incref(x) : json_null());
		}
		json_object_set_new(v, "shipped_to",
				    json_object_get(bj, "customer_shipped")
					    ? json_incref(json_object_get(bj, "customer_shipped"))
					    : json_null());
	}
	json_object_set_new(o, "board", v);
	if ((rc = components(h, trace, &v)))
		goto out;
	json_object_set_new(o, "components", v);
	if ((v = route_of(trace, q, bj)) == NULL) {
		rc = ECMS_ENOMEM;
		goto out;
	}
	json_object_set_new(o, "route", v);
	for (size_t i = 0; i < ECMS_ARRAY_LEN(qkeys); i++) {
		json_object_set(o, qkeys[i], json_object_get(q, qkeys[i]));
		if (i == 3)
			json_object_set_new(o, "rework",
					    trace ? json_incref(json_object_get(trace, "rework"))
						  : json_array());
	}
	if ((rc = ecms__report_log(h, &v)))
		goto out;
	json_object_set_new(o, "log", v);
	*out = o;
	o = NULL;
out:
	json_decref(o);
	json_decref(trace);
	json_decref(q);
	json_decref(bj);
	return rc;
}

/* ------------------------------------------------------------------
 * Orders
 * ------------------------------------------------------------------ */

int
ecms__report_order_boards(ecms *h, const char *wo, json_t **out)
{
	ecms__stmt *st;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	rc = ecms__q(h, &st,
		     "SELECT serial FROM boards WHERE work_order = ? UNION "
		     "SELECT serial FROM gen_boards WHERE work_order = ? ORDER BY 1",
		     "tt", wo, wo);
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		json_array_append_new(arr, json_string(ecms__col_text(st, 0)));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE) {
		json_decref(arr);
		return rc;
	}
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return ecms__ctxfail(h, ECMS_ENOTFOUND, "work_order",
				     "work order '%s' has no boards", wo);
	}
	*out = arr;
	return ECMS_OK;
}

/* Count of the records of kind in a board report whose result passes. */
static void
tally(const json_t *b, const char *key, const char *ok, size_t *n, size_t *pass, size_t *fpy)
{
	json_t *arr = json_object_get(b, key), *e;
	size_t i;
	bool first = true;

	json_array_foreach(arr, i, e) {
		const char *r = ecms__rs(e, "result");
		bool p = r && ecms__streq_nocase(r, ok);
		(*n)++;
		if (p)
			(*pass)++;
		if (first && fpy && p)
			(*fpy)++;
		first = false;
	}
}

int
ecms__report_order_summary(ecms *h, const char *wo, const json_t *boards, json_t **out)
{
	size_t nb = json_array_size(boards), ni = 0, nip = 0, nt = 0, ntp = 0, tfpy = 0, tb = 0,
	       nr = 0, nrp = 0, nrep = 0, fail = 0, warn = 0, pass = 0, none = 0, i;
	json_t *b, *codes = json_object(), *rows = json_array(), *hdr = NULL, *v;
	int rc;

	*out = NULL;
	json_array_foreach(boards, i, b) {
		const char *res = ecms__rs(b, "result");
		size_t k;
		json_t *f;
		tally(b, "reflow", "pass", &nr, &nrp, NULL);
		tally(b, "inspections", "Passed", &ni, &nip, NULL);
		if (json_array_size(json_object_get(b, "tests")))
			tb++;
		tally(b, "tests", "Passed", &nt, &ntp, &tfpy);
		nrep += json_array_size(json_object_get(b, "repairs"));
		if (strcmp(res, "fail") == 0)
			fail++;
		else if (strcmp(res, "warn") == 0)
			warn++;
		else if (strcmp(res, "pass") == 0)
			pass++;
		else
			none++;
		json_array_foreach(json_object_get(b, "findings"), k, f) {
			const char *code = ecms__rs(f, "code"), *sev = ecms__rs(f, "severity");
			json_t *c;
			if (strcmp(sev, "info") == 0)
				continue;
			c = json_object_get(codes, code);
			if (c == NULL) {
				c = json_pack("{s:s,s:s,s:i,s:[]}", "code", code, "severity", sev,
					      "count", 0, "boards");
				json_object_set_new(codes, code, c);
			}
			json_object_set_new(c, "count", json_integer(ecms__ri(c, "count") + 1));
			v = json_object_get(c, "boards");
			if (json_array_size(v) == 0 ||
			    strcmp(json_string_value(json_array_get(v, json_array_size(v) - 1)),
				   ecms__rs(json_object_get(b, "board"), "serial")) != 0)
				json_array_append(
					v, json_object_get(json_object_get(b, "board"), "serial"));
		}
	}
	{
		const char *k;
		json_object_foreach(codes, k, v)
			json_array_append(rows, v);
	}
	if ((rc = board_header(h, "", wo, &hdr))) {
		json_decref(codes);
		json_decref(rows);
		return rc;
	}
	json_object_del(hdr, "serial");
	if ((rc = ecms__report_log(h, &v)) == ECMS_OK)
		*out = json_pack(
			"{s:s,s:o,s:o,s:{s:I,s:I,s:I,s:I,s:I},s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,"
			"s:I},s:o,s:o}",
			"report", "order", "generated", ecms__report_generated(h), "order", hdr,
			"boards", "total", (json_int_t)nb, "pass", (json_int_t)pass, "warn",
			(json_int_t)warn, "fail", (json_int_t)fail, "no_records", (json_int_t)none,
			"records", "reflow", (json_int_t)nr, "reflow_pass", (json_int_t)nrp,
			"inspections", (json_int_t)ni, "inspections_passed", (json_int_t)nip,
			"tests", (json_int_t)nt, "tests_passed", (json_int_t)ntp, "boards_tested",
			(json_int_t)tb, "first_pass_test", (json_int_t)tfpy, "repairs",
			(json_int_t)nrep, "findings", rows, "log", v);
	else
		json_decref(hdr), json_decref(rows);
	json_decref(codes);
	return rc;
}

/* ------------------------------------------------------------------
 * Compliance
 * ------------------------------------------------------------------ */

static const char *
part_status(const char *rohs, const char *reach, const char **note)
{
	*note = "";
	if (!rohs || !reach || strcmp(rohs, "unknown") == 0 || strcmp(reach, "unknown") == 0) {
		*note = "no RoHS/REACH declaration in the part master data";
		return "missing";
	}
	if (strcmp(rohs, "non-compliant") == 0) {
		*note = "not RoHS compliant";
		return "non-compliant";
	}
	if (strcmp(reach, "svhc") == 0) {
		*note = "contains a REACH SVHC above 0.1 %: declare to the customer (Art. 33)";
		return "svhc";
	}
	if (strcmp(rohs, "exempt") == 0) {
		*note = "RoHS exemption: name it in the declaration";
		return "exempt";
	}
	return "ok";
}

int
ecms_report_compliance_json(ecms *h, const char *wo, const char *serial, json_t **out)
{
	json_t *boards = NULL, *parts = json_object(), *plist = json_array(), *cocs = json_object(),
	       *clist = json_array(), *tests = json_array(), *b, *o = NULL, *hdr = NULL,
	       *audit = NULL;
	ecms_audit au;
	size_t i, flagged = 0;
	int rc, arc;

	*out = NULL;
	if ((wo == NULL) == (serial == NULL)) {
		rc = ecms__ctxfail(h, ECMS_EUSAGE, NULL,
				   "a compliance report covers an order or a board: give one");
		goto out;
	}
	if (wo) {
		if ((rc = ecms__report_order_boards(h, wo, &boards)))
			goto out;
		rc = board_header(h, "", wo, &hdr);
		if (rc == ECMS_OK)
			json_object_del(hdr, "serial");
	} else {
		struct ecms_gen_board gb;
		if ((rc = ecms_gen_board_get(h, serial, &gb))) {
			if (rc == ECMS_ENOTFOUND)
				rc = ecms__ctxfail(h, rc, "serial", "no board '%s'", serial);
			goto out;
		}
		rc = board_header(h, serial, gb.work_order, &hdr);
		ecms_gen_board_cleanup(&gb);
		boards = json_pack("[s]", serial);
	}
	if (rc)
		goto out;
	json_array_foreach(boards, i, b) {
		struct ecms_gen_board gb;
		const char *sn = json_string_value(b);
		json_t *seen = json_object();
		if ((rc = ecms_gen_board_get(h, sn, &gb))) {
			json_decref(seen);
			goto out;
		}
		for (size_t k = 0; rc == ECMS_OK && k < gb.nparts; k++) {
			const struct ecms_gen_part *p = &gb.parts[k];
			const char *one[1] = { p->uid };
			const char *const *uids = p->uid ? one : p->candidates;
			size_t nu = p->uid ? 1 : p->ncandidates;
			for (size_t u = 0; rc == ECMS_OK && u < nu; u++) {
				json_t *pk = NULL, *e;
				char key[400];
				if ((rc = ecms__report_package(h, uids[u], &pk)))
					break;
				if (!json_is_object(pk)) {
					snprintf(key, sizeof(key), "?%s", uids[u]);
					json_decref(pk);
					pk = json_pack("{s:n,s:n,s:n,s:n,s:n,s:n,s:n}", "ipn",
						       "description", "mpn", "manufacturer", "rohs",
						       "reach", "coc");
				} else {
					snprintf(key, sizeof(key), "%s\t%s\t%s",
						 ecms__rs(pk, "ipn") ? ecms__rs(pk, "ipn") : "",
						 ecms__rs(pk, "mpn") ? ecms__rs(pk, "mpn") : "",
						 ecms__rs(pk, "manufacturer")
							 ? ecms__rs(pk, "manufacturer")
							 : "");
				}
				e = json_object_get(parts, key);
				if (e == NULL) {
					const char *note,
						*st = part_status(ecms__rs(pk, "rohs"),
								  ecms__rs(pk, "reach"), &note);
					e = json_pack(
						"{s:O?,s:O?,s:O?,s:O?,s:s,s:s,s:i,s:i,s:s,s:s}",
						"ipn", json_object_get(pk, "ipn"), "description",
						json_object_get(pk, "description"), "mpn",
						json_object_get(pk, "mpn"), "manufacturer",
						json_object_get(pk, "manufacturer"), "rohs",
						ecms__rs(pk, "rohs") ? ecms__rs(pk, "rohs")
								     : "unknown",
						"reach",
						ecms__rs(pk, "reach") ? ecms__rs(pk, "reach")
								      : "unknown",
						"refdes", 0, "boards", 0, "status", st, "note",
						json_is_null(json_object_get(pk, "ipn"))
							? "a package ecms does not know"
							: note);
					json_object_set_new(parts, key, e);
				}
				json_object_set_new(e, "refdes",
						    json_integer(ecms__ri(e, "refdes") + 1));
				if (json_object_get(seen, key) == NULL) {
					json_object_set_new(seen, key, json_true());
					json_object_set_new(
						e, "boards",
						json_integer(ecms__ri(e, "boards") + 1));
				}
				if (ecms__rs(pk, "coc") &&
				    json_object_get(cocs, ecms__rs(pk, "coc")) == NULL)
					json_object_set_new(cocs, ecms__rs(pk, "coc"), json_true());
				json_decref(pk);
			}
		}
		ecms_gen_board_cleanup(&gb);
		json_decref(seen);
		if (rc)
			goto out;
		{
			json_t *q = NULL, *t;
			size_t k;
			if ((rc = ecms_quality_board(h, sn, &q)))
				goto out;
			json_array_foreach(json_object_get(q, "tests"), k, t)
				json_array_append_new(
					tests,
					json_pack("{s:s,s:O?,s:O?,s:O?,s:O?,s:O?,s:O?,s:I}",
						  "serial", sn, "time", json_object_get(t, "time"),
						  "method", json_object_get(t, "method"), "station",
						  json_object_get(t, "station"), "equipment",
						  json_object_get(t, "equipment"), "calibration",
						  json_object_get(t, "calibration"), "result",
						  json_object_get(t, "result"), "measurements",
						  (json_int_t)json_array_size(
							  json_object_get(t, "measurements"))));
			json_decref(q);
		}
	}
	{
		/* Parts sorted by IPN, MPN (the keys sort that way). */
		const char **keys = ecms__calloc(json_object_size(parts) + 1, sizeof(*keys));
		const char *k;
		json_t *v;
		size_t n = 0;
		if (keys == NULL) {
			rc = ECMS_ENOMEM;
			goto out;
		}
		json_object_foreach(parts, k, v)
			keys[n++] = k;
		for (size_t x = 1; x < n; x++)
			for (size_t y = x; y > 0 && strcmp(keys[y - 1], keys[y]) > 0; y--) {
				const char *t = keys[y - 1];
				keys[y - 1] = keys[y];
				keys[y] = t;
			}
		for (size_t x = 0; x < n; x++) {
			v = json_object_get(parts, keys[x]);
			if (strcmp(ecms__rs(v, "status"), "ok") != 0)
				flagged++;
			json_array_append(plist, v);
		}
		ecms__free(keys);
		n = 0;
		keys = ecms__calloc(json_object_size(cocs) + 1, sizeof(*keys));
		if (keys == NULL) {
			rc = ECMS_ENOMEM;
			goto out;
		}
		json_object_foreach(cocs, k, v)
			keys[n++] = k;
		for (size_t x = 1; x < n; x++)
			for (size_t y = x; y > 0 && strcmp(keys[y - 1], keys[y]) > 0; y--) {
				const char *t = keys[y - 1];
				keys[y - 1] = keys[y];
				keys[y] = t;
			}
		for (size_t x = 0; rc == ECMS_OK && x < n; x++) {
			json_t *c = NULL;
			if ((rc = ecms_coc_get(h, keys[x], &c)) == ECMS_OK) {
				json_object_set_new(
					c, "verified",
					json_incref(json_object_get(c, "document_verified")));
				json_object_del(c, "document_verified");
				json_array_append_new(clist, c);
			}
		}
		ecms__free(keys);
		if (rc)
			goto out;
	}
	arc = ecms_audit_verify(h, &au);
	if (arc != ECMS_OK && arc != ECMS_ETAMPER) {
		rc = arc;
		goto out;
	}
	ecms_error_clear(&h->err);
	audit = json_pack("{s:b,s:I,s:I,s:s,s:I,s:s}", "verified", arc == ECMS_OK, "events",
			  (json_int_t)au.events, "head_seq", (json_int_t)au.head_seq, "head_hash",
			  au.head_hash, "first_bad_seq", (json_int_t)au.first_bad_seq, "reason",
			  au.reason);
	o = json_pack("{s:s,s:o,s:o,s:O,s:O,s:I,s:O,s:O,s:o}", "report", "compliance", "generated",
		      ecms__report_generated(h), "scope", hdr, "boards", boards, "parts", plist,
		      "flagged", (json_int_t)flagged, "cocs", clist, "tests", tests, "audit",
		      audit);
	hdr = audit = NULL;
	*out = o;
out:
	json_decref(hdr);
	json_decref(audit);
	json_decref(boards);
	json_decref(parts);
	json_decref(plist);
	json_decref(cocs);
	json_decref(clist);
	json_decref(tests);
	return rc;
}

/* ------------------------------------------------------------------
 * Formats
 * ------------------------------------------------------------------ */

const char *
ecms__report_upper_result(const char *r)
{
	return !r                   ? "-"
	       : !strcmp(r, "fail") ? "FAIL"
	       : !strcmp(r, "warn") ? "WARN"
	       : !strcmp(r, "pass") ? "PASS"
				    : "NO RECORDS";
}

void
ecms__report_scalar(const json_t *v, const char *none, char *buf, size_t n)
{
	if (json_is_string(v))
		snprintf(buf, n, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, n, "%.6g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, n, "%s", json_is_true(v) ? "yes" : "no");
	else
		snprintf(buf, n, "%s", none);
}

const char *
ecms__report_join(const json_t *arr, const char *sep, char *buf, size_t n)
{
	size_t k;
	json_t *v;

	buf[0] = '\0';
	json_array_foreach(arr, k, v) {
		size_t l = strlen(buf);
		snprintf(buf + l, n - l, "%s%s", k ? sep : "", json_string_value(v));
	}
	return buf;
}

int
ecms__report_json_bytes(ecms *h, json_t *j, unsigned char **out, size_t *len)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	size_t n;

	*out = NULL;
	*len = 0;
	if (s == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory for the report");
	n = strlen(s);
	*out = ecms__malloc(n + 2);
	if (*out == NULL) {
		free(s); /* checksrc:ok jansson's allocator */
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory for the report");
	}
	memcpy(*out, s, n);
	(*out)[n] = '\n';
	(*out)[n + 1] = '\0';
	*len = n + 1;
	free(s); /* checksrc:ok jansson's allocator */
	return ECMS_OK;
}

/* Check that fmt is one of a one-document report's (what names it). */
static int
doc_fmt_check(ecms *h, enum ecms_report_fmt fmt, const char *what, unsigned char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (fmt != ECMS_REPORT_JSON && fmt != ECMS_REPORT_HTML && fmt != ECMS_REPORT_PDF)
		return ecms__ctxfail(h, ECMS_EUSAGE, "format", "%s is json, html or pdf", what);
	return ECMS_OK;
}

/* Render j (the reference is taken) as fmt: JSON, HTML by html, PDF of kind. */
static int
doc_render(ecms *h, json_t *j, enum ecms_report_fmt fmt,
	   int (*html)(ecms *h, const json_t *j, unsigned char **out, size_t *len),
	   enum ecms__pdf_kind kind, unsigned char **out, size_t *len)
{
	int rc;

	if (fmt == ECMS_REPORT_JSON)
		rc = ecms__report_json_bytes(h, j, out, len);
	else if (fmt == ECMS_REPORT_HTML)
		rc = html(h, j, out, len);
	else
		rc = ecms__report_pdf(h, kind, j, NULL, out, len);
	json_decref(j);
	return rc;
}

int
ecms_report_board(ecms *h, const char *serial, enum ecms_report_fmt fmt, unsigned char **out,
		  size_t *len)
{
	json_t *j = NULL;
	int rc;

	if ((rc = doc_fmt_check(h, fmt, "a board report", out, len)))
		return rc;
	if ((rc = ecms_report_board_json(h, serial, &j)))
		return rc;
	return doc_render(h, j, fmt, ecms__report_board_html, ECMS__PDF_BOARD, out, len);
}

int
ecms_report_compliance(ecms *h, const char *wo, const char *serial, enum ecms_report_fmt fmt,
		       unsigned char **out, size_t *len)
{
	json_t *j = NULL;
	int rc;

	if ((rc = doc_fmt_check(h, fmt, "a compliance report", out, len)))
		return rc;
	if ((rc = ecms_report_compliance_json(h, wo, serial, &j)))
		return rc;
	return doc_render(h, j, fmt, ecms__report_compliance_html, ECMS__PDF_COMPLIANCE, out, len);
}

/* ------------------------------------------------------------------
 * Reflow helpers for the renderers
 * ------------------------------------------------------------------ */

int
ecms__report_profile(ecms *h, const json_t *rec, struct ecms_reflow_profile **p,
		     struct ecms_reflow_window *w)
{
	const char *win = ecms__rs(rec, "window"), *sha = ecms__rs(rec, "profile_sha256");
	ecms_error e;
	void *data;
	size_t len;
	int rc;

	*p = NULL;
	ecms_reflow_window_default(w);
	/* The window the record was checked with, "key=value" lines. */
	for (const char *l = win; l && *l;) {
		const char *nl = strchr(l, '\n'), *eq = strchr(l, '=');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		char key[64], val[64];
		if (eq && (size_t)(eq - l) < n && (size_t)(eq - l) < sizeof(key) &&
		    n - (size_t)(eq - l) - 1 < sizeof(val)) {
			memcpy(key, l, (size_t)(eq - l));
			key[eq - l] = '\0';
			memcpy(val, eq + 1, n - (size_t)(eq - l) - 1);
			val[n - (size_t)(eq - l) - 1] = '\0';
			if (ecms_reflow_window_set(w, key, val, &e))
				return ecms__ctxfail(h, ECMS_EINTERNAL, NULL,
						     "stored reflow window: %s", e.message);
		}
		l = nl ? nl + 1 : l + n;
	}
	if (sha == NULL)
		return ECMS_OK;
	if ((rc = ecms__doc_get(h, sha, &data, &len)))
		return rc;
	rc = ecms_reflow_csv_parse(data, len, "profile", p, &e);
	ecms__free(data);
	if (rc)
		return ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "stored profile %s: %s", sha,
				     e.message);
	return ECMS_OK;
}

static void
fmt_num(char *b, size_t n, double v)
{
	if (isnan(v))
		snprintf(b, n, "-");
	else if (fabs(v) >= 100)
		snprintf(b, n, "%.1f", v);
	else
		snprintf(b, n, "%.2f", v);
}

const char *
ecms__report_metric_label(enum ecms_reflow_metric m)
{
	static const char *const names[] = { "Max ramp-up rate",         "Soak time (150-200 °C)",
					     "Time above liquidus",      "Peak temperature",
					     "Time within 5 °C of peak", "Max cooling rate",
					     "Time 25 °C to peak" };

	return (unsigned)m < ECMS_ARRAY_LEN(names) ? names[m] : "?";
}

/* A limit: up to 2 decimals, trailing zeros dropped ("30", "2.5"). */
static void
fmt_lim(char *b, size_t n, double v)
{
	size_t l;

	snprintf(b, n, "%.2f", v);
	l = strlen(b);
	while (l > 0 && b[l - 1] == '0')
		b[--l] = '\0';
	if (l > 0 && b[l - 1] == '.')
		b[--l] = '\0';
}

/* "lo - hi", "<= hi", ">= lo" or "" when neither is set. */
static void
range_text(double lo, double hi, char *buf, size_t n)
{
	char a[32], b[32];

	fmt_lim(a, sizeof(a), lo);
	fmt_lim(b, sizeof(b), hi);
	if (!isnan(lo) && !isnan(hi))
		snprintf(buf, n, "%s - %s", a, b);
	else if (!isnan(hi))
		snprintf(buf, n, "<= %s", b);
	else if (!isnan(lo))
		snprintf(buf, n, ">= %s", a);
	else
		buf[0] = '\0';
}

void
ecms__report_metric(const json_t *rec, const struct ecms_reflow_window *w,
		    enum ecms_reflow_metric m, char *measured, size_t nm, char *limits, size_t nl,
		    const char **status)
{
	const char *name = ecms_reflow_metric_name(m);
	const json_t *s =
		json_object_get(json_object_get(json_object_get(rec, "metrics"), "summary"), name);
	const struct ecms_reflow_limits *l = &w->lim[m];
	const char *kind = ecms__rs(s, "kind");
	double lo = json_number_value(json_object_get(s, "min")),
	       hi = json_number_value(json_object_get(s, "max"));
	char a[32], b[32], prefix[96];
	size_t i, pl;
	json_t *f;

	if (!json_is_number(json_object_get(s, "min")) || !kind || strcmp(kind, "unknown") == 0) {
		snprintf(measured, nm, "not measurable");
	} else {
		fmt_num(a, sizeof(a), lo);
		fmt_num(b, sizeof(b), hi);
		if (strcmp(kind, "upper_bound") == 0)
			snprintf(measured, nm, "<= %s", b);
		else if (strcmp(a, b) == 0)
			snprintf(measured, nm, "%s", a);
		else
			snprintf(measured, nm, "%s - %s", a, b);
	}
	{
		char hard[80], warn[80];
		range_text(l->min, l->max, hard, sizeof(hard));
		range_text(l->warn_min, l->warn_max, warn, sizeof(warn));
		if (*hard && *warn)
			snprintf(limits, nl, "%s (warn %s)", hard, warn);
		else if (*hard)
			snprintf(limits, nl, "%s", hard);
		else if (*warn)
			snprintf(limits, nl, "warn %s", warn);
		else
			snprintf(limits, nl, "-");
	}
	pl = (size_t)snprintf(prefix, sizeof(prefix), "reflow.%s_", name);
	*status = measured[0] == 'n' ? "n/a" : "PASS";
	json_array_foreach(json_object_get(rec, "findings"), i, f) {
		const char *code = ecms__rs(f, "code"), *sev = ecms__rs(f, "severity");
		if (!code || strncmp(code, prefix, pl) != 0)
			continue;
		if (strcmp(sev, "fail") == 0)
			*status = "FAIL";
		else if (strcmp(sev, "warn") == 0 && strcmp(*status, "FAIL") != 0)
			*status = "WARN";
	}
}

/* ------------------------------------------------------------------
 * Recall notice
 * ------------------------------------------------------------------ */

int
ecms_report_recall_json(ecms *h, const char *id, json_t **out)
{
	json_t *r = NULL, *log = NULL, *sc;
	char method[900];
	int rc;

	*out = NULL;
	if (id == NULL || *id == '\0')
		return ecms__ctxfail(h, ECMS_EUSAGE, NULL, "a recall notice needs a recall ID");
	if ((rc = ecms_recall_get(h, id, &r)))
		return rc;
	if ((rc = ecms__report_log(h, &log))) {
		json_decref(r);
		return rc;
	}
	sc = json_object_get(r, "scope");
	snprintf(method, sizeof(method),
		 "Every package of lot %s%s%s known to ecms (split packages followed) was traced "
		 "forward through the placement genealogy: for each board, the reel that fed each "
		 "reference designator, from the machines' exact records (CFX MaterialsInstalled) "
		 "or the feeder setup timeline. A refdes listed as ambiguous was fed by one of "
		 "several reels that a splice could not tell apart (IPC-1782 M2); it is included, "
		 "not guessed away. Rework is applied: a component replaced since no longer "
		 "counts, its replacement does.",
		 json_is_string(json_object_get(sc, "lot")) ? ecms__rs(sc, "lot") : "?",
		 json_is_string(json_object_get(sc, "mpn")) ? " of MPN " : "",
		 json_is_string(json_object_get(sc, "mpn")) ? ecms__rs(sc, "mpn") : "");
	*out = json_pack("{s:s,s:o,s:o,s:s,s:o}", "report", "recall", "generated",
			 ecms__report_generated(h), "recall", r, "method", method, "log", log);
	return *out ? ECMS_OK : ECMS_ENOMEM;
}

int
ecms_report_recall(ecms *h, const char *id, enum ecms_report_fmt fmt, unsigned char **out,
		   size_t *len)
{
	json_t *j = NULL;
	int rc;

	if ((rc = doc_fmt_check(h, fmt, "a recall notice", out, len)))
		return rc;
	if ((rc = ecms_report_recall_json(h, id, &j)))
		return rc;
	return doc_render(h, j, fmt, ecms__report_recall_html, ECMS__PDF_RECALL, out, len);
}
