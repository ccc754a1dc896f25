/*
 * quarantine.c: packages as a whole (findings, inspections, decisions,
 * history), the quarantine queue, supplier receipt history, incoming
 * inspections, and signed release / reject decisions.
 */
#include <stdio.h>
#include <string.h>

#include "ecms/auth.h"
#include "ecms/receiving.h"
#include "ecms/session.h"
#include "event.h"
#include "master.h"

static const struct ecms__col pkg_cols[] = {
	{ "uid", 't' },          { "status", 't' },       { "ipn", 't' },
	{ "mpn", 't' },          { "manufacturer", 't' }, { "supplier", 't' },
	{ "po", 't' },           { "po_line", 'i' },      { "lot", 't' },
	{ "date_code", 't' },    { "quantity", 'i' },     { "initial_qty", 'i' },
	{ "location", 't' },     { "coc", 't' },          { "supplier_pn", 't' },
	{ "serial", 't' },       { "country", 't' },      { "expiry", 't' },
	{ "label_format", 't' }, { "parent", 't' },       { "received_ms", 'i' },
};
#define PKG_COLS                                                                                   \
	"uid, status, ipn, mpn, manufacturer, supplier, po, po_line, lot, date_code, quantity, "   \
	"initial_qty, location, coc, supplier_pn, serial, country, expiry, label_format, parent, " \
	"received_ms"

static void
time_field(json_t *o, const char *ms_key, const char *key)
{
	char t[ECMS_TIME_LEN];
	json_t *v = json_object_get(o, ms_key);

	if (json_is_integer(v))
		json_object_set_new(o, key,
				    json_string(ecms_time_format(json_integer_value(v), t)));
	json_object_del(o, ms_key);
}

static int
history_row(const ecms_event *ev, void *arg)
{
	char t[ECMS_TIME_LEN];

	json_array_append_new(arg, json_pack("{s:I,s:s,s:s,s:s}", "seq", (json_int_t)ev->seq,
					     "time", ecms_time_format(ev->at_ms, t), "actor",
					     ev->actor, "type", ev->type));
	return 0;
}

int
ecms_package_get(ecms *h, const char *uid, json_t **out)
{
	static const struct ecms__col f_cols[] = {
		{ "rule", 't' }, { "severity", 't' }, { "signal", 'B' }, { "message", 't' }
	};
	static const struct ecms__col i_cols[] = {
		{ "inspector", 't' }, { "result", 't' }, { "notes", 't' }, { "at_ms", 'i' }
	};
	static const struct ecms__col d_cols[] = {
		{ "decision", 't' }, { "signer", 't' }, { "reason", 't' }, { "at_ms", 'i' }
	};
	json_t *f = NULL, *ins = NULL, *dec = NULL, *signals, *e, *hist;
	ecms__stmt *st;
	size_t i;
	int rc;

	rc = ecms__select_one(h, "SELECT " PKG_COLS " FROM packages WHERE uid = ?", uid, pkg_cols,
			      (int)ECMS_ARRAY_LEN(pkg_cols), out);
	if (rc == ECMS_ENOTFOUND)
		return ecms__no_package(h, uid);
	if (rc)
		return rc;
	time_field(*out, "received_ms", "received");
	rc = ecms__select_all(h,
			      "SELECT rule, severity, signal, message FROM package_findings "
			      "WHERE uid = ? ORDER BY seq, rule",
			      uid, f_cols, 4, &f);
	if (rc == ECMS_OK)
		rc = ecms__select_all(h,
				      "SELECT inspector, result, notes, at_ms FROM inspections "
				      "WHERE uid = ? ORDER BY seq",
				      uid, i_cols, 4, &ins);
	if (rc == ECMS_OK)
		rc = ecms__select_all(h,
				      "SELECT decision, signer, reason, at_ms FROM decisions "
				      "WHERE uid = ? ORDER BY seq",
				      uid, d_cols, 4, &dec);
	if (rc) {
		json_decref(f);
		json_decref(ins);
		json_decref(dec);
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	signals = json_array();
	json_array_foreach(f, i, e)
		if (json_is_true(json_object_get(e, "signal")))
			json_array_append(signals, e);
	json_array_foreach(ins, i, e)
		time_field(e, "at_ms", "time");
	json_array_foreach(dec, i, e)
		time_field(e, "at_ms", "time");
	json_object_set_new(*out, "findings", f);
	json_object_set_new(*out, "signals", signals);
	json_object_set_new(*out, "inspections", ins);
	json_object_set_new(*out, "decisions", dec);
	/* The packages split off this one (the parent link runs both ways). */
	{
		static const struct ecms__col c_cols[] = { { "uid", 't' } };
		json_t *kids = NULL, *names = json_array();
		rc = ecms__select_all(h, "SELECT uid FROM packages WHERE parent = ? ORDER BY uid",
				      uid, c_cols, 1, &kids);
		json_array_foreach(rc ? NULL : kids, i, e)
			json_array_append(names, json_object_get(e, "uid"));
		json_decref(kids);
		json_object_set_new(*out, "children", names);
		if (rc) {
			json_decref(*out);
			*out = NULL;
			return rc;
		}
	}
	/* History: the events that name this package (also as a split's parent
	 * or child). */
	hist = json_array();
	{
		char pat[64], ppat[64], cpat[64];
		snprintf(pat, sizeof(pat), "%%\"uid\":\"%s\"%%", uid);
		snprintf(ppat, sizeof(ppat), "%%\"parent\":\"%s\"%%", uid);
		snprintf(cpat, sizeof(cpat), "%%\"child\":\"%s\"%%", uid);
		rc = ecms__q(h, &st,
			     "SELECT seq, at_ms, actor, type FROM events WHERE payload LIKE ? OR "
			     "payload LIKE ? OR payload LIKE ? ORDER BY seq",
			     "ttt", pat, ppat, cpat);
		while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
			ecms_event ev = { .seq = ecms__col_int(st, 0),
					  .at_ms = ecms__col_int(st, 1),
					  .actor = ecms__col_text(st, 2),
					  .type = ecms__col_text(st, 3) };
			history_row(&ev, hist);
			rc = ECMS_OK;
		}
		ecms__done(h, st);
	}
	json_object_set_new(*out, "history", hist);
	return rc == ECMS__DONE || rc == ECMS_OK ? ECMS_OK : rc;
}

