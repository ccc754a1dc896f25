/*
 * coc.c: certificates of conformance: metadata plus the document itself,
 * stored by its SHA-256 so the same file is kept once and any change to
 * it is detectable.
 */
#include <stdio.h>
#include <string.h>

#include "document.h"
#include "ecms/receiving.h"
#include "event.h"
#include "master.h"

#define COC_MAX_BYTES ((size_t)64 << 20)

static int
check_date(ecms *h, const char *field, const char *v)
{
	int64_t ms;

	if (v && (strlen(v) != 10 || ecms_time_parse(v, &ms, NULL) != ECMS_OK))
		return ecms__ctxfail(h, ECMS_EINVAL, field, "--%s: '%s' is not a date (YYYY-MM-DD)",
				     field, v);
	return ECMS_OK;
}

int
ecms_coc_add(ecms *h, const ecms_coc_new *c, char **id)
{
	char *data = NULL, sha[65], cid[32];
	const char *base;
	size_t len;
	int64_t one, n, seq;
	json_t *lots;
	int rc;

	*id = NULL;
	if (!c->supplier || !c->mpn || !c->issued || !c->path || c->nlots == 0)
		return ecms__ctxfail(
			h, ECMS_EUSAGE, NULL,
			"a CoC needs a supplier, an MPN, a lot, an issue date and a file");
	if ((rc = check_date(h, "issued", c->issued)) ||
	    (rc = check_date(h, "expires", c->expires)))
		return rc;
	if (c->expires && strcmp(c->expires, c->issued) < 0)
		return ecms__ctxfail(h, ECMS_EINVAL, "expires",
				     "--expires %s is before --issued %s", c->expires, c->issued);
	rc = ecms__query_int(h, &one, "SELECT 1 FROM suppliers WHERE id = ?", "t", c->supplier);
	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, "supplier", "no supplier '%s'", c->supplier);
	if (rc)
		return rc;
	if ((rc = ecms__read_file(c->path, COC_MAX_BYTES, &data, &len, &h->err)))
		return rc;
	if (len == 0) {
		ecms__free(data);
		return ecms__ctxfail(h, ECMS_EINVAL, "file", "%s is empty", c->path);
	}
	lots = json_array();
	for (size_t i = 0; i < c->nlots; i++)
		json_array_append_new(lots, json_string(c->lots[i]));
	base = strrchr(c->path, '/') ? strrchr(c->path, '/') + 1 : c->path;
	ecms__sha256_hex(data, len, sha);
	if ((rc = ecms__begin(h)))
		goto out;
	rc = ecms__query_int(h, &n,
			     "UPDATE counters SET value = value + 1 WHERE name = 'coc' "
			     "RETURNING value",
			     "");
	if (rc == ECMS_OK) {
		snprintf(cid, sizeof(cid), "COC-%06lld", (long long)n);
		rc = ecms__event(h, "coc.added",
				 json_pack("{s:s,s:s,s:s,s:O,s:s,s:s?,s:s,s:s,s:I}", "id", cid,
					   "supplier", c->supplier, "mpn", c->mpn, "lots", lots,
					   "issued", c->issued, "expires", c->expires, "sha256",
					   sha, "file", base, "size", (json_int_t)len),
				 &seq);
	}
	if (rc == ECMS_OK)
		rc = ecms__doc_put(h, base, data, len, seq, sha);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"INSERT INTO cocs (id, supplier, mpn, issued, expires, sha256, "
				"created_seq) VALUES (?, ?, ?, ?, ?, ?, ?)",
				"tttttti", cid, c->supplier, c->mpn, c->issued, c->expires, sha,
				seq);
	for (size_t i = 0; rc == ECMS_OK && i < c->nlots; i++) {
		rc = ecms__exec(h, "INSERT INTO coc_lots (coc, lot) VALUES (?, ?)", "tt", cid,
				c->lots[i]);
		if (rc == ECMS_EEXIST)
			rc = ecms__ctxfail(h, ECMS_EINVAL, "lot", "lot '%s' is given twice",
					   c->lots[i]);
	}
	rc = ecms__end(h, rc);
	if (rc == ECMS_OK && (*id = ecms__strdup(cid)) == NULL)
		rc = ECMS_ENOMEM;
