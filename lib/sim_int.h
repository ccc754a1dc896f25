/*
 * sim_int.h: what the simulator's parts share inside libecms (sim.c and
 * sim_production.c).
 */
#ifndef ECMS_SIM_INT_H
#define ECMS_SIM_INT_H

#include <jansson.h>

#include "ecms/sim.h"

/* One reel to receive through the real receiving path. Strings are the
 * caller's. */
struct ecms__sim_reel {
	const char *supplier; /* DIGIKEY, MOUSER, FARNELL: the label format follows */
	const char *po;
	const char *ipn, *mpn, *mfr;
	const char *lot;
	const char *date_code; /* YYWW */
	const char *location;  /* where it goes when accepted (NULL: receiving) */
	int64_t qty;
};

/* Print the supplier's label for the reel and receive it with
 * ecms_receive(); *res is its result (caller decrefs). */
int ecms__sim_receive_reel(ecms_sim *s, ecms *h, const struct ecms__sim_reel *r,
			   json_t **res /* OUT */) ECMS_WUR;

/* The seed the simulator was made with. */
uint64_t ecms__sim_seed(const ecms_sim *s);

/* "YYWW" of the ISO week of a time. */
void ecms__sim_yyww(int64_t ms, char out[8]);

#endif
