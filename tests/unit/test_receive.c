/*
 * test_receive.c: receiving and incoming inspection. Every rule is tested
 * both ways (it fires on a bad package and stays quiet on a good one);
 * refusals write nothing; quarantine decisions are signed and checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"
#include "ecms/auth.h"
#include "ecms/event.h"
#include "ecms/master.h"
#include "ecms/receiving.h"
#include "store/store.h"

#define GS  "\x1d"
#define RS  "\x1e"
#define EOT "\x04"

static void
import(ecms *h, const char *kind, const char *name, const char *text)
{
	char *p = tu_write_file(name, text);
	ecms_import_report rep;

	if (ecms_import(h, kind, p, &rep) != ECMS_OK)
		fail_msg("import %s: %s\n%s", name, ecms_errmsg(h), rep.errors ? rep.errors : "");
	ecms_import_report_cleanup(&rep);
	free(p);
}

/* A small factory at 2026-01-15. */
static ecms *
factory(const char *db)
{
	ecms *h = tu_open_store(db);

	import(h, "parts", "parts.csv",
	       "ipn,description,category,aml,msl,thickness_mm,std_pack,max_dc_age_months\n"
	       "C1,cap,capacitor,GRM1@Murata;CL1@Samsung,1,,10000,\n"
	       "U1,ic,ic,TPS1@Texas Instruments,3,1.0,1000,\n"
	       "U2,ic unknown msl,ic,XYZ1@Acme,,,1000,\n"
	       "U3,old-ok ic,ic,OLD1@Texas Instruments,1,,1000,120\n");
	import(h, "suppliers", "sup.csv",
	       "id,name,status,authorised,franchises,iso9001_cert,iso9001_expiry\n"
	       "DK,Digi-Key,approved,yes,,C1,2027-01-01\n"
	       "TTI,TTI,approved,yes,Murata,C2,2027-01-01\n"
	       "BRK,Broker,conditional,no,,C3,2027-01-01\n"
	       "BLK,Blocked,blocked,yes,,C4,2027-01-01\n"
	       "OLD,Lapsed,approved,yes,,C5,2025-06-30\n");
	import(h, "locations", "loc.csv",
	       "id,name,kind\nRCV,Receiving,receiving\nQH,Quarantine,quarantine\nS1,Shelf,shelf\n");
	import(h, "users", "users.csv",
	       "id,name,role,badge\nquinn,Quinn Q,qa,B-1\nwes,Wes W,warehouse,B-2\n");
	import(h, "po", "po.csv",
	       "po,supplier,order_date,line,ipn,mpn,qty,lot,max_dc_age_months,coc_required,"
	       "tolerance_pct\n"
	       "P1,DK,2026-01-02,1,C1,,20000,,,no,0\n"
	       "P1,DK,2026-01-02,2,U1,,2000,LOTA,,no,0\n"
	       "P1,DK,2026-01-02,3,U2,,1000,,,no,0\n"
	       "P1,DK,2026-01-02,4,U3,,1000,,,no,0\n"
	       "P1,DK,2026-01-02,5,U1,,1000,,6,yes,10\n"
	       "P2,TTI,2026-01-02,1,U1,,1000,,,no,0\n"
	       "P2,TTI,2026-01-02,2,C1,,10000,,,no,0\n"
	       "P3,BRK,2026-01-02,1,U1,,1000,,,no,0\n"
	       "P4,BLK,2026-01-02,1,C1,,10000,,,no,0\n"
	       "P5,OLD,2026-01-02,1,C1,,10000,,,no,0\n");
	import(h, "po", "po2.csv",
	       "po,supplier,order_date,line,ipn,manufacturer,qty\n"
	       "P6,DK,2026-01-02,1,C1,Murata,20000\n");
	assert_int_equal(ecms_set_actor(h, "wes", "dock1"), 0);
	return h;
}

/* An EIGP 114 label. */
static char *
eigp(const char *mpn, const char *qty, const char *lot, const char *dc, const char *extra)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), "[)>" RS "06" GS "1P%s" GS "Q%s" GS "1T%s" GS "9D%s%s" RS EOT,
		 mpn, qty, lot, dc, extra ? extra : "");
	return buf;
}

