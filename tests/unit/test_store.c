/*
 * test_store.c: the store layer: migrations and version checks,
 * transactions (all or nothing, nesting), read snapshots, the statement
 * cache, binding.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "testutil.h"
#include "store/store.h"

static void
test_open_requires_schema(void **state)
{
	char *p = tu_path("noschema.db");
	ecms *h = NULL;

	unlink(p);
	/* No file at all: refused with a hint to run init. */
	assert_int_equal(ecms_open(p, 0, &h), ECMS_ESCHEMA);
	assert_non_null(strstr(ecms_errmsg(h), "ecms init"));
	ecms_close(h);
	/* A file without the schema: refused too. */
	assert_int_equal(ecms_open(p, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h), 0);
	ecms_close(h);
	assert_int_equal(ecms_open(p, 0, &h), ECMS_ESCHEMA);
	assert_non_null(strstr(ecms_errmsg(h), "no ecms schema"));
	ecms_close(h);
	free(p);
}

static void
test_newer_schema_refused(void **state)
{
	ecms *h = tu_open_store("newer.db");
	char *p = tu_path("newer.db");
	int from, to;

	/* Pretend a newer binary migrated this database. */
	assert_int_equal(ecms__exec(h,
				    "INSERT INTO schema_version (version, name, "
				    "applied_ms) VALUES (999, 'future', 0)",
				    ""),
			 0);
	ecms_close(h);
	assert_int_equal(ecms_open(p, 0, &h), ECMS_ESCHEMA);
	assert_non_null(strstr(ecms_errmsg(h), "newer than this binary"));
	ecms_close(h);
	assert_int_equal(ecms_open(p, ECMS_OPEN_NOSCHEMA, &h), 0);
	assert_int_equal(ecms_init(h, &from, &to), ECMS_ESCHEMA);
	ecms_close(h);
	free(p);
}

static void
test_init_idempotent(void **state)
{
	ecms *h = tu_open_store("idem.db");
	int from, to;

	assert_int_equal(ecms_init(h, &from, &to), 0);
	assert_int_equal(from, ecms_schema_version());
	assert_int_equal(to, ecms_schema_version());
	ecms_close(h);
}

static void
test_transaction_all_or_nothing(void **state)
{
	ecms *h = tu_open_store("tx.db");
	int64_t n = -1;

	assert_int_equal(ecms__begin(h), 0);
	assert_int_equal(
		ecms__exec(h, "INSERT INTO meta (key, value) VALUES (?, ?)", "tt", "a", "1"), 0);
	/* Nested level fails: the whole transaction rolls back. */
	assert_int_equal(ecms__begin(h), 0);
	assert_int_equal(
		ecms__exec(h, "INSERT INTO meta (key, value) VALUES (?, ?)", "tt", "b", "2"), 0);
	assert_int_equal(ecms__end(h, ECMS_EINVAL), ECMS_EINVAL);
	assert_int_equal(ecms__end(h, ECMS_OK), ECMS_EINTERNAL);
	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM meta", ""), 0);
	assert_true(n == 0);
	/* A constraint violation maps to ECMS_EEXIST and rolls back. */
	assert_int_equal(ecms__begin(h), 0);
	assert_int_equal(ecms__exec(h, "INSERT INTO meta (key, value) VALUES ('k', 'v')", ""), 0);
	assert_int_equal(ecms__exec(h, "INSERT INTO meta (key, value) VALUES ('k', 'v')", ""),
			 ECMS_EEXIST);
	assert_int_equal(ecms__end(h, ECMS_EEXIST), ECMS_EEXIST);
	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM meta", ""), 0);
	assert_true(n == 0);
	ecms_close(h);
}

static void
test_read_snapshot(void **state)
{
	ecms *h = tu_open_store("snap.db"), *w = NULL;
	char *p = tu_path("snap.db");
	int64_t n = -1;
	bool own = false, inner = true;

	assert_int_equal(ecms_open(p, 0, &w), 0);
	/* The outermost call opens the snapshot; a nested one does not. */
	assert_int_equal(ecms__read_begin(h, &own), 0);
	assert_true(own);
	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM meta", ""), 0);
	assert_true(n == 0);
	assert_int_equal(ecms__read_begin(h, &inner), 0);
	assert_false(inner);
	/* Another connection writes; the snapshot does not see it. */
	assert_int_equal(ecms__exec(w, "INSERT INTO meta (key, value) VALUES ('k', 'v')", ""), 0);
	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM meta", ""), 0);
	assert_true(n == 0);
	/* No writes inside a snapshot. */
	assert_int_equal(ecms__begin(h), ECMS_EINTERNAL);
	assert_int_equal(ecms__read_end(h, inner, ECMS_OK), ECMS_OK);
	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM meta", ""), 0);
	assert_true(n == 0);
	/* The error passed in is returned; the snapshot is closed anyway. */
	assert_int_equal(ecms__read_end(h, own, ECMS_EINVAL), ECMS_EINVAL);
	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM meta", ""), 0);
	assert_true(n == 1);
	/* Inside a write transaction a snapshot is a no-op. */
	assert_int_equal(ecms__begin(h), 0);
	assert_int_equal(ecms__read_begin(h, &own), 0);
	assert_false(own);
	assert_int_equal(ecms__read_end(h, own, ECMS_OK), ECMS_OK);
	assert_int_equal(ecms__exec(h, "INSERT INTO meta (key, value) VALUES ('k2', 'v')", ""), 0);
	assert_int_equal(ecms__end(h, ECMS_OK), ECMS_OK);
	assert_int_equal(ecms__query_int(h, &n, "SELECT COUNT(*) FROM meta", ""), 0);
	assert_true(n == 2);
	ecms_close(w);
	ecms_close(h);
	free(p);
}

