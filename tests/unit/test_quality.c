/*
 * test_quality.c: reflow, inspection, test and repair records: each check
 * fires on bad data and stays quiet on good data, findings stay with the
 * board, replays change nothing, bad input writes nothing, the CFX
 * examples of the SDK ingest, lapsed equipment_calibrations reach the alerts.
 */
#include "qfactory.h"

#include "document.h"
#include "ecms/board.h"
#include "ecms/cfxingest.h"
#include "ecms/event.h"
#include "ecms/quality.h"
#include "ecms/warehouse.h"

static int64_t
head(ecms *h)
{
	int64_t seq;
	char hash[65];

	QOK(h, ecms_log_head(h, &seq, hash));
	return seq;
}

static bool
has_code(const json_t *findings, const char *code)
{
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f)
		if (strcmp(json_string_value(json_object_get(f, "code")), code) == 0)
			return true;
	return false;
}

static const char *
s(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void
test_reflow_import(void **state)
{
	struct qfactory f;
	char *good, *hot, *bad;
	json_t *o = NULL, *b = NULL;
	int64_t seq;

	qf_open(&f, "reflow.db", 2);
	good = qf_profile("good.csv", 1, 243);
	hot = qf_profile("hot.csv", 2, 248);
	/* In window, components rated 245 °C and above: passes. */
	QOK(f.h, ecms_quality_reflow_import(f.h, "B1", good, NULL, -1, &o));
	assert_true(json_is_true(json_object_get(o, "stored")));
	assert_int_equal(json_integer_value(json_object_get(o, "pass")), 1);
	if (has_code(json_object_get(o, "findings"), "reflow.component_peak_exceeded") ||
	    strcmp(s(o, "result"), "fail") == 0)
		fail_msg("good profile: %s", json_dumps(json_object_get(o, "findings"), 0));
	assert_string_equal(s(o, "min_peak_refdes"), "U1");
	assert_true(json_number_value(json_object_get(o, "min_peak_c")) == 245.0);
	/* R1 has no rating: said so. */
	assert_true(has_code(json_object_get(o, "findings"), "reflow.skipped"));
	json_decref(o);
	/* The same file again: nothing. */
	seq = head(f.h);
	QOK(f.h, ecms_quality_reflow_import(f.h, "B1", good, NULL, -1, &o));
	assert_true(json_is_false(json_object_get(o, "stored")));
	assert_int_equal(head(f.h), seq);
	json_decref(o);
	/* 248 °C: inside the paste window (235..250) but over U1's 245 °C. */
	QOK(f.h, ecms_quality_reflow_import(f.h, "B2", hot, "sac305", -1, &o));
	assert_string_equal(s(o, "result"), "fail");
	assert_true(has_code(json_object_get(o, "findings"), "reflow.component_peak_exceeded"));
	assert_false(has_code(json_object_get(o, "findings"), "reflow.peak_high"));
	json_decref(o);
	/* Kept with the board. */
	QOK(f.h, ecms_quality_board(f.h, "B2", &b));
	assert_string_equal(s(b, "result"), "fail");
	assert_int_equal(json_array_size(json_object_get(b, "reflow")), 1);
	assert_true(has_code(json_object_get(b, "findings"), "reflow.component_peak_exceeded"));
	assert_non_null(s(json_array_get(json_object_get(b, "reflow"), 0), "profile_sha256"));
	json_decref(b);
	/* A bad file: a clear error, nothing written. */
	bad = tu_write_file("bad.csv", "time,TC1\n0,25\n1,hot\n");
	seq = head(f.h);
	assert_int_equal(ecms_quality_reflow_import(f.h, "B1", bad, NULL, -1, &o), ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(f.h), "bad.csv:3"));
	assert_int_equal(head(f.h), seq);
	/* An unknown paste. */
	assert_int_equal(ecms_quality_reflow_import(f.h, "B1", hot, "SnBi", -1, &o),
			 ECMS_ENOTFOUND);
	assert_int_equal(head(f.h), seq);
	free(good);
	free(hot);
	free(bad);
	ecms_close(f.h);
}

static void
test_reflow_window_and_passes(void **state)
{
	struct qfactory f;
	json_t *o = NULL;
	char name[32];

	qf_open(&f, "passes.db", 1);
	/* The product may widen the window: 252 °C is then in window. */
	QOK(f.h, ecms_reflow_window_put(f.h, "product:HM-100", "peak.max_c", "255"));
	assert_int_equal(ecms_reflow_window_put(f.h, "product:HM-100", "peak.max_c", "200"),
			 ECMS_EINVAL); /* below peak.min_c */
	assert_int_equal(ecms_reflow_window_put(f.h, "board", "peak.max_c", "250"), ECMS_EINVAL);
	assert_int_equal(ecms_reflow_window_put(f.h, "default", "peak.nope", "250"), ECMS_EINVAL);
	{
		struct ecms_reflow_window w;
		QOK(f.h, ecms_reflow_window_effective(f.h, "HM-100", "SN100C", &w));
		assert_true(w.lim[ECMS_REFLOW_PEAK].max == 255.0);
		assert_true(w.liquidus_c == 227.0);
	}
	/* Four passes: the fourth is over the limit of three. */
	for (int i = 1; i <= 4; i++) {
		char *p;
		snprintf(name, sizeof(name), "pass%d.csv", i);
		p = qf_profile(name, (uint64_t)(10 + i), 241);
		QOK(f.h,
		    ecms_quality_reflow_import(f.h, "B1", p, NULL, TU_NOW_MS + i * 3600000, &o));
		assert_int_equal(json_integer_value(json_object_get(o, "pass")), i);
		assert_int_equal(has_code(json_object_get(o, "findings"), "reflow.passes_exceeded"),
				 i == 4);
		json_decref(o);
		free(p);
	}
	ecms_close(f.h);
}

