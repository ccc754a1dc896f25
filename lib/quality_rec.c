/*
 * quality_rec.c: test records (import for testers without CFX, and the
 * checks every test gets: limits, equipment calibration), test equipment
 * with its equipment_calibrations, and repairs.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "document.h"
#include "ecms/genealogy.h"
#include "event.h"
#include "master.h"
#include "quality_int.h"

#define DAY_MS INT64_C(86400000)

/* ------------------------------------------------------------------
 * Measurements and limits
 * ------------------------------------------------------------------ */

static double
prefix_factor(char c)
{
	switch (c) {
	case 'p':
		return 1e-12;
	case 'n':
		return 1e-9;
	case 'u':
		return 1e-6;
	case 'm':
		return 1e-3;
	case 'k':
		return 1e3;
	case 'K':
		return 1e3;
	case 'M':
		return 1e6;
	case 'G':
		return 1e9;
	default:
		return NAN;
	}
}

/* The factor f with 1 <from> = f <to> ("kOhm" -> "Ohm": 1000), for
 * units that differ by an SI prefix; NAN when they are not related. */
static double
unit_factor(const char *from, const char *to)
{
	size_t a, b;

	if (!from || !to || strcmp(from, to) == 0)
		return 1.0;
	a = strlen(from);
	b = strlen(to);
	if (a == b + 1 && strcmp(from + 1, to) == 0)
		return prefix_factor(from[0]);
	if (b == a + 1 && strcmp(to + 1, from) == 0)
		return 1.0 / prefix_factor(to[0]);
	if (a == b && a > 1 && strcmp(from + 1, to + 1) == 0)
		return prefix_factor(from[0]) / prefix_factor(to[0]);
	return NAN;
}

static bool
passed(const char *r)
{
	return r && (ecms__streq_nocase(r, "Passed") || ecms__streq_nocase(r, "Pass"));
}

static double
num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

int
ecms__q_test_check(ecms *h, json_t *rec)
{
	const char *eq = ecms__rs(rec, "equipment"), *res = ecms__rs(rec, "result");
	int64_t at = ecms__ri(rec, "time"), one;
	json_t *f = json_object_get(rec, "findings"), *m;
	char failed[300] = "", t[ECMS_TIME_LEN];
	size_t i, nfailed = 0, nout = 0;
	const char *cal;
	int rc;

	if (f == NULL) {
		f = json_array();
		json_object_set_new(rec, "findings", f);
	}
	json_array_foreach(json_object_get(rec, "measurements"), i, m) {
		double v = num(m, "value"), lo = num(m, "min"), hi = num(m, "max");
		const char *mr = ecms__rs(m, "result");
		bool in = isnan(v) || ((isnan(lo) || v >= lo) && (isnan(hi) || v <= hi));
		if (!in)
			nout++;
		if (mr == NULL) {
			json_object_set_new(m, "result", json_string(in ? "Passed" : "Failed"));
			mr = in ? "Passed" : "Failed";
		} else if (passed(mr) != in) {
			ecms__qfinding(f, "test.limit_inconsistent", "warn", ecms__rs(m, "name"), v,
				       in ? NAN : (!isnan(lo) && v < lo ? lo : hi),
				       ecms__rs(m, "unit"),
				       "%s: %g %s is %s its limits [%g, %g] but was reported %s",
				       ecms__rs(m, "name"), v,
				       ecms__rs(m, "unit") ? ecms__rs(m, "unit") : "",
				       in ? "within" : "outside", lo, hi, mr);
		}
		if (!passed(mr)) {
			size_t l = strlen(failed);
			nfailed++;
			if (l < sizeof(failed) - 40)
				snprintf(failed + l, sizeof(failed) - l, "%s%s", l ? ", " : "",
					 ecms__rs(m, "name"));
		}
	}
	if (res == NULL) {
		res = nfailed || nout ? "Failed" : "Passed";
		json_object_set_new(rec, "result", json_string(res));
	}
	if (!passed(res))
		ecms__qfinding(f, "test.failed", "fail", ecms__rs(rec, "method"), (double)nfailed,
			       NAN, NULL, "%s test %s%s%s%s", ecms__rs(rec, "method"), res,
			       nfailed ? ": " : "", failed, nfailed ? " failed" : "");
	/* Equipment and its calibration on the test date. */
	if (eq == NULL) {
		cal = "none";
		ecms__qfinding(f, "test.equipment_unknown", "info", NULL, NAN, NAN, NULL,
			       "The test names no equipment: its calibration could not be "
			       "checked.");
	} else if ((rc = ecms__query_int(h, &one, "SELECT 1 FROM test_equipment WHERE id = ?", "t",
					 eq)) == ECMS_ENOTFOUND) {
		cal = "unregistered";
		ecms__qfinding(f, "test.equipment_unregistered", "warn", eq, NAN, NAN, NULL,
			       "Equipment %s is not registered: its calibration could not be "
			       "checked.",
			       eq);
	} else if (rc) {
		return rc;
	} else {
		rc = ecms__query_int(h, &one,
				     "SELECT 1 FROM equipment_calibrations WHERE equipment = ? AND "
				     "valid_from_ms <= ? AND until_ms > ?",
				     "tii", eq, at, at);
		if (rc && rc != ECMS_ENOTFOUND)
			return rc;
		if (rc == ECMS_OK) {
			cal = "valid";
		} else {
			ecms__stmt *st;
			char last[16] = "never";
			cal = "lapsed";
			rc = ecms__q(h, &st,
				     "SELECT valid_until FROM equipment_calibrations WHERE "
				     "equipment = ? AND "
				     "valid_from_ms <= ? ORDER BY until_ms DESC",
				     "ti", eq, at);
			if (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW)
				snprintf(last, sizeof(last), "%s", ecms__col_text(st, 0));
			ecms__done(h, st);
			if (rc != ECMS__ROW && rc != ECMS__DONE)
				return rc;
			ecms__qfinding(f, "test.calibration_lapsed", "fail", eq, NAN, NAN, NULL,
				       "Tested at %s on %s, whose calibration was not valid then "
				       "(last valid until: %s).",
				       ecms_time_format(at, t), eq, last);
		}
	}
	json_object_set_new(rec, "calibration", json_string(cal));
	return ECMS_OK;
}

/* Convert CFX limits into the measured value's units (28.0 kOhm against
 * a value in Ohm: 28000). */
json_t *
ecms__q_cfx_measurement(const ecms_cfx_measurement *m, const char *test)
{
	double f = unit_factor(m->expected_units, m->value_units);
	const char *unit = m->value_units;

	if (isnan(f)) { /* unrelated units: keep the limits, say so in the unit */
		f = 1.0;
		unit = m->value_units;
	}
	return json_pack("{s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "test", ecms__qstr(test), "name",
			 m->name ? m->name : (m->uid ? m->uid : "measurement"), "value",
			 ecms__qnum(m->value), "unit", ecms__qstr(unit), "min",
			 ecms__qnum(m->min * f), "max", ecms__qnum(m->max * f), "expected",
			 ecms__qnum(m->expected * f), "result", ecms__qstr(m->result), "refdes",
			 ecms__qstr(m->crds));
}

/* ------------------------------------------------------------------
 * Test import
 * ------------------------------------------------------------------ */

static const char *
jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Normalise a result text: pass/passed -> Passed, fail/failed -> Failed,
 * error -> Error. NULL when it is none of those. */
static const char *
norm_result(const char *r)
{
	if (ecms__streq_nocase(r, "pass") || ecms__streq_nocase(r, "passed"))
		return "Passed";
	if (ecms__streq_nocase(r, "fail") || ecms__streq_nocase(r, "failed"))
		return "Failed";
	if (ecms__streq_nocase(r, "error"))
		return "Error";
	return NULL;
}

