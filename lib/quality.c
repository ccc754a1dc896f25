/*
 * quality.c: reflow records with their checks, the reflow windows, the
 * projection writer shared by every quality record kind, the per-board
 * query and the quality alerts. Inspections, tests, equipment and repairs
 * are in quality_rec.c, the CFX entry point in quality_cfx.c.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "board.h"
#include "document.h"
#include "ecms/genealogy.h"
#include "event.h"
#include "master.h"
#include "quality_int.h"

#define DAY_MS INT64_C(86400000)

/* ------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------ */

json_t *
ecms__qnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* Metrics rounded to 0.001 for people and stable text. */
static json_t *
mnum(double v)
{
	return isfinite(v) ? json_real(round(v * 1000.0) / 1000.0) : json_null();
}

json_t *
ecms__qstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

int
ecms__q_exists(ecms *h, const char *table, const char *serial, const char *ref, bool *exists)
{
	int64_t one;
	int rc;

	if (strcmp(table, "reflow_records") == 0)
		rc = ecms__query_int(h, &one,
				     "SELECT 1 FROM reflow_records WHERE serial = ? AND ref = ?",
				     "tt", serial, ref);
	else if (strcmp(table, "board_inspections") == 0)
		rc = ecms__query_int(h, &one,
				     "SELECT 1 FROM board_inspections WHERE serial = ? AND ref = ?",
				     "tt", serial, ref);
	else if (strcmp(table, "board_tests") == 0)
		rc = ecms__query_int(h, &one,
				     "SELECT 1 FROM board_tests WHERE serial = ? AND ref = ?", "tt",
				     serial, ref);
	else
		rc = ecms__query_int(h, &one,
				     "SELECT 1 FROM board_repairs WHERE serial = ? AND ref = ?",
				     "tt", serial, ref);
	*exists = rc == ECMS_OK;
	return rc == ECMS_ENOTFOUND ? ECMS_OK : rc;
}

int
ecms__q_insert(ecms *h, const char *sql, json_t *params, int64_t *id)
{
	ecms__stmt *st;
	size_t i;
	json_t *v;
	int rc;

	if (params == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	rc = ecms__q(h, &st, sql, "");
	json_array_foreach(rc ? NULL : params, i, v)
		if (rc == ECMS_OK)
			rc = ecms__bind_json(h, st, (int)i + 1, v);
	if (rc == ECMS_OK) {
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW) {
			*id = ecms__col_int(st, 0);
			rc = ECMS_OK;
		} else if (rc == ECMS__DONE) {
			rc = ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "insert returned no id");
		}
	}
	ecms__done(h, st);
	json_decref(params);
	return rc;
}

int
ecms__q_exec(ecms *h, const char *sql, json_t *params)
{
	int rc;

	if (params == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	rc = ecms__exec_json(h, sql, params);
	json_decref(params);
	return rc;
}

void
ecms__qfinding(json_t *arr, const char *code, const char *severity, const char *subject,
	       double value, double limit, const char *unit, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	json_array_append_new(arr,
			      json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:s}", "code", code, "severity",
					severity, "subject", ecms__qstr(subject), "value",
					ecms__qnum(value), "limit", ecms__qnum(limit), "unit",
					ecms__qstr(unit && *unit ? unit : NULL), "text", text));
}

int
ecms__q_store_findings(ecms *h, const char *serial, const char *kind, int64_t record,
		       const json_t *findings, int64_t at, int64_t seq)
{
	size_t i;
	json_t *f;
	int rc = ECMS_OK;

	json_array_foreach(findings, i, f) {
		if (rc)
			break;
		rc = ecms__q_exec(
			h,
			"INSERT INTO quality_findings (serial, kind, record_id, code, severity, "
			"subject, value, lim, unit, text, at_ms, seq) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			json_pack("[s,s,I,O?,O?,O?,O?,O?,O?,O?,I,I]", serial, kind,
				  (json_int_t)record, json_object_get(f, "code"),
				  json_object_get(f, "severity"), json_object_get(f, "subject"),
				  json_object_get(f, "value"), json_object_get(f, "limit"),
				  json_object_get(f, "unit"), json_object_get(f, "text"),
				  (json_int_t)at, (json_int_t)seq));
	}
	return rc;
}

const char *
ecms__q_worst(const json_t *findings)
{
	const char *worst = "pass";
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f) {
		const char *s = ecms__rs(f, "severity");
		if (s && strcmp(s, "fail") == 0)
			return "fail";
		if (s && strcmp(s, "warn") == 0)
			worst = "warn";
	}
	return worst;
}

int
ecms__q_base64(const char *s, unsigned char **out, size_t *len)
{
	size_t n = strlen(s), cap = n / 4 * 3 + 3;
	unsigned char *buf;
	const char *end;

	*out = NULL;
	*len = 0;
	if ((buf = ecms__malloc(cap + 1)) == NULL)
		return ECMS_ENOMEM;
	if (sodium_base642bin(buf, cap, s, n, " \t\r\n", len, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    *end != '\0') {
		/* Padding is optional: try without it. */
		if (sodium_base642bin(buf, cap, s, n, " \t\r\n", len, &end,
				      sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
		    *end != '\0') {
			ecms__free(buf);
			return ECMS_EINVAL;
		}
	}
	*out = buf;
	return ECMS_OK;
}

int
ecms__q_passes(ecms *h, const char *serial, int64_t *n)
{
	int64_t a = 0, b = 0;
	int rc;

	rc = ecms__query_int(h, &a,
			     "SELECT COUNT(DISTINCT COALESCE(txn, ref)) FROM reflow_records "
			     "WHERE serial = ?",
			     "t", serial);
	if (rc == ECMS_OK)
		rc = ecms__query_int(
			h, &b,
			"SELECT COUNT(*) FROM gen_rework r JOIN gen_boards b ON "
			"b.id = r.board_id WHERE b.serial = ? AND r.new_uid IS NOT NULL",
			"t", serial);
	*n = a + b;
	return rc;
}

/* ------------------------------------------------------------------
 * Windows
 * ------------------------------------------------------------------ */

static bool
scope_valid(const char *s)
{
	if (s == NULL)
		return false;
	if (strcmp(s, "default") == 0)
		return true;
	if (strncmp(s, "paste:", 6) == 0 && s[6])
		return true;
	return strncmp(s, "product:", 8) == 0 && s[8];
}

/* Apply the rows of one scope to w. *found: the scope has rows. */
static int
apply_scope(ecms *h, const char *scope, struct ecms_reflow_window *w, bool *found)
{
	ecms__stmt *st;
	int rc;

	if (found)
		*found = false;
	rc = ecms__q(h, &st, "SELECT key, value FROM reflow_windows WHERE scope = ? ORDER BY key",
		     "t", scope);
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		ecms_error e;
		if (found)
			*found = true;
		if (ecms_reflow_window_set(w, ecms__col_text(st, 0), ecms__col_text(st, 1), &e)) {
			rc = ecms__ctxfail(h, ECMS_EINVAL, "window", "reflow window %s: %s", scope,
					   e.message);
			break;
		}
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

/* Upper-case a paste name into buf (names are matched case-blind). */
static const char *
paste_scope(const char *paste, char *buf, size_t n)
{
	size_t i = 0, k;

	k = (size_t)snprintf(buf, n, "paste:");
	for (; paste[i] && k + 1 < n; i++)
		buf[k++] = (paste[i] >= 'a' && paste[i] <= 'z') ? (char)(paste[i] - 32) : paste[i];
	buf[k] = '\0';
	return buf;
}

int
ecms_reflow_window_effective(ecms *h, const char *product, const char *paste,
			     struct ecms_reflow_window *out)
{
	char scope[200];
	bool found;
	int rc;

	ecms_reflow_window_default(out);
	if ((rc = apply_scope(h, "default", out, NULL)))
		return rc;
	if (paste) {
		if ((rc = apply_scope(h, paste_scope(paste, scope, sizeof(scope)), out, &found)))
			return rc;
		if (!found)
			return ecms__ctxfail(h, ECMS_ENOTFOUND, "paste",
					     "no reflow window for paste '%s' (set one with "
					     "'ecms reflow window paste:%s liquidus_c N')",
					     paste, paste);
	}
	if (product) {
		snprintf(scope, sizeof(scope), "product:%s", product);
		if ((rc = apply_scope(h, scope, out, NULL)))
			return rc;
	}
	{
		ecms_error e;
		if (ecms_reflow_window_validate(out, &e))
			return ecms__ctxfail(h, ECMS_EINVAL, "window",
					     "reflow window for %s%s%s: %s", product ? product : "",
					     product && paste ? ", " : "", paste ? paste : "",
					     e.message);
	}
	return ECMS_OK;
}

int
ecms_reflow_window_put(ecms *h, const char *scope, const char *key, const char *value)
{
	struct ecms_reflow_window w;
	char sc[200];
	ecms_error e;
	int64_t seq;
	int rc;

	if (!scope_valid(scope))
		return ecms__ctxfail(h, ECMS_EINVAL, "scope",
				     "scope '%s': expected default, paste:NAME or product:NAME",
				     scope ? scope : "");
	if (strncmp(scope, "paste:", 6) == 0)
		scope = paste_scope(scope + 6, sc, sizeof(sc));
	ecms_reflow_window_default(&w);
	if (ecms_reflow_window_set(&w, key, value, &e))
		return ecms__ctxfail(h, ECMS_EINVAL, "key", "%s", e.message);
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__exec(h,
			"INSERT INTO reflow_windows (scope, key, value, updated_seq) "
			"VALUES (?, ?, ?, 0) ON CONFLICT (scope, key) DO UPDATE SET "
			"value = excluded.value",
			"ttt", scope, key, value);
	/* The scope over the defaults must stay consistent. */
	if (rc == ECMS_OK) {
		ecms_reflow_window_default(&w);
		rc = apply_scope(h, scope, &w, NULL);
	}
	if (rc == ECMS_OK && ecms_reflow_window_validate(&w, &e))
		rc = ecms__ctxfail(h, ECMS_EINVAL, "value", "%s %s=%s: %s", scope, key, value,
				   e.message);
	if (rc == ECMS_OK)
		rc = ecms__event(
			h, "reflow.window_set",
			json_pack("{s:s,s:s,s:s}", "scope", scope, "key", key, "value", value),
			&seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"UPDATE reflow_windows SET updated_seq = ? WHERE scope = ? AND "
				"key = ?",
				"itt", seq, scope, key);
	return ecms__end(h, rc);
}

int
ecms_reflow_window_rows(ecms *h, const char *scope, json_t **out)
{
	static const struct ecms__col cols[] = { { "scope", 't' },
						 { "key", 't' },
						 { "value", 't' } };

	if (scope)
		return ecms__select_all(
			h,
			"SELECT scope, key, value FROM reflow_windows WHERE scope = ? "
			"ORDER BY scope, key",
			scope, cols, 3, out);
	return ecms__select_all(h,
				"SELECT scope, key, value FROM reflow_windows ORDER BY scope, key",
				NULL, cols, 3, out);
}

/* ------------------------------------------------------------------
 * Reflow records
 * ------------------------------------------------------------------ */

static const char *
vkind_name(enum ecms_reflow_vkind k)
{
	return k == ECMS_REFLOW_EXACT         ? "exact"
	       : k == ECMS_REFLOW_UPPER_BOUND ? "upper_bound"
					      : "unknown";
}

static const char *
source_name(enum ecms_reflow_source s)
{
	return s == ECMS_REFLOW_SRC_CURVE      ? "curve"
	       : s == ECMS_REFLOW_SRC_CFX_OVEN ? "cfx_oven"
					       : "cfx_profiler";
}

/* The metrics as JSON: per metric a summary over channels, and per
 * channel its values. */
static json_t *
metrics_json(const struct ecms_reflow_metrics *m)
{
	json_t *o = json_object(), *sum = json_object(), *chs = json_array(), *zones;

	json_object_set_new(o, "source", json_string(source_name(m->source)));
	json_object_set_new(o, "liquidus_c", mnum(m->liquidus_c));
	for (int k = 0; k < ECMS_REFLOW_NMETRICS; k++) {
		const struct ecms_reflow_extreme *x = &m->ext[k];
		enum ecms_reflow_vkind kind = ECMS_REFLOW_UNKNOWN;
		const char *why = "";
		for (size_t c = 0; c < m->nchannels; c++) {
			if (m->ch[c].m[k].kind == ECMS_REFLOW_EXACT)
				kind = ECMS_REFLOW_EXACT;
			else if (m->ch[c].m[k].kind == ECMS_REFLOW_UPPER_BOUND &&
				 kind != ECMS_REFLOW_EXACT)
				kind = ECMS_REFLOW_UPPER_BOUND;
			if (*m->ch[c].m[k].why && !*why)
				why = m->ch[c].m[k].why;
		}
		json_object_set_new(
			sum, ecms_reflow_metric_name((enum ecms_reflow_metric)k),
			json_pack("{s:s,s:o,s:o,s:o,s:o,s:s,s:s}", "unit",
				  ecms_reflow_metric_unit((enum ecms_reflow_metric)k), "min",
				  mnum(x->nknown ? x->min : NAN), "max",
				  mnum(x->nknown ? x->max : NAN), "min_channel",
				  x->nknown ? json_string(m->ch[x->min_ch].name) : json_null(),
				  "max_channel",
				  x->nknown ? json_string(m->ch[x->max_ch].name) : json_null(),
				  "kind", vkind_name(kind), "why",
				  kind == ECMS_REFLOW_EXACT ? "" : why));
	}
	json_object_set_new(o, "summary", sum);
	for (size_t c = 0; c < m->nchannels; c++) {
		json_t *ch = json_pack("{s:s}", "name", m->ch[c].name);
		for (int k = 0; k < ECMS_REFLOW_NMETRICS; k++)
			json_object_set_new(ch, ecms_reflow_metric_name((enum ecms_reflow_metric)k),
					    mnum(m->ch[c].m[k].kind == ECMS_REFLOW_UNKNOWN
							 ? NAN
							 : m->ch[c].m[k].v));
		json_array_append_new(chs, ch);
	}
	json_object_set_new(o, "channels", chs);
	if (m->nzones) {
		zones = json_array();
		for (size_t z = 0; z < m->nzones; z++)
			json_array_append_new(zones,
					      json_pack("{s:s,s:s,s:i,s:o,s:o}", "name",
							m->zones[z].name, "type", m->zones[z].type,
							"sequence", m->zones[z].sequence,
							"setpoint_c", mnum(m->zones[z].setpoint_c),
							"reading_c", mnum(m->zones[z].reading_c)));
		json_object_set_new(o, "zones", zones);
	}
	json_object_set_new(o, "conveyor_cm_min", mnum(m->conveyor_cm_min));
	json_object_set_new(o, "oven_time_s", mnum(m->oven_time_s));
	json_object_set_new(o, "pwi", mnum(m->pwi));
	json_object_set_new(o, "profiler_result",
			    ecms__qstr(*m->profiler_result ? m->profiler_result : NULL));
	return o;
}

/* The board's product (work order's), or NULL in buf[0] == '\0'. */
static int
board_product(ecms *h, const char *serial, char *buf, size_t n)
{
	ecms__stmt *st;
	int rc;

	buf[0] = '\0';
	rc = ecms__q(h, &st,
		     "SELECT w.product FROM work_orders w WHERE w.id = COALESCE("
		     "(SELECT work_order FROM boards WHERE serial = ?), "
		     "(SELECT work_order FROM gen_boards WHERE serial = ?))",
		     "tt", serial, serial);
	if (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW)
		ecms__strlcpy(buf, ecms__col_text(st, 0), n);
	ecms__done(h, st);
	return rc == ECMS__ROW || rc == ECMS__DONE ? ECMS_OK : rc;
}

/* The lowest peak rating of any package that fed (or may have fed) the
 * board: *min NAN when none is known; *unrated: parts without a rating. */
static int
lowest_rating(ecms *h, const char *serial, double *min, char *refdes, size_t n, size_t *nparts,
	      size_t *unrated)
{
	struct ecms_gen_board b;
	int rc;

	*min = NAN;
	*nparts = *unrated = 0;
	refdes[0] = '\0';
	rc = ecms_gen_board_get(h, serial, &b);
	if (rc == ECMS_ENOTFOUND) {
		ecms_error_clear(&h->err);
		return ECMS_OK;
	}
	if (rc)
		return rc;
	for (size_t i = 0; rc == ECMS_OK && i < b.nparts; i++) {
		const struct ecms_gen_part *p = &b.parts[i];
		const char *one[1] = { p->uid };
		const char *const *uids = p->uid ? one : p->candidates;
		size_t nu = p->uid ? 1 : p->ncandidates;
		bool rated = false;
		if (nu == 0)
			continue;
		(*nparts)++;
		for (size_t k = 0; rc == ECMS_OK && k < nu; k++) {
			ecms__stmt *st;
			rc = ecms__q(
				h, &st,
				"SELECT t.peak_c FROM packages p JOIN parts t ON t.ipn = p.ipn "
				"WHERE p.uid = ? AND t.peak_c IS NOT NULL",
				"t", uids[k]);
			if (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
				double v = ecms__col_double(st, 0);
				rated = true;
				if (isnan(*min) || v < *min) {
					*min = v;
					ecms__strlcpy(refdes, p->refdes, n);
				}
			}
			ecms__done(h, st);
			rc = rc == ECMS__ROW || rc == ECMS__DONE ? ECMS_OK : rc;
		}
		if (!rated)
			(*unrated)++;
	}
	ecms_gen_board_cleanup(&b);
	return rc;
}

static json_t *
findings_json(const struct ecms_reflow_finding *f, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(
			arr,
			json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:s}", "code", f[i].code, "severity",
				  ecms_reflow_severity_name(f[i].severity), "subject",
				  ecms__qstr(*f[i].channel  ? f[i].channel
					     : *f[i].metric ? f[i].metric
							    : NULL),
				  "value", ecms__qnum(f[i].value), "limit", ecms__qnum(f[i].limit),
				  "unit", ecms__qstr(*f[i].unit ? f[i].unit : NULL), "text",
				  f[i].text));
	return arr;
}

int
ecms__q_reflow_build(ecms *h, const char *serial, const char *ref, const char *source,
		     const char *txn, const char *station, int64_t at, const char *paste,
		     const struct ecms_reflow_profile *p, const json_t *cfx,
		     const char *profile_sha, json_t **rec)
{
	struct ecms_reflow_window w;
	struct ecms_reflow_metrics *m = NULL;
	struct ecms_reflow_finding *f = NULL;
	size_t nf = 0, nparts, unrated;
	char product[ECMS_GEN_NAME_MAX + 1], refdes[ECMS_GEN_REFDES_MAX + 1];
	char *dump = NULL;
	double minpeak;
	int64_t passes, pass_no = -1;
	ecms_error e;
	json_t *fj;
	int rc;

	*rec = NULL;
	/* Another record of the same transaction: the same pass. */
	if (txn) {
		rc = ecms__query_int(h, &pass_no,
				     "SELECT MIN(pass_no) FROM reflow_records WHERE serial = ? AND "
				     "txn = ? HAVING COUNT(*) > 0",
				     "tt", serial, txn);
		if (rc == ECMS_ENOTFOUND)
			pass_no = -1;
		else if (rc)
			return rc;
	}
	if ((rc = board_product(h, serial, product, sizeof(product))) ||
	    (rc = ecms_reflow_window_effective(h, *product ? product : NULL, paste, &w)))
		return rc;
	rc = p ? ecms_reflow_analyze(p, &w, &m, &e) : ecms_reflow_metrics_from_cfx(cfx, &w, &m, &e);
	if (rc)
		return ecms__ctxfail(h, rc, e.field, "%s", e.message);
	if ((rc = lowest_rating(h, serial, &minpeak, refdes, sizeof(refdes), &nparts, &unrated)) ||
	    (rc = ecms__q_passes(h, serial, &passes)))
		goto out;
	if (pass_no < 0)
		pass_no = ++passes;
	if (ecms_reflow_check(&w, m, minpeak, (int)passes, &f, &nf, &e)) {
		rc = ecms__ctxfail(h, ECMS_EINVAL, e.field, "%s", e.message);
		goto out;
	}
	if (ecms_reflow_window_dump(&w, 0, &dump, &e)) {
		rc = ECMS_ENOMEM;
		goto out;
	}
	fj = findings_json(f, nf);
	if (nparts && unrated)
		ecms__qfinding(fj, "reflow.skipped", "info", "component", (double)unrated, NAN,
			       NULL,
			       "%zu of the %zu placed parts have no peak rating in the part "
			       "master data: they were not checked.",
			       unrated, nparts);
	*rec = json_pack("{s:s,s:s,s:s,s:o,s:o,s:I,s:I,s:o,s:o,s:o,s:o,s:s,s:o,s:s,s:o,s:o}",
			 "serial", serial, "ref", ref, "source", source, "txn", ecms__qstr(txn),
			 "station", ecms__qstr(station), "time", (json_int_t)at, "pass",
			 (json_int_t)pass_no, "paste", ecms__qstr(paste), "product",
			 ecms__qstr(*product ? product : NULL), "min_peak_c", ecms__qnum(minpeak),
			 "min_peak_refdes", ecms__qstr(*refdes ? refdes : NULL), "result",
			 ecms__q_worst(fj), "metrics", metrics_json(m), "window", dump,
			 "profile_sha256", ecms__qstr(profile_sha), "findings", fj);
	if (*rec == NULL)
		rc = ECMS_ENOMEM;
out:
	ecms_free(dump);
	ecms_free(f);
	ecms_reflow_metrics_free(m);
	return rc;
}

int
ecms_quality_reflow_import(ecms *h, const char *serial, const char *path, const char *paste,
			   int64_t t_ms, json_t **out)
{
	struct ecms_reflow_profile *p = NULL;
	char *data = NULL, sha[65];
	const char *base;
	json_t *rec = NULL;
	size_t len;
	int64_t seq;
	bool exists;
	ecms_error e;
	int rc;

	if (out)
		*out = NULL;
	if (!serial || !*serial || !path)
		return ecms__ctxfail(h, ECMS_EUSAGE, NULL,
				     "a reflow import needs a serial and a file");
	if (t_ms < 0)
		t_ms = ecms_now(h);
	if ((rc = ecms__read_file(path, ECMS_QUALITY_FILE_MAX, &data, &len, &h->err)))
		return rc;
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	{
		/* An unknown paste is an error even for a profile stored already. */
		struct ecms_reflow_window w;
		if ((rc = ecms_reflow_window_effective(h, NULL, paste ? paste : "SAC305", &w)))
			goto out;
	}
	if ((rc = ecms_reflow_csv_parse(data, len, base, &p, &e))) {
		rc = ecms__ctxfail(h, rc, e.field, "%s", e.message);
		goto out;
	}
	ecms__sha256_hex(data, len, sha);
	if ((rc = ecms__begin(h)))
		goto out;
	rc = ecms__q_exists(h, "reflow_records", serial, sha, &exists);
	if (rc == ECMS_OK && !exists)
		rc = ecms__q_reflow_build(h, serial, sha, "curve", NULL,
					  *ecms_station(h) ? ecms_station(h) : NULL, t_ms,
					  paste ? paste : "SAC305", p, NULL, sha, &rec);
	if (rc == ECMS_OK && !exists) {
		json_t *pl = json_pack("{s:s,s:O}", "file", base, "record", rec);
		rc = ecms__event(h, "quality.reflow", pl, &seq);
		if (rc == ECMS_OK)
			rc = ecms__doc_put(h, base, data, len, seq, sha);
		if (rc == ECMS_OK)
			rc = ecms__q_store(h, "reflow", rec, seq);
	}
	rc = ecms__end(h, rc);
	if (rc == ECMS_OK && out) {
		if (exists) {
			*out = json_pack("{s:s,s:b}", "serial", serial, "stored", 0);
		} else {
			json_object_set_new(rec, "stored", json_true());
			*out = json_incref(rec);
		}
	}
out:
	json_decref(rec);
	ecms_reflow_profile_free(p);
	ecms__free(data);
	return rc;
}

/* ------------------------------------------------------------------
 * The projection writer
 * ------------------------------------------------------------------ */

static int
store_reflow(ecms *h, const json_t *r, int64_t seq, int64_t *id)
{
	char *metrics = json_dumps(json_object_get(r, "metrics"), JSON_COMPACT | JSON_SORT_KEYS);
	int rc;

	if (metrics == NULL)
		return ECMS_ENOMEM;
	rc = ecms__q_insert(
		h,
		"INSERT INTO reflow_records (serial, ref, source, txn, station, at_ms, pass_no, "
		"paste, product, min_peak_c, min_peak_refdes, metrics, win, profile_sha, result, "
		"seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		json_pack("[O?,O?,O?,O?,O?,O?,O?,O?,O?,O?,O?,s,O?,O?,O?,I]",
			  json_object_get(r, "serial"), json_object_get(r, "ref"),
			  json_object_get(r, "source"), json_object_get(r, "txn"),
			  json_object_get(r, "station"), json_object_get(r, "time"),
			  json_object_get(r, "pass"), json_object_get(r, "paste"),
			  json_object_get(r, "product"), json_object_get(r, "min_peak_c"),
			  json_object_get(r, "min_peak_refdes"), metrics,
			  json_object_get(r, "window"), json_object_get(r, "profile_sha256"),
			  json_object_get(r, "result"), (json_int_t)seq),
		id);
	free(metrics); /* checksrc:ok jansson's allocator */
	return rc;
}

static int
store_inspection(ecms *h, const json_t *r, int64_t seq, int64_t *id)
{
	size_t i, k;
	json_t *d, *img;
	int rc;

	rc = ecms__q_insert(
		h,
		"INSERT INTO board_inspections (serial, ref, method, station, recipe, recipe_rev, "
		"inspector, result, at_ms, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		json_pack("[O?,O?,O?,O?,O?,O?,O?,O?,O?,I]", json_object_get(r, "serial"),
			  json_object_get(r, "ref"), json_object_get(r, "method"),
			  json_object_get(r, "station"), json_object_get(r, "recipe"),
			  json_object_get(r, "recipe_rev"), json_object_get(r, "inspector"),
			  json_object_get(r, "result"), json_object_get(r, "time"),
			  (json_int_t)seq),
		id);
	json_array_foreach(rc ? NULL : json_object_get(r, "defects"), i, d) {
		if (rc)
			break;
		rc = ecms__q_exec(
			h,
			"INSERT INTO board_defects (inspection_id, n, check_name, designator, "
			"refdes, pin, code, category, description) VALUES (?, ?, "
			"?, ?, ?, ?, ?, ?, ?)",
			json_pack("[I,I,O?,O?,O?,O?,O?,O?,O?]", (json_int_t)*id, (json_int_t)i,
				  json_object_get(d, "check"), json_object_get(d, "designator"),
				  json_object_get(d, "refdes"), json_object_get(d, "pin"),
				  json_object_get(d, "code"), json_object_get(d, "category"),
				  json_object_get(d, "description")));
		json_array_foreach(rc ? NULL : json_object_get(d, "images"), k, img) {
			if (rc)
				break;
			rc = ecms__q_exec(
				h,
				"INSERT INTO board_defect_images (inspection_id, n, k, mime, "
				"sha256) VALUES (?, ?, ?, ?, ?)",
				json_pack("[I,I,I,O?,O?]", (json_int_t)*id, (json_int_t)i,
					  (json_int_t)k, json_object_get(img, "mime"),
					  json_object_get(img, "sha256")));
		}
	}
	return rc;
}

