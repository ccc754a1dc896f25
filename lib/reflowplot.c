/*
 * reflowplot.c: the reflow profile plot with cairo (see reflowplot.h):
 * layout, axes, shaded bands, curves, legend and peak marker; and the
 * SVG, PNG and PDF files made deterministic.
 */
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "ecms/reflowplot.h"
#include "reflow_int.h"

/* Line colours, one per thermocouple in turn (Tableau 10). */
static const double palette[][3] = {
	{0.122, 0.467, 0.706}, {0.839, 0.153, 0.157}, {0.173, 0.627, 0.173},
	{1.000, 0.498, 0.055}, {0.580, 0.404, 0.741}, {0.549, 0.337, 0.294},
	{0.890, 0.467, 0.761}, {0.498, 0.498, 0.498}, {0.737, 0.741, 0.133},
	{0.090, 0.745, 0.812}};

#define FONT "sans-serif"

/* The plot area and its data ranges. */
struct frame {
	double px, py, pw, ph;	   /* plot area in user units */
	double xmin, xmax, xstep;  /* seconds */
	double ymin, ymax, ystep;  /* °C */
	double fs;		   /* font size */
};

static double
fx(const struct frame *f, double t)
{
	return f->px + (t - f->xmin) / (f->xmax - f->xmin) * f->pw;
}

static double
fy(const struct frame *f, double c)
{
	return f->py + f->ph - (c - f->ymin) / (f->ymax - f->ymin) * f->ph;
}

/* A step of 1, 2 or 5 times a power of ten giving about n intervals. */
static double
nice_step(double span, double n)
{
	double raw = span / n, mag = pow(10, floor(log10(raw))), r = raw / mag;

	return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
}

/* Text at (x, y): ha 0 left, 0.5 centre, 1 right; y is the baseline. */
static void
text_at(cairo_t *cr, double x, double y, double ha, const char *s)
{
	cairo_text_extents_t te;

	cairo_text_extents(cr, s, &te);
	cairo_move_to(cr, x - ha * te.x_advance, y);
	cairo_show_text(cr, s);
}

static double
text_width(cairo_t *cr, const char *s)
{
	cairo_text_extents_t te;

	cairo_text_extents(cr, s, &te);
	return te.x_advance;
}

static char *
tick_label(double v, char *buf, size_t n)
{
	if (fabs(v) < 1e-9)
		v = 0;
	ecms__reflow_snprintf(buf, n, "%.10g", v);
	return buf;
}

static void
draw_band(cairo_t *cr, const struct frame *f, double lo, double hi, double r, double g,
	  double b, const char *label)
{
	double y0 = fy(f, hi), y1 = fy(f, lo);

	if (isnan(lo) || isnan(hi) || lo >= hi)
		return;
	cairo_set_source_rgb(cr, r, g, b);
	cairo_rectangle(cr, f->px, y0, f->pw, y1 - y0);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	cairo_set_font_size(cr, f->fs * 0.85);
	text_at(cr, f->px + f->pw - f->fs * 0.4, y0 + f->fs * 0.95, 1, label);
}

