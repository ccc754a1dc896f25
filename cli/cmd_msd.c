/*
 * cmd_msd.c: `ecms msd ...`: the J-STD-033 floor-life clock of moisture-
 * sensitive packages: open, seal, bake (at once, or start/end/abort),
 * status, the packages about to expire, and the site's MSD rules.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/msdstore.h"

static int event_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int status_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int expiring_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int rules_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int rule_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

#define UID_HELP                                                                                   \
	"UID may be scanned or typed (lower case and O/I/L for 0/1 are read as the\n"              \
	"canonical ID). The event happens now (the global --now sets it).\n"

const struct cmd_entry cmd_msd_open_entry = {
	"msd open",
	"UID [--hic PCT] [--json]",
	"record the opening of a package's dry bag: its floor-life clock runs",
	UID_HELP "--hic PCT   the humidity indicator card: the highest spot (5, 10, 60) that\n"
		 "            is no longer blue. At the MSL's limit (10 % by default) the\n"
		 "            opening is recorded, but the package needs a bake before use:\n"
		 "            exit 1 with the reason.\n",
	0,
	event_fn,
};
const struct cmd_entry cmd_msd_seal_entry = {
	"msd seal",
	"UID [--json]",
	"record a package re-sealed in a dry bag with fresh desiccant: its clock pauses",
	UID_HELP,
	0,
	event_fn,
};
const struct cmd_entry cmd_msd_bake_entry = {
	"msd bake",
	"UID --temp C --hours H [--rh PCT] [--json]",
	"record a finished bake (ending now): checked against the bake table; resets the clock",
	UID_HELP "--temp C    oven temperature, degrees C\n"
		 "--hours H   bake duration: hours (7, 7.5) or a duration (450min, 2d)\n"
		 "--rh PCT    the oven's RH (the 90 and 40 C rows need <= 5 %); unknown if\n"
		 "            omitted\n"
		 "A bake shorter than the table's minimum for the part's MSL and body\n"
		 "thickness is refused (exit 1) and nothing is recorded.\n",
	0,
	event_fn,
};
const struct cmd_entry cmd_msd_bake_start_entry = {
	"msd bake-start",
	"UID --temp C [--rh PCT] [--json]",
	"record a package going into the oven now (end it with msd bake-end)",
	UID_HELP,
	0,
	event_fn,
};
const struct cmd_entry cmd_msd_bake_end_entry = {
	"msd bake-end",
	"UID [--json]",
	"record the end of a running bake: refused while shorter than the table's minimum",
	UID_HELP,
	0,
	event_fn,
};
const struct cmd_entry cmd_msd_bake_abort_entry = {
	"msd bake-abort",
	"UID [--json]",
	"take a package out of the oven without a valid bake (the bake does not count)",
	UID_HELP,
	0,
	event_fn,
};
const struct cmd_entry cmd_msd_status_entry = {
	"msd status",
	"UID [--json]",
	"show a package's floor life: state, exposure, remaining, when it ends, usable",
	UID_HELP,
	0,
	status_fn,
};
const struct cmd_entry cmd_msd_expiring_entry = {
	"msd expiring",
	"[--within DURATION] [--json]",
	"list packages whose floor life has ended or ends within the window (default 8h)",
	NULL,
	0,
	expiring_fn,
};
const struct cmd_entry cmd_msd_rules_entry = {
	"msd rules",
	"[--json]",
	"list the MSD rules (floor life, HIC, short exposure, cabinets, bake table)",
	"SOURCE is default (J-STD-033 values as gathered, with their confidence mark)\n"
	"or site (changed with 'ecms msd rule set').\n",
	0,
	rules_fn,
};
const struct cmd_entry cmd_msd_rule_set_entry = {
	"msd rule",
	"set KEY VALUE",
	"change an MSD rule for this site (recorded as an event)",
	"Keys as listed by 'ecms msd rules', e.g.\n"
	"  ecms msd rule set floor_life.3 168h\n"
	"  ecms msd rule set bake.3.1.4mm.125c.fl72 7h\n"
	"  ecms msd rule set bake.3.1.4mm.125c none     (delete a bake row)\n",
	0,
	rule_fn,
};

/* A whole integer in [lo, hi] with an optional trailing '%'. */
static bool
int_arg(const char *s, long lo, long hi, int *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return false;
	v = strtol(s, &end, 10);
	if (*end == '%')
		end++;
	if (end == s || *end != '\0' || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

/* --hours: a number of hours, or a duration with its unit. */
static bool
hours_arg(const char *s, int64_t *ms)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%sh", s);
	return ecms_msd_duration_parse(buf, ms, NULL) == ECMS_OK ||
	       ecms_msd_duration_parse(s, ms, NULL) == ECMS_OK;
}

static void
print_summary(const json_t *st, const char *what)
{
	const char *ends = json_string_value(json_object_get(st, "ends_at"));
	const char *reason = json_string_value(json_object_get(st, "reason"));

	printf("%s %s: %s, exposure %s, remaining %s", cli_scalar(json_object_get(st, "uid")), what,
	       cli_scalar(json_object_get(st, "state")),
	       cli_scalar(json_object_get(st, "exposure")),
	       cli_scalar(json_object_get(st, "remaining")));
	if (ends)
		printf(", ends %s", ends);
	printf("\n");
	if (reason && *reason)
		printf("  not usable: %s\n", reason);
}

static int
event_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *hic = NULL, *temp = NULL, *hours = NULL, *rh = NULL;
	bool json = false;
	struct cli_opt opts[6] = { { "json", false, NULL, &json } };
	struct ecms_msd_event ev;
	enum ecms_msd_event_type t;
	const char *what;
	json_t *st;
	int n, rc, k = 1, v;

	if (!strcmp(e->name, "msd open")) {
		t = ECMS_MSD_EV_OPEN, what = "opened";
		opts[k++] = (struct cli_opt){ "hic", true, &hic, NULL };
	} else if (!strcmp(e->name, "msd seal")) {
		t = ECMS_MSD_EV_SEAL, what = "sealed";
	} else if (!strcmp(e->name, "msd bake")) {
		t = ECMS_MSD_EV_BAKE, what = "baked";
		opts[k++] = (struct cli_opt){ "temp", true, &temp, NULL };
		opts[k++] = (struct cli_opt){ "hours", true, &hours, NULL };
		opts[k++] = (struct cli_opt){ "rh", true, &rh, NULL };
	} else if (!strcmp(e->name, "msd bake-start")) {
		t = ECMS_MSD_EV_BAKE_START, what = "in the oven";
		opts[k++] = (struct cli_opt){ "temp", true, &temp, NULL };
		opts[k++] = (struct cli_opt){ "rh", true, &rh, NULL };
	} else if (!strcmp(e->name, "msd bake-end")) {
		t = ECMS_MSD_EV_BAKE_END, what = "baked";
	} else {
		t = ECMS_MSD_EV_BAKE_ABORT, what = "bake aborted";
	}
	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	ecms_msd_event_init(&ev, t, 0);
	if (hic) {
		if (!int_arg(hic, 0, 100, &v))
			return cli_usage(e, "--hic: '%s' is not a percentage (0 to 100)", hic);
		ev.hic_pct = v;
	}
	if (rh) {
		if (!int_arg(rh, 0, 100, &v))
			return cli_usage(e, "--rh: '%s' is not a percentage (0 to 100)", rh);
		ev.rh_pct = v;
	}
	if (t == ECMS_MSD_EV_BAKE || t == ECMS_MSD_EV_BAKE_START) {
		if (temp == NULL)
			return cli_usage(e, "--temp C is required");
		if (!int_arg(temp, 1, 400, &v))
			return cli_usage(e, "--temp: '%s' is not a temperature in C (1 to 400)",
					 temp);
		ev.temp_c = v;
	}
	if (t == ECMS_MSD_EV_BAKE) {
		if (hours == NULL)
			return cli_usage(e, "--hours H is required");
		if (!hours_arg(hours, &ev.duration_ms) || ev.duration_ms <= 0)
			return cli_usage(e, "--hours: '%s' is not a duration (7, 7.5, 450min)",
					 hours);
	}
	if ((rc = cli_open(c)))
		return rc;
	ev.at_ms = ecms_now(c->h);
	if ((rc = ecms_msd_record(c->h, pos[0], &ev, &st)))
		return cli_error(c, rc);
	/* A wet HIC: the opening is on record, but the package may not be used. */
	rc = t == ECMS_MSD_EV_OPEN && json_is_true(json_object_get(st, "bake_required")) &&
			     !json_is_true(json_object_get(st, "usable"))
		     ? ECMS_EREFUSED
		     : ECMS_OK;
	if (json) {
		int rc2 = cli_print_json(json_incref(st));
		json_decref(st);
		return rc ? rc : rc2;
	}
	if (rc) {
		printf("%s opened\n", cli_scalar(json_object_get(st, "uid")));
		fflush(stdout);
		cli_fail(rc, "refused: %s: %s", cli_scalar(json_object_get(st, "uid")),
			 cli_scalar(json_object_get(st, "reason")));
	} else {
		print_summary(st, what);
	}
	json_decref(st);
	return rc;
}

