/*
 * cmd_sim_receive.c: `ecms sim receive`: simulate a month of goods-in:
 * deliveries with real supplier labels (some flawed), put-away, splits, line
 * returns.
 */
#include <stdlib.h>

#include "cli.h"
#include "ecms/sim.h"
#include "sim_common.h"

static int sim_receive_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

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
	if ((rc = sim_seed_opt(e, seed, &cfg)))
		return rc;
	cfg.seed = (cfg.seed ? cfg.seed : 1) * 7919 + 17; /* another stream than master's */
	if ((rc = sim_start(c, dir, &cfg, &s)))
		return rc;
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
