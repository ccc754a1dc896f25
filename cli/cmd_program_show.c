/*
 * cmd_program_show.c: `ecms program show`: show a placement program: slot ->
 * part and the refdes it places.
 */
#include <stdlib.h>

#include "cli.h"
#include "ecms/setup.h"

static int show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_program_show_entry = {
	"program show",
	"PROGRAM [--machine M] [--json]",
	"show a placement program: slot -> part and the refdes it places",
	"--machine is needed when the program name is used on several machines.\n",
	0,
	show_fn,
};

static int
show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "machine", true, &machine, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *p, *s;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_program_show(c->h, machine, pos[0], &p)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(p);
	printf("program %s v%lld on %s", pos[0],
	       (long long)json_integer_value(json_object_get(p, "version")),
	       json_string_value(json_object_get(p, "machine")));
	if (json_is_string(json_object_get(p, "product")))
		printf(": %s rev %s %s", json_string_value(json_object_get(p, "product")),
		       json_string_value(json_object_get(p, "rev")),
		       json_string_value(json_object_get(p, "side")));
	printf("%s\n", json_is_true(json_object_get(p, "active")) ? " (active)" : "");
	json_array_foreach(json_object_get(p, "slots"), i, s) {
		char *r = json_dumps(json_object_get(s, "refdes"), JSON_COMPACT);
		printf("  %-8s %-22s %s\n", json_string_value(json_object_get(s, "slot")),
		       json_string_value(json_object_get(s, "ipn")), r ? r : "");
		free(r);
	}
	json_decref(p);
	return ECMS_OK;
}
