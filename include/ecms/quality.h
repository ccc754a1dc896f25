/*
 * quality.h: what soldering, inspection, test and repair record about a
 * board (stages 4 and 5 of the domain overview), checked as it arrives,
 * with each finding kept with the board; test equipment and its
 * calibrations.
 *
 *  - Reflow: a profile file (CSV, reflow.h) or CFX UnitsProcessed with
 *    ReflowProcessData (per oven transaction, applied to every board of
 *    it) or ReflowProfilingProcessData (per board). The metrics are
 *    checked against the effective window of the board's product and
 *    paste AND against the lowest peak rating (parts.peak_c) of any
 *    component placed on that board (from its genealogy; every candidate
 *    of an ambiguous refdes counts), and the board's reflow passes
 *    (reflow records plus genealogy rework) against passes.max (3). Oven
 *    and profiler records with the same CFX TransactionId are one pass;
 *    every profile file is a pass of its own.
 *  - Inspection: CFX UnitsInspected (AOI, SPI, AXI, Human): the result per
 *    board, defects by refdes and pin ("R22.1" is refdes R22, pin 1),
 *    defect images stored as content-addressed documents (by SHA-256),
 *    never inline in the records.
 *  - Test: CFX UnitsTested and ecms_quality_test_import() (JSON or CSV for
 *    testers without CFX): method, station, recipe, technician, equipment,
 *    measurements with limits, result. A test on equipment whose
 *    calibration was not valid on the test date is flagged on the board
 *    (test.calibration_lapsed) and listed by ecms_quality_alerts().
 *  - Repair: ecms_quality_repair() and CFX UnitsRepaired; a replaced
 *    component goes through ecms_gen_rework() (genealogy history).
 *
 * Boards are named by serial; each record is also a step of the board's
 * route (008_boards: processed, inspected, tested, repaired), which
 * creates a board ecms did not know yet, with the work order its genealogy
 * names. A record already stored (same board and
 * ref: the CFX UniqueID, or the SHA-256 of an imported file) is not
 * stored again: replays change nothing and append no event. Every call
 * that stores something is one transaction (joining the caller's) with
 * one event per call: quality.reflow, quality.inspection, quality.test,
 * quality.repair, equipment.added, equipment.calibrated,
 * reflow.window_set. Returned json_t belong to the caller (json_decref).
 *
 * Finding codes (stable; store and match on them): every reflow.* code of
 * reflow.h, and
 *   inspection.failed            fail: an inspection's result is not Passed
 *   test.failed                  fail: a test's result is not Passed
 *   test.limit_inconsistent      warn: a measurement outside its limits in
 *                                a test reported Passed (or the reverse)
 *   test.calibration_lapsed      fail: no calibration of the equipment was
 *                                valid on the test date
 *   test.equipment_unregistered  warn: equipment ecms does not know
 *   test.equipment_unknown       info: the test names no equipment
 *   repair.failed                fail: a repair whose result is not
 *                                successful
 * Findings are {kind, record, code, severity, subject, value, limit,
 * unit, text, time}.
 */
#ifndef ECMS_QUALITY_H
#define ECMS_QUALITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ecms/cfx.h"
#include "ecms/ecms.h"
#include "ecms/reflow.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ECMS_QUALITY_FILE_MAX ((size_t)64 << 20) /* profile, test, certificate files */

/* ------------------------------------------------------------------
 * Reflow windows
 * ------------------------------------------------------------------ */

/*
 * Set one key of a window scope: "default" (the site), "paste:NAME" or
 * "product:NAME"; key and value as ecms_reflow_window_set() (reflow.h).
 * The scope's window, merged over the built-in defaults, must stay
 * consistent (ecms_reflow_window_validate). The migration seeds
 * liquidus_c for pastes SAC305, SAC387 (217), SN100C (227), SN63PB37 (183).
 * ECMS_EINVAL naming the scope, key or value.
 */
int ecms_reflow_window_put(ecms *h, const char *scope, const char *key, const char *value) ECMS_WUR;

/* The rows of a scope (NULL: every scope) as [{scope, key, value}]. */
int ecms_reflow_window_rows(ecms *h, const char *scope, json_t **out /* OUT */) ECMS_WUR;

