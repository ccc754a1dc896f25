/*
 * sim.h: a deterministic factory simulator. From a seed it produces the
 * data a contract manufacturer would have: parts with real-looking MPNs
 * from real manufacturers, suppliers (authorised and not, one with a
 * lapsed ISO 9001 certificate, one blocked), a warehouse with dry
 * cabinets and production lines, and users. Later stages (deliveries,
 * production, test) build on the same handle, so the same seed always
 * gives the same factory.
 *
 * The simulator writes ordinary import files (CSV) and loads them with
 * ecms_import(), so it exercises the same path as a real site.
 */
#ifndef ECMS_SIM_H
#define ECMS_SIM_H

#include <jansson.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ecms_sim ecms_sim;

/* Sizes of the generated factory; zeros take the defaults. */
typedef struct ecms_sim_config {
	uint64_t seed;   /* default 1 */
	int parts;       /* default 320 (at least 300) */
	int lines;       /* production lines, default 2 */
	int machines;    /* placement machines per line, default 2 */
	int slots;       /* feeder slots per machine, default 40 */
	int64_t base_ms; /* "today" for certificate dates; default: the handle's now */
} ecms_sim_config;

/* Create a simulator. cfg may be NULL for the defaults. Free with
 * ecms_sim_free(). */
int ecms_sim_new(const ecms_sim_config *cfg, ecms_sim **out) ECMS_WUR;
void ecms_sim_free(ecms_sim *s);

/*
 * Write parts.csv, suppliers.csv, locations.csv and users.csv into dir
 * (which must exist) and import them into h. A second run with the same
 * seed changes nothing (the imports find every record unchanged).
 */
int ecms_sim_master(ecms_sim *s, ecms *h, const char *dir) ECMS_WUR;

/*
 * Simulate goods receiving: n deliveries (one reel each, some two) on new
 * purchase orders, with supplier labels in the real formats (Digi-Key,
 * Mouser and Farnell EIGP 114, LCSC). Most are clean; the rest are built
 * to trip one receiving rule each: wrong lot against the PO, an expired
 * CoC, a broker source, a duplicated label, more than a full reel, an old
 * date code, a supplier whose ISO 9001 certificate lapsed, an LCSC label
 * without lot or date code. PO and CoC files are written to dir and
 * imported; receipts go through ecms_receive(). *summary: {"deliveries",
 * "accepted", "quarantined", "refused", "scenarios": {name: {"count",
 * "rule", "caught"}}} where caught counts receipts on which the scenario's
 * rule fired (and a clean receipt counts as caught when it was accepted).
 */
int ecms_sim_receive(ecms_sim *s, ecms *h, const char *dir, int n, json_t **summary) ECMS_WUR;

/*
 * Simulate the warehouse after receiving: put every accepted package away
 * (moisture-sensitive parts into a dry cabinet, the rest onto shelves with
 * room), split some reels and record line returns of others, through the
 * same calls an operator's commands make. *summary: {"put_away", "split",
 * "line_returns", "refused"}.
 */
int ecms_sim_warehouse(ecms_sim *s, ecms *h, json_t **summary) ECMS_WUR;

/*
 * The demo product: a heart monitor (ECG front end, BLE SoC, charger,
 * LDO, flash, passives...) as a KiCad BOM export written to dir, built
 * from the simulated catalogue and imported as HM-100 rev B; with wo not
 * NULL, a work order of that ID for `boards` boards on line L1 for
 * customer MEDICO, due in 45 days.
 */
int ecms_sim_product(ecms_sim *s, ecms *h, const char *dir, int boards, const char *wo) ECMS_WUR;

/* What ecms_sim_production() runs; zeros and NULLs take the defaults. */
typedef struct ecms_sim_prod_config {
	const char *wo;    /* the work order to build (default "WO-HM-500"); it
			    * must exist, for product HM-100 rev B */
	int boards;        /* boards to build (default: the work order's quantity) */
	int lines;         /* SMT lines L1..Ln, 1 to 4 (default 2); odd lines run
			    * panels of 4, even lines panels of 2 */
	int notice_boards; /* boards that get the notice lot (default 20); a
			    * multiple of 4, fewer than the last line's boards */
	int64_t start_ms;  /* first board; default 06:00 UTC 90 days before "now" */
} ecms_sim_prod_config;

/*
 * A production run of the work order, as the line would report it, plus
 * the truth only the simulator knows. Needs ecms_sim_master() and
 * ecms_sim_product() first. In the store it changes only receiving: the
 * reels the run needs are bought on two new POs (Digi-Key, Mouser), with
 * a CoC per lot, received through ecms_receive() with real supplier
 * labels and put away (some come back from an earlier job and are
 * counted down with ecms_count()). Everything the line does is written
 * to dir (which must exist), for the importers and `ecms cfx ingest`:
 *
 *  programs.csv, programs-L2.csv ...: one placement program file per
 *      line: product,rev,side,machine,program,slot,ipn,refdes; each file
 *      places every BOM refdes exactly once with the BOM line's IPN.
 *  cfx.ndjson: CFX 2.1 envelopes in time order, one per line.
 *  truth.json: per board the candidate packages of every refdes, its
 *      work order, customer, status, shipment; the notice lot and its 20
 *      boards; the grey-zone splice; the reworks (see docs/simulator.md).
 *  shipments.csv: shipment,date,customer,serial.
 *  equipment.csv: test equipment and calibration (one lapsed).
 *
 * Same seed, same store and same "now": byte-identical files. All or
 * nothing: the store changes and the files are one transaction. A second
 * run of the same seed in the same store is refused (ECMS_EEXIST: its
 * lots are there already); ECMS_EUSAGE for settings the design cannot
 * meet (too few boards for the notice lot), ECMS_ENOTFOUND for an unknown
 * work order.
 * *summary: {"boards", "lines", "panels", "messages", "reels",
 * "notice": {"lot", "mpn", "ipn", "boards", "reels_in_stock"},
 * "grey_zone_boards", "ambiguous_boards", "scrapped", "shipped", "dir"}.
 */
int ecms_sim_production(ecms_sim *s, ecms *h, const char *dir, const ecms_sim_prod_config *cfg,
			json_t **summary /* OUT */) ECMS_WUR;

/* A uniformly distributed number in [0, n) from the simulator's stream. */
uint64_t ecms_sim_rand(ecms_sim *s, uint64_t n);

#ifdef __cplusplus
}
#endif
#endif
