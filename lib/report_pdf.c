/*
 * report_pdf.c: the reports as A4 PDFs drawn with cairo: a small layout
 * engine (running header and footer with "page i of n", headings,
 * label/value blocks, tables with wrapped cells, shaded header rows that
 * repeat after a page break, coloured results), the reflow plot from
 * reflowplot.c, and the three documents: board birth certificate, order
 * package, compliance report.
 *
 * Each document is laid out twice: once to count its pages (into a sink
 * that discards), then for real, so every footer can say "page i of n".
 * The PDF carries no creation date: the same data gives the same bytes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>

#include "ecms/reflowplot.h"
#include "master.h"
#include "report_int.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 48.0
#define TOP    64.0
#define BOTTOM (PAGE_H - 62.0)
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define FONT   "sans-serif"

/* Colours. */
#define INK    0.13, 0.15, 0.18
#define GREY   0.42, 0.45, 0.50
#define RULE   0.80, 0.82, 0.85
#define ACCENT 0.09, 0.29, 0.52
#define HEADBG 0.91, 0.93, 0.96
#define ZEBRA  0.972, 0.976, 0.984

struct pdf {
	ecms *h;
	cairo_surface_t *s;
	cairo_t *cr;
	ecms_buf buf;
	int wrc;       /* write error */
	bool counting; /* pass 1: count pages only */
	int page;      /* current page, from 1 */
	int total;     /* pages of the document (pass 2) */
	double y;
	char title[200]; /* running header */
	char foot1[200]; /* footer lines */
	char foot2[200];
};

