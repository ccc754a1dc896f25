/*
 * cmd_recall.c: `ecms recall` (a lot's forward trace grouped by customer
 * and status; --apply contains it: packages and boards on hold, the
 * recall recorded, signed by QA), `ecms recall list`, `ecms recall show`.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/auth.h"
#include "ecms/recall.h"

static int recall_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

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

const struct cmd_entry cmd_recall_list_entry = {
	"recall list", "[--json]", "list the recalls applied, newest first", NULL, 0, list_fn,
};

const struct cmd_entry cmd_recall_show_entry = {
	"recall show",
	"ID [--json | --csv]",
	"show a recorded recall as it was found when applied",
	NULL,
	0,
	show_fn,
};

static void
print_board_line(const json_t *b, const char *gname)
{
	char *rd = NULL, *am = NULL;

	printf("    %-16s", cli_scalar(json_object_get(b, "serial")));
	if (!strcmp(gname, "shipped"))
		printf(" shipped %s %s", cli_scalar(json_object_get(b, "shipped")),
		       cli_scalar(json_object_get(b, "shipment")));
	else if (!strcmp(gname, "other"))
		printf(" %s", cli_scalar(json_object_get(b, "status")));
	rd = cli_join(json_object_get(b, "refdes"), ",");
	am = cli_join(json_object_get(b, "ambiguous"), ",");
	if (json_array_size(json_object_get(b, "refdes")))
		printf(" refdes %s", rd ? rd : "");
	if (json_array_size(json_object_get(b, "ambiguous")))
		printf(" possibly %s", am ? am : "");
	if (json_is_true(json_object_get(b, "held")))
		printf(" [hold]");
	printf("\n");
	free(rd);
	free(am);
}

static int
print_recall(json_t *r)
{
	static const char *const groups[] = { "shipped",  "completed", "wip",
					      "scrapped", "other",     NULL };
	static const char *const what[] = { "shipped: notify the customer",
					    "completed, not shipped", "in production (WIP)",
					    "scrapped", "other" };
	const json_t *scope = json_object_get(r, "scope"), *counts = json_object_get(r, "counts");
	bool applied = json_is_true(json_object_get(r, "applied"));
	json_t *cu, *b, *p;
	size_t i, j;

	printf("%s%s of lot %s", applied ? "recall " : "recall preview",
	       applied ? cli_scalar(json_object_get(r, "id")) : "",
	       cli_scalar(json_object_get(scope, "lot")));
	if (!json_is_null(json_object_get(scope, "mpn")))
		printf(" (MPN %s)", cli_scalar(json_object_get(scope, "mpn")));
	if (applied)
		printf(": applied by %s at %s\n  reason: %s\n",
		       cli_scalar(json_object_get(r, "user")),
		       cli_scalar(json_object_get(r, "time")),
		       cli_scalar(json_object_get(r, "reason")));
	else
		printf(": nothing changed (--apply contains it)\n");
	printf("%lld boards: %lld shipped, %lld completed, %lld wip, %lld scrapped",
	       (long long)json_integer_value(json_object_get(r, "count")),
	       (long long)json_integer_value(json_object_get(counts, "shipped")),
	       (long long)json_integer_value(json_object_get(counts, "completed")),
	       (long long)json_integer_value(json_object_get(counts, "wip")),
	       (long long)json_integer_value(json_object_get(counts, "scrapped")));
	if (json_integer_value(json_object_get(counts, "other")))
		printf(", %lld other",
		       (long long)json_integer_value(json_object_get(counts, "other")));
	printf("; %lld %s on hold\n",
	       (long long)json_integer_value(json_object_get(r, "boards_held")),
	       applied ? "put" : "to put");
	json_array_foreach(json_object_get(r, "customers"), i, cu) {
		printf("customer %s: %lld board%s\n",
		       json_is_null(json_object_get(cu, "customer"))
			       ? "(unknown work order)"
			       : cli_scalar(json_object_get(cu, "customer")),
		       (long long)json_integer_value(json_object_get(cu, "count")),
		       json_integer_value(json_object_get(cu, "count")) == 1 ? "" : "s");
		for (int g = 0; groups[g]; g++) {
			const json_t *arr = json_object_get(cu, groups[g]);

			if (json_array_size(arr) == 0)
				continue;
			printf("  %s (%zu)\n", what[g], json_array_size(arr));
			json_array_foreach((json_t *)arr, j, b)
				print_board_line(b, groups[g]);
		}
	}
	printf("packages of the lot: %zu, %lld %s on hold\n",
	       json_array_size(json_object_get(r, "packages")),
	       (long long)json_integer_value(json_object_get(r, "packages_held")),
	       applied ? "put" : "to put");
	json_array_foreach(json_object_get(r, "packages"), i, p) {
		json_t *v;

		printf("  %-12s %-14s %-12s %-10s%s", cli_scalar(json_object_get(p, "uid")),
		       cli_scalar(json_object_get(p, "ipn")),
		       cli_scalar(json_object_get(p, "status")),
		       cli_scalar(json_object_get(p, "location")),
		       json_is_true(json_object_get(p, "held")) ? " -> on hold" : "");
		json_array_foreach(json_object_get(p, "loaded"), j, v)
			printf("%s %s", j ? "," : "  LOADED ON", json_string_value(v));
		if (json_array_size(json_object_get(p, "loaded")))
			printf(": take it off the line");
		printf("\n");
	}
	json_decref(r);
	return ECMS_OK;
}

static int
print_csv(json_t *r)
{
	char *text = NULL;
	int rc = ecms_recall_csv(r, &text);

	json_decref(r);
	if (rc)
		return cli_fail(rc, "%s", ecms_strerror(rc));
	fputs(text, stdout);
	ecms_free(text);
	return ECMS_OK;
}

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
	return csv ? print_csv(r) : print_recall(r);
}

static int
list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "id",     "time",    "lot",         "mpn",
					    "boards", "shipped", "boards_held", "packages_held",
					    "user",   "reason",  NULL };
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_recall_list(c->h, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no recalls\n");
	else
		cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}

static int
show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json = false, csv = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "csv", false, NULL, &csv },
					{ NULL } };
	json_t *r;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (json && csv)
		return cli_usage(e, "--json or --csv, not both");
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_recall_get(c->h, pos[0], &r)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(r);
	return csv ? print_csv(r) : print_recall(r);
}
