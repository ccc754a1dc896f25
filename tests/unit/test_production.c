/*
 * test_production.c: BOM import from KiCad and Altium exports, work
 * orders, kit lists and picks, reorder arithmetic.
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
#include "ecms/production.h"
#include "ecms/receiving.h"
#include "ecms/warehouse.h"
#include "store/store.h"

#define GS  "\x1d"
#define RS  "\x1e"
#define EOT "\x04"

static ecms *
factory(const char *db)
{
	ecms *h = tu_open_store(db);

	tu_import(h, "parts",
		  "ipn,description,category,aml,msl,thickness_mm,std_pack,reorder_point,"
		  "lead_time_days\n"
		  "C1,cap,capacitor,GRM1@Murata;CL1@Samsung,1,,10000,5000,10\n"
		  "C2,cap alt,capacitor,GRM2@Murata,1,,10000,0,10\n"
		  "R1,res,resistor,RC1@Yageo,1,,5000,0,10\n"
		  "U1,mcu,ic,STM1@ST,3,1.4,1000,100,90\n");
	tu_import(
		h, "suppliers",
		"id,name,status,authorised,iso9001_cert,iso9001_expiry\nDK,DK,approved,yes,C,2030-01-01\n");
	tu_import(h, "locations",
		  "id,name,kind,parent\nWH,W,warehouse,\nRCV,R,receiving,WH\nQH,Q,quarantine,WH\n"
		  "L1,Line 1,line_side,\nL1-CART,Cart,line_side,L1\n");
	tu_import(h, "users", "id,name,role\nwes,Wes,warehouse\n");
	tu_import(h, "po",
		  "po,supplier,order_date,line,ipn,qty\nP1,DK,2026-01-01,1,C1,100000\n"
		  "P1,DK,2026-01-01,2,U1,3000\n");
	assert_int_equal(ecms_set_actor(h, "wes", "wh"), 0);
	return h;
}

static int
bom(ecms *h, const char *product, const char *text, ecms_import_report *rep)
{
	char *p = tu_write_file("bom.csv", text);
	int rc = ecms_bom_import(h, product, "A", p, rep);

	free(p);
	return rc;
}

static void
test_bom_kicad_and_altium(void **state)
{
	ecms *h = factory("bom.db");
	ecms_import_report rep;
	json_t *b;

	/* KiCad: Reference/Qty, ranges and lists, a DNP line, extra columns. */
	assert_int_equal(bom(h, "K",
			     "\"Reference\",\"Value\",\"Datasheet\",\"Footprint\",\"Qty\",\"DNP\","
			     "\"MPN\"\n"
			     "\"C1,C3-C5\",\"100n\",\"~\",\"C_0402\",\"4\",\"\",\"GRM1\"\n"
			     "\"R1 R2\",\"10k\",\"~\",\"R_0603\",\"2\",\"\",\"RC1\"\n"
			     "\"U1\",\"STM32\",\"~\",\"LQFP48\",\"1\",\"\",\"STM1\"\n"
			     "\"TP1\",\"TP\",\"~\",\"TP\",\"1\",\"DNP\",\"\"\n",
			     &rep),
			 0);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_bom_get(h, "K", "A", &b), 0);
	assert_int_equal(json_integer_value(json_object_get(b, "refdes_count")), 7);
	json_decref(b);
	/* Altium: Designator/Comment/Quantity, ";" separated, IPN + alternates. */
	assert_int_equal(bom(h, "AL",
			     "Comment;Description;Designator;Footprint;LibRef;Quantity;IPN;"
			     "Alternates\n"
			     "100n;Cap;C1, C2;0402;CAP;2;C1;C2\n",
			     &rep),
			 0);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_bom_get(h, "AL", "A", &b), 0);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(json_array_get(json_object_get(b, "lines"), 0),
						    "alternates"),
				    0)),
			    "C2");
	json_decref(b);
	ecms_close(h);
}

