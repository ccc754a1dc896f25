/*
 * trace.h: the answers traceability exists for, in the terms of the
 * people who ask: a board's components with the lot, date code,
 * supplier, PO and CoC of the package that fed each refdes (backward),
 * and every board that carries a lot, a reel, a date-code range, a
 * supplier's deliveries in a window or a CoC (forward), with where each
 * board is now: WIP, completed, shipped (when, to whom) or scrapped.
 * Also rework (a component replaced, checked against the BOM).
 *
 * Built on the genealogy module (genealogy.h: which package fed which
 * refdes) and the board module (board.h: status, route, holds). Split
 * children of a package (packages.parent, to any depth) are followed in
 * every forward trace. Returned json_t references belong to the caller
 * (json_decref).
 */
#ifndef ECMS_TRACE_H
#define ECMS_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Backward trace of a board:
 *   {serial, work_order, customer, product, revision, status, hold,
 *    components: [{refdes, uid, known, ipn, mpn, manufacturer, lot,
 *                  date_code, supplier, po, coc, machine, slot, program,
 *                  time, source, ambiguous, candidates}],
 *    route: [{station, kind, result, operator, time, detail}],
 *    rework: [{refdes, old: [...], old_source, new, user, reason, time}]}
 * uid is null when the refdes is ambiguous (candidates then lists every
 * package that may have fed it, each as {uid, known, ipn, mpn,
 * manufacturer, lot, date_code, supplier, po, coc}) or when rework
 * removed the part; candidates is [] when not ambiguous. known: false for
 * a package the line named but ecms never received (its package fields
 * are null). source: "timeline", "exact" or "rework". The route is empty
 * for a board only the genealogy knows. ECMS_ENOTFOUND for an unknown
 * board.
 */
int ecms_trace_board(ecms *h, const char *serial, json_t **out /* OUT */) ECMS_WUR;

/* What a forward trace starts from. */
typedef enum ecms_trace_kind {
	ECMS_TRACE_LOT,      /* lot (required), mpn (optional) */
	ECMS_TRACE_REEL,     /* uid: one package (and its split children) */
	ECMS_TRACE_DATECODE, /* mpn, from, to: date codes YYWW, inclusive */
	ECMS_TRACE_SUPPLIER, /* supplier, from, to: received in [from, to]; dates
			      * (YYYY-MM-DD: to the end of that day) or times */
	ECMS_TRACE_COC       /* coc: packages linked to the CoC, and packages of
			      * its MPN and lots from its supplier */
} ecms_trace_kind;

typedef struct ecms_trace_scope {
	ecms_trace_kind kind;
	const char *lot, *mpn, *uid, *supplier, *coc;
	const char *from, *to;
} ecms_trace_scope;

/*
 * The packages of a scope, split children included, sorted: a JSON array
 * of UIDs. ECMS_EUSAGE for a scope missing what its kind needs,
 * ECMS_EINVAL for a bad date code or date (or from after to),
 * ECMS_ENOTFOUND for an unknown supplier or CoC. A reel ecms does not
 * know is kept (the line may have named it).
 */
int ecms_trace_scope_packages(ecms *h, const ecms_trace_scope *scope,
			      json_t **uids /* OUT */) ECMS_WUR;

/*
 * Forward trace of a scope:
 *   {scope: {kind, ...}, packages: [uid...], count,
 *    boards: [{serial, refdes: [...], ambiguous: [...], work_order,
 *              customer, product, revision, status, shipped, shipment,
 *              hold}]}
 * count = number of boards; refdes: fed by the scope's packages for
 * certain, ambiguous: one of them is among the candidates. status:
 * planned, wip, completed, shipped (shipped: the time, shipment: its ID)
 * or scrapped; "unknown" for a board only the genealogy knows. Boards in
 * the order the line first reported them; boards with equal refdes lists
 * share the arrays (treat the result as read-only). Errors as
 * ecms_trace_scope_packages; a lot no package has, or a reel neither ecms
 * nor the line knows, is ECMS_ENOTFOUND.
 */
int ecms_trace_forward(ecms *h, const ecms_trace_scope *scope, json_t **out /* OUT */) ECMS_WUR;

/*
 * Rework: replace the component at refdes of board serial by one from
 * package uid, done by user (an active user) for reason (>= 3
 * characters), recorded in the genealogy (history kept) and as a
 * "reworked" step of the board's route, in one transaction.
 * Refused (ECMS_EREFUSED) unless the board is neither shipped nor
 * scrapped, its work order's BOM names refdes, the package's IPN is the
 * BOM's part for it or one of its approved alternates, and the package is
 * usable: available (not quarantined, on hold, rejected, consumed or
 * scrapped), within its shelf life and MSD floor life.
 * ECMS_ENOTFOUND: unknown board, package or user.
 * *out: {serial, refdes, old: [...], new, ipn, user, reason, time}.
 */
int ecms_trace_rework(ecms *h, const char *serial, const char *refdes, const char *uid,
		      const char *user, const char *reason, json_t **out /* OUT */) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif /* ECMS_TRACE_H */
