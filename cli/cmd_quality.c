/*
 * cmd_quality.c: `ecms reflow import|window`, `ecms test import`,
 * `ecms equipment add|list|show|calibrate`, `ecms repair`,
 * `ecms quality show`: the board's process, inspection and test records.
 */
#include <math.h>
#include <string.h>

#include "cli.h"
#include "ecms/quality.h"

#define FN(name) static int name(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
FN(reflow_import_fn);
FN(reflow_window_fn);
FN(test_import_fn);
FN(equipment_add_fn);
FN(equipment_list_fn);
FN(equipment_show_fn);
FN(equipment_calibrate_fn);
FN(repair_fn);
FN(quality_show_fn);

const struct cmd_entry cmd_reflow_import_entry = {
	"reflow import",
	"SERIAL FILE [--paste NAME] [--at TIME] [--json]",
	"record a board's reflow pass from a profiler's CSV (time, thermocouples)",
	"The metrics (ramp, soak, time above liquidus, peak, time within 5 °C of\n"
	"peak, cooling, 25 °C to peak) are checked against the window of the\n"
	"board's product and paste (default SAC305), against the lowest peak rating\n"
	"of any component placed on the board, and the board's reflow passes\n"
	"against passes.max. The same file again for the board changes nothing.\n",
	0,
	reflow_import_fn,
};
const struct cmd_entry cmd_reflow_window_entry = {
	"reflow window",
	"[SCOPE [KEY VALUE]] [--json]",
	"show or set reflow window rows (scopes default, paste:NAME, product:NAME)",
	"Without arguments: every row; with SCOPE: its rows; with KEY VALUE: set\n"
	"one (keys as in reflow.h, e.g. peak.max_c 245, liquidus_c 217; 'none'\n"
	"drops a limit). The effective window is the built-in defaults, then\n"
	"default, the paste, then the product.\n",
	0,
	reflow_window_fn,
};
const struct cmd_entry cmd_test_import_entry = {
	"test import",
	"FILE [--json]",
	"import test results (JSON or CSV) from testers that do not speak CFX",
	"JSON: an object or array of {serial, time, method, station, recipe,\n"
	"technician, equipment, result, measurements: [{test, name, value, unit,\n"
	"min, max, expected, result, refdes}]}. CSV columns: serial, time, method,\n"
	"station, recipe, technician, equipment, result, test, measurement, value,\n"
	"unit, min, max, expected, refdes (rows with the same serial, time and\n"
	"station are one test). A test on equipment whose calibration was not\n"
	"valid on the test date is flagged on the board and listed by 'ecms alerts'.\n",
	0,
	test_import_fn,
};
const struct cmd_entry cmd_equipment_add_entry = {
	"equipment add",
	"ID [--name TEXT] [--kind KIND] [--serial S]",
	"register test equipment",
	NULL,
	0,
	equipment_add_fn,
};
const struct cmd_entry cmd_equipment_list_entry = {
	"equipment list",  "[--json]", "list test equipment and its calibration status", NULL, 0,
	equipment_list_fn,
};
const struct cmd_entry cmd_equipment_show_entry = {
	"equipment show",  "ID [--json]", "show test equipment with its calibrations", NULL, 0,
	equipment_show_fn,
};
const struct cmd_entry cmd_equipment_calibrate_entry = {
	"equipment calibrate",
	"ID --until DATE --certificate FILE [--from DATE]",
	"record a calibration (valid from --from, default today, to the end of --until)",
	NULL,
	0,
	equipment_calibrate_fn,
};
const struct cmd_entry cmd_repair_entry = {
	"repair",
	"SERIAL --action TEXT [--refdes R [--reel UID]] [--result R] [--user U] [--json]",
	"record a repair; with --reel the component at --refdes is replaced (genealogy rework)",
	NULL,
	0,
	repair_fn,
};
const struct cmd_entry cmd_quality_show_entry = {
	"quality show",
	"SERIAL [--json]",
	"a board's reflow, inspection, test and repair records with their findings",
	NULL,
	0,
	quality_show_fn,
};

