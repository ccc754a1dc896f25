/*
 * h_receiving.c: goods-in and quarantine over HTTP, the same libecms
 * calls as `ecms po`, `ecms receive`, `ecms quarantine`, `ecms inspect`,
 * `ecms release`, `ecms reject`, `ecms package show`, `ecms label print`:
 *   GET  /api/v1/pos[?status=], /api/v1/pos/{po}
 *   POST /api/v1/receipts {po, scan, coc?, location?, station?, gs?, rs?}
 *   GET  /api/v1/quarantine
 *   GET  /api/v1/packages/{uid}, /api/v1/packages/{uid}/label?format=
 *   POST /api/v1/packages/{uid}/inspect {result, notes?}
 *   POST /api/v1/packages/{uid}/release|reject {reason, password | badge
 *        + pin, user?, location?, coc?, disposition?}
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ecms/auth.h"
#include "ecms/labelprint.h"
#include "ecms/receiving.h"
#include "ecms/session.h"
#include "ecms/station.h"
#include "server.h"

static const char *const no_args[] = { NULL };

void
h_po_list(struct srv_call *c)
{
	static const char *const args[] = { "status", NULL };
	json_t *out = NULL;

	if (srv_query_args(c, args))
		srv_reply_result(c, ecms_po_list(c->h, srv_query(c, "status"), &out), 200, &out);
}

void
h_po_get(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_po_get(c->h, srv_param(c, "po"), &out), 200, &out);
}

/* An optional one-character separator substitute; false after 400. */
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

/* An optional string member; false after 400 (present but not a string). */
static bool
opt_string(struct srv_call *c, const char *field, const char **out)
{
	*out = srv_body_string(c, field, false);
	return *out != NULL || c->resp->status == 0;
}

void
h_receive(struct srv_call *c)
{
	static const char *const fields[] = { "po",      "scan", "coc", "location",
					      "station", "gs",   "rs",  NULL };
	ecms_receive_req rq = { 0 };
	const char *station;
	json_t *out = NULL;
	int rc;

	if (!srv_body_fields(c, fields) || (rq.po = srv_body_string(c, "po", true)) == NULL ||
	    (rq.scan = srv_body_string(c, "scan", true)) == NULL ||
	    !opt_string(c, "coc", &rq.coc) || !opt_string(c, "location", &rq.location) ||
	    !opt_string(c, "station", &station) || !sub_char(c, "gs", &rq.gs_sub) ||
	    !sub_char(c, "rs", &rq.rs_sub))
		return;
	/* The scan is a JSON string: GS, RS, EOT travel as \u001d, \u001e,
	 * \u0004; a scanner that cannot send them uses the station's
	 * substitutes (ecms station), which ecms_receive applies. */
	rq.scan_len = json_string_length(json_object_get(c->body, "scan"));
	if (station && *station && (rc = ecms_set_actor(c->h, c->req->who.actor, station))) {
		srv_reply_rc(c, rc);
		return;
	}
	rc = ecms_receive(c->h, &rq, &out);
	if (rc == ECMS_OK) {
		char url[512];
		snprintf(url, sizeof(url), "/api/v1/packages/%s/label",
			 json_string_value(json_object_get(out, "uid")));
		json_object_set_new(out, "label_url", json_string(url));
	}
	srv_reply_result(c, rc, 201, &out);
}

void
h_quarantine(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_quarantine_list(c->h, &out), 200, &out);
}

void
h_package_get(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_package_get(c->h, srv_param(c, "uid"), &out), 200, &out);
}

void
h_package_label(struct srv_call *c)
{
	static const char *const args[] = { "format", NULL };
	static const char *const ctypes[] = { [ECMS_LABEL_ZPL] = "application/zpl",
					      [ECMS_LABEL_SVG] = "image/svg+xml",
					      [ECMS_LABEL_PNG] = "image/png" };
	const char *f = srv_query(c, "format");
	enum ecms_label_format fmt;
	unsigned char *data = NULL;
	size_t len = 0;
	ecms_error e;
	char *body;
	int rc;

	if (!srv_query_args(c, args))
		return;
	if (ecms_label_format_parse(f ? f : "png", &fmt, &e)) {
		srv_reply_error(c->resp, 400, "bad_request", "format", NULL, "%s", e.message);
		return;
	}
	if ((rc = ecms_print_package(c->h, srv_param(c, "uid"), fmt, &data, &len))) {
		srv_reply_rc(c, rc);
		return;
	}
	if ((body = malloc(len ? len : 1)) == NULL) {
		ecms_free(data);
		srv_reply_error(c->resp, 500, "out_of_memory", NULL, NULL, "out of memory");
		return;
	}
	memcpy(body, data, len);
	ecms_free(data);
	srv_reply_text(c->resp, 200, ctypes[fmt], body, len);
	if (fmt == ECMS_LABEL_ZPL)
		srv_add_header(c->resp, "Content-Disposition", "attachment; filename=\"%s.zpl\"",
			       srv_param(c, "uid"));
}

