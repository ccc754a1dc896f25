/*
 * test_server.c: the dispatcher of `ecms serve` (server/dispatch.c and
 * the handlers), driven in-process without a socket: 401 before routing,
 * every route with every role against the route table, sessions and
 * CSRF, API tokens, the error replies, actor attribution, the login rate
 * limit and the metrics. tests/integration/serve.sh does the same over
 * real HTTP.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "testutil.h"
#include "ecms/auth.h"
#include "ecms/board.h"
#include "ecms/genealogy.h"
#include "ecms/master.h"
#include "ecms/production.h"
#include "ecms/session.h"
#include "server/server.h"

static struct srv S;
/* API tokens, one per role, in srv_role_names order. */
static char tokens[5][ECMS_API_TOKEN_LEN + 1];
static char bearer[5][ECMS_API_TOKEN_LEN + 8];

static const char users_csv[] = "id,name,role,customer\n"
				"ada,Ada Admin,admin,\n"
				"quinn,Quinn Quality,qa,\n"
				"wes,Wes Receiving,warehouse,\n"
				"otto,Otto Operator,operator,\n"
				"vic,Vic Viewer,viewer,\n"
				"quincy,Quincy Quality,qa,\n"
				"cora,Cora at Medico,customer,MEDICO\n"
				"alex,Alex at Acme,customer,ACME-CORP\n";
/* The customer portal: a cookie session of cora (customers have no
 * tokens), refreshed by login(). */
static char cust_cookie[ECMS_SESSION_TOKEN_LEN + 1], cust_csrf[ECMS_SESSION_TOKEN_LEN + 1];

static int
setup(void **state)
{
	ecms *h = tu_open_store("server.db");
	char *path = tu_path("server.db");
	ecms_import_report rep;
	int64_t id;

	assert_int_equal(ecms_import_text(h, "users", "u", users_csv, strlen(users_csv), &rep), 0);
	ecms_import_report_cleanup(&rep);
	assert_int_equal(ecms_auth_set(h, "ada", ECMS_SECRET_PASSWORD, "correct horse"), 0);
	assert_int_equal(ecms_auth_set(h, "cora", ECMS_SECRET_PASSWORD, "medico pass"), 0);
	assert_int_equal(ecms_auth_set(h, "alex", ECMS_SECRET_PASSWORD, "acme pass 1"), 0);
	assert_int_equal(ecms_auth_set(h, "quinn", ECMS_SECRET_PASSWORD, "quality first"), 0);
	assert_int_equal(ecms_auth_set(h, "quincy", ECMS_SECRET_PASSWORD, "second signer"), 0);
	/* Goods-in: the receiving test data (tests/data/recv), quinn's PIN. */
	{
		static const char *const kinds[] = { "parts", "suppliers", "locations", "users",
						     "po" };
		for (size_t k = 0; k < 5; k++) {
			char file[64];
			snprintf(file, sizeof(file), "tests/data/recv/%s.csv", kinds[k]);
			if (ecms_import(h, kinds[k], file, &rep) != ECMS_OK)
				fail_msg("%s: %s", file, ecms_errmsg(h));
			ecms_import_report_cleanup(&rep);
		}
		assert_int_equal(ecms_auth_set(h, "quinn", ECMS_SECRET_PIN, "4711"), 0);
		assert_int_equal(
			ecms_import_text(h, "locations", "l", "id,name,kind\nL1,Line 1,line_side\n",
					 strlen("id,name,kind\nL1,Line 1,line_side\n"), &rep),
			0);
		ecms_import_report_cleanup(&rep);
	}
	/* Work orders of two customers and one for stock. */
	{
		static const char parts[] = "ipn,description,category,aml,msl\n"
					    "C1,cap,capacitor,GRM1@Murata,1\n";
		char *bom =
			tu_write_file("srvbom.csv", "Reference,Value,Qty,MPN\nC1,100n,1,GRM1\n");
		static const char po[] = "po,supplier,order_date,line,ipn,qty\n"
					 "PO-5001,DIGIKEY,2026-01-05,1,C1,20000\n";
		assert_int_equal(ecms_import_text(h, "parts", "p", parts, strlen(parts), &rep), 0);
		ecms_import_report_cleanup(&rep);
		assert_int_equal(ecms_import_text(h, "po", "po", po, strlen(po), &rep), 0);
		ecms_import_report_cleanup(&rep);
		assert_int_equal(ecms_set_actor(h, "ada", "test"), 0);
		assert_int_equal(ecms_bom_import(h, "HM", "A", bom, &rep), 0);
		ecms_import_report_cleanup(&rep);
		free(bom);
		assert_int_equal(ecms_wo_create(h, &(ecms_wo_new){ "WO-2001", "HM", "A", 10, NULL,
								   "MEDICO", NULL }),
				 0);
		assert_int_equal(ecms_wo_create(h, &(ecms_wo_new){ "WO-2002", "HM", "A", 20, NULL,
								   "ACME-CORP", NULL }),
				 0);
		assert_int_equal(ecms_wo_create(h, &(ecms_wo_new){ "WO-2003", "HM", "A", 30, NULL,
								   NULL, NULL }),
				 0);
		/* Two boards each: WO-2001-00001, ... */
		for (int w = 1; w <= 3; w++) {
			char wo[32];
			json_t *b;
			snprintf(wo, sizeof(wo), "WO-200%d", w);
			assert_int_equal(ecms_board_allocate(h, wo, 2, 0, &b), 0);
			json_decref(b);
		}
	}
	for (int i = 0; i < 5; i++) { /* the staff roles: customers have no tokens */
		char name[32];
		snprintf(name, sizeof(name), "%s-tok", srv_role_names[i]);
		assert_int_equal(ecms_token_create(h, name, srv_role_names[i], 0, &id, tokens[i]),
				 0);
		snprintf(bearer[i], sizeof(bearer[i]), "Bearer %s", tokens[i]);
	}
	ecms_close(h);
	assert_int_equal(srv_init(&S, path, 2, false), 0);
	free(path);
	return 0;
}

static int
teardown(void **state)
{
	srv_cleanup(&S);
	return 0;
}

/* One request. */
struct rq {
	const char *method, *path;
	const char *auth, *cookie, *csrf, *ctype, *body, *addr;
	json_t *query; /* taken */
	int64_t clen;  /* Content-Length; 0: strlen(body) when there is one */
};

struct rs {
	struct srv_resp resp;
	json_t *json; /* the body, when JSON */
	int status;
};

static char *
sdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int
run(struct rq q, struct rs *out)
{
	struct srv_req req;

	srv_req_init(&req);
	req.method = sdup(q.method);
	req.path = sdup(q.path);
	req.query = q.query ? q.query : json_object();
	req.authorization = sdup(q.auth);
	req.session_cookie = sdup(q.cookie);
	req.csrf = sdup(q.csrf);
	req.content_type = sdup(q.body && !q.ctype ? "application/json" : q.ctype);
	req.address = sdup(q.addr ? q.addr : "127.0.0.1");
	if (q.body) {
		req.body = sdup(q.body);
		req.len = req.cap = strlen(q.body);
		req.content_length = q.clen ? q.clen : (int64_t)req.len;
	} else if (q.clen) {
		req.content_length = q.clen;
	}
	memset(out, 0, sizeof(*out));
	srv_handle(&S, &req, &out->resp);
	out->status = out->resp.status;
	if (out->resp.body && out->resp.ctype && !strcmp(out->resp.ctype, "application/json"))
		out->json = json_loadb(out->resp.body, out->resp.len, 0, NULL);
	srv_req_cleanup(&req);
	return out->status;
}

static void
done(struct rs *r)
{
	json_decref(r->json);
	srv_resp_cleanup(&r->resp);
}

static const char *
header(const struct rs *r, const char *name)
{
	for (int i = 0; i < r->resp.nheaders; i++)
		if (!strcasecmp(r->resp.headers[i].name, name))
			return r->resp.headers[i].value;
	return NULL;
}

static const char *
err_code(const struct rs *r)
{
	return json_string_value(json_object_get(json_object_get(r->json, "error"), "code"));
}