static void
print_findings(const json_t *fs, const char *indent)
{
	size_t i;
	json_t *f;

	json_array_foreach(fs, i, f)
		printf("%s%-4s %-32s %s\n", indent,
		       json_string_value(json_object_get(f, "severity")),
		       json_string_value(json_object_get(f, "code")),
		       json_string_value(json_object_get(f, "text")));
}

static int
reflow_import_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[2], *paste = NULL, *at = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "paste", true, &paste, NULL },
					{ "at", true, &at, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	int64_t t = -1;
	ecms_error err;
	json_t *o;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 2, 2, &n)))
		return rc;
	if (at && ecms_time_parse(at, &t, &err))
		return cli_usage(e, "--at: %s", err.message);
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_quality_reflow_import(c->h, pos[0], pos[1], paste, t, &o)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(o);
	if (!json_is_true(json_object_get(o, "stored"))) {
		printf("%s: this profile is already recorded\n", pos[0]);
	} else {
		printf("%s: reflow pass %lld: %s\n", pos[0],
		       (long long)json_integer_value(json_object_get(o, "pass")),
		       json_string_value(json_object_get(o, "result")));
		print_findings(json_object_get(o, "findings"), "  ");
	}
	json_decref(o);
	return ECMS_OK;
}

static int
reflow_window_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "scope", "key", "value", NULL };
	const char *pos[3];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 3, &n)))
		return rc;
	if (n == 2)
		return cli_usage(e, "KEY needs a VALUE");
	if ((rc = cli_open(c)))
		return rc;
	if (n == 3 && (rc = ecms_reflow_window_put(c->h, pos[0], pos[1], pos[2])))
		return cli_error(c, rc);
	if ((rc = ecms_reflow_window_rows(c->h, n ? pos[0] : NULL, &l)))
		return cli_error(c, rc);
	return cli_print_list(l, json, cols);
}

static int
test_import_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json;
	json_t *o;
	size_t i;
	json_t *f;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 1, &json)))
		return rc;
	if ((rc = ecms_quality_test_import(c->h, pos[0], &o)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(o);
	printf("%lld tests, %lld stored\n",
	       (long long)json_integer_value(json_object_get(o, "tests")),
	       (long long)json_integer_value(json_object_get(o, "stored")));
	json_array_foreach(json_object_get(o, "findings"), i, f)
		printf("  %s %-4s %-28s %s\n", json_string_value(json_object_get(f, "serial")),
		       json_string_value(json_object_get(f, "severity")),
		       json_string_value(json_object_get(f, "code")),
		       json_string_value(json_object_get(f, "text")));
	json_decref(o);
	return ECMS_OK;
}

static int
equipment_add_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *name = NULL, *kind = NULL, *serial = NULL;
	const struct cli_opt opts[] = { { "name", true, &name, NULL },
					{ "kind", true, &kind, NULL },
					{ "serial", true, &serial, NULL },
					{ NULL } };
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_equipment_add(c->h, pos[0], name, kind, serial)))
		return cli_error(c, rc);
	printf("%s\n", pos[0]);
	return ECMS_OK;
}

static int
equipment_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = {
		"id", "name", "kind", "calibrated_until", "status", NULL
	};
	const char *pos[1];
	bool json;
	json_t *l;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 0, &json)))
		return rc;
	if ((rc = ecms_equipment_list(c->h, &l)))
		return cli_error(c, rc);
	return cli_print_list(l, json, cols);
}

static int
equipment_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json;
	json_t *o;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 1, &json)))
		return rc;
	if ((rc = ecms_equipment_get(c->h, pos[0], &o)))
		return cli_error(c, rc);
	return cli_print_or_json(o, json);
}

