/*
 * qfactory.h: a small factory for the quality and report tests (included
 * by test_quality.c and test_report.c): parts with peak ratings and
 * RoHS/REACH data, a supplier, a PO, received reels (one with a CoC), the
 * HM-100 BOM, a work order, and boards B1..Bn placed through the
 * genealogy API on machine M1 (S1: C-0402-104 -> C1, C2; S2: U-AFE-1292
 * -> U1; S3: R-0402-10K -> R1, not RoHS-declared).
 */
#ifndef ECMS_QFACTORY_H
#define ECMS_QFACTORY_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"
#include "ecms/cfx.h"
#include "ecms/genealogy.h"
#include "ecms/master.h"
#include "ecms/production.h"
#include "ecms/receiving.h"
#include "ecms/reflow.h"
#include "store/store.h"

#define QOK(h, expr)                                                                               \
	do {                                                                                       \
		int rc_ = (expr);                                                                  \
		if (rc_ != ECMS_OK)                                                                \
			fail_msg("%s:%d: %s: rc %d: %s", __FILE__, __LINE__, #expr, rc_,           \
				 ecms_errmsg(h));                                                  \
	} while (0)

/* Not every test program uses every helper. */
#pragma GCC diagnostic ignored "-Wunused-function"

#define QGS "\x1d"
#define QRS "\x1e"

struct qfactory {
	ecms *h;
	char cap[16], afe[16], res[16]; /* the reels' UIDs */
};

static void
qf_import(ecms *h, const char *kind, const char *name, const char *text)
{
	char *p = tu_write_file(name, text);
	ecms_import_report rep;

	if (ecms_import(h, kind, p, &rep) != ECMS_OK)
		fail_msg("import %s: %s\n%s", name, ecms_errmsg(h), rep.errors ? rep.errors : "");
	ecms_import_report_cleanup(&rep);
	free(p);
}

static void
qf_receive(ecms *h, const char *po, const char *mpn, const char *qty, const char *lot,
	   const char *dc, char *uid)
{
	char scan[512];
	ecms_receive_req r = { 0 };
	json_t *out = NULL;

	snprintf(scan, sizeof(scan),
		 "[)>" QRS "06" QGS "1P%s" QGS "Q%s" QGS "1T%s" QGS "9D%s" QRS "\x04", mpn, qty,
		 lot, dc);
	r.po = po;
	r.scan = scan;
	r.scan_len = strlen(scan);
	if (ecms_receive(h, &r, &out) != ECMS_OK)
		fail_msg("receive %s: %s", mpn, ecms_errmsg(h));
	snprintf(uid, 16, "%s", json_string_value(json_object_get(out, "uid")));
	json_decref(out);
}

/* Place board serial in work order WO-1 at minute `min`. */
static void
qf_board(ecms *h, const char *serial, int min)
{
	int64_t t = TU_NOW_MS + (int64_t)min * 60000;

	QOK(h, ecms_gen_board_pass(h, serial, "WO-1", "M1", "HM-TOP", t, t + 30000));
}

