/*
 * csv.c: RFC 4180 CSV reading with line numbers.
 */
#include <string.h>

#include "csv.h"

void
ecms__csv_free(struct ecms__csv *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < c->nrows; i++) {
		for (int j = 0; j < c->rows[i].ncols; j++)
			ecms__free(c->rows[i].cols[j]);
		ecms__free(c->rows[i].cols);
	}
	ecms__free(c->rows);
	ecms__free(c);
}

static int
push_col(struct ecms__csv_row *r, ecms_buf *f)
{
	char **cols;
	char *v;

	if (r->ncols >= ECMS_CSV_MAX_COLS)
		return ECMS_EINVAL;
	v = ecms__strndup(f->data ? f->data : "", f->len);
	if (v == NULL)
		return ECMS_ENOMEM;
	cols = ecms__realloc(r->cols, sizeof(char *) * (size_t)(r->ncols + 1));
	if (cols == NULL) {
		ecms__free(v);
		return ECMS_ENOMEM;
	}
	r->cols = cols;
	r->cols[r->ncols++] = v;
	ecms__buf_reset(f);
	return ECMS_OK;
}

static int
push_row(struct ecms__csv *c, struct ecms__csv_row *r, int *cap)
{
	if (c->nrows >= ECMS_CSV_MAX_ROWS)
		return ECMS_EINVAL;
	if (c->nrows == *cap) {
		int ncap = *cap ? *cap * 2 : 64;
		struct ecms__csv_row *rows = ecms__realloc(c->rows, sizeof(*rows) * (size_t)ncap);
		if (rows == NULL)
			return ECMS_ENOMEM;
		c->rows = rows;
		*cap = ncap;
	}
	c->rows[c->nrows++] = *r;
	memset(r, 0, sizeof(*r));
	return ECMS_OK;
}

static void
row_free(struct ecms__csv_row *r)
{
	for (int j = 0; j < r->ncols; j++)
		ecms__free(r->cols[j]);
	ecms__free(r->cols);
	memset(r, 0, sizeof(*r));
}

int
ecms__csv_parse(const char *text, size_t len, const char *fname, char sep, struct ecms__csv **out,
		ecms_error *err)
{
	struct ecms__csv *c;
	struct ecms__csv_row r = { 0 };
	ecms_buf f;
	size_t i = 0;
	int line = 1, cap = 0, rc = ECMS_OK;
	bool quoted, any;

	*out = NULL;
	c = ecms__calloc(1, sizeof(*c));
	if (c == NULL)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
	ecms__buf_init(&f, 1 << 20);
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len) {
		/* One record. */
		r.line = line;
		any = false;
		for (;;) {
			/* One field. */
			quoted = false;
			if (i < len && text[i] == '"') {
				quoted = true;
				i++;
				for (;;) {
					if (i >= len) {
						rc = ecms__fail(err, ECMS_EINVAL, NULL,
								"%s:%d: a quoted field is not "
								"closed",
								fname, r.line);
						goto out;
					}
					if (text[i] == '"') {
						if (i + 1 < len && text[i + 1] == '"') {
							rc = ecms__buf_addc(&f, '"');
							i += 2;
						} else {
							i++;
							break;
						}
					} else {
						if (text[i] == '\n')
							line++;
						rc = ecms__buf_addc(&f, text[i++]);
					}
					if (rc)
						goto oom;
				}
			}
			while (i < len && text[i] != sep && text[i] != '\n' && text[i] != '\r') {
				if (quoted || text[i] == '"') {
					rc = ecms__fail(err, ECMS_EINVAL, NULL,
							"%s:%d: stray quote character in "
							"field %d (quote the whole field "
							"and double inner quotes)",
							fname, line, r.ncols + 1);
					goto out;
				}
				if ((rc = ecms__buf_addc(&f, text[i++])))
					goto oom;
			}
			if (quoted || f.len)
				any = true;
			if ((rc = push_col(&r, &f))) {
				if (rc == ECMS_EINVAL) {
					rc = ecms__fail(err, rc, NULL,
							"%s:%d: more than %d "
							"columns",
							fname, line, ECMS_CSV_MAX_COLS);
					goto out;
				}
				goto oom;
			}
			if (i < len && text[i] == sep) {
				i++;
				any = true;
				continue;
			}
			break;
		}
		/* End of record. */
		if (i < len && text[i] == '\r')
			i++;
		if (i < len && text[i] == '\n')
			i++;
		line++;
		if (!any) { /* blank line */
			row_free(&r);
			continue;
		}
		if (c->nrows > 0 && r.ncols != c->rows[0].ncols) {
			rc = ecms__fail(err, ECMS_EINVAL, NULL,
					"%s:%d: %d columns, but the header has %d", fname, r.line,
					r.ncols, c->rows[0].ncols);
			goto out;
		}
		if ((rc = push_row(c, &r, &cap))) {
			if (rc == ECMS_EINVAL) {
				rc = ecms__fail(err, rc, NULL, "%s: more than %d rows", fname,
						ECMS_CSV_MAX_ROWS);
				goto out;
			}
			goto oom;
		}
	}
	if (c->nrows == 0) {
		rc = ecms__fail(err, ECMS_EINVAL, NULL,
				"%s: empty file (expected a "
				"header line)",
				fname);
		goto out;
	}
	ecms__buf_cleanup(&f);
	*out = c;
	return ECMS_OK;
oom:
	rc = ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
out:
	row_free(&r);
	ecms__buf_cleanup(&f);
	ecms__csv_free(c);
	return rc;
}

int
ecms__csv_col(const struct ecms__csv *c, const char *name)
{
	for (int j = 0; j < c->rows[0].ncols; j++)
		if (ecms__streq_nocase(c->rows[0].cols[j], name))
			return j;
	return -1;
}
