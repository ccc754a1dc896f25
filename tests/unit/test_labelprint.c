/*
 * test_labelprint.c: package and location labels as ZPL, SVG and PNG.
 * The Data Matrix of PNG labels, and of SVG labels rasterised here, is
 * decoded back with dmtxread (Debian's dmtx-utils) and must give the
 * code; ZPL is compared with a golden text; every refusal is checked;
 * allocation failures end in a clean ECMS_ENOMEM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "ecms_int.h"
#include "ecms/labelprint.h"
#include "ecms/uid.h"

static const struct ecms_package_label sample_pkg = {
	.uid = "XU00000012",
	.ipn = "IPN-10K-0603",
	.mpn = "RC0603FR-0710KL",
	.manufacturer = "Yageo",
	.lot = "L2301_A^~",
	.date_code = "2301",
	.quantity = 5000,
	.msl = "1",
	.received_ms = TU_NOW_MS,
};

static const struct ecms_location_label sample_loc = {
	.id = "L-WH1-R03-S2",
	.name = "Rack 3 shelf 2",
	.kind = "shelf",
	.parent = "L-WH1-R03",
};

static unsigned char *
render_pkg(const struct ecms_package_label *p, enum ecms_label_format fmt, size_t *len)
{
	unsigned char *out = NULL;
	ecms_error e;

	if (ecms_label_render_package(p, fmt, &out, len, &e) != ECMS_OK)
		fail_msg("render %s: %s", ecms_label_format_name(fmt), e.message);
	assert_non_null(out);
	assert_true(*len > 0);
	assert_int_equal(out[*len], '\0');
	return out;
}

static unsigned char *
render_loc(const struct ecms_location_label *l, enum ecms_label_format fmt, size_t *len)
{
	unsigned char *out = NULL;
	ecms_error e;

	if (ecms_label_render_location(l, fmt, &out, len, &e) != ECMS_OK)
		fail_msg("render %s: %s", ecms_label_format_name(fmt), e.message);
	assert_non_null(out);
	return out;
}

static char *
write_tmp(const char *name, const void *data, size_t len)
{
	char *path = tu_path(name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static bool
have_tool(const char *tool)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* Decode the Data Matrix in an image file with dmtxread; the text read. */
static void
dmtx_decode(const char *path, char *text, size_t size)
{
	char cmd[512];
	FILE *p;
	size_t n;

	if (!have_tool("dmtxread"))
		fail_msg("dmtxread not found: install Debian's dmtx-utils "
			 "(tools/deps.sh check does) to decode rendered labels");
	snprintf(cmd, sizeof(cmd), "dmtxread -N1 -m 20000 '%s'", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(text, 1, size - 1, p);
	text[n] = '\0';
	if (pclose(p) != 0)
		fail_msg("dmtxread found no Data Matrix in %s (read \"%s\")", path, text);
}

static void
assert_png_decodes(const unsigned char *png, size_t len, const char *name, const char *code)
{
	char text[256];
	char *path;

	assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
	/* IHDR: 812 x 406. */
	assert_memory_equal(png + 16, "\0\0\x03\x2c\0\0\x01\x96", 8);
	path = write_tmp(name, png, len);
	dmtx_decode(path, text, sizeof(text));
	assert_string_equal(text, code);
	free(path);
}

static void
test_png_package_decodes(void **state)
{
	struct ecms_package_label p = sample_pkg;
	char uid[ECMS_UID_MAX];
	unsigned char *png;
	size_t len;
	uint64_t seq;

	png = render_pkg(&p, ECMS_LABEL_PNG, &len);
	assert_png_decodes(png, len, "pkg.png", "XU00000012");
	ecms_free(png);
	/* A UID of the longest form, decoded and parsed back. */
	p.uid = ecms_uid_format(UINT64_MAX, uid);
	png = render_pkg(&p, ECMS_LABEL_PNG, &len);
	assert_png_decodes(png, len, "pkg-max.png", uid);
	assert_int_equal(ecms_uid_parse(uid, &seq, NULL), ECMS_OK);
	assert_true(seq == UINT64_MAX);
	ecms_free(png);
}

static void
test_png_location_decodes(void **state)
{
	struct ecms_location_label l = sample_loc;
	unsigned char *png;
	size_t len;

	png = render_loc(&l, ECMS_LABEL_PNG, &len);
	assert_png_decodes(png, len, "loc.png", "L-WH1-R03-S2");
	ecms_free(png);
	/* The longest codes a label takes, with every printable character. */
	l.id = "!\"#$%&'()*+,-./0123456789:;<=>?@";
	assert_int_equal(strlen(l.id), ECMS_LABEL_CODE_MAX);
	png = render_loc(&l, ECMS_LABEL_PNG, &len);
	assert_png_decodes(png, len, "loc-long1.png", l.id);
	ecms_free(png);
	l.id = "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`";
	assert_int_equal(strlen(l.id), ECMS_LABEL_CODE_MAX);
	png = render_loc(&l, ECMS_LABEL_PNG, &len);
	assert_png_decodes(png, len, "loc-long2.png", l.id);
	ecms_free(png);
	l.id = "abcdefghijklmnopqrstuvwxyz{|}XYZ";
	assert_int_equal(strlen(l.id), ECMS_LABEL_CODE_MAX);
	png = render_loc(&l, ECMS_LABEL_PNG, &len);
	assert_png_decodes(png, len, "loc-long3.png", l.id);
	ecms_free(png);
}

/* Rasterise the Data Matrix rectangles of one of our SVGs into a PBM
 * (P1) image, so dmtxread can read what the SVG draws. */
static char *
svg_to_pbm(const char *svg, const char *name)
{
	static unsigned char px[ECMS_LABEL_HEIGHT][ECMS_LABEL_WIDTH];
	const char *p = strstr(svg, "shape-rendering=\"crispEdges\">\n");
	const char *end = strstr(svg, "</g>");
	char *path = tu_path(name);
	FILE *f;
	int x, y, w, h, n, rects = 0;

	assert_non_null(p);
	assert_non_null(end);
	memset(px, 0, sizeof(px));
	p = strchr(p, '\n') + 1;
	while (p < end) {
		assert_int_equal(sscanf(p, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>%n",
					&x, &y, &w, &h, &n),
				 4);
		assert_true(x >= 0 && y >= 0 && x + w <= ECMS_LABEL_WIDTH &&
			    y + h <= ECMS_LABEL_HEIGHT);
		for (int yy = y; yy < y + h; yy++)
			memset(&px[yy][x], 1, (size_t)w);
		rects++;
		p = strchr(p, '\n') + 1;
	}
	assert_true(rects > 10);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "P1\n%d %d\n", ECMS_LABEL_WIDTH, ECMS_LABEL_HEIGHT);
	for (y = 0; y < ECMS_LABEL_HEIGHT; y++) {
		for (x = 0; x < ECMS_LABEL_WIDTH; x++)
			fputc(px[y][x] ? '1' : '0', f);
		fputc('\n', f);
	}
	assert_int_equal(fclose(f), 0);
	return path;
}