static cairo_status_t
sink(void *arg, const unsigned char *data, unsigned int n)
{
	struct pdf *pd = arg;

	if (pd->counting)
		return CAIRO_STATUS_SUCCESS;
	if (ecms__buf_add(&pd->buf, data, n)) {
		pd->wrc = ECMS_ENOMEM;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

static void
font(struct pdf *pd, double size, bool bold)
{
	cairo_select_font_face(pd->cr, FONT, CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(pd->cr, size);
}

static double
width_of(struct pdf *pd, const char *s)
{
	cairo_text_extents_t te;

	cairo_text_extents(pd->cr, s, &te);
	return te.x_advance;
}

static void
show(struct pdf *pd, double x, double y, double align, const char *s)
{
	cairo_move_to(pd->cr, x - align * width_of(pd, s), y);
	cairo_show_text(pd->cr, s);
}

static void
hline(struct pdf *pd, double x0, double x1, double y, double w)
{
	cairo_set_line_width(pd->cr, w);
	cairo_move_to(pd->cr, x0, y);
	cairo_line_to(pd->cr, x1, y);
	cairo_stroke(pd->cr);
}

/* ------------------------------------------------------------------
 * Text wrapping
 * ------------------------------------------------------------------ */

#define MAX_LINES 64

struct lines {
	size_t n;
	char l[MAX_LINES][256];
};

static void
emit(struct lines *out, const char *s)
{
	if (out->n < MAX_LINES)
		snprintf(out->l[out->n++], sizeof(out->l[0]), "%s", s);
}

/* Break s into lines no wider than w with the current font: at spaces,
 * or inside a word that alone is too wide (hashes, UIDs; at UTF-8
 * character boundaries); '\n' forces a break. */
static void
wrap(struct pdf *pd, const char *s, double w, struct lines *out)
{
	char cur[256] = "", word[256], trial[520];

	out->n = 0;
	while (s && *s) {
		size_t wl = 0;
		if (*s == '\n') {
			emit(out, cur);
			cur[0] = '\0';
			s++;
			continue;
		}
		if (*s == ' ') {
			s++;
			continue;
		}
		while (s[wl] && s[wl] != ' ' && s[wl] != '\n')
			wl++;
		if (wl > sizeof(word) - 1)
			wl = sizeof(word) - 1;
		memcpy(word, s, wl);
		word[wl] = '\0';
		s += wl;
		while (width_of(pd, word) > w && strlen(word) > 1) {
			size_t m = 1, n = strlen(word);
			char part[256];
			if (*cur) {
				emit(out, cur);
				cur[0] = '\0';
			}
			for (size_t k = 1; k < n; k++) {
				if (((unsigned char)word[k] & 0xC0) == 0x80)
					continue;
				memcpy(part, word, k);
				part[k] = '\0';
				if (width_of(pd, part) > w)
					break;
				m = k;
			}
			memcpy(part, word, m);
			part[m] = '\0';
			emit(out, part);
			memmove(word, word + m, n - m + 1);
		}
		snprintf(trial, sizeof(trial), "%s%s%s", cur, *cur ? " " : "", word);
		if (*cur == '\0' || width_of(pd, trial) <= w) {
			ecms__strlcpy(cur, trial, sizeof(cur));
		} else {
			emit(out, cur);
			snprintf(cur, sizeof(cur), "%s", word);
		}
	}
	if (*cur || out->n == 0)
		emit(out, cur);
}

/* ------------------------------------------------------------------
 * Pages
 * ------------------------------------------------------------------ */

static void
page_frame(struct pdf *pd)
{
	char pg[64];

	cairo_set_source_rgb(pd->cr, GREY);
	font(pd, 7.5, false);
	show(pd, MARGIN, 36, 0, pd->title);
	font(pd, 7.5, true);
	show(pd, PAGE_W - MARGIN, 36, 1, "ecms traceability");
	cairo_set_source_rgb(pd->cr, RULE);
	hline(pd, MARGIN, PAGE_W - MARGIN, 44, 0.6);
	hline(pd, MARGIN, PAGE_W - MARGIN, PAGE_H - 48, 0.6);
	cairo_set_source_rgb(pd->cr, GREY);
	font(pd, 6.5, false);
	show(pd, MARGIN, PAGE_H - 38, 0, pd->foot1);
	show(pd, MARGIN, PAGE_H - 29, 0, pd->foot2);
	snprintf(pg, sizeof(pg), "Page %d of %d", pd->page, pd->total ? pd->total : pd->page);
	font(pd, 7.5, false);
	show(pd, PAGE_W - MARGIN, PAGE_H - 38, 1, pg);
	cairo_set_source_rgb(pd->cr, INK);
}

static void
new_page(struct pdf *pd)
{
	if (pd->page > 0)
		cairo_show_page(pd->cr);
	pd->page++;
	page_frame(pd);
	pd->y = TOP;
}

/* Make room for h units: a new page when the rest would not hold it. */
static bool
need(struct pdf *pd, double h)
{
	if (pd->y + h <= BOTTOM)
		return false;
	new_page(pd);
	return true;
}

/* ------------------------------------------------------------------
 * Blocks
 * ------------------------------------------------------------------ */

static void
title_block(struct pdf *pd, const char *title, const char *subtitle)
{
	need(pd, 60);
	cairo_set_source_rgb(pd->cr, ACCENT);
	font(pd, 19, true);
	show(pd, MARGIN, pd->y + 16, 0, title);
	cairo_set_source_rgb(pd->cr, GREY);
	font(pd, 10, false);
	if (subtitle)
		show(pd, MARGIN, pd->y + 34, 0, subtitle);
	cairo_set_source_rgb(pd->cr, ACCENT);
	hline(pd, MARGIN, PAGE_W - MARGIN, pd->y + 44, 1.6);
	cairo_set_source_rgb(pd->cr, INK);
	pd->y += 58;
}

static void
heading(struct pdf *pd, const char *text)
{
	need(pd, 60); /* a heading does not end a page */
	pd->y += 8;
	cairo_set_source_rgb(pd->cr, ACCENT);
	cairo_rectangle(pd->cr, MARGIN, pd->y + 1, 3, 12);
	cairo_fill(pd->cr);
	font(pd, 11.5, true);
	show(pd, MARGIN + 9, pd->y + 11.5, 0, text);
	cairo_set_source_rgb(pd->cr, INK);
	pd->y += 22;
}

static void
subheading(struct pdf *pd, const char *text)
{
	need(pd, 72); /* with the start of what follows */
	font(pd, 9.5, true);
	cairo_set_source_rgb(pd->cr, INK);
	show(pd, MARGIN, pd->y + 9, 0, text);
	pd->y += 15;
}

static void
paragraph(struct pdf *pd, const char *text, double size, bool grey)
{
	struct lines ls;

	font(pd, size, false);
	wrap(pd, text, TEXT_W, &ls);
	cairo_set_source_rgb(pd->cr, grey ? 0.42 : 0.13, grey ? 0.45 : 0.15, grey ? 0.50 : 0.18);
	for (size_t i = 0; i < ls.n; i++) {
		need(pd, size * 1.35);
		show(pd, MARGIN, pd->y + size, 0, ls.l[i]);
		pd->y += size * 1.35;
	}
	cairo_set_source_rgb(pd->cr, INK);
	pd->y += 3;
}

static void result_colour(struct pdf *pd, const char *s);

/* Label/value pairs in two columns: kv is an array of [label, value]. */
static void
kv_block(struct pdf *pd, const json_t *kv)
{
	double colw = TEXT_W / 2, lw = 112, y0;
	size_t i, n = json_array_size(kv);

	for (i = 0; i < n; i += 2) {
		double rowh = 14;
		struct lines ls[2];
		for (size_t c = 0; c < 2 && i + c < n; c++) {
			font(pd, 9, false);
			wrap(pd, json_string_value(json_array_get(json_array_get(kv, i + c), 1)),
			     colw - lw - 8, &ls[c]);
			if (ls[c].n * 11.5 + 3 > rowh)
				rowh = ls[c].n * 11.5 + 3;
		}
		need(pd, rowh);
		y0 = pd->y;
		for (size_t c = 0; c < 2 && i + c < n; c++) {
			const json_t *pair = json_array_get(kv, i + c);
			double x = MARGIN + c * colw;
			cairo_set_source_rgb(pd->cr, GREY);
			font(pd, 8, false);
			show(pd, x, y0 + 9, 0, json_string_value(json_array_get(pair, 0)));
			result_colour(pd, ls[c].l[0]);
			font(pd, 9, false);
			for (size_t k = 0; k < ls[c].n; k++)
				show(pd, x + lw, y0 + 9 + k * 11.5, 0, ls[c].l[k]);
			cairo_set_source_rgb(pd->cr, INK);
		}
		pd->y += rowh;
	}
	pd->y += 4;
}

static void
kv(json_t *arr, const char *label, const char *value)
{
	json_array_append_new(arr, json_pack("[s,s]", label, value && *value ? value : "-"));
}

/* ------------------------------------------------------------------
 * Tables
 * ------------------------------------------------------------------ */

struct col {
	const char *title;
	double w;  /* share of the text width */
	int align; /* 0 left, 1 right */
};

static void
result_colour(struct pdf *pd, const char *s)
{
	if (strncmp(s, "FAIL", 4) == 0 || strcmp(s, "Failed") == 0 || strcmp(s, "lapsed") == 0 ||
	    strcmp(s, "missing") == 0 || strcmp(s, "non-compliant") == 0 ||
	    strcmp(s, "fail") == 0 || strcmp(s, "unknown") == 0 || strncmp(s, "NOT", 3) == 0)
		cairo_set_source_rgb(pd->cr, 0.75, 0.10, 0.10);
	else if (strncmp(s, "WARN", 4) == 0 || strcmp(s, "warn") == 0 || strcmp(s, "svhc") == 0 ||
		 strcmp(s, "exempt") == 0 || strcmp(s, "unregistered") == 0 ||
		 strcmp(s, "AMBIGUOUS") == 0)
		cairo_set_source_rgb(pd->cr, 0.70, 0.42, 0.00);
	else if (strncmp(s, "PASS", 4) == 0 || strcmp(s, "Passed") == 0 ||
		 strcmp(s, "valid") == 0 || strcmp(s, "pass") == 0 || strcmp(s, "ok") == 0 ||
		 strcmp(s, "RepairSuccessful") == 0 || strcmp(s, "verified") == 0 ||
		 strcmp(s, "compliant") == 0)
		cairo_set_source_rgb(pd->cr, 0.05, 0.45, 0.20);
	else
		cairo_set_source_rgb(pd->cr, INK);
}

static void
table_header(struct pdf *pd, const struct col *cols, size_t nc, double fs)
{
	double x = MARGIN, h = fs + 8;

	cairo_set_source_rgb(pd->cr, HEADBG);
	cairo_rectangle(pd->cr, MARGIN, pd->y, TEXT_W, h);
	cairo_fill(pd->cr);
	cairo_set_source_rgb(pd->cr, INK);
	font(pd, fs, true);
	for (size_t c = 0; c < nc; c++) {
		double w = cols[c].w * TEXT_W;
		show(pd, cols[c].align ? x + w - 3 : x + 3, pd->y + fs + 2.5, cols[c].align,
		     cols[c].title);
		x += w;
	}
	cairo_set_source_rgb(pd->cr, RULE);
	hline(pd, MARGIN, PAGE_W - MARGIN, pd->y + h, 0.6);
	cairo_set_source_rgb(pd->cr, INK);
	pd->y += h;
}

/* rows: an array of arrays of strings (NULL / null shows "-"). Columns
 * named in colour_cols (a bit mask) are coloured by their result. */
static void
table(struct pdf *pd, const struct col *cols, size_t nc, const json_t *rows, double fs,
      unsigned colour_cols)
{
	size_t r, n = json_array_size(rows);
	double lh = fs * 1.28;

	if (n == 0) {
		paragraph(pd, "None recorded.", 8.5, true);
		return;
	}
	need(pd, fs + 8 + 2 * lh + 6);
	table_header(pd, cols, nc, fs);
	for (r = 0; r < n; r++) {
		const json_t *row = json_array_get(rows, r);
		static struct lines cell[16];
		double x = MARGIN, h = 0;
		size_t c;
		font(pd, fs, false);
		for (c = 0; c < nc && c < 16; c++) {
			const char *t = json_string_value(json_array_get(row, c));
			wrap(pd, t && *t ? t : "-", cols[c].w * TEXT_W - 6, &cell[c]);
			if (cell[c].n * lh > h)
				h = cell[c].n * lh;
		}
		h += 5;
		if (need(pd, h))
			table_header(pd, cols, nc, fs);
		if (r % 2 == 1) {
			cairo_set_source_rgb(pd->cr, ZEBRA);
			cairo_rectangle(pd->cr, MARGIN, pd->y, TEXT_W, h);
			cairo_fill(pd->cr);
		}
		for (c = 0; c < nc && c < 16; c++) {
			double w = cols[c].w * TEXT_W;
			bool col = (colour_cols >> c) & 1;
			font(pd, fs, col);
			if (col)
				result_colour(pd, cell[c].l[0]);
			else
				cairo_set_source_rgb(pd->cr, INK);
			for (size_t k = 0; k < cell[c].n; k++)
				show(pd, cols[c].align ? x + w - 3 : x + 3,
				     pd->y + 2.5 + fs * 0.95 + k * lh, cols[c].align, cell[c].l[k]);
			x += w;
		}
		cairo_set_source_rgb(pd->cr, 0.90, 0.91, 0.93);
		hline(pd, MARGIN, PAGE_W - MARGIN, pd->y + h, 0.4);
		cairo_set_source_rgb(pd->cr, INK);
		pd->y += h;
	}
	pd->y += 8;
}

static const char *
js(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static json_t *
jstr_or_dash(const char *s)
{
	return json_string(s && *s ? s : "-");
}

static json_t *
row_of(const json_t *o, const char *const *keys, size_t n)
{
	json_t *row = json_array();
	char b[512];

	for (size_t i = 0; i < n; i++) {
		ecms__report_scalar(json_object_get(o, keys[i]), "", b, sizeof(b));
		json_array_append_new(row, jstr_or_dash(b));
	}
	return row;
}

/* "2026-01-15T08:00:00.000Z" -> "2026-01-15 08:00:00" */
static json_t *
when(const char *iso)
{
	char b[32];

	if (iso == NULL || strlen(iso) < 19)
		return json_string("-");
	snprintf(b, sizeof(b), "%.10s %.8s", iso, iso + 11);
	return json_string(b);
}

/* ------------------------------------------------------------------
 * The birth certificate
 * ------------------------------------------------------------------ */

static int
reflow_section(struct pdf *pd, const json_t *rec)
{
	struct ecms_reflow_profile *p = NULL;
	struct ecms_reflow_window w;
	static const struct col mc[] = { { "Metric", 0.27, 0 },
					 { "Unit", 0.08, 0 },
					 { "Measured", 0.22, 1 },
					 { "Limits", 0.31, 1 },
					 { "Status", 0.12, 0 } };
	json_t *rows = json_array(), *f, *kvs = json_array();
	char b[400], m[64], l[96];
	size_t i;
	int rc;

	if ((rc = ecms__report_profile(pd->h, rec, &p, &w))) {
		json_decref(rows);
		json_decref(kvs);
		return rc;
	}
	snprintf(b, sizeof(b), "Reflow pass %lld - %s", (long long)ecms__ri(rec, "pass"),
		 ecms__report_upper_result(js(rec, "result")));
	subheading(pd, b);
	kv(kvs, "Recorded", js(rec, "time"));
	kv(kvs, "Source",
	   strcmp(js(rec, "source"), "curve") == 0      ? "profile file (thermocouples)"
	   : strcmp(js(rec, "source"), "cfx_oven") == 0 ? "CFX oven data (zone readings)"
							: "CFX profiler");
	kv(kvs, "Oven / station", js(rec, "station"));
	kv(kvs, "Paste", json_is_string(json_object_get(rec, "paste")) ? js(rec, "paste") : "-");
	snprintf(b, sizeof(b), "%.1f °C", w.liquidus_c);
	kv(kvs, "Liquidus", b);
	if (json_is_number(json_object_get(rec, "min_peak_c")))
		snprintf(b, sizeof(b), "%.1f °C (%s)",
			 json_number_value(json_object_get(rec, "min_peak_c")),
			 js(rec, "min_peak_refdes"));
	else
		snprintf(b, sizeof(b), "not known");
	kv(kvs, "Lowest component rating", b);
	kv_block(pd, kvs);
	json_decref(kvs);
	if (p) {
		need(pd, 250);
		if ((rc = ecms_reflow_plot_draw(pd->cr, MARGIN, pd->y, TEXT_W, 240, p, &w, NULL,
						&pd->h->err))) {
			ecms_reflow_profile_free(p);
			json_decref(rows);
			return rc;
		}
		pd->y += 248;
		ecms_reflow_profile_free(p);
	}
	if (json_array_size(json_object_get(json_object_get(rec, "metrics"), "zones"))) {
		static const struct col zc[] = { { "Oven zone", 0.34, 0 },
						 { "Type", 0.22, 0 },
						 { "Setpoint (°C)", 0.22, 1 },
						 { "Reading (°C)", 0.22, 1 } };
		json_t *zrows = json_array(), *z;
		json_array_foreach(json_object_get(json_object_get(rec, "metrics"), "zones"), i,
				   z) {
			char sp[32], rd[32];
			ecms__report_scalar(json_object_get(z, "setpoint_c"), "", sp, sizeof(sp));
			ecms__report_scalar(json_object_get(z, "reading_c"), "", rd, sizeof(rd));
			json_array_append_new(zrows,
					      json_pack("[s,s,o,o]", js(z, "name"), js(z, "type"),
							jstr_or_dash(sp), jstr_or_dash(rd)));
		}
		paragraph(pd,
			  "The oven reports zone temperatures, not a board curve: the peak is "
			  "bounded by the hottest zone reading, the other metrics cannot be "
			  "measured from this record.",
			  8, true);
		table(pd, zc, 4, zrows, 7.5, 0);
		json_decref(zrows);
	}
	for (i = 0; i < ECMS_REFLOW_NMETRICS; i++) {
		const char *st;
		ecms__report_metric(rec, &w, (enum ecms_reflow_metric)i, m, sizeof(m), l, sizeof(l),
				    &st);
		json_array_append_new(
			rows,
			json_pack("[s,s,s,s,s]",
				  ecms__report_metric_label((enum ecms_reflow_metric)i),
				  ecms_reflow_metric_unit((enum ecms_reflow_metric)i), m, l, st));
	}
	table(pd, mc, 5, rows, 8, 1u << 4);
	json_decref(rows);
	json_array_foreach(json_object_get(rec, "findings"), i, f) {
		snprintf(b, sizeof(b), "%s  %s: %s",
			 strcmp(js(f, "severity"), "fail") == 0   ? "FAIL"
			 : strcmp(js(f, "severity"), "warn") == 0 ? "WARN"
								  : "note",
			 js(f, "code"), js(f, "text"));
		paragraph(pd, b, 8, strcmp(js(f, "severity"), "info") == 0);
	}
	return ECMS_OK;
}

static int
board_doc(struct pdf *pd, const json_t *j)
{
	const json_t *b = json_object_get(j, "board"), *e;
	json_t *kvs = json_array(), *rows;
	char sub[300], t[200];
	size_t i, nc;
	int rc = ECMS_OK;

	snprintf(pd->title, sizeof(pd->title), "Board birth certificate - %s", js(b, "serial"));
	new_page(pd);
	snprintf(sub, sizeof(sub), "Serial %s   %s rev %s   Work order %s", js(b, "serial"),
		 json_is_string(json_object_get(b, "product")) ? js(b, "product") : "-",
		 json_is_string(json_object_get(b, "revision")) ? js(b, "revision") : "-",
		 json_is_string(json_object_get(b, "work_order")) ? js(b, "work_order") : "-");
	title_block(pd, "Board birth certificate", sub);
	nc = json_array_size(json_object_get(j, "components"));
	kv(kvs, "Serial", js(b, "serial"));
	kv(kvs, "Result", ecms__report_upper_result(js(j, "result")));
	kv(kvs, "Product", js(b, "product"));
	kv(kvs, "Revision", js(b, "revision"));
	kv(kvs, "Work order", js(b, "work_order"));
	kv(kvs, "Customer", js(b, "customer"));
	if (json_is_string(json_object_get(b, "shipped")))
		snprintf(t, sizeof(t), "shipped %.10s to %s (%s)", js(b, "shipped"),
			 json_is_string(json_object_get(b, "shipped_to")) ? js(b, "shipped_to")
									  : "?",
			 js(b, "shipment"));
	else
		snprintf(t, sizeof(t), "%s", js(b, "status"));
	kv(kvs, "Status", t);
	kv(kvs, "Hold", json_is_string(json_object_get(b, "hold")) ? js(b, "hold") : "none");
	snprintf(t, sizeof(t), "%zu", nc);
	kv(kvs, "Components", t);
	kv(kvs, "Generated", js(j, "generated"));
	kv_block(pd, kvs);
	json_decref(kvs);

	/* Components. */
	{
		static const struct col cc[] = {
			{ "Refdes", 0.055, 0 }, { "Package", 0.095, 0 },      { "IPN", 0.105, 0 },
			{ "MPN", 0.20, 0 },     { "Manufacturer", 0.125, 0 }, { "Lot", 0.075, 0 },
			{ "D/C", 0.045, 0 },    { "Supplier", 0.085, 0 },     { "PO", 0.075, 0 },
			{ "CoC", 0.14, 0 },
		};
		static const char *const keys[] = { "refdes",       "uid", "ipn",       "mpn",
						    "manufacturer", "lot", "date_code", "supplier",
						    "po",           "coc" };
		json_t *cocs = json_object();
		heading(pd, "Components and their origin");
		rows = json_array();
		json_array_foreach(json_object_get(j, "components"), i, e) {
			json_t *row = row_of(e, keys, 10);
			if (json_is_true(json_object_get(e, "ambiguous"))) {
				char c[400] = "AMBIGUOUS:";
				size_t k;
				json_t *u;
				json_array_foreach(json_object_get(e, "candidates"), k, u) {
					size_t l = strlen(c);
					snprintf(c + l, sizeof(c) - l, " %s (lot %s)", js(u, "uid"),
						 json_is_string(json_object_get(u, "lot"))
							 ? js(u, "lot")
							 : "?");
				}
				json_array_set_new(row, 1, json_string(c));
			}
			if (json_is_string(json_object_get(e, "coc")))
				json_object_set(cocs, js(e, "coc"),
						json_object_get(e, "coc_sha256"));
			json_array_append_new(rows, row);
		}
		table(pd, cc, 10, rows, 6.6, 0);
		json_decref(rows);
		if (json_object_size(cocs)) {
			static const struct col kc[] = { { "CoC", 0.16, 0 },
							 { "Document SHA-256", 0.84, 0 } };
			const char *k;
			json_t *v;
			rows = json_array();
			json_object_foreach(cocs, k, v)
				json_array_append_new(
					rows,
					json_pack("[s,s]", k,
						  json_is_string(v) ? json_string_value(v) : "-"));
			subheading(pd, "Certificates of conformance");
			table(pd, kc, 2, rows, 7.5, 0);
			json_decref(rows);
		}
		json_decref(cocs);
	}

	/* Route. */
	{
		static const struct col rc2[] = {
			{ "Time (UTC)", 0.19, 0 }, { "Step", 0.10, 0 },   { "Station", 0.12, 0 },
			{ "Operator", 0.10, 0 },   { "Result", 0.15, 0 }, { "Detail", 0.34, 0 }
		};
		heading(pd, "Route");
		rows = json_array();
		json_array_foreach(json_object_get(j, "route"), i, e) {
			char r[64];
			ecms__report_scalar(json_object_get(e, "result"), "", r, sizeof(r));
			json_array_append_new(rows, json_pack("[o,s,o,o,o,s]", when(js(e, "time")),
							      js(e, "step"),
							      jstr_or_dash(js(e, "station")),
							      jstr_or_dash(js(e, "operator")),
							      jstr_or_dash(r), js(e, "detail")));
		}
		table(pd, rc2, 6, rows, 7.5, 1u << 4);
		json_decref(rows);
	}

	/* Reflow. */
	heading(pd, "Reflow soldering");
	if (json_array_size(json_object_get(j, "reflow")) == 0)
		paragraph(pd, "No reflow record.", 8.5, true);
	json_array_foreach(json_object_get(j, "reflow"), i, e)
		if (rc == ECMS_OK)
			rc = reflow_section(pd, e);
	if (rc)
		return rc;

	/* Inspection. */
	{
		static const struct col dc[] = { { "Check", 0.20, 0 },
						 { "Designator", 0.11, 0 },
						 { "Refdes", 0.08, 0 },
						 { "Pin", 0.06, 0 },
						 { "Code", 0.12, 0 },
						 { "Category", 0.15, 0 },
						 { "Description / image", 0.28, 0 } };
		heading(pd, "Inspection (SPI, AOI, AXI, visual)");
		if (json_array_size(json_object_get(j, "inspections")) == 0)
			paragraph(pd, "No inspection record.", 8.5, true);
		json_array_foreach(json_object_get(j, "inspections"), i, e) {
			size_t k;
			json_t *d;
			snprintf(sub, sizeof(sub), "%s %s - %s (%s, inspector %s)", js(e, "method"),
				 js(e, "time"), js(e, "result"),
				 json_is_string(json_object_get(e, "station")) ? js(e, "station")
									       : "-",
				 json_is_string(json_object_get(e, "inspector"))
					 ? js(e, "inspector")
					 : "-");
			subheading(pd, sub);
			rows = json_array();
			json_array_foreach(json_object_get(e, "defects"), k, d) {
				char desc[600];
				json_t *img = json_array_get(json_object_get(d, "images"), 0);
				snprintf(desc, sizeof(desc), "%s%s%.16s", js(d, "description"),
					 img ? "  image sha256:" : "",
					 img ? js(img, "sha256") : "");
				json_array_append_new(
					rows,
					json_pack("[o,o,o,o,o,o,s]", jstr_or_dash(js(d, "check")),
						  jstr_or_dash(js(d, "designator")),
						  jstr_or_dash(js(d, "refdes")),
						  jstr_or_dash(js(d, "pin")),
						  jstr_or_dash(js(d, "code")),
						  jstr_or_dash(js(d, "category")), desc));
			}
			if (json_array_size(rows))
				table(pd, dc, 7, rows, 7.2, 0);
			else
				paragraph(pd, "No defects.", 8.5, true);
			json_decref(rows);
		}
	}

	/* Test. */
	{
		static const struct col tc[] = { { "Test", 0.17, 0 },   { "Measurement", 0.21, 0 },
						 { "Value", 0.11, 1 },  { "Unit", 0.08, 0 },
						 { "Min", 0.10, 1 },    { "Max", 0.10, 1 },
						 { "Refdes", 0.10, 0 }, { "Result", 0.13, 0 } };
		static const char *const keys[] = { "test", "name", "value",  "unit",
						    "min",  "max",  "refdes", "result" };
		heading(pd, "Test");
		if (json_array_size(json_object_get(j, "tests")) == 0)
			paragraph(pd, "No test record.", 8.5, true);
		json_array_foreach(json_object_get(j, "tests"), i, e) {
			size_t k;
			json_t *m;
			snprintf(sub, sizeof(sub), "%s %s - %s", js(e, "method"), js(e, "time"),
				 js(e, "result"));
			subheading(pd, sub);
			kvs = json_array();
			kv(kvs, "Station", js(e, "station"));
			kv(kvs, "Recipe", js(e, "recipe"));
			kv(kvs, "Technician", js(e, "technician"));
			kv(kvs, "Equipment", js(e, "equipment"));
			kv(kvs, "Calibration", js(e, "calibration"));
			kv(kvs, "Source",
			   strcmp(js(e, "source"), "cfx") == 0 ? "CFX UnitsTested" : "import");
			kv_block(pd, kvs);
			json_decref(kvs);
			rows = json_array();
			json_array_foreach(json_object_get(e, "measurements"), k, m)
				json_array_append_new(rows, row_of(m, keys, 8));
			table(pd, tc, 8, rows, 7.2, 1u << 7);
			json_decref(rows);
		}
	}

	/* Rework and repair. */
	{
		static const struct col wc[] = { { "Time (UTC)", 0.19, 0 }, { "Refdes", 0.07, 0 },
						 { "Removed", 0.16, 0 },    { "Fitted", 0.14, 0 },
						 { "By", 0.09, 0 },         { "Reason", 0.35, 0 } };
		static const struct col pc[] = {
			{ "Time (UTC)", 0.19, 0 }, { "Designator", 0.10, 0 },
			{ "Action", 0.33, 0 },     { "New package", 0.13, 0 },
			{ "Operator", 0.10, 0 },   { "Result", 0.15, 0 }
		};
		heading(pd, "Rework and repair");
		rows = json_array();
		json_array_foreach(json_object_get(j, "rework"), i, e) {
			char old[300] = "";

			ecms__report_join(json_object_get(e, "old"), ", ", old, sizeof(old));
			json_array_append_new(rows, json_pack("[o,s,o,o,o,s]", when(js(e, "time")),
							      js(e, "refdes"), jstr_or_dash(old),
							      jstr_or_dash(js(e, "new")),
							      jstr_or_dash(js(e, "user")),
							      js(e, "reason")));
		}
		subheading(pd, "Component replacements (genealogy)");
		table(pd, wc, 6, rows, 7.2, 0);
		json_decref(rows);
		rows = json_array();
		json_array_foreach(json_object_get(j, "repairs"), i, e)
			json_array_append_new(rows, json_pack("[o,o,s,o,o,o]", when(js(e, "time")),
							      jstr_or_dash(js(e, "designator")),
							      js(e, "action"),
							      jstr_or_dash(js(e, "new_uid")),
							      jstr_or_dash(js(e, "operator")),
							      jstr_or_dash(js(e, "result"))));
		subheading(pd, "Repairs");
		table(pd, pc, 6, rows, 7.2, 1u << 5);
		json_decref(rows);
	}

	/* Findings. */
	{
		static const struct col fc[] = { { "Severity", 0.09, 0 },
						 { "Code", 0.31, 0 },
						 { "Record", 0.09, 0 },
						 { "Finding", 0.51, 0 } };
		size_t notes = 0;
		heading(pd, "Findings");
		rows = json_array();
		json_array_foreach(json_object_get(j, "findings"), i, e) {
			const char *sev = js(e, "severity");
			if (strcmp(sev, "info") == 0) {
				notes++;
				continue;
			}
			json_array_append_new(rows, json_pack("[s,s,s,s]",
							      strcmp(sev, "fail") == 0   ? "FAIL"
							      : strcmp(sev, "warn") == 0 ? "WARN"
											 : "note",
							      js(e, "code"), js(e, "kind"),
							      js(e, "text")));
		}
		if (json_array_size(rows) == 0)
			paragraph(pd, "No failure or warning.", 8.5, false);
		else
			table(pd, fc, 4, rows, 7.2, 1u << 0);
		json_decref(rows);
		if (notes) {
			snprintf(sub, sizeof(sub),
				 "%zu note%s on checks that could not be made %s listed with %s "
				 "record%s above.",
				 notes, notes == 1 ? "" : "s", notes == 1 ? "is" : "are",
				 notes == 1 ? "its" : "their", notes == 1 ? "" : "s");
			paragraph(pd, sub, 8, true);
		}
	}
	/* Where it came from. */
	{
		const json_t *log = json_object_get(j, "log");
		snprintf(sub, sizeof(sub),
			 "This certificate was built from the ecms event log up to event %lld, "
			 "whose chain hash is %s. Run 'ecms audit verify' on the same database: "
			 "the chain must verify and reach this event with this hash.",
			 (long long)ecms__ri(log, "seq"), js(log, "hash"));
		heading(pd, "Provenance");
		paragraph(pd, sub, 8.5, false);
	}
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * The order package's summary
 * ------------------------------------------------------------------ */

static void
pct(char *b, size_t n, int64_t a, int64_t t)
{
	if (t == 0)
		snprintf(b, n, "-");
	else
		snprintf(b, n, "%.1f %%", 100.0 * (double)a / (double)t);
}

static void
order_doc(struct pdf *pd, const json_t *j, const json_t *boards)
{
	const json_t *o = json_object_get(j, "order"), *bs = json_object_get(j, "boards"),
		     *rec = json_object_get(j, "records"), *e;
	json_t *kvs = json_array(), *rows;
	char sub[300], a[64], b[64], c[64];
	size_t i;

	snprintf(pd->title, sizeof(pd->title), "Traceability package - work order %s",
		 js(o, "work_order"));
	new_page(pd);
	snprintf(sub, sizeof(sub), "Work order %s   %s rev %s   for %s", js(o, "work_order"),
		 js(o, "product"), js(o, "revision"),
		 json_is_string(json_object_get(o, "customer")) ? js(o, "customer") : "-");
	title_block(pd, "Traceability package", sub);
	kv(kvs, "Work order", js(o, "work_order"));
	kv(kvs, "Customer", js(o, "customer"));
	kv(kvs, "Product", js(o, "product"));
	kv(kvs, "Revision", js(o, "revision"));
	snprintf(a, sizeof(a), "%lld", (long long)ecms__ri(bs, "total"));
	kv(kvs, "Boards", a);
	kv(kvs, "Generated", js(j, "generated"));
	kv_block(pd, kvs);
	json_decref(kvs);
	heading(pd, "Yields");
	{
		static const struct col yc[] = { { "Record", 0.40, 0 },
						 { "Count", 0.20, 1 },
						 { "Passed", 0.20, 1 },
						 { "Yield", 0.20, 1 } };
		rows = json_array();
#define YROW(label, n, p)                                                                          \
	do {                                                                                       \
		snprintf(a, sizeof(a), "%lld", (long long)ecms__ri(rec, n));                       \
		snprintf(b, sizeof(b), "%lld", (long long)ecms__ri(rec, p));                       \
		pct(c, sizeof(c), ecms__ri(rec, p), ecms__ri(rec, n));                             \
		json_array_append_new(rows, json_pack("[s,s,s,s]", label, a, b, c));               \
	} while (0)
		YROW("Reflow passes in window", "reflow", "reflow_pass");
		YROW("Inspections", "inspections", "inspections_passed");
		YROW("Tests", "tests", "tests_passed");
		YROW("First-pass test yield (boards)", "boards_tested", "first_pass_test");
#undef YROW
		snprintf(a, sizeof(a), "%lld", (long long)ecms__ri(bs, "total"));
		snprintf(b, sizeof(b), "%lld",
			 (long long)(ecms__ri(bs, "pass") + ecms__ri(bs, "warn")));
		pct(c, sizeof(c), ecms__ri(bs, "pass") + ecms__ri(bs, "warn"),
		    ecms__ri(bs, "total"));
		json_array_append_new(
			rows, json_pack("[s,s,s,s]", "Boards without a failing finding", a, b, c));
		snprintf(a, sizeof(a), "%lld", (long long)ecms__ri(rec, "repairs"));
		json_array_append_new(rows, json_pack("[s,s,s,s]", "Repairs", a, "-", "-"));
		table(pd, yc, 4, rows, 8.5, 0);
		json_decref(rows);
	}
	heading(pd, "Findings by kind");
	{
		static const struct col fc[] = { { "Severity", 0.10, 0 },
						 { "Code", 0.32, 0 },
						 { "Count", 0.10, 1 },
						 { "Boards", 0.48, 0 } };
		rows = json_array();
		json_array_foreach(json_object_get(j, "findings"), i, e) {
			char list[600] = "";

			ecms__report_join(json_object_get(e, "boards"), ", ", list, sizeof(list));
			snprintf(a, sizeof(a), "%lld", (long long)ecms__ri(e, "count"));
			json_array_append_new(
				rows,
				json_pack("[s,s,s,s]",
					  strcmp(js(e, "severity"), "fail") == 0 ? "FAIL" : "WARN",
					  js(e, "code"), a, list));
		}
		table(pd, fc, 4, rows, 8, 1u << 0);
		json_decref(rows);
	}
	heading(pd, "Boards");
	{
		static const struct col bc[] = { { "Serial", 0.18, 0 },  { "Result", 0.12, 0 },
						 { "Reflow", 0.12, 1 },  { "Inspections", 0.14, 1 },
						 { "Tests", 0.12, 1 },   { "Repairs", 0.12, 1 },
						 { "Findings", 0.20, 1 } };
		rows = json_array();
		json_array_foreach(boards, i, e) {
			char n[5][16];
			snprintf(n[0], 16, "%zu", json_array_size(json_object_get(e, "reflow")));
			snprintf(n[1], 16, "%zu",
				 json_array_size(json_object_get(e, "inspections")));
			snprintf(n[2], 16, "%zu", json_array_size(json_object_get(e, "tests")));
			snprintf(n[3], 16, "%zu", json_array_size(json_object_get(e, "repairs")));
			snprintf(n[4], 16, "%zu", json_array_size(json_object_get(e, "findings")));
			json_array_append_new(rows,
					      json_pack("[s,s,s,s,s,s,s]",
							js(json_object_get(e, "board"), "serial"),
							ecms__report_upper_result(js(e, "result")),
							n[0], n[1], n[2], n[3], n[4]));
		}
		table(pd, bc, 7, rows, 8, 1u << 1);
		json_decref(rows);
	}
	paragraph(pd,
		  "Every board's birth certificate follows. The ZIP form of this package also "
		  "holds every CoC document, genealogy.csv (board x refdes x lot x date code) and "
		  "manifest.json with the SHA-256 of each file.",
		  8, true);
}

/* ------------------------------------------------------------------
 * Compliance
 * ------------------------------------------------------------------ */

static void
compliance_doc(struct pdf *pd, const json_t *j)
{
	const json_t *sc = json_object_get(j, "scope"), *au = json_object_get(j, "audit"), *e;
	json_t *kvs = json_array(), *rows;
	char sub[400], a[64];
	size_t i;
	bool order = json_is_string(json_object_get(sc, "work_order")) &&
		     !json_is_string(json_object_get(sc, "serial"));

	snprintf(pd->title, sizeof(pd->title), "Compliance report - %s %s",
		 order ? "work order" : "board", order ? js(sc, "work_order") : js(sc, "serial"));
	new_page(pd);
	snprintf(sub, sizeof(sub), "%s %s   %s rev %s   RoHS, REACH, CoC, test, audit",
		 order ? "Work order" : "Board", order ? js(sc, "work_order") : js(sc, "serial"),
		 json_is_string(json_object_get(sc, "product")) ? js(sc, "product") : "-",
		 json_is_string(json_object_get(sc, "revision")) ? js(sc, "revision") : "-");
	title_block(pd, "Compliance report", sub);
	kv(kvs, order ? "Work order" : "Board", order ? js(sc, "work_order") : js(sc, "serial"));
	kv(kvs, "Customer", js(sc, "customer"));
	snprintf(a, sizeof(a), "%zu", json_array_size(json_object_get(j, "boards")));
	kv(kvs, "Boards", a);
	snprintf(a, sizeof(a), "%zu of %zu", (size_t)ecms__ri(j, "flagged"),
		 json_array_size(json_object_get(j, "parts")));
	kv(kvs, "Parts flagged", a);
	kv(kvs, "Event log",
	   json_is_true(json_object_get(au, "verified")) ? "verified" : "NOT VERIFIED");
	kv(kvs, "Generated", js(j, "generated"));
	kv_block(pd, kvs);
	json_decref(kvs);
	heading(pd, "Event log verification");
	if (json_is_true(json_object_get(au, "verified")))
		snprintf(sub, sizeof(sub),
			 "VERIFIED: all %lld events recompute to their hashes and link in order; "
			 "head event %lld, hash %s.",
			 (long long)ecms__ri(au, "events"), (long long)ecms__ri(au, "head_seq"),
			 js(au, "head_hash"));
	else
		snprintf(sub, sizeof(sub), "NOT VERIFIED: first bad event %lld: %s",
			 (long long)ecms__ri(au, "first_bad_seq"), js(au, "reason"));
	paragraph(pd, sub, 8.5, false);
	heading(pd, "Materials: RoHS and REACH");
	{
		static const struct col pc[] = { { "IPN", 0.11, 0 },    { "Description", 0.18, 0 },
						 { "MPN", 0.16, 0 },    { "Manufacturer", 0.11, 0 },
						 { "RoHS", 0.10, 0 },   { "REACH", 0.10, 0 },
						 { "Refdes", 0.06, 1 }, { "Boards", 0.06, 1 },
						 { "Status", 0.12, 0 } };
		static const char *const keys[] = { "ipn",          "description", "mpn",
						    "manufacturer", "rohs",        "reach",
						    "refdes",       "boards",      "status" };
		rows = json_array();
		json_array_foreach(json_object_get(j, "parts"), i, e)
			json_array_append_new(rows, row_of(e, keys, 9));
		table(pd, pc, 9, rows, 7, (1u << 8) | (1u << 4) | (1u << 5));
		json_decref(rows);
		json_array_foreach(json_object_get(j, "parts"), i, e)
			if (strcmp(js(e, "status"), "ok") != 0) {
				snprintf(sub, sizeof(sub), "%s %s: %s",
					 json_is_string(json_object_get(e, "ipn")) ? js(e, "ipn")
										   : "?",
					 json_is_string(json_object_get(e, "mpn")) ? js(e, "mpn")
										   : "",
					 js(e, "note"));
				paragraph(pd, sub, 8, false);
			}
	}
	heading(pd, "Certificates of conformance");
	{
		static const struct col cc[] = {
			{ "CoC", 0.12, 0 },        { "Supplier", 0.10, 0 },
			{ "MPN", 0.15, 0 },        { "Lots", 0.08, 0 },
			{ "Issued", 0.10, 0 },     { "Document SHA-256", 0.33, 0 },
			{ "Stored copy", 0.12, 0 }
		};
		rows = json_array();
		json_array_foreach(json_object_get(j, "cocs"), i, e) {
			char lots[200] = "";

			ecms__report_join(json_object_get(e, "lots"), ", ", lots, sizeof(lots));
			json_array_append_new(rows,
					      json_pack("[s,s,s,s,s,s,s]", js(e, "id"),
							js(e, "supplier"), js(e, "mpn"), lots,
							js(e, "issued"), js(e, "sha256"),
							json_is_true(json_object_get(e, "verified"))
								? "verified"
								: "FAIL altered"));
		}
		table(pd, cc, 7, rows, 7, 1u << 6);
		json_decref(rows);
	}
	heading(pd, "Test records");
	{
		static const struct col tc[] = {
			{ "Serial", 0.14, 0 },    { "Time (UTC)", 0.19, 0 },
			{ "Method", 0.10, 0 },    { "Station", 0.14, 0 },
			{ "Equipment", 0.14, 0 }, { "Calibration", 0.14, 0 },
			{ "Result", 0.15, 0 }
		};
		rows = json_array();
		json_array_foreach(json_object_get(j, "tests"), i, e)
			json_array_append_new(rows, json_pack("[s,o,o,o,o,o,o]", js(e, "serial"),
							      when(js(e, "time")),
							      jstr_or_dash(js(e, "method")),
							      jstr_or_dash(js(e, "station")),
							      jstr_or_dash(js(e, "equipment")),
							      jstr_or_dash(js(e, "calibration")),
							      jstr_or_dash(js(e, "result"))));
		table(pd, tc, 7, rows, 7.2, (1u << 5) | (1u << 6));
		json_decref(rows);
	}
}

/* ------------------------------------------------------------------
 * Recall notice
 * ------------------------------------------------------------------ */

static void
recall_doc(struct pdf *pd, const json_t *j)
{
	static const char *const groups[] = { "shipped", "completed", "wip", "scrapped", "other" };
	static const char *const glabel[] = { "Shipped", "Completed, in house", "Work in progress",
					      "Scrapped", "Other (planned, genealogy only)" };
	const json_t *r = json_object_get(j, "recall"), *sc = json_object_get(r, "scope"),
		     *cn = json_object_get(r, "counts"), *e;
	json_t *kvs = json_array(), *rows;
	char sub[400], a[64];
	size_t i;

	snprintf(pd->title, sizeof(pd->title), "Recall notice %s", js(r, "id"));
	new_page(pd);
	snprintf(sub, sizeof(sub), "%s   lot %s%s%s", js(r, "id"), js(sc, "lot"),
		 json_is_string(json_object_get(sc, "mpn")) ? "   MPN " : "",
		 json_is_string(json_object_get(sc, "mpn")) ? js(sc, "mpn") : "");
	title_block(pd, "Recall notice", sub);
	kv(kvs, "Recall", js(r, "id"));
	kv(kvs, "Lot", js(sc, "lot"));
	kv(kvs, "MPN", json_is_string(json_object_get(sc, "mpn")) ? js(sc, "mpn") : "any");
	kv(kvs, "Decided by", js(r, "user"));
	kv(kvs, "Decided", js(r, "time"));
	kv(kvs, "Reason", js(r, "reason"));
	snprintf(a, sizeof(a), "%lld", (long long)ecms__ri(r, "count"));
	kv(kvs, "Boards affected", a);
	snprintf(a, sizeof(a), "%lld", (long long)ecms__ri(cn, "shipped"));
	kv(kvs, "Shipped", a);
	snprintf(a, sizeof(a), "%lld",
		 (long long)(ecms__ri(cn, "completed") + ecms__ri(cn, "wip")));
	kv(kvs, "Still in house", a);
	snprintf(a, sizeof(a), "%lld", (long long)ecms__ri(r, "boards_held"));
	kv(kvs, "Boards put on hold", a);
	snprintf(a, sizeof(a), "%lld", (long long)ecms__ri(r, "packages_held"));
	kv(kvs, "Packages put on hold", a);
	kv(kvs, "Generated", js(j, "generated"));
	kv_block(pd, kvs);
	json_decref(kvs);
	heading(pd, "How the boards were found");
	paragraph(pd, js(j, "method"), 8.5, false);
	json_array_foreach(json_object_get(r, "customers"), i, e) {
		static const struct col bc[] = {
			{ "Serial", 0.14, 0 },    { "Work order", 0.11, 0 }, { "Status", 0.09, 0 },
			{ "Shipped", 0.17, 0 },   { "Shipment", 0.12, 0 },   { "Refdes", 0.17, 0 },
			{ "Ambiguous", 0.12, 0 }, { "Held", 0.08, 0 }
		};
		snprintf(sub, sizeof(sub), "Customer: %s - %lld board%s",
			 json_is_string(json_object_get(e, "customer")) ? js(e, "customer")
									: "unknown work order",
			 (long long)ecms__ri(e, "count"), ecms__ri(e, "count") == 1 ? "" : "s");
		heading(pd, sub);
		for (size_t g = 0; g < ECMS_ARRAY_LEN(groups); g++) {
			size_t k;
			json_t *bd;
			if (json_array_size(json_object_get(e, groups[g])) == 0)
				continue;
			subheading(pd, glabel[g]);
			rows = json_array();
			json_array_foreach(json_object_get(e, groups[g]), k, bd) {
				char rd[300], am[300];
				ecms__report_join(json_object_get(bd, "refdes"), " ", rd,
						  sizeof(rd));
				ecms__report_join(json_object_get(bd, "ambiguous"), " ", am,
						  sizeof(am));
				json_array_append_new(
					rows, json_pack("[s,o,s,o,o,o,o,s]", js(bd, "serial"),
							jstr_or_dash(js(bd, "work_order")),
							js(bd, "status"), when(js(bd, "shipped")),
							jstr_or_dash(js(bd, "shipment")),
							jstr_or_dash(rd), jstr_or_dash(am),
							json_is_true(json_object_get(bd, "held"))
								? "yes"
								: "no"));
			}
			table(pd, bc, 8, rows, 7.2, 0);
			json_decref(rows);
		}
	}
	heading(pd, "Packages of the lot");
	{
		static const struct col pc[] = {
			{ "Package", 0.14, 0 },       { "IPN", 0.14, 0 },
			{ "MPN", 0.18, 0 },           { "Lot", 0.10, 0 },
			{ "Status before", 0.12, 0 }, { "Location", 0.12, 0 },
			{ "Held", 0.07, 0 },          { "Loaded on", 0.13, 0 }
		};
		rows = json_array();
		json_array_foreach(json_object_get(r, "packages"), i, e) {
			char ld[200];
			ecms__report_join(json_object_get(e, "loaded"), " ", ld, sizeof(ld));
			json_array_append_new(
				rows,
				json_pack("[s,o,o,o,o,o,s,o]", js(e, "uid"),
					  jstr_or_dash(js(e, "ipn")), jstr_or_dash(js(e, "mpn")),
					  jstr_or_dash(js(e, "lot")), jstr_or_dash(js(e, "status")),
					  jstr_or_dash(js(e, "location")),
					  json_is_true(json_object_get(e, "held")) ? "yes" : "no",
					  jstr_or_dash(ld)));
		}
		table(pd, pc, 8, rows, 7.2, 0);
		json_decref(rows);
	}
}

/* ------------------------------------------------------------------
 * The document
 * ------------------------------------------------------------------ */

static int
render(struct pdf *pd, enum ecms__pdf_kind kind, const json_t *j, const json_t *boards)
{
	const json_t *log = json_object_get(j, "log");
	size_t i;
	json_t *b;
	int rc = ECMS_OK;

	if (log == NULL)
		log = json_object_get(j, "audit");
	snprintf(pd->foot1, sizeof(pd->foot1), "Built from event log position %lld, head hash %s",
		 (long long)(ecms__ri(log, "seq") ? ecms__ri(log, "seq")
						  : ecms__ri(log, "head_seq")),
		 json_is_string(json_object_get(log, "hash")) ? js(log, "hash")
							      : js(log, "head_hash"));
	snprintf(pd->foot2, sizeof(pd->foot2),
		 "Generated %s by ecms - check against 'ecms audit verify'", js(j, "generated"));
	pd->s = cairo_pdf_surface_create_for_stream(sink, pd, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(pd->s, CAIRO_PDF_METADATA_CREATOR, "ecms");
	cairo_pdf_surface_set_metadata(pd->s, CAIRO_PDF_METADATA_CREATE_DATE, "none");
	pd->cr = cairo_create(pd->s);
	pd->page = 0;
	if (kind == ECMS__PDF_BOARD) {
		cairo_pdf_surface_set_metadata(pd->s, CAIRO_PDF_METADATA_TITLE,
					       "Board birth certificate");
		rc = board_doc(pd, j);
	} else if (kind == ECMS__PDF_COMPLIANCE) {
		cairo_pdf_surface_set_metadata(pd->s, CAIRO_PDF_METADATA_TITLE,
					       "Compliance report");
		compliance_doc(pd, j);
	} else if (kind == ECMS__PDF_RECALL) {
		cairo_pdf_surface_set_metadata(pd->s, CAIRO_PDF_METADATA_TITLE, "Recall notice");
		recall_doc(pd, j);
	} else {
		cairo_pdf_surface_set_metadata(pd->s, CAIRO_PDF_METADATA_TITLE,
					       "Traceability package");
		order_doc(pd, j, boards);
		json_array_foreach(kind == ECMS__PDF_ORDER ? boards : NULL, i, b) {
			if (rc)
				break;
			rc = board_doc(pd, b);
		}
	}
	cairo_destroy(pd->cr);
	cairo_surface_finish(pd->s);
	if (rc == ECMS_OK && cairo_surface_status(pd->s) != CAIRO_STATUS_SUCCESS)
		rc = pd->wrc ? pd->wrc
			     : ecms__ctxfail(pd->h, ECMS_EINTERNAL, NULL, "cairo: %s",
					     cairo_status_to_string(cairo_surface_status(pd->s)));
	cairo_surface_destroy(pd->s);
	return rc;
}

int
ecms__report_pdf(ecms *h, enum ecms__pdf_kind kind, const json_t *j, const json_t *boards,
		 unsigned char **out, size_t *len)
{
	struct pdf pd;
	int rc;

	*out = NULL;
	*len = 0;
	memset(&pd, 0, sizeof(pd));
	pd.h = h;
	ecms__buf_init(&pd.buf, ECMS_REPORT_MAX_BYTES);
	pd.counting = true;
	rc = render(&pd, kind, j, boards);
	if (rc == ECMS_OK) {
		pd.total = pd.page;
		pd.counting = false;
		rc = render(&pd, kind, j, boards);
	}
	if (rc == ECMS_OK) {
		*len = pd.buf.len;
		*out = (unsigned char *)ecms__buf_take(&pd.buf);
		if (*out == NULL)
			rc = ECMS_ENOMEM;
	}
	ecms__buf_cleanup(&pd.buf);
	return rc;
}
