/*
 * msdstore.c: the persisted floor-life clock of moisture-sensitive
 * packages (include/ecms/msdstore.h): the msd_state row per package, the
 * site overrides of the J-STD-033 rules (msd_rules), the msd.* events,
 * status, usability and expiry queries, and the entry points for
 * location moves and CFX messages. The rules and the state machine
 * themselves live in the pure engine msd.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecms/uid.h"
#include "event.h"
#include "master.h"
#include "msdstore.h"

/* ------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------ */

/* Copy an engine error onto the handle; returns its rc. */
static int
eng_fail(ecms *h, const ecms_error *e)
{
	return ecms__ctxfail(h, e->rc ? e->rc : ECMS_EINTERNAL, e->field[0] ? e->field : NULL, "%s",
			     e->message);
}

static int
oom(ecms *h)
{
	return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
}

/* The canonical form of a scanned or typed UID into out. ECMS_EINVAL. */
static int
canon_uid(ecms *h, const char *in, char out[ECMS_UID_MAX])
{
	ecms_error e;
	uint64_t seq;

	ecms_error_clear(&e);
	if (in == NULL)
		return ecms__ctxfail(h, ECMS_EINVAL, "uid", "missing package ID");
	if (ecms_uid_parse(in, &seq, &e))
		return eng_fail(h, &e);
	ecms_uid_format(seq, out);
	return ECMS_OK;
}

/* Human duration text. */
static json_t *
dur_json(int64_t ms)
{
	char b[40];

	return json_string(
		ecms_msd_duration_format(ms < 0 ? 0 : ms, ECMS_MSD_DUR_HUMAN, b, sizeof(b)));
}

/* An ISO time, or null for -1. */
static json_t *
time_json(int64_t ms)
{
	char t[ECMS_TIME_LEN];

	return ms < 0 ? json_null() : json_string(ecms_time_format(ms, t));
}

/* ------------------------------------------------------------------
 * Rules
 * ------------------------------------------------------------------ */

static const struct ecms__col rule_cols[] = { { "key", 't' }, { "value", 't' } };

/* The stored overrides, in key order: [{key, value}]. */
static int
stored_rules(ecms *h, json_t **out)
{
	return ecms__select_all(h, "SELECT key, value FROM msd_rules ORDER BY key", NULL, rule_cols,
				2, out);
}

/* Apply overrides [{key, value}] to r, in order. ECMS_EINVAL naming the key. */
static int
apply_overrides(ecms *h, struct ecms_msd_rules *r, const json_t *ov)
{
	const json_t *o;
	size_t i;

	json_array_foreach(ov, i, o) {
		const char *k = ecms__rs(o, "key"), *v = ecms__rs(o, "value");
		ecms_error e;

		ecms_error_clear(&e);
		if (ecms_msd_rules_set(r, k, v, &e))
			return ecms__ctxfail(h, ECMS_EINVAL, k,
					     "stored MSD rule %s = '%s' no longer applies: %s "
					     "(correct it with 'ecms msd rule set')",
					     k, v, e.message);
	}
	return ECMS_OK;
}

int
ecms_msd_site_rules(ecms *h, struct ecms_msd_rules *out)
{
	json_t *ov;
	int rc;

	ecms_msd_rules_default(out);
	if ((rc = stored_rules(h, &ov)))
		return rc;
	rc = apply_overrides(h, out, ov);
	json_decref(ov);
	if (rc)
		ecms_msd_rules_default(out);
	return rc;
}

struct dump_ctx {
	json_t *arr; /* [{key, value, note}] */
	json_t *map; /* key -> value */
};

static int
dump_cb(void *arg, const char *key, const char *value, const char *note)
{
	struct dump_ctx *d = arg;

	if (d->arr && json_array_append_new(d->arr, json_pack("{s:s,s:s,s:s}", "key", key, "value",
							      value, "note", note)))
		return ECMS_ENOMEM;
	if (d->map && json_object_set_new(d->map, key, json_string(value)))
		return ECMS_ENOMEM;
	return 0;
}

/* The rules as a key -> value object (*map) and/or a list (*arr). */
static int
dump_rules(ecms *h, const struct ecms_msd_rules *r, json_t **map, json_t **arr)
{
	struct dump_ctx d = { arr ? json_array() : NULL, map ? json_object() : NULL };

	if ((arr && !d.arr) || (map && !d.map) || ecms_msd_rules_dump(r, dump_cb, &d)) {
		json_decref(d.arr);
		json_decref(d.map);
		return oom(h);
	}
	if (arr)
		*arr = d.arr;
	if (map)
		*map = d.map;
	return ECMS_OK;
}

/*
 * The normalised overrides that turn the defaults into r: every dumped
 * key whose value differs from the default, and "<row> = none" for each
 * default bake row r no longer has. Their order does not matter: a row
 * that is not a default one appears with all three of its columns.
 */
static int
overrides_for(ecms *h, const struct ecms_msd_rules *r, json_t **out)
{
	struct ecms_msd_rules d;
	json_t *dmap = NULL, *rmap = NULL, *want;
	const char *k;
	json_t *v;
	int rc;

	ecms_msd_rules_default(&d);
	if ((rc = dump_rules(h, &d, &dmap, NULL)) || (rc = dump_rules(h, r, &rmap, NULL))) {
		json_decref(dmap);
		return rc;
	}
	want = json_object();
	json_object_foreach(rmap, k, v) {
		json_t *dv = json_object_get(dmap, k);
		if (dv == NULL || !json_equal(dv, v))
			json_object_set(want, k, v);
	}
	json_object_foreach(dmap, k, v) {
		size_t n = strlen(k);
		if (n > 3 && strcmp(k + n - 3, ".rh") == 0 && json_object_get(rmap, k) == NULL) {
			char row[128];
			snprintf(row, sizeof(row), "%.*s", (int)(n - 3), k);
			json_object_set_new(want, row, json_string("none"));
		}
	}
	json_decref(dmap);
	json_decref(rmap);
	if (want == NULL)
		return oom(h);
	*out = want;
	return ECMS_OK;
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* An overrides object {key: value} as a list [{key, value}] in key order. */
static int
sorted_list(ecms *h, const json_t *obj, json_t **out)
{
	size_t n = json_object_size(obj), i = 0;
	const char **keys = ecms__calloc(n ? n : 1, sizeof(*keys));
	json_t *arr = json_array(), *v;
	const char *k;

	if (keys == NULL || arr == NULL) {
		ecms__free(keys);
		json_decref(arr);
		return oom(h);
	}
	json_object_foreach((json_t *)obj, k, v)
		keys[i++] = k;
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (i = 0; i < n; i++)
		if (json_array_append_new(arr, json_pack("{s:s,s:O}", "key", keys[i], "value",
							 json_object_get(obj, keys[i])))) {
			ecms__free(keys);
			json_decref(arr);
			return oom(h);
		}
	ecms__free(keys);
	*out = arr;
	return ECMS_OK;
}

/* Check that replaying list over the defaults gives exactly r. */
static int
check_replay(ecms *h, const struct ecms_msd_rules *r, const json_t *list)
{
	struct ecms_msd_rules x;
	json_t *a = NULL, *b = NULL;
	int rc;

	ecms_msd_rules_default(&x);
	if ((rc = apply_overrides(h, &x, list)))
		return rc;
	if ((rc = dump_rules(h, &x, NULL, &a)) || (rc = dump_rules(h, r, NULL, &b))) {
		json_decref(a);
		return rc;
	}
	if (!json_equal(a, b))
		rc = ecms__ctxfail(h, ECMS_EINTERNAL, "key",
				   "the MSD rule overrides would not replay to the same rules");
	json_decref(a);
	json_decref(b);
	return rc;
}

/* The stored value of key in a list [{key, value}], or NULL. */
static const char *
list_value(const json_t *list, const char *key)
{
	const json_t *o;
	size_t i;

	json_array_foreach(list, i, o)
		if (strcmp(ecms__rs(o, "key"), key) == 0)
			return ecms__rs(o, "value");
	return NULL;
}

int
ecms_msd_rule_set(ecms *h, const char *key, const char *value)
{
	struct ecms_msd_rules r;
	json_t *want = NULL, *list = NULL, *stored = NULL, *o;
	ecms_error e;
	int64_t seq = 0;
	size_t i;
	int rc;

	static const char *const roles[] = { "qa", "admin", NULL };

	if (key == NULL || value == NULL)
		return ecms__ctxfail(h, ECMS_EUSAGE, NULL, "an MSD rule needs a key and a value");
	if ((rc = ecms__require_role(h, ecms_actor(h), roles, "change the MSD rules")))
		return rc;
	if ((rc = ecms__begin(h)))
		return rc;
	ecms_error_clear(&e);
	rc = ecms_msd_site_rules(h, &r);
	if (rc == ECMS_OK && ecms_msd_rules_set(&r, key, value, &e))
		rc = eng_fail(h, &e);
	if (rc == ECMS_OK)
		rc = overrides_for(h, &r, &want);
	if (rc == ECMS_OK)
		rc = sorted_list(h, want, &list);
	if (rc == ECMS_OK)
		rc = check_replay(h, &r, list);
	if (rc == ECMS_OK)
		rc = stored_rules(h, &stored);
	if (rc == ECMS_OK)
		rc = ecms__event(h, "msd.rule_set",
				 json_pack("{s:s,s:s}", "key", key, "value", value), &seq);
	json_array_foreach(rc ? NULL : stored, i, o) {
		const char *k = ecms__rs(o, "key");
		if (rc == ECMS_OK && json_object_get(want, k) == NULL)
			rc = ecms__exec(h, "DELETE FROM msd_rules WHERE key = ?", "t", k);
	}
	json_array_foreach(rc ? NULL : list, i, o) {
		const char *k = ecms__rs(o, "key"), *v = ecms__rs(o, "value");
		const char *was = list_value(stored, k);
		if (rc == ECMS_OK && (was == NULL || strcmp(was, v) != 0))
			rc = ecms__exec(h,
					"INSERT INTO msd_rules (key, value, updated_seq) "
					"VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
					"value = excluded.value, "
					"updated_seq = excluded.updated_seq",
					"tti", k, v, seq);
	}
	rc = ecms__end(h, rc);
	json_decref(want);
	json_decref(list);
	json_decref(stored);
	return rc;
}

int
ecms_msd_rules_json(ecms *h, json_t **out)
{
	struct ecms_msd_rules r;
	json_t *map = NULL, *arr = NULL, *stored = NULL, *o;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = ecms_msd_site_rules(h, &r)) || (rc = stored_rules(h, &stored)))
		return rc;
	if ((rc = dump_rules(h, &r, &map, &arr))) {
		json_decref(stored);
		return rc;
	}
	json_array_foreach(arr, i, o) {
		json_t *note = json_incref(json_object_get(o, "note"));
		json_object_del(o, "note");
		json_object_set_new(
			o, "source",
			json_string(list_value(stored, ecms__rs(o, "key")) ? "site" : "default"));
		json_object_set_new(o, "note", note);
	}
	json_array_foreach(stored, i, o) {
		if (json_object_get(map, ecms__rs(o, "key")) == NULL)
			json_array_append_new(
				arr, json_pack("{s:s,s:s,s:s,s:s}", "key", ecms__rs(o, "key"),
					       "value", ecms__rs(o, "value"), "source", "site",
					       "note", "default bake row removed here"));
	}
	json_decref(map);
	json_decref(stored);
	*out = arr;
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Packages and their stored state
 * ------------------------------------------------------------------ */

static const struct ecms__col pkg_cols[] = {
	{ "uid", 't' },         { "ipn", 't' }, { "status", 't' },
	{ "received_ms", 'i' }, { "msl", 't' }, { "thickness_mm", 'd' },
};

/* The package with its part's MSL data into *out. ECMS_ENOTFOUND. */
static int
load_pkg(ecms *h, const char *uid, json_t **out)
{
	int rc = ecms__select_one(h,
				  "SELECT p.uid, p.ipn, p.status, p.received_ms, t.msl, "
				  "t.thickness_mm FROM packages p "
				  "LEFT JOIN parts t ON t.ipn = p.ipn WHERE p.uid = ?",
				  uid, pkg_cols, (int)ECMS_ARRAY_LEN(pkg_cols), out);

	if (rc == ECMS_ENOTFOUND)
		return ecms__no_package(h, uid);
	return rc;
}

/* The part data of a package row; false when its MSL is unknown. */
static bool
pkg_part(const json_t *pkg, struct ecms_msd_part *part)
{
	const char *msl = ecms__rs(pkg, "msl");
	const json_t *th = json_object_get(pkg, "thickness_mm");

	memset(part, 0, sizeof(*part));
	if (msl == NULL || ecms_msl_parse(msl, &part->msl, NULL) != ECMS_OK)
		return false;
	if (json_is_number(th) && json_number_value(th) > 0 && json_number_value(th) <= 100)
		part->thickness_um = (int32_t)llround(json_number_value(th) * 1000.0);
	return true;
}

/* A new state for a package not yet tracked, as of created_ms. */
static int
init_state(ecms *h, const json_t *pkg, int64_t created_ms, struct ecms_msd_state *st)
{
	struct ecms_msd_part part;
	ecms_error e;

	if (!pkg_part(pkg, &part)) {
		const char *ipn = ecms__rs(pkg, "ipn");
		return ecms__ctxfail(h, ECMS_EREFUSED, "msl",
				     "MSL unknown: package %s (%s%s) has no moisture sensitivity "
				     "level in the part master data; set the part's msl first",
				     ecms__rs(pkg, "uid"), ipn ? "part " : "no part",
				     ipn ? ipn : "");
	}
	ecms_error_clear(&e);
	if (ecms_msd_state_init(st, &part, created_ms, &e))
		return eng_fail(h, &e);
	return ECMS_OK;
}

static const struct ecms__col st_cols[] = {
	{ "msl", 't' },
	{ "thickness_um", 'i' },
	{ "large_body", 'B' },
	{ "tol_ms", 'i' },
	{ "msd_where", 't' },
	{ "since_ms", 'i' },
	{ "exposure_ms", 'i' },
	{ "cab10_ms", 'i' },
	{ "expired_ms", 'i' },
	{ "bake_flags", 'i' },
	{ "hic_pct", 'i' },
	{ "oven_start_ms", 'i' },
	{ "oven_temp_c", 'i' },
	{ "oven_rh_pct", 'i' },
	{ "first_open_ms", 'i' },
	{ "opens", 'i' },
	{ "bakes", 'i' },
	{ "last_bake_ms", 'i' },
	{ "last_bake_temp_c", 'i' },
	{ "last_bake_duration_ms", 'i' },
	{ "short_resets", 'i' },
	/* Listings only. */
	{ "uid", 't' },
	{ "ipn", 't' },
};
#define N_ST_COLS 21
#define ST_COLS                                                                                    \
	"s.msl, s.thickness_um, s.large_body, s.tol_ms, s.msd_where, s.since_ms, "                 \
	"s.exposure_ms, s.cab10_ms, s.expired_ms, s.bake_flags, s.hic_pct, s.oven_start_ms, "      \
	"s.oven_temp_c, s.oven_rh_pct, s.first_open_ms, s.opens, s.bakes, s.last_bake_ms, "        \
	"s.last_bake_temp_c, s.last_bake_duration_ms, s.short_resets"

/* A stored row (as JSON, st_cols) into st, checked. ECMS_EINVAL. */
static int
state_from_row(ecms *h, const char *uid, const json_t *o, struct ecms_msd_state *st)
{
	ecms_error e;

	memset(st, 0, sizeof(*st));
	ecms_error_clear(&e);
	if (ecms_msl_parse(ecms__rs(o, "msl"), &st->msl, &e) ||
	    ecms_msd_where_parse(ecms__rs(o, "msd_where"), &st->where, &e))
		goto bad;
	st->thickness_um = (int32_t)ecms__ri(o, "thickness_um");
	st->large_body = json_is_true(json_object_get(o, "large_body"));
	st->tol_ms = ecms__ri(o, "tol_ms");
	st->since_ms = ecms__ri(o, "since_ms");
	st->exposure_ms = ecms__ri(o, "exposure_ms");
	st->cab10_ms = ecms__ri(o, "cab10_ms");
	st->expired_ms = ecms__ri(o, "expired_ms");
	st->bake_flags = (unsigned)ecms__ri(o, "bake_flags");
	st->hic_pct = (int32_t)ecms__ri(o, "hic_pct");
	st->oven_start_ms = ecms__ri(o, "oven_start_ms");
	st->oven_temp_c = (int32_t)ecms__ri(o, "oven_temp_c");
	st->oven_rh_pct = (int32_t)ecms__ri(o, "oven_rh_pct");
	st->first_open_ms = ecms__ri(o, "first_open_ms");
	st->opens = (int32_t)ecms__ri(o, "opens");
	st->bakes = (int32_t)ecms__ri(o, "bakes");
	st->last_bake_ms = ecms__ri(o, "last_bake_ms");
	st->last_bake_temp_c = (int32_t)ecms__ri(o, "last_bake_temp_c");
	st->last_bake_duration_ms = ecms__ri(o, "last_bake_duration_ms");
	st->short_resets = (int32_t)ecms__ri(o, "short_resets");
	if (ecms_msd_state_check(st, &e) == ECMS_OK)
		return ECMS_OK;
bad:
	return ecms__ctxfail(h, ECMS_EINVAL, e.field[0] ? e.field : NULL,
			     "stored MSD state of %s is inconsistent: %s", uid, e.message);
}

/* The stored state of uid into st; *found false (and st untouched) if none. */
static int
load_state(ecms *h, const char *uid, struct ecms_msd_state *st, bool *found)
{
	json_t *o;
	int rc = ecms__select_one(h, "SELECT " ST_COLS " FROM msd_state s WHERE s.uid = ?", uid,
				  st_cols, N_ST_COLS, &o);

	*found = false;
	if (rc == ECMS_ENOTFOUND)
		return ECMS_OK;
	if (rc)
		return rc;
	rc = state_from_row(h, uid, o, st);
	json_decref(o);
	*found = rc == ECMS_OK;
	return rc;
}

