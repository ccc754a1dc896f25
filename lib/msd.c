/*
 * msd.c: the J-STD-033 floor-life engine (see include/ecms/msd.h): MSL
 * levels, durations, the rule data with its key/value text form, and the
 * package state machine with its status. No allocation, no store, no
 * clock: every function works on caller-owned structs.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ecms_int.h"
#include "ecms/msd.h"

#define MS_S INT64_C(1000)
#define MS_MIN (60 * MS_S)
#define MS_H (60 * MS_MIN)
#define MS_D (24 * MS_H)
#define H(x) ((int64_t)(x) * MS_H)
#define D(x) ((int64_t)(x) * MS_D)

/* Times accepted in states and events: 1970 to the end of 9999. */
#define TIME_MAX INT64_C(253402300799999)
/* The longest duration anything may take: 1000 years. */
#define DURATION_MAX (D(365) * 1000)
#define THICKNESS_MAX_UM 100000
#define TEMP_MAX_C 400

/* ==================================================================
 * Levels
 * ================================================================== */

static const char *const msl_names[ECMS_MSL_COUNT] = {
	"?", "1", "2", "2a", "3", "4", "5", "5a", "6"
};
static const char *const msl_cfx_names[ECMS_MSL_COUNT] = {
	"?", "MSL1", "MSL2", "MSL2A", "MSL3", "MSL4", "MSL5", "MSL5A", "MSL6"
};

const char *
ecms_msl_str(enum ecms_msl msl)
{
	return (unsigned)msl < ECMS_MSL_COUNT ? msl_names[msl] : "?";
}

const char *
ecms_msl_cfx(enum ecms_msl msl)
{
	return (unsigned)msl < ECMS_MSL_COUNT ? msl_cfx_names[msl] : "?";
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Does s start with the lower-case word w, ignoring case? */
static bool
starts_nocase(const char *s, const char *w)
{
	for (; *w; s++, w++)
		if (lower(*s) != *w)
			return false;
	return true;
}

/* A level token of exactly n chars ("3", "2a", any case), or NONE. */
static enum ecms_msl
msl_token(const char *s, size_t n)
{
	for (int i = 1; i < ECMS_MSL_COUNT; i++) {
		const char *m = msl_names[i];
		size_t k = strlen(m), j;

		if (k != n)
			continue;
		for (j = 0; j < n && lower(s[j]) == m[j]; j++)
			;
		if (j == n)
			return (enum ecms_msl)i;
	}
	return ECMS_MSL_NONE;
}

int
ecms_msl_parse(const char *s, enum ecms_msl *out, ecms_error *err)
{
	const char *p = s;
	size_t n;
	bool prefixed = false;
	enum ecms_msl m;

	if (s == NULL)
		return ecms__fail(err, ECMS_EINVAL, "msl", "missing MSL");
	while (*p == ' ' || *p == '\t')
		p++;
	if (starts_nocase(p, "level")) {
		p += 5;
		prefixed = true;
	} else if (starts_nocase(p, "msl")) {
		p += 3;
		prefixed = true;
	}
	if (prefixed)
		while (*p == ' ' || *p == '-' || *p == '_' || *p == ':')
			p++;
	n = 0;
	if (p[0] >= '1' && p[0] <= '6')
		n = (lower(p[1]) == 'a') ? 2 : 1;
	m = n ? msl_token(p, n) : ECMS_MSL_NONE;
	if (m != ECMS_MSL_NONE) {
		const char *q = p + n;
		if (prefixed && (*q == '\0' || strchr(" -_/,;(", *q)))
			goto ok;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '\0')
			goto ok;
	}
	return ecms__fail(err, ECMS_EINVAL, "msl",
			  "'%s' is not an MSL level (expected 1, 2, 2a, 3, 4, 5, 5a or 6, "
			  "optionally as MSL3 or Level-3-260C-168 HR)", s);
ok:
	*out = m;
	return ECMS_OK;
}

/* ==================================================================
 * Durations, percentages, thicknesses
 * ================================================================== */

static const struct {
	const char *name;
	int64_t ms;
} units[] = {
	{"ms", 1}, {"s", MS_S}, {"sec", MS_S}, {"m", MS_MIN}, {"min", MS_MIN},
	{"h", MS_H}, {"hr", MS_H}, {"hrs", MS_H}, {"hour", MS_H}, {"hours", MS_H},
	{"d", MS_D}, {"day", MS_D}, {"days", MS_D}, {"w", 7 * MS_D}, {"wk", 7 * MS_D},
	{"week", 7 * MS_D}, {"weeks", 7 * MS_D}, {"y", 365 * MS_D}, {"year", 365 * MS_D},
	{"years", 365 * MS_D},
};

/* Parse "<number>[ ]<unit>" into ms; false when it is anything else. */
static bool
parse_duration(const char *s, int64_t *out)
{
	char num[32], unit[8];
	size_t i = 0, k = 0;
	double v;

	while (s[i] == ' ' || s[i] == '\t')
		i++;
	s += i;
	for (i = 0; (s[i] >= '0' && s[i] <= '9') || s[i] == '.'; i++)
		if (i + 1 >= sizeof(num))
			return false;
	memcpy(num, s, i);
	num[i] = '\0';
	if (i == 0 || !ecms__parse_double(num, &v) || v < 0)
		return false;
	s += i;
	while (*s == ' ')
		s++;
	while (s[k] && s[k] != ' ' && s[k] != '\t') {
		if (k + 1 >= sizeof(unit))
			return false;
		unit[k] = lower(s[k]);
		k++;
	}
	unit[k] = '\0';
	s += k;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '\0' || k == 0)
		return false;
	for (i = 0; i < ECMS_ARRAY_LEN(units); i++) {
		if (strcmp(unit, units[i].name) == 0) {
			double ms = v * (double)units[i].ms;
			if (ms > (double)DURATION_MAX)
				return false;
			*out = (int64_t)llround(ms);
			return true;
		}
	}
	return false;
}

int
ecms_msd_duration_parse(const char *s, int64_t *ms, ecms_error *err)
{
	if (s == NULL || !parse_duration(s, ms))
		return ecms__fail(err, ECMS_EINVAL, NULL,
				  "'%s' is not a duration (expected a number and a unit, "
				  "e.g. 168h, 7d, 1.5h, 30min; at most 1000 years)",
				  s ? s : "");
	return ECMS_OK;
}

char *
ecms_msd_duration_format(int64_t ms, int style, char *buf, size_t n)
{
	if (ms < 0)
		ms = 0;
	if (style == ECMS_MSD_DUR_EXACT) {
		if (ms == 0)
			snprintf(buf, n, "0h");
		else if (ms % MS_D == 0 && ms >= D(8))
			snprintf(buf, n, "%" PRId64 "d", ms / MS_D);
		else if (ms % MS_H == 0)
			snprintf(buf, n, "%" PRId64 "h", ms / MS_H);
		else if (ms % MS_MIN == 0)
			snprintf(buf, n, "%" PRId64 "min", ms / MS_MIN);
		else if (ms % MS_S == 0)
			snprintf(buf, n, "%" PRId64 "s", ms / MS_S);
		else
			snprintf(buf, n, "%" PRId64 "ms", ms);
		return buf;
	}
	if (ms < MS_MIN)
		snprintf(buf, n, "%" PRId64 " s", ms / MS_S);
	else if (ms < MS_H)
		snprintf(buf, n, "%" PRId64 " min", ms / MS_MIN);
	else if (ms < D(8) || (ms < D(30) && ms % MS_D != 0)) {
		int64_t m = ms % MS_H / MS_MIN;
		if (m)
			snprintf(buf, n, "%" PRId64 " h %" PRId64 " min", ms / MS_H, m);
		else
			snprintf(buf, n, "%" PRId64 " h", ms / MS_H);
	} else {
		int64_t h = ms % MS_D / MS_H;
		if (h)
			snprintf(buf, n, "%" PRId64 " d %" PRId64 " h", ms / MS_D, h);
		else
			snprintf(buf, n, "%" PRId64 " d", ms / MS_D);
	}
	return buf;
}

/* "10%", "10 %" or "10" in [0, 100]; false otherwise. */
static bool
parse_pct(const char *s, int32_t *out)
{
	char num[8];
	size_t i;
	int64_t v;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
		if (i + 1 >= sizeof(num))
			return false;
	memcpy(num, s, i);
	num[i] = '\0';
	s += i;
	while (*s == ' ')
		s++;
	if (*s == '%')
		s++;
	if (*s != '\0' || !ecms__parse_i64(num, 0, 100, &v))
		return false;
	*out = (int32_t)v;
	return true;
}

/* A fraction "0.5", "1", "0" or a percentage "50%" as per mille. */
static bool
parse_rate(const char *s, int32_t *out)
{
	double v;
	int32_t pct;

	if (strchr(s, '%')) {
		if (!parse_pct(s, &pct))
			return false;
		*out = pct * 10;
		return true;
	}
	if (!ecms__parse_double(s, &v) || v < 0 || v > 1)
		return false;
	*out = (int32_t)lround(v * 1000);
	return true;
}

static void
format_rate(int32_t permille, char *buf, size_t n)
{
	size_t k;

	snprintf(buf, n, "%d.%03d", permille / 1000, permille % 1000);
	k = strlen(buf);
	while (k > 0 && buf[k - 1] == '0')
		buf[--k] = '\0';
	if (k > 0 && buf[k - 1] == '.')
		buf[--k] = '\0';
}

/* A thickness "1.4" (mm, at most 3 decimals) as micrometres in (0, 100 mm]. */
static bool
parse_mm(const char *s, size_t n, int32_t *um)
{
	int64_t v = 0;
	int decimals = -1;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (decimals >= 0 || i == 0 || i + 1 == n)
				return false;
			decimals = 0;
		} else if (s[i] >= '0' && s[i] <= '9') {
			if (decimals >= 3 || v > THICKNESS_MAX_UM)
				return false;
			v = v * 10 + (s[i] - '0');
			if (decimals >= 0)
				decimals++;
		} else {
			return false;
		}
	}
	for (int d = decimals < 0 ? 0 : decimals; d < 3; d++)
		v *= 10;
	if (v <= 0 || v > THICKNESS_MAX_UM)
		return false;
	*um = (int32_t)v;
	return true;
}

