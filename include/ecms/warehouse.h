/*
 * warehouse.h: storage: scans that name a package or a location, moves
 * (the two scans), splits, line returns, scrap, restricted-part access,
 * stocktakes, stock by status, shelf life and alerts.
 *
 * JSON results are new references owned by the caller.
 */
#ifndef ECMS_WAREHOUSE_H
#define ECMS_WAREHOUSE_H

#include <jansson.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Resolve a scan to a package UID (an ecms UID label, checked; or a
 * supplier label that was received on exactly one package) or to a
 * location ID. *uid / *loc (caller frees) get whichever it is; the other
 * is NULL. ECMS_EINVAL (UID check character wrong), ECMS_ENOTFOUND (no
 * such package or location), ECMS_EREFUSED (a supplier label on several
 * packages: scan the ecms UID label).
 */
int ecms_scan_resolve(ecms *h, const char *scan, size_t len, char **uid, char **loc) ECMS_WUR;

/*
 * Move a package (first scan) to a location (second scan). Refused
 * (ECMS_EREFUSED) with the reason: a quarantined, on-hold, rejected,
 * expired or MSD-blocked package into a production area (line side,
 * machine, feeder slot); a consumed or scrapped package; a full location;
 * a location of kind warehouse (a building: the package goes onto a rack,
 * shelf or cabinet in it); restricted parts for a role not allowed to
 * handle them (ECMS_EDENIED, logged). Every move is an event with who,
 * when, from, to (and the RH class of a dry cabinet it goes into).
 * *out: {"uid", "from", "to", "to_kind", "actor", "time"[, "rh_class"]}.
 */
int ecms_move(ecms *h, const char *package_scan, const char *location_scan,
	      json_t **out) ECMS_WUR;

/* Split qty parts off a package into a new child package (own UID,
 * parent link, same lot and origin). *out: {"parent", "child", ...}. */
int ecms_split(ecms *h, const char *uid, int64_t qty, json_t **out) ECMS_WUR;

/* Record the remaining count of a package returned from the line (for a
 * restricted part, only the roles that may move it; logged); the
 * difference is "consumed" or "loss". Zero remaining makes it consumed. */
int ecms_count(ecms *h, const char *uid, int64_t remaining, const char *kind,
	       json_t **out) ECMS_WUR;

/* Scrap a package (its remaining quantity becomes a loss). */
int ecms_scrap(ecms *h, const char *uid, const char *reason) ECMS_WUR;

/* The access log of a package (restricted parts). */
int ecms_access_log(ecms *h, const char *uid, json_t **out) ECMS_WUR;

/*
 * Stocktake of a location from the scans found there: "found",
 * "missing" (recorded here, not scanned), "misplaced" (scanned here,
 * recorded elsewhere: with where), "unexpected" (unknown scans). The
 * result is recorded (stocktake.done) with its counts.
 */
int ecms_stocktake(ecms *h, const char *location, const char *const *scans, size_t n,
		   json_t **out) ECMS_WUR;

/*
 * Stock per part by status (available, quarantined, on_hold,
 * in_production, expired, rejected, consumed, scrapped): quantity and
 * package count, and per location. ipn and location may be NULL.
 */
int ecms_stock(ecms *h, const char *ipn, const char *location, json_t **out) ECMS_WUR;

/* The shelf-life end of a package (UTC ms), or INT64_MAX when none. */
int ecms_package_expiry(ecms *h, const char *uid, int64_t *ms) ECMS_WUR;

typedef struct ecms_alert_opts {
	int expiring_days;  /* default 30 */
	int quarantine_days; /* default 3 */
	int msd_hours;      /* default 8: floor life ending within */
} ecms_alert_opts;

/* Alerts: [{"kind", "object", "sentence", ...}], kinds shelf_life.expired,
 * shelf_life.expiring, stock.below_reorder, quarantine.aged, msd.floor_life, and those of
 * ecms_quality_alerts (quality.h): test.calibration_lapsed,
 * calibration.expired, calibration.expiring.
 * opts may be NULL. */
int ecms_alerts(ecms *h, const ecms_alert_opts *opts, json_t **out) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif
