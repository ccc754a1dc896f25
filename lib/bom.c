/*
 * bom.c: products and their bills of materials, read from KiCad and
 * Altium CSV exports.
 *
 * Columns are found by header name (several spellings each); unknown
 * columns are ignored, because every EDA export carries its own extras.
 * Each reference designator becomes one row (bom_refdes), so "every
 * refdes placed once" and "which part goes at C12" are simple lookups.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "document.h"
#include "ecms/production.h"
#include "event.h"
#include "master.h"

#define BOM_MAX_BYTES ((size_t)64 << 20)
#define BOM_MAX_RANGE 10000 /* C1-C99999 is a typo, not a board */

enum bcol { B_REFDES, B_VALUE, B_FOOTPRINT, B_QTY, B_MPN, B_MFR, B_IPN, B_ALT, B_DNP, B_N };

static const char *const bcol_names[B_N][8] = {
	[B_REFDES] = { "reference", "references", "designator", "designators", "ref", "refdes",
		       NULL },
	[B_VALUE] = { "value", "comment", NULL },
	[B_FOOTPRINT] = { "footprint", "package", "pattern", NULL },
	[B_QTY] = { "quantity", "qty", "qnty", NULL },
	[B_MPN] = { "mpn", "manufacturer part number", "manufacturer_part_number",
		    "manufacturer part", "mfr. part #", "mfr part number", NULL },
	[B_MFR] = { "manufacturer", "mfr", "manufacturer name", "manufacturer 1", NULL },
	[B_IPN] = { "ipn", "internal part number", "part number", NULL },
	[B_ALT] = { "alternates", "alternate", "alt", NULL },
	[B_DNP] = { "dnp", "do not place", "fitted", "populate", NULL },
};

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '"')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '"' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* Split "C1, C2 C5-C7;R3" into designators, expanding ranges (master.h). */
bool
ecms__refdes_expand(const char *text, json_t *out, char *why, size_t n)
{
	char tok[64];
	const char *p = text;

	while (*p) {
		size_t l = 0;
		while (*p == ',' || *p == ' ' || *p == ';' || *p == '\t')
			p++;
		while (*p && *p != ',' && *p != ' ' && *p != ';' && *p != '\t' &&
		       l + 1 < sizeof(tok))
			tok[l++] = *p++;
		tok[l] = '\0';
		if (l == 0)
			continue;
		{
			char *dash = strchr(tok, '-');
			size_t pre = 0;
			while (isalpha((unsigned char)tok[pre]))
				pre++;
			if (pre == 0 || !isdigit((unsigned char)tok[pre])) {
				snprintf(why, n, "'%s' is not a reference designator (e.g. C12)",
					 tok);
				return false;
			}
			if (dash) {
				/* A range C1-C4 (or C1-4): same prefix, ascending. */
				char *b = dash + 1, *end;
				long lo, hi;
				*dash = '\0';
				if (strncmp(b, tok, pre) == 0)
					b += pre;
				lo = strtol(tok + pre, &end, 10);
				if (*end) {
					snprintf(why, n, "'%s-%s' is not a range like C1-C4", tok,
						 dash + 1);
					return false;
				}
				hi = strtol(b, &end, 10);
				/* Digits only on both sides (no sign), numbers of at
				 * most 6 digits, so neither hi - lo nor the loop can
				 * overflow. */
				if (*end || !isdigit((unsigned char)*b) ||
				    !isdigit((unsigned char)tok[pre]) || lo < 0 || hi > 999999 ||
				    hi < lo || hi - lo >= BOM_MAX_RANGE) {
					snprintf(why, n, "'%s-%s' is not a range like C1-C4", tok,
						 dash + 1);
					return false;
				}
				for (long i = lo; i <= hi; i++) {
					char d[80];
					snprintf(d, sizeof(d), "%.*s%ld", (int)pre, tok, i);
					json_array_append_new(out, json_string(d));
				}
			} else {
				for (size_t i = pre; tok[i]; i++)
					if (!isalnum((unsigned char)tok[i]) && tok[i] != '_' &&
					    tok[i] != '.') {
						snprintf(why, n,
							 "'%s' is not a reference designator "
							 "(e.g. C12)",
							 tok);
						return false;
					}
				json_array_append_new(out, json_string(tok));
			}
		}
	}
	return true;
}

static bool
dnp_value(const char *v, bool fitted_col)
{
	if (fitted_col)
		return ecms__streq_nocase(v, "not fitted") || ecms__streq_nocase(v, "no") ||
		       ecms__streq_nocase(v, "0");
	return ecms__streq_nocase(v, "dnp") || ecms__streq_nocase(v, "yes") ||
	       ecms__streq_nocase(v, "x") || ecms__streq_nocase(v, "1") ||
	       ecms__streq_nocase(v, "true");
}

