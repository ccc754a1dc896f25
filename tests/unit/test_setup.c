/*
 * test_setup.c: placement program import (checked against the BOM, errors
 * with file:line, all or nothing), changeovers, and the setup interlock:
 * every NO-GO reason and the GO next to it, loads, splices, unloads,
 * refusals recorded, and the check of a whole setup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "testutil.h"
#include "ecms/genealogy.h"
#include "ecms/master.h"
#include "ecms/msdstore.h"
#include "ecms/production.h"
#include "ecms/receiving.h"
#include "ecms/setup.h"
#include "store/store.h"

#define GS      "\x1d"
#define RS      "\x1e"
#define EOT     "\x04"
#define HOUR_MS INT64_C(3600000)
#define DAY_MS  (24 * HOUR_MS)

static void
import(ecms *h, const char *kind, const char *text)
{
	char *p = tu_write_file("import.csv", text);
	ecms_import_report rep;

	if (ecms_import(h, kind, p, &rep) != ECMS_OK)
		fail_msg("import %s: %s\n%s", kind, ecms_errmsg(h), rep.errors ? rep.errors : "");
	ecms_import_report_cleanup(&rep);
	free(p);
}

static int
programs(ecms *h, const char *text, unsigned flags, json_t **sum, ecms_import_report *rep)
{
	char *p = tu_write_file("prog.csv", text);
	int rc = ecms_program_import(h, p, flags, sum, rep);

	free(p);
	return rc;
}

static void
receive(ecms *h, const char *po, const char *mpn, const char *qty, const char *lot, char uid[32])
{
	char scan[256];
	ecms_receive_req r = { .po = po, .scan = scan };
	json_t *out;

	snprintf(scan, sizeof(scan), "[)>" RS "06" GS "1P%s" GS "Q%s" GS "1T%s" GS "9D2550" RS EOT,
		 mpn, qty, lot);
	r.scan_len = strlen(scan);
	if (ecms_receive(h, &r, &out) != ECMS_OK)
		fail_msg("receive: %s", ecms_errmsg(h));
	snprintf(uid, 32, "%s", json_string_value(json_object_get(out, "uid")));
	json_decref(out);
}

static int64_t
count(ecms *h, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(ecms__query_int(h, &n, sql, ""), 0);
	return n;
}

static const char *const TOP = "product,rev,side,machine,program,slot,ipn,refdes\n"
			       "HM,A,top,M1,TOP,1,CAP,\"C1,C2\"\n"
			       "HM,A,top,M1,TOP,2,CAP,C3 C4\n"
			       "HM,A,top,M1,TOP,3,RES,R1-R2\n";

/* Parts, a BOM (C1-C4 CAP with alternate CAPB; R1-R2 RES; U1 MCU of MSL
 * 3), machines M1, M2 on line L1, and a shelf. */
static ecms *
factory(const char *db)
{
	ecms *h = tu_open_store(db);

	import(h, "parts",
	       "ipn,description,category,aml,msl,thickness_mm,shelf_life_days\n"
	       "CAP,cap,capacitor,GRM1@Murata,1,,3650\n"
	       "CAPB,cap second source,capacitor,CL1@Samsung,1,,3650\n"
	       "CAPX,cap not approved,capacitor,XX1@Other,1,,3650\n"
	       "RES,res,resistor,RC1@Yageo,1,,3650\n"
	       "MCU,mcu,ic,STM1@ST,3,1.4,\n");
	import(h, "suppliers",
	       "id,name,status,authorised,iso9001_cert,iso9001_expiry\nDK,DK,approved,yes,C,"
	       "2030-01-01\n");
	import(h, "locations",
	       "id,name,kind,parent\nWH,W,warehouse,\nRCV,R,receiving,WH\nQH,Q,quarantine,WH\n"
	       "S1,Shelf,shelf,WH\nL1,Line 1,line_side,\nM1,Machine 1,machine,L1\n"
	       "M2,Machine 2,machine,L1\n");
	import(h, "users", "id,name,role\nwes,Wes,warehouse\nola,Ola,operator\n");
	import(h, "po",
	       "po,supplier,order_date,line,ipn,qty\nP1,DK,2026-01-01,1,CAP,100000\n"
	       "P1,DK,2026-01-01,2,CAPB,100000\nP1,DK,2026-01-01,3,RES,100000\n"
	       "P1,DK,2026-01-01,4,MCU,100000\nP1,DK,2026-01-01,5,CAPX,100000\n");
	{
		char *p = tu_write_file("bom.csv", "Reference,IPN,Alternates\n\"C1-C4\",CAP,CAPB\n"
						   "\"R1,R2\",RES,\nU1,MCU,\n");
		ecms_import_report rep;
		if (ecms_bom_import(h, "HM", "A", p, &rep) != ECMS_OK)
			fail_msg("bom: %s", ecms_errmsg(h));
		ecms_import_report_cleanup(&rep);
		free(p);
	}
	assert_int_equal(ecms_set_actor(h, "wes", "wh"), 0);
	return h;
}

