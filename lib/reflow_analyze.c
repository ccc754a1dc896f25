/*
 * reflow_analyze.c: from data to reflow metrics: the per-thermocouple
 * measurements on a profile curve (definitions in reflow.h), the
 * extremes across channels, and what CFX reflow messages allow to be
 * derived (an upper bound of the peak, zone data, the profiler's PWI).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reflow_int.h"

/* ------------------------------------------------------------------
 * Metrics structs
 * ------------------------------------------------------------------ */

struct ecms_reflow_metrics *
ecms__reflow_metrics_alloc(size_t nch, const struct ecms_reflow_window *w)
{
	struct ecms_reflow_metrics *m = ecms__calloc(1, sizeof(*m));
	size_t c, k;

	if (m == NULL)
		return NULL;
	m->ch = ecms__calloc(nch, sizeof(*m->ch));
	if (m->ch == NULL) {
		ecms__free(m);
		return NULL;
	}
	m->nchannels = nch;
	m->source = ECMS_REFLOW_SRC_CURVE;
	m->liquidus_c = w->liquidus_c;
	m->soak_lo_c = w->soak_lo_c;
	m->soak_hi_c = w->soak_hi_c;
	m->ramp_window_s = w->ramp_window_s;
	m->near_peak_delta_c = w->near_peak_delta_c;
	m->t25_from_c = w->t25_from_c;
	m->conveyor_cm_min = m->oven_time_s = m->pwi = NAN;
	for (c = 0; c < nch; c++) {
		struct ecms_reflow_chmetrics *ch = &m->ch[c];

		for (k = 0; k < ECMS_REFLOW_NMETRICS; k++) {
			ch->m[k].v = NAN;
			ch->m[k].kind = ECMS_REFLOW_UNKNOWN;
		}
		ch->peak_time_s = ch->start_c = ch->end_c = NAN;
		ch->soak_enter_s = ch->soak_exit_s = NAN;
		ch->liquidus_in_s = ch->liquidus_out_s = NAN;
	}
	for (k = 0; k < ECMS_REFLOW_NMETRICS; k++)
		m->ext[k].min = m->ext[k].max = NAN;
	return m;
}

void
ecms_reflow_metrics_free(struct ecms_reflow_metrics *m)
{
	size_t c;

	if (m == NULL)
		return;
	for (c = 0; m->ch && c < m->nchannels; c++) {
		ecms__free(m->ch[c].hot_t);
		ecms__free(m->ch[c].hot_c);
	}
	ecms__free(m->ch);
	ecms__free(m->zones);
	ecms__free(m);
}

void
ecms__reflow_extremes(struct ecms_reflow_metrics *m)
{
	size_t k, c;

	for (k = 0; k < ECMS_REFLOW_NMETRICS; k++) {
		struct ecms_reflow_extreme *e = &m->ext[k];

		e->nknown = 0;
		e->min = e->max = NAN;
		e->min_ch = e->max_ch = 0;
		for (c = 0; c < m->nchannels; c++) {
			const struct ecms_reflow_value *v = &m->ch[c].m[k];

			if (v->kind == ECMS_REFLOW_UNKNOWN)
				continue;
			if (e->nknown == 0 || v->v < e->min) {
				e->min = v->v;
				e->min_ch = c;
			}
			if (e->nknown == 0 || v->v > e->max) {
				e->max = v->v;
				e->max_ch = c;
			}
			e->nknown++;
		}
	}
}

static void
set_exact(struct ecms_reflow_chmetrics *c, enum ecms_reflow_metric k, double v)
{
	c->m[k].v = v;
	c->m[k].kind = ECMS_REFLOW_EXACT;
	c->m[k].why[0] = '\0';
}

static void
set_unknown(struct ecms_reflow_chmetrics *c, enum ecms_reflow_metric k,
	    const char *fmt, ...) ECMS_PRINTF(3, 4);

static void
set_unknown(struct ecms_reflow_chmetrics *c, enum ecms_reflow_metric k,
	    const char *fmt, ...)
{
	char buf[sizeof(c->m[k].why)];
	va_list ap;

	va_start(ap, fmt);
	ecms__reflow_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	c->m[k].v = NAN;
	c->m[k].kind = ECMS_REFLOW_UNKNOWN;
	ecms__strlcpy(c->m[k].why, buf, sizeof(c->m[k].why));
}

/* ------------------------------------------------------------------
 * One channel of a curve
 * ------------------------------------------------------------------ */

/* Keep the samples within ECMS_REFLOW_HOT_SPAN_C of the peak, with
 * their neighbours (so every segment reaching the span is whole); runs
 * are separated by a NAN. */
static int
keep_hot(struct ecms_reflow_chmetrics *c, const double *t, const double *y,
	 size_t n, double floor_c)
{
	size_t i, k = 0, last = 0, pass;
	bool any;

	for (pass = 0; pass < 2; pass++) {
		any = false;
		k = 0;
		for (i = 0; i < n; i++) {
			bool keep = y[i] >= floor_c || (i > 0 && y[i - 1] >= floor_c) ||
				    (i + 1 < n && y[i + 1] >= floor_c);

			if (!keep)
				continue;
			if (any && last + 1 != i) {
				if (pass) {
					c->hot_t[k] = NAN;
					c->hot_c[k] = NAN;
				}
				k++;
			}
			if (pass) {
				c->hot_t[k] = t[i];
				c->hot_c[k] = y[i];
			}
			k++;
			any = true;
			last = i;
		}
		if (pass == 0) {
			c->hot_t = ecms__malloc(k * sizeof(double));
			c->hot_c = ecms__malloc(k * sizeof(double));
			if (c->hot_t == NULL || c->hot_c == NULL)
				return ECMS_ENOMEM;
		}
	}
	c->nhot = k;
	return ECMS_OK;
}

double
ecms__reflow_time_above(const struct ecms_reflow_chmetrics *c, double th,
			bool *lower_bound)
{
	double floor_c, sum = 0;
	size_t i;

	*lower_bound = false;
	if (c->nhot == 0 || c->m[ECMS_REFLOW_PEAK].kind != ECMS_REFLOW_EXACT)
		return NAN;
	floor_c = c->m[ECMS_REFLOW_PEAK].v - ECMS_REFLOW_HOT_SPAN_C;
	if (th < floor_c) {
		*lower_bound = true;
		th = floor_c;
	}
	for (i = 0; i + 1 < c->nhot; i++)
		if (!isnan(c->hot_c[i]) && !isnan(c->hot_c[i + 1]))
			sum += ecms__reflow_seg_above(c->hot_t[i], c->hot_c[i], c->hot_t[i + 1],
						      c->hot_c[i + 1], th);
	return sum;
}

/* Ramp and cooling rates: slopes over pairs at least the window apart. */
static void
rates(struct ecms_reflow_chmetrics *c, const double *t, const double *y, size_t n,
      double win, double tp)
{
	double ramp = -INFINITY, cool = -INFINITY;
	size_t i, j = 0;

	if (t[n - 1] - t[0] < win)
		win = t[n - 1] - t[0];
	for (i = 0; i < n; i++) {
		double s;

		while (j < n && t[j] - t[i] < win)
			j++;
		if (j >= n)
			break;
		s = (y[j] - y[i]) / (t[j] - t[i]);
		if (t[j] <= tp && s > ramp)
			ramp = s;
		if (t[i] >= tp && -s > cool)
			cool = -s;
	}
	if (ramp > -INFINITY)
		set_exact(c, ECMS_REFLOW_RAMP, ramp);
	else
		set_unknown(c, ECMS_REFLOW_RAMP, "the peak comes less than %g s after "
			    "the first sample", win);
	if (cool > -INFINITY)
		set_exact(c, ECMS_REFLOW_COOL, cool);
	else
		set_unknown(c, ECMS_REFLOW_COOL, "the curve ends less than %g s after "
			    "the peak", win);
}

/* Time in the soak band before liquidus (or the peak); entry and exit. */
static void
soak(struct ecms_reflow_chmetrics *c, const double *t, const double *y, size_t n,
     double lo, double hi, double t_end)
{
	double sum = 0, enter = NAN, exit_s = NAN;
	size_t i;

	for (i = 0; i + 1 < n && t[i] < t_end; i++) {
		double t0 = t[i], y0 = y[i], t1 = t[i + 1], y1 = y[i + 1];

		if (t1 > t_end) {
			y1 = y0 + (y1 - y0) * (t_end - t0) / (t1 - t0);
			t1 = t_end;
		}
		sum += ecms__reflow_seg_above(t0, y0, t1, y1, lo) -
		       ecms__reflow_seg_above(t0, y0, t1, y1, hi);
		if (isnan(enter) && (y0 >= lo || y1 >= lo))
			enter = y0 >= lo ? t0 : ecms__reflow_cross(t0, y0, t1, y1, lo);
		if (!isnan(enter) && isnan(exit_s) && (y0 >= hi || y1 >= hi))
			exit_s = y0 >= hi ? t0 : ecms__reflow_cross(t0, y0, t1, y1, hi);
	}
	if (!isnan(enter) && isnan(exit_s))
		exit_s = t_end;
	set_exact(c, ECMS_REFLOW_SOAK, sum);
	c->soak_enter_s = enter;
	c->soak_exit_s = exit_s;
}

static int
analyze_channel(struct ecms_reflow_chmetrics *c, const double *t, const double *y,
		size_t n, const struct ecms_reflow_window *w)
{
	double peak = y[0], tp, liq = w->liquidus_c, near_th, tal = 0, near = 0;
	double first_liq = NAN, last_out = NAN;
	size_t i, ip = 0;

	for (i = 1; i < n; i++)
		if (y[i] > peak) {
			peak = y[i];
			ip = i;
		}
	tp = t[ip];
	c->peak_time_s = tp;
	c->start_c = y[0];
	c->end_c = y[n - 1];
	set_exact(c, ECMS_REFLOW_PEAK, peak);
	near_th = peak - w->near_peak_delta_c;
	if (y[0] >= liq)
		first_liq = t[0];
	for (i = 0; i + 1 < n; i++) {
		tal += ecms__reflow_seg_above(t[i], y[i], t[i + 1], y[i + 1], liq);
		near += ecms__reflow_seg_above(t[i], y[i], t[i + 1], y[i + 1], near_th);
		if (isnan(first_liq) && y[i] < liq && y[i + 1] >= liq)
			first_liq = ecms__reflow_cross(t[i], y[i], t[i + 1], y[i + 1], liq);
		if (y[i] >= liq && y[i + 1] < liq)
			last_out = ecms__reflow_cross(t[i], y[i], t[i + 1], y[i + 1], liq);
	}
	c->liquidus_in_s = first_liq;
	c->liquidus_out_s = last_out;
	set_exact(c, ECMS_REFLOW_TAL, tal);
	set_exact(c, ECMS_REFLOW_NEAR_PEAK, near);
	soak(c, t, y, n, w->soak_lo_c, w->soak_hi_c, isnan(first_liq) ? tp : first_liq);
	rates(c, t, y, n, w->ramp_window_s, tp);

	if (y[0] > w->t25_from_c) {
		set_unknown(c, ECMS_REFLOW_T25_PEAK, "the curve starts at %.1f °C, above "
			    "%g °C", y[0], w->t25_from_c);
	} else if (peak <= w->t25_from_c) {
		set_unknown(c, ECMS_REFLOW_T25_PEAK, "the curve never rises above %g °C",
			    w->t25_from_c);
	} else {
		size_t k = 0;

		for (i = 0; i < ip; i++)
			if (y[i] <= w->t25_from_c)
				k = i;
		set_exact(c, ECMS_REFLOW_T25_PEAK,
			  tp - ecms__reflow_cross(t[k], y[k], t[k + 1], y[k + 1],
						  w->t25_from_c));
	}
	return keep_hot(c, t, y, n, peak - ECMS_REFLOW_HOT_SPAN_C);
}

int
ecms_reflow_analyze(const struct ecms_reflow_profile *p,
		    const struct ecms_reflow_window *w,
		    struct ecms_reflow_metrics **out, ecms_error *err)
{
	struct ecms_reflow_window defw;
	struct ecms_reflow_metrics *m;
	size_t c;
	int rc;

