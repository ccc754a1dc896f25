/*
 * fuzz_route.c: libFuzzer target for what `ecms serve` makes of a request
 * line before any handler runs: the route matcher (srv_route_match, with
 * per-segment percent-decoding) and query arguments (srv_req_add_arg).
 * Input: METHOD '\n' PATH ['?' QUERY]. Invariants: no crash; a match has
 * the route's method (or HEAD for GET) and its parameters decoded to
 * NUL-terminated text no longer than the path; SRV_NO_METHOD lists an
 * Allow; decoded arguments are never longer than they came.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_query(char *q)
{
	struct srv_req req;
	const char *k;
	json_t *v;

	srv_req_init(&req);
	for (char *save = NULL, *a = strtok_r(q, "&", &save); a; a = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(a, '=');
		if (eq)
			*eq++ = '\0';
		srv_req_add_arg(&req, a, eq);
	}
	json_object_foreach(req.query, k, v)
	{
		if (!json_is_string(v))
			abort();
	}
	srv_req_cleanup(&req);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *path, *q, allow[64];
	struct srv_params p;
	int i;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	path = strchr(text, '\n');
	if (path == NULL) {
		free(text);
		return 0;
	}
	*path++ = '\0';
	if ((q = strchr(path, '?')) != NULL)
		*q++ = '\0';
	i = srv_route_match(text, path, &p, allow, sizeof(allow));
	if (i >= 0) {
		const struct srv_route *r = &srv_routes[i];
		if (i >= srv_nroutes ||
		    (strcmp(r->method, text) != 0 &&
		     !(strcmp(text, "HEAD") == 0 && strcmp(r->method, "GET") == 0)))
			abort();
		if (p.n < 0 || p.n > SRV_MAX_PARAMS)
			abort();
		for (int k = 0; k < p.n; k++)
			if (strnlen(p.value[k], SRV_PARAM_MAX) >= SRV_PARAM_MAX ||
			    strlen(p.value[k]) > strlen(path) || !p.value[k][0])
				abort();
	} else if (i == SRV_NO_METHOD) {
		if (!allow[0])
			abort();
	} else if (i != SRV_NO_ROUTE) {
		abort();
	}
	if (q)
		check_query(q);
	free(text);
	return 0;
}