/* Micrometres as mm with at least one decimal: 1400 -> "1.4", 2000 -> "2.0". */
static char *
format_mm(int32_t um, char *buf, size_t n)
{
	size_t k;

	snprintf(buf, n, "%d.%03d", um / 1000, um % 1000);
	k = strlen(buf);
	while (k > 0 && buf[k - 1] == '0' && buf[k - 2] != '.')
		buf[--k] = '\0';
	return buf;
}

/* ==================================================================
 * Rules: defaults
 * ================================================================== */

/* Insertion order of bake rows: by level (large-body rows last), then
 * thickness, then hotter first. */
static int
row_cmp(const struct ecms_msd_bake_row *a, const struct ecms_msd_bake_row *b)
{
	int ma = a->msl == ECMS_MSL_NONE ? ECMS_MSL_COUNT : (int)a->msl;
	int mb = b->msl == ECMS_MSL_NONE ? ECMS_MSL_COUNT : (int)b->msl;

	if (ma != mb)
		return ma < mb ? -1 : 1;
	if (a->max_thickness_um != b->max_thickness_um)
		return a->max_thickness_um < b->max_thickness_um ? -1 : 1;
	if (a->temp_c != b->temp_c)
		return a->temp_c > b->temp_c ? -1 : 1;
	return 0;
}

static struct ecms_msd_bake_row *
row_find(struct ecms_msd_rules *r, enum ecms_msl msl, int32_t um, int32_t temp)
{
	for (size_t i = 0; i < r->n_bake; i++) {
		struct ecms_msd_bake_row *w = &r->bake[i];
		if (w->msl == msl && w->max_thickness_um == um && w->temp_c == temp)
			return w;
	}
	return NULL;
}

/* Insert or replace a row, keeping the order. False when the table is full. */
static bool
row_put(struct ecms_msd_rules *r, const struct ecms_msd_bake_row *row)
{
	struct ecms_msd_bake_row *w = row_find(r, row->msl, row->max_thickness_um, row->temp_c);
	size_t i;

	if (w) {
		*w = *row;
		return true;
	}
	if (r->n_bake >= ECMS_MSD_BAKE_ROWS_MAX)
		return false;
	for (i = r->n_bake; i > 0 && row_cmp(&r->bake[i - 1], row) > 0; i--)
		r->bake[i] = r->bake[i - 1];
	r->bake[i] = *row;
	r->n_bake++;
	return true;
}

static void
row_delete(struct ecms_msd_rules *r, struct ecms_msd_bake_row *w)
{
	size_t i = (size_t)(w - r->bake);

	memmove(w, w + 1, (r->n_bake - i - 1) * sizeof(*w));
	r->n_bake--;
}

/* Table 4-1 as msd-reflow.md 1.3 gives it: per thickness class, per level,
 * {saturated, fl72} at 125 C (any RH), 90 C and 40 C (both <=5 % RH). */
static const int32_t default_temps[3] = {125, 90, 40};
static const int32_t default_rh[3] = {100, 5, 5};
static const struct {
	int32_t um;
	enum ecms_msl msl;
	int64_t v[3][2];
} default_bake[] = {
	{1400, ECMS_MSL_2A, {{H(5), H(3)}, {H(17), H(11)}, {D(8), D(5)}}},
	{1400, ECMS_MSL_3, {{H(9), H(7)}, {H(33), H(23)}, {D(13), D(9)}}},
	{1400, ECMS_MSL_4, {{H(11), H(7)}, {H(37), H(23)}, {D(15), D(9)}}},
	{1400, ECMS_MSL_5, {{H(12), H(7)}, {H(41), H(24)}, {D(17), D(10)}}},
	{1400, ECMS_MSL_5A, {{H(16), H(10)}, {H(54), H(24)}, {D(22), D(10)}}},
	{2000, ECMS_MSL_2A, {{H(21), H(16)}, {D(3), D(2)}, {D(29), D(22)}}},
	{2000, ECMS_MSL_3, {{H(27), H(17)}, {D(4), D(2)}, {D(37), D(23)}}},
	{2000, ECMS_MSL_4, {{H(34), H(20)}, {D(5), D(3)}, {D(47), D(28)}}},
	{2000, ECMS_MSL_5, {{H(40), H(25)}, {D(6), D(4)}, {D(57), D(35)}}},
	{2000, ECMS_MSL_5A, {{H(48), H(40)}, {D(8), D(6)}, {D(79), D(56)}}},
	/* <=4.5 mm: one row for 2a-5a; "7-10 d" at 90 C taken as 10 d. */
	{4500, ECMS_MSL_2A, {{H(48), H(48)}, {D(10), D(10)}, {D(79), D(67)}}},
	{4500, ECMS_MSL_3, {{H(48), H(48)}, {D(10), D(10)}, {D(79), D(67)}}},
	{4500, ECMS_MSL_4, {{H(48), H(48)}, {D(10), D(10)}, {D(79), D(67)}}},
	{4500, ECMS_MSL_5, {{H(48), H(48)}, {D(10), D(10)}, {D(79), D(67)}}},
	{4500, ECMS_MSL_5A, {{H(48), H(48)}, {D(10), D(10)}, {D(79), D(67)}}},
};

/* Level 2 takes the 2a rows (the recalled 033C row), MSL 6 the 5a rows. */
static enum ecms_msl
default_source(enum ecms_msl msl)
{
	return msl == ECMS_MSL_2 ? ECMS_MSL_2A : msl == ECMS_MSL_6 ? ECMS_MSL_5A : msl;
}

void
ecms_msd_rules_default(struct ecms_msd_rules *r)
{
	static const int64_t fl[ECMS_MSL_COUNT] = {
		0, ECMS_MSD_UNLIMITED, D(365), H(672), H(168), H(72), H(48), H(24),
		ECMS_MSD_NO_TOL
	};
	static const enum ecms_msl with_rows[] = {
		ECMS_MSL_2, ECMS_MSL_2A, ECMS_MSL_3, ECMS_MSL_4, ECMS_MSL_5, ECMS_MSL_5A,
		ECMS_MSL_6
	};

	memset(r, 0, sizeof(*r));
	for (int m = 0; m < ECMS_MSL_COUNT; m++) {
		bool low = m == ECMS_MSL_2 || m == ECMS_MSL_2A || m == ECMS_MSL_3;
		bool high = m == ECMS_MSL_4 || m == ECMS_MSL_5 || m == ECMS_MSL_5A;

		r->floor_life_ms[m] = fl[m];
		r->hic_bake_at_pct[m] = m == ECMS_MSL_1 || m == ECMS_MSL_NONE ? -1 :
					m == ECMS_MSL_2 ? 60 : 10;
		r->short_max_ms[m] = low ? H(12) : high ? H(8) : -1;
		r->short_factor[m] = low ? 5 : 10;
		r->cab10_rate_permille[m] = 1000;
		r->cab10_limit_ms[m] = ECMS_MSD_UNLIMITED;
	}
	r->dry_max_rh_pct = 5;
	r->cab10_max_rh_pct = 10;
	r->fl72_margin_ms = H(72);
	r->restored_resets = false;
	for (size_t k = 0; k < ECMS_ARRAY_LEN(with_rows); k++) {
		for (size_t i = 0; i < ECMS_ARRAY_LEN(default_bake); i++) {
			if (default_bake[i].msl != default_source(with_rows[k]))
				continue;
			for (int t = 0; t < 3; t++) {
				struct ecms_msd_bake_row row = {
					.msl = with_rows[k],
					.max_thickness_um = default_bake[i].um,
					.temp_c = default_temps[t],
					.max_rh_pct = default_rh[t],
					.min_ms = {default_bake[i].v[t][0],
						   default_bake[i].v[t][1]},
				};
				(void)row_put(r, &row);
			}
		}
	}
	{
		struct ecms_msd_bake_row large = {
			.msl = ECMS_MSL_NONE, .max_thickness_um = 0, .temp_c = 125,
			.max_rh_pct = 100, .min_ms = {H(96), H(96)},
		};
		(void)row_put(r, &large);
	}
}

/* ==================================================================
 * Rules: the key/value text form
 * ================================================================== */

#define KEY_MAX 64
#define VALUE_MAX 64

static int
bad_value(ecms_error *err, const char *key, const char *value, const char *expected)
{
	return ecms__fail(err, ECMS_EINVAL, key, "rule %s: '%s' is not valid (expected %s)",
			  key, value, expected);
}

static bool
word(const char *v, const char *w)
{
	return ecms__streq_nocase(v, w);
}

/* A duration, or one of the words "unlimited"/"off"/"none" mapped to a code. */
static bool
parse_dur_or(const char *v, const char *w, int64_t code, int64_t *out)
{
	if (w && word(v, w)) {
		*out = code;
		return true;
	}
	return parse_duration(v, out);
}

/* The bake-row part of a key after "bake.": "<msl>.<mm>mm.<C>c" or
 * "large.<C>c", then optionally ".<field>". */
static int
parse_bake_key(const char *key, const char *rest, enum ecms_msl *msl, int32_t *um,
	       int32_t *temp, const char **field, ecms_error *err)
{
	const char *p = rest, *q;
	int64_t t;
	char num[8];

	if (strncmp(p, "large.", 6) == 0) {
		*msl = ECMS_MSL_NONE;
		*um = 0;
		p += 6;
	} else {
		q = strchr(p, '.');
		if (q == NULL || (*msl = msl_token(p, (size_t)(q - p))) == ECMS_MSL_NONE)
			return ecms__fail(err, ECMS_EINVAL, key,
					  "rule key '%s': expected bake.<msl>.<mm>mm.<C>c with msl "
					  "one of 1, 2, 2a, 3, 4, 5, 5a, 6 (or bake.large.<C>c)",
					  key);
		p = q + 1;
		q = strstr(p, "mm.");
		if (q == NULL || !parse_mm(p, (size_t)(q - p), um))
			return ecms__fail(err, ECMS_EINVAL, key,
					  "rule key '%s': expected a body thickness such as 1.4mm "
					  "after the MSL (0.001 to 100 mm)", key);
		p = q + 3;
	}
	q = strchr(p, 'c');
	if (q == NULL || q == p || (size_t)(q - p) >= sizeof(num) ||
	    (q[1] != '\0' && q[1] != '.'))
		goto badtemp;
	memcpy(num, p, (size_t)(q - p));
	num[q - p] = '\0';
	if (!ecms__parse_i64(num, 1, TEMP_MAX_C, &t))
		goto badtemp;
	*temp = (int32_t)t;
	*field = q[1] == '.' ? q + 2 : "";
	if (**field && strcmp(*field, "saturated") && strcmp(*field, "fl72") &&
	    strcmp(*field, "rh"))
		return ecms__fail(err, ECMS_EINVAL, key,
				  "rule key '%s': '%s' is not a bake row field (expected "
				  "saturated, fl72 or rh, or none for both columns)", key, *field);
	return ECMS_OK;
badtemp:
	return ecms__fail(err, ECMS_EINVAL, key,
			  "rule key '%s': expected an oven temperature such as 125c (1 to %d C)",
			  key, TEMP_MAX_C);
}

