/*
 * ctx.c: the ecms handle: opening a store, the actor, the clock and the
 * last error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ecms/uid.h"
#include "store/store.h"

int
ecms__ctxfail(ecms *h, int rc, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ecms__vfail(&h->err, rc, field, fmt, ap);
	va_end(ap);
	return rc;
}

int
ecms__no_package(ecms *h, const char *uid)
{
	uint64_t seq;
	int rc;

	if (uid && ecms_uid_looks_like(uid) && (rc = ecms_uid_parse(uid, &seq, &h->err)))
		return rc;
	return ecms__ctxfail(h, ECMS_ENOTFOUND, "uid", "no package '%s'", uid ? uid : "");
}

static bool
is_pg_uri(const char *target)
{
	return strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0;
}

int
ecms_open(const char *target, unsigned flags, ecms **out)
{
	ecms *h;
	const char *env;
	int rc, ver = 0;

	*out = NULL;
	if (sodium_init() < 0)
		return ECMS_EINTERNAL;
	h = ecms__calloc(1, sizeof(*h));
	if (h == NULL)
		return ECMS_ENOMEM;
	*out = h;
	ecms__strlcpy(h->actor, "system", sizeof(h->actor));
	h->now_ms = -1;
	if ((env = getenv("ECMS_NOW")) != NULL && *env) {
		rc = ecms_time_parse(env, &h->now_ms, &h->err);
		if (rc) {
			ecms__error_prefix(&h->err, "ECMS_NOW");
			return rc;
		}
		if ((env = getenv("ECMS_NOW_STEP_MS")) != NULL && *env &&
		    !ecms__parse_i64(env, 0, INT64_C(86400000), &h->now_step))
			return ecms__ctxfail(h, ECMS_EINVAL, "ECMS_NOW_STEP_MS",
					     "ECMS_NOW_STEP_MS: '%s' is not a number "
					     "of milliseconds",
					     env);
	}
	if (is_pg_uri(target))
		return ecms__ctxfail(h, ECMS_ENOTBUILT, NULL,
				     "%s: this version stores to SQLite files only; "
				     "the PostgreSQL backend is not part of it",
				     target);
	h->ops = &ecms__store_sqlite;
	rc = h->ops->open(&h->store, target, flags, &h->err);
	if (rc)
		return rc;
	if (flags & ECMS_OPEN_NOSCHEMA)
		return ECMS_OK;
	rc = ecms__store_version(h, &ver);
	if (rc)
		return rc;
	if (ver == 0)
		return ecms__ctxfail(h, ECMS_ESCHEMA, NULL,
				     "%s has no ecms schema: run 'ecms init' first", target);
	if (ver > ecms_schema_version())
		return ecms__ctxfail(h, ECMS_ESCHEMA, NULL,
				     "%s has schema version %d, newer than this "
				     "binary's %d: use a newer ecms",
				     target, ver, ecms_schema_version());
	if (ver < ecms_schema_version())
		return ecms__ctxfail(h, ECMS_ESCHEMA, NULL,
				     "%s has schema version %d, older than this "
				     "binary's %d: run 'ecms init' to migrate",
				     target, ver, ecms_schema_version());
	return ECMS_OK;
}

void
ecms_close(ecms *h)
{
	if (h == NULL)
		return;
	for (int i = 0; i < h->ncache; i++)
		if (h->cache[i].st)
			h->ops->finalize(h->cache[i].st);
	if (h->store)
		h->ops->close(h->store);
	ecms__free(h);
}

const char *
ecms_errmsg(const ecms *h)
{
	return h ? h->err.message : "out of memory";
}

const char *
ecms_errfield(const ecms *h)
{
	return h ? h->err.field : "";
}

const ecms_error *
ecms_lasterror(const ecms *h)
{
	return &h->err;
}

int
ecms_set_actor(ecms *h, const char *user, const char *station)
{
	if (user && strlen(user) >= sizeof(h->actor))
		return ecms__ctxfail(h, ECMS_EINVAL, "user", "user ID longer than %zu characters",
				     sizeof(h->actor) - 1);
	if (station && strlen(station) >= sizeof(h->station))
		return ecms__ctxfail(h, ECMS_EINVAL, "station",
				     "station ID longer than %zu characters",
				     sizeof(h->station) - 1);
	ecms__strlcpy(h->actor, user && *user ? user : "system", sizeof(h->actor));
	ecms__strlcpy(h->station, station ? station : "", sizeof(h->station));
	return ECMS_OK;
}

const char *
ecms_actor(const ecms *h)
{
	return h->actor;
}

const char *
ecms_station(const ecms *h)
{
	return h->station;
}

void
ecms_set_now(ecms *h, int64_t ms)
{
	h->now_ms = ms;
}

int64_t
ecms_now(ecms *h)
{
	int64_t t;

	if (h->now_ms < 0)
		return ecms_clock_ms();
	t = h->now_ms;
	h->now_ms += h->now_step;
	return t;
}

int
ecms_schema_version(void)
{
	return ecms__migrations[ecms__migration_count - 1].version;
}

int
ecms_init(ecms *h, int *from, int *to)
{
	int f = 0, t = 0, rc;

	rc = ecms__migrate(h, &f, &t);
	if (from)
		*from = f;
	if (to)
		*to = t;
	return rc;
}