static int
store_test(ecms *h, const json_t *r, int64_t seq, int64_t *id)
{
	size_t i;
	json_t *m;
	int rc;

	rc = ecms__q_insert(
		h,
		"INSERT INTO board_tests (serial, ref, source, method, "
		"station, recipe, recipe_rev, "
		"technician, equipment, cal_status, result, at_ms, seq) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		json_pack("[O?,O?,O?,O?,O?,O?,O?,O?,O?,O?,O?,O?,I]", json_object_get(r, "serial"),
			  json_object_get(r, "ref"), json_object_get(r, "source"),
			  json_object_get(r, "method"), json_object_get(r, "station"),
			  json_object_get(r, "recipe"), json_object_get(r, "recipe_rev"),
			  json_object_get(r, "technician"), json_object_get(r, "equipment"),
			  json_object_get(r, "calibration"), json_object_get(r, "result"),
			  json_object_get(r, "time"), (json_int_t)seq),
		id);
	json_array_foreach(rc ? NULL : json_object_get(r, "measurements"), i, m) {
		if (rc)
			break;
		rc = ecms__q_exec(
			h,
			"INSERT INTO board_test_measurements (test_id, n, "
			"test_name, name, value, unit, "
			"lo, hi, expected, result, refdes) VALUES (?, ?, ?, ?, ?, "
			"?, ?, ?, ?, ?, ?)",
			json_pack("[I,I,O?,O?,O?,O?,O?,O?,O?,O?,O?]", (json_int_t)*id,
				  (json_int_t)i, json_object_get(m, "test"),
				  json_object_get(m, "name"), json_object_get(m, "value"),
				  json_object_get(m, "unit"), json_object_get(m, "min"),
				  json_object_get(m, "max"), json_object_get(m, "expected"),
				  json_object_get(m, "result"), json_object_get(m, "refdes")));
	}
	return rc;
}

static int
store_repair(ecms *h, const json_t *r, int64_t seq, int64_t *id)
{
	return ecms__q_insert(
		h,
		"INSERT INTO board_repairs (serial, ref, action, designator, "
		"refdes, new_uid, result, "
		"operator, at_ms, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		json_pack("[O?,O?,O?,O?,O?,O?,O?,O?,O?,I]", json_object_get(r, "serial"),
			  json_object_get(r, "ref"), json_object_get(r, "action"),
			  json_object_get(r, "designator"), json_object_get(r, "refdes"),
			  json_object_get(r, "new_uid"), json_object_get(r, "result"),
			  json_object_get(r, "operator"), json_object_get(r, "time"),
			  (json_int_t)seq),
		id);
}

int
ecms__q_store(ecms *h, const char *kind, const json_t *rec, int64_t seq)
{
	int64_t id = 0;
	int rc;

	if (strcmp(kind, "reflow") == 0)
		rc = store_reflow(h, rec, seq, &id);
	else if (strcmp(kind, "inspection") == 0)
		rc = store_inspection(h, rec, seq, &id);
	else if (strcmp(kind, "test") == 0)
		rc = store_test(h, rec, seq, &id);
	else
		rc = store_repair(h, rec, seq, &id);
	if (rc == ECMS_OK)
		rc = ecms__q_store_findings(h, ecms__rs(rec, "serial"), kind, id,
					    json_object_get(rec, "findings"), ecms__ri(rec, "time"),
					    seq);
	/* A step of the board's route (008_boards; the board is created if
	 * new). */
	if (rc == ECMS_OK) {
		static const char *const kinds[][3] = {
			{ "reflow", "processed", "station" },
			{ "inspection", "inspected", "inspector" },
			{ "test", "tested", "technician" },
			{ "repair", "repaired", "operator" },
		};
		const char *const *k = kinds[3];
		const char *station;
		char detail[200];
		for (size_t i = 0; i < ECMS_ARRAY_LEN(kinds); i++)
			if (strcmp(kinds[i][0], kind) == 0)
				k = kinds[i];
		station = ecms__rs(rec, "station");
		if (station == NULL || *station == '\0')
			station = strcmp(kind, "repair") == 0 ? "repair" : kind;
		snprintf(detail, sizeof(detail),
			 "{\"quality\":\"%s\",\"record\":%lld,\"findings\":%zu}", kind,
			 (long long)id, json_array_size(json_object_get(rec, "findings")));
		/* The work order the genealogy knows, for a board new here. */
		{
			ecms__stmt *st;
			char wo[ECMS_GEN_NAME_MAX + 1] = "";
			rc = ecms__q(h, &st, "SELECT work_order FROM gen_boards WHERE serial = ?",
				     "t", ecms__rs(rec, "serial"));
			if (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW &&
			    !ecms__col_null(st, 0))
				ecms__strlcpy(wo, ecms__col_text(st, 0), sizeof(wo));
			ecms__done(h, st);
			rc = rc == ECMS__ROW || rc == ECMS__DONE ? ECMS_OK : rc;
			if (rc == ECMS_OK && *wo)
				rc = ecms__board_touch(h, ecms__rs(rec, "serial"), wo, NULL, -1,
						       ecms__ri(rec, "time"), seq, NULL);
		}
		if (rc == ECMS_OK)
			rc = ecms__board_step(
				h, ecms__rs(rec, "serial"), station, k[1], ecms__rs(rec, "result"),
				strcmp(kind, "reflow") == 0 ? NULL : ecms__rs(rec, k[2]), detail,
				ecms__ri(rec, "time"), seq);
	}
	return rc;
}

/* ------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------ */

static json_t *
time_json(int64_t ms)
{
	char t[ECMS_TIME_LEN];

	return json_string(ecms_time_format(ms, t));
}

/* Replace the integer "time" of each row by its ISO text. */
static void
iso_times(json_t *rows)
{
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r)
		json_object_set_new(r, "time", time_json(ecms__ri(r, "time")));
}

static int
findings_of(ecms *h, const char *serial, const char *kind, int64_t record, json_t **out)
{
	static const struct ecms__col cols[] = { { "kind", 't' },    { "record", 'i' },
						 { "code", 't' },    { "severity", 't' },
						 { "subject", 't' }, { "value", 'd' },
						 { "limit", 'd' },   { "unit", 't' },
						 { "text", 't' },    { "time", 'i' } };
	ecms__stmt *st;
	json_t *arr = json_array();
	int rc;

	if (kind)
		rc = ecms__q(h, &st,
			     "SELECT kind, record_id, code, severity, subject, value, lim, unit, "
			     "text, at_ms FROM quality_findings WHERE serial = ? AND kind = ? AND "
			     "record_id = ? ORDER BY id",
			     "tti", serial, kind, record);
	else
		rc = ecms__q(
			h, &st,
			"SELECT kind, record_id, code, severity, subject, value, lim, unit, "
			"text, at_ms FROM quality_findings WHERE serial = ? ORDER BY at_ms, id",
			"t", serial);
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		json_array_append_new(arr, ecms__row_object(st, cols, (int)ECMS_ARRAY_LEN(cols)));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE) {
		json_decref(arr);
		return rc;
	}
	iso_times(arr);
	*out = arr;
	return ECMS_OK;
}

static int
select_rows(ecms *h, const char *sql, const char *serial, const struct ecms__col *cols, int n,
	    json_t **out)
{
	int rc = ecms__select_all(h, sql, serial, cols, n, out);

	if (rc == ECMS_OK)
		iso_times(*out);
	return rc;
}

/* Append to arr the rows (cols) of sql, run with the one integer id. */
static int
rows_by_id(ecms *h, const char *sql, int64_t id, const struct ecms__col *cols, int n, json_t *arr)
{
	ecms__stmt *st;
	int rc = ecms__q(h, &st, sql, "i", id);

	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		json_array_append_new(arr, ecms__row_object(st, cols, n));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

static int
board_reflow(ecms *h, const char *serial, json_t **out)
{
	static const struct ecms__col cols[] = {
		{ "record", 'i' },          { "ref", 't' },     { "source", 't' },
		{ "station", 't' },         { "time", 'i' },    { "pass", 'i' },
		{ "paste", 't' },           { "product", 't' }, { "min_peak_c", 'd' },
		{ "min_peak_refdes", 't' }, { "result", 't' },  { "metrics", 't' },
		{ "profile_sha256", 't' },  { "window", 't' },  { "txn", 't' },
	};
	size_t i;
	json_t *r;
	int rc = select_rows(h,
			     "SELECT id, ref, source, station, at_ms, pass_no, paste, product, "
			     "min_peak_c, min_peak_refdes, result, metrics, profile_sha, win, txn "
			     "FROM reflow_records WHERE serial = ? ORDER BY at_ms, id",
			     serial, cols, (int)ECMS_ARRAY_LEN(cols), out);

	json_array_foreach(rc ? NULL : *out, i, r) {
		json_t *f = NULL;
		json_object_set_new(r, "metrics", json_loads(ecms__rs(r, "metrics"), 0, NULL));
		if ((rc = findings_of(h, serial, "reflow", ecms__ri(r, "record"), &f)))
			break;
		json_object_set_new(r, "findings", f);
	}
	return rc;
}

static int
board_inspections(ecms *h, const char *serial, json_t **out)
{
	static const struct ecms__col cols[] = {
		{ "record", 'i' },    { "ref", 't' },    { "method", 't' },
		{ "station", 't' },   { "recipe", 't' }, { "recipe_rev", 't' },
		{ "inspector", 't' }, { "result", 't' }, { "time", 'i' },
	};
	static const struct ecms__col dcols[] = {
		{ "n", 'i' },   { "check", 't' }, { "designator", 't' }, { "refdes", 't' },
		{ "pin", 't' }, { "code", 't' },  { "category", 't' },   { "description", 't' },
	};
	size_t i;
	json_t *r;
	int rc = select_rows(
		h,
		"SELECT id, ref, method, station, recipe, recipe_rev, inspector, "
		"result, at_ms FROM board_inspections WHERE serial = ? ORDER BY at_ms, id",
		serial, cols, (int)ECMS_ARRAY_LEN(cols), out);

	json_array_foreach(rc ? NULL : *out, i, r) {
		ecms__stmt *st;
		json_t *defs = json_array(), *d;
		size_t k;
		rc = rows_by_id(h,
				"SELECT n, check_name, designator, refdes, pin, code, category, "
				"description FROM board_defects WHERE inspection_id = ? ORDER BY n",
				ecms__ri(r, "record"), dcols, 8, defs);
		json_array_foreach(rc ? NULL : defs, k, d) {
			json_t *imgs = json_array();
			rc = ecms__q(h, &st,
				     "SELECT mime, sha256 FROM board_defect_images WHERE "
				     "inspection_id = ? "
				     "AND n = ? ORDER BY k",
				     "ii", ecms__ri(r, "record"), ecms__ri(d, "n"));
			while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
				json_array_append_new(imgs,
						      json_pack("{s:o,s:s}", "mime",
								ecms__col_json(st, 0, 't'),
								"sha256", ecms__col_text(st, 1)));
				rc = ECMS_OK;
			}
			ecms__done(h, st);
			rc = rc == ECMS__DONE ? ECMS_OK : rc;
			json_object_del(d, "n");
			json_object_set_new(d, "images", imgs);
		}
		json_object_set_new(r, "defects", defs);
		if (rc)
			break;
	}
	return rc;
}

static int
board_tests(ecms *h, const char *serial, json_t **out)
{
	static const struct ecms__col cols[] = {
		{ "record", 'i' },      { "ref", 't' },        { "source", 't' },
		{ "method", 't' },      { "station", 't' },    { "recipe", 't' },
		{ "recipe_rev", 't' },  { "technician", 't' }, { "equipment", 't' },
		{ "calibration", 't' }, { "result", 't' },     { "time", 'i' },
	};
	static const struct ecms__col mcols[] = {
		{ "test", 't' },     { "name", 't' },   { "value", 'd' },
		{ "unit", 't' },     { "min", 'd' },    { "max", 'd' },
		{ "expected", 'd' }, { "result", 't' }, { "refdes", 't' },
	};
	size_t i;
	json_t *r;
	int rc = select_rows(h,
			     "SELECT id, ref, source, method, station, recipe, recipe_rev, "
			     "technician, equipment, cal_status, result, at_ms FROM board_tests "
			     "WHERE serial = ? ORDER BY at_ms, id",
			     serial, cols, (int)ECMS_ARRAY_LEN(cols), out);

	json_array_foreach(rc ? NULL : *out, i, r) {
		json_t *ms = json_array();
		rc = rows_by_id(
			h,
			"SELECT test_name, name, value, unit, lo, hi, expected, result, refdes "
			"FROM board_test_measurements WHERE test_id = ? ORDER BY n",
			ecms__ri(r, "record"), mcols, 9, ms);
		json_object_set_new(r, "measurements", ms);
		if (rc)
			break;
	}
	return rc;
}

int
ecms_quality_board(ecms *h, const char *serial, json_t **out)
{
	static const struct ecms__col rcols[] = {
		{ "record", 'i' },     { "ref", 't' },      { "action", 't' },
		{ "designator", 't' }, { "refdes", 't' },   { "new_uid", 't' },
		{ "result", 't' },     { "operator", 't' }, { "time", 'i' },
	};
	json_t *o = json_pack("{s:s}", "serial", serial), *v = NULL;
	const char *res;
	int rc;

	*out = NULL;
	if ((rc = board_reflow(h, serial, &v)) == ECMS_OK)
		json_object_set_new(o, "reflow", v);
	if (rc == ECMS_OK && (rc = board_inspections(h, serial, &v)) == ECMS_OK)
		json_object_set_new(o, "inspections", v);
	if (rc == ECMS_OK && (rc = board_tests(h, serial, &v)) == ECMS_OK)
		json_object_set_new(o, "tests", v);
	if (rc == ECMS_OK &&
	    (rc = select_rows(
		     h,
		     "SELECT id, ref, action, designator, refdes, new_uid, result, "
		     "operator, at_ms FROM board_repairs WHERE serial = ? ORDER BY at_ms, id",
		     serial, rcols, (int)ECMS_ARRAY_LEN(rcols), &v)) == ECMS_OK)
		json_object_set_new(o, "repairs", v);
	if (rc == ECMS_OK && (rc = findings_of(h, serial, NULL, 0, &v)) == ECMS_OK)
		json_object_set_new(o, "findings", v);
	if (rc) {
		json_decref(o);
		return rc;
	}
	res = ecms__q_worst(json_object_get(o, "findings"));
	if (strcmp(res, "pass") == 0 &&
	    json_array_size(json_object_get(o, "reflow")) +
			    json_array_size(json_object_get(o, "inspections")) +
			    json_array_size(json_object_get(o, "tests")) +
			    json_array_size(json_object_get(o, "repairs")) ==
		    0)
		res = "none";
	json_object_set_new(o, "result", json_string(res));
	*out = o;
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Alerts
 * ------------------------------------------------------------------ */

static void qalert(json_t *arr, const char *kind, const char *object, const char *fmt, ...)
	ECMS_PRINTF(4, 5);

static void
qalert(json_t *arr, const char *kind, const char *object, const char *fmt, ...)
{
	char s[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	json_array_append_new(
		arr, json_pack("{s:s,s:s,s:s}", "kind", kind, "object", object, "sentence", s));
}

int
ecms_quality_alerts(ecms *h, json_t **out)
{
	int64_t now = ecms_now(h);
	char t[ECMS_TIME_LEN];
	ecms__stmt *st;
	json_t *arr = json_array();
	int rc;

	*out = NULL;
	rc = ecms__q(
		h, &st,
		"SELECT t.serial, t.equipment, t.at_ms, t.method, t.station FROM board_tests t "
		"WHERE t.cal_status = 'lapsed' ORDER BY t.at_ms, t.id",
		"");
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		qalert(arr, "test.calibration_lapsed", ecms__col_text(st, 0),
		       "board %s was tested (%s) at %s on %s, whose calibration had lapsed: "
		       "retest on calibrated equipment",
		       ecms__col_text(st, 0), ecms__col_text(st, 3),
		       ecms_time_format(ecms__col_int(st, 2), t), ecms__col_text(st, 1));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE)
		goto fail;
	rc = ecms__q(
		h, &st,
		"SELECT e.id, e.name, MAX(c.until_ms), MAX(c.valid_until) FROM test_equipment e "
		"JOIN equipment_calibrations c ON c.equipment = e.id GROUP BY "
		"e.id, e.name ORDER BY e.id",
		"");
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		int64_t until = ecms__col_int(st, 2);
		if (until <= now)
			qalert(arr, "calibration.expired", ecms__col_text(st, 0),
			       "%s (%s): calibration expired on %s: do not test on it",
			       ecms__col_text(st, 0), ecms__col_text(st, 1), ecms__col_text(st, 3));
		else if (until - now <= 30 * DAY_MS)
			qalert(arr, "calibration.expiring", ecms__col_text(st, 0),
			       "%s (%s): calibration valid until %s", ecms__col_text(st, 0),
			       ecms__col_text(st, 1), ecms__col_text(st, 3));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE)
		goto fail;
	*out = arr;
	return ECMS_OK;
fail:
	json_decref(arr);
	return rc;
}
