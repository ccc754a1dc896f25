/*
 * trace_int.h (internal): the forward trace's board list for a set of
 * package UIDs, shared by the recall module.
 */
#ifndef ECMS_LIB_TRACE_INT_H
#define ECMS_LIB_TRACE_INT_H

#include <stddef.h>

#include <jansson.h>

#include "ecms/ecms.h"

/*
 * Append to boards the forward trace's entries ({serial, refdes,
 * ambiguous, work_order, customer, product, revision, status, shipped,
 * shipment, hold}) of every board that carries one of uids[0, n).
 */
int ecms__trace_carriers(ecms *h, const char *const *uids, size_t n, json_t *boards) ECMS_WUR;

#endif
