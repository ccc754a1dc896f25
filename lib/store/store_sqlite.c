/*
 * store_sqlite.c: the SQLite backend (the embedded default).
 *
 * WAL journal, foreign keys on, a busy timeout, synchronous=FULL (a
 * committed traceability record survives power loss). Native result
 * codes are translated to ecms_rc here and nowhere else; the native
 * text is kept in the message.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "store/store.h"

#define BUSY_TIMEOUT_MS 10000

struct store {
	sqlite3 *db;
};

struct ecms__stmt {
	const struct store_ops *ops; /* must be first: see store.c */
	sqlite3_stmt *st;
	struct store *s;
};

static int
map_rc(int src)
{
	switch (src & 0xff) {
	case SQLITE_OK:
		return ECMS_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ECMS_EBUSY;
	case SQLITE_NOMEM:
		return ECMS_ENOMEM;
	case SQLITE_CONSTRAINT:
		if (src == SQLITE_CONSTRAINT_UNIQUE || src == SQLITE_CONSTRAINT_PRIMARYKEY)
			return ECMS_EEXIST;
		return ECMS_EINVAL;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_FULL:
	case SQLITE_READONLY:
		return ECMS_EIO;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return ECMS_ESTORE;
	default:
		return ECMS_ESTORE;
	}
}

static int
fail_db(struct store *s, int src, ecms_error *err, const char *what)
{
	return ecms__fail(err, map_rc(src), NULL, "%s: %s", what,
			  s && s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(src));
}

static int
sq_exec(struct store *s, const char *sql, ecms_error *err)
{
	char *msg = NULL;
	int src = sqlite3_exec(s->db, sql, NULL, NULL, &msg);

	if (src != SQLITE_OK) {
		ecms__fail(err, map_rc(sqlite3_extended_errcode(s->db)), NULL, "sqlite: %s",
			   msg ? msg : sqlite3_errstr(src));
		sqlite3_free(msg);
		return err ? err->rc : map_rc(src);
	}
	return ECMS_OK;
}

static void
sq_close(struct store *s)
{
	if (s == NULL)
		return;
	sqlite3_close(s->db);
	ecms__free(s);
}

static int
sq_open(struct store **out, const char *target, unsigned flags, ecms_error *err)
{
	struct store *s;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int src, rc;

	*out = NULL;
	if (flags & ECMS_OPEN_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	s = ecms__calloc(1, sizeof(*s));
	if (s == NULL)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
	src = sqlite3_open_v2(target, &s->db, oflags, NULL);
	if (src != SQLITE_OK) {
		if (src == SQLITE_CANTOPEN && !(flags & ECMS_OPEN_CREATE))
			ecms__fail(err, ECMS_ESCHEMA, NULL,
				   "cannot open database %s: no such file "
				   "(create it with 'ecms init')",
				   target);
		else
			ecms__fail(err, map_rc(src), NULL, "cannot open database %s: %s", target,
				   s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(src));
		sq_close(s);
		return err ? err->rc : ECMS_EIO;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	rc = sq_exec(s,
		     "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
		     "PRAGMA synchronous=FULL;",
		     err);
	if (rc) {
		ecms__error_prefix(err, "%s", target);
		sq_close(s);
		return rc;
	}
	*out = s;
	return ECMS_OK;
}

static int
sq_begin(struct store *s, ecms_error *err)
{
	/* IMMEDIATE: take the write lock now, so two writers never
	 * deadlock upgrading their read locks. */
	return sq_exec(s, "BEGIN IMMEDIATE", err);
}

static int
sq_begin_read(struct store *s, ecms_error *err)
{
	/* DEFERRED: the read lock (a WAL snapshot) is taken by the first
	 * read and kept until COMMIT. */
	return sq_exec(s, "BEGIN", err);
}

static int
sq_commit(struct store *s, ecms_error *err)
{
	return sq_exec(s, "COMMIT", err);
}

static int
sq_rollback(struct store *s, ecms_error *err)
{
	if (sqlite3_get_autocommit(s->db))
		return ECMS_OK;
	return sq_exec(s, "ROLLBACK", err);
}

static char *
sq_schema_sql(const char *sql)
{
	static const char *const map[][2] = {
		{ "{ID}", "INTEGER PRIMARY KEY" },
		{ "{BIGINT}", "INTEGER" },
		{ "{REAL}", "REAL" },
		{ "{BLOB}", "BLOB" },
		{ "{WITHOUT_ROWID}", "WITHOUT ROWID" },
		{ NULL, NULL },
	};
	return ecms__schema_map(sql, map);
}

static int
sq_prepare(struct store *s, const char *sql, ecms__stmt **out, ecms_error *err)
{
	ecms__stmt *st;
	int src;

	*out = NULL;
	st = ecms__calloc(1, sizeof(*st));
	if (st == NULL)
		return ecms__fail(err, ECMS_ENOMEM, NULL, "out of memory");
	src = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->st, NULL);
	if (src != SQLITE_OK) {
		ecms__fail(err, ECMS_EINTERNAL, NULL, "sqlite prepare: %s in: %.200s",
			   sqlite3_errmsg(s->db), sql);
		ecms__free(st);
		return ECMS_EINTERNAL;
	}
	st->ops = &ecms__store_sqlite;
	st->s = s;
	*out = st;
	return ECMS_OK;
}

static void
sq_finalize(ecms__stmt *st)
{
	sqlite3_finalize(st->st);
	ecms__free(st);
}

static void
sq_reset(ecms__stmt *st)
{
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
}

static int
sq_bind_null(ecms__stmt *st, int i)
{
	return map_rc(sqlite3_bind_null(st->st, i));
}

static int
sq_bind_int(ecms__stmt *st, int i, int64_t v)
{
	return map_rc(sqlite3_bind_int64(st->st, i, v));
}

static int
sq_bind_double(ecms__stmt *st, int i, double v)
{
	return map_rc(sqlite3_bind_double(st->st, i, v));
}

static int
sq_bind_text(ecms__stmt *st, int i, const char *v, size_t n)
{
	return map_rc(sqlite3_bind_text64(st->st, i, v, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int
sq_bind_blob(ecms__stmt *st, int i, const void *v, size_t n)
{
	return map_rc(sqlite3_bind_blob64(st->st, i, v ? v : "", n, SQLITE_TRANSIENT));
}

static int
sq_step(ecms__stmt *st, ecms_error *err)
{
	int src = sqlite3_step(st->st);

	if (src == SQLITE_ROW)
		return ECMS__ROW;
	if (src == SQLITE_DONE)
		return ECMS__DONE;
	src = sqlite3_extended_errcode(st->s->db);
	return fail_db(st->s, src, err, "sqlite");
}

static int
sq_column_count(ecms__stmt *st)
{
	return sqlite3_column_count(st->st);
}

static int
sq_param_count(ecms__stmt *st)
{
	return sqlite3_bind_parameter_count(st->st);
}

static bool
sq_column_null(ecms__stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

static int64_t
sq_column_int(ecms__stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

static double
sq_column_double(ecms__stmt *st, int col)
{
	return sqlite3_column_double(st->st, col);
}

static const char *
sq_column_text(ecms__stmt *st, int col)
{
	/* NULL for SQL NULL (and on OOM): no separate type check needed. */
	return (const char *)sqlite3_column_text(st->st, col);
}

static const void *
sq_column_blob(ecms__stmt *st, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(st->st, col);

	*n = (size_t)sqlite3_column_bytes(st->st, col);
	return p;
}

static int64_t
sq_changes(struct store *s)
{
	return sqlite3_changes64(s->db);
}

const struct store_ops ecms__store_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.begin = sq_begin,
	.begin_read = sq_begin_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.schema_sql = sq_schema_sql,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind_null = sq_bind_null,
	.bind_int = sq_bind_int,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_blob = sq_bind_blob,
	.step = sq_step,
	.column_count = sq_column_count,
	.param_count = sq_param_count,
	.column_null = sq_column_null,
	.column_int = sq_column_int,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.column_blob = sq_column_blob,
	.changes = sq_changes,
};
