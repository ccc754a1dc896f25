/*
 * warehouse_int.h (internal): what other modules do to a package's place
 * and its restricted-part log, inside their own transaction.
 */
#ifndef ECMS_LIB_WAREHOUSE_INT_H
#define ECMS_LIB_WAREHOUSE_INT_H

#include <stdint.h>

#include "store/store.h"

/*
 * A package went onto a machine (setup load or splice; `action` names
 * it): when the machine is an ecms location, the package moves there (a
 * package_moves row stamped with seq, so stock counts it in production),
 * and a restricted part's access log gets an allowed entry for the actor.
 * A package ecms does not know (the line named it) is left alone. Joins
 * the caller's transaction; seq is the caller's event.
 */
int ecms__package_mounted(ecms *h, const char *uid, const char *machine, const char *action,
			  int64_t seq) ECMS_WUR;

#endif
