/*
 * h_production.c: work orders, kitting and reordering over HTTP, the same
 * libecms calls as `ecms wo list|show`, `ecms kit`, `ecms kit pick`,
 * `ecms reorder`:
 *   GET  /api/v1/work-orders[?status=]      (customers: their own, SRV_SCOPED)
 *   GET  /api/v1/work-orders/{id}           (customers: their own, owner check)
 *   GET  /api/v1/work-orders/{id}/kit
 *   POST /api/v1/work-orders/{id}/picks {scan, to?}
 *   GET  /api/v1/reorder
 *   GET  /api/v1/work-orders/{id}/boards[?status=], /api/v1/boards/{serial}
 *        (ecms_board_list, ecms_board_get; customers: their own, owner check)
 * Customer isolation is the dispatcher's (route flags), not the handlers'.
 */
#include "ecms/board.h"
#include "ecms/production.h"
#include "server.h"

static const char *const no_args[] = { NULL };

void
h_wo_list(struct srv_call *c)
{
	static const char *const args[] = { "status", NULL };
	json_t *out = NULL;

	if (srv_query_args(c, args))
		srv_reply_result(c, ecms_wo_list(c->h, srv_query(c, "status"), &out), 200, &out);
}

void
h_wo_get(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_wo_get(c->h, srv_param(c, "id"), &out), 200, &out);
}

void
h_kit_list(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_kit_list(c->h, srv_param(c, "id"), &out), 200, &out);
}

void
h_kit_pick(struct srv_call *c)
{
	static const char *const fields[] = { "scan", "to", NULL };
	const char *scan, *to;
	json_t *out = NULL;

	if (!srv_body_fields(c, fields) || (scan = srv_body_string(c, "scan", true)) == NULL)
		return;
	to = srv_body_string(c, "to", false);
	if (to == NULL && c->resp->status)
		return;
	srv_reply_result(c, ecms_kit_pick(c->h, srv_param(c, "id"), scan, to, &out), 200, &out);
}

void
h_reorder(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_reorder(c->h, &out), 200, &out);
}

void
h_board_list(struct srv_call *c)
{
	static const char *const args[] = { "status", NULL };
	json_t *out = NULL;

	if (srv_query_args(c, args))
		srv_reply_result(
			c, ecms_board_list(c->h, srv_param(c, "id"), srv_query(c, "status"), &out),
			200, &out);
}

void
h_board_get(struct srv_call *c)
{
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_board_get(c->h, srv_param(c, "serial"), &out), 200, &out);
}
