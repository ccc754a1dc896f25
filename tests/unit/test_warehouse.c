/*
 * test_warehouse.c: scans, moves and their rules, splits, counts, scrap,
 * restricted-part access, stocktake, stock by status, shelf life, alerts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"
#include "ecms/event.h"
#include "ecms/master.h"
#include "ecms/msd.h"
#include "ecms/msdstore.h"
#include "ecms/receiving.h"
#include "ecms/warehouse.h"
#include "store/store.h"

#define GS  "\x1d"
#define RS  "\x1e"
#define EOT "\x04"
#define DAY INT64_C(86400000)

static ecms *
factory(const char *db)
{
	ecms *h = tu_open_store(db);

	tu_import(h, "parts",
		  "ipn,description,category,aml,msl,thickness_mm,std_pack,shelf_life_days,"
		  "reorder_point,restricted\n"
		  "C1,cap,capacitor,GRM1@Murata,1,,10000,365,5000,no\n"
		  "U1,mcu,ic,STM1@ST,3,1.4,1000,,3000,yes\n");
	tu_import(
		h, "suppliers",
		"id,name,status,authorised,iso9001_cert,iso9001_expiry\nDK,DK,approved,yes,C,2030-01-01\n");
	tu_import(
		h, "locations",
		"id,name,kind,parent,rh_class,capacity\nWH,W,warehouse,,,\nRCV,R,receiving,WH,,\n"
		"QH,Q,quarantine,WH,,\nS1,Shelf,shelf,WH,,2\nS2,Shelf 2,shelf,WH,,\n"
		"DC1,Dry,dry_cabinet,WH,5,\nL1,Line,line_side,,,\nL1-S1,Slot,feeder_slot,L1,,1\n");
	tu_import(h, "users", "id,name,role\nwes,Wes,warehouse\nolga,Olga,operator\nquinn,Quinn,qa\n");
	tu_import(h, "po",
		  "po,supplier,order_date,line,ipn,qty\nP1,DK,2026-01-01,1,C1,100000\n"
		  "P1,DK,2026-01-01,2,U1,10000\n");
	assert_int_equal(ecms_set_actor(h, "wes", "wh"), 0);
	return h;
}

/* Receive a reel; returns its UID (static buffer per call site). */
static void
receive(ecms *h, const char *mpn, const char *qty, const char *lot, const char *dc, char uid[32])
{
	char scan[256];
	ecms_receive_req r = { .po = "P1", .scan = scan };
	json_t *out;

	snprintf(scan, sizeof(scan), "[)>" RS "06" GS "1P%s" GS "Q%s" GS "1T%s" GS "9D%s" RS EOT,
		 mpn, qty, lot, dc);
	r.scan_len = strlen(scan);
	if (ecms_receive(h, &r, &out) != ECMS_OK)
		fail_msg("receive: %s", ecms_errmsg(h));
	snprintf(uid, 32, "%s", json_string_value(json_object_get(out, "uid")));
	json_decref(out);
}

static int64_t
q(ecms *h, const char *sql, const char *uid)
{
	int64_t n = -1;

	assert_int_equal(ecms__query_int(h, &n, sql, "t", uid), 0);
	return n;
}

