/*
 * label.c: the supplier-label scan parser (include/ecms/label.h).
 *
 * A scan goes through two stages. normalise() undoes what scanners do
 * to the bytes: line ends, AIM symbology prefixes, Unicode pictures and
 * private-use stand-ins for GS/RS/EOT, printable substitutes typed by
 * keyboard-wedge scanners, bytes that are not UTF-8. Then the format is
 * recognised and read: ISO/IEC 15434 (format 06 = EIGP 114 data
 * identifiers, format 05 = GS1), GS1 in human-readable or raw form, LCSC,
 * TME QR and TME DataMatrix. Every repair becomes a warning; what cannot
 * be read without guessing is refused with ECMS_EINVAL.
 *
 * Memory: the label and everything it points to is one struct label_priv
 * holding a list of the strings it owns; ecms_label_free() releases all.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ecms_int.h"
#include "label_int.h"

#define GS '\x1d'
#define RS '\x1e'
#define EOT '\x04'

/* Longest piece of input quoted in a message or warning, in bytes. */
#define EXCERPT_IN 40
#define EXCERPT_OUT 256

struct label_priv {
	ecms_label pub; /* first: an ecms_label * is a struct label_priv * */
	char **strs;    /* every string the label owns */
	size_t nstrs, capstrs;
	ecms_label_field *fields;
	size_t capfields;
	const char **warnings;
	size_t capwarnings;
};

/* One parse in progress. */
struct lp {
	struct label_priv *lab;
	ecms_label *l;
	ecms_error *err;
	const char *s; /* the normalised scan */
	size_t n;
};

/* ------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------ */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_alpha(char c)
{
	return is_upper(c) || is_lower(c);
}

/* ASCII punctuation: what a keyboard wedge may type for GS or RS. */
static bool
is_punct(char c)
{
	return c > ' ' && c < 0x7f && !is_digit(c) && !is_alpha(c);
}

static char
to_upper(char c)
{
	return is_lower(c) ? (char)(c - 32) : c;
}

static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return n > 0;
}

/* Case-insensitive prefix test on n bytes of s. */
static bool
starts_nocase(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++)
		if (to_upper(s[i]) != to_upper(prefix[i]))
			return false;
	return true;
}

/* Case-insensitive search of needle in n bytes of s; its offset or -1. */
static ptrdiff_t
find_nocase(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++)
		if (starts_nocase(s + i, n - i, needle))
			return (ptrdiff_t)i;
	return -1;
}

/*
 * The length of the valid UTF-8 sequence at s (n > 0 bytes available),
 * with its code point in *cp, or 0 when the bytes are not UTF-8 (also
 * overlong forms, surrogates, above U+10FFFF: what jansson refuses).
 */
static size_t
utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xc2 || c > 0xf4)
		return 0;
	len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0) ||
	    (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
		return 0;
	if (len == 2)
		*cp = (uint32_t)(c & 0x1f) << 6 | (s[1] & 0x3f);
	else if (len == 3)
		*cp = (uint32_t)(c & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	else
		*cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
		      (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	return len;
}

/*
 * A printable excerpt of the n bytes at s for messages: at most
 * EXCERPT_IN bytes, control characters as <GS>, <RS>, <EOT> or <0xNN>,
 * bytes that are not UTF-8 as <0xNN>, "..." when cut. Returns out.
 */
static const char *
excerpt(const char *s, size_t n, char out[EXCERPT_OUT])
{
	size_t o = 0, i = 0;

	while (i < n && i < EXCERPT_IN) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t k = utf8_seq((const unsigned char *)s + i, n - i, &cp);

		if (c == (unsigned char)GS)
			o += (size_t)snprintf(out + o, EXCERPT_OUT - o, "<GS>");
		else if (c == (unsigned char)RS)
			o += (size_t)snprintf(out + o, EXCERPT_OUT - o, "<RS>");
		else if (c == (unsigned char)EOT)
			o += (size_t)snprintf(out + o, EXCERPT_OUT - o, "<EOT>");
		else if (c < 0x20 || c == 0x7f || k == 0)
			o += (size_t)snprintf(out + o, EXCERPT_OUT - o, "<0x%02X>", c);
		else {
			memcpy(out + o, s + i, k);
			o += k;
			i += k;
			continue;
		}
		i++;
	}
	if (i < n)
		o += (size_t)snprintf(out + o, EXCERPT_OUT - o, "...");
	out[o] = '\0';
	return out;
}

/* ------------------------------------------------------------------
 * The label's memory
 * ------------------------------------------------------------------ */

/* Give s to the label. Returns s, or NULL (s freed) when out of memory. */
static char *
lp_keep(struct lp *p, char *s)
{
	struct label_priv *lab = p->lab;

	if (s == NULL)
		return NULL;
	if (lab->nstrs == lab->capstrs) {
		size_t cap = lab->capstrs ? 2 * lab->capstrs : 16;
		char **v = ecms__realloc(lab->strs, cap * sizeof(*v));
		if (v == NULL) {
			ecms__free(s);
			return NULL;
		}
		lab->strs = v;
		lab->capstrs = cap;
	}
	lab->strs[lab->nstrs++] = s;
	return s;
}

/* A label-owned copy of n bytes at s, or NULL when out of memory. */
static char *
lp_strn(struct lp *p, const char *s, size_t n)
{
	return lp_keep(p, ecms__strndup(s, n));
}

static int
lp_nomem(struct lp *p)
{
	return ecms__fail(p->err, ECMS_ENOMEM, NULL, "out of memory while reading the label");
}

/* Record a warning. Returns ECMS_OK or ECMS_ENOMEM. */
static int ECMS_PRINTF(2, 3)
lp_warn(struct lp *p, const char *fmt, ...)
{
	struct label_priv *lab = p->lab;
	ecms_buf b;
	va_list ap;
	char *s;
	int rc;

	ecms__buf_init(&b, 0);
	va_start(ap, fmt);
	rc = ecms__buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc) {
		ecms__buf_cleanup(&b);
		return lp_nomem(p);
	}
	s = lp_keep(p, ecms__buf_take(&b));
	if (s == NULL)
		return lp_nomem(p);
	if (lab->pub.nwarnings == lab->capwarnings) {
		size_t cap = lab->capwarnings ? 2 * lab->capwarnings : 8;
		const char **v = ecms__realloc(lab->warnings, cap * sizeof(*v));
		if (v == NULL)
			return lp_nomem(p);
		lab->warnings = v;
		lab->capwarnings = cap;
		lab->pub.warnings = v;
	}
	lab->warnings[lab->pub.nwarnings++] = s;
	return ECMS_OK;
}

/* Append a field (id and value copied). Returns ECMS_OK or ECMS_ENOMEM. */
static int
lp_field(struct lp *p, const char *id, size_t idn, const char *val, size_t valn)
{
	struct label_priv *lab = p->lab;
	char *i, *v;

	if (lab->pub.nfields == lab->capfields) {
		size_t cap = lab->capfields ? 2 * lab->capfields : 16;
		ecms_label_field *f = ecms__realloc(lab->fields, cap * sizeof(*f));
		if (f == NULL)
			return lp_nomem(p);
		lab->fields = f;
		lab->capfields = cap;
		lab->pub.fields = f;
	}
	i = lp_strn(p, id, idn);
	v = i ? lp_strn(p, val, valn) : NULL;
	if (v == NULL)
		return lp_nomem(p);
	lab->fields[lab->pub.nfields].id = i;
	lab->fields[lab->pub.nfields].value = v;
	lab->pub.nfields++;
	return ECMS_OK;
}

/* The first non-empty value of the field `id` (exact), or NULL. */
static const char *
lp_get(const struct lp *p, const char *id)
{
	for (size_t i = 0; i < p->l->nfields; i++)
		if (!strcmp(p->l->fields[i].id, id) && p->l->fields[i].value[0])
			return p->l->fields[i].value;
	return NULL;
}

/* Same as lp_get, ignoring case in the id. */
static const char *
lp_get_nocase(const struct lp *p, const char *id)
{
	for (size_t i = 0; i < p->l->nfields; i++)
		if (ecms__streq_nocase(p->l->fields[i].id, id) && p->l->fields[i].value[0])
			return p->l->fields[i].value;
	return NULL;
}

/* Set a named field unless it is set already; empty values stay absent. */
static void
set_named(const char **slot, const char *v)
{
	if (*slot == NULL && v && *v)
		*slot = v;
}

/*
 * Warn when field `id` appears again with another non-empty value than
 * the first one (which is the one used).
 */
static int
warn_duplicate(struct lp *p, const char *id, const char *what)
{
	const char *first = lp_get(p, id);
	char e1[EXCERPT_OUT], e2[EXCERPT_OUT];

	if (first == NULL)
		return ECMS_OK;
	for (size_t i = 0; i < p->l->nfields; i++) {
		const ecms_label_field *f = &p->l->fields[i];
		if (strcmp(f->id, id) || !f->value[0] || !strcmp(f->value, first))
			continue;
		return lp_warn(p, "%s %s appears more than once ('%s', then '%s'); "
			       "the first is used", what, id,
			       excerpt(first, strlen(first), e1),
			       excerpt(f->value, strlen(f->value), e2));
	}
	return ECMS_OK;
}

/*
 * Read the quantity from `v` (field `id`): whole decimal, leading zeros
 * allowed. Anything else leaves it absent with a warning.
 */
