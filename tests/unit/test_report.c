/*
 * test_report.c: the reports. A small order of three boards with reflow
 * profiles (one over a component's rating), an AOI defect with an image,
 * tests (one on lapsed equipment) and a component replacement; then the
 * birth certificate as JSON (every field of issue 7 item 5), HTML and PDF
 * (checked through pdftotext and pdftoppm), the order package (every file
 * of the ZIP checked against the manifest's SHA-256 with unzip), the
 * compliance report (flags the undeclared part, verifies the log, and
 * notices a tampered one). The same data gives the same bytes.
 *
 * With ECMS_REPORT_KEEP=DIR the documents are also written there, for a
 * person to look at.
 */
#include "qfactory.h"

#include <unistd.h>

#include "board.h"
#include "document.h"
#include "ecms/auth.h"
#include "ecms/recall.h"
#include "ecms/ship.h"
#include "ecms/event.h"
#include "ecms/quality.h"
#include "ecms/report.h"

/* fontconfig (under cairo's text) keeps caches for the process's life;
 * LeakSanitizer is told they are not ours. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig\n";
}

static const char *
s(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static char *
save(const char *name, const unsigned char *data, size_t len)
{
	char *p = tu_path(name);
	FILE *f = fopen(p, "wb");
	const char *keep = getenv("ECMS_REPORT_KEEP");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	if (keep && *keep) {
		char k[1024];
		snprintf(k, sizeof(k), "%s/%s", keep, name);
		f = fopen(k, "wb");
		if (f) {
			fwrite(data, 1, len, f);
			fclose(f);
		}
	}
	return p;
}

/* The output of a shell command (free()). */
static char *
run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char *buf = calloc(1, 1 << 20);
	size_t n;

	assert_non_null(p);
	n = fread(buf, 1, (1 << 20) - 1, p);
	buf[n] = '\0';
	assert_int_equal(pclose(p), 0);
	return buf;
}

static void
need_tool(const char *t)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", t);
	if (system(cmd) != 0)
		fail_msg("%s is needed (tools/deps.sh check installs it)", t);
}

static const char aoi_body[] =
	"{\"TransactionId\":\"t-aoi\",\"InspectionMethod\":\"AOI\",\"Inspector\":"
	"{\"OperatorIdentifier\":\"AOI-OP-3\"},\"RecipeName\":\"HM-100-TOP\",\"RecipeRevision\":"
	"\"4\",\"InspectedUnits\":[{\"UnitIdentifier\":\"B1\",\"OverallResult\":\"Failed\","
	"\"Inspections\":[{\"UniqueIdentifier\":\"i1\",\"InspectionName\":\"SOLDER_C2\","
	"\"Result\":\"Failed\",\"DefectsFound\":[{\"UniqueIdentifier\":\"d1\",\"DefectCode\":"
	"\"ISFSLD112\",\"DefectCategory\":\"Solder\",\"Description\":\"Insufficient solder on C2 "
	"pin 1\",\"ComponentOfInterest\":{\"ReferenceDesignator\":\"C2.1\"},\"DefectImages\":"
	"[{\"MimeType\":\"image/png\",\"ImageData\":\"iVBORw0KGgo=\"}]}]}]},"
	"{\"UnitIdentifier\":\"B2\",\"OverallResult\":\"Passed\",\"Inspections\":[]},"
	"{\"UnitIdentifier\":\"B3\",\"OverallResult\":\"Passed\",\"Inspections\":[]}]}";

/* The order: B1 good, B2 over U1's rating and reworked, B3 tested on
 * lapsed equipment. */
static void
order(struct qfactory *f)
{
	char *good = qf_profile("r-good.csv", 1, 243), *hot = qf_profile("r-hot.csv", 2, 248);
	char *cert = tu_write_file("ict-cal.pdf", "%PDF calibration ICT-1 2025\n");
	char *tests = tu_write_file(
		"ict.json",
		"[{\"serial\":\"B1\",\"time\":\"2026-01-15T10:00:00Z\",\"method\":\"ICT\","
		"\"station\":\"ICT-ST1\",\"technician\":\"T-17\",\"equipment\":\"ICT-1\","
		"\"recipe\":\"HM-ICT r3\",\"measurements\":[{\"test\":\"passives\",\"name\":\"C1\","
		"\"value\":101.2,\"unit\":\"nF\",\"min\":90,\"max\":110,\"refdes\":\"C1\"},"
		"{\"test\":\"passives\",\"name\":\"R1\",\"value\":10.02,\"unit\":\"kOhm\",\"min\":9.9,"
		"\"max\":10.1,\"refdes\":\"R1\"}]},"
		"{\"serial\":\"B2\",\"time\":\"2026-01-15T10:05:00Z\",\"method\":\"ICT\","
		"\"station\":\"ICT-ST1\",\"technician\":\"T-17\",\"equipment\":\"ICT-1\","
		"\"measurements\":[{\"name\":\"U1_VREF\",\"value\":2.61,\"unit\":\"V\",\"min\":2.38,"
		"\"max\":2.42,\"refdes\":\"U1\"}]},"
		"{\"serial\":\"B3\",\"time\":\"2026-03-01T10:00:00Z\",\"method\":\"ICT\","
		"\"station\":\"ICT-ST1\",\"technician\":\"T-18\",\"equipment\":\"ICT-1\","
		"\"measurements\":[{\"name\":\"C1\",\"value\":99,\"unit\":\"nF\",\"min\":90,"
		"\"max\":110}]}]");
	struct ecms_quality_cfx_report rep;
	ecms_cfx_msg *m;
	char afe2[16];
	struct ecms_repair_req r = { "B2", "replaced U1 after VREF failure", "U1", NULL, "quinn",
				     NULL, TU_NOW_MS + 4 * 3600000 };
	json_t *o;

	qf_open(f, "report.db", 3);
	QOK(f->h, ecms_quality_reflow_import(f->h, "B1", good, NULL, TU_NOW_MS + 600000, &o));
	json_decref(o);
	QOK(f->h, ecms_quality_reflow_import(f->h, "B2", hot, NULL, TU_NOW_MS + 660000, &o));
	json_decref(o);
	QOK(f->h, ecms_quality_reflow_import(f->h, "B3", good, NULL, TU_NOW_MS + 720000, &o));
	json_decref(o);
	m = qf_cfx_text("CFX.Production.TestAndInspection.UnitsInspected", "uid-aoi-7", "AOI-1",
			"2026-01-15T09:30:00Z", aoi_body);
	QOK(f->h, ecms_quality_apply_cfx(f->h, m, NULL, 0, &rep));
	ecms_cfx_msg_free(m);
	QOK(f->h, ecms_equipment_add(f->h, "ICT-1", "Teradyne TestStation", "ICT", "TS-991"));
	QOK(f->h, ecms_equipment_calibrate(f->h, "ICT-1", "2025-02-01", "2026-01-31", cert));
	QOK(f->h, ecms_quality_test_import(f->h, tests, &o));
	json_decref(o);
	QOK(f->h, ecms_set_actor(f->h, "wes", NULL));
	qf_receive(f->h, "PO-1001", "ADS1292RIPBSR", "500", "L7781", "2602", afe2);
	QOK(f->h, ecms_set_actor(f->h, "tester", NULL));
	r.new_uid = afe2;
	QOK(f->h, ecms_quality_repair(f->h, &r, &o));
	json_decref(o);
	free(good);
	free(hot);
	free(cert);
	free(tests);
}

