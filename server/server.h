/*
 * server.h: `ecms serve`, the HTTP front end over libecms: the route
 * table, the transport-independent dispatcher, the store handle pool,
 * the metrics and the handlers (server/h_*.c).
 *
 * The path of a request: the transport (listen.c, libmicrohttpd) fills a
 * struct srv_req from the request line and headers and calls srv_begin(),
 * which authenticates, routes and checks the role, CSRF token and
 * declared body size, and may answer at once (401, 403, 404, 405, 413).
 * Otherwise the transport feeds the body to srv_body_add() and calls
 * srv_finish(), which parses a JSON body (400 with the position), takes
 * a store handle from the pool, sets the actor and runs the handler.
 * Handlers only translate: query/body to libecms arguments, the result
 * or the ecms_rc to a response. The unit tests drive srv_begin/srv_finish
 * directly, without a socket.
 */
#ifndef ECMS_SERVER_H
#define ECMS_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ecms/ecms.h"
#include "ecms/receiving.h"
#include "ecms/session.h"

/* Limits. A body over its cap is refused with 413 before it is read
 * when Content-Length says so, otherwise once it passes the cap. */
#define SRV_BODY_MAX          ((size_t)1 << 20)  /* JSON request bodies */
#define SRV_UPLOAD_MAX        ((size_t)64 << 20) /* files (SRV_RAW routes: import) */
#define SRV_SHUTDOWN_GRACE_MS 30000              /* wait for in-flight requests */
#define SRV_DEFAULT_LISTEN    "127.0.0.1:8080"
#define SRV_DEFAULT_THREADS   4
#define SRV_MAX_THREADS       64
#define SRV_LOG_DEFAULT_LIMIT 1000 /* GET /api/v1/log without ?limit */
#define SRV_LOG_MAX_LIMIT     10000

#define SRV_SESSION_COOKIE "ecms_session"
#define SRV_CSRF_HEADER    "X-CSRF-Token"
#define SRV_STATION        "api" /* the station stamped on events made over HTTP */

/* ------------------------------------------------------------------
 * Roles and routes (routes.c)
 * ------------------------------------------------------------------ */

/* The user roles (ECMS_ROLES) as bits, for the route table. */
enum {
	SRV_ADMIN = 1 << 0,
	SRV_QA = 1 << 1,
	SRV_WAREHOUSE = 1 << 2,
	SRV_OPERATOR = 1 << 3,
	SRV_VIEWER = 1 << 4,
	SRV_CUSTOMER = 1 << 5, /* the customer portal: bound to one customer */
};
/* The factory's own people, and everyone (with the customer portal). */
#define SRV_STAFF  (SRV_ADMIN | SRV_QA | SRV_WAREHOUSE | SRV_OPERATOR | SRV_VIEWER)
#define SRV_ANYONE (SRV_STAFF | SRV_CUSTOMER)

/* Role names by bit number, NULL-terminated. */
extern const char *const srv_role_names[];

/* The bit of a role name; 0 for an unknown role (allowed nowhere). */
unsigned srv_role_bit(const char *role);

enum {
	SRV_PUBLIC = 1 << 0, /* no authentication: roles are ignored */
	SRV_RAW = 1 << 1,    /* the body is a file (CSV or JSON text), not parsed */
	/* Customer isolation (a route the customer role may call must say
	 * which one applies; test_routes.c checks that):
	 *   owner "KIND:PARAM": the path parameter PARAM names an object of
	 *     KIND (ecms_owner_of); a customer caller gets 404, the same one
	 *     as for an object that does not exist, unless it owns it;
	 *   SRV_SCOPED: the reply is a JSON array of objects with a
	 *     "customer" member; a customer caller gets only its own;
	 *   SRV_SELF: the route is about the caller itself (me, logout). */
	SRV_SCOPED = 1 << 2,
	SRV_SELF = 1 << 3,
};

struct srv_call;
typedef void (*srv_handler)(struct srv_call *c);

