/*
 * cmd_report.c: `ecms report board|order|compliance`: the birth
 * certificate of a board, the traceability package of an order, the
 * compliance report. The documents come from libecms (report.h); this
 * writes them to a file or stdout and draws the progress bar.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ecms/report.h"

#define FN(name) static int name(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
FN(report_board_fn);
FN(report_order_fn);
FN(report_compliance_fn);
FN(report_recall_fn);

const struct cmd_entry cmd_report_board_entry = {
	"report board",
	"SERIAL [--format json|html|pdf] [-o FILE]",
	"the birth certificate of a board (components and origin, route, reflow plot, "
	"inspection, test, rework)",
	"Without --format the format follows the extension of FILE (else json).\n"
	"The footer names the event-log position and head hash the report was built\n"
	"from: compare with 'ecms audit verify'.\n",
	0,
	report_board_fn,
};
const struct cmd_entry cmd_report_order_entry = {
	"report order",
	"WORK_ORDER [--format zip|pdf] [-o FILE]",
	"the customer traceability package of a work order",
	"zip (default): summary.pdf, boards/<serial>.pdf and .json, every CoC\n"
	"document, genealogy.csv (board x refdes x lot x date code) and\n"
	"manifest.json with the SHA-256 of every file. pdf: the summary and every\n"
	"birth certificate in one document. A progress bar shows on a terminal.\n",
	0,
	report_order_fn,
};
const struct cmd_entry cmd_report_compliance_entry = {
	"report compliance",
	"--order WO | --serial S [--format json|html|pdf] [-o FILE]",
	"RoHS/REACH of every part used, every CoC, every test record, event-log verification",
	"Parts without a RoHS or REACH declaration in the part master data are\n"
	"flagged. Exit code 1 when the event log does not verify.\n",
	0,
	report_compliance_fn,
};

const struct cmd_entry cmd_report_recall_entry = {
	"report recall",
	"RECALL_ID [--format json|html|pdf] [-o FILE]",
	"the customer notice of a recall: affected serials per customer, refdes, lot, how found",
	"RECALL_ID as 'ecms recall list' shows it (a recall applied with\n"
	"'ecms recall --apply'). The CSV form is 'ecms recall show ID --csv'.\n",
	0,
	report_recall_fn,
};

/* Turn "-o FILE" into "--output FILE" so cli_parse sees a long option. */
static char **
long_o(int argc, char **argv)
{
	char **v = calloc((size_t)argc + 1, sizeof(char *));

	if (v == NULL)
		return NULL;
	for (int i = 0; i < argc; i++)
		v[i] = strcmp(argv[i], "-o") == 0 && i > 0 ? "--output" : argv[i];
	return v;
}

static int
fmt_of(const struct cmd_entry *e, const char *fmt, const char *path, int dflt)
{
	const char *dot = path ? strrchr(path, '.') : NULL;
	int f;

	if (fmt) {
		if ((f = ecms_report_fmt_parse(fmt)) < 0)
			return -cli_usage(e, "--format '%s': expected json, html, pdf or zip", fmt);
		return f;
	}
	if (dot && (f = ecms_report_fmt_parse(dot + 1)) >= 0)
		return f;
	return dflt;
}

static int
emit(const unsigned char *data, size_t len, const char *path, int fmt)
{
	FILE *f;

	if (path == NULL) {
		if ((fmt == ECMS_REPORT_PDF || fmt == ECMS_REPORT_ZIP) && isatty(1))
			return cli_fail(ECMS_EUSAGE,
					"not writing a binary document to a terminal: use -o FILE");
		return fwrite(data, 1, len, stdout) == len ? ECMS_OK
							   : cli_fail(ECMS_EIO, "cannot write");
	}
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len) {
		if (f)
			fclose(f);
		return cli_fail(ECMS_EIO, "%s: cannot write", path);
	}
	if (fclose(f) != 0)
		return cli_fail(ECMS_EIO, "%s: cannot write", path);
	printf("%s: %zu bytes\n", path, len);
	return ECMS_OK;
}

/* Parse argv ("-o" allowed) against opts with exactly npos positionals. */
static int
doc_args(const struct cmd_entry *e, int argc, char **argv, const struct cli_opt *opts,
	 const char **pos, int npos)
{
	char **v = long_o(argc, argv);
	int n, rc;

	if (v == NULL)
		return cli_fail(ECMS_ENOMEM, "out of memory");
	rc = cli_parse(e, argc, v, opts, pos, npos, npos, &n);
	free(v);
	return rc;
}

