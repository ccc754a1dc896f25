/*
 * reflow.h: reflow profile analysis as a pure library: thermocouple curves
 * (CSV import and export, a synthesiser for the simulator), the profile
 * metrics of J-STD-020 and the paste window, the window itself with
 * per-product overrides as key/value rows, metrics from CFX reflow
 * messages, and the check that turns metrics into findings.
 * No store here: the caller links findings to boards. The plot is in
 * reflowplot.h. Defaults come from shared/domain/msd-reflow.md section 2.
 *
 * Numbers are read and written with a '.' decimal point whatever the
 * process locale says.
 */
#ifndef ECMS_REFLOW_H
#define ECMS_REFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

struct json_t; /* jansson */

/* ------------------------------------------------------------------
 * Profiles: N thermocouple channels sampled at common times
 * ------------------------------------------------------------------ */

#define ECMS_REFLOW_MAX_SAMPLES 1000000 /* samples per profile */
#define ECMS_REFLOW_MAX_CHANNELS 32	/* thermocouples per profile */
#define ECMS_REFLOW_NAME_MAX 64		/* channel name bytes, with NUL */
#define ECMS_REFLOW_TEMP_MIN_C (-50.0)	/* plausible temperatures */
#define ECMS_REFLOW_TEMP_MAX_C 500.0
#define ECMS_REFLOW_TIME_MAX_S 1e6 /* |time| of a sample, seconds */

struct ecms_reflow_channel {
	char name[ECMS_REFLOW_NAME_MAX]; /* "TC1" */
	double *temp_c;			 /* nsamples temperatures, °C */
};

struct ecms_reflow_profile {
	size_t nsamples;		 /* >= 2 for a valid profile */
	size_t nchannels;		 /* 1..ECMS_REFLOW_MAX_CHANNELS */
	double *time_s;			 /* nsamples, strictly increasing */
	struct ecms_reflow_channel *ch;	 /* nchannels */
};

/*
 * A zeroed profile of nchannels x nsamples, channels named "TC1".."TCn";
 * the caller fills in times and temperatures. Free with
 * ecms_reflow_profile_free(). ECMS_EINVAL when a count is 0 or above its
 * maximum, ECMS_ENOMEM.
 */
int ecms_reflow_profile_new(size_t nchannels, size_t nsamples,
			    struct ecms_reflow_profile **out /* OUT */,
			    ecms_error *err) ECMS_WUR;

/* Free a profile and everything it points to. NULL is a no-op. */
void ecms_reflow_profile_free(struct ecms_reflow_profile *p);

/*
 * Check a profile built by hand: at least 2 samples, finite times
 * strictly increasing within +-ECMS_REFLOW_TIME_MAX_S, temperatures
 * within ECMS_REFLOW_TEMP_MIN_C..MAX_C, channel names non-empty and
 * distinct. ECMS_OK or ECMS_EINVAL naming the sample and channel.
 */
int ecms_reflow_profile_validate(const struct ecms_reflow_profile *p,
				 ecms_error *err) ECMS_WUR;

/*
 * Parse a profiler's CSV export. text need not be NUL-terminated;
 * filename only names the input in messages (NULL: "profile").
 *
 *  - Optional UTF-8 BOM; lines end in LF, CRLF or CR; blank lines and
 *    lines starting with '#' are skipped.
 *  - The first other line is the header. Its first column is the time:
 *    "time", "t", "time_s", "t_s", "elapsed", "seconds", "sec", each
 *    optionally followed by a unit in () or [] ("Time (s)", "t [sec]",
 *    "Time (mm:ss)"). The other columns are thermocouple names (at most
 *    ECMS_REFLOW_MAX_CHANNELS, distinct, < ECMS_REFLOW_NAME_MAX bytes);
 *    a name marked Fahrenheit ("TC1 (°F)", "[F]", "degF") is refused.
 *  - Separator: ';' if the header has one, else a tab if it has one,
 *    else ','. Fields may be double-quoted ("" is a quote). One trailing
 *    empty field (a separator at the end of the line) is ignored.
 *  - Times: decimal seconds, or mm:ss / hh:mm:ss with optional
 *    fraction; strictly increasing. Temperatures: decimal °C with a
 *    point, within ECMS_REFLOW_TEMP_MIN_C..MAX_C.
 *  - 2..ECMS_REFLOW_MAX_SAMPLES samples.
 *
 * On success *out is a new profile (ecms_reflow_profile_free). Errors:
 * ECMS_EINVAL with "<file>:<line>: column '<name>': '<value>' is not a
 * temperature" and the like (err->field holds the column name),
 * ECMS_ENOMEM.
 */
