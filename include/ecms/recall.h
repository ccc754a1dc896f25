/*
 * recall.h: a lot found bad after the fact. The forward trace of the lot
 * (split children included) grouped by customer and board status: the
 * shipped boards each customer must be told about, and what is still in
 * the house (completed, WIP) or gone (scrapped). Applied, it contains:
 * every remaining package of the lot goes on hold (so setup and kitting
 * refuse it), every board not shipped or scrapped goes on hold with the
 * recall ID, and the recall is recorded with its scope, in one
 * transaction with one event. Applying is a quality decision: only the
 * qa role, re-authenticated like a quarantine release.
 *
 * A recall as JSON (preview, apply and get share the shape):
 *   {id (null in a preview), applied, scope: {lot, mpn}, reason, user,
 *    time, count, counts: {shipped, completed, wip, scrapped, other},
 *    boards_held, customers: [{customer, count, shipped: [B...],
 *    completed: [B...], wip: [B...], scrapped: [B...], other: [B...]}],
 *    packages: [{uid, ipn, mpn, lot, status, location, held, loaded}],
 *    packages_held}
 * where B = {serial, work_order, customer, status, shipped, shipment,
 * refdes: [...], ambiguous: [...], held}. customer null: a board whose
 * work order ecms does not know (listed last). "other": planned boards
 * and boards only the genealogy knows. packages: status is the status
 * before the recall; held: the recall puts (put) it on hold (available
 * or quarantined packages; consumed, scrapped, rejected ones and those
 * already on hold are listed, not changed); loaded: where the package
 * feeds a machine now (["machine/slot"]): a held reel still on the line
 * must come off it. A board already on hold for
 * another reason keeps that reason and gets the recall ID added
 * (space-separated). Returned json_t references belong to the caller;
 * the customer groups share board objects, so treat them as read-only.
 */
#ifndef ECMS_RECALL_H
#define ECMS_RECALL_H

#include <jansson.h>

#include "ecms/ecms.h"
#include "ecms/receiving.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What a recall of lot (of mpn, NULL: any) would find and contain; changes
 * nothing. ECMS_ENOTFOUND when no package of the lot is known.
 */
int ecms_recall_preview(ecms *h, const char *lot, const char *mpn, json_t **out /* OUT */) ECMS_WUR;

/*
 * Apply the recall of lot (of mpn, NULL: any), signed by sig (an active
 * qa user re-authenticating; a failed attempt is recorded as a
 * signature.failed event and changes nothing else), for reason (>= 3
 * characters). ECMS_EDENIED: not qa. ECMS_EAUTH: the secret does not
 * match. ECMS_EREFUSED: the same scope is recalled already.
 * ECMS_ENOTFOUND: no package of the lot. *out: the recall, with its ID
 * "RC-NNNNNN". One event, recall.applied.
 */
int ecms_recall_apply(ecms *h, const char *lot, const char *mpn, const char *reason,
		      const ecms_sign *sig, json_t **out /* OUT */) ECMS_WUR;

/* The recalls, newest first: [{id, lot, mpn, reason, user, time, boards,
 * shipped, completed, wip, scrapped, boards_held, packages,
 * packages_held, customers}]. */
int ecms_recall_list(ecms *h, json_t **out /* OUT */) ECMS_WUR;

/* One recorded recall, as it was found when applied (the shape above).
 * ECMS_ENOTFOUND for an unknown ID. */
int ecms_recall_get(ecms *h, const char *id, json_t **out /* OUT */) ECMS_WUR;

/*
 * Every recall as it concerns each customer, newest recall first, one row
 * per recall and customer: [{recall, customer, lot, mpn, reason, user,
 * time, count, shipped: [B...], completed, wip, scrapped, other}] (B as
 * above; boards of work orders ecms does not know are left out). A row
 * names no other customer and no package: what the customer portal may
 * show a customer of its own boards.
 */
int ecms_recall_notices(ecms *h, json_t **out /* OUT */) ECMS_WUR;

/*
 * The customer notice of a recall (preview or recorded) as CSV text,
 * one row per board, customers in order, shipped boards first:
 *   customer,serial,work_order,status,shipped,shipment,lot,mpn,refdes,
 *   ambiguous_refdes
 * (refdes lists space-separated). *out is the caller's (ecms_free).
 */
int ecms_recall_csv(const json_t *recall, char **out /* OUT */) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif /* ECMS_RECALL_H */
