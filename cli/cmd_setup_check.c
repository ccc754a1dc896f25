/*
 * cmd_setup_check.c: `ecms setup check`: the whole live setup against the
 * active program: missing, wrong, unusable.
 */
#include <string.h>

#include "cli.h"
#include "ecms/setup.h"
#include "setup_common.h"

static int check_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

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
	    (rc = setup_need(e, machine, "machine")) || (rc = cli_open(c)))
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
