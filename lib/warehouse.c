/*
 * warehouse.c: moves, splits, line returns, scrap, restricted-part access,
 * stocktakes, stock by status, shelf life and alerts.
 *
 * A package's shelf life ends at the expiry printed on its label, else at
 * its date code's (or, without one, its receipt's) date plus the part's
 * shelf life. It is computed against "now" on every read: an expired
 * package is blocked the moment it expires, with no nightly job.
 */
#include <stdio.h>
#include <string.h>

#include "document.h"
#include "ecms/label.h"
#include "ecms/receiving.h"
#include "ecms/uid.h"
#include "ecms/quality.h"
#include "ecms/warehouse.h"
#include "event.h"
#include "master.h"
#include "msdstore.h"
#include "ecms/msdstore.h"
#include "warehouse_int.h"

#define DAY_MS INT64_C(86400000)

/* What the warehouse rules look at for one package. */
struct pkg {
	char uid[ECMS_UID_MAX];
	char status[24];
	char location[72];
	char loc_kind[24];
	char loc_rh[8];
	char ipn[72];
	int64_t qty;
	int64_t expiry; /* INT64_MAX: none */
	bool restricted;
};

static bool
production_kind(const char *kind)
{
	return !strcmp(kind, "line_side") || !strcmp(kind, "machine") ||
	       !strcmp(kind, "feeder_slot");
}

static int64_t
expiry_of(ecms__stmt *st, int col_dc, int col_recv, int col_exp, int col_shelf)
{
	int64_t ms;

	if (!ecms__col_null(st, col_exp) &&
	    ecms_time_parse(ecms__col_text(st, col_exp), &ms, NULL) == ECMS_OK)
		return ms;
	if (ecms__col_null(st, col_shelf))
		return INT64_MAX;
	return (ecms__col_null(st, col_dc) ? ecms__col_int(st, col_recv)
					   : ecms__col_int(st, col_dc)) +
	       ecms__col_int(st, col_shelf) * DAY_MS;
}

static int
load_pkg(ecms *h, const char *uid, struct pkg *p)
{
	ecms__stmt *st;
	int rc;

	memset(p, 0, sizeof(*p));
	rc = ecms__q(h, &st,
		     "SELECT p.uid, p.status, p.location, l.kind, p.ipn, p.quantity, p.dc_ms, "
		     "p.received_ms, p.expiry, t.shelf_life_days, t.restricted, l.rh_class "
		     "FROM packages p LEFT JOIN locations l ON l.id = p.location "
		     "LEFT JOIN parts t ON t.ipn = p.ipn WHERE p.uid = ?",
		     "t", uid);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		ecms__strlcpy(p->uid, ecms__col_text(st, 0), sizeof(p->uid));
		ecms__strlcpy(p->status, ecms__col_text(st, 1), sizeof(p->status));
		ecms__strlcpy(p->location, ecms__col_null(st, 2) ? "" : ecms__col_text(st, 2),
			      sizeof(p->location));
		ecms__strlcpy(p->loc_kind, ecms__col_null(st, 3) ? "" : ecms__col_text(st, 3),
			      sizeof(p->loc_kind));
		ecms__strlcpy(p->ipn, ecms__col_null(st, 4) ? "" : ecms__col_text(st, 4),
			      sizeof(p->ipn));
		p->qty = ecms__col_int(st, 5);
		p->expiry = expiry_of(st, 6, 7, 8, 9);
		p->restricted = !ecms__col_null(st, 10) && ecms__col_int(st, 10) != 0;
		ecms__strlcpy(p->loc_rh, ecms__col_null(st, 11) ? "" : ecms__col_text(st, 11),
			      sizeof(p->loc_rh));
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ecms__no_package(h, uid);
	}
	ecms__done(h, st);
	return rc;
}

int
ecms_package_expiry(ecms *h, const char *uid, int64_t *ms)
{
	struct pkg p;
	int rc = load_pkg(h, uid, &p);

	*ms = rc ? INT64_MAX : p.expiry;
	return rc;
}

/* A location scan as the scanner sends it: without the spaces and line
 * end around it and without a leading AIM symbology identifier (]d1, ]Q1,
 * ...). Returns a pointer into text (whose end it may cut). */
static char *
location_scan(char *text)
{
	size_t n = strlen(text);

	while (n > 0 && (text[n - 1] == '\r' || text[n - 1] == '\n' || text[n - 1] == ' ' ||
			 text[n - 1] == '\t'))
		text[--n] = '\0';
	while (*text == ' ' || *text == '\t')
		text++;
	if (text[0] == ']' &&
	    ((text[1] >= 'A' && text[1] <= 'Z') || (text[1] >= 'a' && text[1] <= 'z')) &&
	    ((text[2] >= '0' && text[2] <= '9') || (text[2] >= 'A' && text[2] <= 'Z') ||
	     (text[2] >= 'a' && text[2] <= 'z')) &&
	    text[3] != '\0')
		text += 3;
	return text;
}

