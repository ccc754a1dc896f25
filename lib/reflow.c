/*
 * reflow.c: reflow profiles as data: allocation and validation, the
 * profiler CSV import and export, the synthetic SAC305 curve, and the
 * locale-free number text the reflow module shares (reflow_int.h).
 */
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reflow_int.h"

/* ------------------------------------------------------------------
 * Numbers as text, independent of the process locale
 * ------------------------------------------------------------------ */

static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale;

static void
c_locale_init(void)
{
	/* (locale_t)0 on failure: the callers then use the process locale,
	 * which is "C" unless the program called setlocale(). */
	c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

static locale_t
get_c_locale(void)
{
	pthread_once(&c_locale_once, c_locale_init);
	return c_locale;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool
ecms__reflow_parse_num(const char *s, double *out)
{
	const char *p = s;
	size_t mant = 0, expd = 0;
	locale_t loc;
	char *end;
	double v;

	if (strlen(s) > 64)
		return false;
	if (*p == '+' || *p == '-')
		p++;
	while (is_digit(*p))
		p++, mant++;
	if (*p == '.') {
		p++;
		while (is_digit(*p))
			p++, mant++;
	}
	if (mant == 0)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		while (is_digit(*p))
			p++, expd++;
		if (expd == 0 || expd > 4)
			return false;
	}
	if (*p != '\0')
		return false;
	loc = get_c_locale();
	v = loc ? strtod_l(s, &end, loc) : strtod(s, &end);
	if (*end != '\0' || !isfinite(v))
		return false;
	*out = v == 0 ? 0 : v; /* no -0: it would print as "0" */
	return true;
}

int
ecms__reflow_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	locale_t loc = get_c_locale(), old = (locale_t)0;
	int r;

	if (loc)
		old = uselocale(loc);
	r = vsnprintf(buf, n, fmt, ap);
	if (loc)
		uselocale(old);
	return r;
}

int
ecms__reflow_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = ecms__reflow_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

char *
ecms__reflow_fmt_num(double v, char *buf, size_t n)
{
	double back;
	int prec;

	if (isnan(v)) {
		ecms__strlcpy(buf, "none", n);
		return buf;
	}
	if (v == 0) /* also -0 */
		v = 0;
	if (v == floor(v) && fabs(v) < 1e15) {
		ecms__reflow_snprintf(buf, n, "%.0f", v);
		return buf;
	}
	for (prec = 1; prec <= 17; prec++) {
		ecms__reflow_snprintf(buf, n, "%.*g", prec, v);
		if (ecms__reflow_parse_num(buf, &back) && back == v)
			break;
	}
	return buf;
}

void
ecms__reflow_quote(const char *s, char *out, size_t n)
{
	size_t i, o = 0;

	for (i = 0; s[i] && o + 4 < n; i++) {
		if (i == 40) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		out[o++] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
	}
	out[o] = '\0';
}

/* ------------------------------------------------------------------
 * Curve helpers
 * ------------------------------------------------------------------ */

double
ecms__reflow_cross(double t0, double y0, double t1, double y1, double th)
{
	return t0 + (th - y0) / (y1 - y0) * (t1 - t0);
}

double
ecms__reflow_seg_above(double t0, double y0, double t1, double y1, double th)
{
	if (y0 >= th && y1 >= th)
		return t1 - t0;
	if (y0 < th && y1 < th)
		return 0;
	if (y0 >= th)
		return ecms__reflow_cross(t0, y0, t1, y1, th) - t0;
	return t1 - ecms__reflow_cross(t0, y0, t1, y1, th);
}

/* ------------------------------------------------------------------
 * Profiles
 * ------------------------------------------------------------------ */

void
ecms_reflow_profile_free(struct ecms_reflow_profile *p)
{
	size_t c;

	if (p == NULL)
		return;
	if (p->ch)
		for (c = 0; c < p->nchannels; c++)
			ecms__free(p->ch[c].temp_c);
	ecms__free(p->ch);
	ecms__free(p->time_s);
	ecms__free(p);
}

/* A profile with nch channels and room for cap samples (nsamples 0). */
static struct ecms_reflow_profile *
profile_alloc(size_t nch, size_t cap)
{
	struct ecms_reflow_profile *p = ecms__calloc(1, sizeof(*p));
	size_t c;

	if (p == NULL)
		return NULL;
	p->ch = ecms__calloc(nch, sizeof(*p->ch));
	if (p->ch == NULL) {
		ecms__free(p);
		return NULL;
	}
	p->nchannels = nch;
	p->time_s = ecms__calloc(cap, sizeof(double));
	if (p->time_s == NULL)
		goto oom;
	for (c = 0; c < nch; c++) {
		ecms__reflow_snprintf(p->ch[c].name, sizeof(p->ch[c].name), "TC%zu",
				      c + 1);
		p->ch[c].temp_c = ecms__calloc(cap, sizeof(double));
		if (p->ch[c].temp_c == NULL)
			goto oom;
	}
	return p;
oom:
	ecms_reflow_profile_free(p);
	return NULL;
}

