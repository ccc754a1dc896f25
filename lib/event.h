/*
 * event.h (internal): appending to the event log from library modules.
 */
#ifndef ECMS_LIB_EVENT_H
#define ECMS_LIB_EVENT_H

#include <jansson.h>

#include "ecms/event.h"
#include "store/store.h"

/*
 * Append an event of the given type. payload is consumed (decref'd) in all
 * cases. Must run inside a transaction (ecms__begin) so the event and its
 * effect commit together. The event's sequence number goes to *seq (may
 * be NULL). Errors are recorded on h.
 */
int ecms__event(ecms *h, const char *type, json_t *payload, int64_t *seq) ECMS_WUR;

/* The canonical JSON text of a payload (sorted keys, compact, UTF-8).
 * Caller frees with free(). NULL on OOM. */
char *ecms__json_canonical(const json_t *j);

#endif