static void
qf_open(struct qfactory *f, const char *db, int nboards)
{
	ecms *h = tu_open_store(db);
	char *coc = tu_write_file("coc-l7781.pdf", "%PDF-1.4 certificate of conformance L7781\n");
	const char *lots[] = { "L7781" };
	ecms_coc_new cn = { "DIGIKEY", "ADS1292RIPBSR", lots, 1, "2026-01-02", NULL, coc };
	char *cocid = NULL, *bom;
	ecms_import_report rep;
	ecms_wo_new wo = { "WO-1", "HM-100", "B", 10, NULL, "Acme Medical", NULL };
	const char *r_c[] = { "C1", "C2" }, *r_u[] = { "U1" }, *r_r[] = { "R1" };
	struct ecms_gen_slotmap sm[] = { { "S1", "C-0402-104", r_c, 2 },
					 { "S2", "U-AFE-1292", r_u, 1 },
					 { "S3", "R-0402-10K", r_r, 1 } };

	memset(f, 0, sizeof(*f));
	f->h = h;
	qf_import(h, "parts", "qparts.csv",
		  "ipn,description,category,package,aml,msl,thickness_mm,peak_c,rohs,reach,"
		  "std_pack\n"
		  "C-0402-104,Capacitor 100 nF 16 V X7R 0402,capacitor,0402,"
		  "GRM155R71C104KA88D@Murata,1,,260,compliant,compliant,10000\n"
		  "U-AFE-1292,ECG front end ADS1292R,ic,TQFP-32,ADS1292RIPBSR@Texas Instruments,"
		  "3,1.0,245,compliant,svhc,1000\n"
		  "R-0402-10K,Resistor 10k 0402,resistor,0402,RC0402FR-0710KL@Yageo,1,,,unknown,"
		  "unknown,10000\n");
	qf_import(h, "suppliers", "qsup.csv",
		  "id,name,status,authorised,franchises,iso9001_cert,iso9001_expiry\n"
		  "DIGIKEY,Digi-Key Electronics,approved,yes,,ISO-DK,2027-06-30\n");
	qf_import(h, "locations", "qloc.csv",
		  "id,name,kind,parent\nWH,Warehouse,warehouse,\nRCV,Receiving,receiving,WH\n"
		  "QA-HOLD,Quarantine,quarantine,WH\n");
	qf_import(h, "users", "qusers.csv",
		  "id,name,role,badge\nquinn,Quinn Quality,qa,B-2001\nwes,Wes Receiving,"
		  "warehouse,B-3001\n");
	qf_import(h, "po", "qpo.csv",
		  "po,supplier,order_date,line,ipn,mpn,qty,lot,coc_required,tolerance_pct\n"
		  "PO-1001,DIGIKEY,2026-01-05,1,C-0402-104,,20000,,no,0\n"
		  "PO-1001,DIGIKEY,2026-01-05,2,U-AFE-1292,,2000,L7781,yes,0\n"
		  "PO-1001,DIGIKEY,2026-01-05,3,R-0402-10K,,10000,,no,0\n");
	QOK(h, ecms_coc_add(h, &cn, &cocid));
	ecms_free(cocid);
	free(coc);
	QOK(h, ecms_set_actor(h, "wes", "dock1"));
	qf_receive(h, "PO-1001", "GRM155R71C104KA88D", "10000", "2231A", "2548", f->cap);
	qf_receive(h, "PO-1001", "ADS1292RIPBSR", "1000", "L7781", "2601", f->afe);
	qf_receive(h, "PO-1001", "RC0402FR-0710KL", "10000", "Y55", "2550", f->res);
	QOK(h, ecms_set_actor(h, "tester", NULL));
	bom = tu_write_file("qbom.csv",
			    "\"Reference\",\"Value\",\"Footprint\",\"Qty\",\"MPN\","
			    "\"Manufacturer\"\n"
			    "\"C1,C2\",\"100n\",\"C_0402\",\"2\",\"GRM155R71C104KA88D\","
			    "\"Murata\"\n"
			    "\"U1\",\"ADS1292R\",\"TQFP-32\",\"1\",\"ADS1292RIPBSR\","
			    "\"Texas Instruments\"\n"
			    "\"R1\",\"10k\",\"R_0402\",\"1\",\"RC0402FR-0710KL\","
			    "\"Yageo\"\n");
	if (ecms_bom_import(h, "HM-100", "B", bom, &rep) != ECMS_OK)
		fail_msg("bom: %s\n%s", ecms_errmsg(h), rep.errors ? rep.errors : "");
	ecms_import_report_cleanup(&rep);
	free(bom);
	QOK(h, ecms_wo_create(h, &wo));
	QOK(h, ecms_gen_program_set(h, "HM-TOP", "M1", sm, 3, NULL));
	QOK(h, ecms_gen_load(h, "M1", "S1", f->cap, TU_NOW_MS));
	QOK(h, ecms_gen_load(h, "M1", "S2", f->afe, TU_NOW_MS));
	QOK(h, ecms_gen_load(h, "M1", "S3", f->res, TU_NOW_MS));
	for (int i = 1; i <= nboards; i++) {
		char s[16];
		snprintf(s, sizeof(s), "B%d", i);
		qf_board(h, s, i);
	}
}

/* A CFX message from a shared example body, with UniqueID uid and
 * Source source. Free with ecms_cfx_msg_free. */
static ecms_cfx_msg *
qf_cfx(const char *file, const char *name, const char *uid, const char *source)
{
	char path[1024];
	json_error_t je;
	json_t *body, *env;
	ecms_cfx_msg *m = NULL;
	ecms_error e;

	snprintf(path, sizeof(path), "%s/cfx/%s", tu_shared_data(), file);
	body = json_load_file(path, 0, &je);
	if (body == NULL)
		fail_msg("%s: %s", path, je.text);
	env = json_pack("{s:s,s:s,s:s,s:s,s:s?,s:o}", "MessageName", name, "Version", "2.1",
			"TimeStamp", "2026-01-15T09:00:00.000+00:00", "UniqueID", uid, "Source",
			source, "MessageBody", body);
	if (ecms_cfx_msg_from_json(env, 1, &m, &e) != ECMS_OK)
		fail_msg("%s: %s", file, e.message);
	json_decref(env);
	return m;
}

/* A CFX message from a body given as JSON text. */
static ecms_cfx_msg *
qf_cfx_text(const char *name, const char *uid, const char *source, const char *ts,
	    const char *body_text)
{
	json_error_t je;
	json_t *body = json_loads(body_text, 0, &je), *env;
	ecms_cfx_msg *m = NULL;
	ecms_error e;

	if (body == NULL)
		fail_msg("body: %s", je.text);
	env = json_pack("{s:s,s:s,s:s,s:s,s:s?,s:o}", "MessageName", name, "Version", "2.1",
			"TimeStamp", ts, "UniqueID", uid, "Source", source, "MessageBody", body);
	if (ecms_cfx_msg_from_json(env, 1, &m, &e) != ECMS_OK)
		fail_msg("%s: %s", name, e.message);
	json_decref(env);
	return m;
}

/* Write a synthetic profile CSV (seed, peak) and return its path (free). */
static char *
qf_profile(const char *name, uint64_t seed, double peak_c)
{
	struct ecms_reflow_synth_params sp;
	struct ecms_reflow_profile *p = NULL;
	char *csv = NULL, *path;
	ecms_error e;

	ecms_reflow_synth_defaults(&sp);
	sp.peak_c = peak_c;
	if (ecms_reflow_synth(seed, &sp, &p, &e) || ecms_reflow_csv_format(p, &csv, NULL, &e))
		fail_msg("synth: %s", e.message);
	path = tu_write_file(name, csv);
	ecms_free(csv);
	ecms_reflow_profile_free(p);
	return path;
}

static int64_t
qf_count(ecms *h, const char *sql)
{
	int64_t n = -1;
	ecms__stmt *st;

	if (ecms__q(h, &st, sql, "") || ecms__step(h, st) != ECMS__ROW)
		fail_msg("count: %s: %s", sql, ecms_errmsg(h));
	n = ecms__col_int(st, 0);
	ecms__done(h, st);
	return n;
}

#endif