static void
test_scan_resolution(void **state)
{
	ecms *h = factory("scan.db");
	char a[32], *uid, *loc;
	char scan[] = "[)>" RS "06" GS "1PGRM1" GS "Q5000" GS "1TL1" GS "9D2601" RS EOT;

	receive(h, "GRM1", "5000", "L1", "2601", a);
	assert_int_equal(ecms_scan_resolve(h, a, strlen(a), &uid, &loc), 0);
	assert_string_equal(uid, a);
	assert_null(loc);
	ecms_free(uid);
	/* Lower case and Crockford aliases are read; a bad check character is not. */
	{
		char low[32];
		for (size_t i = 0; i <= strlen(a); i++)
			low[i] = (char)(a[i] >= 'A' && a[i] <= 'Z' ? a[i] + 32 : a[i]);
		assert_int_equal(ecms_scan_resolve(h, low, strlen(low), &uid, &loc), 0);
		ecms_free(uid);
		low[9] = low[9] == '2' ? '3' : '2';
		assert_int_equal(ecms_scan_resolve(h, low, strlen(low), &uid, &loc), ECMS_EINVAL);
		/* Every command that takes a UID refuses a misread one as such. */
		{
			json_t *o = NULL;
			int64_t exp;
			assert_int_equal(ecms_package_get(h, low, &o), ECMS_EINVAL);
			assert_non_null(strstr(ecms_errmsg(h), "check character mismatch"));
			assert_int_equal(ecms_package_expiry(h, low, &exp), ECMS_EINVAL);
			assert_int_equal(ecms_access_log(h, low, &o), ECMS_EINVAL);
			assert_int_equal(ecms_package_get(h, "XU00000024", &o), ECMS_ENOTFOUND);
		}
	}
	assert_int_equal(ecms_scan_resolve(h, "S1", 2, &uid, &loc), 0);
	assert_string_equal(loc, "S1");
	ecms_free(loc);
	/* A location label as a scanner may send it: AIM prefix, line end. */
	assert_int_equal(ecms_scan_resolve(h, "]d1S1\r\n", 7, &uid, &loc), 0);
	assert_null(uid);
	assert_string_equal(loc, "S1");
	ecms_free(loc);
	assert_int_equal(ecms_scan_resolve(h, " DC1\n", 5, &uid, &loc), 0);
	assert_string_equal(loc, "DC1");
	ecms_free(loc);
	assert_int_equal(ecms_scan_resolve(h, "]d1", 3, &uid, &loc), ECMS_ENOTFOUND);
	/* The supplier label, received once, names that package. */
	assert_int_equal(ecms_scan_resolve(h, scan, strlen(scan), &uid, &loc), 0);
	assert_string_equal(uid, a);
	ecms_free(uid);
	assert_int_equal(ecms_scan_resolve(h, "NOWHERE", 7, &uid, &loc), ECMS_ENOTFOUND);
	ecms_close(h);
}

static void
test_move_rules(void **state)
{
	ecms *h = factory("move.db");
	char a[32], b[32], c[32], d[32];
	json_t *o;

	receive(h, "GRM1", "5000", "L1", "2601", a);
	receive(h, "GRM1", "5000", "L2", "2601", b);
	receive(h, "GRM1", "5000", "L3", "2601", c);
	receive(h, "GRM1", "5000", "N/T", "2601", d); /* quarantined: no lot */
	assert_int_equal(ecms_move(h, a, "S1", &o), 0);
	assert_string_equal(json_string_value(json_object_get(o, "from")), "RCV");
	json_decref(o);
	assert_true(q(h, "SELECT COUNT(*) FROM package_moves WHERE uid = ?", a) == 1);
	/* Already there; capacity 2 of S1. */
	assert_int_equal(ecms_move(h, a, "S1", &o), ECMS_EREFUSED);
	assert_int_equal(ecms_move(h, b, "S1", &o), 0);
	json_decref(o);
	assert_int_equal(ecms_move(h, c, "S1", &o), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "full"));
	/* Quarantined material stays out of production, and segregated: a
	 * warehouse user may not shelve it; a QA user may (e.g. to inspect it). */
	assert_int_equal(ecms_move(h, d, "L1", &o), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "quarantine"));
	assert_int_equal(ecms_move(h, d, "S2", &o), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "only a QA user may move it elsewhere"));
	assert_int_equal(ecms_set_actor(h, "quinn", NULL), 0);
	assert_int_equal(ecms_move(h, d, "S2", &o), 0);
	json_decref(o);
	assert_int_equal(ecms_move(h, d, "L1", &o), ECMS_EREFUSED);
	assert_int_equal(ecms_set_actor(h, "wes", "wh"), 0);
	/* Scans in the wrong order are a usage error. */
	assert_int_equal(ecms_move(h, "S2", a, &o), ECMS_EUSAGE);
	/* A warehouse is a building, not a place to put a reel. */
	assert_int_equal(ecms_move(h, c, "WH", &o), ECMS_EREFUSED);
	assert_null(o);
	assert_non_null(strstr(ecms_errmsg(h), "WH is a warehouse"));
	/* A dry cabinet's RH class goes into the move's record; a shelf has none. */
	assert_int_equal(ecms_move(h, c, "DC1", &o), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "rh_class")), 5);
	json_decref(o);
	assert_true(q(h,
		      "SELECT COUNT(*) FROM events WHERE type = 'package.moved' AND "
		      "payload LIKE '%\"rh_class\":5%' AND payload LIKE '%' || ? || '%'",
		      c) == 1);
	assert_int_equal(ecms_move(h, c, "S2", &o), 0);
	assert_null(json_object_get(o, "rh_class"));
	json_decref(o);
	/* An on-hold package may be stored but not go to production. */
	assert_int_equal(
		ecms__exec(h, "UPDATE packages SET status = 'on_hold' WHERE uid = ?", "t", c), 0);
	assert_int_equal(ecms_move(h, c, "L1-S1", &o), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "on hold"));
	assert_int_equal(ecms_move(h, c, "DC1", &o), 0);
	json_decref(o);
	/* Refused moves leave no event and no move row. */
	assert_true(q(h, "SELECT COUNT(*) FROM package_moves WHERE uid = ?", c) == 3);
	{
		ecms_audit au;
		assert_int_equal(ecms_audit_verify(h, &au), 0);
	}
	ecms_close(h);
}