/* Write data (owned, freed here) to path or stdout. */
static int
emit_free(unsigned char *data, size_t len, const char *path, int fmt)
{
	int rc = emit(data, len, path, fmt);

	ecms_free(data);
	return rc;
}

/* A one-document report of one id as json, html or pdf (not zip). */
static int
report_one(struct cli *c, const struct cmd_entry *e, int argc, char **argv, const char *notzip,
	   int (*build)(ecms *h, const char *id, enum ecms_report_fmt fmt, unsigned char **out,
			size_t *len))
{
	const char *pos[1], *fmt = NULL, *path = NULL;
	const struct cli_opt opts[] = { { "format", true, &fmt, NULL },
					{ "output", true, &path, NULL },
					{ NULL } };
	unsigned char *data;
	size_t len;
	int rc, f;

	if ((rc = doc_args(e, argc, argv, opts, pos, 1)))
		return rc;
	if ((f = fmt_of(e, fmt, path, ECMS_REPORT_JSON)) < 0)
		return -f;
	if (f == ECMS_REPORT_ZIP)
		return cli_usage(e, "%s", notzip);
	if ((rc = cli_open(c)))
		return rc;
	if ((rc = build(c->h, pos[0], (enum ecms_report_fmt)f, &data, &len)))
		return cli_error(c, rc);
	return emit_free(data, len, path, f);
}

static int
report_board_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	return report_one(c, e, argc, argv, "a board report is json, html or pdf",
			  ecms_report_board);
}

static void
bar(void *arg, size_t done, size_t total)
{
	int w = 40, k = total ? (int)(done * (size_t)w / total) : w;

	(void)arg;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu", k, "########################################", w - k,
		"", done, total);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

static int
report_order_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *fmt = NULL, *path = NULL;
	const struct cli_opt opts[] = { { "format", true, &fmt, NULL },
					{ "output", true, &path, NULL },
					{ NULL } };
	unsigned char *data;
	size_t len;
	int rc, f;

	if ((rc = doc_args(e, argc, argv, opts, pos, 1)))
		return rc;
	if ((f = fmt_of(e, fmt, path, ECMS_REPORT_ZIP)) < 0)
		return -f;
	if (f != ECMS_REPORT_ZIP && f != ECMS_REPORT_PDF)
		return cli_usage(e, "an order package is zip or pdf");
	if ((rc = cli_open(c)))
		return rc;
	rc = ecms_report_order(c->h, pos[0], (enum ecms_report_fmt)f, isatty(2) ? bar : NULL, NULL,
			       &data, &len);
	if (rc)
		return cli_error(c, rc);
	return emit_free(data, len, path, f);
}

static int
report_compliance_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *fmt = NULL, *path = NULL, *wo = NULL, *serial = NULL;
	const struct cli_opt opts[] = { { "format", true, &fmt, NULL },
					{ "output", true, &path, NULL },
					{ "order", true, &wo, NULL },
					{ "serial", true, &serial, NULL },
					{ NULL } };
	unsigned char *data;
	json_t *j;
	size_t len;
	int rc, f;
	bool verified;

	if ((rc = doc_args(e, argc, argv, opts, pos, 0)))
		return rc;
	if ((wo == NULL) == (serial == NULL))
		return cli_usage(e, "give --order or --serial");
	if ((f = fmt_of(e, fmt, path, ECMS_REPORT_JSON)) < 0)
		return -f;
	if (f == ECMS_REPORT_ZIP)
		return cli_usage(e, "a compliance report is json, html or pdf");
	if ((rc = cli_open(c)))
		return rc;
	/* The audit result decides the exit code. */
	if ((rc = ecms_report_compliance_json(c->h, wo, serial, &j)))
		return cli_error(c, rc);
	verified = json_is_true(json_object_get(json_object_get(j, "audit"), "verified"));
	json_decref(j);
	if ((rc = ecms_report_compliance(c->h, wo, serial, (enum ecms_report_fmt)f, &data, &len)))
		return cli_error(c, rc);
	rc = emit_free(data, len, path, f);
	if (rc == ECMS_OK && !verified)
		return cli_fail(ECMS_ETAMPER, "the event log does not verify: see the report");
	return rc;
}

static int
report_recall_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	return report_one(c, e, argc, argv, "a recall notice is json, html or pdf",
			  ecms_report_recall);
}
