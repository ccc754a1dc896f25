/*
 * cmd_log.c: `ecms log`: list events of the append-only event log.
 */
#include <stdlib.h>

#include "cli.h"
#include "ecms/event.h"

static int log_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_log_entry = {
	"log",
	"[--since SEQ] [--type TYPE] [--limit N] [--json]",
	"list events of the append-only event log",
	"--since SEQ   only events after sequence number SEQ\n"
	"--type TYPE   only events of TYPE (\"part.created\"), or of a family\n"
	"              when TYPE ends in a dot (\"part.\")\n"
	"--limit N     at most N events\n",
	0,
	log_fn,
};

struct log_state {
	bool json;
	json_t *arr;
};

static int
log_row(const ecms_event *ev, void *arg)
{
	struct log_state *s = arg;
	char t[ECMS_TIME_LEN];

	ecms_time_format(ev->at_ms, t);
	if (s->json) {
		json_t *payload = json_loads(ev->payload, 0, NULL);
		json_array_append_new(s->arr,
				      json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:s,s:s}", "seq",
						(json_int_t)ev->seq, "time", t, "actor", ev->actor,
						"station", ev->station, "type", ev->type, "payload",
						payload ? payload : json_null(), "prev_hash",
						ev->prev_hash, "hash", ev->hash));
	} else {
		printf("%6lld  %s  %-10s %-10s %-24s %s\n", (long long)ev->seq, t, ev->actor,
		       *ev->station ? ev->station : "-", ev->type, ev->payload);
	}
	return 0;
}

static int
log_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *since = NULL, *type = NULL, *limit = NULL;
	struct log_state s = { false, NULL };
	const struct cli_opt opts[] = { { "json", false, NULL, &s.json },
					{ "since", true, &since, NULL },
					{ "type", true, &type, NULL },
					{ "limit", true, &limit, NULL },
					{ NULL } };
	long long sn = 0, ln = 0;
	char *end;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)))
		return rc;
	if (since && ((sn = strtoll(since, &end, 10)) < 0 || *end || !*since))
		return cli_usage(e, "--since: '%s' is not a sequence number", since);
	if (limit && ((ln = strtoll(limit, &end, 10)) <= 0 || *end || !*limit))
		return cli_usage(e, "--limit: '%s' is not a positive number", limit);
	if ((rc = cli_open(c)))
		return rc;
	if (s.json)
		s.arr = json_array();
	rc = ecms_log_each(c->h, sn, type, ln, log_row, &s);
	if (rc) {
		json_decref(s.arr);
		return cli_error(c, rc);
	}
	return s.json ? cli_print_json(s.arr) : ECMS_OK;
}