static int
status_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const keys[] = {
		"uid",     "ipn",        "msl",      "state",        "where",
		"usable",  "reason",     "exposure", "floor_life",   "remaining",
		"ends_at", "expired_at", "opens",    "first_opened", "hic_pct",
		"bakes",   "last_bake",  "since",    NULL,
	};
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *st, *o;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_msd_status(c->h, pos[0], ecms_now(c->h), &st)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(st);
	o = json_object();
	for (int i = 0; keys[i]; i++) {
		json_t *v = json_object_get(st, keys[i]);
		if (v && !(json_is_string(v) && !*json_string_value(v)))
			json_object_set(o, keys[i], v);
	}
	cli_print_record(o);
	json_decref(o);
	json_decref(st);
	return ECMS_OK;
}

static int
expiring_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "uid",   "ipn",     "msl",       "state",
					    "where", "ends_at", "remaining", NULL };
	const char *pos[1], *within = "8h";
	bool json = false;
	const struct cli_opt opts[] = { { "within", true, &within, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	int64_t w;
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)))
		return rc;
	if (ecms_msd_duration_parse(within, &w, NULL) != ECMS_OK)
		return cli_usage(e, "--within: '%s' is not a duration (8h, 2d)", within);
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_msd_expiring(c->h, ecms_now(c->h), w, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no floor life ends within %s\n", within);
	else
		cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}

static int
rules_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "key", "value", "source", "note", NULL };
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_msd_rules_json(c->h, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}

static int
rule_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[3];
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, NULL, pos, 3, 3, &n)))
		return rc;
	if (strcmp(pos[0], "set") != 0)
		return cli_usage(e, "unknown subcommand '%s'", pos[0]);
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_msd_rule_set(c->h, pos[1], pos[2])))
		return cli_error(c, rc);
	printf("msd rule %s = %s\n", pos[1], pos[2]);
	return ECMS_OK;
}
