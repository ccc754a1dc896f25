/*
 * cmd_setup.c: `ecms setup ...`: changeovers (the active program of a
 * machine) and the feeder setup interlock: load, splice, unload, check,
 * show, and the refused loads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/setup.h"

#define FN(name) static int name(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
FN(program_fn);
FN(load_fn);
FN(splice_fn);
FN(unload_fn);
FN(check_fn);
FN(show_fn);
FN(refused_fn);

#define REEL_HELP                                                                                  \
	"UID is the reel as scanned: its ecms UID label (typed or scanned), or a\n"                \
	"supplier label received on exactly one package. The answer is one line:\n"                \
	"GO or NO-GO with the reason; a NO-GO changes nothing in the setup, is\n"                  \
	"recorded (ecms setup refused) and exits 1. Reason codes: docs/setup.md.\n"

const struct cmd_entry cmd_setup_program_entry = {
	"setup program",
	"--machine M --program P [--wo WO] [--json]",
	"changeover: make P the program machine M runs now (for work order WO)",
	"The program must be one of the machine's (ecms import program). A work order\n"
	"must build the program's product and revision. The loaded reels stay: check\n"
	"them against the new program with 'ecms setup check'.\n",
	0,
	program_fn,
};
const struct cmd_entry cmd_setup_load_entry = {
	"setup load",
	"--machine M --slot S --reel UID [--json]",
	"interlock: GO / NO-GO for a reel on a slot; a GO is recorded as the load",
	REEL_HELP "GO: the reel is the part the active program wants on the slot (or an\n"
		  "approved BOM alternate), released, not on hold, within shelf life and MSD\n"
		  "floor life, and not loaded on another slot.\n",
	0,
	load_fn,
};
const struct cmd_entry cmd_setup_splice_entry = {
	"setup splice",
	"--machine M --slot S --new UID [--grey N] [--json]",
	"interlock for a splice: the new reel joined to the one running on the slot",
	REEL_HELP "The same checks as a load, and the new reel must be the same part as the\n"
		  "running one (a different part: unload, then load). --grey N: the machine\n"
		  "cannot tell which reel fed the next N parts (they stay ambiguous in the\n"
		  "genealogy); 0 (default) for a clean switch.\n",
	0,
	splice_fn,
};
const struct cmd_entry cmd_setup_unload_entry = {
	"setup unload", "--machine M --slot S [--json]", "take the reel off a slot", NULL, 0,
	unload_fn,
};
const struct cmd_entry cmd_setup_check_entry = {
	"setup check",
	"--machine M [--json]",
	"the whole live setup against the active program: missing, wrong, unusable",
	"One line per program slot: OK, ALTERNATE, MISSING, WRONG PART or UNUSABLE with\n"
	"the reason; reels on slots the program does not use are listed as extra.\n"
	"Exit 1 when any program slot is not OK.\n",
	0,
	check_fn,
};
const struct cmd_entry cmd_setup_show_entry = {
	"setup show",
	"--machine M [--json]",
	"a machine's line, active program and loaded reels",
	NULL,
	0,
	show_fn,
};
const struct cmd_entry cmd_setup_refused_entry = {
	"setup refused",
	"[--machine M] [--json]",
	"the loads and splices the interlock refused (newest first)",
	NULL,
	0,
	refused_fn,
};

static int
need(const struct cmd_entry *e, const char *v, const char *name)
{
	if (v == NULL || !*v)
		return cli_usage(e, "--%s is required", name);
	return ECMS_OK;
}

/* Print a verdict: one line, GO or NO-GO. Returns the exit rc. */
static int
verdict_print(struct cli *c, const struct ecms_setup_verdict *v, int rc, bool json)
{
	if (rc != ECMS_OK && rc != ECMS_EREFUSED)
		return cli_error(c, rc);
	if (json) {
		int prc = cli_print_json(ecms_setup_verdict_json(v));
		return prc ? prc : rc;
	}
	printf("%-5s  %s %s: %s\n", v->go ? "GO" : "NO-GO", v->machine, v->slot, v->message);
	return rc;
}

