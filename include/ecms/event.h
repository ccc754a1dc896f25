/*
 * event.h: the append-only, hash-chained event log, and its audit.
 *
 * Every state change in ecms is an event appended in the same transaction
 * as its effect on the current-state tables. Each event carries a dense
 * sequence number, the UTC time in ms, the actor and station, a type
 * ("part.upserted"), a JSON payload, the previous event's hash and its own:
 * SHA-256 over a canonical, length-prefixed encoding of all of these.
 * Changing or removing any row breaks the chain, and ecms_audit_verify()
 * finds the first place where it breaks.
 */
#ifndef ECMS_EVENT_H
#define ECMS_EVENT_H

#include "ecms/ecms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One event as read back; the strings live until the callback returns. */
typedef struct ecms_event {
	int64_t seq;
	int64_t at_ms;
	const char *actor;
	const char *station;
	const char *type;
	const char *payload; /* canonical JSON text */
	const char *prev_hash;
	const char *hash;
} ecms_event;

/*
 * Call cb for each event with seq > since (and of the given type, or all
 * types when type is NULL; a type ending in '.' matches a prefix, e.g.
 * "part."), in sequence order, at most limit events (0: no limit). A
 * non-zero return from cb stops the walk and is returned.
 */
int ecms_log_each(ecms *h, int64_t since, const char *type, int64_t limit,
		  int (*cb)(const ecms_event *ev, void *arg), void *arg) ECMS_WUR;

/* The result of an audit. */
typedef struct ecms_audit {
	int64_t events;        /* events checked */
	int64_t head_seq;      /* the last sequence number */
	char head_hash[65];    /* its hash: quote it in reports */
	int64_t first_bad_seq; /* 0 when the chain verifies */
	char reason[256];      /* why it does not verify, "" when it does */
} ecms_audit;

/*
 * Recompute the whole chain. Returns ECMS_OK when every event's hash is
 * right, every link points at its predecessor, sequence numbers are dense
 * from 1 and the recorded chain head matches the last event; otherwise
 * ECMS_ETAMPER with out->first_bad_seq and out->reason set (and the same
 * text as the handle's error message).
 */
int ecms_audit_verify(ecms *h, ecms_audit *out) ECMS_WUR;

/* The current head of the chain (seq 0 and 64 zeros when empty). */
int ecms_log_head(ecms *h, int64_t *seq, char hash[65]) ECMS_WUR;

#ifdef __cplusplus
}
#endif
#endif
