/*
 * part.c: parts (internal part numbers) with their approved manufacturer
 * list (AML), and manufacturers.
 *
 * Import fields (docs/import-formats.md): ipn, description, category,
 * package, aml ("MPN@Manufacturer;..."), msl, thickness_mm, peak_c, rohs,
 * reach, shelf_life_days, std_pack, reorder_point, lead_time_days,
 * max_dc_age_months,
 * unit_cost, restricted.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecms/msd.h"
#include "event.h"
#include "master.h"

static const char *const rohs_choices[] = { "compliant", "exempt", "non-compliant", "unknown",
					    NULL };
static const char *const reach_choices[] = { "compliant", "svhc", "unknown", NULL };

/* An MSL in any form the MSD module reads ("3", "MSL2a", "Level-3-260C-168 HR"). */
static json_t *
conv_msl(const char *t, char *why, size_t n)
{
	enum ecms_msl m;

	if (ecms_msl_parse(t, &m, NULL) == ECMS_OK)
		return json_string(ecms_msl_str(m));
	snprintf(why, n, "is not an MSL level (1, 2, 2a, 3, 4, 5, 5a, 6)");
	return NULL;
}

static int
aml_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(ecms__rs(x, "mpn"), ecms__rs(y, "mpn"));

	return c ? c : strcmp(ecms__rs(x, "manufacturer"), ecms__rs(y, "manufacturer"));
}

/* Sort AML entries and refuse duplicates, so stored and imported compare. */
static json_t *
aml_finish(json_t *arr, char *why, size_t n)
{
	json_t *dup, *out = ecms__json_sorted(arr, aml_cmp, &dup);

	if (out == NULL) {
		snprintf(why, n, "could not be read: out of memory");
	} else if (dup) {
		snprintf(why, n, "lists %s@%s twice", ecms__rs(dup, "mpn"),
			 ecms__rs(dup, "manufacturer"));
		json_decref(out);
		out = NULL;
	}
	return out;
}

static bool
aml_entry_ok(const char *mpn, const char *mfr, char *why, size_t n)
{
	if (!*mpn || !*mfr || strlen(mpn) > 64 || strlen(mfr) > 100) {
		snprintf(why, n,
			 "is not an AML entry MPN@Manufacturer "
			 "(e.g. GRM155R71C104KA88D@Murata)");
		return false;
	}
	return true;
}

/* "MPN@Manufacturer;MPN2@Manufacturer 2" */
static json_t *
conv_aml(const char *t, char *why, size_t n)
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
		char *next = strchr(p, ';'), *at, *e;
		if (next)
			*next++ = '\0';
		while (*p == ' ')
			p++;
		e = p + strlen(p);
		while (e > p && e[-1] == ' ')
			*--e = '\0';
		if (*p) {
			at = strrchr(p, '@');
			if (at)
				*at = '\0';
			if (!at || !aml_entry_ok(p, at + 1, why, n)) {
				snprintf(why, n,
					 "is not an AML entry MPN@Manufacturer "
					 "(e.g. GRM155R71C104KA88D@Murata)");
				json_decref(arr);
				ecms__free(copy);
				return NULL;
			}
			json_array_append_new(
				arr, json_pack("{s:s,s:s}", "mpn", p, "manufacturer", at + 1));
		}
		p = next;
	}
	ecms__free(copy);
	return aml_finish(arr, why, n);
}

/* [{"mpn": ..., "manufacturer": ...}, ...] in a JSON import. */
static json_t *
conv_aml_json(const json_t *v, char *why, size_t n)
{
	json_t *arr, *e;
	size_t i;

	if (!json_is_array(v)) {
		snprintf(why, n, "must be an array of {\"mpn\", \"manufacturer\"}");
		return NULL;
	}
	arr = json_array();
	json_array_foreach(v, i, e) {
		const char *mpn = json_string_value(json_object_get(e, "mpn"));
		const char *mfr = json_string_value(json_object_get(e, "manufacturer"));
		if (!mpn || !mfr || !aml_entry_ok(mpn, mfr, why, n)) {
			snprintf(why, n,
				 "entry %zu must have string fields \"mpn\" and "
				 "\"manufacturer\"",
				 i + 1);
			json_decref(arr);
			return NULL;
		}
		json_array_append_new(arr, json_pack("{s:s,s:s}", "mpn", mpn, "manufacturer", mfr));
	}
	return aml_finish(arr, why, n);
}

static bool
part_check(const json_t *rec, char *why, size_t n, const char **field)
{
	const char *msl = ecms__rs(rec, "msl");

	if (msl && strcmp(msl, "1") != 0 && ecms__rnull(rec, "thickness_mm")) {
		/* Bake times depend on body thickness: an MSD needs it. */
		*field = "thickness_mm";
		snprintf(why, n, "is required for moisture-sensitive parts (MSL %s)", msl);
		return false;
	}
	return true;
}

static const struct ecms__field part_fields[] = {
	{ "ipn", ECMS_F_ID, true },
	{ "description", ECMS_F_TEXT, true },
	{ "category", ECMS_F_TEXT, true },
	{ "package", ECMS_F_TEXT, false },
	{ "aml", ECMS_F_CUSTOM, false, "", .conv = conv_aml, .conv_json = conv_aml_json },
	{ "msl", ECMS_F_CUSTOM, false, .conv = conv_msl },
	{ "thickness_mm", ECMS_F_REAL, false, .min = 0.05, .max = 50 },
	{ "peak_c", ECMS_F_REAL, false, .min = 150, .max = 400 },
	{ "rohs", ECMS_F_ENUM, false, "unknown", rohs_choices },
	{ "reach", ECMS_F_ENUM, false, "unknown", reach_choices },
	{ "shelf_life_days", ECMS_F_INT, false, .min = 1, .max = 36500 },
	{ "std_pack", ECMS_F_INT, false, .min = 1, .max = 1e9 },
	{ "reorder_point", ECMS_F_INT, false, "0", .min = 0, .max = 1e9 },
	{ "lead_time_days", ECMS_F_INT, false, .min = 0, .max = 3650 },
	{ "max_dc_age_months", ECMS_F_INT, false, .min = 1, .max = 600 },
	{ "unit_cost", ECMS_F_REAL, false, .min = 0, .max = 1e9 },
	{ "restricted", ECMS_F_BOOL, false, "no" },
	{ NULL },
};

static const struct ecms__rspec part_spec = { "parts", "ipn", part_fields, part_check };

/* Columns of the parts table, in record order (aml lives in part_aml). */
#define PART_COLS                                                                                  \
	"ipn, description, category, package, msl, thickness_mm, peak_c, "                         \
	"rohs, reach, shelf_life_days, std_pack, reorder_point, lead_time_days, "                  \
	"max_dc_age_months, unit_cost, restricted"
static const struct ecms__col part_cols[] = {
	{ "ipn", 't' },
	{ "description", 't' },
	{ "category", 't' },
	{ "package", 't' },
	{ "msl", 't' },
	{ "thickness_mm", 'd' },
	{ "peak_c", 'd' },
	{ "rohs", 't' },
	{ "reach", 't' },
	{ "shelf_life_days", 'i' },
	{ "std_pack", 'i' },
	{ "reorder_point", 'i' },
	{ "lead_time_days", 'i' },
	{ "max_dc_age_months", 'i' },
	{ "unit_cost", 'd' },
	{ "restricted", 'B' },
};
#define NPART_COLS ((int)ECMS_ARRAY_LEN(part_cols))

static int
part_aml(ecms *h, const char *ipn, json_t **out)
{
	static const struct ecms__col c[] = { { "mpn", 't' }, { "manufacturer", 't' } };

	return ecms__select_all(h,
				"SELECT mpn, manufacturer FROM part_aml WHERE ipn = ? "
				"ORDER BY mpn, manufacturer",
				ipn, c, 2, out);
}

static int
part_get(ecms *h, const char *ipn, json_t **out)
{
	json_t *aml;
	int rc;

	rc = ecms__select_one(h, "SELECT " PART_COLS " FROM parts WHERE ipn = ?", ipn, part_cols,
			      NPART_COLS, out);
	if (rc)
		return rc;
	rc = part_aml(h, ipn, &aml);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	/* Keep the record's field order: aml after package. */
	{
		json_t *o = json_object();
		const char *k;
		json_t *v;
		json_object_foreach(*out, k, v) {
			json_object_set(o, k, v);
			if (strcmp(k, "package") == 0)
				json_object_set(o, "aml", aml);
		}
		json_decref(*out);
		json_decref(aml);
		*out = o;
	}
	return ECMS_OK;
}

static int
part_list(ecms *h, const char *category, json_t **out)
{
	if (category)
		return ecms__select_all(h,
					"SELECT " PART_COLS " FROM parts "
					"WHERE category = ? ORDER BY ipn",
					category, part_cols, NPART_COLS, out);
	return ecms__select_all(h, "SELECT " PART_COLS " FROM parts ORDER BY ipn", NULL, part_cols,
				NPART_COLS, out);
}

