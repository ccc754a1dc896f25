/*
 * h_trace.c: traceability over HTTP, the same libecms calls as `ecms
 * trace`, `ecms recall`, `ecms ship` and `ecms rework`:
 *   GET  /api/v1/boards/{serial}/trace         backward (customers: their own)
 *   GET  /api/v1/trace/lot?lot=&mpn=           forward traces (route arg: the kind)
 *   GET  /api/v1/trace/reel/{uid}
 *   GET  /api/v1/trace/datecode?mpn=&from=&to=
 *   GET  /api/v1/trace/supplier/{supplier}?from=&to=
 *   GET  /api/v1/trace/coc/{coc}
 *   GET  /api/v1/recalls/preview?lot=&mpn=     changes nothing
 *   POST /api/v1/recalls {lot, mpn?, reason, password | badge+pin, user?}
 *                                              applied, signed (qa)
 *   GET  /api/v1/recalls, /api/v1/recalls/{id}, /api/v1/recalls/{id}/notice (CSV)
 *   GET  /api/v1/recall-notices                per recall and customer
 *                                              (customers: their own rows)
 *   POST /api/v1/shipments {customer, serials? | work_order?, reference?}
 *   GET  /api/v1/shipments/{id}
 *   POST /api/v1/boards/{serial}/rework {refdes, reel, reason, user?}
 */
#include <stdlib.h>
#include <string.h>

#include "ecms/auth.h"
#include "ecms/recall.h"
#include "ecms/ship.h"
#include "ecms/trace.h"
#include "server.h"

static const char *const no_args[] = { NULL };

void
h_trace_board(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_trace_board(c->h, srv_param(c, "serial"), &out), 200,
				 &out);
}

/* A required query argument; 400 naming it when absent. */
static const char *
need_arg(struct srv_call *c, const char *name)
{
	const char *v = srv_query(c, name);

	if (v == NULL || *v == '\0')
		srv_reply_error(c->resp, 400, "bad_request", name, NULL,
				"the query argument '%s' is required", name);
	return v && *v ? v : NULL;
}

void
h_trace_forward(struct srv_call *c)
{
	static const char *const lot_args[] = { "lot", "mpn", NULL };
	static const char *const dc_args[] = { "mpn", "from", "to", NULL };
	static const char *const window[] = { "from", "to", NULL };
	const char *kind = c->route->arg;
	ecms_trace_scope sc = { 0 };
	json_t *out = NULL;

	if (!strcmp(kind, "lot")) {
		if (!srv_query_args(c, lot_args) || !(sc.lot = need_arg(c, "lot")))
			return;
		sc.kind = ECMS_TRACE_LOT;
		sc.mpn = srv_query(c, "mpn");
	} else if (!strcmp(kind, "reel")) {
		if (!srv_query_args(c, no_args))
			return;
		sc.kind = ECMS_TRACE_REEL;
		sc.uid = srv_param(c, "uid");
	} else if (!strcmp(kind, "datecode")) {
		if (!srv_query_args(c, dc_args) || !(sc.mpn = need_arg(c, "mpn")) ||
		    !(sc.from = need_arg(c, "from")) || !(sc.to = need_arg(c, "to")))
			return;
		sc.kind = ECMS_TRACE_DATECODE;
	} else if (!strcmp(kind, "supplier")) {
		if (!srv_query_args(c, window) || !(sc.from = need_arg(c, "from")) ||
		    !(sc.to = need_arg(c, "to")))
			return;
		sc.kind = ECMS_TRACE_SUPPLIER;
		sc.supplier = srv_param(c, "supplier");
	} else {
		if (!srv_query_args(c, no_args))
			return;
		sc.kind = ECMS_TRACE_COC;
		sc.coc = srv_param(c, "coc");
	}
	srv_reply_result(c, ecms_trace_forward(c->h, &sc, &out), 200, &out);
}

void
h_recall_preview(struct srv_call *c)
{
	static const char *const args[] = { "lot", "mpn", NULL };
	const char *lot;
	json_t *out = NULL;

	if (srv_query_args(c, args) && (lot = need_arg(c, "lot")) != NULL)
		srv_reply_result(c, ecms_recall_preview(c->h, lot, srv_query(c, "mpn"), &out), 200,
				 &out);
}

void
h_recall_apply(struct srv_call *c)
{
	static const char *const fields[] = { "lot",      "mpn",   "reason", "user",
					      "password", "badge", "pin",    NULL };
	const char *lot, *mpn, *reason;
	ecms_sign sig = { 0 };
	char *owner = NULL;
	json_t *out = NULL;
	int64_t retry;
	int rc;

	if (!srv_body_fields(c, fields) || (lot = srv_body_string(c, "lot", true)) == NULL ||
	    (reason = srv_body_string(c, "reason", true)) == NULL) {
		srv_wipe_secrets(c);
		return;
	}
	mpn = srv_body_string(c, "mpn", false);
	if ((mpn == NULL && c->resp->status) || !srv_signer(c, &sig, &owner)) {
		free(owner);
		srv_wipe_secrets(c);
		return;
	}
	/* Too many failed secrets for the signer: 429, as for a release. */
	if ((rc = ecms_secret_limit(c->h, sig.user, &retry)) == ECMS_EREFUSED) {
		free(owner);
		srv_reply_error(c->resp, 429, "rate_limited", "signature", NULL, "%s",
				ecms_errmsg(c->h));
		srv_add_header(c->resp, "Retry-After", "%lld", (long long)((retry + 999) / 1000));
		srv_wipe_secrets(c);
		return;
	}
	rc = rc ? rc : ecms_recall_apply(c->h, lot, mpn, reason, &sig, &out);
	free(owner);
	/* A wrong secret is a failed (logged) signature: 403, ask again. */
	if (rc == ECMS_EAUTH)
		srv_reply_error(c->resp, 403, "signature", ecms_errfield(c->h), NULL, "%s",
				ecms_errmsg(c->h));
	else
		srv_reply_result(c, rc, 201, &out);
	srv_wipe_secrets(c);
}