int ecms_reflow_csv_parse(const char *text, size_t len, const char *filename,
			  struct ecms_reflow_profile **out /* OUT */,
			  ecms_error *err) ECMS_WUR;

/*
 * Write a profile as CSV: header "time_s,<names...>", one row per
 * sample, numbers in their shortest exact form, so that parsing the
 * text gives the same profile back. *out is NUL-terminated, owned by the
 * caller (ecms_free); *len its length (may be NULL).
 * ECMS_EINVAL for an invalid profile, ECMS_ENOMEM.
 */
int ecms_reflow_csv_format(const struct ecms_reflow_profile *p,
			   char **out /* OUT */, size_t *len /* OUT */,
			   ecms_error *err) ECMS_WUR;

/* ------------------------------------------------------------------
 * The metrics
 * ------------------------------------------------------------------ */

enum ecms_reflow_metric {
	ECMS_REFLOW_RAMP,      /* max heating rate up to the peak, °C/s */
	ECMS_REFLOW_SOAK,      /* time in the soak band before liquidus, s */
	ECMS_REFLOW_TAL,       /* time above liquidus, s */
	ECMS_REFLOW_PEAK,      /* peak temperature, °C */
	ECMS_REFLOW_NEAR_PEAK, /* time within near_peak.delta_c of peak, s */
	ECMS_REFLOW_COOL,      /* max cooling rate after the peak, °C/s (> 0) */
	ECMS_REFLOW_T25_PEAK,  /* time from t25_peak.from_c (25 °C) to peak, s */
	ECMS_REFLOW_NMETRICS
};

/* "ramp", "soak", "tal", "peak", "near_peak", "cool", "t25_peak". */
const char *ecms_reflow_metric_name(enum ecms_reflow_metric m);
/* "°C/s", "s" or "°C" (UTF-8). */
const char *ecms_reflow_metric_unit(enum ecms_reflow_metric m);

enum ecms_reflow_vkind {
	ECMS_REFLOW_UNKNOWN = 0, /* not derivable from the data: v is NAN */
	ECMS_REFLOW_EXACT,	 /* measured on the curve */
	ECMS_REFLOW_UPPER_BOUND	 /* the true value is <= v (CFX zone data) */
};

struct ecms_reflow_value {
	double v;
	enum ecms_reflow_vkind kind;
	char why[128]; /* UNKNOWN/UPPER_BOUND: why, in words; else "" */
};

/*
 * Metrics of one thermocouple (or, for CFX oven data, of the oven).
 *
 * Definitions (curves are linear between samples; crossings are
 * interpolated):
 *  ramp      max of (T[j]-T[i])/(t[j]-t[i]) over pairs where j is the
 *            first sample at least ramp.window_s after i and t[j] <=
 *            peak time: the slope over a window, so noise of +-n °C
 *            moves it by at most 2n/window. With sparse samples it is
 *            the slope between neighbours.
 *  cool      the same with the sign turned, over pairs with t[i] >=
 *            peak time.
 *  soak      time with soak.lo_c <= T <= soak.hi_c before the curve
 *            first reaches liquidus (or before the peak if it never
 *            does).
 *  tal       total time with T >= liquidus_c.
 *  peak      the highest sample, and its (first) time.
 *  near_peak total time with T >= peak - near_peak.delta_c.
 *  t25_peak  peak time minus the last upward crossing of
 *            t25_peak.from_c before the peak; unknown when the curve
 *            starts above that temperature.
 */
struct ecms_reflow_chmetrics {
	char name[ECMS_REFLOW_NAME_MAX];
	struct ecms_reflow_value m[ECMS_REFLOW_NMETRICS];
	double peak_time_s;    /* NAN when unknown */
	double start_c, end_c; /* first and last sample, NAN for CFX */
	double soak_enter_s;   /* first reaching soak.lo_c, NAN if never */
	double soak_exit_s;    /* first reaching soak.hi_c after that, or the
				  soak end; NAN if the band was never entered */
	double liquidus_in_s;  /* first upward crossing of liquidus, NAN */
	double liquidus_out_s; /* last downward crossing of liquidus, NAN */
	/* Private to the library: the samples within ECMS_REFLOW_HOT_SPAN_C
	 * of the peak (runs separated by a NAN temperature), so the check
	 * can measure the time near a component's rating. */
	size_t nhot;
	double *hot_t, *hot_c;
};

#define ECMS_REFLOW_HOT_SPAN_C 60.0