static void
test_bom_errors(void **state)
{
	ecms *h = factory("bomerr.db");
	ecms_import_report rep;
	int64_t n;

	assert_int_equal(bom(h, "E",
			     "Reference,Qty,MPN\n"
			     "\"C1,C2\",3,GRM1\n"
			     "C2,1,GRM1\n"
			     "C9-C7,3,GRM1\n"
			     "U1,1,NOPE\n"
			     "X,1,GRM1\n",
			     &rep),
			 ECMS_EINVAL);
	assert_non_null(strstr(rep.errors, "bom.csv:2: column 'Qty': 3, but 2 reference "
					   "designators are listed"));
	assert_non_null(strstr(rep.errors, "bom.csv:3: C2 is listed again (first on line 2)"));
	assert_non_null(strstr(rep.errors, "bom.csv:4: column 'Reference': 'C9-C7' is not a "
					   "range"));
	assert_non_null(strstr(rep.errors, "bom.csv:5: MPN 'NOPE' is on no part's approved "
					   "manufacturer list"));
	assert_non_null(strstr(rep.errors, "bom.csv:6: column 'Reference': 'X' is not a "
					   "reference designator"));
	ecms_import_report_cleanup(&rep);
	assert_int_equal(bom(h, "E", "Value,MPN\n100n,GRM1\n", &rep), ECMS_EINVAL);
	assert_non_null(strstr(rep.errors, "no reference designator column"));
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM bom_refdes", ""), 0);
	assert_true(n == 0);
	/* A revision in use is not replaced. */
	assert_int_equal(bom(h, "E", "Reference,MPN\nC1,GRM1\n", &rep), 0);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_wo_create(h, &(ecms_wo_new){ "W1", "E", "A", 10, NULL, NULL, NULL }),
			 0);
	assert_int_equal(bom(h, "E", "Reference,MPN\nC1,GRM1\nC2,GRM1\n", &rep), ECMS_EREFUSED);
	ecms_import_report_cleanup(&rep);
	ecms_close(h);
}

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

static void
test_kit_and_reorder(void **state)
{
	ecms *h = factory("kit.db");
	ecms_import_report rep;
	char a[32], b[32], c[32];
	json_t *k, *l, *o, *r, *e;
	size_t i;

	assert_int_equal(bom(h, "HM", "Reference,MPN\n\"C1-C4\",GRM1\nU1,STM1\n", &rep), 0);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_wo_create(h, &(ecms_wo_new){ "W1", "HM", "A", 3000, "L1", "ACME",
							   "2026-02-01" }),
			 0);
	assert_int_equal(ecms_wo_create(h, &(ecms_wo_new){ "W1", "HM", "A", 1, NULL, NULL, NULL }),
			 ECMS_EEXIST);
	assert_int_equal(ecms_wo_create(h, &(ecms_wo_new){ "W2", "HM", "Z", 1, NULL, NULL, NULL }),
			 ECMS_ENOTFOUND);
	receive(h, "GRM1", "10000", "LB", "2550", b); /* later date code, received first */
	ecms_set_now(h, TU_NOW_MS + 1000);
	receive(h, "GRM1", "10000", "LA", "2540", a);
	ecms_set_now(h, TU_NOW_MS + 2000);
	receive(h, "STM1", "1000", "LU", "2550", c);
	assert_int_equal(ecms_kit_list(h, "W1", &k), 0);
	l = json_array_get(json_object_get(k, "lines"), 0); /* C1 */
	assert_string_equal(json_string_value(json_object_get(l, "ipn")), "C1");
	/* 4 per board x 3000 + 1 % = 12120: both reels, first received first. */
	assert_int_equal(json_integer_value(json_object_get(l, "needed")), 12120);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(l, "pick"), 0), "uid")),
			    b);
	assert_int_equal(json_array_size(json_object_get(l, "pick")), 2);
	l = json_array_get(json_object_get(k, "lines"), 1); /* U1: 3030 needed, 1000 on hand */
	assert_int_equal(json_integer_value(json_object_get(l, "short")), 2030);
	json_decref(k);
	/* Picks: wanted parts only, once, to the line's cart. */
	assert_int_equal(ecms_kit_pick(h, "W1", b, NULL, &o), 0);
	assert_string_equal(json_string_value(json_object_get(o, "to")), "L1-CART");
	json_decref(o);
	assert_int_equal(ecms_kit_pick(h, "W1", b, NULL, &o), ECMS_EREFUSED);
	/* Reorder: U1 on hand 1000 + on order 2000 - demand 3030 = -30 < 100. */
	assert_int_equal(ecms_reorder(h, &r), 0);
	json_array_foreach(r, i, e) {
		if (strcmp(json_string_value(json_object_get(e, "ipn")), "U1") != 0)
			continue;
		assert_int_equal(json_integer_value(json_object_get(e, "projected")), -30);
		assert_int_equal(json_integer_value(json_object_get(e, "suggested")), 1000);
		/* 90 days' lead time is past the 2026-02-01 due date. */
		assert_true(json_is_true(json_object_get(e, "urgent")));
		assert_non_null(strstr(json_string_value(json_object_get(e, "why")),
				       "on hand 1000 + on order 2000 - demand 3030"));
	}
	json_decref(r);
	ecms_close(h);
}

