/*
 * bench_util.h: what every benchmark program shares: dying with a
 * message, and the thin SQLite wrappers its one-row-per-placement baseline
 * uses. Include after defining BENCH_NAME (the program's name for
 * messages) and after <sqlite3.h> and "ecms/ecms.h".
 */
#ifndef ECMS_BENCH_UTIL_H
#define ECMS_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, BENCH_NAME ": %s: %s\n", what, detail ? detail : "");
	exit(1);
}

#define ECMS_OK_OR_DIE(h, expr)                                                                    \
	do {                                                                                       \
		if ((expr) != ECMS_OK)                                                             \
			die(#expr, ecms_errmsg(h));                                                \
	} while (0)

/* Run SQL text (no rows), or die. */
static void
sq(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die(sql, msg);
}

/* A prepared statement, or die. The caller finalizes it. */
static sqlite3_stmt *
prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(db));
	return st;
}

/* Step a bound insert to completion and reset it, or die. */
static void
run(sqlite3 *db, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die("insert", sqlite3_errmsg(db));
	sqlite3_reset(st);
}

#endif
