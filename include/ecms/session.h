/*
 * session.h: who is calling over HTTP: login sessions, API tokens, and
 * the rate limit on failed logins. Used by `ecms serve`; the rules live
 * here so that the server only translates between HTTP and these calls.
 *
 * A session starts with a user ID and password (checked by
 * ecms_auth_check, Argon2id) and yields two random 256-bit values: the
 * session token (the cookie) and a CSRF token (echoed by the browser in
 * a header on every unsafe request). An API token is created by an admin
 * for a machine, with a name and a role, and is shown once. All three
 * are stored only as SHA-256 hashes: they are random, so a fast hash is
 * enough, and a stolen database yields no usable credential.
 */
#ifndef ECMS_SESSION_H
#define ECMS_SESSION_H

#include <stdbool.h>

#include <jansson.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A session or CSRF token: 64 lower-case hex digits (buffers: + 1). */
#define ECMS_SESSION_TOKEN_LEN 64
/* An API token: "ecms_" and 64 lower-case hex digits (buffers: + 1). */
#define ECMS_API_TOKEN_PREFIX "ecms_"
#define ECMS_API_TOKEN_LEN    69

/* How long a session lasts unless given otherwise: one 8-hour shift. */
#define ECMS_SESSION_TTL_MS (INT64_C(8) * 3600 * 1000)

/* Failed logins: after ECMS_LOGIN_MAX_FAILURES failures for one user ID,
 * or from one client address, within ECMS_LOGIN_WINDOW_MS, every login
 * for that user or from that address is refused until the oldest of
 * them is older than the window. */
#define ECMS_LOGIN_MAX_FAILURES 5
#define ECMS_LOGIN_WINDOW_MS    (INT64_C(5) * 60 * 1000)

/* Token names: 1 to 32 of A-Z a-z 0-9 . _ - */
#define ECMS_TOKEN_NAME_MAX 32

typedef enum ecms_principal_kind {
	ECMS_PRINCIPAL_SESSION = 1, /* a user, logged in with a password */
	ECMS_PRINCIPAL_TOKEN        /* an API token */
} ecms_principal_kind;

/* An authenticated caller. */
typedef struct ecms_principal {
	ecms_principal_kind kind;
	char name[64];        /* the user ID, or the token's name */
	char role[16];        /* admin, qa, warehouse, operator, viewer, customer */
	char customer[64];    /* role customer: the customer it may see; else "" */
	char actor[64];       /* for ecms_set_actor: the user ID, or "token:NAME" */
	int64_t token_id;     /* tokens: the token's ID; sessions: 0 */
	int64_t expires_ms;   /* when it stops working; 0: never (tokens) */
	char csrf_sha256[65]; /* sessions: hash of the CSRF token; else "" */
} ecms_principal;

/* The result of a login. */
typedef struct ecms_login_result {
	char session[ECMS_SESSION_TOKEN_LEN + 1]; /* the cookie value (secret) */
	char csrf[ECMS_SESSION_TOKEN_LEN + 1];    /* the CSRF token (secret) */
	char role[16];
	int64_t expires_ms;
	int64_t retry_after_ms; /* refused for too many failures: wait this long */
} ecms_login_result;

/*
 * Log in: check the password of user, coming from address (the client's
 * IP, for the rate limit), and start a session of ttl_ms (<= 0: the
 * default ECMS_SESSION_TTL_MS). Returns:
 *   ECMS_OK        out->session, csrf, role, expires_ms set; the user's
 *                  earlier failures are forgotten;
 *   ECMS_EAUTH     wrong password, or no such active user (one message
 *                  for all, and the same time taken), recorded as a failure;
 *   ECMS_EREFUSED  too many recent failures for the user or the address:
 *                  the password was not even checked; out->retry_after_ms;
 *   ECMS_EINVAL    an empty or overlong user ID, password or address.
 */
int ecms_login(ecms *h, const char *user, const char *password, const char *address, int64_t ttl_ms,
	       ecms_login_result *out /* OUT */) ECMS_WUR;

/*
 * The principal of a session token (the cookie value). ECMS_EAUTH when
 * it is malformed, unknown, expired, or its user is no longer active.
 */
int ecms_session_check(ecms *h, const char *session, ecms_principal *out /* OUT */) ECMS_WUR;

/* Whether csrf is the CSRF token of the session p (constant time). */
bool ecms_session_csrf_ok(const ecms_principal *p, const char *csrf);

/* End a session (log out). Unknown or malformed tokens are ignored. */
int ecms_session_end(ecms *h, const char *session) ECMS_WUR;

/*
 * Signatures (re-authentication at a decision, e.g. a quarantine
 * release) count against the same limit as logins: a password or PIN
 * guessed at a signature is guessed all the same. ecms_secret_limit is
 * ECMS_EREFUSED (field "signature", *retry_after_ms set) when user has
 * ECMS_LOGIN_MAX_FAILURES failed logins or signatures within
 * ECMS_LOGIN_WINDOW_MS, ECMS_OK otherwise; ecms_secret_failed counts one
 * failed signature of user (inside the caller's transaction, if any).
 */
int ecms_secret_limit(ecms *h, const char *user, int64_t *retry_after_ms /* OUT */) ECMS_WUR;
int ecms_secret_failed(ecms *h, const char *user) ECMS_WUR;

/*
 * Create an API token named name (ECMS_TOKEN_NAME_MAX, unique for all
 * time) acting with role, expiring at expires_ms (0: never), as the
 * event token.created. The secret is written to secret, once: it is
 * never stored. The actor on h is recorded as its creator.
 * ECMS_EINVAL for a bad name, role or expiry (role 'customer' too: a
 * token is not bound to a customer; portal users log in); ECMS_EEXIST for a name
 * already used.
 */
int ecms_token_create(ecms *h, const char *name, const char *role, int64_t expires_ms,
		      int64_t *id /* OUT */,
		      char secret[ECMS_API_TOKEN_LEN + 1] /* OUT */) ECMS_WUR;

/* Revoke a token (event token.revoked). ECMS_ENOTFOUND for an unknown
 * ID, ECMS_EREFUSED when it is revoked already. */
int ecms_token_revoke(ecms *h, int64_t id) ECMS_WUR;

/* Every token, without secrets, ordered by ID: a JSON array of
 * {id, name, role, created, created_by, expires, revoked, revoked_by}
 * (times ISO 8601 or null). The caller owns *out. */
int ecms_token_list(ecms *h, json_t **out /* OUT */) ECMS_WUR;

/* The principal of an API token. ECMS_EAUTH when it is malformed,
 * unknown, revoked or expired. */
int ecms_token_check(ecms *h, const char *secret, ecms_principal *out /* OUT */) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif
