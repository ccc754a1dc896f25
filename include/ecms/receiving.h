/*
 * receiving.h: goods receiving and incoming inspection: purchase orders,
 * certificates of conformance, receiving a package from its supplier
 * label against the inspection rules, quarantine and signed decisions.
 *
 * JSON results are new references owned by the caller (json_decref).
 */
#ifndef ECMS_RECEIVING_H
#define ECMS_RECEIVING_H

#include <stdbool.h>

#include <jansson.h>

#include "ecms/auth.h"
#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------
 * Purchase orders (`ecms import po FILE`; see docs/import-formats.md)
 * ------------------------------------------------------------------ */

/* A PO with its lines, status and quantities received; ECMS_ENOTFOUND. */
int ecms_po_get(ecms *h, const char *po, json_t **out) ECMS_WUR;
/* POs, newest order date first; status "open", "partial", "closed" or NULL. */
int ecms_po_list(ecms *h, const char *status, json_t **out) ECMS_WUR;

/* ------------------------------------------------------------------
 * Certificates of conformance
 * ------------------------------------------------------------------ */

typedef struct ecms_coc_new {
	const char *supplier;
	const char *mpn;
	const char *const *lots; /* at least one */
	size_t nlots;
	const char *issued;  /* YYYY-MM-DD */
	const char *expires; /* YYYY-MM-DD or NULL */
	const char *path;    /* the document; stored once by its SHA-256 */
} ecms_coc_new;

/* Add a CoC; *id receives its new ID ("COC-000001", caller frees). */
int ecms_coc_add(ecms *h, const ecms_coc_new *c, char **id) ECMS_WUR;
/* A CoC with its lots and document hash; "document_verified" tells whether
 * the stored bytes still hash to it. */
int ecms_coc_get(ecms *h, const char *id, json_t **out) ECMS_WUR;
int ecms_coc_list(ecms *h, const char *mpn, json_t **out) ECMS_WUR;
/* Write the stored document of a CoC to path; ECMS_ETAMPER (nothing
 * written) when the stored bytes no longer hash to the CoC's SHA-256. */
int ecms_coc_export(ecms *h, const char *id, const char *path) ECMS_WUR;

/* ------------------------------------------------------------------
 * Receiving
 * ------------------------------------------------------------------ */

typedef struct ecms_receive_req {
	const char *po;       /* the purchase order the delivery belongs to */
	const char *scan;     /* the supplier label, as the scanner sent it */
	size_t scan_len;
	const char *coc;      /* a CoC ID to link, or NULL (then one on file covering
			       * the MPN and lot is linked automatically) */
	const char *location; /* where an accepted package goes (default: the first
			       * location of kind receiving) */
	char gs_sub, rs_sub;  /* scanner separator substitutes (0: the station's) */
} ecms_receive_req;

/*
 * Receive one package: parse its label, create it with a new UID and every
 * label field (the raw scan kept), link it to its PO line, and run the
 * inspection rules. *out: {"uid", "status": "accepted"|"quarantined",
 * "reasons": [{"rule", "severity", "signal", "message"}], "warnings",
 * "po", "po_line", "ipn", "mpn", "manufacturer", "supplier", "lot",
 * "date_code", "quantity", "location", "coc", "label": {...}}.
 * A quarantined package goes to the quarantine location with every reason.
 * Refused, with nothing written: an unreadable label (ECMS_EINVAL), an
 * unknown PO or CoC (ECMS_ENOTFOUND), an over-receipt beyond the PO line's
 * tolerance (ECMS_EREFUSED, rule qty.po).
 */
int ecms_receive(ecms *h, const ecms_receive_req *req, json_t **out) ECMS_WUR;

/* ------------------------------------------------------------------
 * The receiving rule set (defaults in code, site overrides as events)
 * ------------------------------------------------------------------ */

/* Every rule: {"rule", "title", "enabled", "severity", "signal", "params"}. */
int ecms_rules_list(ecms *h, json_t **out) ECMS_WUR;

/*
 * Change a rule: enabled (-1: leave), severity ("refuse", "quarantine",
 * "warning" or NULL: leave), params (a JSON object merged into the rule's
 * parameters, or NULL). Recorded as a rule.changed event.
 */
int ecms_rules_set(ecms *h, const char *rule, int enabled, const char *severity,
		   const char *params_json) ECMS_WUR;

/* ------------------------------------------------------------------
 * Packages, quarantine, decisions
 * ------------------------------------------------------------------ */

/* A package with its findings (reasons and counterfeit signals),
 * inspections, decisions, "children" (UIDs split off it; "parent" names
 * the package it was split from) and history (its events, splits too). */
int ecms_package_get(ecms *h, const char *uid, json_t **out) ECMS_WUR;

/* Packages waiting in quarantine, oldest first, with their reasons. */
int ecms_quarantine_list(ecms *h, json_t **out) ECMS_WUR;

/* Receipt history of a supplier: counts (received, accepted, quarantined,
 * released, rejected, signals) and the latest receipts. */
int ecms_supplier_history(ecms *h, const char *supplier, json_t **out) ECMS_WUR;

/* Record an incoming inspection of a package: result "pass" or "fail". */
int ecms_inspect(ecms *h, const char *uid, const char *result, const char *notes) ECMS_WUR;

typedef enum ecms_decision { ECMS_RELEASE, ECMS_REJECT } ecms_decision;

typedef struct ecms_sign {
	const char *user;      /* the signer: must be an active qa user */
	ecms_secret_kind kind; /* password, or badge PIN */
	const char *secret;
} ecms_sign;

/*
 * Decide a quarantined package: release it (to available, in the given
 * location or the receiving area) or reject it (disposition "return" to
 * supplier or "scrap"). The signer re-authenticates; the decision is a
 * signed event: who (ID and name), when, the meaning ("released from
 * quarantine"), the reason. A release of a broker-sourced package needs a
 * passed inspection and a CoC (coc may name one to link now). A failed
 * signature is itself logged (signature.failed) and returns ECMS_EAUTH.
 */
int ecms_decide(ecms *h, const char *uid, ecms_decision d, const char *reason,
		const ecms_sign *sig, const char *disposition, const char *location,
		const char *coc, json_t **out) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif
