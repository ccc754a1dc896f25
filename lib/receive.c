/*
 * receive.c: receiving one package against its purchase order and the
 * inspection rules (rules.c). Everything is checked before anything is
 * written; the package, its findings, the PO line's received quantity and
 * the package.received event then commit together.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "document.h"
#include "ecms/label.h"
#include "ecms/receiving.h"
#include "ecms/station.h"
#include "ecms/uid.h"
#include "event.h"
#include "master.h"
#include "rules.h"

/* What the rules look at. Strings point into the label or the JSON. */
struct recv {
	ecms *h;
	const ecms_receive_req *req;
	struct ecms__ruleset rs;
	ecms_label *label;
	int64_t now;
	json_t *po;       /* purchase_orders row */
	json_t *supplier; /* ecms_md_get("supplier") */
	json_t *line;     /* the matched po_lines row, or NULL */
	json_t *part;     /* ecms_md_get("part"), or NULL */
	const char *ipn, *mfr, *lot, *dc, *coc;
	char *coc_found; /* a CoC on file, when none was named */
	int64_t dc_ms;
	bool has_dc, broker, refused;
	json_t *findings; /* [{rule, severity, signal, message}] */
	char refusal[ECMS_ERRMSG_MAX];
};

static void finding(struct recv *r, const char *rule, const char *fmt, ...) ECMS_PRINTF(3, 4);

static void
finding(struct recv *r, const char *rule, const char *fmt, ...)
{
	const struct ecms__rule *ru = ecms__rule(&r->rs, rule);
	char msg[512];
	va_list ap;

	if (ru == NULL || !ru->enabled)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ru->severity == ECMS_SEV_REFUSE && !r->refused) {
		r->refused = true;
		snprintf(r->refusal, sizeof(r->refusal), "%s: %s", rule, msg);
	}
	json_array_append_new(r->findings, json_pack("{s:s,s:s,s:b,s:s}", "rule", rule, "severity",
						     ecms__severity_name(ru->severity), "signal",
						     ru->signal, "message", msg));
}

/* "N/T", "n/t", "NT", empty: not traceable, i.e. missing. */
static bool
not_traceable(const char *v)
{
	return v == NULL || *v == '\0' || ecms__streq_nocase(v, "N/T") ||
	       ecms__streq_nocase(v, "NT") || ecms__streq_nocase(v, "N/A");
}

/* Lower-case alphanumerics only, for loose manufacturer comparison. */
static void
squash(const char *s, char *out, size_t n)
{
	size_t j = 0;

	for (; *s && j + 1 < n; s++)
		if (isalnum((unsigned char)*s))
			out[j++] = (char)tolower((unsigned char)*s);
	out[j] = '\0';
}

/* The initials of a name's words ("Texas Instruments" → "ti"). */
static void
initials(const char *s, char *out, size_t n)
{
	size_t j = 0;
	bool start = true;

	for (; *s && j + 1 < n; s++) {
		if (isalnum((unsigned char)*s)) {
			if (start)
				out[j++] = (char)tolower((unsigned char)*s);
			start = false;
		} else {
			start = true;
		}
	}
	out[j] = '\0';
}

/* Loose equality of manufacturer names as labels print them: "TI" and
 * "Texas Instruments", "STMicro" and "STMicroelectronics", "EPCOS / TDK"
 * and "TDK". */
static bool
same_manufacturer(const char *a, const char *b)
{
	char sa[128], sb[128], ia[32], ib[32];

	squash(a, sa, sizeof(sa));
	squash(b, sb, sizeof(sb));
	initials(a, ia, sizeof(ia));
	initials(b, ib, sizeof(ib));
	if (!*sa || !*sb)
		return false;
	return strstr(sa, sb) || strstr(sb, sa) || (strlen(ia) > 1 && !strcmp(ia, sb)) ||
	       (strlen(ib) > 1 && !strcmp(ib, sa));
}

