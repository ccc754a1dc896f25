/*
 * session.c: login sessions, API tokens and the login rate limit, for
 * `ecms serve` (include/ecms/session.h). Tables: sessions, api_tokens,
 * login_failures (schema 005_server.sql).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "ecms/auth.h"
#include "ecms/session.h"
#include "event.h"
#include "master.h"

/*
 * An Argon2id hash (interactive limits) of a random password nobody
 * knows. A login for a user without a password is checked against it, so
 * that it takes as long as one with a password and the time tells nothing
 * about which user IDs exist.
 */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
	"$argon2id$v=19$m=65536,t=2,p=1$VQ2LXk10k2jJ1wNRQZEAAQ$"
	"9oOdrxWuOcl4mi60ztZdMRHH6Rp3bHRNvB1gey2oeKE";

/* Hex SHA-256 of a NUL-terminated text into out (65 bytes). */
static void
sha256_hex(const char *s, char out[65])
{
	unsigned char md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(md, (const unsigned char *)s, strlen(s));
	ecms__hex(md, sizeof(md), out);
}

/* 32 random bytes as 64 hex digits into out (65 bytes). */
static void
random_hex(char out[ECMS_SESSION_TOKEN_LEN + 1])
{
	unsigned char r[ECMS_SESSION_TOKEN_LEN / 2];

	randombytes_buf(r, sizeof(r));
	ecms__hex(r, sizeof(r), out);
	sodium_memzero(r, sizeof(r));
}

/* Whether s is exactly n lower-case hex digits. */
static bool
is_hex(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

/* ------------------------------------------------------------------
 * Login and the rate limit
 * ------------------------------------------------------------------ */

/* Count the failures within the window for a user (col 0) or an address
 * (col 1), and the time of the oldest of them. */
static int
failures(ecms *h, int col, const char *key, int64_t since, int64_t *n, int64_t *oldest)
{
	ecms__stmt *st;
	int rc;

	rc = col == 0 ? ecms__q(h, &st,
				"SELECT COUNT(*), MIN(at_ms) FROM login_failures "
				"WHERE user_id = ? AND at_ms > ?",
				"ti", key, since)
		      : ecms__q(h, &st,
				"SELECT COUNT(*), MIN(at_ms) FROM login_failures "
				"WHERE address = ? AND at_ms > ?",
				"ti", key, since);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		*n = ecms__col_int(st, 0);
		*oldest = ecms__col_null(st, 1) ? 0 : ecms__col_int(st, 1);
		rc = ECMS_OK;
	}
	ecms__done(h, st);
	return rc;
}

/* ECMS_EREFUSED with out->retry_after_ms when user or address has too
 * many recent failures; ECMS_OK otherwise. */
static int
check_limit(ecms *h, const char *user, const char *address, int64_t now, ecms_login_result *out)
{
	int64_t since = now - ECMS_LOGIN_WINDOW_MS, nu, ou, na, oa, wait;
	int rc;

	if ((rc = failures(h, 0, user, since, &nu, &ou)) ||
	    (rc = failures(h, 1, address, since, &na, &oa)))
		return rc;
	if (nu < ECMS_LOGIN_MAX_FAILURES && na < ECMS_LOGIN_MAX_FAILURES)
		return ECMS_OK;
	/* Wait until the oldest failure that counts leaves the window. */
	wait = 0;
	if (nu >= ECMS_LOGIN_MAX_FAILURES)
		wait = ou + ECMS_LOGIN_WINDOW_MS - now;
	if (na >= ECMS_LOGIN_MAX_FAILURES && oa + ECMS_LOGIN_WINDOW_MS - now > wait)
		wait = oa + ECMS_LOGIN_WINDOW_MS - now;
	out->retry_after_ms = wait < 1000 ? 1000 : wait;
	return ecms__ctxfail(h, ECMS_EREFUSED, "user",
			     "too many failed logins for '%s' or from %s: try again in %lld s",
			     user, address, (long long)((out->retry_after_ms + 999) / 1000));
}

