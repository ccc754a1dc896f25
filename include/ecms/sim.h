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

/* A uniformly distributed number in [0, n) from the simulator's stream. */
uint64_t ecms_sim_rand(ecms_sim *s, uint64_t n);

#ifdef __cplusplus
}
#endif
#endif
