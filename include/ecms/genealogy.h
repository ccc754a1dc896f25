/*
 * genealogy.h: for every board, for every refdes, the package (reel) that
 * fed it (IPC-1782 M4, and M2 where the data cannot decide), with backward
 * (board -> packages) and forward (packages -> boards) trace.
 *
 * What the line reports goes in through these calls:
 *  - placement programs: per machine, slot -> (IPN, refdes list);
 *  - setup changes: load, unload, splice (with its grey zone);
 *  - board passes: a board's placement window at a machine, and the
 *    program it ran (CFX WorkStarted..WorkCompleted);
 *  - exact records: reel -> refdes on a board (CFX MaterialsInstalled);
 *  - rework: a component replaced after placement.
 *
 * Nothing is stored per placement. Each machine has a timeline of
 * "epochs" (periods with a constant slot -> package map); a board pass is
 * one row naming its first and last epoch; an exact record costs only the
 * refdes where it differs from what the timeline says. The refdes of a
 * pass whose window saw more than one package on a slot, or that falls
 * inside a splice's grey zone, are ambiguous: every candidate package is
 * kept and none is picked. docs/architecture.md ("Genealogy: how it stays
 * small") explains the representation.
 *
 * Names (machine, slot, program, board, work order, IPN, UID) are texts of
 * 1 to ECMS_GEN_NAME_MAX bytes without control characters; UIDs and refdes
 * may not contain spaces either (refdes at most ECMS_GEN_REFDES_MAX bytes).
 * Machines and slots need not exist as ecms locations. Times are UTC ms.
 *
 * Every call that changes state runs in one transaction (joining the
 * caller's, if one is open: wrap many calls in ecms__begin/ecms__end for
 * bulk ingest) and appends one event: per program version, per setup
 * change, per board pass, per batch of exact records, per rework. Calls
 * whose data is already recorded change nothing and append no event.
 * Returned json_t references belong to the caller (json_decref). The
 * traces share equal values between entries (one candidates array for the
 * refdes of a slot, one refdes array for boards with the same list), so
 * treat their results as read-only (json_deep_copy to modify). For
 * callers that render or stream results themselves, ecms_gen_board_get and
 * ecms_gen_carriers_get return the same answers as C structs, without the
 * cost of building JSON.
 */
#ifndef ECMS_GENEALOGY_H
#define ECMS_GENEALOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ECMS_GEN_NAME_MAX   128 /* bytes in a name */
#define ECMS_GEN_REFDES_MAX 64  /* bytes in a refdes */
#define ECMS_GEN_MAX_CAND   8   /* packages one slot can hold at once (splice chains) */

/* ------------------------------------------------------------------
 * Programs
 * ------------------------------------------------------------------ */

/* One slot of a placement program. The strings are the caller's. */
struct ecms_gen_slotmap {
	const char *slot;          /* slot (feeder lane) as the machine names it */
	const char *ipn;           /* the part the program wants there */
	const char *const *refdes; /* refdes placed from this slot (>= 1) */
	size_t nrefdes;
};

/*
 * Set the placement program `program` of `machine` (created if new): the
 * slots it uses and the refdes each feeds. A slot and a refdes may appear
 * once. A map that differs from the current one becomes a new version
 * (passes keep the version they ran); the same map again changes nothing.
 * *version (may be NULL) gets the current version number (from 1).
 * ECMS_EINVAL for a bad name, an empty map, a slot or refdes twice.
 */
int ecms_gen_program_set(ecms *h, const char *program, const char *machine,
			 const struct ecms_gen_slotmap *slots, size_t n,
			 int64_t *version /* OUT */) ECMS_WUR;

/*
 * The current version of a program as {program, machine, version,
 * slots: [{slot, ipn, refdes: [...]}]}. ECMS_ENOTFOUND if there is none.
 */
int ecms_gen_program_get(ecms *h, const char *program, const char *machine,
			 json_t **out /* OUT */) ECMS_WUR;

/* ------------------------------------------------------------------
 * Setup changes. Each opens a new epoch on the machine at t_ms, which may
 * not be earlier than the machine's latest setup change (ECMS_EINVAL
 * otherwise: deliver a machine's setup changes in time order). Board
 * passes already recorded whose window reaches past t_ms are moved into
 * the new epoch. A package that is loaded while it is still the feeding
 * package of another slot is taken off that slot first (a move).
 * ------------------------------------------------------------------ */

/* Load uid into a slot (replacing whatever was there). The machine and
 * slot are created if new. Loading the package the slot already feeds
 * from changes nothing. */
