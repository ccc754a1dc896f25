/*
 * reflow_check.c: reflow metrics against the profile window, the lowest
 * component peak rating on the board and the pass limit, giving the
 * findings (codes and rules in reflow.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reflow_int.h"

static const char *const hi_code[ECMS_REFLOW_NMETRICS] = {
	"reflow.ramp_high", "reflow.soak_long", "reflow.tal_long", "reflow.peak_high",
	"reflow.near_peak_long", "reflow.cool_fast", "reflow.t25_peak_long"};
static const char *const lo_code[ECMS_REFLOW_NMETRICS] = {
	"reflow.ramp_low", "reflow.soak_short", "reflow.tal_short", "reflow.peak_low",
	"reflow.near_peak_short", "reflow.cool_slow", "reflow.t25_peak_short"};

const char *
ecms_reflow_severity_name(enum ecms_reflow_severity s)
{
	switch (s) {
	case ECMS_REFLOW_FAIL:
		return "fail";
	case ECMS_REFLOW_WARN:
		return "warn";
	case ECMS_REFLOW_INFO:
		return "info";
	}
	return "?";
}

struct flist {
	struct ecms_reflow_finding *f;
	size_t n, cap;
	bool oom;
};

static void
add(struct flist *fl, const char *code, enum ecms_reflow_severity sev,
    const char *metric, const char *channel, double value, double limit,
    const char *unit, const char *fmt, ...) ECMS_PRINTF(9, 10);

/* Append a finding; on ENOMEM remember it and drop the rest. */
static void
add(struct flist *fl, const char *code, enum ecms_reflow_severity sev,
    const char *metric, const char *channel, double value, double limit,
    const char *unit, const char *fmt, ...)
{
	struct ecms_reflow_finding *f;
	char text[sizeof(f->text)];
	va_list ap;

	if (fl->oom)
		return;
	if (fl->n == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 8;

		f = ecms__realloc(fl->f, cap * sizeof(*f));
		if (f == NULL) {
			fl->oom = true;
			return;
		}
		fl->f = f;
		fl->cap = cap;
	}
	va_start(ap, fmt);
	ecms__reflow_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	f = &fl->f[fl->n++];
	memset(f, 0, sizeof(*f));
	ecms__strlcpy(f->code, code, sizeof(f->code));
	f->severity = sev;
	ecms__strlcpy(f->metric, metric, sizeof(f->metric));
	ecms__strlcpy(f->channel, channel, sizeof(f->channel));
	f->value = value;
	f->limit = limit;
	ecms__strlcpy(f->unit, unit, sizeof(f->unit));
	ecms__strlcpy(f->text, text, sizeof(f->text));
}

/* The metric in words, with the analysis parameters it depends on. */
static void
metric_label(const struct ecms_reflow_metrics *m, enum ecms_reflow_metric k,
	     char *buf, size_t n)
{
	char a[32], b[32];

	switch (k) {
	case ECMS_REFLOW_RAMP:
		ecms__strlcpy(buf, "Ramp-up rate", n);
		break;
	case ECMS_REFLOW_SOAK:
		ecms__reflow_snprintf(buf, n, "Soak time (%s-%s °C)",
				      ecms__reflow_fmt_num(m->soak_lo_c, a, sizeof(a)),
				      ecms__reflow_fmt_num(m->soak_hi_c, b, sizeof(b)));
		break;
	case ECMS_REFLOW_TAL:
		ecms__reflow_snprintf(buf, n, "Time above liquidus (%s °C)",
				      ecms__reflow_fmt_num(m->liquidus_c, a, sizeof(a)));
		break;
	case ECMS_REFLOW_PEAK:
		ecms__strlcpy(buf, "Peak temperature", n);
		break;
	case ECMS_REFLOW_NEAR_PEAK:
		ecms__reflow_snprintf(buf, n, "Time within %s °C of peak",
				      ecms__reflow_fmt_num(m->near_peak_delta_c, a,
							   sizeof(a)));
		break;
	case ECMS_REFLOW_COOL:
		ecms__strlcpy(buf, "Cooling rate", n);
		break;
	default:
		ecms__reflow_snprintf(buf, n, "Time from %s °C to peak",
				      ecms__reflow_fmt_num(m->t25_from_c, a, sizeof(a)));
		break;
	}
}

/* A measured value as text: rates with 2 decimals, the rest with 1. */
static char *
fmt_val(enum ecms_reflow_metric k, double v, char *buf, size_t n)
{
	ecms__reflow_snprintf(buf, n, "%.*f",
			      k == ECMS_REFLOW_RAMP || k == ECMS_REFLOW_COOL ? 2 : 1, v);
	return buf;
}

