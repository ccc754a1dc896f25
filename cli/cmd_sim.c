/*
 * cmd_sim.c: `ecms sim master`: generate a factory's master data with the
 * deterministic simulator and import it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ecms/sim.h"

static int sim_master_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int sim_receive_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int sim_product_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);
static int sim_production_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_sim_production_entry = {
	"sim production",
	"[--seed N] [--wo ID] [--boards N] [--lines N] [--notice-boards N] [--dir DIR] [--json]",
	"run the work order on the SMT lines: placement programs, CFX messages and ground truth",
	"Buys and receives the reels the run needs (real supplier labels, a CoC per\n"
	"lot), then writes to DIR what the lines report and what really happened:\n"
	"  programs.csv, programs-L2.csv ...  placement programs, one file per line\n"
	"  cfx.ndjson      CFX 2.1 messages in time order (for 'ecms cfx ingest')\n"
	"  truth.json      per board and refdes the candidate packages; the notice lot\n"
	"  shipments.csv   shipment,date,customer,serial\n"
	"  equipment.csv   test equipment and calibration (FCT-2 lapsed)\n"
	"--seed N           the run (default 1): reels, lots, timing, findings\n"
	"--wo ID            the work order (default WO-HM-500; 'ecms sim product --wo')\n"
	"--boards N         boards to build (default: the work order's quantity)\n"
	"--lines N          SMT lines, 1 to 4 (default 2): panels of 4 on L1, of 2 on L2\n"
	"--notice-boards N  boards that get the capacitor lot of the demo's supplier\n"
	"                   notice (default 20, a multiple of 4)\n"
	"--dir DIR          where to write (default ./sim-data)\n"
	"Production runs 90 days before 'now'. The same seed and clock give the same\n"
	"files, byte for byte. See docs/simulator.md.\n",
	0,
	sim_production_fn,
};

const struct cmd_entry cmd_sim_product_entry = {
	"sim product",
	"[--boards N] [--wo ID] [--dir DIR]",
	"design the demo heart monitor (KiCad BOM HM-100 rev B) and order N boards",
	NULL,
	0,
	sim_product_fn,
};

const struct cmd_entry cmd_sim_receive_entry = {
	"sim receive",
	"[--seed N] [--deliveries N] [--dir DIR] [--json]",
	"simulate a month of goods-in: deliveries with real supplier labels (some flawed), "
	"put-away, splits, line returns",
	"Most deliveries are clean; the others are built to trip one receiving rule\n"
	"each (wrong lot, expired CoC, broker source, cloned label, more than a full\n"
	"reel, old date code, lapsed ISO 9001, LCSC label without lot). The summary\n"
	"says how many of each the rules caught. Needs 'ecms sim master' first.\n",
	0,
	sim_receive_fn,
};

const struct cmd_entry cmd_sim_master_entry = {
	"sim master",
	"[--seed N] [--dir DIR]",
	"generate a factory's master data (parts, suppliers, locations, users)",
	"--seed N    the factory (default 1): the same seed gives the same data\n"
	"--dir DIR   where to write the CSV files (default ./sim-data)\n"
	"The files are imported like any site's; running again changes nothing.\n",
	0,
	sim_master_fn,
};

static int
sim_master_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *seed = NULL, *dir = "sim-data";
	const struct cli_opt opts[] = { { "seed", true, &seed, NULL },
					{ "dir", true, &dir, NULL },
					{ NULL } };
	ecms_sim_config cfg = { 0 };
	ecms_sim *s;
	char *end;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)))
		return rc;
	if (seed) {
		errno = 0;
		cfg.seed = strtoull(seed, &end, 10);
		if (errno || *end || !*seed || cfg.seed == 0)
			return cli_usage(e, "--seed: '%s' is not a positive number", seed);
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return cli_fail(ECMS_EIO, "%s: cannot create: %s", dir, strerror(errno));
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_sim_new(&cfg, &s)))
		return cli_fail(rc, "out of memory");
	rc = ecms_sim_master(s, c->h, dir);
	ecms_sim_free(s);
	if (rc)
		return cli_error(c, rc);
	printf("master data written to %s/ and imported\n", dir);
	return ECMS_OK;
}

static int
sim_receive_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *seed = NULL, *dir = "sim-data", *nd = "40";
	bool json = false;
	const struct cli_opt opts[] = { { "seed", true, &seed, NULL },
					{ "dir", true, &dir, NULL },
					{ "deliveries", true, &nd, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	ecms_sim_config cfg = { 0 };
	ecms_sim *s;
	json_t *sum, *v;
	const char *k;
	char *end;
	long n;
	int np, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &np)))
		return rc;
	n = strtol(nd, &end, 10);
	if (*end || n <= 0 || n > 100000)
		return cli_usage(e, "--deliveries: '%s' is not a number from 1 to 100000", nd);
	if (seed) {
		errno = 0;
		cfg.seed = strtoull(seed, &end, 10);
		if (errno || *end || !*seed || cfg.seed == 0)
			return cli_usage(e, "--seed: '%s' is not a positive number", seed);
	}
	cfg.seed = (cfg.seed ? cfg.seed : 1) * 7919 + 17; /* another stream than master's */
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return cli_fail(ECMS_EIO, "%s: cannot create: %s", dir, strerror(errno));
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_sim_new(&cfg, &s)))
		return cli_fail(rc, "out of memory");
	rc = ecms_sim_receive(s, c->h, dir, (int)n, &sum);
	if (rc == ECMS_OK) {
		json_t *wh = NULL;
		rc = ecms_sim_warehouse(s, c->h, &wh);
		if (rc == ECMS_OK)
			json_object_set_new(sum, "warehouse", wh);
		else
			json_decref(sum);
	}
	ecms_sim_free(s);
	if (rc)
		return cli_error(c, rc);
	if (json)
		return cli_print_json(sum);
	printf("%lld deliveries: %lld accepted, %lld quarantined, %lld refused\n",
	       (long long)json_integer_value(json_object_get(sum, "deliveries")),
	       (long long)json_integer_value(json_object_get(sum, "accepted")),
	       (long long)json_integer_value(json_object_get(sum, "quarantined")),
	       (long long)json_integer_value(json_object_get(sum, "refused")));
	{
		json_t *wh = json_object_get(sum, "warehouse");
		printf("put away %lld, split %lld, line returns %lld, MSD bags opened %lld, "
		       "baked %lld\n",
		       (long long)json_integer_value(json_object_get(wh, "put_away")),
		       (long long)json_integer_value(json_object_get(wh, "split")),
		       (long long)json_integer_value(json_object_get(wh, "line_returns")),
		       (long long)json_integer_value(json_object_get(wh, "msd_opened")),
		       (long long)json_integer_value(json_object_get(wh, "baked")));
	}
	json_object_foreach(json_object_get(sum, "scenarios"), k, v) {
		if (json_integer_value(json_object_get(v, "count")) == 0)
			continue;
		printf("  %-16s %3lld  caught %3lld  (%s)\n", k,
		       (long long)json_integer_value(json_object_get(v, "count")),
		       (long long)json_integer_value(json_object_get(v, "caught")),
		       json_string_value(json_object_get(v, "rule"))
			       ? json_string_value(json_object_get(v, "rule"))
			       : "accepted");
	}
	json_decref(sum);
	return ECMS_OK;
}

