/*
 * cmd_package_show.c: `ecms package show`: show a package: its data, findings,
 * counterfeit signals, decisions, history.
 */
#include "cli.h"
#include "ecms/auth.h"
#include "ecms/receiving.h"

static int package_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_package_show_entry = {
	"package show",
	"UID [--json]",
	"show a package: its data, findings, counterfeit signals, decisions, history",
	NULL,
	0,
	package_show_fn,
};

static int
package_show_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json;
	json_t *p, *v;
	const char *k;
	size_t i;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 1, &json)))
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
