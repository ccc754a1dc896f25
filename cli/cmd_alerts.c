/*
 * cmd_alerts.c: `ecms alerts`: what needs attention: shelf life, reorder
 * points, aged quarantine, MSD floor life.
 */
#include "cli.h"
#include "ecms/warehouse.h"

static int alerts_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_alerts_entry = {
	"alerts",
	"[--days N] [--quarantine-days N] [--msd-hours N] [--json]",
	"what needs attention: shelf life, reorder points, aged quarantine, MSD floor life",
	"--days N             shelf life ending within N days (default 30)\n"
	"--quarantine-days N  quarantine older than N days (default 3)\n"
	"--msd-hours N        MSD floor life ending within N hours (default 8)\n"
	"Kinds: shelf_life.expired, shelf_life.expiring, stock.below_reorder,\n"
	"quarantine.aged, msd.floor_life.\n",
	0,
	alerts_fn,
};

static int
alerts_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *days = NULL, *qdays = NULL, *mhours = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "days", true, &days, NULL },
					{ "quarantine-days", true, &qdays, NULL },
					{ "msd-hours", true, &mhours, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	ecms_alert_opts o = { 0 };
	json_t *l, *a;
	int64_t v;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)))
		return rc;
	if (days && (!cli_parse_count(days, &v) || v > 3650))
		return cli_usage(e, "--days: '%s' is not a number of days", days);
	o.expiring_days = days ? (int)v : 0;
	if (qdays && (!cli_parse_count(qdays, &v) || v > 3650))
		return cli_usage(e, "--quarantine-days: '%s' is not a number of days", qdays);
	o.quarantine_days = qdays ? (int)v : 0;
	if (mhours && (!cli_parse_count(mhours, &v) || v < 1 || v > 8760))
		return cli_usage(e, "--msd-hours: '%s' is not a number of hours (1 to 8760)",
				 mhours);
	o.msd_hours = mhours ? (int)v : 0;
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_alerts(c->h, &o, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	if (json_array_size(l) == 0)
		printf("no alerts\n");
	json_array_foreach(l, i, a)
		printf("%-22s %s\n", cli_scalar(json_object_get(a, "kind")),
		       cli_scalar(json_object_get(a, "sentence")));
	json_decref(l);
	return ECMS_OK;
}