/* ------------------------------------------------------------------
 * Program import
 * ------------------------------------------------------------------ */

static void
test_program_import(void **state)
{
	ecms *h = factory("prog.db");
	ecms_import_report rep;
	json_t *sum, *p, *l;
	int64_t ev;

	assert_int_equal(programs(h, TOP, 0, &sum, &rep), 0);
	assert_int_equal(rep.records, 1);
	assert_int_equal(rep.created, 1);
	p = json_array_get(json_object_get(sum, "programs"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "change")), "created");
	assert_int_equal(json_integer_value(json_object_get(p, "refdes")), 6);
	/* U1 is placed by no program yet: reported, not an error. */
	l = json_object_get(json_array_get(json_object_get(sum, "unplaced"), 0), "refdes");
	assert_int_equal(json_array_size(l), 1);
	assert_string_equal(json_string_value(json_array_get(l, 0)), "U1");
	json_decref(sum);
	ecms_import_report_cleanup(&rep);
	/* The genealogy store knows the map. */
	assert_int_equal(ecms_gen_program_get(h, "TOP", "M1", &p), 0);
	assert_string_equal(
		json_string_value(json_array_get(
			json_object_get(json_array_get(json_object_get(p, "slots"), 2), "refdes"),
			1)),
		"R2");
	json_decref(p);
	/* The same file again: nothing changes, no event. */
	ev = count(h, "SELECT COUNT(*) FROM events");
	assert_int_equal(programs(h, TOP, 0, NULL, &rep), 0);
	assert_int_equal(rep.unchanged, 1);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events"), ev);
	/* --complete: U1 unplaced is an error. */
	assert_int_equal(programs(h, TOP, ECMS_PROGRAM_COMPLETE, NULL, &rep), ECMS_EINVAL);
	assert_non_null(strstr(rep.errors, "prog.csv: HM rev A on line L1: 1 BOM reference "
					   "designator is placed by no program: U1"));
	ecms_import_report_cleanup(&rep);
	/* The bottom program on M2 completes it; a changed map is version 2. */
	assert_int_equal(programs(h,
				  "product,rev,side,machine,program,slot,ipn,refdes,comment\n"
				  "HM,A,top,M1,TOP,1,CAP,\"C1,C2\",x\n"
				  "HM,A,top,M1,TOP,2,CAPB,C3 C4,alternate\n"
				  "HM,A,top,M1,TOP,3,RES,R1-R2,\n"
				  "HM,A,bottom,M2,BOT,7,MCU,U1,\n",
				  ECMS_PROGRAM_COMPLETE, &sum, &rep),
			 0);
	assert_int_equal(rep.created, 1);
	assert_int_equal(rep.updated, 1);
	assert_int_equal(json_array_size(json_object_get(sum, "unplaced")), 0);
	json_decref(sum);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_program_show(h, NULL, "TOP", &p), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "version")), 2);
	assert_string_equal(json_string_value(json_object_get(p, "side")), "top");
	json_decref(p);
	assert_int_equal(ecms_program_list(h, NULL, &l), 0);
	assert_int_equal(json_array_size(l), 2);
	json_decref(l);
	assert_int_equal(ecms_program_show(h, NULL, "NOPE", &p), ECMS_ENOTFOUND);
	/* Each line's programs place the whole board: a second line places
	 * the same refdes again (its own check), a machine of line L1 may not. */
	import(h, "locations",
	       "id,name,kind,parent\nL2,Line 2,line_side,\nM3,Machine 3,machine,L2\n");
	assert_int_equal(programs(h,
				  "product,rev,side,machine,program,slot,ipn,refdes\n"
				  "HM,A,top,M3,TOP-L2,1,CAP,C1-C4\n"
				  "HM,A,top,M3,TOP-L2,2,RES,R1-R2\n",
				  0, &sum, &rep),
			 0);
	assert_int_equal(rep.created, 1);
	l = json_array_get(json_object_get(sum, "unplaced"), 0);
	assert_string_equal(json_string_value(json_object_get(l, "line")), "L2");
	assert_string_equal(json_string_value(json_array_get(json_object_get(l, "refdes"), 0)),
			    "U1");
	json_decref(sum);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(programs(h,
				  "product,rev,side,machine,program,slot,ipn,refdes\n"
				  "HM,A,bottom,M3,BOT-L2,1,MCU,U1\n"
				  "HM,A,bottom,M3,BOT-L2,2,CAP,C1\n",
				  0, NULL, &rep),
			 ECMS_EINVAL);
	assert_non_null(strstr(rep.errors, "prog.csv:3: column 'refdes': C1 is placed already by "
					   "program TOP-L2 on machine M3 (top)"));
	assert_null(strstr(rep.errors, "U1 is placed"));
	ecms_import_report_cleanup(&rep);
	ecms_close(h);
}

static void
test_program_errors(void **state)
{
	ecms *h = factory("progerr.db");
	ecms_import_report rep;
	int64_t ev = count(h, "SELECT COUNT(*) FROM events");

	assert_int_equal(programs(h,
				  "product,rev,side,machine,program,slot,ipn,refdes\n"
				  "HM,A,top,M1,TOP,1,CAP,\"C1,C2\"\n" /* 2: fine */
				  "HM,A,top,M1,TOP,1,CAP,C3\n"        /* 3: slot twice */
				  "HM,A,middle,M1,TOP,2,CAP,C4\n"     /* 4: side */
				  "HM,A,top,M1,TOP,3,RES,R1 R2 R9\n"  /* 5: R9 not in BOM */
				  "HM,A,top,M1,TOP,4,RES,C2\n"        /* 6: C2 twice */
				  "HM,A,top,M1,TOP,5,CAPX,C3-C4\n"    /* 7: wrong part */
				  "HM,A,top,M1,TOP,6,MCU,C9-C7\n"     /* 8: bad range */
				  "XX,A,top,M1,XTOP,1,CAP,C1\n"       /* 9: no BOM */
				  "HM,A,bottom,M1,TOP,7,MCU,U1\n"     /* 10: side differs */
				  "HM,A,top,S1,TOP,1,MCU,U1\n"        /* 11: not a machine */
				  "HM,A,top,M1,TOP,8,MCU,\n"          /* 12: no refdes */
				  "HM,A,top,M1,TOP2,1,MCU,U1\n",      /* 13: 2nd program */
				  0, NULL, &rep),
			 ECMS_EINVAL);
	assert_non_null(strstr(rep.errors, "prog.csv:3: column 'slot': slot 1 of program TOP on "
					   "machine M1 is listed again (first on line 2)"));
	assert_non_null(strstr(rep.errors, "prog.csv:4: column 'side': 'middle' is not a side "
					   "(top, bottom)"));
	assert_non_null(strstr(rep.errors, "prog.csv:5: column 'refdes': R9 is not in the BOM of "
					   "HM rev A"));
	assert_non_null(strstr(rep.errors, "prog.csv:6: column 'refdes': C2 is placed again "
					   "(first on line 2)"));
	assert_non_null(strstr(rep.errors,
			       "prog.csv:7: column 'ipn': 'CAPX' is neither the "
			       "BOM's part for C3, C4 (CAP) nor an approved alternate"));
	assert_non_null(strstr(rep.errors, "prog.csv:8: column 'refdes': 'C9-C7' is not a "
					   "range like C1-C4"));
	assert_non_null(strstr(rep.errors, "prog.csv:9: column 'product': no BOM for XX rev A"));
	assert_non_null(strstr(rep.errors, "prog.csv:10: column 'side': program TOP on machine "
					   "M1 builds HM rev A top (line 2), not HM rev A bottom"));
	assert_non_null(strstr(rep.errors, "prog.csv:11: column 'machine': location 'S1' is a "
					   "shelf, not a machine"));
	assert_non_null(strstr(rep.errors, "prog.csv:12: column 'refdes': empty"));
	assert_non_null(strstr(rep.errors, "prog.csv:13: column 'program': HM rev A top on "
					   "machine M1 has program TOP already (line 2)"));
	ecms_import_report_cleanup(&rep);
	/* All or nothing: no program, no map, no event. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM setup_programs"), 0);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_programs"), 0);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events"), ev);
	/* A header without the format's columns. */
	assert_int_equal(programs(h, "product,rev,machine,slot,ipn,refdes\nHM,A,M1,1,CAP,C1\n", 0,
				  NULL, &rep),
			 ECMS_EINVAL);
	assert_non_null(strstr(rep.errors, "prog.csv:1: no column 'side'"));
	assert_non_null(strstr(rep.errors, "prog.csv:1: no column 'program'"));
	ecms_import_report_cleanup(&rep);
	/* A refdes a stored program of the product places already. */
	assert_int_equal(programs(h, TOP, 0, NULL, &rep), 0);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(programs(h,
				  "product,rev,side,machine,program,slot,ipn,refdes\n"
				  "HM,A,bottom,M2,BOT,1,CAP,C4\n",
				  0, NULL, &rep),
			 ECMS_EINVAL);
	assert_non_null(strstr(rep.errors, "prog.csv:2: column 'refdes': C4 is placed already by "
					   "program TOP on machine M1 (top)"));
	ecms_import_report_cleanup(&rep);
	ecms_close(h);
}

/* ------------------------------------------------------------------
 * Changeover and the interlock
 * ------------------------------------------------------------------ */

struct reels {
	char cap[32], cap2[32], capb[32], capx[32], res[32], mcu[32];
};

/* The factory with TOP on M1 (active) and BOT on M2 (MCU on slot 7),
 * and received reels. */
static ecms *
line(const char *db, struct reels *r)
{
	ecms *h = factory(db);
	ecms_import_report rep;

	assert_int_equal(programs(h,
				  "product,rev,side,machine,program,slot,ipn,refdes\n"
				  "HM,A,top,M1,TOP,1,CAP,\"C1,C2\"\n"
				  "HM,A,top,M1,TOP,2,CAP,C3 C4\n"
				  "HM,A,top,M1,TOP,3,RES,R1-R2\n"
				  "HM,A,bottom,M2,BOT,7,MCU,U1\n",
				  0, NULL, &rep),
			 0);
	ecms_import_report_cleanup(&rep);
	receive(h, "P1", "GRM1", "10000", "LC1", r->cap);
	receive(h, "P1", "GRM1", "10000", "LC2", r->cap2);
	receive(h, "P1", "CL1", "10000", "LB1", r->capb);
	receive(h, "P1", "XX1", "10000", "LX1", r->capx);
	receive(h, "P1", "RC1", "10000", "LR1", r->res);
	receive(h, "P1", "STM1", "1000", "LU1", r->mcu);
	assert_int_equal(ecms__exec(h, "UPDATE packages SET status = 'available'", ""), 0);
	assert_int_equal(ecms_set_actor(h, "ola", "line1"), 0);
	assert_int_equal(ecms_setup_activate(h, "M1", "TOP", NULL), 0);
	assert_int_equal(ecms_setup_activate(h, "M2", "BOT", NULL), 0);
	return h;
}

static void
expect(ecms *h, const char *machine, const char *slot, const char *scan, bool go, const char *code,
       const char *msg_part)
{
	struct ecms_setup_verdict v;

	assert_int_equal(ecms_setup_verify(h, machine, slot, scan, &v), 0);
	if (v.go != go || strcmp(v.code, code) != 0 || (msg_part && !strstr(v.message, msg_part)))
		fail_msg("%s %s %s: got %s %s '%s', expected %s %s '%s'", machine, slot, scan,
			 v.go ? "GO" : "NO-GO", v.code, v.message, go ? "GO" : "NO-GO", code,
			 msg_part ? msg_part : "");
}

static void
set_status(ecms *h, const char *uid, const char *status)
{
	assert_int_equal(
		ecms__exec(h, "UPDATE packages SET status = ? WHERE uid = ?", "tt", status, uid),
		0);
}

static void
test_changeover(void **state)
{
	struct reels r;
	ecms *h = line("change.db", &r);
	int64_t ev;
	json_t *o;

	assert_int_equal(ecms_setup_activate(h, "M1", "NOPE", NULL), ECMS_ENOTFOUND);
	assert_non_null(strstr(ecms_errmsg(h), "machine M1 has no program 'NOPE'"));
	assert_int_equal(ecms_setup_activate(h, "M9", "TOP", NULL), ECMS_ENOTFOUND);
	assert_non_null(strstr(ecms_errmsg(h), "there is no machine 'M9'"));
	assert_int_equal(ecms_setup_activate(h, "M1", "TOP", "W1"), ECMS_ENOTFOUND);
	assert_int_equal(ecms_wo_create(h, &(ecms_wo_new){ "W1", "HM", "A", 10, "L1", NULL, NULL }),
			 0);
	{
		char *p = tu_write_file("bom2.csv", "Reference,IPN\nC1,CAP\n");
		ecms_import_report rep;
		assert_int_equal(ecms_bom_import(h, "OTHER", "A", p, &rep), 0);
		ecms_import_report_cleanup(&rep);
		free(p);
	}
	assert_int_equal(
		ecms_wo_create(h, &(ecms_wo_new){ "W2", "OTHER", "A", 1, NULL, NULL, NULL }), 0);
	assert_int_equal(ecms_setup_activate(h, "M1", "TOP", "W2"), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "work order W2 builds OTHER rev A, but program "
					       "TOP builds HM rev A"));
	assert_int_equal(ecms_setup_activate(h, "M1", "TOP", "W1"), 0);
	ev = count(h, "SELECT COUNT(*) FROM events");
	assert_int_equal(ecms_setup_activate(h, "M1", "TOP", "W1"), 0); /* no change */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events"), ev);
	assert_int_equal(ecms_setup_show(h, "M1", &o), 0);
	assert_string_equal(json_string_value(json_object_get(o, "line")), "L1");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(o, "active"), "work_order")),
		"W1");
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "active"), "by")),
			    "ola");
	json_decref(o);
	ecms_close(h);
}

