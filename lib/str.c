/*
 * str.c: small string and file helpers shared across libecms.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecms_int.h"

size_t
ecms__strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);

	if (n) {
		size_t c = len < n - 1 ? len : n - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return len;
}

bool
ecms__parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || *s == ' ' || *s == '\t')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool
ecms__parse_double(const char *s, double *out)
{
	char *end;
	double v;

	if (s == NULL || *s == '\0' || *s == ' ' || *s == '\t')
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end != '\0' || !isfinite(v))
		return false;
	*out = v;
	return true;
}

bool
ecms__streq_nocase(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x += 32;
		if (y >= 'A' && y <= 'Z')
			y += 32;
		if (x != y)
			return false;
		if (x == 0)
			return true;
	}
}

void
ecms__hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int
ecms__read_file(const char *path, size_t max, char **out, size_t *len, ecms_error *err)
{
	ecms_buf b;
	char chunk[65536];
	FILE *f;
	size_t n;
	int rc = ECMS_OK;

	*out = NULL;
	*len = 0;
	f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	/* A file that is not there is the user's bad input (exit 3), not an
	 * internal failure. */
	if (f == NULL)
		return ecms__fail(err, errno == ENOENT ? ECMS_ENOTFOUND : ECMS_EIO, NULL,
				  "%s: cannot open: %s", path, strerror(errno));
	ecms__buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		rc = ecms__buf_add(&b, chunk, n);
		if (rc == ECMS_EINVAL) {
			ecms__fail(err, rc, NULL, "%s: larger than %zu bytes", path, max);
			break;
		} else if (rc) {
			ecms__fail(err, rc, NULL, "%s: out of memory", path);
			break;
		}
	}
	if (rc == ECMS_OK && ferror(f))
		rc = ecms__fail(err, ECMS_EIO, NULL, "%s: read error: %s", path, strerror(errno));
	if (f != stdin)
		fclose(f);
	if (rc) {
		ecms__buf_cleanup(&b);
		return rc;
	}
	*len = b.len;
	*out = ecms__buf_take(&b);
	if (*out == NULL)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "%s: out of memory", path);
	return ECMS_OK;
}