int
ecms_scan_resolve(ecms *h, const char *scan, size_t len, char **uid, char **loc)
{
	char *text = ecms__strndup(scan, len);
	int64_t one, seq_n;
	int rc;

	*uid = *loc = NULL;
	if (text == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	if (ecms_uid_looks_like(text)) {
		uint64_t seq;
		char canon[ECMS_UID_MAX];
		rc = ecms_uid_parse(text, &seq, &h->err);
		if (rc == ECMS_OK) {
			ecms_uid_format(seq, canon);
			rc = ecms__query_int(h, &one, "SELECT 1 FROM packages WHERE uid = ?", "t",
					     canon);
			if (rc == ECMS_ENOTFOUND)
				rc = ecms__ctxfail(h, rc, "uid", "no package '%s'", canon);
			if (rc == ECMS_OK && (*uid = ecms__strdup(canon)) == NULL)
				rc = ECMS_ENOMEM;
		}
		ecms__free(text);
		return rc;
	}
	rc = ecms__query_int(h, &one, "SELECT 1 FROM locations WHERE id = ?", "t", text);
	if (rc == ECMS_ENOTFOUND) {
		char *copy = ecms__strdup(text), *id;
		if (copy == NULL) {
			ecms__free(text);
			return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		}
		id = location_scan(copy);
		if (strcmp(id, text) != 0 &&
		    (rc = ecms__query_int(h, &one, "SELECT 1 FROM locations WHERE id = ?", "t",
					  id)) == ECMS_OK) {
			ecms__free(text);
			text = ecms__strdup(id);
			if (text == NULL)
				rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		}
		ecms__free(copy);
	}
	if (rc == ECMS_OK) {
		*loc = text;
		return ECMS_OK;
	}
	if (rc != ECMS_ENOTFOUND) {
		ecms__free(text);
		return rc;
	}
	/* A supplier label: usable only if it names exactly one package. */
	{
		ecms_label *l = NULL;
		char sha[65];
		ecms__stmt *st;
		if (ecms_label_parse(scan, len, NULL, &l, NULL) != ECMS_OK) {
			rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "scan",
					   "'%s' is neither a package UID, a location nor a "
					   "supplier label",
					   text);
			ecms__free(text);
			return rc;
		}
		ecms__sha256_hex(l->raw, l->raw_len, sha);
		ecms_label_free(l);
		seq_n = 0;
		rc = ecms__q(h, &st, "SELECT uid FROM packages WHERE label_sha = ? ORDER BY uid",
			     "t", sha);
		while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
			if (seq_n++ == 0)
				*uid = ecms__strdup(ecms__col_text(st, 0));
			rc = ECMS_OK;
		}
		ecms__done(h, st);
		ecms__free(text);
		if (rc != ECMS__DONE && rc != ECMS_OK) {
			ecms__free(*uid);
			*uid = NULL;
			return rc;
		}
		if (seq_n == 1)
			return ECMS_OK;
		ecms__free(*uid);
		*uid = NULL;
		if (seq_n == 0)
			return ecms__ctxfail(h, ECMS_ENOTFOUND, "scan",
					     "this supplier label was not received on any package");
		return ecms__ctxfail(h, ECMS_EREFUSED, "scan",
				     "this supplier label is on %lld packages: scan the ecms "
				     "UID label",
				     (long long)seq_n);
	}
}

/* Restricted parts: only these roles handle them; every attempt is logged. */
static const char *const restricted_roles[] = { "admin", "qa", "warehouse", NULL };

static int
log_access(ecms *h, const char *uid, const char *action, bool allowed, int64_t seq)
{
	return ecms__exec(h,
			  "INSERT INTO package_access (uid, seq, actor, action, allowed, at_ms) "
			  "VALUES (?, ?, ?, ?, ?, ?)",
			  "tittBi", uid, seq, ecms_actor(h), action, (int)allowed, ecms_now(h));
}

/*
 * For a restricted part, check the actor's role. A refusal is logged in
 * its own transaction (it must survive the command's rollback) and
 * returns ECMS_EDENIED; an allowed access is logged by the caller inside
 * its transaction.
 */
static int
check_restricted(ecms *h, const struct pkg *p, const char *action)
{
	json_t *u = NULL;
	bool ok = false;
	int rc;

	if (!p->restricted)
		return ECMS_OK;
	if (ecms_md_get(h, "user", ecms_actor(h), &u) == ECMS_OK &&
	    json_is_true(json_object_get(u, "active")))
		for (int i = 0; restricted_roles[i]; i++)
			ok |= strcmp(ecms__rs(u, "role"), restricted_roles[i]) == 0;
	json_decref(u);
	if (ok)
		return ECMS_OK;
	if ((rc = ecms__begin(h)) == ECMS_OK) {
		int64_t seq;
		rc = ecms__event(h, "package.access_denied",
				 json_pack("{s:s,s:s,s:s}", "uid", p->uid, "action", action,
					   "actor", ecms_actor(h)),
				 &seq);
		if (rc == ECMS_OK)
			rc = log_access(h, p->uid, action, false, seq);
		rc = ecms__end(h, rc);
	}
	if (rc)
		return rc;
	return ecms__ctxfail(h, ECMS_EDENIED, "user",
			     "%s is a restricted part: '%s' may not %s it (allowed roles: admin, "
			     "qa, warehouse); the attempt is logged",
			     p->ipn, ecms_actor(h), action);
}