/* The IPN for an IPN or MPN cell: the part itself, or the one part whose
 * AML lists the MPN. NULL with a reason otherwise. */
static char *
resolve_part(ecms *h, const char *ipn, const char *mpn, char *why, size_t n)
{
	int64_t one, cnt = 0;
	ecms__stmt *st;
	char *out = NULL;

	if (ipn && *ipn) {
		if (ecms__query_int(h, &one, "SELECT 1 FROM parts WHERE ipn = ?", "t", ipn) ==
		    ECMS_OK)
			return ecms__strdup(ipn);
		/* Some exports put the IPN in a "Part Number" column that is an
		 * MPN: try it as one. */
		if (!mpn || !*mpn)
			mpn = ipn;
	}
	if (!mpn || !*mpn) {
		snprintf(why, n, "has neither an IPN nor an MPN to find the part by");
		return NULL;
	}
	if (ecms__q(h, &st, "SELECT DISTINCT ipn FROM part_aml WHERE mpn = ? ORDER BY ipn", "t",
		    mpn) != ECMS_OK)
		return NULL;
	while (ecms__step(h, st) == ECMS__ROW)
		if (cnt++ == 0)
			out = ecms__strdup(ecms__col_text(st, 0));
	ecms__done(h, st);
	if (cnt == 1)
		return out;
	ecms__free(out);
	if (cnt == 0)
		snprintf(why, n, "MPN '%s' is on no part's approved manufacturer list", mpn);
	else
		snprintf(why, n, "MPN '%s' is approved for %lld parts: give the IPN", mpn,
			 (long long)cnt);
	return NULL;
}

struct bline {
	int line;
	char *ipn;
	json_t *refdes, *alts;
	const char *value, *footprint;
};