static void
test_svg(void **state)
{
	char text[256];
	unsigned char *svg;
	char *path, *pbm, cmd[600];
	size_t len;

	svg = render_pkg(&sample_pkg, ECMS_LABEL_SVG, &len);
	assert_int_equal(strlen((char *)svg), len);
	assert_true(strncmp((char *)svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) ==
		    0);
	assert_non_null(strstr((char *)svg, "viewBox=\"0 0 812 406\""));
	assert_non_null(strstr((char *)svg, ">XU00000012</text>"));
	assert_non_null(strstr((char *)svg, " font-weight=\"bold\">IPN-10K-0603</text>"));
	assert_non_null(strstr((char *)svg, ">MPN: RC0603FR-0710KL</text>"));
	assert_non_null(strstr((char *)svg, ">MFR: Yageo</text>"));
	assert_non_null(strstr((char *)svg, ">LOT: L2301_A^~</text>"));
	assert_non_null(strstr((char *)svg, ">DC: 2301</text>"));
	assert_non_null(strstr((char *)svg, ">QTY: 5000</text>"));
	assert_non_null(strstr((char *)svg, ">MSL: 1</text>"));
	assert_non_null(strstr((char *)svg, ">RCVD: 2026-01-15</text>"));
	assert_string_equal((char *)svg + len - 7, "</svg>\n");
	pbm = svg_to_pbm((char *)svg, "pkg-svg.pbm");
	dmtx_decode(pbm, text, sizeof(text));
	assert_string_equal(text, "XU00000012");
	free(pbm);
	ecms_free(svg);

	/* XML special characters and UTF-8 are escaped / kept. */
	{
		struct ecms_location_label l = { .id = "L-<&>\"'",
						 .name = "Tür <3> & \"Ö\"",
						 .kind = "dry cabinet 'B'" };
		svg = render_loc(&l, ECMS_LABEL_SVG, &len);
		assert_non_null(strstr((char *)svg, ">L-&lt;&amp;&gt;&quot;&apos;</text>"));
		assert_non_null(strstr((char *)svg, ">Tür &lt;3&gt; &amp; &quot;Ö&quot;</text>"));
		assert_non_null(strstr((char *)svg, ">TYPE: dry cabinet &apos;B&apos;</text>"));
		assert_null(strstr((char *)svg, "<3"));
		path = write_tmp("loc.svg", svg, len);
		if (have_tool("xmllint")) {
			snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
			assert_int_equal(system(cmd), 0);
		} else {
			print_message("# xmllint not found: SVG not checked by an XML parser\n");
		}
		pbm = svg_to_pbm((char *)svg, "loc-svg.pbm");
		dmtx_decode(pbm, text, sizeof(text));
		assert_string_equal(text, "L-<&>\"'");
		free(pbm);
		free(path);
		ecms_free(svg);
	}
}