	*out = NULL;
	if (w == NULL) {
		ecms_reflow_window_default(&defw);
		w = &defw;
	}
	rc = ecms_reflow_window_validate(w, err);
	if (rc == ECMS_OK)
		rc = ecms_reflow_profile_validate(p, err);
	if (rc)
		return rc;
	m = ecms__reflow_metrics_alloc(p->nchannels, w);
	if (m == NULL)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory for metrics");
	for (c = 0; c < p->nchannels; c++) {
		ecms__strlcpy(m->ch[c].name, p->ch[c].name, sizeof(m->ch[c].name));
		if (analyze_channel(&m->ch[c], p->time_s, p->ch[c].temp_c, p->nsamples, w)) {
			ecms_reflow_metrics_free(m);
			return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory for metrics");
		}
	}
	ecms__reflow_extremes(m);
	*out = m;
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * CFX process data
 * ------------------------------------------------------------------ */

/* A number member: absent or null leaves NAN; another type fails. */
static int
cfx_num(const json_t *o, const char *key, const char *path, double *out,
	ecms_error *err)
{
	const json_t *v = json_object_get(o, key);

	*out = NAN;
	if (v == NULL || json_is_null(v))
		return ECMS_OK;
	if (!json_is_number(v))
		return ecms__fail(err, ECMS_EINVAL, key, "%s%s%s: expected a number",
				  path, *path ? "." : "", key);
	*out = json_number_value(v);
	return ECMS_OK;
}

/* A string member, or "" when absent or null; another type fails. */
static int
cfx_str(const json_t *o, const char *key, const char *path, const char **out,
	ecms_error *err)
{
	const json_t *v = json_object_get(o, key);

	*out = "";
	if (v == NULL || json_is_null(v))
		return ECMS_OK;
	if (!json_is_string(v))
		return ecms__fail(err, ECMS_EINVAL, key, "%s%s%s: expected a string",
				  path, *path ? "." : "", key);
	*out = json_string_value(v);
	return ECMS_OK;
}

static int
cfx_temp(const json_t *o, const char *key, const char *path, double *out,
	 ecms_error *err)
{
	int rc = cfx_num(o, key, path, out, err);

	if (rc == ECMS_OK && !isnan(*out) &&
	    !(*out >= ECMS_REFLOW_TEMP_MIN_C && *out <= ECMS_REFLOW_TEMP_MAX_C))
		return ecms__fail(err, ECMS_EINVAL, key, "%s.%s: %g °C is not a plausible "
				  "temperature (%g..%g °C)", path, key, *out,
				  ECMS_REFLOW_TEMP_MIN_C, ECMS_REFLOW_TEMP_MAX_C);
	return rc;
}

struct zone_list {
	struct ecms_reflow_zone *z;
	size_t n, cap;
};

/* The entry of zone index zi's sub-zone, created when new (from first). */
static int
zone_entry(struct zone_list *zl, size_t first, const char *zname, const char *type,
	   int seq, const char *sub, struct ecms_reflow_zone **out, ecms_error *err)
{
	char name[ECMS_REFLOW_NAME_MAX];
	size_t i;

	ecms__reflow_snprintf(name, sizeof(name), "%s %s", zname, sub);
	for (i = first; i < zl->n; i++)
		if (strcmp(zl->z[i].name, name) == 0) {
			*out = &zl->z[i];
			return ECMS_OK;
		}
	if (zl->n == ECMS_REFLOW_MAX_ZONES)
		return ecms__fail(err, ECMS_EINVAL, "ZoneData", "ZoneData: more than %d "
				  "zone readings", ECMS_REFLOW_MAX_ZONES);
	if (zl->n == zl->cap) {
		size_t cap = zl->cap ? zl->cap * 2 : 16;
		struct ecms_reflow_zone *z = ecms__realloc(zl->z, cap * sizeof(*z));

		if (z == NULL)
			return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
		zl->z = z;
		zl->cap = cap;
	}
	*out = &zl->z[zl->n++];
	memset(*out, 0, sizeof(**out));
	ecms__strlcpy((*out)->name, name, sizeof((*out)->name));
	ecms__strlcpy((*out)->type, type, sizeof((*out)->type));
	(*out)->sequence = seq;
	(*out)->setpoint_c = (*out)->reading_c = NAN;
	return ECMS_OK;
}

/* Setpoints (readings = false) or Readings of zone zi, temperatures only. */
static int
cfx_zone_values(struct zone_list *zl, size_t first, const json_t *zone, size_t zi,
		bool readings, const char *zname, const char *type, int seq,
		ecms_error *err)
{
	const char *list = readings ? "Readings" : "Setpoints";
	const char *tkey = readings ? "ReadingType" : "SetpointType";
	const char *vkey = readings ? "ReadingValue" : "Setpoint";
	const json_t *arr = json_object_get(zone, list);
	char path[96];
	size_t i;
	int rc;

	if (arr == NULL || json_is_null(arr))
		return ECMS_OK;
	if (!json_is_array(arr))
		return ecms__fail(err, ECMS_EINVAL, list, "ZoneData[%zu].%s: expected an "
				  "array", zi, list);
	for (i = 0; i < json_array_size(arr); i++) {
		const json_t *e = json_array_get(arr, i);
		struct ecms_reflow_zone *z = NULL;
		const char *vtype, *sub;
		double v;

		snprintf(path, sizeof(path), "ZoneData[%zu].%s[%zu]", zi, list, i);
		if (!json_is_object(e))
			return ecms__fail(err, ECMS_EINVAL, list, "%s: expected an object",
					  path);
		rc = cfx_str(e, tkey, path, &vtype, err);
		if (rc == ECMS_OK)
			rc = cfx_str(e, "SubZone", path, &sub, err);
		if (rc)
			return rc;
		if (strcmp(vtype, "Temperature") != 0)
			continue;
		rc = cfx_temp(e, vkey, path, &v, err);
		if (rc)
			return rc;
		if (isnan(v))
			continue;
		rc = zone_entry(zl, first, zname, type, seq, *sub ? sub : "WholeZone", &z,
				err);
		if (rc)
			return rc;
		if (!readings)
			z->setpoint_c = v;
		else if (isnan(z->reading_c) || v > z->reading_c)
			z->reading_c = v;
	}
	return ECMS_OK;
}

static int
cfx_zones(struct ecms_reflow_metrics *m, const json_t *data, ecms_error *err)
{
	const json_t *arr = json_object_get(data, "ZoneData");
	struct zone_list zl = {NULL, 0, 0};
	size_t i;
	int rc = ECMS_OK;

	if (arr == NULL || json_is_null(arr))
		return ECMS_OK;
	if (!json_is_array(arr))
		return ecms__fail(err, ECMS_EINVAL, "ZoneData", "ZoneData: expected an array");
	for (i = 0; rc == ECMS_OK && i < json_array_size(arr); i++) {
		const json_t *zone = json_array_get(arr, i), *zd;
		char path[48], zname[ECMS_REFLOW_NAME_MAX];
		const char *stage = "", *type = "";
		double seq = NAN;
		size_t first = zl.n;

		snprintf(path, sizeof(path), "ZoneData[%zu].Zone", i);
		if (!json_is_object(zone)) {
			rc = ecms__fail(err, ECMS_EINVAL, "ZoneData", "ZoneData[%zu]: "
					"expected an object", i);
			break;
		}
		zd = json_object_get(zone, "Zone");
		if (zd && json_is_object(zd)) {
			rc = cfx_str(zd, "StageName", path, &stage, err);
			if (rc == ECMS_OK)
				rc = cfx_str(zd, "ReflowZoneType", path, &type, err);
			if (rc == ECMS_OK)
				rc = cfx_num(zd, "StageSequence", path, &seq, err);
			if (rc)
				break;
		} else if (zd && !json_is_null(zd)) {
			rc = ecms__fail(err, ECMS_EINVAL, "Zone", "%s: expected an object", path);
			break;
		}
		if (isnan(seq) || fabs(seq) > 1e6)
			seq = (double)(i + 1);
		if (*stage)
			ecms__strlcpy(zname, stage, sizeof(zname));
		else
			snprintf(zname, sizeof(zname), "Zone%d", (int)seq);
		rc = cfx_zone_values(&zl, first, zone, i, false, zname, type, (int)seq, err);
		if (rc == ECMS_OK)
			rc = cfx_zone_values(&zl, first, zone, i, true, zname, type, (int)seq,
					     err);
	}
	if (rc) {
		ecms__free(zl.z);
		return rc;
	}
	m->zones = zl.z;
	m->nzones = zl.n;
	return ECMS_OK;
}

int
ecms_reflow_metrics_from_cfx(const struct json_t *data,
			     const struct ecms_reflow_window *w,
			     struct ecms_reflow_metrics **out, ecms_error *err)
{
	struct ecms_reflow_window defw;
	struct ecms_reflow_metrics *m;
	struct ecms_reflow_chmetrics *c;
	const char *type = "", *what, *result, *tin, *tout;
	bool profiler;
	size_t i, k, hot = 0;
	int rc;

