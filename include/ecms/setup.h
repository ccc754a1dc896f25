/*
 * setup.h: placement programs as production master data, the active
 * program of each machine (changeovers), and the feeder setup interlock:
 * GO / NO-GO for a reel on a slot, with the reason.
 *
 * Machines and slots are named as the line names them (the genealogy
 * store's names, genealogy.h). A machine is known when it is a location of
 * kind "machine" or has a placement program; its line is that location's
 * parent. Programs are stored in the genealogy store (ecms_gen_program_set:
 * slot -> IPN and refdes, versioned); this module adds what each program
 * builds (product, revision, side) and which one a machine runs now.
 * Loads, unloads and splices that pass go to ecms_gen_load/unload/splice,
 * which append the event (actor = the handle's actor, time = ecms_now());
 * refusals are events too (setup.refused) and rows of setup_refusals.
 *
 * Transport-free: the CLI, the HTTP server and CFX ingestion call the same
 * functions. Errors are recorded on the handle (ecms_errmsg). JSON results
 * are new references owned by the caller (json_decref).
 */
#ifndef ECMS_SETUP_H
#define ECMS_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ecms/ecms.h"
#include "ecms/master.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------
 * Placement programs
 * ------------------------------------------------------------------ */

enum {
	/* The file covers the whole product: a BOM refdes that no program
	 * of the product/rev places is an error (otherwise it is reported in
	 * *summary "unplaced" and the import goes on). */
	ECMS_PROGRAM_COMPLETE = 1 << 0,
};

/*
 * Import placement programs from a CSV file (docs/import-formats.md,
 * "Placement programs"): header product,rev,side,machine,program,slot,
 * ipn,refdes (other columns are ignored), one row per slot; several
 * programs in one file. Checked against the BOM of each product/rev: a
 * refdes placed twice (in the file, or by a stored program of the same
 * product/rev on another side or machine) and a refdes not in the BOM are
 * errors; the slot's IPN must be the BOM's part for every refdes it places
 * or an approved alternate (bom_alternates). All or nothing: every error
 * is listed in rep->errors as "FILE:LINE: column 'x': ...", ECMS_EINVAL,
 * nothing written. Otherwise each program goes through
 * ecms_gen_program_set (a changed map is a new version) and its
 * setup_programs row, with one event program.imported for the file
 * (none when nothing changed). rep counts programs: records, created,
 * updated, unchanged. *summary (may be NULL; caller frees):
 * {file, programs: [{machine, program, product, rev, side, version,
 * slots, refdes, change: "created"|"updated"|"unchanged"}],
 * unplaced: [{product, rev, refdes: [...]}]}.
 */
int ecms_program_import(ecms *h, const char *path, unsigned flags, json_t **summary /* OUT */,
			ecms_import_report *rep /* OUT */) ECMS_WUR;

/* The same from text in memory (an HTTP body): len bytes of CSV; name
 * stands for the file in messages ("body:3: ..."). */
int ecms_program_import_text(ecms *h, const char *name, const char *text, size_t len,
			     unsigned flags, json_t **summary /* OUT */,
			     ecms_import_report *rep /* OUT */) ECMS_WUR;

/* The imported programs, by machine and program: [{machine, program,
 * product, rev, side, version, slots, refdes, active}]. machine may be
 * NULL (all). */
int ecms_program_list(ecms *h, const char *machine, json_t **out /* OUT */) ECMS_WUR;

/*
 * One program: {machine, program, product, rev, side (null when it was
 * not imported with a product), version, active, slots: [{slot, ipn,
 * refdes: [...]}]}. machine may be NULL when the program name is on one
 * machine only (ECMS_EUSAGE naming the machines otherwise).
 * ECMS_ENOTFOUND when there is no such program.
 */
int ecms_program_show(ecms *h, const char *machine, const char *program,
		      json_t **out /* OUT */) ECMS_WUR;

/* ------------------------------------------------------------------
 * Changeover: the program a machine runs
 * ------------------------------------------------------------------ */

/*
 * Make `program` the active program of `machine` from now on, for work
 * order wo (may be NULL). The program must exist for that machine in the
 * genealogy store (imported, or set with ecms_gen_program_set); a work
 * order must exist and, for an imported program, build the same product
 * and revision (ECMS_EREFUSED otherwise). The loaded reels stay: check
 * them with ecms_setup_check. Event setup.program {machine, program,
 * version, work_order, previous}; the same program and work order again
 * changes nothing. For the CLI changeover and for CFX WorkStarted (its
 * RecipeName). ECMS_ENOTFOUND: unknown program or work order.
 */
int ecms_setup_activate(ecms *h, const char *machine, const char *program, const char *wo) ECMS_WUR;

/* ------------------------------------------------------------------
 * The interlock
 * ------------------------------------------------------------------ */

#define ECMS_SETUP_NAME_MAX 128 /* = ECMS_GEN_NAME_MAX */

/* The decision on one reel for one slot. Plain fields, no allocation:
 * fill one on the stack. Texts are "" when they do not apply. */
