/*
 * production.h: production master data (products and their BOMs, work
 * orders) and what the warehouse does for them: kitting and reordering.
 *
 * JSON results are new references owned by the caller.
 */
#ifndef ECMS_PRODUCTION_H
#define ECMS_PRODUCTION_H

#include <jansson.h>

#include "ecms/ecms.h"
#include "ecms/master.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Import a BOM export (KiCad or Altium CSV) as product/rev. Columns are
 * matched by header name: Reference/References/Designator,
 * Value/Comment, Footprint, Quantity/Qty, MPN/Manufacturer Part Number,
 * Manufacturer, IPN, Alternates, DNP/Fitted; others are ignored.
 * Reference lists "C1,C2" and ranges "C1-C4" are expanded; the quantity
 * must equal the count. Each line maps to an IPN (given, or the one part
 * whose AML lists the MPN). All or nothing: errors name file, line and
 * column in rep->errors. A revision used by a work order is not replaced.
 */
int ecms_bom_import(ecms *h, const char *product, const char *rev, const char *path,
		    ecms_import_report *rep) ECMS_WUR;

/* A BOM: {"product", "rev", "refdes_count", "lines": [{"ipn", "qty",
 * "refdes": [...], "alternates": [...]}]}. */
int ecms_bom_get(ecms *h, const char *product, const char *rev, json_t **out) ECMS_WUR;

typedef struct ecms_wo_new {
	const char *id;
	const char *product, *rev;
	int64_t qty;
	const char *line;     /* production line (location ID), may be NULL */
	const char *customer; /* may be NULL */
	const char *due;      /* YYYY-MM-DD, may be NULL */
} ecms_wo_new;

int ecms_wo_create(ecms *h, const ecms_wo_new *w) ECMS_WUR;
int ecms_wo_get(ecms *h, const char *id, json_t **out) ECMS_WUR;
int ecms_wo_list(ecms *h, const char *status, json_t **out) ECMS_WUR;

/*
 * The kit list of a work order: per part, the quantity needed (BOM count
 * × boards × (1 + attrition)), what is already picked, and the packages
 * to pick from usable stock: FIFO by receipt and date code, and for
 * moisture-sensitive parts the one whose shelf life ends first, with
 * their locations.
 */
int ecms_kit_list(ecms *h, const char *wo, json_t **out) ECMS_WUR;

/* Pick a package (a scan) for a work order: it must be usable and of a
 * part the work order needs; it moves to `to` (default the line's
 * kitting cart, else the line) and is recorded against the order. */
int ecms_kit_pick(ecms *h, const char *wo, const char *scan, const char *to,
		  json_t **out) ECMS_WUR;

/*
 * Reorder suggestions: per part, usable on hand + on order (open PO
 * lines) − demand (open work orders' BOM quantities with attrition),
 * against the reorder point; the suggested quantity is rounded up to
 * standard packs; each line explains its arithmetic, and says whether the
 * lead time makes it urgent against the earliest due date.
 */
int ecms_reorder(ecms *h, json_t **out) ECMS_WUR;

/* Attrition added to BOM demand, in percent (site default 1 %). */
#define ECMS_ATTRITION_PCT 1.0

#ifdef __cplusplus
}
#endif
#endif
