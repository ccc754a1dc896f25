/*
 * store.c: the backend-neutral half of storage: the statement cache,
 * parameter binding by format string, nested transactions, migrations.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "event.h"
#include "store/store.h"

static int
bind_args(ecms *h, ecms__stmt *st, const char *fmt, va_list ap)
{
	const struct store_ops *o = h->ops;
	int i = 1, rc = ECMS_OK;

	/* An empty format leaves binding to the caller (ecms__bind_json). */
	if (fmt && *fmt && (int)strlen(fmt) != o->param_count(st))
		return ecms__ctxfail(h, ECMS_EINTERNAL, NULL,
				     "bind format \"%s\" has %zu letters for %d parameters", fmt,
				     strlen(fmt), o->param_count(st));

	for (const char *f = fmt; f && *f && rc == ECMS_OK; f++, i++) {
		switch (*f) {
		case 'i':
			rc = o->bind_int(st, i, va_arg(ap, int64_t));
			break;
		case 'B':
			rc = o->bind_int(st, i, va_arg(ap, int) ? 1 : 0);
			break;
		case 'd':
			rc = o->bind_double(st, i, va_arg(ap, double));
			break;
		case 't': {
			const char *s = va_arg(ap, const char *);
			rc = s ? o->bind_text(st, i, s, strlen(s)) : o->bind_null(st, i);
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);
			rc = o->bind_blob(st, i, p, n);
			break;
		}
		case 'n':
			rc = o->bind_null(st, i);
			break;
		default:
			return ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "bad bind format '%c'", *f);
		}
	}
	if (rc)
		return ecms__ctxfail(h, rc, NULL, "binding parameter %d failed", i - 1);
	return ECMS_OK;
}

static int
vq(ecms *h, ecms__stmt **out, const char *sql, const char *fmt, va_list ap)
{
	int i, rc, slot = -1;

	*out = NULL;
	for (i = 0; i < h->ncache; i++) {
		if (h->cache[i].sql == sql && !h->cache[i].busy) {
			slot = i;
			break;
		}
	}
	if (slot < 0) {
		ecms__stmt *st;
		rc = h->ops->prepare(h->store, sql, &st, &h->err);
		if (rc)
			return rc;
		if (h->ncache < ECMS__STMT_CACHE) {
			slot = h->ncache++;
		} else {
			/* Evict the first idle entry. */
			for (i = 0; i < h->ncache && h->cache[i].busy; i++)
				;
			if (i == h->ncache) {
				h->ops->finalize(st);
				return ecms__ctxfail(h, ECMS_EINTERNAL, NULL,
						     "statement cache exhausted");
			}
			h->ops->finalize(h->cache[i].st);
			slot = i;
		}
		h->cache[slot].sql = sql;
		h->cache[slot].st = st;
	}
	h->cache[slot].busy = true;
	rc = bind_args(h, h->cache[slot].st, fmt, ap);
	if (rc) {
		ecms__done(h, h->cache[slot].st);
		return rc;
	}
	*out = h->cache[slot].st;
	return ECMS_OK;
}

int
ecms__q(ecms *h, ecms__stmt **out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vq(h, out, sql, fmt, ap);
	va_end(ap);
	return rc;
}

int
ecms__bind_json(ecms *h, ecms__stmt *st, int i, const void *json)
{
	const json_t *v = json;
	const struct store_ops *o = h->ops;
	int rc;

	if (v == NULL || json_is_null(v)) {
		rc = o->bind_null(st, i);
	} else if (json_is_string(v)) {
		rc = o->bind_text(st, i, json_string_value(v), json_string_length(v));
	} else if (json_is_integer(v)) {
		rc = o->bind_int(st, i, json_integer_value(v));
	} else if (json_is_real(v)) {
		rc = o->bind_double(st, i, json_real_value(v));
	} else if (json_is_boolean(v)) {
		rc = o->bind_int(st, i, json_is_true(v));
	} else {
		return ecms__ctxfail(h, ECMS_EINTERNAL, NULL,
				     "parameter %d: cannot bind a JSON array or object", i);
	}
	if (rc)
		return ecms__ctxfail(h, rc, NULL, "binding parameter %d failed", i);
	return ECMS_OK;
}