static const char *
jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void
test_anonymous(void **state)
{
	struct rq qs[] = {
		{ "GET", "/api/v1/parts" },
		{ "GET", "/api/v1/users/ada" },
		{ "GET", "/api/v1/no-such-thing" },
		{ "DELETE", "/api/v1/tokens/1" },
		{ "PUT", "/api/v1/parts" },
		{ "POST", "/api/v1/import/parts", .body = "ipn\n", .ctype = "text/csv" },
		{ "GET", "/api/v1/me", .auth = "Bearer ecms_0000" },
		{ "GET", "/api/v1/me", .auth = "Basic YWRhOmNvcnJlY3QgaG9yc2U=" },
		{ "GET", "/api/v1/me",
		  .cookie = "0123456789abcdef0123456789abcdef0123456789abcdef"
			    "0123456789abcdef" },
		{ "GET", "/api/v2/anything" },
		{ "GET", "/api" },
	};
	struct rs first, r;

	run(qs[0], &first);
	assert_int_equal(first.status, 401);
	assert_string_equal(err_code(&first), "unauthenticated");
	assert_string_equal(header(&first, "WWW-Authenticate"), "Bearer realm=\"ecms\"");
	for (size_t i = 1; i < sizeof(qs) / sizeof(qs[0]); i++) {
		run(qs[i], &r);
		if (r.status != 401 || r.resp.len != first.resp.len ||
		    memcmp(r.resp.body, first.resp.body, r.resp.len) != 0)
			fail_msg("%s %s: %d, not the same 401", qs[i].method, qs[i].path, r.status);
		done(&r);
	}
	done(&first);
	/* Public routes, and paths outside /api/. */
	assert_int_equal(run((struct rq){ "GET", "/healthz" }, &r), 200);
	assert_string_equal(jstr(r.json, "status"), "ok");
	done(&r);
	assert_int_equal(run((struct rq){ "GET", "/metrics" }, &r), 200);
	assert_non_null(strstr(r.resp.body, "ecms_events_total "));
	done(&r);
	assert_int_equal(run((struct rq){ "GET", "/index.html" }, &r), 404);
	done(&r);
	assert_int_equal(run((struct rq){ "GET", "/api/v1/login" }, &r), 405);
	assert_string_equal(header(&r, "Allow"), "POST");
	done(&r);
}

/* A concrete path for a pattern: every {param} becomes "none-such"
 * ("999999" for numeric IDs). */
