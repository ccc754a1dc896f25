/*
 * auth.c: user secrets as Argon2id hashes, and re-authentication.
 */
#include <string.h>

#include <sodium.h>

#include "ecms/auth.h"
#include "event.h"

static const char *
kind_col(ecms_secret_kind kind)
{
	return kind == ECMS_SECRET_PIN ? "pin" : "password";
}

static int
check_secret_form(ecms *h, ecms_secret_kind kind, const char *secret)
{
	size_t n = strlen(secret);

	if (kind == ECMS_SECRET_PIN) {
		if (n < 4 || n > 8 || strspn(secret, "0123456789") != n)
			return ecms__ctxfail(h, ECMS_EINVAL, "pin", "a PIN is 4 to 8 digits");
	} else if (n < 8) {
		return ecms__ctxfail(h, ECMS_EINVAL, "password",
				     "a password has at least 8 characters");
	} else if (n > 256) {
		return ecms__ctxfail(h, ECMS_EINVAL, "password",
				     "a password has at most 256 characters");
	}
	return ECMS_OK;
}

int
ecms_auth_set(ecms *h, const char *user, ecms_secret_kind kind, const char *secret)
{
	char hash[crypto_pwhash_STRBYTES];
	int64_t one, seq;
	int rc;

	if ((rc = check_secret_form(h, kind, secret)))
		return rc;
	rc = ecms__query_int(h, &one, "SELECT 1 FROM users WHERE id = ?", "t", user);
	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, "user", "no user '%s'", user);
	if (rc)
		return rc;
	if (crypto_pwhash_str(hash, secret, strlen(secret), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory hashing the secret");
	if ((rc = ecms__begin(h)))
		return rc;
	rc = ecms__event(h, "user.secret_set",
			 json_pack("{s:s,s:s}", "user", user, "kind", kind_col(kind)), &seq);
	if (rc == ECMS_OK)
		rc = kind == ECMS_SECRET_PIN
			     ? ecms__exec(h,
					  "UPDATE users SET pin_hash = ?, updated_seq = ? "
					  "WHERE id = ?",
					  "tit", hash, seq, user)
			     : ecms__exec(h,
					  "UPDATE users SET secret_hash = ?, updated_seq = ? "
					  "WHERE id = ?",
					  "tit", hash, seq, user);
	sodium_memzero(hash, sizeof(hash));
	return ecms__end(h, rc);
}

static int
stored_hash(ecms *h, const char *user, ecms_secret_kind kind, char *out, size_t n)
{
	ecms__stmt *st;
	int rc;

	rc = kind == ECMS_SECRET_PIN
		     ? ecms__q(h, &st, "SELECT pin_hash FROM users WHERE id = ? AND active = 1",
			       "t", user)
		     : ecms__q(h, &st, "SELECT secret_hash FROM users WHERE id = ? AND active = 1",
			       "t", user);
	if (rc)
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		const char *v = ecms__col_text(st, 0);
		rc = v ? ECMS_OK : ECMS_ENOTFOUND;
		if (v)
			ecms__strlcpy(out, v, n);
	} else if (rc == ECMS__DONE) {
		rc = ECMS_ENOTFOUND;
	}
	ecms__done(h, st);
	return rc;
}

int
ecms_auth_has(ecms *h, const char *user, ecms_secret_kind kind, bool *has)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc = stored_hash(h, user, kind, hash, sizeof(hash));

	*has = rc == ECMS_OK;
	return rc == ECMS_ENOTFOUND ? ECMS_OK : rc;
}

int
ecms_auth_check(ecms *h, const char *user, ecms_secret_kind kind, const char *secret)
{
	char hash[crypto_pwhash_STRBYTES];
	int rc = stored_hash(h, user, kind, hash, sizeof(hash));

	if (rc == ECMS_OK && crypto_pwhash_str_verify(hash, secret, strlen(secret)) == 0)
		return ECMS_OK;
	if (rc && rc != ECMS_ENOTFOUND)
		return rc;
	return ecms__ctxfail(h, ECMS_EAUTH, "user",
			     "authentication failed for '%s': wrong %s, or no such active user",
			     user, kind_col(kind));
}

static int
one_text(ecms *h, const char *sql, const char *param, char **out)
{
	ecms__stmt *st;
	int rc;

	*out = NULL;
	if ((rc = ecms__q(h, &st, sql, "t", param)))
		return rc;
	rc = ecms__step(h, st);
	if (rc == ECMS__ROW) {
		*out = ecms__strdup(ecms__col_text(st, 0));
		rc = *out ? ECMS_OK : ecms__ctxfail(h, ECMS_ENOMEM, NULL, "out of memory");
	} else if (rc == ECMS__DONE) {
		rc = ECMS_ENOTFOUND;
	}
	ecms__done(h, st);
	return rc;
}

int
ecms_auth_badge_user(ecms *h, const char *badge, char **user)
{
	int rc = one_text(h, "SELECT id FROM users WHERE badge = ? AND active = 1", badge, user);

	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, "badge", "no active user holds badge '%s'", badge);
	return rc;
}

int
ecms_auth_role(ecms *h, const char *user, char **role)
{
	int rc = one_text(h, "SELECT role FROM users WHERE id = ? AND active = 1", user, role);

	if (rc == ECMS_ENOTFOUND)
		return ecms__ctxfail(h, rc, "user", "no active user '%s'", user);
	return rc;
}
