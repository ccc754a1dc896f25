/*
 * auth.h: user secrets (password, badge PIN) and re-authentication.
 *
 * Secrets are stored only as Argon2id hashes (libsodium crypto_pwhash_str);
 * setting one is an event. A signed decision (quarantine release, reject)
 * asks the signer to prove who they are again: ecms_auth_check().
 */
#ifndef ECMS_AUTH_H
#define ECMS_AUTH_H

#include <stdbool.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ecms_secret_kind {
	ECMS_SECRET_PASSWORD, /* at least 8 characters */
	ECMS_SECRET_PIN       /* 4 to 8 digits, used with the badge */
} ecms_secret_kind;

/*
 * Set a user's password or PIN (hashed with Argon2id), as an event.
 * ECMS_ENOTFOUND for an unknown user, ECMS_EINVAL for a secret that is too
 * short or (PIN) not 4-8 digits.
 */
int ecms_auth_set(ecms *h, const char *user, ecms_secret_kind kind, const char *secret) ECMS_WUR;

/* Whether the user has a secret of that kind set. */
int ecms_auth_has(ecms *h, const char *user, ecms_secret_kind kind, bool *has) ECMS_WUR;

/*
 * Check a secret. ECMS_OK when it matches an active user's stored hash;
 * ECMS_EAUTH otherwise (unknown user, inactive, no secret set, mismatch),
 * always with the same message, so a failure tells nothing about which.
 */
int ecms_auth_check(ecms *h, const char *user, ecms_secret_kind kind, const char *secret) ECMS_WUR;

/* The user ID that holds a badge code (caller frees), or ECMS_ENOTFOUND. */
int ecms_auth_badge_user(ecms *h, const char *badge, char **user) ECMS_WUR;

/* The role of an active user (caller frees), or ECMS_ENOTFOUND. */
int ecms_auth_role(ecms *h, const char *user, char **role) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif
