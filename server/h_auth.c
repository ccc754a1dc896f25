/*
 * h_auth.c: logging in and out, who am I, and API tokens:
 *   POST /api/v1/login {user, password}  -> session cookie + CSRF token
 *   POST /api/v1/logout                  -> ends the cookie session
 *   GET  /api/v1/me
 *   GET|POST /api/v1/tokens, DELETE /api/v1/tokens/{id}  (admin)
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "server.h"

static void
set_cookie(struct srv_call *c, const char *value, int64_t max_age_s)
{
	srv_add_header(c->resp, "Set-Cookie",
		       SRV_SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
		       value, (long long)max_age_s, c->s->secure_cookie ? "; Secure" : "");
}

static json_t *
time_json(int64_t ms)
{
	char t[ECMS_TIME_LEN];

	return ms ? json_string(ecms_time_format(ms, t)) : json_null();
}

void
h_login(struct srv_call *c)
{
	const char *user, *password;
	ecms_login_result res;
	int rc;

	if ((user = srv_body_string(c, "user", true)) == NULL ||
	    (password = srv_body_string(c, "password", true)) == NULL)
		return;
	rc = ecms_login(c->h, user, password, c->req->address, 0, &res);
	if (rc == ECMS_EREFUSED && res.retry_after_ms > 0) {
		srv_reply_error(c->resp, 429, "rate_limited", "user", NULL, "%s",
				ecms_errmsg(c->h));
		srv_add_header(c->resp, "Retry-After", "%lld",
			       (long long)((res.retry_after_ms + 999) / 1000));
		return;
	}
	if (rc) {
		srv_reply_rc(c, rc);
		return;
	}
	set_cookie(c, res.session, (res.expires_ms - ecms_now(c->h) + 999) / 1000);
	srv_reply_json(c->resp, 200,
		       json_pack("{s:s,s:s,s:s,s:o}", "user", user, "role", res.role, "csrf_token",
				 res.csrf, "expires", time_json(res.expires_ms)));
	sodium_memzero(&res, sizeof(res));
}

void
h_logout(struct srv_call *c)
{
	int rc;

	if (c->req->who.kind != ECMS_PRINCIPAL_SESSION) {
		srv_reply_error(c->resp, 400, "bad_request", NULL, NULL,
				"logout ends a cookie session; an API token is revoked by an "
				"admin (DELETE /api/v1/tokens/{id})");
		return;
	}
	if ((rc = ecms_session_end(c->h, c->req->session_cookie))) {
		srv_reply_rc(c, rc);
		return;
	}
	set_cookie(c, "", 0);
	srv_reply_empty(c->resp, 204);
}

void
h_me(struct srv_call *c)
{
	const ecms_principal *w = &c->req->who;
	bool tok = w->kind == ECMS_PRINCIPAL_TOKEN;

	json_t *me = json_pack("{s:s,s:s,s:s,s:s,s:o}", tok ? "token" : "user", w->name, "role",
			       w->role, "actor", w->actor, "auth", tok ? "token" : "session",
			       "expires", time_json(w->expires_ms));

	if (me && *w->customer)
		json_object_set_new(me, "customer", json_string(w->customer));
	srv_reply_json(c->resp, 200, me);
}

void
h_tokens_list(struct srv_call *c)
{
	json_t *arr;
	int rc = ecms_token_list(c->h, &arr);

	if (rc)
		srv_reply_rc(c, rc);
	else
		srv_reply_json(c->resp, 200, arr);
}

void
h_tokens_create(struct srv_call *c)
{
	const char *name, *role, *expires;
	char secret[ECMS_API_TOKEN_LEN + 1];
	int64_t exp_ms = 0, id;
	ecms_error e;
	int rc;

	if ((name = srv_body_string(c, "name", true)) == NULL ||
	    (role = srv_body_string(c, "role", true)) == NULL)
		return;
	expires = srv_body_string(c, "expires", false);
	if (expires == NULL && c->resp->status)
		return;
	if (expires && ecms_time_parse(expires, &exp_ms, &e)) {
		srv_reply_error(c->resp, 422, "invalid", "expires", NULL, "expires: %s", e.message);
		return;
	}
	if ((rc = ecms_token_create(c->h, name, role, exp_ms, &id, secret))) {
		srv_reply_rc(c, rc);
		return;
	}
	srv_reply_json(c->resp, 201,
		       json_pack("{s:I,s:s,s:s,s:o,s:s}", "id", (json_int_t)id, "name", name,
				 "role", role, "expires", time_json(exp_ms), "token", secret));
	sodium_memzero(secret, sizeof(secret));
}

void
h_tokens_revoke(struct srv_call *c)
{
	const char *s = srv_param(c, "id");
	char *end;
	long long id = strtoll(s, &end, 10);
	int rc;

	if (!*s || *end || id <= 0) {
		srv_reply_error(c->resp, 400, "bad_request", "id", NULL,
				"'%s' is not a token ID (a positive number)", s);
		return;
	}
	if ((rc = ecms_token_revoke(c->h, id))) {
		srv_reply_rc(c, rc);
		return;
	}
	srv_reply_empty(c->resp, 204);
}