static void
draw_axes(cairo_t *cr, const struct frame *f)
{
	char buf[32];
	double v;
	long k;

	cairo_set_line_width(cr, 0.5);
	cairo_set_font_size(cr, f->fs);
	for (k = 0;; k++) {
		v = f->xmin + (double)k * f->xstep;
		if (v > f->xmax + f->xstep * 1e-6)
			break;
		cairo_set_source_rgb(cr, 0.86, 0.86, 0.86);
		cairo_move_to(cr, fx(f, v), f->py);
		cairo_line_to(cr, fx(f, v), f->py + f->ph);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_move_to(cr, fx(f, v), f->py + f->ph);
		cairo_line_to(cr, fx(f, v), f->py + f->ph + f->fs * 0.35);
		cairo_stroke(cr);
		text_at(cr, fx(f, v), f->py + f->ph + f->fs * 1.4, 0.5,
			tick_label(v, buf, sizeof(buf)));
	}
	for (k = 0;; k++) {
		v = f->ymin + (double)k * f->ystep;
		if (v > f->ymax + f->ystep * 1e-6)
			break;
		cairo_set_source_rgb(cr, 0.86, 0.86, 0.86);
		cairo_move_to(cr, f->px, fy(f, v));
		cairo_line_to(cr, f->px + f->pw, fy(f, v));
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_move_to(cr, f->px - f->fs * 0.35, fy(f, v));
		cairo_line_to(cr, f->px, fy(f, v));
		cairo_stroke(cr);
		text_at(cr, f->px - f->fs * 0.5, fy(f, v) + f->fs * 0.35, 1,
			tick_label(v, buf, sizeof(buf)));
	}
	cairo_set_line_width(cr, 0.8);
	cairo_rectangle(cr, f->px, f->py, f->pw, f->ph);
	cairo_stroke(cr);
	text_at(cr, f->px + f->pw / 2, f->py + f->ph + f->fs * 2.8, 0.5, "Time (s)");
	cairo_save(cr);
	cairo_translate(cr, f->px - f->fs * 3.6, f->py + f->ph / 2);
	cairo_rotate(cr, -M_PI / 2);
	text_at(cr, 0, 0, 0.5, "Temperature (\xc2\xb0" "C)");
	cairo_restore(cr);
}

/* One curve; above 4 samples per unit of width, the min and max of each
 * half unit are kept, in their order. */
static void
draw_curve(cairo_t *cr, const struct frame *f, const struct ecms_reflow_profile *p,
	   size_t c)
{
	const double *t = p->time_s, *y = p->ch[c].temp_c;
	size_t n = p->nsamples, i, nb = (size_t)(f->pw * 2) + 1;
	bool first = true;

	if (n <= 4 * nb) {
		for (i = 0; i < n; i++)
			if (i == 0)
				cairo_move_to(cr, fx(f, t[i]), fy(f, y[i]));
			else
				cairo_line_to(cr, fx(f, t[i]), fy(f, y[i]));
	} else {
		size_t lo = 0, hi = 0, bucket = 0;

		for (i = 0; i <= n; i++) {
			size_t b = i < n ? (size_t)((fx(f, t[i]) - f->px) / f->pw *
						     (double)(nb - 1))
					 : (size_t)-1;

			if (i < n && i > 0 && b == bucket) {
				if (y[i] < y[lo])
					lo = i;
				if (y[i] > y[hi])
					hi = i;
				continue;
			}
			if (i > 0) {
				size_t a = lo < hi ? lo : hi, z = lo < hi ? hi : lo;

				if (first)
					cairo_move_to(cr, fx(f, t[a]), fy(f, y[a]));
				else
					cairo_line_to(cr, fx(f, t[a]), fy(f, y[a]));
				cairo_line_to(cr, fx(f, t[z]), fy(f, y[z]));
				first = false;
			}
			lo = hi = i;
			bucket = b;
		}
	}
	cairo_set_source_rgb(cr, palette[c % 10][0], palette[c % 10][1],
			     palette[c % 10][2]);
	cairo_set_line_width(cr, 1.2);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_stroke(cr);
}