static json_t *
recv_ok(ecms *h, const char *po, const char *scan)
{
	ecms_receive_req r = { .po = po, .scan = scan, .scan_len = strlen(scan) };
	json_t *out = NULL;

	if (ecms_receive(h, &r, &out) != ECMS_OK)
		fail_msg("receive: %s", ecms_errmsg(h));
	return out;
}

static bool
has_rule(const json_t *res, const char *rule)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(res, "reasons"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "rule")), rule) == 0)
			return true;
	return false;
}

static const char *
status(const json_t *res)
{
	return json_string_value(json_object_get(res, "status"));
}

/* Receive and check: the rule fires (want) or not, and the status. */
static void
expect(ecms *h, const char *po, const char *scan, const char *rule, bool want, const char *st)
{
	json_t *r = recv_ok(h, po, scan);

	if (has_rule(r, rule) != want || (st && strcmp(status(r), st) != 0)) {
		char *d = json_dumps(r, JSON_INDENT(1));
		fail_msg("rule %s %s expected, status %s:\n%s", rule, want ? "" : "not", st, d);
	}
	json_decref(r);
}

static void
test_clean_receipt(void **state)
{
	ecms *h = factory("clean.db");
	json_t *r = recv_ok(h, "P1", eigp("GRM1", "10000", "L1", "2551", NULL)), *pkg;
	const char *uid = json_string_value(json_object_get(r, "uid"));
	json_t *po;

	assert_string_equal(status(r), "accepted");
	assert_int_equal(json_array_size(json_object_get(r, "reasons")), 0);
	assert_string_equal(json_string_value(json_object_get(r, "ipn")), "C1");
	assert_string_equal(json_string_value(json_object_get(r, "manufacturer")), "Murata");
	assert_string_equal(json_string_value(json_object_get(r, "location")), "RCV");
	assert_int_equal(json_integer_value(json_object_get(r, "po_line")), 1);
	assert_int_equal(strncmp(uid, "XU", 2), 0);
	assert_int_equal(ecms_package_get(h, uid, &pkg), 0);
	assert_string_equal(json_string_value(json_object_get(pkg, "status")), "available");
	json_decref(pkg);
	assert_int_equal(ecms_po_get(h, "P1", &po), 0);
	assert_string_equal(json_string_value(json_object_get(po, "status")), "partial");
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(json_object_get(po, "lines"), 0), "qty_received")),
			 10000);
	json_decref(po);
	json_decref(r);
	ecms_close(h);
}

static void
test_rule_po_line(void **state)
{
	ecms *h = factory("poline.db");

	expect(h, "P1", eigp("GRM1", "100", "L1", "2551", NULL), "po.line", false, "accepted");
	/* Not on the PO at all. */
	expect(h, "P5", eigp("TPS1", "100", "L1", "2551", NULL), "po.line", true, "quarantined");
	ecms_close(h);
}

static void
test_rule_part_aml_and_manufacturer(void **state)
{
	ecms *h = factory("aml.db");

	/* The Samsung alternate is on the AML: fine. */
	expect(h, "P1", eigp("CL1", "100", "L1", "2551", GS "1VSamsung"), "mpn.manufacturer", false,
	       "accepted");
	/* A label that says another manufacturer made this MPN: signal. */
	expect(h, "P1", eigp("GRM1", "100", "L2", "2551", GS "1VVishay"), "mpn.manufacturer", true,
	       "quarantined");
	/* The PO line asks for Murata: the Samsung alternate is not what was ordered. */
	expect(h, "P6", eigp("CL1", "100", "L3", "2551", NULL), "part.aml", true, "quarantined");
	expect(h, "P6", eigp("GRM1", "100", "L4", "2551", NULL), "part.aml", false, "accepted");
	/* "TI" on a Mouser label is Texas Instruments. */
	expect(h, "P1", eigp("TPS1", "100", "LOTA", "2551", GS "1VTI"), "mpn.manufacturer", false,
	       "accepted");
	ecms_close(h);
}