/* Over the channels whose value is known (exact or bound). */
struct ecms_reflow_extreme {
	size_t nknown;	      /* 0: min and max are NAN */
	double min, max;
	size_t min_ch, max_ch; /* channel indexes */
};

enum ecms_reflow_source {
	ECMS_REFLOW_SRC_CURVE,	     /* a thermocouple profile */
	ECMS_REFLOW_SRC_CFX_OVEN,    /* CFX ReflowProcessData (zone data) */
	ECMS_REFLOW_SRC_CFX_PROFILER /* CFX ReflowProfilingProcessData */
};

/* An oven zone reading from CFX: one per zone and sub-zone. */
struct ecms_reflow_zone {
	char name[ECMS_REFLOW_NAME_MAX]; /* "Zone3 Top" (StageName SubZone) */
	char type[16];			 /* ReflowZoneType: "Reflow", ... */
	int sequence;			 /* StageSequence */
	double setpoint_c;		 /* NAN when absent */
	double reading_c;		 /* NAN when absent */
};

#define ECMS_REFLOW_MAX_ZONES 256

struct ecms_reflow_metrics {
	enum ecms_reflow_source source;
	/* The analysis parameters used (copied from the window). */
	double liquidus_c, soak_lo_c, soak_hi_c, ramp_window_s;
	double near_peak_delta_c, t25_from_c;
	size_t nchannels;
	struct ecms_reflow_chmetrics *ch;
	struct ecms_reflow_extreme ext[ECMS_REFLOW_NMETRICS];
	/* CFX only (else 0 zones, NAN, ""). */
	size_t nzones;
	struct ecms_reflow_zone *zones;
	double conveyor_cm_min;	  /* measured conveyor speed */
	double oven_time_s;	  /* TimeDateUnitOut - TimeDateUnitIn */
	double pwi;		  /* ProductionUnitPWI, % of the window */
	char profiler_result[16]; /* Result: "Passed", "Failed", ... */
};

/* Free metrics. NULL is a no-op. */
void ecms_reflow_metrics_free(struct ecms_reflow_metrics *m);

/* ------------------------------------------------------------------
 * The profile window: limits per metric and analysis parameters
 * ------------------------------------------------------------------ */

/* Limits of one metric; NAN = not checked. Outside [min, max] is a
 * failure, outside [warn_min, warn_max] a warning. */
struct ecms_reflow_limits {
	double min, warn_min, warn_max, max;
};

struct ecms_reflow_window {
	/* Analysis parameters (keys in brackets). */
	double liquidus_c;	  /* [liquidus_c] 217 (SAC305); per paste */
	double soak_lo_c;	  /* [soak.lo_c] 150 */
	double soak_hi_c;	  /* [soak.hi_c] 200 */
	double ramp_window_s;	  /* [ramp.window_s] 5: slope distance */
	double near_peak_delta_c; /* [near_peak.delta_c] 5 */
	double t25_from_c;	  /* [t25_peak.from_c] 25 */
	/* Limits, keys "<metric>.min<u>", ".warn_min<u>", ".warn_max<u>",
	 * ".max<u>" with <u> "_c_s", "_s" or "_c" by the metric's unit:
	 * ramp.max_c_s 3, ramp.warn_max_c_s 2.5; soak.warn_min_s 60,
	 * soak.warn_max_s 120; tal.min_s 30, tal.warn_min_s 45,
	 * tal.warn_max_s 90, tal.max_s 150; peak.min_c 235, peak.max_c 250;
	 * near_peak.max_s 30; cool.warn_max_c_s 4, cool.max_c_s 6;
	 * t25_peak.max_s 480. The rest NAN ("none"). */
	struct ecms_reflow_limits lim[ECMS_REFLOW_NMETRICS];
	double passes_max;	  /* [passes.max] 3 reflow passes */
	double component_delta_c; /* [component.delta_c] 5 */
	double component_max_s;	  /* [component.max_s] 30 s within delta of
				     the lowest component rating */
	double zone_tol_c;	  /* [zone.tolerance_c] 5: CFX reading vs
				     setpoint, a warning */
	double pwi_max;		  /* [pwi.max] 100 % (CFX profiler) */
};

/* Fill w with the defaults listed above. */
void ecms_reflow_window_default(struct ecms_reflow_window *w);

/*
 * Set one key from its text form: a decimal number, or "none" (also ""
 * or "off") to drop a limit (not allowed for analysis parameters).
 * ECMS_EINVAL for an unknown key (the message lists the keys' pattern)
 * or a value out of range for it. Cross-key consistency (min <= max) is
 * checked by ecms_reflow_window_validate(), since rows arrive one by one.
 */