static int
set_quantity(struct lp *p, const char *id, const char *v)
{
	size_t n;
	int64_t q = 0;
	char e[EXCERPT_OUT];

	if (v == NULL || p->l->has_quantity)
		return ECMS_OK;
	n = strlen(v);
	if (!all_digits(v, n)) {
		return lp_warn(p, "quantity %s '%s' is not a whole number; quantity left empty",
			       id, excerpt(v, n, e));
	}
	while (n > 1 && *v == '0') {
		v++;
		n--;
	}
	if (n > 18)
		return lp_warn(p, "quantity %s has %zu digits, too many; quantity left empty",
			       id, n);
	for (size_t i = 0; i < n; i++)
		q = q * 10 + (v[i] - '0');
	p->l->quantity = q;
	p->l->has_quantity = true;
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Dates
 * ------------------------------------------------------------------ */

/* ISO weekday of a day count since 1970-01-01 (a Thursday): 1 Mon..7 Sun. */
static int
iso_weekday(int64_t days)
{
	int64_t r = (days + 3) % 7;

	return (int)(r < 0 ? r + 7 : r) + 1;
}

/* The ISO week-numbering year and week of a day count. */
static void
iso_week_of(int64_t days, int *year, int *week)
{
	int64_t thu = days - iso_weekday(days) + 4, y;
	unsigned m, d;

	ecms__civil_from_days(thu, &y, &m, &d);
	*year = (int)y;
	*week = (int)((thu - ecms__days_from_civil(y, 1, 1)) / 7 + 1);
}

/* The Monday of ISO week 1 of year y, as a day count. */
static int64_t
iso_week1_monday(int64_t y)
{
	int64_t jan4 = ecms__days_from_civil(y, 1, 4);

	return jan4 - iso_weekday(jan4) + 1;
}

/* Number of ISO weeks (52 or 53) in year y. */
static int
iso_weeks_in(int64_t y)
{
	int yy, w;

	iso_week_of(ecms__days_from_civil(y, 12, 28), &yy, &w);
	return w;
}

static int
num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int
decode_date(int64_t y, unsigned m, unsigned d, int *iy, int *iw, int64_t *days)
{
	if (!ecms__valid_date(y, m, d))
		return ECMS_EINVAL;
	*days = ecms__days_from_civil(y, m, d);
	iso_week_of(*days, iy, iw);
	return ECMS_OK;
}

static int
decode_week(int64_t y, int w, int *iy, int *iw, int64_t *days)
{
	if (w < 1 || w > iso_weeks_in(y))
		return ECMS_EINVAL;
	*iy = (int)y;
	*iw = w;
	*days = iso_week1_monday(y) + (int64_t)(w - 1) * 7;
	return ECMS_OK;
}

int
ecms_datecode_decode(const char *dc, int *iso_year, int *iso_week, int64_t *ms_start)
{
	size_t n = dc ? strlen(dc) : 0;
	int iy = 0, iw = 0, rc = ECMS_EINVAL;
	int64_t days = 0;

	if (n == 4 && all_digits(dc, 4)) {
		rc = decode_week(2000 + num(dc, 2), num(dc + 2, 2), &iy, &iw, &days);
	} else if (n == 6 && all_digits(dc, 6)) {
		rc = decode_date(2000 + num(dc, 2), (unsigned)num(dc + 2, 2),
				 (unsigned)num(dc + 4, 2), &iy, &iw, &days);
		if (rc && num(dc, 4) >= 1970 && num(dc, 4) <= 2099)
			rc = decode_week(num(dc, 4), num(dc + 4, 2), &iy, &iw, &days);
	} else if (n == 8 && all_digits(dc, 8) && num(dc, 4) >= 1970 && num(dc, 4) <= 2099) {
		rc = decode_date(num(dc, 4), (unsigned)num(dc + 4, 2), (unsigned)num(dc + 6, 2),
				 &iy, &iw, &days);
	} else if (n == 7 && all_digits(dc, 4) && dc[4] == '-' && all_digits(dc + 5, 2) &&
		   num(dc, 4) >= 1970 && num(dc, 4) <= 2099) {
		rc = decode_date(num(dc, 4), (unsigned)num(dc + 5, 2), 1, &iy, &iw, &days);
	}
	if (rc)
		return ECMS_EINVAL;
	if (iso_year)
		*iso_year = iy;
	if (iso_week)
		*iso_week = iw;
	if (ms_start)
		*ms_start = days * INT64_C(86400000);
	return ECMS_OK;
}

/* Set date_code_week from an ISO year and week. */
static int
set_week(struct lp *p, int iy, int iw)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%04d-W%02d", iy, iw);
	p->l->date_code_week = lp_strn(p, buf, strlen(buf));
	return p->l->date_code_week ? ECMS_OK : lp_nomem(p);
}

/* ------------------------------------------------------------------
 * Normalising the scan
 * ------------------------------------------------------------------ */