	*out = NULL;
	if (w == NULL) {
		ecms_reflow_window_default(&defw);
		w = &defw;
	}
	rc = ecms_reflow_window_validate(w, err);
	if (rc)
		return rc;
	if (!json_is_object(data))
		return ecms__fail(err, ECMS_EINVAL, NULL, "reflow process data: expected a "
				  "JSON object");
	rc = cfx_str(data, "$type", "", &type, err);
	if (rc)
		return rc;
	if (strstr(type, "ReflowProfilingProcessData"))
		profiler = true;
	else if (strstr(type, "ReflowProcessData"))
		profiler = false;
	else if (*type) {
		char q[48];

		ecms__reflow_quote(type, q, sizeof(q));
		return ecms__fail(err, ECMS_EINVAL, "$type", "process data of $type '%s' is "
				  "not reflow data", q);
	} else if (json_object_get(data, "ProductionUnitPWI"))
		profiler = true;
	else if (json_object_get(data, "ZoneData"))
		profiler = false;
	else
		return ecms__fail(err, ECMS_EINVAL, "$type", "process data without $type, "
				  "ZoneData or ProductionUnitPWI is not reflow data");
	what = profiler ? "ReflowProfilingProcessData" : "ReflowProcessData";

	m = ecms__reflow_metrics_alloc(1, w);
	if (m == NULL)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
	m->source = profiler ? ECMS_REFLOW_SRC_CFX_PROFILER : ECMS_REFLOW_SRC_CFX_OVEN;
	rc = cfx_zones(m, data, err);
	if (rc == ECMS_OK)
		rc = cfx_num(data, profiler ? "MeasuredConveyorSpeed" : "ConveyorSpeed", "",
			     &m->conveyor_cm_min, err);
	if (rc == ECMS_OK && profiler) {
		rc = cfx_num(data, "ProductionUnitPWI", "", &m->pwi, err);
		if (rc == ECMS_OK)
			rc = cfx_str(data, "Result", "", &result, err);
		if (rc == ECMS_OK)
			ecms__strlcpy(m->profiler_result, result, sizeof(m->profiler_result));
		if (rc == ECMS_OK)
			rc = cfx_str(data, "TimeDateUnitIn", "", &tin, err);
		if (rc == ECMS_OK)
			rc = cfx_str(data, "TimeDateUnitOut", "", &tout, err);
		if (rc == ECMS_OK && *tin && *tout) {
			int64_t a, b;

			rc = ecms_time_parse(tin, &a, err);
			if (rc)
				ecms__error_prefix(err, "TimeDateUnitIn");
			else if ((rc = ecms_time_parse(tout, &b, err)) != ECMS_OK)
				ecms__error_prefix(err, "TimeDateUnitOut");
			else
				m->oven_time_s = (double)(b - a) / 1000.0;
		}
	}
	if (rc) {
		ecms_reflow_metrics_free(m);
		return rc;
	}

