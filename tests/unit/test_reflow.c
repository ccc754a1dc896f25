/*
 * test_reflow.c: reflow profiles: metrics on curves with known answers,
 * the window keys, every check both ways, component rating and pass
 * count, CFX zone data, the CSV import (each error with its message),
 * the synthesiser, and the plot in SVG, PNG and PDF (deterministic).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"
#include "ecms_int.h"
#include "ecms/reflow.h"
#include "ecms/reflowplot.h"

/* fontconfig (under cairo's text) keeps caches for the process's life;
 * LeakSanitizer is told they are not ours. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig\n";
}

/* ------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

struct pt {
	double t, c;
};

/* T1: every metric inside the default window, with exact answers. */
static const struct pt T1[] = {{0, 25},	   {100, 150}, {200, 200},
			       {240, 240}, {300, 180}, {360, 60}};
/* T2: like T1 but peaking at 252 °C at 246 s. */
static const struct pt T2[] = {{0, 25},	   {100, 150}, {200, 200},
			       {246, 252}, {300, 190}, {360, 60}};
/* T3: a 40 s plateau at 245 °C. */
static const struct pt T3[] = {{0, 25},	   {100, 150}, {200, 200}, {245, 245},
			       {285, 245}, {305, 225}, {360, 60}};

static double
pl_at(const struct pt *p, size_t n, double t)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (t <= p[i + 1].t)
			return p[i].c + (p[i + 1].c - p[i].c) * (t - p[i].t) /
						(p[i + 1].t - p[i].t);
	return p[n - 1].c;
}

/* A profile sampled every dt s from 0 to 360 s, channel k from curve k. */
static struct ecms_reflow_profile *
pl_profile(size_t nch, const struct pt *const *curves, const size_t *npts, double dt)
{
	struct ecms_reflow_profile *p;
	size_t n = (size_t)(360 / dt) + 1, i, c;

	assert_int_equal(ecms_reflow_profile_new(nch, n, &p, NULL), ECMS_OK);
	for (i = 0; i < n; i++) {
		p->time_s[i] = (double)i * dt;
		for (c = 0; c < nch; c++)
			p->ch[c].temp_c[i] = pl_at(curves[c], npts[c], p->time_s[i]);
	}
	return p;
}

static struct ecms_reflow_profile *
t1_profile(void)
{
	const struct pt *c[] = {T1};
	size_t n[] = {ECMS_ARRAY_LEN(T1)};

	return pl_profile(1, c, n, 0.5);
}

static const struct ecms_reflow_finding *
find_code(const struct ecms_reflow_finding *f, size_t n, const char *code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].code, code) == 0)
			return &f[i];
	return NULL;
}

static const struct ecms_reflow_finding *
find_skip(const struct ecms_reflow_finding *f, size_t n, const char *metric)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(f[i].code, "reflow.skipped") == 0 && strcmp(f[i].metric, metric) == 0)
			return &f[i];
	return NULL;
}

static size_t
count_severe(const struct ecms_reflow_finding *f, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += f[i].severity != ECMS_REFLOW_INFO;
	return k;
}

static void
dump_findings(const struct ecms_reflow_finding *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		print_message("  %s %s [%s] %s\n", ecms_reflow_severity_name(f[i].severity),
			      f[i].code, f[i].channel, f[i].text);
}

/* Parse CSV text expecting failure; the message must contain want. */
static void
csv_bad(const char *text, const char *want)
{
	struct ecms_reflow_profile *p = NULL;
	ecms_error e;

	ecms_error_clear(&e);
	assert_int_equal(ecms_reflow_csv_parse(text, strlen(text), "profile.csv", &p, &e),
			 ECMS_EINVAL);
	assert_null(p);
	if (strstr(e.message, want) == NULL)
		fail_msg("message '%s' lacks '%s'", e.message, want);
}

static struct ecms_reflow_profile *
csv_good(const char *text)
{
	struct ecms_reflow_profile *p = NULL;
	ecms_error e;

	if (ecms_reflow_csv_parse(text, strlen(text), "profile.csv", &p, &e))
		fail_msg("parse: %s", e.message);
	return p;
}

static json_t *
load_cfx(const char *name)
{
	char path[512];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof(path), "%s/cfx/%s", tu_shared_data(), name);
	j = json_load_file(path, 0, &je);
	if (j == NULL)
		fail_msg("%s: %s", path, je.text);
	return j;
}

/* ------------------------------------------------------------------
 * Metrics
 * ------------------------------------------------------------------ */

static void
test_metrics_piecewise(void **state)
{
	struct ecms_reflow_profile *p = t1_profile();
	struct ecms_reflow_metrics *m;
	const struct ecms_reflow_chmetrics *c;
	ecms_error e;

	assert_int_equal(ecms_reflow_analyze(p, NULL, &m, &e), ECMS_OK);
	assert_int_equal(m->nchannels, 1);
	c = &m->ch[0];
	assert_string_equal(c->name, "TC1");
	assert_float_equal(c->m[ECMS_REFLOW_PEAK].v, 240, 1e-9);
	assert_int_equal(c->m[ECMS_REFLOW_PEAK].kind, ECMS_REFLOW_EXACT);
	assert_float_equal(c->peak_time_s, 240, 1e-9);
	assert_float_equal(c->m[ECMS_REFLOW_TAL].v, 46, 1e-6);	/* 217..263 s */
	assert_float_equal(c->liquidus_in_s, 217, 1e-6);
	assert_float_equal(c->liquidus_out_s, 263, 1e-6);
	assert_float_equal(c->m[ECMS_REFLOW_NEAR_PEAK].v, 10, 1e-6); /* 235..245 s */
	assert_float_equal(c->m[ECMS_REFLOW_SOAK].v, 100, 1e-6);	/* 100..200 s */
	assert_float_equal(c->soak_enter_s, 100, 1e-6);
	assert_float_equal(c->soak_exit_s, 200, 1e-6);
	assert_float_equal(c->m[ECMS_REFLOW_RAMP].v, 1.25, 1e-9);
	assert_float_equal(c->m[ECMS_REFLOW_COOL].v, 2.0, 1e-9);
	assert_float_equal(c->m[ECMS_REFLOW_T25_PEAK].v, 240, 1e-6);
	assert_float_equal(c->start_c, 25, 0);
	assert_float_equal(c->end_c, 60, 1e-9);
	assert_int_equal(m->ext[ECMS_REFLOW_PEAK].nknown, 1);
	assert_float_equal(m->ext[ECMS_REFLOW_PEAK].max, 240, 1e-9);

	/* A sparser sampling (3 s, above the 5 s window's resolution)
	 * gives the same answers on linear pieces. */
	{
		const struct pt *cv[] = {T1};
		size_t n[] = {ECMS_ARRAY_LEN(T1)};
		struct ecms_reflow_profile *q = pl_profile(1, cv, n, 3);
		struct ecms_reflow_metrics *mq;

		assert_int_equal(ecms_reflow_analyze(q, NULL, &mq, NULL), ECMS_OK);
		assert_float_equal(mq->ch[0].m[ECMS_REFLOW_TAL].v, 46, 1e-6);
		assert_float_equal(mq->ch[0].m[ECMS_REFLOW_RAMP].v, 1.25, 1e-9);
		assert_float_equal(mq->ch[0].m[ECMS_REFLOW_COOL].v, 2.0, 1e-9);
		ecms_reflow_metrics_free(mq);
		ecms_reflow_profile_free(q);
	}
	ecms_reflow_metrics_free(m);
	ecms_reflow_profile_free(p);
}

static void
test_metrics_channels_and_unknowns(void **state)
{
	const struct pt *cv[] = {T1, T2};
	size_t n[] = {ECMS_ARRAY_LEN(T1), ECMS_ARRAY_LEN(T2)};
	struct ecms_reflow_profile *p = pl_profile(2, cv, n, 0.5);
	struct ecms_reflow_metrics *m;
	size_t i;

	assert_int_equal(ecms_reflow_analyze(p, NULL, &m, NULL), ECMS_OK);
	assert_int_equal(m->ext[ECMS_REFLOW_PEAK].nknown, 2);
	assert_float_equal(m->ext[ECMS_REFLOW_PEAK].max, 252, 1e-9);
	assert_int_equal(m->ext[ECMS_REFLOW_PEAK].max_ch, 1);
	assert_float_equal(m->ext[ECMS_REFLOW_PEAK].min, 240, 1e-9);
	assert_int_equal(m->ext[ECMS_REFLOW_PEAK].min_ch, 0);
	assert_float_equal(m->ext[ECMS_REFLOW_TAL].min, 46, 1e-6);
	/* T2 crosses 217 at 200 + 17 / (52/46) and 246 + 35 / (62/54). */
	assert_float_equal(m->ext[ECMS_REFLOW_TAL].max,
			   246 + 35 / (62.0 / 54) - (200 + 17 / (52.0 / 46)), 1e-6);
	ecms_reflow_metrics_free(m);

	/* Starting above 25 °C: t25_peak unknown, and why. */
	for (i = 0; i < p->nsamples; i++)
		p->ch[0].temp_c[i] += 5;
	assert_int_equal(ecms_reflow_analyze(p, NULL, &m, NULL), ECMS_OK);
	assert_int_equal(m->ch[0].m[ECMS_REFLOW_T25_PEAK].kind, ECMS_REFLOW_UNKNOWN);
	assert_true(isnan(m->ch[0].m[ECMS_REFLOW_T25_PEAK].v));
	assert_non_null(strstr(m->ch[0].m[ECMS_REFLOW_T25_PEAK].why,
			       "starts at 30.0 °C, above 25 °C"));
	assert_int_equal(m->ext[ECMS_REFLOW_T25_PEAK].nknown, 1);
	ecms_reflow_metrics_free(m);
	ecms_reflow_profile_free(p);

	/* A curve ending at its peak: no cooling rate. */
	{
		const struct pt up[] = {{0, 20}, {360, 250}};
		const struct pt *cu[] = {up};
		size_t nu[] = {2};

		p = pl_profile(1, cu, nu, 1);
		assert_int_equal(ecms_reflow_analyze(p, NULL, &m, NULL), ECMS_OK);
		assert_int_equal(m->ch[0].m[ECMS_REFLOW_COOL].kind, ECMS_REFLOW_UNKNOWN);
		assert_non_null(strstr(m->ch[0].m[ECMS_REFLOW_COOL].why, "after the peak"));
		assert_float_equal(m->ch[0].m[ECMS_REFLOW_RAMP].v, 230.0 / 360, 1e-9);
		ecms_reflow_metrics_free(m);
		ecms_reflow_profile_free(p);
	}
}

static void
test_metrics_noise_robust(void **state)
{
	struct ecms_reflow_synth_params sp;
	struct ecms_reflow_profile *clean, *noisy;
	struct ecms_reflow_metrics *mc, *mn;
	const struct ecms_reflow_chmetrics *c;

	ecms_reflow_synth_defaults(&sp);
	sp.noise_c = 0;
	assert_int_equal(ecms_reflow_synth(1, &sp, &clean, NULL), ECMS_OK);
	sp.noise_c = 0.5;
	assert_int_equal(ecms_reflow_synth(1, &sp, &noisy, NULL), ECMS_OK);
	assert_int_equal(ecms_reflow_analyze(clean, NULL, &mc, NULL), ECMS_OK);
	assert_int_equal(ecms_reflow_analyze(noisy, NULL, &mn, NULL), ECMS_OK);
	/* The synthetic shape: peak 243, TAL 60, spike slope 4*26/60. */
	c = &mc->ch[0];
	assert_float_equal(c->m[ECMS_REFLOW_PEAK].v, 243, 0.2);
	assert_float_equal(c->m[ECMS_REFLOW_TAL].v, 60, 1.5);
	assert_float_equal(c->m[ECMS_REFLOW_RAMP].v, 4 * 26 / 60.0, 0.1);
	assert_float_equal(c->m[ECMS_REFLOW_COOL].v, 2.5, 0.1);
	assert_float_equal(mc->ch[3].m[ECMS_REFLOW_PEAK].v, 237, 0.2);
	/* +-0.5 °C noise moves the 5 s slopes by at most 0.2 °C/s. */
	for (size_t k = 0; k < 4; k++) {
		assert_float_equal(mn->ch[k].m[ECMS_REFLOW_RAMP].v,
				   mc->ch[k].m[ECMS_REFLOW_RAMP].v, 0.2);
		assert_float_equal(mn->ch[k].m[ECMS_REFLOW_COOL].v,
				   mc->ch[k].m[ECMS_REFLOW_COOL].v, 0.2);
		assert_float_equal(mn->ch[k].m[ECMS_REFLOW_TAL].v,
				   mc->ch[k].m[ECMS_REFLOW_TAL].v, 1.0);
		assert_float_equal(mn->ch[k].m[ECMS_REFLOW_PEAK].v,
				   mc->ch[k].m[ECMS_REFLOW_PEAK].v, 0.6);
	}
	ecms_reflow_metrics_free(mc);
	ecms_reflow_metrics_free(mn);
	ecms_reflow_profile_free(clean);
	ecms_reflow_profile_free(noisy);
}

/* ------------------------------------------------------------------
 * Window
 * ------------------------------------------------------------------ */