struct srv_route {
	const char *method;  /* "GET", "POST", "DELETE" */
	const char *path;    /* "/api/v1/parts/{ipn}": {name} matches one segment */
	srv_handler fn;      /* replies through c->resp */
	unsigned roles;      /* the roles allowed (SRV_* bits) */
	unsigned flags;      /* SRV_PUBLIC, SRV_RAW */
	const char *arg;     /* for the handler (a master-data kind), or NULL */
	const char *summary; /* one line, as in docs/openapi.json */
	const char *owner;   /* "KIND:PARAM" (see SRV_SCOPED) or NULL */
};

/* The route table: the one place that says what is served, to whom. */
extern const struct srv_route srv_routes[];
extern const int srv_nroutes;

#define SRV_MAX_PARAMS 4
#define SRV_PARAM_MAX  256 /* a decoded path parameter, with its NUL */

struct srv_params {
	int n;
	char name[SRV_MAX_PARAMS][32];
	char value[SRV_MAX_PARAMS][SRV_PARAM_MAX];
};

enum { SRV_NO_ROUTE = -1, SRV_NO_METHOD = -2 };

/*
 * Find the route for method and path (the raw path, still
 * percent-encoded: each segment is decoded after it is split off, so an
 * ID may hold "%2F"). HEAD is served by GET routes. Returns the index in
 * srv_routes with p filled; SRV_NO_ROUTE when no route has this path;
 * SRV_NO_METHOD when some have it, but not with this method: allow then
 * gets the methods they have ("GET, HEAD, POST").
 */
int srv_route_match(const char *method, const char *path, struct srv_params *p, char *allow,
		    size_t allow_size);

/* Whether a caller with this role may call route r (public routes: yes).
 * Customer isolation is checked on top of this, per object. */
bool srv_route_allows(const struct srv_route *r, const char *role);

/*
 * Percent-decode n bytes of in into out (size outn, NUL-terminated);
 * with plus, '+' stands for a space (query strings). False for a bad
 * escape, an encoded NUL, or a result that does not fit.
 */
bool srv_pct_decode(const char *in, size_t n, bool plus, char *out, size_t outn);

/* ------------------------------------------------------------------
 * The store handle pool (pool.c)
 *
 * libecms handles are not thread-safe: a request takes one handle from
 * the pool for the length of one call into the dispatcher and gives it
 * back. Handles are opened on demand, at most max of them; every worker
 * thread holds at most one at a time, so max = the number of threads
 * means nobody waits. SQLite in WAL mode lets them read concurrently;
 * writers serialise on BEGIN IMMEDIATE with a busy timeout.
 * ------------------------------------------------------------------ */
struct srv_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *db;
	ecms **idle; /* max slots */
	int nidle, nopen, max;
};

/* Returns ECMS_OK or ECMS_ENOMEM. db is copied. */
int srv_pool_init(struct srv_pool *p, const char *db, int max);
void srv_pool_cleanup(struct srv_pool *p); /* closes every idle handle */

/* Take a handle (opening one if none is idle); on failure the rc, with
 * the reason in err. The actor is "system" until the caller sets one. */
int srv_pool_get(struct srv_pool *p, ecms **out, ecms_error *err);

/* Give a handle back (its actor reset). NULL is a no-op. */
void srv_pool_put(struct srv_pool *p, ecms *h);

/* ------------------------------------------------------------------
 * Metrics (metrics.c): Prometheus text format.
 * ------------------------------------------------------------------ */
#define SRV_NMETHODS  8  /* GET HEAD POST PUT PATCH DELETE OPTIONS other */
#define SRV_NSTATUSES 17 /* the statuses the server sends, and "other" */
#define SRV_NBUCKETS  11 /* latency buckets, and +Inf */

struct srv_metrics {
	pthread_mutex_t mu;
	int nroutes;      /* srv_nroutes + 1: the last counts unmatched paths */
	uint64_t *count;  /* [route][method][status] */
	uint64_t *bucket; /* [route][bucket], not cumulative */
	double *sum;      /* [route] seconds */
	uint64_t *n;      /* [route] */
};

