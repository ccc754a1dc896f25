/*
 * msdstore.h: the floor-life clock of each moisture-sensitive package,
 * persisted. The stateful layer over the pure J-STD-033 engine (msd.h):
 * one msd_state row per package, the site's rule overrides, an event per
 * change, and the queries the rest of ecms asks (status, usable,
 * expiring). The CLI (`ecms msd ...`), location moves and CFX ingestion
 * (MaterialsOpened, MaterialsPlacedInDryStorage,
 * MaterialsRemovedFromDryStorage, MaterialsExpired, MaterialsRestored)
 * all end in ecms_msd_record(), so they share one implementation.
 *
 * UIDs: every uid argument may be given as scanned or typed; it is read
 * with ecms_uid_parse() (lower case, O/I/L readings, an AIM prefix) and
 * used in its canonical form. A malformed one is ECMS_EINVAL.
 *
 * Errors are recorded on the handle (ecms_errmsg). JSON results are new
 * references owned by the caller (json_decref).
 */
#ifndef ECMS_MSDSTORE_H
#define ECMS_MSDSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ecms/ecms.h"
#include "ecms/msd.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------
 * Rules: the engine's defaults plus the site's overrides
 * ------------------------------------------------------------------ */

/*
 * The effective rules into *out: ecms_msd_rules_default() with every
 * stored override applied (in key order; the store keeps them in a
 * normalised form whose order does not matter). A stored value that no
 * longer parses is ECMS_EINVAL naming the key.
 */
int ecms_msd_site_rules(ecms *h, struct ecms_msd_rules *out /* OUT */) ECMS_WUR;

/*
 * Change one rule for this site (key scheme: ecms_msd_rules_set in
 * msd.h, e.g. "floor_life.3" = "96h", "bake.3.1.4mm.125c.fl72" = "8h",
 * "bake.3.1.4mm.125c" = "none"). The value is checked on a copy of the
 * effective rules first: a bad key or value is ECMS_EINVAL with the
 * engine's message and nothing is written. Recorded as an event
 * msd.rule_set {key, value}; the msd_rules table then holds exactly the
 * keys whose value differs from the default.
 */
int ecms_msd_rule_set(ecms *h, const char *key, const char *value) ECMS_WUR;

/*
 * Every rule: [{"key", "value", "source": "default"|"site", "note"}] in
 * the engine's dump order; deleted default bake rows follow as
 * {"key": "<row key>", "value": "none", "source": "site"}.
 */
int ecms_msd_rules_json(ecms *h, json_t **out /* OUT */) ECMS_WUR;

/* ------------------------------------------------------------------
 * Recording events
 * ------------------------------------------------------------------ */

/*
 * Apply one event to a package's floor-life state and persist it. On the
 * package's first event its state is created from its part: MSL
 * (parts.msl) and body thickness (parts.thickness_mm), as of its receipt.
 * In one transaction (nesting inside a caller's, see ecms__begin): load,
 * apply, write the msd_state row, append the event "msd.<event token>"
 * {uid, event, at, and the event's data: hic_pct, rh_pct, temp_c,
 * duration_ms as given}. status_out (may be NULL) receives the status at
 * ev->at_ms, as from ecms_msd_status().
 * Returns ECMS_OK; ECMS_ENOTFOUND (no such package); ECMS_EREFUSED
 * ("MSL unknown" for a package without a part or whose part has no MSL;
 * or the engine's refusal: out of order, bake too short for Table 4-1,
 * ...), ECMS_EINVAL (malformed event or UID). Refusals write nothing.
 * An opening with a wet HIC is recorded (ECMS_OK); the status then says
 * usable false, bake_required true.
 */
int ecms_msd_record(ecms *h, const char *uid, const struct ecms_msd_event *ev,
		    json_t **status_out /* OUT, may be NULL */) ECMS_WUR;

/*
 * Map a CFX MSD message to its engine event and record it at t_ms:
 * "MaterialsOpened" (open, HIC not read), "MaterialsPlacedInDryStorage"
 * (cabinet-in at rh_class % RH: 5 or 10, -1 unknown), "MaterialsRemovedFrom
 * DryStorage" (cabinet-out), "MaterialsExpired", "MaterialsRestored"; the
 * full MessageName ("CFX.Materials.Management.MSDManagement....") or its
 * last part. Any other message is ECMS_ENOTFOUND; the rest as
 * ecms_msd_record().
 */
int ecms_msd_from_cfx(ecms *h, const char *uid, const char *message_name, int64_t t_ms,
		      int rh_class) ECMS_WUR;

/* ------------------------------------------------------------------
 * Queries
 * ------------------------------------------------------------------ */

/*
 * The floor-life status of a package at now_ms: {"uid", "ipn", "msl"
 * ("3", or null when unknown), "state" ("never opened", "exposed", "in
 * dry storage", "baking", "expired"), "cfx_state", "where" (unopened,
 * out, bag, cabinet5, cabinet10, oven), "exposure", "exposure_ms",
 * "floor_life", "floor_life_ms", "remaining", "remaining_ms", "ends_at",
 * "ends_if_out_at", "expired_at", "reset_at", "usable", "reason",
 * "bake_required", "hic_pct", "opens", "first_opened", "bakes",
 * "last_bake", "last_bake_temp_c", "last_bake_duration", "since"}.
 * Durations come as ms and as human text ("166 h 30 min"); "remaining"
 * of an expired package is "0 (over by ...)"; floor life without a limit
 * is "unlimited" with null ms fields. Times are ISO 8601 or null. A
 * package no MSD event has touched is "never opened" (dry-packed from the
 * supplier) and usable. ECMS_ENOTFOUND for an unknown package.
 */
int ecms_msd_status(ecms *h, const char *uid, int64_t now_ms, json_t **out /* OUT */) ECMS_WUR;

/*
 * May the package be moved to the line, kitted or set up at now_ms?
 * *usable false with an operator-readable reason (into reason[n], may be
 * NULL) when it is expired, needs a bake (wet HIC, MSL 6, reported
 * expired) or is being baked. A package never touched by an MSD event,
 * or of a part without MSL, is usable ("" reason). ECMS_ENOTFOUND for
 * an unknown package.
 */
int ecms_msd_usable(ecms *h, const char *uid, int64_t now_ms, bool *usable /* OUT */,
		    char *reason, size_t n) ECMS_WUR;

/*
 * Packages (not rejected) whose floor life has ended at now_ms, or will
 * end within within_ms if nothing changes (the clock running: out of dry
 * storage, or in a <=10 % RH cabinet at a non-zero rate), soonest first:
 * [{"uid", "ipn", "msl", "state", "where", "remaining", "remaining_ms",
 * "ends_at", "expired_at", "reason"}]. For `ecms alerts`.
 */
int ecms_msd_expiring(ecms *h, int64_t now_ms, int64_t within_ms,
		      json_t **out /* OUT */) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif /* ECMS_MSDSTORE_H */
