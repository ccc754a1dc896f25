/*
 * cmd_msd_status.c: `ecms msd status`: show a package's floor life: state,
 * exposure, remaining, when it ends, usable.
 */
#include "cli.h"
#include "ecms/msdstore.h"
#include "msd_common.h"

static int status_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_msd_status_entry = {
	"msd status",
	"UID [--json]",
	"show a package's floor life: state, exposure, remaining, when it ends, usable",
	UID_HELP,
	0,
	status_fn,
};

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
	bool json;
	json_t *st, *o;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 1, &json)))
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