static int
equipment_calibrate_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *until = NULL, *cert = NULL, *from = NULL;
	const struct cli_opt opts[] = { { "until", true, &until, NULL },
					{ "certificate", true, &cert, NULL },
					{ "from", true, &from, NULL },
					{ NULL } };
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!until || !cert)
		return cli_usage(e, "--until and --certificate are required");
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_equipment_calibrate(c->h, pos[0], from, until, cert)))
		return cli_error(c, rc);
	printf("%s: calibrated until %s\n", pos[0], until);
	return ECMS_OK;
}

static int
repair_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *action = NULL, *refdes = NULL, *reel = NULL, *user = NULL,
			    *result = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "action", true, &action, NULL },
					{ "refdes", true, &refdes, NULL },
					{ "reel", true, &reel, NULL },
					{ "user", true, &user, NULL },
					{ "result", true, &result, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	struct ecms_repair_req r;
	json_t *o;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!action)
		return cli_usage(e, "--action is required");
	if (reel && !refdes)
		return cli_usage(e, "--reel needs --refdes");
	if (user)
		c->user = user;
	if ((rc = cli_open(c)))
		return rc;
	r = (struct ecms_repair_req){ pos[0], action, refdes, reel, user, result, -1 };
	if ((rc = ecms_quality_repair(c->h, &r, &o)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(o);
	printf("%s: repair recorded%s\n", pos[0], reel ? " (component replaced)" : "");
	print_findings(json_object_get(o, "findings"), "  ");
	json_decref(o);
	return ECMS_OK;
}

static const char *
s_or(const json_t *o, const char *k, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : dflt;
}

static int
quality_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json;
	json_t *o, *r;
	size_t i;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 1, &json)))
		return rc;
	if ((rc = ecms_quality_board(c->h, pos[0], &o)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(o);
	printf("board %s: %s\n", pos[0], s_or(o, "result", "?"));
	json_array_foreach(json_object_get(o, "reflow"), i, r) {
		json_t *pk = json_object_get(
			json_object_get(json_object_get(r, "metrics"), "summary"), "peak");
		double mx = json_number_value(json_object_get(pk, "max"));
		printf("  reflow  %s pass %lld (%s): peak %s%.1f °C, %s\n", s_or(r, "time", ""),
		       (long long)json_integer_value(json_object_get(r, "pass")),
		       s_or(r, "source", ""),
		       strcmp(s_or(pk, "kind", ""), "upper_bound") == 0 ? "<= " : "",
		       json_is_number(json_object_get(pk, "max")) ? mx : NAN,
		       s_or(r, "result", ""));
	}
	json_array_foreach(json_object_get(o, "inspections"), i, r)
		printf("  inspect %s %s: %s, %zu defects\n", s_or(r, "time", ""),
		       s_or(r, "method", ""), s_or(r, "result", ""),
		       json_array_size(json_object_get(r, "defects")));
	json_array_foreach(json_object_get(o, "tests"), i, r)
		printf("  test    %s %s on %s (calibration %s): %s, %zu measurements\n",
		       s_or(r, "time", ""), s_or(r, "method", ""), s_or(r, "equipment", "-"),
		       s_or(r, "calibration", ""), s_or(r, "result", ""),
		       json_array_size(json_object_get(r, "measurements")));
	json_array_foreach(json_object_get(o, "repairs"), i, r)
		printf("  repair  %s %s%s%s by %s\n", s_or(r, "time", ""), s_or(r, "action", ""),
		       json_object_get(r, "new_uid") && !json_is_null(json_object_get(r, "new_uid"))
			       ? ", new part from "
			       : "",
		       s_or(r, "new_uid", ""), s_or(r, "operator", ""));
	if (json_array_size(json_object_get(o, "findings")))
		printf("findings:\n");
	print_findings(json_object_get(o, "findings"), "  ");
	json_decref(o);
	return ECMS_OK;
}