static void
draw_legend(cairo_t *cr, const struct frame *f, const struct ecms_reflow_profile *p)
{
	double row = f->fs * 1.3, x0 = f->px + f->fs * 0.6, y0 = f->py + f->fs * 0.6;
	double wmax = 0, boxw, boxh;
	size_t c, shown = p->nchannels, fit = (size_t)((f->ph * 0.6) / row);
	char more[32];

	cairo_set_font_size(cr, f->fs * 0.9);
	if (fit < 1)
		fit = 1;
	if (shown > fit)
		shown = fit - (fit > 1);
	for (c = 0; c < shown; c++)
		wmax = fmax(wmax, text_width(cr, p->ch[c].name));
	ecms__reflow_snprintf(more, sizeof(more), "+%zu more", p->nchannels - shown);
	if (shown < p->nchannels)
		wmax = fmax(wmax, text_width(cr, more));
	boxw = f->fs * 3.2 + wmax;
	boxh = row * (double)(shown + (shown < p->nchannels)) + f->fs * 0.5;
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x0, y0, boxw, boxh);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(cr, 0.5);
	cairo_stroke(cr);
	for (c = 0; c < shown; c++) {
		double yy = y0 + f->fs * 0.25 + row * ((double)c + 0.5);

		cairo_set_source_rgb(cr, palette[c % 10][0], palette[c % 10][1],
				     palette[c % 10][2]);
		cairo_set_line_width(cr, 2);
		cairo_move_to(cr, x0 + f->fs * 0.5, yy);
		cairo_line_to(cr, x0 + f->fs * 2.2, yy);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		text_at(cr, x0 + f->fs * 2.7, yy + f->fs * 0.3, 0, p->ch[c].name);
	}
	if (shown < p->nchannels) {
		cairo_set_source_rgb(cr, 0, 0, 0);
		text_at(cr, x0 + f->fs * 2.7,
			y0 + f->fs * 0.55 + row * ((double)shown + 0.5), 0, more);
	}
}

static void
draw_peak(cairo_t *cr, const struct frame *f, const struct ecms_reflow_metrics *m)
{
	const struct ecms_reflow_extreme *e = &m->ext[ECMS_REFLOW_PEAK];
	const struct ecms_reflow_chmetrics *c;
	double x, y;
	char buf[ECMS_REFLOW_NAME_MAX + 48];
	bool left;

	if (e->nknown == 0)
		return;
	c = &m->ch[e->max_ch];
	x = fx(f, c->peak_time_s);
	y = fy(f, e->max);
	cairo_set_source_rgb(cr, palette[e->max_ch % 10][0], palette[e->max_ch % 10][1],
			     palette[e->max_ch % 10][2]);
	cairo_arc(cr, x, y, f->fs * 0.35, 0, 2 * M_PI);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.8);
	cairo_stroke(cr);
	ecms__reflow_snprintf(buf, sizeof(buf), "peak %.1f \xc2\xb0" "C (%s, %.0f s)",
			      e->max, c->name, c->peak_time_s);
	cairo_set_font_size(cr, f->fs * 0.9);
	/* Left of the marker, above the curves rising to it and clear of the
	 * band labels at the right edge; to the right if there is no room. */
	left = x - f->fs - text_width(cr, buf) > f->px;
	text_at(cr, left ? x - f->fs * 0.7 : x + f->fs * 0.7, y - f->fs * 0.5,
		left ? 1 : 0, buf);
}

static void
draw_title(cairo_t *cr, double x, double y, double w, const struct frame *f,
	   const struct ecms_reflow_metrics *m)
{
	const struct ecms_reflow_extreme *pk = &m->ext[ECMS_REFLOW_PEAK];
	const struct ecms_reflow_extreme *tal = &m->ext[ECMS_REFLOW_TAL];
	char buf[128];
	size_t o = 0;

	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, f->fs * 1.1);
	text_at(cr, f->px, y + f->fs * 1.4, 0, "Reflow profile");
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, f->fs * 0.9);
	buf[0] = '\0';
	if (pk->nknown)
		o += (size_t)ecms__reflow_snprintf(buf, sizeof(buf), "peak %.1f-%.1f "
						   "\xc2\xb0" "C", pk->min, pk->max);
	if (tal->nknown && o < sizeof(buf))
		ecms__reflow_snprintf(buf + o, sizeof(buf) - o, "%sTAL %.0f-%.0f s",
				      o ? "   " : "", tal->min, tal->max);
	text_at(cr, x + w - f->fs * 1.2, y + f->fs * 1.4, 1, buf);
}

static int
cairo_fail(ecms_error *err, cairo_status_t st)
{
	return ecms__fail(err, st == CAIRO_STATUS_NO_MEMORY ? ECMS_ENOMEM : ECMS_EINTERNAL,
			  NULL, "cairo: %s", cairo_status_to_string(st));
}