static int
save_state(ecms *h, const char *uid, const struct ecms_msd_state *s, int64_t seq)
{
	return ecms__exec(
		h,
		"INSERT INTO msd_state (uid, msl, thickness_um, large_body, tol_ms, msd_where, "
		"since_ms, exposure_ms, cab10_ms, expired_ms, bake_flags, hic_pct, oven_start_ms, "
		"oven_temp_c, oven_rh_pct, first_open_ms, opens, bakes, last_bake_ms, "
		"last_bake_temp_c, last_bake_duration_ms, short_resets, updated_seq) VALUES "
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT (uid) DO UPDATE SET msl = excluded.msl, "
		"thickness_um = excluded.thickness_um, large_body = excluded.large_body, "
		"tol_ms = excluded.tol_ms, msd_where = excluded.msd_where, "
		"since_ms = excluded.since_ms, exposure_ms = excluded.exposure_ms, "
		"cab10_ms = excluded.cab10_ms, expired_ms = excluded.expired_ms, "
		"bake_flags = excluded.bake_flags, hic_pct = excluded.hic_pct, "
		"oven_start_ms = excluded.oven_start_ms, oven_temp_c = excluded.oven_temp_c, "
		"oven_rh_pct = excluded.oven_rh_pct, first_open_ms = excluded.first_open_ms, "
		"opens = excluded.opens, bakes = excluded.bakes, "
		"last_bake_ms = excluded.last_bake_ms, "
		"last_bake_temp_c = excluded.last_bake_temp_c, "
		"last_bake_duration_ms = excluded.last_bake_duration_ms, "
		"short_resets = excluded.short_resets, updated_seq = excluded.updated_seq",
		"ttiBitiiiiiiiiiiiiiiiii", uid, ecms_msl_str(s->msl), (int64_t)s->thickness_um,
		(int)s->large_body, s->tol_ms, ecms_msd_where_str(s->where), s->since_ms,
		s->exposure_ms, s->cab10_ms, s->expired_ms, (int64_t)s->bake_flags,
		(int64_t)s->hic_pct, s->oven_start_ms, (int64_t)s->oven_temp_c,
		(int64_t)s->oven_rh_pct, s->first_open_ms, (int64_t)s->opens, (int64_t)s->bakes,
		s->last_bake_ms, (int64_t)s->last_bake_temp_c, s->last_bake_duration_ms,
		(int64_t)s->short_resets, seq);
}

/* ------------------------------------------------------------------
 * Status
 * ------------------------------------------------------------------ */

static json_t *
floor_text(int64_t fl)
{
	if (fl == ECMS_MSD_UNLIMITED)
		return json_string("unlimited");
	if (fl == ECMS_MSD_NO_TOL)
		return json_string("none (no time on label)");
	return dur_json(fl);
}

static json_t *
remaining_text(int64_t fl, int64_t rem)
{
	char b[40], t[64];

	if (fl < 0)
		return floor_text(fl);
	if (rem >= 0)
		return dur_json(rem);
	snprintf(t, sizeof(t), "0 (over by %s)",
		 ecms_msd_duration_format(-rem, ECMS_MSD_DUR_HUMAN, b, sizeof(b)));
	return json_string(t);
}

static json_t *
ms_or_null(int64_t fl, int64_t v)
{
	return fl < 0 ? json_null() : json_integer(v);
}

/*
 * The status object of a package (pkg: load_pkg's row) at now_ms: from
 * its state s, or, when s is NULL, for a package of unknown MSL that no
 * event touched. Errors of the engine are recorded on h.
 */