static void
test_rule_supplier(void **state)
{
	ecms *h = factory("sup.db");
	json_t *r;

	expect(h, "P4", eigp("GRM1", "100", "L1", "2551", NULL), "supplier.status", true,
	       "quarantined");
	expect(h, "P1", eigp("GRM1", "100", "L0", "2551", NULL), "supplier.status", false,
	       "accepted");
	expect(h, "P5", eigp("GRM1", "100", "L2", "2551", NULL), "supplier.iso9001", true,
	       "quarantined");
	expect(h, "P1", eigp("GRM1", "100", "L3", "2551", NULL), "supplier.iso9001", false,
	       "accepted");
	/* TTI is franchised for Murata, not for Texas Instruments. */
	expect(h, "P2", eigp("GRM1", "100", "L4", "2551", NULL), "supplier.authorised", false,
	       "accepted");
	r = recv_ok(h, "P2", eigp("TPS1", "100", "L5", "2551", NULL));
	assert_true(has_rule(r, "supplier.authorised"));
	assert_true(has_rule(r, "coc.required")); /* broker source needs a CoC */
	json_decref(r);
	/* Conditional approval is only a warning. */
	r = recv_ok(h, "P3", eigp("TPS1", "100", "L6", "2551", NULL));
	assert_true(has_rule(r, "supplier.status"));
	assert_true(has_rule(r, "supplier.authorised"));
	json_decref(r);
	ecms_close(h);
}

static void
test_rule_coc(void **state)
{
	ecms *h = factory("coc.db");
	const char *lots[] = { "L7" }, *lots2[] = { "L8" };
	char *p = tu_write_file("coc.pdf", "%PDF certificate"), *id, *id2;
	ecms_coc_new c = { "DK", "TPS1", lots, 1, "2026-01-01", NULL, p };
	ecms_coc_new c2 = { "DK", "TPS1", lots2, 1, "2025-01-01", "2025-12-31", p };

	/* Line 5 requires a CoC: none on file. */
	expect(h, "P1", eigp("TPS1", "100", "L7", "2551", GS "4K5"), "coc.required", true,
	       "quarantined");
	assert_int_equal(ecms_coc_add(h, &c, &id), 0);
	assert_int_equal(ecms_coc_add(h, &c2, &id2), 0);
	/* Found automatically for MPN + lot. */
	{
		json_t *r = recv_ok(h, "P1", eigp("TPS1", "100", "L7", "2551", GS "4K5" GS "S1"));
		assert_false(has_rule(r, "coc.required"));
		assert_string_equal(json_string_value(json_object_get(r, "coc")), id);
		json_decref(r);
	}
	/* An expired CoC does not count. */
	expect(h, "P1", eigp("TPS1", "100", "L8", "2551", GS "4K5"), "coc.required", true,
	       "quarantined");
	/* A CoC for the MPN but another lot does not cover this one. */
	expect(h, "P1", eigp("TPS1", "100", "L9", "2551", GS "4K5"), "coc.required", true,
	       "quarantined");
	/* Nor does one named by the clerk (--coc) for another lot. */
	{
		const char *scan = eigp("TPS1", "100", "L9", "2551", GS "4K5" GS "S2");
		ecms_receive_req rq = {
			.po = "P1", .scan = scan, .scan_len = strlen(scan), .coc = id
		};
		json_t *r = NULL;
		assert_int_equal(ecms_receive(h, &rq, &r), 0);
		assert_true(has_rule(r, "coc.required"));
		json_decref(r);
	}
	/* A valid CoC wins over a newer expired one for the same lot. */
	{
		const char *lots3[] = { "L7" };
		ecms_coc_new c3 = { "DK", "TPS1", lots3, 1, "2026-01-10", "2026-01-12", p };
		char *id3;
		json_t *r;
		assert_int_equal(ecms_coc_add(h, &c3, &id3), 0);
		r = recv_ok(h, "P1", eigp("TPS1", "100", "L7", "2551", GS "4K5" GS "S3"));
		assert_false(has_rule(r, "coc.required"));
		assert_string_equal(json_string_value(json_object_get(r, "coc")), id);
		json_decref(r);
		ecms_free(id3);
	}
	/* A CoC whose stored document was altered no longer counts. */
	assert_int_equal(ecms__exec(h, "UPDATE documents SET content = ?", "t", "forged"), 0);
	expect(h, "P1", eigp("TPS1", "100", "L7", "2551", GS "4K5" GS "S4"), "coc.required", true,
	       "quarantined");
	ecms_free(id);
	ecms_free(id2);
	free(p);
	ecms_close(h);
}