int ecms_gen_load(ecms *h, const char *machine, const char *slot, const char *uid,
		  int64_t t_ms) ECMS_WUR;

/* Empty a slot. ECMS_ENOTFOUND for an unknown machine or slot; an empty
 * slot stays as it is. */
int ecms_gen_unload(ecms *h, const char *machine, const char *slot, int64_t t_ms) ECMS_WUR;

/* Empty the slot uid feeds (CFX MaterialsUnloaded names packages, not
 * slots). A package that is only the depleted side of a splice still in
 * its grey zone stays a candidate until the grey zone is consumed.
 * ECMS_ENOTFOUND when uid feeds no slot. */
int ecms_gen_unload_uid(ecms *h, const char *uid, int64_t t_ms) ECMS_WUR;

/*
 * A splice: new_uid's tape joined to the running package's (CFX
 * SplicePointDetected). With grey_zone_parts > 0 the machine cannot tell
 * which package fed the next grey_zone_parts parts of that slot: both
 * stay candidates (the refdes they feed are ambiguous) until board passes
 * have used that many parts from the slot (a board uses as many as the
 * refdes its program places from the slot), or until an exact record
 * shows new_uid feeding a board. With 0 the switch is at t_ms. A splice
 * onto an empty slot is a load. ECMS_EREFUSED when the slot would hold
 * more than ECMS_GEN_MAX_CAND candidates.
 */
int ecms_gen_splice(ecms *h, const char *machine, const char *slot, const char *new_uid,
		    int64_t t_ms, int64_t grey_zone_parts) ECMS_WUR;

/*
 * The current setup of a machine: {machine, epoch, since, slots: [{slot,
 * uid (null when empty or in a grey zone), candidates: [...], grey_left}]},
 * slots in the order they were first named. ECMS_ENOTFOUND if unknown.
 */
int ecms_gen_setup(ecms *h, const char *machine, json_t **out /* OUT */) ECMS_WUR;

/* ------------------------------------------------------------------
 * Board passes
 * ------------------------------------------------------------------ */

/*
 * Record that board (a serial, or panel ID plus position as the caller
 * composes it) ran `program` on `machine` from t_start to t_end. The
 * epochs are looked up by time, so a pass that arrives after a later
 * setup change still gets the setup it ran with. A setup change exactly
 * at t_start counts as before the board. work_order may be NULL (unknown);
 * a board keeps the first one it is given. The same pass again (board,
 * machine, t_start) changes nothing.
 * ECMS_ENOTFOUND: machine without that program. ECMS_EINVAL: bad names,
 * t_end < t_start, a work order other than the board's. ECMS_EEXIST: a
 * different pass of the board at the same machine and t_start.
 */
int ecms_gen_board_pass(ecms *h, const char *board, const char *work_order, const char *machine,
			const char *program, int64_t t_start, int64_t t_end) ECMS_WUR;

/* ------------------------------------------------------------------
 * Exact records (CFX MaterialsInstalled)
 * ------------------------------------------------------------------ */

/* One InstalledMaterial: uid fed these refdes of board at machine. */
struct ecms_gen_install {
	const char *board;
	const char *machine;
	const char *uid;
	const char *const *refdes;
	size_t nrefdes;
};

/* What a batch of exact records did, refdes by refdes. */
struct ecms_gen_install_report {
	size_t agreed;       /* the timeline said the same: nothing stored */
	size_t resolved;     /* picked one of the timeline's candidates */
	size_t contradicted; /* named a package the timeline did not */
	size_t unplanned;    /* refdes not in the program of the board's pass */
	size_t pending;      /* no pass of the board at that machine yet: kept,
			      * and compared when the pass comes */
	size_t superseded;   /* the refdes was reworked since: ignored */
};

/*
 * Record a batch of exact records (one CFX message) at t_ms, as one event.
 * Each refdes is compared with the timeline; only differences are stored.
 * A record showing the newer package of a splice feeding a board ends
 * that splice's grey zone after the board. A refdes named twice in one
 * batch: the last wins. A machine or board not seen before is recorded.
 * rep (may be NULL) gets the counts. All or nothing: one bad record and
 * nothing is stored (ECMS_EINVAL naming the record and field).
 */
int ecms_gen_installed(ecms *h, const struct ecms_gen_install *recs, size_t n, int64_t t_ms,
		       struct ecms_gen_install_report *rep /* OUT */) ECMS_WUR;

/* ------------------------------------------------------------------
 * Rework
 * ------------------------------------------------------------------ */

/*
 * Replace the component at refdes of board by one from new_uid (NULL:
 * removed, nothing fitted), done by user (NULL: the handle's actor) for
 * reason (required). The history keeps what was there before (all
 * candidates if it was ambiguous), when, who and why.
 * ECMS_ENOTFOUND: unknown board, or a refdes that neither the board's
 * programs nor its exact records name.
 */