static void
test_verify_reasons(void **state)
{
	struct reels r;
	ecms *h = line("verify.db", &r);
	struct ecms_setup_verdict v;
	struct ecms_msd_event e;
	char bad[32];

	/* The machine and its program. */
	expect(h, "M9", "1", r.cap, false, "unknown_machine", "no machine 'M9'");
	expect(h, "M1", "1", r.cap, true, "ok", "as program TOP wants on slot 1");
	assert_int_equal(ecms__exec(h, "DELETE FROM setup_active WHERE machine = 'M1'", ""), 0);
	expect(h, "M1", "1", r.cap, false, "no_program", "has no active program");
	assert_int_equal(ecms_setup_activate(h, "M1", "TOP", NULL), 0);
	expect(h, "M1", "9", r.cap, false, "slot_not_in_program",
	       "slot 9 is not used by program "
	       "TOP: check the slot (program "
	       "slots: 1, 2, 3)");
	/* The scan. */
	snprintf(bad, sizeof(bad), "%s", r.cap);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == 'Z' ? 'Y' : 'Z';
	expect(h, "M1", "1", bad, false, "bad_scan", "check character");
	expect(h, "M1", "1", "XU0000009J", false, "unknown_package", "no package 'XU0000009J'");
	expect(h, "M1", "1", "S1", false, "not_a_package", "'S1' is a location, not a reel");
	{
		/* A lower-case typed UID is read as the canonical one. */
		char low[32];
		for (size_t i = 0; i <= strlen(r.cap); i++)
			low[i] = (char)(r.cap[i] >= 'A' && r.cap[i] <= 'Z' ? r.cap[i] + 32
									   : r.cap[i]);
		assert_int_equal(ecms_setup_verify(h, "M1", "1", low, &v), 0);
		assert_true(v.go);
		assert_string_equal(v.uid, r.cap);
	}
	/* The part: the program's, an approved alternate, or wrong. */
	expect(h, "M1", "1", r.res, false, "wrong_part", "is RES, slot 1 of program TOP wants CAP");
	expect(h, "M1", "1", r.capb, true, "alternate", "an approved alternate for CAP");
	expect(h, "M1", "1", r.capx, false, "wrong_part", "is CAPX");
	expect(h, "M1", "3", r.res, true, "ok", NULL);
	assert_int_equal(ecms_setup_verify(h, "M1", "1", r.capb, &v), 0);
	assert_string_equal(v.expected_ipn, "CAP");
	assert_string_equal(v.package_ipn, "CAPB");
	assert_string_equal(v.program, "TOP");
	assert_int_equal(v.program_version, 1);
	/* Status, each way. */
	set_status(h, r.cap, "quarantined");
	expect(h, "M1", "1", r.cap, false, "quarantined", "is in quarantine");
	set_status(h, r.cap, "rejected");
	expect(h, "M1", "1", r.cap, false, "rejected", "was rejected");
	set_status(h, r.cap, "on_hold");
	expect(h, "M1", "1", r.cap, false, "on_hold", "is on hold");
	set_status(h, r.cap, "consumed");
	expect(h, "M1", "1", r.cap, false, "consumed", "used up");
	set_status(h, r.cap, "scrapped");
	expect(h, "M1", "1", r.cap, false, "scrapped", "was scrapped");
	set_status(h, r.cap, "available");
	expect(h, "M1", "1", r.cap, true, "ok", NULL);
	/* Shelf life: 3650 days from the 2025 week 50 date code. */
	ecms_set_now(h, TU_NOW_MS + 3700 * DAY_MS);
	expect(h, "M1", "1", r.cap, false, "expired", "is past its shelf life (ended 2035-");
	ecms_set_now(h, TU_NOW_MS);
	expect(h, "M1", "1", r.cap, true, "ok", NULL);
	/* MSD floor life (MSL 3: 168 h): within, then over. */
	ecms_msd_event_init(&e, ECMS_MSD_EV_OPEN, TU_NOW_MS);
	assert_int_equal(ecms_msd_record(h, r.mcu, &e, NULL), 0);
	ecms_set_now(h, TU_NOW_MS + 100 * HOUR_MS);
	expect(h, "M2", "7", r.mcu, true, "ok", NULL);
	ecms_set_now(h, TU_NOW_MS + 200 * HOUR_MS);
	expect(h, "M2", "7", r.mcu, false, "msd_expired", "floor life expired");
	ecms_set_now(h, TU_NOW_MS);
	/* Loaded elsewhere: on another slot, on another machine. */
	assert_int_equal(ecms_setup_load(h, "M1", "1", r.cap, &v), 0);
	assert_true(v.recorded);
	expect(h, "M1", "1", r.cap, true, "already_loaded", "on slot 1 of M1 already");
	expect(h, "M1", "2", r.cap, false, "loaded_elsewhere", "is loaded on slot 1 of M1");
	assert_string_equal(v.uid, r.cap);
	assert_int_equal(ecms_setup_verify(h, "M1", "2", r.cap, &v), 0);
	assert_string_equal(v.loaded_machine, "M1");
	assert_string_equal(v.loaded_slot, "1");
	assert_int_equal(ecms_gen_load(h, "M2", "9", r.capb, TU_NOW_MS), 0);
	expect(h, "M1", "2", r.capb, false, "loaded_elsewhere", "on machine M2 slot 9");
	assert_int_equal(ecms_gen_unload(h, "M2", "9", TU_NOW_MS), 0);
	expect(h, "M1", "2", r.capb, true, "alternate", NULL);
	assert_int_equal(ecms_setup_unload(h, "M1", "1", NULL), 0);
	expect(h, "M1", "2", r.cap, true, "ok", NULL);
	/* Usage: missing arguments are not a verdict. */
	assert_int_equal(ecms_setup_verify(h, "M1", "", r.cap, &v), ECMS_EUSAGE);
	ecms_close(h);
}

