/*
 * import.c: `ecms import KIND FILE`: the table of importers, and the
 * all-or-nothing transaction around them; the shared upsert step; the
 * master-data get/list dispatch.
 */
#include <string.h>

#include "event.h"
#include "master.h"

static const struct ecms__importer *const importers[] = {
	&ecms__import_parts, &ecms__import_suppliers, &ecms__import_locations,
	&ecms__import_users, &ecms__import_po,        NULL,
};

static const struct ecms__mdkind *const mdkinds[] = {
	&ecms__md_part,     &ecms__md_manufacturer, &ecms__md_supplier,
	&ecms__md_location, &ecms__md_user,         NULL,
};

const char *const *
ecms_import_kinds(void)
{
	static const char *kinds[ECMS_ARRAY_LEN(importers)];

	for (size_t i = 0; importers[i]; i++)
		kinds[i] = importers[i]->kind;
	return kinds;
}

void
ecms_import_report_cleanup(ecms_import_report *rep)
{
	if (rep == NULL)
		return;
	ecms__free(rep->errors);
	memset(rep, 0, sizeof(*rep));
}

static int
kind_list(char *out, size_t n)
{
	size_t l = 0;

	out[0] = '\0';
	for (int i = 0; importers[i] && l + 2 < n; i++)
		l += (size_t)snprintf(out + l, n - l, "%s%s", i ? ", " : "", importers[i]->kind);
	return 0;
}

/* The import itself: records from the file at path, or (path NULL) from
 * text; name is what messages call the input. */
static int
import_records(ecms *h, const char *kind, const char *path, const char *text, size_t len,
	       const char *name, ecms_import_report *rep)
{
	const struct ecms__importer *imp = NULL;
	struct ecms__errlist errs;
	struct ecms__rec *recs = NULL;
	int n = 0, rc;

	memset(rep, 0, sizeof(*rep));
	for (int i = 0; importers[i]; i++)
		if (strcmp(importers[i]->kind, kind) == 0)
			imp = importers[i];
	if (imp == NULL) {
		char k[200];
		kind_list(k, sizeof(k));
		return ecms__ctxfail(h, ECMS_EUSAGE, "kind",
				     "cannot import '%s': expected one of %s", kind, k);
	}
	ecms__errlist_init(&errs);
	rc = path ? ecms__records_read(path, imp->spec, &recs, &n, &errs, &h->err)
		  : ecms__records_parse(text, len, name, imp->spec, &recs, &n, &errs, &h->err);
	rep->records = n;
	if (rc == ECMS_OK) {
		rc = ecms__begin(h);
		if (rc == ECMS_OK) {
			rc = imp->apply(h, recs, n, name, &errs, rep);
			if (rc == ECMS_OK && errs.n)
				rc = ECMS_EINVAL;
			if (rc == ECMS_EINVAL)
				ecms__ctxfail(h, rc, NULL, "%s: %d error%s, nothing imported", name,
					      errs.n, errs.n == 1 ? "" : "s");
			rc = ecms__end(h, rc);
		}
	} else if (rc == ECMS_EINVAL && errs.n) {
		ecms__ctxfail(h, rc, NULL, "%s: %d error%s, nothing imported", name, errs.n,
			      errs.n == 1 ? "" : "s");
	}
	rep->nerrors = errs.n;
	if (errs.n)
		rep->errors = ecms__errlist_take(&errs);
	if (rc) {
		rep->created = rep->updated = rep->unchanged = 0;
		if (rep->errors == NULL && rc != ECMS_EINVAL)
			rep->nerrors = 0;
	}
	ecms__errlist_cleanup(&errs);
	ecms__recs_free(recs, n);
	return rc;
}

int
ecms_import(ecms *h, const char *kind, const char *path, ecms_import_report *rep)
{
	return import_records(h, kind, path, NULL, 0, path, rep);
}

int
ecms_import_text(ecms *h, const char *kind, const char *name, const char *text, size_t len,
		 ecms_import_report *rep)
{
	return import_records(h, kind, NULL, text, len, name, rep);
}

bool
ecms__record_same(const json_t *stored, const json_t *rec)
{
	return json_equal((json_t *)stored, (json_t *)rec);
}