static int
set_bake(struct ecms_msd_rules *r, const char *key, const char *rest, const char *v,
	 ecms_error *err)
{
	enum ecms_msl msl = ECMS_MSL_NONE;
	int32_t um = 0, temp = 0, rh;
	const char *field = "";
	struct ecms_msd_bake_row row, *w;
	int64_t a, b;
	int rc = parse_bake_key(key, rest, &msl, &um, &temp, &field, err);

	if (rc)
		return rc;
	w = row_find(r, msl, um, temp);
	if (w)
		row = *w;
	else
		row = (struct ecms_msd_bake_row){.msl = msl, .max_thickness_um = um,
						 .temp_c = temp,
						 .max_rh_pct = temp >= 125 ? 100 : 5,
						 .min_ms = {-1, -1}};
	if (strcmp(field, "rh") == 0) {
		if (word(v, "any"))
			rh = 100;
		else if (!parse_pct(v, &rh))
			return bad_value(err, key, v, "an oven RH limit such as 5% or any");
		if (w == NULL)
			return ecms__fail(err, ECMS_EINVAL, key,
					  "rule %s: there is no such bake row; create it first "
					  "with its times (e.g. %.*s = 20h/15h)", key,
					  (int)(strlen(key) - 3), key);
		row.max_rh_pct = rh;
	} else if (*field == '\0' && word(v, "none")) {
		if (w)
			row_delete(r, w);
		return ECMS_OK;
	} else if (*field == '\0') {
		const char *slash = strchr(v, '/');
		char first[VALUE_MAX];

		if (slash == NULL || (size_t)(slash - v) >= sizeof(first))
			return bad_value(err, key, v,
					 "saturated/fl72 bake times such as 9h/7h, or none");
		memcpy(first, v, (size_t)(slash - v));
		first[slash - v] = '\0';
		if (!parse_duration(first, &a) || !parse_duration(slash + 1, &b) ||
		    a <= 0 || b <= 0)
			return bad_value(err, key, v,
					 "saturated/fl72 bake times such as 9h/7h, or none");
		row.min_ms[0] = a;
		row.min_ms[1] = b;
	} else {
		int col = strcmp(field, "saturated") == 0 ? ECMS_MSD_BAKE_SATURATED :
							     ECMS_MSD_BAKE_FL72;
		if (!parse_duration(v, &a) || a <= 0)
			return bad_value(err, key, v, "a bake time such as 9h or 13d");
		row.min_ms[col] = a;
		if (row.min_ms[1 - col] < 0)
			row.min_ms[1 - col] = a;
	}
	if (!row_put(r, &row))
		return ecms__fail(err, ECMS_EINVAL, key,
				  "rule %s: the bake table is full (%d rows); delete a row first",
				  key, ECMS_MSD_BAKE_ROWS_MAX);
	return ECMS_OK;
}

/* "<prefix><msl><suffix>" with suffix from a list: the level, or an error. */
static int
key_msl(const char *key, size_t prefix, const char *suffix, enum ecms_msl *msl,
	const char *form, ecms_error *err)
{
	const char *p = key + prefix;
	size_t n = strlen(p), sn = strlen(suffix);

	if (n > sn && strcmp(p + n - sn, suffix) == 0 &&
	    (*msl = msl_token(p, n - sn)) != ECMS_MSL_NONE)
		return ECMS_OK;
	return ecms__fail(err, ECMS_EINVAL, key,
			  "rule key '%s': expected %s with msl one of 1, 2, 2a, 3, 4, 5, 5a, 6",
			  key, form);
}

static int
set_one(struct ecms_msd_rules *r, const char *key, const char *v, ecms_error *err)
{
	enum ecms_msl m;
	int64_t d;
	int32_t pct;
	int rc;

	if (strncmp(key, "floor_life.", 11) == 0) {
		if ((rc = key_msl(key, 11, "", &m, "floor_life.<msl>", err)))
			return rc;
		if (m == ECMS_MSL_6) {
			if (!parse_dur_or(v, "none", ECMS_MSD_NO_TOL, &d) || d == 0)
				return bad_value(err, key, v,
						 "a time on label such as 6h, or none");
		} else if (!parse_dur_or(v, "unlimited", ECMS_MSD_UNLIMITED, &d) || d == 0) {
			return bad_value(err, key, v, "a floor life such as 168h, or unlimited");
		}
		r->floor_life_ms[m] = d;
	} else if (strncmp(key, "hic.bake_at.", 12) == 0) {
		if ((rc = key_msl(key, 12, "", &m, "hic.bake_at.<msl>", err)))
			return rc;
		if (word(v, "never"))
			pct = -1;
		else if (!parse_pct(v, &pct))
			return bad_value(err, key, v, "a HIC reading such as 10%, or never");
		r->hic_bake_at_pct[m] = pct;
	} else if (strncmp(key, "short_reset.", 12) == 0) {
		if (key_msl(key, 12, ".max_exposure", &m, "", NULL) == ECMS_OK) {
			if (!parse_dur_or(v, "off", -1, &d) || d == 0)
				return bad_value(err, key, v, "an exposure such as 12h, or off");
			r->short_max_ms[m] = d;
		} else if ((rc = key_msl(key, 12, ".factor", &m,
					 "short_reset.<msl>.max_exposure or "
					 "short_reset.<msl>.factor", err))) {
			return rc;
		} else {
			int64_t f;
			if (!ecms__parse_i64(v, 1, 1000, &f))
				return bad_value(err, key, v, "a whole factor from 1 to 1000");
			r->short_factor[m] = (int32_t)f;
		}
	} else if (strncmp(key, "cabinet10.", 10) == 0) {
		if (key_msl(key, 10, ".rate", &m, "", NULL) == ECMS_OK) {
			int32_t rate;
			if (!parse_rate(v, &rate))
				return bad_value(err, key, v,
						 "a clock speed from 0 to 1 such as 0.5 or 50%");
			r->cab10_rate_permille[m] = rate;
		} else if ((rc = key_msl(key, 10, ".limit", &m,
					 "cabinet10.<msl>.rate or cabinet10.<msl>.limit", err))) {
			return rc;
		} else {
			if (!parse_dur_or(v, "unlimited", ECMS_MSD_UNLIMITED, &d))
				return bad_value(err, key, v,
						 "a duration such as 5d, or unlimited");
			r->cab10_limit_ms[m] = d;
		}
	} else if (strcmp(key, "storage.dry_max_rh") == 0 ||
		   strcmp(key, "storage.cabinet10_max_rh") == 0) {
		if (!parse_pct(v, &pct))
			return bad_value(err, key, v, "a relative humidity such as 5%");
		if (key[8] == 'd')
			r->dry_max_rh_pct = pct;
		else
			r->cab10_max_rh_pct = pct;
	} else if (strcmp(key, "bake.fl72_margin") == 0) {
		if (!parse_duration(v, &d))
			return bad_value(err, key, v, "a duration such as 72h");
		r->fl72_margin_ms = d;
	} else if (strcmp(key, "cfx.restored_resets") == 0) {
		if (word(v, "yes") || word(v, "true") || word(v, "on") || strcmp(v, "1") == 0)
			r->restored_resets = true;
		else if (word(v, "no") || word(v, "false") || word(v, "off") || strcmp(v, "0") == 0)
			r->restored_resets = false;
		else
			return bad_value(err, key, v, "yes or no");
	} else if (strncmp(key, "bake.", 5) == 0) {
		return set_bake(r, key, key + 5, v, err);
	} else {
		return ecms__fail(err, ECMS_EINVAL, key,
				  "unknown MSD rule key '%s' (expected floor_life.<msl>, "
				  "hic.bake_at.<msl>, short_reset.<msl>.max_exposure|factor, "
				  "cabinet10.<msl>.rate|limit, storage.dry_max_rh, "
				  "storage.cabinet10_max_rh, bake.fl72_margin, "
				  "cfx.restored_resets, "
				  "bake.<msl>.<mm>mm.<C>c[.saturated|.fl72|.rh], "
				  "bake.large.<C>c[...])", key);
	}
	return ECMS_OK;
}

int
ecms_msd_rules_set(struct ecms_msd_rules *r, const char *key, const char *value,
		   ecms_error *err)
{
	char k[KEY_MAX], v[VALUE_MAX];
	struct ecms_msd_rules t;
	size_t n, i;
	int rc;

	if (key == NULL || value == NULL)
		return ecms__fail(err, ECMS_EINVAL, NULL, "MSD rule: missing key or value");
	n = strlen(key);
	if (n == 0 || n >= sizeof(k))
		return ecms__fail(err, ECMS_EINVAL, "key",
				  "MSD rule key of %zu characters (expected 1 to %zu)", n,
				  sizeof(k) - 1);
	for (i = 0; i <= n; i++)
		k[i] = lower(key[i]);
	while (*value == ' ' || *value == '\t')
		value++;
	n = strlen(value);
	while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof(v))
		return ecms__fail(err, ECMS_EINVAL, k,
				  "rule %s: value of %zu characters (expected 1 to %zu)", k, n,
				  sizeof(v) - 1);
	memcpy(v, value, n);
	v[n] = '\0';
	t = *r;
	rc = set_one(&t, k, v, err);
	if (rc == ECMS_OK)
		*r = t;
	return rc;
}