/* A number field of an import record: a JSON number, or text. */
static int
import_num(ecms_error *err, const char *where, const json_t *o, const char *k, json_t **out)
{
	const json_t *v = json_object_get(o, k);
	double d;

	*out = NULL;
	if (v == NULL || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
		*out = json_null();
		return ECMS_OK;
	}
	if (json_is_number(v)) {
		*out = json_real(json_number_value(v));
		return ECMS_OK;
	}
	if (json_is_string(v) && ecms__parse_double(json_string_value(v), &d)) {
		*out = json_real(d);
		return ECMS_OK;
	}
	return ecms__fail(err, ECMS_EINVAL, k, "%s: field '%s': %s is not a number", where, k,
			  json_is_string(v) ? json_string_value(v) : "a non-number");
}

/* Build one test record from an import object. */
static int
import_one(ecms_error *err, const json_t *o, const char *where, const char *ref, json_t **out)
{
	static const char *const req[] = { "serial", "time", "method" };
	const char *res = jstr(o, "result"), *nres = NULL;
	json_t *ms = json_array(), *m;
	int64_t at;
	ecms_error e;
	size_t i;
	int rc = ECMS_OK;

	*out = NULL;
	if (!json_is_object(o)) {
		json_decref(ms);
		return ecms__fail(err, ECMS_EINVAL, NULL, "%s: expected an object", where);
	}
	for (i = 0; i < ECMS_ARRAY_LEN(req); i++)
		if (!jstr(o, req[i]) || !*jstr(o, req[i])) {
			json_decref(ms);
			return ecms__fail(err, ECMS_EINVAL, req[i], "%s: field '%s' is required",
					  where, req[i]);
		}
	if (ecms_time_parse(jstr(o, "time"), &at, &e)) {
		json_decref(ms);
		return ecms__fail(err, ECMS_EINVAL, "time", "%s: field 'time': %s", where,
				  e.message);
	}
	if (res && *res && (nres = norm_result(res)) == NULL) {
		json_decref(ms);
		return ecms__fail(err, ECMS_EINVAL, "result",
				  "%s: field 'result': '%s' is not Passed, Failed or Error", where,
				  res);
	}
	json_array_foreach(json_object_get(o, "measurements"), i, m) {
		json_t *v = NULL, *lo = NULL, *hi = NULL, *ex = NULL;
		const char *mr = jstr(m, "result");
		char mw[480];
		snprintf(mw, sizeof(mw), "%s, measurement %zu", where, i + 1);
		if (!jstr(m, "name") || !*jstr(m, "name")) {
			rc = ecms__fail(err, ECMS_EINVAL, "name", "%s: field 'name' is required",
					mw);
			break;
		}
		if ((rc = import_num(err, mw, m, "value", &v)) ||
		    (rc = import_num(err, mw, m, "min", &lo)) ||
		    (rc = import_num(err, mw, m, "max", &hi)) ||
		    (rc = import_num(err, mw, m, "expected", &ex))) {
			json_decref(v);
			json_decref(lo);
			json_decref(hi);
			break;
		}
		if (mr && *mr && norm_result(mr) == NULL) {
			json_decref(v);
			json_decref(lo);
			json_decref(hi);
			json_decref(ex);
			rc = ecms__fail(err, ECMS_EINVAL, "result",
					"%s: field 'result': '%s' is not Passed, Failed or Error",
					mw, mr);
			break;
		}
		json_array_append_new(ms, json_pack("{s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "test",
						    ecms__qstr(jstr(m, "test")), "name",
						    jstr(m, "name"), "value", v, "unit",
						    ecms__qstr(jstr(m, "unit")), "min", lo, "max",
						    hi, "expected", ex, "result",
						    ecms__qstr(mr && *mr ? norm_result(mr) : NULL),
						    "refdes", ecms__qstr(jstr(m, "refdes"))));
	}
	if (rc) {
		json_decref(ms);
		return rc;
	}
#define OPT(k) ecms__qstr(jstr(o, k) && *jstr(o, k) ? jstr(o, k) : NULL)
	*out = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:o,s:[]}", "serial",
			 jstr(o, "serial"), "ref", ref, "source", "import", "method",
			 jstr(o, "method"), "station", OPT("station"), "recipe", OPT("recipe"),
			 "recipe_rev", OPT("recipe_rev"), "technician", OPT("technician"),
			 "equipment", OPT("equipment"), "result", ecms__qstr(nres), "time",
			 (json_int_t)at, "measurements", ms, "findings");
