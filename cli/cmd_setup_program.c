/*
 * cmd_setup_program.c: `ecms setup program`: changeover: make P the program
 * machine M runs now (for work order WO).
 */
#include "cli.h"
#include "ecms/setup.h"
#include "setup_common.h"

static int program_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_setup_program_entry = {
	"setup program",
	"--machine M --program P [--wo WO] [--json]",
	"changeover: make P the program machine M runs now (for work order WO)",
	"The program must be one of the machine's (ecms import program). A work order\n"
	"must build the program's product and revision. The loaded reels stay: check\n"
	"them against the new program with 'ecms setup check'.\n",
	0,
	program_fn,
};

static int
program_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *machine = NULL, *program = NULL, *wo = NULL;
	bool json = false;
	const struct cli_opt opts[] = { { "machine", true, &machine, NULL },
					{ "program", true, &program, NULL },
					{ "wo", true, &wo, NULL },
					{ "json", false, NULL, &json },
					{ NULL } };
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)) ||
	    (rc = setup_need(e, machine, "machine")) || (rc = setup_need(e, program, "program")) ||
	    (rc = cli_open(c)))
		return rc;
	if ((rc = ecms_setup_activate(c->h, machine, program, wo)))
		return cli_error(c, rc);
	if (json)
		return cli_print_json(json_pack("{s:s,s:s,s:s?}", "machine", machine, "program",
						program, "work_order", wo));
	printf("%s now runs program %s%s%s\n", machine, program, wo ? " for work order " : "",
	       wo ? wo : "");
	return ECMS_OK;
}
