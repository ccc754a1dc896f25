/*
 * h_cfx.c: CFX ingestion over HTTP, the same libecms calls as `ecms cfx
 * ingest|rejected|faults`:
 *   POST /api/v1/cfx           the body: one CFX envelope, a JSON array of
 *                              envelopes, NDJSON, or gzip of any of them
 *                              (docs/cfx.md); the reply is the ingest report
 *   GET  /api/v1/cfx/rejected  the rejections kept, oldest first
 *   GET  /api/v1/cfx/faults[?machine=]
 * Rejected messages do not fail the request: they are counted and listed
 * in the report (200), as `ecms cfx ingest` reports them.
 */
#include "ecms/cfxingest.h"
#include "server.h"

void
h_cfx_ingest(struct srv_call *c)
{
	static const char *const no_args[] = { NULL };
	struct ecms_cfx_ingest_report rep;
	json_t *out = NULL;
	int rc;

	if (!srv_query_args(c, no_args))
		return;
	if (c->req->len == 0) {
		srv_reply_error(c->resp, 400, "bad_request", NULL, NULL,
				"the request body is empty: send CFX envelopes (JSON, a JSON "
				"array, NDJSON, or gzip of them)");
		return;
	}
	ecms_cfx_report_init(&rep);
	rc = ecms_cfx_ingest_buf(c->h, c->req->body, c->req->len, "http", &rep);
	if (rc == ECMS_OK && (out = ecms_cfx_report_json(&rep)) == NULL)
		rc = ECMS_ENOMEM;
	ecms_cfx_report_cleanup(&rep);
	srv_reply_result(c, rc, 200, &out);
}

void
h_cfx_rejected(struct srv_call *c)
{
	static const char *const no_args[] = { NULL };
	json_t *out = NULL;

	if (srv_query_args(c, no_args))
		srv_reply_result(c, ecms_cfx_rejected(c->h, &out), 200, &out);
}

void
h_cfx_faults(struct srv_call *c)
{
	static const char *const args[] = { "machine", NULL };
	json_t *out = NULL;

	if (srv_query_args(c, args))
		srv_reply_result(c, ecms_cfx_faults(c->h, srv_query(c, "machine"), &out), 200,
				 &out);
}