int srv_metrics_init(struct srv_metrics *m); /* ECMS_OK or ECMS_ENOMEM */
void srv_metrics_cleanup(struct srv_metrics *m);

/* Count one answered request: route index (< 0: unmatched), method,
 * status, seconds from its first byte to its last. */
void srv_metrics_observe(struct srv_metrics *m, int route, const char *method, int status,
			 double seconds);

/* The metrics as text (caller frees with free()), with ecms_events_total
 * read through h. NULL on OOM. */
char *srv_metrics_render(struct srv_metrics *m, ecms *h, size_t *len);

/* ------------------------------------------------------------------
 * Requests, responses, dispatch (dispatch.c)
 * ------------------------------------------------------------------ */

struct srv {
	struct srv_pool pool;
	struct srv_metrics metrics;
	bool secure_cookie;  /* add "Secure" to the session cookie (behind TLS) */
	atomic_int stopping; /* set on SIGTERM: responses say Connection: close */
};

/* Returns ECMS_OK or ECMS_ENOMEM. */
int srv_init(struct srv *s, const char *db, int nhandles, bool secure_cookie);
void srv_cleanup(struct srv *s);

/* A request, filled by the transport. Strings are owned by the request
 * (srv_req_cleanup frees them). */
struct srv_req {
	char *method;
	char *path;             /* raw, percent-encoded, without the query */
	json_t *query;          /* decoded query arguments: {name: value} */
	char *bad_arg;          /* a query argument that did not decode (raw), or NULL */
	char *authorization;    /* the Authorization header, or NULL */
	char *session_cookie;   /* the ecms_session cookie, or NULL */
	char *csrf;             /* the X-CSRF-Token header, or NULL */
	char *content_type;     /* or NULL */
	char *address;          /* the client's IP address */
	int64_t content_length; /* -1 when not given */

	/* The body, collected by srv_body_add. */
	char *body;
	size_t len, cap;
	bool too_large;

	/* Set by srv_begin. */
	int route; /* index in srv_routes, or SRV_NO_ROUTE / SRV_NO_METHOD */
	struct srv_params params;
	bool authed;
	ecms_principal who;
};

void srv_req_init(struct srv_req *r);

/* Add a query argument as it came (percent-encoded, '+' for space; value
 * may be NULL). The first of a name wins. One that does not decode to
 * UTF-8 text is remembered in bad_arg, and srv_begin answers 400. */
void srv_req_add_arg(struct srv_req *r, const char *key, const char *value);
void srv_req_cleanup(struct srv_req *r);

#define SRV_MAX_HEADERS 6

/* A response, filled by srv_begin/srv_finish and the handlers. */
struct srv_resp {
	int status; /* 0 until set */
	char *body; /* malloc'd; NULL for an empty body */
	size_t len;
	const char *ctype; /* static text */
	int nheaders;
	struct {
		const char *name; /* static text */
		char value[256];
	} headers[SRV_MAX_HEADERS];
};

void srv_resp_cleanup(struct srv_resp *r);

/*
 * Check a request from its request line and headers. Returns true when
 * resp holds the final answer (401 before routing when authentication
 * is needed and missing or wrong; 404; 405 with Allow; 403 for a role
 * or CSRF refusal; 400 for a query argument that does not decode; 413
 * for a declared body over the cap; 503 when the
 * store cannot be opened); false when the body should be read and
 * srv_finish called.
 */
bool srv_begin(struct srv *s, struct srv_req *req, struct srv_resp *resp);

/* Add body bytes; past the route's cap they are dropped and the request
 * is marked too large. */
void srv_body_add(struct srv_req *req, const char *data, size_t n);

/* Answer a request srv_begin let through: 413, 400/415 for the body, or
 * the handler's response. */
