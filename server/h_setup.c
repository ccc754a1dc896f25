/*
 * h_setup.c: placement programs and the feeder setup interlock over HTTP,
 * the same libecms calls as `ecms import program`, `ecms program list|
 * show`, `ecms setup program|load|splice|unload|check|show|refused`:
 *   POST /api/v1/programs[?complete=yes]      CSV text (the import file)
 *   GET  /api/v1/programs[?machine=], /api/v1/programs/{program}[?machine=]
 *   POST /api/v1/machines/{machine}/program   {program, work_order?}
 *   POST /api/v1/machines/{machine}/setup/load   {slot, reel}
 *   POST /api/v1/machines/{machine}/setup/splice {slot, reel, grey?}
 *   POST /api/v1/machines/{machine}/setup/unload {slot}
 *   POST /api/v1/machines/{machine}/setup/verify {slot, reel}
 *   GET  /api/v1/machines/{machine}/setup, .../setup/check
 *   GET  /api/v1/setup/refusals[?machine=]
 * A load or splice answers the verdict: 200 {decision: "GO", ...}, or for
 * a NO-GO (refused by the interlock, recorded as a refusal) 409 with the
 * error and the verdict in error.verdict, as the CLI's exit 1. A verify
 * is the question without the load (a handheld's pre-check): the same
 * verdict, GO or NO-GO, always 200, and nothing is recorded.
 */
#include <string.h>

#include "ecms/setup.h"
#include "server.h"

static const char *const no_args[] = { NULL };
static const char *const machine_arg[] = { "machine", NULL };

/* The import report's errors as [line...]. */
static json_t *
error_lines(const ecms_import_report *rep)
{
	json_t *arr = json_array();
	const char *p = rep->errors;

	while (arr && p && *p) {
		size_t n = strcspn(p, "\n");
		json_array_append_new(arr, json_stringn(p, n));
		p += n + (p[n] == '\n');
	}
	return arr;
}

void
h_program_import(struct srv_call *c)
{
	static const char *const args[] = { "complete", NULL };
	const char *complete = srv_query(c, "complete");
	ecms_import_report rep;
	json_t *summary = NULL;
	unsigned flags = 0;
	int rc;

	if (!srv_query_args(c, args))
		return;
	if (complete && strcmp(complete, "yes") != 0 && strcmp(complete, "no") != 0) {
		srv_reply_error(c->resp, 400, "bad_request", "complete", NULL,
				"complete: '%s': expected yes or no", complete);
		return;
	}
	if (complete && !strcmp(complete, "yes"))
		flags |= ECMS_PROGRAM_COMPLETE;
	if (c->req->len == 0) {
		srv_reply_error(c->resp, 400, "bad_request", NULL, NULL,
				"the request body is empty: send the placement program CSV "
				"(product,rev,side,machine,program,slot,ipn,refdes)");
		return;
	}
	rc = ecms_program_import_text(c->h, "body", c->req->body, c->req->len, flags, &summary,
				      &rep);
	if (rc && rep.nerrors) {
		json_t *extra =
			json_pack("{s:o,s:i}", "errors", error_lines(&rep), "nerrors", rep.nerrors);
		json_decref(summary);
		srv_reply_error(c->resp, srv_rc_status(rc), srv_rc_code(rc), ecms_errfield(c->h),
				extra, "%s", ecms_errmsg(c->h));
	} else {
		srv_reply_result(c, rc, 200, &summary);
	}
	ecms_import_report_cleanup(&rep);
}

void
h_program_list(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, machine_arg))
		srv_reply_result(c, ecms_program_list(c->h, srv_query(c, "machine"), &out), 200,
				 &out);
}

void
h_program_get(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, machine_arg))
		srv_reply_result(c,
				 ecms_program_show(c->h, srv_query(c, "machine"),
						   srv_param(c, "program"), &out),
				 200, &out);
}

void
h_setup_activate(struct srv_call *c)
{
	static const char *const fields[] = { "program", "work_order", NULL };
	const char *machine = srv_param(c, "machine"), *program, *wo;
	json_t *out;
	int rc;

	if (!srv_body_fields(c, fields) || (program = srv_body_string(c, "program", true)) == NULL)
		return;
	wo = srv_body_string(c, "work_order", false);
	if (wo == NULL && c->resp->status)
		return;
	rc = ecms_setup_activate(c->h, machine, program, wo);
	out = rc ? NULL
		 : json_pack("{s:s,s:s,s:s?}", "machine", machine, "program", program, "work_order",
			     wo);
	srv_reply_result(c, rc, 200, &out);
}

