/*
 * labelprint.c: ecms's own package and location labels as ZPL, SVG or
 * PNG. One layout (in printer dots) is computed from the label, then
 * written out by one of three back ends. libzint encodes the Data Matrix
 * for SVG and PNG (and sizes it for ZPL, whose printer encodes it
 * itself); cairo draws the PNG.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <zint.h>

#include "ecms_int.h"
#include "ecms/labelprint.h"

/* The grid, in dots at 203 dpi. */
#define MARGIN        24
#define DM_AREA       260 /* width of the Data Matrix column */
#define DM_MODULE_MAX 10  /* dots per module when the symbol fits */
#define TEXT_X        (MARGIN + DM_AREA + MARGIN)
#define TEXT_W        (ECMS_LABEL_WIDTH - TEXT_X - MARGIN)
#define TITLE_SIZE    48
#define LINE_SIZE     30
#define LINE_STEP     34
#define CODE_SIZE     32
#define FONT_MIN      10
#define EM_TENTHS     7 /* estimated character width: 0.7 em */

#define FONT_TEXT     "DejaVu Sans"
#define FONT_CODE     "DejaVu Sans Mono"
#define SVG_FONT_TEXT "DejaVu Sans, Arial, Helvetica, sans-serif"
#define SVG_FONT_CODE "DejaVu Sans Mono, Consolas, monospace"

#define OUT_MAX ((size_t)4 << 20) /* cap on any rendered label */

struct text_item {
	int x, y; /* top left of the text box */
	int size; /* font size (em) in dots, after fitting by estimate */
	int maxw; /* width available */
	bool bold;
	bool mono;
	const char *text;
};

struct layout {
	int rows, cols;         /* of the Data Matrix */
	unsigned char *modules; /* rows * cols, 1 = dark; owned */
	int mx, my, m;          /* top left and dots per module */
	struct text_item items[2 + ECMS_LABEL_LINES_MAX];
	size_t nitems;
};

/* ------------------------------------------------------------------
 * Checking the input
 * ------------------------------------------------------------------ */

/*
 * Check that s is at most max bytes of UTF-8 without control characters;
 * count its characters into *nchars. field names s in messages.
 * Returns ECMS_OK or ECMS_EINVAL.
 */
static int
check_text(const char *s, size_t max, const char *field, size_t *nchars, ecms_error *err)
{
	size_t len = strlen(s), i = 0, n = 0;

	if (len > max)
		return ecms__fail(err, ECMS_EINVAL, field,
				  "%s: %zu bytes; at most %zu fit on a label line", field, len,
				  max);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t k;

		if (c < 0x80) {
			cp = c;
			k = 1;
		} else if (c >= 0xC2 && c <= 0xDF) {
			cp = c & 0x1F;
			k = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			cp = c & 0x0F;
			k = 3;
		} else if (c >= 0xF0 && c <= 0xF4) {
			cp = c & 0x07;
			k = 4;
		} else {
			goto bad_utf8;
		}
		if (i + k > len)
			goto bad_utf8;
		for (size_t j = 1; j < k; j++) {
			unsigned char cc = (unsigned char)s[i + j];
			if ((cc & 0xC0) != 0x80)
				goto bad_utf8;
			cp = (cp << 6) | (cc & 0x3F);
		}
		if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			goto bad_utf8;
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			return ecms__fail(err, ECMS_EINVAL, field,
					  "%s: control character U+%04" PRIX32 " at byte %zu; "
					  "label text is one line of printable characters",
					  field, cp, i + 1);
		i += k;
		n++;
	}
	*nchars = n;
	return ECMS_OK;
bad_utf8:
	return ecms__fail(err, ECMS_EINVAL, field, "%s: byte 0x%02X at byte %zu is not UTF-8",
			  field, (unsigned char)s[i], i + 1);
}

/* The code: printable ASCII without '~', 1..ECMS_LABEL_CODE_MAX bytes. */
static int
check_code(const char *code, ecms_error *err)
{
	size_t len;

	if (code == NULL || code[0] == '\0')
		return ecms__fail(err, ECMS_EINVAL, "code",
				  "code: empty; a label needs the ID to encode");
	len = strlen(code);
	if (len > ECMS_LABEL_CODE_MAX)
		return ecms__fail(err, ECMS_EINVAL, "code",
				  "code: %zu bytes; a label's Data Matrix holds at most %d", len,
				  ECMS_LABEL_CODE_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)code[i];
		if (c == '~')
			return ecms__fail(err, ECMS_EINVAL, "code",
					  "code: '~' at position %zu; it is the escape character "
					  "of ZPL Data Matrix fields",
					  i + 1);
		if (c <= 0x20 || c >= 0x7F)
			return ecms__fail(err, ECMS_EINVAL, "code",
					  "code: byte 0x%02X at position %zu; a code is printable "
					  "ASCII without spaces",
					  c, i + 1);
	}
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Layout
 * ------------------------------------------------------------------ */

/* The largest font size up to nominal whose estimated width of nchars
 * characters fits maxw dots; never below FONT_MIN. */
static int
fit_size(size_t nchars, int nominal, int maxw)
{
	size_t need = nchars * (size_t)nominal * EM_TENTHS / 10;
	int size;

	if (need <= (size_t)maxw)
		return nominal;
	size = (int)((size_t)maxw * 10 / (nchars * EM_TENTHS));
	return size < FONT_MIN ? FONT_MIN : size;
}

static int
zint_fail(ecms_error *err, int zrc, const char *what)
{
	if (zrc == ZINT_ERROR_MEMORY)
		return ecms__fail(err, ECMS_ENOMEM, "code", "out of memory in libzint");
	return ecms__fail(err, ECMS_EINTERNAL, "code", "libzint: %s", what);
}

/* Encode code as a square Data Matrix and copy its modules into lay. */
static int
encode_matrix(const char *code, struct layout *lay, ecms_error *err)
{
	struct zint_symbol *sym = ZBarcode_Create();
	int zrc, rc = ECMS_OK;

	if (sym == NULL)
		return ecms__fail(err, ECMS_ENOMEM, "code", "out of memory in libzint");
	sym->symbology = BARCODE_DATAMATRIX;
	sym->option_3 = DM_SQUARE;
	sym->input_mode = DATA_MODE;
	sym->scale = 0.5f; /* one pixel per module */
	zrc = ZBarcode_Encode_and_Buffer(sym, (const unsigned char *)code, (int)strlen(code), 0);
	if (zrc >= ZINT_ERROR) {
		rc = zint_fail(err, zrc, sym->errtxt);
		goto out;
	}
	if (sym->bitmap == NULL || sym->bitmap_width != sym->width ||
	    sym->bitmap_height != sym->rows || sym->rows <= 0 || sym->width <= 0) {
		rc = ecms__fail(err, ECMS_EINTERNAL, "code",
				"libzint: unexpected bitmap %dx%d for a %dx%d symbol",
				sym->bitmap_width, sym->bitmap_height, sym->width, sym->rows);
		goto out;
	}
	lay->rows = sym->rows;
	lay->cols = sym->width;
	lay->modules = ecms__malloc((size_t)lay->rows * (size_t)lay->cols);
	if (lay->modules == NULL) {
		rc = ecms__fail(err, ECMS_ENOMEM, "code", "out of memory");
		goto out;
	}
	for (int i = 0; i < lay->rows * lay->cols; i++)
		lay->modules[i] = sym->bitmap[3 * i] < 128; /* RGB, black on white */
out:
	ZBarcode_Delete(sym);
	return rc;
}

static void
add_item(struct layout *lay, int x, int y, int nominal, int maxw, bool bold, bool mono,
	 const char *text, size_t nchars)
{
	struct text_item *t = &lay->items[lay->nitems++];

	t->x = x;
	t->y = y;
	t->maxw = maxw;
	t->size = fit_size(nchars, nominal, maxw);
	t->bold = bold;
	t->mono = mono;
	t->text = text;
}

static void
layout_cleanup(struct layout *lay)
{
	ecms__free(lay->modules);
	lay->modules = NULL;
}

/* Check the label and place everything. On success lay owns modules
 * (layout_cleanup frees them); on failure nothing is held. */
