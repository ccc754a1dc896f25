/*
 * cfxingest.h: applying what the line reports over IPC-CFX to the store.
 *
 * One transport-free entry point, ecms_cfx_ingest_buf(): the CLI (`ecms
 * cfx ingest`), the AMQP consumer and `POST /api/v1/cfx` hand it bytes
 * (NDJSON, a JSON array of envelopes, gzip of either) and get a report.
 * The bytes are read with the CFX reader (cfx.h), the messages sorted by
 * TimeStamp (stable: equal times keep their input order) and applied, each
 * all-or-nothing, in batched transactions (a batch that fails is undone
 * and its messages applied one by one, so one bad message costs only
 * itself).
 *
 * Which machine: the envelope Source (the CFX handle,
 * "<Vendor>.<Model>.<Serial>") names the genealogy machine and the
 * route station. Which slot: MaterialLocation.LocationName (else its
 * LocationIdentifier), with ":<lane>" added for lanes 2 and up of a
 * multi-lane feeder (CarrierInformation.LaneNumber). Which board: a CFX
 * unit (UnitIdentifier, PositionNumber) maps to a serial once, and for
 * good (table cfx_units): a serial ecms allocated for that panel and
 * position; else, for a unit without position or a single unit of its
 * message that is not a known panel, the UnitIdentifier itself; else
 * "<UnitIdentifier>.<PositionNumber>". A message without units or
 * PrimaryIdentifier names the boards seen before with its
 * HermesIdentifier (Hermes BoardId). MaterialsInstalled joins its
 * TransactionId to the WorkStarted that named the units first.
 *
 * Idempotent by UniqueID: a message already taken in is counted as a
 * duplicate and changes nothing. A rejection is kept once (by its text
 * and reason). Setup changes (load, unload, empty, splice) of a machine
 * must come in time order: within one call they are sorted; one older
 * than the machine's latest setup change already stored is rejected.
 */
#ifndef ECMS_CFXINGEST_H
#define ECMS_CFXINGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ecms/cfx.h"
#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Rejections kept in a report's list (all are stored in any case). */
#define ECMS_CFX_REPORT_REJECTS_MAX 1000

/* What one ingest call did. Clear it with ecms_cfx_report_init(); free
 * what it holds with ecms_cfx_report_cleanup(). */
struct ecms_cfx_ingest_report {
	size_t items;                        /* envelopes and rejected items read */
	size_t applied;                      /* messages applied (their effects are stored) */
	size_t duplicates;                   /* UniqueID already taken in: nothing changed */
	size_t rejected;                     /* malformed or not applicable: stored, listed */
	size_t unknown;                      /* MessageName ecms does not handle: kept */
	size_t deferred;                     /* kept for the quality records */
	size_t placements;                   /* refdes named by applied MaterialsInstalled */
	size_t board_passes;                 /* boards recorded through a machine's program
					      * (WorkCompleted; the genealogy derives their
					      * refdes from the slot timeline) */
	size_t flagged;                      /* packages, boards the line named that ecms
					      * does not know (flagged) */
	size_t notes;                        /* applied messages with a note (see cfx_messages) */
	size_t batches;                      /* transactions committed */
	size_t batch_size;                   /* IN: messages per transaction (0: 256; 1: one
					      * transaction per message) */
	size_t by_kind[ECMS_CFX_KIND_COUNT]; /* applied + deferred + unknown */
	bool gzipped;
	/* [{line, unique_id, name, reason}] in input order, at most
	 * ECMS_CFX_REPORT_REJECTS_MAX; owned by the report. */
	json_t *rejects;
};

void ecms_cfx_report_init(struct ecms_cfx_ingest_report *rep);
void ecms_cfx_report_cleanup(struct ecms_cfx_ingest_report *rep);

/* The report as {items, applied, duplicates, rejected, unknown, deferred,
 * placements, board_passes, flagged, notes, gzip, by_type: {MessageName: n}, rejects}.
 * New reference (NULL on OOM). */
json_t *ecms_cfx_report_json(const struct ecms_cfx_ingest_report *rep);

/*
 * Read buf[0..len) and apply every message in it. origin (may be NULL)
 * names where the bytes came from ("file.ndjson", "amqp:/queue/x",
 * "http") and is stored with each message and rejection. rep must have
 * been initialised; counts are added to it.
 * Call it outside any transaction: it commits its own batches (inside a
 * caller's transaction a failing message could not be undone alone).
 * Returns ECMS_OK also when messages were rejected (see rep->rejected);
 * ECMS_EINVAL when the input itself is unusable (over ECMS_CFX_INPUT_MAX);
 * an internal error (ECMS_ENOMEM, ECMS_ESTORE, ECMS_EBUSY...) stops the
 * call: what was committed before stays, the rest is not applied (the
 * call can be repeated: the applied messages count as duplicates).
 */
int ecms_cfx_ingest_buf(ecms *h, const void *buf, size_t len, const char *origin,
			struct ecms_cfx_ingest_report *rep /* IN/OUT */) ECMS_WUR;

/*
 * Record the board passes of completed transactions that ran a program
 * their machine did not have in ecms when they were ingested (pass
 * no_program, boards flagged unknown_program), for those whose machine
 * has it now (e.g. after `ecms import program`). The boards lose the
 * flag. All or nothing, one event cfx.passes_recorded {transactions}.
 * *n gets how many transactions were recorded (0: nothing to do).
 */
int ecms_cfx_retry_passes(ecms *h, size_t *n /* OUT */) ECMS_WUR;

/* Stored rejections, oldest first: [{id, received, origin, line,
 * unique_id, name, reason, text}]. */
int ecms_cfx_rejected(ecms *h, json_t **out /* OUT */) ECMS_WUR;

/* Stored faults (machine NULL: all), oldest first: [{time, machine, code,
 * cause, severity, type, designator, slot, uid, lane, description}]. */
int ecms_cfx_faults(ecms *h, const char *machine, json_t **out /* OUT */) ECMS_WUR;

/* Packages the line named (flagged_only: those ecms does not know or
 * whose data disagrees): [{uid, ipn, mpn, manufacturer, lot, quantity,
 * status, msd_level, msd_state, known, flags, first_source, first_seen}]. */
int ecms_cfx_packages(ecms *h, bool flagged_only, json_t **out /* OUT */) ECMS_WUR;

/* Per MessageName, how many messages are stored by status:
 * [{name, applied, deferred, unknown}]. */
int ecms_cfx_counts(ecms *h, json_t **out /* OUT */) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif /* ECMS_CFXINGEST_H */