int
ecms_msd_rules_check(const struct ecms_msd_rules *r, ecms_error *err)
{
	char what[64] = "";

	for (int m = ECMS_MSL_1; m < ECMS_MSL_COUNT && !what[0]; m++) {
		int64_t fl = r->floor_life_ms[m];
		const char *name = msl_names[m];

		if (!(fl == ECMS_MSD_UNLIMITED || (fl == ECMS_MSD_NO_TOL && m == ECMS_MSL_6) ||
		      (fl > 0 && fl <= DURATION_MAX)))
			snprintf(what, sizeof(what), "floor_life.%s", name);
		else if (r->hic_bake_at_pct[m] < -1 || r->hic_bake_at_pct[m] > 100)
			snprintf(what, sizeof(what), "hic.bake_at.%s", name);
		else if (r->short_max_ms[m] < -1 || r->short_max_ms[m] == 0 ||
			 r->short_max_ms[m] > DURATION_MAX)
			snprintf(what, sizeof(what), "short_reset.%s.max_exposure", name);
		else if (r->short_factor[m] < 1 || r->short_factor[m] > 1000)
			snprintf(what, sizeof(what), "short_reset.%s.factor", name);
		else if (r->cab10_rate_permille[m] < 0 || r->cab10_rate_permille[m] > 1000)
			snprintf(what, sizeof(what), "cabinet10.%s.rate", name);
		else if (r->cab10_limit_ms[m] < -1 || r->cab10_limit_ms[m] > DURATION_MAX)
			snprintf(what, sizeof(what), "cabinet10.%s.limit", name);
	}
	if (what[0] == '\0' && (r->dry_max_rh_pct < 0 || r->dry_max_rh_pct > 100))
		snprintf(what, sizeof(what), "storage.dry_max_rh");
	else if (what[0] == '\0' && (r->cab10_max_rh_pct < 0 || r->cab10_max_rh_pct > 100))
		snprintf(what, sizeof(what), "storage.cabinet10_max_rh");
	else if (what[0] == '\0' && (r->fl72_margin_ms < 0 || r->fl72_margin_ms > DURATION_MAX))
		snprintf(what, sizeof(what), "bake.fl72_margin");
	else if (what[0] == '\0' && r->n_bake > ECMS_MSD_BAKE_ROWS_MAX)
		snprintf(what, sizeof(what), "the bake table size");
	for (size_t i = 0; i < r->n_bake && !what[0]; i++) {
		const struct ecms_msd_bake_row *w = &r->bake[i];
		bool large = w->msl == ECMS_MSL_NONE;

		if ((unsigned)w->msl >= ECMS_MSL_COUNT ||
		    (large ? w->max_thickness_um != 0
			   : w->max_thickness_um < 1 || w->max_thickness_um > THICKNESS_MAX_UM) ||
		    w->temp_c < 1 || w->temp_c > TEMP_MAX_C || w->max_rh_pct < 0 ||
		    w->max_rh_pct > 100 || w->min_ms[0] < 1 || w->min_ms[0] > DURATION_MAX ||
		    w->min_ms[1] < 1 || w->min_ms[1] > DURATION_MAX)
			snprintf(what, sizeof(what), "bake table row %zu", i + 1);
	}
	if (what[0])
		return ecms__fail(err, ECMS_EINVAL, "rules",
				  "MSD rules are inconsistent: %s is out of range", what);
	return ECMS_OK;
}

/* ---- dump ---- */

static const char *
note_floor(enum ecms_msl m)
{
	if (m == ECMS_MSL_6)
		return "MSL 6: default time on label after the mandatory bake; none = each "
		       "package's label must give it [assumption: no public default]";
	return "floor life out of bag at <=30 C/60 % RH (J-STD-033) [src]";
}

static const char *
note_row(const struct ecms_msd_bake_row *w)
{
	if (w->msl == ECMS_MSL_NONE)
		return w->temp_c == 125 ? "bake, BGA > 17x17 mm or stacked die, levels 2-6 "
					  "(J-STD-033 Table 4-1) [unconfirmed]"
					: "bake, large-body row [site rule]";
	if (w->msl == ECMS_MSL_2)
		return "bake, level 2 (J-STD-033C/D row recalled as the eesemi 2a values) "
		       "[uncertain]";
	if (w->msl == ECMS_MSL_6)
		return "bake, MSL 6 before use: the 5a values; the label's own bake "
		       "wins [assumption]";
	if (w->max_thickness_um == 4500 || (w->max_thickness_um == 2000 && w->msl == ECMS_MSL_5A))
		return "bake (J-STD-033 Table 4-1) [unconfirmed]";
	if (w->max_thickness_um == 1400 || w->max_thickness_um == 2000)
		return "bake (J-STD-033 Table 4-1, eesemi.com 033B copy) [src]";
	return "bake [site rule]";
}

struct dumper {
	ecms_msd_rule_fn fn;
	void *arg;
};

static int
emit(struct dumper *d, const char *key, const char *value, const char *note)
{
	return d->fn(d->arg, key, value, note);
}

static char *
dur_or(int64_t ms, const char *word_neg, char *buf, size_t n)
{
	if (ms < 0) {
		snprintf(buf, n, "%s", word_neg);
		return buf;
	}
	return ecms_msd_duration_format(ms, ECMS_MSD_DUR_EXACT, buf, n);
}

static char *
pct_or(int32_t pct, const char *word_neg, char *buf, size_t n)
{
	if (pct < 0)
		snprintf(buf, n, "%s", word_neg);
	else
		snprintf(buf, n, "%d%%", pct);
	return buf;
}

int
ecms_msd_rules_dump(const struct ecms_msd_rules *r, ecms_msd_rule_fn fn, void *arg)
{
	struct dumper d = {fn, arg};
	char key[KEY_MAX + 16], val[VALUE_MAX], mm[16];
	int rc;

#define EMIT(n) do { if ((rc = emit(&d, key, val, (n)))) return rc; } while (0)
	for (int m = ECMS_MSL_1; m < ECMS_MSL_COUNT; m++) {
		snprintf(key, sizeof(key), "floor_life.%s", msl_names[m]);
		if (r->floor_life_ms[m] == ECMS_MSD_NO_TOL)
			snprintf(val, sizeof(val), "none");
		else
			dur_or(r->floor_life_ms[m], "unlimited", val, sizeof(val));
		EMIT(note_floor((enum ecms_msl)m));
	}
	for (int m = ECMS_MSL_1; m < ECMS_MSL_COUNT; m++) {
		snprintf(key, sizeof(key), "hic.bake_at.%s", msl_names[m]);
		pct_or(r->hic_bake_at_pct[m], "never", val, sizeof(val));
		EMIT(m == ECMS_MSL_2 ? "HIC spot that demands a bake at opening: level 2 uses "
				       "the 60 % spot [unconfirmed]"
				     : "HIC spot that demands a bake at opening (reading >= this) "
				       "[src: Infineon KBA203617, Telit]");
	}
	for (int m = ECMS_MSL_1; m < ECMS_MSL_COUNT; m++) {
		snprintf(key, sizeof(key), "short_reset.%s.max_exposure", msl_names[m]);
		dur_or(r->short_max_ms[m], "off", val, sizeof(val));
		EMIT("short exposure that dry storage can undo (cumulative since the last "
		     "reset) [unconfirmed]");
		snprintf(key, sizeof(key), "short_reset.%s.factor", msl_names[m]);
		snprintf(val, sizeof(val), "%d", r->short_factor[m]);
		EMIT("continuous bag/<=5 % cabinet time needed, as a multiple of the "
		     "exposure [unconfirmed]");
	}
	for (int m = ECMS_MSL_1; m < ECMS_MSL_COUNT; m++) {
		snprintf(key, sizeof(key), "cabinet10.%s.rate", msl_names[m]);
		format_rate(r->cab10_rate_permille[m], val, sizeof(val));
		EMIT("floor-life clock speed in a <=10 % RH cabinet; 1 = runs (conservative) "
		     "[src-partial: 033B.1 limits this storage]");
		snprintf(key, sizeof(key), "cabinet10.%s.limit", msl_names[m]);
		dur_or(r->cab10_limit_ms[m], "unlimited", val, sizeof(val));
		EMIT("cumulative <=10 % cabinet time at that speed, then full speed "
		     "[src-partial]");
	}
	snprintf(key, sizeof(key), "storage.dry_max_rh");
	pct_or(r->dry_max_rh_pct, "", val, sizeof(val));
	EMIT("cabinets at or below this RH pause the clock like a dry bag "
	     "[src: xdry.com citing J-STD-033A]");
	snprintf(key, sizeof(key), "storage.cabinet10_max_rh");
	pct_or(r->cab10_max_rh_pct, "", val, sizeof(val));
	EMIT("cabinets up to this RH follow the cabinet10 rule; wetter ones are not dry "
	     "storage [src-partial]");
	snprintf(key, sizeof(key), "bake.fl72_margin");
	dur_or(r->fl72_margin_ms, "", val, sizeof(val));
	EMIT("exposure up to floor life + this bakes by the fl72 column, beyond by the "
	     "saturated one (J-STD-033 Table 4-1) [src]");
	snprintf(key, sizeof(key), "cfx.restored_resets");
	snprintf(val, sizeof(val), "%s", r->restored_resets ? "yes" : "no");
	EMIT("CFX MaterialsRestored resets the clock like a bake of unknown "
	     "parameters [site rule]");
	for (size_t i = 0; i < r->n_bake; i++) {
		const struct ecms_msd_bake_row *w = &r->bake[i];
		char base[KEY_MAX];
		static const char *const cols[2] = {"saturated", "fl72"};

		if (w->msl == ECMS_MSL_NONE)
			snprintf(base, sizeof(base), "bake.large.%dc", w->temp_c);
		else
			snprintf(base, sizeof(base), "bake.%s.%smm.%dc", ecms_msl_str(w->msl),
				 format_mm(w->max_thickness_um, mm, sizeof(mm)), w->temp_c);
		for (int c = 0; c < 2; c++) {
			snprintf(key, sizeof(key), "%s.%s", base, cols[c]);
			dur_or(w->min_ms[c], "", val, sizeof(val));
			EMIT(note_row(w));
		}
		snprintf(key, sizeof(key), "%s.rh", base);
		pct_or(w->max_rh_pct >= 100 ? -1 : w->max_rh_pct, "any", val, sizeof(val));
		EMIT("the oven RH this row needs (J-STD-033 Table 4-1) [src]");
	}
#undef EMIT
	return ECMS_OK;
}