static void
test_rule_lot(void **state)
{
	ecms *h = factory("lot.db");

	expect(h, "P1", eigp("TPS1", "100", "LOTA", "2551", GS "4K2"), "lot.po", false, "accepted");
	expect(h, "P1", eigp("TPS1", "100", "LOTB", "2551", GS "4K2"), "lot.po", true,
	       "quarantined");
	expect(h, "P1", eigp("GRM1", "100", "N/T", "2551", NULL), "lot.missing", true,
	       "quarantined");
	expect(h, "P1", eigp("GRM1", "100", "L9", "2551", NULL), "lot.missing", false, NULL);
	ecms_close(h);
}

/* Change a receiving rule as the QA user, then act as wes at dock1 again. */
static int
rules_set(ecms *h, const char *rule, int enabled, const char *severity, const char *params)
{
	int rc;

	assert_int_equal(ecms_set_actor(h, "quinn", NULL), 0);
	rc = ecms_rules_set(h, rule, enabled, severity, params);
	assert_int_equal(ecms_set_actor(h, "wes", "dock1"), 0);
	return rc;
}

static void
test_rule_datecode(void **state)
{
	ecms *h = factory("dc.db");

	/* now = 2026-01-15 (week 2026-W03). */
	expect(h, "P1", eigp("GRM1", "10", "D1", "N/T", NULL), "datecode.missing", true,
	       "quarantined");
	expect(h, "P1", eigp("GRM1", "10", "D2", "2551", NULL), "datecode.missing", false, NULL);
	expect(h, "P1", eigp("GRM1", "10", "D3", "ABCD", NULL), "datecode.invalid", true,
	       "quarantined");
	expect(h, "P1", eigp("GRM1", "10", "D3B", "202551", NULL), "datecode.invalid", false,
	       "accepted");
	expect(h, "P1", eigp("GRM1", "10", "D4", "2610", NULL), "datecode.future", true,
	       "quarantined");
	expect(h, "P1", eigp("GRM1", "10", "D5", "2602", NULL), "datecode.future", false, NULL);
	/* Site default 24 months. */
	expect(h, "P1", eigp("GRM1", "10", "D6", "2301", NULL), "datecode.age", true,
	       "quarantined");
	expect(h, "P1", eigp("GRM1", "10", "D7", "2405", NULL), "datecode.age", false, NULL);
	/* Part limit 120 months beats the default. */
	expect(h, "P1", eigp("OLD1", "10", "D8", "2001", NULL), "datecode.age", false, NULL);
	/* PO line limit 6 months beats both. */
	expect(h, "P1", eigp("TPS1", "10", "D9", "2520", GS "4K5"), "datecode.age", true, NULL);
	/* The default is a site parameter. */
	assert_int_equal(rules_set(h, "datecode.age", -1, NULL, "{\"default_months\": 48}"), 0);
	expect(h, "P1", eigp("GRM1", "10", "D10", "2301", NULL), "datecode.age", false, NULL);
	ecms_close(h);
}

static void
test_rule_quantity(void **state)
{
	ecms *h = factory("qty.db");
	json_t *out = NULL;
	const char *scan;
	ecms_receive_req r = { .po = "P2" };
	int64_t before, after;

	expect(h, "P1", eigp("GRM1", "5000", "Q1", "2551", NULL), "qty.std_pack", false,
	       "accepted");
	expect(h, "P1", eigp("GRM1", "10001", "Q2", "2551", NULL), "qty.std_pack", true,
	       "quarantined");
	expect(h, "P1", eigp("GRM1", "0", "Q3", "2551", NULL), "qty.positive", true, "quarantined");
	expect(h, "P1", eigp("GRM1", "1", "Q3B", "2551", NULL), "qty.positive", false, "accepted");
	/* Over-receipt is refused and writes nothing. */
	assert_int_equal(ecms__query_int(h, &before, "SELECT COUNT(*) FROM events", ""), 0);
	scan = eigp("TPS1", "1001", "Q4", "2551", NULL);
	r.scan = scan;
	r.scan_len = strlen(scan);
	assert_int_equal(ecms_receive(h, &r, &out), ECMS_EREFUSED);
	assert_null(out);
	assert_non_null(strstr(ecms_errmsg(h), "over-receipt"));
	assert_int_equal(ecms__query_int(h, &after, "SELECT COUNT(*) FROM events", ""), 0);
	assert_true(before == after);
	/* Line 5 allows 10 %: 1100 of 1000 is fine. */
	expect(h, "P1", eigp("TPS1", "1100", "Q5", "2551", GS "4K5"), "qty.po", false, NULL);
	ecms_close(h);
}

