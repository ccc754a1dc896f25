/*
 * cmd_audit_verify.c: `ecms audit verify`: recompute the event log's hash
 * chain and report the first break.
 */
#include "cli.h"
#include "ecms/event.h"

static int verify_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_audit_verify_entry = {
	"audit verify",
	"[--json]",
	"recompute the event log's hash chain and report the first break",
	"Exit 0 when every event's hash and link is right and no event is\n"
	"missing; exit 1 with the first altered or missing event otherwise.\n",
	0,
	verify_fn,
};

static int
verify_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json = false;
	const struct cli_opt opts[] = { { "json", false, NULL, &json }, { NULL } };
	ecms_audit a;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)))
		return rc;
	if ((rc = cli_open(c)))
		return rc;
	rc = ecms_audit_verify(c->h, &a);
	if (rc && rc != ECMS_ETAMPER)
		return cli_error(c, rc);
	if (json) {
		int prc = cli_print_json(
			json_pack("{s:b,s:I,s:I,s:s,s:o,s:o}", "verified", rc == ECMS_OK, "events",
				  (json_int_t)a.events, "head_seq", (json_int_t)a.head_seq,
				  "head_hash", a.head_hash, "first_bad_seq",
				  a.first_bad_seq ? json_integer(a.first_bad_seq) : json_null(),
				  "reason", *a.reason ? json_string(a.reason) : json_null()));
		return rc ? rc : prc;
	}
	if (rc == ECMS_ETAMPER) {
		printf("event log does NOT verify: %s\n", a.reason);
		printf("checked %lld events before the break\n", (long long)a.events);
		return rc;
	}
	printf("event log verified: %lld events, chain intact\n", (long long)a.events);
	printf("head: event %lld, sha256 %s\n", (long long)a.head_seq, a.head_hash);
	return ECMS_OK;
}
