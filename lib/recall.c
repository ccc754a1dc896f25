/*
 * recall.c: the forward trace of a lot grouped for the people who act on
 * it (customers to notify, boards and reels to contain), and the recorded
 * containment: packages and boards on hold, the recall in recalls,
 * recall_boards and recall_packages (011_recall.sql).
 */
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "ecms/auth.h"
#include "master.h"
#include "ecms/recall.h"
#include "event.h"
#include "store/store.h"
#include "trace_int.h"

static const char *const groups[] = { "shipped", "completed", "wip", "scrapped", "other", NULL };

static int
oom(ecms *h)
{
	return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
}

static json_t *
time_json(int64_t ms)
{
	char t[ECMS_TIME_LEN];

	return json_string(ecms_time_format(ms, t));
}

static const char *
group_of(const char *status)
{
	for (int i = 0; i < 4; i++)
		if (status && strcmp(status, groups[i]) == 0)
			return groups[i];
	return "other";
}

/* Whether a board in this status is contained (put on hold). */
static bool
holdable(const char *status)
{
	return !status || (strcmp(status, "shipped") != 0 && strcmp(status, "scrapped") != 0);
}

/* Whether a package in this status goes on hold. */
static bool
pkg_holdable(const char *status)
{
	return !strcmp(status, "available") || !strcmp(status, "quarantined");
}

/*
 * Group boards [B...] by customer (in order of first appearance, unknown
 * last) and status into the recall object o, with the counts.
 */
static int
group(ecms *h, json_t *o, json_t *boards)
{
	json_t *custs = json_array(), *counts = json_object(), *unknown = NULL, *b;
	json_int_t held = 0;
	size_t i, j;
	int rc = ECMS_OK;

	if (!custs || !counts || json_object_set_new(o, "customers", custs) ||
	    json_object_set_new(o, "counts", counts)) {
		json_decref(custs);
		json_decref(counts);
		return oom(h);
	}
	for (int g = 0; groups[g]; g++)
		if (json_object_set_new(counts, groups[g], json_integer(0)))
			return oom(h);
	json_array_foreach(boards, i, b) {
		json_t *cu = json_object_get(b, "customer"), *grp = NULL, *c;
		const char *gname = group_of(json_string_value(json_object_get(b, "status")));

		if (json_is_null(cu)) {
			grp = unknown;
		} else {
			json_array_foreach(custs, j, c)
				if (json_equal(json_object_get(c, "customer"), cu))
					grp = c;
		}
		if (!grp) {
			grp = json_pack("{s:O,s:I,s:[],s:[],s:[],s:[],s:[]}", "customer", cu,
					"count", (json_int_t)0, "shipped", "completed", "wip",
					"scrapped", "other");
			if (!grp)
				return oom(h);
			if (json_is_null(cu))
				unknown = grp;
			else if (json_array_append_new(custs, grp))
				return oom(h);
		}
		if (json_array_append(json_object_get(grp, gname), b) ||
		    json_object_set_new(
			    grp, "count",
			    json_integer(json_integer_value(json_object_get(grp, "count")) + 1)) ||
		    json_object_set_new(
			    counts, gname,
			    json_integer(json_integer_value(json_object_get(counts, gname)) + 1))) {
			rc = oom(h);
			break;
		}
		held += json_is_true(json_object_get(b, "held"));
	}
	if (unknown && json_array_append_new(custs, unknown))
		rc = oom(h);
	if (rc == ECMS_OK &&
	    (json_object_set_new(o, "count", json_integer((json_int_t)json_array_size(boards))) ||
	     json_object_set_new(o, "boards_held", json_integer(held))))
		rc = oom(h);
	return rc;
}

/*
 * Where uid feeds a machine now ("machine/slot" into arr): a held reel
 * that is still loaded must come off the line. Read from the genealogy's
 * live mounts (007: gen_mounts with no end epoch yet).
 */
static int
loaded_on(ecms *h, const char *uid, json_t *arr)
{
	ecms__stmt *st;
	int rc = ecms__q(h, &st,
			 "SELECT m.name, s.name FROM gen_mounts g JOIN gen_machines m ON m.id = "
			 "g.machine_id JOIN gen_slots s ON s.machine_id = g.machine_id AND "
			 "s.slot_no = g.slot_no WHERE g.uid = ? AND g.to_epoch IS NULL ORDER BY "
			 "m.name, s.name",
			 "t", uid);

	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW)
		if (json_array_append_new(arr, json_sprintf("%s/%s", ecms__col_text(st, 0),
							    ecms__col_text(st, 1)))) {
			rc = oom(h);
			break;
		}
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

