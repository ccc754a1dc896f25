/*
 * report.h: the documents ecms hands to customers and auditors.
 *
 *  - The birth certificate of a board: product, revision, work order,
 *    customer; every refdes with its package, part, MPN, manufacturer,
 *    lot, date code, supplier, PO and CoC (with the CoC document's
 *    SHA-256); the route (placement passes, reflow, inspection, test,
 *    repair) with times and operators; the reflow profile plotted with
 *    its metrics against the limits; inspection and test results with
 *    measurements; rework history; and a footer naming the event-log
 *    position and head hash it was built from (check it with
 *    `ecms audit verify`).
 *  - The traceability package of a work order: a summary (boards,
 *    yields, findings), a birth certificate per board, every CoC document
 *    referenced, a CSV of board x refdes x lot x date code, and a JSON
 *    manifest with the SHA-256 of every file, as one ZIP (or one PDF).
 *  - The compliance report of an order or a board: RoHS/REACH status of
 *    every part used (parts without a declaration flagged), every CoC,
 *    every test record, and the event-log verification.
 *  - The customer notice of a recall: the affected serials per customer,
 *    their refdes, the lot, and how they were found.
 *
 * Reports are deterministic: the same data gives the same bytes, except
 * the generation time, which is the handle's "now" (ecms_set_now /
 * ECMS_NOW). PDFs are A4, drawn with cairo, and carry no creation date.
 * HTML is one self-contained file (CSS and SVG plots inline).
 * Buffers returned through out are owned by the caller (ecms_free).
 */
#ifndef ECMS_REPORT_H
#define ECMS_REPORT_H

#include <stddef.h>

#include <jansson.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ecms_report_fmt {
	ECMS_REPORT_JSON,
	ECMS_REPORT_HTML,
	ECMS_REPORT_PDF,
	ECMS_REPORT_ZIP,
};

/* "json", "html", "pdf", "zip" to a format; -1 for anything else. */
int ecms_report_fmt_parse(const char *s);

#define ECMS_REPORT_MAX_BYTES ((size_t)1 << 30) /* a whole order package */

/*
 * The birth certificate of a board as JSON:
 *   {report: "board", generated, board: {serial, work_order, product,
 *    revision, customer}, components: [{refdes, uid, ipn, mpn,
 *    manufacturer, lot, date_code, supplier, po, coc, coc_sha256,
 *    machine, slot, program, time, source, ambiguous, candidates}],
 *    route: [{time, step, station, operator, result, detail}],
 *    reflow: [...], inspections: [...], tests: [...], repairs: [...]
 *    (as ecms_quality_board), rework: [...] (as ecms_gen_trace_board),
 *    findings: [...], result, log: {seq, hash}}
 * An ambiguous refdes has uid null and every candidate package in
 * candidates (each with its lot and date code). ECMS_ENOTFOUND for a
 * board neither the genealogy nor the quality records know.
 */
int ecms_report_board_json(ecms *h, const char *serial, json_t **out /* OUT */) ECMS_WUR;

/* The birth certificate as fmt (JSON, HTML or PDF) bytes. */
int ecms_report_board(ecms *h, const char *serial, enum ecms_report_fmt fmt,
		      unsigned char **out /* OUT */, size_t *len /* OUT */) ECMS_WUR;

/* Progress of a long report: called after each of total steps. */
typedef void (*ecms_report_progress)(void *arg, size_t done, size_t total);

/*
 * The traceability package of a work order: ECMS_REPORT_ZIP (files
 * summary.pdf, boards/<serial>.pdf, boards/<serial>.json,
 * cocs/<id>-<file>, genealogy.csv, manifest.json) or ECMS_REPORT_PDF (the
 * summary followed by every board's certificate, one document).
 * progress may be NULL. ECMS_ENOTFOUND for an order without boards.
 */
int ecms_report_order(ecms *h, const char *work_order, enum ecms_report_fmt fmt,
		      ecms_report_progress progress, void *arg, unsigned char **out /* OUT */,
		      size_t *len /* OUT */) ECMS_WUR;

/*
 * The compliance report of an order (work_order) or one board (serial);
 * exactly one of them. JSON:
 *   {report: "compliance", generated, scope: {work_order | serial},
 *    boards: [...], parts: [{ipn, description, mpn, manufacturer, rohs,
 *    reach, refdes: n, boards: n, status, note}], flagged: n,
 *    cocs: [{id, supplier, mpn, lots, file, sha256, verified}],
 *    tests: [{serial, time, method, station, equipment, calibration,
 *    result}], audit: {verified, events, head_seq, head_hash, reason}}
 * status: "ok", or "missing" (no declaration: rohs or reach unknown),
 * "non-compliant", "exempt", "svhc" (REACH SVHC: declare to the
 * customer). ECMS_ENOTFOUND when the scope has no boards.
 */
int ecms_report_compliance_json(ecms *h, const char *work_order, const char *serial,
				json_t **out /* OUT */) ECMS_WUR;

/* The compliance report as JSON, HTML or PDF bytes. */
int ecms_report_compliance(ecms *h, const char *work_order, const char *serial,
			   enum ecms_report_fmt fmt, unsigned char **out /* OUT */,
			   size_t *len /* OUT */) ECMS_WUR;

/*
 * The customer notice of a recorded recall (recall.h):
 *   {report: "recall", generated, recall: (ecms_recall_get's JSON),
 *    method, log: {seq, hash}}
 * method: how the boards were found, in words. The PDF and HTML list the
 * affected serials per customer (shipped first) with refdes, status and
 * shipment, the lot's packages and where they are. ECMS_ENOTFOUND for an
 * unknown recall ID.
 */
int ecms_report_recall_json(ecms *h, const char *recall_id, json_t **out /* OUT */) ECMS_WUR;

/* The recall notice as JSON, HTML or PDF bytes. */
int ecms_report_recall(ecms *h, const char *recall_id, enum ecms_report_fmt fmt,
		       unsigned char **out /* OUT */, size_t *len /* OUT */) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif /* ECMS_REPORT_H */