static bool
is_pua(uint32_t cp)
{
	return (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000;
}

/* Replace every byte `from` in b by `to`; the count replaced. */
static size_t
replace_all(ecms_buf *b, char from, char to)
{
	size_t k = 0;

	for (size_t i = 0; i < b->len; i++)
		if (b->data[i] == from) {
			b->data[i] = to;
			k++;
		}
	return k;
}

/*
 * Where printable separators stand in an ISO 15434 header ("[)>^06]"),
 * take them as the substitutes (only those not already known). The
 * header fixes their position, so this is not a guess.
 */
static void
header_substitutes(const ecms_buf *b, char *gs, char *rs)
{
	const char *s = b->data;
	size_t n = b->len, i;

	if (n >= 4 && !memcmp(s, ">[)>", 4))
		i = 4;
	else if (n >= 3 && !memcmp(s, "[)>", 3))
		i = 3;
	else
		return;
	if (i + 3 <= n && is_punct(s[i]) && s[i + 1] == '0' && s[i + 2] == '6') {
		if (!*rs && !memchr(s, RS, n))
			*rs = s[i];
		i++;
	} else if (i < n && s[i] == RS) {
		i++;
	}
	if (i + 3 <= n && s[i] == '0' && s[i + 1] == '6' && is_punct(s[i + 2]) &&
	    s[i + 2] != *rs && !*gs && !memchr(s, GS, n))
		*gs = s[i + 2];
}

/*
 * Turn keyboard-wedge substitutes into GS/RS (see ecms_label_opts).
 * auto_found: they came from the header, not the options.
 */
static int
apply_substitutes(struct lp *p, ecms_buf *b, char gs, char rs, bool auto_found)
{
	size_t ng = 0, nr = 0;
	char e[8];

	if (gs && memchr(b->data, GS, b->len)) {
		if (!auto_found) {
			int rc = lp_warn(p, "the scan holds real GS characters; the GS substitute "
					 "'%c' was not applied", gs);
			if (rc)
				return rc;
		}
		gs = 0;
	}
	if (rs && memchr(b->data, RS, b->len)) {
		if (!auto_found) {
			int rc = lp_warn(p, "the scan holds real RS characters; the RS substitute "
					 "'%c' was not applied", rs);
			if (rc)
				return rc;
		}
		rs = 0;
	}
	if (rs && b->len >= 2 && b->data[b->len - 2] == rs &&
	    (b->data[b->len - 1] == 'd' || b->data[b->len - 1] == 'D')) {
		b->data[b->len - 2] = RS;
		b->data[b->len - 1] = EOT;
		nr++;
	}
	if (rs)
		nr += replace_all(b, rs, RS);
	if (gs)
		ng += replace_all(b, gs, GS);
	if (ng + nr == 0)
		return ECMS_OK;
	e[0] = '\0';
	if (ng && nr)
		return lp_warn(p, "keyboard-wedge substitutes read as separators: '%c' as GS, "
			       "'%c' as RS%s", gs, rs,
			       auto_found ? " (found in the header; configure the station "
					    "with these --gs/--rs)" : "");
	snprintf(e, sizeof(e), "%c", ng ? gs : rs);
	return lp_warn(p, "keyboard-wedge substitute read as a separator: '%s' as %s%s", e,
		       ng ? "GS" : "RS",
		       auto_found ? " (found in the header; configure the station with "
				    "--gs/--rs)" : "");
}

static int
check_opts(const ecms_label_opts *o, ecms_error *err)
{
	if (o == NULL)
		return ECMS_OK;
	if (o->gs_sub && !is_punct(o->gs_sub))
		return ecms__fail(err, ECMS_EUSAGE, "gs", "GS substitute 0x%02X is not an "
				  "ASCII punctuation character", (unsigned char)o->gs_sub);
	if (o->rs_sub && !is_punct(o->rs_sub))
		return ecms__fail(err, ECMS_EUSAGE, "rs", "RS substitute 0x%02X is not an "
				  "ASCII punctuation character", (unsigned char)o->rs_sub);
	if (o->gs_sub && o->gs_sub == o->rs_sub)
		return ecms__fail(err, ECMS_EUSAGE, "rs", "GS and RS substitutes are both "
				  "'%c'; they must differ", o->gs_sub);
	return ECMS_OK;
}

/*
 * Normalise the scan into p->s / p->n (label-owned, also kept as raw).
 * Errors: ECMS_EINVAL (empty, NUL byte, unknown private-use character),
 * ECMS_ENOMEM.
 */
static int
normalise(struct lp *p, const char *in, size_t len, const ecms_label_opts *o)
{
	const unsigned char *u;
	size_t ncrlf = 0, npic = 0, npua = 0, nlatin = 0, first_latin = 0, off = 0;
	char gs = o ? o->gs_sub : 0, rs = o ? o->rs_sub : 0;
	bool auto_found = false;
	ecms_buf b;
	int rc = ECMS_OK;

	while (len > 0 && (in[len - 1] == '\r' || in[len - 1] == '\n')) {
		len--;
		ncrlf++;
	}
	if (len == 0)
		return ecms__fail(p->err, ECMS_EINVAL, "scan", ncrlf ? "the scan holds only a "
				  "line end" : "the scan is empty");
	if (len >= 3 && in[0] == ']' && is_alpha(in[1]) && (is_digit(in[2]) || is_alpha(in[2]))) {
		p->l->symbology = lp_strn(p, in, 3);
		if (p->l->symbology == NULL)
			return lp_nomem(p);
		off = 3;
		if (len == 3)
			return ecms__fail(p->err, ECMS_EINVAL, "scan", "the scan holds only the "
					  "symbology identifier '%s'", p->l->symbology);
	}
	ecms__buf_init(&b, 0);
	u = (const unsigned char *)in;
	for (size_t i = off; i < len && rc == ECMS_OK;) {
		uint32_t cp;
		size_t k;

		if (u[i] == 0) {
			ecms__buf_cleanup(&b);
			return ecms__fail(p->err, ECMS_EINVAL, "scan", "NUL byte at byte %zu of "
					  "the scan: a label holds text", i + 1);
		}
		if (u[i] < 0x80) {
			rc = ecms__buf_addc(&b, in[i++]);
			continue;
		}
		k = utf8_seq(u + i, len - i, &cp);
		if (k == 0) {
			/* Not UTF-8: a keyboard-wedge byte in Latin-1. */
			char two[2] = {(char)(0xc0 | u[i] >> 6), (char)(0x80 | (u[i] & 0x3f))};
			if (nlatin++ == 0)
				first_latin = i;
			rc = ecms__buf_add(&b, two, 2);
			i++;
			continue;
		}
		if (cp == 0x241d || cp == 0x241e || cp == 0x2404) {
			rc = ecms__buf_addc(&b, cp == 0x241d ? GS : cp == 0x241e ? RS : EOT);
			npic++;
		} else if (cp == 0xf70b || cp == 0xf70c) {
			rc = ecms__buf_addc(&b, cp == 0xf70b ? GS : RS);
			npua++;
		} else if (is_pua(cp)) {
			ecms__buf_cleanup(&b);
			return ecms__fail(p->err, ECMS_EINVAL, "scan",
					  "private-use character U+%04X at byte %zu of the "
					  "scan: its meaning is unknown (U+F70B and U+F70C are "
					  "read as GS and RS); set the scanner to send control "
					  "characters", (unsigned)cp, i + 1);
		} else {
			rc = ecms__buf_add(&b, in + i, k);
		}
		i += k;
	}
	if (rc) {
		ecms__buf_cleanup(&b);
		return lp_nomem(p);
	}
	if (!gs && !rs) {
		header_substitutes(&b, &gs, &rs);
		auto_found = gs || rs;
	}
	if (ncrlf)
		rc = lp_warn(p, "%zu trailing CR/LF character%s removed", ncrlf,
			     ncrlf > 1 ? "s" : "");
	if (rc == ECMS_OK && npic)
		rc = lp_warn(p, "Unicode control pictures (U+241D, U+241E, U+2404) read as "
			     "GS, RS, EOT");
	if (rc == ECMS_OK && npua)
		rc = lp_warn(p, "private-use characters U+F70B/U+F70C (sent by some USB "
			     "scanners) read as GS/RS");
	if (rc == ECMS_OK && nlatin)
		rc = lp_warn(p, "%zu byte%s not UTF-8 (first 0x%02X at byte %zu) read as "
			     "Latin-1", nlatin, nlatin > 1 ? "s" : "", u[first_latin],
			     first_latin + 1);
	if (rc == ECMS_OK)
		rc = apply_substitutes(p, &b, gs, rs, auto_found);
	if (rc) {
		ecms__buf_cleanup(&b);
		return rc;
	}
	p->n = b.len;
	p->s = lp_keep(p, ecms__buf_take(&b));
	if (p->s == NULL)
		return lp_nomem(p);
	p->l->raw = p->s;
	p->l->raw_len = p->n;
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * GS1
 * ------------------------------------------------------------------ */

struct gs1_ai {
	const char *ai;      /* the AI, or its leading digits when shorter than ailen */
	unsigned char ailen; /* digits in the AI */
	unsigned char fixed; /* length of a fixed-length value, else 0 */
	unsigned char max;   /* longest value */
	char kind;           /* 'N' digits, 'D' date YYMMDD, 'X' characters */
};

/* From the GS1 General Specifications AI list; longer prefixes first. */
static const struct gs1_ai gs1_ais[] = {
	{"00", 2, 18, 18, 'N'}, {"01", 2, 14, 14, 'N'}, {"02", 2, 14, 14, 'N'},
	{"03", 2, 14, 14, 'N'}, {"10", 2, 0, 20, 'X'}, {"11", 2, 6, 6, 'D'},
	{"12", 2, 6, 6, 'D'}, {"13", 2, 6, 6, 'D'}, {"15", 2, 6, 6, 'D'},
	{"16", 2, 6, 6, 'D'}, {"17", 2, 6, 6, 'D'}, {"20", 2, 2, 2, 'N'},
	{"21", 2, 0, 20, 'X'}, {"22", 2, 0, 20, 'X'}, {"235", 3, 0, 28, 'X'},
	{"240", 3, 0, 30, 'X'}, {"241", 3, 0, 30, 'X'}, {"242", 3, 0, 6, 'N'},
	{"243", 3, 0, 20, 'X'}, {"250", 3, 0, 30, 'X'}, {"251", 3, 0, 30, 'X'},
	{"253", 3, 0, 30, 'X'}, {"254", 3, 0, 20, 'X'}, {"255", 3, 0, 25, 'N'},
	{"30", 2, 0, 8, 'N'}, {"31", 4, 6, 6, 'N'}, {"32", 4, 6, 6, 'N'},
	{"33", 4, 6, 6, 'N'}, {"34", 4, 6, 6, 'N'}, {"35", 4, 6, 6, 'N'},
	{"36", 4, 6, 6, 'N'}, {"37", 2, 0, 8, 'N'}, {"390", 4, 0, 15, 'N'},
	{"391", 4, 0, 18, 'N'}, {"392", 4, 0, 15, 'N'}, {"393", 4, 0, 18, 'N'},
	{"394", 4, 4, 4, 'N'}, {"395", 4, 6, 6, 'N'}, {"400", 3, 0, 30, 'X'},
	{"401", 3, 0, 30, 'X'}, {"402", 3, 17, 17, 'N'}, {"403", 3, 0, 30, 'X'},
	{"41", 3, 13, 13, 'N'}, {"420", 3, 0, 20, 'X'}, {"421", 3, 0, 12, 'X'},
	{"422", 3, 3, 3, 'N'}, {"423", 3, 0, 15, 'N'}, {"424", 3, 3, 3, 'N'},
	{"425", 3, 0, 15, 'N'}, {"426", 3, 3, 3, 'N'}, {"427", 3, 0, 3, 'X'},
	{"7001", 4, 13, 13, 'N'}, {"7002", 4, 0, 30, 'X'}, {"7003", 4, 10, 10, 'N'},
	{"7004", 4, 0, 4, 'N'}, {"7005", 4, 0, 12, 'X'}, {"7006", 4, 6, 6, 'D'},
	{"7007", 4, 0, 12, 'N'}, {"7008", 4, 0, 3, 'X'}, {"7009", 4, 0, 10, 'X'},
	{"7010", 4, 0, 2, 'X'}, {"7011", 4, 0, 10, 'X'}, {"7020", 4, 0, 20, 'X'},
	{"7021", 4, 0, 20, 'X'}, {"7022", 4, 0, 20, 'X'}, {"7023", 4, 0, 30, 'X'},
	{"703", 4, 0, 30, 'X'}, {"7040", 4, 4, 4, 'X'}, {"71", 3, 0, 20, 'X'},
	{"723", 4, 0, 30, 'X'}, {"7240", 4, 0, 20, 'X'}, {"8001", 4, 14, 14, 'N'},
	{"8002", 4, 0, 20, 'X'}, {"8003", 4, 0, 30, 'X'}, {"8004", 4, 0, 30, 'X'},
	{"8005", 4, 6, 6, 'N'}, {"8006", 4, 18, 18, 'N'}, {"8007", 4, 0, 34, 'X'},
	{"8008", 4, 0, 12, 'N'}, {"8009", 4, 0, 50, 'X'}, {"8010", 4, 0, 30, 'X'},
	{"8011", 4, 0, 12, 'N'}, {"8012", 4, 0, 20, 'X'}, {"8013", 4, 0, 25, 'X'},
	{"8017", 4, 18, 18, 'N'}, {"8018", 4, 18, 18, 'N'}, {"8019", 4, 0, 10, 'N'},
	{"8020", 4, 0, 25, 'X'}, {"8026", 4, 18, 18, 'N'}, {"8110", 4, 0, 70, 'X'},
	{"8111", 4, 4, 4, 'N'}, {"8112", 4, 0, 70, 'X'}, {"8200", 4, 0, 70, 'X'},
	{"90", 2, 0, 30, 'X'}, {"9", 2, 0, 90, 'X'},
};

/*
 * The AI at the n bytes of s. exact_len: the AI's length is known (the
 * human-readable form), else it is read from the table. NULL if none.
 */
static const struct gs1_ai *
gs1_lookup(const char *s, size_t n, size_t exact_len)
{
	for (size_t i = 0; i < ECMS_ARRAY_LEN(gs1_ais); i++) {
		const struct gs1_ai *a = &gs1_ais[i];
		size_t pl = strlen(a->ai);
		if (exact_len && exact_len != a->ailen)
			continue;
		if (n < a->ailen || memcmp(s, a->ai, pl) || !all_digits(s, a->ailen))
			continue;
		return a;
	}
	return NULL;
}

/* ISO 3166-1 numeric to alpha-2 (from the iso-codes package data). */
static const struct {
	unsigned short num;
	char a2[3];
} countries[] = {
	{4, "AF"}, {8, "AL"}, {10, "AQ"}, {12, "DZ"}, {16, "AS"}, {20, "AD"}, {24, "AO"},
	{28, "AG"}, {31, "AZ"}, {32, "AR"}, {36, "AU"}, {40, "AT"}, {44, "BS"}, {48, "BH"},
	{50, "BD"}, {51, "AM"}, {52, "BB"}, {56, "BE"}, {60, "BM"}, {64, "BT"}, {68, "BO"},
	{70, "BA"}, {72, "BW"}, {74, "BV"}, {76, "BR"}, {84, "BZ"}, {86, "IO"}, {90, "SB"},
	{92, "VG"}, {96, "BN"}, {100, "BG"}, {104, "MM"}, {108, "BI"}, {112, "BY"},
	{116, "KH"}, {120, "CM"}, {124, "CA"}, {132, "CV"}, {136, "KY"}, {140, "CF"},
	{144, "LK"}, {148, "TD"}, {152, "CL"}, {156, "CN"}, {158, "TW"}, {162, "CX"},
	{166, "CC"}, {170, "CO"}, {174, "KM"}, {175, "YT"}, {178, "CG"}, {180, "CD"},
	{184, "CK"}, {188, "CR"}, {191, "HR"}, {192, "CU"}, {196, "CY"}, {203, "CZ"},
	{204, "BJ"}, {208, "DK"}, {212, "DM"}, {214, "DO"}, {218, "EC"}, {222, "SV"},
	{226, "GQ"}, {231, "ET"}, {232, "ER"}, {233, "EE"}, {234, "FO"}, {238, "FK"},
	{239, "GS"}, {242, "FJ"}, {246, "FI"}, {248, "AX"}, {250, "FR"}, {254, "GF"},
	{258, "PF"}, {260, "TF"}, {262, "DJ"}, {266, "GA"}, {268, "GE"}, {270, "GM"},
	{275, "PS"}, {276, "DE"}, {288, "GH"}, {292, "GI"}, {296, "KI"}, {300, "GR"},
	{304, "GL"}, {308, "GD"}, {312, "GP"}, {316, "GU"}, {320, "GT"}, {324, "GN"},
	{328, "GY"}, {332, "HT"}, {334, "HM"}, {336, "VA"}, {340, "HN"}, {344, "HK"},
	{348, "HU"}, {352, "IS"}, {356, "IN"}, {360, "ID"}, {364, "IR"}, {368, "IQ"},
	{372, "IE"}, {376, "IL"}, {380, "IT"}, {384, "CI"}, {388, "JM"}, {392, "JP"},
	{398, "KZ"}, {400, "JO"}, {404, "KE"}, {408, "KP"}, {410, "KR"}, {414, "KW"},
	{417, "KG"}, {418, "LA"}, {422, "LB"}, {426, "LS"}, {428, "LV"}, {430, "LR"},
	{434, "LY"}, {438, "LI"}, {440, "LT"}, {442, "LU"}, {446, "MO"}, {450, "MG"},
	{454, "MW"}, {458, "MY"}, {462, "MV"}, {466, "ML"}, {470, "MT"}, {474, "MQ"},
	{478, "MR"}, {480, "MU"}, {484, "MX"}, {492, "MC"}, {496, "MN"}, {498, "MD"},
	{499, "ME"}, {500, "MS"}, {504, "MA"}, {508, "MZ"}, {512, "OM"}, {516, "NA"},
	{520, "NR"}, {524, "NP"}, {528, "NL"}, {531, "CW"}, {533, "AW"}, {534, "SX"},
	{535, "BQ"}, {540, "NC"}, {548, "VU"}, {554, "NZ"}, {558, "NI"}, {562, "NE"},
	{566, "NG"}, {570, "NU"}, {574, "NF"}, {578, "NO"}, {580, "MP"}, {581, "UM"},
	{583, "FM"}, {584, "MH"}, {585, "PW"}, {586, "PK"}, {591, "PA"}, {598, "PG"},
	{600, "PY"}, {604, "PE"}, {608, "PH"}, {612, "PN"}, {616, "PL"}, {620, "PT"},
	{624, "GW"}, {626, "TL"}, {630, "PR"}, {634, "QA"}, {638, "RE"}, {642, "RO"},
	{643, "RU"}, {646, "RW"}, {652, "BL"}, {654, "SH"}, {659, "KN"}, {660, "AI"},
	{662, "LC"}, {663, "MF"}, {666, "PM"}, {670, "VC"}, {674, "SM"}, {678, "ST"},
	{682, "SA"}, {686, "SN"}, {688, "RS"}, {690, "SC"}, {694, "SL"}, {702, "SG"},
	{703, "SK"}, {704, "VN"}, {705, "SI"}, {706, "SO"}, {710, "ZA"}, {716, "ZW"},
	{724, "ES"}, {728, "SS"}, {729, "SD"}, {732, "EH"}, {740, "SR"}, {744, "SJ"},
	{748, "SZ"}, {752, "SE"}, {756, "CH"}, {760, "SY"}, {762, "TJ"}, {764, "TH"},
	{768, "TG"}, {772, "TK"}, {776, "TO"}, {780, "TT"}, {784, "AE"}, {788, "TN"},
	{792, "TR"}, {795, "TM"}, {796, "TC"}, {798, "TV"}, {800, "UG"}, {804, "UA"},
	{807, "MK"}, {818, "EG"}, {826, "GB"}, {831, "GG"}, {832, "JE"}, {833, "IM"},
	{834, "TZ"}, {840, "US"}, {850, "VI"}, {854, "BF"}, {858, "UY"}, {860, "UZ"},
	{862, "VE"}, {876, "WF"}, {882, "WS"}, {887, "YE"}, {894, "ZM"},
};

static const char *
country_alpha2(int numeric)
{
	size_t lo = 0, hi = ECMS_ARRAY_LEN(countries);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (countries[mid].num == numeric)
			return countries[mid].a2;
		if (countries[mid].num < numeric)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The mod-10 check digit a GS1 key of n digits (check included) must end with. */
static char
gs1_check_digit(const char *s, size_t n)
{
	int sum = 0;

	for (size_t i = 0; i + 1 < n; i++) {
		int d = s[n - 2 - i] - '0';
		sum += i % 2 == 0 ? 3 * d : d;
	}
	return (char)('0' + (10 - sum % 10) % 10);
}

/* AIs holding a GTIN-14 (with its check digit). */
static bool
is_gtin_ai(const char *ai)
{
	return !strcmp(ai, "01") || !strcmp(ai, "02") || !strcmp(ai, "03");
}

/*
 * Check one AI value against its table entry. Returns ECMS_OK or
 * ECMS_EINVAL with the reason in err (may be NULL).
 */
static int
gs1_check_value(const struct gs1_ai *a, const char *ai, const char *v, size_t n,
		ecms_error *err)
{
	char e[EXCERPT_OUT];

	if (n == 0)
		return ecms__fail(err, ECMS_EINVAL, ai, "GS1 AI (%s) has no value", ai);
	if (a->fixed && n != a->fixed)
		return ecms__fail(err, ECMS_EINVAL, ai, "GS1 AI (%s): '%s' has %zu "
				  "characters, expected %u", ai, excerpt(v, n, e), n, a->fixed);
	if (!a->fixed && n > a->max)
		return ecms__fail(err, ECMS_EINVAL, ai, "GS1 AI (%s): '%s' has %zu "
				  "characters, at most %u are allowed", ai, excerpt(v, n, e), n,
				  a->max);
	if (a->kind != 'X' && !all_digits(v, n))
		return ecms__fail(err, ECMS_EINVAL, ai, "GS1 AI (%s): '%s' is not all "
				  "digits", ai, excerpt(v, n, e));
	for (size_t i = 0; a->kind == 'X' && i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f || (unsigned char)v[i] >= 0x80)
			return ecms__fail(err, ECMS_EINVAL, ai, "GS1 AI (%s): byte 0x%02X in "
					  "'%s' is not in the GS1 character set", ai,
					  (unsigned char)v[i], excerpt(v, n, e));
	return ECMS_OK;
}

/*
 * Read raw GS1 element strings (AI + value, GS after variable-length
 * values) from n bytes at s. Returns ECMS_OK, ECMS_EINVAL, ECMS_ENOMEM.
 */
static int
gs1_read_raw(struct lp *p, const char *s, size_t n)
{
	size_t k = 0;
	char e[EXCERPT_OUT], ai[8];
	int rc;

	while (k < n && s[k] == GS)
		k++;
	if (k == n)
		return ecms__fail(p->err, ECMS_EINVAL, "scan", "GS1 data is empty");
	while (k < n) {
		const struct gs1_ai *a = gs1_lookup(s + k, n - k, 0);
		size_t v, vn;

		if (a == NULL)
			return ecms__fail(p->err, ECMS_EINVAL, "scan", "GS1: no known application "
					  "identifier at byte %zu ('%s')", k + 1,
					  excerpt(s + k, n - k, e));
		memcpy(ai, s + k, a->ailen);
		ai[a->ailen] = '\0';
		v = k + a->ailen;
		if (a->fixed) {
			vn = n - v < a->fixed ? n - v : a->fixed;
		} else {
			vn = 0;
			while (v + vn < n && s[v + vn] != GS)
				vn++;
		}
		if (memchr(s + v, GS, vn))
			vn = (size_t)((const char *)memchr(s + v, GS, vn) - (s + v));
		if (!a->fixed && vn > a->max)
			return ecms__fail(p->err, ECMS_EINVAL, ai,
					  "GS1 AI (%s): '%s' has %zu characters, at most %u "
					  "are allowed: the GS (FNC1) that ends a variable-"
					  "length value is probably missing, so the AIs cannot "
					  "be split", ai, excerpt(s + v, vn, e), vn, a->max);
		rc = gs1_check_value(a, ai, s + v, vn, p->err);
		if (rc == ECMS_OK)
			rc = lp_field(p, ai, a->ailen, s + v, vn);
		if (rc)
			return rc;
		k = v + vn;
		while (k < n && s[k] == GS)
			k++;
	}
	return ECMS_OK;
}

/* Is there "(" + 2..4 digits + ")" at s? Its total length, or 0. */
static size_t
gs1_paren_ai(const char *s, size_t n)
{
	size_t d = 0;

	if (n < 4 || s[0] != '(')
		return 0;
	while (d < 4 && 1 + d < n && is_digit(s[1 + d]))
		d++;
	if (d < 2 || 1 + d >= n || s[1 + d] != ')')
		return 0;
	return d + 2;
}

/* Read the human-readable form "(01)...(17)...". */
static int
gs1_read_human(struct lp *p, const char *s, size_t n)
{
	size_t k = 0;
	char e[EXCERPT_OUT], ai[8];
	int rc;

	while (k < n) {
		size_t h = gs1_paren_ai(s + k, n - k), v, vn;
		const struct gs1_ai *a;

		if (h == 0)
			return ecms__fail(p->err, ECMS_EINVAL, "scan", "GS1 human-readable form: "
					  "expected '(AI)' at byte %zu, found '%s'", k + 1,
					  excerpt(s + k, n - k, e));
		memcpy(ai, s + k + 1, h - 2);
		ai[h - 2] = '\0';
		v = k + h;
		vn = 0;
		while (v + vn < n && !gs1_paren_ai(s + v + vn, n - v - vn))
			vn++;
		k = v + vn;
		while (vn > 0 && (s[v] == ' ' || s[v] == GS)) {
			v++;
			vn--;
		}
		while (vn > 0 && (s[v + vn - 1] == ' ' || s[v + vn - 1] == GS))
			vn--;
		a = gs1_lookup(ai, h - 2, h - 2);
		if (a == NULL) {
			rc = lp_warn(p, "unknown GS1 AI (%s) kept as read", ai);
		} else if (is_gtin_ai(ai)) {
			rc = gs1_check_value(a, ai, s + v, vn, p->err);
		} else {
			/* The parentheses delimit the value: a flaw in it is not fatal. */
			ecms_error ve;
			if (gs1_check_value(a, ai, s + v, vn, &ve) == ECMS_OK)
				rc = ECMS_OK;
			else
				rc = lp_warn(p, "%s; kept as read", ve.message);
		}
		if (rc == ECMS_OK)
			rc = lp_field(p, ai, h - 2, s + v, vn);
		if (rc)
			return rc;
	}
	return ECMS_OK;
}

/*
 * A GS1 date YYMMDD (day 00 = last day of the month, years 20YY) as a
 * day count. Returns false when not a valid date.
 */
static bool
gs1_date(const char *v, int64_t *days)
{
	int64_t y;
	unsigned m, d;

	if (strlen(v) != 6 || !all_digits(v, 6))
		return false;
	y = 2000 + num(v, 2);
	m = (unsigned)num(v + 2, 2);
	d = (unsigned)num(v + 4, 2);
	if (m < 1 || m > 12)
		return false;
	if (d == 0)
		d = ecms__days_in_month(y, m);
	if (!ecms__valid_date(y, m, d))
		return false;
	*days = ecms__days_from_civil(y, m, d);
	return true;
}

/* Map the GS1 fields read to the named ones. */
static int
gs1_map(struct lp *p)
{
	ecms_label *l = p->l;
	const char *v;
	char e[EXCERPT_OUT];
	int64_t days;
	int rc;

	/* Every GTIN-14 key must carry its check digit: a wrong one is a misread. */
	for (size_t i = 0; i < l->nfields; i++) {
		const ecms_label_field *f = &l->fields[i];
		size_t n = strlen(f->value);
		char want;
		if (!is_gtin_ai(f->id) || n != 14)
			continue;
		want = gs1_check_digit(f->value, n);
		if (f->value[n - 1] != want)
			return ecms__fail(p->err, ECMS_EINVAL, f->id,
					  "GS1 AI (%s): GTIN %s has check digit %c, expected "
					  "%c: misread or misprinted label", f->id, f->value,
					  f->value[n - 1], want);
	}
	for (size_t i = 0; i < l->nfields; i++) {
		const ecms_label_field *f = &l->fields[i];
		const struct gs1_ai *a = gs1_lookup(f->id, strlen(f->id), strlen(f->id));
		if (a && a->kind == 'D' && strlen(f->value) == 6 && !gs1_date(f->value, &days)) {
			rc = lp_warn(p, "GS1 AI (%s): '%s' is not a valid date YYMMDD", f->id,
				     excerpt(f->value, strlen(f->value), e));
			if (rc)
				return rc;
		}
		if (!strcmp(f->id, "00") && strlen(f->value) == 18 &&
		    f->value[17] != gs1_check_digit(f->value, 18)) {
			rc = lp_warn(p, "GS1 AI (00): SSCC %s has a wrong check digit", f->value);
			if (rc)
				return rc;
		}
	}
	l->format = "gs1";
	set_named(&l->gtin, lp_get(p, "01"));
	set_named(&l->lot, lp_get(p, "10"));
	set_named(&l->serial, lp_get(p, "21"));
	set_named(&l->serial, lp_get(p, "00"));
	set_named(&l->mpn, lp_get(p, "240"));
	set_named(&l->customer_pn, lp_get(p, "241"));
	set_named(&l->po, lp_get(p, "400"));
	rc = set_quantity(p, "(30)", lp_get(p, "30"));
	if (rc == ECMS_OK)
		rc = set_quantity(p, "(37)", lp_get(p, "37"));
	if (rc)
		return rc;
	if ((v = lp_get(p, "11")) != NULL) {
		int iy, iw;
		l->date_code = v;
		if (gs1_date(v, &days)) {
			iso_week_of(days, &iy, &iw);
			if ((rc = set_week(p, iy, iw)) != ECMS_OK)
				return rc;
		}
	}
	v = lp_get(p, "17");
	if (v == NULL || !gs1_date(v, &days))
		v = lp_get(p, "15");
	if (v && gs1_date(v, &days)) {
		char buf[11];
		l->expiry = lp_strn(p, ecms_date_format(days * INT64_C(86400000), buf), 10);
		if (l->expiry == NULL)
			return lp_nomem(p);
	}
	if ((v = lp_get(p, "422")) != NULL) {
		l->country = strlen(v) == 3 && all_digits(v, 3) ? country_alpha2(num(v, 3)) : NULL;
		if (l->country == NULL) {
			rc = lp_warn(p, "GS1 AI (422): %s is not an ISO 3166 country number", v);
			if (rc)
				return rc;
		}
	}
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * ISO/IEC 15434 format 06: EIGP 114 data identifiers
 * ------------------------------------------------------------------ */

/*
 * Split a data identifier (0-3 digits and a letter) off the n bytes at s.
 * Leading zeros are dropped, the letter upper-cased. Writes the DI into
 * id (NUL-terminated), its length in the input into *dilen and whether
 * the letter was lower case into *lower. False when s does not start
 * with a DI.
 */
static bool
split_di(const char *s, size_t n, char id[5], size_t *dilen, bool *lower)
{
	size_t d = 0, z = 0, o = 0;

	while (d < n && d < 4 && is_digit(s[d]))
		d++;
	if (d > 3 || d >= n || !is_alpha(s[d]))
		return false;
	while (z < d && s[z] == '0')
		z++;
	for (size_t i = z; i < d; i++)
		id[o++] = s[i];
	id[o++] = to_upper(s[d]);
	id[o] = '\0';
	*dilen = d + 1;
	*lower = is_lower(s[d]);
	return true;
}

/* Read one GS-separated field. lower collects lower-case DIs as read. */
static int
eigp_field(struct lp *p, const char *s, size_t n, size_t pos, ecms_buf *lower, size_t *nbad)
{
	char id[5], e[EXCERPT_OUT];
	size_t dl;
	bool low;
	int rc;

	if (!split_di(s, n, id, &dl, &low)) {
		(*nbad)++;
		rc = lp_warn(p, "field at byte %zu ('%s') does not start with a data identifier "
			     "(0-3 digits and a letter); kept without one", pos + 1,
			     excerpt(s, n, e));
		return rc ? rc : lp_field(p, "", 0, s, n);
	}
	if (low && ecms__buf_printf(lower, "%s%.*s", lower->len ? ", " : "", (int)dl, s))
		return lp_nomem(p);
	if (dl > strlen(id)) {
		rc = lp_warn(p, "data identifier '%.*s' read as '%s'", (int)dl, s, id);
		if (rc)
			return rc;
	}
	return lp_field(p, id, strlen(id), s + dl, n - dl);
}

/* Which distributor wrote an EIGP label, from the identifiers present. */
static const char *
eigp_supplier(const struct lp *p)
{
	/* Most specific first: 1V (manufacturer) is standard EIGP, 3P is not. */
	static const struct {
		const char *id, *supplier;
	} hints[] = {
		{"11Z", "digikey"}, {"12Z", "digikey"}, {"13Z", "digikey"}, {"20Z", "digikey"},
		{"14K", "mouser"}, {"3P", "farnell"}, {"1V", "mouser"},
	};

	for (size_t i = 0; i < ECMS_ARRAY_LEN(hints); i++)
		for (size_t j = 0; j < p->l->nfields; j++)
			if (!strcmp(p->l->fields[j].id, hints[i].id))
				return hints[i].supplier;
	return NULL;
}

/* Named fields from EIGP identifiers; earlier entries win. */
static const struct {
	const char *id;
	size_t off;
} eigp_map[] = {
	{"1P", offsetof(ecms_label, mpn)},
	{"1V", offsetof(ecms_label, manufacturer)},
	{"30P", offsetof(ecms_label, supplier_pn)},
	{"3P", offsetof(ecms_label, supplier_pn)},
	{"1T", offsetof(ecms_label, lot)},
	{"31T", offsetof(ecms_label, lot)},
	{"T", offsetof(ecms_label, lot)},
	{"9D", offsetof(ecms_label, date_code)},
	{"10D", offsetof(ecms_label, date_code)},
	{"16D", offsetof(ecms_label, date_code)},
	{"4L", offsetof(ecms_label, country)},
	{"K", offsetof(ecms_label, po)},
	{"4K", offsetof(ecms_label, po_line)},
	{"14K", offsetof(ecms_label, po_line)},
	{"1K", offsetof(ecms_label, supplier_order)},
	{"11K", offsetof(ecms_label, packing_list)},
};

static const char **
slot(ecms_label *l, size_t off)
{
	return (const char **)(void *)((char *)l + off);
}

static int
eigp_map_fields(struct lp *p)
{
	ecms_label *l = p->l;
	const char *pv;
	int rc = ECMS_OK;

	l->supplier = eigp_supplier(p);
	for (size_t i = 0; i < ECMS_ARRAY_LEN(eigp_map); i++)
		set_named(slot(l, eigp_map[i].off), lp_get(p, eigp_map[i].id));
	for (size_t i = 0; i < l->nfields && l->serial == NULL; i++) {
		const char *id = l->fields[i].id;
		if (!strcmp(id, "S") || !strcmp(id, "3S") || !strcmp(id, "4S") || !strcmp(id, "5S"))
			set_named(&l->serial, l->fields[i].value);
	}
	/* P is the customer's part number, except where Digi-Key puts its own there. */
	pv = lp_get(p, "P");
	if (pv && l->supplier && !strcmp(l->supplier, "digikey") && l->supplier_pn == NULL)
		l->supplier_pn = pv;
	else if (pv && (l->supplier_pn == NULL || strcmp(pv, l->supplier_pn)))
		l->customer_pn = pv;
	rc = set_quantity(p, "Q", lp_get(p, "Q"));
	for (size_t i = 0; rc == ECMS_OK && i < ECMS_ARRAY_LEN(eigp_map); i++)
		rc = warn_duplicate(p, eigp_map[i].id, "data identifier");
	if (rc == ECMS_OK)
		rc = warn_duplicate(p, "Q", "data identifier");
	if (rc == ECMS_OK)
		rc = warn_duplicate(p, "P", "data identifier");
	return rc;
}

static const char *
ctl_name(char c)
{
	return c == GS ? "<GS>" : c == RS ? "<RS>" : "<EOT>";
}

/*
 * Read the fields of format 06 envelopes from s[k, end): GS separates
 * fields; RS + two digits + GS opens another envelope (only 06 is read).
 */
static int
eigp_fields(struct lp *p, const char *s, size_t k, size_t end)
{
	ecms_buf lower;
	size_t nempty = 0, nbad = 0, nreal = 0;
	bool skip = false;
	int rc = ECMS_OK;

	ecms__buf_init(&lower, 0);
	while (k <= end && rc == ECMS_OK) {
		size_t e = k;
		while (e < end && s[e] != GS && s[e] != RS)
			e++;
		if (!skip && e == k && end > k)
			nempty++;
		else if (!skip && e > k) {
			rc = eigp_field(p, s + k, e - k, k, &lower, &nbad);
			nreal++;
		}
		if (rc == ECMS_OK && e < end && s[e] == RS) {
			if (e + 3 <= end && is_digit(s[e + 1]) && is_digit(s[e + 2]) &&
			    (e + 3 == end || s[e + 3] == GS)) {
				skip = !(s[e + 1] == '0' && s[e + 2] == '6');
				if (skip)
					rc = lp_warn(p, "ISO/IEC 15434 format %c%c envelope "
						     "at byte %zu ignored", s[e + 1], s[e + 2],
						     e + 2);
				k = e + 4;
				continue;
			}
			rc = lp_warn(p, "RS at byte %zu inside the data read as a field "
				     "separator", e + 1);
		}
		k = e + 1;
	}
	if (rc == ECMS_OK && nempty)
		rc = lp_warn(p, "%zu empty field%s (GS GS) ignored", nempty, nempty > 1 ? "s" : "");
	if (rc == ECMS_OK && lower.len)
		rc = lp_warn(p, "lower-case data identifiers upper-cased (caps lock?): %s; "
			     "values kept as scanned", lower.data);
	ecms__buf_cleanup(&lower);
	if (rc)
		return rc;
	if (nreal == 0 || nreal == nbad)
		return ecms__fail(p->err, ECMS_EINVAL, "scan", "the EIGP 114 label holds no "
				  "data identifiers");
	return ECMS_OK;
}

/* ISO/IEC 15434: header, format, trailer; format 06 or 05 inside. */
static int
parse_15434(struct lp *p)
{
	const char *s = p->s;
	size_t n = p->n, i, j;
	bool old = s[0] == '>', rs_ok, gs_ok, gs1;
	char e[EXCERPT_OUT], tr[32], fmt[3];
	int rc;

	i = old ? 4 : 3;
	rs_ok = i < n && s[i] == RS;
	if (rs_ok)
		i++;
	if (i + 2 > n || !is_digit(s[i]) || !is_digit(s[i + 1]))
		return ecms__fail(p->err, ECMS_EINVAL, "scan", "ISO/IEC 15434 header '[)>' is "
				  "not followed by a two-digit format number: '%s'",
				  excerpt(s + i, n - i, e));
	if (memcmp(s + i, "06", 2) && memcmp(s + i, "05", 2))
		return ecms__fail(p->err, ECMS_EINVAL, "scan", "ISO/IEC 15434 format %c%c is not "
				  "a label format read here (06 = EIGP 114 data identifiers, "
				  "05 = GS1)", s[i], s[i + 1]);
	fmt[0] = s[i];
	fmt[1] = s[i + 1];
	fmt[2] = '\0';
	gs1 = fmt[1] == '5';
	i += 2;
	gs_ok = i < n && s[i] == GS;
	if (gs_ok)
		i++;
	if (!memchr(s + i, GS, n - i) && !gs_ok)
		return ecms__fail(p->err, ECMS_EINVAL, "scan", "the label ('%s') has lost its "
				  "field separators: there is no GS between the fields, so they "
				  "cannot be split without guessing; configure the scanner to send "
				  "GS/RS control characters (or printable substitutes, then use "
				  "--gs/--rs)", excerpt(s, n, e));
	p->l->compliant_header = !old && rs_ok && gs_ok;
	if (old)
		rc = lp_warn(p, "old header '>[)>%s' (Mouser) read as '[)>' RS '%s' GS", fmt, fmt);
	else if (!rs_ok)
		rc = lp_warn(p, "header lacks the RS after '[)>'");
	else
		rc = ECMS_OK;
	if (rc == ECMS_OK && !gs_ok)
		rc = lp_warn(p, "header lacks the GS after the format number");
	if (rc)
		return rc;
	/* Trailer: RS EOT, often missing or mangled; whatever is there ends the data. */
	j = n;
	while (j > i && (s[j - 1] == GS || s[j - 1] == RS || s[j - 1] == EOT))
		j--;
	p->l->compliant_trailer = n - j == 2 && s[j] == RS && s[j + 1] == EOT;
	if (j == n) {
		rc = lp_warn(p, "no RS EOT trailer at the end (many labels omit it)");
	} else if (!p->l->compliant_trailer) {
		size_t o = 0, k = j;
		for (; k < n && o + 6 < sizeof(tr); k++)
			o += (size_t)snprintf(tr + o, sizeof(tr) - o, "%s", ctl_name(s[k]));
		rc = lp_warn(p, "trailer %s%s read as the end of the data (expected <RS><EOT>)",
			     tr, k < n ? "..." : "");
	}
	if (rc)
		return rc;
	if (gs1) {
		rc = gs1_read_raw(p, s + i, j - i);
		return rc ? rc : gs1_map(p);
	}
	p->l->format = "eigp114";
	rc = eigp_fields(p, s, i, j);
	return rc ? rc : eigp_map_fields(p);
}

/* ------------------------------------------------------------------
 * LCSC: {pbn:...,on:...,pc:C123,pm:MPN,qty:10,...}
 * ------------------------------------------------------------------ */

static int
parse_lcsc(struct lp *p)
{
	const char *s = p->s;
	size_t n = p->n, k = 1, item = 0;
	ecms_label *l = p->l;
	char e[EXCERPT_OUT];
	int rc = ECMS_OK;

	if (n < 2 || s[n - 1] != '}')
		return ecms__fail(p->err, ECMS_EINVAL, "scan", "LCSC code '%s' does not end with "
				  "'}' (cut short?)", excerpt(s, n, e));
	while (k < n - 1 && rc == ECMS_OK) {
		size_t end = k, c;
		while (end < n - 1 && s[end] != ',')
			end++;
		item++;
		for (c = k; c < end && s[c] != ':'; c++)
			;
		if (end == k)
			rc = lp_warn(p, "LCSC code: empty item %zu ignored", item);
		else if (c == end || c == k)
			return ecms__fail(p->err, ECMS_EINVAL, "scan",
					  "LCSC code: item %zu ('%s') is not key:value", item,
					  excerpt(s + k, end - k, e));
		else
			rc = lp_field(p, s + k, c - k, s + c + 1, end - c - 1);
		k = end + 1;
	}
	if (rc)
		return rc;
	if (!lp_get_nocase(p, "pc") && !lp_get_nocase(p, "pm"))
		return ecms__fail(p->err, ECMS_EINVAL, "scan", "LCSC code has neither 'pc' (LCSC "
				  "part number) nor 'pm' (manufacturer part number)");
	l->format = "lcsc";
	l->supplier = "lcsc";
	set_named(&l->mpn, lp_get_nocase(p, "pm"));
	set_named(&l->supplier_pn, lp_get_nocase(p, "pc"));
	set_named(&l->supplier_order, lp_get_nocase(p, "on"));
	return set_quantity(p, "qty", lp_get_nocase(p, "qty"));
}

/* ------------------------------------------------------------------
 * TME
 * ------------------------------------------------------------------ */

static const char *const tme_keys[] = {"QTY", "PN", "PO", "CPO", "MFR", "MPN", "CoO"};

/* Is the token at s (n bytes) "KEY:..." with a TME key? */
static bool
tme_key_token(const char *s, size_t n)
{
	for (size_t i = 0; i < ECMS_ARRAY_LEN(tme_keys); i++) {
		size_t k = strlen(tme_keys[i]);
		if (n > k && s[k] == ':' && starts_nocase(s, n, tme_keys[i]))
			return true;
	}
	return false;
}

static bool
is_url(const char *s, size_t n)
{
	return starts_nocase(s, n, "https://") || starts_nocase(s, n, "http://");
}

static int
hexval(char c)
{
	if (is_digit(c))
		return c - '0';
	c = to_upper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The order number of "order/line". */
static int
set_order(struct lp *p, const char *v)
{
	const char *slash;

	if (v == NULL || p->l->supplier_order)
		return ECMS_OK;
	slash = strchr(v, '/');
	if (slash == NULL) {
		p->l->supplier_order = v;
		return ECMS_OK;
	}
	if (slash == v)
		return ECMS_OK;
	p->l->supplier_order = lp_strn(p, v, (size_t)(slash - v));
	return p->l->supplier_order ? ECMS_OK : lp_nomem(p);
}

/* TME's part number from ".../details/<PN>" (percent-decoded), or NULL. */
static int
tme_url_pn(struct lp *p, const char *url, const char **out)
{
	ptrdiff_t at = find_nocase(url, strlen(url), "/details/");
	ecms_buf b;
	const char *s;
	uint32_t cp;

	*out = NULL;
	if (at < 0)
		return ECMS_OK;
	ecms__buf_init(&b, 0);
	for (s = url + at + 9; *s && *s != '/' && *s != '?' && *s != '#'; s++) {
		char c = *s;
		if (c == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
			c = (char)(hexval(s[1]) * 16 + hexval(s[2]));
			s += 2;
		}
		if (c == '\0' || ecms__buf_addc(&b, c)) {
			ecms__buf_cleanup(&b);
			return c == '\0' ? ECMS_OK : lp_nomem(p);
		}
	}
	for (size_t i = 0; i < b.len;) {
		size_t k = utf8_seq((const unsigned char *)b.data + i, b.len - i, &cp);
		if (k == 0) {
			ecms__buf_cleanup(&b);
			return ECMS_OK;
		}
		i += k;
	}
	if (b.len == 0) {
		ecms__buf_cleanup(&b);
		return ECMS_OK;
	}
	*out = lp_keep(p, ecms__buf_take(&b));
	return *out ? ECMS_OK : lp_nomem(p);
}

/* Is the scan a TME QR code? 1 yes, 0 no, -1 TME-like without the URL. */
static int
tme_qr_kind(const char *s, size_t n)
{
	size_t k = 0, nkeys = 0;
	bool url = false;

	while (k < n) {
		size_t e = k;
		while (e < n && s[e] != ' ')
			e++;
		if (e > k && is_url(s + k, e - k)) {
			if (find_nocase(s + k, e - k, "tme.eu/") >= 0)
				url = true;
		} else if (e > k && tme_key_token(s + k, e - k)) {
			nkeys++;
		} else if (k == 0) {
			return 0;
		}
		k = e + 1;
	}
	if (nkeys == 0)
		return 0;
	return url ? 1 : nkeys >= 2 ? -1 : 0;
}

/* TME QR: "QTY:1 PN:X PO:1/1 CPO:... MFR:... MPN:... CoO:TH RoHS https://www.tme.eu/...". */
static int
parse_tme_qr(struct lp *p)
{
	const char *s = p->s, *url = NULL, *upn = NULL;
	size_t n = p->n, k = 0;
	ecms_label *l = p->l;
	char e1[EXCERPT_OUT], e2[EXCERPT_OUT];
	int rc = ECMS_OK;

	while (k < n && rc == ECMS_OK) {
		size_t e = k, c;
		while (e < n && s[e] != ' ')
			e++;
		if (e == k) {
			k++;
			continue;
		}
		if (is_url(s + k, e - k)) {
			rc = lp_field(p, "URL", 3, s + k, e - k);
			if (rc == ECMS_OK && url == NULL)
				url = l->fields[l->nfields - 1].value;
		} else if (e - k == 4 && starts_nocase(s + k, 4, "RoHS")) {
			rc = lp_field(p, s + k, 4, "", 0);
		} else {
			/* KEY:VALUE; the value runs to the next key, RoHS or URL token. */
			size_t v, ve = e;
			for (c = k; c < e && s[c] != ':'; c++)
				;
			if (c == e) {
				rc = lp_warn(p, "TME code: '%s' at byte %zu is not KEY:VALUE; kept "
					     "without a key", excerpt(s + k, e - k, e1), k + 1);
				if (rc == ECMS_OK)
					rc = lp_field(p, "", 0, s + k, e - k);
				k = e + 1;
				continue;
			}
			v = c + 1;
			while (ve < n) {
				size_t t = ve + 1, te = t;
				while (te < n && s[te] != ' ')
					te++;
				if (te == t || tme_key_token(s + t, te - t) ||
				    is_url(s + t, te - t) ||
				    (te - t == 4 && starts_nocase(s + t, 4, "RoHS")) ||
				    memchr(s + t, ':', te - t))
					break;
				ve = te;
			}
			rc = lp_field(p, s + k, c - k, s + v, ve - v);
			e = ve;
		}
		k = e + 1;
	}
	if (rc)
		return rc;
	l->format = "tme";
	l->supplier = "tme";
	set_named(&l->mpn, lp_get_nocase(p, "MPN"));
	set_named(&l->manufacturer, lp_get_nocase(p, "MFR"));
	set_named(&l->supplier_pn, lp_get_nocase(p, "PN"));
	set_named(&l->po, lp_get_nocase(p, "CPO"));
	set_named(&l->country, lp_get_nocase(p, "CoO"));
	rc = set_quantity(p, "QTY", lp_get_nocase(p, "QTY"));
	if (rc == ECMS_OK)
		rc = set_order(p, lp_get_nocase(p, "PO"));
	if (rc == ECMS_OK && url)
		rc = tme_url_pn(p, url, &upn);
	if (rc || url == NULL || upn == NULL)
		return rc;
	if (l->supplier_pn == NULL)
		l->supplier_pn = upn;
	else if (!ecms__streq_nocase(l->supplier_pn, upn))
		rc = lp_warn(p, "TME part number '%s' differs from the one in the URL ('%s')",
			     excerpt(l->supplier_pn, strlen(l->supplier_pn), e1),
			     excerpt(upn, strlen(upn), e2));
	return rc;
}

/* Is the scan TME's older DataMatrix "P<pn> 1P<mpn> Q<qty> [4L<cc>] K<order>"? */
static bool
tme_dm_match(const char *s, size_t n)
{
	static const char *const ok[] = {"P", "1P", "Q", "4L", "K"};
	unsigned seen = 0;
	size_t k = 0;

	while (k < n) {
		size_t e = k, dl;
		char id[5];
		bool low, known = false;
		while (e < n && s[e] != ' ')
			e++;
		if (e == k || !split_di(s + k, e - k, id, &dl, &low))
			return false;
		for (size_t i = 0; i < ECMS_ARRAY_LEN(ok); i++)
			if (!strcmp(id, ok[i])) {
				seen |= 1u << i;
				known = true;
			}
		if (!known)
			return false;
		k = e + 1;
	}
	return (seen & 7u) == 7u;
}

static int
parse_tme_dm(struct lp *p)
{
	const char *s = p->s;
	size_t n = p->n, k = 0, nb = 0;
	ecms_label *l = p->l;
	ecms_buf lower;
	int rc = ECMS_OK;

	ecms__buf_init(&lower, 0);
	while (k < n && rc == ECMS_OK) {
		size_t e = k;
		while (e < n && s[e] != ' ')
			e++;
		rc = eigp_field(p, s + k, e - k, k, &lower, &nb);
		k = e + 1;
	}
	if (rc == ECMS_OK && lower.len)
		rc = lp_warn(p, "lower-case data identifiers upper-cased (caps lock?): %s; "
			     "values kept as scanned", lower.data);
	ecms__buf_cleanup(&lower);
	if (rc)
		return rc;
	l->format = "tme";
	l->supplier = "tme";
	set_named(&l->supplier_pn, lp_get(p, "P"));
	set_named(&l->mpn, lp_get(p, "1P"));
	set_named(&l->country, lp_get(p, "4L"));
	rc = set_quantity(p, "Q", lp_get(p, "Q"));
	return rc ? rc : set_order(p, lp_get(p, "K"));
}

/* ------------------------------------------------------------------
 * Recognising the format
 * ------------------------------------------------------------------ */

static bool
is_gs1_symbology(const char *sym)
{
	static const char *const ids[] = {"]C1", "]d2", "]Q3", "]e0", "]J1"};

	for (size_t i = 0; sym && i < ECMS_ARRAY_LEN(ids); i++)
		if (!strcmp(sym, ids[i]))
			return true;
	return false;
}

/*
 * A raw string of digits and letters is taken as GS1 only when it reads
 * completely as AIs: the trial parse works on a scratch label.
 */
static int
gs1_raw_fits(struct lp *p, bool *fits)
{
	struct label_priv scratch;
	struct lp q;
	ecms_error e;
	int rc;

	memset(&scratch, 0, sizeof(scratch));
	q = *p;
	q.lab = &scratch;
	q.l = &scratch.pub;
	q.err = &e;
	rc = gs1_read_raw(&q, p->s, p->n);
	for (size_t i = 0; i < scratch.nstrs; i++)
		ecms__free(scratch.strs[i]);
	ecms__free(scratch.strs);
	ecms__free(scratch.fields);
	ecms__free(scratch.warnings);
	*fits = rc == ECMS_OK;
	if (rc == ECMS_ENOMEM)
		return lp_nomem(p);
	return ECMS_OK;
}

static int
dispatch(struct lp *p)
{
	const char *s = p->s;
	size_t n = p->n;
	char e[EXCERPT_OUT];
	bool fits;
	int rc, kind;

	if ((n >= 3 && !memcmp(s, "[)>", 3)) || (n >= 4 && !memcmp(s, ">[)>", 4)))
		return parse_15434(p);
	if (s[0] == '{')
		return parse_lcsc(p);
	if (gs1_paren_ai(s, n)) {
		rc = gs1_read_human(p, s, n);
		return rc ? rc : gs1_map(p);
	}
	if (is_gs1_symbology(p->l->symbology) || s[0] == GS) {
		rc = gs1_read_raw(p, s, n);
		return rc ? rc : gs1_map(p);
	}
	kind = tme_qr_kind(s, n);
	if (kind > 0)
		return parse_tme_qr(p);
	if (kind < 0)
		return ecms__fail(p->err, ECMS_EINVAL, "scan", "'%s' looks like a TME QR code "
				  "(KEY:VALUE tokens) but lacks the tme.eu product URL that "
				  "identifies one", excerpt(s, n, e));
	if (tme_dm_match(s, n))
		return parse_tme_dm(p);
	if (is_digit(s[0])) {
		rc = gs1_raw_fits(p, &fits);
		if (rc)
			return rc;
		if (fits) {
			rc = gs1_read_raw(p, s, n);
			return rc ? rc : gs1_map(p);
		}
	}
	return ecms__fail(p->err, ECMS_EINVAL, "scan", "unknown label format: '%s' is not "
			  "ISO/IEC 15434 ('[)>'), GS1, LCSC ('{...}') or TME", excerpt(s, n, e));
}

/* After the format: decode the date code, check what is left. */
static int
finish(struct lp *p)
{
	ecms_label *l = p->l;
	const char *dc = l->date_code;
	char e[EXCERPT_OUT];
	int iy, iw;

	if (dc == NULL || l->date_code_week)
		return ECMS_OK;
	if (ecms_datecode_decode(dc, &iy, &iw, NULL) == ECMS_OK)
		return set_week(p, iy, iw);
	if (ecms__streq_nocase(dc, "N/T") || ecms__streq_nocase(dc, "MIXED"))
		return ECMS_OK;
	return lp_warn(p, "date code '%s' is not in a known form (YYWW, YYYYWW, YYMMDD, "
		       "YYYYMMDD, YYYY-MM): no week", excerpt(dc, strlen(dc), e));
}

/* ------------------------------------------------------------------
 * Public functions
 * ------------------------------------------------------------------ */

void
ecms_label_free(ecms_label *label)
{
	struct label_priv *lab = (struct label_priv *)label;

	if (lab == NULL)
		return;
	for (size_t i = 0; i < lab->nstrs; i++)
		ecms__free(lab->strs[i]);
	ecms__free(lab->strs);
	ecms__free(lab->fields);
	ecms__free(lab->warnings);
	ecms__free(lab);
}

int
ecms_label_parse(const char *scan, size_t len, const ecms_label_opts *opts,
		 ecms_label **out, ecms_error *err)
{
	struct label_priv *lab;
	struct lp p;
	int rc;

	*out = NULL;
	if (scan == NULL && len > 0)
		return ecms__fail(err, ECMS_EUSAGE, NULL, "no scan given");
	rc = check_opts(opts, err);
	if (rc)
		return rc;
	if (len > ECMS_LABEL_MAX_SCAN)
		return ecms__fail(err, ECMS_EINVAL, "scan", "the scan is %zu bytes; a label "
				  "barcode holds at most %d", len, ECMS_LABEL_MAX_SCAN);
	lab = ecms__calloc(1, sizeof(*lab));
	if (lab == NULL)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory while reading the label");
	memset(&p, 0, sizeof(p));
	p.lab = lab;
	p.l = &lab->pub;
	p.err = err;
	rc = normalise(&p, scan ? scan : "", len, opts);
	if (rc == ECMS_OK)
		rc = dispatch(&p);
	if (rc == ECMS_OK)
		rc = finish(&p);
	if (rc) {
		ecms_label_free(&lab->pub);
		return rc;
	}
	*out = &lab->pub;
	return ECMS_OK;
}

#define LABEL_NAMED(X)                                                         \
	X(format) X(supplier) X(mpn) X(manufacturer) X(supplier_pn)            \
	X(customer_pn) X(quantity) X(lot) X(date_code) X(date_code_week)       \
	X(country) X(po) X(po_line) X(supplier_order) X(packing_list)          \
	X(serial) X(gtin) X(expiry)

#define NAME_STR(f) #f,
#define NAME_OFF(f) offsetof(ecms_label, f),

const char *const ecms_label_names[] = {LABEL_NAMED(NAME_STR) NULL};
static const size_t named_off[] = {LABEL_NAMED(NAME_OFF)};

const char *
ecms_label_get(const ecms_label *label, const char *name, char buf[ECMS_LABEL_NUMBUF])
{
	for (size_t i = 0; i < ECMS_ARRAY_LEN(named_off); i++) {
		if (strcmp(ecms_label_names[i], name))
			continue;
		if (named_off[i] == offsetof(ecms_label, quantity)) {
			if (!label->has_quantity)
				return NULL;
			snprintf(buf, ECMS_LABEL_NUMBUF, "%lld", (long long)label->quantity);
			return buf;
		}
		return *slot((ecms_label *)(uintptr_t)label, named_off[i]);
	}
	return NULL;
}

json_t *
ecms__label_json(const ecms_label *label)
{
	json_t *o = json_object(), *fields = json_array(), *warn = json_array();
	int bad = o == NULL || fields == NULL || warn == NULL;

	for (size_t i = 0; !bad && i < ECMS_ARRAY_LEN(named_off); i++) {
		json_t *v;
		if (named_off[i] == offsetof(ecms_label, quantity)) {
			v = label->has_quantity ? json_integer(label->quantity) : json_null();
		} else {
			const char *s = *slot((ecms_label *)(uintptr_t)label, named_off[i]);
			v = s ? json_string(s) : json_null();
		}
		bad = json_object_set_new(o, ecms_label_names[i], v) != 0;
	}
	for (size_t i = 0; !bad && i < label->nfields; i++)
		bad = json_array_append_new(fields, json_pack("{s:s, s:s}", "id",
							      label->fields[i].id, "value",
							      label->fields[i].value)) != 0;
	for (size_t i = 0; !bad && i < label->nwarnings; i++)
		bad = json_array_append_new(warn, json_string(label->warnings[i])) != 0;
	if (!bad) {
		bad = json_object_set(o, "fields", fields) || json_object_set(o, "warnings", warn);
	}
	json_decref(fields);
	json_decref(warn);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int
ecms_label_to_json(const ecms_label *label, bool pretty, char **out)
{
	json_t *j = ecms__label_json(label);

	*out = NULL;
	if (j == NULL)
		return ECMS_ENOMEM;
	*out = json_dumps(j, JSON_PRESERVE_ORDER | (pretty ? JSON_INDENT(2) : JSON_COMPACT));
	json_decref(j);
	return *out ? ECMS_OK : ECMS_ENOMEM;
}
