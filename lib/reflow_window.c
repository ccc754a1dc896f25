/*
 * reflow_window.c: the reflow profile window: defaults from
 * msd-reflow.md section 2.3, the key/value form a product's overrides
 * are stored in, and its consistency check.
 */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "reflow_int.h"

static const char *const metric_names[ECMS_REFLOW_NMETRICS] = {
	"ramp", "soak", "tal", "peak", "near_peak", "cool", "t25_peak"};
static const char *const metric_suffix[ECMS_REFLOW_NMETRICS] = {
	"_c_s", "_s", "_s", "_c", "_s", "_c_s", "_s"};
static const char *const metric_units[ECMS_REFLOW_NMETRICS] = {
	"\xc2\xb0" "C/s", "s", "s", "\xc2\xb0" "C", "s", "\xc2\xb0" "C/s", "s"};

const char *
ecms_reflow_metric_name(enum ecms_reflow_metric m)
{
	return (unsigned)m < ECMS_REFLOW_NMETRICS ? metric_names[m] : "?";
}

const char *
ecms_reflow_metric_unit(enum ecms_reflow_metric m)
{
	return (unsigned)m < ECMS_REFLOW_NMETRICS ? metric_units[m] : "";
}

void
ecms_reflow_window_default(struct ecms_reflow_window *w)
{
	size_t m;

	w->liquidus_c = 217;
	w->soak_lo_c = 150;
	w->soak_hi_c = 200;
	w->ramp_window_s = 5;
	w->near_peak_delta_c = 5;
	w->t25_from_c = 25;
	for (m = 0; m < ECMS_REFLOW_NMETRICS; m++)
		w->lim[m].min = w->lim[m].warn_min = w->lim[m].warn_max =
			w->lim[m].max = NAN;
	w->lim[ECMS_REFLOW_RAMP].warn_max = 2.5;
	w->lim[ECMS_REFLOW_RAMP].max = 3;
	w->lim[ECMS_REFLOW_SOAK].warn_min = 60;
	w->lim[ECMS_REFLOW_SOAK].warn_max = 120;
	w->lim[ECMS_REFLOW_TAL].min = 30;
	w->lim[ECMS_REFLOW_TAL].warn_min = 45;
	w->lim[ECMS_REFLOW_TAL].warn_max = 90;
	w->lim[ECMS_REFLOW_TAL].max = 150;
	w->lim[ECMS_REFLOW_PEAK].min = 235;
	w->lim[ECMS_REFLOW_PEAK].max = 250;
	w->lim[ECMS_REFLOW_NEAR_PEAK].max = 30;
	w->lim[ECMS_REFLOW_COOL].warn_max = 4;
	w->lim[ECMS_REFLOW_COOL].max = 6;
	w->lim[ECMS_REFLOW_T25_PEAK].max = 480;
	w->passes_max = 3;
	w->component_delta_c = 5;
	w->component_max_s = 30;
	w->zone_tol_c = 5;
	w->pwi_max = 100;
}

/* ------------------------------------------------------------------
 * Keys
 * ------------------------------------------------------------------ */

enum key_kind {
	K_PARAM, /* an analysis parameter: a number, always set */
	K_LIMIT, /* a limit: a number or "none" */
	K_COUNT	 /* a limit that is a whole number */
};

struct wkey {
	const char *key;
	size_t off;
	enum key_kind kind;
	double lo, hi;
};

#define W struct ecms_reflow_window
#define TEMP_LO (-50.0)
#define TEMP_HI 500.0
#define RATE_HI 100.0
#define TIME_HI 86400.0
#define LIMITS(m, name, u, lo, hi)                                             \
	{name ".min" u, offsetof(W, lim[m].min), K_LIMIT, lo, hi},              \
	{name ".warn_min" u, offsetof(W, lim[m].warn_min), K_LIMIT, lo, hi},    \
	{name ".warn_max" u, offsetof(W, lim[m].warn_max), K_LIMIT, lo, hi},    \
	{name ".max" u, offsetof(W, lim[m].max), K_LIMIT, lo, hi}

