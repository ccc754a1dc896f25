/*
 * labelprint.h: ecms's own labels, for packages (UIDs) and locations, as
 * ZPL for Zebra printers, SVG, or PNG (Data Matrix drawn from libzint,
 * text drawn with cairo).
 *
 * Every label is 4 x 2 inches (101.6 x 50.8 mm) at 203 dpi, i.e.
 * 812 x 406 dots; SVG and PNG use the same grid (1 unit or pixel per
 * dot). Left: a square Data Matrix (ECC 200) of the code, 10 dots per
 * module when it fits, the code in text below it. Right: the title in
 * bold, then up to ECMS_LABEL_LINES_MAX lines of text. Font sizes shrink
 * so that long texts fit their column (for ZPL and SVG by an estimate of
 * 0.7 em per character, for PNG by the font's measure). The output is a
 * function of the input only: the same label gives the same bytes.
 */
#ifndef ECMS_LABELPRINT_H
#define ECMS_LABELPRINT_H

#include <stddef.h>
#include <stdint.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ECMS_LABEL_DPI 203
#define ECMS_LABEL_WIDTH 812  /* dots */
#define ECMS_LABEL_HEIGHT 406 /* dots */

#define ECMS_LABEL_LINES_MAX 8
#define ECMS_LABEL_CODE_MAX 32 /* bytes of the Data Matrix content */
#define ECMS_LABEL_TEXT_MAX 64 /* bytes of the title and of each line */

enum ecms_label_format {
	ECMS_LABEL_ZPL, /* ^XA ... ^XZ, UTF-8 (^CI28), text with ^FH escapes */
	ECMS_LABEL_SVG, /* SVG 1.1, UTF-8 */
	ECMS_LABEL_PNG  /* 812 x 406 RGB */
};

/*
 * A label to print. The strings belong to the caller and are only read
 * during the call.
 *  code:  required; printable ASCII (0x21-0x7E) except '~' (the escape
 *         character of a ZPL Data Matrix), 1 to ECMS_LABEL_CODE_MAX
 *         bytes. Encoded in the Data Matrix and printed below it.
 *  title: may be NULL or "".
 *  lines: the first NULL (or the end of the array) ends them; "" leaves
 *         a line blank.
 * Title and lines: UTF-8 without control characters, at most
 * ECMS_LABEL_TEXT_MAX bytes each.
 */
struct ecms_print_label {
	const char *code;
	const char *title;
	const char *lines[ECMS_LABEL_LINES_MAX];
};

/*
 * Render a label in format fmt. On success *out holds the bytes (the
 * caller frees with ecms_free; a NUL follows them, not counted in *len,
 * so ZPL and SVG can be used as strings).
 * Returns ECMS_OK; ECMS_EINVAL for a bad field (err->field is "code",
 * "title" or "lines[i]", the message says what was wrong and where);
 * ECMS_EUSAGE for an unknown format; ECMS_ENOMEM; ECMS_EINTERNAL when
 * libzint or cairo fail otherwise (their text in the message). On
 * failure *out is NULL and *len 0.
 */
int ecms_label_render(const struct ecms_print_label *label, enum ecms_label_format fmt,
		      unsigned char **out /* OUT */, size_t *len /* OUT */,
		      ecms_error *err) ECMS_WUR;

/*
 * What a package label shows. uid is required (a formatted UID from
 * ecms/uid.h, or anything ecms_label_render accepts as code). The
 * others are optional: NULL or "" (quantity < 0, received_ms ==
 * INT64_MIN) leaves the line out. The IPN is the title; the lines are,
 * in this order: "MPN: ", "MFR: ", "LOT: ", "DC: ", "QTY: ", "MSL: ",
 * "RCVD: YYYY-MM-DD" (the UTC date of received_ms).
 */
struct ecms_package_label {
	const char *uid;
	const char *ipn;
	const char *mpn;
	const char *manufacturer;
	const char *lot;
	const char *date_code;
	int64_t quantity;
	const char *msl;
	int64_t received_ms;
};

/*
 * Render a package label. As ecms_label_render; a value that does not
 * fit its line is ECMS_EINVAL with err->field naming it ("mpn", ...).
 */
int ecms_label_render_package(const struct ecms_package_label *pkg,
			      enum ecms_label_format fmt, unsigned char **out /* OUT */,
			      size_t *len /* OUT */, ecms_error *err) ECMS_WUR;

/*
 * What a location label shows: id (required, the code), name (the
 * title), and optionally the kind ("TYPE: dry cabinet") and the parent
 * location ("IN: L-WH1"). NULL or "" leaves a line out.
 */
struct ecms_location_label {
	const char *id;
	const char *name;
	const char *kind;
	const char *parent;
};

/* Render a location label; as ecms_label_render_package. */
int ecms_label_render_location(const struct ecms_location_label *loc,
			       enum ecms_label_format fmt, unsigned char **out /* OUT */,
			       size_t *len /* OUT */, ecms_error *err) ECMS_WUR;

/*
 * Release the font caches that cairo and fontconfig keep for the life
 * of the process once a PNG has been rendered (LeakSanitizer reports
 * them as leaks at exit). Call it at exit, after the last render, with
 * no cairo object alive; rendering afterwards still works (the caches
 * are built again).
 */
void ecms_label_cleanup(void);

/*
 * The format for a name: "zpl", "svg" or "png" (any case).
 * Returns ECMS_OK or ECMS_EUSAGE ("unknown label format 'x': expected
 * zpl, svg or png", field "format").
 */
int ecms_label_format_parse(const char *name, enum ecms_label_format *fmt /* OUT */,
			    ecms_error *err) ECMS_WUR;

/* "zpl", "svg", "png"; "?" for a value outside the enum. */
const char *ecms_label_format_name(enum ecms_label_format fmt);

#ifdef __cplusplus
}
#endif
#endif /* ECMS_LABELPRINT_H */