static void
concrete(const char *pat, char *out, size_t n)
{
	size_t o = 0;

	for (const char *p = pat; *p && o + 10 < n;) {
		if (*p == '{') {
			const char *v = strncmp(p, "{id}", 4) == 0 && strstr(pat, "tokens")
						? "999999"
						: "none-such";
			o += (size_t)snprintf(out + o, n - o, "%s", v);
			p = strchr(p, '}') + 1;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

/* Log in as user (a cookie session) into cookie and csrf. */
static void
login_as(const char *user, const char *password, char *cookie, char *csrf)
{
	char body[160];
	struct rs r;

	snprintf(body, sizeof(body), "{\"user\": \"%s\", \"password\": \"%s\"}", user, password);
	if (run((struct rq){ "POST", "/api/v1/login", .body = body }, &r) != 200)
		fail_msg("login %s: %d", user, r.status);
	snprintf(cookie, ECMS_SESSION_TOKEN_LEN + 1, "%.*s", ECMS_SESSION_TOKEN_LEN,
		 header(&r, "Set-Cookie") + strlen(SRV_SESSION_COOKIE "="));
	snprintf(csrf, ECMS_SESSION_TOKEN_LEN + 1, "%s", jstr(r.json, "csrf_token"));
	done(&r);
}

/* One request as role k (-1: anonymous; the customer role: cora's
 * cookie session, with its CSRF token). */
static void
run_as(int k, const char *method, const char *path, const char *body, struct rs *rs)
{
	bool cust = k >= 0 && !strcmp(srv_role_names[k], "customer");

	run((struct rq){ method, path, .auth = k < 0 || cust ? NULL : bearer[k],
			 .cookie = cust ? cust_cookie : NULL, .csrf = cust ? cust_csrf : NULL,
			 .body = body },
	    rs);
	if (cust && !strcmp(path, "/api/v1/logout") && rs->status == 204)
		login_as("cora", "medico pass", cust_cookie, cust_csrf);
}

/* A reel of part C1 (GRM1) for PO-5001, lot lot: accepted. UID into uid. */
static void
receive_c1(const char *lot, char *uid, size_t n)
{
	char body[512];
	struct rs r;

	snprintf(
		body, sizeof(body),
		"{\"po\": \"PO-5001\", \"station\": \"DOCK-9\", \"scan\": \"[)>\\u001e06\\u001d1PGRM1\\u001d1VMurata"
		"\\u001dQ5000\\u001d1T%s\\u001d9D2550\\u001e\\u0004\"}",
		lot);
	if (run((struct rq){ "POST", "/api/v1/receipts", .auth = bearer[2], .body = body }, &r) !=
	    201)
		fail_msg("receive: %d %.*s", r.status, (int)r.resp.len, r.resp.body);
	if (strcmp(jstr(r.json, "status"), "accepted") != 0)
		fail_msg("receive %s: %.*s", lot, (int)r.resp.len, r.resp.body);
	snprintf(uid, n, "%s", jstr(r.json, "uid"));
	done(&r);
}

/*
 * The line over HTTP: a placement program imported, a changeover, a reel
 * loaded (GO) and wrong ones refused (NO-GO, 409 with the verdict), the
 * setup check; three boards built with the reel (one per customer and one
 * for stock); their traces, forward and backward; a recall previewed,
 * refused with a wrong password and applied signed; the notices per
 * customer; CFX ingestion of something that is not CFX (rejected, listed).
 * test_customer_isolation then enumerates all of it as a customer.
 */
static void
test_line(void **state)
{
	static const char program[] = "product,rev,side,machine,program,slot,ipn,refdes\n"
				      "HM,A,top,M1,HM-A-TOP,S1,C1,C1\n";
	const char *adm = bearer[0], *qa = bearer[1], *op = bearer[3], *view = bearer[4];
	char uid[32], uid2[32], body[512], path[160], rc_id[32];
	char *db = tu_path("server.db");
	struct rs r;
	ecms *h;

	receive_c1("LOT-X1", uid, sizeof(uid));
	receive_c1("LOT-X2", uid2, sizeof(uid2));
	/* The program: CSV text; a bad one changes nothing and names the line. */
	run((struct rq){ "POST", "/api/v1/programs", .auth = adm, .ctype = "text/csv",
			 .body = "product,rev,side,machine,program,slot,ipn,refdes\n"
				 "HM,A,top,M1,HM-A-TOP,S1,C1,C99\n" },
	    &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.resp.body, "body:2"));
	done(&r);
	run((struct rq){ "POST", "/api/v1/programs", .auth = op, .ctype = "text/csv",
			 .body = program },
	    &r);
	assert_int_equal(r.status, 403);
	done(&r);
	run((struct rq){ "POST", "/api/v1/programs", .auth = adm, .ctype = "text/csv",
			 .body = program },
	    &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(json_array_get(json_object_get(r.json, "programs"), 0), "change"),
			    "created");
	done(&r);
	run((struct rq){ "POST", "/api/v1/machines/M1/program", .auth = op,
			 .body = "{\"program\": \"HM-A-TOP\", \"work_order\": \"WO-2001\"}" },
	    &r);
	assert_int_equal(r.status, 200);
	done(&r);
	/* GO, then NO-GO for a slot the program does not use and for a reel
	 * already loaded elsewhere. */
	snprintf(body, sizeof(body), "{\"slot\": \"S1\", \"reel\": \"%s\"}", uid);
	run((struct rq){ "POST", "/api/v1/machines/M1/setup/load", .auth = op, .body = body }, &r);
	if (r.status != 200)
		fail_msg("load: %d %.*s", r.status, (int)r.resp.len, r.resp.body);
	assert_string_equal(jstr(r.json, "decision"), "GO");
	assert_string_equal(jstr(r.json, "uid"), uid);
	done(&r);
	snprintf(body, sizeof(body), "{\"slot\": \"S7\", \"reel\": \"%s\"}", uid2);
	run((struct rq){ "POST", "/api/v1/machines/M1/setup/load", .auth = op, .body = body }, &r);
	assert_int_equal(r.status, 409);
	assert_string_equal(err_code(&r), "refused");
	{
		json_t *v = json_object_get(json_object_get(r.json, "error"), "verdict");
		assert_string_equal(jstr(v, "decision"), "NO-GO");
		assert_true(strlen(jstr(v, "message")) > 10);
	}
	done(&r);
	run((struct rq){ "POST", "/api/v1/machines/M1/setup/splice", .auth = op,
			 .body = "{\"slot\": \"S1\", \"reel\": \"XU-NOPE\", \"grey\": -1}" },
	    &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "grey");
	done(&r);
	/* The same questions read-only: 200 either way, nothing recorded (one
	 * refusal below, the load's). */
	run((struct rq){ "POST", "/api/v1/machines/M1/setup/verify", .auth = view, .body = body },
	    &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "decision"), "NO-GO");
	assert_string_equal(jstr(r.json, "code"), "slot_not_in_program");
	assert_false(json_is_true(json_object_get(r.json, "recorded")));
	done(&r);
	snprintf(body, sizeof(body), "{\"slot\": \"S1\", \"reel\": \"%s\"}", uid);
	run((struct rq){ "POST", "/api/v1/machines/M1/setup/verify", .auth = op, .body = body },
	    &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "code"), "already_loaded");
	done(&r);
	run((struct rq){ "GET", "/api/v1/setup/refusals", .auth = view }, &r);
	assert_int_equal(json_array_size(r.json), 1);
	assert_string_equal(jstr(json_array_get(r.json, 0), "slot"), "S7");
	done(&r);
	run((struct rq){ "GET", "/api/v1/machines/M1/setup/check", .auth = view }, &r);
	assert_int_equal(r.status, 200);
	assert_true(json_is_true(json_object_get(r.json, "ok")));
	done(&r);
	/* Three boards through M1 with the reel on S1. */
	assert_int_equal(ecms_open(db, 0, &h), 0);
	assert_int_equal(ecms_set_actor(h, "otto", "test"), 0);
	for (int w = 1; w <= 3; w++) {
		char serial[48], wo[24];
		int64_t t = ecms_now(h) + 1000 * w;
		snprintf(wo, sizeof(wo), "WO-200%d", w);
		snprintf(serial, sizeof(serial), "%s-00001", wo);
		assert_int_equal(ecms_gen_board_pass(h, serial, wo, "M1", "HM-A-TOP", t, t + 500),
				 0);
	}
	ecms_close(h);
	free(db);
	/* Backward: the board's C1 came from the reel of LOT-X1. */
	run((struct rq){ "GET", "/api/v1/boards/WO-2002-00001/trace", .auth = view }, &r);
	assert_int_equal(r.status, 200);
	{
		json_t *c = json_array_get(json_object_get(r.json, "components"), 0);
		assert_string_equal(jstr(c, "refdes"), "C1");
		assert_string_equal(jstr(c, "uid"), uid);
		assert_string_equal(jstr(c, "lot"), "LOT-X1");
	}
	done(&r);
	/* Forward: the lot and the reel reach all three boards. */
	run((struct rq){ "GET", "/api/v1/trace/lot", .auth = view,
			 .query = json_pack("{s:s}", "lot", "LOT-X1") },
	    &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "count")), 3);
	done(&r);
	snprintf(path, sizeof(path), "/api/v1/trace/reel/%s", uid);
	run((struct rq){ "GET", path, .auth = view }, &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "count")), 3);
	done(&r);
	run((struct rq){ "GET", "/api/v1/trace/lot", .auth = view }, &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "lot");
	done(&r);
	run((struct rq){ "GET", "/api/v1/trace/datecode", .auth = view,
			 .query = json_pack("{s:s,s:s,s:s}", "mpn", "GRM1", "from", "2501", "to",
					    "2552") },
	    &r);
	assert_int_equal(json_integer_value(json_object_get(r.json, "count")), 3);
	done(&r);
	/* The recall: preview; apply refused with a wrong password (logged),
	 * then signed. */
	run((struct rq){ "GET", "/api/v1/recalls/preview", .auth = qa,
			 .query = json_pack("{s:s}", "lot", "LOT-X1") },
	    &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "count")), 3);
	assert_true(json_is_null(json_object_get(r.json, "id")));
	done(&r);
	run((struct rq){ "POST", "/api/v1/recalls", .auth = qa,
			 .body = "{\"lot\": \"LOT-X1\", \"reason\": \"supplier notice SN-7\", "
				 "\"user\": \"quinn\", \"password\": \"wrong one\"}" },
	    &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(err_code(&r), "signature");
	done(&r);
	run((struct rq){ "POST", "/api/v1/recalls", .auth = qa,
			 .body = "{\"lot\": \"LOT-X1\", \"reason\": \"supplier notice SN-7\"}" },
	    &r);
	assert_int_equal(r.status, 400); /* a token names the signer */
	done(&r);
	run((struct rq){ "POST", "/api/v1/recalls", .auth = qa,
			 .body = "{\"lot\": \"LOT-X1\", \"reason\": \"supplier notice SN-7\", "
				 "\"user\": \"quinn\", \"password\": \"quality first\"}" },
	    &r);
	if (r.status != 201)
		fail_msg("recall: %d %.*s", r.status, (int)r.resp.len, r.resp.body);
	snprintf(rc_id, sizeof(rc_id), "%s", jstr(r.json, "id"));
	assert_int_equal(strncmp(rc_id, "RC-", 3), 0);
	assert_int_equal(json_integer_value(json_object_get(r.json, "boards_held")), 3);
	done(&r);
	/* Held: the reel is refused on the line now, where it is. */
	snprintf(body, sizeof(body), "{\"slot\": \"S1\", \"reel\": \"%s\"}", uid);
	run((struct rq){ "POST", "/api/v1/machines/M1/setup/load", .auth = op, .body = body }, &r);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(jstr(json_object_get(r.json, "error"), "message"), "NO-GO"));
	done(&r);
	run((struct rq){ "POST", "/api/v1/machines/M9/setup/unload", .auth = op,
			 .body = "{\"slot\": \"S1\"}" },
	    &r);
	assert_int_equal(r.status, 404);
	done(&r);
	snprintf(path, sizeof(path), "/api/v1/recalls/%s/notice", rc_id);
	run((struct rq){ "GET", path, .auth = qa }, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.resp.ctype, "text/csv; charset=utf-8");
	assert_non_null(strstr(r.resp.body, "WO-2002-00001"));
	done(&r);
	/* Shipping: a board on hold (and not completed) refuses the shipment. */
	run((struct rq){ "POST", "/api/v1/shipments", .auth = bearer[2],
			 .body = "{\"customer\": \"MEDICO\", \"serials\": [\"WO-2001-00001\"]}" },
	    &r);
	assert_int_equal(r.status, 409);
	assert_string_equal(err_code(&r), "refused");
	done(&r);
	run((struct rq){ "POST", "/api/v1/shipments", .auth = bearer[2],
			 .body = "{\"customer\": \"MEDICO\", \"serials\": [\"WO-2001-00001\"], "
				 "\"work_order\": \"WO-2001\"}" },
	    &r);
	assert_int_equal(r.status, 400);
	done(&r);
	/* Rework: C1 of the MEDICO board from the other lot's reel, by otto. */
	snprintf(body, sizeof(body),
		 "{\"refdes\": \"C1\", \"reel\": \"%s\", \"reason\": \"tombstoned at AOI\"}", uid2);
	run((struct rq){ "POST", "/api/v1/boards/WO-2001-00001/rework", .auth = op, .body = body },
	    &r);
	assert_int_equal(r.status, 400); /* a token names who did it */
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "user");
	done(&r);
	snprintf(body, sizeof(body),
		 "{\"refdes\": \"C1\", \"reel\": \"%s\", \"reason\": \"tombstoned at AOI\", "
		 "\"user\": \"otto\"}",
		 uid2);
	run((struct rq){ "POST", "/api/v1/boards/WO-2001-00001/rework", .auth = op, .body = body },
	    &r);
	if (r.status != 200)
		fail_msg("rework: %d %.*s", r.status, (int)r.resp.len, r.resp.body);
	assert_string_equal(jstr(r.json, "new"), uid2);
	done(&r);
	run((struct rq){ "GET", "/api/v1/boards/WO-2001-00001/trace", .auth = view }, &r);
	assert_int_equal(json_array_size(json_object_get(r.json, "rework")), 1);
	assert_string_equal(jstr(json_array_get(json_object_get(r.json, "components"), 0), "lot"),
			    "LOT-X2");
	done(&r);
	/* The notices: one row per recall and known customer. */
	run((struct rq){ "GET", "/api/v1/recall-notices", .auth = view }, &r);
	assert_int_equal(json_array_size(r.json), 2);
	done(&r);
	/* CFX: what is not CFX is rejected and kept, the request succeeds. */
	run((struct rq){ "POST", "/api/v1/cfx", .auth = op, .ctype = "application/json",
			 .body = "{\"MessageName\": \"CFX.Nothing\"}\n" },
	    &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "rejected")), 1);
	done(&r);
	/* The same line gzip-compressed: read as gzip, the rejection kept once. */
	{
		static const char line[] = "{\"MessageName\": \"CFX.Nothing\"}\n";
		unsigned char gz[256];
		z_stream zs = { 0 };
		struct srv_req req;

		assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
				 Z_OK);
		zs.next_in = (unsigned char *)line;
		zs.avail_in = sizeof(line) - 1;
		zs.next_out = gz;
		zs.avail_out = sizeof(gz);
		assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
		srv_req_init(&req);
		req.method = strdup("POST");
		req.path = strdup("/api/v1/cfx");
		req.query = json_object();
		req.authorization = strdup(op);
		req.content_type = strdup("application/gzip");
		req.address = strdup("127.0.0.1");
		req.body = malloc(zs.total_out + 1);
		memcpy(req.body, gz, zs.total_out);
		req.len = req.cap = zs.total_out;
		req.content_length = (int64_t)zs.total_out;
		deflateEnd(&zs);
		memset(&r, 0, sizeof(r));
		srv_handle(&S, &req, &r.resp);
		srv_req_cleanup(&req);
		assert_int_equal(r.resp.status, 200);
		r.json = json_loadb(r.resp.body, r.resp.len, 0, NULL);
		assert_true(json_is_true(json_object_get(r.json, "gzip")));
		assert_int_equal(json_integer_value(json_object_get(r.json, "rejected")), 1);
		done(&r);
	}
	run((struct rq){ "GET", "/api/v1/cfx/rejected", .auth = view }, &r);
	assert_int_equal(json_array_size(r.json), 1);
	assert_string_equal(jstr(json_array_get(r.json, 0), "origin"), "http");
	done(&r);
}

