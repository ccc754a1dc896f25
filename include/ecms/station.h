/*
 * station.h: scanning stations and printing labels from the store.
 *
 * A station (a goods-in desk, a line's feeder cart) records how its
 * keyboard-wedge scanner delivers the GS and RS separators, so every scan
 * made there is read right without per-command options.
 */
#ifndef ECMS_STATION_H
#define ECMS_STATION_H

#include <jansson.h>

#include "ecms/ecms.h"
#include "ecms/label.h"
#include "ecms/labelprint.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Create or change a station: name (NULL keeps it, or the ID for a new
 * one), gs_sub / rs_sub as one printable ASCII character, "" for none, or
 * NULL to keep. Recorded as an event.
 */
int ecms_station_set(ecms *h, const char *id, const char *name, const char *gs_sub,
		     const char *rs_sub) ECMS_WUR;
int ecms_station_list(ecms *h, json_t **out) ECMS_WUR;

/* The scanner options of a station (zeros when it sets none, or when the
 * station is unknown). */
int ecms_station_opts(ecms *h, const char *id, ecms_label_opts *opts) ECMS_WUR;

/* Render the label of a package (UID, IPN, MPN, lot, date code, quantity,
 * MSL, receipt date) or of a location. *out is freed with ecms_free(). */
int ecms_print_package(ecms *h, const char *uid, enum ecms_label_format fmt,
		       unsigned char **out, size_t *len) ECMS_WUR;
int ecms_print_location(ecms *h, const char *id, enum ecms_label_format fmt,
			unsigned char **out, size_t *len) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif
