/*
 * board.h: serialised boards and their life on the line: serial
 * allocation per work order (with panels), the route of steps stations
 * reported, status (planned, wip, completed, scrapped, shipped) and holds.
 *
 * A board is one circuit: a single board, or one position of a panel
 * (panel ID + position, as CFX UnitPosition names it). Which package fed
 * which refdes is the genealogy module's (genealogy.h); this module keeps
 * where the board is in its life. Returned json_t references belong to
 * the caller (json_decref).
 */
#ifndef ECMS_BOARD_H
#define ECMS_BOARD_H

#include <stdint.h>

#include <jansson.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ECMS_BOARD_SERIAL_MAX 64     /* bytes in a serial */
#define ECMS_BOARD_ALLOC_MAX  100000 /* serials one call may allocate */

/*
 * Allocate n new serials for work order wo (which must exist), status
 * planned: "<WO>-<NNNNN>" numbered on from the work order's last one.
 * per_panel > 1 groups them into panels "<WO>-P<NNNN>" of per_panel
 * positions (1..per_panel); 0 or 1: single boards. Refused (ECMS_EREFUSED)
 * when the work order would get more serials than its quantity.
 * *out gets [{serial, panel, position}] (panel/position null for single
 * boards). One event, board.allocated.
 */
int ecms_board_allocate(ecms *h, const char *wo, int64_t n, int64_t per_panel,
			json_t **out /* OUT */) ECMS_WUR;

/*
 * One board: {serial, work_order, customer, product, rev, panel, position,
 * status, hold, flags: [...], created, started, completed, shipment,
 * shipped, customer_shipped, route: [{station, kind, result, operator,
 * time, detail}]} (times ISO 8601 UTC; customer from the work order;
 * customer_shipped from the shipment). ECMS_ENOTFOUND for an unknown
 * serial.
 */
int ecms_board_get(ecms *h, const char *serial, json_t **out /* OUT */) ECMS_WUR;

/* Boards of a work order (NULL: all) with a status (NULL: any), in
 * serial order: [{serial, work_order, panel, position, status, hold}]. */
int ecms_board_list(ecms *h, const char *wo, const char *status, json_t **out /* OUT */) ECMS_WUR;

/* Whether s is a board status name. */
int ecms_board_status_valid(const char *s);

#ifdef __cplusplus
}
#endif
#endif /* ECMS_BOARD_H */