static int
layout_label(const struct ecms_print_label *label, struct layout *lay, ecms_error *err)
{
	size_t title_n = 0, line_n[ECMS_LABEL_LINES_MAX];
	char field[24];
	int rc, nlines = 0, side, y;

	memset(lay, 0, sizeof(*lay));
	if (label == NULL)
		return ecms__fail(err, ECMS_EUSAGE, "", "no label given");
	if ((rc = check_code(label->code, err)) != ECMS_OK)
		return rc;
	if (label->title &&
	    (rc = check_text(label->title, ECMS_LABEL_TEXT_MAX, "title", &title_n, err)))
		return rc;
	for (; nlines < ECMS_LABEL_LINES_MAX && label->lines[nlines]; nlines++) {
		snprintf(field, sizeof(field), "lines[%d]", nlines);
		if ((rc = check_text(label->lines[nlines], ECMS_LABEL_TEXT_MAX, field,
				     &line_n[nlines], err)))
			return rc;
	}
	if ((rc = encode_matrix(label->code, lay, err)) != ECMS_OK)
		return rc;

	side = lay->rows > lay->cols ? lay->rows : lay->cols;
	lay->m = DM_AREA / side;
	if (lay->m > DM_MODULE_MAX)
		lay->m = DM_MODULE_MAX;
	if (lay->m < 1)
		lay->m = 1;
	lay->mx = MARGIN;
	lay->my = MARGIN;
	/* The code comes first: the ZPL writer takes it from items[0]. */
	add_item(lay, MARGIN, MARGIN + lay->rows * lay->m + 16, CODE_SIZE, DM_AREA, false, true,
		 label->code, strlen(label->code));
	y = MARGIN;
	if (title_n > 0)
		add_item(lay, TEXT_X, y, TITLE_SIZE, TEXT_W, true, false, label->title, title_n);
	y += TITLE_SIZE + 14;
	for (int i = 0; i < nlines; i++, y += LINE_STEP)
		if (line_n[i] > 0)
			add_item(lay, TEXT_X, y, LINE_SIZE, TEXT_W, false, false, label->lines[i],
				 line_n[i]);
	return ECMS_OK;
}

/* Find the next horizontal run of dark modules in row r from column *c:
 * it spans [*start, *c). Returns false at the end of the row. */
static bool
next_run(const struct layout *lay, int r, int *c, int *start)
{
	const unsigned char *row = lay->modules + (size_t)r * (size_t)lay->cols;

	while (*c < lay->cols && !row[*c])
		(*c)++;
	if (*c >= lay->cols)
		return false;
	*start = *c;
	while (*c < lay->cols && row[*c])
		(*c)++;
	return true;
}

/* The text baseline for a text box at y with font size size. */
static int
baseline(const struct text_item *t)
{
	return t->y + t->size * 8 / 10;
}

/* ------------------------------------------------------------------
 * ZPL
 * ------------------------------------------------------------------ */

/* Append s with ^FH_ escapes for the characters ZPL would take as
 * commands (^ ~) and for the escape character itself (_). */
static int
zpl_field(ecms_buf *b, const char *s)
{
	int rc = ECMS_OK;

	for (; *s && rc == ECMS_OK; s++) {
		switch (*s) {
		case '^':
			rc = ecms__buf_adds(b, "_5E");
			break;
		case '~':
			rc = ecms__buf_adds(b, "_7E");
			break;
		case '_':
			rc = ecms__buf_adds(b, "_5F");
			break;
		default:
			rc = ecms__buf_addc(b, *s);
			break;
		}
	}
	return rc;
}

static int
render_zpl(const struct layout *lay, ecms_buf *b)
{
	int rc;

	rc = ecms__buf_printf(b, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", ECMS_LABEL_WIDTH,
			      ECMS_LABEL_HEIGHT);
	if (!rc)
		rc = ecms__buf_printf(b, "^FO%d,%d^BXN,%d,200^FH_^FD", lay->mx, lay->my, lay->m);
	if (!rc)
		rc = zpl_field(b, lay->items[0].text);
	if (!rc)
		rc = ecms__buf_adds(b, "^FS\n");
	for (size_t i = 0; i < lay->nitems && !rc; i++) {
		const struct text_item *t = &lay->items[i];
		rc = ecms__buf_printf(b, "^FO%d,%d^A0N,%d,%d^FH_^FD", t->x, t->y, t->size, t->size);
		if (!rc)
			rc = zpl_field(b, t->text);
		if (!rc)
			rc = ecms__buf_adds(b, "^FS\n");
	}
	if (!rc)
		rc = ecms__buf_adds(b, "^PQ1\n^XZ\n");
	return rc;
}