static int
status_json(ecms *h, const struct ecms_msd_rules *r, const json_t *pkg,
	    const struct ecms_msd_state *s, int64_t now_ms, json_t **out)
{
	struct ecms_msd_status v;
	ecms_error e;
	json_t *o;
	int64_t fl;

	*out = NULL;
	if (s == NULL) {
		o = json_pack("{s:s,s:O,s:n,s:s,s:s,s:s,s:b,s:s,s:b,s:i,s:i}", "uid",
			      ecms__rs(pkg, "uid"), "ipn", json_object_get(pkg, "ipn"), "msl",
			      "state", ecms_msd_phase_str(ECMS_MSD_NEVER_OPENED), "where",
			      ecms_msd_where_str(ECMS_MSD_UNOPENED), "floor_life", "MSL unknown",
			      "usable", 1, "reason", "", "bake_required", 0, "opens", 0, "bakes",
			      0);
		if (o == NULL)
			return oom(h);
		*out = o;
		return ECMS_OK;
	}
	ecms_error_clear(&e);
	if (ecms_msd_eval(r, s, now_ms, &v, &e))
		return eng_fail(h, &e);
	fl = v.floor_life_ms;
	o = json_object();
	if (o == NULL)
		return oom(h);
	json_object_set_new(o, "uid", json_string(ecms__rs(pkg, "uid")));
	json_object_set(o, "ipn", json_object_get(pkg, "ipn"));
	json_object_set_new(o, "msl", json_string(ecms_msl_str(s->msl)));
	json_object_set_new(o, "state", json_string(ecms_msd_phase_str(v.phase)));
	json_object_set_new(o, "where", json_string(ecms_msd_where_str(v.where)));
	json_object_set_new(o, "exposure", dur_json(v.exposure_ms));
	json_object_set_new(o, "floor_life", floor_text(fl));
	json_object_set_new(o, "remaining", remaining_text(fl, v.remaining_ms));
	json_object_set_new(o, "ends_at", time_json(v.ends_ms));
	json_object_set_new(o, "expired_at", time_json(v.expired_ms));
	json_object_set_new(o, "usable", json_boolean(v.usable));
	json_object_set_new(o, "reason", json_string(v.reason));
	json_object_set_new(o, "bake_required", json_boolean(v.bake_required));
	json_object_set_new(o, "ends_if_out_at", time_json(v.ends_if_out_ms));
	json_object_set_new(o, "reset_at", time_json(v.reset_ms));
	json_object_set_new(o, "hic_pct", s->hic_pct < 0 ? json_null() : json_integer(s->hic_pct));
	json_object_set_new(o, "opens", json_integer(s->opens));
	json_object_set_new(o, "first_opened", time_json(s->first_open_ms));
	json_object_set_new(o, "bakes", json_integer(s->bakes));
	json_object_set_new(o, "last_bake", time_json(s->last_bake_ms));
	if (s->bakes > 0 && s->last_bake_duration_ms > 0) {
		json_object_set_new(o, "last_bake_temp_c", json_integer(s->last_bake_temp_c));
		json_object_set_new(o, "last_bake_duration", dur_json(s->last_bake_duration_ms));
	}
	json_object_set_new(o, "short_resets", json_integer(s->short_resets));
	json_object_set_new(o, "since", time_json(s->since_ms));
	json_object_set_new(o, "cfx_state", json_string(ecms_msd_phase_cfx(v.phase)));
	json_object_set_new(o, "clock_rate_permille", json_integer(v.rate_permille));
	json_object_set_new(o, "exposure_ms", json_integer(v.exposure_ms));
	json_object_set_new(o, "floor_life_ms", ms_or_null(fl, fl));
	json_object_set_new(o, "remaining_ms", ms_or_null(fl, v.remaining_ms));
	*out = o;
	return ECMS_OK;
}

/* Everything a query needs about one package: its row, the rules, its
 * state (found or, when the MSL is known, fresh as of min(receipt, at)). */
struct pkg_view {
	char uid[ECMS_UID_MAX];
	json_t *pkg;
	struct ecms_msd_rules rules;
	struct ecms_msd_state st;
	bool tracked; /* a stored state */
	bool known;   /* st is valid (tracked, or MSL known) */
};

static int
view_load(ecms *h, const char *uid_in, int64_t at_ms, struct pkg_view *pv)
{
	int rc;

	pv->pkg = NULL;
	pv->tracked = pv->known = false;
	if ((rc = canon_uid(h, uid_in, pv->uid)) || (rc = ecms_msd_site_rules(h, &pv->rules)) ||
	    (rc = load_pkg(h, pv->uid, &pv->pkg)) ||
	    (rc = load_state(h, pv->uid, &pv->st, &pv->tracked))) {
		json_decref(pv->pkg);
		pv->pkg = NULL;
		return rc;
	}
	pv->known = pv->tracked;
	if (!pv->tracked) {
		struct ecms_msd_part part;
		int64_t rcv = ecms__ri(pv->pkg, "received_ms");
		if (pkg_part(pv->pkg, &part) &&
		    ecms_msd_state_init(&pv->st, &part, rcv < at_ms ? rcv : at_ms, NULL) == ECMS_OK)
			pv->known = true;
	}
	return ECMS_OK;
}

int
ecms_msd_status(ecms *h, const char *uid, int64_t now_ms, json_t **out)
{
	struct pkg_view pv;
	int rc;

	*out = NULL;
	if ((rc = view_load(h, uid, now_ms, &pv)))
		return rc;
	rc = status_json(h, &pv.rules, pv.pkg, pv.known ? &pv.st : NULL, now_ms, out);
	json_decref(pv.pkg);
	return rc;
}

int
ecms_msd_usable(ecms *h, const char *uid, int64_t now_ms, bool *usable, char *reason, size_t n)
{
	struct pkg_view pv;
	struct ecms_msd_status v;
	ecms_error e;
	int rc;

	*usable = true;
	if (reason && n)
		reason[0] = '\0';
	if ((rc = view_load(h, uid, now_ms, &pv)))
		return rc;
	json_decref(pv.pkg);
	if (!pv.tracked)
		return ECMS_OK;
	ecms_error_clear(&e);
	if (ecms_msd_eval(&pv.rules, &pv.st, now_ms > pv.st.since_ms ? now_ms : pv.st.since_ms, &v,
			  &e))
		return eng_fail(h, &e);
	*usable = v.usable;
	if (reason && n)
		ecms__strlcpy(reason, v.reason, n);
	return ECMS_OK;
}

