/*
 * quarantine_common.c: the one implementation of `ecms release` and
 * `ecms reject`: a QA decision, signed by the re-authenticated signer.
 */
#include <string.h>

#include "quarantine_common.h"

int
quarantine_decide_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	bool reject = strcmp(e->name, "reject") == 0, json = false, badge = false;
	const char *pos[1], *reason = NULL, *user = NULL, *loc = NULL, *coc = NULL, *disp = NULL;
	const struct cli_opt opts[] = {
		{ "reason", true, &reason, NULL },    { "user", true, &user, NULL },
		{ "location", true, &loc, NULL },     { "coc", true, &coc, NULL },
		{ "disposition", true, &disp, NULL }, { "badge", false, NULL, &badge },
		{ "json", false, NULL, &json },       { NULL },
	};
	char secret[300], code[128], *owner = NULL;
	ecms_sign sig = { 0 };
	json_t *out;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!reason)
		return cli_usage(e, "--reason is required");
	if (!user)
		user = c->user;
	if (!user && !badge)
		return cli_usage(e, "who decides? give --user U or --badge");
	if ((rc = cli_open(c)))
		return rc;
	if (badge) {
		if ((rc = cli_read_secret("badge: ", code, sizeof(code))))
			return rc;
		if ((rc = ecms_auth_badge_user(c->h, code, &owner))) {
			cli_error(c, rc);
			return rc == ECMS_ENOTFOUND ? ECMS_EAUTH : rc;
		}
		if (user && strcmp(user, owner) != 0) {
			free(owner);
			return cli_fail(ECMS_EAUTH, "badge %s does not belong to %s", code, user);
		}
		user = owner;
		rc = cli_read_secret("PIN: ", secret, sizeof(secret));
		sig.kind = ECMS_SECRET_PIN;
	} else {
		char prompt[160];
		snprintf(prompt, sizeof(prompt), "password for %s: ", user);
		rc = cli_read_secret(prompt, secret, sizeof(secret));
		sig.kind = ECMS_SECRET_PASSWORD;
	}
	if (rc == ECMS_OK && (rc = ecms_set_actor(c->h, user, c->station)) != ECMS_OK)
		cli_error(c, rc);
	if (rc == ECMS_OK) {
		sig.user = user;
		sig.secret = secret;
		rc = ecms_decide(c->h, pos[0], reject ? ECMS_REJECT : ECMS_RELEASE, reason, &sig,
				 disp, loc, coc, &out);
		memset(secret, 0, sizeof(secret));
		if (rc)
			cli_error(c, rc);
	}
	if (rc == ECMS_OK && json) {
		rc = cli_print_json(out);
	} else if (rc == ECMS_OK) {
		printf("%s %s by %s (%s) at %s\n  reason: %s\n", pos[0],
		       json_string_value(json_object_get(out, "meaning")),
		       json_string_value(json_object_get(out, "signer_name")), user,
		       json_string_value(json_object_get(out, "time")), reason);
		if (json_object_get(out, "location"))
			printf("  now available in %s\n",
			       json_string_value(json_object_get(out, "location")));
		json_decref(out);
	}
	free(owner);
	return rc;
}