static void
test_cfx_reflow(void **state)
{
	struct qfactory f;
	struct ecms_quality_cfx_report rep;
	const char *txn[] = { "B1", "B2" };
	ecms_cfx_msg *m;
	int64_t seq;
	json_t *b;

	qf_open(&f, "cfxreflow.db", 2);
	/* Oven data of a transaction, applied to its boards. */
	m = qf_cfx("UnitsProcessed.1.body.json", "CFX.Production.Processing.UnitsProcessed",
		   "uid-oven-1", "Oven1");
	seq = head(f.h);
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, NULL, 0, &rep));
	assert_int_equal(rep.records, 0);
	assert_int_equal(rep.unassigned, 1);
	assert_int_equal(head(f.h), seq);
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, txn, 2, &rep));
	assert_int_equal(rep.records, 2);
	seq = head(f.h);
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, txn, 2, &rep));
	assert_int_equal(rep.records, 0);
	assert_int_equal(rep.skipped, 2);
	assert_int_equal(head(f.h), seq);
	ecms_cfx_msg_free(m);
	QOK(f.h, ecms_quality_board(f.h, "B2", &b));
	{
		json_t *r = json_array_get(json_object_get(b, "reflow"), 0);
		json_t *pk = json_object_get(
			json_object_get(json_object_get(r, "metrics"), "summary"), "peak");
		assert_string_equal(s(r, "source"), "cfx_oven");
		assert_string_equal(s(pk, "kind"), "upper_bound");
		assert_string_equal(s(r, "station"), "Oven1");
	}
	json_decref(b);
	/* A profiler's data names its board by Barcode. */
	m = qf_cfx("UnitsProcessed.3.body.json", "CFX.Production.Processing.UnitsProcessed",
		   "uid-prof-1", "Profiler1");
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, NULL, 0, &rep));
	assert_int_equal(rep.records, 1);
	ecms_cfx_msg_free(m);
	QOK(f.h, ecms_quality_board(f.h, "CARRIER55678", &b));
	assert_string_equal(s(json_array_get(json_object_get(b, "reflow"), 0), "source"),
			    "cfx_profiler");
	json_decref(b);
	/* Profiler data of the same transaction as oven data: the same pass. */
	{
		static const char body[] =
			"{\"TransactionId\":\"txn-77\",\"OverallResult\":\"Succeeded\","
			"\"CommonProcessData\":{\"$type\":\"CFX.Structures.SolderReflow."
			"ReflowProcessData, CFX\",\"ConveyorSpeed\":60.0,\"ZoneData\":[{\"Zone\":"
			"{\"ReflowZoneType\":\"Reflow\",\"StageSequence\":3,\"StageName\":"
			"\"Zone3\"},\"Setpoints\":[{\"SubZone\":\"Top\",\"SetpointType\":"
			"\"Temperature\",\"Setpoint\":245.0}],\"Readings\":[{\"SubZone\":\"Top\","
			"\"ReadingType\":\"Temperature\",\"ReadingValue\":244.0}]}]},"
			"\"UnitProcessData\":[]}";
		const char *one[] = { "B1" };
		json_t *r;
		m = qf_cfx_text("CFX.Production.Processing.UnitsProcessed", "uid-t77-oven", "Oven1",
				"2026-01-15T09:10:00Z", body);
		QOK(f.h, ecms_quality_apply_cfx(f.h, m, one, 1, &rep));
		ecms_cfx_msg_free(m);
		m = qf_cfx_text("CFX.Production.Processing.UnitsProcessed", "uid-t77-again",
				"Oven1", "2026-01-15T09:10:01Z", body);
		QOK(f.h, ecms_quality_apply_cfx(f.h, m, one, 1, &rep));
		ecms_cfx_msg_free(m);
		QOK(f.h, ecms_quality_board(f.h, "B1", &b));
		r = json_object_get(b, "reflow");
		assert_int_equal(json_array_size(r), 3);
		/* uid-oven-1 was pass 1; both txn-77 records are pass 2. */
		assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 2), "pass")),
				 2);
		assert_int_equal(json_integer_value(json_object_get(json_array_get(r, 1), "pass")),
				 2);
		json_decref(b);
	}
	/* Coating data is not reflow: ignored, nothing stored. */
	seq = head(f.h);
	m = qf_cfx("UnitsProcessed.2.body.json", "CFX.Production.Processing.UnitsProcessed",
		   "uid-coat-1", "Coater");
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, NULL, 0, &rep));
	assert_int_equal(rep.records, 0);
	assert_int_equal(rep.ignored, 2);
	assert_int_equal(head(f.h), seq);
	ecms_cfx_msg_free(m);
	ecms_close(f.h);
}

static void
test_cfx_inspection(void **state)
{
	struct qfactory f;
	struct ecms_quality_cfx_report rep;
	ecms_cfx_msg *m;
	json_t *b, *d;

	qf_open(&f, "aoi.db", 1);
	m = qf_cfx("UnitsInspected.1.body.json", "CFX.Production.TestAndInspection.UnitsInspected",
		   "uid-aoi-1", "AOI-1");
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, NULL, 0, &rep));
	assert_int_equal(rep.records, 2); /* two positions of the panel */
	ecms_cfx_msg_free(m);
	QOK(f.h, ecms_quality_board(f.h, "PANEL34543535", &b));
	assert_int_equal(json_array_size(json_object_get(b, "inspections")), 2);
	d = json_array_get(
		json_object_get(json_array_get(json_object_get(b, "inspections"), 1), "defects"),
		0);
	assert_string_equal(s(d, "designator"), "R22.1");
	assert_string_equal(s(d, "refdes"), "R22");
	assert_string_equal(s(d, "pin"), "1");
	assert_string_equal(s(d, "code"), "ISFSLD112");
	assert_int_equal(json_array_size(json_object_get(d, "images")), 1);
	{
		/* The image is a document; no base64 in the records or the log. */
		const char *sha = s(json_array_get(json_object_get(d, "images"), 0), "sha256");
		void *data;
		size_t len;
		assert_int_equal(strlen(sha), 64);
		QOK(f.h, ecms__doc_get(f.h, sha, &data, &len));
		assert_int_equal(len, 6);
		ecms_free(data);
		assert_int_equal(qf_count(f.h, "SELECT COUNT(*) FROM events WHERE payload LIKE "
					       "'%rFRWd9iZ%'"),
				 0);
	}
	assert_true(has_code(json_object_get(b, "findings"), "inspection.failed"));
	json_decref(b);
	ecms_close(f.h);
}

