/*
 * h_web.c: the web UI: GET / (index.html) and GET /web/{file}, from the
 * files of server/web/ embedded into the binary at build time
 * (tools/embed_web.sh). Public, like a login page: the files hold no data;
 * everything they show comes from the API, which authenticates.
 */
#include <stdlib.h>
#include <string.h>

#include "server.h"

void
h_web(struct srv_call *c)
{
	const char *name = c->route->arg ? c->route->arg : srv_param(c, "file");
	char *body;

	for (int i = 0; i < srv_web_nfiles; i++) {
		const struct srv_web_file *f = &srv_web_files[i];
		if (strcmp(f->name, name) != 0)
			continue;
		if ((body = malloc(f->len ? f->len : 1)) == NULL) {
			srv_reply_error(c->resp, 500, "out_of_memory", NULL, NULL, "out of memory");
			return;
		}
		memcpy(body, f->data, f->len);
		srv_reply_text(c->resp, 200, f->ctype, body, f->len);
		srv_add_header(c->resp, "Content-Security-Policy",
			       "default-src 'self'; img-src 'self' data:; style-src 'self'; "
			       "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
		srv_add_header(c->resp, "X-Content-Type-Options", "nosniff");
		srv_add_header(c->resp, "Cache-Control", "no-cache");
		return;
	}
	srv_reply_error(c->resp, 404, "not_found", "file", NULL, "no file '%s' in the web UI",
			name);
}