static void
test_window_keys(void **state)
{
	struct ecms_reflow_window w, back;
	char buf[32], *dump, *line, *save;
	ecms_error e;
	size_t i;

	ecms_reflow_window_default(&w);
	assert_float_equal(w.liquidus_c, 217, 0);
	assert_float_equal(w.lim[ECMS_REFLOW_TAL].warn_max, 90, 0);
	assert_float_equal(w.lim[ECMS_REFLOW_TAL].max, 150, 0);
	assert_float_equal(w.lim[ECMS_REFLOW_COOL].max, 6, 0);
	assert_true(isnan(w.lim[ECMS_REFLOW_SOAK].max));
	assert_int_equal(ecms_reflow_window_validate(&w, NULL), ECMS_OK);

	assert_int_equal(ecms_reflow_window_set(&w, "tal.max_s", "90", &e), ECMS_OK);
	assert_int_equal(ecms_reflow_window_get(&w, "tal.max_s", buf, sizeof(buf), &e), 0);
	assert_string_equal(buf, "90");
	assert_int_equal(ecms_reflow_window_set(&w, "liquidus_c", "227", &e), ECMS_OK);
	assert_int_equal(ecms_reflow_window_set(&w, "ramp.warn_max_c_s", "2.25", &e), 0);
	assert_int_equal(ecms_reflow_window_set(&w, "peak.max_c", "none", &e), ECMS_OK);
	assert_true(isnan(w.lim[ECMS_REFLOW_PEAK].max));
	assert_int_equal(ecms_reflow_window_get(&w, "peak.max_c", buf, sizeof(buf), &e), 0);
	assert_string_equal(buf, "none");

	assert_int_equal(ecms_reflow_window_dump(&w, ECMS_REFLOW_DUMP_CHANGED, &dump, &e), 0);
	assert_string_equal(dump, "liquidus_c=227\nramp.warn_max_c_s=2.25\ntal.max_s=90\n"
				  "peak.max_c=none\n");
	ecms_free(dump);

	/* A full dump, read back key by key, gives the same window. */
	assert_int_equal(ecms_reflow_window_dump(&w, 0, &dump, &e), 0);
	ecms_reflow_window_default(&back);
	for (line = strtok_r(dump, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');

		assert_non_null(eq);
		*eq = '\0';
		assert_int_equal(ecms_reflow_window_set(&back, line, eq + 1, &e), ECMS_OK);
	}
	ecms_free(dump);
	for (i = 0; ecms_reflow_window_key(i); i++) {
		char b2[32];

		assert_int_equal(ecms_reflow_window_get(&w, ecms_reflow_window_key(i), buf,
							sizeof(buf), NULL), 0);
		assert_int_equal(ecms_reflow_window_get(&back, ecms_reflow_window_key(i), b2,
							sizeof(b2), NULL), 0);
		assert_string_equal(buf, b2);
	}
	assert_int_equal(i, 6 + 4 * ECMS_REFLOW_NMETRICS + 5);

	/* Refusals. */
	assert_int_equal(ecms_reflow_window_set(&w, "tal.maximum", "1", &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "unknown key 'tal.maximum'"));
	assert_int_equal(ecms_reflow_window_set(&w, "liquidus_c", "none", &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "liquidus_c needs a number"));
	assert_int_equal(ecms_reflow_window_set(&w, "tal.max_s", "9O", &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "'9O' is not a number"));
	assert_int_equal(ecms_reflow_window_set(&w, "tal.max_s", "-5", &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "outside 0..86400"));
	assert_int_equal(ecms_reflow_window_set(&w, "passes.max", "2.5", &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "not a whole number"));
	assert_int_equal(ecms_reflow_window_get(&w, "tal.max_s", buf, 8, &e), ECMS_EUSAGE);

	/* Consistency across keys. */
	ecms_reflow_window_default(&w);
	assert_int_equal(ecms_reflow_window_set(&w, "tal.warn_min_s", "100", &e), ECMS_OK);
	assert_int_equal(ecms_reflow_window_validate(&w, &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "tal.warn_min_s 100 is above tal.warn_max_s 90"));
	ecms_reflow_window_default(&w);
	assert_int_equal(ecms_reflow_window_set(&w, "soak.hi_c", "140", &e), ECMS_OK);
	assert_int_equal(ecms_reflow_window_validate(&w, &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "soak.lo_c 150 must be below soak.hi_c 140"));
}

/* ------------------------------------------------------------------
 * The check
 * ------------------------------------------------------------------ */

/* Metrics of one channel with the given exact values, hand made. */
static void
mk_metrics(struct ecms_reflow_metrics *m, struct ecms_reflow_chmetrics *ch,
	   const double *v)
{
	struct ecms_reflow_window w;
	size_t k;

	ecms_reflow_window_default(&w);
	memset(m, 0, sizeof(*m));
	memset(ch, 0, sizeof(*ch));
	m->source = ECMS_REFLOW_SRC_CURVE;
	m->liquidus_c = w.liquidus_c;
	m->soak_lo_c = w.soak_lo_c;
	m->soak_hi_c = w.soak_hi_c;
	m->ramp_window_s = w.ramp_window_s;
	m->near_peak_delta_c = w.near_peak_delta_c;
	m->t25_from_c = w.t25_from_c;
	m->conveyor_cm_min = m->oven_time_s = m->pwi = NAN;
	m->nchannels = 1;
	m->ch = ch;
	strcpy(ch->name, "TC1");
	for (k = 0; k < ECMS_REFLOW_NMETRICS; k++) {
		ch->m[k].v = v[k];
		ch->m[k].kind = ECMS_REFLOW_EXACT;
	}
}

static void
test_check_each_metric(void **state)
{
	/* ramp, soak, tal, peak, near_peak, cool, t25_peak: all inside. */
	static const double good[ECMS_REFLOW_NMETRICS] = {2.0, 90, 60, 240, 20, 3, 300};
	static const struct {
		enum ecms_reflow_metric k;
		double v;
		const char *code;
		enum ecms_reflow_severity sev;
		double limit;
	} cases[] = {
		{ECMS_REFLOW_RAMP, 2.7, "reflow.ramp_high", ECMS_REFLOW_WARN, 2.5},
		{ECMS_REFLOW_RAMP, 3.5, "reflow.ramp_high", ECMS_REFLOW_FAIL, 3},
		{ECMS_REFLOW_SOAK, 50, "reflow.soak_short", ECMS_REFLOW_WARN, 60},
		{ECMS_REFLOW_SOAK, 130, "reflow.soak_long", ECMS_REFLOW_WARN, 120},
		{ECMS_REFLOW_TAL, 40, "reflow.tal_short", ECMS_REFLOW_WARN, 45},
		{ECMS_REFLOW_TAL, 20, "reflow.tal_short", ECMS_REFLOW_FAIL, 30},
		{ECMS_REFLOW_TAL, 100, "reflow.tal_long", ECMS_REFLOW_WARN, 90},
		{ECMS_REFLOW_TAL, 160, "reflow.tal_long", ECMS_REFLOW_FAIL, 150},
		{ECMS_REFLOW_PEAK, 230, "reflow.peak_low", ECMS_REFLOW_FAIL, 235},
		{ECMS_REFLOW_PEAK, 255, "reflow.peak_high", ECMS_REFLOW_FAIL, 250},
		{ECMS_REFLOW_NEAR_PEAK, 35, "reflow.near_peak_long", ECMS_REFLOW_FAIL, 30},
		{ECMS_REFLOW_COOL, 5, "reflow.cool_fast", ECMS_REFLOW_WARN, 4},
		{ECMS_REFLOW_COOL, 7, "reflow.cool_fast", ECMS_REFLOW_FAIL, 6},
		{ECMS_REFLOW_T25_PEAK, 500, "reflow.t25_peak_long", ECMS_REFLOW_FAIL, 480},
	};
	struct ecms_reflow_metrics m;
	struct ecms_reflow_chmetrics ch;
	struct ecms_reflow_finding *f;
	const struct ecms_reflow_finding *x;
	double v[ECMS_REFLOW_NMETRICS];
	ecms_error e;
	size_t n, i;

	mk_metrics(&m, &ch, good);
	assert_int_equal(ecms_reflow_check(NULL, &m, NAN, 1, &f, &n, &e), ECMS_OK);
	if (count_severe(f, n))
		dump_findings(f, n);
	assert_int_equal(count_severe(f, n), 0);
	assert_non_null(find_skip(f, n, "component"));
	ecms_free(f);

	for (i = 0; i < ECMS_ARRAY_LEN(cases); i++) {
		memcpy(v, good, sizeof(v));
		v[cases[i].k] = cases[i].v;
		mk_metrics(&m, &ch, v);
		assert_int_equal(ecms_reflow_check(NULL, &m, NAN, 1, &f, &n, &e), ECMS_OK);
		x = find_code(f, n, cases[i].code);
		if (x == NULL || count_severe(f, n) != 1) {
			dump_findings(f, n);
			fail_msg("case %zu: want exactly %s", i, cases[i].code);
		}
		assert_int_equal(x->severity, cases[i].sev);
		assert_float_equal(x->value, cases[i].v, 0);
		assert_float_equal(x->limit, cases[i].limit, 0);
		assert_string_equal(x->channel, "TC1");
		assert_string_equal(x->metric, ecms_reflow_metric_name(cases[i].k));
		assert_string_equal(x->unit, ecms_reflow_metric_unit(cases[i].k));
		ecms_free(f);
	}

	/* The sentence. */
	v[ECMS_REFLOW_PEAK] = 255;
	memcpy(v, good, sizeof(v));
	v[ECMS_REFLOW_PEAK] = 255;
	mk_metrics(&m, &ch, v);
	assert_int_equal(ecms_reflow_check(NULL, &m, NAN, 1, &f, &n, &e), ECMS_OK);
	x = find_code(f, n, "reflow.peak_high");
	assert_string_equal(x->text, "Peak temperature 255.0 °C on TC1 is above the "
				     "maximum of 250 °C.");
	ecms_free(f);

	/* Minimum limits a site may add. */
	{
		struct ecms_reflow_window w;

		ecms_reflow_window_default(&w);
		assert_int_equal(ecms_reflow_window_set(&w, "ramp.min_c_s", "0.5", &e), 0);
		assert_int_equal(ecms_reflow_window_set(&w, "cool.warn_min_c_s", "1", &e), 0);
		memcpy(v, good, sizeof(v));
		mk_metrics(&m, &ch, v);
		assert_int_equal(ecms_reflow_check(&w, &m, NAN, 1, &f, &n, &e), ECMS_OK);
		assert_int_equal(count_severe(f, n), 0);
		ecms_free(f);
		v[ECMS_REFLOW_RAMP] = 0.3;
		v[ECMS_REFLOW_COOL] = 0.5;
		mk_metrics(&m, &ch, v);
		assert_int_equal(ecms_reflow_check(&w, &m, NAN, 1, &f, &n, &e), ECMS_OK);
		assert_int_equal(find_code(f, n, "reflow.ramp_low")->severity, ECMS_REFLOW_FAIL);
		assert_int_equal(find_code(f, n, "reflow.cool_slow")->severity, ECMS_REFLOW_WARN);
		ecms_free(f);
		/* Dropping a limit drops its finding. */
		assert_int_equal(ecms_reflow_window_set(&w, "ramp.min_c_s", "none", &e), 0);
		assert_int_equal(ecms_reflow_check(&w, &m, NAN, 1, &f, &n, &e), ECMS_OK);
		assert_null(find_code(f, n, "reflow.ramp_low"));
		ecms_free(f);
	}

	/* Unknown metric: skipped, with the reason. */
	memcpy(v, good, sizeof(v));
	mk_metrics(&m, &ch, v);
	ch.m[ECMS_REFLOW_T25_PEAK].v = NAN;
	ch.m[ECMS_REFLOW_T25_PEAK].kind = ECMS_REFLOW_UNKNOWN;
	strcpy(ch.m[ECMS_REFLOW_T25_PEAK].why, "the curve starts at 31.0 °C, above 25 °C");
	assert_int_equal(ecms_reflow_check(NULL, &m, NAN, 1, &f, &n, &e), ECMS_OK);
	x = find_skip(f, n, "t25_peak");
	assert_non_null(x);
	assert_int_equal(x->severity, ECMS_REFLOW_INFO);
	assert_string_equal(x->text, "Time from 25 °C to peak not checked: the curve starts "
				     "at 31.0 °C, above 25 °C.");
	ecms_free(f);
}

static void
test_check_curves(void **state)
{
	const struct pt *cv[] = {T1, T2};
	size_t np[] = {ECMS_ARRAY_LEN(T1), ECMS_ARRAY_LEN(T2)};
	struct ecms_reflow_profile *p = pl_profile(2, cv, np, 0.5);
	struct ecms_reflow_metrics *m;
	struct ecms_reflow_finding *f;
	const struct ecms_reflow_finding *x;
	struct ecms_reflow_window w;
	ecms_error e;
	size_t n;

	assert_int_equal(ecms_reflow_analyze(p, NULL, &m, NULL), ECMS_OK);
	assert_int_equal(ecms_reflow_check(NULL, m, 260, 1, &f, &n, &e), ECMS_OK);
	x = find_code(f, n, "reflow.peak_high");
	assert_non_null(x);
	assert_string_equal(x->channel, "TC2");
	assert_string_equal(x->text, "Peak temperature 252.0 °C on TC2 is above the maximum "
				     "of 250 °C (1 of 2 channels).");
	assert_int_equal(count_severe(f, n), 1);
	assert_int_equal(n, 1);
	ecms_free(f);

	/* A window with other analysis parameters cannot judge these metrics. */
	ecms_reflow_window_default(&w);
	assert_int_equal(ecms_reflow_window_set(&w, "liquidus_c", "227", &e), ECMS_OK);
	assert_int_equal(ecms_reflow_check(&w, m, 260, 1, &f, &n, &e), ECMS_EINVAL);
	assert_null(f);
	assert_non_null(strstr(e.message, "analyse the profile again"));
	ecms_reflow_metrics_free(m);
	assert_int_equal(ecms_reflow_analyze(p, &w, &m, NULL), ECMS_OK);
	assert_int_equal(ecms_reflow_check(&w, m, 260, 1, &f, &n, &e), ECMS_OK);
	ecms_free(f);
	ecms_reflow_metrics_free(m);
	ecms_reflow_profile_free(p);
}

static void
test_check_component(void **state)
{
	struct ecms_reflow_profile *p = t1_profile();
	struct ecms_reflow_metrics *m;
	struct ecms_reflow_finding *f;
	const struct ecms_reflow_finding *x;
	ecms_error e;
	size_t n;

	assert_int_equal(ecms_reflow_analyze(p, NULL, &m, NULL), ECMS_OK);
	/* Rating above the peak: nothing. */
	assert_int_equal(ecms_reflow_check(NULL, m, 245, 1, &f, &n, &e), ECMS_OK);
	assert_int_equal(n, 0);
	ecms_free(f);
	/* Rating 238 < peak 240: exceeded; 14 s above 233 °C is within 30 s. */
	assert_int_equal(ecms_reflow_check(NULL, m, 238, 1, &f, &n, &e), ECMS_OK);
	x = find_code(f, n, "reflow.component_peak_exceeded");
	assert_non_null(x);
	assert_int_equal(x->severity, ECMS_REFLOW_FAIL);
	assert_float_equal(x->value, 240, 1e-9);
	assert_float_equal(x->limit, 238, 0);
	assert_string_equal(x->text, "Peak 240.0 °C on TC1 is above the lowest peak rating "
				     "of the components on the board, 238 °C.");
	assert_null(find_code(f, n, "reflow.component_time_exceeded"));
	ecms_free(f);
	/* Rating 170: 165 °C is below the kept curve, so the time is a lower
	 * bound (>= 180 °C from 160 s to 300 s), and still too long. */
	assert_int_equal(ecms_reflow_check(NULL, m, 170, 1, &f, &n, &e), ECMS_OK);
	x = find_code(f, n, "reflow.component_time_exceeded");
	assert_non_null(x);
	assert_float_equal(x->value, 140, 1e-6);
	assert_non_null(strstr(x->text, "spends at least 140.0 s at or above 165 °C"));
	ecms_free(f);
	/* Unknown rating: said so. */
	assert_int_equal(ecms_reflow_check(NULL, m, NAN, 1, &f, &n, &e), ECMS_OK);
	assert_int_equal(n, 1);
	assert_non_null(find_skip(f, n, "component"));
	ecms_free(f);
	ecms_reflow_metrics_free(m);
	ecms_reflow_profile_free(p);

	/* A 40 s plateau at 245 °C under parts rated 248 °C: the peak is
	 * fine, but 44 s at or above 243 °C is not (J-STD-020: <= 30 s). */
	{
		const struct pt *cv[] = {T3};
		size_t np[] = {ECMS_ARRAY_LEN(T3)};

		p = pl_profile(1, cv, np, 0.5);
		assert_int_equal(ecms_reflow_analyze(p, NULL, &m, NULL), ECMS_OK);
		assert_int_equal(ecms_reflow_check(NULL, m, 248, 1, &f, &n, &e), ECMS_OK);
		assert_null(find_code(f, n, "reflow.component_peak_exceeded"));
		x = find_code(f, n, "reflow.component_time_exceeded");
		assert_non_null(x);
		assert_float_equal(x->value, 44, 1e-6);
		assert_float_equal(x->limit, 30, 0);
		assert_string_equal(x->text, "TC1 spends 44.0 s at or above 243 °C (5 °C "
					     "below the lowest component rating of 248 °C); at "
					     "most 30 s is allowed.");
		/* The same plateau is also 50 s within 5 °C of the peak. */
		assert_float_equal(find_code(f, n, "reflow.near_peak_long")->value, 50, 1e-6);
		ecms_free(f);
		ecms_reflow_metrics_free(m);
		ecms_reflow_profile_free(p);
	}
}

static void
test_check_passes(void **state)
{
	struct ecms_reflow_profile *p = t1_profile();
	struct ecms_reflow_metrics *m;
	struct ecms_reflow_finding *f;
	const struct ecms_reflow_finding *x;
	struct ecms_reflow_window w;
	ecms_error e;
	size_t n;

	assert_int_equal(ecms_reflow_analyze(p, NULL, &m, NULL), ECMS_OK);
	assert_int_equal(ecms_reflow_check(NULL, m, 260, 3, &f, &n, &e), ECMS_OK);
	assert_int_equal(n, 0);
	ecms_free(f);
	assert_int_equal(ecms_reflow_check(NULL, m, 260, 4, &f, &n, &e), ECMS_OK);
	assert_int_equal(n, 1);
	x = find_code(f, n, "reflow.passes_exceeded");
	assert_non_null(x);
	assert_int_equal(x->severity, ECMS_REFLOW_FAIL);
	assert_float_equal(x->value, 4, 0);
	assert_float_equal(x->limit, 3, 0);
	assert_string_equal(x->text, "This is reflow pass 4 of the board (rework included); "
				     "its components are rated for at most 3.");
	ecms_free(f);
	assert_int_equal(ecms_reflow_check(NULL, m, 260, -1, &f, &n, &e), ECMS_OK);
	assert_non_null(find_skip(f, n, "passes"));
	ecms_free(f);
	ecms_reflow_window_default(&w);
	assert_int_equal(ecms_reflow_window_set(&w, "passes.max", "none", &e), ECMS_OK);
	assert_int_equal(ecms_reflow_check(&w, m, 260, 10, &f, &n, &e), ECMS_OK);
	assert_int_equal(n, 0);
	ecms_free(f);
	ecms_reflow_metrics_free(m);
	ecms_reflow_profile_free(p);
}

/* ------------------------------------------------------------------
 * CFX
 * ------------------------------------------------------------------ */

static void
test_cfx_oven(void **state)
{
	json_t *body = load_cfx("UnitsProcessed.1.body.json");
	json_t *pd = json_object_get(body, "CommonProcessData"), *rd;
	struct ecms_reflow_metrics *m;
	struct ecms_reflow_finding *f;
	const struct ecms_reflow_finding *x;
	ecms_error e;
	size_t n, k;

	assert_int_equal(ecms_reflow_metrics_from_cfx(pd, NULL, &m, &e), ECMS_OK);
	assert_int_equal(m->source, ECMS_REFLOW_SRC_CFX_OVEN);
	assert_int_equal(m->nzones, 8);
	assert_string_equal(m->zones[4].name, "Zone3 Top");
	assert_string_equal(m->zones[4].type, "Reflow");
	assert_int_equal(m->zones[4].sequence, 3);
	assert_float_equal(m->zones[4].setpoint_c, 250, 0);
	assert_float_equal(m->zones[4].reading_c, 251, 0);
	assert_float_equal(m->conveyor_cm_min, 60, 0);
	assert_int_equal(m->nchannels, 1);
	assert_string_equal(m->ch[0].name, "Zone3 Top");
	assert_int_equal(m->ch[0].m[ECMS_REFLOW_PEAK].kind, ECMS_REFLOW_UPPER_BOUND);
	assert_float_equal(m->ch[0].m[ECMS_REFLOW_PEAK].v, 251, 0);
	for (k = 0; k < ECMS_REFLOW_NMETRICS; k++)
		if (k != ECMS_REFLOW_PEAK)
			assert_int_equal(m->ch[0].m[k].kind, ECMS_REFLOW_UNKNOWN);

	/* Parts rated 260 °C: the bound proves the rating kept. The window
	 * checks cannot be made, and each says so. */
	assert_int_equal(ecms_reflow_check(NULL, m, 260, 1, &f, &n, &e), ECMS_OK);
	assert_int_equal(count_severe(f, n), 0);
	for (k = 0; k < ECMS_REFLOW_NMETRICS; k++)
		assert_non_null(find_skip(f, n, ecms_reflow_metric_name(k)));
	assert_int_equal(n, ECMS_REFLOW_NMETRICS);
	x = find_skip(f, n, "tal");
	assert_string_equal(x->text, "Time above liquidus (217 °C) not checked: "
				     "ReflowProcessData has oven zone data only, no board "
				     "temperature curve.");
	x = find_skip(f, n, "peak");
	assert_non_null(strstr(x->text, "upper bound: the hottest oven zone reading "
					"(Zone3 Top, 251.0 °C)"));
	ecms_free(f);
	/* Parts rated 250 °C: cannot be shown safe. */
	assert_int_equal(ecms_reflow_check(NULL, m, 250, 1, &f, &n, &e), ECMS_OK);
	x = find_code(f, n, "reflow.component_peak_unverified");
	assert_non_null(x);
	assert_int_equal(x->severity, ECMS_REFLOW_WARN);
	assert_string_equal(x->channel, "Zone3 Top");
	ecms_free(f);
	ecms_reflow_metrics_free(m);

	/* A zone off its setpoint; and an oven too cold to reach the window. */
	rd = json_array_get(json_object_get(json_array_get(json_object_get(pd, "ZoneData"),
							    0), "Readings"), 0);
	json_object_set_new(rd, "ReadingValue", json_real(228.5));
	assert_int_equal(ecms_reflow_metrics_from_cfx(pd, NULL, &m, &e), ECMS_OK);
	assert_int_equal(ecms_reflow_check(NULL, m, 260, 1, &f, &n, &e), ECMS_OK);
	x = find_code(f, n, "reflow.zone_deviation");
	assert_non_null(x);
	assert_string_equal(x->channel, "Zone1 Top");
	assert_string_equal(x->text, "Zone1 Top reads 228.5 °C against a setpoint of "
				     "220.0 °C: +8.5 °C, beyond the tolerance of 5 °C.");
	ecms_free(f);
	ecms_reflow_metrics_free(m);
	for (k = 0; k < 4; k++) {
		json_t *rs = json_object_get(json_array_get(json_object_get(pd, "ZoneData"), k),
					     "Readings");
		size_t j;

		for (j = 0; j < json_array_size(rs); j++)
			if (strcmp(json_string_value(json_object_get(json_array_get(rs, j),
								     "ReadingType")),
				   "Temperature") == 0)
				json_object_set_new(json_array_get(rs, j), "ReadingValue",
						    json_real(200));
	}
	assert_int_equal(ecms_reflow_metrics_from_cfx(pd, NULL, &m, &e), ECMS_OK);
	assert_int_equal(ecms_reflow_check(NULL, m, 260, 1, &f, &n, &e), ECMS_OK);
	x = find_code(f, n, "reflow.peak_low");
	assert_non_null(x);
	assert_int_equal(x->severity, ECMS_REFLOW_FAIL);
	assert_non_null(strstr(x->text, "at most 200.0 °C"));
	assert_null(find_skip(f, n, "peak"));
	ecms_free(f);
	ecms_reflow_metrics_free(m);

	/* Bad values name their JSON path. */
	json_object_set_new(rd, "ReadingValue", json_string("hot"));
	assert_int_equal(ecms_reflow_metrics_from_cfx(pd, NULL, &m, &e), ECMS_EINVAL);
	assert_string_equal(e.message, "ZoneData[0].Readings[0].ReadingValue: expected a "
				       "number");
	json_object_set_new(rd, "ReadingValue", json_real(900));
	assert_int_equal(ecms_reflow_metrics_from_cfx(pd, NULL, &m, &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "ZoneData[0].Readings[0].ReadingValue: 900 °C is "
					  "not a plausible temperature"));
	json_object_set_new(pd, "$type", json_string("CFX.Structures.Other, CFX"));
	assert_int_equal(ecms_reflow_metrics_from_cfx(pd, NULL, &m, &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "is not reflow data"));
	assert_int_equal(ecms_reflow_metrics_from_cfx(body, NULL, &m, &e), ECMS_EINVAL);
	assert_null(m);
	json_decref(body);
}

static void
test_cfx_profiler(void **state)
{
	json_t *body = load_cfx("UnitsProcessed.3.body.json");
	json_t *pd = json_object_get(body, "CommonProcessData");
	struct ecms_reflow_metrics *m;
	struct ecms_reflow_finding *f;
	const struct ecms_reflow_finding *x;
	ecms_error e;
	size_t n;

	assert_int_equal(ecms_reflow_metrics_from_cfx(pd, NULL, &m, &e), ECMS_OK);
	assert_int_equal(m->source, ECMS_REFLOW_SRC_CFX_PROFILER);
	assert_float_equal(m->pwi, 89.6, 1e-9);
	assert_string_equal(m->profiler_result, "Passed");
	assert_float_equal(m->oven_time_s, 82, 1e-9);
	assert_float_equal(m->conveyor_cm_min, 102.3, 1e-9);
	assert_int_equal(m->nzones, 8);
	assert_int_equal(ecms_reflow_check(NULL, m, 260, 1, &f, &n, &e), ECMS_OK);
	assert_int_equal(count_severe(f, n), 0);
	assert_null(find_code(f, n, "reflow.pwi_exceeded"));
	ecms_free(f);
	ecms_reflow_metrics_free(m);

	json_object_set_new(pd, "ProductionUnitPWI", json_real(120.5));
	json_object_set_new(pd, "Result", json_string("Failed"));
	assert_int_equal(ecms_reflow_metrics_from_cfx(pd, NULL, &m, &e), ECMS_OK);
	assert_int_equal(ecms_reflow_check(NULL, m, 260, 1, &f, &n, &e), ECMS_OK);
	x = find_code(f, n, "reflow.pwi_exceeded");
	assert_non_null(x);
	assert_float_equal(x->value, 120.5, 0);
	assert_string_equal(x->text, "The profiler's process window index is 120.5 %, above "
				     "100 %: the profile left its process window.");
	assert_non_null(find_code(f, n, "reflow.profiler_failed"));
	ecms_free(f);
	ecms_reflow_metrics_free(m);

	json_object_set_new(pd, "TimeDateUnitIn", json_string("yesterday"));
	assert_int_equal(ecms_reflow_metrics_from_cfx(pd, NULL, &m, &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "TimeDateUnitIn: "));
	json_decref(body);
}

/* ------------------------------------------------------------------
 * CSV
 * ------------------------------------------------------------------ */

static void
test_csv_good(void **state)
{
	struct ecms_reflow_profile *p;

	p = csv_good("time,TC1,TC2\n0,25,26\n0.5,25.5,26.25\n");
	assert_int_equal(p->nchannels, 2);
	assert_int_equal(p->nsamples, 2);
	assert_string_equal(p->ch[0].name, "TC1");
	assert_string_equal(p->ch[1].name, "TC2");
	assert_float_equal(p->time_s[1], 0.5, 0);
	assert_float_equal(p->ch[1].temp_c[1], 26.25, 0);
	ecms_reflow_profile_free(p);

	/* BOM, CRLF, comments, blank lines, a unit in the header, quotes,
	 * blanks around fields, a trailing separator, exponents. */
	p = csv_good("\xef\xbb\xbf# KIC export\r\n\r\n\"Time (s)\", \"TC 1, top\" ,TC2,\r\n"
		     "0, 25 ,2.6e1,\r\n# pause\r\n1.5,-3.5,+30,\r\n");
	assert_int_equal(p->nchannels, 2);
	assert_string_equal(p->ch[0].name, "TC 1, top");
	assert_float_equal(p->ch[0].temp_c[1], -3.5, 0);
	assert_float_equal(p->ch[1].temp_c[0], 26, 0);
	ecms_reflow_profile_free(p);

	/* Semicolons and mm:ss / hh:mm:ss times. */
	p = csv_good("Time (mm:ss);TC1;TC2\n00:00;25.0;25.1\n00:01.5;26.0;26.1\n"
		     "01:05;80.5;79.5\n1:00:00;30;30\n");
	assert_int_equal(p->nsamples, 4);
	assert_float_equal(p->time_s[1], 1.5, 0);
	assert_float_equal(p->time_s[2], 65, 0);
	assert_float_equal(p->time_s[3], 3600, 0);
	assert_float_equal(p->ch[0].temp_c[2], 80.5, 0);
	ecms_reflow_profile_free(p);

	/* Tabs; old Mac line ends; other header spellings. */
	p = csv_good("t [sec]\tTC1\r0\t20\r1\t21\r");
	assert_int_equal(p->nsamples, 2);
	ecms_reflow_profile_free(p);
	p = csv_good("time_s,A\n0,20\n1,21");
	ecms_reflow_profile_free(p);
	p = csv_good("Elapsed,A\n0,20\n1,21\n");
	ecms_reflow_profile_free(p);
}

static void
test_csv_errors(void **state)
{
	struct ecms_reflow_profile *p = NULL;
	ecms_error e;
	char big[2048];
	size_t i, o;

	csv_bad("time,TC1,TC2\n0,25,25\n1,26,abc\n",
		"profile.csv:3: column 'TC2': 'abc' is not a temperature");
	assert_int_equal(ecms_reflow_csv_parse("time,TC1,TC2\n0,25,25\n1,26,abc\n", 31,
					       "profile.csv", &p, &e), ECMS_EINVAL);
	assert_string_equal(e.field, "TC2");
	csv_bad("time;TC1\n0;25\n1;25,5\n",
		"profile.csv:3: column 'TC1': '25,5' is not a temperature (use a decimal "
		"point)");
	csv_bad("time,TC1\n0,25\n1,600\n",
		"profile.csv:3: column 'TC1': 600 °C is outside the plausible -50..500 °C");
	csv_bad("time,TC1\n0,25\n1,nan\n", "profile.csv:3: column 'TC1': 'nan' is not a "
		"temperature");
	csv_bad("time,TC1\n0,25\n1,26\n1,27\n",
		"profile.csv:4: column 'time': 1 s does not come after the previous "
		"sample's 1 s; times must strictly increase");
	csv_bad("Time (s),TC1\n0,25\n2,26\n1.5,27\n",
		"profile.csv:4: column 'Time (s)': 1.5 s does not come after");
	csv_bad("time,TC1\n0,25\n1:75,26\n",
		"profile.csv:3: column 'time': '1:75' is not a time; expected seconds "
		"(12.5), mm:ss or hh:mm:ss");
	csv_bad("time,TC1\n0,25\n1:02:03:04,26\n", "'1:02:03:04' is not a time");
	csv_bad("time,TC1\n0,25\n2e7,26\n", "profile.csv:3: column 'time': 20000000 s is "
		"outside +-1e+06 s");
	csv_bad("time,TC1,TC2\n0,25,25\n1,26\n",
		"profile.csv:3: 2 fields, expected 3 (time and 2 thermocouples)");
	csv_bad("time,TC1\n0,25,25,25\n", "profile.csv:2: 4 fields, expected 2");
	csv_bad("time,TC1\n0,25,\"x\n", "profile.csv:2: column 3: the quote is not closed");
	csv_bad("time,TC1\n0,\n1,25\n", "profile.csv:2: column 'TC1': empty; expected a "
		"temperature in °C");
	csv_bad("time,TC1,TC2\n0,1\n", "profile.csv:2: 2 fields, expected 3 (time and 2 "
		"thermocouples)");
	csv_bad("time,TC1\n0\n", "profile.csv:2: 1 field, expected 2 (time and 1 "
		"thermocouple)");
	csv_bad("time,TC1,TC2\n0,,25\n", "profile.csv:2: column 'TC1': empty; expected a "
		"temperature in °C");
	csv_bad("Temp,TC1\n0,25\n", "profile.csv:1: column 1: 'Temp' is not a time column; "
		"expected time, t, time_s or Time (s)");
	csv_bad("Time (ms),TC1\n0,25\n", "profile.csv:1: column 1: 'Time (ms)': the time "
		"unit is not seconds");
	csv_bad("time,TC1,TC1\n0,25,25\n", "profile.csv:1: column 3: thermocouple 'TC1' "
		"appears twice (columns 2 and 3)");
	csv_bad("time,TC1,,TC3\n0,25,25,25\n", "profile.csv:1: column 3: empty thermocouple "
		"name");
	csv_bad("time,TC1 (\xc2\xb0" "F)\n0,77\n", "profile.csv:1: column 2: 'TC1 (°F)' is "
		"in Fahrenheit; export in °C");
	csv_bad("time\n0\n1\n", "profile.csv:1: no thermocouple columns after 'time'");
	csv_bad("time,TC1\n0,25\n", "profile.csv: 1 sample; a profile needs at least 2");
	csv_bad("time,TC1\n", "profile.csv: 0 samples; a profile needs at least 2");
	csv_bad("", "profile.csv: no header row");
	csv_bad("# only a comment\n\n", "profile.csv: no header row");
	csv_bad("time,\"TC1\n0,25\n", "profile.csv:1: column 2: the quote is not closed");
	csv_bad("time,\"TC1\"x\n0,25\n", "profile.csv:1: column 2: text after the closing "
		"quote");
	csv_bad("time,TC\x01\n0,25\n", "profile.csv:1: column 2: control character 0x01");
	assert_int_equal(ecms_reflow_csv_parse("time,TC1\n0,2\0005\n", 15, "p.csv", &p, &e),
			 ECMS_EINVAL);
	assert_non_null(strstr(e.message, "p.csv:2: column 'TC1': control character 0x00"));

	o = (size_t)snprintf(big, sizeof(big), "time");
	for (i = 0; i <= ECMS_REFLOW_MAX_CHANNELS; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o, ",TC%zu", i + 1);
	snprintf(big + o, sizeof(big) - o, "\n0");
	csv_bad(big, "profile.csv:1: 33 thermocouple columns; at most 32");
	memset(big, 'x', 200);
	memcpy(big, "time,", 5);
	strcpy(big + 200, "\n0,1\n");
	csv_bad(big, "profile.csv:1: column 2: longer than 127 characters");
	memset(big, 'x', 100);
	memcpy(big, "time,", 5);
	strcpy(big + 100, "\n0,1\n");
	csv_bad(big, "profile.csv:1: column 2: thermocouple name 'xxxxxxxx");
	/* No file name given. */
	assert_int_equal(ecms_reflow_csv_parse("x", 1, NULL, &p, &e), ECMS_EINVAL);
	assert_string_equal(e.message, "profile:1: column 1: 'x' is not a time column; "
				       "expected time, t, time_s or Time (s)");
}

static void
test_csv_sample_cap(void **state)
{
	size_t n = ECMS_REFLOW_MAX_SAMPLES + 1, i, o = 0, cap = 16 * n + 32;
	char *text = malloc(cap);
	struct ecms_reflow_profile *p = NULL;
	ecms_error e;

	assert_non_null(text);
	o += (size_t)snprintf(text, cap, "time,TC1\n");
	for (i = 0; i < n; i++)
		o += (size_t)snprintf(text + o, cap - o, "%zu,25\n", i);
	assert_int_equal(ecms_reflow_csv_parse(text, o, "big.csv", &p, &e), ECMS_EINVAL);
	assert_string_equal(e.message, "big.csv:1000002: more than 1000000 samples");
	/* One line fewer is accepted. */
	o -= strlen("1000000,25\n");
	assert_int_equal(ecms_reflow_csv_parse(text, o, "big.csv", &p, &e), ECMS_OK);
	assert_int_equal(p->nsamples, ECMS_REFLOW_MAX_SAMPLES);
	ecms_reflow_profile_free(p);
	free(text);
}

static void
test_csv_roundtrip(void **state)
{
	struct ecms_reflow_profile *p, *q;
	char *text;
	size_t len, c;
	ecms_error e;

	assert_int_equal(ecms_reflow_synth(7, NULL, &p, NULL), ECMS_OK);
	strcpy(p->ch[1].name, "TC 2, \"bottom\"");
	p->time_s[1] = 0.1 + 0.2; /* a value with no short decimal form */
	assert_int_equal(ecms_reflow_csv_format(p, &text, &len, &e), ECMS_OK);
	assert_int_equal(strlen(text), len);
	assert_memory_equal(text, "time_s,TC1,\"TC 2, \"\"bottom\"\"\",TC3,TC4\n0,", 40);
	assert_int_equal(ecms_reflow_csv_parse(text, len, "rt.csv", &q, &e), ECMS_OK);
	assert_int_equal(q->nsamples, p->nsamples);
	assert_int_equal(q->nchannels, p->nchannels);
	assert_memory_equal(q->time_s, p->time_s, p->nsamples * sizeof(double));
	for (c = 0; c < p->nchannels; c++) {
		assert_string_equal(q->ch[c].name, p->ch[c].name);
		assert_memory_equal(q->ch[c].temp_c, p->ch[c].temp_c,
				    p->nsamples * sizeof(double));
	}
	ecms_free(text);
	ecms_reflow_profile_free(q);
	/* An invalid profile is refused. */
	p->time_s[5] = p->time_s[4];
	assert_int_equal(ecms_reflow_csv_format(p, &text, &len, &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "sample 6: time 2 s does not come after 2 s"));
	ecms_reflow_profile_free(p);
}

static void
test_profile_validate(void **state)
{
	struct ecms_reflow_profile *p;
	ecms_error e;

	assert_int_equal(ecms_reflow_profile_new(0, 10, &p, &e), ECMS_EINVAL);
	assert_int_equal(ecms_reflow_profile_new(33, 10, &p, &e), ECMS_EINVAL);
	assert_int_equal(ecms_reflow_profile_new(2, 3, &p, &e), ECMS_OK);
	p->time_s[0] = 0;
	p->time_s[1] = 1;
	p->time_s[2] = 2;
	assert_int_equal(ecms_reflow_profile_validate(p, &e), ECMS_OK);
	p->ch[1].temp_c[2] = 501;
	assert_int_equal(ecms_reflow_profile_validate(p, &e), ECMS_EINVAL);
	assert_string_equal(e.message, "sample 3: channel 'TC2': 501 °C is outside the "
				       "plausible -50..500 °C");
	p->ch[1].temp_c[2] = 20;
	strcpy(p->ch[1].name, "TC1");
	assert_int_equal(ecms_reflow_profile_validate(p, &e), ECMS_EINVAL);
	assert_string_equal(e.message, "channels 1 and 2 are both named 'TC1'");
	strcpy(p->ch[1].name, "TC2");
	p->time_s[2] = NAN;
	assert_int_equal(ecms_reflow_analyze(p, NULL, &(struct ecms_reflow_metrics *){NULL},
					     &e), ECMS_EINVAL);
	assert_string_equal(e.message, "sample 3: the time is not a number");
	ecms_reflow_profile_free(p);
}

/* ------------------------------------------------------------------
 * Synthesiser
 * ------------------------------------------------------------------ */

static void
test_synth(void **state)
{
	struct ecms_reflow_synth_params sp;
	struct ecms_reflow_profile *a, *b, *c;
	struct ecms_reflow_metrics *m;
	struct ecms_reflow_finding *f;
	ecms_error e;
	size_t n;

	assert_int_equal(ecms_reflow_synth(5, NULL, &a, NULL), ECMS_OK);
	assert_int_equal(ecms_reflow_synth(5, NULL, &b, NULL), ECMS_OK);
	assert_int_equal(ecms_reflow_synth(6, NULL, &c, NULL), ECMS_OK);
	assert_int_equal(a->nchannels, 4);
	assert_string_equal(a->ch[3].name, "TC4");
	assert_memory_equal(a->ch[2].temp_c, b->ch[2].temp_c, a->nsamples * sizeof(double));
	assert_memory_not_equal(a->ch[2].temp_c, c->ch[2].temp_c,
				a->nsamples * sizeof(double));
	/* The default curve is a good board. */
	assert_int_equal(ecms_reflow_analyze(a, NULL, &m, NULL), ECMS_OK);
	assert_int_equal(ecms_reflow_check(NULL, m, 260, 1, &f, &n, &e), ECMS_OK);
	if (n)
		dump_findings(f, n);
	assert_int_equal(n, 0);
	ecms_free(f);
	ecms_reflow_metrics_free(m);
	ecms_reflow_profile_free(a);
	ecms_reflow_profile_free(b);
	ecms_reflow_profile_free(c);

	/* Pushed past the limits, the simulator's bad boards. */
	ecms_reflow_synth_defaults(&sp);
	sp.peak_c = 256;
	sp.tal_s = 25;
	sp.nchannels = 2;
	assert_int_equal(ecms_reflow_synth(5, &sp, &a, NULL), ECMS_OK);
	assert_int_equal(ecms_reflow_analyze(a, NULL, &m, NULL), ECMS_OK);
	assert_int_equal(ecms_reflow_check(NULL, m, 250, 1, &f, &n, &e), ECMS_OK);
	assert_int_equal(find_code(f, n, "reflow.peak_high")->severity, ECMS_REFLOW_FAIL);
	assert_int_equal(find_code(f, n, "reflow.tal_short")->severity, ECMS_REFLOW_FAIL);
	assert_non_null(find_code(f, n, "reflow.component_peak_exceeded"));
	ecms_free(f);
	ecms_reflow_metrics_free(m);
	ecms_reflow_profile_free(a);

	ecms_reflow_synth_defaults(&sp);
	sp.peak_c = 210;
	assert_int_equal(ecms_reflow_synth(1, &sp, &a, &e), ECMS_EINVAL);
	assert_string_equal(e.field, "peak_c");
	assert_string_equal(e.message, "synth: peak_c 210 must be above liquidus_c 217 and "
				       "at most 450 °C");
	ecms_reflow_synth_defaults(&sp);
	sp.sample_s = 0.01;
	sp.cool_c_s = 0.01;
	assert_int_equal(ecms_reflow_synth(1, &sp, &a, &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "more than 1000000 samples"));
}

/* ------------------------------------------------------------------
 * Plot
 * ------------------------------------------------------------------ */

static char *
run_pdftotext(const unsigned char *pdf, size_t len)
{
	char *path = tu_path("plot.pdf"), cmd[600], *out = calloc(1, 65536);
	FILE *f = fopen(path, "wb"), *pp;
	size_t n;

	assert_non_null(f);
	assert_int_equal(fwrite(pdf, 1, len, f), len);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "pdftotext -q '%s' - 2>/dev/null", path);
	pp = popen(cmd, "r");
	assert_non_null(pp);
	n = fread(out, 1, 65535, pp);
	out[n] = '\0';
	pclose(pp);
	free(path);
	return out;
}

