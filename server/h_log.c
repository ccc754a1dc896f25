/*
 * h_log.c: the event log over HTTP: GET /api/v1/log?since=&type=&limit=
 * and GET /api/v1/audit/verify.
 */
#include <stdlib.h>
#include <string.h>

#include "ecms/event.h"
#include "server.h"

/* A whole number in [min, max] from a query argument, or def when it is
 * absent; false (after replying 400) when it is something else. */
static bool
int_arg(struct srv_call *c, const char *name, long long min, long long max, long long def,
	long long *out)
{
	const char *s = srv_query(c, name);
	char *end;

	*out = def;
	if (s == NULL)
		return true;
	*out = strtoll(s, &end, 10);
	if (!*s || *end || *out < min || *out > max) {
		srv_reply_error(c->resp, 400, "bad_request", name, NULL,
				"%s: '%s' is not a whole number from %lld to %lld", name, s, min,
				max);
		return false;
	}
	return true;
}

static int
add_event(const ecms_event *ev, void *arg)
{
	json_t *arr = arg, *payload = json_loads(ev->payload, 0, NULL), *o;
	char t[ECMS_TIME_LEN];

	o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:s,s:s}", "seq", (json_int_t)ev->seq, "time",
		      ecms_time_format(ev->at_ms, t), "actor", ev->actor, "station", ev->station,
		      "type", ev->type, "payload", payload ? payload : json_null(), "prev_hash",
		      ev->prev_hash, "hash", ev->hash);
	if (o == NULL || json_array_append_new(arr, o))
		return ECMS_ENOMEM;
	return 0;
}

void
h_log(struct srv_call *c)
{
	long long since, limit;
	const char *k;
	json_t *arr, *v, *last;
	int rc;

	json_object_foreach(c->req->query, k, v)
	{
		if (strcmp(k, "since") && strcmp(k, "type") && strcmp(k, "limit")) {
			srv_reply_error(c->resp, 400, "bad_request", k, NULL,
					"unknown query argument '%s': expected since, type, limit",
					k);
			return;
		}
	}
	if (!int_arg(c, "since", 0, INT64_MAX, 0, &since) ||
	    !int_arg(c, "limit", 1, SRV_LOG_MAX_LIMIT, SRV_LOG_DEFAULT_LIMIT, &limit))
		return;
	if ((arr = json_array()) == NULL) {
		srv_reply_json(c->resp, 500, NULL);
		return;
	}
	rc = ecms_log_each(c->h, since, srv_query(c, "type"), limit, add_event, arr);
	if (rc) {
		json_decref(arr);
		if (rc == ECMS_ENOMEM)
			srv_reply_json(c->resp, 500, NULL);
		else
			srv_reply_rc(c, rc);
		return;
	}
	last = json_array_get(arr, json_array_size(arr) - 1);
	srv_reply_json(c->resp, 200,
		       json_pack("{s:o,s:I}", "events", arr, "next_since",
				 last ? json_integer_value(json_object_get(last, "seq"))
				      : (json_int_t)since));
}

void
h_audit_verify(struct srv_call *c)
{
	ecms_audit a;
	int rc;

	if (json_object_size(c->req->query)) {
		srv_reply_error(c->resp, 400, "bad_request", NULL, NULL,
				"this route takes no query arguments");
		return;
	}
	rc = ecms_audit_verify(c->h, &a);
	if (rc && rc != ECMS_ETAMPER) {
		srv_reply_rc(c, rc);
		return;
	}
	/* A chain that does not verify is an answer, not a failed request. */
	srv_reply_json(c->resp, 200,
		       json_pack("{s:b,s:I,s:I,s:s,s:o,s:o}", "verified", rc == ECMS_OK, "events",
				 (json_int_t)a.events, "head_seq", (json_int_t)a.head_seq,
				 "head_hash", a.head_hash, "first_bad_seq",
				 a.first_bad_seq ? json_integer(a.first_bad_seq) : json_null(),
				 "reason", *a.reason ? json_string(a.reason) : json_null()));
}
