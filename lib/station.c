/*
 * station.c: scanning stations (separator substitutes for wedge
 * scanners), and labels printed from what the store knows.
 */
#include <string.h>

#include "ecms/receiving.h"
#include "ecms/station.h"
#include "ecms/uid.h"
#include "event.h"
#include "master.h"

static int
check_sub(ecms *h, const char *field, const char *v)
{
	if (v && *v && (strlen(v) != 1 || v[0] <= ' ' || v[0] >= 0x7f))
		return ecms__ctxfail(h, ECMS_EINVAL, field,
				     "--%s takes one printable ASCII character, not '%s'", field,
				     v);
	return ECMS_OK;
}

int
ecms_station_set(ecms *h, const char *id, const char *name, const char *gs, const char *rs)
{
	json_t *cur = NULL, *rec;
	int64_t seq;
	int rc;

	if ((rc = check_sub(h, "gs", gs)) || (rc = check_sub(h, "rs", rs)))
		return rc;
	if (gs && rs && *gs && *gs == *rs)
		return ecms__ctxfail(h, ECMS_EINVAL, "rs", "GS and RS substitutes must differ");
	rc = ecms__select_one(
		h, "SELECT id, name, gs_sub, rs_sub FROM stations WHERE id = ?", id,
		(const struct ecms__col[]){
			{ "id", 't' }, { "name", 't' }, { "gs_sub", 't' }, { "rs_sub", 't' } },
		4, &cur);
	if (rc && rc != ECMS_ENOTFOUND)
		return rc;
	rec = json_pack("{s:s,s:s,s:s?,s:s?}", "id", id, "name",
			name  ? name
			: cur ? ecms__rs(cur, "name")
			      : id,
			"gs_sub",
			gs    ? (*gs ? gs : NULL)
			: cur ? ecms__rs(cur, "gs_sub")
			      : NULL,
			"rs_sub",
			rs    ? (*rs ? rs : NULL)
			: cur ? ecms__rs(cur, "rs_sub")
			      : NULL);
	json_decref(cur);
	if (rec == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	if ((rc = ecms__begin(h))) {
		json_decref(rec);
		return rc;
	}
	rc = ecms__event(h, "station.set", json_incref(rec), &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"INSERT INTO stations (id, name, gs_sub, rs_sub, updated_seq) "
				"VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
				"name = excluded.name, gs_sub = excluded.gs_sub, "
				"rs_sub = excluded.rs_sub, updated_seq = excluded.updated_seq",
				"tttti", id, ecms__rs(rec, "name"), ecms__rs(rec, "gs_sub"),
				ecms__rs(rec, "rs_sub"), seq);
	json_decref(rec);
	return ecms__end(h, rc);
}

int
ecms_station_list(ecms *h, json_t **out)
{
	return ecms__select_all(
		h, "SELECT id, name, gs_sub, rs_sub FROM stations ORDER BY id", NULL,
		(const struct ecms__col[]){
			{ "id", 't' }, { "name", 't' }, { "gs", 't' }, { "rs", 't' } },
		4, out);
}

int
ecms_station_opts(ecms *h, const char *id, ecms_label_opts *opts)
{
	ecms__stmt *st;
	int rc;

	opts->gs_sub = opts->rs_sub = 0;
	if (id == NULL || !*id)
		return ECMS_OK;
	if ((rc = ecms__q(h, &st, "SELECT gs_sub, rs_sub FROM stations WHERE id = ?", "t", id)))
		return rc;
	if ((rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *g = ecms__col_text(st, 0), *r = ecms__col_text(st, 1);
		opts->gs_sub = g && *g ? *g : 0;
		opts->rs_sub = r && *r ? *r : 0;
	}
	ecms__done(h, st);
	return rc == ECMS__ROW || rc == ECMS__DONE ? ECMS_OK : rc;
}

int
ecms_print_package(ecms *h, const char *uid, enum ecms_label_format fmt, unsigned char **out,
		   size_t *len)
{
	struct ecms_package_label pl = { 0 };
	json_t *p, *part = NULL;
	int64_t ms = 0;
	int rc;

	*out = NULL;
	if ((rc = ecms_package_get(h, uid, &p)))
		return rc;
	if (ecms__rs(p, "ipn") && (rc = ecms_md_get(h, "part", ecms__rs(p, "ipn"), &part))) {
		json_decref(p);
		return rc;
	}
	pl.uid = uid;
	pl.ipn = ecms__rs(p, "ipn");
	pl.mpn = ecms__rs(p, "mpn");
	pl.manufacturer = ecms__rs(p, "manufacturer");
	pl.lot = ecms__rs(p, "lot");
	pl.date_code = ecms__rs(p, "date_code");
	pl.quantity = ecms__ri(p, "quantity");
	pl.msl = part ? ecms__rs(part, "msl") : NULL;
	pl.received_ms = ecms__rs(p, "received") && ecms_time_parse(ecms__rs(p, "received"), &ms,
								    NULL) == ECMS_OK
				 ? ms
				 : INT64_MIN;
	rc = ecms_label_render_package(&pl, fmt, out, len, &h->err);
	json_decref(part);
	json_decref(p);
	return rc;
}

int
ecms_print_location(ecms *h, const char *id, enum ecms_label_format fmt, unsigned char **out,
		    size_t *len)
{
	struct ecms_location_label ll;
	json_t *l;
	int rc;

	*out = NULL;
	if ((rc = ecms_md_get(h, "location", id, &l)))
		return rc;
	ll.id = ecms__rs(l, "id");
	ll.name = ecms__rs(l, "name");
	ll.kind = ecms__rs(l, "kind");
	ll.parent = ecms__rs(l, "parent");
	rc = ecms_label_render_location(&ll, fmt, out, len, &h->err);
	json_decref(l);
	return rc;
}
