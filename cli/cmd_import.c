/*
 * cmd_import.c: `ecms import KIND FILE`: load master data from CSV or
 * JSON, all or nothing.
 */
#include <string.h>

#include "cli.h"
#include "ecms/master.h"
#include "ecms/production.h"
#include "ecms/setup.h"

static int import_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_import_entry = {
	"import",
	"KIND FILE [--json]",
	"import master data from a CSV or JSON file (all or nothing)",
	"KIND is one of: parts, suppliers, locations, users, po, bom, program.\n"
	"bom reads a KiCad or Altium CSV export for --product P --rev R.\n"
	"program reads placement programs (product,rev,side,machine,program,slot,ipn,\n"
	"refdes), checked against the BOM; --complete: the file covers the whole\n"
	"product, so a BOM refdes no program places is an error (else it is listed).\n"
	"FILE is CSV with a header line of field names, or a JSON array of objects\n"
	"(docs/import-formats.md lists the fields). Every bad record is reported as\n"
	"FILE:LINE: column 'NAME': 'VALUE' ...; if there is any, nothing is imported.\n"
	"Records identical to what is stored are left alone (no event).\n",
	0,
	import_fn,
};

/* What a program import did: per program, and the refdes nothing places. */
static int
print_programs(const char *file, json_t *sum, const ecms_import_report *rep, bool json)
{
	json_t *p, *u;
	size_t i;

	if (json)
		return cli_print_json(json_pack(
			"{s:s,s:i,s:i,s:i,s:i,s:O,s:O}", "kind", "program", "records", rep->records,
			"created", rep->created, "updated", rep->updated, "unchanged",
			rep->unchanged, "programs", json_object_get(sum, "programs"), "unplaced",
			json_object_get(sum, "unplaced")));
	printf("%s: %d programs: %d created, %d updated, %d unchanged\n", file, rep->records,
	       rep->created, rep->updated, rep->unchanged);
	json_array_foreach(json_object_get(sum, "programs"), i, p)
		printf("  %s on %s: %s rev %s %s, v%lld, %lld slot%s, %lld refdes (%s)\n",
		       json_string_value(json_object_get(p, "program")),
		       json_string_value(json_object_get(p, "machine")),
		       json_string_value(json_object_get(p, "product")),
		       json_string_value(json_object_get(p, "rev")),
		       json_string_value(json_object_get(p, "side")),
		       (long long)json_integer_value(json_object_get(p, "version")),
		       (long long)json_integer_value(json_object_get(p, "slots")),
		       json_integer_value(json_object_get(p, "slots")) == 1 ? "" : "s",
		       (long long)json_integer_value(json_object_get(p, "refdes")),
		       json_string_value(json_object_get(p, "change")));
	json_array_foreach(json_object_get(sum, "unplaced"), i, u) {
		json_t *r = json_object_get(u, "refdes"), *d;
		size_t k;
		const char *line = json_string_value(json_object_get(u, "line"));
		printf("  not placed by any program of %s rev %s%s%s yet (%zu):",
		       json_string_value(json_object_get(u, "product")),
		       json_string_value(json_object_get(u, "rev")), line ? " on line " : "",
		       line ? line : "", json_array_size(r));
		json_array_foreach(r, k, d)
			printf(" %s", json_string_value(d));
		printf("\n");
	}
	return ECMS_OK;
}

static int
import_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[2];
	bool json = false, complete = false;
	const char *product = NULL, *rev = NULL;
	const struct cli_opt opts[] = { { "json", false, NULL, &json },
					{ "product", true, &product, NULL },
					{ "rev", true, &rev, NULL },
					{ "complete", false, NULL, &complete },
					{ NULL } };
	json_t *sum = NULL;
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
	} else if (strcmp(pos[0], "program") == 0) {
		if (product || rev)
			return cli_usage(e, "--product and --rev go with 'import bom'");
		rc = ecms_program_import(c->h, pos[1], complete ? ECMS_PROGRAM_COMPLETE : 0, &sum,
					 &rep);
	} else {
		if (product || rev)
			return cli_usage(e, "--product and --rev go with 'import bom'");
		if (complete)
			return cli_usage(e, "--complete goes with 'import program'");
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
	if (sum) {
		rc = print_programs(pos[1], sum, &rep, json);
		json_decref(sum);
	} else if (json)
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