json_t *
ecms__col_json(ecms__stmt *st, int col, char kind)
{
	if (ecms__col_null(st, col))
		return json_null();
	switch (kind) {
	case 'i':
		return json_integer(ecms__col_int(st, col));
	case 'd':
		return json_real(ecms__col_double(st, col));
	case 'B':
		return json_boolean(ecms__col_int(st, col) != 0);
	default:
		return json_string(ecms__col_text(st, col));
	}
}

int
ecms__upsert_record(ecms *h, const char *type, const char *id, const json_t *rec,
		    int (*get)(ecms *h, const char *id, json_t **out),
		    int (*write)(ecms *h, const json_t *rec, int64_t seq), ecms_import_report *rep)
{
	json_t *old = NULL;
	char evtype[64];
	int64_t seq;
	bool created;
	int rc;

	rc = get(h, id, &old);
	if (rc && rc != ECMS_ENOTFOUND)
		return rc;
	created = rc == ECMS_ENOTFOUND;
	if (!created && ecms__record_same(old, rec)) {
		json_decref(old);
		rep->unchanged++;
		return ECMS_OK;
	}
	json_decref(old);
	snprintf(evtype, sizeof(evtype), "%s.%s", type, created ? "created" : "updated");
	rc = ecms__event(h, evtype, json_deep_copy(rec), &seq);
	if (rc == ECMS_OK)
		rc = write(h, rec, seq);
	if (rc == ECMS_OK) {
		if (created)
			rep->created++;
		else
			rep->updated++;
	}
	return rc;
}

static const struct ecms__mdkind *
find_kind(ecms *h, const char *kind)
{
	for (int i = 0; mdkinds[i]; i++)
		if (strcmp(mdkinds[i]->kind, kind) == 0)
			return mdkinds[i];
	ecms__ctxfail(h, ECMS_EUSAGE, "kind", "no master-data kind '%s'", kind);
	return NULL;
}

int
ecms_md_get(ecms *h, const char *kind, const char *id, json_t **out)
{
	const struct ecms__mdkind *k = find_kind(h, kind);
	int rc;

	*out = NULL;
	if (k == NULL)
		return ECMS_EUSAGE;
	rc = k->get(h, id, out);
	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, kind, "no %s '%s'", kind, id);
	return rc;
}

int
ecms_md_list(ecms *h, const char *kind, const char *filter, json_t **out)
{
	const struct ecms__mdkind *k = find_kind(h, kind);

	*out = NULL;
	if (k == NULL)
		return ECMS_EUSAGE;
	return k->list(h, filter, out);
}

json_t *
ecms__row_object(ecms__stmt *st, const struct ecms__col *cols, int n)
{
	json_t *o = json_object();

	for (int i = 0; o && i < n; i++) {
		json_t *v = ecms__col_json(st, i, cols[i].kind);
		if (v == NULL || json_object_set_new(o, cols[i].name, v)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

int
ecms__bind_record(ecms *h, ecms__stmt *st, const json_t *rec, const struct ecms__col *cols, int n)
{
	for (int i = 0; i < n; i++) {
		int rc = ecms__bind_json(h, st, i + 1, json_object_get(rec, cols[i].name));
		if (rc)
			return rc;
	}
	return ECMS_OK;
}

static int
select_rows(ecms *h, const char *sql, const char *param, const struct ecms__col *cols, int n,
	    bool one, json_t **out)
{
	ecms__stmt *st;
	json_t *arr = NULL;
	int rc;

	*out = NULL;
	rc = param ? ecms__q(h, &st, sql, "t", param) : ecms__q(h, &st, sql, "");
	if (rc)
		return rc;
	if (!one && (arr = json_array()) == NULL) {
		ecms__done(h, st);
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	}
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		json_t *o = ecms__row_object(st, cols, n);
		if (o == NULL) {
			rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
			break;
		}
		if (one) {
			*out = o;
			rc = ECMS__DONE;
			break;
		}
		json_array_append_new(arr, o);
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE) {
		json_decref(arr);
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	if (one)
		return *out ? ECMS_OK : ECMS_ENOTFOUND;
	*out = arr;
	return ECMS_OK;
}

int
ecms__select_one(ecms *h, const char *sql, const char *param, const struct ecms__col *cols, int n,
		 json_t **out)
{
	return select_rows(h, sql, param, cols, n, true, out);
}

int
ecms__select_all(ecms *h, const char *sql, const char *param, const struct ecms__col *cols, int n,
		 json_t **out)
{
	return select_rows(h, sql, param, cols, n, false, out);
}