static int
load_row(ecms *h, const char *sql, const char *p1, const struct ecms__col *cols, int n,
	 json_t **out)
{
	int rc = ecms__select_one(h, sql, p1, cols, n, out);

	return rc == ECMS_ENOTFOUND ? (*out = NULL, ECMS_OK) : rc;
}

static const struct ecms__col line_cols[] = {
	{ "line", 'i' },         { "ipn", 't' },           { "mpn", 't' },
	{ "supplier_pn", 't' },  { "manufacturer", 't' },  { "qty_ordered", 'i' },
	{ "qty_received", 'i' }, { "lot", 't' },           { "max_dc_age_months", 'i' },
	{ "coc_required", 'B' }, { "tolerance_pct", 'd' }, { "status", 't' },
};

/* Is mpn on the AML of ipn? */
static int
on_aml(ecms *h, const char *ipn, const char *mpn, bool *yes)
{
	int64_t one;
	int rc = ecms__query_int(h, &one, "SELECT 1 FROM part_aml WHERE ipn = ? AND mpn = ?", "tt",
				 ipn, mpn);

	*yes = rc == ECMS_OK;
	return rc == ECMS_ENOTFOUND ? ECMS_OK : rc;
}

/* Pick the PO line this package belongs to: one whose MPN (or whose
 * part's AML) or supplier part number matches the label, preferring the
 * line number the label names, then lines with quantity still open. */
static int
match_line(struct recv *r)
{
	const ecms_label *l = r->label;
	json_t *lines, *e, *best = NULL;
	int64_t want = 0;
	int best_score = -1, rc;
	size_t i;

	rc = ecms__select_all(r->h,
			      "SELECT line, ipn, mpn, supplier_pn, manufacturer, qty_ordered, "
			      "qty_received, lot, max_dc_age_months, coc_required, tolerance_pct, "
			      "status FROM po_lines WHERE po = ? ORDER BY line",
			      r->req->po, line_cols, (int)ECMS_ARRAY_LEN(line_cols), &lines);
	if (rc)
		return rc;
	if (l->po_line)
		(void)ecms__parse_i64(l->po_line, 1, 99999, &want);
	json_array_foreach(lines, i, e) {
		const char *mpn = ecms__rs(e, "mpn"), *spn = ecms__rs(e, "supplier_pn");
		const char *ipn = ecms__rs(e, "ipn");
		bool match = false;
		int score;
		if (l->mpn && mpn && strcmp(l->mpn, mpn) == 0)
			match = true;
		if (!match && l->mpn && ipn && (rc = on_aml(r->h, ipn, l->mpn, &match)))
			break;
		if (!match && l->supplier_pn && spn && strcmp(l->supplier_pn, spn) == 0)
			match = true;
		if (!match)
			continue;
		score = 1 + (ecms__ri(e, "qty_received") < ecms__ri(e, "qty_ordered") ? 2 : 0) +
			(want && ecms__ri(e, "line") == want ? 4 : 0);
		if (score > best_score) {
			best_score = score;
			best = e;
		}
	}
	if (rc == ECMS_OK && best)
		r->line = json_incref(best);
	json_decref(lines);
	return rc;
}

