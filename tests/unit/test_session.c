/*
 * test_session.c: login sessions, CSRF tokens, the login rate limit and
 * API tokens (lib/session.c), on a store with a fixed clock.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ecms/auth.h"
#include "ecms/event.h"
#include "ecms/master.h"
#include "ecms/session.h"
#include "store/store.h"

static const char users_csv[] = "id,name,role,active\n"
				"ada,Ada Admin,admin,yes\n"
				"vic,Vic Viewer,viewer,yes\n"
				"gone,Gone Away,qa,no\n";

static ecms *
store(const char *name)
{
	ecms *h = tu_open_store(name);
	ecms_import_report rep;

	assert_int_equal(ecms_import_text(h, "users", "users", users_csv, strlen(users_csv), &rep),
			 0);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_auth_set(h, "ada", ECMS_SECRET_PASSWORD, "correct horse"), 0);
	assert_int_equal(ecms_auth_set(h, "gone", ECMS_SECRET_PASSWORD, "correct horse"), 0);
	return h;
}

static int64_t
count(ecms *h, const char *sql)
{
	int64_t n = -1;

	assert_int_equal(ecms__query_int(h, &n, sql, ""), 0);
	return n;
}

static void
test_login_session(void **state)
{
	ecms *h = store("login.db");
	ecms_login_result r;
	ecms_principal p;
	char session[65], csrf[65], sql[300];

	assert_int_equal(ecms_login(h, "ada", "correct horse", "10.0.0.1", 0, &r), ECMS_OK);
	assert_string_equal(r.role, "admin");
	assert_int_equal(strlen(r.session), 64);
	assert_int_equal(strlen(r.csrf), 64);
	assert_string_not_equal(r.session, r.csrf);
	assert_true(r.expires_ms == TU_NOW_MS + ECMS_SESSION_TTL_MS);
	strcpy(session, r.session);
	strcpy(csrf, r.csrf);
	/* Only hashes are stored. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM sessions"), 1);

	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM sessions WHERE token_sha256 = '%s' OR "
		 "csrf_sha256 = '%s'",
		 session, csrf);
	assert_int_equal(count(h, sql), 0);

	assert_int_equal(ecms_session_check(h, session, &p), ECMS_OK);
	assert_int_equal(p.kind, ECMS_PRINCIPAL_SESSION);
	assert_string_equal(p.name, "ada");
	assert_string_equal(p.actor, "ada");
	assert_string_equal(p.role, "admin");
	assert_true(ecms_session_csrf_ok(&p, csrf));
	assert_false(ecms_session_csrf_ok(&p, session));
	assert_false(ecms_session_csrf_ok(&p, NULL));
	assert_false(ecms_session_csrf_ok(&p, ""));
	csrf[0] = csrf[0] == 'a' ? 'b' : 'a';
	assert_false(ecms_session_csrf_ok(&p, csrf));

	/* Malformed and unknown tokens. */
	assert_int_equal(ecms_session_check(h, "nothex", &p), ECMS_EAUTH);
	assert_int_equal(ecms_session_check(h, NULL, &p), ECMS_EAUTH);
	char other[65];
	memset(other, 'a', 64);
	other[64] = '\0';
	assert_int_equal(ecms_session_check(h, other, &p), ECMS_EAUTH);
	assert_string_equal(p.name, "");

	/* Expiry. */
	ecms_set_now(h, TU_NOW_MS + ECMS_SESSION_TTL_MS - 1);
	assert_int_equal(ecms_session_check(h, session, &p), ECMS_OK);
	ecms_set_now(h, TU_NOW_MS + ECMS_SESSION_TTL_MS);
	assert_int_equal(ecms_session_check(h, session, &p), ECMS_EAUTH);
	assert_non_null(strstr(ecms_errmsg(h), "expired"));
	/* The next login purges it. */
	assert_int_equal(ecms_login(h, "ada", "correct horse", "10.0.0.1", 1000, &r), ECMS_OK);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM sessions"), 1);
	assert_int_equal(ecms_session_check(h, r.session, &p), ECMS_OK);
	assert_true(p.expires_ms == TU_NOW_MS + ECMS_SESSION_TTL_MS + 1000);

	/* Logout, twice. */
	assert_int_equal(ecms_session_end(h, r.session), ECMS_OK);
	assert_int_equal(ecms_session_check(h, r.session, &p), ECMS_EAUTH);
	assert_int_equal(ecms_session_end(h, r.session), ECMS_OK);
	assert_int_equal(ecms_session_end(h, "junk"), ECMS_OK);

	/* A session dies with its user's deactivation. */
	ecms_set_now(h, TU_NOW_MS);
	assert_int_equal(ecms_login(h, "ada", "correct horse", "10.0.0.1", 0, &r), ECMS_OK);
	static const char off[] = "id,name,role,active\nada,Ada Admin,admin,no\n";
	ecms_import_report rep;
	assert_int_equal(ecms_import_text(h, "users", "u", off, strlen(off), &rep), 0);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_session_check(h, r.session, &p), ECMS_EAUTH);
	/* Logins make no events. */
	int64_t seq;
	char hash[65];
	assert_int_equal(ecms_log_head(h, &seq, hash), 0);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type LIKE 'session%'"), 0);
	ecms_close(h);
}