#undef OPT
	if (*out == NULL)
		return ECMS_ENOMEM;
	if (json_is_null(json_object_get(*out, "result")))
		json_object_del(*out, "result");
	return ECMS_OK;
}

/* CSV rows into import objects (rows of one serial, time and station
 * form one test). *lines gets each object's first line. */
static int
csv_to_json(ecms_error *err, const char *text, size_t len, const char *fname, json_t **out)
{
	static const char *const cols[] = { "serial", "time",        "method",    "station",
					    "recipe", "technician",  "equipment", "result",
					    "test",   "measurement", "value",     "unit",
					    "min",    "max",         "expected",  "refdes" };
	struct ecms__csv *c = NULL;
	int idx[ECMS_ARRAY_LEN(cols)];
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	if ((rc = ecms__csv_parse(text, len, fname, ',', &c, err))) {
		json_decref(arr);
		return rc;
	}
	for (size_t k = 0; k < ECMS_ARRAY_LEN(cols); k++)
		idx[k] = ecms__csv_col(c, cols[k]);
	for (size_t k = 0; k < 3; k++)
		if (idx[k] < 0) {
			rc = ecms__fail(err, ECMS_EINVAL, cols[k], "%s:1: no column '%s'", fname,
					cols[k]);
			goto out;
		}
	for (int r = 1; r < c->nrows; r++) {
		const struct ecms__csv_row *row = &c->rows[r];
		const char *v[ECMS_ARRAY_LEN(cols)];
		json_t *t = NULL, *e;
		size_t i;
		for (size_t k = 0; k < ECMS_ARRAY_LEN(cols); k++)
			v[k] = idx[k] >= 0 && *row->cols[idx[k]] ? row->cols[idx[k]] : NULL;
		json_array_foreach(arr, i, e)
			if (strcmp(jstr(e, "serial") ? jstr(e, "serial") : "", v[0] ? v[0] : "") ==
				    0 &&
			    strcmp(jstr(e, "time") ? jstr(e, "time") : "", v[1] ? v[1] : "") == 0 &&
			    strcmp(jstr(e, "station") ? jstr(e, "station") : "",
				   v[3] ? v[3] : "") == 0)
				t = e;
		if (t == NULL) {
			t = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:i,s:[]}", "serial",
				      ecms__qstr(v[0]), "time", ecms__qstr(v[1]), "method",
				      ecms__qstr(v[2]), "station", ecms__qstr(v[3]), "recipe",
				      ecms__qstr(v[4]), "technician", ecms__qstr(v[5]), "equipment",
				      ecms__qstr(v[6]), "result", ecms__qstr(v[7]), "line",
				      row->line, "measurements");
			json_array_append_new(arr, t);
		}
		if (v[9])
			json_array_append_new(
				json_object_get(t, "measurements"),
				json_pack("{s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "test",
					  ecms__qstr(v[8]), "name", v[9], "value",
					  ecms__qstr(v[10]), "unit", ecms__qstr(v[11]), "min",
					  ecms__qstr(v[12]), "max", ecms__qstr(v[13]), "expected",
					  ecms__qstr(v[14]), "refdes", ecms__qstr(v[15])));
	}
	*out = arr;
	arr = NULL;
out:
	json_decref(arr);
	ecms__csv_free(c);
	return rc;
}

int
ecms__q_test_parse(const char *data, size_t len, const char *base, const char *sha, json_t **out,
		   ecms_error *err)
{
	json_t *in = NULL, *recs = json_array(), *e;
	char ref[96], where[400];
	json_error_t je;
	size_t i, k = 0;
	int rc = ECMS_OK;

	*out = NULL;
	while (k < len && (data[k] == ' ' || data[k] == '\n' || data[k] == '\r' || data[k] == '\t'))
		k++;
	if (k < len && (data[k] == '[' || data[k] == '{')) {
		in = json_loadb(data, len, 0, &je);
		if (in == NULL) {
			rc = ecms__fail(err, ECMS_EINVAL, NULL, "%s:%d:%d: invalid JSON: %s", base,
					je.line, je.column, je.text);
			goto out;
		}
		if (json_is_object(in)) {
			json_t *a = json_array();
			json_array_append_new(a, in);
			in = a;
		}
	} else if ((rc = csv_to_json(err, data, len, base, &in))) {
		goto out;
	}
	if (json_array_size(in) == 0) {
		rc = ecms__fail(err, ECMS_EINVAL, NULL, "%s: no test records", base);
		goto out;
	}
	json_array_foreach(in, i, e) {
		json_t *rec = NULL;
		if (json_object_get(e, "line"))
			snprintf(where, sizeof(where), "%s:%lld", base,
				 (long long)ecms__ri(e, "line"));
		else
			snprintf(where, sizeof(where), "%s: record %zu", base, i + 1);
		snprintf(ref, sizeof(ref), "%.64s#%zu", sha, i + 1);
		if ((rc = import_one(err, e, where, ref, &rec)))
			goto out;
		json_array_append_new(recs, rec);
	}
	*out = recs;
	recs = NULL;
out:
	json_decref(in);
	json_decref(recs);
	return rc;
}

int
ecms_quality_test_import(ecms *h, const char *path, json_t **out)
{
	char *data = NULL, sha[65];
	const char *base;
	json_t *parsed = NULL, *recs = json_array(), *e, *pl = NULL, *fall = json_array();
	size_t len, i, stored = 0;
	ecms_error err;
	int64_t seq;
	int rc;

	if (out)
		*out = NULL;
	if ((rc = ecms__read_file(path, ECMS_QUALITY_FILE_MAX, &data, &len, &h->err)))
		goto out;
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	ecms__sha256_hex(data, len, sha);
	ecms_error_clear(&err);
	if ((rc = ecms__q_test_parse(data, len, base, sha, &parsed, &err))) {
		rc = ecms__ctxfail(h, rc, err.field[0] ? err.field : NULL, "%s", err.message);
		goto out;
	}
	if ((rc = ecms__begin(h)))
		goto out;
	json_array_foreach(parsed, i, e) {
		bool exists = false;
		if ((rc = ecms__q_exists(h, "board_tests", ecms__rs(e, "serial"),
					 ecms__rs(e, "ref"), &exists)))
			break;
		if (exists)
			continue;
		if ((rc = ecms__q_test_check(h, e)))
			break;
		json_array_append(recs, e);
	}
	if (rc == ECMS_OK && json_array_size(recs)) {
		pl = json_pack("{s:s,s:s,s:O}", "file", base, "sha256", sha, "records", recs);
		rc = ecms__event(h, "quality.test", pl, &seq);
		json_array_foreach(rc ? NULL : recs, i, e) {
			if ((rc = ecms__q_store(h, "test", e, seq)))
				break;
			stored++;
		}
	}
	rc = ecms__end(h, rc);
	if (rc == ECMS_OK && out) {
		json_array_foreach(recs, i, e) {
			size_t k;
			json_t *f;
			json_array_foreach(json_object_get(e, "findings"), k, f) {
				json_t *c = json_deep_copy(f);
				json_object_set(c, "serial", json_object_get(e, "serial"));
				json_array_append_new(fall, c);
			}
		}
		*out = json_pack("{s:I,s:I,s:O}", "tests", (json_int_t)json_array_size(parsed),
				 "stored", (json_int_t)stored, "findings", fall);
	}
out:
	json_decref(fall);
	json_decref(parsed);
	json_decref(recs);
	ecms__free(data);
	return rc;
}

/* ------------------------------------------------------------------
 * Equipment
 * ------------------------------------------------------------------ */

static bool
name_ok(const char *s)
{
	if (s == NULL || *s == '\0' || strlen(s) > 128)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == ' ')
			return false;
	return true;
}