static int
check_po_and_part(struct recv *r)
{
	const ecms_label *l = r->label;
	const char *what = l->mpn ? l->mpn : l->supplier_pn;
	int rc;

	if ((rc = match_line(r)))
		return rc;
	if (r->line == NULL) {
		finding(r, "po.line", "%s %s is on no line of PO %s",
			l->mpn ? "MPN" : "part number", what ? what : "(none on the label)",
			r->req->po);
	} else if (ecms__ri(r->line, "qty_received") >= ecms__ri(r->line, "qty_ordered")) {
		finding(r, "po.line", "PO %s line %lld is already fully received", r->req->po,
			(long long)ecms__ri(r->line, "line"));
	}
	r->ipn = r->line ? ecms__rs(r->line, "ipn") : NULL;
	if (r->ipn == NULL && l->mpn) {
		/* Not on the PO: still identify the part if the MPN is approved
		 * for exactly one. */
		int64_t n = 0;
		rc = ecms__query_int(r->h, &n,
				     "SELECT COUNT(DISTINCT ipn) FROM part_aml WHERE mpn = ?", "t",
				     l->mpn);
		if (rc)
			return rc;
		if (n == 1) {
			json_t *row;
			rc = load_row(r->h, "SELECT ipn FROM part_aml WHERE mpn = ?", l->mpn,
				      (const struct ecms__col[]){ { "ipn", 't' } }, 1, &row);
			if (rc)
				return rc;
			if (row) {
				json_object_set_new(r->po, "_ipn",
						    json_incref(json_object_get(row, "ipn")));
				r->ipn = ecms__rs(r->po, "_ipn");
				json_decref(row);
			}
		}
	}
	if (r->ipn && (rc = ecms_md_get(r->h, "part", r->ipn, &r->part)))
		return rc;
	return ECMS_OK;
}

static void
check_manufacturer(struct recv *r)
{
	const ecms_label *l = r->label;
	const char *aml_mfr = NULL;
	json_t *e;
	size_t i;

	if (r->part && l->mpn) {
		json_array_foreach(json_object_get(r->part, "aml"), i, e) {
			if (strcmp(ecms__rs(e, "mpn"), l->mpn) == 0) {
				aml_mfr = ecms__rs(e, "manufacturer");
				break;
			}
		}
		if (aml_mfr == NULL)
			finding(r, "part.aml",
				"MPN %s is not on the approved manufacturer list of %s", l->mpn,
				r->ipn);
	}
	r->mfr = aml_mfr ? aml_mfr : l->manufacturer;
	if (r->line && ecms__rs(r->line, "manufacturer") && r->mfr &&
	    !same_manufacturer(ecms__rs(r->line, "manufacturer"), r->mfr))
		finding(r, "part.aml", "manufacturer %s differs from %s named on PO line %lld",
			r->mfr, ecms__rs(r->line, "manufacturer"),
			(long long)ecms__ri(r->line, "line"));
	if (l->manufacturer && aml_mfr && !same_manufacturer(l->manufacturer, aml_mfr))
		finding(r, "mpn.manufacturer",
			"the label says manufacturer %s, but %s is made by %s", l->manufacturer,
			l->mpn, aml_mfr);
}

static void
check_supplier(struct recv *r)
{
	const char *id = ecms__rs(r->supplier, "id");
	const char *status = ecms__rs(r->supplier, "status");
	const char *expiry = ecms__rs(r->supplier, "iso9001_expiry");
	json_t *fr = json_object_get(r->supplier, "franchises"), *e;
	char today[11];
	size_t i;
	bool covered;

	ecms_date_format(r->now, today);
	if (strcmp(status, "blocked") == 0)
		finding(r, "supplier.status", "supplier %s is blocked", id);
	else if (strcmp(status, "conditional") == 0) {
		const struct ecms__rule *ru = ecms__rule(&r->rs, "supplier.status");
		if (ru && ru->enabled)
			json_array_append_new(r->findings,
					      json_pack("{s:s,s:s,s:b,s:s}", "rule",
							"supplier.status", "severity", "warning",
							"signal", 0, "message",
							"supplier is only conditionally approved"));
	}
	if (expiry == NULL)
		finding(r, "supplier.iso9001", "supplier %s has no ISO 9001 certificate on file",
			id);
	else if (strcmp(expiry, today) < 0)
		finding(r, "supplier.iso9001", "the ISO 9001 certificate of %s expired on %s", id,
			expiry);
	covered = json_is_true(json_object_get(r->supplier, "authorised"));
	if (covered && json_array_size(fr) && r->mfr) {
		covered = false;
		json_array_foreach(fr, i, e)
			covered |= same_manufacturer(json_string_value(e), r->mfr);
	}
	if (!covered) {
		r->broker = true;
		finding(r, "supplier.authorised",
			"%s is not an authorised distributor%s%s (broker source): a CoC and an "
			"incoming inspection are required",
			id, r->mfr ? " for " : "", r->mfr ? r->mfr : "");
	}
}

