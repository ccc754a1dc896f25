/*
 * test_auth.c: passwords and PINs as Argon2id hashes; re-authentication.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ecms/auth.h"
#include "ecms/master.h"
#include "store/store.h"

static ecms *
store_with_users(const char *name)
{
	ecms *h = tu_open_store(name);
	char *p = tu_write_file("users.csv", "id,name,role,badge,active\n"
					     "quinn,Quinn,qa,B-1,yes\nold,Old,qa,B-2,no\n");
	ecms_import_report rep;

	assert_int_equal(ecms_import(h, "users", p, &rep), 0);
	ecms_import_report_cleanup(&rep);
	free(p);
	return h;
}

static void
test_password(void **state)
{
	ecms *h = store_with_users("pw.db");
	bool has;
	int64_t n;

	assert_int_equal(ecms_auth_has(h, "quinn", ECMS_SECRET_PASSWORD, &has), 0);
	assert_false(has);
	assert_int_equal(ecms_auth_check(h, "quinn", ECMS_SECRET_PASSWORD, "whatever1"),
			 ECMS_EAUTH);
	assert_int_equal(ecms_auth_set(h, "quinn", ECMS_SECRET_PASSWORD, "short"), ECMS_EINVAL);
	assert_int_equal(ecms_auth_set(h, "quinn", ECMS_SECRET_PASSWORD, "correct horse"), 0);
	assert_int_equal(ecms_auth_check(h, "quinn", ECMS_SECRET_PASSWORD, "correct horse"), 0);
	assert_int_equal(ecms_auth_check(h, "quinn", ECMS_SECRET_PASSWORD, "correct horsE"),
			 ECMS_EAUTH);
	assert_non_null(strstr(ecms_errmsg(h), "authentication failed for 'quinn'"));
	/* The hash is Argon2id and the clear text is nowhere. */
	assert_int_equal(ecms__query_int(h, &n,
					 "SELECT COUNT(*) FROM users WHERE secret_hash "
					 "LIKE '$argon2id$%'",
					 ""),
			 0);
	assert_true(n == 1);
	assert_int_equal(ecms__query_int(h, &n,
					 "SELECT COUNT(*) FROM events WHERE payload "
					 "LIKE '%correct horse%'",
					 ""),
			 0);
	assert_true(n == 0);
	assert_int_equal(ecms_auth_set(h, "nobody", ECMS_SECRET_PASSWORD, "12345678"),
			 ECMS_ENOTFOUND);
	ecms_close(h);
}

static void
test_pin_and_badge(void **state)
{
	ecms *h = store_with_users("pin.db");
	char *u;

	assert_int_equal(ecms_auth_set(h, "quinn", ECMS_SECRET_PIN, "12a4"), ECMS_EINVAL);
	assert_int_equal(ecms_auth_set(h, "quinn", ECMS_SECRET_PIN, "123"), ECMS_EINVAL);
	assert_int_equal(ecms_auth_set(h, "quinn", ECMS_SECRET_PIN, "2468"), 0);
	assert_int_equal(ecms_auth_badge_user(h, "B-1", &u), 0);
	assert_string_equal(u, "quinn");
	ecms_free(u);
	assert_int_equal(ecms_auth_check(h, "quinn", ECMS_SECRET_PIN, "2468"), 0);
	assert_int_equal(ecms_auth_check(h, "quinn", ECMS_SECRET_PIN, "1357"), ECMS_EAUTH);
	/* Inactive users cannot authenticate or be found by badge. */
	assert_int_equal(ecms_auth_set(h, "old", ECMS_SECRET_PIN, "1111"), 0);
	assert_int_equal(ecms_auth_check(h, "old", ECMS_SECRET_PIN, "1111"), ECMS_EAUTH);
	assert_int_equal(ecms_auth_badge_user(h, "B-2", &u), ECMS_ENOTFOUND);
	assert_int_equal(ecms_auth_role(h, "quinn", &u), 0);
	assert_string_equal(u, "qa");
	ecms_free(u);
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_pin_and_badge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
