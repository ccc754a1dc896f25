/*
 * supplier.c: suppliers: approval status, ISO 9001 certificate, and the
 * manufacturers they are authorised (franchised) distributors for.
 *
 * Import fields: id, name, status (approved, conditional, blocked),
 * authorised (yes/no), franchises ("Murata;TDK": the manufacturers the
 * authorisation covers; empty with authorised=yes means every one),
 * iso9001_cert, iso9001_expiry (YYYY-MM-DD).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "master.h"

static const char *const status_choices[] = { "approved", "conditional", "blocked", NULL };

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a),
		      json_string_value(*(json_t *const *)b));
}

/* Sorted, without duplicates: stored and imported lists compare equal. */
static json_t *
names_finish(json_t *arr, char *why, size_t n)
{
	json_t *out = ecms__json_sorted(arr, str_cmp, NULL);

	if (out == NULL)
		snprintf(why, n, "could not be read: out of memory");
	return out;
}

static json_t *
conv_names(const char *t, char *why, size_t n)
{
	json_t *arr = json_array();
	char *copy = ecms__strdup(t), *p = copy;

	if (arr == NULL || copy == NULL) {
		json_decref(arr);
		ecms__free(copy);
		snprintf(why, n, "could not be read: out of memory");
		return NULL;
	}
	while (p && *p) {
		char *next = strchr(p, ';'), *e;
		if (next)
			*next++ = '\0';
		while (*p == ' ')
			p++;
		e = p + strlen(p);
		while (e > p && e[-1] == ' ')
			*--e = '\0';
		if (strlen(p) > 100) {
			snprintf(why, n, "has a manufacturer name longer than 100 characters");
			json_decref(arr);
			ecms__free(copy);
			return NULL;
		}
		if (*p)
			json_array_append_new(arr, json_string(p));
		p = next;
	}
	ecms__free(copy);
	return names_finish(arr, why, n);
}

static json_t *
conv_names_json(const json_t *v, char *why, size_t n)
{
	json_t *arr, *e;
	size_t i;

	if (!json_is_array(v)) {
		snprintf(why, n, "must be an array of manufacturer names");
		return NULL;
	}
	arr = json_array();
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || json_string_length(e) == 0) {
			snprintf(why, n, "entry %zu is not a manufacturer name", i + 1);
			json_decref(arr);
			return NULL;
		}
		json_array_append(arr, e);
	}
	return names_finish(arr, why, n);
}

static bool
supplier_check(const json_t *rec, char *why, size_t n, const char **field)
{
	if (json_array_size(json_object_get(rec, "franchises")) &&
	    !json_is_true(json_object_get(rec, "authorised"))) {
		*field = "franchises";
		snprintf(why, n, "lists franchises, but authorised is 'no'");
		return false;
	}
	if (!ecms__rnull(rec, "iso9001_expiry") && ecms__rnull(rec, "iso9001_cert")) {
		*field = "iso9001_cert";
		snprintf(why, n, "is required when iso9001_expiry is given");
		return false;
	}
	return true;
}

static const struct ecms__field supplier_fields[] = {
	{ "id", ECMS_F_ID, true },
	{ "name", ECMS_F_TEXT, true },
	{ "status", ECMS_F_ENUM, true, NULL, status_choices },
	{ "authorised", ECMS_F_BOOL, true },
	{ "franchises", ECMS_F_CUSTOM, false, "", .conv = conv_names,
	  .conv_json = conv_names_json },
	{ "iso9001_cert", ECMS_F_TEXT, false },
	{ "iso9001_expiry", ECMS_F_DATE, false },
	{ NULL },
};

static const struct ecms__rspec supplier_spec = { "suppliers", "id", supplier_fields,
						  supplier_check };

#define SUP_COLS "id, name, status, authorised, iso9001_cert, iso9001_expiry"
static const struct ecms__col sup_cols[] = {
	{ "id", 't' },         { "name", 't' },         { "status", 't' },
	{ "authorised", 'B' }, { "iso9001_cert", 't' }, { "iso9001_expiry", 't' },
};
#define NSUP_COLS ((int)ECMS_ARRAY_LEN(sup_cols))

