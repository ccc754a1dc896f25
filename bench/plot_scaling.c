/*
 * plot_scaling.c: how ingest rate, size and trace latency grow with the
 * number of boards, from the results-N.json files of `make bench-scaling`
 * (bench/plant_bench.c), as one PNG with three panels (cairo), ecms and
 * the baseline on log-scaled axes.
 *
 *   plot_scaling OUT.png results-A.json [results-B.json ...]
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <jansson.h>

#define MAXPTS 16

struct series {
	const char *title, *unit, *figure;
	double x[MAXPTS], e[MAXPTS], b[MAXPTS];
	int n;
};

static struct series panels[] = {
	{ "Ingest (CFX path)",
	  "placements/s",
	  "ingest, CFX production path (MaterialsInstalled)",
	  { 0 },
	  { 0 },
	  { 0 },
	  0 },
	{ "Ingest (store alone)",
	  "placements/s",
	  "ingest, store alone (ecms: timeline only)",
	  { 0 },
	  { 0 },
	  { 0 },
	  0 },
	{ "Size after checkpoint",
	  "bytes / placement",
	  "bytes per placement after checkpoint (CFX path)",
	  { 0 },
	  { 0 },
	  { 0 },
	  0 },
	{ "Backward trace p99", "ms", "backward trace p99", { 0 }, { 0 }, { 0 }, 0 },
	{ "Forward trace p50, ~2 % lot",
	  "ms",
	  "forward trace p50, lot on",
	  { 0 },
	  { 0 },
	  { 0 },
	  0 },
	{ "Peak RSS of ingest", "MB", "peak RSS of ingest (CFX path)", { 0 }, { 0 }, { 0 }, 0 },
};
#define NPANELS (sizeof(panels) / sizeof(panels[0]))

static double
num(json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static void
load(const char *path)
{
	json_error_t err;
	json_t *root = json_load_file(path, 0, &err), *figs, *f;
	double boards;
	size_t i;

	if (root == NULL) {
		fprintf(stderr, "plot_scaling: %s:%d: %s\n", path, err.line, err.text);
		exit(1);
	}
	boards = num(json_object_get(json_object_get(root, "scale"), "boards"));
	figs = json_object_get(root, "figures");
	for (size_t p = 0; p < NPANELS; p++) {
		struct series *s = &panels[p];
		json_array_foreach(figs, i, f) {
			const char *name = json_string_value(json_object_get(f, "name"));
			if (name && strncmp(name, s->figure, strlen(s->figure)) == 0 &&
			    s->n < MAXPTS) {
				s->x[s->n] = boards;
				s->e[s->n] = num(json_object_get(f, "ecms"));
				s->b[s->n] = num(json_object_get(f, "baseline"));
				s->n++;
				break;
			}
		}
	}
	json_decref(root);
}

static void
sort_series(struct series *s)
{
	for (int i = 1; i < s->n; i++)
		for (int j = i; j > 0 && s->x[j - 1] > s->x[j]; j--) {
			double t;
			t = s->x[j], s->x[j] = s->x[j - 1], s->x[j - 1] = t;
			t = s->e[j], s->e[j] = s->e[j - 1], s->e[j - 1] = t;
			t = s->b[j], s->b[j] = s->b[j - 1], s->b[j - 1] = t;
		}
}

static void
text(cairo_t *cr, double x, double y, double size, const char *s, double align)
{
	cairo_text_extents_t ext;

	cairo_set_font_size(cr, size);
	cairo_text_extents(cr, s, &ext);
	cairo_move_to(cr, x - ext.width * align, y);
	cairo_show_text(cr, s);
}

static void
label_num(double v, char *buf, size_t n)
{
	if (v >= 1e6)
		snprintf(buf, n, "%gM", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, n, "%gk", v / 1e3);
	else
		snprintf(buf, n, "%g", v);
}

static void
panel(cairo_t *cr, const struct series *s, double X, double Y, double W, double H)
{
	double lo = INFINITY, hi = -INFINITY, xlo = INFINITY, xhi = -INFINITY;
	double px = X + 60, py = Y + 30, pw = W - 80, ph = H - 75;
	char buf[64];

	for (int i = 0; i < s->n; i++) {
		double v[2] = { s->e[i], s->b[i] };
		for (int k = 0; k < 2; k++)
			if (!isnan(v[k]) && v[k] > 0) {
				lo = fmin(lo, v[k]);
				hi = fmax(hi, v[k]);
			}
		xlo = fmin(xlo, s->x[i]);
		xhi = fmax(xhi, s->x[i]);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	text(cr, X + W / 2, Y + 18, 14, s->title, 0.5);
	if (s->n == 0 || !isfinite(lo)) {
		text(cr, X + W / 2, Y + H / 2, 12, "no data", 0.5);
		return;
	}
	lo = pow(10, floor(log10(lo)));
	hi = pow(10, ceil(log10(hi)));
	if (hi <= lo)
		hi = lo * 10;
	xlo = pow(10, floor(log10(xlo)));
	xhi = pow(10, ceil(log10(xhi)));
	if (xhi <= xlo)
		xhi = xlo * 10;
	/* Axes and decade grid. */
	cairo_set_line_width(cr, 1);
	for (double d = lo; d <= hi * 1.001; d *= 10) {
		double y = py + ph - ph * (log10(d) - log10(lo)) / (log10(hi) - log10(lo));
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, px, y);
		cairo_line_to(cr, px + pw, y);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		label_num(d, buf, sizeof(buf));
		text(cr, px - 5, y + 4, 10, buf, 1);
	}
	for (double d = xlo; d <= xhi * 1.001; d *= 10) {
		double x = px + pw * (log10(d) - log10(xlo)) / (log10(xhi) - log10(xlo));
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, x, py);
		cairo_line_to(cr, x, py + ph);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		label_num(d, buf, sizeof(buf));
		text(cr, x, py + ph + 14, 10, buf, 0.5);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_rectangle(cr, px, py, pw, ph);
	cairo_stroke(cr);
	text(cr, px + pw / 2, py + ph + 30, 11, "boards", 0.5);
	cairo_save(cr);
	cairo_move_to(cr, X + 14, py + ph / 2);
	cairo_rotate(cr, -M_PI / 2);
	cairo_set_font_size(cr, 11);
	{
		cairo_text_extents_t ext;
		cairo_text_extents(cr, s->unit, &ext);
		cairo_rel_move_to(cr, -ext.width / 2, 0);
	}
	cairo_show_text(cr, s->unit);
	cairo_restore(cr);
	/* The two series. */
	for (int k = 0; k < 2; k++) {
		bool first = true;
		if (k == 0)
			cairo_set_source_rgb(cr, 0.05, 0.35, 0.75);
		else
			cairo_set_source_rgb(cr, 0.85, 0.35, 0.1);
		cairo_set_line_width(cr, 2);
		for (int i = 0; i < s->n; i++) {
			double v = k == 0 ? s->e[i] : s->b[i], x, y;
			if (isnan(v) || v <= 0)
				continue;
			x = px + pw * (log10(s->x[i]) - log10(xlo)) / (log10(xhi) - log10(xlo));
			y = py + ph - ph * (log10(v) - log10(lo)) / (log10(hi) - log10(lo));
			if (first)
				cairo_move_to(cr, x, y);
			else
				cairo_line_to(cr, x, y);
			first = false;
		}
		cairo_stroke(cr);
		for (int i = 0; i < s->n; i++) {
			double v = k == 0 ? s->e[i] : s->b[i], x, y;
			if (isnan(v) || v <= 0)
				continue;
			x = px + pw * (log10(s->x[i]) - log10(xlo)) / (log10(xhi) - log10(xlo));
			y = py + ph - ph * (log10(v) - log10(lo)) / (log10(hi) - log10(lo));
			cairo_arc(cr, x, y, 3.5, 0, 2 * M_PI);
			cairo_fill(cr);
		}
	}
}