/* ==================================================================
 * Names
 * ================================================================== */

static const char *const where_names[ECMS_MSD_WHERE_COUNT] = {
	"unopened", "out", "bag", "cabinet5", "cabinet10", "oven"
};
static const char *const event_names[ECMS_MSD_EV_COUNT] = {
	"?", "open", "seal", "cabinet-in", "cabinet-out", "bake-start", "bake-end",
	"bake-abort", "bake", "expired", "restored"
};
static const char *const phase_names[ECMS_MSD_PHASE_COUNT] = {
	"never opened", "exposed", "in dry storage", "baking", "expired"
};
static const char *const phase_cfx[ECMS_MSD_PHASE_COUNT] = {
	"NeverOpened", "Exposed", "InDryStorage", "InDryStorage", "Expired"
};

const char *
ecms_msd_where_str(enum ecms_msd_where w)
{
	return (unsigned)w < ECMS_MSD_WHERE_COUNT ? where_names[w] : "?";
}

int
ecms_msd_where_parse(const char *s, enum ecms_msd_where *out, ecms_error *err)
{
	for (int i = 0; s && i < ECMS_MSD_WHERE_COUNT; i++) {
		if (ecms__streq_nocase(s, where_names[i])) {
			*out = (enum ecms_msd_where)i;
			return ECMS_OK;
		}
	}
	return ecms__fail(err, ECMS_EINVAL, "where",
			  "'%s' is not an MSD location (expected unopened, out, bag, cabinet5, "
			  "cabinet10 or oven)", s ? s : "");
}

const char *
ecms_msd_event_str(enum ecms_msd_event_type t)
{
	return (unsigned)t < ECMS_MSD_EV_COUNT && t != ECMS_MSD_EV_NONE ? event_names[t] : "?";
}

int
ecms_msd_event_parse(const char *s, enum ecms_msd_event_type *out, ecms_error *err)
{
	for (int i = 1; s && i < ECMS_MSD_EV_COUNT; i++) {
		if (ecms__streq_nocase(s, event_names[i])) {
			*out = (enum ecms_msd_event_type)i;
			return ECMS_OK;
		}
	}
	return ecms__fail(err, ECMS_EINVAL, "event",
			  "'%s' is not an MSD event (expected open, seal, cabinet-in, "
			  "cabinet-out, bake-start, bake-end, bake-abort, bake, expired or "
			  "restored)", s ? s : "");
}

int
ecms_msd_event_from_cfx(const char *name, enum ecms_msd_event_type *out)
{
	static const struct {
		const char *msg;
		enum ecms_msd_event_type t;
	} map[] = {
		{"MaterialsOpened", ECMS_MSD_EV_OPEN},
		{"MaterialsPlacedInDryStorage", ECMS_MSD_EV_CABINET_IN},
		{"MaterialsRemovedFromDryStorage", ECMS_MSD_EV_CABINET_OUT},
		{"MaterialsExpired", ECMS_MSD_EV_EXPIRED},
		{"MaterialsRestored", ECMS_MSD_EV_RESTORED},
	};
	static const char prefix[] = "CFX.Materials.Management.MSDManagement.";
	const char *last;

	if (name == NULL)
		return ECMS_ENOTFOUND;
	last = name;
	if (strchr(name, '.')) {
		if (strncmp(name, prefix, sizeof(prefix) - 1) != 0)
			return ECMS_ENOTFOUND;
		last = name + sizeof(prefix) - 1;
	}
	for (size_t i = 0; i < ECMS_ARRAY_LEN(map); i++) {
		if (strcmp(last, map[i].msg) == 0) {
			*out = map[i].t;
			return ECMS_OK;
		}
	}
	return ECMS_ENOTFOUND;
}

const char *
ecms_msd_phase_str(enum ecms_msd_phase p)
{
	return (unsigned)p < ECMS_MSD_PHASE_COUNT ? phase_names[p] : "?";
}

const char *
ecms_msd_phase_cfx(enum ecms_msd_phase p)
{
	return (unsigned)p < ECMS_MSD_PHASE_COUNT ? phase_cfx[p] : "?";
}

/* ==================================================================
 * State
 * ================================================================== */

int
ecms_msd_state_init(struct ecms_msd_state *st, const struct ecms_msd_part *part,
		    int64_t created_ms, ecms_error *err)
{
	if (part->msl <= ECMS_MSL_NONE || part->msl >= ECMS_MSL_COUNT)
		return ecms__fail(err, ECMS_EINVAL, "msl", "the package has no MSL level");
	if (part->thickness_um < 0 || part->thickness_um > THICKNESS_MAX_UM)
		return ecms__fail(err, ECMS_EINVAL, "thickness",
				  "body thickness %d um is out of range (0 = unknown, up to "
				  "100 mm)", part->thickness_um);
	if (part->tol_ms < 0 || part->tol_ms > DURATION_MAX)
		return ecms__fail(err, ECMS_EINVAL, "tol", "time on label out of range");
	if (created_ms < 0 || created_ms > TIME_MAX)
		return ecms__fail(err, ECMS_EINVAL, "since", "creation time out of range");
	memset(st, 0, sizeof(*st));
	st->msl = part->msl;
	st->thickness_um = part->thickness_um;
	st->large_body = part->large_body;
	st->tol_ms = part->tol_ms;
	st->where = ECMS_MSD_UNOPENED;
	st->since_ms = created_ms;
	st->expired_ms = -1;
	st->bake_flags = part->msl == ECMS_MSL_6 ? ECMS_MSD_NEED_MSL6 : 0;
	st->hic_pct = -1;
	st->oven_start_ms = -1;
	st->oven_rh_pct = -1;
	st->first_open_ms = -1;
	st->last_bake_ms = -1;
	return ECMS_OK;
}

static bool
time_ok(int64_t t, bool none_ok)
{
	return (none_ok && t == -1) || (t >= 0 && t <= TIME_MAX);
}

int
ecms_msd_state_check(const struct ecms_msd_state *s, ecms_error *err)
{
	const char *bad = NULL;

	if (s->msl <= ECMS_MSL_NONE || s->msl >= ECMS_MSL_COUNT)
		bad = "msl";
	else if (s->thickness_um < 0 || s->thickness_um > THICKNESS_MAX_UM)
		bad = "thickness_um";
	else if (s->tol_ms < 0 || s->tol_ms > DURATION_MAX)
		bad = "tol_ms";
	else if ((unsigned)s->where >= ECMS_MSD_WHERE_COUNT)
		bad = "where";
	else if (!time_ok(s->since_ms, false))
		bad = "since_ms";
	else if (s->exposure_ms < 0 || s->exposure_ms > TIME_MAX ||
		 (s->where == ECMS_MSD_UNOPENED && s->exposure_ms != 0))
		bad = "exposure_ms";
	else if (s->cab10_ms < 0 || s->cab10_ms > TIME_MAX)
		bad = "cab10_ms";
	else if (!time_ok(s->expired_ms, true) || s->expired_ms > s->since_ms)
		bad = "expired_ms";
	else if (s->bake_flags & ~(unsigned)(ECMS_MSD_NEED_MSL6 | ECMS_MSD_NEED_HIC |
					     ECMS_MSD_NEED_REPORTED))
		bad = "bake_flags";
	else if (s->hic_pct < -1 || s->hic_pct > 100)
		bad = "hic_pct";
	else if (s->where == ECMS_MSD_OVEN
			 ? (!time_ok(s->oven_start_ms, false) || s->oven_start_ms > s->since_ms ||
			    s->oven_temp_c < 1 || s->oven_temp_c > TEMP_MAX_C ||
			    s->oven_rh_pct < -1 || s->oven_rh_pct > 100)
			 : s->oven_start_ms != -1)
		bad = "oven";
	else if (!time_ok(s->first_open_ms, true) || s->first_open_ms > s->since_ms ||
		 (s->where != ECMS_MSD_UNOPENED) != (s->first_open_ms >= 0))
		bad = "first_open_ms";
	else if (s->opens < 0 || (s->opens > 0) != (s->first_open_ms >= 0))
		bad = "opens";
	else if (s->bakes < 0 || (s->bakes > 0) != (s->last_bake_ms >= 0))
		bad = "bakes";
	else if (!time_ok(s->last_bake_ms, true) || s->last_bake_ms > s->since_ms)
		bad = "last_bake_ms";
	else if (s->last_bake_temp_c < 0 || s->last_bake_temp_c > TEMP_MAX_C ||
		 s->last_bake_duration_ms < 0 || s->last_bake_duration_ms > DURATION_MAX)
		bad = "last_bake";
	else if (s->short_resets < 0)
		bad = "short_resets";
	if (bad)
		return ecms__fail(err, ECMS_EINVAL, bad,
				  "stored MSD state is inconsistent: field %s is out of range",
				  bad);
	return ECMS_OK;
}

/* ==================================================================
 * The clock
 * ================================================================== */

static int64_t
ceil_div(int64_t a, int64_t b)
{
	return (a + b - 1) / b;
}

/* The package's floor life: ms, ECMS_MSD_UNLIMITED or ECMS_MSD_NO_TOL. */
static int64_t
floor_life(const struct ecms_msd_rules *r, const struct ecms_msd_state *s)
{
	if (s->msl == ECMS_MSL_6 && s->tol_ms > 0)
		return s->tol_ms;
	return r->floor_life_ms[s->msl];
}

/* The reduced-rate cabinet time left: ms, or -1 for no limit. */
static int64_t
cab10_credit(const struct ecms_msd_rules *r, const struct ecms_msd_state *s)
{
	int64_t lim = r->cab10_limit_ms[s->msl];

	if (lim < 0)
		return -1;
	return lim > s->cab10_ms ? lim - s->cab10_ms : 0;
}

/* Exposure gained in d ms in a <=10 % cabinet; *used = credit consumed. */
static int64_t
cab10_gain(int32_t rate, int64_t credit, int64_t d, int64_t *used)
{
	int64_t p = (credit < 0 || credit > d) ? d : credit;

	*used = p;
	return ceil_div(p * rate, 1000) + (d - p);
}

/* The time a <=10 % cabinet needs to add `need` exposure; -1 never. */
static int64_t
cab10_time_for(int32_t rate, int64_t credit, int64_t need)
{
	int64_t t, g;

	if (need <= 0)
		return 0;
	if (credit != 0 && rate > 0) {
		/* the least t with ceil(t * rate / 1000) >= need */
		t = (need - 1) * 1000 / rate + 1;
		if (credit < 0 || t <= credit)
			return t;
	}
	if (credit < 0)
		return -1;
	g = ceil_div(credit * rate, 1000);
	return credit + (need - g);
}

/* Would a stay of stay_ms in a bag or <=5 % cabinet undo the exposure? */
static bool
short_reset_due(const struct ecms_msd_rules *r, const struct ecms_msd_state *s,
		int64_t stay_ms)
{
	int64_t max = r->short_max_ms[s->msl], fl = floor_life(r, s);

	if (max < 0 || s->exposure_ms <= 0 || s->exposure_ms > max)
		return false;
	if (fl >= 0 && s->exposure_ms >= fl)
		return false;
	return stay_ms >= (int64_t)r->short_factor[s->msl] * s->exposure_ms;
}

/* Advance s from since_ms to `to` (>= since_ms) where it is now. */
static void
accrue(const struct ecms_msd_rules *r, struct ecms_msd_state *s, int64_t to)
{
	int64_t d = to - s->since_ms, before = s->exposure_ms, fl = floor_life(r, s);
	int64_t cross = -1;

	switch (s->where) {
	case ECMS_MSD_OUT:
		s->exposure_ms += d;
		if (fl >= 0 && before < fl && s->exposure_ms >= fl)
			cross = s->since_ms + (fl - before);
		break;
	case ECMS_MSD_CABINET10: {
		int32_t rate = r->cab10_rate_permille[s->msl];
		int64_t credit = cab10_credit(r, s), used;

		s->exposure_ms += cab10_gain(rate, credit, d, &used);
		s->cab10_ms += used;
		if (fl >= 0 && before < fl && s->exposure_ms >= fl)
			cross = s->since_ms + cab10_time_for(rate, credit, fl - before);
		break;
	}
	case ECMS_MSD_BAG:
	case ECMS_MSD_CABINET5:
		if (short_reset_due(r, s, d)) {
			s->exposure_ms = 0;
			s->short_resets++;
		}
		break;
	default:
		break;
	}
	if (fl >= 0 && s->expired_ms < 0 && s->exposure_ms >= fl)
		s->expired_ms = cross >= 0 ? cross : s->since_ms;
	s->since_ms = to;
}

/* ==================================================================
 * Bakes
 * ================================================================== */

static void
thickness_text(const struct ecms_msd_state *s, int32_t class_um, char *buf, size_t n)
{
	char a[16], b[16];

	if (s->thickness_um > 0)
		snprintf(buf, n, "%s mm", format_mm(s->thickness_um, a, sizeof(a)));
	else if (class_um > 0)
		snprintf(buf, n, "unknown thickness (taken as <=%s mm)",
			 format_mm(class_um, b, sizeof(b)));
	else
		snprintf(buf, n, "unknown thickness");
}

/* Which Table 4-1 column applies, with the reason in why. */
static enum ecms_msd_bake_col
bake_col(const struct ecms_msd_rules *r, const struct ecms_msd_state *s, char *why, size_t n)
{
	int64_t fl = floor_life(r, s);
	char a[40], b[40], c[40];

	if (s->bake_flags & ECMS_MSD_NEED_HIC) {
		snprintf(why, n, "saturated column: the HIC showed %d %% RH", s->hic_pct);
		return ECMS_MSD_BAKE_SATURATED;
	}
	if (s->bake_flags & ECMS_MSD_NEED_REPORTED) {
		snprintf(why, n, "saturated column: reported expired");
		return ECMS_MSD_BAKE_SATURATED;
	}
	if (s->bake_flags & ECMS_MSD_NEED_MSL6) {
		snprintf(why, n, "saturated column: MSL 6 before use");
		return ECMS_MSD_BAKE_SATURATED;
	}
	if (fl == ECMS_MSD_NO_TOL) {
		snprintf(why, n, "saturated column: no time on label known");
		return ECMS_MSD_BAKE_SATURATED;
	}
	if (fl >= 0 && s->exposure_ms > fl + r->fl72_margin_ms) {
		snprintf(why, n, "saturated column: exposure %s > floor life %s + %s",
			 ecms_msd_duration_format(s->exposure_ms, ECMS_MSD_DUR_HUMAN, a, sizeof(a)),
			 ecms_msd_duration_format(fl, ECMS_MSD_DUR_HUMAN, b, sizeof(b)),
			 ecms_msd_duration_format(r->fl72_margin_ms, ECMS_MSD_DUR_HUMAN, c,
						  sizeof(c)));
		return ECMS_MSD_BAKE_SATURATED;
	}
	snprintf(why, n, "exposure within floor life + %s",
		 ecms_msd_duration_format(r->fl72_margin_ms, ECMS_MSD_DUR_HUMAN, c, sizeof(c)));
	return ECMS_MSD_BAKE_FL72;
}

static bool
rh_fits(const struct ecms_msd_bake_row *w, int32_t rh)
{
	return w->max_rh_pct >= 100 || (rh >= 0 && rh <= w->max_rh_pct);
}

/* The row for a bake at temp/rh among rows of msl (and class um unless
 * the large-body rows): the hottest row not hotter than the bake whose RH
 * limit the bake met. NULL with an explanation in err otherwise. */
static const struct ecms_msd_bake_row *
pick_row(const struct ecms_msd_rules *r, enum ecms_msl msl, int32_t um, int32_t temp,
	 int32_t rh, const char *what, ecms_error *err)
{
	const struct ecms_msd_bake_row *best = NULL, *dry = NULL, *coolest = NULL;

	for (size_t i = 0; i < r->n_bake; i++) {
		const struct ecms_msd_bake_row *w = &r->bake[i];
		if (w->msl != msl || (msl != ECMS_MSL_NONE && w->max_thickness_um != um))
			continue;
		if (coolest == NULL || w->temp_c < coolest->temp_c)
			coolest = w;
		if (w->temp_c > temp)
			continue;
		if (!rh_fits(w, rh)) {
			if (dry == NULL || w->temp_c > dry->temp_c)
				dry = w;
		} else if (best == NULL || w->temp_c > best->temp_c) {
			best = w;
		}
	}
	if (best)
		return best;
	if (dry) {
		char rhs[32];
		if (rh < 0)
			snprintf(rhs, sizeof(rhs), "was not recorded");
		else
			snprintf(rhs, sizeof(rhs), "was %d %%", rh);
		ecms__fail(err, ECMS_EREFUSED, "rh",
			   "a bake at %d \u00b0C counts only by the %d \u00b0C row for %s, which "
			   "needs an oven at <=%d %% RH; the oven's RH %s (J-STD-033 Table 4-1)",
			   temp, dry->temp_c, what, dry->max_rh_pct, rhs);
	} else if (coolest) {
		ecms__fail(err, ECMS_EREFUSED, "temp",
			   "the bake table has no row for %s at or below %d \u00b0C (the coolest "
			   "is %d \u00b0C)", what, temp, coolest->temp_c);
	} else {
		ecms__fail(err, ECMS_EREFUSED, "temp", "the bake table has no row for %s", what);
	}
	return NULL;
}

/* The thickness class for s among msl's rows: 0 when the level has no rows,
 * -1 when the body is thicker than every class. */
static int32_t
pick_class(const struct ecms_msd_rules *r, const struct ecms_msd_state *s)
{
	int32_t best = 0, max = 0;

	for (size_t i = 0; i < r->n_bake; i++) {
		const struct ecms_msd_bake_row *w = &r->bake[i];
		if (w->msl != s->msl)
			continue;
		if (w->max_thickness_um > max)
			max = w->max_thickness_um;
		if (s->thickness_um > 0 && w->max_thickness_um >= s->thickness_um &&
		    (best == 0 || w->max_thickness_um < best))
			best = w->max_thickness_um;
	}
	if (max == 0)
		return 0;
	if (s->thickness_um == 0)
		return max;
	return best ? best : -1;
}

/*
 * The shortest accepted bake at temp/rh for s (accrued to the bake start)
 * into *need; the column's reason into why; the thickness class into
 * *class_um. ECMS_EREFUSED when no row fits.
 */
static int
bake_need(const struct ecms_msd_rules *r, const struct ecms_msd_state *s, int32_t temp,
	  int32_t rh, int64_t *need, char *why, size_t whyn, int32_t *class_um,
	  ecms_error *err)
{
	enum ecms_msd_bake_col col = bake_col(r, s, why, whyn);
	int32_t cls = pick_class(r, s);
	const struct ecms_msd_bake_row *w = NULL, *big = NULL;
	ecms_error e1, e2;
	char what[96], mm[16], th[64];

	*class_um = cls;
	if (cls == 0 && floor_life(r, s) == ECMS_MSD_UNLIMITED) {
		*need = 0;
		return ECMS_OK;
	}
	ecms_error_clear(&e1);
	ecms_error_clear(&e2);
	if (cls > 0) {
		snprintf(what, sizeof(what), "MSL %s, <=%s mm", ecms_msl_str(s->msl),
			 format_mm(cls, mm, sizeof(mm)));
		w = pick_row(r, s->msl, cls, temp, rh, what, &e1);
	} else if (cls == 0) {
		ecms__fail(&e1, ECMS_EREFUSED, "msl",
			   "the bake table has no rows for MSL %s (add them as "
			   "bake.%s.<mm>mm.<C>c = <saturated>/<fl72>)", ecms_msl_str(s->msl),
			   ecms_msl_str(s->msl));
	} else {
		thickness_text(s, 0, th, sizeof(th));
		ecms__fail(&e1, ECMS_EREFUSED, "thickness",
			   "the bake table has no row for MSL %s bodies of %s (thicker than "
			   "every class)", ecms_msl_str(s->msl), th);
	}
	if (s->large_body)
		big = pick_row(r, ECMS_MSL_NONE, 0, temp, rh, "large bodies", &e2);
	if (w == NULL && big == NULL) {
		if (err)
			*err = e1;
		return e1.rc;
	}
	*need = 0;
	if (w)
		*need = w->min_ms[col];
	if (big && big->min_ms[col] > *need)
		*need = big->min_ms[col];
	return ECMS_OK;
}

