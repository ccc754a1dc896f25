/*
 * report_zip.c: the traceability package of a work order: every board's
 * certificate, the order summary, every CoC document referenced, the
 * genealogy CSV and a JSON manifest with the SHA-256 of every file; as a
 * ZIP written here on zlib (raw deflate, CRC-32; no ZIP64, so at most
 * 65535 files and 4 GiB), or as one PDF.
 *
 * Entries carry the generation time as their DOS time and no extra
 * fields, so the same data gives the same bytes.
 */
#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "document.h"
#include "ecms/receiving.h"
#include "master.h"
#include "report_int.h"

#define ZIP_MAX_FILES 65535

struct zentry {
	char *name;
	uint32_t crc, csize, usize, offset;
	uint16_t method;
};

struct zip {
	ecms *h;
	ecms_buf b;
	struct zentry *e;
	size_t n, cap;
	uint16_t dtime, ddate;
	json_t *files; /* manifest entries */
};

static int
put16(ecms_buf *b, unsigned v)
{
	unsigned char c[2] = { (unsigned char)(v & 0xff), (unsigned char)((v >> 8) & 0xff) };

	return ecms__buf_add(b, c, 2);
}

static int
put32(ecms_buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)(v & 0xff), (unsigned char)((v >> 8) & 0xff),
			       (unsigned char)((v >> 16) & 0xff), (unsigned char)(v >> 24) };

	return ecms__buf_add(b, c, 4);
}

static void
dos_time(int64_t ms, uint16_t *t, uint16_t *d)
{
	int64_t days = ms / 86400000, s = (ms / 1000) % 86400, y;
	unsigned m, dd;

	if (ms < 0)
		days = 0, s = 0;
	ecms__civil_from_days(days, &y, &m, &dd);
	if (y < 1980)
		y = 1980, m = 1, dd = 1;
	*d = (uint16_t)(((y - 1980) << 9) | (m << 5) | dd);
	*t = (uint16_t)(((s / 3600) << 11) | (((s / 60) % 60) << 5) | ((s % 60) / 2));
}

/* Add one file: deflated when that is smaller. */
static int
zip_add(struct zip *z, const char *name, const void *data, size_t len)
{
	struct zentry *e;
	unsigned char *def = NULL;
	uLong bound;
	size_t clen = len;
	z_stream zs;
	char sha[65];
	int rc, zr;

	if (z->n >= ZIP_MAX_FILES || len > UINT32_MAX / 2 || z->b.len > UINT32_MAX / 2)
		return ecms__ctxfail(z->h, ECMS_EINVAL, NULL,
				     "the package is too large for a ZIP without ZIP64");
	if (z->n == z->cap) {
		size_t nc = z->cap ? z->cap * 2 : 32;
		struct zentry *ne = ecms__realloc(z->e, nc * sizeof(*ne));
		if (ne == NULL)
			return ECMS_ENOMEM;
		z->e = ne;
		z->cap = nc;
	}
	e = &z->e[z->n];
	memset(e, 0, sizeof(*e));
	if ((e->name = ecms__strdup(name)) == NULL)
		return ECMS_ENOMEM;
	e->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), data, (uInt)len);
	e->usize = (uint32_t)len;
	e->offset = (uint32_t)z->b.len;
	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		ecms__free(e->name);
		return ECMS_ENOMEM;
	}
	bound = deflateBound(&zs, (uLong)len);
	def = ecms__malloc(bound + 1);
	if (def == NULL) {
		deflateEnd(&zs);
		ecms__free(e->name);
		return ECMS_ENOMEM;
	}
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = def;
	zs.avail_out = (uInt)bound;
	zr = deflate(&zs, Z_FINISH);
	deflateEnd(&zs);
	if (zr == Z_STREAM_END && zs.total_out < len) {
		e->method = 8;
		clen = zs.total_out;
	}
	e->csize = (uint32_t)clen;
	rc = put32(&z->b, 0x04034b50);
	rc = rc ? rc : put16(&z->b, 20);
	rc = rc ? rc : put16(&z->b, 0x0800); /* names are UTF-8 */
	rc = rc ? rc : put16(&z->b, e->method);
	rc = rc ? rc : put16(&z->b, z->dtime);
	rc = rc ? rc : put16(&z->b, z->ddate);
	rc = rc ? rc : put32(&z->b, e->crc);
	rc = rc ? rc : put32(&z->b, e->csize);
	rc = rc ? rc : put32(&z->b, e->usize);
	rc = rc ? rc : put16(&z->b, (unsigned)strlen(name));
	rc = rc ? rc : put16(&z->b, 0);
	rc = rc ? rc : ecms__buf_adds(&z->b, name);
	rc = rc ? rc : ecms__buf_add(&z->b, e->method == 8 ? (const void *)def : data, clen);
	ecms__free(def);
	if (rc) {
		ecms__free(e->name);
		return ecms__ctxfail(z->h, rc == ECMS_EINVAL ? ECMS_EINVAL : ECMS_ENOMEM, NULL,
				     "the package is larger than %zu bytes", ECMS_REPORT_MAX_BYTES);
	}
	z->n++;
	if (z->files) {
		ecms__sha256_hex(data, len, sha);
		json_array_append_new(z->files, json_pack("{s:s,s:I,s:s}", "name", name, "size",
							  (json_int_t)len, "sha256", sha));
	}
	return ECMS_OK;
}