static void
test_login_failures(void **state)
{
	ecms *h = store("fail.db");
	ecms_login_result r;
	char msg[ECMS_ERRMSG_MAX];

	/* Wrong password, unknown user, inactive user: one message each
	 * but the user ID, all counted. */
	assert_int_equal(ecms_login(h, "ada", "wrong password", "10.0.0.1", 0, &r), ECMS_EAUTH);
	strcpy(msg, ecms_errmsg(h));
	assert_non_null(strstr(msg, "authentication failed for 'ada'"));
	assert_int_equal(ecms_login(h, "vic", "whatever1", "10.0.0.1", 0, &r), ECMS_EAUTH);
	assert_int_equal(ecms_login(h, "nobody", "whatever1", "10.0.0.1", 0, &r), ECMS_EAUTH);
	assert_int_equal(ecms_login(h, "gone", "correct horse", "10.0.0.1", 0, &r), ECMS_EAUTH);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM login_failures"), 4);
	assert_string_equal(r.session, "");
	/* Bad arguments. */
	assert_int_equal(ecms_login(h, "", "x", "10.0.0.1", 0, &r), ECMS_EINVAL);
	assert_int_equal(ecms_login(h, "ada", "x", "", 0, &r), ECMS_EINVAL);

	/* Per user: 5 failures (from different addresses) block the user,
	 * even with the right password, from anywhere. */
	ecms_set_now(h, TU_NOW_MS + 1000);
	for (int i = 1; i < 5; i++) {
		char addr[32];
		snprintf(addr, sizeof(addr), "10.0.1.%d", i);
		assert_int_equal(ecms_login(h, "ada", "wrong password", addr, 0, &r), ECMS_EAUTH);
	}
	assert_int_equal(ecms_login(h, "ada", "correct horse", "10.9.9.9", 0, &r), ECMS_EREFUSED);
	assert_non_null(strstr(ecms_errmsg(h), "too many failed logins"));
	/* The oldest failure (at TU_NOW_MS) leaves the window first. */
	assert_true(r.retry_after_ms == ECMS_LOGIN_WINDOW_MS - 1000);
	/* Blocked attempts are not failures. */
	assert_int_equal(count(h, "SELECT COUNT(*) FROM login_failures WHERE user_id = 'ada'"), 5);
	/* Other users from other addresses are not affected. */
	assert_int_equal(ecms_auth_set(h, "vic", ECMS_SECRET_PASSWORD, "viewer pass"), 0);
	assert_int_equal(ecms_login(h, "vic", "viewer pass", "10.9.9.9", 0, &r), ECMS_OK);
	/* Once the oldest is out of the window, ada may try again. */
	ecms_set_now(h, TU_NOW_MS + ECMS_LOGIN_WINDOW_MS);
	assert_int_equal(ecms_login(h, "ada", "correct horse", "10.9.9.9", 0, &r), ECMS_OK);
	ecms_close(h);
}

static void
test_address_limit(void **state)
{
	ecms *h = store("addr.db");
	ecms_login_result r;

	/* Per address: 5 failures for different users block the address. */
	const char *names[] = { "u1", "u2", "u3", "u4", "u5" };
	for (int i = 0; i < 5; i++)
		assert_int_equal(ecms_login(h, names[i], "whatever1", "192.0.2.7", 0, &r),
				 ECMS_EAUTH);
	assert_int_equal(ecms_login(h, "ada", "correct horse", "192.0.2.7", 0, &r), ECMS_EREFUSED);
	assert_true(r.retry_after_ms > 0);
	/* From elsewhere ada gets in, which clears ada's failures only. */
	assert_int_equal(ecms_login(h, "ada", "correct horse", "192.0.2.8", 0, &r), ECMS_OK);
	assert_int_equal(ecms_login(h, "ada", "correct horse", "192.0.2.7", 0, &r), ECMS_EREFUSED);
	/* Failures older than the window are purged. */
	ecms_set_now(h, TU_NOW_MS + ECMS_LOGIN_WINDOW_MS + 1);
	assert_int_equal(ecms_login(h, "ada", "correct horse", "192.0.2.7", 0, &r), ECMS_OK);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM login_failures"), 0);
	ecms_close(h);
}