static void
test_every_route_every_role(void **state)
{
	int checked = 0, nroles = 0;

	while (srv_role_names[nroles])
		nroles++;
	assert_int_equal(nroles, 6);
	login_as("cora", "medico pass", cust_cookie, cust_csrf);
	for (int i = 0; i < srv_nroutes; i++) {
		const struct srv_route *r = &srv_routes[i];
		char path[256];
		concrete(r->path, path, sizeof(path));
		/* -1: anonymous; then every role. */
		for (int k = -1; k < nroles; k++) {
			struct rs rs;
			const char *who = k < 0 ? "anonymous" : srv_role_names[k];
			bool allowed =
				(r->flags & SRV_PUBLIC) || (k >= 0 && (r->roles & (1u << k)));
			run_as(k, r->method, path, NULL, &rs);
			if (allowed && (rs.status == 401 || rs.status == 403 || rs.status >= 500))
				fail_msg("%s %s as %s: %d, expected it allowed: %.*s", r->method,
					 path, who, rs.status, (int)rs.resp.len,
					 rs.resp.body ? rs.resp.body : "");
			if (!allowed && k < 0 && rs.status != 401)
				fail_msg("%s %s as %s: %d, expected 401", r->method, path, who,
					 rs.status);
			if (!allowed && k >= 0 &&
			    (rs.status != 403 || strcmp(err_code(&rs), "denied") != 0))
				fail_msg("%s %s as %s: %d, expected 403 denied", r->method, path,
					 who, rs.status);
			done(&rs);
			checked++;
		}
	}
	assert_int_equal(checked, srv_nroutes * (nroles + 1));
}

/* A concrete path for a pattern with every {param} = id. */
static void
with_id(const char *pat, const char *id, char *out, size_t n)
{
	size_t o = 0;

	for (const char *p = pat; *p && o + strlen(id) + 2 < n;) {
		if (*p == '{') {
			o += (size_t)snprintf(out + o, n - o, "%s", id);
			p = strchr(p, '}') + 1;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

/* The body of an answer with every occurrence of id as "{ID}" (free()). */
static char *
normalise(const struct rs *r, const char *id)
{
	size_t il = strlen(id), n = 0;
	const char *b = r->resp.body ? r->resp.body : "";
	char *out = malloc(r->resp.len + 1 + 4 * (r->resp.len / (il ? il : 1) + 1));

	for (size_t i = 0; i < r->resp.len;) {
		if (il && i + il <= r->resp.len && memcmp(b + i, id, il) == 0) {
			memcpy(out + n, "{ID}", 4);
			n += 4;
			i += il;
		} else {
			out[n++] = b[i++];
		}
	}
	out[n] = '\0';
	return out;
}

/*
 * The customer portal, by enumeration: cora (MEDICO) tries every route
 * with every method, and as every path parameter the IDs of her own work
 * order, another customer's, one for stock, and one that does not exist.
 * She sees her own work order, and nothing whatever of the others: not in
 * a list, not by ID, not in an error message; another customer's work
 * order is answered exactly as one that does not exist.
 */
static void
test_customer_isolation(void **state)
{
	static const char *const ids[] = { "WO-2001", "WO-2002", "WO-2003", "WO-9999" };
	/* own, another customer's, nobody's (stock), made up */
	static const char *const groups[][4] = {
		{ "WO-2001", "WO-2002", "WO-2003", "WO-9999" },
		{ "WO-2001-00001", "WO-2002-00001", "WO-2003-00001", "WO-9999-00001" },
	};
	static const char *const methods[] = { "GET", "POST", "PUT", "DELETE", "PATCH" };
	struct rs r, none;
	int seen_own = 0;
	char path[256];

	login_as("cora", "medico pass", cust_cookie, cust_csrf);
	/* The list: her work order only (staff see all three). */
	run_as(5, "GET", "/api/v1/work-orders", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(r.json), 1);
	assert_string_equal(jstr(json_array_get(r.json, 0), "id"), "WO-2001");
	done(&r);
	run_as(4, "GET", "/api/v1/work-orders", NULL, &r);
	assert_int_equal(json_array_size(r.json), 3);
	done(&r);
	/* Her own by ID; another's and a stock order are "no such" ones. */
	run_as(5, "GET", "/api/v1/work-orders/WO-2001", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "customer"), "MEDICO");
	done(&r);
	run_as(5, "GET", "/api/v1/work-orders/WO-9999", NULL, &none);
	assert_int_equal(none.status, 404);
	for (int i = 1; i < 3; i++) {
		char want[128];
		with_id("/api/v1/work-orders/{id}", ids[i], path, sizeof(path));
		run_as(5, "GET", path, NULL, &r);
		assert_int_equal(r.status, 404);
		snprintf(want, sizeof(want), "no work order '%s'", ids[i]);
		assert_string_equal(jstr(json_object_get(r.json, "error"), "message"), want);
		assert_string_equal(jstr(json_object_get(r.json, "error"), "field"),
				    jstr(json_object_get(none.json, "error"), "field"));
		assert_int_equal(r.resp.len - strlen(ids[i]), none.resp.len - strlen("WO-9999"));
		done(&r);
	}
	done(&none);
	/* Everything, every way: nothing of ACME-CORP's or of the stock
	 * order, and for their IDs the very answer a made-up ID gets; for
	 * work orders and for boards. */
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (int i = 0; i < srv_nroutes; i++) {
			for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
				const char *body = strcmp(methods[m], "GET") ? "{}" : NULL;
				struct rs ans[4];
				char *norm[4];
				with_id(srv_routes[i].path, groups[g][0], path, sizeof(path));
				if (!strcmp(path, "/api/v1/logout"))
					continue; /* would only end her session */
				for (size_t d = 0; d < 4; d++) {
					with_id(srv_routes[i].path, groups[g][d], path,
						sizeof(path));
					run_as(5, methods[m], path, body, &ans[d]);
					norm[d] = normalise(&ans[d], groups[g][d]);
					if (strstr(norm[d], "ACME") || strstr(norm[d], "WO-2002") ||
					    strstr(norm[d], "WO-2003"))
						fail_msg("%s %s: %d shows another's data: %s",
							 methods[m], path, ans[d].status, norm[d]);
					if (d == 0 && ans[d].status == 200 &&
					    strstr(norm[d], "{ID}"))
						seen_own++;
				}
				for (size_t d = 1; d < 3; d++)
					if (ans[d].status != ans[3].status ||
					    strcmp(norm[d], norm[3]) != 0)
						fail_msg("%s %s: %s answered %d '%s', a made-up ID "
							 "%d '%s'",
							 methods[m], srv_routes[i].path,
							 groups[g][d], ans[d].status, norm[d],
							 ans[3].status, norm[3]);
				for (size_t d = 0; d < 4; d++) {
					free(norm[d]);
					done(&ans[d]);
				}
			}
		}
	}
	/* ... while her own were visible: the list, the work order, its
	 * boards, a board (each for HEAD too: GET routes serve it). */
	assert_true(seen_own >= 4);
	run_as(5, "GET", "/api/v1/work-orders/WO-2001/boards", NULL, &r);
	assert_int_equal(json_array_size(r.json), 2);
	done(&r);
	run_as(5, "GET", "/api/v1/boards/WO-2001-00002", NULL, &r);
	assert_string_equal(jstr(r.json, "customer"), "MEDICO");
	done(&r);
	/* Her board's trace, and the recall (test_line) as it concerns her:
	 * her row only, her board only (the ACME and stock boards of the same
	 * lot were checked above never to show). */
	run_as(5, "GET", "/api/v1/boards/WO-2001-00001/trace", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(json_array_get(json_object_get(r.json, "components"), 0), "lot"),
			    "LOT-X2"); /* reworked in test_line */
	assert_int_equal(json_array_size(json_object_get(r.json, "rework")), 1);
	done(&r);
	run_as(5, "GET", "/api/v1/recall-notices", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(r.json), 1);
	assert_string_equal(jstr(json_array_get(r.json, 0), "customer"), "MEDICO");
	assert_null(json_object_get(json_array_get(r.json, 0), "packages"));
	done(&r);
	run_as(5, "GET", "/api/v1/recalls", NULL, &r);
	assert_int_equal(r.status, 403);
	done(&r);
	/* Her board's birth certificate (HTML, inline; PDF) and her order's
	 * traceability package (ZIP); the recall document is the factory's. */
	run_as(5, "GET", "/api/v1/boards/WO-2001-00001/certificate", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.resp.ctype, "text/html; charset=utf-8");
	assert_non_null(memmem(r.resp.body, r.resp.len, "WO-2001-00001", 13));
	assert_null(memmem(r.resp.body, r.resp.len, "ACME", 4));
	assert_int_equal(strncmp(header(&r, "Content-Disposition"), "inline", 6), 0);
	done(&r);
	run((struct rq){ "GET", "/api/v1/boards/WO-2001-00001/certificate", .cookie = cust_cookie,
			 .query = json_pack("{s:s}", "format", "pdf") },
	    &r);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.resp.body, "%PDF", 4);
	done(&r);
	run((struct rq){ "GET", "/api/v1/boards/WO-2001-00001/certificate", .cookie = cust_cookie,
			 .query = json_pack("{s:s}", "format", "zip") },
	    &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "format");
	done(&r);
	run_as(5, "GET", "/api/v1/work-orders/WO-2001/package", NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.resp.ctype, "application/zip");
	assert_memory_equal(r.resp.body, "PK", 2);
	done(&r);
	run_as(5, "GET", "/api/v1/recalls/RC-000001/report", NULL, &r);
	assert_int_equal(r.status, 403);
	done(&r);
	run((struct rq){ "GET", "/api/v1/recalls/RC-000001/report", .auth = bearer[1],
			 .query = json_pack("{s:s}", "format", "pdf") },
	    &r);
	assert_int_equal(r.status, 200);
	assert_memory_equal(r.resp.body, "%PDF", 4);
	done(&r);
	/* /me says whose she is; a token cannot be a customer's. */
	run_as(5, "GET", "/api/v1/me", NULL, &r);
	assert_string_equal(jstr(r.json, "customer"), "MEDICO");
	done(&r);
	run((struct rq){ "POST", "/api/v1/tokens", .auth = bearer[0],
			 .body = "{\"name\": \"portal\", \"role\": \"customer\"}" },
	    &r);
	assert_int_equal(r.status, 422);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "role");
	done(&r);
}

