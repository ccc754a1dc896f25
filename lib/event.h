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

/*
 * Event groups: many routine facts of one unit of work, one event.
 *
 * Between ecms__group_begin() and ecms__group_end(), ecms__event() appends
 * nothing: it gives every caller the seq the group's event will have (so
 * projection rows point at the event that covers them) and hands the
 * payload to the group. A payload for which fold(type, payload) is true is
 * counted per type and hashed into the group's digest (its content is in
 * the rows the caller writes next to it); any other is kept whole in the
 * group's "events" array, as {"type": type, "payload": payload}.
 *
 * ecms__group_end() appends one event of the given type whose payload is
 * summary (consumed) plus "events" (when any were kept), "folded"
 * ({type: count}) and "folded_sha256" (SHA-256 over every folded event as
 * "<type>\n<canonical payload>\n", in order), and closes the group. If no
 * event was handed to the group it appends nothing and *seq is 0.
 * ecms__group_discard() closes the group without appending (the
 * transaction is being rolled back). Groups do not nest; open one inside
 * a transaction and close it before the transaction ends.
 */
typedef bool (*ecms__fold_fn)(const char *type, const json_t *payload);

int ecms__group_begin(ecms *h, ecms__fold_fn fold) ECMS_WUR;
int ecms__group_end(ecms *h, const char *type, json_t *summary, int64_t *seq) ECMS_WUR;
void ecms__group_discard(ecms *h);

/* The canonical JSON text of a payload (sorted keys, compact, UTF-8).
 * Caller frees with free(). NULL on OOM. */
char *ecms__json_canonical(const json_t *j);

#endif