static int
program_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL, *program = NULL, *wo = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "machine", true, &machine, NULL },
					{ "program", true, &program, NULL },
					{ "wo", true, &wo, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) ||
	    (rc = need(e, machine, "machine")) || (rc = need(e, program, "program")) ||
	    (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_setup_activate(c->h, machine, program, wo)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(json_pack("{s:s,s:s,s:s?}", "machine", machine, "program",
						program, "work_order", wo));
	printf("%s now runs program %s%s%s\n", machine, program, wo ? " for work order " : "",
	       wo ? wo : "");
	return ECMS_OK;
}

static int
load_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL, *slot = NULL, *reel = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "machine", true, &machine, NULL },
					{ "slot", true, &slot, NULL },
					{ "reel", true, &reel, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	struct ecms_setup_verdict v;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) ||
	    (rc = need(e, machine, "machine")) || (rc = need(e, slot, "slot")) ||
	    (rc = need(e, reel, "reel")) || (rc = cli_open(c)))
		return rc;
	rc = ecms_setup_load(c->h, machine, slot, reel, &v);
	return verdict_print(c, &v, rc, json);
}

static int
splice_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL, *slot = NULL, *reel = NULL, *grey = NULL;
	bool json = false;
	const struct cli_opt opts[] = {
		{ "machine", true, &machine, NULL }, { "slot", true, &slot, NULL },
		{ "new", true, &reel, NULL },        { "grey", true, &grey, NULL },
		{ "json", false, NULL, &json },      { NULL }
	};
	struct ecms_setup_verdict v;
	long long g = 0;
	char *end;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) ||
	    (rc = need(e, machine, "machine")) || (rc = need(e, slot, "slot")) ||
	    (rc = need(e, reel, "new")))
		return rc;
	if (grey) {
		errno = 0;
		g = strtoll(grey, &end, 10);
		if (errno || *end || !*grey || g < 0 || g > 1000000)
			return cli_usage(e, "--grey: '%s' is not a number of parts (0 to 1000000)",
					 grey);
	}
	if ((rc = cli_open(c)))
		return rc;
	rc = ecms_setup_splice(c->h, machine, slot, reel, g, &v);
	return verdict_print(c, &v, rc, json);
}

static int
unload_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL, *slot = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "machine", true, &machine, NULL },
					{ "slot", true, &slot, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	char *uid = NULL;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) ||
	    (rc = need(e, machine, "machine")) || (rc = need(e, slot, "slot")) ||
	    (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_setup_unload(c->h, machine, slot, &uid)))
		return cli_error(c, rc);
	if (json)
		rc = cli_print_json(
			json_pack("{s:s,s:s,s:s}", "machine", machine, "slot", slot, "uid", uid));
	else
		printf("%s unloaded from %s %s\n", uid, machine, slot);
	ecms_free(uid);
	return rc;
}