static const char tested_body[] =
	"{\"TransactionId\":\"t1\",\"TestMethod\":\"ICT\",\"Tester\":{\"OperatorIdentifier\":"
	"\"BADGE7\"},\"RecipeName\":\"HM-ICT\",\"RecipeRevision\":\"3\",\"TestedUnits\":["
	"{\"UnitIdentifier\":\"B1\",\"UnitPositionNumber\":null,\"OverallResult\":\"Passed\","
	"\"Tests\":[{\"UniqueIdentifier\":\"x1\",\"TestName\":\"R1\",\"Result\":\"Passed\","
	"\"Measurements\":[{\"$type\":\"CFX.Structures.NumericMeasurement, CFX\","
	"\"MeasurementName\":\"R1_OHM\",\"Result\":\"Passed\",\"CRDs\":\"R1\",\"MeasuredValue\":"
	"{\"Value\":10020.0,\"ValueUnits\":\"Ohm\",\"ExpectedValue\":10.0,\"ExpectedValueUnits\":"
	"\"kOhm\",\"MinimumAcceptableValue\":9.9,\"MaximumAcceptableValue\":10.1}}]}]}]}";

static void
test_cfx_test_and_calibration(void **state)
{
	struct qfactory f;
	struct ecms_quality_cfx_report rep;
	char *cert = tu_write_file("cal.pdf", "%PDF calibration certificate ICT-1\n");
	ecms_cfx_msg *m;
	json_t *b, *t, *a;
	size_t i;
	bool found = false;

	qf_open(&f, "ict.db", 2);
	QOK(f.h, ecms_equipment_add(f.h, "ICT-1", "Teradyne TestStation", "ICT", "TS-991"));
	assert_int_equal(ecms_equipment_add(f.h, "ICT-1", NULL, NULL, NULL), ECMS_EEXIST);
	assert_int_equal(ecms_equipment_calibrate(f.h, "ICT-9", "2025-01-01", "2025-12-31", cert),
			 ECMS_ENOTFOUND);
	assert_int_equal(ecms_equipment_calibrate(f.h, "ICT-1", "2025-01-01", "2024-12-31", cert),
			 ECMS_EINVAL);
	/* Valid through 2026-01-10: the test on the 15th is on lapsed equipment. */
	QOK(f.h, ecms_equipment_calibrate(f.h, "ICT-1", "2025-01-10", "2026-01-10", cert));
	m = qf_cfx_text("CFX.Production.TestAndInspection.UnitsTested", "uid-ict-1", "ICT-1",
			"2026-01-15T10:00:00Z", tested_body);
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, NULL, 0, &rep));
	assert_int_equal(rep.records, 1);
	ecms_cfx_msg_free(m);
	QOK(f.h, ecms_quality_board(f.h, "B1", &b));
	t = json_array_get(json_object_get(b, "tests"), 0);
	assert_string_equal(s(t, "calibration"), "lapsed");
	assert_string_equal(s(t, "technician"), "BADGE7");
	/* 9.9..10.1 kOhm against a value in Ohm: converted, within. */
	assert_true(json_number_value(json_object_get(
			    json_array_get(json_object_get(t, "measurements"), 0), "min")) ==
		    9900.0);
	assert_false(has_code(json_object_get(b, "findings"), "test.limit_inconsistent"));
	assert_true(has_code(json_object_get(b, "findings"), "test.calibration_lapsed"));
	json_decref(b);
	QOK(f.h, ecms_alerts(f.h, NULL, &a));
	json_array_foreach(a, i, t)
		if (strcmp(s(t, "kind"), "test.calibration_lapsed") == 0 &&
		    strcmp(s(t, "object"), "B1") == 0)
			found = true;
	assert_true(found);
	json_decref(a);
	/* After a new calibration the next test is fine; a handle whose last
	 * part is registered equipment names it (Vendor.Model.ICT-1 is ICT-1). */
	QOK(f.h, ecms_equipment_calibrate(f.h, "ICT-1", "2026-01-15", "2027-01-15", cert));
	m = qf_cfx_text("CFX.Production.TestAndInspection.UnitsTested", "uid-ict-2",
			"Teradyne.TestStation.ICT-1", "2026-01-15T11:00:00Z", tested_body);
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, NULL, 0, &rep));
	ecms_cfx_msg_free(m);
	QOK(f.h, ecms_quality_board(f.h, "B1", &b));
	assert_string_equal(s(json_array_get(json_object_get(b, "tests"), 1), "calibration"),
			    "valid");
	assert_string_equal(s(json_array_get(json_object_get(b, "tests"), 1), "equipment"),
			    "ICT-1");
	json_decref(b);
	QOK(f.h, ecms_equipment_get(f.h, "ICT-1", &t));
	assert_int_equal(json_array_size(json_object_get(t, "equipment_calibrations")), 2);
	assert_int_equal(json_integer_value(json_object_get(t, "tests")), 2);
	assert_string_equal(s(t, "status"), "valid");
	json_decref(t);
	/* The SDK example: unregistered tester, a failed resistance check. */
	m = qf_cfx("UnitsTested.1.body.json", "CFX.Production.TestAndInspection.UnitsTested",
		   "uid-sdk-test", "SMTPlus.Model_21232.SN23123");
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, NULL, 0, &rep));
	ecms_cfx_msg_free(m);
	QOK(f.h, ecms_quality_board(f.h, "PANEL34543535", &b));
	assert_true(has_code(json_object_get(b, "findings"), "test.equipment_unregistered"));
	json_decref(b);
	free(cert);
	ecms_close(f.h);
}

static void
test_test_import(void **state)
{
	struct qfactory f;
	char *js, *csv, *bad;
	json_t *o, *b;
	int64_t seq;

	qf_open(&f, "timport.db", 2);
	QOK(f.h, ecms_equipment_add(f.h, "FCT-2", "Functional tester", "FCT", NULL));
	js = tu_write_file(
		"fct.json",
		"[{\"serial\":\"B1\",\"time\":\"2026-01-15T12:00:00Z\",\"method\":\"FCT\","
		"\"station\":\"FCT-ST1\",\"technician\":\"T-17\",\"equipment\":\"FCT-2\","
		"\"recipe\":\"HM-FCT\",\"measurements\":[{\"name\":\"VCC\",\"value\":3.31,"
		"\"unit\":\"V\",\"min\":3.2,\"max\":3.4},{\"name\":\"IQ\",\"value\":\"12.5\","
		"\"unit\":\"mA\",\"max\":\"10\"}]}]");
	QOK(f.h, ecms_quality_test_import(f.h, js, &o));
	assert_int_equal(json_integer_value(json_object_get(o, "stored")), 1);
	assert_true(has_code(json_object_get(o, "findings"), "test.failed"));
	assert_true(has_code(json_object_get(o, "findings"), "test.calibration_lapsed"));
	json_decref(o);
	seq = head(f.h);
	QOK(f.h, ecms_quality_test_import(f.h, js, &o));
	assert_int_equal(json_integer_value(json_object_get(o, "stored")), 0);
	assert_int_equal(head(f.h), seq);
	json_decref(o);
	csv = tu_write_file(
		"fct.csv",
		"serial,time,method,station,equipment,test,measurement,value,unit,min,max\n"
		"B2,2026-01-15T12:05:00Z,FCT,FCT-ST1,,power,VCC,3.30,V,3.2,3.4\n"
		"B2,2026-01-15T12:05:00Z,FCT,FCT-ST1,,power,ECG_GAIN,6.0,,5.9,6.1\n");
	QOK(f.h, ecms_quality_test_import(f.h, csv, &o));
	assert_int_equal(json_integer_value(json_object_get(o, "tests")), 1);
	json_decref(o);
	QOK(f.h, ecms_quality_board(f.h, "B2", &b));
	{
		json_t *t = json_array_get(json_object_get(b, "tests"), 0);
		assert_string_equal(s(t, "result"), "Passed");
		assert_int_equal(json_array_size(json_object_get(t, "measurements")), 2);
		assert_string_equal(s(t, "calibration"), "none");
	}
	json_decref(b);
	/* Bad rows: named, nothing stored. */
	bad = tu_write_file("bad.csv", "serial,time,method,measurement,value\n"
				       "B1,2026-01-15T12:00:00Z,FCT,VCC,3.3\n"
				       "B2,2026-01-15T13:00:00Z,FCT,VCC,three\n");
	seq = head(f.h);
	assert_int_equal(ecms_quality_test_import(f.h, bad, &o), ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(f.h), "bad.csv:3"));
	assert_non_null(strstr(ecms_errmsg(f.h), "three"));
	assert_int_equal(head(f.h), seq);
	free(bad);
	bad = tu_write_file("bad.json", "[{\"serial\":\"B1\",\"method\":\"FCT\"}]");
	assert_int_equal(ecms_quality_test_import(f.h, bad, &o), ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(f.h), "'time' is required"));
	free(bad);
	free(js);
	free(csv);
	ecms_close(f.h);
}