/* Check a bake of dur ms at temp/rh against the table for s (accrued to
 * its start). ECMS_EREFUSED with the operator's message when too short. */
static int
bake_check(const struct ecms_msd_rules *r, const struct ecms_msd_state *s, int32_t temp,
	   int32_t rh, int64_t dur, ecms_error *err)
{
	char why[160], a[40], b[40], th[64];
	int64_t need;
	int32_t cls;
	int rc = bake_need(r, s, temp, rh, &need, why, sizeof(why), &cls, err);

	if (rc)
		return rc;
	if (dur >= need)
		return ECMS_OK;
	thickness_text(s, cls, th, sizeof(th));
	return ecms__fail(err, ECMS_EREFUSED, "duration",
			  "bake of %s at %d \u00b0C is too short for MSL %s, %s: needs %s "
			  "(J-STD-033 Table 4-1, %s)",
			  ecms_msd_duration_format(dur, ECMS_MSD_DUR_HUMAN, a, sizeof(a)), temp,
			  ecms_msl_str(s->msl), th,
			  ecms_msd_duration_format(need, ECMS_MSD_DUR_HUMAN, b, sizeof(b)), why);
}

/* After an accepted bake (or restore) ending at `end`: the clock at zero. */
static void
bake_done(struct ecms_msd_state *s, int64_t end, int32_t temp, int64_t dur)
{
	s->where = ECMS_MSD_OUT;
	s->since_ms = end;
	s->exposure_ms = 0;
	s->cab10_ms = 0;
	s->expired_ms = -1;
	s->bake_flags = 0;
	s->oven_start_ms = -1;
	s->oven_temp_c = 0;
	s->oven_rh_pct = -1;
	s->bakes++;
	s->last_bake_ms = end;
	s->last_bake_temp_c = temp;
	s->last_bake_duration_ms = dur;
}

/* Count an opening at t (a bake of an unopened package opens its bag). */
static void
mark_open(struct ecms_msd_state *s, int64_t t)
{
	s->opens++;
	if (s->first_open_ms < 0)
		s->first_open_ms = t;
}

int
ecms_msd_bake_need(const struct ecms_msd_rules *r, const struct ecms_msd_state *st,
		   int64_t at_ms, int32_t temp_c, int32_t rh_pct, int64_t *min_ms,
		   ecms_error *err)
{
	struct ecms_msd_state s;
	char why[160];
	int32_t cls;
	int rc = ecms_msd_rules_check(r, err);

	if (rc || (rc = ecms_msd_state_check(st, err)))
		return rc;
	if (at_ms < st->since_ms || at_ms > TIME_MAX || temp_c < 1 || temp_c > TEMP_MAX_C ||
	    rh_pct < -1 || rh_pct > 100)
		return ecms__fail(err, ECMS_EINVAL, NULL,
				  "bake query out of range (time before the last event, "
				  "temperature outside 1..%d C or RH outside -1..100)", TEMP_MAX_C);
	s = *st;
	accrue(r, &s, at_ms);
	return bake_need(r, &s, temp_c, rh_pct, min_ms, why, sizeof(why), &cls, err);
}

/* ==================================================================
 * Events
 * ================================================================== */

void
ecms_msd_event_init(struct ecms_msd_event *ev, enum ecms_msd_event_type type, int64_t at_ms)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->at_ms = at_ms;
	ev->hic_pct = -1;
	ev->rh_pct = -1;
}

static int
event_check(const struct ecms_msd_event *ev, ecms_error *err)
{
	bool bake = ev->type == ECMS_MSD_EV_BAKE || ev->type == ECMS_MSD_EV_BAKE_START;

	if (ev->type <= ECMS_MSD_EV_NONE || ev->type >= ECMS_MSD_EV_COUNT)
		return ecms__fail(err, ECMS_EINVAL, "event", "unknown MSD event type %d",
				  (int)ev->type);
	if (ev->at_ms < 0 || ev->at_ms > TIME_MAX)
		return ecms__fail(err, ECMS_EINVAL, "at", "event time out of range");
	if (ev->hic_pct < -1 || ev->hic_pct > 100)
		return ecms__fail(err, ECMS_EINVAL, "hic",
				  "HIC reading %d %% is out of range (0 to 100)", ev->hic_pct);
	if (ev->rh_pct < -1 || ev->rh_pct > 100)
		return ecms__fail(err, ECMS_EINVAL, "rh", "RH %d %% is out of range (0 to 100)",
				  ev->rh_pct);
	if (bake && (ev->temp_c < 1 || ev->temp_c > TEMP_MAX_C))
		return ecms__fail(err, ECMS_EINVAL, "temp",
				  "bake temperature %d \u00b0C is out of range (1 to %d)",
				  ev->temp_c, TEMP_MAX_C);
	if (ev->type == ECMS_MSD_EV_BAKE &&
	    (ev->duration_ms <= 0 || ev->duration_ms > DURATION_MAX ||
	     ev->duration_ms > ev->at_ms))
		return ecms__fail(err, ECMS_EINVAL, "hours",
				  "bake duration must be positive (got %" PRId64 " ms)",
				  ev->duration_ms);
	return ECMS_OK;
}

/* The refusal for an event that does not fit where the package is. */
static int
misplaced(const struct ecms_msd_state *s, const struct ecms_msd_event *ev, ecms_error *err)
{
	char t[ECMS_TIME_LEN];
	const char *ename = ecms_msd_event_str(ev->type);

	ecms_time_format(s->since_ms, t);
	switch (s->where) {
	case ECMS_MSD_UNOPENED:
		return ecms__fail(err, ECMS_EREFUSED, "state",
				  "cannot %s: the package was never opened (its dry bag is still "
				  "sealed; the floor-life clock has not started)", ename);
	case ECMS_MSD_OUT:
		return ecms__fail(err, ECMS_EREFUSED, "state",
				  "cannot %s: the package is out of dry storage (since %s)",
				  ename, t);
	case ECMS_MSD_BAG:
		return ecms__fail(err, ECMS_EREFUSED, "state",
				  "cannot %s: the package is sealed in a dry bag (since %s); "
				  "record the bag opening first", ename, t);
	case ECMS_MSD_CABINET5:
	case ECMS_MSD_CABINET10:
		return ecms__fail(err, ECMS_EREFUSED, "state",
				  "cannot %s: the package is in a dry cabinet (since %s); "
				  "record cabinet-out first", ename, t);
	default:
		return ecms__fail(err, ECMS_EREFUSED, "state",
				  "cannot %s: the package is being baked (since %s); end or abort "
				  "the bake first", ename, t);
	}
}

static int
apply_open(const struct ecms_msd_rules *r, struct ecms_msd_state *s,
	   const struct ecms_msd_event *ev, ecms_error *err)
{
	int32_t lim = r->hic_bake_at_pct[s->msl];

	if (s->where != ECMS_MSD_UNOPENED && s->where != ECMS_MSD_BAG)
		return misplaced(s, ev, err);
	accrue(r, s, ev->at_ms);
	mark_open(s, ev->at_ms);
	s->where = ECMS_MSD_OUT;
	if (ev->hic_pct >= 0) {
		s->hic_pct = ev->hic_pct;
		if (lim >= 0 && ev->hic_pct >= lim)
			s->bake_flags |= ECMS_MSD_NEED_HIC;
	}
	return ECMS_OK;
}

static int
apply_cabinet_in(const struct ecms_msd_rules *r, struct ecms_msd_state *s,
		 const struct ecms_msd_event *ev, ecms_error *err)
{
	enum ecms_msd_where to;

	if (s->where != ECMS_MSD_OUT && s->where != ECMS_MSD_CABINET5 &&
	    s->where != ECMS_MSD_CABINET10)
		return misplaced(s, ev, err);
	if (ev->rh_pct >= 0 && ev->rh_pct <= r->dry_max_rh_pct)
		to = ECMS_MSD_CABINET5;
	else if (ev->rh_pct <= r->cab10_max_rh_pct)
		to = ECMS_MSD_CABINET10;
	else
		return ecms__fail(err, ECMS_EREFUSED, "rh",
				  "a cabinet at %d %% RH is not dry storage (J-STD-033 needs <=%d "
				  "%% RH); the package counts as exposed there", ev->rh_pct,
				  r->cab10_max_rh_pct);
	accrue(r, s, ev->at_ms);
	s->where = to;
	return ECMS_OK;
}

