/*
 * cmd_labelprint.c: `ecms label print`: ecms's own label for a package
 * (its UID as a Data Matrix with IPN, MPN, lot, date code, quantity, MSL,
 * receipt date) or for a location, as ZPL, SVG or PNG.
 */
#include <string.h>

#include "cli.h"
#include "ecms/station.h"

static int label_print_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_label_print_entry = {
	"label print",
	"(UID | --location LOC) [--format zpl|svg|png] [-o FILE]",
	"print ecms's label for a package or a location",
	"--format   zpl (default; for Zebra printers), svg or png\n"
	"-o FILE    write to FILE (default: standard output)\n",
	0,
	label_print_fn,
};

static int
label_print_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *loc = NULL, *format = "zpl", *outp = NULL;
	const struct cli_opt opts[] = { { "location", true, &loc, NULL },
					{ "format", true, &format, NULL },
					{ "o", true, &outp, NULL },
					{ "output", true, &outp, NULL },
					{ NULL } };
	enum ecms_label_format fmt;
	unsigned char *data = NULL;
	size_t len = 0;
	ecms_error err;
	FILE *f;
	int n, rc;

	/* Accept the short form -o FILE as well. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-o") == 0)
			argv[i] = "--o";
	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 1, &n)))
		return rc;
	if ((n == 1) == (loc != NULL))
		return cli_usage(e, "give a package UID or --location LOC");
	if ((rc = ecms_label_format_parse(format, &fmt, &err)))
		return cli_fail(ECMS_EUSAGE, "%s", err.message);
	if ((rc = cli_open(c)))
		return rc;
	rc = loc ? ecms_print_location(c->h, loc, fmt, &data, &len)
		 : ecms_print_package(c->h, pos[0], fmt, &data, &len);
	if (rc)
		return cli_error(c, rc);
	f = outp ? fopen(outp, "wb") : stdout;
	if (f == NULL || fwrite(data, 1, len, f) != len || (outp && fclose(f) != 0)) {
		ecms_free(data);
		return cli_fail(ECMS_EIO, "%s: cannot write", outp ? outp : "standard output");
	}
	ecms_free(data);
	ecms_label_cleanup();
	if (outp)
		fprintf(stderr, "%s written\n", outp);
	return ECMS_OK;
}