/* The answer to a load or splice: GO 200, NO-GO 409 with the verdict. */
static void
reply_verdict(struct srv_call *c, int rc, const struct ecms_setup_verdict *v)
{
	json_t *j;

	if (rc != ECMS_OK && rc != ECMS_EREFUSED) {
		srv_reply_rc(c, rc);
		return;
	}
	j = ecms_setup_verdict_json(v);
	if (rc == ECMS_OK) {
		srv_reply_json(c->resp, 200, j);
		return;
	}
	srv_reply_error(c->resp, 409, "refused", "reel",
			j ? json_pack("{s:o}", "verdict", j) : NULL, "NO-GO: %s", v->message);
}

void
h_setup_load(struct srv_call *c)
{
	static const char *const fields[] = { "slot", "reel", "grey", NULL };
	bool splice = strcmp(c->route->arg, "splice") == 0;
	struct ecms_setup_verdict v;
	const char *slot, *reel;
	int64_t grey = 0;
	int rc;

	if (!srv_body_fields(c, fields) || (slot = srv_body_string(c, "slot", true)) == NULL ||
	    (reel = srv_body_string(c, "reel", true)) == NULL ||
	    !srv_body_int(c, "grey", false, &grey))
		return;
	if (!splice && json_object_get(c->body, "grey")) {
		srv_reply_error(c->resp, 400, "bad_request", "grey", NULL,
				"\"grey\" (parts of the grey zone) goes with a splice, not a load");
		return;
	}
	if (grey < 0 || grey > 1000000) {
		srv_reply_error(c->resp, 400, "bad_request", "grey", NULL,
				"grey: %lld is not a number of parts (0 to 1000000)",
				(long long)grey);
		return;
	}
	memset(&v, 0, sizeof(v));
	rc = splice ? ecms_setup_splice(c->h, srv_param(c, "machine"), slot, reel, grey, &v)
		    : ecms_setup_load(c->h, srv_param(c, "machine"), slot, reel, &v);
	reply_verdict(c, rc, &v);
}

/* Would the reel be GO on the slot now? ecms_setup_verify: reads only, no
 * event, no refusal row; a NO-GO is an answer too (200, decision "NO-GO"). */
void
h_setup_verify(struct srv_call *c)
{
	static const char *const fields[] = { "slot", "reel", NULL };
	struct ecms_setup_verdict v;
	const char *slot, *reel;
	int rc;

	if (!srv_body_fields(c, fields) || (slot = srv_body_string(c, "slot", true)) == NULL ||
	    (reel = srv_body_string(c, "reel", true)) == NULL)
		return;
	memset(&v, 0, sizeof(v));
	rc = ecms_setup_verify(c->h, srv_param(c, "machine"), slot, reel, &v);
	if (rc)
		srv_reply_rc(c, rc);
	else
		srv_reply_json(c->resp, 200, ecms_setup_verdict_json(&v));
}

void
h_setup_unload(struct srv_call *c)
{
	static const char *const fields[] = { "slot", NULL };
	const char *machine = srv_param(c, "machine"), *slot;
	char *uid = NULL;
	json_t *out;
	int rc;

	if (!srv_body_fields(c, fields) || (slot = srv_body_string(c, "slot", true)) == NULL)
		return;
	rc = ecms_setup_unload(c->h, machine, slot, &uid);
	out = rc ? NULL : json_pack("{s:s,s:s,s:s?}", "machine", machine, "slot", slot, "uid", uid);
	ecms_free(uid);
	srv_reply_result(c, rc, 200, &out);
}

void
h_setup_show(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_setup_show(c->h, srv_param(c, "machine"), &out), 200,
				 &out);
}

void
h_setup_check(struct srv_call *c)
{
	json_t *out = NULL;

	/* A setup that is not OK is still an answer: 200 with "ok": false. */
	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_setup_check(c->h, srv_param(c, "machine"), &out), 200,
				 &out);
}

void
h_setup_refusals(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, machine_arg))
		srv_reply_result(c, ecms_setup_refusals(c->h, srv_query(c, "machine"), &out), 200,
				 &out);
}