static void
test_board_json(void **state)
{
	struct qfactory f;
	json_t *j, *c, *e;
	int64_t seq;
	char hash[65];
	size_t i;
	bool u1 = false;

	order(&f);
	QOK(f.h, ecms_report_board_json(f.h, "B1", &j));
	assert_string_equal(s(j, "generated"), "2026-01-15T08:00:00.000Z");
	e = json_object_get(j, "board");
	assert_string_equal(s(e, "work_order"), "WO-1");
	assert_string_equal(s(e, "product"), "HM-100");
	assert_string_equal(s(e, "revision"), "B");
	assert_string_equal(s(e, "customer"), "Acme Medical");
	assert_string_equal(s(e, "status"), "wip");
	assert_int_equal(json_array_size(json_object_get(j, "components")), 4);
	json_array_foreach(json_object_get(j, "components"), i, c) {
		if (strcmp(s(c, "refdes"), "U1") != 0)
			continue;
		u1 = true;
		assert_string_equal(s(c, "uid"), f.afe);
		assert_string_equal(s(c, "ipn"), "U-AFE-1292");
		assert_string_equal(s(c, "mpn"), "ADS1292RIPBSR");
		assert_string_equal(s(c, "manufacturer"), "Texas Instruments");
		assert_string_equal(s(c, "lot"), "L7781");
		assert_string_equal(s(c, "date_code"), "2601");
		assert_string_equal(s(c, "supplier"), "DIGIKEY");
		assert_string_equal(s(c, "po"), "PO-1001");
		assert_string_equal(s(c, "coc"), "COC-000001");
		assert_int_equal(strlen(s(c, "coc_sha256")), 64);
		assert_string_equal(s(c, "machine"), "M1");
		assert_string_equal(s(c, "slot"), "S2");
	}
	assert_true(u1);
	/* Route in time order: placement, reflow, AOI, test. */
	e = json_object_get(j, "route");
	if (json_array_size(e) != 4)
		fail_msg("route: %s", json_dumps(e, JSON_COMPACT));
	assert_string_equal(s(json_array_get(e, 0), "step"), "placement");
	assert_string_equal(s(json_array_get(e, 1), "step"), "reflow");
	assert_string_equal(s(json_array_get(e, 2), "step"), "inspection");
	assert_string_equal(s(json_array_get(e, 3), "step"), "test");
	for (i = 1; i < json_array_size(e); i++)
		assert_true(strcmp(s(json_array_get(e, i - 1), "time"),
				   s(json_array_get(e, i), "time")) <= 0);
	/* Defect with refdes and pin. */
	c = json_array_get(
		json_object_get(json_array_get(json_object_get(j, "inspections"), 0), "defects"),
		0);
	assert_string_equal(s(c, "refdes"), "C2");
	assert_string_equal(s(c, "pin"), "1");
	QOK(f.h, ecms_log_head(f.h, &seq, hash));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "log"), "seq")),
			 seq);
	assert_string_equal(s(json_object_get(j, "log"), "hash"), hash);
	json_decref(j);
	/* B2: rework in the certificate, the new package at U1. */
	QOK(f.h, ecms_report_board_json(f.h, "B2", &j));
	assert_int_equal(json_array_size(json_object_get(j, "rework")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "repairs")), 1);
	assert_string_equal(s(j, "result"), "fail");
	json_decref(j);
	assert_int_equal(ecms_report_board_json(f.h, "NOPE", &j), ECMS_ENOTFOUND);
	/* A splice with a grey zone: C1 and C2 of B4 are ambiguous, and the
	 * certificate names both reels with their lots. */
	{
		char cap2[16];
		QOK(f.h, ecms_set_actor(f.h, "wes", NULL));
		qf_receive(f.h, "PO-1001", "GRM155R71C104KA88D", "10000", "2240B", "2601", cap2);
		QOK(f.h, ecms_gen_splice(f.h, "M1", "S1", cap2, TU_NOW_MS + 9 * 60000, 4));
		qf_board(f.h, "B4", 10);
		QOK(f.h, ecms_report_board_json(f.h, "B4", &j));
		json_array_foreach(json_object_get(j, "components"), i, c) {
			json_t *cands = json_object_get(c, "candidates");
			if (strcmp(s(c, "refdes"), "C1") != 0)
				continue;
			assert_true(json_is_true(json_object_get(c, "ambiguous")));
			assert_true(json_is_null(json_object_get(c, "uid")));
			assert_int_equal(json_array_size(cands), 2);
			assert_true((strcmp(s(json_array_get(cands, 0), "lot"), "2231A") == 0 &&
				     strcmp(s(json_array_get(cands, 1), "lot"), "2240B") == 0) ||
				    (strcmp(s(json_array_get(cands, 1), "lot"), "2231A") == 0 &&
				     strcmp(s(json_array_get(cands, 0), "lot"), "2240B") == 0));
		}
		json_decref(j);
	}
	/* Oven data (CFX) on B3: a second pass, zones, a bound on the peak. */
	{
		struct ecms_quality_cfx_report rep;
		const char *txn[] = { "B3" };
		ecms_cfx_msg *m =
			qf_cfx("UnitsProcessed.1.body.json",
			       "CFX.Production.Processing.UnitsProcessed", "uid-oven-9", "Oven1");
		unsigned char *pdf;
		size_t len;
		QOK(f.h, ecms_quality_apply_cfx(f.h, m, txn, 1, &rep));
		ecms_cfx_msg_free(m);
		QOK(f.h, ecms_report_board_json(f.h, "B3", &j));
		c = json_array_get(json_object_get(j, "reflow"), 1);
		assert_int_equal(json_integer_value(json_object_get(c, "pass")), 2);
		assert_true(json_array_size(
				    json_object_get(json_object_get(c, "metrics"), "zones")) > 0);
		json_decref(j);
		QOK(f.h, ecms_report_board(f.h, "B3", ECMS_REPORT_PDF, &pdf, &len));
		free(save("B3.pdf", pdf, len));
		ecms_free(pdf);
		QOK(f.h, ecms_report_board(f.h, "B4", ECMS_REPORT_HTML, &pdf, &len));
		assert_non_null(strstr((char *)pdf, "ambiguous:"));
		free(save("B4.html", pdf, len));
		ecms_free(pdf);
	}
	ecms_close(f.h);
}