static int
sim_product_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *boards = "500", *wo = NULL, *dir = "sim-data";
	const struct cli_opt opts[] = { { "boards", true, &boards, NULL },
					{ "wo", true, &wo, NULL },
					{ "dir", true, &dir, NULL },
					{ NULL } };
	ecms_sim *s;
	char *end;
	long n;
	int np, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &np)))
		return rc;
	n = strtol(boards, &end, 10);
	if (*end || n <= 0 || n > 1000000)
		return cli_usage(e, "--boards: '%s' is not a number from 1 to 1000000", boards);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return cli_fail(ECMS_EIO, "%s: cannot create: %s", dir, strerror(errno));
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_sim_new(NULL, &s)))
		return cli_fail(rc, "out of memory");
	rc = ecms_sim_product(s, c->h, dir, (int)n, wo);
	ecms_sim_free(s);
	if (rc)
		return cli_error(c, rc);
	printf("HM-100 rev B imported from %s/heart-monitor-HM-100-B.csv", dir);
	if (wo)
		printf("; work order %s for %ld boards", wo, n);
	printf("\n");
	return ECMS_OK;
}

static int
num_opt(const struct cmd_entry *e, const char *name, const char *v, long lo, long hi, int *out)
{
	char *end;
	long n;

	if (v == NULL)
		return ECMS_OK;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || !*v || n < lo || n > hi)
		return cli_usage(e, "--%s: '%s' is not a number from %ld to %ld", name, v, lo, hi);
	*out = (int)n;
	return ECMS_OK;
}

static int
sim_production_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *seed = NULL, *dir = "sim-data", *wo = NULL, *boards = NULL,
			    *lines = NULL, *notice = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "seed", true, &seed, NULL },
					{ "wo", true, &wo, NULL },
					{ "boards", true, &boards, NULL },
					{ "lines", true, &lines, NULL },
					{ "notice-boards", true, &notice, NULL },
					{ "dir", true, &dir, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	ecms_sim_config cfg = { 0 };
	ecms_sim_prod_config pc = { 0 };
	ecms_sim *s;
	json_t *sum, *n;
	char *end;
	int np, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &np)))
		return rc;
	if ((rc = num_opt(e, "boards", boards, 1, 100000, &pc.boards)) ||
	    (rc = num_opt(e, "lines", lines, 1, 4, &pc.lines)) ||
	    (rc = num_opt(e, "notice-boards", notice, 4, 10000, &pc.notice_boards)))
		return rc;
	if (seed) {
		errno = 0;
		cfg.seed = strtoull(seed, &end, 10);
		if (errno || *end || !*seed || cfg.seed == 0)
			return cli_usage(e, "--seed: '%s' is not a positive number", seed);
	}
	cfg.seed = (cfg.seed ? cfg.seed : 1) * 104729 + 31; /* its own stream */
	pc.wo = wo;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return cli_fail(ECMS_EIO, "%s: cannot create: %s", dir, strerror(errno));
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = ecms_sim_new(&cfg, &s)))
		return cli_fail(rc, "out of memory");
	rc = ecms_sim_production(s, c->h, dir, &pc, &sum);
	ecms_sim_free(s);
	if (rc)
		return cli_error(c, rc);
	if (json)
		return cli_print_json(sum);
	n = json_object_get(sum, "notice");
	printf("%lld boards on %lld line%s (%lld panels), %lld reels received, %lld CFX "
	       "messages\n",
	       (long long)json_integer_value(json_object_get(sum, "boards")),
	       (long long)json_integer_value(json_object_get(sum, "lines")),
	       json_integer_value(json_object_get(sum, "lines")) == 1 ? "" : "s",
	       (long long)json_integer_value(json_object_get(sum, "panels")),
	       (long long)json_integer_value(json_object_get(sum, "reels")),
	       (long long)json_integer_value(json_object_get(sum, "messages")));
	printf("notice lot %s (%s, %s): %lld boards carry it, %lld reels of it in stock\n",
	       json_string_value(json_object_get(n, "lot")),
	       json_string_value(json_object_get(n, "mpn")),
	       json_string_value(json_object_get(n, "ipn")),
	       (long long)json_integer_value(json_object_get(n, "boards")),
	       (long long)json_integer_value(json_object_get(n, "reels_in_stock")));
	printf("grey-zone boards %lld, boards with an ambiguous refdes %lld, scrapped %lld, "
	       "shipped %lld\n",
	       (long long)json_integer_value(json_object_get(sum, "grey_zone_boards")),
	       (long long)json_integer_value(json_object_get(sum, "ambiguous_boards")),
	       (long long)json_integer_value(json_object_get(sum, "scrapped")),
	       (long long)json_integer_value(json_object_get(sum, "shipped")));
	printf("written to %s/: programs*.csv cfx.ndjson truth.json shipments.csv equipment.csv\n",
	       dir);
	json_decref(sum);
	return ECMS_OK;
}