/* ------------------------------------------------------------------
 * SVG
 * ------------------------------------------------------------------ */

static int
xml_text(ecms_buf *b, const char *s)
{
	int rc = ECMS_OK;

	for (; *s && rc == ECMS_OK; s++) {
		switch (*s) {
		case '&':
			rc = ecms__buf_adds(b, "&amp;");
			break;
		case '<':
			rc = ecms__buf_adds(b, "&lt;");
			break;
		case '>':
			rc = ecms__buf_adds(b, "&gt;");
			break;
		case '"':
			rc = ecms__buf_adds(b, "&quot;");
			break;
		case '\'':
			rc = ecms__buf_adds(b, "&apos;");
			break;
		default:
			rc = ecms__buf_addc(b, *s);
			break;
		}
	}
	return rc;
}

static int
render_svg(const struct layout *lay, ecms_buf *b)
{
	int rc;

	rc = ecms__buf_printf(b,
			      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
			      "width=\"101.6mm\" height=\"50.8mm\" "
			      "viewBox=\"0 0 %d %d\">\n"
			      "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
			      "fill=\"#ffffff\"/>\n"
			      "<g fill=\"#000000\" shape-rendering=\"crispEdges\">\n",
			      ECMS_LABEL_WIDTH, ECMS_LABEL_HEIGHT, ECMS_LABEL_WIDTH,
			      ECMS_LABEL_HEIGHT);
	for (int r = 0; r < lay->rows && !rc; r++) {
		int c = 0, start;
		while (!rc && next_run(lay, r, &c, &start))
			rc = ecms__buf_printf(b,
					      "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
					      "height=\"%d\"/>\n",
					      lay->mx + start * lay->m, lay->my + r * lay->m,
					      (c - start) * lay->m, lay->m);
	}
	if (!rc)
		rc = ecms__buf_adds(b, "</g>\n<g fill=\"#000000\" xml:space=\"preserve\">\n");
	for (size_t i = 0; i < lay->nitems && !rc; i++) {
		const struct text_item *t = &lay->items[i];
		rc = ecms__buf_printf(b,
				      "<text x=\"%d\" y=\"%d\" font-family=\"%s\" "
				      "font-size=\"%d\"%s>",
				      t->x, baseline(t), t->mono ? SVG_FONT_CODE : SVG_FONT_TEXT,
				      t->size, t->bold ? " font-weight=\"bold\"" : "");
		if (!rc)
			rc = xml_text(b, t->text);
		if (!rc)
			rc = ecms__buf_adds(b, "</text>\n");
	}
	if (!rc)
		rc = ecms__buf_adds(b, "</g>\n</svg>\n");
	return rc;
}

/* ------------------------------------------------------------------
 * PNG (cairo)
 * ------------------------------------------------------------------ */

static cairo_status_t
png_write(void *closure, const unsigned char *data, unsigned int length)
{
	return ecms__buf_add(closure, data, length) ? CAIRO_STATUS_WRITE_ERROR
						    : CAIRO_STATUS_SUCCESS;
}

static int
cairo_fail(cairo_status_t st, ecms_error *err)
{
	if (st == CAIRO_STATUS_NO_MEMORY)
		return ecms__fail(err, ECMS_ENOMEM, "", "out of memory in cairo");
	return ecms__fail(err, ECMS_EINTERNAL, "", "cairo: %s", cairo_status_to_string(st));
}

static void
png_draw(const struct layout *lay, cairo_t *cr)
{
	cairo_font_options_t *fo;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	for (int r = 0; r < lay->rows; r++) {
		int c = 0, start;
		while (next_run(lay, r, &c, &start))
			cairo_rectangle(cr, lay->mx + start * lay->m, lay->my + r * lay->m,
					(c - start) * lay->m, lay->m);
	}
	cairo_fill(cr);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_GRAY);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_set_font_options(cr, fo);
	cairo_font_options_destroy(fo);
	for (size_t i = 0; i < lay->nitems; i++) {
		const struct text_item *t = &lay->items[i];
		cairo_text_extents_t ext;
		double size = t->size;

		cairo_select_font_face(cr, t->mono ? FONT_CODE : FONT_TEXT, CAIRO_FONT_SLANT_NORMAL,
				       t->bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
		cairo_set_font_size(cr, size);
		/* The estimate may be off for this font: measure and shrink
		 * (metrics are unhinted, so widths scale with the size). */
		cairo_text_extents(cr, t->text, &ext);
		for (int k = 0; k < 4 && ext.x_advance > t->maxw; k++) {
			size = size * t->maxw / ext.x_advance * 0.99;
			cairo_set_font_size(cr, size);
			cairo_text_extents(cr, t->text, &ext);
		}
		cairo_move_to(cr, t->x, baseline(t));
		cairo_show_text(cr, t->text);
	}
}