static void
test_tokens(void **state)
{
	ecms *h = store("tokens.db");
	char secret[ECMS_API_TOKEN_LEN + 1], sql[200];
	ecms_principal p;
	int64_t id, id2;
	json_t *list, *t;

	assert_int_equal(ecms_set_actor(h, "ada", "api"), 0);
	assert_int_equal(ecms_token_create(h, "line-1.feeder", "operator", 0, &id, secret), 0);
	assert_true(id == 1);
	assert_int_equal(strlen(secret), ECMS_API_TOKEN_LEN);
	assert_memory_equal(secret, "ecms_", 5);
	assert_int_equal(ecms_token_check(h, secret, &p), ECMS_OK);
	assert_int_equal(p.kind, ECMS_PRINCIPAL_TOKEN);
	assert_string_equal(p.name, "line-1.feeder");
	assert_string_equal(p.actor, "token:line-1.feeder");
	assert_string_equal(p.role, "operator");
	assert_true(p.token_id == 1 && p.expires_ms == 0);
	assert_false(ecms_session_csrf_ok(&p, "x"));
	/* Stored hashed only; the event has the hash, not the secret. */
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM api_tokens WHERE token_sha256 = '%s'",
		 secret);
	assert_int_equal(count(h, sql), 0);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM events WHERE payload LIKE '%%%s%%'",
		 secret + 5);
	assert_int_equal(count(h, sql), 0);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type = 'token.created' AND "
				  "actor = 'ada'"),
			 1);

	/* Bad names, roles, expiries; names are never reused. */
	assert_int_equal(ecms_token_create(h, "", "qa", 0, &id2, secret), ECMS_EINVAL);
	assert_int_equal(ecms_token_create(h, "has space", "qa", 0, &id2, secret), ECMS_EINVAL);
	assert_int_equal(
		ecms_token_create(h, "a23456789012345678901234567890123", "qa", 0, &id2, secret),
		ECMS_EINVAL);
	assert_int_equal(ecms_token_create(h, "x", "root", 0, &id2, secret), ECMS_EINVAL);
	assert_string_equal(ecms_errfield(h), "role");
	assert_int_equal(ecms_token_create(h, "x", "qa", TU_NOW_MS, &id2, secret), ECMS_EINVAL);
	assert_int_equal(ecms_token_create(h, "line-1.feeder", "qa", 0, &id2, secret), ECMS_EEXIST);
	assert_string_equal(secret, "");

	/* Expiring token. */
	assert_int_equal(ecms_token_create(h, "erp", "viewer", TU_NOW_MS + 60000, &id2, secret), 0);
	assert_true(id2 == 2);
	assert_int_equal(ecms_token_check(h, secret, &p), ECMS_OK);
	assert_true(p.expires_ms == TU_NOW_MS + 60000);
	ecms_set_now(h, TU_NOW_MS + 60000);
	assert_int_equal(ecms_token_check(h, secret, &p), ECMS_EAUTH);
	ecms_set_now(h, TU_NOW_MS);

	/* Malformed. */
	assert_int_equal(ecms_token_check(h, "ecms_123", &p), ECMS_EAUTH);
	assert_int_equal(ecms_token_check(h, NULL, &p), ECMS_EAUTH);

	/* List: no secrets, no hashes. */
	assert_int_equal(ecms_token_list(h, &list), 0);
	assert_int_equal(json_array_size(list), 2);
	t = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(t, "name")), "line-1.feeder");
	assert_string_equal(json_string_value(json_object_get(t, "created")),
			    "2026-01-15T08:00:00.000Z");
	assert_string_equal(json_string_value(json_object_get(t, "created_by")), "ada");
	assert_true(json_is_null(json_object_get(t, "expires")));
	assert_true(json_is_null(json_object_get(t, "revoked")));
	assert_null(json_object_get(t, "sha256"));
	assert_null(json_object_get(t, "token_sha256"));
	json_decref(list);

	/* Revoke. */
	assert_int_equal(ecms_token_create(h, "third", "qa", 0, &id2, secret), 0);
	assert_int_equal(ecms_token_revoke(h, id2), 0);
	assert_int_equal(ecms_token_check(h, secret, &p), ECMS_EAUTH);
	assert_int_equal(ecms_token_revoke(h, id2), ECMS_EREFUSED);
	assert_int_equal(ecms_token_revoke(h, 99), ECMS_ENOTFOUND);
	assert_int_equal(ecms_token_list(h, &list), 0);
	t = json_array_get(list, 2);
	assert_string_equal(json_string_value(json_object_get(t, "revoked_by")), "ada");
	assert_false(json_is_null(json_object_get(t, "revoked")));
	json_decref(list);
	assert_int_equal(count(h, "SELECT COUNT(*) FROM events WHERE type = 'token.revoked'"), 1);

	ecms_audit a;
	assert_int_equal(ecms_audit_verify(h, &a), 0);
	ecms_close(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_session),
		cmocka_unit_test(test_login_failures),
		cmocka_unit_test(test_address_limit),
		cmocka_unit_test(test_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
