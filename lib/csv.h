/*
 * csv.h (internal): an RFC 4180 CSV reader that keeps line numbers, so
 * every error can say FILE:LINE.
 */
#ifndef ECMS_CSV_H
#define ECMS_CSV_H

#include "ecms_int.h"

#define ECMS_CSV_MAX_ROWS 10000000
#define ECMS_CSV_MAX_COLS 256

struct ecms__csv_row {
	int line; /* where the record starts, from 1 */
	int ncols;
	char **cols; /* NUL-terminated values */
};

struct ecms__csv {
	int nrows; /* rows[0] is the header */
	struct ecms__csv_row *rows;
};

/*
 * Parse text: fields separated by sep (',' or ';'), double-quoted fields
 * with "" as an escaped quote, CRLF or LF line ends, a UTF-8 BOM skipped,
 * blank lines skipped. Every row must have as many columns as the header.
 * On success *out is owned by the caller (ecms__csv_free). Errors name
 * fname and the line.
 */
int ecms__csv_parse(const char *text, size_t len, const char *fname, char sep,
		    struct ecms__csv **out, ecms_error *err) ECMS_WUR;
void ecms__csv_free(struct ecms__csv *c);

/* Index of a header column by case-insensitive name, or -1. */
int ecms__csv_col(const struct ecms__csv *c, const char *name);

#endif
