/*
 * msdstore.h (internal): the hook through which location moves drive the
 * floor-life clock of moisture-sensitive packages (msdstore.c).
 */
#ifndef ECMS_LIB_MSDSTORE_H
#define ECMS_LIB_MSDSTORE_H

#include "ecms/msdstore.h"

/*
 * Tell the floor-life clock that package uid moved at t_ms from a
 * location of kind from_kind (its rh_class from_rh: "5", "10" or NULL) to
 * one of kind to_kind (to_rh). Call it inside the move's transaction: it
 * nests, and a refusal makes the whole move roll back.
 *  - into a "dry_cabinet": cabinet-in at its RH class (NULL: unknown,
 *    taken as the <=10 % class); also from one cabinet to another;
 *  - out of a "dry_cabinet" to anything else: cabinet-out;
 *  - anything else: nothing.
 * No-op (ECMS_OK, nothing written) for a package no MSD event has
 * touched, one never opened, one of MSL 1, one sealed in a dry bag (the
 * bag keeps it dry wherever it is stored), and for a cabinet-out of a
 * package whose clock already runs. A package being baked cannot go into
 * a cabinet: ECMS_EREFUSED with the engine's reason. Other errors as
 * ecms_msd_record().
 */
int ecms__msd_on_move(ecms *h, const char *uid, const char *from_kind, const char *from_rh,
		      const char *to_kind, const char *to_rh, int64_t t_ms) ECMS_WUR;

#endif