static int
check_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "machine", true, &machine, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *o, *s, *cnt;
	size_t i;
	bool ok;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) ||
	    (rc = need(e, machine, "machine")) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_setup_check(c->h, machine, &o)))
		return cli_error(c, rc);
	ok = json_is_true(json_object_get(o, "ok"));
	if (json) {
		rc = cli_print_json(o);
		return rc ? rc : ok ? ECMS_OK : ECMS_EREFUSED;
	}
	printf("%s: program %s v%lld%s%s\n", machine,
	       json_string_value(json_object_get(o, "program")),
	       (long long)json_integer_value(json_object_get(o, "version")),
	       json_is_string(json_object_get(o, "work_order")) ? ", work order " : "",
	       json_is_string(json_object_get(o, "work_order"))
		       ? json_string_value(json_object_get(o, "work_order"))
		       : "");
	json_array_foreach(json_object_get(o, "slots"), i, s) {
		const char *state = json_string_value(json_object_get(s, "state"));
		const char *label = !strcmp(state, "ok")           ? "OK"
				    : !strcmp(state, "alternate")  ? "ALTERNATE"
				    : !strcmp(state, "missing")    ? "MISSING"
				    : !strcmp(state, "wrong_part") ? "WRONG PART"
								   : "UNUSABLE";
		printf("  %-8s %-10s %-12s %s\n", json_string_value(json_object_get(s, "slot")),
		       label, cli_scalar(json_object_get(s, "uid")),
		       json_string_value(json_object_get(s, "message")));
	}
	json_array_foreach(json_object_get(o, "extra"), i, s)
		printf("  %-8s %-10s %-12s not used by the program\n",
		       json_string_value(json_object_get(s, "slot")), "EXTRA",
		       json_string_value(json_object_get(s, "uid")));
	cnt = json_object_get(o, "counts");
	printf("%s: %lld ok, %lld missing, %lld wrong part, %lld unusable\n",
	       ok ? "setup OK" : "setup NOT OK",
	       (long long)json_integer_value(json_object_get(cnt, "ok")),
	       (long long)json_integer_value(json_object_get(cnt, "missing")),
	       (long long)json_integer_value(json_object_get(cnt, "wrong_part")),
	       (long long)json_integer_value(json_object_get(cnt, "unusable")));
	json_decref(o);
	return ok ? ECMS_OK : ECMS_EREFUSED;
}

static int
show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "machine", true, &machine, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *o, *a, *s;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) ||
	    (rc = need(e, machine, "machine")) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_setup_show(c->h, machine, &o)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(o);
	a = json_object_get(o, "active");
	printf("machine  %s\nline     %s\n", machine, cli_scalar(json_object_get(o, "line")));
	if (json_is_object(a)) {
		printf("program  %s v%lld", json_string_value(json_object_get(a, "program")),
		       (long long)json_integer_value(json_object_get(a, "version")));
		if (json_is_string(json_object_get(a, "product")))
			printf(" (%s rev %s %s)", json_string_value(json_object_get(a, "product")),
			       json_string_value(json_object_get(a, "rev")),
			       json_string_value(json_object_get(a, "side")));
		printf("\n");
		if (json_is_string(json_object_get(a, "work_order")))
			printf("wo       %s\n",
			       json_string_value(json_object_get(a, "work_order")));
		printf("since    %s by %s\n", json_string_value(json_object_get(a, "since")),
		       json_string_value(json_object_get(a, "by")));
	} else {
		printf("program  none (ecms setup program)\n");
	}
	json_array_foreach(json_object_get(o, "slots"), i, s) {
		json_t *cands = json_object_get(s, "candidates");
		if (json_is_string(json_object_get(s, "uid")))
			printf("  %-8s %-12s %s\n", json_string_value(json_object_get(s, "slot")),
			       json_string_value(json_object_get(s, "uid")),
			       cli_scalar(json_object_get(s, "ipn")));
		else if (json_array_size(cands) > 1)
			printf("  %-8s grey zone, %lld parts left: %s ... %s\n",
			       json_string_value(json_object_get(s, "slot")),
			       (long long)json_integer_value(json_object_get(s, "grey_left")),
			       json_string_value(json_array_get(cands, 0)),
			       json_string_value(
				       json_array_get(cands, json_array_size(cands) - 1)));
		else
			printf("  %-8s empty\n", json_string_value(json_object_get(s, "slot")));
	}
	json_decref(o);
	return ECMS_OK;
}

static int
refused_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "machine", true, &machine, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *l, *r;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_setup_refusals(c->h, machine, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no refused loads\n");
	json_array_foreach(l, i, r)
		printf("%s  %-6s %s %s  %-20s %s (by %s)\n",
		       json_string_value(json_object_get(r, "time")),
		       json_string_value(json_object_get(r, "op")),
		       json_string_value(json_object_get(r, "machine")),
		       json_string_value(json_object_get(r, "slot")),
		       json_string_value(json_object_get(r, "code")),
		       json_string_value(json_object_get(r, "message")),
		       json_string_value(json_object_get(r, "actor")));
	json_decref(l);
	return ECMS_OK;
}