/* The packages of the lot with what a recall does to them, and where
 * they are loaded now. */
static int
lot_packages(ecms *h, const char *lot, const char *mpn, json_t *arr, json_int_t *nheld)
{
	ecms__stmt *st;
	json_t *pk;
	size_t i;
	int rc;

	*nheld = 0;
	rc = ecms__q(h, &st,
		     "WITH RECURSIVE s(uid) AS (SELECT uid FROM packages WHERE lot = ? AND "
		     "(? IS NULL OR mpn = ?) UNION SELECT p.uid FROM packages p JOIN s ON "
		     "p.parent = s.uid) SELECT p.uid, p.ipn, p.mpn, p.lot, p.status, p.location "
		     "FROM packages p JOIN s ON s.uid = p.uid ORDER BY p.uid",
		     "ttt", lot, mpn, mpn);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		static const struct ecms__col cols[] = {
			{ "uid", 't' }, { "ipn", 't' },    { "mpn", 't' },
			{ "lot", 't' }, { "status", 't' }, { "location", 't' },
		};
		json_t *p = ecms__row_object(st, cols, (int)ECMS_ARRAY_LEN(cols));
		bool held = pkg_holdable(ecms__col_text(st, 4));

		*nheld += held;
		if (!p || json_object_set_new(p, "held", json_boolean(held)) ||
		    json_array_append_new(arr, p)) {
			rc = oom(h);
			break;
		}
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE)
		return rc;
	json_array_foreach(arr, i, pk) {
		json_t *on = json_array();

		if (!on || json_object_set_new(pk, "loaded", on))
			return oom(h);
		if ((rc = loaded_on(h, json_string_value(json_object_get(pk, "uid")), on)))
			return rc;
	}
	return ECMS_OK;
}

/* The recall of a scope as found now (id null, applied false). */
static int
build(ecms *h, const char *lot, const char *mpn, json_t **out)
{
	json_t *o, *pkgs = json_array(), *boards = json_array(), *b;
	const char **uids = NULL;
	json_int_t nheld = 0;
	size_t n = 0, i;
	int rc = pkgs && boards ? ECMS_OK : oom(h);

	*out = NULL;
	if (rc == ECMS_OK)
		rc = lot_packages(h, lot, mpn, pkgs, &nheld);
	if (rc == ECMS_OK && json_array_size(pkgs) == 0) {
		if (mpn)
			rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "lot",
					   "no package of lot '%s' and MPN '%s' is known", lot,
					   mpn);
		else
			rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "lot",
					   "no package of lot '%s' is known", lot);
	}
	n = json_array_size(pkgs);
	if (rc == ECMS_OK && !(uids = ecms__calloc(n, sizeof(*uids))))
		rc = oom(h);
	for (i = 0; rc == ECMS_OK && i < n; i++)
		uids[i] = json_string_value(json_object_get(json_array_get(pkgs, i), "uid"));
	if (rc == ECMS_OK)
		rc = ecms__trace_carriers(h, uids, n, boards);
	ecms__free(uids);
	json_array_foreach(boards, i, b) {
		if (rc)
			break;
		/* Only what the notice and the containment need. */
		json_object_del(b, "product");
		json_object_del(b, "revision");
		if (json_object_set_new(b, "held",
					json_boolean(holdable(
						json_string_value(json_object_get(b, "status"))))))
			rc = oom(h);
	}
	o = rc ? NULL
	       : json_pack("{s:n,s:b,s:{s:s,s:s?},s:n,s:n,s:n}", "id", "applied", 0, "scope", "lot",
			   lot, "mpn", mpn, "reason", "user", "time");
	if (rc == ECMS_OK && !o)
		rc = oom(h);
	if (rc == ECMS_OK)
		rc = group(h, o, boards);
	if (rc == ECMS_OK && (json_object_set(o, "packages", pkgs) ||
			      json_object_set_new(o, "packages_held", json_integer(nheld))))
		rc = oom(h);
	/* The boards, in trace order, for the caller that applies it. */
	if (rc == ECMS_OK && json_object_set(o, "boards_", boards))
		rc = oom(h);
	json_decref(pkgs);
	json_decref(boards);
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

int
ecms_recall_preview(ecms *h, const char *lot, const char *mpn, json_t **out)
{
	int rc;

	*out = NULL;
	if (!lot || !*lot)
		return ecms__ctxfail(h, ECMS_EUSAGE, "lot", "a recall needs a lot (--lot)");
	rc = build(h, lot, mpn && *mpn ? mpn : NULL, out);
	if (rc == ECMS_OK)
		json_object_del(*out, "boards_");
	return rc;
}

/* "a b c" of a JSON array of strings (caller frees). */
static char *
join(const json_t *arr)
{
	ecms_buf b;
	const json_t *v;
	size_t i;

	ecms__buf_init(&b, 1 << 20);
	if (ecms__buf_adds(&b, ""))
		return NULL;
	json_array_foreach((json_t *)arr, i, v)
		if (ecms__buf_printf(&b, "%s%s", i ? " " : "", json_string_value(v))) {
			ecms__buf_cleanup(&b);
			return NULL;
		}
	return ecms__buf_take(&b);
}

static int
record_board(ecms *h, const char *id, json_t *b, int64_t now, int64_t seq)
{
	const char *serial = json_string_value(json_object_get(b, "serial"));
	const char *status = json_string_value(json_object_get(b, "status"));
	const char *hold = json_string_value(json_object_get(b, "hold"));
	const char *shipped = json_string_value(json_object_get(b, "shipped"));
	char *refdes = join(json_object_get(b, "refdes"));
	char *amb = join(json_object_get(b, "ambiguous"));
	int64_t shipped_ms = 0;
	ecms_error err;
	int rc = refdes && amb ? ECMS_OK : oom(h);

	if (rc == ECMS_OK && shipped && ecms_time_parse(shipped, &shipped_ms, &err) != ECMS_OK)
		rc = ecms__ctxfail(h, ECMS_EINTERNAL, "shipped", "bad shipped time %s", shipped);
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO recall_boards (recall, serial, work_order, customer, "
			"status, shipment, shipped_ms, refdes, ambiguous, held) VALUES (?, ?, "
			"?, ?, ?, ?, ?, ?, ?, ?)",
			"tttttt"
			"ittB",
			id, serial, json_string_value(json_object_get(b, "work_order")),
			json_string_value(json_object_get(b, "customer")), status,
			json_string_value(json_object_get(b, "shipment")), shipped_ms, refdes, amb,
			(int)json_is_true(json_object_get(b, "held")));
	if (rc == ECMS_OK && !shipped)
		rc = ecms__exec(h,
				"UPDATE recall_boards SET shipped_ms = NULL WHERE recall = ? AND "
				"serial = ?",
				"tt", id, serial);
	if (rc == ECMS_OK && json_is_true(json_object_get(b, "held"))) {
		char nh[512];

		if (!strcmp(status, "unknown"))
			/* Only the genealogy knew it: the board record begins here. */
			rc = ecms__board_touch(h, serial,
					       json_string_value(json_object_get(b, "work_order")),
					       NULL, -1, now, seq, NULL);
		if (hold && *hold)
			snprintf(nh, sizeof(nh), "%s %s", hold, id);
		else
			snprintf(nh, sizeof(nh), "%s", id);
		if (rc == ECMS_OK)
			rc = ecms__board_hold(h, serial, nh, seq);
	}
	ecms__free(refdes);
	ecms__free(amb);
	return rc;
}

