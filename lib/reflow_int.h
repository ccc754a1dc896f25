/*
 * reflow_int.h: what the files of the reflow module (reflow.c,
 * reflow_window.c, reflow_analyze.c, reflow_check.c, reflowplot.c)
 * share and nobody else needs: locale-free number text, the piecewise
 * linear curve helpers, and message quoting.
 */
#ifndef ECMS_REFLOW_INT_H
#define ECMS_REFLOW_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "ecms/reflow.h"
#include "ecms_int.h"

/* Parse a whole decimal number ([+-]digits[.digits][e[+-]digits], a
 * '.' decimal point in any locale, correctly rounded) into *out. False
 * for anything else, including inf, nan, hex and surrounding blanks. */
bool ecms__reflow_parse_num(const char *s, double *out);

/* The shortest text that parses back to exactly v ("217", "2.5",
 * "1e-07"), '.' decimal point in any locale, into buf (>= 32 bytes).
 * NAN gives "none". Returns buf. */
char *ecms__reflow_fmt_num(double v, char *buf, size_t n);

/* snprintf with the "C" numeric locale, whatever the process uses. */
int ecms__reflow_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
	ECMS_PRINTF(3, 0);
int ecms__reflow_snprintf(char *buf, size_t n, const char *fmt, ...)
	ECMS_PRINTF(3, 4);

/* Copy s for quoting in a message: control bytes become '?', and text
 * beyond 40 bytes is cut with "...". out holds at least 48 bytes. */
void ecms__reflow_quote(const char *s, char *out, size_t n);

/* Of the segment (t0,y0)-(t1,y1), the time with y >= th (linear). */
double ecms__reflow_seg_above(double t0, double y0, double t1, double y1,
			      double th);

/* The time t where the segment crosses th (y0 != y1 and th between). */
double ecms__reflow_cross(double t0, double y0, double t1, double y1,
			  double th);

/* Whether m was computed with w's analysis parameters. */
bool ecms__reflow_same_params(const struct ecms_reflow_window *w,
			      const struct ecms_reflow_metrics *m);

/* A metrics struct with nch zeroed channels whose values are UNKNOWN
 * and times NAN, the window's analysis parameters copied, CFX fields
 * empty. NULL on ENOMEM. */
struct ecms_reflow_metrics *ecms__reflow_metrics_alloc(
	size_t nch, const struct ecms_reflow_window *w);

/* Fill m->ext from the channels. */
void ecms__reflow_extremes(struct ecms_reflow_metrics *m);

/* Time with T >= th on channel c's stored hot curve; *lower_bound set
 * when th is below the stored range (the result is then a lower bound).
 * NAN when the channel has no hot curve. */
double ecms__reflow_time_above(const struct ecms_reflow_chmetrics *c, double th,
			       bool *lower_bound);

#endif /* ECMS_REFLOW_INT_H */
