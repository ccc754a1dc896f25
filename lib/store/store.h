/*
 * store.h: the one storage interface of libecms.
 *
 * Callers write SQL once, in the subset SQLite and PostgreSQL both
 * accept: `?` placeholders, INSERT ... ON CONFLICT, RETURNING, no
 * INSERT OR IGNORE, no dialect functions. A backend (struct store_ops)
 * maps placeholders, schema type tokens and native errors in one place:
 * store_sqlite.c, store_pg.c. Callers never #ifdef on a backend.
 *
 * Statements are prepared once and cached per connection, keyed by the
 * SQL text's address: pass string literals (or other storage that
 * outlives the handle). ecms__q() hands out a reset statement with its
 * parameters bound; ecms__step() walks rows; ecms__done() gives it back.
 *
 * Schema type tokens, replaced by the backend in migrations:
 *   {ID}    auto-increment 64-bit primary key
 *   {BIGINT} 64-bit integer   {BLOB} byte string   {REAL} double
 */
#ifndef ECMS_STORE_H
#define ECMS_STORE_H

#include "ecms_int.h"

typedef struct ecms__stmt ecms__stmt;
struct store;

/* Step results, besides error codes (which are ecms_rc values > 0). */
enum { ECMS__ROW = 100, ECMS__DONE = 101 };

/* The backend table. Every function returns ECMS_OK or an ecms_rc and
 * leaves the native detail in err. */
struct store_ops {
	const char *name;
	int (*open)(struct store **out, const char *target, unsigned flags, ecms_error *err);
	void (*close)(struct store *s);
	/* Run one or more statements with no parameters and no rows. */
	int (*exec)(struct store *s, const char *sql, ecms_error *err);
	int (*begin)(struct store *s, ecms_error *err);
	/* Open a read-only transaction: the statements until commit read
	 * one snapshot. */
	int (*begin_read)(struct store *s, ecms_error *err);
	int (*commit)(struct store *s, ecms_error *err);
	int (*rollback)(struct store *s, ecms_error *err);
	/* Rewrite a migration's type tokens for this dialect (caller frees). */
	char *(*schema_sql)(const char *sql);

	int (*prepare)(struct store *s, const char *sql, ecms__stmt **out, ecms_error *err);
	void (*finalize)(ecms__stmt *st);
	void (*reset)(ecms__stmt *st);
	int (*bind_null)(ecms__stmt *st, int i);
	int (*bind_int)(ecms__stmt *st, int i, int64_t v);
	int (*bind_double)(ecms__stmt *st, int i, double v);
	int (*bind_text)(ecms__stmt *st, int i, const char *v, size_t n);
	int (*bind_blob)(ecms__stmt *st, int i, const void *v, size_t n);
	int (*step)(ecms__stmt *st, ecms_error *err);
	int (*column_count)(ecms__stmt *st);
	int (*param_count)(ecms__stmt *st);
	bool (*column_null)(ecms__stmt *st, int col);
	int64_t (*column_int)(ecms__stmt *st, int col);
	double (*column_double)(ecms__stmt *st, int col);
	const char *(*column_text)(ecms__stmt *st, int col); /* NULL if null */
	const void *(*column_blob)(ecms__stmt *st, int col, size_t *n);
	int64_t (*changes)(struct store *s);
};

extern const struct store_ops ecms__store_sqlite;

/* Replace schema type tokens by map (pairs, NULL-terminated). Caller
 * frees; NULL on OOM. For backends' schema_sql. */
char *ecms__schema_map(const char *sql, const char *const map[][2]);

/* A schema migration, generated from lib/store/schema/NNN_name.sql. */
struct ecms__migration {
	int version;
	const char *name;
	const char *sql;
};
extern const struct ecms__migration ecms__migrations[];
extern const int ecms__migration_count;

/* ------------------------------------------------------------------
 * The handle (ctx.c). Internal: the struct behind the public ecms *.
 * ------------------------------------------------------------------ */
#define ECMS__STMT_CACHE 256