static void
test_board_pdf_html(void **state)
{
	struct qfactory f;
	unsigned char *a, *b;
	size_t la, lb;
	char *p, cmd[2048], *txt, hash[65];
	int64_t seq;

	need_tool("pdftotext");
	need_tool("pdftoppm");
	order(&f);
	QOK(f.h, ecms_log_head(f.h, &seq, hash));
	QOK(f.h, ecms_report_board(f.h, "B2", ECMS_REPORT_PDF, &a, &la));
	QOK(f.h, ecms_report_board(f.h, "B2", ECMS_REPORT_PDF, &b, &lb));
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_null(memmem(a, la, "/CreationDate", 13));
	ecms_free(b);
	p = save("B2.pdf", a, la);
	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", p);
	txt = run(cmd);
	assert_non_null(strstr(txt, "Board birth certificate"));
	assert_non_null(strstr(txt, "HM-100"));
	assert_non_null(strstr(txt, "Acme Medical"));
	assert_non_null(strstr(txt, "ADS1292RIPBSR"));
	assert_non_null(strstr(txt, "GRM155R71C104KA88D"));
	assert_non_null(strstr(txt, "L7781"));
	assert_non_null(strstr(txt, "Time above liquidus"));
	assert_non_null(strstr(txt, "reflow.component_peak_exceeded"));
	assert_non_null(strstr(txt, "U1_VREF"));
	assert_non_null(strstr(txt, "replaced U1 after VREF failure"));
	assert_non_null(strstr(txt, "Page 1 of"));
	assert_non_null(strstr(txt, hash));
	assert_non_null(strstr(txt, "liquidus 217"));
	free(txt);
	/* Rendered pages. */
	snprintf(cmd, sizeof(cmd),
		 "pdftoppm -r 50 -png '%s' '%s-page' && ls '%s'-page*.png | wc -l", p, p, p);
	txt = run(cmd);
	assert_true(atoi(txt) >= 2);
	free(txt);
	free(p);
	ecms_free(a);
	/* HTML: self-contained, the plot inline as SVG with its own ids. */
	QOK(f.h, ecms_report_board(f.h, "B1", ECMS_REPORT_HTML, &a, &la));
	p = save("B1.html", a, la);
	assert_non_null(strstr((char *)a, "<!DOCTYPE html>"));
	assert_non_null(strstr((char *)a, "<svg"));
	assert_null(strstr((char *)a, "<?xml"));
	assert_null(strstr((char *)a, "src=\"http"));
	assert_non_null(strstr((char *)a, "id=\"p1-"));
	assert_non_null(strstr((char *)a, "C2.1"));
	assert_non_null(strstr((char *)a, hash));
	free(p);
	ecms_free(a);
	QOK(f.h, ecms_report_board(f.h, "B1", ECMS_REPORT_JSON, &a, &la));
	assert_int_equal(a[la - 1], '\n');
	ecms_free(a);
	assert_int_equal(ecms_report_board(f.h, "B1", ECMS_REPORT_ZIP, &a, &la), ECMS_EUSAGE);
	ecms_close(f.h);
}