static int
check_coc(struct recv *r)
{
	const ecms_label *l = r->label;
	bool required =
		r->broker || (r->line && json_is_true(json_object_get(r->line, "coc_required")));
	json_t *c = NULL;
	char today[11];
	int rc;

	ecms_date_format(r->now, today);
	if (r->req->coc) {
		if ((rc = ecms_coc_get(r->h, r->req->coc, &c)))
			return rc;
		r->coc = r->req->coc;
	} else if (l->mpn && !not_traceable(r->lot)) {
		{
			ecms__stmt *st;
			rc = ecms__q(
				r->h, &st,
				"SELECT c.id FROM cocs c JOIN coc_lots k ON k.coc = c.id "
				"WHERE c.mpn = ? AND k.lot = ? ORDER BY CASE WHEN c.expires IS "
				"NOT NULL AND c.expires < ? THEN 1 ELSE 0 END, c.issued DESC, "
				"c.id",
				"ttt", l->mpn, r->lot, today);
			if (rc)
				return rc;
			rc = ecms__step(r->h, st);
			if (rc == ECMS__ROW)
				r->coc_found = ecms__strdup(ecms__col_text(st, 0));
			ecms__done(r->h, st);
			if (rc != ECMS__ROW && rc != ECMS__DONE)
				return rc;
		}
		if (r->coc_found) {
			r->coc = r->coc_found;
			if ((rc = ecms_coc_get(r->h, r->coc, &c)))
				return rc;
		}
	}
	if (c) {
		bool lot_ok = false;
		json_t *e;
		size_t i;
		json_array_foreach(json_object_get(c, "lots"), i, e)
			lot_ok |= r->lot && strcmp(json_string_value(e), r->lot) == 0;
		if (!l->mpn || strcmp(ecms__rs(c, "mpn"), l->mpn) != 0 || !lot_ok)
			finding(r, "coc.required", "CoC %s covers %s lot(s) %s, not this %s lot %s",
				r->coc, ecms__rs(c, "mpn"),
				json_string_value(json_array_get(json_object_get(c, "lots"), 0)),
				l->mpn ? l->mpn : "part", r->lot ? r->lot : "(none)");
		else if (ecms__rs(c, "expires") && strcmp(ecms__rs(c, "expires"), today) < 0)
			finding(r, "coc.required", "CoC %s expired on %s", r->coc,
				ecms__rs(c, "expires"));
		else if (!json_is_true(json_object_get(c, "document_verified")))
			finding(r, "coc.required",
				"CoC %s: its stored document does not match its SHA-256 (altered "
				"after it was stored)",
				r->coc);
		json_decref(c);
	} else if (required) {
		finding(r, "coc.required",
			"a CoC is required (%s) but none on file covers %s lot %s",
			r->broker ? "broker source" : "the PO line asks for one",
			l->mpn ? l->mpn : "this part", r->lot ? r->lot : "(none)");
	}
	return ECMS_OK;
}

static void
check_lot_and_datecode(struct recv *r)
{
	const char *po_lot = r->line ? ecms__rs(r->line, "lot") : NULL;
	int64_t limit = 0;
	const char *limit_from = "site default";

	if (not_traceable(r->lot))
		finding(r, "lot.missing", "the label has no lot code%s",
			r->lot && *r->lot ? " (N/T: not traceable)" : "");
	else if (po_lot && strcmp(po_lot, r->lot) != 0)
		finding(r, "lot.po", "lot %s differs from lot %s named on PO line %lld", r->lot,
			po_lot, (long long)ecms__ri(r->line, "line"));
	if (not_traceable(r->dc)) {
		finding(r, "datecode.missing", "the label has no date code%s",
			r->dc && *r->dc ? " (N/T: not traceable)" : "");
		return;
	}
	if (ecms_datecode_decode(r->dc, NULL, NULL, &r->dc_ms) != ECMS_OK) {
		finding(r, "datecode.invalid",
			"date code '%s' cannot be decoded (expected YYWW, YYYYWW, YYMMDD, "
			"YYYYMMDD or YYYY-MM)",
			r->dc);
		return;
	}
	r->has_dc = true;
	if (r->dc_ms > r->now) {
		finding(r, "datecode.future", "date code %s lies in the future", r->dc);
		return;
	}
	if (r->line && !ecms__rnull(r->line, "max_dc_age_months")) {
		limit = ecms__ri(r->line, "max_dc_age_months");
		limit_from = "PO line";
	} else if (r->part && !ecms__rnull(r->part, "max_dc_age_months")) {
		limit = ecms__ri(r->part, "max_dc_age_months");
		limit_from = "part";
	} else {
		const struct ecms__rule *ru = ecms__rule(&r->rs, "datecode.age");
		limit = ru ? json_integer_value(json_object_get(ru->params, "default_months")) : 0;
	}
	if (limit > 0) {
		int64_t months =
			(int64_t)floor((double)(r->now - r->dc_ms) / (30.436875 * 86400000.0));
		if (months > limit)
			finding(r, "datecode.age",
				"date code %s is %lld months old; the limit is %lld months (%s)",
				r->dc, (long long)months, (long long)limit, limit_from);
	}
}

static void
check_quantity(struct recv *r)
{
	const ecms_label *l = r->label;
	int64_t q = l->quantity;

	if (!l->has_quantity || q <= 0) {
		finding(r, "qty.positive", "the label has no positive quantity");
		return;
	}
	if (r->part && !ecms__rnull(r->part, "std_pack") && q > ecms__ri(r->part, "std_pack"))
		finding(r, "qty.std_pack",
			"quantity %lld is above the standard pack of %lld (more than a full reel)",
			(long long)q, (long long)ecms__ri(r->part, "std_pack"));
	if (r->line) {
		int64_t ordered = ecms__ri(r->line, "qty_ordered");
		int64_t received = ecms__ri(r->line, "qty_received");
		double tol = json_real_value(json_object_get(r->line, "tolerance_pct"));
		int64_t allowed = ordered + (int64_t)floor((double)ordered * tol / 100.0);
		if (received + q > allowed)
			finding(r, "qty.po",
				"over-receipt: PO %s line %lld has %lld of %lld open, this package "
				"holds %lld (tolerance %g %%)",
				r->req->po, (long long)ecms__ri(r->line, "line"),
				(long long)(ordered - received > 0 ? ordered - received : 0),
				(long long)ordered, (long long)q, tol);
	}
}

static void
check_msl(struct recv *r)
{
	const struct ecms__rule *ru = ecms__rule(&r->rs, "part.msl");
	const char *cat;
	json_t *e;
	size_t i;

	if (r->part == NULL || !ecms__rnull(r->part, "msl") || ru == NULL)
		return;
	cat = ecms__rs(r->part, "category");
	json_array_foreach(json_object_get(ru->params, "categories"), i, e) {
		if (json_is_string(e) && ecms__streq_nocase(json_string_value(e), cat)) {
			finding(r, "part.msl",
				"the MSL of %s (%s) is unknown: it cannot be handled safely",
				r->ipn, cat);
			return;
		}
	}
}

static int
check_duplicates(struct recv *r, const char *label_sha)
{
	const ecms_label *l = r->label;
	ecms__stmt *st;
	int rc;

	if (l->serial) {
		rc = ecms__q(r->h, &st,
			     "SELECT uid FROM packages WHERE serial = ? AND supplier = ? "
			     "ORDER BY uid LIMIT 1",
			     "tt", l->serial, ecms__rs(r->supplier, "id"));
		if (rc)
			return rc;
		if ((rc = ecms__step(r->h, st)) == ECMS__ROW)
			finding(r, "dup.serial",
				"supplier package serial %s was already received on %s (cloned "
				"label?)",
				l->serial, ecms__col_text(st, 0));
		ecms__done(r->h, st);
		if (rc != ECMS__ROW && rc != ECMS__DONE)
			return rc;
	}
	rc = ecms__q(r->h, &st, "SELECT uid FROM packages WHERE label_sha = ? ORDER BY uid LIMIT 1",
		     "t", label_sha);
	if (rc)
		return rc;
	if ((rc = ecms__step(r->h, st)) == ECMS__ROW)
		finding(r, "dup.label",
			"this exact label was already received on %s (cloned label?)",
			ecms__col_text(st, 0));
	ecms__done(r->h, st);
	return rc == ECMS__ROW || rc == ECMS__DONE ? ECMS_OK : rc;
}

/* The location a package goes to: named (must exist), or the first of a kind. */
static int
pick_location(ecms *h, const char *named, const char *kind, char **out)
{
	ecms__stmt *st;
	int rc;

	*out = NULL;
	if (named) {
		int64_t one;
		rc = ecms__query_int(h, &one, "SELECT 1 FROM locations WHERE id = ?", "t", named);
		if (rc == ECMS_ENOTFOUND)
			return ecms__ctxfail(h, rc, "location", "no location '%s'", named);
		if (rc)
			return rc;
		*out = ecms__strdup(named);
		return *out ? ECMS_OK : ECMS_ENOMEM;
	}
	if ((rc = ecms__q(h, &st, "SELECT id FROM locations WHERE kind = ? ORDER BY id LIMIT 1",
			  "t", kind)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		*out = ecms__strdup(ecms__col_text(st, 0));
		rc = *out ? ECMS_OK : ECMS_ENOMEM;
	} else if (rc == ECMS__DONE) {
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "location",
				   "no location of kind '%s': import one%s", kind,
				   strcmp(kind, "receiving") == 0 ? " or pass --location" : "");
	}
	ecms__done(h, st);
	return rc;
}

static bool
quarantined(const json_t *findings)
{
	json_t *e;
	size_t i;

	json_array_foreach(findings, i, e)
		if (strcmp(ecms__rs(e, "severity"), "warning") != 0)
			return true;
	return false;
}

static json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static const char insert_package_sql[] =
	"INSERT INTO packages (uid, ipn, mpn, manufacturer, supplier, po, po_line, lot, "
	"date_code, dc_ms, quantity, initial_qty, status, location, coc, received_ms, supplier_pn, "
	"serial, country, expiry, label_format, label_raw, created_seq, updated_seq) VALUES "
	"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static int