int ecms_reflow_window_set(struct ecms_reflow_window *w, const char *key,
			   const char *value, ecms_error *err) ECMS_WUR;

/* The text form of one key's value ("90", "2.5", "none") into buf.
 * ECMS_EINVAL for an unknown key, ECMS_EUSAGE for a buffer under 32
 * bytes. */
int ecms_reflow_window_get(const struct ecms_reflow_window *w, const char *key,
			   char *buf, size_t n, ecms_error *err) ECMS_WUR;

/* The i-th key (0-based), NULL past the last: for iterating. */
const char *ecms_reflow_window_key(size_t i);

enum { ECMS_REFLOW_DUMP_CHANGED = 1 }; /* only keys unlike the defaults */

/* "key=value\n" for every key (or only the changed ones), in key order.
 * *out is owned by the caller (ecms_free). ECMS_ENOMEM. */
int ecms_reflow_window_dump(const struct ecms_reflow_window *w, unsigned flags,
			    char **out /* OUT */, ecms_error *err) ECMS_WUR;

/* Consistency: soak.lo_c < soak.hi_c < liquidus_c, and for each metric
 * min <= warn_min <= warn_max <= max where set. ECMS_EINVAL naming the
 * keys. */
int ecms_reflow_window_validate(const struct ecms_reflow_window *w,
				ecms_error *err) ECMS_WUR;

/* ------------------------------------------------------------------
 * Analysis
 * ------------------------------------------------------------------ */

/*
 * Compute the metrics of every channel of p, and the extremes across
 * channels, with the analysis parameters of w (NULL: defaults).
 * *out is new (ecms_reflow_metrics_free). ECMS_EINVAL for an invalid
 * profile or window, ECMS_ENOMEM.
 */
int ecms_reflow_analyze(const struct ecms_reflow_profile *p,
			const struct ecms_reflow_window *w,
			struct ecms_reflow_metrics **out /* OUT */,
			ecms_error *err) ECMS_WUR;

/*
 * Metrics from a CFX UnitsProcessed process-data object (the
 * CommonProcessData or a UnitProcessData element), as jansson gives it.
 * Accepts $type ...SolderReflow.ReflowProcessData and
 * ...ReflowProfiling.ReflowProfilingProcessData (without $type, the
 * keys decide).
 *
 * Neither carries a board temperature curve: only oven zone setpoints
 * and readings (plus, from a profiler, its Result and PWI). So the
 * metrics hold one channel named after the hottest zone reading, whose
 * peak is an UPPER BOUND (the board is taken not to get hotter than the
 * hottest zone air: true for convection heating, an assumption the
 * caller should know), and every other metric is UNKNOWN with the
 * reason. The zones, conveyor speed, oven time, PWI and Result are kept.
 * w (NULL: defaults) supplies the analysis parameters recorded in *out.
 *
 * ECMS_EINVAL when data is not reflow process data or a value has the
 * wrong type or an implausible value (the message gives the JSON path),
 * ECMS_ENOMEM.
 */
int ecms_reflow_metrics_from_cfx(const struct json_t *data,
				 const struct ecms_reflow_window *w,
				 struct ecms_reflow_metrics **out /* OUT */,
				 ecms_error *err) ECMS_WUR;

/* ------------------------------------------------------------------
 * The check
 * ------------------------------------------------------------------ */

enum ecms_reflow_severity {
	ECMS_REFLOW_FAIL, /* outside a hard limit */
	ECMS_REFLOW_WARN, /* outside a warning limit */
	ECMS_REFLOW_INFO  /* a check that could not be made, and why */
};

/* "fail", "warn", "info". */
const char *ecms_reflow_severity_name(enum ecms_reflow_severity s);

/*
 * One finding. Codes are stable (store them); the text is for people.
 * For a per-channel metric, channel names the worst channel and the
 * text says how many channels are out.
 *
 *   reflow.ramp_high / ramp_low             ramp, °C/s
 *   reflow.soak_long / soak_short           soak, s
 *   reflow.tal_long / tal_short             time above liquidus, s
 *   reflow.peak_high / peak_low             peak, °C
 *   reflow.near_peak_long / near_peak_short time within delta of peak, s
 *   reflow.cool_fast / cool_slow            cooling rate, °C/s
 *   reflow.t25_peak_long / t25_peak_short   25 °C to peak, s
 *   reflow.component_peak_exceeded  fail: peak > lowest component rating
 *   reflow.component_time_exceeded  fail: time at or above rating -
 *                                   component.delta_c > component.max_s
 *   reflow.component_peak_unverified warn: only a bound of the peak is
 *                                   known and it is above the rating
 *   reflow.passes_exceeded          fail: pass_count > passes.max
 *   reflow.zone_deviation           warn: CFX zone reading off setpoint
 *   reflow.pwi_exceeded             fail: CFX profiler PWI > pwi.max
 *   reflow.profiler_failed          fail: CFX profiler Result not Passed
 *   reflow.skipped                  info: a check not made; metric names
 *                                   it, text says why
 */