static size_t progress_calls, progress_last, progress_total;

static void
progress(void *arg, size_t done, size_t total)
{
	(void)arg;
	progress_calls++;
	assert_true(done >= progress_last);
	progress_last = done;
	progress_total = total;
}

static void
test_order_package(void **state)
{
	struct qfactory f;
	unsigned char *a, *b;
	size_t la, lb, i;
	char *p, cmd[2048], *txt;
	json_t *man, *e;
	json_error_t je;

	need_tool("unzip");
	need_tool("pdftotext");
	order(&f);
	QOK(f.h, ecms_report_order(f.h, "WO-1", ECMS_REPORT_ZIP, progress, NULL, &a, &la));
	assert_true(progress_calls >= 3);
	assert_int_equal(progress_last, progress_total);
	QOK(f.h, ecms_report_order(f.h, "WO-1", ECMS_REPORT_ZIP, NULL, NULL, &b, &lb));
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	ecms_free(b);
	p = save("WO-1.zip", a, la);
	ecms_free(a);
	snprintf(cmd, sizeof(cmd), "unzip -tq '%s'", p);
	free(run(cmd));
	snprintf(cmd, sizeof(cmd), "unzip -Z1 '%s'", p);
	txt = run(cmd);
	assert_non_null(strstr(txt, "summary.pdf\n"));
	assert_non_null(strstr(txt, "boards/B1.pdf\n"));
	assert_non_null(strstr(txt, "boards/B3.json\n"));
	assert_non_null(strstr(txt, "cocs/COC-000001-coc-l7781.pdf\n"));
	assert_non_null(strstr(txt, "genealogy.csv\n"));
	assert_non_null(strstr(txt, "manifest.json\n"));
	free(txt);
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' manifest.json", p);
	txt = run(cmd);
	man = json_loads(txt, 0, &je);
	assert_non_null(man);
	free(txt);
	assert_int_equal(json_array_size(json_object_get(man, "files")), 10);
	json_array_foreach(json_object_get(man, "files"), i, e) {
		snprintf(cmd, sizeof(cmd), "unzip -p '%s' '%s' | sha256sum", p, s(e, "name"));
		txt = run(cmd);
		if (strncmp(txt, s(e, "sha256"), 64) != 0)
			fail_msg("%s: manifest %s, file %.64s", s(e, "name"), s(e, "sha256"), txt);
		free(txt);
	}
	json_decref(man);
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' genealogy.csv", p);
	txt = run(cmd);
	assert_non_null(strstr(txt, "serial,work_order,refdes,uid,ipn,mpn,manufacturer,lot,"
				    "date_code,"));
	assert_non_null(strstr(txt, "B3,WO-1,U1,"));
	assert_non_null(strstr(txt, ",L7781,2601,DIGIKEY,PO-1001,COC-000001,no,\n"));
	free(txt);
	snprintf(cmd, sizeof(cmd),
		 "unzip -p '%s' summary.pdf > '%s.summary.pdf' && pdftotext "
		 "'%s.summary.pdf' -",
		 p, p, p);
	txt = run(cmd);
	assert_non_null(strstr(txt, "Traceability package"));
	assert_non_null(strstr(txt, "First-pass test yield"));
	assert_non_null(strstr(txt, "test.calibration_lapsed"));
	free(txt);
	free(p);
	/* One PDF: summary and every certificate. */
	QOK(f.h, ecms_report_order(f.h, "WO-1", ECMS_REPORT_PDF, NULL, NULL, &a, &la));
	p = save("WO-1.pdf", a, la);
	ecms_free(a);
	snprintf(cmd, sizeof(cmd), "pdftotext '%s' - | grep -c 'Board birth certificate$'", p);
	txt = run(cmd);
	assert_true(atoi(txt) >= 3);
	free(txt);
	free(p);
	assert_int_equal(ecms_report_order(f.h, "WO-9", ECMS_REPORT_ZIP, NULL, NULL, &a, &la),
			 ECMS_ENOTFOUND);
	ecms_close(f.h);
}