int
ecms_equipment_add(ecms *h, const char *id, const char *name, const char *kind,
		   const char *serial_no)
{
	int64_t seq, one;
	int rc;

	if (!name_ok(id))
		return ecms__ctxfail(h, ECMS_EINVAL, "id",
				     "equipment ID '%s': expected 1 to 128 characters without "
				     "spaces",
				     id ? id : "");
	if (name == NULL || *name == '\0')
		name = id;
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__query_int(h, &one, "SELECT 1 FROM test_equipment WHERE id = ?", "t", id);
	if (rc == ECMS_OK)
		rc = ecms__ctxfail(h, ECMS_EEXIST, "id", "equipment '%s' exists already", id);
	else if (rc == ECMS_ENOTFOUND)
		rc = ecms__event(h, "equipment.added",
				 json_pack("{s:s,s:s,s:s?,s:s?}", "id", id, "name", name, "kind",
					   kind, "serial_no", serial_no),
				 &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO test_equipment (id, name, kind, serial_no, created_seq) "
			"VALUES (?, ?, ?, ?, ?)",
			"tttti", id, name, kind, serial_no, seq);
	return ecms__end(h, rc);
}

static int
parse_date(ecms *h, const char *field, const char *v, int64_t *ms)
{
	if (v == NULL || strlen(v) != 10 || ecms_time_parse(v, ms, NULL) != ECMS_OK)
		return ecms__ctxfail(h, ECMS_EINVAL, field, "--%s: '%s' is not a date (YYYY-MM-DD)",
				     field, v ? v : "");
	return ECMS_OK;
}

int
ecms_equipment_calibrate(ecms *h, const char *id, const char *from_date, const char *until_date,
			 const char *certificate_path)
{
	char *data = NULL, sha[65], fromtxt[11];
	const char *base;
	int64_t from, until, one, seq;
	size_t len;
	int rc;

	rc = ecms__query_int(h, &one, "SELECT 1 FROM test_equipment WHERE id = ?", "t", id);
	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, "id",
				     "no equipment '%s' (register it with 'ecms equipment add')",
				     id);
	if (rc)
		return rc;
	if ((rc = parse_date(h, "until", until_date, &until)))
		return rc;
	until += DAY_MS; /* valid to the end of that day */
	if (from_date) {
		if ((rc = parse_date(h, "from", from_date, &from)))
			return rc;
	} else {
		from = ecms_now(h);
	}
	if (until <= from)
		return ecms__ctxfail(h, ECMS_EINVAL, "until",
				     "--until %s is before the calibration date %s", until_date,
				     ecms_date_format(from, fromtxt));
	if (certificate_path == NULL)
		return ecms__ctxfail(h, ECMS_EUSAGE, "certificate",
				     "a calibration needs its certificate file");
	if ((rc = ecms__read_file(certificate_path, ECMS_QUALITY_FILE_MAX, &data, &len, &h->err)))
		return rc;
	if (len == 0) {
		ecms__free(data);
		return ecms__ctxfail(h, ECMS_EINVAL, "certificate", "%s is empty",
				     certificate_path);
	}
	base = strrchr(certificate_path, '/') ? strrchr(certificate_path, '/') + 1
					      : certificate_path;
	ecms__sha256_hex(data, len, sha);
	if ((rc = ecms__begin(h)) == ECMS_OK) {
		rc = ecms__event(h, "equipment.calibrated",
				 json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", id, "from",
					   ecms_date_format(from, fromtxt), "until", until_date,
					   "certificate", base, "sha256", sha),
				 &seq);
		if (rc == ECMS_OK)
			rc = ecms__doc_put(h, base, data, len, seq, sha);
		if (rc == ECMS_OK)
			rc = ecms__exec(
				h,
				"INSERT INTO equipment_calibrations (equipment, valid_from_ms, "
				"valid_until, until_ms, certificate_sha, certificate_name, "
				"actor, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				"titittti", id, from, until_date, until, sha, base, ecms_actor(h),
				seq);
		rc = ecms__end(h, rc);
	}
	ecms__free(data);
	return rc;
}

#define EQ_SELECT                                                                                  \
	"SELECT e.id, e.name, e.kind, e.serial_no, MAX(c.valid_until), MAX(c.until_ms) "           \
	"FROM test_equipment e LEFT JOIN equipment_calibrations c ON c.equipment = e.id "