static void
test_shelf_life(void **state)
{
	ecms *h = factory("shelf.db");
	char a[32], b[32];
	int64_t exp;
	json_t *o, *alerts, *st;
	size_t i;
	bool seen_expired = false, seen_expiring = false;

	/* Date code 2501 (week 1 of 2025) + 365 days: expired by 2026-01-15. */
	receive(h, "GRM1", "5000", "OLD", "2501", a);
	receive(h, "GRM1", "5000", "NEW", "2550", b);
	assert_int_equal(ecms_package_expiry(h, a, &exp), 0);
	assert_true(exp < TU_NOW_MS);
	assert_int_equal(ecms_move(h, a, "L1", &o), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "shelf life"));
	assert_int_equal(ecms_stock(h, "C1", NULL, &st), 0);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(json_object_get(json_array_get(st, 0), "status"),
						 "expired"),
				 "qty")),
			 5000);
	json_decref(st);
	/* B expires within a year: an "expiring" alert with 400 days' notice. */
	assert_int_equal(ecms_alerts(h, &(ecms_alert_opts){ .expiring_days = 400 }, &alerts), 0);
	json_array_foreach(alerts, i, o) {
		const char *k = json_string_value(json_object_get(o, "kind"));
		const char *obj = json_string_value(json_object_get(o, "object"));
		seen_expired |= !strcmp(k, "shelf_life.expired") && !strcmp(obj, a);
		seen_expiring |= !strcmp(k, "shelf_life.expiring") && !strcmp(obj, b);
	}
	json_decref(alerts);
	assert_true(seen_expired && seen_expiring);
	/* Moving time on expires B too. */
	ecms_set_now(h, TU_NOW_MS + 400 * DAY);
	assert_int_equal(ecms_move(h, b, "L1", &o), ECMS_EREFUSED);
	ecms_close(h);
}