static void
test_compliance(void **state)
{
	struct qfactory f;
	json_t *j, *e;
	unsigned char *a;
	size_t la, i;
	char *p, cmd[1024], *txt;
	bool res = false, afe = false;

	need_tool("pdftotext");
	order(&f);
	QOK(f.h, ecms_report_compliance_json(f.h, "WO-1", NULL, &j));
	assert_int_equal(json_array_size(json_object_get(j, "boards")), 3);
	json_array_foreach(json_object_get(j, "parts"), i, e) {
		if (strcmp(s(e, "ipn"), "R-0402-10K") == 0) {
			res = true;
			assert_string_equal(s(e, "status"), "missing");
			assert_int_equal(json_integer_value(json_object_get(e, "boards")), 3);
		}
		if (strcmp(s(e, "ipn"), "U-AFE-1292") == 0)
			afe = true, assert_string_equal(s(e, "status"), "svhc");
	}
	assert_true(res && afe);
	assert_int_equal(json_integer_value(json_object_get(j, "flagged")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "cocs")), 1);
	assert_true(json_is_true(
		json_object_get(json_array_get(json_object_get(j, "cocs"), 0), "verified")));
	assert_int_equal(json_array_size(json_object_get(j, "tests")), 3);
	assert_true(json_is_true(json_object_get(json_object_get(j, "audit"), "verified")));
	json_decref(j);
	QOK(f.h, ecms_report_compliance(f.h, NULL, "B3", ECMS_REPORT_PDF, &a, &la));
	p = save("compliance-B3.pdf", a, la);
	ecms_free(a);
	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", p);
	txt = run(cmd);
	assert_non_null(strstr(txt, "Compliance report"));
	assert_non_null(strstr(txt, "VERIFIED"));
	assert_non_null(strstr(txt, "lapsed"));
	assert_non_null(strstr(txt, "no RoHS/REACH declaration"));
	free(txt);
	free(p);
	QOK(f.h, ecms_report_compliance(f.h, "WO-1", NULL, ECMS_REPORT_HTML, &a, &la));
	p = save("compliance-WO-1.html", a, la);
	free(p);
	ecms_free(a);
	/* Tamper with the log: the report says so. */
	QOK(f.h, ecms__exec(f.h, "UPDATE events SET payload = '{}' WHERE seq = 3", ""));
	QOK(f.h, ecms_report_compliance_json(f.h, "WO-1", NULL, &j));
	assert_true(json_is_false(json_object_get(json_object_get(j, "audit"), "verified")));
	assert_int_equal(
		json_integer_value(json_object_get(json_object_get(j, "audit"), "first_bad_seq")),
		3);
	json_decref(j);
	assert_int_equal(ecms_report_compliance_json(f.h, "WO-1", "B1", &j), ECMS_EUSAGE);
	ecms_close(f.h);
}