static void
test_plot_formats(void **state)
{
	const struct pt *cv[] = {T1, T2};
	size_t np[] = {ECMS_ARRAY_LEN(T1), ECMS_ARRAY_LEN(T2)};
	struct ecms_reflow_profile *p = pl_profile(2, cv, np, 0.5);
	struct ecms_reflow_metrics *m;
	unsigned char *a, *b;
	size_t la, lb;
	ecms_error e;
	int fmt;

	assert_int_equal(ecms_reflow_analyze(p, NULL, &m, NULL), ECMS_OK);
	for (fmt = ECMS_REFLOW_PLOT_SVG; fmt <= ECMS_REFLOW_PLOT_PDF; fmt++) {
		/* Twice: the same bytes (the second surface has other ids). */
		if (ecms_reflow_plot(p, NULL, m, (enum ecms_reflow_plot_fmt)fmt, 600, 360, &a,
				     &la, &e))
			fail_msg("plot %d: %s", fmt, e.message);
		assert_int_equal(ecms_reflow_plot(p, NULL, m, (enum ecms_reflow_plot_fmt)fmt,
						  600, 360, &b, &lb, &e), ECMS_OK);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		ecms_free(b);
		if (fmt == ECMS_REFLOW_PLOT_SVG) {
			assert_true(la > 1000);
			assert_non_null(memmem(a, la, "<svg", 4));
			assert_non_null(memmem(a, la, "width=\"600pt\"", 13));
			assert_non_null(memmem(a, la, "id=\"surface1\"", 13));
			assert_non_null(memmem(a, la, "</svg>", 6));
		} else if (fmt == ECMS_REFLOW_PLOT_PNG) {
			assert_memory_equal(a, "\x89PNG\r\n\x1a\n", 8);
			assert_memory_equal(a + 12, "IHDR", 4);
			/* 600 x 360 pt at 2 px per pt. */
			assert_int_equal((a[16] << 24) | (a[17] << 16) | (a[18] << 8) | a[19],
					 1200);
			assert_int_equal((a[20] << 24) | (a[21] << 16) | (a[22] << 8) | a[23],
					 720);
		} else {
			char *txt;

			assert_memory_equal(a, "%PDF-", 5);
			/* No creation time, or two runs a second apart differ. */
			assert_null(memmem(a, la, "/CreationDate", 13));
			if (system("command -v pdftotext >/dev/null 2>&1") != 0) {
				ecms_free(a);
				continue;
			}
			txt = run_pdftotext(a, la);
			assert_non_null(strstr(txt, "Time (s)"));
			assert_non_null(strstr(txt, "Temperature (°C)"));
			assert_non_null(strstr(txt, "Reflow profile"));
			assert_non_null(strstr(txt, "liquidus 217 °C"));
			assert_non_null(strstr(txt, "soak 150-200 °C"));
			assert_non_null(strstr(txt, "peak window 235-250 °C"));
			assert_non_null(strstr(txt, "peak 252.0 °C (TC2, 246 s)"));
			assert_non_null(strstr(txt, "TC1"));
			assert_non_null(strstr(txt, "300"));
			assert_non_null(strstr(txt, "250"));
			free(txt);
		}
		ecms_free(a);
	}

	/* Metrics may be left out (computed), the window too. */
	assert_int_equal(ecms_reflow_plot(p, NULL, NULL, ECMS_REFLOW_PLOT_SVG, 300, 200, &a,
					  &la, &e), ECMS_OK);
	ecms_free(a);
	/* Refusals. */
	assert_int_equal(ecms_reflow_plot(p, NULL, m, ECMS_REFLOW_PLOT_SVG, 50, 200, &a, &la,
					  &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "plot size 50 x 200 pt is not within 100..2000"));
	assert_int_equal(ecms_reflow_plot(p, NULL, m, (enum ecms_reflow_plot_fmt)7, 300, 200,
					  &a, &la, &e), ECMS_EINVAL);
	m->nchannels = 1;
	assert_int_equal(ecms_reflow_plot(p, NULL, m, ECMS_REFLOW_PLOT_SVG, 300, 200, &a, &la,
					  &e), ECMS_EINVAL);
	assert_non_null(strstr(e.message, "not those of this profile"));
	m->nchannels = 2;
	ecms_reflow_metrics_free(m);
	ecms_reflow_profile_free(p);
}

