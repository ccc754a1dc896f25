/*
 * report_int.h (internal): what the files of the report module share:
 * report.c (the data, as JSON), report_pdf.c (cairo PDF), report_html.c
 * (self-contained HTML) and report_zip.c (the order package).
 */
#ifndef ECMS_REPORT_INT_H
#define ECMS_REPORT_INT_H

#include <jansson.h>

#include "ecms/reflow.h"
#include "ecms/report.h"
#include "store/store.h"

/* The generation time (the handle's now) as ISO text. New reference. */
json_t *ecms__report_generated(ecms *h);

/* {seq, hash}: the event log head the report was built from. */
int ecms__report_log(ecms *h, json_t **out) ECMS_WUR;

/* A package's part data {ipn, description, mpn, manufacturer, lot,
 * date_code, supplier, po, coc, coc_sha256, rohs, reach}, or JSON null
 * when ecms does not know the package. */
int ecms__report_package(ecms *h, const char *uid, json_t **out) ECMS_WUR;

/* The serials of a work order (an array of strings), ECMS_ENOTFOUND
 * when it has none. */
int ecms__report_order_boards(ecms *h, const char *wo, json_t **out) ECMS_WUR;

/* The summary of an order from its boards' certificates. */
int ecms__report_order_summary(ecms *h, const char *wo, const json_t *boards,
			       json_t **out) ECMS_WUR;

/* JSON text (indented, key order kept, final newline) as bytes. */
int ecms__report_json_bytes(ecms *h, json_t *j, unsigned char **out, size_t *len) ECMS_WUR;

/* The profile (NULL when the record has no curve) and window of a reflow
 * record of a board report; free with ecms_reflow_profile_free. */
int ecms__report_profile(ecms *h, const json_t *rec, struct ecms_reflow_profile **p,
			 struct ecms_reflow_window *w) ECMS_WUR;

/* A metric's name for people ("Time above liquidus"). */
const char *ecms__report_metric_label(enum ecms_reflow_metric m);

/* Limits and status of one metric of a reflow record, as texts. */
void ecms__report_metric(const json_t *rec, const struct ecms_reflow_window *w,
			 enum ecms_reflow_metric m, char *measured, size_t nm, char *limits,
			 size_t nl, const char **status);

/* A result as the documents print it: FAIL, WARN, PASS, "NO RECORDS" for
 * any other text, "-" for none. */
const char *ecms__report_upper_result(const char *r);

/* A JSON scalar as text into buf (n bytes): strings as they are, numbers,
 * booleans as yes/no, anything else (null, missing) as none. */
void ecms__report_scalar(const json_t *v, const char *none, char *buf, size_t n);

/* The strings of arr joined with sep into buf (n bytes, cut to fit);
 * returns buf. */
const char *ecms__report_join(const json_t *arr, const char *sep, char *buf, size_t n);

enum ecms__pdf_kind {
	ECMS__PDF_BOARD,
	ECMS__PDF_COMPLIANCE,
	ECMS__PDF_ORDER,   /* the summary, then every board */
	ECMS__PDF_SUMMARY, /* the summary alone */
	ECMS__PDF_RECALL   /* a recall notice */
};

/* A PDF of one kind: for BOARD and COMPLIANCE j is the report's JSON; for
 * ORDER and SUMMARY j is the summary and boards the array of board
 * reports. */
int ecms__report_pdf(ecms *h, enum ecms__pdf_kind kind, const json_t *j, const json_t *boards,
		     unsigned char **out, size_t *len) ECMS_WUR;

int ecms__report_board_html(ecms *h, const json_t *j, unsigned char **out, size_t *len) ECMS_WUR;
int ecms__report_recall_html(ecms *h, const json_t *j, unsigned char **out, size_t *len) ECMS_WUR;
int ecms__report_compliance_html(ecms *h, const json_t *j, unsigned char **out,
				 size_t *len) ECMS_WUR;

#endif