static int
apply_one(const struct ecms_msd_rules *r, struct ecms_msd_state *s,
	  const struct ecms_msd_event *ev, ecms_error *err)
{
	int rc;

	switch (ev->type) {
	case ECMS_MSD_EV_OPEN:
		return apply_open(r, s, ev, err);
	case ECMS_MSD_EV_SEAL:
		if (s->where != ECMS_MSD_OUT && s->where != ECMS_MSD_CABINET5 &&
		    s->where != ECMS_MSD_CABINET10)
			return misplaced(s, ev, err);
		accrue(r, s, ev->at_ms);
		s->where = ECMS_MSD_BAG;
		return ECMS_OK;
	case ECMS_MSD_EV_CABINET_IN:
		return apply_cabinet_in(r, s, ev, err);
	case ECMS_MSD_EV_CABINET_OUT:
		if (s->where != ECMS_MSD_CABINET5 && s->where != ECMS_MSD_CABINET10)
			return misplaced(s, ev, err);
		accrue(r, s, ev->at_ms);
		s->where = ECMS_MSD_OUT;
		return ECMS_OK;
	case ECMS_MSD_EV_BAKE_START: {
		int64_t need;

		if (s->where == ECMS_MSD_OVEN)
			return misplaced(s, ev, err);
		accrue(r, s, ev->at_ms);
		/* Refuse now a bake that no duration could make valid. */
		if ((rc = ecms_msd_bake_need(r, s, ev->at_ms, ev->temp_c, ev->rh_pct, &need,
					     err)))
			return rc;
		if (s->where == ECMS_MSD_UNOPENED)
			mark_open(s, ev->at_ms);
		s->where = ECMS_MSD_OVEN;
		s->oven_start_ms = ev->at_ms;
		s->oven_temp_c = ev->temp_c;
		s->oven_rh_pct = ev->rh_pct;
		return ECMS_OK;
	}
	case ECMS_MSD_EV_BAKE_END:
	case ECMS_MSD_EV_BAKE_ABORT:
		if (s->where != ECMS_MSD_OVEN) {
			char t[ECMS_TIME_LEN];
			return ecms__fail(err, ECMS_EREFUSED, "state",
					  "cannot %s: no bake is running (the package is %s since "
					  "%s)", ecms_msd_event_str(ev->type),
					  ecms_msd_where_str(s->where),
					  ecms_time_format(s->since_ms, t));
		}
		if (ev->type == ECMS_MSD_EV_BAKE_ABORT) {
			s->where = ECMS_MSD_OUT;
			s->since_ms = ev->at_ms;
			s->oven_start_ms = -1;
			s->oven_temp_c = 0;
			s->oven_rh_pct = -1;
			return ECMS_OK;
		}
		rc = bake_check(r, s, s->oven_temp_c, s->oven_rh_pct,
				ev->at_ms - s->oven_start_ms, err);
		if (rc) {
			if (rc == ECMS_EREFUSED)
				ecms__error_prefix(err, "bake not ended (continue it, or record "
						   "bake-abort)");
			return rc;
		}
		bake_done(s, ev->at_ms, s->oven_temp_c, ev->at_ms - s->oven_start_ms);
		return ECMS_OK;
	case ECMS_MSD_EV_BAKE: {
		int64_t start = ev->at_ms - ev->duration_ms;

		if (s->where == ECMS_MSD_OVEN)
			return misplaced(s, ev, err);
		if (start < s->since_ms) {
			char a[ECMS_TIME_LEN], b[ECMS_TIME_LEN];
			return ecms__fail(err, ECMS_EREFUSED, "at",
					  "the bake would have started at %s, before the package's "
					  "last recorded change at %s",
					  ecms_time_format(start, a),
					  ecms_time_format(s->since_ms, b));
		}
		accrue(r, s, start);
		if ((rc = bake_check(r, s, ev->temp_c, ev->rh_pct, ev->duration_ms, err)))
			return rc;
		if (s->where == ECMS_MSD_UNOPENED)
			mark_open(s, start);
		bake_done(s, ev->at_ms, ev->temp_c, ev->duration_ms);
		return ECMS_OK;
	}
	case ECMS_MSD_EV_EXPIRED:
		accrue(r, s, ev->at_ms);
		s->bake_flags |= ECMS_MSD_NEED_REPORTED;
		return ECMS_OK;
	case ECMS_MSD_EV_RESTORED:
		if (!r->restored_resets)
			return ecms__fail(err, ECMS_EREFUSED, "event",
					  "a CFX MaterialsRestored does not reset the floor life "
					  "here (rule cfx.restored_resets = no): record the bake "
					  "with its temperature and duration");
		if (s->where == ECMS_MSD_OVEN)
			return misplaced(s, ev, err);
		accrue(r, s, ev->at_ms);
		if (s->where == ECMS_MSD_UNOPENED)
			mark_open(s, ev->at_ms);
		bake_done(s, ev->at_ms, 0, 0);
		return ECMS_OK;
	default:
		return ecms__fail(err, ECMS_EINVAL, "event", "unknown MSD event type %d",
				  (int)ev->type);
	}
}

int
ecms_msd_apply(const struct ecms_msd_rules *r, struct ecms_msd_state *st,
	       const struct ecms_msd_event *ev, ecms_error *err)
{
	struct ecms_msd_state s;
	int rc;

	if ((rc = ecms_msd_rules_check(r, err)) || (rc = ecms_msd_state_check(st, err)) ||
	    (rc = event_check(ev, err)))
		return rc;
	if (ev->at_ms < st->since_ms) {
		char a[ECMS_TIME_LEN], b[ECMS_TIME_LEN];
		return ecms__fail(err, ECMS_EREFUSED, "at",
				  "%s at %s is out of order: the package's last recorded change "
				  "was at %s", ecms_msd_event_str(ev->type),
				  ecms_time_format(ev->at_ms, a),
				  ecms_time_format(st->since_ms, b));
	}
	s = *st;
	rc = apply_one(r, &s, ev, err);
	if (rc == ECMS_OK)
		*st = s;
	return rc;
}

/* ==================================================================
 * Status
 * ================================================================== */

int
ecms_msd_eval(const struct ecms_msd_rules *r, const struct ecms_msd_state *st,
	      int64_t now_ms, struct ecms_msd_status *out, ecms_error *err)
{
	struct ecms_msd_state s;
	int64_t fl;
	char a[40], b[40], t[ECMS_TIME_LEN];
	int rc = ecms_msd_rules_check(r, err);

	if (rc || (rc = ecms_msd_state_check(st, err)))
		return rc;
	if (now_ms < st->since_ms || now_ms > TIME_MAX) {
		char x[ECMS_TIME_LEN];
		return ecms__fail(err, ECMS_EINVAL, "now",
				  "status asked for %s, before the package's last recorded "
				  "change at %s", ecms_time_format(now_ms, x),
				  ecms_time_format(st->since_ms, t));
	}
	s = *st;
	accrue(r, &s, now_ms);
	fl = floor_life(r, &s);
	memset(out, 0, sizeof(*out));
	out->where = s.where;
	out->exposure_ms = s.exposure_ms;
	out->floor_life_ms = fl;
	out->remaining_ms = fl >= 0 ? fl - s.exposure_ms : fl;
	out->ends_ms = -1;
	out->ends_if_out_ms = fl >= 0 ? now_ms + (out->remaining_ms > 0 ? out->remaining_ms : 0)
				      : -1;
	out->expired_ms = fl >= 0 && s.exposure_ms >= fl ? s.expired_ms : -1;
	out->reset_ms = -1;
	out->usable = true;

	switch (s.where) {
	case ECMS_MSD_OUT:
		out->rate_permille = 1000;
		break;
	case ECMS_MSD_CABINET10:
		out->rate_permille = cab10_credit(r, &s) == 0 ? 1000
							       : r->cab10_rate_permille[s.msl];
		break;
	default:
		out->rate_permille = 0;
		break;
	}
	if (fl >= 0 && out->remaining_ms > 0 &&
	    (s.where == ECMS_MSD_OUT || s.where == ECMS_MSD_CABINET10)) {
		int64_t dt = s.where == ECMS_MSD_OUT
				     ? out->remaining_ms
				     : cab10_time_for(r->cab10_rate_permille[s.msl],
						      cab10_credit(r, &s), out->remaining_ms);
		out->ends_ms = dt >= 0 ? now_ms + dt : -1;
	}
	if ((st->where == ECMS_MSD_BAG || st->where == ECMS_MSD_CABINET5) &&
	    short_reset_due(r, st, INT64_MAX / 2))
		out->reset_ms = st->since_ms + (int64_t)r->short_factor[st->msl] * st->exposure_ms;

	if (s.where == ECMS_MSD_OVEN)
		out->phase = ECMS_MSD_BAKING;
	else if ((s.bake_flags & ECMS_MSD_NEED_REPORTED) || (fl >= 0 && s.exposure_ms >= fl))
		out->phase = ECMS_MSD_EXPIRED;
	else if (s.where == ECMS_MSD_UNOPENED)
		out->phase = ECMS_MSD_NEVER_OPENED;
	else if (s.where == ECMS_MSD_OUT)
		out->phase = ECMS_MSD_EXPOSED;
	else
		out->phase = ECMS_MSD_DRY;

	out->bake_required = s.bake_flags != 0 || (fl >= 0 && s.exposure_ms >= fl);
	if (s.where == ECMS_MSD_OVEN) {
		snprintf(out->reason, sizeof(out->reason), "being baked at %d \u00b0C since %s",
			 s.oven_temp_c, ecms_time_format(s.oven_start_ms, t));
	} else if (s.bake_flags & ECMS_MSD_NEED_REPORTED) {
		snprintf(out->reason, sizeof(out->reason),
			 "reported expired by a machine or dry cabinet (CFX MaterialsExpired): "
			 "bake required");
	} else if (fl >= 0 && s.exposure_ms >= fl) {
		snprintf(out->reason, sizeof(out->reason),
			 "floor life expired: exposed %s of %s (MSL %s): bake required "
			 "(J-STD-033)",
			 ecms_msd_duration_format(s.exposure_ms, ECMS_MSD_DUR_HUMAN, a, sizeof(a)),
			 ecms_msd_duration_format(fl, ECMS_MSD_DUR_HUMAN, b, sizeof(b)),
			 ecms_msl_str(s.msl));
	} else if (s.bake_flags & ECMS_MSD_NEED_HIC) {
		snprintf(out->reason, sizeof(out->reason),
			 "bake required before use: HIC shows >=%d %% RH (reading %d %%, limit "
			 "for MSL %s)", r->hic_bake_at_pct[s.msl] < 0 ? s.hic_pct
								      : r->hic_bake_at_pct[s.msl],
			 s.hic_pct, ecms_msl_str(s.msl));
	} else if (s.bake_flags & ECMS_MSD_NEED_MSL6) {
		snprintf(out->reason, sizeof(out->reason),
			 "MSL 6: bake required before use, then use within the time on label");
	} else if (fl == ECMS_MSD_NO_TOL) {
		snprintf(out->reason, sizeof(out->reason),
			 "MSL 6: no time on label recorded for this package and no default "
			 "(rule floor_life.6)");
	}
	out->usable = out->reason[0] == '\0';
	return ECMS_OK;
}