int
ecms__manufacturer_ensure(ecms *h, const char *name)
{
	int64_t one, seq;
	int rc;

	rc = ecms__query_int(h, &one, "SELECT 1 FROM manufacturers WHERE name = ?", "t", name);
	if (rc != ECMS_ENOTFOUND)
		return rc;
	rc = ecms__event(h, "manufacturer.created", json_pack("{s:s}", "name", name), &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h, "INSERT INTO manufacturers (name, created_seq) VALUES (?, ?)",
				"ti", name, seq);
	return rc;
}

static int
part_write(ecms *h, const json_t *rec, int64_t seq)
{
	const char *ipn = ecms__rs(rec, "ipn");
	ecms__stmt *st;
	json_t *e;
	size_t i;
	int rc;

	rc = ecms__q(h, &st,
		     "INSERT INTO parts (" PART_COLS ", updated_seq) VALUES "
		     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		     "ON CONFLICT (ipn) DO UPDATE SET description = excluded.description, "
		     "category = excluded.category, package = excluded.package, "
		     "msl = excluded.msl, thickness_mm = excluded.thickness_mm, "
		     "peak_c = excluded.peak_c, rohs = excluded.rohs, reach = excluded.reach, "
		     "shelf_life_days = excluded.shelf_life_days, "
		     "std_pack = excluded.std_pack, reorder_point = excluded.reorder_point, "
		     "lead_time_days = excluded.lead_time_days, "
		     "max_dc_age_months = excluded.max_dc_age_months, "
		     "unit_cost = excluded.unit_cost, restricted = excluded.restricted, "
		     "updated_seq = excluded.updated_seq",
		     "");
	if (rc)
		return rc;
	rc = ecms__bind_record(h, st, rec, part_cols, NPART_COLS);
	if (rc == ECMS_OK) {
		json_t *s = json_integer(seq);
		rc = ecms__bind_json(h, st, NPART_COLS + 1, s);
		json_decref(s);
	}
	if (rc == ECMS_OK) {
		rc = ecms__step(h, st);
		rc = rc == ECMS__DONE ? ECMS_OK : rc;
	}
	ecms__done(h, st);
	if (rc)
		return rc;
	rc = ecms__exec(h, "DELETE FROM part_aml WHERE ipn = ?", "t", ipn);
	json_array_foreach(json_object_get(rec, "aml"), i, e) {
		const char *mfr = ecms__rs(e, "manufacturer");
		if (rc == ECMS_OK)
			rc = ecms__manufacturer_ensure(h, mfr);
		if (rc == ECMS_OK)
			rc = ecms__exec(h,
					"INSERT INTO part_aml (ipn, mpn, manufacturer) "
					"VALUES (?, ?, ?)",
					"ttt", ipn, ecms__rs(e, "mpn"), mfr);
	}
	return rc;
}

static int
parts_apply(ecms *h, const struct ecms__rec *recs, int n, const char *fname,
	    struct ecms__errlist *errs, ecms_import_report *rep)
{
	for (int i = 0; i < n; i++) {
		int rc = ecms__upsert_record(h, "part", ecms__rs(recs[i].obj, "ipn"), recs[i].obj,
					     part_get, part_write, rep);
		if (rc) {
			ecms__errlist_add(errs, recs[i].line, "%s:%d: %s", fname, recs[i].line,
					  ecms_errmsg(h));
			return rc;
		}
	}
	return ECMS_OK;
}

const struct ecms__importer ecms__import_parts = { "parts", &part_spec, parts_apply };
const struct ecms__mdkind ecms__md_part = { "part", part_get, part_list };

/* ------------------------------------------------------------------
 * Manufacturers: created implicitly by AML entries and franchises.
 * ------------------------------------------------------------------ */

static const struct ecms__col mfr_cols[] = { { "name", 't' } };

static int
mfr_get(ecms *h, const char *name, json_t **out)
{
	int rc = ecms__select_one(h, "SELECT name FROM manufacturers WHERE name = ?", name,
				  mfr_cols, 1, out);
	json_t *parts;

	if (rc)
		return rc;
	rc = ecms__select_all(h,
			      "SELECT DISTINCT ipn FROM part_aml WHERE manufacturer = ? "
			      "ORDER BY ipn",
			      name, (const struct ecms__col[]){ { "ipn", 't' } }, 1, &parts);
	if (rc == ECMS_OK)
		json_object_set_new(*out, "parts", parts);
	return rc;
}

static int
mfr_list(ecms *h, const char *filter, json_t **out)
{
	return ecms__select_all(h, "SELECT name FROM manufacturers ORDER BY name", NULL, mfr_cols,
				1, out);
}

const struct ecms__mdkind ecms__md_manufacturer = { "manufacturer", mfr_get, mfr_list };