static void
test_session_and_csrf(void **state)
{
	struct rs r;
	char cookie[80], csrf[80];
	const char *sc;

	assert_int_equal(
		run((struct rq){ "POST", "/api/v1/login",
				 .body = "{\"user\": \"ada\", \"password\": \"correct horse\"}" },
		    &r),
		200);
	sc = header(&r, "Set-Cookie");
	assert_non_null(sc);
	assert_memory_equal(sc, "ecms_session=", 13);
	assert_non_null(strstr(sc, "; HttpOnly"));
	assert_non_null(strstr(sc, "; SameSite=Strict"));
	assert_non_null(strstr(sc, "; Path=/"));
	assert_non_null(strstr(sc, "; Max-Age=28800"));
	assert_null(strstr(sc, "Secure"));
	snprintf(cookie, sizeof(cookie), "%.*s", 64, sc + 13);
	snprintf(csrf, sizeof(csrf), "%s", jstr(r.json, "csrf_token"));
	assert_string_equal(jstr(r.json, "role"), "admin");
	assert_int_equal(strlen(csrf), 64);
	done(&r);

	/* Safe methods need no CSRF token. */
	assert_int_equal(run((struct rq){ "GET", "/api/v1/me", .cookie = cookie }, &r), 200);
	assert_string_equal(jstr(r.json, "user"), "ada");
	assert_string_equal(jstr(r.json, "auth"), "session");
	done(&r);
	/* Unsafe ones do: missing, wrong, then right. */
	const char *body = "{\"name\": \"via-cookie\", \"role\": \"viewer\"}";
	assert_int_equal(
		run((struct rq){ "POST", "/api/v1/tokens", .cookie = cookie, .body = body }, &r),
		403);
	assert_string_equal(err_code(&r), "csrf");
	done(&r);
	assert_int_equal(run((struct rq){ "POST", "/api/v1/tokens", .cookie = cookie,
					  .csrf = cookie, .body = body },
			     &r),
			 403);
	done(&r);
	assert_int_equal(run((struct rq){ "POST", "/api/v1/tokens", .cookie = cookie, .csrf = csrf,
					  .body = body },
			     &r),
			 201);
	done(&r);
	/* Bearer tokens are not ambient credentials: no CSRF token needed. */
	assert_int_equal(run((struct rq){ "POST", "/api/v1/logout", .auth = bearer[0] }, &r), 400);
	done(&r);
	/* Logout needs it too, then ends the session and clears the cookie. */
	assert_int_equal(run((struct rq){ "POST", "/api/v1/logout", .cookie = cookie }, &r), 403);
	done(&r);
	assert_int_equal(
		run((struct rq){ "POST", "/api/v1/logout", .cookie = cookie, .csrf = csrf }, &r),
		204);
	assert_non_null(strstr(header(&r, "Set-Cookie"), "ecms_session=; "));
	assert_non_null(strstr(header(&r, "Set-Cookie"), "Max-Age=0"));
	done(&r);
	assert_int_equal(run((struct rq){ "GET", "/api/v1/me", .cookie = cookie }, &r), 401);
	done(&r);
	/* A wrong password is 401 with the library's message. */
	assert_int_equal(
		run((struct rq){ "POST", "/api/v1/login",
				 .body = "{\"user\": \"ada\", \"password\": \"wrong one\"}" },
		    &r),
		401);
	assert_non_null(
		strstr(jstr(json_object_get(r.json, "error"), "message"), "authentication failed"));
	assert_null(header(&r, "Set-Cookie"));
	done(&r);
}

