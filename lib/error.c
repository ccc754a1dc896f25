/*
 * error.c: the error enum's texts, exit codes, and recording details.
 */
#include <stdio.h>
#include <string.h>

#include "ecms_int.h"

static const struct {
	const char *text;
	int exit_code;
} rc_table[ECMS_RC_COUNT] = {
	[ECMS_OK] = { "ok", 0 },
	[ECMS_EUSAGE] = { "usage error", 2 },
	[ECMS_EINVAL] = { "bad data", 3 },
	[ECMS_ENOTFOUND] = { "not found", 3 },
	[ECMS_EEXIST] = { "already exists", 3 },
	[ECMS_ESCHEMA] = { "schema mismatch", 3 },
	[ECMS_EREFUSED] = { "refused", 1 },
	[ECMS_EDENIED] = { "permission denied", 1 },
	[ECMS_EAUTH] = { "authentication failed", 1 },
	[ECMS_ETAMPER] = { "event log does not verify", 1 },
	[ECMS_EBUSY] = { "store busy", 4 },
	[ECMS_ESTORE] = { "store error", 4 },
	[ECMS_EIO] = { "I/O error", 4 },
	[ECMS_ENOMEM] = { "out of memory", 4 },
	[ECMS_ENOTBUILT] = { "not built into this binary", 4 },
	[ECMS_EINTERNAL] = { "internal error", 4 },
};

const char *
ecms_strerror(int rc)
{
	if (rc < 0 || rc >= ECMS_RC_COUNT)
		return "unknown error";
	return rc_table[rc].text;
}

int
ecms_exit_code(int rc)
{
	if (rc < 0 || rc >= ECMS_RC_COUNT)
		return 4;
	return rc_table[rc].exit_code;
}

void
ecms_error_clear(ecms_error *err)
{
	if (err == NULL)
		return;
	err->rc = ECMS_OK;
	err->field[0] = '\0';
	err->message[0] = '\0';
}

int
ecms__vfail(ecms_error *err, int rc, const char *field, const char *fmt, va_list ap)
{
	if (err == NULL)
		return rc;
	err->rc = rc;
	ecms__strlcpy(err->field, field ? field : "", sizeof(err->field));
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return rc;
}

int
ecms__fail(ecms_error *err, int rc, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ecms__vfail(err, rc, field, fmt, ap);
	va_end(ap);
	return rc;
}

void
ecms__error_prefix(ecms_error *err, const char *fmt, ...)
{
	char pre[ECMS_ERRMSG_MAX], all[2 * ECMS_ERRMSG_MAX + 2];
	size_t n;
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	n = ecms__strlcpy(all, pre, sizeof(all));
	all[n++] = ':';
	all[n++] = ' ';
	ecms__strlcpy(all + n, err->message, sizeof(all) - n);
	ecms__strlcpy(err->message, all, sizeof(err->message));
}