struct expiring {
	int64_t key;
	json_t *o;
};

static int
expiring_cmp(const void *a, const void *b)
{
	const struct expiring *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp(ecms__rs(x->o, "uid"), ecms__rs(y->o, "uid"));
}

int
ecms_msd_expiring(ecms *h, int64_t now_ms, int64_t within_ms, json_t **out)
{
	struct ecms_msd_rules r;
	struct expiring *v = NULL;
	json_t *rows = NULL, *o, *arr;
	size_t i, n = 0;
	int rc;

	*out = NULL;
	if ((rc = ecms_msd_site_rules(h, &r)))
		return rc;
	rc = ecms__select_all(h,
			      "SELECT " ST_COLS ", s.uid, p.ipn FROM msd_state s JOIN packages p "
			      "ON p.uid = s.uid WHERE p.status <> 'rejected' ORDER BY s.uid",
			      NULL, st_cols, (int)ECMS_ARRAY_LEN(st_cols), &rows);
	if (rc)
		return rc;
	if (json_array_size(rows) &&
	    (v = ecms__calloc(json_array_size(rows), sizeof(*v))) == NULL) {
		json_decref(rows);
		return oom(h);
	}
	json_array_foreach(rows, i, o) {
		struct ecms_msd_state st;
		struct ecms_msd_status s;
		ecms_error e;
		const char *uid = ecms__rs(o, "uid");
		int64_t at, fl;

		if ((rc = state_from_row(h, uid, o, &st)))
			break;
		at = now_ms > st.since_ms ? now_ms : st.since_ms;
		ecms_error_clear(&e);
		if (ecms_msd_eval(&r, &st, at, &s, &e)) {
			rc = eng_fail(h, &e);
			break;
		}
		if (s.phase != ECMS_MSD_EXPIRED &&
		    (s.ends_ms < 0 || s.ends_ms - now_ms > within_ms))
			continue;
		fl = s.floor_life_ms;
		v[n].key = s.phase == ECMS_MSD_EXPIRED
				   ? (s.expired_ms >= 0 ? s.expired_ms : st.since_ms)
				   : s.ends_ms;
		v[n].o =
			json_pack("{s:s,s:O,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:s}", "uid", uid, "ipn",
				  json_object_get(o, "ipn"), "msl", ecms_msl_str(st.msl), "state",
				  ecms_msd_phase_str(s.phase), "where", ecms_msd_where_str(s.where),
				  "remaining", remaining_text(fl, s.remaining_ms), "remaining_ms",
				  ms_or_null(fl, s.remaining_ms), "ends_at", time_json(s.ends_ms),
				  "expired_at", time_json(s.expired_ms), "reason", s.reason);
		if (v[n].o == NULL) {
			rc = oom(h);
			break;
		}
		n++;
	}
	json_decref(rows);
	if (rc == ECMS_OK && (arr = json_array()) == NULL)
		rc = oom(h);
	if (rc == ECMS_OK) {
		if (n)
			qsort(v, n, sizeof(*v), expiring_cmp);
		for (i = 0; i < n; i++)
			json_array_append_new(arr, v[i].o);
		*out = arr;
	} else {
		for (i = 0; i < n; i++)
			json_decref(v[i].o);
	}
	ecms__free(v);
	return rc;
}

/* ------------------------------------------------------------------
 * Recording
 * ------------------------------------------------------------------ */

/* The payload of msd.<event>. via: "cfx ..." or "move", or NULL. */
static json_t *
event_payload(const char *uid, const struct ecms_msd_event *ev, const char *via,
	      const struct ecms_msd_state *after)
{
	json_t *p = json_pack("{s:s,s:s,s:o}", "uid", uid, "event", ecms_msd_event_str(ev->type),
			      "at", time_json(ev->at_ms));

	if (p == NULL)
		return NULL;
	if (ev->hic_pct >= 0)
		json_object_set_new(p, "hic_pct", json_integer(ev->hic_pct));
	if (ev->rh_pct >= 0)
		json_object_set_new(p, "rh_pct", json_integer(ev->rh_pct));
	if (ev->type == ECMS_MSD_EV_BAKE || ev->type == ECMS_MSD_EV_BAKE_START)
		json_object_set_new(p, "temp_c", json_integer(ev->temp_c));
	if (ev->type == ECMS_MSD_EV_BAKE)
		json_object_set_new(p, "duration_ms", json_integer(ev->duration_ms));
	if (via)
		json_object_set_new(p, "via", json_string(via));
	json_object_set_new(p, "where", json_string(ecms_msd_where_str(after->where)));
	json_object_set_new(p, "exposure_ms", json_integer(after->exposure_ms));
	return p;
}