static void
test_split_count_scrap(void **state)
{
	ecms *h = factory("split.db");
	char a[32], child[32];
	json_t *o, *pkg;

	receive(h, "GRM1", "5000", "L1", "2601", a);
	assert_int_equal(ecms_split(h, a, 5000, &o), ECMS_EINVAL);
	assert_int_equal(ecms_split(h, a, 1200, &o), 0);
	snprintf(child, sizeof(child), "%s", json_string_value(json_object_get(o, "child")));
	json_decref(o);
	assert_int_equal(ecms_package_get(h, child, &pkg), 0);
	assert_string_equal(json_string_value(json_object_get(pkg, "parent")), a);
	assert_string_equal(json_string_value(json_object_get(pkg, "lot")), "L1");
	assert_int_equal(json_integer_value(json_object_get(pkg, "quantity")), 1200);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(pkg, "history"), 0), "type")),
			    "package.split");
	json_decref(pkg);
	/* The link runs both ways: the parent names its child, its history the split. */
	assert_int_equal(ecms_package_get(h, a, &pkg), 0);
	assert_int_equal(json_array_size(json_object_get(pkg, "children")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(pkg, "children"), 0)),
			    child);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(pkg, "history"), 1), "type")),
			    "package.split");
	json_decref(pkg);
	assert_true(q(h, "SELECT quantity FROM packages WHERE uid = ?", a) == 3800);
	/* A count cannot add parts; a lower one records consumption. */
	assert_int_equal(ecms_count(h, a, 3900, NULL, &o), ECMS_EINVAL);
	assert_int_equal(ecms_count(h, a, 3000, "loss", &o), 0);
	assert_int_equal(json_integer_value(json_object_get(o, "difference")), 800);
	json_decref(o);
	assert_true(q(h, "SELECT COUNT(*) FROM package_counts WHERE uid = ? AND kind = 'loss'",
		      a) == 1);
	assert_int_equal(ecms_count(h, child, 0, NULL, &o), 0);
	json_decref(o);
	assert_true(q(h, "SELECT COUNT(*) FROM packages WHERE uid = ? AND status = 'consumed'",
		      child) == 1);
	assert_int_equal(ecms_move(h, child, "S2", &o), ECMS_EREFUSED);
	assert_int_equal(ecms_scrap(h, a, "x"), ECMS_EUSAGE);
	assert_int_equal(ecms_scrap(h, a, "dropped, tape torn"), 0);
	assert_int_equal(ecms_scrap(h, a, "again"), ECMS_EREFUSED);
	ecms_close(h);
}

static void
test_restricted_access(void **state)
{
	ecms *h = factory("restr.db");
	char a[32];
	json_t *o, *log;

	receive(h, "STM1", "500", "R1", "2601", a);
	assert_int_equal(ecms_set_actor(h, "olga", "line"), 0);
	assert_int_equal(ecms_move(h, a, "S2", &o), ECMS_EDENIED);
	assert_non_null(strstr(ecms_errmsg(h), "restricted"));
	assert_int_equal(ecms_set_actor(h, "wes", "wh"), 0);
	assert_int_equal(ecms_move(h, a, "S2", &o), 0);
	json_decref(o);
	assert_int_equal(ecms_access_log(h, a, &log), 0);
	assert_int_equal(json_array_size(log), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(log, 0), "actor")),
			    "olga");
	assert_true(json_is_false(json_object_get(json_array_get(log, 0), "allowed")));
	assert_true(json_is_true(json_object_get(json_array_get(log, 1), "allowed")));
	json_decref(log);
	ecms_close(h);
}