static const char zpl_golden[] = "^XA\n"
				 "^CI28\n"
				 "^PW812\n"
				 "^LL406\n"
				 "^LH0,0\n"
				 "^FO24,24^BXN,10,200^FH_^FDXU00000012^FS\n"
				 "^FO24,180^A0N,32,32^FH_^FDXU00000012^FS\n"
				 "^FO308,24^A0N,48,48^FH_^FDIPN-10K-0603^FS\n"
				 "^FO308,86^A0N,30,30^FH_^FDMPN: RC0603FR-0710KL^FS\n"
				 "^FO308,120^A0N,30,30^FH_^FDMFR: Yageo^FS\n"
				 "^FO308,154^A0N,30,30^FH_^FDLOT: L2301_5FA_5E_7E^FS\n"
				 "^FO308,188^A0N,30,30^FH_^FDDC: 2301^FS\n"
				 "^FO308,222^A0N,30,30^FH_^FDQTY: 5000^FS\n"
				 "^FO308,256^A0N,30,30^FH_^FDMSL: 1^FS\n"
				 "^FO308,290^A0N,30,30^FH_^FDRCVD: 2026-01-15^FS\n"
				 "^PQ1\n"
				 "^XZ\n";

static void
test_zpl(void **state)
{
	struct ecms_package_label p = sample_pkg;
	unsigned char *zpl;
	size_t len;

	zpl = render_pkg(&p, ECMS_LABEL_ZPL, &len);
	assert_string_equal((char *)zpl, zpl_golden);
	ecms_free(zpl);

	/* Missing fields leave their lines out; the rest move up. */
	p.ipn = NULL;
	p.mpn = "";
	p.manufacturer = NULL;
	p.quantity = -1;
	p.received_ms = INT64_MIN;
	p.msl = "2a";
	zpl = render_pkg(&p, ECMS_LABEL_ZPL, &len);
	assert_null(strstr((char *)zpl, "MPN"));
	assert_null(strstr((char *)zpl, "QTY"));
	assert_null(strstr((char *)zpl, "RCVD"));
	assert_null(strstr((char *)zpl, "^A0N,48,48"));
	assert_non_null(strstr((char *)zpl, "^FO308,86^A0N,30,30^FH_^FDLOT: L2301_5FA_5E_7E^FS\n"
					    "^FO308,120^A0N,30,30^FH_^FDDC: 2301^FS\n"
					    "^FO308,154^A0N,30,30^FH_^FDMSL: 2a^FS\n^PQ1\n^XZ\n"));
	ecms_free(zpl);

	/* Location: ^ and _ in the code are hex-escaped in both fields. */
	{
		struct ecms_location_label l = { .id = "L-A^B_C",
						 .name = "Oven 2 \xe2\x80\x93 bake" };
		zpl = render_loc(&l, ECMS_LABEL_ZPL, &len);
		assert_non_null(strstr((char *)zpl, "^BXN,10,200^FH_^FDL-A_5EB_5FC^FS\n"));
		assert_non_null(strstr((char *)zpl, "^A0N,32,32^FH_^FDL-A_5EB_5FC^FS\n"));
		assert_non_null(strstr((char *)zpl, "^FDOven 2 \xe2\x80\x93 bake^FS\n"));
		assert_true(strncmp((char *)zpl, "^XA\n^CI28\n", 10) == 0);
		ecms_free(zpl);
	}
}

