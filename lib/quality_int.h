/*
 * quality_int.h (internal): what the files of the quality module share:
 * quality.c (reflow, windows, queries, alerts), quality_rec.c
 * (inspections, tests, equipment, repairs) and quality_cfx.c (the CFX
 * entry point).
 *
 * Every record is first built as a JSON object (what the event carries),
 * then written to the projection tables from that object, so the tables
 * are a function of the events.
 */
#ifndef ECMS_QUALITY_INT_H
#define ECMS_QUALITY_INT_H

#include <jansson.h>

#include "ecms/quality.h"
#include "store/store.h"

/* A JSON number, or null for NaN. New reference. */
json_t *ecms__qnum(double v);

/* A JSON string, or null for NULL. New reference. */
json_t *ecms__qstr(const char *s);

/* Whether (serial, ref) is already in table ("reflow_records",
 * "inspections", "tests", "repairs"). */
int ecms__q_exists(ecms *h, const char *table, const char *serial, const char *ref,
		   bool *exists) ECMS_WUR;

/* Run an INSERT ... RETURNING id with params (a JSON array, consumed). */
int ecms__q_insert(ecms *h, const char *sql, json_t *params, int64_t *id) ECMS_WUR;

/* Run a statement with params (a JSON array, consumed; NULL: ENOMEM). */
int ecms__q_exec(ecms *h, const char *sql, json_t *params) ECMS_WUR;

/* Append a finding object to arr: {code, severity, subject, value, limit,
 * unit, text}. */
void ecms__qfinding(json_t *arr, const char *code, const char *severity, const char *subject,
		    double value, double limit, const char *unit, const char *fmt, ...)
	ECMS_PRINTF(8, 9);

/* Store the findings (an array as ecms__qfinding builds) of one record. */
int ecms__q_store_findings(ecms *h, const char *serial, const char *kind, int64_t record,
			   const json_t *findings, int64_t at, int64_t seq) ECMS_WUR;

/* "fail", "warn" or "pass": the worst severity among findings. */
const char *ecms__q_worst(const json_t *findings);

/*
 * Build the reflow record of one board (without writing): effective
 * window of the board's product and paste, metrics of profile p or of the
 * CFX process data cfx (txn: its TransactionId, which makes records of one
 * transaction one pass), the component and pass checks. *rec is new.
 * ECMS_EINVAL for bad data (the message says why), ECMS_ENOTFOUND for an
 * unknown paste.
 */
int ecms__q_reflow_build(ecms *h, const char *serial, const char *ref, const char *source,
			 const char *txn, const char *station, int64_t at, const char *paste,
			 const struct ecms_reflow_profile *p, const json_t *cfx,
			 const char *profile_sha, json_t **rec) ECMS_WUR;

/* Write records built by the builders, with the event's seq. kind:
 * "reflow", "inspection", "test", "repair". */
int ecms__q_store(ecms *h, const char *kind, const json_t *rec, int64_t seq) ECMS_WUR;

/* Check a test record's measurements and equipment, adding findings and
 * its calibration status to rec (built by the test import or CFX). */
int ecms__q_test_check(ecms *h, json_t *rec) ECMS_WUR;

/* The number of a board's reflow passes so far (records plus genealogy
 * rework). */
int ecms__q_passes(ecms *h, const char *serial, int64_t *n) ECMS_WUR;

/* A CFX measurement as a test measurement object, limits converted into
 * the measured value's units when they differ by an SI prefix. */
json_t *ecms__q_cfx_measurement(const ecms_cfx_measurement *m, const char *test);

/* "U34.5" -> refdes "U34" (into refdes[n]), *pin "5" (NULL: no pin). */
void ecms__q_split_designator(const char *d, char *refdes, size_t n, const char **pin);

/* Add a repair record's findings (its result; with a replacement, the
 * board's reflow passes against passes.max). */
int ecms__q_repair_check(ecms *h, json_t *rec) ECMS_WUR;

/* Parse a test import file (JSON or CSV, see ecms_quality_test_import)
 * into test records with refs "<sha>#<n>", unchecked. No store. */
int ecms__q_test_parse(const char *data, size_t len, const char *base, const char *sha,
		       json_t **out, ecms_error *err) ECMS_WUR;

/* Decode base64 (standard alphabet, padding optional, whitespace
 * ignored). *out is owned by the caller (ecms__free). ECMS_EINVAL. */
int ecms__q_base64(const char *s, unsigned char **out, size_t *len) ECMS_WUR;

#endif
