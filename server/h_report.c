/*
 * h_report.c: the reports over HTTP, the same libecms calls as `ecms
 * report board|order|compliance|recall` (report.h):
 *   GET /api/v1/boards/{serial}/certificate[?format=html|pdf|json]
 *       the birth certificate (customers: their own boards)
 *   GET /api/v1/work-orders/{id}/package[?format=zip|pdf]
 *       the traceability package of an order (customers: their own)
 *   GET /api/v1/work-orders/{id}/compliance[?format=html|pdf|json]
 *   GET /api/v1/boards/{serial}/compliance[?format=html|pdf|json]
 *   GET /api/v1/recalls/{id}/report[?format=html|pdf|json]
 *       the customer notice of a recall, every customer's (staff)
 * The bytes are sent as they are made, with a Content-Disposition naming
 * the file (inline for HTML, so the board page can show it).
 */
#include <stdlib.h>
#include <string.h>

#include "ecms/report.h"
#include "server.h"

enum which { CERT, PACKAGE, COMPLIANCE_WO, COMPLIANCE_BOARD, RECALL };

static const struct {
	const char *arg;
	enum which w;
	const char *param, *def, *allowed, *name;
} kinds[] = {
	{ "certificate", CERT, "serial", "html", "json html pdf", "certificate" },
	{ "package", PACKAGE, "id", "zip", "zip pdf", "package" },
	{ "compliance-wo", COMPLIANCE_WO, "id", "html", "json html pdf", "compliance" },
	{ "compliance-board", COMPLIANCE_BOARD, "serial", "html", "json html pdf", "compliance" },
	{ "recall", RECALL, "id", "html", "json html pdf", "recall-notice" },
};

static const char *const ctypes[] = {
	[ECMS_REPORT_JSON] = "application/json",
	[ECMS_REPORT_HTML] = "text/html; charset=utf-8",
	[ECMS_REPORT_PDF] = "application/pdf",
	[ECMS_REPORT_ZIP] = "application/zip",
};
static const char *const exts[] = { "json", "html", "pdf", "zip" };

/* Whether word is one of the space-separated words of list. */
static bool
one_of(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; *p;) {
		size_t l = strcspn(p, " ");
		if (l == n && strncmp(p, word, n) == 0)
			return true;
		p += l + (p[l] == ' ');
	}
	return false;
}

void
h_report(struct srv_call *c)
{
	static const char *const args[] = { "format", NULL };
	const char *f = srv_query(c, "format"), *id;
	unsigned char *data = NULL;
	size_t len = 0, k;
	char *body;
	int fmt, rc;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(kinds[k].arg, c->route->arg) == 0)
			break;
	if (k == sizeof(kinds) / sizeof(kinds[0])) {
		srv_reply_error(c->resp, 500, "internal", NULL, NULL, "no report '%s'",
				c->route->arg);
		return;
	}
	if (!srv_query_args(c, args))
		return;
	if (f == NULL)
		f = kinds[k].def;
	if (!one_of(kinds[k].allowed, f) || (fmt = ecms_report_fmt_parse(f)) < 0) {
		srv_reply_error(c->resp, 400, "bad_request", "format", NULL,
				"format: '%s': expected one of %s", f, kinds[k].allowed);
		return;
	}
	id = srv_param(c, kinds[k].param);
	switch (kinds[k].w) {
	case CERT:
		rc = ecms_report_board(c->h, id, (enum ecms_report_fmt)fmt, &data, &len);
		break;
	case PACKAGE:
		rc = ecms_report_order(c->h, id, (enum ecms_report_fmt)fmt, NULL, NULL, &data,
				       &len);
		break;
	case COMPLIANCE_WO:
		rc = ecms_report_compliance(c->h, id, NULL, (enum ecms_report_fmt)fmt, &data, &len);
		break;
	case COMPLIANCE_BOARD:
		rc = ecms_report_compliance(c->h, NULL, id, (enum ecms_report_fmt)fmt, &data, &len);
		break;
	default:
		rc = ecms_report_recall(c->h, id, (enum ecms_report_fmt)fmt, &data, &len);
		break;
	}
	if (rc) {
		srv_reply_rc(c, rc);
		return;
	}
	if ((body = malloc(len ? len : 1)) == NULL) {
		ecms_free(data);
		srv_reply_error(c->resp, 500, "out_of_memory", NULL, NULL, "out of memory");
		return;
	}
	memcpy(body, data, len);
	ecms_free(data);
	srv_reply_text(c->resp, 200, ctypes[fmt], body, len);
	srv_add_header(c->resp, "Content-Disposition", "%s; filename=\"%s-%s.%s\"",
		       fmt == ECMS_REPORT_HTML || fmt == ECMS_REPORT_JSON ? "inline" : "attachment",
		       kinds[k].name, id, exts[fmt]);
}