void srv_finish(struct srv *s, struct srv_req *req, struct srv_resp *resp);

/* srv_begin, srv_body_add and srv_finish in one (for tests). */
void srv_handle(struct srv *s, struct srv_req *req, struct srv_resp *resp);

/* The HTTP status and the error code ("not_found") for an ecms_rc. */
int srv_rc_status(int rc);
const char *srv_rc_code(int rc);

/* What a handler gets. */
struct srv_call {
	struct srv *s;
	ecms *h; /* from the pool, actor set to the caller */
	struct srv_req *req;
	const struct srv_route *route;
	json_t *body; /* the parsed JSON body, or NULL (none, or SRV_RAW) */
	struct srv_resp *resp;
};

/* A path parameter by name ("" if absent) and a query argument (NULL). */
const char *srv_param(const struct srv_call *c, const char *name);
const char *srv_query(const struct srv_call *c, const char *name);

/* Reply with JSON (takes the reference; NULL means out of memory). */
void srv_reply_json(struct srv_resp *r, int status, json_t *j);

/* Reply with an error {"error": {"code", "message", "field"}}; field
 * may be NULL. extra (may be NULL, taken) adds members to the error. */
void srv_reply_error(struct srv_resp *r, int status, const char *code, const char *field,
		     json_t *extra, const char *fmt, ...) ECMS_PRINTF(6, 7);

/* Reply with the last error of c->h, mapped by srv_rc_status. */
void srv_reply_rc(struct srv_call *c, int rc);

/* Reply with a body (taken; malloc'd) of a content type. */
void srv_reply_text(struct srv_resp *r, int status, const char *ctype, char *body, size_t len);

/* Reply with no body. */
void srv_reply_empty(struct srv_resp *r, int status);

/* Add a header (name static); silently dropped past SRV_MAX_HEADERS. */
void srv_add_header(struct srv_resp *r, const char *name, const char *fmt, ...) ECMS_PRINTF(3, 4);

/* A required string member of a JSON object body; on failure replies
 * 400 naming the field and returns NULL. */
const char *srv_body_string(struct srv_call *c, const char *field, bool required);

/* An integer member of the body into *out (left alone when absent and not
 * required). False after replying 400 (not an integer, or required and
 * missing). */
bool srv_body_int(struct srv_call *c, const char *field, bool required, int64_t *out);

/* Refuse body members (fields) or query arguments (args) not in the
 * NULL-terminated list (NULL: none allowed): 400 naming the first one.
 * True when all are known. A body that is not a JSON object is refused
 * too (srv_body_fields only; no body at all passes). */
bool srv_body_fields(struct srv_call *c, const char *const *fields);
bool srv_query_args(struct srv_call *c, const char *const *args);

/* Reply with status and the JSON *result of a libecms call that returned
 * rc (taken; a pointer so that the call is made before it is read), or
 * with its error: the common tail of a handler. */
void srv_reply_result(struct srv_call *c, int rc, int status, json_t **result);

/* ------------------------------------------------------------------
 * Handlers (h_*.c), named in the route table.
 * ------------------------------------------------------------------ */
void h_healthz(struct srv_call *c);
void h_metrics(struct srv_call *c);
void h_login(struct srv_call *c);
void h_logout(struct srv_call *c);
void h_me(struct srv_call *c);
void h_tokens_list(struct srv_call *c);
void h_tokens_create(struct srv_call *c);
void h_tokens_revoke(struct srv_call *c);
void h_label_parse(struct srv_call *c);
void h_md_list(struct srv_call *c);
void h_md_get(struct srv_call *c);
void h_import(struct srv_call *c);
void h_log(struct srv_call *c);
void h_audit_verify(struct srv_call *c);
/* h_receiving.c */
void h_receive(struct srv_call *c);
void h_po_list(struct srv_call *c);
void h_po_get(struct srv_call *c);
void h_quarantine(struct srv_call *c);
void h_package_get(struct srv_call *c);
void h_package_label(struct srv_call *c);
void h_inspect(struct srv_call *c);
void h_decide(struct srv_call *c); /* arg "release" or "reject" */
/* The signature of a decision (a release, a recall): the signer
 * re-authenticates in the body ("password", or "badge" and "pin"; an API
 * token names the signer in "user"). False after replying. *owner (free())
 * holds the badge's user. srv_wipe_secrets clears the secrets of the body
 * once used. */
