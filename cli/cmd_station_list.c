/*
 * cmd_station_list.c: `ecms station list`: list scanning stations.
 */
#include "cli.h"
#include "ecms/station.h"

static int station_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_station_list_entry = {
	"station list", "[--json]", "list scanning stations", NULL, 0, station_list_fn,
};

static int
station_list_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "id", "gs", "rs", "name", NULL };
	const char *pos[1];
	bool json;
	json_t *l;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 0, &json)))
		return rc;
	if ((rc = ecms_station_list(c->h, &l)))
		return cli_error(c, rc);
	return cli_print_list(l, json, cols);
}