static json_t *
eq_row(ecms *h, ecms__stmt *st)
{
	static const struct ecms__col cols[] = { { "id", 't' },
						 { "name", 't' },
						 { "kind", 't' },
						 { "serial_no", 't' },
						 { "calibrated_until", 't' } };
	json_t *o = ecms__row_object(st, cols, 5);
	const char *status = ecms__col_null(st, 5)                ? "never"
			     : ecms__col_int(st, 5) > ecms_now(h) ? "valid"
								  : "expired";

	json_object_set_new(o, "status", json_string(status));
	return o;
}

int
ecms_equipment_list(ecms *h, json_t **out)
{
	ecms__stmt *st;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	rc = ecms__q(h, &st, EQ_SELECT "GROUP BY e.id, e.name, e.kind, e.serial_no ORDER BY e.id",
		     "");
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		json_array_append_new(arr, eq_row(h, st));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return ECMS_OK;
}

int
ecms_equipment_get(ecms *h, const char *id, json_t **out)
{
	static const struct ecms__col ccols[] = { { "from", 'i' },
						  { "until", 't' },
						  { "certificate", 't' },
						  { "sha256", 't' },
						  { "actor", 't' } };
	ecms__stmt *st;
	json_t *o = NULL, *cals = json_array(), *c;
	int64_t ntests = 0;
	size_t i;
	int rc;

	*out = NULL;
	rc = ecms__q(h, &st, EQ_SELECT "WHERE e.id = ? GROUP BY e.id, e.name, e.kind, e.serial_no",
		     "t", id);
	if (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW)
		o = eq_row(h, st);
	ecms__done(h, st);
	if (rc == ECMS__DONE)
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "id", "no equipment '%s'", id);
	if (rc != ECMS__ROW) {
		json_decref(cals);
		return rc;
	}
	rc = ecms__q(h, &st,
		     "SELECT valid_from_ms, valid_until, certificate_name, certificate_sha, actor "
		     "FROM equipment_calibrations WHERE equipment = ? ORDER BY valid_from_ms, id",
		     "t", id);
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		json_array_append_new(cals, ecms__row_object(st, ccols, 5));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	json_array_foreach(cals, i, c) {
		char d[11];
		json_object_set_new(c, "from",
				    json_string(ecms_date_format(ecms__ri(c, "from"), d)));
	}
	json_object_set_new(o, "equipment_calibrations", cals);
	if (rc == ECMS__DONE)
		rc = ecms__query_int(h, &ntests,
				     "SELECT COUNT(*) FROM board_tests WHERE equipment = ?", "t",
				     id);
	if (rc) {
		json_decref(o);
		return rc;
	}
	json_object_set_new(o, "tests", json_integer(ntests));
	*out = o;
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Repairs
 * ------------------------------------------------------------------ */

/* "U34.5" -> refdes "U34", pin "5" (pin NULL without a '.'). */
static void
split_designator(const char *d, char *refdes, size_t n, const char **pin)
{
	const char *dot = d ? strchr(d, '.') : NULL;

	*pin = NULL;
	if (d == NULL) {
		refdes[0] = '\0';
		return;
	}
	if (dot) {
		size_t l = (size_t)(dot - d) < n - 1 ? (size_t)(dot - d) : n - 1;
		memcpy(refdes, d, l);
		refdes[l] = '\0';
		*pin = dot[1] ? dot + 1 : NULL;
	} else {
		ecms__strlcpy(refdes, d, n);
	}
}

void
ecms__q_split_designator(const char *d, char *refdes, size_t n, const char **pin)
{
	split_designator(d, refdes, n, pin);
}

static bool
repair_ok(const char *r)
{
	return r == NULL || ecms__streq_nocase(r, "RepairSuccessful") ||
	       ecms__streq_nocase(r, "Successful") || ecms__streq_nocase(r, "Passed");
}

