/*
 * trace_fixture.h: a small factory for the trace and recall tests (and,
 * through `test_trace --fixture DB`, for tests/golden/trace.t): parts,
 * suppliers, received reels (one split), a CoC, a BOM with an alternate,
 * two work orders for two customers, and one machine's production built
 * directly on the genealogy API, with a splice grey zone and a package
 * the line names that ecms never received.
 *
 * Goods-in on 2026-01-14 (ALT and Q on 2026-01-12), production from
 * 2026-01-14T08:10Z; "now" is TU_NOW_MS (2026-01-15T08:00Z) afterwards.
 * Reels (UIDs in fx_uid after fixture()):
 *   A   GRM1 lot LOT-A dc 2548 from DK        slot S1 (C1, C2) at first
 *   A2  split from A                          slot S2 (C3)
 *   B   GRM1 lot LOT-B dc 2602 from DK, CoC   spliced onto S1 (grey zone 2)
 *   U   STM1 lot LOT-U dc 2601 from DK        slot S3 (U1), then
 *       XU-NOTRECEIVED (never received)       slot S3 from minute 16
 *   ALT CL05 (the BOM's alternate) lot LOT-C from MOU, on no board
 *   Q   GRM1 lot LOT-A from BROKER: quarantined on arrival, on no board
 * Boards (HM rev A; WO1 for ACME, WO2 for BETA), one pass each at M1:
 *   WO1-00001 min 11 completed  C1 C2 = A, C3 = A2, U1 = U
 *   WO1-00002 min 12 completed  same
 *   WO1-00003 min 14 wip        C1 C2 ambiguous {A, B} (grey zone)
 *   WO1-00004 min 15 scrapped   C1 C2 = B
 *   WO2-00001 min 17 completed  C1 C2 = B, U1 = XU-NOTRECEIVED
 *   WO2-00002 min 18 wip        same
 */
#ifndef TRACE_FIXTURE_H
#define TRACE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "board.h"
#include "ecms/auth.h"
#include "ecms/board.h"
#include "ecms/genealogy.h"
#include "ecms/master.h"
#include "ecms/production.h"
#include "ecms/receiving.h"
#include "ecms/warehouse.h"
#include "event.h"
#include "store/store.h"

#define FX_GS          "\x1d"
#define FX_RS          "\x1e"
#define FX_DAY         INT64_C(86400000)
#define FX_BASE        (TU_NOW_MS - FX_DAY) /* 2026-01-14T08:00Z: goods-in, then production */
#define FX_T(min, sec) (FX_BASE + (int64_t)(min)*60000 + (int64_t)(sec)*1000)
#define FX_QA_PASSWORD "quinn-secret-1"
#define FX_QA_PIN      "4711" /* with badge B-1 */

enum { FX_A, FX_A2, FX_B, FX_U, FX_ALT, FX_Q, FX_N };
static char fx_uid[FX_N][32];

static int
fx_fail(ecms *h, const char *what)
{
	fprintf(stderr, "fixture: %s: %s\n", what, ecms_errmsg(h));
	return 1;
}