static int
zip_finish(struct zip *z)
{
	uint32_t cd = (uint32_t)z->b.len, cdsize;
	int rc = ECMS_OK;

	for (size_t i = 0; rc == ECMS_OK && i < z->n; i++) {
		const struct zentry *e = &z->e[i];
		rc = put32(&z->b, 0x02014b50);
		rc = rc ? rc : put16(&z->b, 0x0314); /* made by: Unix, 2.0 */
		rc = rc ? rc : put16(&z->b, 20);
		rc = rc ? rc : put16(&z->b, 0x0800);
		rc = rc ? rc : put16(&z->b, e->method);
		rc = rc ? rc : put16(&z->b, z->dtime);
		rc = rc ? rc : put16(&z->b, z->ddate);
		rc = rc ? rc : put32(&z->b, e->crc);
		rc = rc ? rc : put32(&z->b, e->csize);
		rc = rc ? rc : put32(&z->b, e->usize);
		rc = rc ? rc : put16(&z->b, (unsigned)strlen(e->name));
		rc = rc ? rc : put16(&z->b, 0);
		rc = rc ? rc : put16(&z->b, 0);
		rc = rc ? rc : put16(&z->b, 0);
		rc = rc ? rc : put16(&z->b, 0);
		rc = rc ? rc : put32(&z->b, (uint32_t)0100644 << 16); /* -rw-r--r-- */
		rc = rc ? rc : put32(&z->b, e->offset);
		rc = rc ? rc : ecms__buf_adds(&z->b, e->name);
	}
	cdsize = (uint32_t)z->b.len - cd;
	rc = rc ? rc : put32(&z->b, 0x06054b50);
	rc = rc ? rc : put16(&z->b, 0);
	rc = rc ? rc : put16(&z->b, 0);
	rc = rc ? rc : put16(&z->b, (unsigned)z->n);
	rc = rc ? rc : put16(&z->b, (unsigned)z->n);
	rc = rc ? rc : put32(&z->b, cdsize);
	rc = rc ? rc : put32(&z->b, cd);
	rc = rc ? rc : put16(&z->b, 0);
	return rc ? ecms__ctxfail(z->h, ECMS_ENOMEM, NULL, "out of memory for the package") : rc;
}

static void
zip_cleanup(struct zip *z)
{
	for (size_t i = 0; i < z->n; i++)
		ecms__free(z->e[i].name);
	ecms__free(z->e);
	ecms__buf_cleanup(&z->b);
	json_decref(z->files);
}

/* ------------------------------------------------------------------
 * The genealogy CSV
 * ------------------------------------------------------------------ */

static int
csv_field(ecms_buf *b, const char *s, bool last)
{
	int rc = ECMS_OK;

	if (s && strpbrk(s, ",\"\r\n")) {
		rc = ecms__buf_addc(b, '"');
		for (; rc == ECMS_OK && *s; s++)
			rc = *s == '"' ? ecms__buf_adds(b, "\"\"") : ecms__buf_addc(b, *s);
		rc = rc ? rc : ecms__buf_addc(b, '"');
	} else if (s) {
		rc = ecms__buf_adds(b, s);
	}
	return rc ? rc : ecms__buf_addc(b, last ? '\n' : ',');
}