int
ecms_reflow_plot_draw(cairo_t *cr, double x, double y, double w, double h,
		      const struct ecms_reflow_profile *p,
		      const struct ecms_reflow_window *win,
		      const struct ecms_reflow_metrics *m, ecms_error *err)
{
	struct ecms_reflow_window defw;
	struct ecms_reflow_metrics *own = NULL;
	struct frame f;
	double ylo = 0, yhi, top, left, bottom, lab;
	char buf[96], a[32], b[32];
	size_t c, i;
	int rc;

	if (cr == NULL || cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return cr ? cairo_fail(err, cairo_status(cr))
			  : ecms__fail(err, ECMS_EUSAGE, NULL, "no cairo context");
	if (!(w >= ECMS_REFLOW_PLOT_MIN_PT && h >= ECMS_REFLOW_PLOT_MIN_PT / 2) ||
	    !isfinite(x) || !isfinite(y) || !isfinite(w) || !isfinite(h))
		return ecms__fail(err, ECMS_EINVAL, "size", "a plot rectangle of %g x %g "
				  "is too small; at least %g x %g", w, h,
				  ECMS_REFLOW_PLOT_MIN_PT, ECMS_REFLOW_PLOT_MIN_PT / 2);
	if (win == NULL) {
		ecms_reflow_window_default(&defw);
		win = &defw;
	}
	rc = ecms_reflow_window_validate(win, err);
	if (rc == ECMS_OK)
		rc = ecms_reflow_profile_validate(p, err);
	if (rc)
		return rc;
	if (m == NULL) {
		rc = ecms_reflow_analyze(p, win, &own, err);
		if (rc)
			return rc;
		m = own;
	} else if (m->source != ECMS_REFLOW_SRC_CURVE || m->nchannels != p->nchannels) {
		return ecms__fail(err, ECMS_EINVAL, "metrics", "the metrics are not those "
				  "of this profile (%zu channels, %zu in the profile)",
				  m->nchannels, p->nchannels);
	}

	/* Layout and ranges. */
	f.fs = fmin(11, fmax(7, fmin(w, h) / 32));
	left = f.fs * 5.2;
	bottom = f.fs * 3.6;
	top = f.fs * 2.4;
	f.px = x + left;
	f.py = y + top;
	f.pw = w - left - f.fs * 1.2;
	f.ph = h - top - bottom;
	yhi = fmax(win->liquidus_c, win->soak_hi_c);
	if (!isnan(win->lim[ECMS_REFLOW_PEAK].max))
		yhi = fmax(yhi, win->lim[ECMS_REFLOW_PEAK].max);
	for (c = 0; c < p->nchannels; c++)
		for (i = 0; i < p->nsamples; i++) {
			yhi = fmax(yhi, p->ch[c].temp_c[i]);
			ylo = fmin(ylo, p->ch[c].temp_c[i]);
		}
	yhi += 10;
	f.xstep = nice_step(p->time_s[p->nsamples - 1] - p->time_s[0], 8);
	f.xmin = floor(p->time_s[0] / f.xstep) * f.xstep;
	f.xmax = ceil(p->time_s[p->nsamples - 1] / f.xstep) * f.xstep;
	f.ystep = nice_step(yhi - ylo, 6);
	f.ymin = floor(ylo / f.ystep) * f.ystep;
	f.ymax = ceil(yhi / f.ystep) * f.ystep;

	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	draw_title(cr, x, y, w, &f, m);

	cairo_save(cr);
	cairo_rectangle(cr, f.px, f.py, f.pw, f.ph);
	cairo_clip(cr);
	ecms__reflow_snprintf(buf, sizeof(buf), "soak %s-%s \xc2\xb0" "C",
			      ecms__reflow_fmt_num(win->soak_lo_c, a, sizeof(a)),
			      ecms__reflow_fmt_num(win->soak_hi_c, b, sizeof(b)));
	draw_band(cr, &f, win->soak_lo_c, win->soak_hi_c, 0.86, 0.94, 0.86, buf);
	ecms__reflow_snprintf(buf, sizeof(buf), "peak window %s-%s \xc2\xb0" "C",
			      ecms__reflow_fmt_num(win->lim[ECMS_REFLOW_PEAK].min, a,
						   sizeof(a)),
			      ecms__reflow_fmt_num(win->lim[ECMS_REFLOW_PEAK].max, b,
						   sizeof(b)));
	draw_band(cr, &f, win->lim[ECMS_REFLOW_PEAK].min, win->lim[ECMS_REFLOW_PEAK].max,
		  1.0, 0.87, 0.87, buf);
	cairo_restore(cr);

	draw_axes(cr, &f);

	cairo_save(cr);
	cairo_rectangle(cr, f.px, f.py, f.pw, f.ph);
	cairo_clip(cr);
	lab = fy(&f, win->liquidus_c);
	cairo_set_source_rgb(cr, 0.85, 0.37, 0.0);
	cairo_set_line_width(cr, 1);
	cairo_set_dash(cr, (const double[]){5, 3}, 2, 0);
	cairo_move_to(cr, f.px, lab);
	cairo_line_to(cr, f.px + f.pw, lab);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_set_font_size(cr, f.fs * 0.85);
	ecms__reflow_snprintf(buf, sizeof(buf), "liquidus %s \xc2\xb0" "C",
			      ecms__reflow_fmt_num(win->liquidus_c, a, sizeof(a)));
	text_at(cr, f.px + f.pw - f.fs * 0.4, lab - f.fs * 0.3, 1, buf);
	for (c = 0; c < p->nchannels; c++)
		draw_curve(cr, &f, p, c);
	draw_peak(cr, &f, m);
	draw_legend(cr, &f, p);
	cairo_restore(cr);

	cairo_restore(cr);
	ecms_reflow_metrics_free(own);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return cairo_fail(err, cairo_status(cr));
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------ */

struct sink {
	ecms_buf b;
	int rc;
};

static cairo_status_t
sink_write(void *closure, const unsigned char *data, unsigned int n)
{
	struct sink *s = closure;
	int rc = ecms__buf_add(&s->b, data, n);

	if (rc) {
		if (s->rc == ECMS_OK)
			s->rc = rc;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

static bool
is_dig(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * cairo numbers an SVG's surfaces ("surface6") from a counter global to
 * the process; renumber them in order of appearance so the same plot
 * gives the same bytes.
 */
static int
svg_renumber(ecms_buf *b)
{
	static const char tag[] = "surface";
	unsigned long seen[64];
	size_t nseen = 0, i = 0, tl = sizeof(tag) - 1;
	ecms_buf o;
	int rc = ECMS_OK;

	ecms__buf_init(&o, b->max);
	while (rc == ECMS_OK && i < b->len) {
		const char *hit = memmem(b->data + i, b->len - i, tag, tl);
		size_t at, d, k;
		unsigned long num = 0;

		if (hit == NULL) {
			rc = ecms__buf_add(&o, b->data + i, b->len - i);
			break;
		}
		at = (size_t)(hit - b->data);
		rc = ecms__buf_add(&o, b->data + i, at + tl - i);
		for (d = at + tl; d < b->len && d - at - tl < 9 && is_dig(b->data[d]); d++)
			num = num * 10 + (unsigned long)(b->data[d] - '0');
		i = d;
		if (d == at + tl || rc)
			continue;
		for (k = 0; k < nseen && seen[k] != num; k++)
			;
		if (k == nseen) {
			if (nseen == ECMS_ARRAY_LEN(seen)) {
				rc = ECMS_EINTERNAL;
				break;
			}
			seen[nseen++] = num;
		}
		rc = ecms__buf_printf(&o, "%zu", k + 1);
	}
	if (rc) {
		ecms__buf_cleanup(&o);
		return rc;
	}
	ecms__buf_cleanup(b);
	*b = o;
	return ECMS_OK;
}

int
ecms_reflow_plot(const struct ecms_reflow_profile *p,
		 const struct ecms_reflow_window *win,
		 const struct ecms_reflow_metrics *m, enum ecms_reflow_plot_fmt fmt,
		 double width_pt, double height_pt, unsigned char **out, size_t *len,
		 ecms_error *err)
{
	struct sink sk;
	cairo_surface_t *s;
	cairo_status_t st;
	cairo_t *cr;
	double scale = 1;
	int rc;

	*out = NULL;
	*len = 0;
	if (!(width_pt >= ECMS_REFLOW_PLOT_MIN_PT && width_pt <= ECMS_REFLOW_PLOT_MAX_PT &&
	      height_pt >= ECMS_REFLOW_PLOT_MIN_PT && height_pt <= ECMS_REFLOW_PLOT_MAX_PT))
		return ecms__fail(err, ECMS_EINVAL, "size", "plot size %g x %g pt is not "
				  "within %g..%g pt", width_pt, height_pt,
				  ECMS_REFLOW_PLOT_MIN_PT, ECMS_REFLOW_PLOT_MAX_PT);
	ecms__buf_init(&sk.b, ECMS_REFLOW_PLOT_MAX_BYTES);
	sk.rc = ECMS_OK;
	switch (fmt) {
	case ECMS_REFLOW_PLOT_SVG:
		s = cairo_svg_surface_create_for_stream(sink_write, &sk, width_pt, height_pt);
		break;
	case ECMS_REFLOW_PLOT_PDF:
		s = cairo_pdf_surface_create_for_stream(sink_write, &sk, width_pt, height_pt);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Reflow profile");
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "ecms");
		/* cairo stamps the current time unless given a date; one it
		 * cannot read makes it leave the date out (the tests check). */
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "none");
		break;
	case ECMS_REFLOW_PLOT_PNG:
		scale = ECMS_REFLOW_PLOT_PNG_PX_PER_PT;
		s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)ceil(width_pt * scale),
					       (int)ceil(height_pt * scale));
		break;
	default:
		return ecms__fail(err, ECMS_EINVAL, "format", "unknown plot format %d",
				  (int)fmt);
	}
	cr = cairo_create(s);
	cairo_scale(cr, scale, scale);
	rc = ecms_reflow_plot_draw(cr, 0, 0, width_pt, height_pt, p, win, m, err);
	cairo_destroy(cr);
	if (rc == ECMS_OK && fmt == ECMS_REFLOW_PLOT_PNG) {
		st = cairo_surface_write_to_png_stream(s, sink_write, &sk);
		if (st != CAIRO_STATUS_SUCCESS && sk.rc == ECMS_OK)
			rc = cairo_fail(err, st);
	}
	cairo_surface_finish(s);
	st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (sk.rc != ECMS_OK) /* the cause of any cairo write error */
		rc = sk.rc == ECMS_EINVAL
			     ? ecms__fail(err, ECMS_EINVAL, NULL, "the plot is larger than "
					  "%zu bytes", ECMS_REFLOW_PLOT_MAX_BYTES)
			     : ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory for the plot");
	else if (rc == ECMS_OK && st != CAIRO_STATUS_SUCCESS)
		rc = cairo_fail(err, st);
	if (rc == ECMS_OK && fmt == ECMS_REFLOW_PLOT_SVG && (rc = svg_renumber(&sk.b)) != 0)
		rc = ecms__fail(err, rc, NULL, rc == ECMS_EINTERNAL ? "SVG with too many "
				"surfaces" : "out of memory for the plot");
	if (rc == ECMS_OK) {
		*len = sk.b.len;
		*out = (unsigned char *)ecms__buf_take(&sk.b);
		if (*out == NULL) {
			*len = 0;
			rc = ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory for the plot");
		}
	}
	ecms__buf_cleanup(&sk.b);
	return rc;
}