struct ecms_reflow_finding {
	char code[40];
	enum ecms_reflow_severity severity;
	char metric[16];		    /* "peak", "component", "passes",
					       "zone", "pwi", "profiler" */
	char channel[ECMS_REFLOW_NAME_MAX]; /* worst channel/zone, or "" */
	double value;			    /* measured, NAN when none */
	double limit;			    /* the limit passed, NAN when none */
	char unit[8];			    /* "°C", "s", "°C/s", "%", "" */
	char text[384];			    /* one sentence */
};

/*
 * Check metrics against the window w (NULL: defaults), the lowest peak
 * rating (J-STD-020 Tc) of the components placed on the board
 * (min_component_peak_c; NAN when unknown) and the board's reflow pass
 * count including this one and rework (negative when unknown).
 *
 * Component rule (J-STD-020 user side): max peak over channels <= Tc,
 * and on every channel the time at or above Tc - component.delta_c is
 * at most component.max_s.
 *
 * Unknown metrics (and unknown rating or pass count) are not checked;
 * each gives a reflow.skipped INFO finding saying why. An upper bound
 * proves a maximum is kept, or a minimum is missed; otherwise it gives
 * reflow.skipped.
 *
 * *out is one array of *n findings (possibly 0; *out may then be NULL),
 * owned by the caller (ecms_free). Returns ECMS_OK whatever the
 * findings; ECMS_EINVAL for an inconsistent window or one whose
 * analysis parameters differ from those the metrics were made with;
 * ECMS_ENOMEM.
 */
int ecms_reflow_check(const struct ecms_reflow_window *w,
		      const struct ecms_reflow_metrics *m,
		      double min_component_peak_c, int pass_count,
		      struct ecms_reflow_finding **out /* OUT */,
		      size_t *n /* OUT */, ecms_error *err) ECMS_WUR;

/* ------------------------------------------------------------------
 * Synthetic SAC305 profiles (for the simulator and tests)
 * ------------------------------------------------------------------ */

/*
 * The shape of channel 0 (the hottest): 10 s at start_c (the logger
 * running before the oven), then up at preheat_c_s
 * to soak_lo_c, linear to soak_hi_c over soak_s, then a parabolic spike
 * that is liquidus_c wide for exactly tal_s and tops at peak_c (entered
 * and left at its own slope), cooling at cool_c_s below liquidus down to
 * end_c; smoothed over +-smooth_s. Channel k peaks spread_c*k lower,
 * lags lag_s*k, and carries triangular noise of +-noise_c, rounded to
 * 0.1 °C. Push peak_c, tal_s, cool_c_s or preheat_c_s past a limit to
 * make a failing board.
 */
struct ecms_reflow_synth_params {
	size_t nchannels;  /* 4 */
	double sample_s;   /* 0.5 */
	double start_c;	   /* 22: room temperature */
	double preheat_c_s; /* 1.4 */
	double soak_lo_c;  /* 150 */
	double soak_hi_c;  /* 190 */
	double soak_s;	   /* 90 */
	double liquidus_c; /* 217 */
	double peak_c;	   /* 243 */
	double tal_s;	   /* 60 */
	double cool_c_s;   /* 2.5 */
	double end_c;	   /* 50 */
	double spread_c;   /* 2 */
	double lag_s;	   /* 1.5 */
	double noise_c;	   /* 0.2 */
	double smooth_s;   /* 3 */
};

void ecms_reflow_synth_defaults(struct ecms_reflow_synth_params *p);

/*
 * A synthetic profile from p (NULL: defaults); the same seed and params
 * give the same curve. *out: ecms_reflow_profile_free. ECMS_EINVAL for
 * inconsistent parameters (named), ECMS_ENOMEM.
 */
int ecms_reflow_synth(uint64_t seed, const struct ecms_reflow_synth_params *p,
		      struct ecms_reflow_profile **out /* OUT */,
		      ecms_error *err) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif /* ECMS_REFLOW_H */
