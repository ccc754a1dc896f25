/*
 * h_master.c: master data over HTTP: GET /api/v1/<kind>s[?filter=] and
 * GET /api/v1/<kind>s/{id} for parts, manufacturers, suppliers,
 * locations and users (the kind is the route's arg), and
 * POST /api/v1/import/{kind} with a CSV or JSON file as the body.
 */
#include <string.h>

#include "ecms/master.h"
#include "server.h"

/* The query argument that filters a list of each kind (ecms_md_list). */
static const struct {
	const char *kind, *filter;
} filters[] = {
	{ "part", "category" }, { "supplier", "status" }, { "location", "parent" },
	{ "user", "role" },     { "manufacturer", NULL },
};

/* Refuse query arguments the route does not know; true if all known. */
static bool
known_args(struct srv_call *c, const char *allowed)
{
	const char *k;
	json_t *v;

	json_object_foreach(c->req->query, k, v)
	{
		if (allowed == NULL || strcmp(k, allowed) != 0) {
			srv_reply_error(c->resp, 400, "bad_request", k, NULL,
					"unknown query argument '%s'%s%s", k,
					allowed ? ": expected " : "", allowed ? allowed : "");
			return false;
		}
	}
	return true;
}

void
h_md_list(struct srv_call *c)
{
	const char *filter = NULL;
	json_t *arr;
	int rc;

	for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		if (strcmp(filters[i].kind, c->route->arg) == 0)
			filter = filters[i].filter;
	if (!known_args(c, filter))
		return;
	rc = ecms_md_list(c->h, c->route->arg, filter ? srv_query(c, filter) : NULL, &arr);
	if (rc)
		srv_reply_rc(c, rc);
	else
		srv_reply_json(c->resp, 200, arr);
}

void
h_md_get(struct srv_call *c)
{
	json_t *obj;
	int rc;

	if (!known_args(c, NULL))
		return;
	/* The route has one parameter, whatever its name. */
	rc = ecms_md_get(c->h, c->route->arg, c->req->params.value[0], &obj);
	if (rc)
		srv_reply_rc(c, rc);
	else
		srv_reply_json(c->resp, 200, obj);
}

/* The report's error lines as a JSON array of strings. */
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
h_import(struct srv_call *c)
{
	const char *kind = srv_param(c, "kind");
	ecms_import_report rep;
	int rc;

	if (!known_args(c, NULL))
		return;
	if (c->req->len == 0) {
		srv_reply_error(c->resp, 400, "bad_request", NULL, NULL,
				"the request body is empty: send the file (CSV with a header "
				"line, or a JSON array of objects)");
		return;
	}
	rc = ecms_import_text(c->h, kind, "body", c->req->body, c->req->len, &rep);
	if (rc && rep.nerrors) {
		json_t *extra =
			json_pack("{s:o,s:i}", "errors", error_lines(&rep), "nerrors", rep.nerrors);
		srv_reply_error(c->resp, srv_rc_status(rc), srv_rc_code(rc), ecms_errfield(c->h),
				extra, "%s", ecms_errmsg(c->h));
	} else if (rc) {
		srv_reply_rc(c, rc);
	} else {
		srv_reply_json(c->resp, 200,
			       json_pack("{s:s,s:i,s:i,s:i,s:i}", "kind", kind, "records",
					 rep.records, "created", rep.created, "updated",
					 rep.updated, "unchanged", rep.unchanged));
	}
	ecms_import_report_cleanup(&rep);
}