void
h_recall_list(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_recall_list(c->h, &out), 200, &out);
}

void
h_recall_get(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_recall_get(c->h, srv_param(c, "id"), &out), 200, &out);
}

void
h_recall_notice_csv(struct srv_call *c)
{
	const char *id = srv_param(c, "id");
	json_t *r = NULL;
	char *text = NULL, *body;
	size_t len;
	int rc;

	if (!srv_query_args(c, no_args))
		return;
	if ((rc = ecms_recall_get(c->h, id, &r)) == ECMS_OK)
		rc = ecms_recall_csv(r, &text);
	json_decref(r);
	if (rc) {
		srv_reply_rc(c, rc);
		return;
	}
	len = strlen(text);
	if ((body = malloc(len + 1)) == NULL) {
		ecms_free(text);
		srv_reply_error(c->resp, 500, "out_of_memory", NULL, NULL, "out of memory");
		return;
	}
	memcpy(body, text, len + 1);
	ecms_free(text);
	srv_reply_text(c->resp, 200, "text/csv; charset=utf-8", body, len);
	srv_add_header(c->resp, "Content-Disposition", "attachment; filename=\"%s.csv\"", id);
}

void
h_recall_notices(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_recall_notices(c->h, &out), 200, &out);
}

void
h_ship(struct srv_call *c)
{
	static const char *const fields[] = { "customer", "serials", "work_order", "reference",
					      NULL };
	ecms_ship_req rq = { 0 };
	json_t *serials, *v, *out = NULL;
	const char **list = NULL;
	size_t i;

	if (!srv_body_fields(c, fields) ||
	    (rq.customer = srv_body_string(c, "customer", true)) == NULL)
		return;
	rq.work_order = srv_body_string(c, "work_order", false);
	if (rq.work_order == NULL && c->resp->status)
		return;
	rq.reference = srv_body_string(c, "reference", false);
	if (rq.reference == NULL && c->resp->status)
		return;
	serials = json_object_get(c->body, "serials");
	if (serials && (!json_is_array(serials) || json_array_size(serials) == 0)) {
		srv_reply_error(c->resp, 400, "bad_request", "serials", NULL,
				"\"serials\" must be a non-empty array of board serials");
		return;
	}
	if ((serials != NULL) == (rq.work_order != NULL)) {
		srv_reply_error(c->resp, 400, "bad_request", "serials", NULL,
				"ship either \"serials\" or a \"work_order\"");
		return;
	}
	if (serials) {
		if ((list = calloc(json_array_size(serials), sizeof(*list))) == NULL) {
			srv_reply_error(c->resp, 500, "out_of_memory", NULL, NULL, "out of memory");
			return;
		}
		json_array_foreach(serials, i, v) {
			if (!json_is_string(v)) {
				free(list);
				srv_reply_error(c->resp, 400, "bad_request", "serials", NULL,
						"serials[%zu] is not a string", i);
				return;
			}
			list[i] = json_string_value(v);
		}
		rq.serials = list;
		rq.nserials = json_array_size(serials);
	}
	srv_reply_result(c, ecms_ship(c->h, &rq, &out), 201, &out);
	free(list);
}

void
h_shipment_get(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_shipment_get(c->h, srv_param(c, "id"), &out), 200, &out);
}

void
h_rework(struct srv_call *c)
{
	static const char *const fields[] = { "refdes", "reel", "reason", "user", NULL };
	const ecms_principal *w = &c->req->who;
	const char *refdes, *reel, *reason, *user;
	json_t *out = NULL;

	if (!srv_body_fields(c, fields) || (refdes = srv_body_string(c, "refdes", true)) == NULL ||
	    (reel = srv_body_string(c, "reel", true)) == NULL ||
	    (reason = srv_body_string(c, "reason", true)) == NULL)
		return;
	user = srv_body_string(c, "user", false);
	if (user == NULL && c->resp->status)
		return;
	/* A cookie session reworks as its user; an API token names the user. */
	if (w->kind == ECMS_PRINCIPAL_SESSION) {
		if (user && strcmp(user, w->name) != 0) {
			srv_reply_error(c->resp, 403, "denied", "user", NULL,
					"the rework is done by the user logged in (%s), not %s",
					w->name, user);
			return;
		}
		user = w->name;
	} else if (user == NULL) {
		srv_reply_error(c->resp, 400, "bad_request", "user", NULL,
				"an API token must name who did the rework in \"user\"");
		return;
	}
	srv_reply_result(
		c,
		ecms_trace_rework(c->h, srv_param(c, "serial"), refdes, reel, user, reason, &out),
		200, &out);
}