static void
test_repair(void **state)
{
	struct qfactory f;
	struct ecms_quality_cfx_report rep;
	struct ecms_repair_req r = {
		"B1", "replaced U1 (ECG gain out of tolerance)", "U1", NULL, "quinn", NULL, -1
	};
	char afe2[16];
	json_t *o, *t;
	ecms_cfx_msg *m;

	qf_open(&f, "repair.db", 1);
	QOK(f.h, ecms_set_actor(f.h, "wes", NULL));
	qf_receive(f.h, "PO-1001", "ADS1292RIPBSR", "500", "L7781", "2602", afe2);
	r.new_uid = afe2;
	QOK(f.h, ecms_quality_repair(f.h, &r, &o));
	json_decref(o);
	/* The genealogy now has the new package, with history. */
	QOK(f.h, ecms_gen_trace_board(f.h, "B1", &t));
	assert_int_equal(json_array_size(json_object_get(t, "rework")), 1);
	json_decref(t);
	QOK(f.h, ecms_quality_board(f.h, "B1", &o));
	t = json_array_get(json_object_get(o, "repairs"), 0);
	assert_string_equal(s(t, "new_uid"), afe2);
	assert_string_equal(s(t, "operator"), "quinn");
	json_decref(o);
	/* A refdes the board does not have: refused, nothing stored. */
	r.refdes = "U99";
	r.t_ms = TU_NOW_MS + 1000;
	assert_int_equal(ecms_quality_repair(f.h, &r, &o), ECMS_ENOTFOUND);
	assert_int_equal(qf_count(f.h, "SELECT COUNT(*) FROM board_repairs"), 1);
	/* CFX UnitsRepaired. */
	m = qf_cfx("UnitsRepaired.body.json", "CFX.Production.ReworkAndRepair.UnitsRepaired",
		   "uid-rep-1", "REWORK-1");
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, NULL, 0, &rep));
	assert_int_equal(rep.records, 2);
	ecms_cfx_msg_free(m);
	QOK(f.h, ecms_quality_board(f.h, "FFSHkkskamJDHS", &o));
	t = json_array_get(json_object_get(o, "repairs"), 1);
	assert_string_equal(s(t, "designator"), "U24.4-5");
	assert_string_equal(s(t, "refdes"), "U24");
	assert_string_equal(s(t, "operator"), "BADGE489499");
	json_decref(o);
	ecms_close(f.h);
}

/* A panel position names the board ecms allocated there (008_boards);
 * each record is a step of the board's route. */