static void
test_stocktake_and_stock(void **state)
{
	ecms *h = factory("st.db");
	char a[32], b[32], c[32];
	const char *scans[3];
	json_t *o, *st, *alerts, *e;
	size_t i;
	bool below = false;

	receive(h, "GRM1", "100", "L1", "2601", a);
	receive(h, "GRM1", "100", "L2", "2601", b);
	receive(h, "GRM1", "100", "L3", "2601", c);
	assert_int_equal(ecms_move(h, c, "S2", &o), 0);
	json_decref(o);
	scans[0] = a;
	scans[1] = c;
	scans[2] = "XU99999999";
	assert_int_equal(ecms_stocktake(h, "RCV", scans, 3, &o), 0);
	assert_int_equal(json_array_size(json_object_get(o, "found")), 1);
	assert_int_equal(json_array_size(json_object_get(o, "missing")), 1);
	assert_int_equal(json_array_size(json_object_get(o, "misplaced")), 1);
	assert_int_equal(json_array_size(json_object_get(o, "unexpected")), 1);
	json_decref(o);
	assert_true(q(h, "SELECT COUNT(*) FROM stocktakes WHERE location = ?", "RCV") == 1);
	assert_int_equal(ecms_stock(h, NULL, "S2", &st), 0);
	assert_int_equal(json_array_size(st), 1);
	json_decref(st);
	/* 300 usable against a reorder point of 5000; U1 has no stock at all. */
	assert_int_equal(ecms_alerts(h, NULL, &alerts), 0);
	json_array_foreach(alerts, i, e)
		below |= !strcmp(json_string_value(json_object_get(e, "object")), "U1");
	assert_true(below);
	json_decref(alerts);
	{
		ecms_audit au;
		assert_int_equal(ecms_audit_verify(h, &au), 0);
	}
	ecms_close(h);
}

static void
msd_event(ecms *h, const char *uid, enum ecms_msd_event_type t, int64_t at)
{
	struct ecms_msd_event ev;

	ecms_msd_event_init(&ev, t, at);
	if (ecms_msd_record(h, uid, &ev, NULL) != ECMS_OK)
		fail_msg("msd event: %s", ecms_errmsg(h));
}

static void
test_msd_in_the_warehouse(void **state)
{
	ecms *h = factory("msd.db");
	char a[32], b[32];
	json_t *o, *st, *alerts, *e;
	int64_t t0 = TU_NOW_MS;
	size_t i;
	bool alerted = false;

	/* U1 is MSL 3 (168 h). A is opened, then kept in a dry cabinet. */
	receive(h, "STM1", "500", "M1", "2601", a);
	receive(h, "STM1", "500", "M2", "2601", b);
	msd_event(h, a, ECMS_MSD_EV_OPEN, t0);
	ecms_set_now(h, t0 + 10 * 3600000);
	assert_int_equal(ecms_move(h, a, "DC1", &o), 0); /* <=5 % RH: the clock pauses */
	json_decref(o);
	/* 10 h out, then paused in the cabinet: 158 h left a day later... */
	assert_int_equal(ecms_msd_status(h, a, t0 + 34 * 3600000LL, &st), 0);
	assert_int_equal(json_integer_value(json_object_get(st, "remaining_ms")), 158 * 3600000LL);
	json_decref(st);
	/* ...and after 5 x 10 h dry, the short-exposure rule resets the clock. */
	ecms_set_now(h, t0 + 500 * 3600000LL);
	assert_int_equal(ecms_msd_status(h, a, ecms_now(h), &st), 0);
	assert_int_equal(json_integer_value(json_object_get(st, "remaining_ms")), 168 * 3600000LL);
	json_decref(st);
	/* B is opened and left out past its floor life: blocked, alerted. */
	msd_event(h, b, ECMS_MSD_EV_OPEN, t0 + 500 * 3600000LL);
	ecms_set_now(h, t0 + 700 * 3600000LL);
	assert_int_equal(ecms_move(h, b, "L1", &o), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "floor life"));
	assert_int_equal(ecms_alerts(h, NULL, &alerts), 0);
	json_array_foreach(alerts, i, e)
		alerted |=
			!strcmp(json_string_value(json_object_get(e, "kind")), "msd.floor_life") &&
			!strcmp(json_string_value(json_object_get(e, "object")), b);
	json_decref(alerts);
	assert_true(alerted);
	/* Out of the cabinet onto the line: A's clock runs again, and A may go. */
	assert_int_equal(ecms_move(h, a, "L1", &o), 0);
	json_decref(o);
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_resolution),
		cmocka_unit_test(test_move_rules),
		cmocka_unit_test(test_shelf_life),
		cmocka_unit_test(test_split_count_scrap),
		cmocka_unit_test(test_restricted_access),
		cmocka_unit_test(test_stocktake_and_stock),
		cmocka_unit_test(test_msd_in_the_warehouse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
