/*
 * location.c: storage and production locations, as a tree.
 *
 * Import fields: id (the scannable location ID), name, kind, parent,
 * rh_class (dry cabinets: 5 or 10, % RH), capacity (packages, empty for
 * no limit). Parents may come later in the same file: records are written
 * parents first. A cycle or an unknown parent is an error.
 */
#include <stdio.h>
#include <string.h>

#include "ecms/uid.h"
#include "event.h"
#include "master.h"

static const char *const kind_choices[] = {
	"warehouse",   "rack",      "shelf",      "dry_cabinet", "line_side", "machine",
	"feeder_slot", "receiving", "quarantine", "oven",        NULL,
};
static const char *const rh_choices[] = { "5", "10", NULL };

static bool
location_check(const json_t *rec, char *why, size_t n, const char **field)
{
	const char *kind = ecms__rs(rec, "kind");
	bool dry = strcmp(kind, "dry_cabinet") == 0;

	/* A scan of this ID would be read as a package, never as the location. */
	if (ecms_uid_looks_like(ecms__rs(rec, "id"))) {
		*field = NULL; /* the message names the column itself, with the value */
		snprintf(why, n,
			 "column 'id': '%s' has the form of an ecms package ID (XU + 8 "
			 "characters): a location needs an ID that cannot be taken for a "
			 "package",
			 ecms__rs(rec, "id"));
		return false;
	}
	if (dry && ecms__rnull(rec, "rh_class")) {
		*field = "rh_class";
		snprintf(why, n, "is required for a dry cabinet (5 or 10, %% RH)");
		return false;
	}
	if (!dry && !ecms__rnull(rec, "rh_class")) {
		*field = "rh_class";
		snprintf(why, n, "applies only to dry cabinets, not to a %s", kind);
		return false;
	}
	if (!ecms__rnull(rec, "parent") &&
	    strcmp(ecms__rs(rec, "parent"), ecms__rs(rec, "id")) == 0) {
		*field = "parent";
		snprintf(why, n, "names the location itself");
		return false;
	}
	return true;
}

static const struct ecms__field location_fields[] = {
	{ "id", ECMS_F_ID, true },
	{ "name", ECMS_F_TEXT, true },
	{ "kind", ECMS_F_ENUM, true, NULL, kind_choices },
	{ "parent", ECMS_F_ID, false },
	{ "rh_class", ECMS_F_ENUM, false, NULL, rh_choices },
	{ "capacity", ECMS_F_INT, false, .min = 1, .max = 1e6 },
	{ NULL },
};

static const struct ecms__rspec location_spec = { "locations", "id", location_fields,
						  location_check };

#define LOC_COLS "id, name, kind, parent, rh_class, capacity"
static const struct ecms__col loc_cols[] = {
	{ "id", 't' },     { "name", 't' },     { "kind", 't' },
	{ "parent", 't' }, { "rh_class", 't' }, { "capacity", 'i' },
};
#define NLOC_COLS ((int)ECMS_ARRAY_LEN(loc_cols))

static int
location_get(ecms *h, const char *id, json_t **out)
{
	return ecms__select_one(h, "SELECT " LOC_COLS " FROM locations WHERE id = ?", id, loc_cols,
				NLOC_COLS, out);
}

static int
location_list(ecms *h, const char *parent, json_t **out)
{
	if (parent)
		return ecms__select_all(h,
					"SELECT " LOC_COLS " FROM locations "
					"WHERE parent = ? ORDER BY id",
					parent, loc_cols, NLOC_COLS, out);
	return ecms__select_all(h, "SELECT " LOC_COLS " FROM locations ORDER BY id", NULL, loc_cols,
				NLOC_COLS, out);
}

static int
location_write(ecms *h, const json_t *rec, int64_t seq)
{
	ecms__stmt *st;
	json_t *s;
	int rc;

	rc = ecms__q(h, &st,
		     "INSERT INTO locations (" LOC_COLS ", updated_seq) VALUES "
		     "(?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
		     "name = excluded.name, kind = excluded.kind, parent = excluded.parent, "
		     "rh_class = excluded.rh_class, capacity = excluded.capacity, "
		     "updated_seq = excluded.updated_seq",
		     "");
	if (rc)
		return rc;
	rc = ecms__bind_record(h, st, rec, loc_cols, NLOC_COLS);
	s = json_integer(seq);
	if (rc == ECMS_OK)
		rc = ecms__bind_json(h, st, NLOC_COLS + 1, s);
	json_decref(s);
	if (rc == ECMS_OK) {
		rc = ecms__step(h, st);
		rc = rc == ECMS__DONE ? ECMS_OK : rc;
	}
	ecms__done(h, st);
	return rc;
}

static int
find_rec(const struct ecms__rec *recs, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (strcmp(ecms__rs(recs[i].obj, "id"), id) == 0)
			return i;
	return -1;
}

static int
locations_apply(ecms *h, const struct ecms__rec *recs, int n, const char *fname,
		struct ecms__errlist *errs, ecms_import_report *rep)
{
	bool *done = ecms__calloc((size_t)n + 1, sizeof(bool));
	int left = n, rc = ECMS_OK;

	if (done == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	/* Unknown parents: neither stored nor in the file. */
	for (int i = 0; i < n; i++) {
		const char *p = ecms__rs(recs[i].obj, "parent");
		int64_t one;
		if (p == NULL || find_rec(recs, n, p) >= 0)
			continue;
		rc = ecms__query_int(h, &one, "SELECT 1 FROM locations WHERE id = ?", "t", p);
		if (rc == ECMS_ENOTFOUND) {
			ecms__errlist_add(errs, recs[i].line,
					  "%s:%d: column 'parent': no location '%s'", fname,
					  recs[i].line, p);
			rc = ECMS_OK;
		} else if (rc) {
			goto out;
		}
	}
	if (errs->n) {
		rc = ECMS_EINVAL;
		goto out;
	}
	/* Write parents before children, pass by pass. */
	while (left > 0) {
		int progress = 0;
		for (int i = 0; i < n; i++) {
			const char *p = ecms__rs(recs[i].obj, "parent");
			int pi = p ? find_rec(recs, n, p) : -1;
			if (done[i] || (pi >= 0 && !done[pi]))
				continue;
			rc = ecms__upsert_record(h, "location", ecms__rs(recs[i].obj, "id"),
						 recs[i].obj, location_get, location_write, rep);
			if (rc) {
				ecms__errlist_add(errs, recs[i].line, "%s:%d: %s", fname,
						  recs[i].line, ecms_errmsg(h));
				goto out;
			}
			done[i] = true;
			left--;
			progress++;
		}
		if (progress == 0) {
			for (int i = 0; i < n; i++)
				if (!done[i])
					ecms__errlist_add(errs, recs[i].line,
							  "%s:%d: column 'parent': '%s' "
							  "is part of a cycle",
							  fname, recs[i].line,
							  ecms__rs(recs[i].obj, "parent"));
			rc = ECMS_EINVAL;
			break;
		}
	}
out:
	ecms__free(done);
	return rc;
}

const struct ecms__importer ecms__import_locations = { "locations", &location_spec,
						       locations_apply };
const struct ecms__mdkind ecms__md_location = { "location", location_get, location_list };
