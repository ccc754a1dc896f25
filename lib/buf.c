/*
 * buf.c: growable, capped, always NUL-terminated byte buffers.
 */
#include <stdio.h>
#include <string.h>

#include "ecms_int.h"

void
ecms__buf_init(ecms_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : ECMS_BUF_MAX_DEFAULT;
}

void
ecms__buf_cleanup(ecms_buf *b)
{
	ecms__free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
ecms__buf_reset(ecms_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int
buf_reserve(ecms_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return ECMS_EINVAL;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return ECMS_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = ecms__realloc(b->data, cap);
	if (p == NULL)
		return ECMS_ENOMEM;
	b->data = p;
	b->cap = cap;
	return ECMS_OK;
}

int
ecms__buf_add(ecms_buf *b, const void *p, size_t n)
{
	int rc = buf_reserve(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return ECMS_OK;
}

int
ecms__buf_adds(ecms_buf *b, const char *s)
{
	return ecms__buf_add(b, s, strlen(s));
}

int
ecms__buf_addc(ecms_buf *b, char c)
{
	return ecms__buf_add(b, &c, 1);
}

int
ecms__buf_vprintf(ecms_buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n, rc;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return ECMS_EINVAL;
	rc = buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return ECMS_OK;
}

int
ecms__buf_printf(ecms_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ecms__buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *
ecms__buf_take(ecms_buf *b)
{
	char *p;

	if (b->data == NULL && ecms__buf_add(b, "", 0))
		return NULL;
	p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
