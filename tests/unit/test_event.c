/*
 * test_event.c: the hash-chained event log: appending, reading, and
 * detecting every kind of tampering, including edits of the SQLite file.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "testutil.h"
#include "event.h"

static void
append_n(ecms *h, int n)
{
	assert_int_equal(ecms__begin(h), 0);
	for (int i = 0; i < n; i++) {
		int64_t seq;
		assert_int_equal(ecms__event(h, "test.thing",
					     json_pack("{s:i,s:s}", "i", i, "text", "MARKER"),
					     &seq),
				 0);
	}
	assert_int_equal(ecms__end(h, ECMS_OK), 0);
}

/* Run SQL on the database file with a separate SQLite connection, as a
 * person with the sqlite3 shell would. */
static void
raw_sql(const char *name, const char *sql)
{
	char *p = tu_path(name);
	sqlite3 *db;

	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(p);
}

static int
count_cb(const ecms_event *ev, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void
test_append_and_verify(void **state)
{
	ecms *h = tu_open_store("ev.db");
	ecms_audit a;
	int64_t seq;
	char hash[65];
	int n = 0;

	assert_int_equal(ecms_audit_verify(h, &a), 0);
	assert_true(a.events == 0);
	append_n(h, 10);
	assert_int_equal(ecms_audit_verify(h, &a), 0);
	assert_true(a.events == 10 && a.head_seq == 10);
	assert_int_equal(ecms_log_head(h, &seq, hash), 0);
	assert_true(seq == 10);
	assert_string_equal(hash, a.head_hash);
	assert_int_equal(ecms_log_each(h, 4, NULL, 0, count_cb, &n), 0);
	assert_int_equal(n, 6);
	n = 0;
	assert_int_equal(ecms_log_each(h, 0, "test.", 3, count_cb, &n), 0);
	assert_int_equal(n, 3);
	n = 0;
	assert_int_equal(ecms_log_each(h, 0, "other", 0, count_cb, &n), 0);
	assert_int_equal(n, 0);
	ecms_close(h);
}

static void
test_event_needs_transaction(void **state)
{
	ecms *h = tu_open_store("notx.db");

	assert_int_equal(ecms__event(h, "x", json_object(), NULL), ECMS_EINTERNAL);
	ecms_close(h);
}

static void
test_rolled_back_events_vanish(void **state)
{
	ecms *h = tu_open_store("rb.db");
	ecms_audit a;

	append_n(h, 2);
	assert_int_equal(ecms__begin(h), 0);
	assert_int_equal(ecms__event(h, "x", json_object(), NULL), 0);
	assert_int_equal(ecms__end(h, ECMS_EREFUSED), ECMS_EREFUSED);
	append_n(h, 1);
	assert_int_equal(ecms_audit_verify(h, &a), 0);
	assert_true(a.events == 3);
	ecms_close(h);
}

static void
expect_tamper(const char *db, int64_t bad, const char *reason_part)
{
	char *p = tu_path(db);
	ecms *h = NULL;
	ecms_audit a;

	assert_int_equal(ecms_open(p, 0, &h), 0);
	assert_int_equal(ecms_audit_verify(h, &a), ECMS_ETAMPER);
	if (a.first_bad_seq != bad || !strstr(a.reason, reason_part))
		fail_msg("expected seq %lld '%s', got %lld '%s'", (long long)bad, reason_part,
			 (long long)a.first_bad_seq, a.reason);
	assert_non_null(strstr(ecms_errmsg(h), reason_part));
	ecms_close(h);
	free(p);
}

static void
test_tamper_update_payload(void **state)
{
	ecms *h = tu_open_store("t1.db");

	append_n(h, 5);
	ecms_close(h);
	raw_sql("t1.db", "UPDATE events SET payload = replace(payload, '\"i\":2', '\"i\":9') "
			 "WHERE seq = 3");
	expect_tamper("t1.db", 3, "event 3 was altered");
}

static void
test_tamper_update_actor_and_rehash(void **state)
{
	ecms *h = tu_open_store("t2.db");

	append_n(h, 5);
	ecms_close(h);
	/* Change the actor and copy a valid-looking hash from elsewhere. */
	raw_sql("t2.db", "UPDATE events SET actor = 'mallory' WHERE seq = 2");
	expect_tamper("t2.db", 2, "altered");
	raw_sql("t2.db", "UPDATE events SET hash = (SELECT hash FROM events WHERE seq = 4) "
			 "WHERE seq = 2");
	expect_tamper("t2.db", 2, "altered");
}

static void
test_tamper_delete_middle(void **state)
{
	ecms *h = tu_open_store("t3.db");

	append_n(h, 5);
	ecms_close(h);
	raw_sql("t3.db", "DELETE FROM events WHERE seq = 3");
	expect_tamper("t3.db", 3, "event 3 is missing");
}

static void
test_tamper_delete_tail(void **state)
{
	ecms *h = tu_open_store("t4.db");

	append_n(h, 5);
	ecms_close(h);
	raw_sql("t4.db", "DELETE FROM events WHERE seq >= 4");
	expect_tamper("t4.db", 4, "missing from the end");
}

static void
test_tamper_renumber(void **state)
{
	ecms *h = tu_open_store("t5.db");

	append_n(h, 5);
	ecms_close(h);
	/* Delete an event and shift the rest down: links break. */
	raw_sql("t5.db", "DELETE FROM events WHERE seq = 2; "
			 "UPDATE events SET seq = seq - 1 WHERE seq > 2");
	expect_tamper("t5.db", 2, "does not link");
}

/* Flip one byte of an event payload in the database file itself. */
static void
test_tamper_file_bytes(void **state)
{
	ecms *h = tu_open_store("t6.db");
	char *p = tu_path("t6.db");
	FILE *f;
	long size, at = -1;
	char *buf;

	append_n(h, 5);
	ecms_close(h);
	/* Move everything from the WAL into the main file. */
	raw_sql("t6.db", "PRAGMA wal_checkpoint(TRUNCATE)");
	f = fopen(p, "r+b");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	buf = malloc((size_t)size);
	fseek(f, 0, SEEK_SET);
	assert_true(fread(buf, 1, (size_t)size, f) == (size_t)size);
	for (long i = 0; i + 6 <= size; i++)
		if (memcmp(buf + i, "MARKER", 6) == 0)
			at = i;
	assert_true(at >= 0);
	fseek(f, at, SEEK_SET);
	fputc('W', f); /* MARKER -> WARKER in one event */
	fclose(f);
	free(buf);
	free(p);
	{
		ecms *h2 = NULL;
		ecms_audit a;
		char *p2 = tu_path("t6.db");
		assert_int_equal(ecms_open(p2, 0, &h2), 0);
		assert_int_equal(ecms_audit_verify(h2, &a), ECMS_ETAMPER);
		assert_non_null(strstr(a.reason, "was altered"));
		ecms_close(h2);
		free(p2);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_and_verify),
		cmocka_unit_test(test_event_needs_transaction),
		cmocka_unit_test(test_rolled_back_events_vanish),
		cmocka_unit_test(test_tamper_update_payload),
		cmocka_unit_test(test_tamper_update_actor_and_rehash),
		cmocka_unit_test(test_tamper_delete_middle),
		cmocka_unit_test(test_tamper_delete_tail),
		cmocka_unit_test(test_tamper_renumber),
		cmocka_unit_test(test_tamper_file_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