static void
test_panel_positions(void **state)
{
	struct qfactory f;
	struct ecms_quality_cfx_report rep;
	json_t *alloc = NULL, *b;
	char body[1024];
	const char *panel, *s1, *s2;
	ecms_cfx_msg *m;

	qf_open(&f, "panel.db", 0);
	QOK(f.h, ecms_board_allocate(f.h, "WO-1", 2, 2, &alloc));
	panel = s(json_array_get(alloc, 0), "panel");
	s1 = s(json_array_get(alloc, 0), "serial");
	s2 = s(json_array_get(alloc, 1), "serial");
	snprintf(body, sizeof(body),
		 "{\"TransactionId\":\"t-p\",\"InspectionMethod\":\"SPI\",\"InspectedUnits\":["
		 "{\"UnitIdentifier\":\"%s\",\"UnitPositionNumber\":1,\"OverallResult\":"
		 "\"Passed\",\"Inspections\":[]},{\"UnitIdentifier\":\"%s\",\"UnitPositionNumber\":"
		 "2,\"OverallResult\":\"Failed\",\"Inspections\":[]}]}",
		 panel, panel);
	m = qf_cfx_text("CFX.Production.TestAndInspection.UnitsInspected", "uid-spi-1", "SPI-1",
			"2026-01-15T08:30:00Z", body);
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, NULL, 0, &rep));
	ecms_cfx_msg_free(m);
	QOK(f.h, ecms_quality_board(f.h, s2, &b));
	assert_string_equal(s(json_array_get(json_object_get(b, "inspections"), 0), "result"),
			    "Failed");
	json_decref(b);
	QOK(f.h, ecms_board_get(f.h, s1, &b));
	assert_string_equal(s(b, "status"), "wip");
	assert_string_equal(s(json_array_get(json_object_get(b, "route"), 0), "kind"), "inspected");
	assert_string_equal(s(json_array_get(json_object_get(b, "route"), 0), "station"), "SPI-1");
	json_decref(b);
	assert_int_equal(qf_count(f.h, "SELECT COUNT(*) FROM board_inspections"), 2);
	json_decref(alloc);
	ecms_close(f.h);
}

/* After CFX ingest (010_cfx) took WorkStarted: oven data of the
 * transaction finds its boards there, and units map as ingest mapped
 * them. */
static void
test_after_cfx_ingest(void **state)
{
	static const char ws[] =
		"{\"MessageName\":\"CFX.Production.WorkStarted\",\"Version\":\"2.1\","
		"\"TimeStamp\":\"2026-01-15T08:20:00Z\",\"UniqueID\":\"ws-9\",\"Source\":\"M1\","
		"\"MessageBody\":{\"TransactionID\":\"txn-9\",\"Units\":[{\"UnitIdentifier\":"
		"\"PNL-9\",\"PositionNumber\":1},{\"UnitIdentifier\":\"PNL-9\",\"PositionNumber\":"
		"2}],\"WorkOrderIdentifier\":{\"WorkOrderId\":\"WO-1\"}}}\n";
	static const char oven[] =
		"{\"TransactionId\":\"txn-9\",\"OverallResult\":\"Succeeded\","
		"\"CommonProcessData\":{\"$type\":\"CFX.Structures.SolderReflow.ReflowProcessData, "
		"CFX\",\"ZoneData\":[{\"Zone\":{\"ReflowZoneType\":\"Reflow\",\"StageSequence\":"
		"3,\"StageName\":\"Zone3\"},\"Setpoints\":[{\"SubZone\":\"Top\",\"SetpointType\":"
		"\"Temperature\",\"Setpoint\":245.0}],\"Readings\":[{\"SubZone\":\"Top\","
		"\"ReadingType\":\"Temperature\",\"ReadingValue\":244.0}]}]},\"UnitProcessData\":[]}";
	static const char aoi[] =
		"{\"TransactionId\":\"t-a\",\"InspectionMethod\":\"AOI\",\"InspectedUnits\":["
		"{\"UnitIdentifier\":\"PNL-9\",\"UnitPositionNumber\":2,\"OverallResult\":"
		"\"Passed\",\"Inspections\":[]}]}";
	struct ecms_cfx_ingest_report ir;
	struct ecms_quality_cfx_report rep;
	struct qfactory f;
	ecms_cfx_msg *m;
	int64_t n;

	qf_open(&f, "ingest.db", 0);
	memset(&ir, 0, sizeof(ir));
	QOK(f.h, ecms_cfx_ingest_buf(f.h, ws, strlen(ws), "test", &ir));
	assert_int_equal(ir.applied, 1);
	n = qf_count(f.h, "SELECT COUNT(*) FROM cfx_tx_serials WHERE transaction_id = 'txn-9'");
	assert_int_equal(n, 2);
	m = qf_cfx_text("CFX.Production.Processing.UnitsProcessed", "up-9", "Oven1",
			"2026-01-15T08:40:00Z", oven);
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, NULL, 0, &rep));
	assert_int_equal(rep.records, 2);
	ecms_cfx_msg_free(m);
	assert_int_equal(qf_count(f.h,
				  "SELECT COUNT(*) FROM reflow_records r JOIN cfx_tx_serials u "
				  "ON u.serial = r.serial WHERE u.transaction_id = 'txn-9'"),
			 2);
	m = qf_cfx_text("CFX.Production.TestAndInspection.UnitsInspected", "aoi-9", "AOI-1",
			"2026-01-15T08:50:00Z", aoi);
	QOK(f.h, ecms_quality_apply_cfx(f.h, m, NULL, 0, &rep));
	ecms_cfx_msg_free(m);
	assert_int_equal(qf_count(f.h, "SELECT COUNT(*) FROM board_inspections i JOIN cfx_units u "
				       "ON u.serial = i.serial WHERE u.unit_id = 'PNL-9' AND "
				       "u.position = 2"),
			 1);
	ecms_close(f.h);
}