static void
test_errors(void **state)
{
	const char *admin = bearer[0];
	struct rs r;
	json_t *e;

	assert_int_equal(run((struct rq){ "GET", "/api/v1/nothing", .auth = admin }, &r), 404);
	assert_string_equal(err_code(&r), "not_found");
	assert_true(json_is_null(json_object_get(json_object_get(r.json, "error"), "field")));
	done(&r);
	assert_int_equal(run((struct rq){ "PATCH", "/api/v1/tokens", .auth = admin }, &r), 405);
	assert_string_equal(header(&r, "Allow"), "GET, HEAD, POST");
	assert_string_equal(err_code(&r), "method_not_allowed");
	done(&r);
	/* Declared too large: refused before the body is read. */
	assert_int_equal(run((struct rq){ "POST", "/api/v1/tokens", .auth = admin,
					  .clen = (int64_t)SRV_BODY_MAX + 1 },
			     &r),
			 413);
	assert_string_equal(err_code(&r), "payload_too_large");
	done(&r);
	/* Not declared (chunked), found too large while reading. */
	{
		struct srv_req req;
		struct srv_resp resp = { 0 };
		char *chunk = calloc(1, 65536);
		srv_req_init(&req);
		req.method = strdup("POST");
		req.path = strdup("/api/v1/tokens");
		req.query = json_object();
		req.authorization = strdup(admin);
		req.address = strdup("127.0.0.1");
		req.content_type = strdup("application/json");
		assert_false(srv_begin(&S, &req, &resp));
		memset(chunk, ' ', 65536);
		for (size_t n = 0; n <= SRV_BODY_MAX; n += 65536)
			srv_body_add(&req, chunk, 65536);
		srv_finish(&S, &req, &resp);
		assert_int_equal(resp.status, 413);
		srv_resp_cleanup(&resp);
		srv_req_cleanup(&req);
		free(chunk);
	}
	/* Import files may be larger than JSON bodies. */
	assert_int_equal(run((struct rq){ "POST", "/api/v1/import/parts", .auth = admin,
					  .clen = (int64_t)SRV_BODY_MAX + 1, .body = "x" },
			     &r),
			 422);
	done(&r);
	/* Malformed JSON: 400 with the position. */
	assert_int_equal(run((struct rq){ "POST", "/api/v1/tokens", .auth = admin,
					  .body = "{\n  \"name\": \"x\",\n  \"role\": }" },
			     &r),
			 400);
	e = json_object_get(r.json, "error");
	assert_string_equal(jstr(e, "code"), "bad_json");
	assert_int_equal(json_integer_value(json_object_get(e, "line")), 3);
	assert_int_equal(json_integer_value(json_object_get(e, "column")), 11);
	assert_non_null(strstr(jstr(e, "message"), "line 3, column 11"));
	done(&r);
	/* Not JSON at all. */
	assert_int_equal(run((struct rq){ "POST", "/api/v1/tokens", .auth = admin, .body = "a=b",
					  .ctype = "application/x-www-form-urlencoded" },
			     &r),
			 415);
	done(&r);
	/* A missing member names its field. */
	assert_int_equal(run((struct rq){ "POST", "/api/v1/tokens", .auth = admin,
					  .body = "{\"name\": \"x\"}" },
			     &r),
			 400);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "role");
	done(&r);
	/* Data that does not validate: 422 naming the field. */
	assert_int_equal(run((struct rq){ "POST", "/api/v1/tokens", .auth = admin,
					  .body = "{\"name\": \"x\", \"role\": \"root\"}" },
			     &r),
			 422);
	assert_string_equal(err_code(&r), "invalid");
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "role");
	done(&r);
	/* Exists already: 409. */
	assert_int_equal(run((struct rq){ "POST", "/api/v1/tokens", .auth = admin,
					  .body = "{\"name\": \"admin-tok\", \"role\": \"qa\"}" },
			     &r),
			 409);
	assert_string_equal(err_code(&r), "exists");
	done(&r);
	/* Query arguments. */
	assert_int_equal(run((struct rq){ "GET", "/api/v1/parts", .auth = admin,
					  .query = json_pack("{s:s}", "colour", "red") },
			     &r),
			 400);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "colour");
	done(&r);
	assert_int_equal(run((struct rq){ "GET", "/api/v1/log", .auth = admin,
					  .query = json_pack("{s:s}", "limit", "0") },
			     &r),
			 400);
	done(&r);
	assert_int_equal(run((struct rq){ "GET", "/api/v1/parts/none", .auth = admin }, &r), 404);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "message"), "no part 'none'");
	done(&r);
	/* Query arguments are decoded; one that does not decode is a 400,
	 * not a silently dropped filter. */
	{
		struct srv_req req;
		struct srv_resp resp = { 0 };
		srv_req_init(&req);
		req.method = strdup("GET");
		req.path = strdup("/api/v1/parts");
		req.authorization = strdup(admin);
		req.address = strdup("127.0.0.1");
		srv_req_add_arg(&req, "category", "passive+parts%2Fx");
		srv_req_add_arg(&req, "category", "second");
		srv_req_add_arg(&req, "flag", NULL);
		assert_string_equal(jstr(req.query, "category"), "passive parts/x");
		assert_string_equal(jstr(req.query, "flag"), "");
		assert_null(req.bad_arg);
		srv_req_add_arg(&req, "colour", "%zz");
		srv_req_add_arg(&req, "other", "%ff"); /* not UTF-8 */
		assert_string_equal(req.bad_arg, "colour");
		assert_true(srv_begin(&S, &req, &resp));
		assert_int_equal(resp.status, 400);
		assert_non_null(strstr(resp.body, "\"field\": \"colour\""));
		srv_resp_cleanup(&resp);
		srv_req_cleanup(&req);
	}
	/* The rc map. */
	assert_int_equal(srv_rc_status(ECMS_EINVAL), 422);
	assert_int_equal(srv_rc_status(ECMS_EREFUSED), 409);
	assert_int_equal(srv_rc_status(ECMS_EDENIED), 403);
	assert_int_equal(srv_rc_status(ECMS_EAUTH), 401);
	assert_int_equal(srv_rc_status(ECMS_EUSAGE), 400);
	assert_int_equal(srv_rc_status(ECMS_ENOTFOUND), 404);
	assert_int_equal(srv_rc_status(ECMS_ESTORE), 500);
	assert_int_equal(srv_rc_status(12345), 500);
}

static void
test_tokens_and_actor(void **state)
{
	char auth[100];
	const char *admin = bearer[0];
	struct rs r;
	json_t *ev;
	size_t i, n = 0;
	long long id;

	assert_int_equal(run((struct rq){ "POST", "/api/v1/tokens", .auth = admin,
					  .body = "{\"name\": \"pnp-7\", \"role\": \"admin\", "
						  "\"expires\": \"2999-01-01\"}" },
			     &r),
			 201);
	snprintf(auth, sizeof(auth), "Bearer %s", jstr(r.json, "token"));
	id = json_integer_value(json_object_get(r.json, "id"));
	assert_string_equal(jstr(r.json, "expires"), "2999-01-01T00:00:00.000Z");
	done(&r);
	assert_int_equal(run((struct rq){ "GET", "/api/v1/me", .auth = auth }, &r), 200);
	assert_string_equal(jstr(r.json, "token"), "pnp-7");
	assert_string_equal(jstr(r.json, "actor"), "token:pnp-7");
	done(&r);
	/* The scheme is case-insensitive. */
	auth[0] = 'b';
	assert_int_equal(run((struct rq){ "GET", "/api/v1/me", .auth = auth }, &r), 200);
	auth[0] = 'B';
	done(&r);
	/* The list shows no secret. */
	assert_int_equal(run((struct rq){ "GET", "/api/v1/tokens", .auth = admin }, &r), 200);
	assert_null(strstr(r.resp.body, auth + 7));
	assert_null(strstr(r.resp.body, "sha256"));
	done(&r);
	/* An import through the token is that token's event, station api. */
	assert_int_equal(run((struct rq){ "POST", "/api/v1/import/suppliers", .auth = auth,
					  .ctype = "text/csv",
					  .body = "id,name,status,authorised\n"
						  "S-1,Supplier One,approved,yes\n" },
			     &r),
			 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "created")), 1);
	done(&r);
	assert_int_equal(run((struct rq){ "GET", "/api/v1/log", .auth = admin,
					  .query = json_pack("{s:s}", "type", "supplier.") },
			     &r),
			 200);
	/* The suppliers of setup() came first, without a caller; then S-1. */
	ev = json_array_get(json_object_get(r.json, "events"),
			    json_array_size(json_object_get(r.json, "events")) - 1);
	assert_string_equal(jstr(ev, "actor"), "token:pnp-7");
	assert_string_equal(jstr(ev, "station"), "api");
	json_array_foreach(json_object_get(r.json, "events"), i, ev)
		if (!strcmp(jstr(ev, "actor"), "token:pnp-7"))
			n++;
	assert_int_equal(n, 1);
	done(&r);
	/* Bad import: 422 with every error listed. */
	assert_int_equal(
		run((struct rq){ "POST", "/api/v1/import/suppliers", .auth = auth,
				 .ctype = "text/csv",
				 .body = "id,name,status,authorised\n"
					 "S-2,Two,maybe,yes\nS-3,Three,approved,perhaps\n" },
		    &r),
		422);
	ev = json_object_get(json_object_get(r.json, "error"), "errors");
	assert_int_equal(json_array_size(ev), 2);
	assert_memory_equal(json_string_value(json_array_get(ev, 0)), "body:2: ", 8);
	assert_memory_equal(json_string_value(json_array_get(ev, 1)), "body:3: ", 8);
	done(&r);
	assert_int_equal(run((struct rq){ "POST", "/api/v1/import/widgets", .auth = auth,
					  .ctype = "text/csv", .body = "a\n" },
			     &r),
			 400);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "kind");
	done(&r);
	/* Revoke it: it stops working at once. */
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/tokens/%lld", id);
	assert_int_equal(run((struct rq){ "DELETE", path, .auth = admin }, &r), 204);
	done(&r);
	assert_int_equal(run((struct rq){ "GET", "/api/v1/me", .auth = auth }, &r), 401);
	done(&r);
	assert_int_equal(run((struct rq){ "DELETE", path, .auth = admin }, &r), 409);
	done(&r);
	assert_int_equal(run((struct rq){ "DELETE", "/api/v1/tokens/x1", .auth = admin }, &r), 400);
	done(&r);
	/* The chain still verifies. */
	assert_int_equal(run((struct rq){ "GET", "/api/v1/audit/verify", .auth = bearer[1] }, &r),
			 200);
	assert_true(json_is_true(json_object_get(r.json, "verified")));
	done(&r);
}

/* A reel of 500 U-AFE-1292 for PO-1001 line 2, lot L7790 (the PO names L7781,
 * no CoC on file): quarantined. Returns its UID (static). */
static const char *
receive_quarantined(const char *dc)
{
	static char uid[32];
	char body[512];
	struct rs r;

	snprintf(body, sizeof(body),
		 "{\"po\": \"PO-1001\", \"station\": \"DOCK-9\", \"scan\": \"[)>\\u001e06\\u001d"
		 "1PADS1292RIPBSR\\u001d1VTI\\u001dQ500\\u001d1TL7790\\u001d9D%s\\u001e\\u0004\"}",
		 dc);
	if (run((struct rq){ "POST", "/api/v1/receipts", .auth = bearer[2], .body = body }, &r) !=
	    201)
		fail_msg("receive: %d %.*s", r.status, (int)r.resp.len, r.resp.body);
	assert_string_equal(jstr(r.json, "status"), "quarantined");
	assert_true(json_array_size(json_object_get(r.json, "reasons")) >= 1);
	snprintf(uid, sizeof(uid), "%s", jstr(r.json, "uid"));
	assert_non_null(strstr(jstr(r.json, "label_url"), uid));
	done(&r);
	return uid;
}