/* The uid of the first package a kit line says to pick. */
static const char *
first_pick(json_t *kit, size_t line)
{
	json_t *l = json_array_get(json_object_get(kit, "lines"), line);

	return json_string_value(
		json_object_get(json_array_get(json_object_get(l, "pick"), 0), "uid"));
}

static void
test_kit_msd_and_restricted(void **state)
{
	ecms *h = factory("kitmsd.db");
	ecms_import_report rep;
	struct ecms_msd_event ev;
	char x[32], y[32], z[32];
	json_t *k, *o, *log;
	int64_t n;

	/* U1 becomes a restricted part; an operator joins. */
	tu_import(h, "parts",
		  "ipn,description,category,aml,msl,thickness_mm,std_pack,reorder_point,"
		  "lead_time_days,restricted\nU1,mcu,ic,STM1@ST,3,1.4,1000,100,90,yes\n");
	tu_import(h, "users", "id,name,role\nolga,Olga,operator\n");
	assert_int_equal(bom(h, "HM", "Reference,MPN\nU1,STM1\n", &rep), 0);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(
		ecms_wo_create(h, &(ecms_wo_new){ "W1", "HM", "A", 500, "L1", NULL, NULL }), 0);
	receive(h, "STM1", "1000", "LX", "2550", x);
	ecms_set_now(h, TU_NOW_MS + 1000);
	receive(h, "STM1", "1000", "LY", "2550", y);
	ecms_set_now(h, TU_NOW_MS + 2000);
	receive(h, "STM1", "1000", "LZ", "2550", z);
	/* FIFO while no bag is open: the first received comes first. */
	assert_int_equal(ecms_kit_list(h, "W1", &k), 0);
	assert_string_equal(first_pick(k, 0), x);
	json_decref(k);
	/* Usable stock only: not past its shelf life, not in quarantine. */
	assert_int_equal(
		ecms__exec(h, "UPDATE packages SET expiry = '2026-01-01' WHERE uid = ?", "t", x),
		0);
	assert_int_equal(
		ecms__exec(h, "UPDATE packages SET status = 'quarantined' WHERE uid = ?", "t", z),
		0);
	assert_int_equal(ecms_kit_list(h, "W1", &k), 0);
	{
		json_t *pk =
			json_object_get(json_array_get(json_object_get(k, "lines"), 0), "pick");
		assert_int_equal(json_array_size(pk), 1);
		assert_string_equal(first_pick(k, 0), y);
	}
	json_decref(k);
	/* Y's bag was opened 10 h ago: it has the least floor life, so it goes first. */
	ecms_set_now(h, TU_NOW_MS + 20 * 3600000LL);
	ecms_msd_event_init(&ev, ECMS_MSD_EV_OPEN, TU_NOW_MS + 10 * 3600000LL);
	assert_int_equal(ecms_msd_record(h, y, &ev, NULL), 0);
	assert_int_equal(ecms_kit_list(h, "W1", &k), 0);
	assert_string_equal(first_pick(k, 0), y);
	json_decref(k);
	/* An operator may not pick a restricted part: refused, and the attempt is logged. */
	assert_int_equal(ecms_set_actor(h, "olga", "line"), 0);
	assert_int_equal(ecms_kit_pick(h, "W1", y, NULL, &o), ECMS_EDENIED);
	assert_null(o);
	assert_non_null(strstr(ecms_errmsg(h), "restricted"));
	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM kit_picks", ""), 0);
	assert_true(n == 0);
	assert_int_equal(ecms_set_actor(h, "wes", "wh"), 0);
	assert_int_equal(ecms_kit_pick(h, "W1", y, NULL, &o), 0);
	json_decref(o);
	assert_int_equal(ecms_access_log(h, y, &log), 0);
	/* olga's refused pick, then wes's pick with its move to the cart. */
	assert_true(json_array_size(log) >= 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(log, 0), "actor")),
			    "olga");
	assert_string_equal(json_string_value(json_object_get(json_array_get(log, 0), "action")),
			    "pick");
	assert_true(json_is_false(json_object_get(json_array_get(log, 0), "allowed")));
	assert_true(json_is_true(json_object_get(json_array_get(log, 1), "allowed")));
	json_decref(log);
	{
		ecms_audit a;
		assert_int_equal(ecms_audit_verify(h, &a), 0);
	}
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bom_kicad_and_altium),
		cmocka_unit_test(test_bom_errors),
		cmocka_unit_test(test_kit_and_reorder),
		cmocka_unit_test(test_kit_msd_and_restricted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
