/*
 * cmd_cfx_retry.c: `ecms cfx retry`: record the board passes that waited for
 * their program (after importing it).
 */
#include "cli.h"
#include "ecms/cfxingest.h"

static int retry_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_cfx_retry_entry = {
	"cfx retry",
	"[--json]",
	"record the board passes that waited for their program (after importing it)",
	"A WorkCompleted whose machine had no such program in ecms keeps its times\n"
	"and flags the boards unknown_program. Once the program is there, this records\n"
	"those passes in the genealogy (all or nothing) and clears the flag.\n",
	0,
	retry_fn,
};

static int
retry_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1];
	bool json;
	size_t done;
	int rc;

	if ((rc = cli_parse_json_open(c, e, argc, argv, pos, 0, &json)))
		return rc;
	if ((rc = ecms_cfx_retry_passes(c->h, &done)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(json_pack("{s:I}", "transactions", (json_int_t)done));
	printf("%zu transactions: board passes recorded\n", done);
	return ECMS_OK;
}