/* The rest of the reasons: labels, a package without part, other
 * statuses, a wet bag, a bake. */
static void
test_verify_more_reasons(void **state)
{
	struct reels r;
	ecms *h = line("verify2.db", &r);
	struct ecms_msd_event e;
	char scan[256], twin[32];

	/* A supplier label received on one package resolves to it; on two it
	 * cannot say which. */
	snprintf(scan, sizeof(scan),
		 "[)>" RS "06" GS "1PRC1" GS "Q10000" GS "1TLR1" GS "9D2550" RS EOT);
	expect(h, "M1", "3", scan, true, "ok", NULL);
	receive(h, "P1", "RC1", "10000", "LR1", twin); /* quarantined: the same label again */
	set_status(h, twin, "available");
	expect(h, "M1", "3", scan, false, "ambiguous_label", "scan the ecms UID label");
	expect(h, "M1", "3", twin, true, "ok", NULL);
	/* A package without a part number. */
	assert_int_equal(ecms__exec(h, "UPDATE packages SET ipn = NULL WHERE uid = ?", "t", r.res),
			 0);
	expect(h, "M1", "3", r.res, false, "no_part", "has no part number");
	assert_int_equal(ecms__exec(h, "UPDATE packages SET ipn = 'RES' WHERE uid = ?", "t", r.res),
			 0);
	expect(h, "M1", "3", r.res, true, "ok", NULL);
	/* A status this module does not know by name is not loaded either. */
	set_status(h, r.res, "in_transit");
	expect(h, "M1", "3", r.res, false, "not_released", "is in_transit");
	set_status(h, r.res, "available");
	/* A wet bag (HIC 60 %) needs a bake; in the oven it is not usable; a
	 * valid bake makes it GO again. */
	ecms_msd_event_init(&e, ECMS_MSD_EV_OPEN, TU_NOW_MS);
	e.hic_pct = 60;
	assert_int_equal(ecms_msd_record(h, r.mcu, &e, NULL), 0);
	expect(h, "M2", "7", r.mcu, false, "msd_bake_required", "bake required before use");
	ecms_set_now(h, TU_NOW_MS + HOUR_MS);
	ecms_msd_event_init(&e, ECMS_MSD_EV_BAKE_START, TU_NOW_MS + HOUR_MS);
	e.temp_c = 125;
	assert_int_equal(ecms_msd_record(h, r.mcu, &e, NULL), 0);
	ecms_set_now(h, TU_NOW_MS + 2 * HOUR_MS);
	expect(h, "M2", "7", r.mcu, false, "msd_baking", "being baked at 125");
	ecms_set_now(h, TU_NOW_MS + 60 * HOUR_MS);
	ecms_msd_event_init(&e, ECMS_MSD_EV_BAKE_END, TU_NOW_MS + 60 * HOUR_MS);
	if (ecms_msd_record(h, r.mcu, &e, NULL) != ECMS_OK)
		fail_msg("bake end: %s", ecms_errmsg(h));
	expect(h, "M2", "7", r.mcu, true, "ok", NULL);
	ecms_close(h);
}