static void
test_bind_and_cache(void **state)
{
	ecms *h = tu_open_store("bind.db");
	static const char *sel = "SELECT ?, ?, ?, ?";
	ecms__stmt *st, *st2;
	json_t *j;

	assert_int_equal(ecms__q(h, &st, sel, "itdn", (int64_t)42, "x", 1.5), 0);
	assert_int_equal(ecms__step(h, st), ECMS__ROW);
	assert_true(ecms__col_int(st, 0) == 42);
	assert_string_equal(ecms__col_text(st, 1), "x");
	assert_true(ecms__col_double(st, 2) == 1.5);
	assert_true(ecms__col_null(st, 3));
	/* The same SQL while the first is out: a second statement. */
	assert_int_equal(ecms__q(h, &st2, sel, "itdn", (int64_t)7, "y", 2.0), 0);
	assert_ptr_not_equal(st, st2);
	ecms__done(h, st2);
	ecms__done(h, st);
	/* Given back: reused, with new bindings. */
	assert_int_equal(ecms__q(h, &st2, sel, "itdn", (int64_t)8, "z", 3.0), 0);
	assert_true(st2 == st || st2 != NULL);
	assert_int_equal(ecms__step(h, st2), ECMS__ROW);
	assert_true(ecms__col_int(st2, 0) == 8);
	ecms__done(h, st2);
	/* JSON binding. */
	assert_int_equal(ecms__q(h, &st, "SELECT ?", ""), 0);
	j = json_true();
	assert_int_equal(ecms__bind_json(h, st, 1, j), 0);
	assert_int_equal(ecms__step(h, st), ECMS__ROW);
	assert_true(ecms__col_int(st, 0) == 1);
	ecms__done(h, st);
	json_decref(j);
	/* Bad SQL is an internal error with the text. */
	assert_int_equal(ecms__exec(h, "SELEKT 1", ""), ECMS_EINTERNAL);
	assert_non_null(strstr(ecms_errmsg(h), "SELEKT"));
	ecms_close(h);
}

static void
test_schema_map(void **state)
{
	static const char *const map[][2] = { { "{ID}", "SERIAL" },
					      { "{X}", "y" },
					      { NULL, NULL } };
	char *s = ecms__schema_map("a {ID} b {X}{X} {Y}", map);

	assert_string_equal(s, "a SERIAL b yy {Y}");
	ecms_free(s);
}

static void
test_now_injection(void **state)
{
	ecms *h = NULL;
	char *p = tu_path("now.db");

	setenv("ECMS_NOW", "2026-03-01T10:00:00.000Z", 1);
	setenv("ECMS_NOW_STEP_MS", "5", 1);
	assert_int_equal(ecms_open(p, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h), 0);
	assert_true(ecms_now(h) == INT64_C(1772359200000));
	assert_true(ecms_now(h) == INT64_C(1772359200005));
	ecms_close(h);
	setenv("ECMS_NOW", "yesterday", 1);
	assert_int_equal(ecms_open(p, ECMS_OPEN_CREATE | ECMS_OPEN_NOSCHEMA, &h), ECMS_EINVAL);
	assert_non_null(strstr(ecms_errmsg(h), "ECMS_NOW"));
	ecms_close(h);
	unsetenv("ECMS_NOW");
	unsetenv("ECMS_NOW_STEP_MS");
	free(p);
}

static void
test_pg_uri_refused(void **state)
{
	ecms *h = NULL;

	assert_int_equal(ecms_open("postgresql://localhost/ecms", 0, &h), ECMS_ENOTBUILT);
	assert_non_null(strstr(ecms_errmsg(h), "SQLite"));
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_requires_schema),
		cmocka_unit_test(test_newer_schema_refused),
		cmocka_unit_test(test_init_idempotent),
		cmocka_unit_test(test_transaction_all_or_nothing),
		cmocka_unit_test(test_read_snapshot),
		cmocka_unit_test(test_bind_and_cache),
		cmocka_unit_test(test_schema_map),
		cmocka_unit_test(test_now_injection),
		cmocka_unit_test(test_pg_uri_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