int
ecms__exec_json(ecms *h, const char *sql, const void *params)
{
	ecms__stmt *st;
	size_t i;
	json_t *v;
	int rc;

	if ((rc = ecms__q(h, &st, sql, "")))
		return rc;
	json_array_foreach((json_t *)params, i, v) {
		if ((rc = ecms__bind_json(h, st, (int)i + 1, v))) {
			ecms__done(h, st);
			return rc;
		}
	}
	while ((rc = ecms__step(h, st)) == ECMS__ROW)
		;
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

int
ecms__step(ecms *h, ecms__stmt *st)
{
	return h->ops->step(st, &h->err);
}

void
ecms__done(ecms *h, ecms__stmt *st)
{
	if (st == NULL)
		return;
	h->ops->reset(st);
	for (int i = 0; i < h->ncache; i++) {
		if (h->cache[i].st == st) {
			h->cache[i].busy = false;
			return;
		}
	}
}

int
ecms__exec(ecms *h, const char *sql, const char *fmt, ...)
{
	ecms__stmt *st;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vq(h, &st, sql, fmt, ap);
	va_end(ap);
	if (rc)
		return rc;
	while ((rc = ecms__step(h, st)) == ECMS__ROW)
		;
	ecms__done(h, st);
	return rc == ECMS__DONE ? ECMS_OK : rc;
}

int
ecms__query_int(ecms *h, int64_t *out, const char *sql, const char *fmt, ...)
{
	ecms__stmt *st;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vq(h, &st, sql, fmt, ap);
	va_end(ap);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		*out = h->ops->column_int(st, 0);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ECMS_ENOTFOUND;
	}
	ecms__done(h, st);
	return rc;
}

/* The column accessors need the ops table; statements remember theirs
 * through the first field of every backend's statement struct. */
struct ecms__stmt_head {
	const struct store_ops *ops;
};
#define OPS(st) (((struct ecms__stmt_head *)(void *)(st))->ops)

bool
ecms__col_null(ecms__stmt *st, int col)
{
	return OPS(st)->column_null(st, col);
}

int64_t
ecms__col_int(ecms__stmt *st, int col)
{
	return OPS(st)->column_int(st, col);
}

double
ecms__col_double(ecms__stmt *st, int col)
{
	return OPS(st)->column_double(st, col);
}

const char *
ecms__col_text(ecms__stmt *st, int col)
{
	return OPS(st)->column_text(st, col);
}

const void *
ecms__col_blob(ecms__stmt *st, int col, size_t *n)
{
	return OPS(st)->column_blob(st, col, n);
}

int64_t
ecms__changes(ecms *h)
{
	return h->ops->changes(h->store);
}

int
ecms__begin(ecms *h)
{
	int rc;

	if (h->tx_depth++ > 0)
		return ECMS_OK;
	if (h->in_read) {
		h->tx_depth = 0;
		return ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "a write inside a read snapshot");
	}
	h->tx_failed = false;
	h->head_loaded = false;
	rc = h->ops->begin(h->store, &h->err);
	if (rc)
		h->tx_depth = 0;
	return rc;
}

int
ecms__end(ecms *h, int rc)
{
	int rc2;

	if (h->tx_depth <= 0)
		return rc ? rc
			  : ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "transaction end without begin");
	if (rc)
		h->tx_failed = true;
	if (--h->tx_depth > 0)
		return rc;
	h->head_loaded = false;
	if (h->group) { /* its rows go with the transaction: a bug if committed */
		ecms__group_discard(h);
		if (!h->tx_failed && !rc)
			rc = ecms__ctxfail(h, ECMS_EINTERNAL, NULL,
					   "transaction ended with an event group open");
		h->tx_failed = true;
	}
	if (h->tx_failed) {
		ecms_error keep = h->err;
		h->ops->rollback(h->store, &h->err);
		h->err = keep; /* report the cause, not the rollback */
		return rc ? rc : ECMS_EINTERNAL;
	}
	rc2 = h->ops->commit(h->store, &h->err);
	if (rc2) {
		ecms_error keep = h->err;
		h->ops->rollback(h->store, &h->err);
		h->err = keep;
	}
	return rc2;
}

