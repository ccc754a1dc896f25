/*
 * test_routes.c: the route table and matcher of `ecms serve`
 * (server/routes.c), and docs/openapi.json against the table: the same
 * methods and paths, summaries, path parameters, public routes and roles.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "server/server.h"

static int
match(const char *method, const char *path, struct srv_params *p, char *allow)
{
	return srv_route_match(method, path, p, allow, 64);
}

static const char *
path_of(int i)
{
	return i >= 0 ? srv_routes[i].path : "(none)";
}

static void
test_match(void **state)
{
	struct srv_params p;
	char allow[64];
	int i;

	i = match("GET", "/api/v1/parts", &p, allow);
	assert_string_equal(path_of(i), "/api/v1/parts");
	assert_int_equal(p.n, 0);
	i = match("GET", "/api/v1/parts/C-0402-100N", &p, allow);
	assert_string_equal(path_of(i), "/api/v1/parts/{ipn}");
	assert_int_equal(p.n, 1);
	assert_string_equal(p.name[0], "ipn");
	assert_string_equal(p.value[0], "C-0402-100N");
	/* Each segment is decoded after the split: %2F stays inside it. */
	i = match("GET", "/api/v1/manufacturers/Texas%20Instruments%2FTI", &p, allow);
	assert_string_equal(path_of(i), "/api/v1/manufacturers/{name}");
	assert_string_equal(p.value[0], "Texas Instruments/TI");
	/* '+' is a plus in a path. */
	i = match("GET", "/api/v1/parts/A+B", &p, allow);
	assert_string_equal(p.value[0], "A+B");
	/* HEAD is served by GET routes. */
	assert_int_equal(match("HEAD", "/api/v1/parts", &p, allow),
			 match("GET", "/api/v1/parts", &p, allow));
	/* No route: trailing slash, empty or extra segments, bad escapes,
	 * encoded NUL, encoded literal segments, relative paths. */
	const char *none[] = { "/api/v1/parts/",
			       "/api/v1//parts",
			       "/api/v1/parts/x/y",
			       "/api/v1/parts/%zz",
			       "/api/v1/parts/%4",
			       "/api/v1/parts/a%00b",
			       "/api/v1/%70arts",
			       "api/v1/parts",
			       "",
			       "//",
			       "/api/v2/parts",
			       "/healthz/x" };
	for (size_t k = 0; k < sizeof(none) / sizeof(none[0]); k++) {
		i = match("GET", none[k], &p, allow);
		if (i != SRV_NO_ROUTE)
			fail_msg("'%s' matched %s", none[k], path_of(i));
	}
	/* An overlong parameter does not match. */
	char longp[600] = "/api/v1/parts/";
	memset(longp + strlen(longp), 'x', 400);
	assert_int_equal(match("GET", longp, &p, allow), SRV_NO_ROUTE);
}

static void
test_method_not_allowed(void **state)
{
	struct srv_params p;
	char allow[64];

	assert_int_equal(match("PUT", "/api/v1/parts", &p, allow), SRV_NO_METHOD);
	assert_string_equal(allow, "GET, HEAD");
	assert_int_equal(match("DELETE", "/api/v1/tokens", &p, allow), SRV_NO_METHOD);
	assert_string_equal(allow, "GET, HEAD, POST");
	assert_int_equal(match("GET", "/api/v1/tokens/3", &p, allow), SRV_NO_METHOD);
	assert_string_equal(allow, "DELETE");
	assert_int_equal(match("GET", "/api/v1/login", &p, allow), SRV_NO_METHOD);
	assert_string_equal(allow, "POST");
	/* A method name that only prefixes one in the list. */
	assert_int_equal(match("POS", "/api/v1/login", &p, allow), SRV_NO_METHOD);
}