/* Check the password, taking the time of one Argon2id verification
 * whether or not the user has a password. */
static int
check_password(ecms *h, const char *user, const char *password)
{
	bool has = false;
	int rc;

	if ((rc = ecms_auth_has(h, user, ECMS_SECRET_PASSWORD, &has)))
		return rc;
	if (!has && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
		return ecms__ctxfail(h, ECMS_EINTERNAL, NULL, "the dummy hash verified");
	return ecms_auth_check(h, user, ECMS_SECRET_PASSWORD, password);
}

static int
start_session(ecms *h, const char *user, const char *address, int64_t now, int64_t ttl_ms,
	      ecms_login_result *out)
{
	char tok_sha[65], csrf_sha[65], *role = NULL;
	int rc;

	if ((rc = ecms_auth_role(h, user, &role)))
		return rc;
	ecms__strlcpy(out->role, role, sizeof(out->role));
	ecms__free(role);
	random_hex(out->session);
	random_hex(out->csrf);
	sha256_hex(out->session, tok_sha);
	sha256_hex(out->csrf, csrf_sha);
	out->expires_ms = now + ttl_ms;
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__exec(h, "DELETE FROM login_failures WHERE user_id = ?", "t", user);
	if (rc == ECMS_OK)
		rc = ecms__exec(
			h,
			"INSERT INTO sessions (token_sha256, user_id, csrf_sha256, address, "
			"created_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?)",
			"ttttii", tok_sha, user, csrf_sha, address, now, out->expires_ms);
	return ecms__end(h, rc);
}

int
ecms_login(ecms *h, const char *user, const char *password, const char *address, int64_t ttl_ms,
	   ecms_login_result *out)
{
	int64_t now = ecms_now(h);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!*user || strlen(user) > 63)
		return ecms__ctxfail(h, ECMS_EINVAL, "user", "a user ID has 1 to 63 characters");
	if (strlen(password) > 1024)
		return ecms__ctxfail(h, ECMS_EINVAL, "password",
				     "a password has at most 1024 characters");
	if (!*address || strlen(address) > 63)
		return ecms__ctxfail(h, ECMS_EINVAL, "address",
				     "a client address has 1 to 63 characters");
	if (ttl_ms <= 0)
		ttl_ms = ECMS_SESSION_TTL_MS;
	/* Forget what no longer counts: old failures, expired sessions. */
	rc = ecms__exec(h, "DELETE FROM login_failures WHERE at_ms <= ?", "i",
			now - ECMS_LOGIN_WINDOW_MS);
	if (rc == ECMS_OK)
		rc = ecms__exec(h, "DELETE FROM sessions WHERE expires_ms <= ?", "i", now);
	if (rc == ECMS_OK)
		rc = check_limit(h, user, address, now, out);
	if (rc)
		return rc;
	rc = check_password(h, user, password);
	if (rc == ECMS_EAUTH) {
		ecms_error keep = *ecms_lasterror(h);
		int wrc = ecms__exec(h,
				     "INSERT INTO login_failures (user_id, address, at_ms) "
				     "VALUES (?, ?, ?)",
				     "tti", user, address, now);
		if (wrc)
			return wrc;
		return ecms__ctxfail(h, keep.rc, keep.field, "%s", keep.message);
	}
	if (rc)
		return rc;
	rc = start_session(h, user, address, now, ttl_ms, out);
	if (rc)
		sodium_memzero(out, sizeof(*out));
	return rc;
}

/* Failed signatures are kept with this address: they count for the
 * user only (an address of its own would lock every signer at once). */
#define SIGNATURE_ADDRESS "(signature)"