static int
render_png(const struct layout *lay, ecms_buf *b, ecms_error *err)
{
	cairo_surface_t *s;
	cairo_t *cr;
	cairo_status_t st;

	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, ECMS_LABEL_WIDTH, ECMS_LABEL_HEIGHT);
	st = cairo_surface_status(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return cairo_fail(st, err);
	}
	cr = cairo_create(s);
	png_draw(lay, cr);
	st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS) {
		cairo_surface_flush(s);
		st = cairo_surface_write_to_png_stream(s, png_write, b);
	}
	cairo_surface_destroy(s);
	if (st == CAIRO_STATUS_WRITE_ERROR)
		return ecms__fail(err, ECMS_ENOMEM, "", "out of memory writing the PNG");
	if (st != CAIRO_STATUS_SUCCESS)
		return cairo_fail(st, err);
	return ECMS_OK;
}

/* ------------------------------------------------------------------
 * Public functions
 * ------------------------------------------------------------------ */

int
ecms_label_render(const struct ecms_print_label *label, enum ecms_label_format fmt,
		  unsigned char **out, size_t *len, ecms_error *err)
{
	struct layout lay;
	ecms_buf b;
	int rc;

	*out = NULL;
	*len = 0;
	if (fmt != ECMS_LABEL_ZPL && fmt != ECMS_LABEL_SVG && fmt != ECMS_LABEL_PNG)
		return ecms__fail(err, ECMS_EUSAGE, "format", "unknown label format %d", (int)fmt);
	if ((rc = layout_label(label, &lay, err)) != ECMS_OK)
		return rc;
	ecms__buf_init(&b, OUT_MAX);
	switch (fmt) {
	case ECMS_LABEL_ZPL:
		rc = render_zpl(&lay, &b);
		break;
	case ECMS_LABEL_SVG:
		rc = render_svg(&lay, &b);
		break;
	default:
		rc = render_png(&lay, &b, err);
		break;
	}
	layout_cleanup(&lay);
	if (rc == ECMS_ENOMEM && fmt != ECMS_LABEL_PNG)
		ecms__fail(err, rc, "", "out of memory rendering the label");
	else if (rc == ECMS_EINVAL) /* only the cap of the buffer says this */
		rc = ecms__fail(err, ECMS_EINTERNAL, "", "label larger than %zu bytes", OUT_MAX);
	if (rc == ECMS_OK) {
		*len = b.len;
		*out = (unsigned char *)ecms__buf_take(&b);
		if (*out == NULL) {
			*len = 0;
			rc = ecms__fail(err, ECMS_ENOMEM, "", "out of memory rendering the label");
		}
	}
	ecms__buf_cleanup(&b);
	return rc;
}

/* Put "prefix" + value into line if value is set; check it fits.
 * Advances *n when a line was made. */
static int
add_line(char lines[][ECMS_LABEL_TEXT_MAX + 1], int *n, const char *prefix, const char *value,
	 const char *field, ecms_error *err)
{
	size_t plen = strlen(prefix), nchars;
	int rc;

	if (value == NULL || value[0] == '\0')
		return ECMS_OK;
	if ((rc = check_text(value, ECMS_LABEL_TEXT_MAX - plen, field, &nchars, err)))
		return rc;
	snprintf(lines[*n], ECMS_LABEL_TEXT_MAX + 1, "%s%s", prefix, value);
	(*n)++;
	return ECMS_OK;
}

#define DATE_MS_MAX INT64_C(253402300799999) /* 9999-12-31T23:59:59.999Z */