int
ecms_recall_apply(ecms *h, const char *lot, const char *mpn, const char *reason,
		  const ecms_sign *sig, json_t **out)
{
	json_t *o = NULL, *boards, *pkgs, *v, *held_b = NULL, *held_p = NULL, *counts;
	char *role = NULL, id[32], t[ECMS_TIME_LEN];
	int64_t n = 0, seq = 0, now = ecms_now(h);
	size_t i, ncust = 0;
	int rc;

	*out = NULL;
	if (mpn && !*mpn)
		mpn = NULL;
	if (!lot || !*lot)
		return ecms__ctxfail(h, ECMS_EUSAGE, "lot", "a recall needs a lot (--lot)");
	if (!reason || strlen(reason) < 3)
		return ecms__ctxfail(h, ECMS_EUSAGE, "reason",
				     "a recall needs a reason (at least 3 characters)");
	if (!sig || !sig->user || !*sig->user)
		return ecms__ctxfail(h, ECMS_EUSAGE, "user", "who recalls? a qa user signs");
	if ((rc = ecms_auth_role(h, sig->user, &role)))
		return rc == ECMS_ENOTFOUND
			       ? ecms__ctxfail(h, rc, "user", "no active user '%s'", sig->user)
			       : rc;
	if (strcmp(role, "qa") != 0) {
		rc = ecms__ctxfail(h, ECMS_EDENIED, "user", "%s (role %s) may not apply a recall",
				   sig->user, role);
		ecms__free(role);
		return rc;
	}
	ecms__free(role);
	rc = ecms_auth_check(h, sig->user, sig->kind, sig->secret);
	if (rc == ECMS_EAUTH) {
		/* The failed attempt is itself part of the record. */
		ecms_error keep = h->err;

		if (ecms__begin(h) == ECMS_OK)
			(void)ecms__end(h, ecms__event(h, "signature.failed",
						       json_pack("{s:s,s:s?,s:s,s:s}", "lot", lot,
								 "mpn", mpn, "signer", sig->user,
								 "meaning", "recall"),
						       NULL));
		h->err = keep;
		return rc;
	}
	if (rc)
		return rc;
	if ((rc = ecms__begin(h)))
		return rc;
	{
		ecms__stmt *st;

		rc = ecms__q(h, &st,
			     "SELECT id FROM recalls WHERE lot = ? AND COALESCE(mpn, '') = ? "
			     "ORDER BY id",
			     "tt", lot, mpn ? mpn : "");
		if (rc == ECMS_OK && ecms__step(h, st) == ECMS__ROW)
			rc = ecms__ctxfail(
				h, ECMS_EREFUSED, "lot", "lot %s%s%s is recalled already (%s)", lot,
				mpn ? " of " : "", mpn ? mpn : "", ecms__col_text(st, 0));
		ecms__done(h, st);
	}
	if (rc == ECMS_OK)
		rc = build(h, lot, mpn, &o);
	if (rc == ECMS_OK)
		rc = ecms__query_int(h, &n,
				     "UPDATE counters SET value = value + 1 WHERE name = 'recall' "
				     "RETURNING value",
				     "");
	snprintf(id, sizeof(id), "RC-%06lld", (long long)n);
	boards = o ? json_object_get(o, "boards_") : NULL;
	pkgs = o ? json_object_get(o, "packages") : NULL;
	counts = o ? json_object_get(o, "counts") : NULL;
	ncust = o ? json_array_size(json_object_get(o, "customers")) : 0;
	if (rc == ECMS_OK && (!(held_b = json_array()) || !(held_p = json_array())))
		rc = oom(h);
	json_array_foreach(boards, i, v)
		if (rc == ECMS_OK && json_is_true(json_object_get(v, "held")) &&
		    json_array_append(held_b, json_object_get(v, "serial")))
			rc = oom(h);
	json_array_foreach(pkgs, i, v)
		if (rc == ECMS_OK && json_is_true(json_object_get(v, "held")) &&
		    json_array_append(held_p, json_object_get(v, "uid")))
			rc = oom(h);
	if (rc == ECMS_OK)
		rc = ecms__event(
			h, "recall.applied",
			json_pack("{s:s,s:s,s:s?,s:s,s:s,s:s,s:O,s:O,s:O}", "id", id, "lot", lot,
				  "mpn", mpn, "reason", reason, "signer", sig->user, "method",
				  sig->kind == ECMS_SECRET_PIN ? "badge+pin" : "password", "counts",
				  counts, "boards_held", held_b, "packages_held", held_p),
			&seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO recalls (id, lot, mpn, reason, user_id, at_ms, boards, "
			"shipped, completed, wip, scrapped, boards_held, packages, packages_held, "
			"customers, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"ttttti"
			"iiiiiiiiii",
			id, lot, mpn, reason, sig->user, now, (int64_t)json_array_size(boards),
			(int64_t)json_integer_value(json_object_get(counts, "shipped")),
			(int64_t)json_integer_value(json_object_get(counts, "completed")),
			(int64_t)json_integer_value(json_object_get(counts, "wip")),
			(int64_t)json_integer_value(json_object_get(counts, "scrapped")),
			(int64_t)json_array_size(held_b), (int64_t)json_array_size(pkgs),
			(int64_t)json_array_size(held_p), (int64_t)ncust, seq);
	json_array_foreach(boards, i, v)
		if (rc == ECMS_OK)
			rc = record_board(h, id, v, now, seq);
	json_array_foreach(pkgs, i, v) {
		const char *uid = json_string_value(json_object_get(v, "uid"));
		bool held = json_is_true(json_object_get(v, "held"));

		if (rc)
			break;
		char *loaded = join(json_object_get(v, "loaded"));

		rc = loaded ? ecms__exec(
				      h,
				      "INSERT INTO recall_packages (recall, uid, ipn, mpn, lot, "
				      "prev_status, location, loaded, held) VALUES (?, ?, ?, ?, ?, "
				      "?, ?, ?, ?)",
				      "ttttttttB", id, uid,
				      json_string_value(json_object_get(v, "ipn")),
				      json_string_value(json_object_get(v, "mpn")),
				      json_string_value(json_object_get(v, "lot")),
				      json_string_value(json_object_get(v, "status")),
				      json_string_value(json_object_get(v, "location")), loaded,
				      (int)held)
			    : oom(h);
		ecms__free(loaded);
		if (rc == ECMS_OK && held)
			rc = ecms__exec(h,
					"UPDATE packages SET status = 'on_hold', updated_seq = ? "
					"WHERE uid = ?",
					"it", seq, uid);
	}
	rc = ecms__end(h, rc);
	json_decref(held_b);
	json_decref(held_p);
	if (rc) {
		json_decref(o);
		return rc;
	}
	json_object_del(o, "boards_");
	if (json_object_set_new(o, "id", json_string(id)) ||
	    json_object_set_new(o, "applied", json_true()) ||
	    json_object_set_new(o, "reason", json_string(reason)) ||
	    json_object_set_new(o, "user", json_string(sig->user)) ||
	    json_object_set_new(o, "time", json_string(ecms_time_format(now, t))) ||
	    json_object_set_new(o, "event", json_integer(seq))) {
		json_decref(o);
		return oom(h);
	}
	*out = o;
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Recorded recalls
 * ------------------------------------------------------------------ */

static const struct ecms__col list_cols[] = {
	{ "id", 't' },       { "lot", 't' },           { "mpn", 't' },
	{ "reason", 't' },   { "user", 't' },          { "at_ms", 'i' },
	{ "boards", 'i' },   { "shipped", 'i' },       { "completed", 'i' },
	{ "wip", 'i' },      { "scrapped", 'i' },      { "boards_held", 'i' },
	{ "packages", 'i' }, { "packages_held", 'i' }, { "customers", 'i' },
};

#define LIST_SELECT                                                                                \
	"SELECT id, lot, mpn, reason, user_id, at_ms, boards, shipped, completed, wip, "           \
	"scrapped, boards_held, packages, packages_held, customers FROM recalls "

/* at_ms as "time" (ISO 8601), in place. */
static int
fix_time(json_t *r)
{
	json_t *t = time_json(json_integer_value(json_object_get(r, "at_ms")));

	json_object_del(r, "at_ms");
	return !t || json_object_set_new(r, "time", t) ? ECMS_ENOMEM : ECMS_OK;
}

int
ecms_recall_list(ecms *h, json_t **out)
{
	ecms__stmt *st;
	json_t *list = json_array(), *r;
	int rc;

	*out = NULL;
	if (!list)
		return oom(h);
	if ((rc = ecms__q(h, &st, LIST_SELECT "ORDER BY at_ms DESC, id DESC", ""))) {
		json_decref(list);
		return rc;
	}
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		r = ecms__row_object(st, list_cols, (int)ECMS_ARRAY_LEN(list_cols));
		if (!r || fix_time(r) || json_array_append_new(list, r)) {
			json_decref(r);
			rc = oom(h);
			break;
		}
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return ECMS_OK;
}

static json_t *
split_words(const char *s)
{
	json_t *a = json_array();

	while (a && s && *s) {
		size_t n = strcspn(s, " ");

		if (n && json_array_append_new(a, json_stringn(s, n))) {
			json_decref(a);
			return NULL;
		}
		s += n;
		s += strspn(s, " ");
	}
	return a;
}

int
ecms_recall_get(ecms *h, const char *id, json_t **out)
{
	ecms__stmt *st;
	json_t *r = NULL, *o = NULL, *boards = NULL, *pkgs = NULL;
	int rc;

	*out = NULL;
	if ((rc = ecms__q(h, &st, LIST_SELECT "WHERE id = ?", "t", id)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		r = ecms__row_object(st, list_cols, (int)ECMS_ARRAY_LEN(list_cols));
		rc = r && !fix_time(r) ? ECMS_OK : oom(h);
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "id", "no recall '%s'", id);
	}
	ecms__done(h, st);
	if (rc)
		goto out;
	o = json_pack("{s:O,s:b,s:{s:O,s:O},s:O,s:O,s:O}", "id", json_object_get(r, "id"),
		      "applied", 1, "scope", "lot", json_object_get(r, "lot"), "mpn",
		      json_object_get(r, "mpn"), "reason", json_object_get(r, "reason"), "user",
		      json_object_get(r, "user"), "time", json_object_get(r, "time"));
	boards = json_array();
	pkgs = json_array();
	if (!o || !boards || !pkgs) {
		rc = oom(h);
		goto out;
	}
	if ((rc = ecms__q(h, &st,
			  "SELECT serial, work_order, customer, status, shipped_ms, shipment, "
			  "refdes, ambiguous, held FROM recall_boards WHERE recall = ? ORDER BY "
			  "serial",
			  "t", id)))
		goto out;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *wo = ecms__col_text(st, 1), *cu = ecms__col_text(st, 2);
		const char *sh = ecms__col_text(st, 5);
		json_t *b = json_pack(
			"{s:s,s:s?,s:s?,s:s,s:o,s:s?,s:o,s:o,s:b}", "serial", ecms__col_text(st, 0),
			"work_order", wo, "customer", cu, "status", ecms__col_text(st, 3),
			"shipped",
			ecms__col_null(st, 4) ? json_null() : time_json(ecms__col_int(st, 4)),
			"shipment", sh, "refdes", split_words(ecms__col_text(st, 6)), "ambiguous",
			split_words(ecms__col_text(st, 7)), "held", (int)ecms__col_int(st, 8));

		if (!b || json_array_append_new(boards, b)) {
			rc = oom(h);
			break;
		}
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE)
		goto out;
	if ((rc = ecms__q(h, &st,
			  "SELECT uid, ipn, mpn, lot, prev_status, location, held, loaded FROM "
			  "recall_packages WHERE recall = ? ORDER BY uid",
			  "t", id)))
		goto out;
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		static const struct ecms__col cols[] = {
			{ "uid", 't' },    { "ipn", 't' },      { "mpn", 't' },  { "lot", 't' },
			{ "status", 't' }, { "location", 't' }, { "held", 'B' },
		};
		json_t *p = ecms__row_object(st, cols, (int)ECMS_ARRAY_LEN(cols));

		if (!p || json_object_set_new(p, "loaded", split_words(ecms__col_text(st, 7))) ||
		    json_array_append_new(pkgs, p)) {
			rc = oom(h);
			break;
		}
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE)
		goto out;
	rc = group(h, o, boards);
	if (rc == ECMS_OK &&
	    (json_object_set(o, "packages", pkgs) ||
	     json_object_set(o, "packages_held", json_object_get(r, "packages_held"))))
		rc = oom(h);
out:
	json_decref(r);
	json_decref(boards);
	json_decref(pkgs);
	if (rc)
		json_decref(o);
	else
		*out = o;
	return rc;
}