/* The stations' routes over real data: receive, the label, quarantine,
 * signed release (password; badge and PIN), moves, MSD, and the refusals
 * in between, as the CLI does them. */
static void
test_goods_in(void **state)
{
	char cookie[ECMS_SESSION_TOKEN_LEN + 1], csrf[ECMS_SESSION_TOKEN_LEN + 1], path[128];
	const char *qa = bearer[1], *wh = bearer[2];
	struct rs r;
	char uid[32], uid2[32];
	bool found = false;
	size_t i;
	json_t *row;

	/* Bad requests name the field; an unreadable scan is 422. */
	run((struct rq){ "POST", "/api/v1/receipts", .auth = wh,
			 .body = "{\"po\": \"PO-1001\", \"scna\": \"x\"}" },
	    &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "scna");
	done(&r);
	run((struct rq){ "POST", "/api/v1/receipts", .auth = wh, .body = "{\"po\": \"PO-1001\"}" },
	    &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "scan");
	done(&r);
	run((struct rq){ "POST", "/api/v1/receipts", .auth = wh,
			 .body = "{\"po\": \"PO-1001\", \"scan\": \"hello\"}" },
	    &r);
	assert_int_equal(r.status, 422);
	done(&r);
	run((struct
	     rq){ "POST", "/api/v1/receipts", .auth = wh,
		  .body = "{\"po\": \"PO-NONE\", \"scan\": \"[)>\\u001e06\\u001d1PADS1292RIPBSR"
			  "\\u001dQ10\\u001e\\u0004\"}" },
	    &r);
	assert_int_equal(r.status, 404);
	done(&r);

	snprintf(uid, sizeof(uid), "%s", receive_quarantined("2548"));
	snprintf(uid2, sizeof(uid2), "%s", receive_quarantined("2549"));
	/* In the queue, with its reasons; its label as PNG and ZPL. */
	run((struct rq){ "GET", "/api/v1/quarantine", .auth = bearer[4] }, &r);
	json_array_foreach(r.json, i, row)
		found = found || !strcmp(jstr(row, "uid"), uid);
	assert_true(found);
	done(&r);
	snprintf(path, sizeof(path), "/api/v1/packages/%s/label", uid);
	run((struct rq){ "GET", path, .auth = bearer[4] }, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.resp.ctype, "image/png");
	assert_memory_equal(r.resp.body, "\x89PNG", 4);
	done(&r);
	run((struct rq){ "GET", path, .auth = bearer[4],
			 .query = json_pack("{s:s}", "format", "zpl") },
	    &r);
	assert_memory_equal(r.resp.body, "^XA", 3);
	done(&r);
	run((struct rq){ "GET", path, .auth = bearer[4],
			 .query = json_pack("{s:s}", "format", "bmp") },
	    &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "format");
	done(&r);

	/* Quarantined material may not go to the line. */
	snprintf(path, sizeof(path), "{\"package\": \"%s\", \"location\": \"L1\"}", uid);
	run((struct rq){ "POST", "/api/v1/moves", .auth = wh, .body = path }, &r);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(jstr(json_object_get(r.json, "error"), "message"), "quarantine"));
	done(&r);

	/* Release by quinn's session: a wrong password is a failed signature
	 * (403 "signature", logged), not a lost session; then the right one. */
	login_as("quinn", "quality first", cookie, csrf);
	snprintf(path, sizeof(path), "/api/v1/packages/%s/release", uid);
	run((struct
	     rq){ "POST", path, .cookie = cookie, .csrf = csrf,
		  .body = "{\"reason\": \"lot split by the supplier\", \"password\": \"guess\"}" },
	    &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(err_code(&r), "signature");
	done(&r);
	run((struct rq){ "GET", "/api/v1/me", .cookie = cookie }, &r);
	assert_int_equal(r.status, 200);
	done(&r);
	run((struct rq){ "POST", path, .cookie = cookie, .csrf = csrf,
			 .body = "{\"reason\": \"lot split\", \"password\": \"quality first\", "
				 "\"user\": \"wes\"}" },
	    &r);
	assert_int_equal(r.status, 403); /* a session signs as itself */
	assert_string_equal(err_code(&r), "signature");
	done(&r);
	run((struct rq){ "POST", path, .cookie = cookie, .csrf = csrf,
			 .body = "{\"reason\": \"lot split\"}" },
	    &r);
	assert_int_equal(r.status, 400); /* no signature at all */
	done(&r);
	run((struct rq){ "POST", path, .cookie = cookie, .csrf = csrf,
			 .body = "{\"reason\": \"lot split by the supplier\", \"password\": "
				 "\"quality first\", \"location\": \"R01-S01\"}" },
	    &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "signer"), "quinn");
	assert_string_equal(jstr(r.json, "meaning"), "released from quarantine");
	assert_string_equal(jstr(r.json, "method"), "password");
	done(&r);
	run((struct rq){ "POST", path, .cookie = cookie, .csrf = csrf,
			 .body = "{\"reason\": \"again\", \"password\": \"quality first\"}" },
	    &r);
	assert_int_equal(r.status, 409); /* no longer in quarantine */
	done(&r);
	snprintf(path, sizeof(path), "/api/v1/packages/%s", uid);
	run((struct rq){ "GET", path, .auth = bearer[4] }, &r);
	assert_string_equal(jstr(r.json, "status"), "available");
	assert_string_equal(jstr(r.json, "location"), "R01-S01");
	done(&r);

	/* Reject by an API token, signed with quinn's badge and PIN. */
	snprintf(path, sizeof(path), "/api/v1/packages/%s/reject", uid2);
	run((struct
	     rq){ "POST", path, .auth = qa,
		  .body = "{\"reason\": \"wrong lot\", \"badge\": \"B-2001\", \"pin\": \"4711\"}" },
	    &r);
	assert_int_equal(r.status, 400); /* a rejection needs its disposition */
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "disposition");
	done(&r);
	run((struct
	     rq){ "POST", path, .auth = qa,
		  .body = "{\"reason\": \"wrong lot\", \"disposition\": \"return\", \"badge\": "
			  "\"B-9999\", \"pin\": \"4711\"}" },
	    &r);
	assert_int_equal(r.status, 403);
	done(&r);
	run((struct
	     rq){ "POST", path, .auth = qa,
		  .body = "{\"reason\": \"wrong lot\", \"disposition\": \"return\", \"badge\": "
			  "\"B-2001\", \"pin\": \"4711\"}" },
	    &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "method"), "badge+pin");
	assert_string_equal(jstr(r.json, "signer"), "quinn");
	done(&r);
	/* Warehouse staff cannot decide at all. */
	run((struct rq){ "POST", path, .auth = wh, .body = "{}" }, &r);
	assert_int_equal(r.status, 403);
	assert_string_equal(err_code(&r), "denied");
	done(&r);

	/* MSD: open with the HIC read, status, and a bake without its data. */
	snprintf(path, sizeof(path), "/api/v1/packages/%s/msd/open", uid);
	run((struct rq){ "POST", path, .auth = wh, .body = "{\"hic_pct\": 5}" }, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "state"), "exposed");
	assert_true(json_is_true(json_object_get(r.json, "usable")));
	done(&r);
	run((struct rq){ "POST", path, .auth = wh, .body = "{\"hic\": 5}" }, &r);
	assert_int_equal(r.status, 400);
	done(&r);
	snprintf(path, sizeof(path), "/api/v1/packages/%s/msd/bake", uid);
	run((struct rq){ "POST", path, .auth = wh, .body = "{\"temp_c\": 125}" }, &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "hours");
	done(&r);
	snprintf(path, sizeof(path), "/api/v1/packages/%s/msd", uid);
	run((struct rq){ "GET", path, .auth = bearer[4] }, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "msl"), "3");
	done(&r);
	/* A move (it was released to R01-S01), a split. */
	snprintf(path, sizeof(path), "{\"package\": \"%s\", \"location\": \"RCV\"}", uid);
	run((struct rq){ "POST", "/api/v1/moves", .auth = wh, .body = path }, &r);
	assert_int_equal(r.status, 200);
	done(&r);
	snprintf(path, sizeof(path), "/api/v1/packages/%s/split", uid);
	run((struct rq){ "POST", path, .auth = wh, .body = "{\"qty\": \"ten\"}" }, &r);
	assert_int_equal(r.status, 400);
	done(&r);
	run((struct rq){ "POST", path, .auth = wh, .body = "{\"qty\": 100}" }, &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(jstr(r.json, "parent"), uid);
	done(&r);
	/* Stock and alerts: arguments are checked. */
	run((struct rq){ "GET", "/api/v1/alerts", .auth = bearer[4],
			 .query = json_pack("{s:s}", "days", "many") },
	    &r);
	assert_int_equal(r.status, 400);
	done(&r);
	run((struct rq){ "GET", "/api/v1/stock", .auth = bearer[4],
			 .query = json_pack("{s:s}", "ipn", "U-AFE-1292") },
	    &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(r.json), 1);
	done(&r);
	/* Every event says who did it, from which station. */
	run((struct rq){ "GET", "/api/v1/log", .auth = bearer[0],
			 .query = json_pack("{s:s}", "type", "package.received") },
	    &r);
	row = json_array_get(json_object_get(r.json, "events"), 0);
	assert_string_equal(jstr(row, "actor"), "token:warehouse-tok");
	assert_string_equal(jstr(row, "station"), "DOCK-9");
	done(&r);
}