static void
test_pct_decode(void **state)
{
	char out[8];

	assert_true(srv_pct_decode("a%41+b", 6, true, out, sizeof(out)));
	assert_string_equal(out, "aA b");
	assert_true(srv_pct_decode("a%41+b", 6, false, out, sizeof(out)));
	assert_string_equal(out, "aA+b");
	assert_true(srv_pct_decode("%e2%82%ac", 9, false, out, sizeof(out)));
	assert_string_equal(out, "\xe2\x82\xac");
	assert_true(srv_pct_decode("", 0, false, out, sizeof(out)));
	assert_string_equal(out, "");
	assert_false(srv_pct_decode("%", 1, false, out, sizeof(out)));
	assert_false(srv_pct_decode("%4", 2, false, out, sizeof(out)));
	assert_false(srv_pct_decode("%g0", 3, false, out, sizeof(out)));
	assert_false(srv_pct_decode("%00", 3, false, out, sizeof(out)));
	assert_false(srv_pct_decode("12345678", 8, false, out, sizeof(out))); /* no room */
	assert_true(srv_pct_decode("1234567", 7, false, out, sizeof(out)));
}

static void
test_roles(void **state)
{
	int i;

	for (i = 0; srv_role_names[i]; i++)
		assert_int_equal(srv_role_bit(srv_role_names[i]), 1u << i);
	assert_int_equal(i, 6);
	assert_int_equal(srv_role_bit("root"), 0);
	assert_int_equal(srv_role_bit(""), 0);
	assert_int_equal(srv_role_bit(NULL), 0);
	/* The table is well formed: unique (method, path); every non-public
	 * route allows someone; public routes declare no roles; handlers. */
	for (i = 0; i < srv_nroutes; i++) {
		const struct srv_route *r = &srv_routes[i];
		assert_non_null(r->fn);
		assert_non_null(r->summary);
		if (r->flags & SRV_PUBLIC)
			assert_int_equal(r->roles, 0);
		else
			assert_int_not_equal(r->roles & SRV_ANYONE, 0);
		assert_true((r->roles & ~(unsigned)SRV_ANYONE) == 0);
		for (int j = 0; j < i; j++)
			if (!strcmp(r->method, srv_routes[j].method) &&
			    !strcmp(r->path, srv_routes[j].path))
				fail_msg("%s %s twice", r->method, r->path);
		/* Customer isolation: a route the customer role may call says
		 * how it is isolated: an owner "KIND:PARAM" naming one of its
		 * path parameters, a scoped list, or about the caller itself. */
		if (r->roles & SRV_CUSTOMER) {
			int ways = (r->owner != NULL) + !!(r->flags & SRV_SCOPED) +
				   !!(r->flags & SRV_SELF);
			if (ways != 1)
				fail_msg("%s %s: the customer role needs exactly one of owner, "
					 "SRV_SCOPED, SRV_SELF",
					 r->method, r->path);
		}
		if (r->owner) {
			char want[64];
			const char *colon = strchr(r->owner, ':');
			assert_non_null(colon);
			snprintf(want, sizeof(want), "{%s}", colon + 1);
			if (strstr(r->path, want) == NULL)
				fail_msg("%s %s: owner '%s' names no path parameter", r->method,
					 r->path, r->owner);
		}
		/* Unknown roles are allowed nowhere but on public routes. */
		assert_int_equal(srv_route_allows(r, "root"), (r->flags & SRV_PUBLIC) != 0);
		assert_int_equal(srv_route_allows(r, NULL), (r->flags & SRV_PUBLIC) != 0);
	}
	/* Spot checks of the declared policy. */
	i = match("GET", "/api/v1/users", &(struct srv_params){ 0 }, (char[64]){ 0 });
	assert_true(srv_route_allows(&srv_routes[i], "admin"));
	assert_false(srv_route_allows(&srv_routes[i], "qa"));
	i = match("GET", "/api/v1/parts", &(struct srv_params){ 0 }, (char[64]){ 0 });
	assert_true(srv_route_allows(&srv_routes[i], "viewer"));
	i = match("GET", "/api/v1/log", &(struct srv_params){ 0 }, (char[64]){ 0 });
	assert_true(srv_route_allows(&srv_routes[i], "qa"));
	assert_false(srv_route_allows(&srv_routes[i], "operator"));
	/* The customer portal: its work orders, nothing of the factory's. */
	i = match("GET", "/api/v1/parts", &(struct srv_params){ 0 }, (char[64]){ 0 });
	assert_false(srv_route_allows(&srv_routes[i], "customer"));
	i = match("GET", "/api/v1/work-orders/W1", &(struct srv_params){ 0 }, (char[64]){ 0 });
	assert_true(srv_route_allows(&srv_routes[i], "customer"));
	assert_string_equal(srv_routes[i].owner, "work_order:id");
	i = match("POST", "/api/v1/packages/XU1/release", &(struct srv_params){ 0 },
		  (char[64]){ 0 });
	assert_true(srv_route_allows(&srv_routes[i], "qa"));
	assert_false(srv_route_allows(&srv_routes[i], "warehouse"));
	assert_false(srv_route_allows(&srv_routes[i], "admin"));
}

