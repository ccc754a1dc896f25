/*
 * cmd_cfx_packages.c: `ecms cfx packages`: list the packages the line named,
 * with their CFX data and flags.
 */
#include "cli.h"
#include "ecms/cfxingest.h"

static int packages_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_cfx_packages_entry = {
	"cfx packages",
	"[--flagged] [--json]",
	"list the packages the line named, with their CFX data and flags",
	"--flagged   only those ecms does not know (or whose part disagrees)\n",
	0,
	packages_fn,
};

static int
packages_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "uid",       "ipn",   "mpn",   "lot", "quantity",
					    "msd_level", "known", "flags", NULL };
	const char *pos[1];
	bool json = false, flagged = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "flagged", false, NULL, &flagged },
					{ NULL } };
	json_t *l, *p;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_cfx_packages(c->h, flagged, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	json_array_foreach(l, i, p) {
		json_t *f = json_object_get(p, "flags"), *v;
		char text[256] = "";
		size_t k, at = 0;

		json_array_foreach(f, k, v)
			at += (size_t)snprintf(text + at, at < sizeof(text) ? sizeof(text) - at : 0,
					       "%s%s", k ? " " : "", json_string_value(v));
		json_object_set_new(p, "flags", json_string(text));
	}
	if (json_array_size(l) == 0)
		printf("no packages\n");
	else
		cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}