int
ecms_label_render_package(const struct ecms_package_label *pkg, enum ecms_label_format fmt,
			  unsigned char **out, size_t *len, ecms_error *err)
{
	char lines[ECMS_LABEL_LINES_MAX][ECMS_LABEL_TEXT_MAX + 1];
	char num[32], date[11];
	struct ecms_print_label label;
	size_t nchars;
	int n = 0, rc;

	*out = NULL;
	*len = 0;
	if (pkg == NULL)
		return ecms__fail(err, ECMS_EUSAGE, "", "no package label given");
	memset(&label, 0, sizeof(label));
	if (pkg->ipn && (rc = check_text(pkg->ipn, ECMS_LABEL_TEXT_MAX, "ipn", &nchars, err)))
		return rc;
	if ((rc = add_line(lines, &n, "MPN: ", pkg->mpn, "mpn", err)) ||
	    (rc = add_line(lines, &n, "MFR: ", pkg->manufacturer, "manufacturer", err)) ||
	    (rc = add_line(lines, &n, "LOT: ", pkg->lot, "lot", err)) ||
	    (rc = add_line(lines, &n, "DC: ", pkg->date_code, "date_code", err)))
		return rc;
	if (pkg->quantity >= 0) {
		snprintf(num, sizeof(num), "%" PRId64, pkg->quantity);
		if ((rc = add_line(lines, &n, "QTY: ", num, "quantity", err)))
			return rc;
	}
	if ((rc = add_line(lines, &n, "MSL: ", pkg->msl, "msl", err)))
		return rc;
	if (pkg->received_ms != INT64_MIN) {
		if (pkg->received_ms < 0 || pkg->received_ms > DATE_MS_MAX)
			return ecms__fail(err, ECMS_EINVAL, "received_ms",
					  "received_ms: %" PRId64 " is not a time between 1970 "
					  "and 9999",
					  pkg->received_ms);
		ecms_date_format(pkg->received_ms, date);
		if ((rc = add_line(lines, &n, "RCVD: ", date, "received_ms", err)))
			return rc;
	}
	label.code = pkg->uid;
	label.title = pkg->ipn;
	for (int i = 0; i < n; i++)
		label.lines[i] = lines[i];
	return ecms_label_render(&label, fmt, out, len, err);
}

int
ecms_label_render_location(const struct ecms_location_label *loc, enum ecms_label_format fmt,
			   unsigned char **out, size_t *len, ecms_error *err)
{
	char lines[2][ECMS_LABEL_TEXT_MAX + 1];
	struct ecms_print_label label;
	size_t nchars;
	int n = 0, rc;

	*out = NULL;
	*len = 0;
	if (loc == NULL)
		return ecms__fail(err, ECMS_EUSAGE, "", "no location label given");
	if (loc->name && (rc = check_text(loc->name, ECMS_LABEL_TEXT_MAX, "name", &nchars, err)))
		return rc;
	if ((rc = add_line(lines, &n, "TYPE: ", loc->kind, "kind", err)) ||
	    (rc = add_line(lines, &n, "IN: ", loc->parent, "parent", err)))
		return rc;
	memset(&label, 0, sizeof(label));
	label.code = loc->id;
	label.title = loc->name;
	for (int i = 0; i < n; i++)
		label.lines[i] = lines[i];
	return ecms_label_render(&label, fmt, out, len, err);
}

void
ecms_label_cleanup(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}

static const char *const format_names[] = {
	[ECMS_LABEL_ZPL] = "zpl",
	[ECMS_LABEL_SVG] = "svg",
	[ECMS_LABEL_PNG] = "png",
};

int
ecms_label_format_parse(const char *name, enum ecms_label_format *fmt, ecms_error *err)
{
	for (size_t i = 0; i < ECMS_ARRAY_LEN(format_names); i++) {
		if (name && ecms__streq_nocase(name, format_names[i])) {
			*fmt = (enum ecms_label_format)i;
			return ECMS_OK;
		}
	}
	return ecms__fail(err, ECMS_EUSAGE, "format",
			  "unknown label format '%.40s': expected zpl, svg or png",
			  name ? name : "");
}

const char *
ecms_label_format_name(enum ecms_label_format fmt)
{
	if ((unsigned)fmt >= ECMS_ARRAY_LEN(format_names))
		return "?";
	return format_names[fmt];
}