/* The recall notice: B1 shipped, B2 and B3 in house, all three carry lot
 * L7781 at U1 (B2 through its rework too). */
static void
test_recall_notice(void **state)
{
	struct qfactory f;
	ecms_sign qa = { "quinn", ECMS_SECRET_PASSWORD, "quinn-secret-1" };
	const char *ser[] = { "B1" };
	ecms_ship_req sr = { "Acme Medical", ser, 1, NULL, "DN-17" };
	json_t *r = NULL, *j;
	unsigned char *a;
	size_t la;
	char *p, cmd[1024], *txt;

	need_tool("pdftotext");
	order(&f);
	QOK(f.h, ecms_auth_set(f.h, "quinn", ECMS_SECRET_PASSWORD, "quinn-secret-1"));
	QOK(f.h, ecms__begin(f.h));
	QOK(f.h, ecms__board_set_status(f.h, "B1", "completed", TU_NOW_MS, 0));
	QOK(f.h, ecms__end(f.h, ECMS_OK));
	QOK(f.h, ecms_ship(f.h, &sr, &r));
	json_decref(r);
	QOK(f.h, ecms_recall_apply(f.h, "L7781", NULL, "supplier notice: early failures", &qa, &r));
	QOK(f.h, ecms_report_recall_json(f.h, s(r, "id"), &j));
	assert_string_equal(s(j, "report"), "recall");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "recall"), "count")),
			 3);
	assert_non_null(strstr(s(j, "method"), "lot L7781"));
	json_decref(j);
	QOK(f.h, ecms_report_recall(f.h, s(r, "id"), ECMS_REPORT_PDF, &a, &la));
	p = save("recall.pdf", a, la);
	ecms_free(a);
	snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", p);
	txt = run(cmd);
	assert_non_null(strstr(txt, "Recall notice"));
	assert_non_null(strstr(txt, "Customer: Acme Medical - 3 boards"));
	assert_non_null(strstr(txt, "Shipped"));
	assert_non_null(strstr(txt, "B1"));
	assert_non_null(strstr(txt, "U1"));
	assert_non_null(strstr(txt, "supplier notice: early"));
	free(txt);
	free(p);
	QOK(f.h, ecms_report_recall(f.h, s(r, "id"), ECMS_REPORT_HTML, &a, &la));
	assert_non_null(strstr((char *)a, "Recall notice"));
	free(save("recall.html", a, la));
	ecms_free(a);
	assert_int_equal(ecms_report_recall_json(f.h, "RC-999999", &j), ECMS_ENOTFOUND);
	json_decref(r);
	ecms_close(f.h);
}

/* Allocation failures in turn while building a certificate: an error and
 * no leak, then the same bytes as without failures. */
static void
test_report_alloc_failures(void **state)
{
	struct qfactory f;
	unsigned char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	long n;
	int rc;

	order(&f);
	QOK(f.h, ecms_report_board(f.h, "B2", ECMS_REPORT_PDF, &a, &la));
	for (n = 1;; n += 7) {
		ecms__alloc_fail_after(n);
		rc = ecms_report_board(f.h, "B2", ECMS_REPORT_PDF, &b, &lb);
		ecms__alloc_fail_after(0);
		if (rc == ECMS_OK)
			break;
		assert_null(b);
		assert_true(n < 1000000);
	}
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	ecms_free(a);
	ecms_free(b);
	ecms_close(f.h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_board_json),    cmocka_unit_test(test_board_pdf_html),
		cmocka_unit_test(test_order_package), cmocka_unit_test(test_compliance),
		cmocka_unit_test(test_recall_notice), cmocka_unit_test(test_report_alloc_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