bool srv_signer(struct srv_call *c, ecms_sign *sig, char **owner);
void srv_wipe_secrets(struct srv_call *c);
/* h_warehouse.c */
void h_move(struct srv_call *c);
void h_split(struct srv_call *c);
void h_count(struct srv_call *c);
void h_scrap(struct srv_call *c);
void h_stock(struct srv_call *c);
void h_alerts(struct srv_call *c);
/* h_production.c */
void h_wo_list(struct srv_call *c);
void h_wo_get(struct srv_call *c);
void h_kit_list(struct srv_call *c);
void h_kit_pick(struct srv_call *c);
void h_reorder(struct srv_call *c);
void h_board_list(struct srv_call *c);
void h_board_get(struct srv_call *c);
/* h_msd.c */
void h_msd_status(struct srv_call *c);
void h_msd_event(struct srv_call *c); /* arg: open, seal, bake, bake-start, ... */
void h_msd_expiring(struct srv_call *c);
/* h_setup.c */
void h_program_import(struct srv_call *c);
void h_program_list(struct srv_call *c);
void h_program_get(struct srv_call *c);
void h_setup_activate(struct srv_call *c);
void h_setup_load(struct srv_call *c); /* arg "load" or "splice" */
void h_setup_verify(struct srv_call *c);
void h_setup_unload(struct srv_call *c);
void h_setup_show(struct srv_call *c);
void h_setup_check(struct srv_call *c);
void h_setup_refusals(struct srv_call *c);
/* h_cfx.c */
void h_cfx_ingest(struct srv_call *c);
void h_cfx_rejected(struct srv_call *c);
void h_cfx_faults(struct srv_call *c);
/* h_trace.c */
void h_trace_board(struct srv_call *c);
void h_trace_forward(struct srv_call *c); /* arg: lot, reel, datecode, supplier, coc */
void h_recall_preview(struct srv_call *c);
void h_recall_apply(struct srv_call *c);
void h_recall_list(struct srv_call *c);
void h_recall_get(struct srv_call *c);
void h_recall_notice_csv(struct srv_call *c);
void h_recall_notices(struct srv_call *c);
void h_ship(struct srv_call *c);
void h_shipment_get(struct srv_call *c);
void h_rework(struct srv_call *c);
/* h_report.c: arg certificate, package, compliance-wo, compliance-board, recall */
void h_report(struct srv_call *c);
/* h_web.c: the web UI (server/web/, embedded at build time) */
void h_web(struct srv_call *c);

/* The embedded web UI files (generated by tools/embed_web.sh). */
struct srv_web_file {
	const char *name; /* "index.html" */
	const char *ctype;
	const unsigned char *data;
	size_t len;
};
extern const struct srv_web_file srv_web_files[];
extern const int srv_web_nfiles;

/* ------------------------------------------------------------------
 * The daemon (listen.c)
 * ------------------------------------------------------------------ */
struct srv_config {
	const char *listen; /* "ADDR:PORT" or "[V6ADDR]:PORT"; port 0 picks one */
	const char *db;
	int threads;
	bool secure_cookie;
};

/*
 * Serve until SIGTERM or SIGINT, then stop accepting, let in-flight
 * requests finish (up to SRV_SHUTDOWN_GRACE_MS), close and return
 * ECMS_OK. Prints "listening on http://ADDR:PORT" to stdout once ready.
 * Errors (bad address, store does not open, port in use) are printed to
 * stderr and returned as an ecms_rc.
 */
int srv_serve(const struct srv_config *cfg);

#endif