static void
test_load_splice_unload(void **state)
{
	struct reels r;
	ecms *h = line("load.db", &r);
	struct ecms_setup_verdict v;
	int64_t ev, ref;
	json_t *o, *l;
	char *uid;

	/* A NO-GO changes nothing in the setup, and is recorded. */
	ev = count(h, "SELECT COUNT(*) FROM events");
	assert_int_equal(ecms_setup_load(h, "M1", "1", r.res, &v), ECMS_EREFUSED);
	assert_false(v.go);
	assert_false(v.recorded);
	assert_non_null(strstr(ecms_errmsg(h), "NO-GO: wrong part"));
	assert_int_equal(count(h, "SELECT COUNT(*) FROM gen_mounts"), 0);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events"), ev + 1);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type = 'setup.refused'"), 1);
	assert_int_equal(ecms_setup_refusals(h, "M1", &l), 0);
	assert_int_equal(json_array_size(l), 1);
	o = json_array_get(l, 0);
	assert_string_equal(json_string_value(json_object_get(o, "code")), "wrong_part");
	assert_string_equal(json_string_value(json_object_get(o, "actor")), "ola");
	assert_string_equal(json_string_value(json_object_get(o, "expected_ipn")), "CAP");
	assert_string_equal(json_string_value(json_object_get(o, "package_ipn")), "RES");
	json_decref(l);
	/* GO: the load is the genealogy's event, with the operator. */
	assert_int_equal(ecms_setup_load(h, "M1", "1", r.cap, &v), 0);
	assert_true(v.recorded);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type = 'genealogy.setup' AND "
				  "actor = 'ola'"),
			 1);
	/* The reel is on the machine now: moved there (stock counts it in
	 * production), the move stamped with the load's event. */
	assert_int_equal(count(h,
			       "SELECT COUNT(*) FROM packages p JOIN package_moves m ON "
			       "m.uid = p.uid AND m.to_loc = 'M1' JOIN events e ON e.seq = m.seq "
			       "AND e.type = 'genealogy.setup' WHERE p.location = 'M1'"),
			 1);
	/* Loading it again: GO, nothing written. */
	ev = count(h, "SELECT COUNT(*) FROM events");
	assert_int_equal(ecms_setup_load(h, "M1", "1", r.cap, &v), 0);
	assert_string_equal(v.code, "already_loaded");
	assert_false(v.recorded);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events"), ev);
	/* Splices: onto an empty slot, a different part, the same part. */
	assert_int_equal(ecms_setup_splice(h, "M1", "3", r.res, 0, &v), ECMS_EREFUSED);
	assert_string_equal(v.code, "slot_empty");
	assert_int_equal(ecms_setup_load(h, "M1", "2", r.capb, &v), 0);
	assert_string_equal(v.code, "alternate");
	assert_int_equal(ecms_setup_splice(h, "M1", "2", r.cap2, 0, &v), ECMS_EREFUSED);
	assert_string_equal(v.code, "splice_part_differs");
	assert_string_equal(v.running_uid, r.capb);
	assert_int_equal(ecms_setup_splice(h, "M1", "1", r.res, 0, &v), ECMS_EREFUSED);
	assert_string_equal(v.code, "wrong_part");
	set_status(h, r.cap2, "on_hold");
	assert_int_equal(ecms_setup_splice(h, "M1", "1", r.cap2, 0, &v), ECMS_EREFUSED);
	assert_string_equal(v.code, "on_hold");
	set_status(h, r.cap2, "available");
	/* A restricted part: the operator may load it, and the access log says
	 * who did. */
	assert_int_equal(ecms__exec(h, "UPDATE parts SET restricted = 1 WHERE ipn = 'CAP'", ""), 0);
	assert_int_equal(ecms_setup_splice(h, "M1", "1", r.cap2, 5, &v), 0);
	assert_true(v.go && v.recorded);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM package_access WHERE action = 'splice' AND "
				  "allowed = 1 AND actor = 'ola'"),
			 1);
	assert_string_equal(v.running_uid, r.cap);
	/* Either reel of the grey zone again: on the slot already. */
	assert_int_equal(ecms_setup_splice(h, "M1", "1", r.cap, 0, &v), 0);
	assert_string_equal(v.code, "already_loaded");
	assert_false(v.recorded);
	assert_int_equal(ecms_setup_splice(h, "M1", "1", r.cap2, 0, &v), 0);
	assert_string_equal(v.code, "already_loaded");
	assert_int_equal(ecms_gen_setup(h, "M1", &o), 0);
	l = json_object_get(json_array_get(json_object_get(o, "slots"), 0), "candidates");
	assert_int_equal(json_array_size(l), 2);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(json_object_get(o, "slots"), 0), "grey_left")),
			 5);
	json_decref(o);
	ref = count(h, "SELECT COUNT(*) FROM setup_refusals");
	assert_int_equal(ref, 5);
	/* Unload: the reel comes back; an empty slot is refused. */
	assert_int_equal(ecms_setup_unload(h, "M1", "2", &uid), 0);
	assert_string_equal(uid, r.capb);
	ecms_free(uid);
	assert_int_equal(ecms_setup_unload(h, "M1", "2", NULL), ECMS_EREFUSED);
	assert_int_equal(ecms_setup_unload(h, "M1", "77", NULL), ECMS_ENOTFOUND);
	/* A refusal inside a caller's transaction survives with it. */
	assert_int_equal(ecms__begin(h), 0);
	assert_int_equal(ecms_setup_load(h, "M1", "2", r.res, &v), ECMS_EREFUSED);
	assert_int_equal(ecms__end(h, ECMS_OK), 0);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM setup_refusals"), ref + 1);
	ecms_close(h);
}