/* ------------------------------------------------------------------
 * The customer notice
 * ------------------------------------------------------------------ */

static int
csv_field(ecms_buf *b, const char *s, bool last)
{
	int rc = ECMS_OK;

	s = s ? s : "";
	if (strpbrk(s, ",\"\r\n")) {
		rc = ecms__buf_addc(b, '"');
		for (const char *p = s; rc == ECMS_OK && *p; p++)
			rc = *p == '"' ? ecms__buf_adds(b, "\"\"") : ecms__buf_addc(b, *p);
		if (rc == ECMS_OK)
			rc = ecms__buf_addc(b, '"');
	} else {
		rc = ecms__buf_adds(b, s);
	}
	return rc ? rc : ecms__buf_addc(b, last ? '\n' : ',');
}

int
ecms_recall_csv(const json_t *r, char **out)
{
	json_t *scope = json_object_get(r, "scope"), *c, *b;
	const char *lot = json_string_value(json_object_get(scope, "lot"));
	const char *mpn = json_string_value(json_object_get(scope, "mpn"));
	ecms_buf buf;
	size_t i, j;
	int rc;

	*out = NULL;
	ecms__buf_init(&buf, (size_t)1 << 30);
	rc = ecms__buf_adds(&buf, "customer,serial,work_order,status,shipped,shipment,lot,mpn,"
				  "refdes,ambiguous_refdes\n");
	json_array_foreach(json_object_get(r, "customers"), i, c) {
		for (int g = 0; rc == ECMS_OK && groups[g]; g++) {
			json_array_foreach(json_object_get(c, groups[g]), j, b) {
				char *rd = join(json_object_get(b, "refdes"));
				char *am = join(json_object_get(b, "ambiguous"));
#define F(k) json_string_value(json_object_get(b, k))
				rc = rd && am ? ECMS_OK : ECMS_ENOMEM;
				if (rc == ECMS_OK)
					rc = csv_field(&buf, F("customer"), false);
				if (rc == ECMS_OK)
					rc = csv_field(&buf, F("serial"), false);
				if (rc == ECMS_OK)
					rc = csv_field(&buf, F("work_order"), false);
				if (rc == ECMS_OK)
					rc = csv_field(&buf, F("status"), false);
				if (rc == ECMS_OK)
					rc = csv_field(&buf, F("shipped"), false);
				if (rc == ECMS_OK)
					rc = csv_field(&buf, F("shipment"), false);
#undef F
				if (rc == ECMS_OK)
					rc = csv_field(&buf, lot, false);
				if (rc == ECMS_OK)
					rc = csv_field(&buf, mpn, false);
				if (rc == ECMS_OK)
					rc = csv_field(&buf, rd, false);
				if (rc == ECMS_OK)
					rc = csv_field(&buf, am, true);
				ecms__free(rd);
				ecms__free(am);
				if (rc)
					break;
			}
		}
		if (rc)
			break;
	}
	if (rc == ECMS_OK && !(*out = ecms__buf_take(&buf)))
		rc = ECMS_ENOMEM;
	ecms__buf_cleanup(&buf);
	return rc;
}

