/*
 * cmd_recall.c: `ecms recall`: recall a lot: every board that carries it by
 * customer and status; --apply holds the remaining packages and boards (qa;
 * signed).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/auth.h"
#include "ecms/recall.h"
#include "recall_common.h"

static int recall_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_recall_entry = {
	"recall",
	"--lot L [--mpn M] [--apply --reason TEXT (--user U | --badge)] [--json | --csv]",
	"recall a lot: every board that carries it by customer and status; --apply holds the "
	"remaining packages and boards (qa; signed)",
	"Without --apply nothing changes: the preview lists the shipped boards each\n"
	"customer must be told about, the completed and WIP boards still here, the\n"
	"scrapped ones, and the packages of the lot (split children included).\n"
	"--apply puts every remaining package of the lot on hold (setup and kitting\n"
	"refuse it) and every board not shipped or scrapped on hold with the recall\n"
	"ID, and records the recall. The signer re-authenticates like a quarantine\n"
	"release: with --user U, U's password is read from the terminal (or one line of\n"
	"standard input); with --badge, the badge code and then the PIN. Only the qa\n"
	"role may apply. --csv prints the customer notice, one row per board.\n",
	0,
	recall_fn,
};

/* Read the signer's secret (password, or badge then PIN) into sig. */
static int
read_signer(struct cli *c, const char **user, bool badge, ecms_sign *sig, char *secret, size_t n,
	    char **owner)
{
	char code[128], prompt[160];
	int rc;

	if (badge) {
		if ((rc = cli_read_secret("badge: ", code, sizeof(code))))
			return rc;
		if ((rc = ecms_auth_badge_user(c->h, code, owner))) {
			cli_error(c, rc);
			return rc == ECMS_ENOTFOUND ? ECMS_EAUTH : rc;
		}
		if (*user && strcmp(*user, *owner) != 0)
			return cli_fail(ECMS_EAUTH, "badge %s does not belong to %s", code, *user);
		*user = *owner;
		sig->kind = ECMS_SECRET_PIN;
		rc = cli_read_secret("PIN: ", secret, n);
	} else {
		snprintf(prompt, sizeof(prompt), "password for %s: ", *user);
		sig->kind = ECMS_SECRET_PASSWORD;
		rc = cli_read_secret(prompt, secret, n);
	}
	sig->user = *user;
	sig->secret = secret;
	return rc;
}

static int
recall_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *lot = NULL, *mpn = NULL, *reason = NULL, *user = NULL;
	bool json = false, csv = false, apply = false, badge = false;
	const struct cli_opt opts[] = {
		{ "lot", true, &lot, NULL },
		{ "mpn", true, &mpn, NULL },
		{ "reason", true, &reason, NULL },
		{ "user", true, &user, NULL },
		{ "apply", false, NULL, &apply },
		{ "badge", false, NULL, &badge },
		{ "json", false, NULL, &json },
		{ "csv", false, NULL, &csv },
		{ NULL },
	};
	char secret[300], *owner = NULL;
	ecms_sign sig = { 0 };
	json_t *r = NULL;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)))
		return rc;
	if (!lot)
		return cli_usage(e, "--lot is required");
	if (json && csv)
		return cli_usage(e, "--json or --csv, not both");
	if (!apply && (reason || badge))
		return cli_usage(e, "--reason and --badge go with --apply");
	if (apply && !reason)
		return cli_usage(e, "--apply needs --reason");
	if (apply && !user)
		user = c->user;
	if (apply && !user && !badge)
		return cli_usage(e, "who signs the recall? give --user U or --badge");
	if ((rc = cli_open(c)))
		return rc;
	if (!apply) {
		if ((rc = ecms_recall_preview(c->h, lot, mpn, &r)))
			return cli_error(c, rc);
	} else {
		rc = read_signer(c, &user, badge, &sig, secret, sizeof(secret), &owner);
		if (rc == ECMS_OK && (rc = ecms_set_actor(c->h, user, c->station)) != ECMS_OK)
			cli_error(c, rc);
		if (rc == ECMS_OK && (rc = ecms_recall_apply(c->h, lot, mpn, reason, &sig, &r)))
			cli_error(c, rc);
		memset(secret, 0, sizeof(secret));
		free(owner);
		if (rc)
			return rc;
	}
	if (json)
		return cli_print_json(r);
	return csv ? recall_print_csv(r) : recall_print(r);
}