/* Guessing a signer's password at a release counts like guessing it at
 * the login: after ECMS_LOGIN_MAX_FAILURES failures even the right one is
 * refused (429, Retry-After), and so is a login of that user. */
static void
test_signature_limit(void **state)
{
	char uid[32], path[128];
	struct rs r;

	snprintf(uid, sizeof(uid), "%s", receive_quarantined("2550"));
	snprintf(path, sizeof(path), "/api/v1/packages/%s/release", uid);
	for (int i = 0; i < ECMS_LOGIN_MAX_FAILURES; i++) {
		run((struct rq){ "POST", path, .auth = bearer[1],
				 .body = "{\"reason\": \"guessing\", \"user\": \"quincy\", "
					 "\"password\": \"guess\"}" },
		    &r);
		assert_int_equal(r.status, 403);
		assert_string_equal(err_code(&r), "signature");
		done(&r);
	}
	run((struct rq){ "POST", path, .auth = bearer[1],
			 .body = "{\"reason\": \"now right\", \"user\": \"quincy\", "
				 "\"password\": \"second signer\"}" },
	    &r);
	assert_int_equal(r.status, 429);
	assert_string_equal(err_code(&r), "rate_limited");
	assert_non_null(header(&r, "Retry-After"));
	done(&r);
	run((struct rq){ "POST", "/api/v1/login",
			 .body = "{\"user\": \"quincy\", \"password\": \"second signer\"}" },
	    &r);
	assert_int_equal(r.status, 429);
	done(&r);
	/* Still in quarantine: nothing was decided. */
	snprintf(path, sizeof(path), "/api/v1/packages/%s", uid);
	run((struct rq){ "GET", path, .auth = bearer[4] }, &r);
	assert_string_equal(jstr(r.json, "status"), "quarantined");
	done(&r);
}

/* The web UI: public files with a strict content security policy. */
static void
test_web_files(void **state)
{
	struct rs r;

	run((struct rq){ "GET", "/" }, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.resp.ctype, "text/html; charset=utf-8");
	assert_non_null(strstr(r.resp.body, "/web/app.js"));
	assert_non_null(strstr(header(&r, "Content-Security-Policy"), "default-src 'self'"));
	assert_string_equal(header(&r, "X-Content-Type-Options"), "nosniff");
	done(&r);
	run((struct rq){ "GET", "/web/app.js" }, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.resp.ctype, "text/javascript; charset=utf-8");
	done(&r);
	for (int i = 0; i < srv_web_nfiles; i++)
		assert_true(srv_web_files[i].len > 0);
	run((struct rq){ "GET", "/web/none.js" }, &r);
	assert_int_equal(r.status, 404);
	done(&r);
	run((struct rq){ "GET", "/web/%2E%2E%2Fserver.h" }, &r);
	assert_int_equal(r.status, 404);
	done(&r);
	run((struct rq){ "POST", "/" }, &r);
	assert_int_equal(r.status, 405);
	done(&r);
}

static void
test_label_parse(void **state)
{
	struct rs r;

	/* An EIGP 114 scan with its separators as JSON escapes. */
	assert_int_equal(
		run((struct rq){ "POST", "/api/v1/labels/parse", .auth = bearer[3],
				 .body = "{\"scan\": \"[)>\\u001e06\\u001dP296-LM358BIDDFRCT-ND"
					 "\\u001d1PLM358BIDDFR\\u001dQ10\\u001d1T4711"
					 "\\u001e\\u0004\"}" },
		    &r),
		200);
	assert_string_equal(jstr(r.json, "format"), "eigp114");
	assert_string_equal(jstr(r.json, "mpn"), "LM358BIDDFR");
	assert_string_equal(jstr(r.json, "lot"), "4711");
	assert_int_equal(json_integer_value(json_object_get(r.json, "quantity")), 10);
	done(&r);
	/* A keyboard-wedge scan with substitutes named in the request. */
	assert_int_equal(run((struct rq){ "POST", "/api/v1/labels/parse", .auth = bearer[4],
					  .body = "{\"scan\": \"[)>^06]1PLM358BIDDFR]Q10^d\", "
						  "\"gs\": \"]\", \"rs\": \"^\"}" },
			     &r),
			 200);
	assert_string_equal(jstr(r.json, "mpn"), "LM358BIDDFR");
	done(&r);
	/* Unreadable: 422 saying why; bad options: 400. */
	assert_int_equal(run((struct rq){ "POST", "/api/v1/labels/parse", .auth = bearer[4],
					  .body = "{\"scan\": \"hello\"}" },
			     &r),
			 422);
	assert_true(strlen(jstr(json_object_get(r.json, "error"), "message")) > 10);
	done(&r);
	assert_int_equal(run((struct rq){ "POST", "/api/v1/labels/parse", .auth = bearer[4],
					  .body = "{\"scan\": \"x\", \"gs\": \"ab\"}" },
			     &r),
			 400);
	assert_string_equal(jstr(json_object_get(r.json, "error"), "field"), "gs");
	done(&r);
	assert_int_equal(run((struct rq){ "POST", "/api/v1/labels/parse", .auth = bearer[4],
					  .body = "{\"scan\": 12}" },
			     &r),
			 400);
	done(&r);
}

static void
test_rate_limit(void **state)
{
	struct rs r;
	const char *bad = "{\"user\": \"vic\", \"password\": \"not it at all\"}";

	for (int i = 0; i < ECMS_LOGIN_MAX_FAILURES; i++) {
		assert_int_equal(run((struct rq){ "POST", "/api/v1/login", .body = bad,
						  .addr = "203.0.113.5" },
				     &r),
				 401);
		done(&r);
	}
	assert_int_equal(
		run((struct rq){ "POST", "/api/v1/login", .body = bad, .addr = "203.0.113.6" }, &r),
		429);
	assert_string_equal(err_code(&r), "rate_limited");
	assert_non_null(header(&r, "Retry-After"));
	assert_true(atoi(header(&r, "Retry-After")) > 0);
	assert_true(atoi(header(&r, "Retry-After")) <= 300);
	done(&r);
}

static void
test_metrics(void **state)
{
	struct srv_metrics m;
	size_t len;
	char *t;

	assert_int_equal(srv_metrics_init(&m), 0);
	srv_metrics_observe(&m, 0, "GET", 200, 0.003);
	srv_metrics_observe(&m, 0, "GET", 200, 0.2);
	srv_metrics_observe(&m, -1, "BREW", 418, 0.001);
	t = srv_metrics_render(&m, NULL, &len);
	assert_non_null(t);
	assert_int_equal(strlen(t), len);
	assert_non_null(strstr(t, "ecms_http_requests_total{route=\"/healthz\",method=\"GET\","
				  "status=\"200\"} 2\n"));
	assert_non_null(strstr(t, "ecms_http_requests_total{route=\"unmatched\",method=\"other\","
				  "status=\"other\"} 1\n"));
	assert_non_null(strstr(t, "ecms_http_request_duration_seconds_bucket{route=\"/healthz\","
				  "le=\"0.005\"} 1\n"));
	assert_non_null(strstr(t, "ecms_http_request_duration_seconds_bucket{route=\"/healthz\","
				  "le=\"0.25\"} 2\n"));
	assert_non_null(strstr(t, "ecms_http_request_duration_seconds_bucket{route=\"/healthz\","
				  "le=\"+Inf\"} 2\n"));
	assert_non_null(strstr(t, "ecms_http_request_duration_seconds_count{route=\"/healthz\"} "
				  "2\n"));
	assert_non_null(strstr(t, "# TYPE ecms_http_request_duration_seconds histogram\n"));
	assert_null(strstr(t, "ecms_events_total")); /* no handle given */
	free(t);
	srv_metrics_cleanup(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anonymous),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_every_route_every_role),
		cmocka_unit_test(test_customer_isolation),
		cmocka_unit_test(test_session_and_csrf),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_tokens_and_actor),
		cmocka_unit_test(test_goods_in),
		cmocka_unit_test(test_signature_limit),
		cmocka_unit_test(test_web_files),
		cmocka_unit_test(test_label_parse),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_metrics),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