/* One notice row: the recall as it concerns one customer (no other
 * customer's boards, no packages). NULL on OOM. */
static json_t *
notice_row(const json_t *r, const json_t *cu)
{
	const json_t *scope = json_object_get(r, "scope");
	json_t *row = json_pack(
		"{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "recall", json_object_get(r, "id"), "customer",
		json_object_get(cu, "customer"), "lot", json_object_get(scope, "lot"), "mpn",
		json_object_get(scope, "mpn"), "reason", json_object_get(r, "reason"), "user",
		json_object_get(r, "user"), "time", json_object_get(r, "time"), "count",
		json_object_get(cu, "count"));

	for (int g = 0; row && groups[g]; g++) {
		json_t *a = json_deep_copy(json_object_get(cu, groups[g]));
		if (!a || json_object_set_new(row, groups[g], a)) {
			json_decref(row);
			return NULL;
		}
	}
	return row;
}

int
ecms_recall_notices(ecms *h, json_t **out)
{
	json_t *list = NULL, *all = json_array(), *it, *r, *cu;
	size_t i, j;
	int rc;

	*out = NULL;
	if (!all)
		return oom(h);
	if ((rc = ecms_recall_list(h, &list))) {
		json_decref(all);
		return rc;
	}
	json_array_foreach(list, i, it) {
		if ((rc = ecms_recall_get(h, json_string_value(json_object_get(it, "id")), &r)))
			break;
		json_array_foreach(json_object_get(r, "customers"), j, cu) {
			json_t *row;
			if (!json_is_string(json_object_get(cu, "customer")))
				continue; /* boards of work orders ecms does not know */
			if ((row = notice_row(r, cu)) == NULL || json_array_append_new(all, row)) {
				rc = oom(h);
				break;
			}
		}
		json_decref(r);
		if (rc)
			break;
	}
	json_decref(list);
	if (rc) {
		json_decref(all);
		return rc;
	}
	*out = all;
	return ECMS_OK;
}