static void
test_rule_msl(void **state)
{
	ecms *h = factory("msl.db");

	expect(h, "P1", eigp("XYZ1", "10", "M1", "2551", NULL), "part.msl", true, "quarantined");
	expect(h, "P1", eigp("GRM1", "10", "M2", "2551", NULL), "part.msl", false, "accepted");
	ecms_close(h);
}

static void
test_rule_duplicates(void **state)
{
	ecms *h = factory("dup.db");
	char first[1024];

	snprintf(first, sizeof(first), "%s", eigp("GRM1", "10", "U1", "2551", GS "SSER-1"));
	expect(h, "P1", first, "dup.label", false, "accepted");
	/* The same bytes again: cloned label. */
	expect(h, "P1", first, "dup.label", true, "quarantined");
	/* Another label with the same package serial. */
	expect(h, "P1", eigp("GRM1", "11", "U2", "2551", GS "SSER-1"), "dup.serial", true,
	       "quarantined");
	expect(h, "P1", eigp("GRM1", "11", "U3", "2551", GS "SSER-2"), "dup.serial", false,
	       "accepted");
	ecms_close(h);
}

static void
test_rules_can_be_disabled(void **state)
{
	ecms *h = factory("dis.db");
	json_t *l;

	/* Rules are a quality decision: a warehouse user may not change them. */
	assert_int_equal(ecms_set_actor(h, "wes", "dock1"), 0);
	assert_int_equal(ecms_rules_set(h, "lot.missing", 0, NULL, NULL), ECMS_EDENIED);
	assert_int_equal(rules_set(h, "lot.missing", 0, NULL, NULL), 0);
	expect(h, "P1", eigp("GRM1", "10", "N/T", "2551", NULL), "lot.missing", false, "accepted");
	assert_int_equal(rules_set(h, "dup.label", -1, "warning", NULL), 0);
	assert_int_equal(rules_set(h, "nope", 1, NULL, NULL), ECMS_ENOTFOUND);
	assert_int_equal(rules_set(h, "lot.po", 1, "maybe", NULL), ECMS_EINVAL);
	assert_int_equal(rules_set(h, "datecode.age", -1, NULL, "{\"x\": 1}"), ECMS_EINVAL);
	assert_int_equal(ecms_rules_list(h, &l), 0);
	assert_true(json_array_size(l) >= 19);
	json_decref(l);
	ecms_close(h);
}

static void
test_bad_input_writes_nothing(void **state)
{
	ecms *h = factory("bad.db");
	ecms_receive_req r = { .po = "P1", .scan = "hello", .scan_len = 5 };
	json_t *out = NULL;
	int64_t n;

	assert_int_equal(ecms_receive(h, &r, &out), ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "label:"));
	r.po = "NOPE";
	r.scan = eigp("GRM1", "10", "L", "2551", NULL);
	r.scan_len = strlen(r.scan);
	assert_int_equal(ecms_receive(h, &r, &out), ECMS_ENOTFOUND);
	r.po = "P1";
	r.coc = "COC-999";
	assert_int_equal(ecms_receive(h, &r, &out), ECMS_ENOTFOUND);
	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM packages", ""), 0);
	assert_true(n == 0);
	ecms_close(h);
}