int
ecms_bom_import(ecms *h, const char *product, const char *rev, const char *path,
		ecms_import_report *rep)
{
	struct ecms__errlist errs;
	struct ecms__csv *c = NULL;
	struct bline *lines = NULL;
	int col[B_N], nl = 0, rc;
	char *text = NULL, sha[65], sep = ',';
	size_t len;
	int64_t inuse = 0, seq;
	json_t *seen = json_object(), *payload = NULL;

	memset(rep, 0, sizeof(*rep));
	ecms__errlist_init(&errs);
	if (!product || !*product || !rev || !*rev) {
		rc = ecms__ctxfail(h, ECMS_EUSAGE, "product", "a BOM needs --product and --rev");
		goto out;
	}
	if ((rc = ecms__read_file(path, BOM_MAX_BYTES, &text, &len, &h->err)))
		goto out;
	{
		const char *nlp = memchr(text, '\n', len);
		size_t hl = nlp ? (size_t)(nlp - text) : len, commas = 0, semis = 0, tabs = 0;
		for (size_t i = 0; i < hl; i++)
			commas += text[i] == ',', semis += text[i] == ';', tabs += text[i] == '\t';
		sep = tabs > commas && tabs > semis ? '\t' : semis > commas ? ';' : ',';
	}
	if ((rc = ecms__csv_parse(text, len, path, sep, &c, &h->err)))
		goto out;
	ecms__sha256_hex(text, len, sha);
	for (int k = 0; k < B_N; k++) {
		col[k] = -1;
		for (int j = 0; j < c->rows[0].ncols && col[k] < 0; j++) {
			char *hname = trim(c->rows[0].cols[j]);
			for (int a = 0; bcol_names[k][a]; a++)
				if (ecms__streq_nocase(hname, bcol_names[k][a]))
					col[k] = j;
		}
	}
	if (col[B_REFDES] < 0)
		ecms__errlist_add(&errs, 1,
				  "%s:1: no reference designator column (Reference or "
				  "Designator)",
				  path);
	if (col[B_IPN] < 0 && col[B_MPN] < 0)
		ecms__errlist_add(&errs, 1, "%s:1: no IPN or MPN column to find the parts by",
				  path);
	if (errs.n) {
		rc = ECMS_EINVAL;
		goto out;
	}
	lines = ecms__calloc((size_t)c->nrows, sizeof(*lines));
	if (lines == NULL) {
		rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (int i = 1; i < c->nrows; i++) {
		struct ecms__csv_row *r = &c->rows[i];
		struct bline *b = &lines[nl];
		char why[300];
		const char *v;
		size_t k;
		json_t *d;

#define CELL(k) (col[k] >= 0 ? trim(r->cols[col[k]]) : "")
		if (col[B_DNP] >= 0 && *CELL(B_DNP) &&
		    dnp_value(CELL(B_DNP),
			      ecms__streq_nocase(c->rows[0].cols[col[B_DNP]], "fitted")))
			continue;
		b->line = r->line;
		b->refdes = json_array();
		b->alts = json_array();
		b->value = CELL(B_VALUE);
		b->footprint = CELL(B_FOOTPRINT);
		nl++;
		if (!*CELL(B_REFDES)) {
			ecms__errlist_add(&errs, r->line,
					  "%s:%d: column '%s': no reference designators", path,
					  r->line, c->rows[0].cols[col[B_REFDES]]);
			continue;
		}
		if (!ecms__refdes_expand(CELL(B_REFDES), b->refdes, why, sizeof(why))) {
			ecms__errlist_add(&errs, r->line, "%s:%d: column '%s': %s", path, r->line,
					  c->rows[0].cols[col[B_REFDES]], why);
			continue;
		}
		v = CELL(B_QTY);
		if (*v) {
			int64_t q;
			if (!ecms__parse_i64(v, 0, 1000000, &q))
				ecms__errlist_add(&errs, r->line,
						  "%s:%d: column '%s': '%s' is not a quantity",
						  path, r->line, c->rows[0].cols[col[B_QTY]], v);
			else if (q != (int64_t)json_array_size(b->refdes))
				ecms__errlist_add(&errs, r->line,
						  "%s:%d: column '%s': %lld, but %zu reference "
						  "designators are listed",
						  path, r->line, c->rows[0].cols[col[B_QTY]],
						  (long long)q, json_array_size(b->refdes));
		}
		json_array_foreach(b->refdes, k, d) {
			json_t *first = json_object_get(seen, json_string_value(d));
			if (first)
				ecms__errlist_add(&errs, r->line,
						  "%s:%d: %s is listed again (first on line %lld)",
						  path, r->line, json_string_value(d),
						  (long long)json_integer_value(first));
			else
				json_object_set_new(seen, json_string_value(d),
						    json_integer(r->line));
		}
		b->ipn = resolve_part(h, CELL(B_IPN), CELL(B_MPN), why, sizeof(why));
		if (b->ipn == NULL)
			ecms__errlist_add(&errs, r->line, "%s:%d: %s", path, r->line, why);
		if (*CELL(B_ALT)) {
			char *copy = ecms__strdup(CELL(B_ALT)), *p = copy;
			while (p && *p) {
				char *nx = strchr(p, ';'), *alt;
				if (nx)
					*nx++ = '\0';
				p = trim(p);
				if (*p) {
					alt = resolve_part(h, p, p, why, sizeof(why));
					if (alt)
						json_array_append_new(b->alts, json_string(alt));
					else
						ecms__errlist_add(
							&errs, r->line,
							"%s:%d: column 'Alternates': '%s': %s",
							path, r->line, p, why);
					ecms__free(alt);
				}
				p = nx;
			}
			ecms__free(copy);
		}
#undef CELL
	}
	if (nl == 0 && errs.n == 0)
		ecms__errlist_add(&errs, 0, "%s: no BOM lines to place", path);
	if (errs.n == 0) {
		rc = ecms__query_int(
			h, &inuse, "SELECT COUNT(*) FROM work_orders WHERE product = ? AND rev = ?",
			"tt", product, rev);
		if (rc)
			goto out;
		if (inuse) {
			rc = ecms__ctxfail(h, ECMS_EREFUSED, "rev",
					   "%s rev %s is used by %lld work order(s): import the "
					   "changed BOM as a new revision",
					   product, rev, (long long)inuse);
			goto out;
		}
	}
	if (errs.n) {
		rc = ECMS_EINVAL;
		goto out;
	}
	/* Write: the product, one row per refdes, the alternates, one event. */
	payload = json_pack("{s:s,s:s,s:s,s:s,s:i,s:[]}", "product", product, "rev", rev, "file",
			    path, "sha256", sha, "refdes_count", (int)json_object_size(seen),
			    "lines");
	for (int i = 0; i < nl; i++)
		json_array_append_new(json_object_get(payload, "lines"),
				      json_pack("{s:i,s:s,s:O,s:O}", "line", lines[i].line, "ipn",
						lines[i].ipn, "refdes", lines[i].refdes,
						"alternates", lines[i].alts));
	if ((rc = ecms__begin(h)))
		goto out;
	rc = ecms__event(h, "bom.imported", json_incref(payload), &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h, "DELETE FROM bom_refdes WHERE product = ? AND rev = ?", "tt",
				product, rev);
	if (rc == ECMS_OK)
		rc = ecms__exec(h, "DELETE FROM bom_alternates WHERE product = ? AND rev = ?", "tt",
				product, rev);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"INSERT INTO products (product, rev, source, refdes_count, "
				"updated_seq) VALUES (?, ?, ?, ?, ?) ON CONFLICT (product, rev) DO "
				"UPDATE SET source = excluded.source, refdes_count = "
				"excluded.refdes_count, updated_seq = excluded.updated_seq",
				"tttii", product, rev, sha, (int64_t)json_object_size(seen), seq);
	for (int i = 0; rc == ECMS_OK && i < nl; i++) {
		size_t k;
		json_t *d;
		json_array_foreach(lines[i].refdes, k, d) {
			if (rc)
				break;
			rc = ecms__exec(
				h,
				"INSERT INTO bom_refdes (product, rev, refdes, ipn, line, value, "
				"footprint) VALUES (?, ?, ?, ?, ?, ?, ?)",
				"ttttitt", product, rev, json_string_value(d), lines[i].ipn,
				(int64_t)lines[i].line, *lines[i].value ? lines[i].value : NULL,
				*lines[i].footprint ? lines[i].footprint : NULL);
		}
		json_array_foreach(lines[i].alts, k, d) {
			if (rc)
				break;
			rc = ecms__exec(
				h,
				"INSERT INTO bom_alternates (product, rev, ipn, alt_ipn) VALUES "
				"(?, ?, ?, ?) ON CONFLICT (product, rev, ipn, alt_ipn) DO NOTHING",
				"tttt", product, rev, lines[i].ipn, json_string_value(d));
		}
	}
	rc = ecms__end(h, rc);
	if (rc == ECMS_OK) {
		rep->records = nl;
		rep->created = (int)json_object_size(seen);
	}
out:
	if (errs.n) {
		rep->nerrors = errs.n;
		rep->errors = ecms__errlist_take(&errs);
		ecms__ctxfail(h, ECMS_EINVAL, NULL, "%s: %d error%s, nothing imported", path,
			      errs.n, errs.n == 1 ? "" : "s");
	}
	ecms__errlist_cleanup(&errs);
	for (int i = 0; lines && i < nl; i++) {
		ecms__free(lines[i].ipn);
		json_decref(lines[i].refdes);
		json_decref(lines[i].alts);
	}
	ecms__free(lines);
	json_decref(payload);
	json_decref(seen);
	ecms__csv_free(c);
	ecms__free(text);
	return rc;
}