static int
location_info(ecms *h, const char *id, char *kind, size_t nk, char *rh, size_t nr, int64_t *cap)
{
	ecms__stmt *st;
	int rc;

	if ((rc = ecms__q(h, &st, "SELECT kind, rh_class, capacity FROM locations WHERE id = ?",
			  "t", id)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		ecms__strlcpy(kind, ecms__col_text(st, 0), nk);
		ecms__strlcpy(rh, ecms__col_null(st, 1) ? "" : ecms__col_text(st, 1), nr);
		*cap = ecms__col_null(st, 2) ? -1 : ecms__col_int(st, 2);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "location", "no location '%s'", id);
	}
	ecms__done(h, st);
	return rc;
}

int
ecms__restricted_check(ecms *h, const char *uid, const char *action)
{
	struct pkg p;
	int rc = load_pkg(h, uid, &p);

	return rc ? rc : check_restricted(h, &p, action);
}

int
ecms_move(ecms *h, const char *package_scan, const char *location_scan, json_t **out)
{
	char *uid = NULL, *loc = NULL, *u2 = NULL, *l2 = NULL, kind[24], rh[8], msd_why[300];
	char t[ECMS_TIME_LEN];
	struct pkg p;
	int64_t cap, here = 0, seq, now;
	int rc;

	*out = NULL;
	rc = ecms_scan_resolve(h, package_scan, strlen(package_scan), &uid, &l2);
	if (rc == ECMS_OK && uid == NULL)
		rc = ecms__ctxfail(h, ECMS_EUSAGE, "package",
				   "the first scan must be a package, not location %s", l2);
	if (rc == ECMS_OK)
		rc = ecms_scan_resolve(h, location_scan, strlen(location_scan), &u2, &loc);
	if (rc == ECMS_OK && loc == NULL)
		rc = ecms__ctxfail(h, ECMS_EUSAGE, "location",
				   "the second scan must be a location, not package %s", u2);
	if (rc == ECMS_OK)
		rc = load_pkg(h, uid, &p);
	if (rc == ECMS_OK)
		rc = location_info(h, loc, kind, sizeof(kind), rh, sizeof(rh), &cap);
	if (rc)
		goto out;
	now = ecms_now(h);
	if (!strcmp(p.status, "consumed") || !strcmp(p.status, "scrapped")) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "package", "%s is %s: it cannot be moved", uid,
				   p.status);
		goto out;
	}
	if (production_kind(kind)) {
		const char *why = NULL;
		if (!strcmp(p.status, "quarantined"))
			why = "it is in quarantine";
		else if (!strcmp(p.status, "on_hold"))
			why = "it is on hold";
		else if (!strcmp(p.status, "rejected"))
			why = "it was rejected";
		else if (p.expiry <= now)
			why = "its shelf life has ended";
		if (why == NULL) {
			bool ok = true;
			if ((rc = ecms_msd_usable(h, uid, now, &ok, msd_why, sizeof(msd_why))))
				goto out;
			if (!ok)
				why = msd_why;
		}
		if (why) {
			rc = ecms__ctxfail(h, ECMS_EREFUSED, "package",
					   "%s may not go to %s (a production area): %s%s%s", uid,
					   loc, why, p.expiry <= now ? " on " : "",
					   p.expiry <= now ? ecms_time_format(p.expiry, t) : "");
			goto out;
		}
	}
	/* Material in quarantine (or rejected, waiting to go back) stays
	 * segregated: into a quarantine or receiving area only, unless a QA
	 * user takes it somewhere else (an inspection bench, a dry cabinet
	 * for a moisture-sensitive reel). */
	if ((!strcmp(p.status, "quarantined") || !strcmp(p.status, "rejected")) &&
	    strcmp(kind, "quarantine") != 0 && strcmp(kind, "receiving") != 0) {
		static const char *const qa[] = { "qa", NULL };

		if (ecms__require_role(h, ecms_actor(h), qa, "move it") != ECMS_OK) {
			rc = ecms__ctxfail(h, ECMS_EREFUSED, "location",
					   "%s is %s: it stays in a quarantine or receiving area "
					   "(%s is a %s); only a QA user may move it elsewhere",
					   uid, p.status, loc, kind);
			goto out;
		}
	}
	/* A warehouse is a building: packages go onto a rack, shelf or cabinet in it. */
	if (!strcmp(kind, "warehouse")) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "location",
				   "%s is a warehouse: scan the rack, shelf or cabinet the package "
				   "goes to",
				   loc);
		goto out;
	}
	if (strcmp(p.location, loc) == 0) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "location", "%s is already in %s", uid, loc);
		goto out;
	}
	if (cap >= 0) {
		if ((rc = ecms__query_int(h, &here,
					  "SELECT COUNT(*) FROM packages WHERE location = ? AND "
					  "status NOT IN ('consumed', 'scrapped')",
					  "t", loc)))
			goto out;
		if (here >= cap) {
			rc = ecms__ctxfail(h, ECMS_EREFUSED, "location",
					   "%s is full: it holds %lld of %lld packages", loc,
					   (long long)here, (long long)cap);
			goto out;
		}
	}
	if ((rc = check_restricted(h, &p, "move")))
		goto out;
	if ((rc = ecms__begin(h)))
		goto out;
	*out = json_pack("{s:s,s:s?,s:s,s:s,s:s,s:s}", "uid", uid, "from",
			 *p.location ? p.location : NULL, "to", loc, "to_kind", kind, "actor",
			 ecms_actor(h), "time", ecms_time_format(now, t));
	/* A dry cabinet's RH class is part of the record (it decides the MSD clock). */
	if (!strcmp(kind, "dry_cabinet") && *rh) {
		int64_t rh_class = 0;
		if (ecms__parse_i64(rh, 0, 100, &rh_class))
			json_object_set_new(*out, "rh_class", json_integer(rh_class));
	}
	rc = ecms__event(h, "package.moved", json_deep_copy(*out), &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"UPDATE packages SET location = ?, updated_seq = ? WHERE uid = ?",
				"tit", loc, seq, uid);
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO package_moves (uid, seq, from_loc, to_loc, actor, at_ms) "
			"VALUES (?, ?, ?, ?, ?, ?)",
			"tittti", uid, seq, *p.location ? p.location : NULL, loc, ecms_actor(h),
			now);
	if (rc == ECMS_OK && p.restricted)
		rc = log_access(h, uid, "move", true, seq);
	/* Dry cabinets pause or slow the floor-life clock of an opened MSD. */
	if (rc == ECMS_OK)
		rc = ecms__msd_on_move(h, uid, p.loc_kind, p.loc_rh, kind, rh, now);
	rc = ecms__end(h, rc);
