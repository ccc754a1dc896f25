/*
 * cmd_quarantine.c: the quarantine queue and what QA does with it:
 * `ecms quarantine`, `ecms inspect`, `ecms release`, `ecms reject`,
 * and `ecms package show`.
 */
#include <string.h>

#include "cli.h"
#include "ecms/auth.h"
#include "ecms/receiving.h"

static int quarantine_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int inspect_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int decide_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int package_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_quarantine_entry = {
	"quarantine", "[--json]", "list packages waiting in quarantine, oldest first, with reasons",
	NULL,         0,          quarantine_fn,
};

const struct cmd_entry cmd_inspect_entry = {
	"inspect",
	"UID --result pass|fail [--notes TEXT] [--json]",
	"record an incoming inspection of a package (qa, warehouse)",
	NULL,
	0,
	inspect_fn,
};

#define DECIDE_HELP                                                                                \
	"The signer re-authenticates: with --user U, U's password is read from the\n"              \
	"terminal (or one line of standard input); with --badge, the badge code and\n"             \
	"then the PIN are read. Only the qa role may decide. The decision is a signed\n"           \
	"event: who, when, the meaning, the reason.\n"

const struct cmd_entry cmd_release_entry = {
	"release",
	"UID --reason TEXT (--user U | --badge) [--location LOC] [--coc ID] [--json]",
	"release a package from quarantine (qa; signed)",
	DECIDE_HELP,
	0,
	decide_fn,
};

const struct cmd_entry cmd_reject_entry = {
	"reject",
	"UID --reason TEXT --disposition return|scrap (--user U | --badge) [--json]",
	"reject a quarantined package: return to supplier or scrap (qa; signed)",
	DECIDE_HELP,
	0,
	decide_fn,
};

const struct cmd_entry cmd_package_show_entry = {
	"package show",
	"UID [--json]",
	"show a package: its data, findings, counterfeit signals, decisions, history",
	NULL,
	0,
	package_show_fn,
};

static int
quarantine_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "uid", "received", "age_days", "supplier",
					    "ipn", "lot",      "quantity", NULL };
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *q, *row;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_quarantine_list(c->h, &q)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(q);
	if (json_array_size(q) == 0)
		printf("nothing in quarantine\n");
	json_array_foreach(q, i, row) {
		json_t *one = json_array();
		json_array_append(one, row);
		if (i)
			printf("\n");
		cli_print_table(one, cols);
		json_decref(one);
		cli_print_reasons(json_object_get(row, "reasons"), "  ");
	}
	json_decref(q);
	return ECMS_OK;
}

static int
inspect_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *result = NULL, *notes = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "result", true, &result, NULL },
					{ "notes", true, &notes, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!result)
		return cli_usage(e, "--result pass|fail is required");
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_inspect(c->h, pos[0], result, notes)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(json_pack("{s:s,s:s}", "uid", pos[0], "result", result));
	printf("%s: inspection recorded: %s\n", pos[0], result);
	return ECMS_OK;
}

static int
decide_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
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

static int
package_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *p, *v;
	const char *k;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_package_get(c->h, pos[0], &p)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(p);
	{
		json_t *flat = json_object();
		json_object_foreach(p, k, v)
			if (!json_is_array(v))
				json_object_set(flat, k, v);
		cli_print_record(flat);
		json_decref(flat);
	}
	if (json_array_size(json_object_get(p, "children"))) {
		printf("children     ");
		json_array_foreach(json_object_get(p, "children"), i, v)
			printf(" %s", json_string_value(v));
		printf("\n");
	}
	printf("findings:%s\n", json_array_size(json_object_get(p, "findings")) ? "" : " none");
	cli_print_reasons(json_object_get(p, "findings"), "  ");
	printf("counterfeit signals: %zu\n", json_array_size(json_object_get(p, "signals")));
	json_array_foreach(json_object_get(p, "inspections"), i, v)
		printf("inspection: %s by %s at %s: %s\n", cli_scalar(json_object_get(v, "result")),
		       cli_scalar(json_object_get(v, "inspector")),
		       cli_scalar(json_object_get(v, "time")),
		       cli_scalar(json_object_get(v, "notes")));
	json_array_foreach(json_object_get(p, "decisions"), i, v)
		printf("decision: %s by %s at %s: %s\n", cli_scalar(json_object_get(v, "decision")),
		       cli_scalar(json_object_get(v, "signer")),
		       cli_scalar(json_object_get(v, "time")),
		       cli_scalar(json_object_get(v, "reason")));
	printf("history:\n");
	json_array_foreach(json_object_get(p, "history"), i, v)
		printf("  %6lld  %s  %-8s %s\n",
		       (long long)json_integer_value(json_object_get(v, "seq")),
		       cli_scalar(json_object_get(v, "time")),
		       cli_scalar(json_object_get(v, "actor")),
		       cli_scalar(json_object_get(v, "type")));
	json_decref(p);
	return ECMS_OK;
}