static void
test_plot_draw_rect(void **state)
{
	struct ecms_reflow_profile *p = t1_profile();
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 300);
	cairo_t *cr = cairo_create(s);
	const unsigned char *px;
	int stride;
	ecms_error e;

	/* Onto a caller's context, in a rectangle; the rest stays untouched. */
	assert_int_equal(ecms_reflow_plot_draw(cr, 50, 40, 300, 200, p, NULL, NULL, &e),
			 ECMS_OK);
	cairo_surface_flush(s);
	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	assert_int_equal(px[10 * stride + 10 * 4 + 3], 0);	   /* outside: clear */
	assert_int_equal(px[45 * stride + 345 * 4 + 3], 255);	   /* inside: painted */
	assert_int_equal(px[245 * stride + 200 * 4 + 3], 0);	   /* below: clear */
	/* The caller's state is given back. */
	cairo_set_source_rgb(cr, 0, 0, 1);
	cairo_rectangle(cr, 0, 0, 5, 5);
	cairo_fill(cr);
	cairo_surface_flush(s);
	assert_int_equal(px[2 * stride + 2 * 4 + 0], 255); /* blue: no clip left behind */
	assert_int_equal(ecms_reflow_plot_draw(cr, 0, 0, 60, 40, p, NULL, NULL, &e),
			 ECMS_EINVAL);
	assert_non_null(strstr(e.message, "too small"));
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	ecms_reflow_profile_free(p);
}