static int
record(ecms *h, const char *uid_in, const struct ecms_msd_event *ev, const char *via,
       json_t **status_out)
{
	struct pkg_view pv;
	ecms_error e;
	char type[48];
	int64_t seq;
	int rc;

	if (status_out)
		*status_out = NULL;
	if (ev == NULL)
		return ecms__ctxfail(h, ECMS_EUSAGE, NULL, "no MSD event given");
	if ((rc = ecms__begin(h)))
		return rc;
	rc = view_load(h, uid_in, ev->at_ms, &pv);
	if (rc == ECMS_OK && !pv.tracked)
		rc = init_state(h, pv.pkg,
				ecms__ri(pv.pkg, "received_ms") < ev->at_ms
					? ecms__ri(pv.pkg, "received_ms")
					: ev->at_ms,
				&pv.st);
	ecms_error_clear(&e);
	if (rc == ECMS_OK && ecms_msd_apply(&pv.rules, &pv.st, ev, &e))
		rc = eng_fail(h, &e);
	if (rc == ECMS_OK) {
		json_t *p = event_payload(pv.uid, ev, via, &pv.st);
		snprintf(type, sizeof(type), "msd.%s", ecms_msd_event_str(ev->type));
		rc = p ? ecms__event(h, type, p, &seq) : oom(h);
	}
	if (rc == ECMS_OK)
		rc = save_state(h, pv.uid, &pv.st, seq);
	rc = ecms__end(h, rc);
	if (rc == ECMS_OK && status_out)
		rc = status_json(h, &pv.rules, pv.pkg, &pv.st, ev->at_ms, status_out);
	json_decref(pv.pkg);
	return rc;
}

int
ecms_msd_record(ecms *h, const char *uid, const struct ecms_msd_event *ev, json_t **status_out)
{
	return record(h, uid, ev, NULL, status_out);
}

int
ecms_msd_from_cfx(ecms *h, const char *uid, const char *message_name, int64_t t_ms, int rh_class)
{
	struct ecms_msd_event ev;
	enum ecms_msd_event_type t;
	char via[128];
	const char *last;

	if (ecms_msd_event_from_cfx(message_name, &t) != ECMS_OK)
		return ecms__ctxfail(h, ECMS_ENOTFOUND, "message",
				     "'%s' is not a CFX MSD message (MaterialsOpened, "
				     "MaterialsPlacedInDryStorage, MaterialsRemovedFromDryStorage, "
				     "MaterialsExpired, MaterialsRestored)",
				     message_name ? message_name : "(null)");
	ecms_msd_event_init(&ev, t, t_ms);
	if (t == ECMS_MSD_EV_CABINET_IN)
		ev.rh_pct = rh_class;
	last = strrchr(message_name, '.');
	snprintf(via, sizeof(via), "cfx %s", last ? last + 1 : message_name);
	return record(h, uid, &ev, via, NULL);
}

/* A location's rh_class as a percentage; -1 when not given. */
static int32_t
rh_class(const char *s)
{
	int64_t v;

	return s && ecms__parse_i64(s, 0, 100, &v) ? (int32_t)v : -1;
}

int
ecms__msd_on_move(ecms *h, const char *uid_in, const char *from_kind, const char *from_rh,
		  const char *to_kind, const char *to_rh, int64_t t_ms)
{
	char uid[ECMS_UID_MAX];
	struct ecms_msd_state st;
	struct ecms_msd_event ev;
	bool found, to_dry, from_dry;
	int rc;

	(void)from_rh;
	if ((rc = canon_uid(h, uid_in, uid)) || (rc = load_state(h, uid, &st, &found)))
		return rc;
	if (!found || st.msl == ECMS_MSL_1 || st.where == ECMS_MSD_UNOPENED ||
	    st.where == ECMS_MSD_BAG)
		return ECMS_OK;
	to_dry = to_kind && strcmp(to_kind, "dry_cabinet") == 0;
	from_dry = from_kind && strcmp(from_kind, "dry_cabinet") == 0;
	if (to_dry) {
		ecms_msd_event_init(&ev, ECMS_MSD_EV_CABINET_IN, t_ms);
		ev.rh_pct = rh_class(to_rh);
	} else if (from_dry && (st.where == ECMS_MSD_CABINET5 || st.where == ECMS_MSD_CABINET10)) {
		ecms_msd_event_init(&ev, ECMS_MSD_EV_CABINET_OUT, t_ms);
	} else {
		return ECMS_OK;
	}
	return record(h, uid, &ev, "move", NULL);
}