static void
test_signed_decisions(void **state)
{
	ecms *h = factory("sign.db");
	json_t *r = recv_ok(h, "P3", eigp("TPS1", "100", "B1", "2551", NULL)), *out, *q, *pkg;
	char uid[32];
	const char *lots[] = { "B1" };
	char *p = tu_write_file("c.pdf", "cert"), *coc;
	ecms_coc_new c = { "BRK", "TPS1", lots, 1, "2026-01-01", NULL, p };
	ecms_sign good = { "quinn", ECMS_SECRET_PASSWORD, "correct horse" };
	ecms_sign bad = { "quinn", ECMS_SECRET_PASSWORD, "wrong horse" };
	ecms_sign wes = { "wes", ECMS_SECRET_PASSWORD, "warehouse pw" };
	int64_t n;

	snprintf(uid, sizeof(uid), "%s", json_string_value(json_object_get(r, "uid")));
	assert_string_equal(status(r), "quarantined");
	json_decref(r);
	assert_int_equal(ecms_quarantine_list(h, &q), 0);
	assert_int_equal(json_array_size(q), 1);
	json_decref(q);
	assert_int_equal(ecms_auth_set(h, "quinn", ECMS_SECRET_PASSWORD, "correct horse"), 0);
	assert_int_equal(ecms_auth_set(h, "wes", ECMS_SECRET_PASSWORD, "warehouse pw"), 0);
	/* Wrong role, wrong password: refused; the failed signature is logged. */
	assert_int_equal(
		ecms_decide(h, uid, ECMS_RELEASE, "looks fine", &wes, NULL, NULL, NULL, &out),
		ECMS_EDENIED);
	assert_int_equal(
		ecms_decide(h, uid, ECMS_RELEASE, "looks fine", &bad, NULL, NULL, NULL, &out),
		ECMS_EAUTH);
	assert_int_equal(ecms__query_int(h, &n,
					 "SELECT COUNT(*) FROM events WHERE type = "
					 "'signature.failed'",
					 ""),
			 0);
	assert_true(n == 1);
	/* Broker source: inspection and CoC first. */
	assert_int_equal(
		ecms_decide(h, uid, ECMS_RELEASE, "looks fine", &good, NULL, NULL, NULL, &out),
		ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "inspection"));
	assert_int_equal(ecms_inspect(h, uid, "pass", "visual and X-ray OK"), 0);
	assert_int_equal(
		ecms_decide(h, uid, ECMS_RELEASE, "looks fine", &good, NULL, NULL, NULL, &out),
		ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "CoC"));
	assert_int_equal(ecms_coc_add(h, &c, &coc), 0);
	assert_int_equal(ecms_decide(h, uid, ECMS_RELEASE, "inspected, CoC on file", &good, NULL,
				     "S1", coc, &out),
			 0);
	assert_string_equal(json_string_value(json_object_get(out, "meaning")),
			    "released from quarantine");
	assert_string_equal(json_string_value(json_object_get(out, "signer_name")), "Quinn Q");
	json_decref(out);
	assert_int_equal(ecms_package_get(h, uid, &pkg), 0);
	assert_string_equal(json_string_value(json_object_get(pkg, "status")), "available");
	assert_string_equal(json_string_value(json_object_get(pkg, "location")), "S1");
	assert_int_equal(json_array_size(json_object_get(pkg, "decisions")), 1);
	assert_true(json_array_size(json_object_get(pkg, "signals")) >= 1);
	json_decref(pkg);
	/* Deciding again: not in quarantine any more. */
	assert_int_equal(ecms_decide(h, uid, ECMS_REJECT, "changed my mind", &good, "scrap", NULL,
				     NULL, &out),
			 ECMS_EREFUSED);
	{
		ecms_audit a;
		assert_int_equal(ecms_audit_verify(h, &a), 0);
	}
	ecms_free(coc);
	free(p);
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_receipt),
		cmocka_unit_test(test_rule_po_line),
		cmocka_unit_test(test_rule_part_aml_and_manufacturer),
		cmocka_unit_test(test_rule_supplier),
		cmocka_unit_test(test_rule_coc),
		cmocka_unit_test(test_rule_lot),
		cmocka_unit_test(test_rule_datecode),
		cmocka_unit_test(test_rule_quantity),
		cmocka_unit_test(test_rule_msl),
		cmocka_unit_test(test_rule_duplicates),
		cmocka_unit_test(test_rules_can_be_disabled),
		cmocka_unit_test(test_bad_input_writes_nothing),
		cmocka_unit_test(test_signed_decisions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