/*
 * The effective window of a product and paste (either may be NULL):
 * built-in defaults, then scope "default", "paste:<paste>" and
 * "product:<product>". A paste ecms has no rows for is ECMS_ENOTFOUND.
 */
int ecms_reflow_window_effective(ecms *h, const char *product, const char *paste,
				 struct ecms_reflow_window *out /* OUT */) ECMS_WUR;

/* ------------------------------------------------------------------
 * Records
 * ------------------------------------------------------------------ */

/*
 * Import a reflow profile file (CSV, see ecms_reflow_csv_parse) for one
 * board's reflow pass at t_ms (< 0: now), with paste (NULL: SAC305). The
 * file is kept as a document; its metrics and findings as a reflow
 * record. *out (may be NULL) gets {serial, record, pass, result, metrics,
 * findings, stored} (stored false: this file was already recorded for the
 * board). ECMS_EINVAL with file:line for a bad profile, ECMS_ENOTFOUND for
 * an unknown paste, ECMS_EIO.
 */
int ecms_quality_reflow_import(ecms *h, const char *serial, const char *path, const char *paste,
			       int64_t t_ms, json_t **out /* OUT */) ECMS_WUR;

/*
 * Import test results of testers without CFX: JSON (an object or an array
 * of objects {serial, time, method, station, recipe, technician,
 * equipment, result, measurements: [{test, name, value, unit, min, max,
 * expected, result, refdes}]}) or CSV with the columns serial, time,
 * method, station, recipe, technician, equipment, result, test,
 * measurement, value, unit, min, max, expected, refdes (rows with the same
 * serial, time and station form one test; result is the test's). serial,
 * time and method are required; result may be left out and is then
 * Passed when every measurement is within its limits. All or nothing:
 * ECMS_EINVAL naming file, line or record, and field. *out (may be NULL)
 * gets {tests, stored, findings: [...]}.
 */
int ecms_quality_test_import(ecms *h, const char *path, json_t **out /* OUT */) ECMS_WUR;

/* A repair (ecms repair). refdes and new_uid are optional; new_uid needs
 * refdes and replaces the component there through ecms_gen_rework. */
struct ecms_repair_req {
	const char *serial;  /* required */
	const char *action;  /* required: what was done */
	const char *refdes;  /* "U3" or with a pin ("U3.5"); NULL: none */
	const char *new_uid; /* the package of the new component; NULL: none */
	const char *user;    /* NULL: the handle's actor */
	const char *result;  /* NULL: "RepairSuccessful" */
	int64_t t_ms;        /* < 0: now */
};

/*
 * Record a repair (event quality.repair; with new_uid also genealogy's
 * rework event, in the same transaction). *out (may be NULL) gets
 * {serial, findings}.
 * ECMS_EUSAGE without serial or action, or new_uid without refdes;
 * ECMS_ENOTFOUND from genealogy for an unknown board or refdes (nothing
 * is stored then).
 */
int ecms_quality_repair(ecms *h, const struct ecms_repair_req *r, json_t **out /* OUT */) ECMS_WUR;

/* ------------------------------------------------------------------
 * CFX (transport-free: the cfx ingest, AMQP and HTTP paths call these)
 * ------------------------------------------------------------------ */

/* True for the kinds ecms_quality_apply_cfx handles: UNITS_PROCESSED,
 * UNITS_INSPECTED, UNITS_TESTED, UNITS_REPAIRED. */
bool ecms_quality_cfx_handles(ecms_cfx_kind kind);

/* What one message did. */
struct ecms_quality_cfx_report {
	size_t records;    /* records stored (per board) */
	size_t skipped;    /* per-board records already stored (replay) */
	size_t ignored;    /* process data that is not reflow (coating, ...) */
	size_t unassigned; /* oven data of a transaction with no known boards */
	size_t findings;   /* findings stored */
};

/*
 * Apply one parsed CFX message (ecms_cfx_msg_from_json / the reader) of a
 * kind ecms_quality_cfx_handles() accepts, as one transaction and one
 * event (none on a replay). Boards are the messages' UnitIdentifiers
 * (a panel position is recorded under its UnitIdentifier with the
 * position in the ref, until the integrator resolves panel positions to
 * serials). The time of a record is the message's TimeStamp (for tests
 * and inspections: their start time when given); the station is its
 * Source (for UnitsTested also the test equipment ID whose calibration
 * is checked).
 *
 * ReflowProfilingProcessData in CommonProcessData is the board its
 * Barcode names.
 *
 * txn_units/n_txn_units (may be NULL/0): the boards of the message's
 * TransactionId as the caller knows them; used only for UnitsProcessed
 * whose CommonProcessData is ReflowProcessData and whose UnitProcessData
 * names no boards. Without them the boards CFX ingest recorded for the
 * transaction (cfx_tx_units, from WorkStarted) are used. With none at
 * all nothing is stored and rep->unassigned counts it (the caller keeps
 * the envelope). Units map to serials as CFX ingest mapped them
 * (cfx_units), else by panel and position (boards).
 *
 * rep may be NULL. ECMS_EUSAGE for another kind; ECMS_EINVAL for data
 * that does not check (e.g. reflow values, a defect image that is not
 * base64), naming the JSON path: nothing is stored then.
 */
int ecms_quality_apply_cfx(ecms *h, const ecms_cfx_msg *msg, const char *const *txn_units,
			   size_t n_txn_units,
			   struct ecms_quality_cfx_report *rep /* OUT */) ECMS_WUR;

/* ------------------------------------------------------------------
 * Equipment and calibration
 * ------------------------------------------------------------------ */

/* Register test equipment. ECMS_EEXIST when id is taken. kind and
 * serial_no may be NULL. */
int ecms_equipment_add(ecms *h, const char *id, const char *name, const char *kind,
		       const char *serial_no) ECMS_WUR;

/*
 * Record a calibration of equipment id valid from from_date (YYYY-MM-DD,
 * NULL: now) to the end of until_date (UTC), with its certificate file
 * (stored as a document). ECMS_ENOTFOUND for unknown equipment,
 * ECMS_EINVAL for bad dates (until before from).
 */
int ecms_equipment_calibrate(ecms *h, const char *id, const char *from_date, const char *until_date,
			     const char *certificate_path) ECMS_WUR;

/* [{id, name, kind, serial_no, calibrated_until, status}] with status
 * "valid", "expired" or "never" as of now. */
int ecms_equipment_list(ecms *h, json_t **out /* OUT */) ECMS_WUR;

/* {id, ..., status, calibrations: [{from, until, certificate, sha256,
 * actor}], tests: n}. ECMS_ENOTFOUND. */
int ecms_equipment_get(ecms *h, const char *id, json_t **out /* OUT */) ECMS_WUR;

/* ------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------ */

/*
 * Everything recorded about one board, in time order:
 *   {serial, reflow: [{record, ref, source, station, time, pass, paste,
 *      product, min_peak_c, min_peak_refdes, result, metrics,
 *      profile_sha256, window, txn}],
 *    inspections: [{record, method, station, recipe, inspector, result,
 *      time, defects: [{check, designator, refdes, pin, code, category,
 *      description, images: [{mime, sha256}]}]}],
 *    tests: [{record, source, method, station, recipe, technician,
 *      equipment, calibration, result, time, measurements: [...]}],
 *    repairs: [{record, action, designator, refdes, new_uid, result,
 *      operator, time}],
 *    findings: [...], result}
 * result: "fail" when any finding fails, "warn", else "pass" (or "none"
 * when nothing is recorded). A board with no records gives empty arrays.
 */
int ecms_quality_board(ecms *h, const char *serial, json_t **out /* OUT */) ECMS_WUR;

/*
 * Quality alerts in the shape of ecms_alerts (warehouse.h):
 * [{kind, object, sentence}], kinds test.calibration_lapsed (object: the
 * board serial), calibration.expired and calibration.expiring (30 days;
 * object: the equipment ID).
 */
int ecms_quality_alerts(ecms *h, json_t **out /* OUT */) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif /* ECMS_QUALITY_H */