out:
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	ecms__free(uid);
	ecms__free(loc);
	ecms__free(u2);
	ecms__free(l2);
	return rc;
}

static int
count_row(ecms *h, const char *uid, int64_t seq, int64_t before, int64_t after, const char *kind)
{
	return ecms__exec(
		h,
		"INSERT INTO package_counts (uid, seq, before_qty, after_qty, kind, actor, "
		"at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
		"tiiitti", uid, seq, before, after, kind, ecms_actor(h), ecms_now(h));
}

int
ecms_split(ecms *h, const char *uid, int64_t qty, json_t **out)
{
	static const char copy_sql[] =
		"INSERT INTO packages (uid, ipn, mpn, manufacturer, supplier, po, po_line, "
		"lot, date_code, dc_ms, quantity, initial_qty, status, location, coc, "
		"received_ms, supplier_pn, serial, country, expiry, label_format, label_raw, "
		"label_sha, parent, created_seq, updated_seq) "
		"SELECT ?, ipn, mpn, manufacturer, supplier, po, po_line, lot, date_code, "
		"dc_ms, ?, ?, status, location, coc, received_ms, supplier_pn, serial, "
		"country, expiry, label_format, NULL, NULL, uid, ?, ? "
		"FROM packages WHERE uid = ?";
	char child[ECMS_UID_MAX];
	struct pkg p;
	int64_t n, seq;
	int rc;

	*out = NULL;
	if ((rc = load_pkg(h, uid, &p)))
		return rc;
	if (strcmp(p.status, "consumed") == 0 || strcmp(p.status, "scrapped") == 0 ||
	    strcmp(p.status, "rejected") == 0)
		return ecms__ctxfail(h, ECMS_EREFUSED, "uid", "%s is %s: it cannot be split", uid,
				     p.status);
	if (qty <= 0 || qty >= p.qty)
		return ecms__ctxfail(h, ECMS_EINVAL, "qty",
				     "--qty %lld: a split takes 1 to %lld of the %lld parts in %s",
				     (long long)qty, (long long)(p.qty - 1), (long long)p.qty, uid);
	if ((rc = check_restricted(h, &p, "split")))
		return rc;
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__query_int(h, &n,
			     "UPDATE counters SET value = value + 1 WHERE name = 'package' "
			     "RETURNING value",
			     "");
	if (rc == ECMS_OK) {
		ecms_uid_format((uint64_t)n, child);
		*out = json_pack("{s:s,s:s,s:I,s:I,s:s?}", "parent", uid, "child", child, "qty",
				 (json_int_t)qty, "parent_qty", (json_int_t)(p.qty - qty),
				 "location", *p.location ? p.location : NULL);
		rc = ecms__event(h, "package.split", json_deep_copy(*out), &seq);
	}
	if (rc == ECMS_OK)
		rc = ecms__exec(h, copy_sql, "tiiiit", child, qty, qty, seq, seq, uid);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"UPDATE packages SET quantity = quantity - ?, updated_seq = ? "
				"WHERE uid = ?",
				"iit", qty, seq, uid);
	if (rc == ECMS_OK)
		rc = count_row(h, uid, seq, p.qty, p.qty - qty, "split");
	if (rc == ECMS_OK && p.restricted)
		rc = log_access(h, uid, "split", true, seq);
	rc = ecms__end(h, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int
ecms_count(ecms *h, const char *uid, int64_t remaining, const char *kind, json_t **out)
{
	struct pkg p;
	int64_t seq;
	int rc;

	*out = NULL;
	if (kind == NULL)
		kind = "consumed";
	if (strcmp(kind, "consumed") != 0 && strcmp(kind, "loss") != 0)
		return ecms__ctxfail(h, ECMS_EUSAGE, "kind",
				     "the difference is 'consumed' or 'loss', not '%s'", kind);
	if ((rc = load_pkg(h, uid, &p)))
		return rc;
	if (strcmp(p.status, "consumed") == 0 || strcmp(p.status, "scrapped") == 0)
		return ecms__ctxfail(h, ECMS_EREFUSED, "uid", "%s is %s already", uid, p.status);
	if (remaining < 0 || remaining > p.qty)
		return ecms__ctxfail(h, ECMS_EINVAL, "count",
				     "count %lld: %s holds at most %lld (a count cannot add "
				     "parts)",
				     (long long)remaining, uid, (long long)p.qty);
	if ((rc = check_restricted(h, &p, "count")))
		return rc;
	if ((rc = ecms__begin(h)))
		return rc;
	*out = json_pack("{s:s,s:I,s:I,s:I,s:s}", "uid", uid, "before", (json_int_t)p.qty,
			 "remaining", (json_int_t)remaining, "difference",
			 (json_int_t)(p.qty - remaining), "kind", kind);
	rc = ecms__event(h, "package.counted", json_deep_copy(*out), &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"UPDATE packages SET quantity = ?, status = CASE WHEN ? = 0 THEN "
				"'consumed' ELSE status END, updated_seq = ? WHERE uid = ?",
				"iiit", remaining, remaining, seq, uid);
	if (rc == ECMS_OK)
		rc = count_row(h, uid, seq, p.qty, remaining, kind);
	if (rc == ECMS_OK && p.restricted)
		rc = log_access(h, uid, "count", true, seq);
	rc = ecms__end(h, rc);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

int
ecms_scrap(ecms *h, const char *uid, const char *reason)
{
	struct pkg p;
	int64_t seq;
	int rc;

	if (reason == NULL || strlen(reason) < 3)
		return ecms__ctxfail(h, ECMS_EUSAGE, "reason", "scrapping needs a reason");
	if ((rc = load_pkg(h, uid, &p)))
		return rc;
	if (strcmp(p.status, "scrapped") == 0 || strcmp(p.status, "consumed") == 0)
		return ecms__ctxfail(h, ECMS_EREFUSED, "uid", "%s is %s already", uid, p.status);
	if ((rc = check_restricted(h, &p, "scrap")))
		return rc;
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__event(
		h, "package.scrapped",
		json_pack("{s:s,s:s,s:I}", "uid", uid, "reason", reason, "qty", (json_int_t)p.qty),
		&seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"UPDATE packages SET status = 'scrapped', quantity = 0, "
				"updated_seq = ? WHERE uid = ?",
				"it", seq, uid);
	if (rc == ECMS_OK)
		rc = count_row(h, uid, seq, p.qty, 0, "loss");
	if (rc == ECMS_OK && p.restricted)
		rc = log_access(h, uid, "scrap", true, seq);
	return ecms__end(h, rc);
}

int
ecms_access_log(ecms *h, const char *uid, json_t **out)
{
	static const struct ecms__col cols[] = { { "seq", 'i' },
						 { "at_ms", 'i' },
						 { "actor", 't' },
						 { "action", 't' },
						 { "allowed", 'B' } };
	char t[ECMS_TIME_LEN];
	json_t *e;
	size_t i;
	int64_t one;
	int rc;

	rc = ecms__query_int(h, &one, "SELECT 1 FROM packages WHERE uid = ?", "t", uid);
	if (rc == ECMS_ENOTFOUND)
		return ecms__no_package(h, uid);
	if (rc == ECMS_OK)
		rc = ecms__select_all(
			h,
			"SELECT seq, at_ms, actor, action, allowed FROM package_access "
			"WHERE uid = ? ORDER BY seq",
			uid, cols, 5, out);
	if (rc)
		return rc;
	json_array_foreach(*out, i, e) {
		json_object_set_new(e, "time",
				    json_string(ecms_time_format(ecms__ri(e, "at_ms"), t)));
		json_object_del(e, "at_ms");
	}
	return ECMS_OK;
}

int
ecms_stocktake(ecms *h, const char *location, const char *const *scans, size_t n, json_t **out)
{
	json_t *expected = NULL, *found = json_array(), *missing = json_array();
	json_t *misplaced = json_array(), *unexpected = json_array(), *e;
	char kind[24], rh[8], id[32];
	int64_t cap, seq, k;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = location_info(h, location, kind, sizeof(kind), rh, sizeof(rh), &cap)))
		goto out;
	rc = ecms__select_all(h,
			      "SELECT uid FROM packages WHERE location = ? AND status NOT IN "
			      "('consumed', 'scrapped') ORDER BY uid",
			      location, (const struct ecms__col[]){ { "uid", 't' } }, 1, &expected);
	if (rc)
		goto out;
	for (i = 0; i < n; i++) {
		char *uid = NULL, *loc = NULL;
		struct pkg p;
		bool seen = false;
		size_t j;
		if (ecms_scan_resolve(h, scans[i], strlen(scans[i]), &uid, &loc) != ECMS_OK ||
		    uid == NULL) {
			json_array_append_new(unexpected, json_string(scans[i]));
			ecms__free(uid);
			ecms__free(loc);
			continue;
		}
		json_array_foreach(found, j, e)
			seen |= strcmp(json_string_value(e), uid) == 0;
		if (!seen && load_pkg(h, uid, &p) == ECMS_OK) {
			if (strcmp(p.location, location) == 0)
				json_array_append_new(found, json_string(uid));
			else
				json_array_append_new(misplaced,
						      json_pack("{s:s,s:s,s:s}", "uid", uid,
								"recorded_at", p.location, "status",
								p.status));
		}
		ecms__free(uid);
	}
	json_array_foreach(expected, i, e) {
		const char *u = ecms__rs(e, "uid");
		bool hit = false;
		size_t j;
		json_t *f;
		json_array_foreach(found, j, f)
			hit |= strcmp(json_string_value(f), u) == 0;
		if (!hit)
			json_array_append_new(missing, json_string(u));
	}
	if ((rc = ecms__begin(h)))
		goto out;
	rc = ecms__query_int(h, &k,
			     "UPDATE counters SET value = value + 1 WHERE name = 'stocktake' "
			     "RETURNING value",
			     "");
	if (rc == ECMS_OK) {
		snprintf(id, sizeof(id), "ST-%06lld", (long long)k);
		*out = json_pack("{s:s,s:s,s:I,s:O,s:O,s:O,s:O}", "id", id, "location", location,
				 "expected", (json_int_t)json_array_size(expected), "found", found,
				 "missing", missing, "misplaced", misplaced, "unexpected",
				 unexpected);
		rc = ecms__event(h, "stocktake.done", json_deep_copy(*out), &seq);
	}
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO stocktakes (id, location, seq, actor, at_ms, expected, "
			"found, missing, unexpected, misplaced) VALUES (?, ?, ?, ?, ?, ?, ?, "
			"?, ?, ?)",
			"ttitiiiiii", id, location, seq, ecms_actor(h), ecms_now(h),
			(int64_t)json_array_size(expected), (int64_t)json_array_size(found),
			(int64_t)json_array_size(missing), (int64_t)json_array_size(unexpected),
			(int64_t)json_array_size(misplaced));
	rc = ecms__end(h, rc);
out:
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	json_decref(expected);
	json_decref(found);
	json_decref(missing);
	json_decref(misplaced);
	json_decref(unexpected);
	return rc;
}