int
ecms_reflow_profile_new(size_t nchannels, size_t nsamples,
			struct ecms_reflow_profile **out, ecms_error *err)
{
	*out = NULL;
	if (nchannels == 0 || nchannels > ECMS_REFLOW_MAX_CHANNELS)
		return ecms__fail(err, ECMS_EINVAL, "nchannels",
				  "%zu channels; a profile has 1 to %d", nchannels,
				  ECMS_REFLOW_MAX_CHANNELS);
	if (nsamples == 0 || nsamples > ECMS_REFLOW_MAX_SAMPLES)
		return ecms__fail(err, ECMS_EINVAL, "nsamples",
				  "%zu samples; a profile has 1 to %d", nsamples,
				  ECMS_REFLOW_MAX_SAMPLES);
	*out = profile_alloc(nchannels, nsamples);
	if (*out == NULL)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory for a profile");
	(*out)->nsamples = nsamples;
	return ECMS_OK;
}

static bool
name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

int
ecms_reflow_profile_validate(const struct ecms_reflow_profile *p, ecms_error *err)
{
	char a[32], b[32], q[48];
	size_t i, c, d;

	if (p == NULL || p->time_s == NULL || p->ch == NULL)
		return ecms__fail(err, ECMS_EINVAL, NULL, "no profile");
	if (p->nsamples < 2 || p->nsamples > ECMS_REFLOW_MAX_SAMPLES)
		return ecms__fail(err, ECMS_EINVAL, "nsamples",
				  "%zu samples; a profile needs 2 to %d", p->nsamples,
				  ECMS_REFLOW_MAX_SAMPLES);
	if (p->nchannels == 0 || p->nchannels > ECMS_REFLOW_MAX_CHANNELS)
		return ecms__fail(err, ECMS_EINVAL, "nchannels",
				  "%zu channels; a profile has 1 to %d", p->nchannels,
				  ECMS_REFLOW_MAX_CHANNELS);
	for (c = 0; c < p->nchannels; c++) {
		if (memchr(p->ch[c].name, '\0', sizeof(p->ch[c].name)) == NULL ||
		    !name_ok(p->ch[c].name))
			return ecms__fail(err, ECMS_EINVAL, "name",
					  "channel %zu: the name is empty or holds "
					  "control characters", c + 1);
		for (d = 0; d < c; d++)
			if (strcmp(p->ch[c].name, p->ch[d].name) == 0) {
				ecms__reflow_quote(p->ch[c].name, q, sizeof(q));
				return ecms__fail(err, ECMS_EINVAL, "name",
						  "channels %zu and %zu are both named '%s'",
						  d + 1, c + 1, q);
			}
		if (p->ch[c].temp_c == NULL)
			return ecms__fail(err, ECMS_EINVAL, p->ch[c].name,
					  "channel '%s' has no temperatures", p->ch[c].name);
	}
	for (i = 0; i < p->nsamples; i++) {
		double t = p->time_s[i];

		if (!isfinite(t))
			return ecms__fail(err, ECMS_EINVAL, "time",
					  "sample %zu: the time is not a number", i + 1);
		if (fabs(t) > ECMS_REFLOW_TIME_MAX_S)
			return ecms__fail(err, ECMS_EINVAL, "time",
					  "sample %zu: time %s s is not within +-%g s", i + 1,
					  ecms__reflow_fmt_num(t, a, sizeof(a)),
					  ECMS_REFLOW_TIME_MAX_S);
		if (i > 0 && !(t > p->time_s[i - 1]))
			return ecms__fail(err, ECMS_EINVAL, "time",
					  "sample %zu: time %s s does not come after %s s; "
					  "times must strictly increase", i + 1,
					  ecms__reflow_fmt_num(t, a, sizeof(a)),
					  ecms__reflow_fmt_num(p->time_s[i - 1], b,
							       sizeof(b)));
		for (c = 0; c < p->nchannels; c++) {
			double y = p->ch[c].temp_c[i];

			if (!isfinite(y))
				return ecms__fail(err, ECMS_EINVAL, p->ch[c].name,
						  "sample %zu: channel '%s': the temperature "
						  "is not a number", i + 1, p->ch[c].name);
			if (!(y >= ECMS_REFLOW_TEMP_MIN_C && y <= ECMS_REFLOW_TEMP_MAX_C))
				return ecms__fail(err, ECMS_EINVAL, p->ch[c].name,
						  "sample %zu: channel '%s': %s °C is outside "
						  "the plausible %g..%g °C", i + 1,
						  p->ch[c].name,
						  ecms__reflow_fmt_num(y, a, sizeof(a)),
						  ECMS_REFLOW_TEMP_MIN_C, ECMS_REFLOW_TEMP_MAX_C);
		}
	}
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * CSV import
 * ------------------------------------------------------------------ */

#define CSV_FIELD_MAX 128
#define CSV_MAX_FIELDS (ECMS_REFLOW_MAX_CHANNELS + 2)

struct csv {
	const char *fname;
	const char *p, *end;
	const char *ls, *le;   /* the current line, without its end */
	size_t lineno;	       /* of the current line, from 1 */
	char delim;
	char field[CSV_MAX_FIELDS][CSV_FIELD_MAX];
	size_t nf;	       /* fields on the line (some may not be kept) */
	char timecol[CSV_FIELD_MAX];
	struct ecms_reflow_profile *prof;
	size_t cap;	       /* samples the arrays hold */
	ecms_error *err;
};

/* Step to the next line. False at the end of the text. */
static bool
csv_next_line(struct csv *cs)
{
	const char *q;

	if (cs->p >= cs->end)
		return false;
	cs->lineno++;
	cs->ls = cs->p;
	for (q = cs->p; q < cs->end && *q != '\n' && *q != '\r'; q++)
		;
	cs->le = q;
	if (q < cs->end && *q == '\r')
		q++;
	if (q < cs->end && *q == '\n' && (q == cs->le || q[-1] == '\r'))
		q++;
	cs->p = q;
	return true;
}

/* Blank or a '#' comment. */
static bool
csv_skip_line(const struct csv *cs)
{
	const char *q;

	for (q = cs->ls; q < cs->le && (*q == ' ' || *q == '\t'); q++)
		;
	return q == cs->le || *q == '#';
}

/* The name of column i for messages: the header text, or "column N". */
static const char *
csv_colname(const struct csv *cs, size_t i, char *buf, size_t n)
{
	char q[48];

	if (cs->prof == NULL || i > cs->prof->nchannels)
		ecms__reflow_snprintf(buf, n, "column %zu", i + 1);
	else {
		ecms__reflow_quote(i == 0 ? cs->timecol : cs->prof->ch[i - 1].name, q,
				   sizeof(q));
		ecms__reflow_snprintf(buf, n, "column '%s'", q);
	}
	return buf;
}

static int
csv_fail(struct csv *cs, size_t col, const char *fmt, ...) ECMS_PRINTF(3, 4);

/* Fail with "<file>:<line>: <column>: <message>"; col (size_t)-1 for no
 * column. err->field is the column's name. */
static int
csv_fail(struct csv *cs, size_t col, const char *fmt, ...)
{
	char msg[ECMS_ERRMSG_MAX], cn[96];
	const char *field = "";
	va_list ap;

	va_start(ap, fmt);
	ecms__reflow_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (col == (size_t)-1)
		return ecms__fail(cs->err, ECMS_EINVAL, NULL, "%s:%zu: %s", cs->fname,
				  cs->lineno, msg);
	if (cs->prof && col <= cs->prof->nchannels)
		field = col == 0 ? cs->timecol : cs->prof->ch[col - 1].name;
	return ecms__fail(cs->err, ECMS_EINVAL, field, "%s:%zu: %s: %s", cs->fname,
			  cs->lineno, csv_colname(cs, col, cn, sizeof(cn)), msg);
}

/* Split the current line into cs->field, unquoting and trimming. */
static int
csv_split(struct csv *cs)
{
	const char *q = cs->ls, *e = cs->le;
	size_t i = 0;

	for (;;) {
		char *out = i < CSV_MAX_FIELDS ? cs->field[i] : NULL;
		size_t o = 0;
		bool quoted = false;

		while (q < e && (*q == ' ' || (*q == '\t' && cs->delim != '\t')))
			q++;
		if (q < e && *q == '"') {
			quoted = true;
			for (q++;; q++) {
				if (q >= e)
					return csv_fail(cs, i, "the quote is not closed");
				if (*q == '"') {
					if (q + 1 < e && q[1] == '"')
						q++;
					else
						break;
				}
				if (out && o + 1 >= CSV_FIELD_MAX)
					return csv_fail(cs, i, "longer than %d characters",
							CSV_FIELD_MAX - 1);
				if (out)
					out[o++] = *q;
			}
			q++;
			while (q < e && (*q == ' ' || (*q == '\t' && cs->delim != '\t')))
				q++;
			if (q < e && *q != cs->delim)
				return csv_fail(cs, i, "text after the closing quote");
		} else {
			while (q < e && *q != cs->delim) {
				if (out && o + 1 >= CSV_FIELD_MAX)
					return csv_fail(cs, i, "longer than %d characters",
							CSV_FIELD_MAX - 1);
				if (out)
					out[o++] = *q;
				q++;
			}
			while (!quoted && o > 0 &&
			       (out[o - 1] == ' ' || (out[o - 1] == '\t' && cs->delim != '\t')))
				o--;
		}
		if (out) {
			size_t k;

			for (k = 0; k < o; k++)
				if ((unsigned char)out[k] < 0x20 || out[k] == 0x7f)
					return csv_fail(cs, i, "control character 0x%02x",
							(unsigned char)out[k]);
			out[o] = '\0';
		}
		i++;
		if (q >= e)
			break;
		q++; /* the delimiter */
	}
	cs->nf = i;
	return ECMS_OK;
}

/* Drop one trailing empty field (a separator ending the line): always in
 * the header, in a row only when it is one field too many. */
static void
csv_drop_trailing(struct csv *cs)
{
	if (cs->nf > 1 && cs->nf <= CSV_MAX_FIELDS && cs->field[cs->nf - 1][0] == '\0' &&
	    (cs->prof == NULL || cs->nf == cs->prof->nchannels + 2))
		cs->nf--;
}

static char
csv_detect_delim(const char *s, const char *e)
{
	bool inq = false, tab = false, semi = false;

	for (; s < e; s++) {
		if (*s == '"')
			inq = !inq;
		else if (!inq && *s == ';')
			semi = true;
		else if (!inq && *s == '\t')
			tab = true;
	}
	return semi ? ';' : tab ? '\t' : ',';
}

static void
lower_trim(const char *s, size_t n, char *out, size_t outn)
{
	size_t o = 0;

	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (; n > 0 && o + 1 < outn; s++, n--)
		out[o++] = (*s >= 'A' && *s <= 'Z') ? (char)(*s + 32) : *s;
	out[o] = '\0';
}

static bool
in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* Column 1 of the header must name the time (in seconds or a clock). */
static int
csv_check_timecol(struct csv *cs)
{
	static const char *const bases[] = {"time", "t", "time_s", "t_s", "time_sec",
					    "elapsed", "elapsed time", "seconds",
					    "sec", NULL};
	static const char *const units[] = {"s", "sec", "secs", "seconds",
					    "mm:ss", "hh:mm:ss", "h:mm:ss",
					    "m:ss", NULL};
	const char *h = cs->field[0], *open;
	char base[CSV_FIELD_MAX], unit[CSV_FIELD_MAX], q[48];
	size_t blen;

	ecms__reflow_quote(h, q, sizeof(q));
	open = strpbrk(h, "([");
	blen = open ? (size_t)(open - h) : strlen(h);
	lower_trim(h, blen, base, sizeof(base));
	unit[0] = '\0';
	if (open) {
		char close = *open == '(' ? ')' : ']';
		const char *c = strchr(open, close);

		if (c == NULL || c[1] != '\0')
			return csv_fail(cs, (size_t)-1, "column 1: '%s' is not a time "
					"column; expected time, t, time_s or Time (s)", q);
		lower_trim(open + 1, (size_t)(c - open - 1), unit, sizeof(unit));
	}
	if (!in_list(base, bases))
		return csv_fail(cs, (size_t)-1, "column 1: '%s' is not a time column; "
				"expected time, t, time_s or Time (s)", q);
	if (open && !in_list(unit, units))
		return csv_fail(cs, (size_t)-1, "column 1: '%s': the time unit is not "
				"seconds; expected s or mm:ss", q);
	ecms__strlcpy(cs->timecol, h, sizeof(cs->timecol));
	return ECMS_OK;
}

static bool
looks_fahrenheit(const char *s)
{
	char l[CSV_FIELD_MAX];

	lower_trim(s, strlen(s), l, sizeof(l));
	return strstr(l, "\xc2\xb0" "f") || strstr(l, "(f)") || strstr(l, "[f]") ||
	       strstr(l, "degf") || strstr(l, "deg f") || strstr(l, "fahrenheit");
}

static int
csv_header(struct csv *cs)
{
	size_t nch, c, d;
	int rc;

	cs->delim = csv_detect_delim(cs->ls, cs->le);
	rc = csv_split(cs);
	if (rc)
		return rc;
	csv_drop_trailing(cs);
	rc = csv_check_timecol(cs);
	if (rc)
		return rc;
	if (cs->nf < 2)
		return csv_fail(cs, (size_t)-1, "no thermocouple columns after '%s'; "
				"expected e.g. 'time,TC1,TC2'", cs->timecol);
	nch = cs->nf - 1;
	if (nch > ECMS_REFLOW_MAX_CHANNELS)
		return csv_fail(cs, (size_t)-1, "%zu thermocouple columns; at most %d",
				nch, ECMS_REFLOW_MAX_CHANNELS);
	for (c = 1; c <= nch; c++) {
		const char *n = cs->field[c];
		char q[48];

		ecms__reflow_quote(n, q, sizeof(q));
		if (*n == '\0')
			return csv_fail(cs, c, "empty thermocouple name");
		if (strlen(n) >= ECMS_REFLOW_NAME_MAX)
			return csv_fail(cs, c, "thermocouple name '%s' longer than %d bytes",
					q, ECMS_REFLOW_NAME_MAX - 1);
		if (looks_fahrenheit(n))
			return csv_fail(cs, c, "'%s' is in Fahrenheit; export in °C", q);
		for (d = 1; d < c; d++)
			if (strcmp(n, cs->field[d]) == 0)
				return csv_fail(cs, c, "thermocouple '%s' appears twice "
						"(columns %zu and %zu)", q, d + 1, c + 1);
	}
	cs->prof = profile_alloc(nch, 0);
	if (cs->prof == NULL)
		return ecms__fail(cs->err, ECMS_ENOMEM, NULL, "out of memory");
	for (c = 0; c < nch; c++)
		ecms__strlcpy(cs->prof->ch[c].name, cs->field[c + 1],
			      sizeof(cs->prof->ch[c].name));
	return ECMS_OK;
}

/* Digits only, 1..maxd of them. */
static bool
all_digits(const char *s, size_t n, size_t maxd)
{
	size_t i;

	if (n == 0 || n > maxd)
		return false;
	for (i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* "mm:ss[.f]" or "hh:mm:ss[.f]". */
static bool
parse_clock(const char *s, double *out)
{
	const char *c1 = strchr(s, ':'), *c2, *sec;
	double h = 0, m, sv;
	char num[16];

	c2 = strchr(c1 + 1, ':');
	if (c2 && strchr(c2 + 1, ':'))
		return false;
	if (!all_digits(s, (size_t)(c1 - s), 7))
		return false;
	ecms__strlcpy(num, s, (size_t)(c1 - s) + 1);
	m = strtod(num, NULL);
	if (c2) {
		if (!all_digits(c1 + 1, (size_t)(c2 - c1 - 1), 2))
			return false;
		h = m;
		ecms__strlcpy(num, c1 + 1, (size_t)(c2 - c1));
		m = strtod(num, NULL);
		if (m >= 60)
			return false;
		sec = c2 + 1;
	} else {
		sec = c1 + 1;
	}
	/* Seconds: 1-2 digits, optional fraction, < 60. */
	if (!is_digit(sec[0]) || sec[strspn(sec, "0123456789")] == ':' ||
	    strspn(sec, "0123456789") > 2 || !ecms__reflow_parse_num(sec, &sv) ||
	    strpbrk(sec, "eE+-") || sv >= 60)
		return false;
	*out = h * 3600 + m * 60 + sv;
	return true;
}

static int
csv_grow(struct csv *cs)
{
	struct ecms_reflow_profile *p = cs->prof;
	size_t cap = cs->cap ? cs->cap * 2 : 256, c;
	double *t;

	if (cap > ECMS_REFLOW_MAX_SAMPLES)
		cap = ECMS_REFLOW_MAX_SAMPLES;
	t = ecms__realloc(p->time_s, cap * sizeof(double));
	if (t == NULL)
		return ECMS_ENOMEM;
	p->time_s = t;
	for (c = 0; c < p->nchannels; c++) {
		t = ecms__realloc(p->ch[c].temp_c, cap * sizeof(double));
		if (t == NULL)
			return ECMS_ENOMEM;
		p->ch[c].temp_c = t;
	}
	cs->cap = cap;
	return ECMS_OK;
}

static int
csv_row(struct csv *cs)
{
	struct ecms_reflow_profile *p = cs->prof;
	size_t i = p->nsamples, c;
	char q[48], a[32], b[32];
	double t;
	int rc;

	rc = csv_split(cs);
	if (rc)
		return rc;
	csv_drop_trailing(cs);
	if (cs->nf != p->nchannels + 1)
		return csv_fail(cs, (size_t)-1, "%zu field%s, expected %zu (time and %zu "
				"thermocouple%s)", cs->nf, cs->nf == 1 ? "" : "s",
				p->nchannels + 1, p->nchannels, p->nchannels == 1 ? "" : "s");
	if (i == ECMS_REFLOW_MAX_SAMPLES)
		return csv_fail(cs, (size_t)-1, "more than %d samples",
				ECMS_REFLOW_MAX_SAMPLES);
	ecms__reflow_quote(cs->field[0], q, sizeof(q));
	if (strchr(cs->field[0], ':') ? !parse_clock(cs->field[0], &t)
				      : !ecms__reflow_parse_num(cs->field[0], &t))
		return csv_fail(cs, 0, "'%s' is not a time; expected seconds (12.5), "
				"mm:ss or hh:mm:ss%s", q,
				strchr(cs->field[0], ',') ? " with a decimal point" : "");
	if (fabs(t) > ECMS_REFLOW_TIME_MAX_S)
		return csv_fail(cs, 0, "%s s is outside +-%g s",
				ecms__reflow_fmt_num(t, a, sizeof(a)), ECMS_REFLOW_TIME_MAX_S);
	if (i > 0 && !(t > p->time_s[i - 1]))
		return csv_fail(cs, 0, "%s s does not come after the previous sample's "
				"%s s; times must strictly increase",
				ecms__reflow_fmt_num(t, a, sizeof(a)),
				ecms__reflow_fmt_num(p->time_s[i - 1], b, sizeof(b)));
	if (i == cs->cap && csv_grow(cs))
		return ecms__fail(cs->err, ECMS_ENOMEM, NULL,
				  "%s:%zu: out of memory", cs->fname, cs->lineno);
	p->time_s[i] = t;
	for (c = 0; c < p->nchannels; c++) {
		const char *f = cs->field[c + 1];
		double y;

		ecms__reflow_quote(f, q, sizeof(q));
		if (*f == '\0')
			return csv_fail(cs, c + 1, "empty; expected a temperature in °C");
		if (!ecms__reflow_parse_num(f, &y))
			return csv_fail(cs, c + 1, "'%s' is not a temperature%s", q,
					strchr(f, ',') ? " (use a decimal point)" : "");
		if (!(y >= ECMS_REFLOW_TEMP_MIN_C && y <= ECMS_REFLOW_TEMP_MAX_C))
			return csv_fail(cs, c + 1, "%s °C is outside the plausible "
					"%g..%g °C", q, ECMS_REFLOW_TEMP_MIN_C,
					ECMS_REFLOW_TEMP_MAX_C);
		p->ch[c].temp_c[i] = y;
	}
	p->nsamples = i + 1;
	return ECMS_OK;
}

int
ecms_reflow_csv_parse(const char *text, size_t len, const char *filename,
		      struct ecms_reflow_profile **out, ecms_error *err)
{
	struct csv *cs;
	int rc = ECMS_OK;

	*out = NULL;
	if (text == NULL && len > 0)
		return ecms__fail(err, ECMS_EUSAGE, NULL, "no text");
	cs = ecms__calloc(1, sizeof(*cs));
	if (cs == NULL)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
	cs->fname = filename ? filename : "profile";
	cs->p = text ? text : "";
	cs->end = cs->p + len;
	cs->err = err;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		cs->p += 3;
	for (;;) {
		if (!csv_next_line(cs)) {
			rc = ecms__fail(err, ECMS_EINVAL, NULL, "%s: no header row; "
					"expected e.g. 'time,TC1,TC2'", cs->fname);
			goto done;
		}
		if (!csv_skip_line(cs))
			break;
	}
	rc = csv_header(cs);
	while (rc == ECMS_OK && csv_next_line(cs))
		if (!csv_skip_line(cs))
			rc = csv_row(cs);
	if (rc == ECMS_OK && cs->prof->nsamples < 2)
		rc = ecms__fail(err, ECMS_EINVAL, NULL, "%s: %zu sample%s; a profile "
				"needs at least 2", cs->fname, cs->prof->nsamples,
				cs->prof->nsamples == 1 ? "" : "s");
done:
	if (rc == ECMS_OK)
		*out = cs->prof;
	else
		ecms_reflow_profile_free(cs->prof);
	ecms__free(cs);
	return rc;
}

/* ------------------------------------------------------------------
 * CSV export
 * ------------------------------------------------------------------ */

static int
csv_add_name(ecms_buf *b, const char *n)
{
	size_t l = strlen(n);
	int rc;

	if (strpbrk(n, ",;\t\"") == NULL && n[0] != ' ' && n[l - 1] != ' ' &&
	    n[0] != '#')
		return ecms__buf_adds(b, n);
	rc = ecms__buf_addc(b, '"');
	for (; rc == ECMS_OK && *n; n++)
		rc = *n == '"' ? ecms__buf_adds(b, "\"\"") : ecms__buf_addc(b, *n);
	return rc ? rc : ecms__buf_addc(b, '"');
}

int
ecms_reflow_csv_format(const struct ecms_reflow_profile *p, char **out,
		       size_t *len, ecms_error *err)
{
	ecms_buf b;
	char num[40];
	size_t i, c;
	int rc;

	*out = NULL;
	if (len)
		*len = 0;
	rc = ecms_reflow_profile_validate(p, err);
	if (rc)
		return rc;
	ecms__buf_init(&b, 0);
	rc = ecms__buf_adds(&b, "time_s");
	for (c = 0; rc == ECMS_OK && c < p->nchannels; c++) {
		rc = ecms__buf_addc(&b, ',');
		if (rc == ECMS_OK)
			rc = csv_add_name(&b, p->ch[c].name);
	}
	if (rc == ECMS_OK)
		rc = ecms__buf_addc(&b, '\n');
	for (i = 0; rc == ECMS_OK && i < p->nsamples; i++) {
		rc = ecms__buf_adds(&b, ecms__reflow_fmt_num(p->time_s[i], num,
							    sizeof(num)));
		for (c = 0; rc == ECMS_OK && c < p->nchannels; c++) {
			rc = ecms__buf_addc(&b, ',');
			if (rc == ECMS_OK)
				rc = ecms__buf_adds(&b, ecms__reflow_fmt_num(
								p->ch[c].temp_c[i], num,
								sizeof(num)));
		}
		if (rc == ECMS_OK)
			rc = ecms__buf_addc(&b, '\n');
	}
	if (rc == ECMS_OK) {
		size_t l = b.len;

		*out = ecms__buf_take(&b);
		if (*out == NULL)
			rc = ECMS_ENOMEM;
		else if (len)
			*len = l;
	}
	ecms__buf_cleanup(&b);
	if (rc)
		return ecms__fail(err, rc == ECMS_EINVAL ? ECMS_EINVAL : ECMS_ENOMEM, NULL,
				  rc == ECMS_EINVAL ? "profile CSV larger than %zu bytes"
						    : "out of memory for the profile CSV",
				  (size_t)ECMS_BUF_MAX_DEFAULT);
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Synthetic profiles
 * ------------------------------------------------------------------ */

void
ecms_reflow_synth_defaults(struct ecms_reflow_synth_params *p)
{
	p->nchannels = 4;
	p->sample_s = 0.5;
	p->start_c = 22;
	p->preheat_c_s = 1.4;
	p->soak_lo_c = 150;
	p->soak_hi_c = 190;
	p->soak_s = 90;
	p->liquidus_c = 217;
	p->peak_c = 243;
	p->tal_s = 60;
	p->cool_c_s = 2.5;
	p->end_c = 50;
	p->spread_c = 2;
	p->lag_s = 1.5;
	p->noise_c = 0.2;
	p->smooth_s = 3;
}

/* Seconds of room temperature logged before the board enters the oven. */
#define SYNTH_PREROLL_S 10.0

/* The times where the nominal curve changes shape. */
struct synth_shape {
	const struct ecms_reflow_synth_params *p;
	double t_a, t_b, t_c, t_p, t_d, t_e; /* soak in/out, liquidus, peak... */
	double a, s;			      /* parabola curvature, its edge slope */
};

static double
synth_nominal(const struct synth_shape *sh, double t)
{
	const struct ecms_reflow_synth_params *p = sh->p;

	if (t <= 0)
		return p->start_c;
	if (t < sh->t_a)
		return p->start_c + p->preheat_c_s * t;
	if (t < sh->t_b)
		return p->soak_lo_c + (p->soak_hi_c - p->soak_lo_c) * (t - sh->t_a) / p->soak_s;
	if (t < sh->t_c)
		return p->soak_hi_c + sh->s * (t - sh->t_b);
	if (t < sh->t_d)
		return p->peak_c - sh->a * (t - sh->t_p) * (t - sh->t_p);
	if (t < sh->t_e)
		return p->liquidus_c - p->cool_c_s * (t - sh->t_d);
	return p->end_c;
}

static uint64_t
splitmix64(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static double
uniform01(uint64_t *s)
{
	return (double)(splitmix64(s) >> 11) / 9007199254740992.0;
}

#define SYNTH_CHECK(cond, field, ...)                                                   \
	do {                                                                            \
		if (!(cond))                                                            \
			return ecms__fail(err, ECMS_EINVAL, field, "synth: " __VA_ARGS__); \
	} while (0)

static int
synth_validate(const struct ecms_reflow_synth_params *p, ecms_error *err)
{
	SYNTH_CHECK(p->nchannels >= 1 && p->nchannels <= ECMS_REFLOW_MAX_CHANNELS,
		    "nchannels", "nchannels %zu is not within 1..%d", p->nchannels,
		    ECMS_REFLOW_MAX_CHANNELS);
	SYNTH_CHECK(p->sample_s >= 0.01 && p->sample_s <= 10, "sample_s",
		    "sample_s %g is not within 0.01..10 s", p->sample_s);
	SYNTH_CHECK(p->start_c >= -20 && p->start_c <= 100, "start_c",
		    "start_c %g is not within -20..100 °C", p->start_c);
	SYNTH_CHECK(p->soak_lo_c > p->start_c, "soak_lo_c",
		    "soak_lo_c %g must be above start_c %g", p->soak_lo_c, p->start_c);
	SYNTH_CHECK(p->soak_hi_c > p->soak_lo_c, "soak_hi_c",
		    "soak_hi_c %g must be above soak_lo_c %g", p->soak_hi_c, p->soak_lo_c);
	SYNTH_CHECK(p->liquidus_c > p->soak_hi_c, "liquidus_c",
		    "liquidus_c %g must be above soak_hi_c %g", p->liquidus_c,
		    p->soak_hi_c);
	SYNTH_CHECK(p->peak_c > p->liquidus_c && p->peak_c <= 450, "peak_c",
		    "peak_c %g must be above liquidus_c %g and at most 450 °C",
		    p->peak_c, p->liquidus_c);
	SYNTH_CHECK(p->preheat_c_s > 0 && p->preheat_c_s <= 50, "preheat_c_s",
		    "preheat_c_s %g is not within (0, 50] °C/s", p->preheat_c_s);
	SYNTH_CHECK(p->cool_c_s > 0 && p->cool_c_s <= 50, "cool_c_s",
		    "cool_c_s %g is not within (0, 50] °C/s", p->cool_c_s);
	SYNTH_CHECK(p->soak_s > 0 && p->soak_s <= 3600, "soak_s",
		    "soak_s %g is not within (0, 3600] s", p->soak_s);
	SYNTH_CHECK(p->tal_s > 0 && p->tal_s <= 3600, "tal_s",
		    "tal_s %g is not within (0, 3600] s", p->tal_s);
	SYNTH_CHECK(p->end_c >= p->start_c && p->end_c < p->liquidus_c, "end_c",
		    "end_c %g must be within start_c..liquidus_c", p->end_c);
	SYNTH_CHECK(p->spread_c >= 0 &&
			    p->peak_c - p->spread_c * (double)(p->nchannels - 1) >
				    p->start_c + 1,
		    "spread_c", "spread_c %g leaves the coolest channel without a peak",
		    p->spread_c);
	SYNTH_CHECK(p->lag_s >= 0 && p->lag_s <= 60, "lag_s",
		    "lag_s %g is not within 0..60 s", p->lag_s);
	SYNTH_CHECK(p->noise_c >= 0 && p->noise_c <= 20, "noise_c",
		    "noise_c %g is not within 0..20 °C", p->noise_c);
	SYNTH_CHECK(p->smooth_s >= 0 && p->smooth_s <= 60, "smooth_s",
		    "smooth_s %g is not within 0..60 s", p->smooth_s);
	return ECMS_OK;
}

int
ecms_reflow_synth(uint64_t seed, const struct ecms_reflow_synth_params *params,
		  struct ecms_reflow_profile **out, ecms_error *err)
{
	struct ecms_reflow_synth_params defp;
	const struct ecms_reflow_synth_params *p = params;
	struct ecms_reflow_profile *prof;
	struct synth_shape sh;
	double total, *base, *sum;
	size_t n, i, c, h;
	uint64_t rng = seed;
	int rc;

	*out = NULL;
	if (p == NULL) {
		ecms_reflow_synth_defaults(&defp);
		p = &defp;
	}
	rc = synth_validate(p, err);
	if (rc)
		return rc;
	sh.p = p;
	sh.t_a = (p->soak_lo_c - p->start_c) / p->preheat_c_s;
	sh.t_b = sh.t_a + p->soak_s;
	sh.a = 4 * (p->peak_c - p->liquidus_c) / (p->tal_s * p->tal_s);
	sh.s = sh.a * p->tal_s;
	sh.t_c = sh.t_b + (p->liquidus_c - p->soak_hi_c) / sh.s;
	sh.t_p = sh.t_c + p->tal_s / 2;
	sh.t_d = sh.t_c + p->tal_s;
	sh.t_e = sh.t_d + (p->liquidus_c - p->end_c) / p->cool_c_s;
	total = SYNTH_PREROLL_S + sh.t_e + p->lag_s * (double)(p->nchannels - 1) + 10;
	if (total / p->sample_s + 1 > ECMS_REFLOW_MAX_SAMPLES)
		return ecms__fail(err, ECMS_EINVAL, "sample_s", "synth: %g s at %g s "
				  "per sample is more than %d samples", total, p->sample_s,
				  ECMS_REFLOW_MAX_SAMPLES);
	n = (size_t)(total / p->sample_s) + 1;
	rc = ecms_reflow_profile_new(p->nchannels, n, &prof, err);
	if (rc)
		return rc;
	base = ecms__malloc(n * sizeof(double));
	sum = ecms__malloc((n + 1) * sizeof(double));
	if (base == NULL || sum == NULL) {
		ecms__free(base);
		ecms__free(sum);
		ecms_reflow_profile_free(prof);
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
	}
	h = (size_t)(p->smooth_s / p->sample_s + 0.5);
	for (i = 0; i < n; i++)
		prof->time_s[i] = (double)i * p->sample_s;
	for (c = 0; c < p->nchannels; c++) {
		double ck = (double)c;
		double r = (p->peak_c - ck * p->spread_c - p->start_c) /
			   (p->peak_c - p->start_c);

		for (i = 0; i < n; i++)
			base[i] = p->start_c +
				  (synth_nominal(&sh, prof->time_s[i] - SYNTH_PREROLL_S -
							ck * p->lag_s) -
				   p->start_c) * r;
		sum[0] = 0;
		for (i = 0; i < n; i++)
			sum[i + 1] = sum[i] + base[i];
		for (i = 0; i < n; i++) {
			size_t lo = i > h ? i - h : 0, hi = i + h < n ? i + h + 1 : n;
			double y = (sum[hi] - sum[lo]) / (double)(hi - lo);

			y += (uniform01(&rng) + uniform01(&rng) - 1) * p->noise_c;
			y = round(y * 10) / 10;
			if (y < ECMS_REFLOW_TEMP_MIN_C)
				y = ECMS_REFLOW_TEMP_MIN_C;
			prof->ch[c].temp_c[i] = y;
		}
	}
	ecms__free(base);
	ecms__free(sum);
	*out = prof;
	return ECMS_OK;
}