int ecms_gen_rework(ecms *h, const char *board, const char *refdes, const char *new_uid,
		    const char *user, const char *reason, int64_t t_ms) ECMS_WUR;

/* ------------------------------------------------------------------
 * Trace
 * ------------------------------------------------------------------ */

/*
 * Backward trace of one board:
 *   {board, work_order,
 *    passes: [{machine, program, version, start, end, first_epoch, last_epoch}],
 *    parts: [{refdes, uid, ambiguous, candidates: [...], machine, slot,
 *             program, time, source}],
 *    rework: [{refdes, old: [...], old_source, new, user, reason, time}]}
 * uid is null when ambiguous (candidates lists every package that may
 * have fed it; empty if the slot was empty throughout) or when rework
 * removed the part. source: "timeline", "exact" or "rework"; an exact or
 * rework entry that overrides the timeline also carries
 * timeline: [...], what the timeline said. time: the pass start, or the
 * time of the exact record or rework. parts follow the passes and their
 * programs' slot order; records for refdes no program names come last.
 * ECMS_ENOTFOUND for an unknown board.
 */
int ecms_gen_trace_board(ecms *h, const char *board, json_t **out /* OUT */) ECMS_WUR;

/* One refdes of a board as the backward trace resolves it: the fields of
 * a "parts" entry of ecms_gen_trace_board. */
struct ecms_gen_part {
	const char *refdes;
	const char *uid;               /* NULL: ambiguous, nothing known, or removed */
	const char *const *candidates; /* ncandidates packages that may have fed it */
	size_t ncandidates;
	bool ambiguous;
	const char *source;          /* "timeline", "exact" or "rework" */
	const char *const *timeline; /* exact/rework: what the timeline said */
	size_t ntimeline;
	const char *machine;        /* NULL: an exact record without machine row */
	const char *slot, *program; /* NULL: a refdes no program of the board names */
	int64_t t_ms;
};

/* A board's resolved parts. Everything points into memory the struct owns
 * until ecms_gen_board_cleanup(). */
struct ecms_gen_board {
	const char *board;
	const char *work_order; /* NULL when unknown */
	struct ecms_gen_part *parts;
	size_t nparts;
	void *priv_;
};

/*
 * The parts of ecms_gen_trace_board without JSON (and without passes and
 * rework history), for callers that render or stream them themselves.
 * ECMS_ENOTFOUND for an unknown board. out is cleared on failure.
 */
int ecms_gen_board_get(ecms *h, const char *board, struct ecms_gen_board *out /* OUT */) ECMS_WUR;

/* Free what ecms_gen_board_get() filled in. NULL and a cleared struct are
 * no-ops. */
void ecms_gen_board_cleanup(struct ecms_gen_board *b);

/*
 * Forward trace of a set of packages: every board that carries (or may
 * carry) any of them now, in the order the boards were first seen:
 *   [{board, work_order, refdes: [...], ambiguous: [...]}]
 * refdes: fed by one of the packages for certain; ambiguous: one of the
 * packages is among the candidates (even when every candidate is in the
 * set). Both sorted. Rework is applied (a package reworked away no longer
 * counts; the replacement does). Unknown UIDs give no boards.
 */
int ecms_gen_trace_packages(ecms *h, const char *const *uids, size_t n,
			    json_t **out /* OUT */) ECMS_WUR;

/* One board of a forward trace: the fields of an ecms_gen_trace_packages
 * entry. refdes and ambiguous are sorted. */
struct ecms_gen_carrier {
	const char *board;
	const char *work_order; /* NULL when unknown */
	const char *const *refdes;
	size_t nrefdes;
	const char *const *ambiguous;
	size_t nambiguous;
};

/* The boards of a forward trace; the struct owns all the memory until
 * ecms_gen_carriers_cleanup(). */
struct ecms_gen_carriers {
	struct ecms_gen_carrier *boards;
	size_t n;
	void *priv_;
};

/* ecms_gen_trace_packages without JSON. out is cleared on failure. */
int ecms_gen_carriers_get(ecms *h, const char *const *uids, size_t n,
			  struct ecms_gen_carriers *out /* OUT */) ECMS_WUR;

/* Free what ecms_gen_carriers_get() filled in. NULL and a cleared struct
 * are no-ops. */
void ecms_gen_carriers_cleanup(struct ecms_gen_carriers *c);

#ifdef __cplusplus
}
#endif
#endif /* ECMS_GENEALOGY_H */