/* ------------------------------------------------------------------
 * Stock and alerts
 * ------------------------------------------------------------------ */

static const char *const stock_states[] = { "available",     "quarantined", "on_hold",
					    "in_production", "expired",     "rejected",
					    "consumed",      "scrapped",    NULL };

/* The status a package counts under in stock, against now. */
static const char *
stock_state(const char *status, const char *kind, int64_t expiry, int64_t now)
{
	if (strcmp(status, "available") != 0)
		return status;
	if (expiry <= now)
		return "expired";
	if (kind && production_kind(kind))
		return "in_production";
	return "available";
}

static json_t *
empty_states(void)
{
	json_t *o = json_object();

	for (int i = 0; stock_states[i]; i++)
		json_object_set_new(o, stock_states[i],
				    json_pack("{s:i,s:i}", "qty", 0, "packages", 0));
	return o;
}

static void
add_to(json_t *states, const char *state, int64_t qty)
{
	json_t *s = json_object_get(states, state);

	if (s == NULL)
		return;
	json_object_set_new(s, "qty", json_integer(ecms__ri(s, "qty") + qty));
	json_object_set_new(s, "packages", json_integer(ecms__ri(s, "packages") + 1));
}

int
ecms_stock(ecms *h, const char *ipn, const char *location, json_t **out)
{
	ecms__stmt *st;
	json_t *parts = json_object(), *rows;
	int64_t now = ecms_now(h);
	const char *k;
	json_t *v;
	int rc;

	*out = NULL;
	rc = ecms__q(h, &st,
		     "SELECT p.ipn, p.status, l.kind, p.location, p.quantity, p.dc_ms, "
		     "p.received_ms, p.expiry, t.shelf_life_days, t.description, t.reorder_point "
		     "FROM packages p LEFT JOIN locations l ON l.id = p.location "
		     "LEFT JOIN parts t ON t.ipn = p.ipn "
		     "WHERE (? IS NULL OR p.ipn = ?) AND (? IS NULL OR p.location = ?) "
		     "ORDER BY p.ipn, p.location",
		     "tttt", ipn, ipn, location, location);
	if (rc) {
		json_decref(parts);
		return rc;
	}
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *pi = ecms__col_null(st, 0) ? "(unknown part)" : ecms__col_text(st, 0);
		const char *loc = ecms__col_null(st, 3) ? "(none)" : ecms__col_text(st, 3);
		const char *state = stock_state(ecms__col_text(st, 1), ecms__col_text(st, 2),
						expiry_of(st, 5, 6, 7, 8), now);
		json_t *part = json_object_get(parts, pi), *locs, *l;
		if (part == NULL) {
			part = json_pack(
				"{s:s,s:o,s:I,s:o,s:o}", "ipn", pi, "description",
				ecms__col_json(st, 9, 't'), "reorder_point",
				(json_int_t)(ecms__col_null(st, 10) ? 0 : ecms__col_int(st, 10)),
				"status", empty_states(), "locations", json_object());
			json_object_set_new(parts, pi, part);
		}
		add_to(json_object_get(part, "status"), state, ecms__col_int(st, 4));
		locs = json_object_get(part, "locations");
		if ((l = json_object_get(locs, loc)) == NULL) {
			l = empty_states();
			json_object_set_new(locs, loc, l);
		}
		add_to(l, state, ecms__col_int(st, 4));
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE) {
		json_decref(parts);
		return rc;
	}
	rows = json_array();
	json_object_foreach(parts, k, v) {
		/* Keep only the non-empty states of each location. */
		json_t *locs = json_object_get(v, "locations"), *la = json_array(), *ls;
		const char *lk;
		json_object_foreach(locs, lk, ls) {
			json_t *compact = json_object(), *sv;
			const char *sk;
			json_object_foreach(ls, sk, sv)
				if (ecms__ri(sv, "packages"))
					json_object_set(compact, sk, sv);
			json_array_append_new(
				la, json_pack("{s:s,s:o}", "location", lk, "status", compact));
		}
		json_object_set_new(v, "locations", la);
		json_array_append(rows, v);
	}
	json_decref(parts);
	*out = rows;
	return ECMS_OK;
}