static int
genealogy_csv(const json_t *boards, ecms_buf *b)
{
	static const char *const keys[] = { "refdes",       "uid", "ipn",       "mpn",
					    "manufacturer", "lot", "date_code", "supplier",
					    "po",           "coc" };
	size_t i, k, c;
	json_t *bd, *e;
	int rc;

	rc = ecms__buf_adds(b, "serial,work_order,refdes,uid,ipn,mpn,manufacturer,lot,date_code,"
			       "supplier,po,coc,ambiguous,candidates\n");
	json_array_foreach(boards, i, bd) {
		const json_t *hd = json_object_get(bd, "board");
		json_array_foreach(json_object_get(bd, "components"), k, e) {
			char cands[1024] = "";
			json_t *u;
			if (rc)
				return rc;
			rc = csv_field(b, json_string_value(json_object_get(hd, "serial")), false);
			rc = rc ? rc
				: csv_field(b, json_string_value(json_object_get(hd, "work_order")),
					    false);
			for (c = 0; rc == ECMS_OK && c < ECMS_ARRAY_LEN(keys); c++)
				rc = csv_field(b, json_string_value(json_object_get(e, keys[c])),
					       false);
			json_array_foreach(json_object_get(e, "candidates"), c, u) {
				size_t l = strlen(cands);
				snprintf(cands + l, sizeof(cands) - l, "%s%s (lot %s)",
					 c ? "; " : "",
					 json_string_value(json_object_get(u, "uid")),
					 json_is_string(json_object_get(u, "lot"))
						 ? json_string_value(json_object_get(u, "lot"))
						 : "?");
			}
			rc = rc ? rc
				: csv_field(b,
					    json_is_true(json_object_get(e, "ambiguous")) ? "yes"
											  : "no",
					    false);
			rc = rc ? rc : csv_field(b, cands, true);
		}
	}
	return rc;
}

/* ------------------------------------------------------------------
 * The package
 * ------------------------------------------------------------------ */

static int
add_json(struct zip *z, const char *name, json_t *j)
{
	unsigned char *data;
	size_t len;
	int rc = ecms__report_json_bytes(z->h, j, &data, &len);

	if (rc == ECMS_OK) {
		rc = zip_add(z, name, data, len);
		ecms__free(data);
	}
	return rc;
}

