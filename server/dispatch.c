/*
 * dispatch.c: the transport-independent half of `ecms serve`: checking
 * a request (authentication, route, role, CSRF, body size), running its
 * handler with a store handle, and the JSON error replies.
 *
 * Order of checks, so that a caller learns only what it may:
 *   1. anything under /api/ other than /api/v1/login needs a valid
 *      session cookie or bearer token: otherwise 401, one body for every
 *      path and method, before any routing;
 *   2. no route with this path: 404; the path but not the method: 405
 *      with Allow;
 *   3. a cookie session on an unsafe method (POST, PUT, PATCH, DELETE)
 *      needs the X-CSRF-Token header of its login (synchronizer token:
 *      the server keeps its hash with the session): otherwise 403 "csrf";
 *   4. the caller's role is not in the route's roles: 403 "denied";
 *   5. a Content-Length over the cap: 413 (before the body is read);
 *   6. then the body: over the cap 413; JSON routes: a non-JSON content
 *      type 415, malformed JSON 400 with line and column;
 *   7. customer isolation, for the customer role, from the route table:
 *      an object named by the path (route owner "KIND:PARAM") must be
 *      owned by the caller's customer, else the same 404 as for no such
 *      object; a SRV_SCOPED list reply is cut down to the caller's own
 *      rows; a route that declares neither (nor SRV_SELF) is refused.
 *      This is the only place that decides what a customer may see.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ecms/customer.h"
#include "ecms/labelprint.h"
#include "server.h"

int
srv_init(struct srv *s, const char *db, int nhandles, bool secure_cookie)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->secure_cookie = secure_cookie;
	if ((rc = srv_pool_init(&s->pool, db, nhandles)))
		return rc;
	if ((rc = srv_metrics_init(&s->metrics))) {
		srv_pool_cleanup(&s->pool);
		return rc;
	}
	return ECMS_OK;
}

void
srv_cleanup(struct srv *s)
{
	srv_pool_cleanup(&s->pool);
	srv_metrics_cleanup(&s->metrics);
	ecms_label_cleanup(); /* cairo's font caches, after the last PNG label */
}

void
srv_req_init(struct srv_req *r)
{
	memset(r, 0, sizeof(*r));
	r->content_length = -1;
	r->route = SRV_NO_ROUTE;
}

void
srv_req_add_arg(struct srv_req *r, const char *key, const char *value)
{
	char k[256], v[4096];
	json_t *j;

	if (r->query == NULL && (r->query = json_object()) == NULL)
		return;
	if (srv_pct_decode(key, strlen(key), true, k, sizeof(k)) &&
	    (value == NULL || srv_pct_decode(value, strlen(value), true, v, sizeof(v))) &&
	    (j = json_string(value ? v : "")) != NULL) {
		if (json_object_get(r->query, k) != NULL)
			json_decref(j); /* a repeated name: the first one stands */
		else if (json_object_set_new(r->query, k, j) != 0 && r->bad_arg == NULL)
			r->bad_arg = strdup(key); /* out of memory: refuse, do not drop */
		return;
	}
	if (r->bad_arg == NULL)
		r->bad_arg = strdup(key);
}

void
srv_req_cleanup(struct srv_req *r)
{
	free(r->method);
	free(r->path);
	json_decref(r->query);
	free(r->bad_arg);
	free(r->authorization);
	free(r->session_cookie);
	free(r->csrf);
	free(r->content_type);
	free(r->address);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

void
srv_resp_cleanup(struct srv_resp *r)
{
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------------
 * Replies
 * ------------------------------------------------------------------ */

/* rc -> HTTP status and error code. EINVAL is 422: the request was
 * understood but its data does not validate (syntax errors of the request
 * itself are 400). EREFUSED is 409: a business rule says no in the
 * current state of things. */
static const struct {
	int rc, status;
	const char *code;
} rc_map[] = {
	{ ECMS_EUSAGE, 400, "bad_request" },   { ECMS_EINVAL, 422, "invalid" },
	{ ECMS_ENOTFOUND, 404, "not_found" },  { ECMS_EEXIST, 409, "exists" },
	{ ECMS_ESCHEMA, 503, "schema" },       { ECMS_EREFUSED, 409, "refused" },
	{ ECMS_EDENIED, 403, "denied" },       { ECMS_EAUTH, 401, "unauthenticated" },
	{ ECMS_ETAMPER, 500, "tamper" },       { ECMS_EBUSY, 503, "busy" },
	{ ECMS_ESTORE, 500, "store" },         { ECMS_EIO, 500, "io" },
	{ ECMS_ENOMEM, 500, "out_of_memory" }, { ECMS_ENOTBUILT, 501, "not_built" },
	{ ECMS_EINTERNAL, 500, "internal" },
};

int
srv_rc_status(int rc)
{
	for (size_t i = 0; i < sizeof(rc_map) / sizeof(rc_map[0]); i++)
		if (rc_map[i].rc == rc)
			return rc_map[i].status;
	return 500;
}

const char *
srv_rc_code(int rc)
{
	for (size_t i = 0; i < sizeof(rc_map) / sizeof(rc_map[0]); i++)
		if (rc_map[i].rc == rc)
			return rc_map[i].code;
	return "internal";
}

void
srv_add_header(struct srv_resp *r, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (r->nheaders >= SRV_MAX_HEADERS)
		return;
	r->headers[r->nheaders].name = name;
	va_start(ap, fmt);
	vsnprintf(r->headers[r->nheaders].value, sizeof(r->headers[0].value), fmt, ap);
	va_end(ap);
	r->nheaders++;
}

void
srv_reply_text(struct srv_resp *r, int status, const char *ctype, char *body, size_t len)
{
	free(r->body);
	r->status = status;
	r->ctype = ctype;
	r->body = body;
	r->len = body ? len : 0;
}

void
srv_reply_empty(struct srv_resp *r, int status)
{
	srv_reply_text(r, status, NULL, NULL, 0);
}

static const char oom_body[] = "{\"error\": {\"code\": \"out_of_memory\", \"message\": "
			       "\"out of memory\", \"field\": null}}";

void
srv_reply_json(struct srv_resp *r, int status, json_t *j)
{
	char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;

	json_decref(j);
	if (text == NULL) {
		srv_reply_text(r, 500, "application/json", strdup(oom_body), strlen(oom_body));
		return;
	}
	srv_reply_text(r, status, "application/json", text, strlen(text));
}

void
srv_reply_error(struct srv_resp *r, int status, const char *code, const char *field, json_t *extra,
		const char *fmt, ...)
{
	char msg[ECMS_ERRMSG_MAX + 256];
	json_t *err;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err = json_pack("{s:s,s:s,s:o}", "code", code, "message", msg, "field",
			field && *field ? json_string(field) : json_null());
	if (err && extra)
		json_object_update(err, extra);
	json_decref(extra);
	srv_reply_json(r, status, err ? json_pack("{s:o}", "error", err) : NULL);
}

void
srv_reply_rc(struct srv_call *c, int rc)
{
	const char *m = ecms_errmsg(c->h);

	srv_reply_error(c->resp, srv_rc_status(rc), srv_rc_code(rc), ecms_errfield(c->h), NULL,
			"%s", *m ? m : ecms_strerror(rc));
	if (rc == ECMS_EBUSY)
		srv_add_header(c->resp, "Retry-After", "1");
}

/* ------------------------------------------------------------------
 * Accessors for handlers
 * ------------------------------------------------------------------ */

const char *
srv_param(const struct srv_call *c, const char *name)
{
	const struct srv_params *p = &c->req->params;

	for (int i = 0; i < p->n; i++)
		if (strcmp(p->name[i], name) == 0)
			return p->value[i];
	return "";
}

const char *
srv_query(const struct srv_call *c, const char *name)
{
	return json_string_value(json_object_get(c->req->query, name));
}

const char *
srv_body_string(struct srv_call *c, const char *field, bool required)
{
	json_t *v = json_object_get(c->body, field);

	if (c->body == NULL || !json_is_object(c->body)) {
		srv_reply_error(c->resp, 400, "bad_request", NULL, NULL,
				"the request body must be a JSON object");
		return NULL;
	}
	if (v == NULL || json_is_null(v)) {
		if (required)
			srv_reply_error(c->resp, 400, "bad_request", field, NULL,
					"the request body lacks '%s'", field);
		return NULL;
	}
	if (!json_is_string(v)) {
		srv_reply_error(c->resp, 400, "bad_request", field, NULL, "'%s' must be a string",
				field);
		return NULL;
	}
	return json_string_value(v);
}

bool
srv_body_int(struct srv_call *c, const char *field, bool required, int64_t *out)
{
	json_t *v = json_object_get(c->body, field);

	if (c->body != NULL && !json_is_object(c->body)) {
		srv_reply_error(c->resp, 400, "bad_request", NULL, NULL,
				"the request body must be a JSON object");
		return false;
	}
	if (v == NULL || json_is_null(v)) {
		if (required)
			srv_reply_error(c->resp, 400, "bad_request", field, NULL,
					"the request body lacks '%s'", field);
		return !required;
	}
	if (!json_is_integer(v)) {
		srv_reply_error(c->resp, 400, "bad_request", field, NULL,
				"'%s' must be a whole number", field);
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

static bool
listed(const char *const *names, const char *k)
{
	for (int i = 0; names && names[i]; i++)
		if (strcmp(names[i], k) == 0)
			return true;
	return false;
}

/* "a, b, c" of a NULL-terminated list, for messages. */
static void
join(const char *const *names, char *out, size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	for (int i = 0; names && names[i] && o < n; i++)
		o += (size_t)snprintf(out + o, n - o, "%s%s", i ? ", " : "", names[i]);
	if (!names || !names[0])
		snprintf(out, n, "none");
}

bool
srv_body_fields(struct srv_call *c, const char *const *fields)
{
	char expected[512];
	const char *k;
	json_t *v;

	if (c->body == NULL)
		return true;
	if (!json_is_object(c->body)) {
		srv_reply_error(c->resp, 400, "bad_request", NULL, NULL,
				"the request body must be a JSON object");
		return false;
	}
	json_object_foreach(c->body, k, v) {
		if (!listed(fields, k)) {
			join(fields, expected, sizeof(expected));
			srv_reply_error(c->resp, 400, "bad_request", k, NULL,
					"unknown member '%s' in the request body: expected %s", k,
					expected);
			return false;
		}
	}
	return true;
}

bool
srv_query_args(struct srv_call *c, const char *const *args)
{
	char expected[512];
	const char *k;
	json_t *v;

	json_object_foreach(c->req->query, k, v) {
		if (!listed(args, k)) {
			join(args, expected, sizeof(expected));
			srv_reply_error(c->resp, 400, "bad_request", k, NULL,
					"unknown query argument '%s': expected %s", k, expected);
			return false;
		}
	}
	return true;
}

void
srv_reply_result(struct srv_call *c, int rc, int status, json_t **result)
{
	if (rc) {
		json_decref(*result);
		srv_reply_rc(c, rc);
	} else {
		srv_reply_json(c->resp, status, *result);
	}
	*result = NULL;
}

/* ------------------------------------------------------------------
 * Customer isolation
 * ------------------------------------------------------------------ */

static bool
is_customer(const struct srv_req *req)
{
	return req->authed && strcmp(req->who.role, "customer") == 0;
}

/*
 * Before the handler: may this customer caller go on? Replies (and
 * returns false) when not. *scoped is set when the reply must be cut to
 * the caller's rows.
 */
static bool
customer_check(struct srv_call *c, bool *scoped)
{
	const struct srv_route *r = c->route;
	const char *mine = c->req->who.customer;

	*scoped = false;
	if ((r->flags & SRV_PUBLIC) || !is_customer(c->req))
		return true;
	if (*mine == '\0') {
		srv_reply_error(c->resp, 403, "denied", NULL, NULL,
				"this customer account is bound to no customer: ask the "
				"administrator");
		return false;
	}
	if (r->owner) {
		char kind[32], noun[32];
		size_t kl = strcspn(r->owner, ":");
		const char *id;
		char *owner = NULL;
		int rc;

		if (kl >= sizeof(kind) || r->owner[kl] != ':') {
			srv_reply_error(c->resp, 500, "internal", NULL, NULL,
					"route %s %s: bad owner '%s'", r->method, r->path,
					r->owner);
			return false;
		}
		memcpy(kind, r->owner, kl);
		kind[kl] = '\0';
		for (size_t i = 0; i <= kl; i++)
			noun[i] = kind[i] == '_' ? ' ' : kind[i];
		id = srv_param(c, r->owner + kl + 1);
		rc = ecms_owner_of(c->h, kind, id, &owner);
		if (rc == ECMS_OK && owner && strcmp(owner, mine) == 0) {
			ecms_free(owner);
			return true;
		}
		ecms_free(owner);
		if (rc != ECMS_OK && rc != ECMS_ENOTFOUND) {
			srv_reply_rc(c, rc);
			return false;
		}
		/* Someone else's, or nobody's: the answer for no such object. */
		srv_reply_error(c->resp, 404, "not_found", kind, NULL, "no %s '%s'", noun, id);
		return false;
	}
	if (r->flags & SRV_SCOPED) {
		*scoped = true;
		return true;
	}
	if (r->flags & SRV_SELF)
		return true;
	srv_reply_error(c->resp, 403, "denied", NULL, NULL,
			"%s %s declares no customer isolation: refused", r->method, r->path);
	return false;
}

/* After the handler of a SRV_SCOPED route: keep the caller's rows only.
 * Anything but a JSON array of objects is withheld (fail closed). */
static void
customer_filter(struct srv_resp *resp, const char *mine)
{
	json_t *all, *kept, *row;
	size_t i;

	if (resp->status != 200)
		return;
	all = resp->body ? json_loadb(resp->body, resp->len, 0, NULL) : NULL;
	kept = json_array();
	if (!json_is_array(all) || kept == NULL) {
		json_decref(all);
		json_decref(kept);
		srv_reply_error(resp, 500, "internal", NULL, NULL,
				"a customer-scoped reply is not a list: withheld");
		return;
	}
	json_array_foreach(all, i, row) {
		const char *owner = json_string_value(json_object_get(row, "customer"));
		if (owner && strcmp(owner, mine) == 0)
			json_array_append(kept, row);
	}
	json_decref(all);
	srv_reply_json(resp, 200, kept);
}

/* ------------------------------------------------------------------
 * Checking and dispatching
 * ------------------------------------------------------------------ */

static bool
needs_auth(const char *path)
{
	return (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0) &&
	       strcmp(path, "/api/v1/login") != 0;
}

static bool
unsafe_method(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

static void
reply_unauthenticated(struct srv_resp *resp)
{
	/* The same answer whatever the path, method or credential was. */
	srv_reply_error(resp, 401, "unauthenticated", NULL, NULL,
			"authentication required: log in (POST /api/v1/login) or send "
			"'Authorization: Bearer TOKEN'");
	srv_add_header(resp, "WWW-Authenticate", "Bearer realm=\"ecms\"");
}

static void
reply_unavailable(struct srv_resp *resp, const ecms_error *e)
{
	srv_reply_error(resp, 503, "unavailable", NULL, NULL, "the store is unavailable: %s",
			e->message);
	srv_add_header(resp, "Retry-After", "5");
}

/* Authenticate from the bearer token or else the session cookie. */
static bool
authenticate(struct srv *s, struct srv_req *req, struct srv_resp *resp)
{
	const char *a = req->authorization;
	ecms_error e = { 0 };
	ecms *h;
	int rc;

	if (a == NULL && req->session_cookie == NULL)
		return false;
	if ((rc = srv_pool_get(&s->pool, &h, &e))) {
		reply_unavailable(resp, &e);
		return true;
	}
	if (a != NULL) {
		if (strncasecmp(a, "Bearer ", 7) == 0) /* the scheme is case-insensitive */
			rc = ecms_token_check(h, a + 7, &req->who);
		else
			rc = ECMS_EAUTH;
	} else {
		rc = ecms_session_check(h, req->session_cookie, &req->who);
	}
	if (rc != ECMS_OK && rc != ECMS_EAUTH) {
		e = *ecms_lasterror(h);
		srv_pool_put(&s->pool, h);
		reply_unavailable(resp, &e);
		return true;
	}
	srv_pool_put(&s->pool, h);
	req->authed = rc == ECMS_OK;
	return false;
}

static size_t
body_cap(const struct srv_req *req)
{
	if (req->route >= 0 && (srv_routes[req->route].flags & SRV_RAW))
		return SRV_UPLOAD_MAX;
	return SRV_BODY_MAX;
}

static void
reply_too_large(struct srv_req *req, struct srv_resp *resp)
{
	srv_reply_error(resp, 413, "payload_too_large", NULL, NULL,
			"the request body is larger than %zu bytes", body_cap(req));
}

bool
srv_begin(struct srv *s, struct srv_req *req, struct srv_resp *resp)
{
	char allow[64];
	const struct srv_route *r;

	req->route = srv_route_match(req->method, req->path, &req->params, allow, sizeof(allow));
	if (needs_auth(req->path)) {
		if (authenticate(s, req, resp))
			return true;
		if (!req->authed) {
			reply_unauthenticated(resp);
			return true;
		}
	}
	if (req->route == SRV_NO_ROUTE) {
		srv_reply_error(resp, 404, "not_found", NULL, NULL, "no route %s %s", req->method,
				req->path);
		return true;
	}
	if (req->route == SRV_NO_METHOD) {
		srv_reply_error(resp, 405, "method_not_allowed", NULL, NULL,
				"%s is not allowed on %s: use %s", req->method, req->path, allow);
		srv_add_header(resp, "Allow", "%s", allow);
		return true;
	}
	r = &srv_routes[req->route];
	if (!(r->flags & SRV_PUBLIC)) {
		if (req->who.kind == ECMS_PRINCIPAL_SESSION && unsafe_method(req->method) &&
		    !ecms_session_csrf_ok(&req->who, req->csrf)) {
			srv_reply_error(resp, 403, "csrf", NULL, NULL,
					"a cookie session must send the CSRF token it got at "
					"login in the " SRV_CSRF_HEADER " header");
			return true;
		}
		if (!srv_route_allows(r, req->who.role)) {
			srv_reply_error(resp, 403, "denied", NULL, NULL, "role '%s' may not %s %s",
					req->who.role, r->method, r->path);
			return true;
		}
	}
	if (req->bad_arg) {
		srv_reply_error(resp, 400, "bad_request", req->bad_arg, NULL,
				"query argument '%s' is not percent-encoded UTF-8 text of at most "
				"4095 bytes",
				req->bad_arg);
		return true;
	}
	if (req->content_length >= 0 && (uint64_t)req->content_length > body_cap(req)) {
		reply_too_large(req, resp);
		return true;
	}
	return false;
}

void
srv_body_add(struct srv_req *req, const char *data, size_t n)
{
	size_t cap = body_cap(req);

	if (req->too_large || n == 0)
		return;
	if (req->len + n > cap) {
		req->too_large = true;
		free(req->body);
		req->body = NULL;
		req->len = req->cap = 0;
		return;
	}
	if (req->len + n + 1 > req->cap) {
		size_t nc = req->cap ? req->cap : 4096;
		char *nb;
		while (nc < req->len + n + 1)
			nc *= 2;
		if ((nb = realloc(req->body, nc)) == NULL) {
			req->too_large = true; /* cannot hold it: refuse it */
			return;
		}
		req->body = nb;
		req->cap = nc;
	}
	memcpy(req->body + req->len, data, n);
	req->len += n;
	req->body[req->len] = '\0';
}

static bool
is_json_type(const char *ct)
{
	size_t n = strlen("application/json");

	return ct && strncasecmp(ct, "application/json", n) == 0 &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Parse the body of a JSON route into *out (NULL for no body). */
static bool
parse_body(struct srv_req *req, struct srv_resp *resp, json_t **out)
{
	json_error_t je;

	*out = NULL;
	if (req->len == 0)
		return true;
	if (!is_json_type(req->content_type)) {
		srv_reply_error(resp, 415, "unsupported_media_type", NULL, NULL,
				"the request body must be JSON (Content-Type: application/json), "
				"not '%s'",
				req->content_type ? req->content_type : "(none)");
		return false;
	}
	*out = json_loadb(req->body, req->len, JSON_REJECT_DUPLICATES, &je);
	if (*out == NULL) {
		srv_reply_error(resp, 400, "bad_json", NULL,
				json_pack("{s:i,s:i,s:i}", "line", je.line, "column", je.column,
					  "position", je.position),
				"the request body is not valid JSON: %s at line %d, column %d",
				je.text, je.line, je.column);
		return false;
	}
	return true;
}

void
srv_finish(struct srv *s, struct srv_req *req, struct srv_resp *resp)
{
	const struct srv_route *r;
	struct srv_call c = { s, NULL, req, NULL, NULL, resp };
	ecms_error e = { 0 };
	bool scoped = false;
	int rc;

	if (req->route < 0 || req->route >= srv_nroutes) {
		srv_reply_error(resp, 500, "internal", NULL, NULL,
				"srv_finish on a request srv_begin did not let through");
		return;
	}
	r = c.route = &srv_routes[req->route];
	if (req->too_large) {
		reply_too_large(req, resp);
		return;
	}
	if (!(r->flags & SRV_RAW) && !parse_body(req, resp, &c.body))
		return;
	if ((rc = srv_pool_get(&s->pool, &c.h, &e))) {
		json_decref(c.body);
		reply_unavailable(resp, &e);
		return;
	}
	rc = ecms_set_actor(c.h, req->authed ? req->who.actor : NULL, SRV_STATION);
	if (rc)
		srv_reply_rc(&c, rc);
	else if (customer_check(&c, &scoped))
		r->fn(&c);
	if (scoped)
		customer_filter(resp, req->who.customer);
	if (resp->status == 0)
		srv_reply_error(resp, 500, "internal", NULL, NULL, "the handler gave no answer");
	srv_pool_put(&s->pool, c.h);
	json_decref(c.body);
}

void
srv_handle(struct srv *s, struct srv_req *req, struct srv_resp *resp)
{
	char *body = req->body;
	size_t len = req->len;

	req->body = NULL;
	req->len = req->cap = 0;
	if (srv_begin(s, req, resp)) {
		free(body);
		return;
	}
	srv_body_add(req, body, len);
	free(body);
	srv_finish(s, req, resp);
}