int
ecms_bom_get(ecms *h, const char *product, const char *rev, json_t **out)
{
	ecms__stmt *st;
	json_t *lines = json_object(), *arr, *v;
	const char *k;
	int64_t count;
	int rc;

	*out = NULL;
	rc = ecms__query_int(h, &count,
			     "SELECT refdes_count FROM products WHERE product = ? AND rev = ?",
			     "tt", product, rev);
	if (rc == ECMS_ENOTFOUND)
		rc = ecms__ctxfail(h, rc, "product", "no BOM for %s rev %s", product, rev);
	if (rc)
		goto fail;
	rc = ecms__q(h, &st,
		     "SELECT ipn, refdes FROM bom_refdes WHERE product = ? AND rev = ? "
		     "ORDER BY ipn, line, refdes",
		     "tt", product, rev);
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		const char *ipn = ecms__col_text(st, 0);
		json_t *l = json_object_get(lines, ipn);
		if (l == NULL) {
			l = json_pack("{s:s,s:i,s:[],s:[]}", "ipn", ipn, "qty", 0, "refdes",
				      "alternates");
			json_object_set_new(lines, ipn, l);
		}
		json_object_set_new(l, "qty", json_integer(ecms__ri(l, "qty") + 1));
		json_array_append_new(json_object_get(l, "refdes"),
				      json_string(ecms__col_text(st, 1)));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE && rc != ECMS_OK)
		goto fail;
	rc = ecms__q(h, &st,
		     "SELECT ipn, alt_ipn FROM bom_alternates WHERE product = ? AND rev = ? "
		     "ORDER BY ipn, alt_ipn",
		     "tt", product, rev);
	while (rc == ECMS_OK && (rc = ecms__step(h, st)) == ECMS__ROW) {
		json_t *l = json_object_get(lines, ecms__col_text(st, 0));
		if (l)
			json_array_append_new(json_object_get(l, "alternates"),
					      json_string(ecms__col_text(st, 1)));
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE && rc != ECMS_OK)
		goto fail;
	arr = json_array();
	json_object_foreach(lines, k, v)
		json_array_append(arr, v);
	*out = json_pack("{s:s,s:s,s:I,s:o}", "product", product, "rev", rev, "refdes_count",
			 (json_int_t)count, "lines", arr);
	json_decref(lines);
	return ECMS_OK;
fail:
	json_decref(lines);
	return rc;
}