int
main(int argc, char **argv)
{
	const int cols = 3, rows = 2, W = 420, H = 300;
	cairo_surface_t *sf;
	cairo_t *cr;

	if (argc < 3) {
		fprintf(stderr, "usage: %s OUT.png results.json...\n", argv[0]);
		return 2;
	}
	for (int i = 2; i < argc; i++)
		load(argv[i]);
	sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, cols * W, rows * H + 40);
	cr = cairo_create(sf);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	for (size_t p = 0; p < NPANELS; p++) {
		sort_series(&panels[p]);
		panel(cr, &panels[p], (double)(p % cols) * W, (double)(p / cols) * H, W, H);
	}
	/* Legend. */
	cairo_set_source_rgb(cr, 0.05, 0.35, 0.75);
	cairo_rectangle(cr, 40, rows * H + 15, 20, 4);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	text(cr, 66, rows * H + 22, 12, "ecms", 0);
	cairo_set_source_rgb(cr, 0.85, 0.35, 0.1);
	cairo_rectangle(cr, 130, rows * H + 15, 20, 4);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	text(cr, 156, rows * H + 22, 12,
	     "baseline: one row per placement in SQLite (bench/plant_bench.c)", 0);
	cairo_destroy(cr);
	if (cairo_surface_write_to_png(sf, argv[1]) != CAIRO_STATUS_SUCCESS) {
		fprintf(stderr, "plot_scaling: cannot write %s\n", argv[1]);
		return 1;
	}
	cairo_surface_destroy(sf);
	return 0;
}