static void alert(json_t *arr, const char *kind, const char *object, const char *fmt, ...)
	ECMS_PRINTF(4, 5);

static void
alert(json_t *arr, const char *kind, const char *object, const char *fmt, ...)
{
	char s[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	json_array_append_new(
		arr, json_pack("{s:s,s:s,s:s}", "kind", kind, "object", object, "sentence", s));
}

int
ecms_alerts(ecms *h, const ecms_alert_opts *o, json_t **out)
{
	ecms_alert_opts d = { 30, 3, 8 };
	int64_t now = ecms_now(h);
	char t[ECMS_TIME_LEN];
	ecms__stmt *st;
	json_t *arr = json_array(), *stock, *e;
	size_t i;
	int rc;

	*out = NULL;
	if (o) {
		d.expiring_days = o->expiring_days > 0 ? o->expiring_days : d.expiring_days;
		d.quarantine_days = o->quarantine_days > 0 ? o->quarantine_days : d.quarantine_days;
		d.msd_hours = o->msd_hours > 0 ? o->msd_hours : d.msd_hours;
	}
	/* Shelf life: usable stock that expired or expires soon. */
	rc = ecms__q(h, &st,
		     "SELECT p.uid, p.ipn, p.location, p.quantity, p.dc_ms, p.received_ms, "
		     "p.expiry, t.shelf_life_days FROM packages p JOIN parts t ON t.ipn = p.ipn "
		     "WHERE p.status IN ('available', 'on_hold') AND (p.expiry IS NOT NULL OR "
		     "t.shelf_life_days IS NOT NULL) ORDER BY p.uid",
		     "");
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		int64_t exp = expiry_of(st, 4, 5, 6, 7);
		const char *uid = ecms__col_text(st, 0);
		if (exp <= now)
			alert(arr, "shelf_life.expired", uid,
			      "%s (%s, %lld pcs in %s) passed its shelf life on %s: blocked", uid,
			      ecms__col_text(st, 1), (long long)ecms__col_int(st, 3),
			      ecms__col_null(st, 2) ? "-" : ecms__col_text(st, 2),
			      ecms_date_format(exp, t));
		else if (exp - now <= d.expiring_days * DAY_MS)
			alert(arr, "shelf_life.expiring", uid,
			      "%s (%s, %lld pcs in %s) reaches the end of its shelf life on %s",
			      uid, ecms__col_text(st, 1), (long long)ecms__col_int(st, 3),
			      ecms__col_null(st, 2) ? "-" : ecms__col_text(st, 2),
			      ecms_date_format(exp, t));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS_OK && rc != ECMS__DONE)
		goto fail;
	/* Moisture-sensitive packages whose floor life ends soon or has ended. */
	{
		json_t *msd = NULL;
		if ((rc = ecms_msd_expiring(h, now, (int64_t)d.msd_hours * 3600000, &msd)))
			goto fail;
		json_array_foreach(msd, i, e) {
			const char *uid = ecms__rs(e, "uid"), *ipn = ecms__rs(e, "ipn");
			const char *ended = ecms__rs(e, "expired_at"),
				   *ends = ecms__rs(e, "ends_at");
			if (ended)
				alert(arr, "msd.floor_life", uid,
				      "%s (%s) ran out of floor life at %s: "
				      "blocked until baked",
				      uid, ipn ? ipn : "?", ended);
			else
				alert(arr, "msd.floor_life", uid,
				      "%s (%s) has %s of floor life left, "
				      "until %s",
				      uid, ipn ? ipn : "?",
				      ecms__rs(e, "remaining") ? ecms__rs(e, "remaining") : "?",
				      ends ? ends : "?");
		}
		json_decref(msd);
	}
	/* Quarantine waiting too long. */
	rc = ecms__q(h, &st,
		     "SELECT uid, ipn, received_ms FROM packages WHERE status = 'quarantined' "
		     "AND received_ms <= ? ORDER BY received_ms, uid",
		     "i", now - d.quarantine_days * DAY_MS);
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		alert(arr, "quarantine.aged", ecms__col_text(st, 0),
		      "%s (%s) has waited in quarantine for %lld days", ecms__col_text(st, 0),
		      ecms__col_null(st, 1) ? "unknown part" : ecms__col_text(st, 1),
		      (long long)((now - ecms__col_int(st, 2)) / DAY_MS));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS_OK && rc != ECMS__DONE)
		goto fail;
	/* Usable stock below the reorder point, parts without stock included. */
	if ((rc = ecms_stock(h, NULL, NULL, &stock)))
		goto fail;
	{
		/* Usable quantity by IPN. */
		json_t *byipn = json_object();
		json_array_foreach(stock, i, e) {
			json_t *s2 = json_object_get(e, "status");
			json_object_set_new(
				byipn, ecms__rs(e, "ipn"),
				json_integer(
					ecms__ri(json_object_get(s2, "available"), "qty") +
					ecms__ri(json_object_get(s2, "in_production"), "qty")));
		}
		json_decref(stock);
		stock = byipn;
	}
	rc = ecms__q(h, &st,
		     "SELECT ipn, reorder_point FROM parts WHERE reorder_point > 0 ORDER BY ipn",
		     "");
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *ipn = ecms__col_text(st, 0);
		int64_t rp = ecms__col_int(st, 1), usable = 0;
		json_array_foreach(stock, i, e) {
			json_t *s2 = json_object_get(e, "status");
			if (strcmp(ecms__rs(e, "ipn"), ipn) != 0)
				continue;
			usable = ecms__ri(json_object_get(s2, "available"), "qty") +
				 ecms__ri(json_object_get(s2, "in_production"), "qty");
			break;
		}
		if (usable < rp)
			alert(arr, "stock.below_reorder", ipn,
			      "%s: %lld usable, below its reorder point of %lld", ipn,
			      (long long)usable, (long long)rp);
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	json_decref(stock);
	if (rc != ECMS_OK && rc != ECMS__DONE)
		goto fail;
	/* Test equipment calibration (quality.c). */
	{
		json_t *q = NULL;
		if ((rc = ecms_quality_alerts(h, &q)))
			goto fail;
		json_array_extend(arr, q);
		json_decref(q);
	}
	*out = arr;
	return ECMS_OK;