struct ecms_setup_verdict {
	bool go;           /* GO (true) or NO-GO */
	const char *code;  /* stable reason code, a static string (docs/setup.md): GO "ok",
			    * "alternate", "already_loaded"; NO-GO "wrong_part",
			    * "quarantined", ... (ecms_setup_codes()) */
	char message[512]; /* one line for the operator, e.g. "XU00000024 is in
			    * quarantine: it has not been released" */
	char machine[ECMS_SETUP_NAME_MAX + 1];
	char slot[ECMS_SETUP_NAME_MAX + 1];
	char uid[ECMS_SETUP_NAME_MAX + 1];     /* the package the scan resolved to */
	char program[ECMS_SETUP_NAME_MAX + 1]; /* the active program */
	int64_t program_version;
	char work_order[ECMS_SETUP_NAME_MAX + 1];
	char expected_ipn[ECMS_SETUP_NAME_MAX + 1];   /* what the program wants on the slot */
	char package_ipn[ECMS_SETUP_NAME_MAX + 1];    /* what the package is */
	char status[24];                              /* the package's status */
	int64_t expiry_ms;                            /* shelf-life end, INT64_MAX none */
	char loaded_machine[ECMS_SETUP_NAME_MAX + 1]; /* where it is loaded already */
	char loaded_slot[ECMS_SETUP_NAME_MAX + 1];
	char running_uid[ECMS_SETUP_NAME_MAX + 1]; /* splice: the reel running now */
	bool recorded;                             /* the load/splice was recorded */
};

/*
 * May the reel `scan` (a UID as typed or scanned, or a supplier label
 * received on one package: ecms_scan_resolve) be loaded on `slot` of
 * `machine` now? Reads only, with prepared statements: the active
 * program (1 row), its latest slot map, the package with its part, its
 * shelf-life end, its MSD floor life (only for parts of MSL above 1),
 * where it is mounted now, and the BOM alternates only when the part
 * differs from the program's. The checks, in order (the first that fails
 * is the reason): machine known, active program, slot in the program,
 * scan names a package, part = the program's or an approved alternate
 * for every refdes of the slot, status (quarantined, rejected, on hold /
 * recalled, consumed, scrapped), shelf life, MSD floor life, not loaded
 * on another slot or machine. *out is filled in either way; ECMS_OK for
 * both GO and NO-GO. Other rc: ECMS_EUSAGE (missing arguments), store
 * failures.
 */
int ecms_setup_verify(ecms *h, const char *machine, const char *slot, const char *scan,
		      struct ecms_setup_verdict *out /* OUT */) ECMS_WUR;

/* The same for a splice onto the reel running on the slot: also NO-GO
 * when the slot runs nothing ("slot_empty": load instead) or the new reel
 * is another part than the running one ("splice_part_differs"). */
int ecms_setup_verify_splice(ecms *h, const char *machine, const char *slot, const char *scan,
			     struct ecms_setup_verdict *out /* OUT */) ECMS_WUR;

/*
 * Verify and, on GO, load the reel (ecms_gen_load at ecms_now(h); the
 * event names the actor). On NO-GO nothing changes in the setup; the
 * refusal is recorded (event setup.refused and a setup_refusals row, in
 * its own transaction) and ECMS_EREFUSED is returned with the message
 * on the handle. *out as ecms_setup_verify (out->recorded: a load was
 * written; false for "already_loaded").
 */
int ecms_setup_load(ecms *h, const char *machine, const char *slot, const char *scan,
		    struct ecms_setup_verdict *out /* OUT */) ECMS_WUR;

/* Verify and, on GO, splice (ecms_gen_splice with grey_zone_parts, 0 for
 * a clean switch); refusals as ecms_setup_load. */
int ecms_setup_splice(ecms *h, const char *machine, const char *slot, const char *scan,
		      int64_t grey_zone_parts, struct ecms_setup_verdict *out /* OUT */) ECMS_WUR;

/* Take the reel off a slot (ecms_gen_unload at now). *uid_out (may be
 * NULL, caller frees) gets what was there. ECMS_ENOTFOUND: unknown
 * machine or slot; ECMS_EREFUSED: the slot is empty. */
int ecms_setup_unload(ecms *h, const char *machine, const char *slot,
		      char **uid_out /* OUT */) ECMS_WUR;

/*
 * The whole live setup of a machine against its active program:
 * {machine, program, version, work_order, ok, counts: {ok, missing,
 * wrong_part, unusable}, slots: [{slot, expected_ipn, uid, package_ipn,
 * state: "ok"|"alternate"|"missing"|"wrong_part"|"unusable", code,
 * message}], extra: [{slot, uid}]} (extra: reels on slots the program
 * does not use; reported, not counted as a fault). ok is true when every
 * program slot is "ok" or "alternate". ECMS_ENOTFOUND: unknown machine;
 * ECMS_EREFUSED: no active program.
 */
int ecms_setup_check(ecms *h, const char *machine, json_t **out /* OUT */) ECMS_WUR;

/* A machine's setup: {machine, line, active: {program, version, product,
 * rev, side, work_order, since, by} or null, slots: [...as
 * ecms_gen_setup, each with ipn: the package's part]}. ECMS_ENOTFOUND
 * for an unknown machine. */
int ecms_setup_show(ecms *h, const char *machine, json_t **out /* OUT */) ECMS_WUR;

/* Refused loads and splices, newest first: [{time, op, machine, slot,
 * scan, uid, code, message, program, expected_ipn, package_ipn, actor}].
 * machine may be NULL (all). */
int ecms_setup_refusals(ecms *h, const char *machine, json_t **out /* OUT */) ECMS_WUR;

/* A verdict as JSON: {decision: "GO"|"NO-GO", code, message, machine,
 * slot, uid, program, program_version, work_order, expected_ipn,
 * package_ipn, status, expiry, loaded_on: {machine, slot}|null,
 * running_uid, recorded} (empty texts as null). NULL on OOM. */
json_t *ecms_setup_verdict_json(const struct ecms_setup_verdict *v);

/* The reason codes with a one-line explanation each: [{code, go,
 * meaning}], for documentation and clients. */
json_t *ecms_setup_codes(void);

#ifdef __cplusplus
}
#endif
#endif /* ECMS_SETUP_H */