static const struct wkey wkeys[] = {
	{"liquidus_c", offsetof(W, liquidus_c), K_PARAM, 50, 450},
	{"soak.lo_c", offsetof(W, soak_lo_c), K_PARAM, 0, 450},
	{"soak.hi_c", offsetof(W, soak_hi_c), K_PARAM, 0, 450},
	{"ramp.window_s", offsetof(W, ramp_window_s), K_PARAM, 0.1, 120},
	{"near_peak.delta_c", offsetof(W, near_peak_delta_c), K_PARAM, 0.1, 50},
	{"t25_peak.from_c", offsetof(W, t25_from_c), K_PARAM, -50, 200},
	LIMITS(ECMS_REFLOW_RAMP, "ramp", "_c_s", 0, RATE_HI),
	LIMITS(ECMS_REFLOW_SOAK, "soak", "_s", 0, TIME_HI),
	LIMITS(ECMS_REFLOW_TAL, "tal", "_s", 0, TIME_HI),
	LIMITS(ECMS_REFLOW_PEAK, "peak", "_c", TEMP_LO, TEMP_HI),
	LIMITS(ECMS_REFLOW_NEAR_PEAK, "near_peak", "_s", 0, TIME_HI),
	LIMITS(ECMS_REFLOW_COOL, "cool", "_c_s", 0, RATE_HI),
	LIMITS(ECMS_REFLOW_T25_PEAK, "t25_peak", "_s", 0, TIME_HI),
	{"passes.max", offsetof(W, passes_max), K_COUNT, 1, 100},
	{"component.delta_c", offsetof(W, component_delta_c), K_PARAM, 0, 50},
	{"component.max_s", offsetof(W, component_max_s), K_LIMIT, 0, TIME_HI},
	{"zone.tolerance_c", offsetof(W, zone_tol_c), K_LIMIT, 0, 200},
	{"pwi.max", offsetof(W, pwi_max), K_LIMIT, 0, 1000},
};

static const struct wkey *
find_key(const char *key)
{
	size_t i;

	for (i = 0; i < ECMS_ARRAY_LEN(wkeys); i++)
		if (strcmp(wkeys[i].key, key) == 0)
			return &wkeys[i];
	return NULL;
}

static int
unknown_key(const char *key, ecms_error *err)
{
	char q[48];

	ecms__reflow_quote(key ? key : "", q, sizeof(q));
	return ecms__fail(err, ECMS_EINVAL, "key", "window: unknown key '%s'; expected "
			  "liquidus_c, soak.lo_c, soak.hi_c, ramp.window_s, "
			  "near_peak.delta_c, t25_peak.from_c, passes.max, "
			  "component.delta_c, component.max_s, zone.tolerance_c, pwi.max, "
			  "or <metric>.{min,warn_min,warn_max,max}{_c_s|_s|_c} for ramp "
			  "(_c_s), soak (_s), tal (_s), peak (_c), near_peak (_s), "
			  "cool (_c_s), t25_peak (_s)", q);
}

const char *
ecms_reflow_window_key(size_t i)
{
	return i < ECMS_ARRAY_LEN(wkeys) ? wkeys[i].key : NULL;
}

int
ecms_reflow_window_set(struct ecms_reflow_window *w, const char *key,
		       const char *value, ecms_error *err)
{
	const struct wkey *k = key ? find_key(key) : NULL;
	char q[48];
	double v;

	if (k == NULL)
		return unknown_key(key, err);
	if (value == NULL)
		value = "";
	ecms__reflow_quote(value, q, sizeof(q));
	if (*value == '\0' || strcmp(value, "none") == 0 || strcmp(value, "off") == 0) {
		if (k->kind == K_PARAM)
			return ecms__fail(err, ECMS_EINVAL, k->key, "window: %s needs a "
					  "number; '%s' only drops limits", k->key, q);
		v = NAN;
	} else if (!ecms__reflow_parse_num(value, &v)) {
		return ecms__fail(err, ECMS_EINVAL, k->key, "window: %s: '%s' is not a "
				  "number", k->key, q);
	} else if (v < k->lo || v > k->hi) {
		return ecms__fail(err, ECMS_EINVAL, k->key, "window: %s: %s is outside "
				  "%g..%g", k->key, q, k->lo, k->hi);
	} else if (k->kind == K_COUNT && v != floor(v)) {
		return ecms__fail(err, ECMS_EINVAL, k->key, "window: %s: %s is not a "
				  "whole number", k->key, q);
	}
	memcpy((char *)w + k->off, &v, sizeof(v));
	return ECMS_OK;
}

static double
key_value(const struct ecms_reflow_window *w, const struct wkey *k)
{
	double v;

	memcpy(&v, (const char *)w + k->off, sizeof(v));
	return v;
}

int
ecms_reflow_window_get(const struct ecms_reflow_window *w, const char *key,
		       char *buf, size_t n, ecms_error *err)
{
	const struct wkey *k = key ? find_key(key) : NULL;

	if (k == NULL)
		return unknown_key(key, err);
	if (n < 32)
		return ecms__fail(err, ECMS_EUSAGE, NULL, "window: a buffer of %zu bytes "
				  "is under 32", n);
	ecms__reflow_fmt_num(key_value(w, k), buf, n);
	return ECMS_OK;
}

/* Equal, counting two NANs as equal. */
static bool
same(double a, double b)
{
	return a == b || (isnan(a) && isnan(b));
}

int
ecms_reflow_window_dump(const struct ecms_reflow_window *w, unsigned flags,
			char **out, ecms_error *err)
{
	struct ecms_reflow_window def;
	ecms_buf b;
	char num[40];
	size_t i;
	int rc = ECMS_OK;

	*out = NULL;
	ecms_reflow_window_default(&def);
	ecms__buf_init(&b, 0);
	for (i = 0; rc == ECMS_OK && i < ECMS_ARRAY_LEN(wkeys); i++) {
		double v = key_value(w, &wkeys[i]);

		if ((flags & ECMS_REFLOW_DUMP_CHANGED) && same(v, key_value(&def, &wkeys[i])))
			continue;
		rc = ecms__buf_printf(&b, "%s=%s\n", wkeys[i].key,
				      ecms__reflow_fmt_num(v, num, sizeof(num)));
	}
	if (rc == ECMS_OK && (*out = ecms__buf_take(&b)) == NULL)
		rc = ECMS_ENOMEM;
	ecms__buf_cleanup(&b);
	if (rc)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
	return ECMS_OK;
}

int
ecms_reflow_window_validate(const struct ecms_reflow_window *w, ecms_error *err)
{
	static const char *const bound[4] = {"min", "warn_min", "warn_max", "max"};
	char a[32], b[32];
	size_t m, i, j, k;

	for (k = 0; k < ECMS_ARRAY_LEN(wkeys); k++) {
		double v = key_value(w, &wkeys[k]);

		if (isnan(v) ? wkeys[k].kind == K_PARAM : (v < wkeys[k].lo || v > wkeys[k].hi))
			return ecms__fail(err, ECMS_EINVAL, wkeys[k].key, "window: %s = %s "
					  "is outside %g..%g", wkeys[k].key,
					  ecms__reflow_fmt_num(v, a, sizeof(a)), wkeys[k].lo,
					  wkeys[k].hi);
	}
	if (!(w->soak_lo_c < w->soak_hi_c))
		return ecms__fail(err, ECMS_EINVAL, "soak.lo_c", "window: soak.lo_c %s "
				  "must be below soak.hi_c %s",
				  ecms__reflow_fmt_num(w->soak_lo_c, a, sizeof(a)),
				  ecms__reflow_fmt_num(w->soak_hi_c, b, sizeof(b)));
	if (!(w->soak_hi_c <= w->liquidus_c))
		return ecms__fail(err, ECMS_EINVAL, "soak.hi_c", "window: soak.hi_c %s "
				  "must not be above liquidus_c %s",
				  ecms__reflow_fmt_num(w->soak_hi_c, a, sizeof(a)),
				  ecms__reflow_fmt_num(w->liquidus_c, b, sizeof(b)));
	for (m = 0; m < ECMS_REFLOW_NMETRICS; m++) {
		const double v[4] = {w->lim[m].min, w->lim[m].warn_min, w->lim[m].warn_max,
				     w->lim[m].max};
		const char *u = metric_suffix[m];

		for (i = 0; i < 4; i++)
			for (j = i + 1; j < 4; j++)
				if (v[i] > v[j]) /* false when either is NAN */
					return ecms__fail(
						err, ECMS_EINVAL, metric_names[m],
						"window: %s.%s%s %s is above %s.%s%s %s",
						metric_names[m], bound[i], u,
						ecms__reflow_fmt_num(v[i], a, sizeof(a)),
						metric_names[m], bound[j], u,
						ecms__reflow_fmt_num(v[j], b, sizeof(b)));
	}
	return ECMS_OK;
}

bool
ecms__reflow_same_params(const struct ecms_reflow_window *w,
			 const struct ecms_reflow_metrics *m)
{
	return same(w->liquidus_c, m->liquidus_c) && same(w->soak_lo_c, m->soak_lo_c) &&
	       same(w->soak_hi_c, m->soak_hi_c) &&
	       same(w->ramp_window_s, m->ramp_window_s) &&
	       same(w->near_peak_delta_c, m->near_peak_delta_c) &&
	       same(w->t25_from_c, m->t25_from_c);
}