static void
test_check(void **state)
{
	struct reels r;
	ecms *h = line("check.db", &r);
	struct ecms_setup_verdict v;
	json_t *o, *s;

	assert_int_equal(ecms_setup_check(h, "M9", &o), ECMS_ENOTFOUND);
	assert_int_equal(ecms__exec(h, "DELETE FROM setup_active WHERE machine = 'M2'", ""), 0);
	assert_int_equal(ecms_setup_check(h, "M2", &o), ECMS_EREFUSED);
	assert_int_equal(ecms_setup_load(h, "M1", "1", r.cap, &v), 0);
	assert_int_equal(ecms_setup_load(h, "M1", "2", r.capb, &v), 0);
	/* A wrong reel put there behind the interlock's back (as a line may
	 * report it), and one on a slot the program does not use. */
	assert_int_equal(ecms_gen_load(h, "M1", "3", r.capx, TU_NOW_MS), 0);
	assert_int_equal(ecms_gen_load(h, "M1", "8", r.res, TU_NOW_MS), 0);
	assert_int_equal(ecms_setup_check(h, "M1", &o), 0);
	assert_false(json_is_true(json_object_get(o, "ok")));
	s = json_object_get(o, "slots");
	assert_string_equal(json_string_value(json_object_get(json_array_get(s, 0), "state")),
			    "ok");
	assert_string_equal(json_string_value(json_object_get(json_array_get(s, 1), "state")),
			    "alternate");
	assert_string_equal(json_string_value(json_object_get(json_array_get(s, 2), "state")),
			    "wrong_part");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(o, "extra"), 0), "slot")),
			    "8");
	json_decref(o);
	/* The right reel on 3; then the reel on 1 goes on hold (a recall). */
	assert_int_equal(ecms_gen_unload(h, "M1", "8", TU_NOW_MS), 0);
	assert_int_equal(ecms_setup_load(h, "M1", "3", r.res, &v), 0);
	assert_int_equal(ecms_setup_check(h, "M1", &o), 0);
	assert_true(json_is_true(json_object_get(o, "ok")));
	json_decref(o);
	set_status(h, r.cap, "on_hold");
	assert_int_equal(ecms_setup_unload(h, "M1", "2", NULL), 0);
	assert_int_equal(ecms_setup_check(h, "M1", &o), 0);
	assert_false(json_is_true(json_object_get(o, "ok")));
	s = json_object_get(o, "slots");
	assert_string_equal(json_string_value(json_object_get(json_array_get(s, 0), "state")),
			    "unusable");
	assert_string_equal(json_string_value(json_object_get(json_array_get(s, 0), "code")),
			    "on_hold");
	assert_string_equal(json_string_value(json_object_get(json_array_get(s, 1), "state")),
			    "missing");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "counts"), "ok")),
			 1);
	json_decref(o);
	ecms_close(h);
}

/* The decision's cost: many verifies on a small line. Prints the p99. */
static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void
test_verify_speed(void **state)
{
	struct reels r;
	ecms *h = line("speed.db", &r);
	struct ecms_setup_verdict v;
	enum { N = 2000 };
	int64_t *ns = calloc(N, sizeof(*ns));

	assert_non_null(ns);
	assert_int_equal(ecms_setup_load(h, "M1", "1", r.cap, &v), 0);
	for (int i = 0; i < N; i++) {
		struct timespec a, b;
		const char *uid = i % 3 == 0 ? r.cap : i % 3 == 1 ? r.capb : r.res;
		clock_gettime(CLOCK_MONOTONIC, &a);
		assert_int_equal(ecms_setup_verify(h, "M1", i % 2 ? "1" : "2", uid, &v), 0);
		clock_gettime(CLOCK_MONOTONIC, &b);
		ns[i] = (b.tv_sec - a.tv_sec) * 1000000000 + (b.tv_nsec - a.tv_nsec);
	}
	qsort(ns, N, sizeof(*ns), cmp_i64);
	print_message("setup verify: median %lld us, p99 %lld us (%d calls, this build)\n",
		      (long long)ns[N / 2] / 1000, (long long)ns[N * 99 / 100] / 1000, N);
	free(ns);
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_program_import),
		cmocka_unit_test(test_program_errors),
		cmocka_unit_test(test_changeover),
		cmocka_unit_test(test_verify_reasons),
		cmocka_unit_test(test_verify_more_reasons),
		cmocka_unit_test(test_load_splice_unload),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_verify_speed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