void
h_inspect(struct srv_call *c)
{
	static const char *const fields[] = { "result", "notes", NULL };
	const char *result, *notes, *uid = srv_param(c, "uid");
	json_t *out;
	int rc;

	if (!srv_body_fields(c, fields) || (result = srv_body_string(c, "result", true)) == NULL ||
	    !opt_string(c, "notes", &notes))
		return;
	rc = ecms_inspect(c->h, uid, result, notes);
	out = rc ? NULL : json_pack("{s:s,s:s}", "uid", uid, "result", result);
	srv_reply_result(c, rc, 200, &out);
}

/*
 * The signature of a decision: the signer re-authenticates in the request,
 * with "password", or with "badge" and "pin" (as `ecms release --user U`
 * or `--badge`). A cookie session signs as its own user: a badge must be
 * that user's. An API token names the signer in "user".
 */
bool
srv_signer(struct srv_call *c, ecms_sign *sig, char **owner)
{
	const ecms_principal *w = &c->req->who;
	const char *user, *password, *badge, *pin;
	int rc;

	*owner = NULL;
	if (!opt_string(c, "user", &user) || !opt_string(c, "password", &password) ||
	    !opt_string(c, "badge", &badge) || !opt_string(c, "pin", &pin))
		return false;
	if (w->kind == ECMS_PRINCIPAL_SESSION) {
		if (user && strcmp(user, w->name) != 0) {
			srv_reply_error(c->resp, 403, "signature", "user", NULL,
					"a decision is signed by the user logged in (%s), not %s",
					w->name, user);
			return false;
		}
		user = w->name;
	}
	if ((password != NULL) == (badge != NULL) || (badge && !pin) || (pin && !badge)) {
		srv_reply_error(c->resp, 400, "bad_request", password ? "badge" : "password", NULL,
				"sign the decision: give \"password\", or \"badge\" and \"pin\"");
		return false;
	}
	if (badge) {
		if ((rc = ecms_auth_badge_user(c->h, badge, owner))) {
			if (rc != ECMS_ENOTFOUND) {
				srv_reply_rc(c, rc);
				return false;
			}
			srv_reply_error(c->resp, 403, "signature", "badge", NULL,
					"badge %s belongs to no active user", badge);
			return false;
		}
		if (user && strcmp(user, *owner) != 0) {
			srv_reply_error(c->resp, 403, "signature", "badge", NULL,
					"badge %s does not belong to %s", badge, user);
			return false;
		}
		user = *owner;
	}
	if (user == NULL) {
		srv_reply_error(c->resp, 400, "bad_request", "user", NULL,
				"an API token must name the signer in \"user\"");
		return false;
	}
	sig->user = user;
	sig->kind = badge ? ECMS_SECRET_PIN : ECMS_SECRET_PASSWORD;
	sig->secret = badge ? pin : password;
	return true;
}

/* The secrets live in the parsed body: wipe them once used. */
void
srv_wipe_secrets(struct srv_call *c)
{
	const char *k;
	json_t *v;

	json_object_foreach(c->body, k, v) {
		if ((!strcmp(k, "password") || !strcmp(k, "pin")) && json_is_string(v))
			sodium_memzero((char *)json_string_value(v), json_string_length(v));
	}
}

void
h_decide(struct srv_call *c)
{
	static const char *const fields[] = { "reason",   "user", "password",    "badge", "pin",
					      "location", "coc",  "disposition", NULL };
	bool reject = strcmp(c->route->arg, "reject") == 0;
	const char *reason, *loc, *coc, *disp;
	ecms_sign sig = { 0 };
	char *owner = NULL;
	json_t *out = NULL;
	int64_t retry;
	int rc;

	if (!srv_body_fields(c, fields) || (reason = srv_body_string(c, "reason", true)) == NULL ||
	    !opt_string(c, "location", &loc) || !opt_string(c, "coc", &coc) ||
	    !opt_string(c, "disposition", &disp) || !srv_signer(c, &sig, &owner)) {
		free(owner);
		srv_wipe_secrets(c);
		return;
	}
	if (reject && disp == NULL) {
		free(owner);
		srv_wipe_secrets(c);
		srv_reply_error(c->resp, 400, "bad_request", "disposition", NULL,
				"a rejection needs \"disposition\": \"return\" or \"scrap\"");
		return;
	}
	/* Too many failed secrets for the signer: 429, as for logins. */
	if ((rc = ecms_secret_limit(c->h, sig.user, &retry)) == ECMS_EREFUSED) {
		free(owner);
		srv_reply_error(c->resp, 429, "rate_limited", "signature", NULL, "%s",
				ecms_errmsg(c->h));
		srv_add_header(c->resp, "Retry-After", "%lld", (long long)((retry + 999) / 1000));
		srv_wipe_secrets(c);
		return;
	}
	rc = rc ? rc
		: ecms_decide(c->h, srv_param(c, "uid"), reject ? ECMS_REJECT : ECMS_RELEASE,
			      reason, &sig, disp, loc, coc, &out);
	free(owner);
	/* A wrong password or PIN is a failed signature (logged), not a lost
	 * session: 403, so the screen asks again instead of logging out. */
	if (rc == ECMS_EAUTH)
		srv_reply_error(c->resp, 403, "signature", ecms_errfield(c->h), NULL, "%s",
				ecms_errmsg(c->h));
	else
		srv_reply_result(c, rc, 200, &out);
	srv_wipe_secrets(c);
}