fail:
	json_decref(arr);
	return rc;
}

/* ------------------------------------------------------------------
 * Packages going onto machines (setup load, splice)
 * ------------------------------------------------------------------ */

int
ecms__package_mounted(ecms *h, const char *uid, const char *machine, const char *action,
		      int64_t seq)
{
	ecms__stmt *st;
	char from[ECMS_ERRMSG_MAX] = "";
	bool known = false, restricted = false, from_null = true;
	int64_t one;
	int rc;

	if ((rc = ecms__q(h, &st,
			  "SELECT p.location, t.restricted FROM packages p LEFT JOIN parts t ON "
			  "t.ipn = p.ipn WHERE p.uid = ?",
			  "t", uid)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		known = true;
		from_null = ecms__col_null(st, 0);
		if (!from_null)
			ecms__strlcpy(from, ecms__col_text(st, 0), sizeof(from));
		restricted = !ecms__col_null(st, 1) && ecms__col_int(st, 1) != 0;
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc || !known)
		return rc;
	if (restricted && (rc = log_access(h, uid, action, true, seq)))
		return rc;
	rc = ecms__query_int(h, &one, "SELECT 1 FROM locations WHERE id = ?", "t", machine);
	if (rc == ECMS_ENOTFOUND || (rc == ECMS_OK && !from_null && strcmp(from, machine) == 0))
		return ECMS_OK;
	if (rc)
		return rc;
	rc = ecms__exec(h, "UPDATE packages SET location = ?, updated_seq = ? WHERE uid = ?", "tit",
			machine, seq, uid);
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO package_moves (uid, seq, from_loc, to_loc, actor, at_ms) "
			"VALUES (?, ?, ?, ?, ?, ?)",
			"tittti", uid, seq, from_null ? NULL : from, machine, ecms_actor(h),
			ecms_now(h));
	return rc;
}
