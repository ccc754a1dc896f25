/*
 * h_health.c: GET /healthz (the store opens and answers) and GET /metrics
 * (Prometheus text). Both are public: they say nothing about the data.
 */
#include <stdlib.h>

#include "ecms/event.h"
#include "server.h"

void
h_healthz(struct srv_call *c)
{
	char hash[65];
	int64_t seq;
	int rc = ecms_log_head(c->h, &seq, hash);

	if (rc) {
		srv_reply_error(c->resp, 503, "unavailable", NULL, NULL,
				"the store does not answer: %s", ecms_errmsg(c->h));
		return;
	}
	srv_reply_json(c->resp, 200,
		       json_pack("{s:s,s:s,s:i,s:I}", "status", "ok", "version", ECMS_VERSION,
				 "schema", ecms_schema_version(), "events", (json_int_t)seq));
}

void
h_metrics(struct srv_call *c)
{
	size_t len;
	char *text = srv_metrics_render(&c->s->metrics, c->h, &len);

	if (text == NULL) {
		srv_reply_error(c->resp, 500, "out_of_memory", NULL, NULL, "out of memory");
		return;
	}
	srv_reply_text(c->resp, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}