out:
	json_decref(lots);
	ecms__free(data);
	return rc;
}

static const struct ecms__col coc_cols[] = { { "id", 't' },      { "supplier", 't' },
					     { "mpn", 't' },     { "issued", 't' },
					     { "expires", 't' }, { "sha256", 't' },
					     { "file", 't' },    { "size", 'i' } };
#define COC_SELECT                                                                                 \
	"SELECT c.id, c.supplier, c.mpn, c.issued, c.expires, c.sha256, d.name, d.size "           \
	"FROM cocs c JOIN documents d ON d.sha256 = c.sha256 "

static int
add_lots(ecms *h, json_t *coc)
{
	json_t *rows, *lots = json_array(), *e;
	size_t i;
	int rc = ecms__select_all(h, "SELECT lot FROM coc_lots WHERE coc = ? ORDER BY lot",
				  ecms__rs(coc, "id"), (const struct ecms__col[]){ { "lot", 't' } },
				  1, &rows);

	if (rc) {
		json_decref(lots);
		return rc;
	}
	json_array_foreach(rows, i, e)
		json_array_append(lots, json_object_get(e, "lot"));
	json_decref(rows);
	json_object_set_new(coc, "lots", lots);
	return ECMS_OK;
}

int
ecms_coc_get(ecms *h, const char *id, json_t **out)
{
	void *data;
	size_t len;
	char sha[65];
	int rc;

	rc = ecms__select_one(h, COC_SELECT "WHERE c.id = ?", id, coc_cols,
			      (int)ECMS_ARRAY_LEN(coc_cols), out);
	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, "coc", "no CoC '%s'", id);
	if (rc == ECMS_OK)
		rc = add_lots(h, *out);
	if (rc == ECMS_OK)
		rc = ecms__doc_get(h, ecms__rs(*out, "sha256"), &data, &len);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return rc;
	}
	ecms__sha256_hex(data, len, sha);
	json_object_set_new(*out, "document_verified",
			    json_boolean(strcmp(sha, ecms__rs(*out, "sha256")) == 0));
	ecms__free(data);
	return ECMS_OK;
}

int
ecms_coc_list(ecms *h, const char *mpn, json_t **out)
{
	json_t *e;
	size_t i;
	int rc = mpn ? ecms__select_all(h, COC_SELECT "WHERE c.mpn = ? ORDER BY c.id", mpn,
					coc_cols, (int)ECMS_ARRAY_LEN(coc_cols), out)
		     : ecms__select_all(h, COC_SELECT "ORDER BY c.id", NULL, coc_cols,
					(int)ECMS_ARRAY_LEN(coc_cols), out);

	json_array_foreach(rc ? NULL : *out, i, e)
		if (rc == ECMS_OK)
			rc = add_lots(h, e);
	return rc;
}

int
ecms_coc_export(ecms *h, const char *id, const char *path)
{
	json_t *c;
	void *data;
	size_t len;
	FILE *f;
	int rc;

	if ((rc = ecms_coc_get(h, id, &c)))
		return rc;
	if (!json_is_true(json_object_get(c, "document_verified"))) {
		rc = ecms__ctxfail(h, ECMS_ETAMPER, "coc",
				   "%s: the stored document does not match its SHA-256 %s: it was "
				   "altered after it was stored; nothing written",
				   id, ecms__rs(c, "sha256"));
		json_decref(c);
		return rc;
	}
	rc = ecms__doc_get(h, ecms__rs(c, "sha256"), &data, &len);
	json_decref(c);
	if (rc)
		return rc;
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len) {
		if (f)
			fclose(f);
		ecms__free(data);
		return ecms__ctxfail(h, ECMS_EIO, NULL, "%s: cannot write", path);
	}
	ecms__free(data);
	return fclose(f) == 0 ? ECMS_OK
			      : ecms__ctxfail(h, ECMS_EIO, NULL, "%s: cannot write", path);
}