/* Findings of a repair record: its result, and the board's passes. */
int
ecms__q_repair_check(ecms *h, json_t *rec)
{
	json_t *f = json_object_get(rec, "findings");
	const char *serial = ecms__rs(rec, "serial");
	struct ecms_reflow_window w;
	int64_t passes;
	int rc;

	if (!repair_ok(ecms__rs(rec, "result")))
		ecms__qfinding(f, "repair.failed", "fail", ecms__rs(rec, "designator"), NAN, NAN,
			       NULL, "Repair '%s'%s%s ended %s.", ecms__rs(rec, "action"),
			       ecms__rs(rec, "designator") ? " at " : "",
			       ecms__rs(rec, "designator") ? ecms__rs(rec, "designator") : "",
			       ecms__rs(rec, "result"));
	if (ecms__rs(rec, "new_uid") == NULL)
		return ECMS_OK;
	if ((rc = ecms__q_passes(h, serial, &passes)) ||
	    (rc = ecms_reflow_window_effective(h, NULL, NULL, &w)))
		return rc;
	if (!isnan(w.passes_max) && (double)passes > w.passes_max)
		ecms__qfinding(f, "reflow.passes_exceeded", "fail", "passes", (double)passes,
			       w.passes_max, NULL,
			       "Board %s has had %lld reflow passes with this rework, more than "
			       "the %g allowed per component.",
			       serial, (long long)passes, w.passes_max);
	return ECMS_OK;
}

int
ecms_quality_repair(ecms *h, const struct ecms_repair_req *r, json_t **out)
{
	char refdes[ECMS_GEN_REFDES_MAX + 1], ref[128], t[ECMS_TIME_LEN];
	const char *pin, *user;
	json_t *rec = NULL;
	int64_t at, seq;
	bool exists;
	int rc;

	if (out)
		*out = NULL;
	if (!r->serial || !*r->serial || !r->action || !*r->action)
		return ecms__ctxfail(h, ECMS_EUSAGE, NULL, "a repair needs a serial and an action");
	if (r->new_uid && !r->refdes)
		return ecms__ctxfail(h, ECMS_EUSAGE, "refdes",
				     "--reel needs --refdes: which component was replaced");
	at = r->t_ms < 0 ? ecms_now(h) : r->t_ms;
	user = r->user ? r->user : ecms_actor(h);
	split_designator(r->refdes, refdes, sizeof(refdes), &pin);
	snprintf(ref, sizeof(ref), "repair@%s:%.64s", ecms_time_format(at, t),
		 r->refdes ? r->refdes : "");
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__q_exists(h, "board_repairs", r->serial, ref, &exists);
	if (rc == ECMS_OK && exists)
		rc = ecms__ctxfail(h, ECMS_EEXIST, NULL,
				   "a repair of %s%s%s at %s is already recorded", r->serial,
				   r->refdes ? " at " : "", r->refdes ? r->refdes : "", t);
	if (rc == ECMS_OK && r->new_uid)
		rc = ecms_gen_rework(h, r->serial, refdes, r->new_uid, user, r->action, at);
	if (rc == ECMS_OK) {
		rec = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:s,s:s,s:I,s:[]}", "serial",
				r->serial, "ref", ref, "action", r->action, "designator",
				ecms__qstr(r->refdes), "refdes",
				ecms__qstr(r->refdes ? refdes : NULL), "pin", ecms__qstr(pin),
				"new_uid", ecms__qstr(r->new_uid), "result",
				r->result ? r->result : "RepairSuccessful", "operator", user,
				"time", (json_int_t)at, "findings");
		rc = rec ? ecms__q_repair_check(h, rec) : ECMS_ENOMEM;
	}
	if (rc == ECMS_OK)
		rc = ecms__event(h, "quality.repair", json_pack("{s:O}", "record", rec), &seq);
	if (rc == ECMS_OK)
		rc = ecms__q_store(h, "repair", rec, seq);
	rc = ecms__end(h, rc);
	if (rc == ECMS_OK && out)
		*out = json_pack("{s:s,s:O}", "serial", r->serial, "findings",
				 json_object_get(rec, "findings"));
	json_decref(rec);
	return rc;
}
