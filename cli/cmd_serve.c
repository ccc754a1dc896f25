/*
 * cmd_serve.c: `ecms serve`: run the HTTP API (server/) until SIGTERM or
 * SIGINT.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "server/server.h"

static int serve_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv);

const struct cmd_entry cmd_serve_entry = {
	"serve",
	"[--listen ADDR:PORT] [--threads N] [--secure-cookie] [--db PATH]",
	"serve the JSON API over HTTP until SIGTERM or SIGINT",
	"--listen ADDR:PORT  where to listen (default " SRV_DEFAULT_LISTEN "); [::1]:PORT for\n"
	"                    IPv6; port 0 picks a free port (the address is printed)\n"
	"--threads N         worker threads = store handles (default 4)\n"
	"--secure-cookie     mark the session cookie Secure (when TLS is terminated in\n"
	"                    front of ecms)\n"
	"--db PATH           the store (as the global --db)\n"
	"The API is under /api/v1/ (docs/openapi.json); /healthz and /metrics are\n"
	"public. Users log in with their password (ecms user passwd); machines use API\n"
	"tokens an admin creates. On SIGTERM it stops accepting, finishes the requests\n"
	"in flight, and exits 0.\n",
	0,
	serve_fn,
};

static int
serve_fn(struct cli *c, const struct cmd_entry *e, int argc, char **argv)
{
	const char *pos[1], *listen = SRV_DEFAULT_LISTEN, *threads = NULL, *db = NULL;
	bool secure = false;
	const struct cli_opt opts[] = { { "listen", true, &listen, NULL },
					{ "threads", true, &threads, NULL },
					{ "db", true, &db, NULL },
					{ "secure-cookie", false, NULL, &secure },
					{ NULL } };
	struct srv_config cfg = { 0 };
	char *end;
	int n, rc;

	if ((rc = cli_parse(e, argc, argv, opts, pos, 0, 0, &n)))
		return rc;
	cfg.listen = listen;
	cfg.db = db ? db : c->db_path;
	cfg.secure_cookie = secure;
	cfg.threads = SRV_DEFAULT_THREADS;
	if (threads) {
		long v = strtol(threads, &end, 10);
		if (!*threads || *end || v < 1 || v > SRV_MAX_THREADS)
			return cli_usage(e, "--threads: '%s' is not a number from 1 to %d", threads,
					 SRV_MAX_THREADS);
		cfg.threads = (int)v;
	}
	return srv_serve(&cfg);
}