int
ecms__read_begin(ecms *h, bool *own)
{
	int rc;

	*own = false;
	if (h->tx_depth > 0 || h->in_read)
		return ECMS_OK;
	rc = h->ops->begin_read(h->store, &h->err);
	if (rc == ECMS_OK)
		h->in_read = *own = true;
	return rc;
}

int
ecms__read_end(ecms *h, bool own, int rc)
{
	int rc2;

	if (!own)
		return rc;
	h->in_read = false;
	/* Ending a read-only transaction: commit and rollback are the same. */
	rc2 = h->ops->commit(h->store, rc ? NULL : &h->err);
	if (rc2)
		h->ops->rollback(h->store, NULL);
	return rc ? rc : rc2;
}

/* ------------------------------------------------------------------
 * Migrations
 * ------------------------------------------------------------------ */

int
ecms__store_version(ecms *h, int *version)
{
	int64_t v = 0;
	int rc;

	*version = 0;
	rc = h->ops->exec(h->store,
			  "CREATE TABLE IF NOT EXISTS schema_version ("
			  "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
			  "applied_ms BIGINT NOT NULL)",
			  &h->err);
	if (rc)
		return rc;
	rc = ecms__query_int(h, &v, "SELECT MAX(version) FROM schema_version", "");
	if (rc && rc != ECMS_ENOTFOUND)
		return rc;
	*version = (int)v;
	return ECMS_OK;
}

int
ecms__migrate(ecms *h, int *from, int *to)
{
	int ver, rc, i;

	rc = ecms__store_version(h, &ver);
	if (rc)
		return rc;
	*from = *to = ver;
	if (ver > ecms_schema_version())
		return ecms__ctxfail(h, ECMS_ESCHEMA, NULL,
				     "the database has schema version %d, newer "
				     "than this binary's %d: use a newer ecms",
				     ver, ecms_schema_version());
	for (i = 0; i < ecms__migration_count; i++) {
		const struct ecms__migration *m = &ecms__migrations[i];
		char *sql;

		if (m->version <= ver)
			continue;
		sql = h->ops->schema_sql(m->sql);
		if (sql == NULL)
			return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
		rc = ecms__begin(h);
		if (rc == ECMS_OK) {
			rc = h->ops->exec(h->store, sql, &h->err);
			if (rc)
				ecms__error_prefix(&h->err, "migration %03d_%s", m->version,
						   m->name);
		}
		if (rc == ECMS_OK)
			rc = ecms__exec(h,
					"INSERT INTO schema_version (version, name, "
					"applied_ms) VALUES (?, ?, ?)",
					"iti", (int64_t)m->version, m->name, ecms_now(h));
		ecms__free(sql);
		rc = ecms__end(h, rc);
		if (rc)
			return rc;
		*to = m->version;
	}
	return ECMS_OK;
}

char *
ecms__schema_map(const char *sql, const char *const map[][2])
{
	ecms_buf b;
	const char *p = sql;

	ecms__buf_init(&b, 0);
	while (*p) {
		int i;
		for (i = 0; map[i][0]; i++) {
			size_t n = strlen(map[i][0]);
			if (strncmp(p, map[i][0], n) == 0) {
				if (ecms__buf_adds(&b, map[i][1]))
					goto oom;
				p += n;
				break;
			}
		}
		if (map[i][0] == NULL && ecms__buf_addc(&b, *p++))
			goto oom;
	}
	return ecms__buf_take(&b);
oom:
	ecms__buf_cleanup(&b);
	return NULL;
}