int
ecms_report_order(ecms *h, const char *wo, enum ecms_report_fmt fmt, ecms_report_progress progress,
		  void *arg, unsigned char **out, size_t *len)
{
	json_t *serials = NULL, *boards = json_array(), *summary = NULL, *cocs = json_object(), *s;
	struct zip z;
	size_t i, total;
	char name[400];
	int rc;

	*out = NULL;
	*len = 0;
	memset(&z, 0, sizeof(z));
	z.h = h;
	ecms__buf_init(&z.b, ECMS_REPORT_MAX_BYTES);
	if (fmt != ECMS_REPORT_ZIP && fmt != ECMS_REPORT_PDF) {
		rc = ecms__ctxfail(h, ECMS_EUSAGE, "format", "an order package is pdf or zip");
		goto out;
	}
	if (wo == NULL || *wo == '\0') {
		rc = ecms__ctxfail(h, ECMS_EUSAGE, NULL, "an order package needs a work order");
		goto out;
	}
	if ((rc = ecms__report_order_boards(h, wo, &serials)))
		goto out;
	total = json_array_size(serials) + 2;
	json_array_foreach(serials, i, s) {
		json_t *b = NULL;
		if ((rc = ecms_report_board_json(h, json_string_value(s), &b)))
			goto out;
		json_array_append_new(boards, b);
		if (progress)
			progress(arg, i + 1, total);
	}
	if ((rc = ecms__report_order_summary(h, wo, boards, &summary)))
		goto out;
	if (fmt == ECMS_REPORT_PDF) {
		rc = ecms__report_pdf(h, ECMS__PDF_ORDER, summary, boards, out, len);
		if (rc == ECMS_OK && progress)
			progress(arg, total, total);
		goto out;
	}
	dos_time(ecms_now(h), &z.dtime, &z.ddate);
	z.files = json_array();
	{
		unsigned char *pdf;
		size_t plen;
		if ((rc = ecms__report_pdf(h, ECMS__PDF_SUMMARY, summary, boards, &pdf, &plen)))
			goto out;
		rc = zip_add(&z, "summary.pdf", pdf, plen);
		ecms__free(pdf);
		if (rc == ECMS_OK)
			rc = add_json(&z, "summary.json", summary);
		if (rc)
			goto out;
	}
	json_array_foreach(boards, i, s) {
		const char *sn =
			json_string_value(json_object_get(json_object_get(s, "board"), "serial"));
		unsigned char *pdf;
		size_t plen, k;
		json_t *c;
		if ((rc = ecms__report_pdf(h, ECMS__PDF_BOARD, s, NULL, &pdf, &plen)))
			goto out;
		snprintf(name, sizeof(name), "boards/%s.pdf", sn);
		rc = zip_add(&z, name, pdf, plen);
		ecms__free(pdf);
		snprintf(name, sizeof(name), "boards/%s.json", sn);
		if (rc == ECMS_OK)
			rc = add_json(&z, name, s);
		if (rc)
			goto out;
		json_array_foreach(json_object_get(s, "components"), k, c)
			if (json_is_string(json_object_get(c, "coc")))
				json_object_set_new(cocs,
						    json_string_value(json_object_get(c, "coc")),
						    json_true());
	}
	if (progress)
		progress(arg, total - 1, total);
	{
		/* Every CoC referenced, as stored (sorted by ID). */
		const char *id;
		json_t *v, *ids = json_array();
		json_object_foreach(cocs, id, v)
			json_array_append_new(ids, json_string(id));
		for (size_t x = 1; x < json_array_size(ids); x++)
			for (size_t y = x;
			     y > 0 && strcmp(json_string_value(json_array_get(ids, y - 1)),
					     json_string_value(json_array_get(ids, y))) > 0;
			     y--) {
				json_t *t = json_incref(json_array_get(ids, y - 1));
				json_array_set(ids, y - 1, json_array_get(ids, y));
				json_array_set_new(ids, y, t);
			}
		json_array_foreach(ids, i, v) {
			json_t *c = NULL;
			void *data;
			size_t dlen;
			if ((rc = ecms_coc_get(h, json_string_value(v), &c)))
				break;
			rc = ecms__doc_get(h, json_string_value(json_object_get(c, "sha256")),
					   &data, &dlen);
			if (rc == ECMS_OK) {
				snprintf(name, sizeof(name), "cocs/%s-%s", json_string_value(v),
					 json_string_value(json_object_get(c, "file")));
				rc = zip_add(&z, name, data, dlen);
				ecms__free(data);
			}
			json_decref(c);
			if (rc)
				break;
		}
		json_decref(ids);
		if (rc)
			goto out;
	}
	{
		ecms_buf csv;
		ecms__buf_init(&csv, ECMS_REPORT_MAX_BYTES);
		rc = genealogy_csv(boards, &csv);
		if (rc == ECMS_OK)
			rc = zip_add(&z, "genealogy.csv", csv.data ? csv.data : "", csv.len);
		ecms__buf_cleanup(&csv);
		if (rc)
			goto out;
	}
	{
		json_t *man = json_pack("{s:s,s:s,s:O,s:O,s:s,s:O}", "package",
					"ecms traceability package", "work_order", wo, "generated",
					json_object_get(summary, "generated"), "log",
					json_object_get(summary, "log"), "note",
					"SHA-256 of every other file of this ZIP; this manifest "
					"is not listed in itself",
					"files", z.files);
		json_t *files = z.files;
		z.files = NULL; /* the manifest itself is not listed */
		rc = man ? add_json(&z, "manifest.json", man) : ECMS_ENOMEM;
		json_decref(man);
		json_decref(files);
		if (rc)
			goto out;
	}
	if ((rc = zip_finish(&z)))
		goto out;
	*len = z.b.len;
	*out = (unsigned char *)ecms__buf_take(&z.b);
	if (*out == NULL)
		rc = ECMS_ENOMEM;
	if (rc == ECMS_OK && progress)
		progress(arg, total, total);
out:
	if (rc) {
		ecms_free(*out);
		*out = NULL;
		*len = 0;
	}
	zip_cleanup(&z);
	json_decref(serials);
	json_decref(boards);
	json_decref(summary);
	json_decref(cocs);
	return rc;
}