/* The route's {names}, as a JSON array of strings in order. */
static json_t *
path_params(const char *path)
{
	json_t *a = json_array();

	for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{'))
		json_array_append_new(a, json_stringn(p + 1, strcspn(p + 1, "}")));
	return a;
}

static int
route_index(const char *method, const char *path)
{
	for (int i = 0; i < srv_nroutes; i++)
		if (!strcasecmp(srv_routes[i].method, method) && !strcmp(srv_routes[i].path, path))
			return i;
	return -1;
}

static void
check_operation(const char *path, const char *method, json_t *op, int *seen)
{
	int i = route_index(method, path);
	const struct srv_route *r;
	json_t *sec, *roles, *want, *params, *p;
	size_t k;

	if (i < 0)
		fail_msg("openapi.json has %s %s; the route table does not", method, path);
	r = &srv_routes[i];
	seen[i]++;
	assert_string_equal(json_string_value(json_object_get(op, "summary")), r->summary);
	/* Public routes: "security": [] and no roles; others: the roles. */
	sec = json_object_get(op, "security");
	roles = json_object_get(op, "x-ecms-roles");
	if (r->flags & SRV_PUBLIC) {
		if (!json_is_array(sec) || json_array_size(sec) != 0 || roles)
			fail_msg("%s %s is public: expected \"security\": [] and no x-ecms-roles",
				 method, path);
	} else {
		if (sec != NULL)
			fail_msg("%s %s needs authentication: no \"security\" override", method,
				 path);
		want = json_array();
		for (int b = 0; srv_role_names[b]; b++)
			if (r->roles & (1u << b))
				json_array_append_new(want, json_string(srv_role_names[b]));
		if (!json_equal(roles, want))
			fail_msg("%s %s: x-ecms-roles differs from the route table", method, path);
		json_decref(want);
	}
	/* Path parameters: the same names as the pattern's. */
	want = path_params(path);
	params = json_array();
	json_array_foreach(json_object_get(op, "parameters"), k, p) {
		if (!strcmp(json_string_value(json_object_get(p, "in")), "path"))
			json_array_append(params, json_object_get(p, "name"));
	}
	if (!json_equal(params, want))
		fail_msg("%s %s: path parameters differ from the pattern's", method, path);
	json_decref(params);
	json_decref(want);
	/* Every operation documents its success and at least one error. */
	assert_true(json_object_size(json_object_get(op, "responses")) >= 1);
}

static void
test_openapi_matches_routes(void **state)
{
	json_error_t je;
	json_t *doc = json_load_file("docs/openapi.json", 0, &je), *paths, *item, *op;
	const char *path, *method;
	int *seen = calloc((size_t)srv_nroutes, sizeof(int));

	if (doc == NULL)
		fail_msg("docs/openapi.json (run from the project root): %s at line %d", je.text,
			 je.line);
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
	paths = json_object_get(doc, "paths");
	assert_true(json_is_object(paths));
	json_object_foreach(paths, path, item) {
		json_object_foreach(item, method, op) {
			static const char *const verbs[] = { "get",     "put",  "post",  "delete",
							     "options", "head", "patch", "trace" };
			bool verb = false;
			for (size_t k = 0; k < sizeof(verbs) / sizeof(verbs[0]); k++)
				verb = verb || !strcmp(verbs[k], method);
			if (verb)
				check_operation(path, method, op, seen);
		}
	}
	for (int i = 0; i < srv_nroutes; i++)
		if (seen[i] != 1)
			fail_msg("%s %s is in the route table but not in openapi.json",
				 srv_routes[i].method, srv_routes[i].path);
	free(seen);
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_pct_decode),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_openapi_matches_routes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
