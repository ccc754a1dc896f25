/*
 * cmd_sim_production.c: `ecms sim production`: run the work order on the SMT
 * lines: placement programs, CFX messages and ground truth.
 */
#include <errno.h>
#include <stdlib.h>

#include "cli.h"
#include "ecms/sim.h"
#include "sim_common.h"

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
	int np, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &np)))
		return rc;
	if ((rc = num_opt(e, "boards", boards, 1, 100000, &pc.boards)) ||
	    (rc = num_opt(e, "lines", lines, 1, 4, &pc.lines)) ||
	    (rc = num_opt(e, "notice-boards", notice, 4, 10000, &pc.notice_boards)))
		return rc;
	if ((rc = sim_seed_opt(e, seed, &cfg)))
		return rc;
	cfg.seed = (cfg.seed ? cfg.seed : 1) * 104729 + 31; /* its own stream */
	pc.wo = wo;
	if ((rc = sim_start(c, dir, &cfg, &s)))
		return rc;
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