#define FX(h, expr)                                                                                \
	do {                                                                                       \
		if ((expr) != ECMS_OK)                                                             \
			return fx_fail(h, #expr);                                                  \
	} while (0)

static int
fx_import(ecms *h, const char *dir, const char *kind, const char *text)
{
	char path[512];
	FILE *f;
	ecms_import_report rep;
	int rc;

	snprintf(path, sizeof(path), "%s/fx-%s.csv", dir, kind);
	f = fopen(path, "w");
	if (!f)
		return 1;
	fputs(text, f);
	fclose(f);
	rc = ecms_import(h, kind, path, &rep);
	if (rc)
		fprintf(stderr, "fixture import %s: %s\n%s\n", kind, ecms_errmsg(h),
			rep.errors ? rep.errors : "");
	ecms_import_report_cleanup(&rep);
	return rc;
}

static int
fx_receive(ecms *h, const char *po, const char *mpn, const char *lot, const char *dc, char uid[32])
{
	char scan[256];
	ecms_receive_req r = { .po = po, .scan = scan };
	json_t *out;

	snprintf(scan, sizeof(scan),
		 "[)>" FX_RS "06" FX_GS "1P%s" FX_GS "Q5000" FX_GS "1T%s" FX_GS "9D%s" FX_RS "\x04",
		 mpn, lot, dc);
	r.scan_len = strlen(scan);
	if (ecms_receive(h, &r, &out) != ECMS_OK)
		return fx_fail(h, "receive");
	snprintf(uid, 32, "%s", json_string_value(json_object_get(out, "uid")));
	json_decref(out);
	return 0;
}

static int
fx_pass(ecms *h, const char *serial, const char *wo, int min, const char *status)
{
	int64_t seq;

	FX(h, ecms_gen_board_pass(h, serial, wo, "M1", "HM-A-TOP", FX_T(min, 0), FX_T(min, 30)));
	FX(h, ecms__begin(h));
	FX(h, ecms__event(h, "test.line", json_pack("{s:s}", "serial", serial), &seq));
	FX(h,
	   ecms__board_step(h, serial, "M1", "placed", "pass", "olga", NULL, FX_T(min, 30), seq));
	if (strcmp(status, "wip") != 0 && strcmp(status, "scrapped") != 0)
		FX(h, ecms__board_set_status(h, serial, status, FX_T(min, 40), seq));
	if (strcmp(status, "scrapped") == 0)
		FX(h, ecms__board_set_status(h, serial, status, FX_T(min, 40), seq));
	FX(h, ecms__end(h, ECMS_OK));
	return 0;
}

/* Build the factory in h (a fresh, initialised store); dir for files. */
static int
fixture(ecms *h, const char *dir)
{
	const char *c12[] = { "C1", "C2" }, *c3[] = { "C3" }, *u1[] = { "U1" };
	const struct ecms_gen_slotmap prog[] = {
		{ "S1", "C-100N", c12, 2 },
		{ "S2", "C-100N", c3, 1 },
		{ "S3", "U-MCU", u1, 1 },
	};
	const char *lots_b[] = { "LOT-B" };
	char path[512], *coc = NULL;
	ecms_import_report rep;
	json_t *o;
	FILE *f;

	ecms_set_now(h, FX_BASE);
	if (fx_import(h, dir, "parts",
		      "ipn,description,category,aml,msl\n"
		      "C-100N,cap 100n,capacitor,GRM1@Murata,1\n"
		      "C-100N-ALT,cap 100n alternate,capacitor,CL05@Samsung,1\n"
		      "U-MCU,mcu,ic,STM1@ST,1\n") ||
	    fx_import(h, dir, "suppliers",
		      "id,name,status,authorised,iso9001_cert,iso9001_expiry\n"
		      "DK,Digi-Key,approved,yes,C1,2030-01-01\n"
		      "MOU,Mouser,approved,yes,C2,2030-01-01\n"
		      "BROKER,Broker Ltd,conditional,no,C3,2030-01-01\n") ||
	    fx_import(h, dir, "locations",
		      "id,name,kind,parent,rh_class,capacity\nWH,W,warehouse,,,\n"
		      "RCV,R,receiving,WH,,\nQH,Q,quarantine,WH,,\nL1,Line 1,line_side,,,\n") ||
	    fx_import(h, dir, "users",
		      "id,name,role,badge\nquinn,Quinn Quality,qa,B-1\nwes,Wes,warehouse,B-2\n"
		      "olga,Olga,operator,B-3\n") ||
	    fx_import(h, dir, "po",
		      "po,supplier,order_date,line,ipn,qty\n"
		      "P1,DK,2026-01-01,1,C-100N,100000\nP1,DK,2026-01-01,2,U-MCU,10000\n"
		      "P2,MOU,2026-01-01,1,C-100N-ALT,100000\n"
		      "P3,BROKER,2026-01-01,1,C-100N,100000\n"))
		return 1;
	FX(h, ecms_auth_set(h, "quinn", ECMS_SECRET_PASSWORD, FX_QA_PASSWORD));
	FX(h, ecms_auth_set(h, "quinn", ECMS_SECRET_PIN, FX_QA_PIN));
	FX(h, ecms_set_actor(h, "wes", "goods-in"));
	/* A CoC for lot LOT-B, linked to B when it arrives. */
	snprintf(path, sizeof(path), "%s/fx-coc.pdf", dir);
	if (!(f = fopen(path, "w")))
		return 1;
	fputs("%PDF-1.4 certificate of conformance LOT-B\n", f);
	fclose(f);
	FX(h, ecms_coc_add(h,
			   &(ecms_coc_new){ .supplier = "DK",
					    .mpn = "GRM1",
					    .lots = lots_b,
					    .nlots = 1,
					    .issued = "2026-01-02",
					    .path = path },
			   &coc));
	ecms_free(coc);
	if (fx_receive(h, "P1", "GRM1", "LOT-A", "2548", fx_uid[FX_A]) ||
	    fx_receive(h, "P1", "GRM1", "LOT-B", "2602", fx_uid[FX_B]) ||
	    fx_receive(h, "P1", "STM1", "LOT-U", "2601", fx_uid[FX_U]))
		return 1;
	ecms_set_now(h, FX_BASE - 2 * FX_DAY);
	if (fx_receive(h, "P2", "CL05", "LOT-C", "2601", fx_uid[FX_ALT]) ||
	    fx_receive(h, "P3", "GRM1", "LOT-A", "2548", fx_uid[FX_Q]))
		return 1;
	ecms_set_now(h, FX_BASE);
	FX(h, ecms_split(h, fx_uid[FX_A], 1000, &o));
	snprintf(fx_uid[FX_A2], 32, "%s", json_string_value(json_object_get(o, "child")));
	json_decref(o);
	/* The product: BOM with an alternate for the capacitors. */
	snprintf(path, sizeof(path), "%s/fx-bom.csv", dir);
	if (!(f = fopen(path, "w")))
		return 1;
	fputs("Reference,Qty,MPN,Alternates\n\"C1,C2,C3\",3,GRM1,C-100N-ALT\nU1,1,STM1,\n", f);
	fclose(f);
	FX(h, ecms_bom_import(h, "HM", "A", path, &rep));
	ecms_import_report_cleanup(&rep);
	FX(h, ecms_wo_create(h, &(ecms_wo_new){ .id = "WO1",
						.product = "HM",
						.rev = "A",
						.qty = 4,
						.customer = "ACME" }));
	FX(h, ecms_wo_create(h, &(ecms_wo_new){ .id = "WO2",
						.product = "HM",
						.rev = "A",
						.qty = 2,
						.customer = "BETA" }));
	FX(h, ecms_board_allocate(h, "WO1", 4, 0, &o));
	json_decref(o);
	FX(h, ecms_board_allocate(h, "WO2", 2, 0, &o));
	json_decref(o);
	/* The line. */
	FX(h, ecms_set_actor(h, "olga", "M1"));
	FX(h, ecms_gen_program_set(h, "HM-A-TOP", "M1", prog, 3, NULL));
	FX(h, ecms_gen_load(h, "M1", "S1", fx_uid[FX_A], FX_T(10, 0)));
	FX(h, ecms_gen_load(h, "M1", "S2", fx_uid[FX_A2], FX_T(10, 0)));
	FX(h, ecms_gen_load(h, "M1", "S3", fx_uid[FX_U], FX_T(10, 0)));
	if (fx_pass(h, "WO1-00001", "WO1", 11, "completed") ||
	    fx_pass(h, "WO1-00002", "WO1", 12, "completed"))
		return 1;
	FX(h, ecms_gen_splice(h, "M1", "S1", fx_uid[FX_B], FX_T(13, 0), 2));
	if (fx_pass(h, "WO1-00003", "WO1", 14, "wip") ||
	    fx_pass(h, "WO1-00004", "WO1", 15, "scrapped"))
		return 1;
	FX(h, ecms_gen_load(h, "M1", "S3", "XU-NOTRECEIVED", FX_T(16, 0)));
	if (fx_pass(h, "WO2-00001", "WO2", 17, "completed") ||
	    fx_pass(h, "WO2-00002", "WO2", 18, "wip"))
		return 1;
	FX(h, ecms_set_actor(h, "tester", "unit"));
	ecms_set_now(h, TU_NOW_MS);
	return 0;
}

#endif