write_package(struct recv *r, const char *uid, const char *status, const char *loc,
	      const char *label_sha, json_t *result, int64_t *seq)
{
	const ecms_label *l = r->label;
	json_t *payload, *pkg, *e;
	size_t i;
	int rc;

	pkg = json_pack("{s:s,s:o,s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:I,s:s,s:s,s:o,s:I,s:o,s:o,"
			"s:o,s:o,s:s,s:s%,s:s}",
			"uid", uid, "ipn", jstr(r->ipn), "mpn", jstr(l->mpn), "manufacturer",
			jstr(r->mfr), "supplier", ecms__rs(r->supplier, "id"), "po", r->req->po,
			"po_line", r->line ? json_integer(ecms__ri(r->line, "line")) : json_null(),
			"lot", jstr(r->lot), "date_code", jstr(r->dc), "dc_ms",
			r->has_dc ? json_integer(r->dc_ms) : json_null(), "quantity",
			(json_int_t)l->quantity, "status", status, "location", loc, "coc",
			jstr(r->coc), "received_ms", (json_int_t)r->now, "supplier_pn",
			jstr(l->supplier_pn), "serial", jstr(l->serial), "country",
			jstr(l->country), "expiry", jstr(l->expiry), "label_format", l->format,
			"label_raw", l->raw, l->raw_len, "label_sha", label_sha);
	if (pkg == NULL)
		return ecms__ctxfail(r->h, ECMS_ENOMEM, NULL, "out of memory");
	payload = json_deep_copy(pkg);
	json_object_set(payload, "findings", r->findings);
	if ((rc = ecms__event(r->h, "package.received", payload, seq))) {
		json_decref(pkg);
		return rc;
	}
	{
		json_t *p = json_pack(
			"[O,O,O,O,O,O,O,O,O,O,O,O,O,O,O,O,O,O,O,O,O,O,I,I]",
			json_object_get(pkg, "uid"), json_object_get(pkg, "ipn"),
			json_object_get(pkg, "mpn"), json_object_get(pkg, "manufacturer"),
			json_object_get(pkg, "supplier"), json_object_get(pkg, "po"),
			json_object_get(pkg, "po_line"), json_object_get(pkg, "lot"),
			json_object_get(pkg, "date_code"), json_object_get(pkg, "dc_ms"),
			json_object_get(pkg, "quantity"), json_object_get(pkg, "quantity"),
			json_object_get(pkg, "status"), json_object_get(pkg, "location"),
			json_object_get(pkg, "coc"), json_object_get(pkg, "received_ms"),
			json_object_get(pkg, "supplier_pn"), json_object_get(pkg, "serial"),
			json_object_get(pkg, "country"), json_object_get(pkg, "expiry"),
			json_object_get(pkg, "label_format"), json_object_get(pkg, "label_raw"),
			(json_int_t)*seq, (json_int_t)*seq);
		rc = p ? ecms__exec_json(r->h, insert_package_sql, p)
		       : ecms__ctxfail(r->h, ECMS_ENOMEM, NULL, "out of memory");
		json_decref(p);
	}
	if (rc == ECMS_OK)
		rc = ecms__exec(r->h, "UPDATE packages SET label_sha = ? WHERE uid = ?", "tt",
				label_sha, uid);
	json_array_foreach(r->findings, i, e) {
		if (rc)
			break;
		rc = ecms__exec(r->h,
				"INSERT INTO package_findings (uid, seq, rule, severity, signal, "
				"message) VALUES (?, ?, ?, ?, ?, ?)",
				"tittBt", uid, *seq, ecms__rs(e, "rule"), ecms__rs(e, "severity"),
				json_is_true(json_object_get(e, "signal")), ecms__rs(e, "message"));
	}
	if (rc == ECMS_OK && r->line) {
		rc = ecms__exec(
			r->h,
			"UPDATE po_lines SET qty_received = qty_received + ?, status = CASE "
			"WHEN qty_received + ? >= qty_ordered THEN 'closed' ELSE 'partial' "
			"END, updated_seq = ? WHERE po = ? AND line = ?",
			"iiiti", l->quantity, l->quantity, *seq, r->req->po,
			ecms__ri(r->line, "line"));
		if (rc == ECMS_OK)
			rc = ecms__po_refresh(r->h, r->req->po, *seq);
	}
	json_object_update(result, pkg);
	json_decref(pkg);
	return rc;
}