int
ecms_secret_limit(ecms *h, const char *user, int64_t *retry_after_ms)
{
	int64_t now = ecms_now(h), n, oldest, wait;
	int rc;

	*retry_after_ms = 0;
	if ((rc = failures(h, 0, user, now - ECMS_LOGIN_WINDOW_MS, &n, &oldest)))
		return rc;
	if (n < ECMS_LOGIN_MAX_FAILURES)
		return ECMS_OK;
	wait = oldest + ECMS_LOGIN_WINDOW_MS - now;
	*retry_after_ms = wait < 1000 ? 1000 : wait;
	return ecms__ctxfail(h, ECMS_EREFUSED, "signature",
			     "too many failed logins or signatures for '%s': try again in %lld s",
			     user, (long long)((*retry_after_ms + 999) / 1000));
}

int
ecms_secret_failed(ecms *h, const char *user)
{
	return ecms__exec(h,
			  "INSERT INTO login_failures (user_id, address, at_ms) VALUES (?, ?, ?)",
			  "tti", user, SIGNATURE_ADDRESS, ecms_now(h));
}

/* ------------------------------------------------------------------
 * Sessions
 * ------------------------------------------------------------------ */

static int
not_authenticated(ecms *h, const char *what)
{
	return ecms__ctxfail(h, ECMS_EAUTH, NULL, "%s", what);
}

int
ecms_session_check(ecms *h, const char *session, ecms_principal *out)
{
	char sha[65];
	ecms__stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (session == NULL || !is_hex(session, ECMS_SESSION_TOKEN_LEN))
		return not_authenticated(h, "the session token is malformed");
	sha256_hex(session, sha);
	rc = ecms__q(h, &st,
		     "SELECT s.user_id, u.role, s.csrf_sha256, s.expires_ms, u.customer "
		     "FROM sessions s "
		     "JOIN users u ON u.id = s.user_id WHERE s.token_sha256 = ? AND u.active = 1",
		     "t", sha);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		out->kind = ECMS_PRINCIPAL_SESSION;
		ecms__strlcpy(out->name, ecms__col_text(st, 0), sizeof(out->name));
		ecms__strlcpy(out->actor, out->name, sizeof(out->actor));
		ecms__strlcpy(out->role, ecms__col_text(st, 1), sizeof(out->role));
		ecms__strlcpy(out->csrf_sha256, ecms__col_text(st, 2), sizeof(out->csrf_sha256));
		out->expires_ms = ecms__col_int(st, 3);
		if (ecms__col_text(st, 4))
			ecms__strlcpy(out->customer, ecms__col_text(st, 4), sizeof(out->customer));
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ECMS_EAUTH;
	}
	ecms__done(h, st);
	if (rc == ECMS_OK && out->expires_ms <= ecms_now(h))
		rc = ECMS_EAUTH;
	if (rc == ECMS_EAUTH) {
		memset(out, 0, sizeof(*out));
		return not_authenticated(h, "no such session, or it has expired: log in again");
	}
	return rc;
}

bool
ecms_session_csrf_ok(const ecms_principal *p, const char *csrf)
{
	char sha[65];

	if (p->kind != ECMS_PRINCIPAL_SESSION || csrf == NULL ||
	    !is_hex(csrf, ECMS_SESSION_TOKEN_LEN) || strlen(p->csrf_sha256) != 64)
		return false;
	sha256_hex(csrf, sha);
	return sodium_memcmp(sha, p->csrf_sha256, 64) == 0;
}

int
ecms_session_end(ecms *h, const char *session)
{
	char sha[65];

	if (session == NULL || !is_hex(session, ECMS_SESSION_TOKEN_LEN))
		return ECMS_OK;
	sha256_hex(session, sha);
	return ecms__exec(h, "DELETE FROM sessions WHERE token_sha256 = ?", "t", sha);
}

/* ------------------------------------------------------------------
 * API tokens
 * ------------------------------------------------------------------ */

static bool
token_name_ok(const char *name)
{
	size_t n = strlen(name);

	return n >= 1 && n <= ECMS_TOKEN_NAME_MAX &&
	       strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
		       n;
}

static json_t *
time_or_null(ecms__stmt *st, int col)
{
	char t[ECMS_TIME_LEN];

	if (ecms__col_null(st, col))
		return json_null();
	return json_string(ecms_time_format(ecms__col_int(st, col), t));
}