/* Every allocation that can fail, failing in turn: an error, nothing
 * written, no leak; then the call succeeds. */
static void
test_alloc_failures(void **state)
{
	struct qfactory f;
	struct ecms_quality_cfx_report rep;
	ecms_cfx_msg *m;
	char *prof;
	long n;
	int rc;

	qf_open(&f, "alloc.db", 1);
	m = qf_cfx("UnitsInspected.1.body.json", "CFX.Production.TestAndInspection.UnitsInspected",
		   "uid-aoi-alloc", "AOI-1");
	for (n = 1;; n++) {
		int64_t before = head(f.h);
		ecms__alloc_fail_after(n);
		rc = ecms_quality_apply_cfx(f.h, m, NULL, 0, &rep);
		ecms__alloc_fail_after(0);
		if (rc == ECMS_OK)
			break;
		assert_int_equal(head(f.h), before);
		assert_int_equal(qf_count(f.h, "SELECT COUNT(*) FROM board_inspections"), 0);
		assert_true(n < 100000);
	}
	assert_int_equal(rep.records, 2);
	assert_true(n > 1); /* failures were injected */
	ecms_cfx_msg_free(m);
	prof = qf_profile("alloc.csv", 3, 243);
	for (n = 1;; n++) {
		int64_t before = head(f.h);
		json_t *o = NULL;
		ecms__alloc_fail_after(n);
		rc = ecms_quality_reflow_import(f.h, "B1", prof, NULL, -1, &o);
		ecms__alloc_fail_after(0);
		json_decref(o);
		if (rc == ECMS_OK)
			break;
		assert_int_equal(head(f.h), before);
		assert_int_equal(qf_count(f.h, "SELECT COUNT(*) FROM reflow_records"), 0);
		assert_true(n < 100000);
	}
	assert_true(n > 1);
	free(prof);
	ecms_close(f.h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reflow_import),
		cmocka_unit_test(test_reflow_window_and_passes),
		cmocka_unit_test(test_cfx_reflow),
		cmocka_unit_test(test_cfx_inspection),
		cmocka_unit_test(test_cfx_test_and_calibration),
		cmocka_unit_test(test_test_import),
		cmocka_unit_test(test_repair),
		cmocka_unit_test(test_panel_positions),
		cmocka_unit_test(test_after_cfx_ingest),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
