/*
 * test_core.c: time parsing and formatting, buffers, string helpers,
 * error texts.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ecms_int.h"

static void
test_time_roundtrip(void **state)
{
	char buf[ECMS_TIME_LEN];
	int64_t ms;

	assert_int_equal(ecms_time_parse("2026-01-15T08:00:00.000Z", &ms, NULL), 0);
	assert_true(ms == TU_NOW_MS);
	assert_string_equal(ecms_time_format(ms, buf), "2026-01-15T08:00:00.000Z");
	/* Offsets are applied; 7 fractional digits (CFX) truncate to ms. */
	assert_int_equal(ecms_time_parse("2018-10-03T16:03:05.1091909-04:00", &ms, NULL), 0);
	assert_string_equal(ecms_time_format(ms, buf), "2018-10-03T20:03:05.109Z");
	assert_int_equal(ecms_time_parse("2024-02-29", &ms, NULL), 0);
	assert_string_equal(ecms_time_format(ms, buf), "2024-02-29T00:00:00.000Z");
	assert_int_equal(ecms_time_parse("1969-12-31T23:59:59.999Z", &ms, NULL), 0);
	assert_true(ms == -1);
	assert_string_equal(ecms_time_format(ms, buf), "1969-12-31T23:59:59.999Z");
}

static void
test_time_rejects(void **state)
{
	ecms_error e;
	int64_t ms;
	const char *bad[] = { "",
			      "2026-13-01",
			      "2023-02-29",
			      "2026-01-15T25:00",
			      "2026-01-15T08:00:00+5",
			      "15.01.2026",
			      "2026-01-15X" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ecms_time_parse(bad[i], &ms, &e), ECMS_EINVAL);
		assert_non_null(strstr(e.message, bad[i]));
	}
}

static void
test_buf(void **state)
{
	ecms_buf b;
	char *s;

	ecms__buf_init(&b, 10);
	assert_int_equal(ecms__buf_adds(&b, "hello"), 0);
	assert_int_equal(ecms__buf_printf(&b, "%d", 1234), 0);
	assert_string_equal(b.data, "hello1234");
	/* Past the cap: refused, buffer unchanged. */
	assert_int_equal(ecms__buf_adds(&b, "xx"), ECMS_EINVAL);
	assert_string_equal(b.data, "hello1234");
	s = ecms__buf_take(&b);
	assert_string_equal(s, "hello1234");
	ecms_free(s);
	assert_null(b.data);
}

static void
test_alloc_failure(void **state)
{
	ecms_buf b;

	ecms__buf_init(&b, 0);
	ecms__alloc_fail_after(1);
	assert_int_equal(ecms__buf_adds(&b, "x"), ECMS_ENOMEM);
	ecms__alloc_fail_after(0);
	assert_int_equal(ecms__buf_adds(&b, "x"), 0);
	ecms__buf_cleanup(&b);
}

static void
test_parse_numbers(void **state)
{
	int64_t v;
	double d;

	assert_true(ecms__parse_i64("42", 0, 100, &v) && v == 42);
	assert_false(ecms__parse_i64("101", 0, 100, &v));
	assert_false(ecms__parse_i64("4x", 0, 100, &v));
	assert_false(ecms__parse_i64(" 4", 0, 100, &v));
	assert_false(ecms__parse_i64("", 0, 100, &v));
	assert_true(ecms__parse_double("1.5", &d) && d == 1.5);
	assert_false(ecms__parse_double("nan", &d));
	assert_false(ecms__parse_double("1,5", &d));
}

static void
test_errors(void **state)
{
	assert_int_equal(ecms_exit_code(ECMS_OK), 0);
	assert_int_equal(ecms_exit_code(ECMS_EREFUSED), 1);
	assert_int_equal(ecms_exit_code(ECMS_EUSAGE), 2);
	assert_int_equal(ecms_exit_code(ECMS_EINVAL), 3);
	assert_int_equal(ecms_exit_code(ECMS_ESTORE), 4);
	for (int rc = 0; rc < ECMS_RC_COUNT; rc++)
		assert_non_null(ecms_strerror(rc));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_roundtrip),
		cmocka_unit_test(test_time_rejects),
		cmocka_unit_test(test_buf),
		cmocka_unit_test(test_alloc_failure),
		cmocka_unit_test(test_parse_numbers),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