#define TOKEN_INSERT(expires)                                                                      \
	"INSERT INTO api_tokens (id, name, role, token_sha256, created_ms, created_by, "           \
	"expires_ms, revoked_ms, revoked_by, created_seq, updated_seq) "                           \
	"VALUES (?, ?, ?, ?, ?, ?, " expires ", NULL, NULL, ?, ?)"

int
ecms_token_create(ecms *h, const char *name, const char *role, int64_t expires_ms, int64_t *id,
		  char secret[ECMS_API_TOKEN_LEN + 1])
{
	char hex[ECMS_SESSION_TOKEN_LEN + 1], sha[65], t[ECMS_TIME_LEN];
	int64_t now = ecms_now(h), seq, one;
	int rc;

	*id = 0;
	secret[0] = '\0';
	if (!token_name_ok(name))
		return ecms__ctxfail(h, ECMS_EINVAL, "name",
				     "token name '%s': expected 1 to %d of A-Z a-z 0-9 . _ -", name,
				     ECMS_TOKEN_NAME_MAX);
	if (!ecms__role_valid(role))
		return ecms__ctxfail(h, ECMS_EINVAL, "role", "role '%s': expected one of %s", role,
				     ECMS_ROLES);
	if (strcmp(role, "customer") == 0)
		return ecms__ctxfail(h, ECMS_EINVAL, "role",
				     "a token cannot have role 'customer': it would not be bound "
				     "to one customer (portal users log in)");
	if (expires_ms < 0 || (expires_ms > 0 && expires_ms <= now))
		return ecms__ctxfail(h, ECMS_EINVAL, "expires",
				     "a token's expiry must lie in the future");
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__query_int(h, &one, "SELECT 1 FROM api_tokens WHERE name = ?", "t", name);
	if (rc == ECMS_OK)
		rc = ecms__ctxfail(h, ECMS_EEXIST, "name",
				   "a token named '%s' exists already (names are never reused)",
				   name);
	else if (rc == ECMS_ENOTFOUND)
		rc = ecms__query_int(h, id, "SELECT COALESCE(MAX(id), 0) + 1 FROM api_tokens", "");
	if (rc == ECMS_OK) {
		random_hex(hex);
		snprintf(secret, ECMS_API_TOKEN_LEN + 1, "%s%s", ECMS_API_TOKEN_PREFIX, hex);
		sodium_memzero(hex, sizeof(hex));
		sha256_hex(secret, sha);
		rc = ecms__event(h, "token.created",
				 json_pack("{s:I,s:s,s:s,s:o,s:s}", "id", (json_int_t)*id, "name",
					   name, "role", role, "expires",
					   expires_ms ? json_string(ecms_time_format(expires_ms, t))
						      : json_null(),
					   "sha256", sha),
				 &seq);
	}
	if (rc == ECMS_OK && expires_ms)
		rc = ecms__exec(h, TOKEN_INSERT("?"), "itttitiii", *id, name, role, sha, now,
				ecms_actor(h), expires_ms, seq, seq);
	else if (rc == ECMS_OK)
		rc = ecms__exec(h, TOKEN_INSERT("NULL"), "itttitii", *id, name, role, sha, now,
				ecms_actor(h), seq, seq);
	rc = ecms__end(h, rc);
	if (rc) {
		*id = 0;
		sodium_memzero(secret, ECMS_API_TOKEN_LEN + 1);
	}
	return rc;
}