static void
test_plot_many_samples(void **state)
{
	struct ecms_reflow_synth_params sp;
	struct ecms_reflow_profile *p;
	unsigned char *a;
	size_t la;
	ecms_error e;

	/* 0.01 s sampling: ~35,000 samples x 4 are drawn as min/max per
	 * half point, so the SVG stays small. */
	ecms_reflow_synth_defaults(&sp);
	sp.sample_s = 0.01;
	assert_int_equal(ecms_reflow_synth(3, &sp, &p, &e), ECMS_OK);
	assert_true(p->nsamples > 30000);
	assert_int_equal(ecms_reflow_plot(p, NULL, NULL, ECMS_REFLOW_PLOT_SVG, 500, 300, &a,
					  &la, &e), ECMS_OK);
	print_message("  %zu samples: %zu bytes of SVG\n", p->nsamples, la);
	assert_true(la < 400000);
	ecms_free(a);
	ecms_reflow_profile_free(p);
}

/* ------------------------------------------------------------------
 * Out of memory: every allocation failing in turn
 * ------------------------------------------------------------------ */

static int
oom_pipeline(void)
{
	static const char csv[] = "time,TC1,TC2\n0,25,25\n60,150,149\n120,190,188\n"
				  "150,245,240\n170,200,198\n230,60,60\n";
	struct ecms_reflow_profile *p = NULL;
	struct ecms_reflow_metrics *m = NULL;
	struct ecms_reflow_finding *f = NULL;
	struct ecms_reflow_window w;
	unsigned char *img = NULL;
	char *text = NULL, *dump = NULL;
	size_t n, len;
	int rc;

	ecms_reflow_window_default(&w);
	rc = ecms_reflow_csv_parse(csv, sizeof(csv) - 1, "oom.csv", &p, NULL);
	if (rc == ECMS_OK)
		rc = ecms_reflow_analyze(p, &w, &m, NULL);
	if (rc == ECMS_OK)
		rc = ecms_reflow_check(&w, m, 242, 5, &f, &n, NULL);
	if (rc == ECMS_OK)
		rc = ecms_reflow_csv_format(p, &text, &len, NULL);
	if (rc == ECMS_OK)
		rc = ecms_reflow_window_dump(&w, 0, &dump, NULL);
	if (rc == ECMS_OK)
		rc = ecms_reflow_plot(p, &w, m, ECMS_REFLOW_PLOT_SVG, 200, 150, &img, &len,
				      NULL);
	ecms_free(img);
	ecms_free(dump);
	ecms_free(text);
	ecms_free(f);
	ecms_reflow_metrics_free(m);
	ecms_reflow_profile_free(p);
	return rc;
}