	c = &m->ch[0];
	for (k = 0; k < ECMS_REFLOW_NMETRICS; k++)
		set_unknown(c, (enum ecms_reflow_metric)k, "%s has oven zone data only, "
			    "no board temperature curve", what);
	for (i = 0; i < m->nzones; i++)
		if (!isnan(m->zones[i].reading_c) &&
		    (hot == 0 || m->zones[i].reading_c > m->zones[hot - 1].reading_c))
			hot = i + 1;
	if (hot) {
		const struct ecms_reflow_zone *z = &m->zones[hot - 1];

		ecms__strlcpy(c->name, z->name, sizeof(c->name));
		c->m[ECMS_REFLOW_PEAK].v = z->reading_c;
		c->m[ECMS_REFLOW_PEAK].kind = ECMS_REFLOW_UPPER_BOUND;
		ecms__reflow_snprintf(c->m[ECMS_REFLOW_PEAK].why,
				      sizeof(c->m[ECMS_REFLOW_PEAK].why),
				      "upper bound: the hottest oven zone reading (%s, "
				      "%.1f °C); the board peak is below it", z->name,
				      z->reading_c);
	} else {
		ecms__strlcpy(c->name, "oven", sizeof(c->name));
		set_unknown(c, ECMS_REFLOW_PEAK, "%s has no zone temperature readings", what);
	}
	ecms__reflow_extremes(m);
	*out = m;
	return ECMS_OK;
}