/* " (3 of 4 thermocouples)", or "" for a single channel. */
static char *
of_n(size_t k, size_t n, char *buf, size_t len)
{
	if (n <= 1)
		buf[0] = '\0';
	else
		ecms__reflow_snprintf(buf, len, " (%zu of %zu channels)", k, n);
	return buf;
}

/*
 * One side of one metric. high: the limit is a maximum. Channels with
 * an exact value (or, for a minimum, an upper bound) that break the
 * limit are counted; the worst one is reported.
 */
static bool
check_side(struct flist *fl, const struct ecms_reflow_metrics *m,
	   enum ecms_reflow_metric k, bool high, double limit,
	   enum ecms_reflow_severity sev)
{
	const char *unit = ecms_reflow_metric_unit(k);
	char label[64], v[32], l[32], cnt[48];
	size_t c, count = 0, worst = 0;

	if (isnan(limit))
		return false;
	for (c = 0; c < m->nchannels; c++) {
		const struct ecms_reflow_value *x = &m->ch[c].m[k];
		bool usable = x->kind == ECMS_REFLOW_EXACT ||
			      (!high && x->kind == ECMS_REFLOW_UPPER_BOUND);

		if (!usable || !(high ? x->v > limit : x->v < limit))
			continue;
		if (count == 0 || (high ? x->v > m->ch[worst].m[k].v
					: x->v < m->ch[worst].m[k].v))
			worst = c;
		count++;
	}
	if (count == 0)
		return false;
	metric_label(m, k, label, sizeof(label));
	add(fl, high ? hi_code[k] : lo_code[k], sev, ecms_reflow_metric_name(k),
	    m->ch[worst].name, m->ch[worst].m[k].v, limit, unit,
	    "%s %s%s %s on %s is %s the %s of %s %s%s.", label,
	    m->ch[worst].m[k].kind == ECMS_REFLOW_UPPER_BOUND ? "at most " : "",
	    fmt_val(k, m->ch[worst].m[k].v, v, sizeof(v)), unit, m->ch[worst].name,
	    high ? "above" : "below",
	    sev == ECMS_REFLOW_FAIL ? (high ? "maximum" : "minimum")
				    : (high ? "warning maximum" : "warning minimum"),
	    ecms__reflow_fmt_num(limit, l, sizeof(l)), unit,
	    of_n(count, m->nchannels, cnt, sizeof(cnt)));
	return true;
}

/* The lowest set value of a and b, NAN when neither is. */
static double
min_set(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : a < b ? a : b;
}

static double
max_set(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : a > b ? a : b;
}

static void
check_metric(struct flist *fl, const struct ecms_reflow_window *w,
	     const struct ecms_reflow_metrics *m, enum ecms_reflow_metric k)
{
	const struct ecms_reflow_limits *L = &w->lim[k];
	double hi = min_set(L->warn_max, L->max), lo = max_set(L->warn_min, L->min);
	const struct ecms_reflow_chmetrics *skip = NULL;
	char label[64], cnt[48];
	size_t c, nskip = 0;

	if (isnan(hi) && isnan(lo))
		return;
	if (!check_side(fl, m, k, true, L->max, ECMS_REFLOW_FAIL))
		check_side(fl, m, k, true, L->warn_max, ECMS_REFLOW_WARN);
	if (!check_side(fl, m, k, false, L->min, ECMS_REFLOW_FAIL))
		check_side(fl, m, k, false, L->warn_min, ECMS_REFLOW_WARN);
	/* What could not be decided: unknown values, and bounds that prove
	 * neither a kept maximum nor a missed minimum. */
	for (c = 0; c < m->nchannels; c++) {
		const struct ecms_reflow_value *x = &m->ch[c].m[k];
		bool undecided = x->kind == ECMS_REFLOW_UNKNOWN ||
				 (x->kind == ECMS_REFLOW_UPPER_BOUND &&
				  ((!isnan(hi) && x->v > hi) || (!isnan(lo) && x->v >= lo)));

		if (undecided) {
			if (nskip++ == 0)
				skip = &m->ch[c];
		}
	}
	if (nskip == 0)
		return;
	metric_label(m, k, label, sizeof(label));
	add(fl, "reflow.skipped", ECMS_REFLOW_INFO, ecms_reflow_metric_name(k),
	    m->nchannels > 1 ? "" : skip->name, skip->m[k].v, NAN,
	    ecms_reflow_metric_unit(k), "%s not checked%s: %s%s%s.", label,
	    of_n(nskip, m->nchannels, cnt, sizeof(cnt)),
	    m->nchannels > 1 ? skip->name : "", m->nchannels > 1 ? ": " : "",
	    skip->m[k].why);
}

