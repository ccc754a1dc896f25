/*
 * h_warehouse.c: storage over HTTP, the same libecms calls as `ecms move`,
 * `split`, `count`, `scrap`, `stock`, `alerts`:
 *   POST /api/v1/moves {package, location}       (two scans)
 *   POST /api/v1/packages/{uid}/split {qty}
 *   POST /api/v1/packages/{uid}/count {remaining, loss?}
 *   POST /api/v1/packages/{uid}/scrap {reason}
 *   GET  /api/v1/stock[?ipn=&location=]
 *   GET  /api/v1/alerts[?days=&quarantine_days=&msd_hours=]
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ecms/warehouse.h"
#include "server.h"

void
h_move(struct srv_call *c)
{
	static const char *const fields[] = { "package", "location", NULL };
	const char *pkg, *loc;
	json_t *out = NULL;

	if (!srv_body_fields(c, fields) || (pkg = srv_body_string(c, "package", true)) == NULL ||
	    (loc = srv_body_string(c, "location", true)) == NULL)
		return;
	srv_reply_result(c, ecms_move(c->h, pkg, loc, &out), 200, &out);
}

void
h_split(struct srv_call *c)
{
	static const char *const fields[] = { "qty", NULL };
	json_t *out = NULL;
	int64_t qty;

	if (!srv_body_fields(c, fields) || !srv_body_int(c, "qty", true, &qty))
		return;
	srv_reply_result(c, ecms_split(c->h, srv_param(c, "uid"), qty, &out), 201, &out);
}

void
h_count(struct srv_call *c)
{
	static const char *const fields[] = { "remaining", "loss", NULL };
	json_t *out = NULL, *loss;
	int64_t n;

	if (!srv_body_fields(c, fields) || !srv_body_int(c, "remaining", true, &n))
		return;
	loss = json_object_get(c->body, "loss");
	if (loss && !json_is_boolean(loss)) {
		srv_reply_error(c->resp, 400, "bad_request", "loss", NULL,
				"'loss' must be true or false");
		return;
	}
	if (n < 0) {
		srv_reply_error(c->resp, 400, "bad_request", "remaining", NULL,
				"'remaining' must not be negative");
		return;
	}
	srv_reply_result(c,
			 ecms_count(c->h, srv_param(c, "uid"), n,
				    json_is_true(loss) ? "loss" : "consumed", &out),
			 200, &out);
}

void
h_scrap(struct srv_call *c)
{
	static const char *const fields[] = { "reason", NULL };
	const char *reason, *uid = srv_param(c, "uid");
	json_t *out;
	int rc;

	if (!srv_body_fields(c, fields) || (reason = srv_body_string(c, "reason", true)) == NULL)
		return;
	rc = ecms_scrap(c->h, uid, reason);
	out = rc ? NULL : json_pack("{s:s,s:s}", "uid", uid, "status", "scrapped");
	srv_reply_result(c, rc, 200, &out);
}

void
h_stock(struct srv_call *c)
{
	static const char *const args[] = { "ipn", "location", NULL };
	json_t *out = NULL;

	if (srv_query_args(c, args))
		srv_reply_result(
			c, ecms_stock(c->h, srv_query(c, "ipn"), srv_query(c, "location"), &out),
			200, &out);
}

/* An optional whole-number query argument in [1, max]; false after 400. */
static bool
query_count(struct srv_call *c, const char *name, long max, int *out)
{
	const char *s = srv_query(c, name);
	char *end;
	long v;

	if (s == NULL)
		return true;
	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < 1 || v > max) {
		srv_reply_error(c->resp, 400, "bad_request", name, NULL,
				"%s: '%s' is not a whole number from 1 to %ld", name, s, max);
		return false;
	}
	*out = (int)v;
	return true;
}

void
h_alerts(struct srv_call *c)
{
	static const char *const args[] = { "days", "quarantine_days", "msd_hours", NULL };
	ecms_alert_opts o = { 0 };
	json_t *out = NULL;

	if (!srv_query_args(c, args) || !query_count(c, "days", 3650, &o.expiring_days) ||
	    !query_count(c, "quarantine_days", 3650, &o.quarantine_days) ||
	    !query_count(c, "msd_hours", 24 * 365, &o.msd_hours))
		return;
	srv_reply_result(c, ecms_alerts(c->h, &o, &out), 200, &out);
}
