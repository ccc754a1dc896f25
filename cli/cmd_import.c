/*
 * cmd_import.c: `ecms import KIND FILE`: load master data from CSV or
 * JSON, all or nothing.
 */
#include <string.h>

#include "cli.h"
#include "ecms/master.h"
#include "ecms/production.h"

static int import_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_import_entry = {
	"import",
	"KIND FILE [--json]",
	"import master data from a CSV or JSON file (all or nothing)",
	"KIND is one of: parts, suppliers, locations, users, po, bom.\n"
	"bom reads a KiCad or Altium CSV export for --product P --rev R.\n"
	"FILE is CSV with a header line of field names, or a JSON array of objects\n"
	"(docs/import-formats.md lists the fields). Every bad record is reported as\n"
	"FILE:LINE: column 'NAME': 'VALUE' ...; if there is any, nothing is imported.\n"
	"Records identical to what is stored are left alone (no event).\n",
	0,
	import_fn,
};

static int
import_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[2];
	bool json = false;
	const char *product = NULL, *rev = NULL;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "product", true, &product, NULL },
					{ "rev", true, &rev, NULL },
					{ NULL } };
	ecms_import_report rep;
	int n, rc;

	rc = cli_parse(e, argc, argv, opts, pos, 2, 2, &n);
	if (rc)
		return rc;
	if ((rc = cli_open(c)))
		return rc;
	if (strcmp(pos[0], "bom") == 0) {
		if (!product || !rev)
			return cli_usage(e, "a BOM needs --product and --rev");
		rc = ecms_bom_import(c->h, product, rev, pos[1], &rep);
	} else {
		if (product || rev)
			return cli_usage(e, "--product and --rev go with 'import bom'");
		rc = ecms_import(c->h, pos[0], pos[1], &rep);
	}
	if (rc) {
		if (rep.errors)
			fputs(rep.errors, stderr);
		if (rep.nerrors > 100)
			fprintf(stderr, "... and %d more\n", rep.nerrors - 100);
		cli_error(c, rc);
		ecms_import_report_cleanup(&rep);
		return rc;
	}
	if (json)
		rc = cli_print_json(json_pack("{s:s,s:i,s:i,s:i,s:i}", "kind", pos[0], "records",
					      rep.records, "created", rep.created, "updated",
					      rep.updated, "unchanged", rep.unchanged));
	else if (strcmp(pos[0], "bom") == 0)
		printf("%s: %s rev %s: %d lines, %d reference designators\n", pos[1], product, rev,
		       rep.records, rep.created);
	else
		printf("%s: %d record%s: %d created, %d updated, %d unchanged\n", pos[1],
		       rep.records, rep.records == 1 ? "" : "s", rep.created, rep.updated,
		       rep.unchanged);
	ecms_import_report_cleanup(&rep);
	return rc;
}