static void
check_component(struct flist *fl, const struct ecms_reflow_window *w,
		const struct ecms_reflow_metrics *m, double tc)
{
	const char *deg = "\xc2\xb0" "C";
	char l[32], d[32], cnt[48];
	size_t c, nover = 0, worst = 0, ntime = 0, tworst = 0, nskip = 0, skipc = 0;
	double th = tc - w->component_delta_c, tworst_v = 0;
	bool tworst_lb = false;

	if (isnan(tc)) {
		add(fl, "reflow.skipped", ECMS_REFLOW_INFO, "component", "", NAN, NAN, deg,
		    "Component peak rating not checked: the lowest peak rating of the "
		    "components placed on the board is not known.");
		return;
	}
	ecms__reflow_fmt_num(tc, l, sizeof(l));
	ecms__reflow_fmt_num(w->component_delta_c, d, sizeof(d));
	for (c = 0; c < m->nchannels; c++) {
		const struct ecms_reflow_chmetrics *ch = &m->ch[c];
		const struct ecms_reflow_value *pk = &ch->m[ECMS_REFLOW_PEAK];
		bool lb;
		double ta;

		if (pk->kind == ECMS_REFLOW_EXACT && pk->v > tc) {
			if (nover == 0 || pk->v > m->ch[worst].m[ECMS_REFLOW_PEAK].v)
				worst = c;
			nover++;
		} else if (pk->kind == ECMS_REFLOW_UPPER_BOUND && pk->v > tc) {
			add(fl, "reflow.component_peak_unverified", ECMS_REFLOW_WARN,
			    "component", ch->name, pk->v, tc, deg, "Only an upper bound of "
			    "the board peak is known (%s, %.1f °C), and it is above the "
			    "lowest component rating of %s °C: the components may have "
			    "been overheated.", ch->name, pk->v, l);
			continue; /* the time check would say the same again */
		} else if (pk->kind == ECMS_REFLOW_UNKNOWN) {
			if (nskip++ == 0)
				skipc = c;
			continue;
		}
		if (isnan(w->component_max_s))
			continue;
		if (pk->kind == ECMS_REFLOW_UPPER_BOUND) {
			if (pk->v >= th && nskip++ == 0)
				skipc = c;
			continue;
		}
		ta = ecms__reflow_time_above(ch, th, &lb);
		if (isnan(ta) || (lb && ta <= w->component_max_s)) {
			if (nskip++ == 0)
				skipc = c;
		} else if (ta > w->component_max_s) {
			if (ntime == 0 || ta > tworst_v) {
				tworst = c;
				tworst_v = ta;
				tworst_lb = lb;
			}
			ntime++;
		}
	}
	if (nover)
		add(fl, "reflow.component_peak_exceeded", ECMS_REFLOW_FAIL, "component",
		    m->ch[worst].name, m->ch[worst].m[ECMS_REFLOW_PEAK].v, tc, deg,
		    "Peak %.1f °C on %s is above the lowest peak rating of the components "
		    "on the board, %s °C%s.", m->ch[worst].m[ECMS_REFLOW_PEAK].v,
		    m->ch[worst].name, l, of_n(nover, m->nchannels, cnt, sizeof(cnt)));
	if (ntime) {
		char mx[32], thb[32];

		add(fl, "reflow.component_time_exceeded", ECMS_REFLOW_FAIL, "component",
		    m->ch[tworst].name, tworst_v, w->component_max_s, "s",
		    "%s spends %s%.1f s at or above %s °C (%s °C below the lowest "
		    "component rating of %s °C); at most %s s is allowed%s.",
		    m->ch[tworst].name, tworst_lb ? "at least " : "", tworst_v,
		    ecms__reflow_fmt_num(th, thb, sizeof(thb)), d, l,
		    ecms__reflow_fmt_num(w->component_max_s, mx, sizeof(mx)),
		    of_n(ntime, m->nchannels, cnt, sizeof(cnt)));
	}
	if (nskip) {
		const struct ecms_reflow_chmetrics *ch = &m->ch[skipc];
		const char *why = ch->m[ECMS_REFLOW_PEAK].kind == ECMS_REFLOW_UNKNOWN
					  ? ch->m[ECMS_REFLOW_PEAK].why
					  : "the curve near that temperature is not known";

		add(fl, "reflow.skipped", ECMS_REFLOW_INFO, "component", ch->name, NAN, tc,
		    deg, "Component rating of %s °C not fully checked%s: %s: %s.", l,
		    of_n(nskip, m->nchannels, cnt, sizeof(cnt)), ch->name, why);
	}
}

static void
check_cfx(struct flist *fl, const struct ecms_reflow_window *w,
	  const struct ecms_reflow_metrics *m)
{
	char a[32];
	size_t i;

	for (i = 0; i < m->nzones && !isnan(w->zone_tol_c); i++) {
		const struct ecms_reflow_zone *z = &m->zones[i];
		double off = z->reading_c - z->setpoint_c;

		if (isnan(off) || fabs(off) <= w->zone_tol_c)
			continue;
		add(fl, "reflow.zone_deviation", ECMS_REFLOW_WARN, "zone", z->name,
		    z->reading_c, z->setpoint_c, "\xc2\xb0" "C", "%s reads %.1f °C against "
		    "a setpoint of %.1f °C: %+.1f °C, beyond the tolerance of %s °C.",
		    z->name, z->reading_c, z->setpoint_c, off,
		    ecms__reflow_fmt_num(w->zone_tol_c, a, sizeof(a)));
	}
	if (m->source != ECMS_REFLOW_SRC_CFX_PROFILER)
		return;
	if (isnan(m->pwi))
		add(fl, "reflow.skipped", ECMS_REFLOW_INFO, "pwi", "", NAN, w->pwi_max, "%",
		    "Process window index not checked: the profiler sent none.");
	else if (!isnan(w->pwi_max) && m->pwi > w->pwi_max)
		add(fl, "reflow.pwi_exceeded", ECMS_REFLOW_FAIL, "pwi", "", m->pwi,
		    w->pwi_max, "%", "The profiler's process window index is %.1f %%, "
		    "above %s %%: the profile left its process window.", m->pwi,
		    ecms__reflow_fmt_num(w->pwi_max, a, sizeof(a)));
	if (strcmp(m->profiler_result, "Failed") == 0 ||
	    strcmp(m->profiler_result, "Error") == 0) {
		add(fl, "reflow.profiler_failed", ECMS_REFLOW_FAIL, "profiler", "", NAN, NAN,
		    "", "The profiler reports Result '%s' for this board.",
		    m->profiler_result);
	} else if (strcmp(m->profiler_result, "Passed") != 0) {
		char q[48];

		ecms__reflow_quote(m->profiler_result, q, sizeof(q));
		add(fl, "reflow.skipped", ECMS_REFLOW_INFO, "profiler", "", NAN, NAN, "",
		    "The profiler's verdict is not known: Result '%s'.", q);
	}
}

int
ecms_reflow_check(const struct ecms_reflow_window *w,
		  const struct ecms_reflow_metrics *m, double min_component_peak_c,
		  int pass_count, struct ecms_reflow_finding **out, size_t *n,
		  ecms_error *err)
{
	struct ecms_reflow_window defw;
	struct flist fl = {NULL, 0, 0, false};
	size_t k;
	int rc;

	*out = NULL;
	*n = 0;
	if (m == NULL)
		return ecms__fail(err, ECMS_EUSAGE, NULL, "no metrics to check");
	if (w == NULL) {
		ecms_reflow_window_default(&defw);
		w = &defw;
	}
	rc = ecms_reflow_window_validate(w, err);
	if (rc)
		return rc;
	if (m->source == ECMS_REFLOW_SRC_CURVE && !ecms__reflow_same_params(w, m)) {
		char a[32], b[32], c[32], d[32], e[32], f[32];

		return ecms__fail(err, ECMS_EINVAL, "window", "the metrics were computed "
				  "with other analysis parameters (liquidus %s °C, soak "
				  "%s-%s °C, ...) than this window's (liquidus %s °C, soak "
				  "%s-%s °C, ...); analyse the profile again with this window",
				  ecms__reflow_fmt_num(m->liquidus_c, a, sizeof(a)),
				  ecms__reflow_fmt_num(m->soak_lo_c, b, sizeof(b)),
				  ecms__reflow_fmt_num(m->soak_hi_c, c, sizeof(c)),
				  ecms__reflow_fmt_num(w->liquidus_c, d, sizeof(d)),
				  ecms__reflow_fmt_num(w->soak_lo_c, e, sizeof(e)),
				  ecms__reflow_fmt_num(w->soak_hi_c, f, sizeof(f)));
	}
	for (k = 0; k < ECMS_REFLOW_NMETRICS; k++)
		check_metric(&fl, w, m, (enum ecms_reflow_metric)k);
	check_component(&fl, w, m, min_component_peak_c);
	if (pass_count < 0)
		add(&fl, "reflow.skipped", ECMS_REFLOW_INFO, "passes", "", NAN, w->passes_max,
		    "", "Reflow pass count not checked: the number of passes is not known.");
	else if (!isnan(w->passes_max) && pass_count > w->passes_max)
		add(&fl, "reflow.passes_exceeded", ECMS_REFLOW_FAIL, "passes", "", pass_count,
		    w->passes_max, "", "This is reflow pass %d of the board (rework "
		    "included); its components are rated for at most %.0f.", pass_count,
		    w->passes_max);
	check_cfx(&fl, w, m);
	if (fl.oom) {
		ecms__free(fl.f);
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory for findings");
	}
	*out = fl.f;
	*n = fl.n;
	return ECMS_OK;
}