/* Long texts get smaller fonts that still fit their column. */
static void
test_fit(void **state)
{
	struct ecms_print_label l = { .code = "XU00000012" };
	char line[ECMS_LABEL_TEXT_MAX + 1];
	unsigned char *out;
	size_t len;
	ecms_error e;
	int size;
	const char *p;

	memset(line, 'W', ECMS_LABEL_TEXT_MAX);
	line[ECMS_LABEL_TEXT_MAX] = '\0';
	l.title = line;
	l.lines[0] = line;
	assert_int_equal(ecms_label_render(&l, ECMS_LABEL_ZPL, &out, &len, &e), ECMS_OK);
	p = strstr((char *)out, "^FO308,24^A0N,");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "^FO308,24^A0N,%d", &size), 1);
	assert_true(size >= 10 && size * 7 * ECMS_LABEL_TEXT_MAX / 10 <= 480);
	ecms_free(out);
	/* And the PNG still decodes with the text squeezed in. */
	assert_int_equal(ecms_label_render(&l, ECMS_LABEL_PNG, &out, &len, &e), ECMS_OK);
	assert_png_decodes(out, len, "fit.png", "XU00000012");
	ecms_free(out);
}

static void
test_deterministic(void **state)
{
	for (int f = ECMS_LABEL_ZPL; f <= ECMS_LABEL_PNG; f++) {
		unsigned char *a, *b;
		size_t la, lb;

		a = render_pkg(&sample_pkg, (enum ecms_label_format)f, &la);
		b = render_pkg(&sample_pkg, (enum ecms_label_format)f, &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		ecms_free(a);
		ecms_free(b);
	}
}

static void
bad_label(const struct ecms_print_label *l, int want_rc, const char *field, const char *msg)
{
	unsigned char *out = (unsigned char *)"x";
	size_t len = 99;
	ecms_error e;

	ecms_error_clear(&e);
	assert_int_equal(ecms_label_render(l, ECMS_LABEL_SVG, &out, &len, &e), want_rc);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_string_equal(e.field, field);
	if (strstr(e.message, msg) == NULL)
		fail_msg("message \"%s\" lacks \"%s\"", e.message, msg);
}

static void
test_refusals(void **state)
{
	struct ecms_print_label l = { .code = "XU00000012" };
	char big[ECMS_LABEL_TEXT_MAX + 2];
	struct ecms_package_label p = sample_pkg;
	struct ecms_location_label loc = sample_loc;
	enum ecms_label_format fmt;
	unsigned char *out;
	size_t len;
	ecms_error e;

	bad_label(NULL, ECMS_EUSAGE, "", "no label given");
	l.code = NULL;
	bad_label(&l, ECMS_EINVAL, "code", "code: empty");
	l.code = "";
	bad_label(&l, ECMS_EINVAL, "code", "code: empty");
	l.code = "XU0000~012";
	bad_label(&l, ECMS_EINVAL, "code", "'~' at position 7");
	l.code = "XU 00000012";
	bad_label(&l, ECMS_EINVAL, "code", "byte 0x20 at position 3");
	l.code = "XU\xc3\x9c";
	bad_label(&l, ECMS_EINVAL, "code", "byte 0xC3 at position 3");
	l.code = "123456789012345678901234567890123";
	bad_label(&l, ECMS_EINVAL, "code",
		  "code: 33 bytes; a label's Data Matrix holds at most 32");
	l.code = "XU00000012";
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	l.title = big;
	bad_label(&l, ECMS_EINVAL, "title", "title: 65 bytes; at most 64 fit");
	l.title = "ok";
	l.lines[0] = "fine";
	l.lines[1] = "tab\there";
	bad_label(&l, ECMS_EINVAL, "lines[1]", "control character U+0009 at byte 4");
	l.lines[1] = "C1 \xc2\x85";
	bad_label(&l, ECMS_EINVAL, "lines[1]", "control character U+0085 at byte 4");
	l.lines[1] = "overlong \xc0\xaf";
	bad_label(&l, ECMS_EINVAL, "lines[1]", "byte 0xC0 at byte 10 is not UTF-8");
	l.lines[1] = "surrogate \xed\xa0\x80";
	bad_label(&l, ECMS_EINVAL, "lines[1]", "byte 0xED at byte 11 is not UTF-8");
	l.lines[1] = "cut \xe2\x82";
	bad_label(&l, ECMS_EINVAL, "lines[1]", "byte 0xE2 at byte 5 is not UTF-8");
	l.lines[1] = "3-byte overlong \xe0\x80\xaf";
	bad_label(&l, ECMS_EINVAL, "lines[1]", "not UTF-8");
	l.lines[1] = "too high \xf4\x90\x80\x80";
	bad_label(&l, ECMS_EINVAL, "lines[1]", "not UTF-8");
	l.lines[1] = "stray \x80";
	bad_label(&l, ECMS_EINVAL, "lines[1]", "byte 0x80 at byte 7 is not UTF-8");
	l.lines[1] = "emoji \xf0\x9f\x93\xa6 ok";
	assert_int_equal(ecms_label_render(&l, ECMS_LABEL_SVG, &out, &len, &e), ECMS_OK);
	ecms_free(out);
	/* All eight lines used, no terminator needed. */
	for (int i = 0; i < ECMS_LABEL_LINES_MAX; i++)
		l.lines[i] = "line";
	assert_int_equal(ecms_label_render(&l, ECMS_LABEL_ZPL, &out, &len, &e), ECMS_OK);
	assert_non_null(strstr((char *)out, "^FO308,324^A0N,30,30^FH_^FDline^FS\n^PQ1"));
	ecms_free(out);

	assert_int_equal(ecms_label_render(&l, (enum ecms_label_format)7, &out, &len, &e),
			 ECMS_EUSAGE);
	assert_null(out);

	/* Package and location fields are named by their own names. */
	p.mpn = "0123456789012345678901234567890123456789012345678901234567890";
	assert_int_equal(ecms_label_render_package(&p, ECMS_LABEL_ZPL, &out, &len, &e),
			 ECMS_EINVAL);
	assert_string_equal(e.field, "mpn");
	assert_non_null(strstr(e.message, "mpn: 61 bytes; at most 59 fit"));
	p.mpn = sample_pkg.mpn;
	p.lot = "a\nb";
	assert_int_equal(ecms_label_render_package(&p, ECMS_LABEL_ZPL, &out, &len, &e),
			 ECMS_EINVAL);
	assert_string_equal(e.field, "lot");
	p.lot = NULL;
	p.ipn = "bad \xff";
	assert_int_equal(ecms_label_render_package(&p, ECMS_LABEL_ZPL, &out, &len, &e),
			 ECMS_EINVAL);
	assert_string_equal(e.field, "ipn");
	p.ipn = NULL;
	p.received_ms = -5;
	assert_int_equal(ecms_label_render_package(&p, ECMS_LABEL_ZPL, &out, &len, &e),
			 ECMS_EINVAL);
	assert_string_equal(e.field, "received_ms");
	p.received_ms = INT64_MAX;
	assert_int_equal(ecms_label_render_package(&p, ECMS_LABEL_ZPL, &out, &len, &e),
			 ECMS_EINVAL);
	p.received_ms = TU_NOW_MS;
	p.uid = NULL;
	assert_int_equal(ecms_label_render_package(&p, ECMS_LABEL_ZPL, &out, &len, &e),
			 ECMS_EINVAL);
	assert_string_equal(e.field, "code");
	assert_int_equal(ecms_label_render_package(NULL, ECMS_LABEL_ZPL, &out, &len, &e),
			 ECMS_EUSAGE);
	loc.kind = "shelf\x7f";
	assert_int_equal(ecms_label_render_location(&loc, ECMS_LABEL_PNG, &out, &len, &e),
			 ECMS_EINVAL);
	assert_string_equal(e.field, "kind");
	loc.kind = NULL;
	loc.name = "\xc3";
	assert_int_equal(ecms_label_render_location(&loc, ECMS_LABEL_PNG, &out, &len, &e),
			 ECMS_EINVAL);
	assert_string_equal(e.field, "name");
	assert_null(out);
	assert_int_equal(ecms_label_render_location(NULL, ECMS_LABEL_PNG, &out, &len, &e),
			 ECMS_EUSAGE);

	/* Format names. */
	assert_int_equal(ecms_label_format_parse("zpl", &fmt, &e), ECMS_OK);
	assert_int_equal(fmt, ECMS_LABEL_ZPL);
	assert_int_equal(ecms_label_format_parse("SVG", &fmt, &e), ECMS_OK);
	assert_int_equal(fmt, ECMS_LABEL_SVG);
	assert_int_equal(ecms_label_format_parse("Png", &fmt, &e), ECMS_OK);
	assert_int_equal(fmt, ECMS_LABEL_PNG);
	assert_int_equal(ecms_label_format_parse("pdf", &fmt, &e), ECMS_EUSAGE);
	assert_string_equal(e.message, "unknown label format 'pdf': expected zpl, svg or png");
	assert_string_equal(e.field, "format");
	assert_int_equal(ecms_label_format_parse(NULL, &fmt, NULL), ECMS_EUSAGE);
	assert_string_equal(ecms_label_format_name(ECMS_LABEL_PNG), "png");
	assert_string_equal(ecms_label_format_name((enum ecms_label_format)9), "?");
}

/* Fail each allocation in turn: every failure is a clean ECMS_ENOMEM
 * with nothing returned (ASan checks that nothing leaks). */
static void
test_alloc_failures(void **state)
{
	for (int f = ECMS_LABEL_ZPL; f <= ECMS_LABEL_PNG; f++) {
		for (int which = 0; which < 2; which++) {
			long n;
			int rc = ECMS_ENOMEM;

			for (n = 1; n < 10000; n++) {
				unsigned char *out = (unsigned char *)"x";
				size_t len = 99;
				ecms_error e;

				ecms__alloc_fail_after(n);
				if (which == 0)
					rc = ecms_label_render_package(&sample_pkg,
								       (enum ecms_label_format)f,
								       &out, &len, &e);
				else
					rc = ecms_label_render_location(&sample_loc,
									(enum ecms_label_format)f,
									&out, &len, &e);
				ecms__alloc_fail_after(0);
				if (rc == ECMS_OK) {
					assert_non_null(out);
					ecms_free(out);
					break;
				}
				if (rc != ECMS_ENOMEM)
					fail_msg("format %d, allocation %ld: rc %d (%s)", f, n, rc,
						 e.message);
				assert_null(out);
				assert_int_equal(len, 0);
				assert_non_null(strstr(e.message, "out of memory"));
			}
			assert_int_equal(rc, ECMS_OK);
			assert_true(n > 1); /* at least one failure was injected */
		}
	}
}

/* Rendering after ecms_label_cleanup() works (the caches come back). */
static void
test_cleanup_then_render(void **state)
{
	unsigned char *png;
	size_t len;

	png = render_pkg(&sample_pkg, ECMS_LABEL_PNG, &len);
	ecms_free(png);
	ecms_label_cleanup();
	png = render_pkg(&sample_pkg, ECMS_LABEL_PNG, &len);
	assert_png_decodes(png, len, "again.png", "XU00000012");
	ecms_free(png);
}

static int
teardown(void **state)
{
	ecms_label_cleanup();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_package_decodes),
		cmocka_unit_test(test_png_location_decodes),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_zpl),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_alloc_failures),
		cmocka_unit_test(test_cleanup_then_render),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
