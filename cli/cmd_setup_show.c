/*
 * cmd_setup_show.c: `ecms setup show`: a machine's line, active program and
 * loaded reels.
 */
#include "cli.h"
#include "ecms/setup.h"
#include "setup_common.h"

static int show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_setup_show_entry = {
	"setup show",
	"--machine M [--json]",
	"a machine's line, active program and loaded reels",
	NULL,
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
	json_t *o, *a, *s;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) ||
	    (rc = setup_need(e, machine, "machine")) || (rc = cli_open(c)))
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
