/*
 * h_msd.c: the floor-life clock of moisture-sensitive packages over HTTP,
 * the same libecms calls as `ecms msd open|seal|bake|bake-start|bake-end|
 * bake-abort|status|expiring`:
 *   GET  /api/v1/packages/{uid}/msd
 *   POST /api/v1/packages/{uid}/msd/{open,seal,bake,bake-start,bake-end,
 *        bake-abort} {hic_pct?, temp_c?, hours?, rh_pct?}  (the route's arg)
 *   GET  /api/v1/msd/expiring[?within=8h]
 * An event happens now (the store's clock). An opening with a wet HIC is
 * recorded: 200 with "usable": false and the reason, as the CLI's exit 1.
 */
#include <math.h>
#include <string.h>

#include "ecms/msdstore.h"
#include "server.h"

static const struct {
	const char *arg;
	enum ecms_msd_event_type type;
	const char *const fields[4]; /* the body members it takes */
} events[] = {
	{ "open", ECMS_MSD_EV_OPEN, { "hic_pct" } },
	{ "seal", ECMS_MSD_EV_SEAL, { NULL } },
	{ "bake", ECMS_MSD_EV_BAKE, { "temp_c", "hours", "rh_pct" } },
	{ "bake-start", ECMS_MSD_EV_BAKE_START, { "temp_c", "rh_pct" } },
	{ "bake-end", ECMS_MSD_EV_BAKE_END, { NULL } },
	{ "bake-abort", ECMS_MSD_EV_BAKE_ABORT, { NULL } },
};

/* An optional integer member in [lo, hi] into *out; false after 400. */
static bool
int_in(struct srv_call *c, const char *field, int64_t lo, int64_t hi, int32_t *out)
{
	int64_t v = INT64_MIN;

	if (!srv_body_int(c, field, false, &v))
		return false;
	if (v == INT64_MIN)
		return true;
	if (v < lo || v > hi) {
		srv_reply_error(c->resp, 400, "bad_request", field, NULL,
				"%s: %lld is out of range (%lld to %lld)", field, (long long)v,
				(long long)lo, (long long)hi);
		return false;
	}
	*out = (int32_t)v;
	return true;
}

/* "hours": a number of hours (7, 7.5) or a duration text ("450min"). */
static bool
hours_in(struct srv_call *c, int64_t *ms)
{
	json_t *v = json_object_get(c->body, "hours");

	if (json_is_number(v) && json_number_value(v) > 0 && json_number_value(v) < 24 * 365) {
		*ms = (int64_t)llround(json_number_value(v) * 3600000.0);
		return true;
	}
	if (json_is_string(v) && ecms_msd_duration_parse(json_string_value(v), ms, NULL) == 0 &&
	    *ms > 0)
		return true;
	srv_reply_error(c->resp, 400, "bad_request", "hours", NULL,
			v ? "hours: not a duration (7, 7.5, \"450min\")"
			  : "a bake needs \"hours\" (7, 7.5, \"450min\")");
	return false;
}

void
h_msd_event(struct srv_call *c)
{
	struct ecms_msd_event ev;
	json_t *st = NULL;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (strcmp(events[i].arg, c->route->arg) == 0)
			break;
	if (i == sizeof(events) / sizeof(events[0])) {
		srv_reply_error(c->resp, 500, "internal", NULL, NULL, "no MSD event '%s'",
				c->route->arg);
		return;
	}
	ecms_msd_event_init(&ev, events[i].type, ecms_now(c->h));
	if (!srv_body_fields(c, events[i].fields) || !int_in(c, "hic_pct", 0, 100, &ev.hic_pct) ||
	    !int_in(c, "rh_pct", 0, 100, &ev.rh_pct) || !int_in(c, "temp_c", 1, 400, &ev.temp_c))
		return;
	if ((ev.type == ECMS_MSD_EV_BAKE || ev.type == ECMS_MSD_EV_BAKE_START) && ev.temp_c <= 0) {
		srv_reply_error(c->resp, 400, "bad_request", "temp_c", NULL,
				"a bake needs \"temp_c\", the oven temperature in C");
		return;
	}
	if (ev.type == ECMS_MSD_EV_BAKE && !hours_in(c, &ev.duration_ms))
		return;
	rc = ecms_msd_record(c->h, srv_param(c, "uid"), &ev, &st);
	srv_reply_result(c, rc, 200, &st);
}

void
h_msd_status(struct srv_call *c)
{
	static const char *const no_args[] = { NULL };
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c,
				 ecms_msd_status(c->h, srv_param(c, "uid"), ecms_now(c->h), &out),
				 200, &out);
}

void
h_msd_expiring(struct srv_call *c)
{
	static const char *const args[] = { "within", NULL };
	const char *within = srv_query(c, "within");
	json_t *out = NULL;
	int64_t w;

	if (!srv_query_args(c, args))
		return;
	if (ecms_msd_duration_parse(within ? within : "8h", &w, NULL) != 0) {
		srv_reply_error(c->resp, 400, "bad_request", "within", NULL,
				"within: '%s' is not a duration (8h, 2d)", within);
		return;
	}
	srv_reply_result(c, ecms_msd_expiring(c->h, ecms_now(c->h), w, &out), 200, &out);
}