static void
test_oom(void **state)
{
	json_t *body = load_cfx("UnitsProcessed.3.body.json");
	json_t *pd = json_object_get(body, "CommonProcessData");
	struct ecms_reflow_profile *p;
	struct ecms_reflow_metrics *m;
	long i;
	int rc;

	for (i = 1;; i++) {
		ecms__alloc_fail_after(i);
		rc = oom_pipeline();
		ecms__alloc_fail_after(0);
		if (rc == ECMS_OK)
			break;
		assert_int_equal(rc, ECMS_ENOMEM);
	}
	assert_true(i > 10);
	for (i = 1;; i++) {
		ecms__alloc_fail_after(i);
		rc = ecms_reflow_metrics_from_cfx(pd, NULL, &m, NULL);
		ecms__alloc_fail_after(0);
		if (rc == ECMS_OK)
			break;
		assert_int_equal(rc, ECMS_ENOMEM);
		assert_null(m);
	}
	ecms_reflow_metrics_free(m);
	for (i = 1;; i++) {
		ecms__alloc_fail_after(i);
		rc = ecms_reflow_synth(1, NULL, &p, NULL);
		ecms__alloc_fail_after(0);
		if (rc == ECMS_OK)
			break;
		assert_int_equal(rc, ECMS_ENOMEM);
	}
	ecms_reflow_profile_free(p);
	json_decref(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics_piecewise),
		cmocka_unit_test(test_metrics_channels_and_unknowns),
		cmocka_unit_test(test_metrics_noise_robust),
		cmocka_unit_test(test_window_keys),
		cmocka_unit_test(test_check_each_metric),
		cmocka_unit_test(test_check_curves),
		cmocka_unit_test(test_check_component),
		cmocka_unit_test(test_check_passes),
		cmocka_unit_test(test_cfx_oven),
		cmocka_unit_test(test_cfx_profiler),
		cmocka_unit_test(test_csv_good),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_csv_sample_cap),
		cmocka_unit_test(test_csv_roundtrip),
		cmocka_unit_test(test_profile_validate),
		cmocka_unit_test(test_synth),
		cmocka_unit_test(test_plot_formats),
		cmocka_unit_test(test_plot_draw_rect),
		cmocka_unit_test(test_plot_many_samples),
		cmocka_unit_test(test_oom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