int
ecms_quarantine_list(ecms *h, json_t **out)
{
	static const struct ecms__col cols[] = {
		{ "uid", 't' },      { "ipn", 't' },      { "mpn", 't' },
		{ "supplier", 't' }, { "lot", 't' },      { "quantity", 'i' },
		{ "po", 't' },       { "location", 't' }, { "received_ms", 'i' },
	};
	json_t *e;
	size_t i;
	int rc;

	rc = ecms__select_all(h,
			      "SELECT uid, ipn, mpn, supplier, lot, quantity, po, location, "
			      "received_ms FROM packages WHERE status = 'quarantined' "
			      "ORDER BY received_ms, uid",
			      NULL, cols, (int)ECMS_ARRAY_LEN(cols), out);
	if (rc)
		return rc;
	json_array_foreach(*out, i, e) {
		json_t *f;
		int64_t days = (ecms_now(h) - ecms__ri(e, "received_ms")) / 86400000;
		time_field(e, "received_ms", "received");
		json_object_set_new(e, "age_days", json_integer(days));
		rc = ecms__select_all(
			h,
			"SELECT rule, message FROM package_findings WHERE uid = ? "
			"AND severity <> 'warning' ORDER BY seq, rule",
			ecms__rs(e, "uid"),
			(const struct ecms__col[]){ { "rule", 't' }, { "message", 't' } }, 2, &f);
		if (rc)
			break;
		json_object_set_new(e, "reasons", f);
	}
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int
ecms_supplier_history(ecms *h, const char *supplier, json_t **out)
{
	static const struct ecms__col rcols[] = {
		{ "uid", 't' },      { "mpn", 't' },    { "lot", 't' },
		{ "quantity", 'i' }, { "status", 't' }, { "received_ms", 'i' },
	};
	json_t *recent, *e;
	size_t i;
	int rc;

	{
		ecms__stmt *st;
		rc = ecms__q(h, &st,
			     "SELECT COUNT(*), "
			     "SUM(CASE WHEN p.status = 'quarantined' THEN 1 ELSE 0 END), "
			     "SUM(CASE WHEN p.status = 'rejected' THEN 1 ELSE 0 END), "
			     "(SELECT COUNT(*) FROM decisions d JOIN packages q ON q.uid = d.uid "
			     " WHERE q.supplier = ? AND d.decision = 'released'), "
			     "(SELECT COUNT(*) FROM package_findings f JOIN packages s "
			     " ON s.uid = f.uid WHERE s.supplier = ? AND f.signal = 1), "
			     "(SELECT COUNT(*) FROM packages x WHERE x.supplier = ? AND "
			     " x.parent IS NULL AND EXISTS (SELECT 1 FROM package_findings g "
			     " WHERE g.uid = x.uid AND g.severity <> 'warning')) "
			     "FROM packages p WHERE p.supplier = ? AND p.parent IS NULL",
			     "tttt", supplier, supplier, supplier, supplier);
		if (rc)
			return rc;
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW) {
			int64_t n = ecms__col_int(st, 0), flagged = ecms__col_int(st, 5);
			*out = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "received", (json_int_t)n,
					 "quarantined_now", (json_int_t)ecms__col_int(st, 1),
					 "rejected", (json_int_t)ecms__col_int(st, 2), "released",
					 (json_int_t)ecms__col_int(st, 3), "signals",
					 (json_int_t)ecms__col_int(st, 4), "quarantined_at_receipt",
					 (json_int_t)flagged, "first_pass_accepted",
					 (json_int_t)(n - flagged));
			rc = ECMS_OK;
		}
		ecms__done(h, st);
		if (rc)
			return rc;
	}
	rc = ecms__select_all(h,
			      "SELECT uid, mpn, lot, quantity, status, received_ms FROM packages "
			      "WHERE supplier = ? AND parent IS NULL ORDER BY received_ms DESC, "
			      "uid DESC LIMIT 20",
			      supplier, rcols, (int)ECMS_ARRAY_LEN(rcols), &recent);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	json_array_foreach(recent, i, e)
		time_field(e, "received_ms", "received");
	json_object_set_new(*out, "recent", recent);
	return ECMS_OK;
}

static int
load_status(ecms *h, const char *uid, char *status, size_t n)
{
	ecms__stmt *st;
	int rc;

	if ((rc = ecms__q(h, &st, "SELECT status FROM packages WHERE uid = ?", "t", uid)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		ecms__strlcpy(status, ecms__col_text(st, 0), n);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ecms__no_package(h, uid);
	}
	ecms__done(h, st);
	return rc;
}

int
ecms_inspect(ecms *h, const char *uid, const char *result, const char *notes)
{
	static const char *const roles[] = { "qa", "warehouse", "admin", NULL };
	char status[32];
	int64_t seq;
	int rc;

	if (strcmp(result, "pass") != 0 && strcmp(result, "fail") != 0)
		return ecms__ctxfail(h, ECMS_EINVAL, "result",
				     "inspection result '%s' is not pass or fail", result);
	if ((rc = load_status(h, uid, status, sizeof(status))))
		return rc;
	if ((rc = ecms__require_role(h, ecms_actor(h), roles, "record an incoming inspection")))
		return rc;
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__event(h, "package.inspected",
			 json_pack("{s:s,s:s,s:s,s:s}", "uid", uid, "result", result, "notes",
				   notes ? notes : "", "inspector", ecms_actor(h)),
			 &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO inspections (uid, seq, inspector, result, notes, at_ms) "
			"VALUES (?, ?, ?, ?, ?, ?)",
			"tittti", uid, seq, ecms_actor(h), result, notes ? notes : "", ecms_now(h));
	return ecms__end(h, rc);
}

/* A release of a broker-sourced package needs a passed inspection and a CoC. */
static int
broker_release_ok(ecms *h, const char *uid, const char *coc)
{
	int64_t n = 0;
	int rc;

	rc = ecms__query_int(h, &n,
			     "SELECT COUNT(*) FROM package_findings WHERE uid = ? AND "
			     "rule = 'supplier.authorised'",
			     "t", uid);
	if (rc || n == 0)
		return rc;
	rc = ecms__query_int(h, &n,
			     "SELECT COUNT(*) FROM inspections WHERE uid = ? AND result = 'pass' "
			     "AND seq = (SELECT MAX(seq) FROM inspections WHERE uid = ?)",
			     "tt", uid, uid);
	if (rc)
		return rc;
	if (n == 0)
		return ecms__ctxfail(h, ECMS_EREFUSED, "inspection",
				     "%s comes from a broker: record a passed incoming inspection "
				     "first ('ecms inspect %s --result pass')",
				     uid, uid);
	if (coc)
		return ECMS_OK;
	rc = ecms__query_int(
		h, &n, "SELECT COUNT(*) FROM packages WHERE uid = ? AND coc IS NOT NULL", "t", uid);
	if (rc == ECMS_OK && n == 0)
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "coc",
				   "%s comes from a broker: link a CoC (--coc ID) to release it",
				   uid);
	return rc;
}

int
ecms_decide(ecms *h, const char *uid, ecms_decision d, const char *reason, const ecms_sign *sig,
	    const char *disposition, const char *location, const char *coc, json_t **out)
{
	static const char *const roles[] = { "qa", NULL };
	const char *meaning = d == ECMS_RELEASE ? "released from quarantine" : "rejected";
	char status[32], *name = NULL, t[ECMS_TIME_LEN];
	json_t *user = NULL, *c = NULL;
	int64_t seq, now;
	int rc;

	*out = NULL;
	if (reason == NULL || strlen(reason) < 3)
		return ecms__ctxfail(h, ECMS_EUSAGE, "reason",
				     "a decision needs a reason (at least 3 characters)");
	if (d == ECMS_REJECT && (!disposition || (strcmp(disposition, "return") != 0 &&
						  strcmp(disposition, "scrap") != 0)))
		return ecms__ctxfail(h, ECMS_EUSAGE, "disposition",
				     "a rejection needs a disposition: return or scrap");
	if ((rc = load_status(h, uid, status, sizeof(status))))
		return rc;
	if (strcmp(status, "quarantined") != 0)
		return ecms__ctxfail(h, ECMS_EREFUSED, "uid", "%s is %s, not in quarantine", uid,
				     status);
	if ((rc = ecms__require_role(h, sig->user, roles, "decide on quarantined material")))
		return rc;
	{
		int64_t retry;
		if ((rc = ecms_secret_limit(h, sig->user, &retry)))
			return rc;
	}
	rc = ecms_auth_check(h, sig->user, sig->kind, sig->secret);
	if (rc == ECMS_EAUTH) {
		/* The failed attempt is itself part of the record, and counts
		 * against the signer's limit of failed secrets. */
		ecms_error keep = h->err;
		if (ecms__begin(h) == ECMS_OK) {
			int erc = ecms__event(h, "signature.failed",
					      json_pack("{s:s,s:s,s:s}", "uid", uid, "signer",
							sig->user, "meaning", meaning),
					      NULL);
			if (erc == ECMS_OK)
				erc = ecms_secret_failed(h, sig->user);
			(void)ecms__end(h, erc);
		}
		h->err = keep;
		return rc;
	}
	if (rc)
		return rc;
	if (coc && (rc = ecms_coc_get(h, coc, &c)))
		return rc;
	json_decref(c);
	if (d == ECMS_RELEASE && (rc = broker_release_ok(h, uid, coc)))
		return rc;
	if ((rc = ecms_md_get(h, "user", sig->user, &user)))
		return rc;
	name = ecms__strdup(ecms__rs(user, "name"));
	json_decref(user);
	if (name == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	if (d == ECMS_RELEASE && location) {
		int64_t one;
		rc = ecms__query_int(h, &one, "SELECT 1 FROM locations WHERE id = ?", "t",
				     location);
		if (rc == ECMS_ENOTFOUND)
			rc = ecms__ctxfail(h, rc, "location", "no location '%s'", location);
		if (rc)
			goto out;
	}
	now = ecms_now(h);
	ecms_time_format(now, t);
	if ((rc = ecms__begin(h)))
		goto out;
	*out = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s?,s:s?}", "uid", uid, "decision",
			 d == ECMS_RELEASE ? "released" : "rejected", "meaning", meaning, "signer",
			 sig->user, "signer_name", name, "time", t, "reason", reason, "method",
			 sig->kind == ECMS_SECRET_PIN ? "badge+pin" : "password", "disposition",
			 d == ECMS_REJECT ? disposition : NULL, "coc", coc);
	rc = ecms__event(h, "package.decided", json_deep_copy(*out), &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"INSERT INTO decisions (uid, seq, decision, signer, reason, at_ms) "
				"VALUES (?, ?, ?, ?, ?, ?)",
				"tittti", uid, seq, d == ECMS_RELEASE ? "released" : "rejected",
				sig->user, reason, now);
	if (rc == ECMS_OK && d == ECMS_RELEASE) {
		char *loc = NULL;
		if (location)
			loc = ecms__strdup(location);
		else {
			ecms__stmt *st;
			rc = ecms__q(
				h, &st,
				"SELECT id FROM locations WHERE kind = 'receiving' ORDER BY id "
				"LIMIT 1",
				"");
			if (rc == ECMS_OK && ecms__step(h, st) == ECMS__ROW)
				loc = ecms__strdup(ecms__col_text(st, 0));
			ecms__done(h, st);
		}
		if (rc == ECMS_OK)
			rc = ecms__exec(h,
					"UPDATE packages SET status = 'available', location = "
					"COALESCE(?, location), coc = COALESCE(?, coc), "
					"updated_seq = ? WHERE uid = ?",
					"ttit", loc, coc, seq, uid);
		if (rc == ECMS_OK && loc)
			json_object_set_new(*out, "location", json_string(loc));
		ecms__free(loc);
	} else if (rc == ECMS_OK) {
		rc = ecms__exec(
			h, "UPDATE packages SET status = 'rejected', updated_seq = ? WHERE uid = ?",
			"it", seq, uid);
	}
	rc = ecms__end(h, rc);
	if (rc == ECMS_OK)
		json_object_set_new(*out, "event", json_integer(seq));
out:
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	ecms__free(name);
	return rc;
}
