/*
 * h_label.c: POST /api/v1/labels/parse {scan, station?, gs?, rs?}: read a
 * supplier-label scan (ecms_label_parse), as `ecms label parse --json`.
 * The scan is a JSON string, so GS, RS and EOT travel as \u001d, \u001e,
 * \u0004. A station's stored scanner settings apply first; gs and rs
 * (one character each) override them.
 */
#include <stdlib.h>
#include <string.h>

#include "ecms/label.h"
#include "ecms/station.h"
#include "server.h"

/* One separator substitute from the body; false after replying 400. */
static bool
sub_char(struct srv_call *c, const char *field, char *out)
{
	const char *v = srv_body_string(c, field, false);

	if (v == NULL)
		return c->resp->status == 0;
	if (strlen(v) != 1) {
		srv_reply_error(c->resp, 400, "bad_request", field, NULL,
				"%s: '%s' is not a single character", field, v);
		return false;
	}
	*out = v[0];
	return true;
}

void
h_label_parse(struct srv_call *c)
{
	const char *scan, *station;
	ecms_label_opts lo = { 0, 0 };
	ecms_label *l = NULL;
	ecms_error err;
	char *text = NULL;
	int rc;

	if ((scan = srv_body_string(c, "scan", true)) == NULL)
		return;
	station = srv_body_string(c, "station", false);
	if (station == NULL && c->resp->status)
		return;
	if (station && (rc = ecms_station_opts(c->h, station, &lo))) {
		srv_reply_rc(c, rc);
		return;
	}
	if (!sub_char(c, "gs", &lo.gs_sub) || !sub_char(c, "rs", &lo.rs_sub))
		return;
	ecms_error_clear(&err);
	rc = ecms_label_parse(scan, json_string_length(json_object_get(c->body, "scan")), &lo, &l,
			      &err);
	if (rc) {
		srv_reply_error(c->resp, srv_rc_status(rc), srv_rc_code(rc), err.field, NULL, "%s",
				err.message[0] ? err.message : ecms_strerror(rc));
		return;
	}
	rc = ecms_label_to_json(l, true, &text);
	ecms_label_free(l);
	if (rc) {
		srv_reply_error(c->resp, 500, "out_of_memory", NULL, NULL, "out of memory");
		return;
	}
	srv_reply_text(c->resp, 200, "application/json", strdup(text), strlen(text));
	ecms_free(text);
}
