/*
 * cmd_warehouse.c: the storage commands: move, split, count, scrap,
 * access, stocktake, stock, alerts.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecms/warehouse.h"

#define FN(name) static int name(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
FN(move_fn);
FN(split_fn);
FN(count_fn);
FN(scrap_fn);
FN(access_fn);
FN(stocktake_fn);
FN(stock_fn);
FN(alerts_fn);

const struct cmd_entry cmd_move_entry = {
	"move",
	"PACKAGE LOCATION [--json]",
	"move a package: scan the package, then the location",
	"PACKAGE is an ecms UID (or a supplier label received on one package only);\n"
	"LOCATION a location ID. Quarantined, on-hold, rejected or expired packages\n"
	"cannot go to a production area; a full location is refused.\n",
	0,
	move_fn,
};
const struct cmd_entry cmd_split_entry = {
	"split",
	"UID --qty N [--json]",
	"split N parts off a package into a new child package with its own UID",
	NULL,
	0,
	split_fn,
};
const struct cmd_entry cmd_count_entry = {
	"count",
	"UID N [--loss] [--json]",
	"record the remaining count of a package back from the line",
	"The difference is recorded as consumed (or with --loss, as a loss).\n",
	0,
	count_fn,
};
const struct cmd_entry cmd_scrap_entry = {
	"scrap", "UID --reason TEXT", "scrap a package", NULL, 0, scrap_fn,
};
const struct cmd_entry cmd_access_entry = {
	"access", "UID [--json]", "who touched a restricted package, and when", NULL, 0, access_fn,
};
const struct cmd_entry cmd_stocktake_entry = {
	"stocktake",
	"LOCATION [SCAN ...] [--json]",
	"count a location: the scanned packages (arguments, or one per line on stdin)",
	"Reports found, missing (recorded here, not scanned), misplaced (scanned here,\n"
	"recorded elsewhere) and unexpected (unknown) scans, and records the result.\n",
	0,
	stocktake_fn,
};
const struct cmd_entry cmd_stock_entry = {
	"stock",
	"[IPN] [--location LOC] [--json]",
	"stock per part by status (available, quarantined, on hold, in production, expired, ...)",
	NULL,
	0,
	stock_fn,
};
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
print_or_json(json_t *o, bool json)
{
	if (json)
		return cli_print_json(o);
	cli_print_record(o);
	json_decref(o);
	return ECMS_OK;
}

static bool
parse_count(const char *s, int64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return *s && !*end && !errno && *v >= 0;
}

static int
move_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[2];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *o;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 2, 2, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_move(c->h, pos[0], pos[1], &o)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(o);
	printf("%s: %s -> %s", json_string_value(json_object_get(o, "uid")),
	       json_object_get(o, "from") ? cli_scalar(json_object_get(o, "from")) : "-",
	       json_string_value(json_object_get(o, "to")));
	if (json_object_get(o, "rh_class"))
		printf(" (dry cabinet, <= %lld %% RH)",
		       (long long)json_integer_value(json_object_get(o, "rh_class")));
	printf("\n");
	json_decref(o);
	return ECMS_OK;
}

static int
split_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *qty = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "qty", true, &qty, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *o;
	int64_t q;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!qty || !parse_count(qty, &q))
		return cli_usage(e, "--qty N (a whole number) is required");
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_split(c->h, pos[0], q, &o)))
		return cli_error(c, rc);
	return print_or_json(o, json);
}

static int
count_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[2];
	bool json = false, loss = false;
	const struct cli_opt opts[] = { { "loss", false, NULL, &loss },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *o;
	int64_t q;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 2, 2, &n)))
		return rc;
	if (!parse_count(pos[1], &q))
		return cli_usage(e, "'%s' is not a count", pos[1]);
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_count(c->h, pos[0], q, loss ? "loss" : "consumed", &o)))
		return cli_error(c, rc);
	return print_or_json(o, json);
}

static int
scrap_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *reason = NULL;
	const struct cli_opt opts[] = { { "reason", true, &reason, NULL }, { NULL } };
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)))
		return rc;
	if (!reason)
		return cli_usage(e, "--reason is required");
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_scrap(c->h, pos[0], reason)))
		return cli_error(c, rc);
	printf("%s scrapped\n", pos[0]);
	return ECMS_OK;
}

static int
access_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const cols[] = { "seq", "time", "actor", "action", "allowed", NULL };
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	json_t *l;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_access_log(c->h, pos[0], &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	cli_print_table(l, cols);
	json_decref(l);
	return ECMS_OK;
}

static int
stocktake_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1024];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	char line[4096], **lines = NULL;
	size_t nl = 0;
	json_t *o, *v;
	const char *k;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 1, 1024, &n)))
		return rc;
	if (n == 1) {
		while (fgets(line, sizeof(line), stdin)) {
			size_t l = strcspn(line, "\r\n");
			line[l] = '\0';
			if (!l)
				continue;
			lines = realloc(lines, (nl + 1) * sizeof(*lines));
			lines[nl++] = strdup(line);
		}
	}
	if ((rc = cli_open(c)) == ECMS_OK)
		rc = ecms_stocktake(c->h, pos[0], n > 1 ? pos + 1 : (const char *const *)lines,
				    n > 1 ? (size_t)(n - 1) : nl, &o);
	for (size_t i = 0; i < nl; i++)
		free(lines[i]);
	free(lines);
	if (rc)
		return c->h ? cli_error(c, rc) : rc;
	if (json)
		return cli_print_json(o);
	printf("stocktake %s of %s: %lld expected\n", json_string_value(json_object_get(o, "id")),
	       pos[0], (long long)json_integer_value(json_object_get(o, "expected")));
	json_object_foreach(o, k, v) {
		size_t i;
		json_t *x;
		if (!json_is_array(v))
			continue;
		printf("  %-10s %zu", k, json_array_size(v));
		json_array_foreach(v, i, x)
			printf("%s%s", i ? ", " : "  ",
			       json_is_object(x) ? cli_scalar(json_object_get(x, "uid"))
						 : cli_scalar(x));
		printf("\n");
	}
	json_decref(o);
	return ECMS_OK;
}

static int
stock_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	static const char *const states[] = { "available",     "quarantined", "on_hold",
					      "in_production", "expired",     "rejected",
					      "consumed",      "scrapped",    NULL };
	const char *pos[1], *loc = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "location", true, &loc, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	json_t *l, *p;
	size_t i;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 1, &n)) || (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_stock(c->h, n ? pos[0] : NULL, loc, &l)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(l);
	printf("%-22s", "IPN");
	for (int s = 0; states[s]; s++)
		printf(" %13s", states[s]);
	printf("\n");
	json_array_foreach(l, i, p) {
		json_t *st = json_object_get(p, "status");
		printf("%-22s", json_string_value(json_object_get(p, "ipn")));
		for (int s = 0; states[s]; s++) {
			json_t *x = json_object_get(st, states[s]);
			char cell[40];
			if (json_integer_value(json_object_get(x, "packages")))
				snprintf(cell, sizeof(cell), "%lld/%lld",
					 (long long)json_integer_value(json_object_get(x, "qty")),
					 (long long)json_integer_value(
						 json_object_get(x, "packages")));
			else
				snprintf(cell, sizeof(cell), "-");
			printf(" %13s", cell);
		}
		printf("\n");
	}
	printf("(quantity/packages)\n");
	json_decref(l);
	return ECMS_OK;
}

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
	if (days && (!parse_count(days, &v) || v > 3650))
		return cli_usage(e, "--days: '%s' is not a number of days", days);
	o.expiring_days = days ? (int)v : 0;
	if (qdays && (!parse_count(qdays, &v) || v > 3650))
		return cli_usage(e, "--quarantine-days: '%s' is not a number of days", qdays);
	o.quarantine_days = qdays ? (int)v : 0;
	if (mhours && (!parse_count(mhours, &v) || v < 1 || v > 8760))
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
