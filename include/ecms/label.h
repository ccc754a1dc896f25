/*
 * label.h: reading the barcode on a supplier's packaging label (reel,
 * bag, tray): ISO/IEC 15434 format 06 (ECIA EIGP 114: Digi-Key, Mouser,
 * Farnell, Würth...), GS1 (application identifiers), LCSC's "{k:v,...}"
 * QR code and TME's QR and older DataMatrix codes.
 *
 * The input is the bytes a scanner delivers. What real scanners do to
 * them (symbology prefixes, control characters typed as printable ones or
 * sent as Unicode pictures, old or broken headers and trailers, caps lock)
 * is repaired and recorded as a warning; what cannot be read without
 * guessing is refused with ECMS_EINVAL and a message saying why.
 */
#ifndef ECMS_LABEL_H
#define ECMS_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The longest scan accepted, in bytes (a Data Matrix holds at most 3116). */
#define ECMS_LABEL_MAX_SCAN 16384

/*
 * How the scanning station delivers separators. A keyboard-wedge scanner
 * may type GS (0x1D) and RS (0x1E) as printable characters, e.g. ']' and
 * '^'; name them here (0 = none). They must be ASCII punctuation and
 * differ from each other. A substitute is applied only when the scan holds
 * no real control character of that kind. An RS substitute followed by
 * 'd' or 'D' at the end of the scan is the RS+EOT trailer. Without
 * options, substitutes standing in the header ("[)>^06]") are recognised.
 */
typedef struct ecms_label_opts {
	char gs_sub;
	char rs_sub;
} ecms_label_opts;

/* One identifier as read: an EIGP data identifier ("1P"), a GS1 AI
 * ("17"), an LCSC or TME key ("pm", "QTY"), "URL" or "RoHS" for TME. */
typedef struct ecms_label_field {
	const char *id;
	const char *value;
} ecms_label_field;

/*
 * A parsed label. Every string is NUL-terminated, owned by the label and
 * lives until ecms_label_free(); a named field is NULL when the label
 * does not carry it (an empty value counts as absent).
 */
typedef struct ecms_label {
	const char *format;       /* "eigp114", "gs1", "lcsc" or "tme" */
	const char *supplier;     /* "digikey", "mouser", "farnell", "lcsc", "tme" or NULL */
	const char *mpn;          /* manufacturer part number */
	const char *manufacturer;
	const char *supplier_pn;  /* the distributor's part number */
	const char *customer_pn;  /* the customer's own part number (EIGP P, GS1 241) */
	int64_t quantity;         /* valid when has_quantity */
	bool has_quantity;
	const char *lot;
	const char *date_code;    /* as printed */
	const char *date_code_week; /* ISO 8601 week "2023-W41" when decodable */
	const char *country;      /* ISO 3166 alpha-2 when known */
	const char *po;           /* customer purchase order */
	const char *po_line;
	const char *supplier_order;
	const char *packing_list;
	const char *serial;       /* package ID: EIGP S/3S/4S/5S, GS1 21 or 00 */
	const char *gtin;
	const char *expiry;       /* YYYY-MM-DD */
	const char *symbology;    /* AIM identifier the scanner sent ("]d1"), or NULL */
	bool compliant_header;    /* EIGP: exactly "[)>" RS "06" GS */
	bool compliant_trailer;   /* EIGP: exactly RS EOT at the end */
	size_t nfields;
	const ecms_label_field *fields; /* every identifier, in order */
	size_t nwarnings;
	const char *const *warnings;    /* what was repaired or doubtful */
	const char *raw;          /* the normalised scan (GS/RS/EOT as control bytes) */
	size_t raw_len;
} ecms_label;

/*
 * Parse the len bytes of a scan (need not be NUL-terminated). opts may be
 * NULL. On success *out is a new label (free with ecms_label_free()).
 * Errors: ECMS_EINVAL for a scan that is empty, of no known format, a
 * GS1 GTIN with a wrong check digit, an EIGP string that lost its
 * separators, and other unreadable input (err says what and where);
 * ECMS_EUSAGE for bad opts; ECMS_ENOMEM. On error *out is NULL.
 */
int ecms_label_parse(const char *scan, size_t len, const ecms_label_opts *opts,
		     ecms_label **out /* OUT */, ecms_error *err) ECMS_WUR;

/* Free a label from ecms_label_parse(). NULL is a no-op. */
void ecms_label_free(ecms_label *label);

/*
 * The names of the named fields, in output order, NULL-terminated:
 * "format", "supplier", "mpn", ... "expiry" (the keys of the JSON form,
 * before "fields" and "warnings").
 */
extern const char *const ecms_label_names[];

/*
 * The value of the named field `name` as text, or NULL when absent or
 * when name is not one of ecms_label_names. The quantity is formatted
 * into buf; other values point into the label.
 */
#define ECMS_LABEL_NUMBUF 24
const char *ecms_label_get(const ecms_label *label, const char *name,
			   char buf[ECMS_LABEL_NUMBUF]);

/*
 * The label as a JSON object: the named fields (null when absent,
 * quantity a number), "fields" ([{"id","value"}...]) and "warnings"
 * ([string...]). pretty: indented by 2, else compact. *out is a new
 * string (free with ecms_free()). Returns ECMS_OK or ECMS_ENOMEM.
 */
int ecms_label_to_json(const ecms_label *label, bool pretty, char **out /* OUT */) ECMS_WUR;

/*
 * Decode a date code as printed on a label: YYWW, YYYYWW, YYMMDD,
 * YYYYMMDD or YYYY-MM (six digits are read as YYMMDD when that is a valid
 * date, else as YYYYWW; two-digit years are 20YY). Sets the ISO 8601
 * week-numbering year and week, and *ms_start to the first day meant:
 * the Monday of the week, the day itself, or the first of the month, at
 * 00:00 UTC. Any OUT pointer may be NULL. Returns ECMS_OK, or
 * ECMS_EINVAL for anything else ("N/T", "MIXED", week 54...).
 */
int ecms_datecode_decode(const char *dc, int *iso_year /* OUT */, int *iso_week /* OUT */,
			 int64_t *ms_start /* OUT */);

#ifdef __cplusplus
}
#endif
#endif /* ECMS_LABEL_H */