int
ecms_token_revoke(ecms *h, int64_t id)
{
	ecms__stmt *st;
	char name[ECMS_TOKEN_NAME_MAX + 1] = "";
	bool revoked = false;
	int64_t seq;
	int rc;

	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__q(h, &st, "SELECT name, revoked_ms FROM api_tokens WHERE id = ?", "i", id);
	if (rc == ECMS_OK) {
		rc = ecms__step(h, st);
		if (rc == ECMS__ROW) {
			ecms__strlcpy(name, ecms__col_text(st, 0), sizeof(name));
			revoked = !ecms__col_null(st, 1);
			rc = ECMS_OK;
		} else if (rc == ECMS__DONE) {
			rc = ecms__ctxfail(h, ECMS_ENOTFOUND, "id", "no API token %lld",
					   (long long)id);
		}
		ecms__done(h, st);
	}
	if (rc == ECMS_OK && revoked)
		rc = ecms__ctxfail(h, ECMS_EREFUSED, "id",
				   "API token %lld ('%s') is revoked already", (long long)id, name);
	if (rc == ECMS_OK)
		rc = ecms__event(h, "token.revoked",
				 json_pack("{s:I,s:s}", "id", (json_int_t)id, "name", name), &seq);
	if (rc == ECMS_OK)
		rc = ecms__exec(h,
				"UPDATE api_tokens SET revoked_ms = ?, revoked_by = ?, "
				"updated_seq = ? WHERE id = ?",
				"itii", ecms_now(h), ecms_actor(h), seq, id);
	return ecms__end(h, rc);
}

int
ecms_token_list(ecms *h, json_t **out)
{
	ecms__stmt *st;
	json_t *arr;
	int rc;

	*out = NULL;
	if ((arr = json_array()) == NULL)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	rc = ecms__q(h, &st,
		     "SELECT id, name, role, created_ms, created_by, expires_ms, revoked_ms, "
		     "revoked_by FROM api_tokens ORDER BY id",
		     "");
	if (rc) {
		json_decref(arr);
		return rc;
	}
	while ((rc = ecms__step(h, st)) == ECMS__ROW) {
		json_t *o = json_pack(
			"{s:I,s:s,s:s,s:o,s:s,s:o,s:o,s:o}", "id", (json_int_t)ecms__col_int(st, 0),
			"name", ecms__col_text(st, 1), "role", ecms__col_text(st, 2), "created",
			time_or_null(st, 3), "created_by", ecms__col_text(st, 4), "expires",
			time_or_null(st, 5), "revoked", time_or_null(st, 6), "revoked_by",
			ecms__col_json(st, 7, 't'));
		if (o == NULL || json_array_append_new(arr, o)) {
			rc = ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
			break;
		}
	}
	ecms__done(h, st);
	if (rc != ECMS__DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return ECMS_OK;
}

int
ecms_token_check(ecms *h, const char *secret, ecms_principal *out)
{
	const size_t plen = sizeof(ECMS_API_TOKEN_PREFIX) - 1;
	char sha[65];
	ecms__stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (secret == NULL || strncmp(secret, ECMS_API_TOKEN_PREFIX, plen) != 0 ||
	    !is_hex(secret + plen, ECMS_SESSION_TOKEN_LEN))
		return not_authenticated(h, "the API token is malformed");
	sha256_hex(secret, sha);
	rc = ecms__q(h, &st,
		     "SELECT id, name, role, expires_ms FROM api_tokens "
		     "WHERE token_sha256 = ? AND revoked_ms IS NULL",
		     "t", sha);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		out->kind = ECMS_PRINCIPAL_TOKEN;
		out->token_id = ecms__col_int(st, 0);
		ecms__strlcpy(out->name, ecms__col_text(st, 1), sizeof(out->name));
		snprintf(out->actor, sizeof(out->actor), "token:%.*s", ECMS_TOKEN_NAME_MAX,
			 out->name);
		ecms__strlcpy(out->role, ecms__col_text(st, 2), sizeof(out->role));
		out->expires_ms = ecms__col_null(st, 3) ? 0 : ecms__col_int(st, 3);
		rc = ECMS_OK;
	} else if (rc == ECMS__DONE) {
		rc = ECMS_EAUTH;
	}
	ecms__done(h, st);
	if (rc == ECMS_OK && out->expires_ms && out->expires_ms <= ecms_now(h))
		rc = ECMS_EAUTH;
	if (rc == ECMS_EAUTH) {
		memset(out, 0, sizeof(*out));
		return not_authenticated(h, "no such API token, or it is revoked or expired");
	}
	return rc;
}
