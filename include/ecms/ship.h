/*
 * ship.h: shipping: which board serials went to which customer, when,
 * under which delivery reference (the shipments table of 008_boards and
 * boards.shipment). Forward traces and recalls read it to say where a
 * board went. Returned json_t references belong to the caller.
 */
#ifndef ECMS_SHIP_H
#define ECMS_SHIP_H

#include <stddef.h>

#include <jansson.h>

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ecms_ship_req {
	const char *customer;       /* required */
	const char *const *serials; /* the boards, or: */
	size_t nserials;
	const char *work_order; /* every completed board of it not on hold */
	const char *reference;  /* delivery note, optional */
} ecms_ship_req;

/*
 * Record a shipment: the boards leave for the customer now (status
 * shipped, boards.shipment = the new ID "SH-NNNNNN"), one event
 * board.shipped. A board may ship only when it is completed, not on hold,
 * and its work order's customer is the customer; any board that fails
 * refuses the whole shipment (ECMS_EREFUSED, every problem named). With a
 * work order, its completed boards not on hold ship (the others stay and
 * are counted in *out); none is ECMS_EREFUSED.
 * *out: {shipment, customer, reference, shipped, count, serials: [...],
 *        left: {wip, on_hold, ...}} (left only for a work order).
 */
int ecms_ship(ecms *h, const ecms_ship_req *req, json_t **out /* OUT */) ECMS_WUR;

/* A shipment: {shipment, customer, reference, shipped, actor, serials}. */
int ecms_shipment_get(ecms *h, const char *id, json_t **out /* OUT */) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif /* ECMS_SHIP_H */