struct ecms {
	const struct store_ops *ops;
	struct store *store;
	ecms_error err;
	char actor[64];
	char station[64];
	int64_t now_ms;   /* < 0: the real clock */
	int64_t now_step; /* added after each read of an injected clock */
	int tx_depth;     /* nested ecms__begin count */
	bool in_read;     /* a read snapshot (ecms__read_begin) is open */
	bool tx_failed;   /* an inner level asked for rollback */
	struct {
		const char *sql;
		ecms__stmt *st;
		bool busy;
	} cache[ECMS__STMT_CACHE];
	int ncache;
	/* Event log chain head, cached while a transaction is open. */
	int64_t last_seq;
	char last_hash[65];
	bool head_loaded;
	struct ecms__group *group; /* open event group (event.c), or NULL */
};

/* Record an error on the handle; returns rc. */
int ecms__ctxfail(ecms *h, int rc, const char *field, const char *fmt, ...) ECMS_PRINTF(4, 5);
/* The error for a package UID that names no package: the UID check's own
 * (ECMS_EINVAL, "check character mismatch: mistyped or misread", ...) when
 * uid has the form of a UID but does not pass it, else ECMS_ENOTFOUND
 * "no package 'uid'". Returns the rc. */
int ecms__no_package(ecms *h, const char *uid);

/* ------------------------------------------------------------------
 * Queries (store.c)
 * ------------------------------------------------------------------ */

/*
 * Prepare (or take from the cache) `sql` and bind parameters by fmt,
 * one char per `?`:
 *   i int64_t    t const char * (NULL binds NULL)   d double
 *   n NULL (no argument)    b const void *, size_t (a blob)
 *   B int as a 0/1 flag
 * On success *out is ready to step; give it back with ecms__done().
 */
int ecms__q(ecms *h, ecms__stmt **out, const char *sql, const char *fmt, ...) ECMS_WUR;

/* Bind parameter i (from 1) of a statement from ecms__q(h, &st, sql, "")
 * to a JSON scalar: null, string, integer, real, or boolean (as 0/1). */
int ecms__bind_json(ecms *h, ecms__stmt *st, int i, const void *json) ECMS_WUR;

/* Run a statement to completion with parameters taken from a JSON array
 * of scalars (null, string, integer, real, boolean), in order. */
int ecms__exec_json(ecms *h, const char *sql, const void *params) ECMS_WUR;

/* ECMS__ROW, ECMS__DONE, or an error recorded on h. */
int ecms__step(ecms *h, ecms__stmt *st);

/* Give a statement back to the cache (resets it). NULL is a no-op. */
void ecms__done(ecms *h, ecms__stmt *st);

/* Run a statement to completion (no rows expected). */
int ecms__exec(ecms *h, const char *sql, const char *fmt, ...) ECMS_WUR;

/* Run a query expecting at most one row with one integer column.
 * ECMS_ENOTFOUND (not recorded on h) when there is no row. */
int ecms__query_int(ecms *h, int64_t *out, const char *sql, const char *fmt, ...) ECMS_WUR;

/* Columns of the current row. */
bool ecms__col_null(ecms__stmt *st, int col);
int64_t ecms__col_int(ecms__stmt *st, int col);
double ecms__col_double(ecms__stmt *st, int col);
const char *ecms__col_text(ecms__stmt *st, int col); /* NULL if SQL NULL */
const void *ecms__col_blob(ecms__stmt *st, int col, size_t *n);

/* Rows changed by the last statement. */
int64_t ecms__changes(ecms *h);

/*
 * Transactions. begin/commit nest: only the outermost pair reaches the
 * store. ecms__end(h, rc) commits when rc == ECMS_OK and rolls back
 * otherwise, and returns rc (or the commit's error): the usual way to
 * close a command's transaction so it is all-or-nothing.
 */
int ecms__begin(ecms *h) ECMS_WUR;
int ecms__end(ecms *h, int rc);

/*
 * A read snapshot around a query of many statements (a trace): they then
 * read one state of the store, and the store takes its read lock once,
 * not once per statement. *own is set when this call opened it (no
 * transaction or snapshot was open); pass it to ecms__read_end(h, own,
 * rc), which closes it then and returns rc (or the close's error). No
 * writes (ecms__begin) inside one.
 */
int ecms__read_begin(ecms *h, bool *own) ECMS_WUR;
int ecms__read_end(ecms *h, bool own, int rc);

/* Apply migrations (ecms_init). */
int ecms__migrate(ecms *h, int *from, int *to);
/* The schema version in the store, 0 if none. */
int ecms__store_version(ecms *h, int *version);

#endif /* ECMS_STORE_H */