int
ecms_receive(ecms *h, const ecms_receive_req *req, json_t **out)
{
	struct recv r = { .h = h, .req = req };
	ecms_label_opts opts = { req->gs_sub, req->rs_sub };
	ecms_error lerr;
	char uid[ECMS_UID_MAX], label_sha[65], *loc = NULL, *ljson = NULL;
	int64_t n, seq = 0;
	json_t *result = NULL;
	int rc;

	*out = NULL;
	if (req->po == NULL || req->scan == NULL)
		return ecms__ctxfail(h, ECMS_EUSAGE, NULL,
				     "receiving needs a PO and a scanned label");
	if (!opts.gs_sub && !opts.rs_sub && (rc = ecms_station_opts(h, ecms_station(h), &opts)))
		return rc;
	ecms_error_clear(&lerr);
	rc = ecms_label_parse(req->scan, req->scan_len, &opts, &r.label, &lerr);
	if (rc)
		return ecms__ctxfail(h, rc, "scan", "label: %s", lerr.message);
	r.now = ecms_now(h);
	r.findings = json_array();
	if ((rc = ecms__rules_load(h, &r.rs)))
		goto out;
	rc = load_row(
		h, "SELECT po, supplier, status FROM purchase_orders WHERE po = ?", req->po,
		(const struct ecms__col[]){ { "po", 't' }, { "supplier", 't' }, { "status", 't' } },
		3, &r.po);
	if (rc == ECMS_OK && r.po == NULL)
		rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "po", "no purchase order '%s'", req->po);
	if (rc)
		goto out;
	if ((rc = ecms_md_get(h, "supplier", ecms__rs(r.po, "supplier"), &r.supplier)))
		goto out;
	r.lot = r.label->lot;
	r.dc = r.label->date_code;
	ecms__sha256_hex(r.label->raw, r.label->raw_len, label_sha);
	if ((rc = check_po_and_part(&r)))
		goto out;
	check_manufacturer(&r);
	check_supplier(&r);
	if ((rc = check_coc(&r)))
		goto out;
	check_lot_and_datecode(&r);
	check_quantity(&r);
	check_msl(&r);
	if ((rc = check_duplicates(&r, label_sha)))
		goto out;
	if (r.refused) {
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "quantity", "refused: %s", r.refusal);
		goto out;
	}
	{
		bool q = quarantined(r.findings);
		if ((rc = pick_location(h, q ? NULL : req->location, q ? "quarantine" : "receiving",
					&loc)))
			goto out;
		result = json_pack("{s:s,s:O}", "status", q ? "quarantined" : "accepted", "reasons",
				   r.findings);
		if ((rc = ecms__begin(h)))
			goto out;
		rc = ecms__query_int(h, &n,
				     "UPDATE counters SET value = value + 1 WHERE name = 'package' "
				     "RETURNING value",
				     "");
		if (rc == ECMS_OK) {
			ecms_uid_format((uint64_t)n, uid);
			rc = write_package(&r, uid, q ? "quarantined" : "available", loc, label_sha,
					   result, &seq);
		}
		rc = ecms__end(h, rc);
		if (rc)
			goto out;
		json_object_set_new(result, "status", json_string(q ? "quarantined" : "accepted"));
		json_object_del(result, "label_raw");
		json_object_del(result, "label_sha");
		{
			json_t *w = json_array();
			for (size_t i = 0; i < r.label->nwarnings; i++)
				json_array_append_new(w, json_string(r.label->warnings[i]));
			json_object_set_new(result, "warnings", w);
		}
		if (ecms_label_to_json(r.label, false, &ljson) == ECMS_OK)
			json_object_set_new(result, "label", json_loads(ljson, 0, NULL));
		json_object_set_new(result, "event", json_integer(seq));
		json_object_set_new(result, "msl", jstr(r.part ? ecms__rs(r.part, "msl") : NULL));
		*out = result;
		result = NULL;
	}
out:
	json_decref(result);
	ecms__free(ljson);
	ecms__free(loc);
	ecms__free(r.coc_found);
	json_decref(r.findings);
	json_decref(r.po);
	json_decref(r.supplier);
	json_decref(r.line);
	json_decref(r.part);
	ecms__rules_free(&r.rs);
	ecms_label_free(r.label);
	return rc;
}