static int
supplier_get(ecms *h, const char *id, json_t **out)
{
	json_t *fr;
	int rc;

	rc = ecms__select_one(h, "SELECT " SUP_COLS " FROM suppliers WHERE id = ?", id, sup_cols,
			      NSUP_COLS, out);
	if (rc)
		return rc;
	rc = ecms__select_all(h,
			      "SELECT manufacturer FROM supplier_franchises "
			      "WHERE supplier = ? ORDER BY manufacturer",
			      id, (const struct ecms__col[]){ { "m", 't' } }, 1, &fr);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	{
		/* [{"m": "Murata"}, ...] → ["Murata", ...], after authorised. */
		json_t *names = json_array(), *o = json_object(), *e, *v;
		const char *k;
		size_t i;
		json_array_foreach(fr, i, e)
			json_array_append(names, json_object_get(e, "m"));
		json_object_foreach(*out, k, v) {
			json_object_set(o, k, v);
			if (strcmp(k, "authorised") == 0)
				json_object_set(o, "franchises", names);
		}
		json_decref(names);
		json_decref(fr);
		json_decref(*out);
		*out = o;
	}
	return ECMS_OK;
}

static int
supplier_list(ecms *h, const char *status, json_t **out)
{
	if (status)
		return ecms__select_all(h,
					"SELECT " SUP_COLS " FROM suppliers "
					"WHERE status = ? ORDER BY id",
					status, sup_cols, NSUP_COLS, out);
	return ecms__select_all(h, "SELECT " SUP_COLS " FROM suppliers ORDER BY id", NULL, sup_cols,
				NSUP_COLS, out);
}

static int
supplier_write(ecms *h, const json_t *rec, int64_t seq)
{
	const char *id = ecms__rs(rec, "id");
	ecms__stmt *st;
	json_t *e, *s;
	size_t i;
	int rc;

	rc = ecms__q(h, &st,
		     "INSERT INTO suppliers (" SUP_COLS ", updated_seq) VALUES "
		     "(?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
		     "name = excluded.name, status = excluded.status, "
		     "authorised = excluded.authorised, iso9001_cert = excluded.iso9001_cert, "
		     "iso9001_expiry = excluded.iso9001_expiry, "
		     "updated_seq = excluded.updated_seq",
		     "");
	if (rc)
		return rc;
	rc = ecms__bind_record(h, st, rec, sup_cols, NSUP_COLS);
	s = json_integer(seq);
	if (rc == ECMS_OK)
		rc = ecms__bind_json(h, st, NSUP_COLS + 1, s);
	json_decref(s);
	if (rc == ECMS_OK) {
		rc = ecms__step(h, st);
		rc = rc == ECMS__DONE ? ECMS_OK : rc;
	}
	ecms__done(h, st);
	if (rc == ECMS_OK)
		rc = ecms__exec(h, "DELETE FROM supplier_franchises WHERE supplier = ?", "t", id);
	json_array_foreach(json_object_get(rec, "franchises"), i, e) {
		const char *mfr = json_string_value(e);
		if (rc == ECMS_OK)
			rc = ecms__manufacturer_ensure(h, mfr);
		if (rc == ECMS_OK)
			rc = ecms__exec(h,
					"INSERT INTO supplier_franchises (supplier, "
					"manufacturer) VALUES (?, ?)",
					"tt", id, mfr);
	}
	return rc;
}

static int
suppliers_apply(ecms *h, const struct ecms__rec *recs, int n, const char *fname,
		struct ecms__errlist *errs, ecms_import_report *rep)
{
	for (int i = 0; i < n; i++) {
		int rc = ecms__upsert_record(h, "supplier", ecms__rs(recs[i].obj, "id"),
					     recs[i].obj, supplier_get, supplier_write, rep);
		if (rc) {
			ecms__errlist_add(errs, recs[i].line, "%s:%d: %s", fname, recs[i].line,
					  ecms_errmsg(h));
			return rc;
		}
	}
	return ECMS_OK;
}

const struct ecms__importer ecms__import_suppliers = { "suppliers", &supplier_spec,
						       suppliers_apply };
const struct ecms__mdkind ecms__md_supplier = { "supplier", supplier_get, supplier_list };
